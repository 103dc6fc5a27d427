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
use msme_core::error::StoreError;
use msme_core::ledger::{
    corrupt, AccountBalance, BalanceEffects, Balances, Escrow, EscrowColumns, EscrowId, Hold,
    HoldId, IdempotencyKey, IdempotencyRecord, IdempotencyWrite, IdempotentOutcome, JournalEntry,
    LedgerAccount, LedgerStore, Payout, PayoutId, RequestFingerprint, StatementLine, StoredEntry,
};
use msme_core::ledger::{EscrowWrite, GatewayName, Payment, PaymentId};
use msme_core::ports::StoreResult;
use msme_core::types::UserId;
use rusqlite::OptionalExtension;

use crate::ledger::escrows::{insert_escrow, update_escrow_row};
use crate::ledger::payments::{insert_payment, payment, PAYMENT_COLUMNS};
use crate::ledger::payouts::{write_hold, write_payout};
use crate::ledger::rows::{
    account, balance, escrow_columns, hold, payout, statement_line, ESCROW_COLUMNS, HOLD_COLUMNS,
    PAYOUT_COLUMNS,
};
use crate::rows::micros;
use crate::statements::ById;
use crate::SqliteStore;

const ESCROWS: ById = ById::new("reading an escrow", "escrows", ESCROW_COLUMNS);
const PAYMENTS: ById = ById::new("reading a payment", "payments", PAYMENT_COLUMNS);
const PAYOUTS: ById = ById::new("listing payouts", "payouts", PAYOUT_COLUMNS);
const LEDGER_HOLDS: ById = ById::new("reading a hold", "ledger_holds", HOLD_COLUMNS);

fn effects(entries: &[JournalEntry]) -> StoreResult<BalanceEffects> {
    BalanceEffects::of_entries(entries).map_err(StoreError::backend)
}

#[async_trait]
impl LedgerStore for SqliteStore {
    #[tracing::instrument(skip_all)]
    async fn post_entries(
        &self,
        entries: &[JournalEntry],
        idempotency: IdempotencyWrite,
        audit: AuditEvent,
    ) -> StoreResult<IdempotentOutcome> {
        let fx = effects(entries)?;
        let entries = entries.to_vec();
        self.ledger_write(idempotency, audit, fx, entries, |_| Ok(true))
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
        self.ledger_write(idempotency, audit, fx, Vec::new(), move |tx| {
            insert_escrow(tx, &c)
        })
        .await
    }

    #[tracing::instrument(skip_all)]
    async fn escrow_by_id(&self, id: &EscrowId) -> StoreResult<Option<Escrow>> {
        let cols = self
            .read_by_id(&ESCROWS, id.as_str(), escrow_columns)
            .await?;
        cols.map(EscrowColumns::into_escrow).transpose()
    }

    #[tracing::instrument(skip_all)]
    async fn escrows_page(&self, after: Option<&EscrowId>, limit: u32) -> StoreResult<Vec<Escrow>> {
        let after = after.map(EscrowId::as_str);
        let cols = self
            .read_page(&ESCROWS, after, limit, escrow_columns)
            .await?;
        cols.into_iter().map(EscrowColumns::into_escrow).collect()
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
        let entries = entries.to_vec();
        self.ledger_write(idempotency, audit, fx, entries, move |tx| {
            update_escrow_row(tx, &c, expected_version)
        })
        .await
    }

    /// Every write under its own savepoint in one `BEGIN IMMEDIATE` transaction, committed once.
    #[tracing::instrument(skip_all, fields(writes = writes.len()))]
    async fn update_escrows(&self, writes: &[EscrowWrite]) -> StoreResult<Vec<IdempotentOutcome>> {
        let prepared = writes
            .iter()
            .map(|w| {
                Ok((
                    EscrowColumns::from(&w.escrow),
                    effects(&w.entries)?,
                    w.clone(),
                ))
            })
            .collect::<StoreResult<Vec<_>>>()?;
        self.write(move |tx| escrows::each_under_savepoint(tx, prepared))
            .await
    }

