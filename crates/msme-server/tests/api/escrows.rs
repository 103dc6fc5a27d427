//! Escrows, payments, webhooks, statements and payouts over HTTP: the money flow, the
//! `Idempotency-Key` rules, and who may see and move what.

use reqwest::{Response, StatusCode};
use serde_json::{json, Value};

use msme_testkit::{assert_error, error_code, TestApp};

/// The people of one deal, signed in, and a published listing of the seller's.
struct Deal {
    app: TestApp,
    admin: String,
    buyer: (String, String),
    seller: (String, String),
    agent: (String, String),
    stranger: String,
    listing: String,
}

async fn deal() -> Deal {
    let app = TestApp::spawn().await;
    let admin = app.admin_token("9000000001").await;
    let seller = app.signed_in("9000000002", "seller").await;
    let buyer = app.signed_in("9000000003", "buyer").await;
    let agent = app.signed_in("9000000004", "agent").await;
    let (_, stranger) = app.signed_in("9000000005", "buyer").await;
    let listing = app.create_listing(&seller.1, false).await;
    let id = listing["id"].as_str().unwrap().to_string();
    app.publish(&seller.1, &admin, &id).await;
    Deal {
        app,
        admin,
        buyer,
        seller,
        agent,
        stranger,
        listing: id,
    }
}

impl Deal {
    fn terms(&self, amount: i64) -> Value {
        json!({
            "listing_id": self.listing, "buyer_id": self.buyer.0, "seller_id": self.seller.0,
            "amount_paise": amount, "platform_fee_bps": 250, "agent_id": self.agent.0,
            "agent_commission_bps": 100,
            "milestones": [{"name": "deposit", "amount_paise": amount * 4 / 10},
                           {"name": "closing", "amount_paise": amount - amount * 4 / 10}],
        })
    }

    async fn post(&self, path: &str, token: &str, key: Option<&str>, body: Value) -> Response {
        self.app.post_keyed(path, token, key, body).await
    }

    /// The buyer releases `milestone` of the escrow at `path`, under `key`.
    async fn release(&self, path: &str, key: Option<&str>, milestone: &str) -> Response {
        let body = json!({ "milestone": milestone });
        self.post(&format!("{path}/release"), &self.buyer.1, key, body)
            .await
    }

    /// The buyer releases `milestone` under `key`; the escrow's JSON of a 200.
    async fn released(&self, path: &str, key: &str, milestone: &str) -> Value {
        let res = self.release(path, Some(key), milestone).await;
        assert_eq!(res.status(), StatusCode::OK, "release {milestone}");
        res.json().await.unwrap()
    }

    /// POSTs with a key and returns the JSON of a `status` answer.
    async fn ok(&self, path: &str, token: &str, key: &str, body: Value, status: u16) -> Value {
        let res = self.post(path, token, Some(key), body).await;
        assert_eq!(res.status().as_u16(), status, "POST {path}");
        res.json().await.unwrap()
    }

    async fn status_of_get(&self, path: &str, token: &str) -> StatusCode {
        self.app.get_auth(path, token).await.status()
    }
}

#[tokio::test]
async fn an_escrow_moves_over_http_with_idempotency_keys() {
    let d = deal().await;
    let terms = d.terms(10_00_000);
    let missing = d.post("/v1/escrows", &d.buyer.1, None, terms.clone()).await;
    assert_error(missing, StatusCode::BAD_REQUEST, "idempotency_key_required").await;
    let first = d
        .post("/v1/escrows", &d.buyer.1, Some("open-1"), terms.clone())
        .await;
    assert_eq!(first.status(), StatusCode::CREATED);
    assert!(first.headers().get("idempotent-replayed").is_none());
    let escrow: Value = first.json().await.unwrap();
    let id = escrow["id"].as_str().unwrap().to_string();
    assert_eq!(
        (escrow["state"].as_str(), escrow["held_paise"].as_i64()),
        (Some("created"), Some(0))
    );
    let again = d
        .post("/v1/escrows", &d.buyer.1, Some("open-1"), terms)
        .await;
    assert_eq!(again.status(), StatusCode::CREATED);
    assert_eq!(again.headers()["idempotent-replayed"], "true");
    let again: Value = again.json().await.unwrap();
    assert_eq!(
        again["id"], escrow["id"],
        "the same key gives the first result"
    );
    let other = d
        .post("/v1/escrows", &d.buyer.1, Some("open-1"), d.terms(9_00_000))
        .await;
    assert_error(other, StatusCode::CONFLICT, "idempotency_conflict").await;

    let path = format!("/v1/escrows/{id}");
    assert_eq!(
        d.status_of_get(&path, &d.stranger).await,
        StatusCode::NOT_FOUND
    );
    for token in [&d.seller.1, &d.agent.1, &d.admin] {
        assert_eq!(d.status_of_get(&path, token).await, StatusCode::OK);
    }
    let mine = d.app.json_ok("/v1/escrows", &d.buyer.1).await;
    assert_eq!(mine["items"].as_array().unwrap().len(), 1);
    let theirs = d.app.json_ok("/v1/escrows", &d.stranger).await;
    assert_eq!(theirs["items"], json!([]));

    fund_and_release(&d, &id).await;
    payments_and_statements(&d, &id).await;
    d.app.stop().await;
}

