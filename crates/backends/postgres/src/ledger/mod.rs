//! The ledger: [`LedgerStore`] on PostgreSQL. Writes follow one shape (`write.rs`); the schema's
//! deferred constraint triggers make an unbalanced entry impossible to commit, and its row
//! triggers make entries and postings immutable (see `migrations/0003_ledger.sql`).

mod batch;
mod payments;
mod reads;
pub(crate) mod rows;
mod write;

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use msme_core::audit::AuditEvent;
use msme_core::error::StoreError;
use msme_core::ledger::{
    AccountBalance, BalanceEffects, Balances, Escrow, EscrowColumns, EscrowId, Hold, HoldId,
    IdempotencyKey, IdempotencyRecord, IdempotencyWrite, IdempotentOutcome, JournalEntry,
    LedgerAccount, LedgerStore, Payout, PayoutId, StatementLine, StoredEntry,
};
use msme_core::ledger::{EscrowWrite, GatewayName, Payment, PaymentId};
use msme_core::ports::StoreResult;
use msme_core::types::UserId;

use crate::ledger::reads::{
    ESCROWS_AFTER, ESCROW_BY_ID, PAYOUTS_AFTER, PAYOUTS_DUE, PAYOUTS_OF, PAYOUT_BY_ID,
};
use crate::ledger::rows::Change;
use crate::PgStore;

fn effects(entries: &[JournalEntry]) -> StoreResult<BalanceEffects> {
    BalanceEffects::of_entries(entries).map_err(StoreError::backend)
}

#[async_trait]
impl LedgerStore for PgStore {
    #[tracing::instrument(skip_all)]
    async fn post_entries(
        &self,
        entries: &[JournalEntry],
        idempotency: IdempotencyWrite,
        audit: AuditEvent,
    ) -> StoreResult<IdempotentOutcome> {
        let fx = effects(entries)?;
        self.guarded(&idempotency, audit, &fx, entries, Change::None)
            .await
    }

    #[tracing::instrument(skip_all)]
    async fn create_escrow(
        &self,
        escrow: &Escrow,
        idempotency: IdempotencyWrite,
        audit: AuditEvent,
    ) -> StoreResult<IdempotentOutcome> {
        let c = EscrowColumns::from(escrow);
        let fx = BalanceEffects::default();
        self.guarded(&idempotency, audit, &fx, &[], Change::InsertEscrow(&c))
            .await
    }

    #[tracing::instrument(skip_all)]
    async fn escrow_by_id(&self, id: &EscrowId) -> StoreResult<Option<Escrow>> {
        Ok(self
            .escrows_where(ESCROW_BY_ID, Some(id.to_string()), 1)
            .await?
            .pop())
    }

    #[tracing::instrument(skip_all)]
    async fn escrows_page(&self, after: Option<&EscrowId>, limit: u32) -> StoreResult<Vec<Escrow>> {
        self.escrows_where(ESCROWS_AFTER, after.map(EscrowId::to_string), limit)
            .await
    }

    #[tracing::instrument(skip_all)]
    async fn update_escrow(
        &self,
        escrow: &Escrow,
        expected_version: i64,
        entries: &[JournalEntry],
        idempotency: IdempotencyWrite,
        audit: AuditEvent,
    ) -> StoreResult<IdempotentOutcome> {
        let c = EscrowColumns::from(escrow);
        let fx = effects(entries)?;
        let change = Change::UpdateEscrow(&c, expected_version);
        self.guarded(&idempotency, audit, &fx, entries, change)
            .await
    }

    #[tracing::instrument(skip_all, fields(writes = writes.len()))]
    async fn update_escrows(&self, writes: &[EscrowWrite]) -> StoreResult<Vec<IdempotentOutcome>> {
        self.update_escrows_impl(writes).await
    }

    #[tracing::instrument(skip_all)]
    async fn escrows_of(
        &self,
        user: &UserId,
        after: Option<&EscrowId>,
        limit: u32,
    ) -> StoreResult<Vec<Escrow>> {
        self.escrows_of_impl(user, after, limit).await
    }

    #[tracing::instrument(skip_all)]
    async fn record_funding(
        &self,
        escrow: &Escrow,
        expected_version: i64,
        entries: &[JournalEntry],
        payment: &Payment,
        idempotency: IdempotencyWrite,
        audit: AuditEvent,
    ) -> StoreResult<IdempotentOutcome> {
        let c = EscrowColumns::from(escrow);
        let fx = effects(entries)?;
        let change = Change::Funding(&c, expected_version, payment);
        self.guarded(&idempotency, audit, &fx, entries, change)
            .await
    }

    #[tracing::instrument(skip_all)]
    async fn payment_by_id(&self, id: &PaymentId) -> StoreResult<Option<Payment>> {
        self.payment_by_id_impl(id).await
    }

    #[tracing::instrument(skip_all)]
    async fn payment_by_ref(
        &self,
        source: &GatewayName,
        gateway_ref: &str,
    ) -> StoreResult<Option<Payment>> {
        self.payment_by_ref_impl(source, gateway_ref).await
    }

    #[tracing::instrument(skip_all)]
    async fn payments_page(
        &self,
        after: Option<&PaymentId>,
        limit: u32,
    ) -> StoreResult<Vec<Payment>> {
        self.payments_page_impl(after, limit).await
    }

