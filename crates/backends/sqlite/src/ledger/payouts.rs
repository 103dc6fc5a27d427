//! Payout and hold rows.

use chrono::{DateTime, Utc};
use msme_core::audit::AuditEvent;
use msme_core::error::StoreError;
use msme_core::ledger::{
    BalanceEffects, Hold, HoldId, HoldState, IdempotencyWrite, IdempotentOutcome, JournalEntry,
    LedgerAccount, Payout, PayoutId,
};
use msme_core::ports::StoreResult;
use rusqlite::{params, OptionalExtension, Transaction};

use crate::error::Step;
use crate::ledger::rows::{hold, payout, HOLD_COLUMNS, PAYOUT_COLUMNS};
use crate::ledger::write::guarded;
use crate::rows::{micros, micros_opt};
use crate::SqliteStore;

fn effects(entries: &[JournalEntry]) -> StoreResult<BalanceEffects> {
    BalanceEffects::of_entries(entries).map_err(StoreError::backend)
}

/// Inserts the payout, or (with `expected`) updates it if its version matches.
fn write_payout(tx: &Transaction<'_>, p: &Payout, expected: Option<i64>) -> StoreResult<bool> {
    let values = params![
        p.id.as_str(),
        p.payee.to_string(),
        p.amount.get(),
        p.gateway.as_str(),
        p.state.as_str(),
        p.version,
        p.gateway_ref,
        p.attempts,
        micros(p.next_attempt_at),
        p.last_error,
        micros(p.created_at),
        micros(p.updated_at),
        expected
    ];
    let sql = if expected.is_none() {
        format!(
            "INSERT INTO payouts ({PAYOUT_COLUMNS}) SELECT ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, \
                 ?9, ?10, ?11, ?12 WHERE ?13 IS NULL"
        )
    } else {
        "UPDATE payouts SET state = ?5, version = ?6, gateway_ref = ?7, attempts = ?8, \
         next_attempt_at = ?9, last_error = ?10, updated_at = ?12 \
         WHERE id = ?1 AND version = ?13 AND ?2 = payee AND ?3 = amount AND ?4 = gateway \
         AND ?11 = created_at"
            .to_string()
    };
    let n = tx.execute(&sql, values).step("writing a payout")?;
    Ok(n == 1)
}

/// Inserts the hold, or (with `expected`) updates it if its version matches.
fn write_hold(tx: &Transaction<'_>, h: &Hold, expected: Option<i64>) -> StoreResult<bool> {
    let posted = match h.state {
        HoldState::Posted(p) => Some(p.get()),
        _ => None,
    };
    let values = params![
        h.id.as_str(),
        h.debit_account.to_string(),
        h.credit_account.to_string(),
        h.amount.get(),
        h.state.as_str(),
        posted,
        h.escrow_id.as_ref().map(|e| e.as_str()),
        micros_opt(h.expires_at),
        h.version,
        expected
    ];
    let sql = if expected.is_none() {
        format!(
            "INSERT INTO ledger_holds ({HOLD_COLUMNS}) SELECT ?1, ?2, ?3, ?4, ?5, ?6, ?7, \
                 ?8, ?9 WHERE ?10 IS NULL"
        )
    } else {
        "UPDATE ledger_holds SET state = ?5, posted_amount = ?6, version = ?9 \
         WHERE id = ?1 AND version = ?10 AND state = 'pending' AND ?2 = debit_account \
         AND ?3 = credit_account AND ?4 = amount AND ?7 IS escrow_id AND ?8 IS expires_at"
            .to_string()
    };
    let n = tx.execute(&sql, values).step("writing a hold")?;
    Ok(n == 1)
}

impl SqliteStore {
    pub(crate) async fn write_payout_impl(
        &self,
        payout: &Payout,
        expected: Option<i64>,
        entry: Option<&JournalEntry>,
        idem: IdempotencyWrite,
        audit: AuditEvent,
    ) -> StoreResult<IdempotentOutcome> {
        let entries: Vec<JournalEntry> = entry.into_iter().cloned().collect();
        let fx = effects(&entries)?;
        let p = payout.clone();
        self.write_guarded(move |tx| {
            guarded(tx, &idem, audit, &fx, &entries, |tx| {
                write_payout(tx, &p, expected)
            })
        })
        .await
    }

