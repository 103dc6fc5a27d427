//! The ledger's storage port, part of the `ports::Store` supertrait.
//!
//! Every method that writes does so in ONE transaction with its idempotency record (when it
//! has one) and its [`AuditEvent`]: either all of it is durable, or none of it is. Order within
//! that transaction: first the idempotency key (a replay or conflict writes nothing), then the
//! version compare-and-set (a stale write writes nothing), then the overdraft guard, then the
//! rows. Two concurrent requests with one key serialise on the key's unique row, so exactly one
//! acts and the other replays its response (or conflicts).
//!
//! Backends enforce in the database too: postings have `amount > 0` and `side` in
//! (`debit`, `credit`); an entry's postings balance (checked at commit); entries and postings
//! are never updated or deleted. Backends keep a derived balance per account, changed only in
//! the transaction that appends the postings (or reserves a hold), through
//! [`BalanceEffects`](crate::ledger::BalanceEffects); `ledger verify` compares it with the fold
//! of the postings.
//!
//! The idempotency record's `created_at` is the audit event's time.

use async_trait::async_trait;

use crate::audit::AuditEvent;
use crate::error::StoreResult;
use crate::ledger::{
    AccountBalance, Balances, Escrow, EscrowId, GatewayName, Hold, HoldId, IdempotencyKey,
    IdempotencyRecord, JournalEntry, LedgerAccount, LedgerError, Payment, PaymentId, Payout,
    PayoutId, RequestFingerprint, StatementLine, StoredEntry,
};
use crate::money::Paise;
use crate::types::UserId;
use chrono::{DateTime, Utc};

/// The idempotency record to write with a change.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct IdempotencyWrite {
    pub key: IdempotencyKey,
    pub fingerprint: RequestFingerprint,
    /// The response to give a replay of this request.
    pub response_json: String,
}

/// One escrow move of a batch: what [`LedgerStore::update_escrow`] takes.
#[derive(Clone, Debug)]
pub struct EscrowWrite {
    pub escrow: Escrow,
    pub expected_version: i64,
    pub entries: Vec<JournalEntry>,
    pub idempotency: IdempotencyWrite,
    pub audit: AuditEvent,
}

/// What a guarded write did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum IdempotentOutcome {
    /// Everything was written.
    Applied,
    /// The key was used before for the same request: nothing written; here is the first
    /// response.
    Replayed { response_json: String },
    /// The key was used before for a different request: nothing written.
    Conflict,
    /// The record's version was not the expected one (someone moved it first): nothing
    /// written; reload and decide again. Only from the `update_*` methods.
    StaleVersion,
    /// The write would have left a guarded account below zero (after pending holds), as seen
    /// inside the transaction: nothing written.
    Overdrawn {
        account: LedgerAccount,
        available: Paise,
        needed: Paise,
    },
}

impl IdempotentOutcome {
    /// `Ok(None)` when applied, `Ok(Some(first response))` for a replay; otherwise the error
    /// to give (`idempotency_conflict`, `concurrent_update`, `insufficient_funds`).
    pub fn into_result(self) -> Result<Option<String>, LedgerError> {
        match self {
            IdempotentOutcome::Applied => Ok(None),
            IdempotentOutcome::Replayed { response_json } => Ok(Some(response_json)),
            IdempotentOutcome::Conflict => Err(LedgerError::IdempotencyConflict),
            IdempotentOutcome::StaleVersion => Err(LedgerError::ConcurrentUpdate),
            IdempotentOutcome::Overdrawn {
                account,
                available,
                needed,
            } => Err(LedgerError::InsufficientFunds {
                account,
                available,
                needed,
            }),
        }
    }
}

#[async_trait]
pub trait LedgerStore: Send + Sync {
    /// Appends entries not tied to an escrow or payout row. Atomic with the key and audit.
    async fn post_entries(
        &self,
        entries: &[JournalEntry],
        idempotency: IdempotencyWrite,
        audit: AuditEvent,
    ) -> StoreResult<IdempotentOutcome>;

