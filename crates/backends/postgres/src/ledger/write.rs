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
    AccountBalance, BalanceEffects, EscrowColumns, EscrowWrite, IdempotencyWrite,
    IdempotentOutcome, JournalEntry,
};
use msme_core::ports::StoreResult;
use sqlx::PgConnection;

use crate::error::store_error;
use crate::ledger::rows::{self, Change};
use crate::rows::{col, Fetch};
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
        let outcome = guarded_in(&mut tx, idem, audit, effects, entries, change).await?;
        if outcome == IdempotentOutcome::Applied {
            tx.commit().await.map_err(store_error)?;
        }
        Ok(outcome)
    }
}

/// Escrow moves in the caller's transaction, each under its own savepoint, so that one
/// refused move leaves the others applied.
pub(crate) async fn each_under_savepoint(
    conn: &mut PgConnection,
    writes: &[EscrowWrite],
) -> StoreResult<Vec<IdempotentOutcome>> {
    let mut outcomes = Vec::with_capacity(writes.len());
    for w in writes {
        let c = EscrowColumns::from(&w.escrow);
        let fx = BalanceEffects::of_entries(&w.entries).map_err(StoreError::backend)?;
        sqlx::query("SAVEPOINT escrow_write")
            .run(&mut *conn)
            .await?;
        let change = Change::UpdateEscrow(&c, w.expected_version);
        let audit = w.audit.clone();
        let outcome = guarded_in(conn, &w.idempotency, audit, &fx, &w.entries, change).await?;
        let end = if outcome == IdempotentOutcome::Applied {
            "RELEASE SAVEPOINT escrow_write"
        } else {
            "ROLLBACK TO SAVEPOINT escrow_write"
        };
        sqlx::query(end).run(&mut *conn).await?;
        outcomes.push(outcome);
    }
    Ok(outcomes)
}

/// The steps above on an open transaction; the caller commits an `Applied` outcome (and rolls
/// back anything else).
async fn guarded_in(
    conn: &mut PgConnection,
    idem: &IdempotencyWrite,
    audit: AuditEvent,
    effects: &BalanceEffects,
    entries: &[JournalEntry],
    change: Change<'_>,
) -> StoreResult<IdempotentOutcome> {
    if let Some(outcome) = claim_key(conn, idem, audit.at).await? {
        return Ok(outcome);
    }
    if !rows::write(conn, change).await? {
        return Ok(IdempotentOutcome::StaleVersion);
    }
    if let Err(outcome) = apply_effects(conn, effects).await? {
        return Ok(outcome);
    }
    insert_entries(conn, entries).await?;
    super::batch::append_events(conn, vec![audit]).await?;
    Ok(IdempotentOutcome::Applied)
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
    .run(&mut *conn)
    .await?;
    if inserted == 1 {
        return Ok(None);
    }
    let (fingerprint, response_json): (String, String) =
        sqlx::query("SELECT fingerprint, response_json FROM idempotency_keys WHERE key = $1")
            .bind(idem.key.as_str())
            .fetch_one_as(&mut *conn, |r| {
                Ok((col(r, "fingerprint")?, col(r, "response_json")?))
            })
            .await?;
    Ok(Some(if fingerprint == idem.fingerprint.to_hex() {
        IdempotentOutcome::Replayed { response_json }
    } else {
        IdempotentOutcome::Conflict
    }))
}