/// Who may fund, and the releases with their key rules.
async fn fund_and_release(d: &Deal, id: &str) {
    let path = format!("/v1/escrows/{id}");
    let fund = format!("{path}/fund");
    let by_seller = d.post(&fund, &d.seller.1, Some("f-s"), json!({})).await;
    assert_error(by_seller, StatusCode::FORBIDDEN, "forbidden").await;
    let by_stranger = d.post(&fund, &d.stranger, Some("f-x"), json!({})).await;
    assert_error(by_stranger, StatusCode::NOT_FOUND, "not_found").await;
    let funded = d.ok(&fund, &d.buyer.1, "fund-1", json!({}), 200).await;
    assert_eq!(
        (funded["state"].as_str(), funded["held_paise"].as_i64()),
        (Some("funded"), Some(10_00_000))
    );

    release(d, &path).await;
}

/// Releases with the key rules: none, a replay, another request under a used key.
async fn release(d: &Deal, path: &str) {
    let nokey = d.release(path, None, "deposit").await;
    assert_error(nokey, StatusCode::BAD_REQUEST, "idempotency_key_required").await;
    let half = d.released(path, "rel-1", "deposit").await;
    assert_eq!(half["state"], "partially_released");
    let replay = d.released(path, "rel-1", "deposit").await;
    assert_eq!(replay, half);
    let refused = [
        (
            "rel-1",
            "closing",
            StatusCode::CONFLICT,
            "idempotency_conflict",
        ),
        (
            "rel-2",
            "deposit",
            StatusCode::CONFLICT,
            "milestone_already_released",
        ),
        (
            "rel-3",
            "bonus",
            StatusCode::BAD_REQUEST,
            "unknown_milestone",
        ),
    ];
    for (key, milestone, status, code) in refused {
        let res = d.release(path, Some(key), milestone).await;
        assert_eq!(error_code(res, status).await, code, "{key} {milestone}");
    }
    let done = d.released(path, "rel-4", "closing").await;
    assert_eq!(
        (done["state"].as_str(), done["held_paise"].as_i64()),
        (Some("released"), Some(0))
    );
    // The runtime's `listing-escrows` consumer follows the escrow's event.
    d.app.listing_becomes(&d.listing, &d.seller.1, "sold").await;
}

/// After the release: the payment, payouts and statements, each only for whom it concerns.
async fn payments_and_statements(d: &Deal, id: &str) {
    let of_escrow = format!("/v1/payments?escrow_id={id}");
    let paid = d.app.json_ok(&of_escrow, &d.buyer.1).await;
    let payment = &paid["items"][0];
    assert_eq!(
        (payment["source"].as_str(), payment["amount_paise"].as_i64()),
        (Some("sandbox"), Some(10_00_000))
    );
    assert_eq!(
        d.status_of_get(&of_escrow, &d.stranger).await,
        StatusCode::NOT_FOUND
    );
    let one = format!("/v1/payments/{}", payment["id"].as_str().unwrap());
    assert_eq!(d.status_of_get(&one, &d.seller.1).await, StatusCode::OK);
    assert_eq!(
        d.status_of_get(&one, &d.stranger).await,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        d.status_of_get("/v1/payments", &d.buyer.1).await,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        d.status_of_get("/v1/payments", &d.admin).await,
        StatusCode::OK
    );

    payouts_and_statements(d, id).await;
}