    /// Stores a new escrow (version 1). Atomic with the key and audit; `Duplicate("escrow")`
    /// if the id exists, `Duplicate("listing_escrow")` (nothing written) if the listing has an
    /// open escrow (created, funded, partially released or disputed).
    async fn create_escrow(
        &self,
        escrow: &Escrow,
        idempotency: IdempotencyWrite,
        audit: AuditEvent,
    ) -> StoreResult<IdempotentOutcome>;

    async fn escrow_by_id(&self, id: &EscrowId) -> StoreResult<Option<Escrow>>;

    /// Escrows in id order after `after`.
    async fn escrows_page(&self, after: Option<&EscrowId>, limit: u32) -> StoreResult<Vec<Escrow>>;

    /// Replaces the escrow if its stored version is `expected_version` (the new one must be
    /// `expected_version + 1`) and appends `entries`, with the key and audit, atomically.
    async fn update_escrow(
        &self,
        escrow: &Escrow,
        expected_version: i64,
        entries: &[JournalEntry],
        idempotency: IdempotencyWrite,
        audit: AuditEvent,
    ) -> StoreResult<IdempotentOutcome>;

    /// Many escrow moves, each as [`LedgerStore::update_escrow`], in ONE transaction with one
    /// commit (one flush to disk for the lot). A move that does not apply (replay, conflict,
    /// stale version, overdraft) is rolled back alone (a savepoint) and the others still
    /// commit; its outcome says why. A storage error fails the whole batch, writing nothing.
    /// Outcomes are in the order of `writes`.
    async fn update_escrows(&self, writes: &[EscrowWrite]) -> StoreResult<Vec<IdempotentOutcome>>;

    /// Escrows `user` is a party to (buyer, seller or agent), in id order after `after`.
    async fn escrows_of(
        &self,
        user: &UserId,
        after: Option<&EscrowId>,
        limit: u32,
    ) -> StoreResult<Vec<Escrow>>;

    /// [`LedgerStore::update_escrow`] for the move that funds an escrow, storing the payment
    /// that brought the money in the same transaction. `Duplicate("payment")` (nothing
    /// written) when the payment's source already has a payment with its `gateway_ref`.
    async fn record_funding(
        &self,
        escrow: &Escrow,
        expected_version: i64,
        entries: &[JournalEntry],
        payment: &Payment,
        idempotency: IdempotencyWrite,
        audit: AuditEvent,
    ) -> StoreResult<IdempotentOutcome>;

    async fn payment_by_id(&self, id: &PaymentId) -> StoreResult<Option<Payment>>;

    /// The payment a source knows by `gateway_ref`, if one was recorded.
    async fn payment_by_ref(
        &self,
        source: &GatewayName,
        gateway_ref: &str,
    ) -> StoreResult<Option<Payment>>;

    /// Payments in id order after `after`.
    async fn payments_page(
        &self,
        after: Option<&PaymentId>,
        limit: u32,
    ) -> StoreResult<Vec<Payment>>;

    /// The payments that funded one escrow (at most one today), oldest first.
    async fn payments_of_escrow(&self, escrow: &EscrowId) -> StoreResult<Vec<Payment>>;

    /// Stores a new payout with the entry that starts it, atomically with the key and audit;
    /// `Overdrawn` when the payable no longer covers it.
    async fn create_payout(
        &self,
        payout: &Payout,
        entry: &JournalEntry,
        idempotency: IdempotencyWrite,
        audit: AuditEvent,
    ) -> StoreResult<IdempotentOutcome>;

    async fn payout_by_id(&self, id: &PayoutId) -> StoreResult<Option<Payout>>;

    /// Payouts in id order after `after`.
    async fn payouts_page(&self, after: Option<&PayoutId>, limit: u32) -> StoreResult<Vec<Payout>>;

