//! [`RazorpayGateway`]: the port's calls as Razorpay's endpoints.

use crate::webhook;
use async_trait::async_trait;
use hmac::{Hmac, Mac};
use msme_core::ledger::{GatewayName, LedgerAccount};
use msme_core::money::Paise;
use msme_core::ports::{
    CapturedPayment, GatewayError, GatewayOrder, GatewayPayment, GatewayPaymentStatus,
    GatewayPayout, GatewayPayoutStatus, OrderRequest, PaymentGateway, PayoutRequest, WebhookEvent,
};
use msme_core::types::Secret;
use reqwest::header::HeaderName;
use serde_json::{json, Value};
use sha2::{Digest, Sha256};

use crate::api::Api;
use crate::config::{RazorpayConfig, SetupError};

/// The header RazorpayX dedupes payouts by: 4 to 36 letters, digits, `-` or `_`.
const PAYOUT_IDEMPOTENCY: HeaderName = HeaderName::from_static("x-payout-idempotency");

/// IMPS takes at most ₹5,00,000 per payout; larger ones go by NEFT.
const IMPS_LIMIT: Paise = Paise::new(5_00_000_00);

/// The RazorpayX gateway. `Debug` shows no secret.
#[derive(Debug)]
pub struct RazorpayGateway {
    api: Api,
    account_number: String,
    webhook_secret: Option<Secret>,
}

impl RazorpayGateway {
    pub fn try_new(config: RazorpayConfig) -> Result<Self, SetupError> {
        Ok(Self {
            api: Api::new(&config)?,
            account_number: config.account_number.trim().to_string(),
            webhook_secret: config.webhook_secret,
        })
    }

    /// The first payment on the order that is authorised (or already captured, when the
    /// account captures automatically).
    async fn paid(&self, order_id: &str) -> Result<Option<String>, GatewayError> {
        let payments = self
            .api
            .get(&format!("/v1/orders/{order_id}/payments"), &[])
            .await?;
        Ok(items(&payments)
            .iter()
            .find(|p| matches!(p["status"].as_str(), Some("authorized" | "captured")))
            .and_then(|p| p["id"].as_str())
            .map(str::to_string))
    }

    /// The fund account payouts to `payee` go to: the active contact whose `reference_id`
    /// is the payee's account id, and its first active fund account.
    async fn fund_account(&self, payee: &LedgerAccount) -> Result<(String, bool), GatewayError> {
        let user = match payee {
            LedgerAccount::SellerPayable(u)
            | LedgerAccount::AgentPayable(u)
            | LedgerAccount::RefundPayable(u) => u.as_str(),
            other => return Err(GatewayError::Rejected(format!("{other} is not a payee"))),
        };
        let contacts = self
            .api
            .get("/v1/contacts", &[("reference_id", user)])
            .await?;
        let contact = items(&contacts)
            .iter()
            .find(|c| c["active"].as_bool() != Some(false))
            .and_then(|c| c["id"].as_str())
            .map(str::to_string)
            .ok_or_else(|| {
                GatewayError::Rejected(format!("no RazorpayX contact with reference_id {user}"))
            })?;
        let accounts = self
            .api
            .get("/v1/fund_accounts", &[("contact_id", contact.as_str())])
            .await?;
        let account = items(&accounts)
            .iter()
            .find(|a| a["active"].as_bool() != Some(false))
            .cloned()
            .ok_or_else(|| {
                GatewayError::Rejected(format!("contact {contact} has no active fund account"))
            })?;
        let id = text(&account, "id")?;
        Ok((id, account["account_type"].as_str() == Some("vpa")))
    }
}

fn items(collection: &Value) -> &[Value] {
    collection["items"].as_array().map_or(&[], Vec::as_slice)
}

fn text(v: &Value, field: &str) -> Result<String, GatewayError> {
    v[field]
        .as_str()
        .map(str::to_string)
        .ok_or_else(|| GatewayError::Unavailable(format!("Razorpay's answer has no {field}")))
}

fn amount_of(v: &Value) -> Option<Paise> {
    v["amount"].as_i64().map(Paise::new)
}

fn amount(v: &Value) -> Result<Paise, GatewayError> {
    v["amount"]
        .as_i64()
        .map(Paise::new)
        .ok_or_else(|| GatewayError::Unavailable("Razorpay's answer has no amount".into()))
}

/// A valid `X-Payout-Idempotency` value for our key: 32 hex digits of its SHA-256, so the same
/// payout always sends the same value.
pub(crate) fn payout_idempotency(key: &str) -> String {
    hex::encode(Sha256::digest(key.as_bytes()))[..32].to_string()
}

fn payment_of(p: &Value) -> Result<CapturedPayment, GatewayError> {
    Ok(CapturedPayment {
        id: text(p, "id")?,
        order_id: text(p, "order_id")?,
        amount: amount(p)?,
    })
}

fn payout_of(p: &Value) -> Result<GatewayPayout, GatewayError> {
    let status = match p["status"].as_str() {
        Some("processed") => GatewayPayoutStatus::Processed,
        Some(s @ ("failed" | "reversed" | "rejected" | "cancelled")) => {
            let why = p["status_details"]["description"]
                .as_str()
                .or_else(|| p["failure_reason"].as_str())
                .unwrap_or(s);
            GatewayPayoutStatus::Failed(why.to_string())
        }
        _ => GatewayPayoutStatus::Processing,
    };
    let reference = text(p, "reference_id")?;
    Ok(GatewayPayout {
        id: text(p, "id")?,
        reference: msme_core::ledger::PayoutId::from_trusted(reference),
        amount: amount(p)?,
        status,
    })
}

