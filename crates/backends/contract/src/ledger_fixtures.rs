//! Builders for ledger cases: accounts, entries, keys, escrows.

use std::sync::Arc;

use msme_core::ledger::{
    EntryContext, EntryKind, Escrow, EscrowId, EscrowTerms, EscrowTermsInput, GatewayName,
    IdempotencyKey, IdempotencyWrite, IdempotentOutcome, JournalEntry, LedgerAccount,
    MilestoneInput, Posting, RequestFingerprint,
};
use msme_core::money::Paise;
use msme_core::ports::Store;
use msme_core::types::{ListingId, UserId};

use crate::fixtures::{at, event, stored_user};

pub fn clearing() -> LedgerAccount {
    LedgerAccount::GatewayClearing(GatewayName::parse("sandbox").expect("name"))
}

pub fn payable(user: &UserId) -> LedgerAccount {
    LedgerAccount::SellerPayable(user.clone())
}

pub fn key(s: &str) -> IdempotencyKey {
    IdempotencyKey::parse(s).expect("key")
}

/// An entry moving `amount` from `from` (debited) to `to` (credited).
pub fn transfer(key_: &str, from: &LedgerAccount, to: &LedgerAccount, amount: i64) -> JournalEntry {
    let ctx = EntryContext {
        idempotency_key: key(key_),
        at: at(1),
    };
    let postings = vec![
        Posting::debit(from.clone(), Paise::new(amount)),
        Posting::credit(to.clone(), Paise::new(amount)),
    ];
    ctx.entry(None, EntryKind::Funding, format!("{amount} in"), postings)
        .expect("balanced")
}

/// The idempotency write of request `what` under `key_`.
pub fn idem(key_: &str, what: &str) -> IdempotencyWrite {
    IdempotencyWrite {
        key: key(key_),
        fingerprint: RequestFingerprint::of("contract")
            .field("what", what)
            .finish(),
        response_json: format!("{{\"what\":\"{what}\"}}"),
    }
}

/// Credits `amount` to `to` from clearing, under a fresh key.
pub async fn fund(store: &Arc<dyn Store>, to: &LedgerAccount, amount: i64) {
    let k = format!("fund-{}", uuid::Uuid::now_v7());
    let e = transfer(&k, &clearing(), to, amount);
    let outcome = store
        .post_entries(&[e], idem(&k, &k), event("ledger.posted", &k))
        .await
        .expect("post");
    assert_eq!(outcome, msme_core::ledger::IdempotentOutcome::Applied);
}

/// An open escrow of ₹1,000.00 in two milestones between two stored accounts.
pub async fn escrow(store: &Arc<dyn Store>) -> Escrow {
    let buyer = stored_user(store, 101).await;
    let seller = stored_user(store, 102).await;
    let input = EscrowTermsInput {
        listing_id: ListingId::generate(),
        buyer_id: buyer.id,
        seller_id: seller.id,
        amount_paise: 1_000_00,
        platform_fee_bps: 250,
        agent_id: None,
        agent_commission_bps: 0,
        milestones: [("deposit", 400_00), ("closing", 600_00)]
            .into_iter()
            .map(|(n, a)| MilestoneInput {
                name: n.into(),
                amount_paise: a,
            })
            .collect(),
    };
    let terms = EscrowTerms::parse(input).expect("terms");
    Escrow::open(EscrowId::generate(), terms, at(0))
}

/// The normal balance of `account` as the store holds it now.
pub async fn normal_balance(store: &Arc<dyn Store>, account: &LedgerAccount) -> Paise {
    let b = store.balances(std::slice::from_ref(account)).await;
    b.expect("balance").normal(account)
}

/// How many of the joined `outcomes` applied; fails the test on a task's error.
pub fn applied<E: std::fmt::Debug>(
    outcomes: Vec<Result<IdempotentOutcome, E>>,
) -> (usize, Vec<IdempotentOutcome>) {
    let outcomes: Vec<_> = outcomes.into_iter().map(|r| r.expect("write")).collect();
    let n = outcomes
        .iter()
        .filter(|o| **o == IdempotentOutcome::Applied)
        .count();
    (n, outcomes)
}
