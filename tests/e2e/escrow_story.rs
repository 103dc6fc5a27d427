//! The escrow issue's story end to end over HTTP, on SQLite and on PostgreSQL: a buyer opens an
//! escrow on a published listing (with an agent and a platform fee), funds it through the
//! sandbox, releases it in two milestones; the server pays out to the seller and the
//! agent; every statement adds up, and the ledger verifies.

use msme_testkit::{Cast, TestApp};
use serde_json::{json, Value};

/// A spice unit in Kochi, named, without financials.
fn spice_unit() -> Value {
    json!({
        "title": "Spice processing unit in Kochi", "industry": "food_processing",
        "description": "Cleans, grinds and packs spices for exporters; FSSAI licensed since 2011.",
        "city": "Kochi", "state": "Kerala", "year_established": 2011, "employees": 35,
        "deal_type": "full_sale", "asking_price_paise": 4_50_00_000_00i64, "anonymous": false,
        "financials": []
    })
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

async fn escrow_story(app: TestApp) {
    let api = app.api();
    let cast = app.cast().await;
    let listing = app.published(&cast.seller, &cast.admin, spice_unit()).await;

    // ₹4,50,00,000.00 in two milestones; 2% platform fee, 1% agent commission.
    let amount = 4_50_00_000_00i64;
    let terms = json!({
        "listing_id": listing, "buyer_id": cast.buyer_id, "seller_id": cast.seller_id,
        "amount_paise": amount, "platform_fee_bps": 200, "agent_id": cast.agent_id,
        "agent_commission_bps": 100,
        "milestones": [{"name": "signing", "amount_paise": 1_50_00_000_00i64},
                       {"name": "handover", "amount_paise": 3_00_00_000_00i64}]
    });
    let (status, escrow) = api
        .post_keyed("/v1/escrows", &cast.buyer, "open-kochi", terms)
        .await;
    assert_eq!(status, 201, "{escrow}");
    let id = escrow["id"].as_str().unwrap().to_string();
    let path = format!("/v1/escrows/{id}");
    let (status, funded) = api
        .post_keyed(
            &format!("{path}/fund"),
            &cast.buyer,
            "fund-kochi",
            json!({}),
        )
        .await;
    assert_eq!(
        (status, funded["state"].as_str()),
        (200, Some("funded")),
        "{funded}"
    );
    for (milestone, state) in [("signing", "partially_released"), ("handover", "released")] {
        let body = json!({"milestone": milestone});
        let (status, moved) = api
            .post_keyed(&format!("{path}/release"), &cast.buyer, milestone, body)
            .await;
        assert_eq!(
            (status, moved["state"].as_str()),
            (200, Some(state)),
            "{moved}"
        );
    }
    // The listing follows its escrow through the runtime, moments after the release.
    app.listing_becomes(&listing, &cast.seller, "sold").await;

    payouts_and_statements(&app, &cast, &id, amount).await;
    app.stop().await;
}

/// The admin pays the seller and the agent; every statement adds up to the deal's amount.
async fn payouts_and_statements(app: &TestApp, cast: &Cast, id: &str, amount: i64) {
    let api = app.api();
    let fee = amount * 200 / 10_000;
    let commission = amount * 100 / 10_000;
    let net = amount - fee - commission;
    // The server pays out on its own after releases: a pass per batch of escrow events, so one
    // payout to the seller and one to the agent per pass (two releases close together share a
    // pass); an admin's pass then finds nothing left to do.
    let paid = app.settled_payouts(&cast.admin, net + commission, |n| matches!(n, 2 | 4));
    let passes = paid.await / 2;
    let (status, run) = api
        .post_auth("/v1/payouts/run", &cast.admin, json!({}))
        .await;
    assert_eq!(status, 200, "{run}");
    assert_eq!(
        (run["started"].as_u64(), run["settled"].as_u64()),
        (Some(0), Some(0)),
        "{run}"
    );

    let account = |a: String| format!("/v1/ledger/accounts/{a}");
    let seller_payable = account(format!("payable:seller:{}", cast.seller_id));
    let agent_payable = account(format!("payable:agent:{}", cast.agent_id));
    let (_, seller_st) = api.get(&seller_payable, &cast.seller).await;
    assert_eq!(paid_in_and_left(&seller_st), (net, 0), "{seller_st}");
    let (_, agent_st) = api.get(&agent_payable, &cast.agent).await;
    assert_eq!(paid_in_and_left(&agent_st), (commission, 0), "{agent_st}");
    let (status, _) = api.get(&agent_payable, &cast.seller).await;
    assert_eq!(status, 403, "a statement is for its owner and admins");
    let (_, fees) = api
        .get(&account("revenue:platform_fee".into()), &cast.admin)
        .await;
    let (_, held) = api.get(&account(format!("escrow:{id}")), &cast.buyer).await;
    let (_, cash) = api
        .get(&account("clearing:sandbox".into()), &cast.admin)
        .await;
    let (_, transit) = api
        .get(&account("transit:payouts".into()), &cast.admin)
        .await;
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

    let (_, payouts) = api.get("/v1/payouts", &cast.admin).await;
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
    let (_, payments) = api
        .get(&format!("/v1/payments?escrow_id={id}"), &cast.seller)
        .await;
    assert_eq!(payments["items"][0]["amount_paise"], amount);
    let (status, verify) = api.get("/v1/ledger/verify", &cast.admin).await;
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

msme_testkit::on_each_backend!(stories: escrow_story);