    /// Payouts in transit whose `next_attempt_at` is at or before `now`, oldest due first.
    async fn payouts_due(&self, now: DateTime<Utc>, limit: u32) -> StoreResult<Vec<Payout>>;

    /// Every payout drawn from `payee`, newest first.
    async fn payouts_of(&self, payee: &LedgerAccount) -> StoreResult<Vec<Payout>>;

    /// Compare-and-set on the payout's version, with its entry (settling or failing it; none
    /// when it was only sent or deferred), key and audit, atomically.
    async fn update_payout(
        &self,
        payout: &Payout,
        expected_version: i64,
        entry: Option<&JournalEntry>,
        idempotency: IdempotencyWrite,
        audit: AuditEvent,
    ) -> StoreResult<IdempotentOutcome>;

    /// Stores a new pending hold; `Overdrawn` when its debit account no longer covers it.
    async fn create_hold(
        &self,
        hold: &Hold,
        idempotency: IdempotencyWrite,
        audit: AuditEvent,
    ) -> StoreResult<IdempotentOutcome>;

    /// Compare-and-set on the hold's version; `entry` is the posting entry when it is posted.
    async fn update_hold(
        &self,
        hold: &Hold,
        expected_version: i64,
        entry: Option<&JournalEntry>,
        idempotency: IdempotencyWrite,
        audit: AuditEvent,
    ) -> StoreResult<IdempotentOutcome>;

    /// Holds in id order after `after`; `pending_only` for the ones still reserving money.
    async fn holds(
        &self,
        after: Option<&HoldId>,
        limit: u32,
        pending_only: bool,
    ) -> StoreResult<Vec<Hold>>;

    async fn hold_by_id(&self, id: &HoldId) -> StoreResult<Option<Hold>>;

    /// Balances of these accounts (posted and pending), read in one consistent snapshot.
    /// Accounts never touched come back all zero.
    async fn balances(&self, accounts: &[LedgerAccount]) -> StoreResult<Balances>;

    /// The stored (derived) balances of every account touched so far, in account text order
    /// after `after`: payables to pay out, and `ledger verify`'s check of the derived table.
    async fn stored_balances(
        &self,
        after: Option<&LedgerAccount>,
        limit: u32,
    ) -> StoreResult<Vec<(LedgerAccount, AccountBalance)>>;

    /// Entries with `seq > after`, in order, as stored: the ledger's event stream and `ledger
    /// verify`'s input. Postings are returned unchecked, so an entry whose stored postings no
    /// longer balance is not hidden (verify names it).
    async fn entries_page(&self, after: i64, limit: u32) -> StoreResult<Vec<StoredEntry>>;

    /// Postings to `account` with entry `seq > after`, in order.
    async fn statement_lines(
        &self,
        account: &LedgerAccount,
        after: i64,
        limit: u32,
    ) -> StoreResult<Vec<StatementLine>>;

    /// The record of an idempotency key, if it was used.
    async fn idempotency_record(
        &self,
        key: &IdempotencyKey,
    ) -> StoreResult<Option<IdempotencyRecord>>;
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::DomainError;

    #[test]
    fn outcomes_map_to_the_first_response_or_a_stable_error() {
        assert_eq!(IdempotentOutcome::Applied.into_result(), Ok(None));
        let replay = IdempotentOutcome::Replayed {
            response_json: "{}".into(),
        };
        assert_eq!(replay.into_result(), Ok(Some("{}".into())));
        let code = |o: IdempotentOutcome| o.into_result().unwrap_err().code();
        assert_eq!(code(IdempotentOutcome::Conflict), "idempotency_conflict");
        assert_eq!(code(IdempotentOutcome::StaleVersion), "concurrent_update");
        let overdrawn = IdempotentOutcome::Overdrawn {
            account: LedgerAccount::PayoutsInTransit,
            available: Paise::new(5),
            needed: Paise::new(6),
        };
        assert_eq!(code(overdrawn), "insufficient_funds");
    }
}
