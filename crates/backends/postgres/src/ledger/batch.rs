//! The fast path of a batch of escrow moves: the same outcomes as applying each move alone,
//! in a fixed number of statements whatever the batch's size (keys claimed in one insert,
//! escrows moved by one compare-and-set update, balances locked and moved once for the lot,
//! entries and postings inserted once, audit entries sealed in order and inserted once).
//!
//! It declines (and the savepoint path runs instead) when a batch names a key or an escrow
//! twice, or when the moves together would overdraw a guarded account: the savepoint path
//! then says which move is refused.

use std::collections::{HashMap, HashSet};

use msme_core::audit::AuditEntry;
use msme_core::error::StoreError;
use msme_core::ledger::{
    BalanceEffects, EscrowColumns, EscrowWrite, IdempotentOutcome, JournalEntry,
};
use msme_core::ports::StoreResult;
use sqlx::PgConnection;

use crate::error::store_error;
use crate::rows::{col, Fetch};
use crate::PgStore;

fn micros(us: i64) -> chrono::DateTime<chrono::Utc> {
    chrono::DateTime::from_timestamp_micros(us).unwrap_or_default()
}

impl PgStore {
    /// `None` when the batch must go the savepoint path instead.
    pub(crate) async fn update_escrows_fast(
        &self,
        writes: &[EscrowWrite],
    ) -> StoreResult<Option<Vec<IdempotentOutcome>>> {
        let keys: HashSet<&str> = writes.iter().map(|w| w.idempotency.key.as_str()).collect();
        let ids: HashSet<&str> = writes.iter().map(|w| w.escrow.id.as_str()).collect();
        if writes.len() < 2 || keys.len() < writes.len() || ids.len() < writes.len() {
            return Ok(None);
        }
        let mut tx = self.begin().await?;
        let mut outcomes: Vec<Option<IdempotentOutcome>> = vec![None; writes.len()];
        claim_keys(&mut tx, writes, &mut outcomes).await?;
        move_escrows(&mut tx, writes, &mut outcomes).await?;
        let applied: Vec<&EscrowWrite> = writes
            .iter()
            .zip(&outcomes)
            .filter(|(_, o)| o.is_none())
            .map(|(w, _)| w)
            .collect();
        let entries: Vec<JournalEntry> = applied
            .iter()
            .flat_map(|w| w.entries.iter().cloned())
            .collect();
        let fx = BalanceEffects::of_entries(&entries).map_err(StoreError::backend)?;
        if super::write::apply_effects(&mut tx, &fx).await?.is_err() {
            return Ok(None); // dropped: rolled back
        }
        super::write::insert_entries(&mut tx, &entries).await?;
        let events = applied.iter().map(|w| w.audit.clone()).collect();
        append_events(&mut tx, events).await?;
        tx.commit().await.map_err(store_error)?;
        Ok(Some(
            outcomes
                .into_iter()
                .map(|o| o.unwrap_or(IdempotentOutcome::Applied))
                .collect(),
        ))
    }
}

/// Claims every key; a key used before gives its move's outcome (replay or conflict) now.
async fn claim_keys(
    conn: &mut PgConnection,
    writes: &[EscrowWrite],
    outcomes: &mut [Option<IdempotentOutcome>],
) -> StoreResult<()> {
    let claimed: HashSet<String> = sqlx::query(
        "INSERT INTO idempotency_keys (key, fingerprint, response_json, created_at)
         SELECT * FROM unnest($1::TEXT[], $2::TEXT[], $3::TEXT[], $4::TIMESTAMPTZ[])
         ON CONFLICT (key) DO NOTHING RETURNING key",
    )
    .bind(
        writes
            .iter()
            .map(|w| w.idempotency.key.to_string())
            .collect::<Vec<_>>(),
    )
    .bind(
        writes
            .iter()
            .map(|w| w.idempotency.fingerprint.to_hex())
            .collect::<Vec<_>>(),
    )
    .bind(
        writes
            .iter()
            .map(|w| w.idempotency.response_json.clone())
            .collect::<Vec<_>>(),
    )
    .bind(writes.iter().map(|w| w.audit.at).collect::<Vec<_>>())
    .fetch_all_as(&mut *conn, |r| col(r, "key"))
    .await?
    .into_iter()
    .collect();
    let used: Vec<String> = writes
        .iter()
        .map(|w| w.idempotency.key.to_string())
        .filter(|k| !claimed.contains(k))
        .collect();
    if used.is_empty() {
        return Ok(());
    }
    let first: HashMap<String, (String, String)> = sqlx::query(
        "SELECT key, fingerprint, response_json FROM idempotency_keys WHERE key = ANY($1)",
    )
    .bind(&used)
    .fetch_all_as(&mut *conn, |r| {
        let used = (col(r, "fingerprint")?, col(r, "response_json")?);
        Ok((col(r, "key")?, used))
    })
    .await?
    .into_iter()
    .collect();
    for (w, outcome) in writes.iter().zip(outcomes.iter_mut()) {
        if let Some((fingerprint, response_json)) = first.get(w.idempotency.key.as_str()) {
            *outcome = Some(if *fingerprint == w.idempotency.fingerprint.to_hex() {
                IdempotentOutcome::Replayed {
                    response_json: response_json.clone(),
                }
            } else {
                IdempotentOutcome::Conflict
            });
        }
    }
    Ok(())
}

