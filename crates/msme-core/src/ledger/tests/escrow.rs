use super::*;
use crate::error::DomainError;

fn accounts(e: &Escrow) -> (LedgerAccount, LedgerAccount, LedgerAccount, LedgerAccount) {
    let t = &e.terms;
    (
        LedgerAccount::SellerPayable(t.seller_id().clone()),
        LedgerAccount::AgentPayable(t.agent_id().unwrap().clone()),
        LedgerAccount::RefundPayable(t.buyer_id().clone()),
        LedgerAccount::GatewayClearing(sandbox()),
    )
}

#[test]
fn funding_moves_the_whole_amount_from_clearing_into_escrow() {
    let e = opened();
    let t = e.apply(&fund(), &ctx("fund-1")).unwrap();
    assert_eq!(t.escrow.state, EscrowState::Funded);
    assert_eq!(
        (t.escrow.funded, t.escrow.held(), t.escrow.version),
        (p(10_00_001), p(10_00_001), 2)
    );
    let [entry] = t.entries.as_slice() else {
        panic!("one entry")
    };
    assert_eq!(entry.kind(), EntryKind::Funding);
    assert_eq!(entry.escrow_id(), Some(&e.id));
    assert_eq!(
        entry.postings(),
        [
            Posting::debit(LedgerAccount::GatewayClearing(sandbox()), p(10_00_001)),
            Posting::credit(e.account(), p(10_00_001)),
        ]
    );
}

#[test]
fn releases_in_any_order_pay_exact_fee_and_commission_with_the_last_milestone_absorbing_rounding() {
    let mut b = Balances::default();
    let e = opened();
    let (seller, agent, _, clearing) = accounts(&e);
    let e = run(e, &[fund(), release("closing")], &mut b);
    // The last milestone in the terms carries the rounding even when released first.
    assert_eq!(e.state, EscrowState::PartiallyReleased);
    assert_eq!(b.normal(&LedgerAccount::PlatformFeeRevenue), p(8_334));
    assert_eq!(b.normal(&agent), p(3_334));
    assert_eq!(b.normal(&seller), p(3_21_667));
    let e = run(e, &[release("deposit"), release("handover")], &mut b);
    assert_eq!(e.state, EscrowState::Released);
    assert_eq!(e.version, 5);
    // 2.5% of ₹10,000.01 is ₹250.0002..., rounded to ₹250.00; 1% to ₹100.00.
    assert_eq!(b.normal(&LedgerAccount::PlatformFeeRevenue), p(25_000));
    assert_eq!(b.normal(&agent), p(10_000));
    assert_eq!(b.normal(&seller), p(9_65_001));
    assert_eq!(b.normal(&e.account()), Paise::ZERO);
    assert_eq!(b.normal(&clearing), p(10_00_001));
    assert_eq!(b.total_net(), 0);
    assert_eq!(e.released_milestones, ["closing", "deposit", "handover"]);
}

#[test]
fn a_refund_after_a_release_returns_exactly_what_is_held() {
    let mut b = Balances::default();
    let e = opened();
    let (_, _, buyer, _) = accounts(&e);
    let e = run(
        e,
        &[fund(), release("deposit"), EscrowCommand::Refund],
        &mut b,
    );
    assert_eq!(e.state, EscrowState::Refunded);
    assert_eq!(
        (e.released, e.refunded, e.held()),
        (p(3_33_333), p(6_66_668), Paise::ZERO)
    );
    assert_eq!(b.normal(&buyer), p(6_66_668));
    assert_eq!(b.normal(&e.account()), Paise::ZERO);
}

#[test]
fn an_admin_split_shares_what_is_held_and_takes_the_unreleased_fees_pro_rata() {
    let mut b = Balances::default();
    let e = opened();
    let (seller, agent, buyer, _) = accounts(&e);
    let split = Resolution {
        refund_to_buyer: p(2_00_000),
        release_to_seller: p(4_66_668),
    };
    let e = run(
        e,
        &[
            fund(),
            release("deposit"),
            EscrowCommand::Dispute,
            EscrowCommand::Resolve(split),
        ],
        &mut b,
    );
    assert_eq!(e.state, EscrowState::Resolved);
    assert_eq!(b.normal(&buyer), p(2_00_000));
    // Unreleased fee 16,667 and commission 6,667, × 4,66,668 / 6,66,668, rounded down.
    assert_eq!(
        b.normal(&LedgerAccount::PlatformFeeRevenue),
        p(8_333 + 11_666)
    );
    assert_eq!(b.normal(&agent), p(3_333 + 4_666));
    assert_eq!(b.normal(&seller), p(3_21_667 + 4_50_336));
    assert_eq!(
        (e.funded, e.released, e.refunded),
        (p(10_00_001), p(8_00_001), p(2_00_000))
    );
    assert_eq!(b.normal(&e.account()), Paise::ZERO);
}

