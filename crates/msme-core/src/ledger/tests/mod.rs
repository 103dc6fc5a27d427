//! Tests of the ledger as a whole: escrows with exact paise, terms, verification, and property
//! tests over random sequences of operations.

mod escrow;
mod invariants;
mod props;
mod props_holds;
mod terms;
mod verify;
mod world;

use chrono::{DateTime, Utc};

use super::*;
use crate::money::Paise;
use crate::types::{ListingId, UserId};

pub(super) fn at(secs: i64) -> DateTime<Utc> {
    DateTime::from_timestamp(1_700_000_000 + secs, 0).unwrap()
}

pub(super) fn ctx(key: &str) -> EntryContext {
    EntryContext {
        idempotency_key: IdempotencyKey::parse(key).unwrap(),
        at: at(1),
    }
}

pub(super) fn sandbox() -> GatewayName {
    GatewayName::parse("sandbox").unwrap()
}

pub(super) fn p(paise: i64) -> Paise {
    Paise::new(paise)
}

/// ₹10,000.01 in three milestones, 2.5% fee, 1% commission: the rounding shows.
pub(super) fn input() -> EscrowTermsInput {
    EscrowTermsInput {
        listing_id: ListingId::generate(),
        buyer_id: UserId::generate(),
        seller_id: UserId::generate(),
        amount_paise: 10_00_001,
        platform_fee_bps: 250,
        agent_id: Some(UserId::generate()),
        agent_commission_bps: 100,
        milestones: [
            ("deposit", 3_33_333),
            ("handover", 3_33_333),
            ("closing", 3_33_335),
        ]
        .into_iter()
        .map(|(name, amount_paise)| MilestoneInput {
            name: name.into(),
            amount_paise,
        })
        .collect(),
    }
}

pub(super) fn opened() -> Escrow {
    Escrow::open(
        EscrowId::generate(),
        EscrowTerms::parse(input()).unwrap(),
        at(0),
    )
}

/// Applies commands in turn, folding every entry into `balances`.
pub(super) fn run(escrow: Escrow, commands: &[EscrowCommand], balances: &mut Balances) -> Escrow {
    commands.iter().enumerate().fold(escrow, |e, (i, c)| {
        let t = e.apply(c, &ctx(&format!("k{i}"))).unwrap();
        for entry in &t.entries {
            balances.record_entry(entry).unwrap();
        }
        t.escrow
    })
}

pub(super) fn release(name: &str) -> EscrowCommand {
    EscrowCommand::Release {
        milestone: name.into(),
    }
}

pub(super) fn fund() -> EscrowCommand {
    EscrowCommand::Fund { source: sandbox() }
}
