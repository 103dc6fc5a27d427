//! `msme escrow`, `msme payouts` and `msme ledger` on the real binary: a deal from opening to
//! payouts, statements that add up, verification, and reconciliation finding tampered books.

use serde_json::Value;

use crate::common::{demo_deal, numbers, release};
use msme_testkit::{assert_one_error_line, Msme};

fn a_deal_from_escrow_to_payouts_on_the_real_binary(m: Msme) {
    let deal = demo_deal(&m);
    let (seller, agent) = (&deal.seller, &deal.agent);
    let fees = [
        "--platform-fee-bps",
        "250",
        "--agent",
        agent,
        "--agent-commission-bps",
        "100",
    ];
    let milestones = [
        "--milestone",
        "deposit=400000",
        "--milestone",
        "closing=600000",
    ];
    let mut rest = vec!["--amount-paise", "1000000"];
    rest.extend(fees);
    rest.extend(milestones);
    rest.extend(["--key", "open-1"]);
    let create = deal.create(&rest);
    let opened = m.json(&create);
    let id = opened["id"].as_str().unwrap().to_string();
    assert_eq!(opened["state"], "created");
    let again = m.ok(&create);
    assert!(again.contains("replayed"), "{again}");
    assert!(again.contains(&id));
    let funded = m.json(&["escrow", "fund", &id, "--key", "fund-1"]);
    assert_eq!(
        (funded["state"].as_str(), funded["held_paise"].as_i64()),
        (Some("funded"), Some(10_00_000))
    );
    let half = m.json(&release(&id, "deposit", "r1"));
    assert_eq!(half["state"], "partially_released");
    let (code, err) = m.fails(&release(&id, "bonus", "r2"));
    assert_eq!(code, 2, "{err}");
    assert_one_error_line(&err);
    let (code, err) = m.fails(&release(&id, "closing", "r1"));
    assert_eq!(code, 2, "a key reused for another request: {err}");
    assert!(err.contains("idempotency key"), "{err}");
    let done = m.json(&release(&id, "closing", "r3"));
    assert_eq!(done["state"], "released");
    let shown = m.json(&["escrow", "show", &id]);
    assert_eq!(shown["payments"].as_array().unwrap().len(), 1);
    assert_eq!(shown["payments"][0]["source"], "sandbox");

    payouts_and_checks(&m, seller, agent);
}

/// After the last release: payouts, statements that add up, verify, and reconcile (also
/// finding tampered gateway books).
fn payouts_and_checks(m: &Msme, seller: &str, agent: &str) {
    let run = m.json(&["payouts", "run"]);
    assert_eq!(
        (run["started"].as_u64(), run["settled"].as_u64()),
        (Some(2), Some(2)),
        "{run}"
    );
    let payouts = m.json(&["payouts", "list"]);
    assert_eq!(payouts["items"].as_array().unwrap().len(), 2);
    let seller_account = format!("payable:seller:{seller}");
    let st = m.json(&["ledger", "statement", &seller_account]);
    let net = 10_00_000 - 25_000 - 10_000;
    let after = numbers(&st["lines"], "balance_after_paise");
    assert_eq!(after, [net * 4 / 10, net, 0]);
    let fees = m.json(&["ledger", "statement", "revenue:platform_fee"]);
    assert_eq!(fees["closing_balance_paise"], 25_000);
    let text = m.ok(&["ledger", "statement", &format!("payable:agent:{agent}")]);
    assert!(text.contains("closing balance ₹0.00"), "{text}");
    let verified = m.ok(&["ledger", "verify"]);
    assert!(verified.contains("every invariant holds"), "{verified}");
    let reconciled: Value = m.json(&["ledger", "reconcile"]);
    assert_eq!(reconciled["differences"], serde_json::json!([]));
    assert_eq!(
        (
            reconciled["payments_checked"].as_u64(),
            reconciled["payouts_checked"].as_u64()
        ),
        (Some(1), Some(2))
    );

    // The gateway's books change behind the platform's back: both checks say so, exit 1.
    m.execute("UPDATE sandbox_objects SET status = 'failed' WHERE kind = 'payout'");
    let (code, err) = m.fails(&["ledger", "reconcile"]);
    assert_eq!(code, 1, "{err}");
    let listed = String::from_utf8(m.run(&["ledger", "reconcile"]).stdout).unwrap();
    assert!(
        listed.contains("[payout_status]") && listed.contains("settled here but failed"),
        "{listed}"
    );
    let (code, _) = m.fails(&["ledger", "verify"]);
    assert_eq!(code, 1);
}

fn bank_transfers_and_bad_input_exit_2(m: Msme) {
    let deal = demo_deal(&m);
    // ₹5,000.00 in one milestone of `all`.
    let open = |all: &'static str, key: &'static str| {
        let rest = ["--amount-paise", "500000", "--milestone", all, "--key", key];
        deal.create(&rest)
    };
    let (code, err) = m.fails(&open("all=400000", "bad"));
    assert_eq!(code, 2, "milestones must add up: {err}");
    assert_one_error_line(&err);
    let opened = m.json(&open("all=500000", "o"));
    let id = opened["id"].as_str().unwrap();
    let paid = m.json(&[
        "escrow",
        "confirm-transfer",
        id,
        "--reference",
        "SBIN0000123456",
        "--amount-paise",
        "500000",
        "--key",
        "bt",
    ]);
    assert_eq!(
        (paid["source"].as_str(), paid["gateway_ref"].as_str()),
        (Some("bank_transfer"), Some("SBIN0000123456"))
    );
    let (code, _) = m.fails(&["escrow", "fund", id, "--key", "f"]);
    assert_eq!(code, 2, "already funded");
    let list = m.json(&["escrow", "list"]);
    assert_eq!(list["items"][0]["state"], "funded");
    let refunded = m.json(&["escrow", "refund", id, "--key", "rf"]);
    assert_eq!(refunded["state"], "refunded");
    let (code, err) = m.fails(&["ledger", "statement", "payable:nobody"]);
    assert_eq!(code, 2, "{err}");
}

msme_testkit::on_each_backend!(cli(crate::common::BIN):
    a_deal_from_escrow_to_payouts_on_the_real_binary,
    bank_transfers_and_bad_input_exit_2,
);
