//! The ledger: [`LedgerStore`]. Writes follow one shape ([`write::guarded`]); the schema makes
//! unbalanced or edited entries impossible to commit (see `migrations/0003_ledger.sql`).

mod escrows;
mod payments;
mod payouts;
mod reads;
pub(crate) mod rows;
mod write;

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use msme_core::audit::AuditEvent;
use msme_core::ledger::{
    AccountBalance, Balances, Escrow, EscrowId, Hold, HoldId, IdempotencyKey, IdempotencyRecord,
    IdempotencyWrite, IdempotentOutcome, JournalEntry, LedgerAccount, LedgerStore, Payout,
    PayoutId, StatementLine, StoredEntry,
};
use msme_core::ledger::{EscrowWrite, GatewayName, Payment, PaymentId};
use msme_core::ports::StoreResult;
use msme_core::types::UserId;

use crate::SqliteStore;

#[async_trait]
impl LedgerStore for SqliteStore {
    #[tracing::instrument(skip_all)]
    async fn post_entries(
        &self,
        entries: &[JournalEntry],
        idempotency: IdempotencyWrite,
        audit: AuditEvent,
    ) -> StoreResult<IdempotentOutcome> {
        self.post_entries_impl(entries, idempotency, audit).await
    }

    #[tracing::instrument(skip_all)]
    async fn create_escrow(
        &self,
        escrow: &Escrow,
        idempotency: IdempotencyWrite,
        audit: AuditEvent,
    ) -> StoreResult<IdempotentOutcome> {
        self.create_escrow_impl(escrow, idempotency, audit).await
    }

    #[tracing::instrument(skip_all)]
    async fn escrow_by_id(&self, id: &EscrowId) -> StoreResult<Option<Escrow>> {
        self.escrow_by_id_impl(id).await
    }

    #[tracing::instrument(skip_all)]
    async fn escrows_page(&self, after: Option<&EscrowId>, limit: u32) -> StoreResult<Vec<Escrow>> {
        self.escrows_page_impl(after, limit).await
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
        self.update_escrow_impl(escrow, expected_version, entries, idempotency, audit)
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
        self.record_funding_impl(
            escrow,
            expected_version,
            entries,
            payment,
            idempotency,
            audit,
        )
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
        let after = after.map(|a| a.to_string());
        let args = vec![after.into(), i64::from(limit).into()];
        self.payments_where("WHERE ?1 IS NULL OR id > ?1 ORDER BY id LIMIT ?2", args)
            .await
    }

    #[tracing::instrument(skip_all)]
    async fn payments_of_escrow(&self, escrow: &EscrowId) -> StoreResult<Vec<Payment>> {
        let args = vec![escrow.to_string().into()];
        self.payments_where("WHERE escrow_id = ?1 ORDER BY created_at, id", args)
            .await
    }

    #[tracing::instrument(skip_all)]
    async fn create_payout(
        &self,
        payout: &Payout,
        entry: &JournalEntry,
        idempotency: IdempotencyWrite,
        audit: AuditEvent,
    ) -> StoreResult<IdempotentOutcome> {
        self.write_payout_impl(payout, None, Some(entry), idempotency, audit)
            .await
    }

    #[tracing::instrument(skip_all)]
    async fn payout_by_id(&self, id: &PayoutId) -> StoreResult<Option<Payout>> {
        self.payout_by_id_impl(id).await
    }

    #[tracing::instrument(skip_all)]
    async fn payouts_page(&self, after: Option<&PayoutId>, limit: u32) -> StoreResult<Vec<Payout>> {
        self.payouts_page_impl(after, limit).await
    }

    #[tracing::instrument(skip_all)]
    async fn payouts_due(&self, now: DateTime<Utc>, limit: u32) -> StoreResult<Vec<Payout>> {
        self.payouts_due_impl(now, limit).await
    }

    #[tracing::instrument(skip_all)]
    async fn payouts_of(&self, payee: &LedgerAccount) -> StoreResult<Vec<Payout>> {
        self.payouts_of_impl(payee).await
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
        self.write_payout_impl(payout, Some(expected_version), entry, idempotency, audit)
            .await
    }

    #[tracing::instrument(skip_all)]
    async fn create_hold(
        &self,
        hold: &Hold,
        idempotency: IdempotencyWrite,
        audit: AuditEvent,
    ) -> StoreResult<IdempotentOutcome> {
        self.write_hold_impl(hold, None, None, idempotency, audit)
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
        self.write_hold_impl(hold, Some(expected_version), entry, idempotency, audit)
            .await
    }

    #[tracing::instrument(skip_all)]
    async fn holds(
        &self,
        after: Option<&HoldId>,
        limit: u32,
        pending_only: bool,
    ) -> StoreResult<Vec<Hold>> {
        self.holds_impl(after, limit, pending_only).await
    }

    #[tracing::instrument(skip_all)]
    async fn hold_by_id(&self, id: &HoldId) -> StoreResult<Option<Hold>> {
        self.hold_by_id_impl(id).await
    }

    #[tracing::instrument(skip_all)]
    async fn balances(&self, accounts: &[LedgerAccount]) -> StoreResult<Balances> {
        self.balances_impl(accounts).await
    }

    #[tracing::instrument(skip_all)]
    async fn stored_balances(
        &self,
        after: Option<&LedgerAccount>,
        limit: u32,
    ) -> StoreResult<Vec<(LedgerAccount, AccountBalance)>> {
        self.stored_balances_impl(after, limit).await
    }

    #[tracing::instrument(skip_all)]
    async fn entries_page(&self, after: i64, limit: u32) -> StoreResult<Vec<StoredEntry>> {
        self.entries_page_impl(after, limit).await
    }

    #[tracing::instrument(skip_all)]
    async fn statement_lines(
        &self,
        account: &LedgerAccount,
        after: i64,
        limit: u32,
    ) -> StoreResult<Vec<StatementLine>> {
        self.statement_lines_impl(account, after, limit).await
    }

    #[tracing::instrument(skip_all)]
    async fn idempotency_record(
        &self,
        key: &IdempotencyKey,
    ) -> StoreResult<Option<IdempotencyRecord>> {
        self.idempotency_record_impl(key).await
    }
}