/// Moves every escrow whose key was claimed, by compare-and-set on its version; a stale one
/// gives back its key (nothing of it stays written).
async fn move_escrows(
    conn: &mut PgConnection,
    writes: &[EscrowWrite],
    outcomes: &mut [Option<IdempotentOutcome>],
) -> StoreResult<()> {
    let todo: Vec<(&EscrowWrite, EscrowColumns)> = writes
        .iter()
        .zip(outcomes.iter())
        .filter(|(_, o)| o.is_none())
        .map(|(w, _)| (w, EscrowColumns::from(&w.escrow)))
        .collect();
    if todo.is_empty() {
        return Ok(());
    }
    let moved: HashSet<String> = sqlx::query(
        "UPDATE escrows AS e SET state = v.state, released_milestones = v.released_milestones,
                funded = v.funded, released = v.released, refunded = v.refunded,
                funding_source = v.funding_source, version = v.version, updated_at = v.updated_at
         FROM unnest($1::TEXT[], $2::TEXT[], $3::TEXT[], $4::BIGINT[], $5::BIGINT[], $6::BIGINT[],
                     $7::TEXT[], $8::BIGINT[], $9::TIMESTAMPTZ[], $10::BIGINT[])
              AS v(id, state, released_milestones, funded, released, refunded, funding_source,
                   version, updated_at, expected)
         WHERE e.id = v.id AND e.version = v.expected
         RETURNING e.id",
    )
    .bind(todo.iter().map(|(_, c)| c.id.clone()).collect::<Vec<_>>())
    .bind(
        todo.iter()
            .map(|(_, c)| c.state.clone())
            .collect::<Vec<_>>(),
    )
    .bind(
        todo.iter()
            .map(|(_, c)| c.released_milestones.clone())
            .collect::<Vec<_>>(),
    )
    .bind(todo.iter().map(|(_, c)| c.funded).collect::<Vec<_>>())
    .bind(todo.iter().map(|(_, c)| c.released).collect::<Vec<_>>())
    .bind(todo.iter().map(|(_, c)| c.refunded).collect::<Vec<_>>())
    .bind(
        todo.iter()
            .map(|(_, c)| c.funding_source.clone())
            .collect::<Vec<_>>(),
    )
    .bind(todo.iter().map(|(_, c)| c.version).collect::<Vec<_>>())
    .bind(
        todo.iter()
            .map(|(_, c)| micros(c.updated_at))
            .collect::<Vec<_>>(),
    )
    .bind(
        todo.iter()
            .map(|(w, _)| w.expected_version)
            .collect::<Vec<_>>(),
    )
    .fetch_all_as(&mut *conn, |r| col(r, "id"))
    .await?
    .into_iter()
    .collect();
    let mut stale_keys = Vec::new();
    for (w, outcome) in writes.iter().zip(outcomes.iter_mut()) {
        if outcome.is_none() && !moved.contains(w.escrow.id.as_str()) {
            *outcome = Some(IdempotentOutcome::StaleVersion);
            stale_keys.push(w.idempotency.key.to_string());
        }
    }
    if !stale_keys.is_empty() {
        sqlx::query("DELETE FROM idempotency_keys WHERE key = ANY($1)")
            .bind(&stale_keys)
            .run(&mut *conn)
            .await?;
    }
    Ok(())
}

/// Seals audit entries in order after the head (locked), inserts them and moves the head:
/// two statements for any number. The ledger's writes append through here; the entries are
/// the same as `audit::append` makes one at a time.
pub(crate) async fn append_events(
    conn: &mut PgConnection,
    events: Vec<msme_core::audit::AuditEvent>,
) -> StoreResult<()> {
    if events.is_empty() {
        return Ok(());
    }
    let (mut seq, mut hash) = crate::audit::head_for_update(conn).await?;
    let mut sealed = Vec::with_capacity(events.len());
    for event in events {
        let entry = AuditEntry::seal(event, seq + 1, &hash);
        seq = entry.seq;
        hash = entry.hash.clone();
        sealed.push(entry);
    }
    let e = |f: fn(&AuditEntry) -> String| sealed.iter().map(f).collect::<Vec<_>>();
    sqlx::query(
        "WITH appended AS (
             INSERT INTO audit_log (seq, at, actor, action, entity_type, entity_id, request_id,
                                    details, prev_hash, hash)
             SELECT * FROM unnest($1::BIGINT[], $2::TIMESTAMPTZ[], $3::TEXT[], $4::TEXT[],
                                  $5::TEXT[], $6::TEXT[], $7::TEXT[], $8::TEXT[], $9::TEXT[],
                                  $10::TEXT[])
         )
         UPDATE audit_head SET seq = $11, hash = $12 WHERE id = 1",
    )
    .bind(sealed.iter().map(|s| s.seq).collect::<Vec<_>>())
    .bind(sealed.iter().map(|s| s.event.at).collect::<Vec<_>>())
    .bind(e(|s| s.event.actor.as_string()))
    .bind(e(|s| s.event.action.clone()))
    .bind(e(|s| s.event.entity_type.clone()))
    .bind(e(|s| s.event.entity_id.clone()))
    .bind(
        sealed
            .iter()
            .map(|s| s.event.request_id.clone())
            .collect::<Vec<_>>(),
    )
    .bind(e(|s| s.event.details.clone()))
    .bind(e(|s| s.prev_hash.clone()))
    .bind(e(|s| s.hash.clone()))
    .bind(seq)
    .bind(&hash)
    .run(&mut *conn)
    .await
    .map(drop)
}
