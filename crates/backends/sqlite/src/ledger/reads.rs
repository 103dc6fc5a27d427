//! The one ledger read of more than one statement: entries with their postings.

use std::collections::HashMap;

use msme_core::ledger::{Posting, StoredEntry};
use rusqlite::{params, Connection};

use crate::ledger::rows::{account, header};

/// Entries after `after` with their postings, read in one snapshot.
pub(super) fn entries_after(
    c: &Connection,
    after: i64,
    limit: u32,
) -> rusqlite::Result<Vec<StoredEntry>> {
    let tx = c.unchecked_transaction()?;
    let mut st = tx.prepare_cached(
        "SELECT seq, id, escrow_id, kind, idempotency_key, at, memo FROM ledger_entries \
         WHERE seq > ?1 ORDER BY seq LIMIT ?2",
    )?;
    let mut entries: Vec<StoredEntry> = st
        .query_map(params![after, limit], |r| {
            Ok(StoredEntry {
                seq: r.get(0)?,
                header: header(r)?,
                postings: Vec::new(),
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    let index: HashMap<String, usize> = entries
        .iter()
        .enumerate()
        .map(|(i, e)| (e.header.id.to_string(), i))
        .collect();
    let (Some(first), Some(last)) = (entries.first(), entries.last()) else {
        return Ok(entries);
    };
    let mut st = tx.prepare_cached(
        "SELECT p.entry_id, p.account, p.side, p.amount FROM ledger_postings p \
         JOIN ledger_entries e ON e.id = p.entry_id WHERE e.seq BETWEEN ?1 AND ?2 \
         ORDER BY e.seq, p.n",
    )?;
    let rows = st.query_map(params![first.seq, last.seq], |r| {
        let side: String = r.get(2)?;
        let side = msme_core::ledger::Side::parse(&side).ok_or_else(|| {
            rusqlite::Error::InvalidColumnType(2, "side".into(), rusqlite::types::Type::Text)
        })?;
        let amount = msme_core::money::Paise::new(r.get(3)?);
        let posting = Posting {
            account: account(r, 1)?,
            side,
            amount,
        };
        Ok((r.get::<_, String>(0)?, posting))
    })?;
    for row in rows {
        let (entry_id, posting) = row?;
        if let Some(&i) = index.get(&entry_id) {
            entries[i].postings.push(posting);
        }
    }
    Ok(entries)
}