/// Locks every touched balance row in account order (one lock order for every writer: no
/// deadlocks), creating missing ones, applies the effects with their overdraft guard, and
/// writes the new balances back: three statements whatever the number of accounts.
pub(crate) async fn apply_effects(
    conn: &mut PgConnection,
    effects: &BalanceEffects,
) -> StoreResult<Result<(), IdempotentOutcome>> {
    let mut names: Vec<String> = effects.accounts().map(ToString::to_string).collect();
    if names.is_empty() {
        return Ok(Ok(()));
    }
    names.sort();
    sqlx::query(
        "INSERT INTO ledger_balances (account) SELECT unnest($1::TEXT[]) ON CONFLICT DO NOTHING",
    )
    .bind(&names)
    .run(&mut *conn)
    .await?;
    let before: std::collections::HashMap<String, AccountBalance> = sqlx::query(
        "SELECT account, debits_posted, credits_posted, debits_pending, credits_pending
         FROM ledger_balances WHERE account = ANY($1) ORDER BY account FOR UPDATE",
    )
    .bind(&names)
    .fetch_all_as(&mut *conn, |r| Ok((col(r, "account")?, rows::balance(r)?)))
    .await?
    .into_iter()
    .collect();
    let mut after = [Vec::new(), Vec::new(), Vec::new(), Vec::new()];
    for account in effects.accounts() {
        let stored = before
            .get(&account.to_string())
            .copied()
            .unwrap_or_default();
        let b: AccountBalance = match effects.apply(account, stored) {
            Ok(b) => b,
            Err(Ok(refused)) => return Ok(Err(refused)),
            Err(Err(e)) => return Err(StoreError::backend(e)),
        };
        after[0].push(b.debits_posted.get());
        after[1].push(b.credits_posted.get());
        after[2].push(b.debits_pending.get());
        after[3].push(b.credits_pending.get());
    }
    let order: Vec<String> = effects.accounts().map(ToString::to_string).collect();
    sqlx::query(
        "UPDATE ledger_balances AS b SET debits_posted = v.dp, credits_posted = v.cp,
                debits_pending = v.dn, credits_pending = v.cn
         FROM unnest($1::TEXT[], $2::BIGINT[], $3::BIGINT[], $4::BIGINT[], $5::BIGINT[])
              AS v(account, dp, cp, dn, cn)
         WHERE b.account = v.account",
    )
    .bind(&order)
    .bind(&after[0])
    .bind(&after[1])
    .bind(&after[2])
    .bind(&after[3])
    .run(&mut *conn)
    .await?;
    Ok(Ok(()))
}

/// Numbers the entries gaplessly in commit order (under the `ledger_head` lock) and appends
/// their headers and postings, all in one statement; the deferred constraint triggers check
/// them at commit.
pub(crate) async fn insert_entries(
    conn: &mut PgConnection,
    entries: &[JournalEntry],
) -> StoreResult<()> {
    if entries.is_empty() {
        return Ok(());
    }
    let headers: Vec<_> = entries.iter().map(JournalEntry::header).collect();
    let (mut ids, mut ns, mut accounts, mut sides, mut amounts) =
        (Vec::new(), Vec::new(), Vec::new(), Vec::new(), Vec::new());
    for e in entries {
        for (n, p) in e.postings().iter().enumerate() {
            ids.push(e.id().to_string());
            ns.push(n as i32);
            accounts.push(p.account.to_string());
            sides.push(p.side.as_str());
            amounts.push(p.amount.get());
        }
    }
    sqlx::query(
        "WITH head AS (
             UPDATE ledger_head SET seq = seq + $1 WHERE id = 1 RETURNING seq - $1 AS base
         ), entries AS (
             INSERT INTO ledger_entries (seq, id, escrow_id, kind, idempotency_key, at, memo,
                                         posting_count)
             SELECT head.base + e.ord, e.id, e.escrow_id, e.kind, e.key, e.at, e.memo, e.n
             FROM head, unnest($2::TEXT[], $3::TEXT[], $4::TEXT[], $5::TEXT[],
                               $6::TIMESTAMPTZ[], $7::TEXT[], $8::INTEGER[])
                  WITH ORDINALITY AS e(id, escrow_id, kind, key, at, memo, n, ord)
         )
         INSERT INTO ledger_postings (entry_id, n, account, side, amount)
         SELECT * FROM unnest($9::TEXT[], $10::INTEGER[], $11::TEXT[], $12::TEXT[],
                              $13::BIGINT[])",
    )
    .bind(entries.len() as i64)
    .bind(headers.iter().map(|h| h.id.to_string()).collect::<Vec<_>>())
    .bind(
        headers
            .iter()
            .map(|h| h.escrow_id.as_ref().map(ToString::to_string))
            .collect::<Vec<_>>(),
    )
    .bind(headers.iter().map(|h| h.kind.as_str()).collect::<Vec<_>>())
    .bind(
        headers
            .iter()
            .map(|h| h.idempotency_key.to_string())
            .collect::<Vec<_>>(),
    )
    .bind(headers.iter().map(|h| h.at).collect::<Vec<_>>())
    .bind(headers.iter().map(|h| h.memo.clone()).collect::<Vec<_>>())
    .bind(
        entries
            .iter()
            .map(|e| e.postings().len() as i32)
            .collect::<Vec<_>>(),
    )
    .bind(&ids)
    .bind(&ns)
    .bind(&accounts)
    .bind(&sides)
    .bind(&amounts)
    .run(&mut *conn)
    .await
    .map(drop)
}
