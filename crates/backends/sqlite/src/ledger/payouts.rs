//! Payout and hold rows, written with their version compare-and-set.

use msme_core::ledger::{Hold, HoldState, Payout};
use msme_core::ports::StoreResult;
use rusqlite::{params, Transaction};

use crate::error::Step;
use crate::ledger::rows::{HOLD_COLUMNS, PAYOUT_COLUMNS};
use crate::rows::{micros, micros_opt};

/// Inserts the payout, or (with `expected`) updates it if its version matches.
pub(super) fn write_payout(
    tx: &Transaction<'_>,
    p: &Payout,
    expected: Option<i64>,
) -> StoreResult<bool> {
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
pub(super) fn write_hold(
    tx: &Transaction<'_>,
    h: &Hold,
    expected: Option<i64>,
) -> StoreResult<bool> {
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
