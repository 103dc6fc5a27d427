//! The one ledger read that is more than one row to one value: entries with their postings.

use msme_core::ledger::{stored_side, Posting, StoredEntry};
use msme_core::money::Paise;
use msme_core::ports::StoreResult;
use sqlx::postgres::PgRow;

use crate::ledger::rows::{account, header};
use crate::rows::col;

/// Entries from rows that repeat each entry once per posting (a `LEFT JOIN` of its postings,
/// in entry order; an entry without postings is one row of nulls on the posting side).
pub(super) fn stored_entries(rows: &[PgRow]) -> StoreResult<Vec<StoredEntry>> {
    let mut out: Vec<StoredEntry> = Vec::new();
    for row in rows {
        let seq: i64 = col(row, "seq")?;
        if out.last().is_none_or(|e| e.seq != seq) {
            out.push(StoredEntry {
                seq,
                header: header(row)?,
                postings: Vec::new(),
            });
        }
        if let Some(side) = col::<Option<String>>(row, "side")? {
            let posting = Posting {
                account: account(row, "account")?,
                side: stored_side(&side)?,
                amount: Paise::new(col(row, "amount")?),
            };
            out.last_mut().expect("pushed above").postings.push(posting);
        }
    }
    Ok(out)
}