/// Payouts sent by the server itself; an admin's pass; statements and payouts for their
/// owners only; verify.
async fn payouts_and_statements(d: &Deal, id: &str) {
    let by_buyer = d.post("/v1/payouts/run", &d.buyer.1, None, json!({})).await;
    assert_error(by_buyer, StatusCode::FORBIDDEN, "forbidden").await;
    // The server pays out on its own after the releases; an admin's pass then finds nothing.
    let net = 10_00_000 - 25_000 - 10_000;
    // One payout to the seller and one to the agent per payout pass: a pass per released
    // milestone, or one for both when the two releases land in the same batch of events.
    let paid_out = d
        .app
        .settled_payouts(&d.admin, net + 10_000, |n| matches!(n, 2 | 4))
        .await;
    let run = d
        .ok("/v1/payouts/run", &d.admin, "unused", json!({}), 200)
        .await;
    assert_eq!(
        (run["started"].as_u64(), run["settled"].as_u64()),
        (Some(0), Some(0))
    );
    let seller_payable = format!("payable:seller:{}", d.seller.0);
    let statement = format!("/v1/ledger/accounts/{seller_payable}");
    let st = d.app.json_ok(&statement, &d.seller.1).await;
    let after = st["lines"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["balance_after_paise"].as_i64().unwrap());
    // Each release is paid out as soon as the server gets to it, so the lines interleave
    // either way; what came in and what is left do not vary.
    let (paid_in, left) = after.fold((0, 0), |(paid_in, prev), b| {
        (paid_in + (b - prev).max(0), b)
    });
    assert_eq!((paid_in, left), (net, 0), "two releases in, all paid out");
    assert_eq!(
        d.status_of_get(&statement, &d.buyer.1).await,
        StatusCode::FORBIDDEN
    );
    assert_eq!(d.status_of_get(&statement, &d.admin).await, StatusCode::OK);
    let fees = d
        .app
        .json_ok("/v1/ledger/accounts/revenue:platform_fee", &d.admin)
        .await;
    assert_eq!(fees["closing_balance_paise"], 25_000);
    let bad = d
        .app
        .get_auth("/v1/ledger/accounts/nonsense", &d.admin)
        .await;
    assert_error(bad, StatusCode::BAD_REQUEST, "validation_failed").await;
    let escrow_account = format!("/v1/ledger/accounts/escrow:{id}");
    assert_eq!(
        d.status_of_get(&escrow_account, &d.buyer.1).await,
        StatusCode::OK
    );
    assert_eq!(
        d.status_of_get(&escrow_account, &d.stranger).await,
        StatusCode::FORBIDDEN
    );

    let payee = format!("/v1/payouts?payee={seller_payable}");
    let payouts = d.app.json_ok(&payee, &d.seller.1).await;
    assert_eq!(payouts["items"][0]["state"], "settled");
    assert_eq!(
        d.status_of_get(&payee, &d.buyer.1).await,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        d.status_of_get("/v1/payouts", &d.seller.1).await,
        StatusCode::FORBIDDEN
    );
    let all = d.app.json_ok("/v1/payouts", &d.admin).await;
    assert_eq!(all["items"].as_array().unwrap().len(), paid_out);
    assert_eq!(
        d.status_of_get("/v1/ledger/verify", &d.buyer.1).await,
        StatusCode::FORBIDDEN
    );
    let verify = d.app.json_ok("/v1/ledger/verify", &d.admin).await;
    assert_eq!(
        (verify["clean"].as_bool(), verify["entries"].as_u64()),
        // Funding, two releases and their fees and commissions, and one entry per payout.
        (Some(true), Some(7 + paid_out as u64))
    );
}

