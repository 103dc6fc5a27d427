//! Escrow rows: created, moved by version compare-and-set, and moved many at once.

use msme_core::error::StoreError;
use msme_core::ledger::{BalanceEffects, EscrowColumns, EscrowWrite, IdempotentOutcome};
use msme_core::ports::StoreResult;
use rusqlite::{ffi, params, params_from_iter, OptionalExtension, ToSql, Transaction};

use crate::error::Step;
use crate::ledger::rows::ESCROW_COLUMNS;
use crate::ledger::write::guarded;

pub(super) fn insert_escrow(tx: &Transaction<'_>, c: &EscrowColumns) -> StoreResult<bool> {
    // The id first: an escrow stored again is `Duplicate("escrow")`, whichever unique rule
    // SQLite would report.
    let exists = tx
        .query_row("SELECT 1 FROM escrows WHERE id = ?1", [&c.id], |_| Ok(()))
        .optional()
        .step("looking for the escrow")?;
    if exists.is_some() {
        return Err(StoreError::Duplicate("escrow"));
    }
    let sql = format!(
        "INSERT INTO {table} ({ESCROW_COLUMNS}) VALUES \
         (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18)",
        table = "escrows"
    );
    let inserted = tx.execute(
        &sql,
        params_from_iter(
            params![
                c.id,
                c.listing_id,
                c.buyer_id,
                c.seller_id,
                c.agent_id,
                c.amount,
                c.platform_fee_bps,
                c.agent_commission_bps,
                c.milestones
            ]
            .iter()
            .chain(&moving(c))
            .chain(params![c.created_at, c.updated_at]),
        ),
    );
    match inserted {
        Err(rusqlite::Error::SqliteFailure(e, _))
            if e.extended_code == ffi::SQLITE_CONSTRAINT_PRIMARYKEY =>
        {
            Err(StoreError::Duplicate("escrow"))
        }
        // escrows_one_open_per_listing: the listing has an open escrow already.
        Err(rusqlite::Error::SqliteFailure(e, Some(m)))
            if e.extended_code == ffi::SQLITE_CONSTRAINT_UNIQUE
                && m.ends_with("escrows.listing_id") =>
        {
            Err(StoreError::Duplicate("listing_escrow"))
        }
        other => other.step("storing an escrow").map(|_| true),
    }
}

/// An escrow's columns that move, in their order in both statements: state, released
/// milestones, funded, released, refunded, funding source, version.
fn moving(c: &EscrowColumns) -> [&dyn ToSql; 7] {
    [
        &c.state,
        &c.released_milestones,
        &c.funded,
        &c.released,
        &c.refunded,
        &c.funding_source,
        &c.version,
    ]
}

pub(super) fn update_escrow_row(
    tx: &Transaction<'_>,
    c: &EscrowColumns,
    expected: i64,
) -> StoreResult<bool> {
    let n = tx
        .prepare_cached(
            "UPDATE escrows SET state = ?2, released_milestones = ?3, funded = ?4, \
             released = ?5, refunded = ?6, funding_source = ?7, version = ?8, updated_at = ?9 \
             WHERE id = ?1 AND version = ?10",
        )
        .and_then(|mut st| {
            let (id, moved) = ([&c.id as &dyn ToSql], moving(c));
            let last = [&c.updated_at as &dyn ToSql, &expected];
            st.execute(params_from_iter(id.iter().chain(&moved).chain(&last)))
        })
        .step("updating an escrow")?;
    Ok(n == 1)
}

/// Escrow moves in the caller's transaction, each under its own savepoint, so that one
/// refused move leaves the others applied.
pub(super) fn each_under_savepoint(
    tx: &Transaction<'_>,
    prepared: Vec<(EscrowColumns, BalanceEffects, EscrowWrite)>,
) -> StoreResult<Vec<IdempotentOutcome>> {
    let mut outcomes = Vec::with_capacity(prepared.len());
    for (c, fx, w) in prepared {
        tx.execute_batch("SAVEPOINT escrow_write")
            .step("opening a savepoint")?;
        let outcome = guarded(tx, &w.idempotency, w.audit, &fx, &w.entries, |tx| {
            update_escrow_row(tx, &c, w.expected_version)
        })?;
        let end = if outcome == IdempotentOutcome::Applied {
            "RELEASE escrow_write"
        } else {
            "ROLLBACK TO escrow_write; RELEASE escrow_write"
        };
        tx.execute_batch(end).step("closing a savepoint")?;
        outcomes.push(outcome);
    }
    Ok(outcomes)
}
