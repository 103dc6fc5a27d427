//! The one shape of every ledger write, in one transaction: the idempotency key first (a
//! concurrent request with the same key waits on its unique row, then replays or conflicts),
//! then the row change with its version compare-and-set, then the derived balances with the
//! overdraft guard (balance rows locked in account order), then the entries (numbered under
//! the `ledger_head` row lock), then the audit entry (the `audit_head` lock, always last).
//! Anything but `Applied` rolls the whole transaction back.

use chrono::{DateTime, Utc};
use msme_core::audit::AuditEvent;
use msme_core::error::StoreError;
use msme_core::ledger::{
    AccountBalance, BalanceEffects, IdempotencyWrite, IdempotentOutcome, JournalEntry,
};
use msme_core::ports::StoreResult;
use sqlx::PgConnection;

use crate::audit::append;
use crate::error::store_error;
use crate::ledger::rows::{self, Change};
use crate::rows::col;
use crate::PgStore;

impl PgStore {
    /// Runs the steps above and commits only an `Applied` outcome.
    pub(crate) async fn guarded(
        &self,
        idem: &IdempotencyWrite,
        audit: AuditEvent,
        effects: &BalanceEffects,
        entries: &[JournalEntry],
        change: Change<'_>,
    ) -> StoreResult<IdempotentOutcome> {
        let mut tx = self.begin().await?;
        if let Some(outcome) = claim_key(&mut tx, idem, audit.at).await? {
            return Ok(outcome);
        }
        if !rows::write(&mut tx, change).await? {
            return Ok(IdempotentOutcome::StaleVersion);
        }
        if let Err(outcome) = apply_effects(&mut tx, effects).await? {
            return Ok(outcome);
        }
        insert_entries(&mut tx, entries).await?;
        append(&mut tx, audit).await?;
        tx.commit().await.map_err(store_error)?;
        Ok(IdempotentOutcome::Applied)
    }
}

async fn claim_key(
    conn: &mut PgConnection,
    idem: &IdempotencyWrite,
    at: DateTime<Utc>,
) -> StoreResult<Option<IdempotentOutcome>> {
    let inserted = sqlx::query(
        "INSERT INTO idempotency_keys (key, fingerprint, response_json, created_at)
         VALUES ($1, $2, $3, $4) ON CONFLICT (key) DO NOTHING",
    )
    .bind(idem.key.as_str())
    .bind(idem.fingerprint.to_hex())
    .bind(&idem.response_json)
    .bind(at)
    .execute(&mut *conn)
    .await
    .map_err(store_error)?
    .rows_affected();
    if inserted == 1 {
        return Ok(None);
    }
    let row = sqlx::query("SELECT fingerprint, response_json FROM idempotency_keys WHERE key = $1")
        .bind(idem.key.as_str())
        .fetch_one(&mut *conn)
        .await
        .map_err(store_error)?;
    let fingerprint: String = col(&row, "fingerprint")?;
    Ok(Some(if fingerprint == idem.fingerprint.to_hex() {
        IdempotentOutcome::Replayed {
            response_json: col(&row, "response_json")?,
        }
    } else {
        IdempotentOutcome::Conflict
    }))
}

async fn apply_effects(
    conn: &mut PgConnection,
    effects: &BalanceEffects,
) -> StoreResult<Result<(), IdempotentOutcome>> {
    for account in effects.accounts() {
        let name = account.to_string();
        sqlx::query("INSERT INTO ledger_balances (account) VALUES ($1) ON CONFLICT DO NOTHING")
            .bind(&name)
            .execute(&mut *conn)
            .await
            .map_err(store_error)?;
        let row = sqlx::query(
            "SELECT debits_posted, credits_posted, debits_pending, credits_pending
             FROM ledger_balances WHERE account = $1 FOR UPDATE",
        )
        .bind(&name)
        .fetch_one(&mut *conn)
        .await
        .map_err(store_error)?;
        let before = rows::balance(&row)?;
        let after: AccountBalance = match effects.apply(account, before) {
            Ok(after) => after,
            Err(Ok(refused)) => return Ok(Err(refused)),
            Err(Err(e)) => return Err(StoreError::backend(e)),
        };
        sqlx::query(
            "UPDATE ledger_balances SET debits_posted = $2, credits_posted = $3,
                    debits_pending = $4, credits_pending = $5 WHERE account = $1",
        )
        .bind(&name)
        .bind(after.debits_posted.get())
        .bind(after.credits_posted.get())
        .bind(after.debits_pending.get())
        .bind(after.credits_pending.get())
        .execute(&mut *conn)
        .await
        .map_err(store_error)?;
    }
    Ok(Ok(()))
}

/// Numbers the entries gaplessly in commit order (under the `ledger_head` lock) and appends
/// each header, then its postings; the deferred constraint triggers check them at commit.
async fn insert_entries(conn: &mut PgConnection, entries: &[JournalEntry]) -> StoreResult<()> {
    if entries.is_empty() {
        return Ok(());
    }
    let row = sqlx::query("UPDATE ledger_head SET seq = seq + $1 WHERE id = 1 RETURNING seq")
        .bind(entries.len() as i64)
        .fetch_one(&mut *conn)
        .await
        .map_err(store_error)?;
    let last: i64 = col(&row, "seq")?;
    let first = last - entries.len() as i64 + 1;
    for (i, e) in entries.iter().enumerate() {
        let h = e.header();
        sqlx::query(
            "INSERT INTO ledger_entries (seq, id, escrow_id, kind, idempotency_key, at, memo,
                                         posting_count)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        )
        .bind(first + i as i64)
        .bind(h.id.as_str())
        .bind(h.escrow_id.as_ref().map(|id| id.as_str()))
        .bind(h.kind.as_str())
        .bind(h.idempotency_key.as_str())
        .bind(h.at)
        .bind(&h.memo)
        .bind(e.postings().len() as i32)
        .execute(&mut *conn)
        .await
        .map_err(store_error)?;
        for (n, p) in e.postings().iter().enumerate() {
            sqlx::query(
                "INSERT INTO ledger_postings (entry_id, n, account, side, amount)
                 VALUES ($1, $2, $3, $4, $5)",
            )
            .bind(h.id.as_str())
            .bind(n as i32)
            .bind(p.account.to_string())
            .bind(p.side.as_str())
            .bind(p.amount.get())
            .execute(&mut *conn)
            .await
            .map_err(store_error)?;
        }
    }
    Ok(())
}
