//! The escrow issue's story end to end over HTTP, on SQLite and on PostgreSQL: a buyer opens an
//! escrow on a published listing (with an agent and a platform fee), funds it through the
//! sandbox, releases it in two milestones; the server pays out to the seller and the
//! agent; every statement adds up, and the ledger verifies.

use crate::common::App;
use msme::core::auth::{totp, NewAccount};
use msme::core::rbac::Actor;
use msme::RequestMeta;
use serde_json::{json, Value};

async fn sign_up(app: &App, mobile: &str, role: &str) -> (String, String) {
    let body = json!({"name": "Asha Rao", "mobile": mobile, "email": null,
                      "password": "chai-and-ledgers", "role": role});
    let (status, user) = app.post("/v1/auth/register", body).await;
    assert_eq!(status, 201, "{user}");
    let login = json!({"mobile": mobile, "password": "chai-and-ledgers"});
    let (status, tokens) = app.post("/v1/auth/login", login).await;
    assert_eq!(status, 200, "{tokens}");
    (
        user["id"].as_str().unwrap().to_string(),
        tokens["access_token"].as_str().unwrap().to_string(),
    )
}

async fn admin(app: &App) -> String {
    let account = NewAccount::parse("Ops Admin", "9123456780", None, "admin-password-1", "admin")
        .expect("account");
    let made = app
        .platform
        .users()
        .create(&RequestMeta::default(), &Actor::operator(), account)
        .await
        .expect("admin");
    let secret = made.mfa.expect("admins get MFA").secret;
    let code = totp::code_at(&secret, chrono::Utc::now().timestamp()).expect("code");
    let login = json!({"mobile": "9123456780", "password": "admin-password-1", "totp": code});
    let (status, tokens) = app.post("/v1/auth/login", login).await;
    assert_eq!(status, 200, "{tokens}");
    tokens["access_token"].as_str().unwrap().to_string()
}

/// A published listing of the seller's.
async fn published(app: &App, seller: &str, admin: &str) -> String {
    let body = json!({
        "title": "Spice processing unit in Kochi", "industry": "food_processing",
        "description": "Cleans, grinds and packs spices for exporters; FSSAI licensed since 2011.",
        "city": "Kochi", "state": "Kerala", "year_established": 2011, "employees": 35,
        "deal_type": "full_sale", "asking_price_paise": 4_50_00_000_00i64, "anonymous": false,
        "financials": []
    });
    let (status, created) = app.post_auth("/v1/listings", seller, body).await;
    assert_eq!(status, 201, "{created}");
    let id = created["id"].as_str().unwrap().to_string();
    for (who, action) in [(seller, "submit"), (admin, "approve"), (seller, "publish")] {
        let (status, body) = app
            .post_auth(&format!("/v1/listings/{id}/{action}"), who, json!({}))
            .await;
        assert_eq!(status, 200, "{action}: {body}");
    }
    id
}

fn closing(statement: &Value) -> i64 {
    statement["closing_balance_paise"].as_i64().unwrap()
}

fn balances_after(statement: &Value) -> Vec<i64> {
    statement["lines"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["balance_after_paise"].as_i64().unwrap())
        .collect()
}

/// What came into an account over its statement (the rises of its balance), and its closing
/// balance. Payouts follow each release as soon as the server gets to them, so how the lines
/// interleave varies; these two do not.
fn paid_in_and_left(statement: &Value) -> (i64, i64) {
    let mut last = 0;
    let mut paid_in = 0;
    for b in balances_after(statement) {
        paid_in += (b - last).max(0);
        last = b;
    }
    (paid_in, closing(statement))
}

async fn story(app: App) -> App {
    let (seller_id, seller) = sign_up(&app, "9876543210", "seller").await;
    let (buyer_id, buyer) = sign_up(&app, "9876543211", "buyer").await;
    let (agent_id, agent) = sign_up(&app, "9876543212", "agent").await;
    let admin = admin(&app).await;
    let listing = published(&app, &seller, &admin).await;

    // ₹4,50,00,000.00 in two milestones; 2% platform fee, 1% agent commission.
    let amount = 4_50_00_000_00i64;
    let terms = json!({
        "listing_id": listing, "buyer_id": buyer_id, "seller_id": seller_id,
        "amount_paise": amount, "platform_fee_bps": 200, "agent_id": agent_id,
        "agent_commission_bps": 100,
        "milestones": [{"name": "signing", "amount_paise": 1_50_00_000_00i64},
                       {"name": "handover", "amount_paise": 3_00_00_000_00i64}]
    });
    let (status, escrow) = app
        .post_keyed("/v1/escrows", &buyer, "open-kochi", terms)
        .await;
    assert_eq!(status, 201, "{escrow}");
    let id = escrow["id"].as_str().unwrap().to_string();
    let path = format!("/v1/escrows/{id}");
    let (status, funded) = app
        .post_keyed(&format!("{path}/fund"), &buyer, "fund-kochi", json!({}))
        .await;
    assert_eq!(
        (status, funded["state"].as_str()),
        (200, Some("funded")),
        "{funded}"
    );
    for (milestone, state) in [("signing", "partially_released"), ("handover", "released")] {
        let body = json!({"milestone": milestone});
        let (status, moved) = app
            .post_keyed(&format!("{path}/release"), &buyer, milestone, body)
            .await;
        assert_eq!(
            (status, moved["state"].as_str()),
            (200, Some(state)),
            "{moved}"
        );
    }
    // The listing follows its escrow through the runtime, moments after the release.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(15);
    loop {
        let (_, sold) = app.get(&format!("/v1/listings/{listing}"), &seller).await;
        if sold["status"] == "sold" {
            break;
        }
        assert!(std::time::Instant::now() < deadline, "never sold: {sold}");
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }

    let ids = Ids {
        seller: seller_id,
        agent: agent_id,
        escrow: id,
    };
    payouts_and_statements(&app, &ids, &admin, &seller, &agent, &buyer, amount).await;
    app
}

