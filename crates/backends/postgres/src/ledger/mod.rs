//! The ledger: [`LedgerStore`] on PostgreSQL. Writes follow one shape (`write.rs`); the schema's
//! deferred constraint triggers make an unbalanced entry impossible to commit, and its row
//! triggers make entries and postings immutable (see `migrations/0003_ledger.sql`).

mod batch;
mod payments;
mod reads;
pub(crate) mod rows;
mod write;

use std::collections::HashMap;

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use msme_core::audit::AuditEvent;
use msme_core::error::StoreError;
use msme_core::ledger::{
    corrupt, AccountBalance, BalanceEffects, Balances, Escrow, EscrowColumns, EscrowId, Hold,
    HoldId, IdempotencyKey, IdempotencyRecord, IdempotencyWrite, IdempotentOutcome, JournalEntry,
    LedgerAccount, LedgerStore, Payout, PayoutId, RequestFingerprint, StatementLine, StoredEntry,
};
use msme_core::ledger::{EscrowWrite, GatewayName, Payment, PaymentId};
use msme_core::ports::StoreResult;
use msme_core::types::UserId;

use crate::error::store_error;
use crate::ledger::payments::payment;
use crate::ledger::rows::{account, balance, escrow, hold, payout, Change};
use crate::rows::{col, limit, Fetch};
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
        self.find("SELECT * FROM escrows WHERE id = $1", id.as_str(), escrow)
            .await
    }

    #[tracing::instrument(skip_all)]
    async fn escrows_page(&self, after: Option<&EscrowId>, n: u32) -> StoreResult<Vec<Escrow>> {
        self.page(
            "SELECT * FROM escrows WHERE ($1::TEXT IS NULL OR id > $1) ORDER BY id LIMIT $2",
            after.map(EscrowId::as_str),
            n,
            escrow,
        )
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

    /// The fast path when the batch allows it (see `batch.rs`); otherwise every move under its
    /// own savepoint in one transaction, committed once.
    #[tracing::instrument(skip_all, fields(writes = writes.len()))]
    async fn update_escrows(&self, writes: &[EscrowWrite]) -> StoreResult<Vec<IdempotentOutcome>> {
        if let Some(outcomes) = self.update_escrows_fast(writes).await? {
            return Ok(outcomes);
        }
        let mut tx = self.begin().await?;
        let outcomes = write::each_under_savepoint(&mut tx, writes).await?;
        tx.commit().await.map_err(store_error)?;
        Ok(outcomes)
    }

    #[tracing::instrument(skip_all)]
    async fn escrows_of(
        &self,
        user: &UserId,
        after: Option<&EscrowId>,
        n: u32,
    ) -> StoreResult<Vec<Escrow>> {
        sqlx::query(
            "SELECT * FROM escrows WHERE (buyer_id = $1 OR seller_id = $1 OR agent_id = $1)
               AND ($2::TEXT IS NULL OR id > $2) ORDER BY id LIMIT $3",
        )
        .bind(user.as_str())
        .bind(after.map(EscrowId::as_str))
        .bind(limit(n))
        .fetch_all_as(&self.pool, escrow)
        .await
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
        self.find("SELECT * FROM payments WHERE id = $1", id.as_str(), payment)
            .await
    }

    #[tracing::instrument(skip_all)]
    async fn payment_by_ref(
        &self,
        source: &GatewayName,
        gateway_ref: &str,
    ) -> StoreResult<Option<Payment>> {
        sqlx::query("SELECT * FROM payments WHERE source = $1 AND gateway_ref = $2")
            .bind(source.as_str())
            .bind(gateway_ref)
            .fetch_optional_as(&self.pool, payment)
            .await
    }

    #[tracing::instrument(skip_all)]
    async fn payments_page(&self, after: Option<&PaymentId>, n: u32) -> StoreResult<Vec<Payment>> {
        self.page(
            "SELECT * FROM payments WHERE ($1::TEXT IS NULL OR id > $1) ORDER BY id LIMIT $2",
            after.map(PaymentId::as_str),
            n,
            payment,
        )
        .await
    }

    #[tracing::instrument(skip_all)]
    async fn payments_of_escrow(&self, escrow: &EscrowId) -> StoreResult<Vec<Payment>> {
        // An escrow is funded once; the bound only keeps a corrupted table from flooding us.
        self.find_all(
            "SELECT * FROM payments WHERE escrow_id = $1 ORDER BY created_at, id LIMIT 1000",
            escrow.as_str(),
            payment,
        )
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
        let entries = std::slice::from_ref(entry);
        let fx = effects(entries)?;
        let change = Change::Payout(payout, None);
        self.guarded(&idempotency, audit, &fx, entries, change)
            .await
    }

    #[tracing::instrument(skip_all)]
    async fn payout_by_id(&self, id: &PayoutId) -> StoreResult<Option<Payout>> {
        self.find("SELECT * FROM payouts WHERE id = $1", id.as_str(), payout)
            .await
    }

    #[tracing::instrument(skip_all)]
    async fn payouts_page(&self, after: Option<&PayoutId>, n: u32) -> StoreResult<Vec<Payout>> {
        self.page(
            "SELECT * FROM payouts WHERE ($1::TEXT IS NULL OR id > $1) ORDER BY id LIMIT $2",
            after.map(PayoutId::as_str),
            n,
            payout,
        )
        .await
    }

    #[tracing::instrument(skip_all)]
    async fn payouts_due(&self, now: DateTime<Utc>, n: u32) -> StoreResult<Vec<Payout>> {
        self.page(
            "SELECT * FROM payouts WHERE state = 'in_transit' AND next_attempt_at <= $1
             ORDER BY next_attempt_at, id LIMIT $2",
            now,
            n,
            payout,
        )
        .await
    }

    #[tracing::instrument(skip_all)]
    async fn payouts_of(&self, payee: &LedgerAccount) -> StoreResult<Vec<Payout>> {
        self.find_all(
            "SELECT * FROM payouts WHERE payee = $1 ORDER BY created_at DESC, id DESC",
            payee.to_string(),
            payout,
        )
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
        n: u32,
        pending_only: bool,
    ) -> StoreResult<Vec<Hold>> {
        sqlx::query(
            "SELECT * FROM ledger_holds WHERE ($1::TEXT IS NULL OR id > $1)
               AND (NOT $2 OR state = 'pending') ORDER BY id LIMIT $3",
        )
        .bind(after.map(HoldId::as_str))
        .bind(pending_only)
        .bind(limit(n))
        .fetch_all_as(&self.pool, hold)
        .await
    }

    #[tracing::instrument(skip_all)]
    async fn hold_by_id(&self, id: &HoldId) -> StoreResult<Option<Hold>> {
        self.find(
            "SELECT * FROM ledger_holds WHERE id = $1",
            id.as_str(),
            hold,
        )
        .await
    }

    /// Every account asked for, zero for one never touched.
    #[tracing::instrument(skip_all)]
    async fn balances(&self, accounts: &[LedgerAccount]) -> StoreResult<Balances> {
        let names: Vec<String> = accounts.iter().map(LedgerAccount::to_string).collect();
        let stored: HashMap<String, AccountBalance> = self
            .find_all(
                "SELECT * FROM ledger_balances WHERE account = ANY($1)",
                &names,
                |r| Ok((col(r, "account")?, balance(r)?)),
            )
            .await?
            .into_iter()
            .collect();
        let all = accounts.iter().map(|a| {
            let b = stored.get(&a.to_string()).copied().unwrap_or_default();
            (a.clone(), b)
        });
        Ok(Balances::from_stored(all.collect::<Vec<_>>()))
    }

    #[tracing::instrument(skip_all)]
    async fn stored_balances(
        &self,
        after: Option<&LedgerAccount>,
        n: u32,
    ) -> StoreResult<Vec<(LedgerAccount, AccountBalance)>> {
        self.page(
            "SELECT * FROM ledger_balances WHERE ($1::TEXT IS NULL OR account COLLATE \"C\" > $1)
             ORDER BY account COLLATE \"C\" LIMIT $2",
            after.map(LedgerAccount::to_string),
            n,
            |r| Ok((account(r, "account")?, balance(r)?)),
        )
        .await
    }

    /// Entries after `after`, and their postings, in one statement (one snapshot).
    #[tracing::instrument(skip_all)]
    async fn entries_page(&self, after: i64, n: u32) -> StoreResult<Vec<StoredEntry>> {
        let rows = sqlx::query(
            "WITH e AS (SELECT * FROM ledger_entries WHERE seq > $1 ORDER BY seq LIMIT $2)
             SELECT e.*, p.account, p.side, p.amount FROM e
             LEFT JOIN ledger_postings p ON p.entry_id = e.id ORDER BY e.seq, p.n",
        )
        .bind(after)
        .bind(limit(n))
        .fetch_all(&self.pool)
        .await
        .map_err(store_error)?;
        reads::stored_entries(&rows)
    }

    #[tracing::instrument(skip_all)]
    async fn statement_lines(
        &self,
        account: &LedgerAccount,
        after: i64,
        n: u32,
    ) -> StoreResult<Vec<StatementLine>> {
        sqlx::query(
            "SELECT e.seq, e.id, e.escrow_id, e.kind, e.at, e.memo, p.side, p.amount
             FROM ledger_postings p JOIN ledger_entries e ON e.id = p.entry_id
             WHERE p.account = $1 AND e.seq > $2 ORDER BY e.seq, p.n LIMIT $3",
        )
        .bind(account.to_string())
        .bind(after)
        .bind(limit(n))
        .fetch_all_as(&self.pool, rows::statement_line)
        .await
    }

    #[tracing::instrument(skip_all)]
    async fn idempotency_record(
        &self,
        key: &IdempotencyKey,
    ) -> StoreResult<Option<IdempotencyRecord>> {
        let stored: Option<(String, String)> =
            sqlx::query("SELECT fingerprint, response_json FROM idempotency_keys WHERE key = $1")
                .bind(key.as_str())
                .fetch_optional_as(&self.pool, |r| {
                    Ok((col(r, "fingerprint")?, col(r, "response_json")?))
                })
                .await?;
        let Some((fp, response_json)) = stored else {
            return Ok(None);
        };
        let fingerprint =
            RequestFingerprint::from_hex(&fp).ok_or_else(|| corrupt("fingerprint", &fp))?;
        Ok(Some(IdempotencyRecord {
            key: key.clone(),
            fingerprint,
            response_json,
        }))
    }
}