#[tokio::test]
async fn bank_transfers_and_disputes_are_for_admins() {
    let d = deal().await;
    let e = d
        .ok("/v1/escrows", &d.buyer.1, "open", d.terms(3_00_000), 201)
        .await;
    let id = e["id"].as_str().unwrap();
    let transfer =
        json!({"escrow_id": id, "amount_paise": 3_00_000, "reference": "hdfcr52026010112345"});
    let by_buyer = d
        .post(
            "/v1/payments/bank-transfers",
            &d.buyer.1,
            Some("bt"),
            transfer.clone(),
        )
        .await;
    assert_error(by_buyer, StatusCode::FORBIDDEN, "forbidden").await;
    let short = json!({"escrow_id": id, "amount_paise": 1, "reference": "HDFCR52026010112345"});
    let short = d
        .post("/v1/payments/bank-transfers", &d.admin, Some("bt0"), short)
        .await;
    assert_error(short, StatusCode::BAD_REQUEST, "validation_failed").await;
    let paid = d
        .ok(
            "/v1/payments/bank-transfers",
            &d.admin,
            "bt1",
            transfer,
            201,
        )
        .await;
    assert_eq!(
        (paid["source"].as_str(), paid["gateway_ref"].as_str()),
        (Some("bank_transfer"), Some("HDFCR52026010112345"))
    );
    let path = format!("/v1/escrows/{id}");
    let disputed = d
        .ok(
            &format!("{path}/dispute"),
            &d.seller.1,
            "d1",
            json!({"reason": "stock count short"}),
            200,
        )
        .await;
    assert_eq!(disputed["state"], "disputed");
    let split = json!({"refund_to_buyer_paise": 1_00_000, "release_to_seller_paise": 2_00_000});
    let by_buyer = d
        .post(
            &format!("{path}/resolve"),
            &d.buyer.1,
            Some("r0"),
            split.clone(),
        )
        .await;
    assert_error(by_buyer, StatusCode::FORBIDDEN, "forbidden").await;
    let wrong = json!({"refund_to_buyer_paise": 1, "release_to_seller_paise": 2});
    let wrong = d
        .post(&format!("{path}/resolve"), &d.admin, Some("r1"), wrong)
        .await;
    assert_error(wrong, StatusCode::BAD_REQUEST, "split_mismatch").await;
    let resolved = d
        .ok(&format!("{path}/resolve"), &d.admin, "r2", split, 200)
        .await;
    assert_eq!(
        (
            resolved["state"].as_str(),
            resolved["refunded_paise"].as_i64()
        ),
        (Some("resolved"), Some(1_00_000))
    );
    let cancel = d
        .post(&format!("{path}/cancel"), &d.buyer.1, Some("c"), json!({}))
        .await;
    assert_error(cancel, StatusCode::CONFLICT, "illegal_transition").await;
    d.app.stop().await;
}

#[tokio::test]
async fn webhooks_are_checked_against_their_signature() {
    let d = deal().await;
    let body = br#"{"entity":"event","event":"payout.processed","payload":{"payout":{"entity":{"id":"pout_x","reference_id":"0190d6c4-0000-7000-8000-000000000000","amount":100,"status":"processed"}}}}"#;
    let send = |gateway: &str, signature: Option<String>| {
        let mut req = d
            .app
            .http
            .post(d.app.url(&format!("/v1/webhooks/{gateway}")))
            .header("content-type", "application/json")
            .body(body.to_vec());
        if let Some(s) = signature {
            req = req.header("X-Razorpay-Signature", s);
        }
        req.send()
    };
    let unsigned = send("sandbox", None).await.unwrap();
    assert_error(unsigned, StatusCode::UNAUTHORIZED, "bad_webhook_signature").await;
    let forged = send("sandbox", Some("ab".repeat(32))).await.unwrap();
    assert_error(forged, StatusCode::UNAUTHORIZED, "bad_webhook_signature").await;
    let sign = |b: &[u8]| {
        use hmac::{Hmac, Mac};
        let secret = msme_sandbox::DEFAULT_WEBHOOK_SECRET.as_bytes();
        let mut mac = Hmac::<sha2::Sha256>::new_from_slice(secret).unwrap();
        mac.update(b);
        hex::encode(mac.finalize().into_bytes())
    };
    let elsewhere = send("razorpayx", Some(sign(body))).await.unwrap();
    assert_error(elsewhere, StatusCode::NOT_FOUND, "not_found").await;
    let signed = send("sandbox", Some(sign(body))).await.unwrap();
    assert_eq!(signed.status(), StatusCode::OK);
    let ack: Value = signed.json().await.unwrap();
    assert_eq!(ack["outcome"], "unmatched", "no such payout here");
    d.app.stop().await;
}
