//! Reads of the ledger: balances, entries, statements, idempotency records.

use std::collections::HashMap;

use msme_core::ledger::{
    AccountBalance, Balances, IdempotencyKey, IdempotencyRecord, LedgerAccount, Posting,
    RequestFingerprint, StatementLine, StoredEntry,
};
use msme_core::ports::StoreResult;
use rusqlite::{params, Connection, OptionalExtension};

use crate::ledger::rows::{account, balance, header, statement_line};
use crate::SqliteStore;

/// Entries after `after` with their postings, read in one snapshot.
fn entries_after(c: &Connection, after: i64, limit: u32) -> rusqlite::Result<Vec<StoredEntry>> {
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

impl SqliteStore {
    pub(crate) async fn balances_impl(&self, accounts: &[LedgerAccount]) -> StoreResult<Balances> {
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

    pub(crate) async fn stored_balances_impl(
        &self,
        after: Option<&LedgerAccount>,
        limit: u32,
    ) -> StoreResult<Vec<(LedgerAccount, AccountBalance)>> {
        let after = after.map(LedgerAccount::to_string);
        self.read("listing balances", move |c| {
            let mut st = c.prepare_cached(
                "SELECT debits_posted, credits_posted, debits_pending, credits_pending, account \
                 FROM ledger_balances WHERE ?1 IS NULL OR account > ?1 ORDER BY account LIMIT ?2",
            )?;
            let rows =
                st.query_map(params![after, limit], |r| Ok((account(r, 4)?, balance(r)?)))?;
            rows.collect()
        })
        .await
    }

    pub(crate) async fn entries_page_impl(
        &self,
        after: i64,
        limit: u32,
    ) -> StoreResult<Vec<StoredEntry>> {
        self.read("reading entries", move |c| entries_after(c, after, limit))
            .await
    }

    pub(crate) async fn statement_lines_impl(
        &self,
        account: &LedgerAccount,
        after: i64,
        limit: u32,
    ) -> StoreResult<Vec<StatementLine>> {
        let account = account.to_string();
        self.read("reading a statement", move |c| {
            let mut st = c.prepare_cached(
                "SELECT e.seq, e.id, e.escrow_id, e.kind, e.at, e.memo, p.side, p.amount \
                 FROM ledger_postings p JOIN ledger_entries e ON e.id = p.entry_id \
                 WHERE p.account = ?1 AND e.seq > ?2 ORDER BY e.seq, p.n LIMIT ?3",
            )?;
            let rows = st.query_map(params![account, after, limit], statement_line)?;
            rows.collect()
        })
        .await
    }

    pub(crate) async fn idempotency_record_impl(
        &self,
        key: &IdempotencyKey,
    ) -> StoreResult<Option<IdempotencyRecord>> {
        let k = key.clone();
        let row: Option<(String, String)> = self
            .read("reading an idempotency key", move |c| {
                c.prepare_cached(
                    "SELECT fingerprint, response_json FROM idempotency_keys WHERE key = ?1",
                )?
                .query_row([k.as_str()], |r| Ok((r.get(0)?, r.get(1)?)))
                .optional()
            })
            .await?;
        row.map(|(fp, response_json)| {
            let fingerprint = RequestFingerprint::from_hex(&fp)
                .ok_or_else(|| msme_core::ledger::corrupt("fingerprint", &fp))?;
            Ok(IdempotencyRecord {
                key: key.clone(),
                fingerprint,
                response_json,
            })
        })
        .transpose()
    }
}
