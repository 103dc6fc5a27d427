//! Accounts for tests: registered and signed in over HTTP, or made by the operator (admins,
//! with their authenticator secret) and signed in with a TOTP code.

use msme_core::auth::NewAccount;
use msme_core::rbac::Actor;
use msme_core::RequestMeta;
use reqwest::StatusCode;
use serde_json::{json, Value};

use crate::server::TestApp;

/// The password of every account the kit makes.
pub const PASSWORD: &str = "correct horse battery";

/// A TOTP code for `secret`, `offset` seconds from now.
pub fn totp(secret: &str, offset: i64) -> String {
    let now = chrono::Utc::now().timestamp() + offset;
    msme_core::auth::totp::code_at(secret, now).expect("TOTP code")
}

/// The parties [`TestApp::cast`] signs in: each one's account id and access token.
pub struct Cast {
    pub seller_id: String,
    pub seller: String,
    pub buyer_id: String,
    pub buyer: String,
    pub agent_id: String,
    pub agent: String,
    /// An admin's access token.
    pub admin: String,
}

impl TestApp {
    /// Registers an account (named Asha Rao) over HTTP and returns its JSON.
    pub async fn register(&self, mobile: &str, role: &str) -> Value {
        let body = json!({"name": "Asha Rao", "mobile": mobile, "email": null,
                          "password": PASSWORD, "role": role});
        let res = self.post("/v1/auth/register", body).await;
        assert_eq!(res.status(), StatusCode::CREATED, "register {mobile}");
        res.json().await.expect("account JSON")
    }

    /// Signs in with the password and returns the token JSON.
    pub async fn login(&self, mobile: &str) -> Value {
        self.login_with(json!({"mobile": mobile, "password": PASSWORD}))
            .await
    }

    async fn login_with(&self, body: Value) -> Value {
        let res = self.post("/v1/auth/login", body).await;
        assert_eq!(res.status(), StatusCode::OK, "login");
        res.json().await.expect("tokens JSON")
    }

    /// Registers and signs in; returns the account id and an access token.
    pub async fn signed_in(&self, mobile: &str, role: &str) -> (String, String) {
        let account = self.register(mobile, role).await;
        let tokens = self.login(mobile).await;
        (string(&account["id"]), string(&tokens["access_token"]))
    }

    /// A story's usual parties: a seller, a buyer and an agent registered and signed in over
    /// HTTP (mobiles 9876543210, ...11 and ...12), and an admin made by the operator.
    pub async fn cast(&self) -> Cast {
        let (seller_id, seller) = self.signed_in("9876543210", "seller").await;
        let (buyer_id, buyer) = self.signed_in("9876543211", "buyer").await;
        let (agent_id, agent) = self.signed_in("9876543212", "agent").await;
        let admin = self.admin_token("9123456780").await;
        Cast {
            seller_id,
            seller,
            buyer_id,
            buyer,
            agent_id,
            agent,
            admin,
        }
    }

    /// Makes an account as the operator (as `msme user create` does); returns the TOTP secret
    /// it was given (admins always are).
    pub async fn create_account(&self, mobile: &str, role: &str) -> Option<String> {
        let name = if role == "admin" {
            "Ravi Admin"
        } else {
            "Asha Rao"
        };
        let account = NewAccount::parse(name, mobile, None, PASSWORD, role).expect("account");
        let users = self.platform.users();
        let made = users
            .create(&RequestMeta::default(), &Actor::operator(), account)
            .await
            .expect("create account");
        made.mfa.map(|mfa| mfa.secret)
    }

    /// Makes an admin as the operator; returns the TOTP secret.
    pub async fn make_admin(&self, mobile: &str) -> String {
        let secret = self.create_account(mobile, "admin").await;
        secret.expect("admins get a secret")
    }

    /// Makes an account as the operator and signs it in (with its authenticator code when it
    /// has one); returns an access token.
    pub async fn operator_made_token(&self, mobile: &str, role: &str) -> String {
        let mut login = json!({"mobile": mobile, "password": PASSWORD});
        if let Some(secret) = self.create_account(mobile, role).await {
            login["totp"] = json!(totp(&secret, 0));
        }
        string(&self.login_with(login).await["access_token"])
    }

    /// Makes an admin and signs it in with its authenticator code; returns an access token.
    pub async fn admin_token(&self, mobile: &str) -> String {
        self.operator_made_token(mobile, "admin").await
    }

    /// The newest OTP sent to `mobile`, read from the outbox as an operator would.
    pub async fn latest_otp(&self, mobile_e164: &str) -> String {
        let outbox = self.platform.outbox();
        let messages = outbox.list(&Actor::operator(), None, 1000).await.unwrap();
        let sms = messages
            .iter()
            .rev()
            .find(|m| m.recipient == mobile_e164)
            .expect("an sms to this number");
        sms.body[..6].to_string()
    }
}

fn string(v: &Value) -> String {
    v.as_str().expect("a string").to_string()
}