#[async_trait]
impl PaymentGateway for RazorpayGateway {
    fn name(&self) -> GatewayName {
        GatewayName::parse("razorpayx").expect("a valid name")
    }

    async fn create_order(&self, order: &OrderRequest) -> Result<GatewayOrder, GatewayError> {
        let found = self
            .api
            .get("/v1/orders", &[("receipt", order.receipt.as_str())])
            .await?;
        let existing = items(&found)
            .iter()
            .find(|o| o["amount"].as_i64() == Some(order.amount.get()))
            .cloned();
        let o = match existing {
            Some(o) => o,
            None => {
                let body = json!({
                    "amount": order.amount.get(),
                    "currency": "INR",
                    "receipt": order.receipt,
                    "notes": { "idempotency_key": order.idempotency_key.as_str() },
                });
                self.api.post("/v1/orders", &body, None).await?
            }
        };
        let id = text(&o, "id")?;
        Ok(GatewayOrder {
            authorized_payment: self.paid(&id).await?,
            amount: amount(&o)?,
            id,
        })
    }

    async fn capture_payment(
        &self,
        payment_id: &str,
        amount: Paise,
    ) -> Result<CapturedPayment, GatewayError> {
        let path = format!("/v1/payments/{payment_id}");
        let current = self.api.get(&path, &[]).await?;
        match current["status"].as_str() {
            Some("captured") => return payment_of(&current),
            Some("failed") => {
                let why = current["error_description"].as_str().unwrap_or("failed");
                return Err(GatewayError::Declined(why.to_string()));
            }
            _ => {}
        }
        let body = json!({ "amount": amount.get(), "currency": "INR" });
        match self.api.post(&format!("{path}/capture"), &body, None).await {
            Ok(captured) => payment_of(&captured),
            // Captured meanwhile (automatic capture): the payment is what was asked for.
            Err(GatewayError::Rejected(why)) => {
                let now = self.api.get(&path, &[]).await?;
                if now["status"].as_str() == Some("captured") && amount_of(&now) == Some(amount) {
                    return payment_of(&now);
                }
                Err(GatewayError::Rejected(why))
            }
            Err(e) => Err(e),
        }
    }

    async fn fetch_payment(&self, payment_id: &str) -> Result<GatewayPayment, GatewayError> {
        let p = self
            .api
            .get(&format!("/v1/payments/{payment_id}"), &[])
            .await?;
        let status = match p["status"].as_str() {
            Some("captured") => GatewayPaymentStatus::Captured,
            Some("failed") => GatewayPaymentStatus::Failed(
                p["error_description"]
                    .as_str()
                    .unwrap_or("failed")
                    .to_string(),
            ),
            Some("refunded") => GatewayPaymentStatus::Failed("refunded".into()),
            _ => GatewayPaymentStatus::Pending,
        };
        Ok(GatewayPayment {
            id: text(&p, "id")?,
            order_id: p["order_id"].as_str().map(str::to_string),
            amount: amount(&p)?,
            status,
        })
    }

    async fn create_payout(&self, payout: &PayoutRequest) -> Result<GatewayPayout, GatewayError> {
        let (fund_account, vpa) = self.fund_account(&payout.payee).await?;
        let mode = match (vpa, payout.amount <= IMPS_LIMIT) {
            (true, _) => "UPI",
            (false, true) => "IMPS",
            (false, false) => "NEFT",
        };
        let body = json!({
            "account_number": self.account_number,
            "fund_account_id": fund_account,
            "amount": payout.amount.get(),
            "currency": "INR",
            "mode": mode,
            "purpose": "payout",
            "queue_if_low_balance": true,
            "reference_id": payout.reference.as_str(),
            "narration": "MSME Exchange payout",
            "notes": { "payee": payout.payee.to_string() },
        });
        let key = payout_idempotency(payout.idempotency_key.as_str());
        let made = self
            .api
            .post("/v1/payouts", &body, Some((PAYOUT_IDEMPOTENCY, &key)))
            .await?;
        payout_of(&made)
    }

    async fn payout_status(&self, gateway_ref: &str) -> Result<GatewayPayout, GatewayError> {
        let p = self
            .api
            .get(&format!("/v1/payouts/{gateway_ref}"), &[])
            .await?;
        payout_of(&p)
    }

    fn verify_webhook(&self, body: &[u8], signature: &str) -> Result<WebhookEvent, GatewayError> {
        let secret = self
            .webhook_secret
            .as_ref()
            .ok_or(GatewayError::BadSignature)?;
        let mut mac =
            Hmac::<Sha256>::new_from_slice(secret.expose().as_bytes()).expect("any key length");
        mac.update(body);
        let given = hex::decode(signature.trim()).map_err(|_| GatewayError::BadSignature)?;
        mac.verify_slice(&given)
            .map_err(|_| GatewayError::BadSignature)?;
        webhook::parse(body)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn payout_idempotency_keys_are_what_razorpayx_accepts() {
        let k = payout_idempotency("payout.01a23af4-d5d9-73d8-8e93-f481da5ead30");
        assert_eq!(k.len(), 32);
        assert!(k.bytes().all(|b| b.is_ascii_hexdigit()));
        assert_eq!(
            k,
            payout_idempotency("payout.01a23af4-d5d9-73d8-8e93-f481da5ead30")
        );
        assert_ne!(k, payout_idempotency("payout.other"));
    }
}