#[test]
fn a_split_must_give_exactly_what_is_held_and_nothing_negative() {
    let mut b = Balances::default();
    let e = run(opened(), &[fund(), EscrowCommand::Dispute], &mut b);
    let bad = |refund, release| {
        let split = Resolution {
            refund_to_buyer: p(refund),
            release_to_seller: p(release),
        };
        e.apply(&EscrowCommand::Resolve(split), &ctx("r"))
            .unwrap_err()
    };
    assert_eq!(
        bad(1, 10_00_001),
        EscrowError::SplitMismatch {
            held: p(10_00_001),
            requested: p(10_00_002)
        }
    );
    assert_eq!(bad(-1, 10_00_002).field(), Some("refund_to_buyer_paise"));
    // While disputed, nothing else moves.
    let e2 = e.apply(&release("deposit"), &ctx("x")).unwrap_err();
    assert_eq!(e2.code(), "illegal_transition");
}

#[test]
fn illegal_moves_are_refused_with_stable_codes() {
    let e = opened();
    let code = |e: &Escrow, c: EscrowCommand| e.apply(&c, &ctx("x")).unwrap_err().code();
    assert_eq!(code(&e, release("deposit")), "illegal_transition");
    assert_eq!(code(&e, EscrowCommand::Refund), "illegal_transition");
    let cancelled = e.apply(&EscrowCommand::Cancel, &ctx("c")).unwrap();
    assert!(cancelled.entries.is_empty());
    assert_eq!(code(&cancelled.escrow, fund()), "illegal_transition");
    let funded = e.apply(&fund(), &ctx("f")).unwrap().escrow;
    assert_eq!(code(&funded, fund()), "illegal_transition");
    assert_eq!(code(&funded, EscrowCommand::Cancel), "illegal_transition");
    assert_eq!(code(&funded, release("Deposit")), "unknown_milestone");
    let once = funded.apply(&release("deposit"), &ctx("r")).unwrap().escrow;
    assert_eq!(
        code(&once, release("deposit")),
        "milestone_already_released"
    );
}

#[test]
fn payouts_move_payables_through_transit_and_a_failure_returns_the_money() {
    let mut b = Balances::default();
    let e = run(opened(), &[fund(), release("deposit")], &mut b);
    let (seller, _, _, clearing) = accounts(&e);
    let start = |amount, b: &Balances| {
        Payout::start(
            PayoutId::generate(),
            seller.clone(),
            p(amount),
            sandbox(),
            b,
            &ctx("po"),
        )
    };
    assert_eq!(
        start(3_21_668, &b).unwrap_err().code(),
        "insufficient_funds"
    );
    let (payout, entry) = start(3_21_667, &b).unwrap();
    b.record_entry(&entry).unwrap();
    assert_eq!(
        (
            b.normal(&seller),
            b.normal(&LedgerAccount::PayoutsInTransit)
        ),
        (Paise::ZERO, p(3_21_667))
    );
    let (failed, back) = payout.fail(&ctx("fail")).unwrap();
    b.record_entry(&back).unwrap();
    assert_eq!(failed.state, PayoutState::Failed);
    assert_eq!(b.normal(&seller), p(3_21_667));
    assert_eq!(b.normal(&LedgerAccount::PayoutsInTransit), Paise::ZERO);
    assert_eq!(
        failed.settle(&ctx("s")).unwrap_err().code(),
        "illegal_transition"
    );

    let (retry, entry) = start(3_21_667, &b).unwrap();
    b.record_entry(&entry).unwrap();
    let (settled, out) = retry.settle(&ctx("settle")).unwrap();
    b.record_entry(&out).unwrap();
    assert_eq!(settled.state, PayoutState::Settled);
    assert_eq!(b.normal(&clearing), p(10_00_001 - 3_21_667));
    assert_eq!(b.total_net(), 0);
    let escrow = Payout::start(
        PayoutId::generate(),
        e.account(),
        p(1),
        sandbox(),
        &b,
        &ctx("x"),
    );
    assert_eq!(escrow.unwrap_err().code(), "not_payable");
}
