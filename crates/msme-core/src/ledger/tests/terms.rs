use super::*;

fn field_of(change: impl FnOnce(&mut EscrowTermsInput)) -> String {
    let mut i = input();
    change(&mut i);
    EscrowTerms::parse(i).unwrap_err().field
}

fn milestones(amounts: &[i64]) -> Vec<MilestoneInput> {
    MilestoneInput::numbered(amounts.iter().copied())
}

#[test]
fn the_schedule_shares_fee_and_commission_exactly() {
    let t = EscrowTerms::parse(input()).unwrap();
    let parts: Vec<_> = t
        .milestones()
        .iter()
        .map(|m| (m.platform_fee, m.agent_commission, m.seller_net()))
        .collect();
    assert_eq!(
        parts,
        [
            (p(8_333), p(3_333), p(3_21_667)),
            (p(8_333), p(3_333), p(3_21_667)),
            (p(8_334), p(3_334), p(3_21_667))
        ]
    );
    assert_eq!(
        (t.platform_fee(), t.agent_commission()),
        (p(25_000), p(10_000))
    );
}

#[test]
fn each_rule_names_its_field() {
    assert_eq!(field_of(|i| i.amount_paise = 0), "amount_paise");
    assert_eq!(
        field_of(|i| i.platform_fee_bps = 10_001),
        "platform_fee_bps"
    );
    assert_eq!(
        field_of(|i| i.agent_commission_bps = 10_001),
        "agent_commission_bps"
    );
    assert_eq!(field_of(|i| i.agent_id = None), "agent_commission_bps");
    assert_eq!(field_of(|i| i.seller_id = i.buyer_id.clone()), "seller_id");
    assert_eq!(
        field_of(|i| i.agent_id = Some(i.seller_id.clone())),
        "agent_id"
    );
    assert_eq!(field_of(|i| i.milestones.clear()), "milestones");
    assert_eq!(
        field_of(|i| i.milestones[2].amount_paise -= 1),
        "milestones"
    );
    assert_eq!(
        field_of(|i| i.milestones[1].name = "deposit".into()),
        "milestones[1].name"
    );
    assert_eq!(
        field_of(|i| i.milestones[0].name = "  ".into()),
        "milestones[0].name"
    );
    assert_eq!(
        field_of(|i| i.milestones[0].name = " deposit".into()),
        "milestones[0].name"
    );
    assert_eq!(
        field_of(|i| {
            i.milestones[0].amount_paise = 0;
            i.milestones[1].amount_paise += 3_33_333
        }),
        "milestones[0].amount_paise"
    );
    assert_eq!(
        field_of(|i| {
            i.platform_fee_bps = 6_000;
            i.agent_commission_bps = 4_001
        }),
        "platform_fee_bps"
    );
    assert_eq!(
        field_of(|i| i.milestones = milestones(&[i64::MAX, i64::MAX])),
        "amount_paise"
    );
}

#[test]
fn no_agent_means_no_commission_and_a_full_fee_leaves_the_seller_nothing() {
    let mut i = input();
    i.agent_id = None;
    i.agent_commission_bps = 0;
    i.platform_fee_bps = FULL_BPS;
    let t = EscrowTerms::parse(i).unwrap();
    assert_eq!(t.agent_commission(), Paise::ZERO);
    assert!(t
        .milestones()
        .iter()
        .all(|m| m.seller_net() == Paise::ZERO && m.platform_fee == m.amount));
    // Releasing such a milestone still makes a valid entry: zero parts are left out.
    let e = Escrow::open(EscrowId::generate(), t, at(0));
    let mut b = Balances::default();
    let e = run(e, &[fund(), release("deposit")], &mut b);
    assert_eq!(b.normal(&LedgerAccount::PlatformFeeRevenue), p(3_33_333));
    assert_eq!(e.state, EscrowState::PartiallyReleased);
}

#[test]
fn a_tiny_last_milestone_cannot_carry_the_rounding_and_says_so() {
    let mut i = input();
    i.amount_paise = 3;
    i.milestones = milestones(&[1, 1, 1]);
    i.platform_fee_bps = 5_000;
    i.agent_commission_bps = 5_000;
    // 50% of 3 paise rounds to 2 for each, 4 in all: more than the amount.
    assert_eq!(
        EscrowTerms::parse(i.clone()).unwrap_err().field,
        "platform_fee_bps"
    );
    i.agent_commission_bps = 0;
    i.amount_paise = 4;
    i.milestones = milestones(&[3, 1]);
    // Fee 2: the first share is ⌊2×3/4⌋ = 1, the last gets 1 of its 1 paisa. Fine.
    let t = EscrowTerms::parse(i.clone()).unwrap();
    assert_eq!(t.milestones()[1].platform_fee, p(1));
    i.platform_fee_bps = 7_500;
    i.milestones = milestones(&[3, 1]);
    // Fee 3: first ⌊3×3/4⌋ = 2, last 1 of 1. Still fine; with [2, 1, 1] and fee 3 the last
    // would carry ⌊..⌋ rounding: 3 − 1 − 0 = 2 > 1.
    assert!(EscrowTerms::parse(i.clone()).is_ok());
    i.milestones = milestones(&[2, 1, 1]);
    assert_eq!(
        EscrowTerms::parse(i).unwrap_err().field,
        "milestones[2].amount_paise"
    );
}