    #[tracing::instrument(skip_all)]
    async fn escrows_of(
        &self,
        user: &UserId,
        after: Option<&EscrowId>,
        limit: u32,
    ) -> StoreResult<Vec<Escrow>> {
        let cols = self
            .read_all(
                "listing a party's escrows",
                format!(
                    "SELECT {ESCROW_COLUMNS} FROM escrows \
                     WHERE (buyer_id = ?1 OR seller_id = ?1 OR agent_id = ?1) \
                     AND (?2 IS NULL OR id > ?2) ORDER BY id LIMIT ?3"
                ),
                (user.to_string(), after.map(EscrowId::to_string), limit),
                escrow_columns,
            )
            .await?;
        cols.into_iter().map(EscrowColumns::into_escrow).collect()
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
        let (entries, payment) = (entries.to_vec(), payment.clone());
        self.ledger_write(idempotency, audit, fx, entries, move |tx| {
            if !update_escrow_row(tx, &c, expected_version)? {
                return Ok(false);
            }
            insert_payment(tx, &payment)?;
            Ok(true)
        })
        .await
    }

    #[tracing::instrument(skip_all)]
    async fn payment_by_id(&self, id: &PaymentId) -> StoreResult<Option<Payment>> {
        self.read_by_id(&PAYMENTS, id.as_str(), payment).await
    }

    #[tracing::instrument(skip_all)]
    async fn payment_by_ref(
        &self,
        source: &GatewayName,
        gateway_ref: &str,
    ) -> StoreResult<Option<Payment>> {
        self.read_optional(
            "reading payments",
            format!(
                "SELECT {PAYMENT_COLUMNS} FROM payments WHERE source = ?1 AND gateway_ref = ?2"
            ),
            (source.as_str().to_string(), gateway_ref.to_string()),
            payment,
        )
        .await
    }

    #[tracing::instrument(skip_all)]
    async fn payments_page(
        &self,
        after: Option<&PaymentId>,
        limit: u32,
    ) -> StoreResult<Vec<Payment>> {
        let after = after.map(PaymentId::as_str);
        self.read_page(&PAYMENTS, after, limit, payment).await
    }