    #[tracing::instrument(skip_all)]
    async fn payments_of_escrow(&self, escrow: &EscrowId) -> StoreResult<Vec<Payment>> {
        self.payments_of_escrow_impl(escrow).await
    }

    #[tracing::instrument(skip_all)]
    async fn create_payout(
        &self,
        payout: &Payout,
        entry: &JournalEntry,
        idempotency: IdempotencyWrite,
        audit: AuditEvent,
    ) -> StoreResult<IdempotentOutcome> {
        let entries = std::slice::from_ref(entry);
        let fx = effects(entries)?;
        let change = Change::Payout(payout, None);
        self.guarded(&idempotency, audit, &fx, entries, change)
            .await
    }

    #[tracing::instrument(skip_all)]
    async fn payout_by_id(&self, id: &PayoutId) -> StoreResult<Option<Payout>> {
        let found = self.payouts_where(PAYOUT_BY_ID, Some(id.to_string()), None, 1);
        Ok(found.await?.pop())
    }

    #[tracing::instrument(skip_all)]
    async fn payouts_page(&self, after: Option<&PayoutId>, limit: u32) -> StoreResult<Vec<Payout>> {
        self.payouts_where(PAYOUTS_AFTER, after.map(PayoutId::to_string), None, limit)
            .await
    }

    #[tracing::instrument(skip_all)]
    async fn payouts_due(&self, now: DateTime<Utc>, limit: u32) -> StoreResult<Vec<Payout>> {
        self.payouts_where(PAYOUTS_DUE, None, Some(now), limit)
            .await
    }

    #[tracing::instrument(skip_all)]
    async fn payouts_of(&self, payee: &LedgerAccount) -> StoreResult<Vec<Payout>> {
        self.payouts_where(PAYOUTS_OF, Some(payee.to_string()), None, u32::MAX)
            .await
    }

    #[tracing::instrument(skip_all)]
    async fn update_payout(
        &self,
        payout: &Payout,
        expected_version: i64,
        entry: Option<&JournalEntry>,
        idempotency: IdempotencyWrite,
        audit: AuditEvent,
    ) -> StoreResult<IdempotentOutcome> {
        let entries: Vec<JournalEntry> = entry.into_iter().cloned().collect();
        let fx = effects(&entries)?;
        let change = Change::Payout(payout, Some(expected_version));
        self.guarded(&idempotency, audit, &fx, &entries, change)
            .await
    }

    #[tracing::instrument(skip_all)]
    async fn create_hold(
        &self,
        hold: &Hold,
        idempotency: IdempotencyWrite,
        audit: AuditEvent,
    ) -> StoreResult<IdempotentOutcome> {
        let mut fx = BalanceEffects::default();
        fx.reserve(hold).map_err(StoreError::backend)?;
        self.guarded(&idempotency, audit, &fx, &[], Change::Hold(hold, None))
            .await
    }

    #[tracing::instrument(skip_all)]
    async fn update_hold(
        &self,
        hold: &Hold,
        expected_version: i64,
        entry: Option<&JournalEntry>,
        idempotency: IdempotencyWrite,
        audit: AuditEvent,
    ) -> StoreResult<IdempotentOutcome> {
        let entries: Vec<JournalEntry> = entry.into_iter().cloned().collect();
        let mut fx = effects(&entries)?;
        fx.release(hold).map_err(StoreError::backend)?;
        let change = Change::Hold(hold, Some(expected_version));
        self.guarded(&idempotency, audit, &fx, &entries, change)
            .await
    }

    #[tracing::instrument(skip_all)]
    async fn holds(
        &self,
        after: Option<&HoldId>,
        limit: u32,
        pending_only: bool,
    ) -> StoreResult<Vec<Hold>> {
        self.holds_where(after, limit, pending_only).await
    }

    #[tracing::instrument(skip_all)]
    async fn hold_by_id(&self, id: &HoldId) -> StoreResult<Option<Hold>> {
        let row = sqlx::query("SELECT * FROM ledger_holds WHERE id = $1")
            .bind(id.as_str())
            .fetch_optional(&self.pool)
            .await
            .map_err(crate::error::store_error)?;
        row.as_ref().map(rows::hold).transpose()
    }

    #[tracing::instrument(skip_all)]
    async fn balances(&self, accounts: &[LedgerAccount]) -> StoreResult<Balances> {
        self.balances_of(accounts).await
    }

    #[tracing::instrument(skip_all)]
    async fn stored_balances(
        &self,
        after: Option<&LedgerAccount>,
        limit: u32,
    ) -> StoreResult<Vec<(LedgerAccount, AccountBalance)>> {
        self.stored_balances_after(after, limit).await
    }

    #[tracing::instrument(skip_all)]
    async fn entries_page(&self, after: i64, limit: u32) -> StoreResult<Vec<StoredEntry>> {
        self.entries_after(after, limit).await
    }

    #[tracing::instrument(skip_all)]
    async fn statement_lines(
        &self,
        account: &LedgerAccount,
        after: i64,
        limit: u32,
    ) -> StoreResult<Vec<StatementLine>> {
        self.lines_of(account, after, limit).await
    }

    #[tracing::instrument(skip_all)]
    async fn idempotency_record(
        &self,
        key: &IdempotencyKey,
    ) -> StoreResult<Option<IdempotencyRecord>> {
        self.key_record(key).await
    }
}