    pub(crate) async fn write_hold_impl(
        &self,
        hold: &Hold,
        expected: Option<i64>,
        entry: Option<&JournalEntry>,
        idem: IdempotencyWrite,
        audit: AuditEvent,
    ) -> StoreResult<IdempotentOutcome> {
        let entries: Vec<JournalEntry> = entry.into_iter().cloned().collect();
        let mut fx = effects(&entries)?;
        let done = if expected.is_none() {
            fx.reserve(hold)
        } else {
            fx.release(hold)
        };
        done.map_err(StoreError::backend)?;
        let h = hold.clone();
        self.write_guarded(move |tx| {
            guarded(tx, &idem, audit, &fx, &entries, |tx| {
                write_hold(tx, &h, expected)
            })
        })
        .await
    }

    pub(crate) async fn payouts_where(
        &self,
        filter: &'static str,
        a: Option<String>,
        b: Option<i64>,
        limit: u32,
    ) -> StoreResult<Vec<Payout>> {
        self.read("listing payouts", move |c| {
            let sql = format!("SELECT {PAYOUT_COLUMNS} FROM payouts WHERE {filter} LIMIT ?3");
            let mut st = c.prepare_cached(&sql)?;
            let rows = st.query_map(params![a, b, limit], payout)?;
            rows.collect()
        })
        .await
    }

    pub(crate) async fn payout_by_id_impl(&self, id: &PayoutId) -> StoreResult<Option<Payout>> {
        let page = self.payouts_where("id = ?1 AND ?2 IS NULL", Some(id.to_string()), None, 1);
        Ok(page.await?.pop())
    }

    pub(crate) async fn payouts_page_impl(
        &self,
        after: Option<&PayoutId>,
        limit: u32,
    ) -> StoreResult<Vec<Payout>> {
        let filter = "(?1 IS NULL OR id > ?1) AND ?2 IS NULL ORDER BY id";
        self.payouts_where(filter, after.map(PayoutId::to_string), None, limit)
            .await
    }

    pub(crate) async fn payouts_due_impl(
        &self,
        now: DateTime<Utc>,
        limit: u32,
    ) -> StoreResult<Vec<Payout>> {
        let filter = "state = 'in_transit' AND next_attempt_at <= ?2 AND ?1 IS NULL \
                      ORDER BY next_attempt_at, id";
        self.payouts_where(filter, None, Some(micros(now)), limit)
            .await
    }

    pub(crate) async fn payouts_of_impl(&self, payee: &LedgerAccount) -> StoreResult<Vec<Payout>> {
        let filter = "payee = ?1 AND ?2 IS NULL ORDER BY created_at DESC, id DESC";
        self.payouts_where(filter, Some(payee.to_string()), None, u32::MAX)
            .await
    }

    pub(crate) async fn holds_impl(
        &self,
        after: Option<&HoldId>,
        limit: u32,
        pending_only: bool,
    ) -> StoreResult<Vec<Hold>> {
        let after = after.map(HoldId::to_string);
        self.read("listing holds", move |c| {
            let sql = format!(
                "SELECT {HOLD_COLUMNS} FROM ledger_holds WHERE (?1 IS NULL OR id > ?1) \
                 AND (?2 = 0 OR state = 'pending') ORDER BY id LIMIT ?3"
            );
            let mut st = c.prepare_cached(&sql)?;
            let rows = st.query_map(params![after, pending_only, limit], hold)?;
            rows.collect()
        })
        .await
    }

    pub(crate) async fn hold_by_id_impl(&self, id: &HoldId) -> StoreResult<Option<Hold>> {
        let id = id.to_string();
        self.read("reading a hold", move |c| {
            let sql = format!("SELECT {HOLD_COLUMNS} FROM ledger_holds WHERE id = ?1");
            c.prepare_cached(&sql)?.query_row([id], hold).optional()
        })
        .await
    }
}