struct Ids {
    seller: String,
    agent: String,
    escrow: String,
}

/// The admin pays the seller and the agent; every statement adds up to the deal's amount.
async fn payouts_and_statements(
    app: &App,
    ids: &Ids,
    admin: &str,
    seller: &str,
    agent: &str,
    buyer: &str,
    amount: i64,
) {
    let (admin, seller, agent, buyer) = (
        admin.to_string(),
        seller.to_string(),
        agent.to_string(),
        buyer.to_string(),
    );
    let (seller_id, agent_id, id) = (&ids.seller, &ids.agent, &ids.escrow);
    let fee = amount * 200 / 10_000;
    let commission = amount * 100 / 10_000;
    let net = amount - fee - commission;
    // The server pays out on its own after releases: a pass per batch of escrow events, so one
    // payout to the seller and one to the agent per pass (two releases close together share a
    // pass); an admin's pass then finds nothing left to do.
    let passes = settled_payouts(app, &admin, net + commission).await;
    let (status, run) = app.post_auth("/v1/payouts/run", &admin, json!({})).await;
    assert_eq!(status, 200, "{run}");
    assert_eq!(
        (run["started"].as_u64(), run["settled"].as_u64()),
        (Some(0), Some(0)),
        "{run}"
    );

    let account = |a: String| format!("/v1/ledger/accounts/{a}");
    let (_, seller_st) = app
        .get(&account(format!("payable:seller:{seller_id}")), &seller)
        .await;
    assert_eq!(paid_in_and_left(&seller_st), (net, 0), "{seller_st}");
    let (_, agent_st) = app
        .get(&account(format!("payable:agent:{agent_id}")), &agent)
        .await;
    assert_eq!(paid_in_and_left(&agent_st), (commission, 0), "{agent_st}");
    let (status, _) = app
        .get(&account(format!("payable:agent:{agent_id}")), &seller)
        .await;
    assert_eq!(status, 403, "a statement is for its owner and admins");
    let (_, fees) = app
        .get(&account("revenue:platform_fee".into()), &admin)
        .await;
    let (_, held) = app.get(&account(format!("escrow:{id}")), &buyer).await;
    let (_, cash) = app.get(&account("clearing:sandbox".into()), &admin).await;
    let (_, transit) = app.get(&account("transit:payouts".into()), &admin).await;
    assert_eq!(
        (closing(&fees), closing(&held), closing(&transit)),
        (fee, 0, 0)
    );
    assert_eq!(
        closing(&cash),
        fee,
        "the buyer's money in, the seller's and agent's out"
    );
    assert_eq!(
        net + commission + fee,
        amount,
        "every paisa of the deal accounted for"
    );

    let (_, payouts) = app.get("/v1/payouts", &admin).await;
    let paid: i64 = payouts["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            assert_eq!(p["state"], "settled");
            p["amount_paise"].as_i64().unwrap()
        })
        .sum();
    assert_eq!(paid, net + commission);
    let (_, payments) = app
        .get(&format!("/v1/payments?escrow_id={id}"), &seller)
        .await;
    assert_eq!(payments["items"][0]["amount_paise"], amount);
    let (status, verify) = app.get("/v1/ledger/verify", &admin).await;
    assert_eq!(
        (status, verify["clean"].as_bool()),
        (200, Some(true)),
        "{verify}"
    );
    // The funding, two releases, and two entries (start, settle) per payout.
    let payouts = 2 * passes as u64;
    assert_eq!(
        (verify["entries"].as_u64(), verify["payouts"].as_u64()),
        (Some(3 + 2 * payouts), Some(payouts))
    );
}

/// Waits (up to 20 s) until the server's runtime has paid `total` out, in settled payouts to
/// the seller and the agent, one of each per pass; answers the passes it took (1 or 2).
async fn settled_payouts(app: &App, admin: &str, total: i64) -> usize {
    let mut last = Value::Null;
    for _ in 0..200 {
        let (_, payouts) = app.get("/v1/payouts", admin).await;
        let items = payouts["items"].as_array().cloned().unwrap_or_default();
        let settled = items.iter().all(|p| p["state"] == "settled");
        let sum: i64 = items
            .iter()
            .filter_map(|p| p["amount_paise"].as_i64())
            .sum();
        if matches!(items.len(), 2 | 4) && settled && sum == total {
            return items.len() / 2;
        }
        last = payouts;
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    panic!("the server did not pay out {total} paise on its own: {last}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn escrow_story_on_sqlite() {
    let app = App::spawn(None).await;
    story(app).await.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn escrow_story_on_postgres() {
    crate::common::on_postgres(story).await;
}
