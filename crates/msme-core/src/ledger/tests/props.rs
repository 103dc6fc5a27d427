//! Property tests: random terms and random sequences of escrow, payout and hold operations,
//! with every invariant checked after every step.

use proptest::prelude::*;

use super::world::World;
use super::*;

/// Random valid terms: 1 to 6 milestones cut from an amount up to ₹1 crore.
fn terms() -> impl Strategy<Value = EscrowTerms> {
    (
        1i64..=1_00_00_000_00,
        prop::collection::vec(1u32..1000, 1..=6),
        0u32..=FULL_BPS,
        0u32..=FULL_BPS,
        any::<bool>(),
    )
        .prop_filter_map(
            "fee and commission fit",
            |(amount, weights, fee, commission, agent)| {
                let n = i64::try_from(weights.len()).ok()?;
                let amount = amount.max(n);
                let total: i64 = weights.iter().map(|w| i64::from(*w)).sum();
                // Each gets at least 1 paisa; the rest is shared by weight, the last takes the rest.
                let mut amounts: Vec<i64> = weights
                    .iter()
                    .map(|w| 1 + (amount - n) * i64::from(*w) / total)
                    .collect();
                let head: i64 = amounts[..amounts.len() - 1].iter().sum();
                *amounts.last_mut()? = amount - head;
                let mut i = input();
                i.amount_paise = amount;
                i.platform_fee_bps = fee / 2;
                i.agent_commission_bps = if agent { commission / 2 } else { 0 };
                i.agent_id = agent.then(UserId::generate);
                i.milestones = MilestoneInput::numbered(amounts);
                EscrowTerms::parse(i).ok()
            },
        )
}

#[derive(Clone, Debug)]
pub(super) enum Op {
    Escrow(usize, Cmd),
    /// Pay out a share (per mille) of a payable's available balance.
    StartPayout(usize, u16),
    FailPayout(usize),
    SettlePayout(usize),
    /// Send an earlier request again with its key: same request, or altered.
    Retry(usize, bool),
}

#[derive(Clone, Debug)]
pub(super) enum Cmd {
    Fund,
    Release(usize),
    Refund,
    Dispute,
    /// Refund share of what is held, per mille.
    Resolve(u16),
    Cancel,
}

fn op() -> impl Strategy<Value = Op> {
    let cmd = prop_oneof![
        3 => Just(Cmd::Fund),
        6 => (0usize..6).prop_map(Cmd::Release),
        1 => Just(Cmd::Refund),
        1 => Just(Cmd::Dispute),
        2 => (0u16..=1000).prop_map(Cmd::Resolve),
        1 => Just(Cmd::Cancel),
    ];
    prop_oneof![
        8 => (0usize..3, cmd).prop_map(|(i, c)| Op::Escrow(i, c)),
        3 => (0usize..16, 1u16..=1000).prop_map(|(i, s)| Op::StartPayout(i, s)),
        1 => (0usize..8).prop_map(Op::FailPayout),
        2 => (0usize..8).prop_map(Op::SettlePayout),
        1 => (0usize..40, any::<bool>()).prop_map(|(i, same)| Op::Retry(i, same)),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn any_sequence_of_operations_keeps_every_invariant(
        terms in prop::collection::vec(terms(), 1..=3),
        ops in prop::collection::vec(op(), 1..80),
    ) {
        let escrows = terms.into_iter().enumerate().map(|(i, t)| Escrow::open(EscrowId::generate(), t, at(i as i64))).collect();
        let mut w = World::new(escrows);
        for (n, op) in ops.iter().enumerate() {
            w.step(n, op)?;
        }
    }

    #[test]
    fn terms_schedules_always_add_up(t in terms()) {
        let m = t.milestones();
        prop_assert_eq!(t.platform_fee(), t.amount().checked_bps(t.platform_fee_bps()).unwrap());
        prop_assert_eq!(t.agent_commission(), t.amount().checked_bps(t.agent_commission_bps()).unwrap());
        prop_assert_eq!(m.iter().map(|x| x.amount.get()).sum::<i64>(), t.amount().get());
        for x in m {
            prop_assert!(!x.platform_fee.is_negative() && !x.agent_commission.is_negative() && !x.seller_net().is_negative());
        }
    }
}
