//! The one shape of every ledger write, inside one `BEGIN IMMEDIATE` transaction: the
//! idempotency key first (a replay or conflict writes nothing), then the row change with its
//! version compare-and-set, then the derived balances with the overdraft guard, then the
//! entries, then the audit entry. The caller commits only an `Applied` outcome.

use msme_core::audit::AuditEvent;
use msme_core::error::StoreError;
use msme_core::ledger::{
    AccountBalance, BalanceEffects, IdempotencyWrite, IdempotentOutcome, JournalEntry,
    LedgerAccount,
};
use msme_core::ports::StoreResult;
use rusqlite::{params, OptionalExtension, Transaction};

use crate::audit::append;
use crate::error::Step;
use crate::rows::micros;
use crate::SqliteStore;

impl SqliteStore {
    /// [`guarded`] in its own `BEGIN IMMEDIATE` transaction, committed only when `Applied`.
    pub(crate) async fn ledger_write<F>(
        &self,
        idem: IdempotencyWrite,
        audit: AuditEvent,
        effects: BalanceEffects,
        entries: Vec<JournalEntry>,
        change: F,
    ) -> StoreResult<IdempotentOutcome>
    where
        F: FnOnce(&Transaction<'_>) -> StoreResult<bool> + Send + 'static,
    {
        self.write_guarded(move |tx| guarded(tx, &idem, audit, &effects, &entries, change))
            .await
    }
}

/// Runs the steps above; `change` writes the rows and says whether the version matched.
pub(crate) fn guarded(
    tx: &Transaction<'_>,
    idem: &IdempotencyWrite,
    audit: AuditEvent,
    effects: &BalanceEffects,
    entries: &[JournalEntry],
    change: impl FnOnce(&Transaction<'_>) -> StoreResult<bool>,
) -> StoreResult<IdempotentOutcome> {
    if let Some(outcome) = claim_key(tx, idem, micros(audit.at))? {
        return Ok(outcome);
    }
    if !change(tx)? {
        return Ok(IdempotentOutcome::StaleVersion);
    }
    if let Err(outcome) = apply_effects(tx, effects)? {
        return Ok(outcome);
    }
    insert_entries(tx, entries)?;
    append(tx, audit)?;
    Ok(IdempotentOutcome::Applied)
}

/// Stores the key, or says what an earlier use of it means for this request.
fn claim_key(
    tx: &Transaction<'_>,
    idem: &IdempotencyWrite,
    at: i64,
) -> StoreResult<Option<IdempotentOutcome>> {
    let existing: Option<(String, String)> = tx
        .prepare_cached("SELECT fingerprint, response_json FROM idempotency_keys WHERE key = ?1")
        .and_then(|mut st| {
            st.query_row([idem.key.as_str()], |r| Ok((r.get(0)?, r.get(1)?)))
                .optional()
        })
        .step("reading an idempotency key")?;
    if let Some((fingerprint, response_json)) = existing {
        return Ok(Some(if fingerprint == idem.fingerprint.to_hex() {
            IdempotentOutcome::Replayed { response_json }
        } else {
            IdempotentOutcome::Conflict
        }));
    }
    tx.prepare_cached(
        "INSERT INTO idempotency_keys (key, fingerprint, response_json, created_at) \
         VALUES (?1, ?2, ?3, ?4)",
    )
    .and_then(|mut st| {
        st.execute(params![
            idem.key.as_str(),
            idem.fingerprint.to_hex(),
            idem.response_json,
            at
        ])
    })
    .step("storing an idempotency key")?;
    Ok(None)
}

/// The stored balance of one account, zero when never touched.
pub(crate) fn balance_of(
    conn: &rusqlite::Connection,
    account: &LedgerAccount,
) -> StoreResult<AccountBalance> {
    let row = conn
        .prepare_cached(
            "SELECT debits_posted, credits_posted, debits_pending, credits_pending \
             FROM ledger_balances WHERE account = ?1",
        )
        .and_then(|mut st| {
            st.query_row([account.to_string()], crate::ledger::rows::balance)
                .optional()
        })
        .step("reading a balance")?;
    Ok(row.unwrap_or_default())
}

/// Applies the effects to the derived balances, or returns the overdraft it would cause.
fn apply_effects(
    tx: &Transaction<'_>,
    effects: &BalanceEffects,
) -> StoreResult<Result<(), IdempotentOutcome>> {
    for account in effects.accounts() {
        let before = balance_of(tx, account)?;
        let after = match effects.apply(account, before) {
            Ok(after) => after,
            Err(Ok(refused)) => return Ok(Err(refused)),
            Err(Err(e)) => return Err(StoreError::backend(e)),
        };
        tx.prepare_cached(
            "INSERT INTO ledger_balances (account, debits_posted, credits_posted, \
             debits_pending, credits_pending) VALUES (?1, ?2, ?3, ?4, ?5) \
             ON CONFLICT (account) DO UPDATE SET debits_posted = excluded.debits_posted, \
             credits_posted = excluded.credits_posted, debits_pending = excluded.debits_pending, \
             credits_pending = excluded.credits_pending",
        )
        .and_then(|mut st| {
            st.execute(params![
                account.to_string(),
                after.debits_posted.get(),
                after.credits_posted.get(),
                after.debits_pending.get(),
                after.credits_pending.get()
            ])
        })
        .step("moving a balance")?;
    }
    Ok(Ok(()))
}

/// Appends entries: each entry's postings first, then its header, whose trigger checks that
/// they balance (see the migration).
pub(crate) fn insert_entries(tx: &Transaction<'_>, entries: &[JournalEntry]) -> StoreResult<()> {
    for e in entries {
        let h = e.header();
        for (n, p) in e.postings().iter().enumerate() {
            tx.prepare_cached(
                "INSERT INTO ledger_postings (entry_id, n, account, side, amount) \
                 VALUES (?1, ?2, ?3, ?4, ?5)",
            )
            .and_then(|mut st| {
                st.execute(params![
                    h.id.as_str(),
                    n as i64,
                    p.account.to_string(),
                    p.side.as_str(),
                    p.amount.get()
                ])
            })
            .step("appending a posting")?;
        }
        tx.prepare_cached(
            "INSERT INTO ledger_entries (id, escrow_id, kind, idempotency_key, at, memo, \
             posting_count) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        )
        .and_then(|mut st| {
            st.execute(params![
                h.id.as_str(),
                h.escrow_id.as_ref().map(|id| id.as_str()),
                h.kind.as_str(),
                h.idempotency_key.as_str(),
                micros(h.at),
                h.memo,
                e.postings().len() as i64
            ])
        })
        .step("appending an entry")?;
    }
    Ok(())
}