    #[tracing::instrument(skip_all)]
    async fn payments_of_escrow(&self, escrow: &EscrowId) -> StoreResult<Vec<Payment>> {
        self.read_all(
            "reading payments",
            format!(
                "SELECT {PAYMENT_COLUMNS} FROM payments WHERE escrow_id = ?1 \
                 ORDER BY created_at, id"
            ),
            [escrow.to_string()],
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
        let entries = vec![entry.clone()];
        let fx = effects(&entries)?;
        let p = payout.clone();
        self.ledger_write(idempotency, audit, fx, entries, move |tx| {
            write_payout(tx, &p, None)
        })
        .await
    }

    #[tracing::instrument(skip_all)]
    async fn payout_by_id(&self, id: &PayoutId) -> StoreResult<Option<Payout>> {
        self.read_by_id(&PAYOUTS, id.as_str(), payout).await
    }

    #[tracing::instrument(skip_all)]
    async fn payouts_page(&self, after: Option<&PayoutId>, limit: u32) -> StoreResult<Vec<Payout>> {
        let after = after.map(PayoutId::as_str);
        self.read_page(&PAYOUTS, after, limit, payout).await
    }

    #[tracing::instrument(skip_all)]
    async fn payouts_due(&self, now: DateTime<Utc>, limit: u32) -> StoreResult<Vec<Payout>> {
        self.read_all(
            "listing payouts",
            format!(
                "SELECT {PAYOUT_COLUMNS} FROM payouts \
                 WHERE state = 'in_transit' AND next_attempt_at <= ?1 \
                 ORDER BY next_attempt_at, id LIMIT ?2"
            ),
            (micros(now), limit),
            payout,
        )
        .await
    }

    #[tracing::instrument(skip_all)]
    async fn payouts_of(&self, payee: &LedgerAccount) -> StoreResult<Vec<Payout>> {
        self.read_all(
            "listing payouts",
            format!(
                "SELECT {PAYOUT_COLUMNS} FROM payouts WHERE payee = ?1 \
                 ORDER BY created_at DESC, id DESC"
            ),
            [payee.to_string()],
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
        let p = payout.clone();
        self.ledger_write(idempotency, audit, fx, entries, move |tx| {
            write_payout(tx, &p, Some(expected_version))
        })
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
        let h = hold.clone();
        self.ledger_write(idempotency, audit, fx, Vec::new(), move |tx| {
            write_hold(tx, &h, None)
        })
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
        let h = hold.clone();
        self.ledger_write(idempotency, audit, fx, entries, move |tx| {
            write_hold(tx, &h, Some(expected_version))
        })
        .await
    }

    #[tracing::instrument(skip_all)]
    async fn holds(
        &self,
        after: Option<&HoldId>,
        limit: u32,
        pending_only: bool,
    ) -> StoreResult<Vec<Hold>> {
        self.read_all(
            "listing holds",
            format!(
                "SELECT {HOLD_COLUMNS} FROM ledger_holds WHERE (?1 IS NULL OR id > ?1) \
                 AND (?2 = 0 OR state = 'pending') ORDER BY id LIMIT ?3"
            ),
            (after.map(HoldId::to_string), pending_only, limit),
            hold,
        )
        .await
    }

    #[tracing::instrument(skip_all)]
    async fn hold_by_id(&self, id: &HoldId) -> StoreResult<Option<Hold>> {
        self.read_by_id(&LEDGER_HOLDS, id.as_str(), hold).await
    }

    /// Every account asked for, zero for one never touched, read in one snapshot.
    #[tracing::instrument(skip_all)]
    async fn balances(&self, accounts: &[LedgerAccount]) -> StoreResult<Balances> {
        let accounts = accounts.to_vec();
        let found = self
            .read("reading balances", move |c| {
                let tx = c.unchecked_transaction()?;
                let mut st = tx.prepare_cached(
                    "SELECT debits_posted, credits_posted, debits_pending, credits_pending \
                     FROM ledger_balances WHERE account = ?1",
                )?;
                let mut out = Vec::new();
                for a in accounts {
                    let b = st.query_row([a.to_string()], balance).optional()?;
                    out.push((a, b.unwrap_or_default()));
                }
                Ok(out)
            })
            .await?;
        Ok(Balances::from_stored(found))
    }

    #[tracing::instrument(skip_all)]
    async fn stored_balances(
        &self,
        after: Option<&LedgerAccount>,
        limit: u32,
    ) -> StoreResult<Vec<(LedgerAccount, AccountBalance)>> {
        self.read_all(
            "listing balances",
            "SELECT debits_posted, credits_posted, debits_pending, credits_pending, account \
             FROM ledger_balances WHERE ?1 IS NULL OR account > ?1 ORDER BY account LIMIT ?2",
            (after.map(LedgerAccount::to_string), limit),
            |r| Ok((account(r, 4)?, balance(r)?)),
        )
        .await
    }

    #[tracing::instrument(skip_all)]
    async fn entries_page(&self, after: i64, limit: u32) -> StoreResult<Vec<StoredEntry>> {
        self.read("reading entries", move |c| {
            reads::entries_after(c, after, limit)
        })
        .await
    }

    #[tracing::instrument(skip_all)]
    async fn statement_lines(
        &self,
        account: &LedgerAccount,
        after: i64,
        limit: u32,
    ) -> StoreResult<Vec<StatementLine>> {
        self.read_all(
            "reading a statement",
            "SELECT e.seq, e.id, e.escrow_id, e.kind, e.at, e.memo, p.side, p.amount \
             FROM ledger_postings p JOIN ledger_entries e ON e.id = p.entry_id \
             WHERE p.account = ?1 AND e.seq > ?2 ORDER BY e.seq, p.n LIMIT ?3",
            (account.to_string(), after, limit),
            statement_line,
        )
        .await
    }

    #[tracing::instrument(skip_all)]
    async fn idempotency_record(
        &self,
        key: &IdempotencyKey,
    ) -> StoreResult<Option<IdempotencyRecord>> {
        let stored: Option<(String, String)> = self
            .read_optional(
                "reading an idempotency key",
                "SELECT fingerprint, response_json FROM idempotency_keys WHERE key = ?1",
                [key.as_str().to_string()],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
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
