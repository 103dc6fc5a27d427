//! Reads of the ledger on PostgreSQL.

use std::collections::HashMap;

use msme_core::ledger::{
    corrupt, stored_side, AccountBalance, Balances, Escrow, Hold, HoldId, IdempotencyKey,
    IdempotencyRecord, LedgerAccount, Payout, Posting, RequestFingerprint, StatementLine,
    StoredEntry,
};
use msme_core::money::Paise;
use msme_core::ports::StoreResult;

use crate::error::store_error;
use crate::ledger::rows::{self, account};
use crate::rows::{col, limit};
use crate::PgStore;

impl PgStore {
    pub(crate) async fn escrows_where(
        &self,
        sql: &'static str,
        a: Option<String>,
        n: u32,
    ) -> StoreResult<Vec<Escrow>> {
        let found = sqlx::query(sql)
            .bind(a)
            .bind(limit(n))
            .fetch_all(&self.pool)
            .await;
        found
            .map_err(store_error)?
            .iter()
            .map(rows::escrow)
            .collect()
    }

    pub(crate) async fn payouts_where(
        &self,
        sql: &'static str,
        a: Option<String>,
        at: Option<chrono::DateTime<chrono::Utc>>,
        n: u32,
    ) -> StoreResult<Vec<Payout>> {
        let found = sqlx::query(sql)
            .bind(a)
            .bind(at)
            .bind(limit(n))
            .fetch_all(&self.pool)
            .await;
        found
            .map_err(store_error)?
            .iter()
            .map(rows::payout)
            .collect()
    }

    pub(crate) async fn holds_where(
        &self,
        after: Option<&HoldId>,
        n: u32,
        pending: bool,
    ) -> StoreResult<Vec<Hold>> {
        let found = sqlx::query(
            "SELECT * FROM ledger_holds WHERE ($1::TEXT IS NULL OR id > $1)
               AND (NOT $2 OR state = 'pending') ORDER BY id LIMIT $3",
        )
        .bind(after.map(HoldId::as_str))
        .bind(pending)
        .bind(limit(n))
        .fetch_all(&self.pool)
        .await;
        found.map_err(store_error)?.iter().map(rows::hold).collect()
    }

    pub(crate) async fn balances_of(&self, accounts: &[LedgerAccount]) -> StoreResult<Balances> {
        let names: Vec<String> = accounts.iter().map(LedgerAccount::to_string).collect();
        let found = sqlx::query("SELECT * FROM ledger_balances WHERE account = ANY($1)")
            .bind(&names)
            .fetch_all(&self.pool)
            .await
            .map_err(store_error)?;
        let mut stored: HashMap<String, AccountBalance> = HashMap::new();
        for row in &found {
            stored.insert(col(row, "account")?, rows::balance(row)?);
        }
        let all = accounts.iter().map(|a| {
            let b = stored.get(&a.to_string()).copied().unwrap_or_default();
            (a.clone(), b)
        });
        Ok(Balances::from_stored(all.collect::<Vec<_>>()))
    }

    pub(crate) async fn stored_balances_after(
        &self,
        after: Option<&LedgerAccount>,
        n: u32,
    ) -> StoreResult<Vec<(LedgerAccount, AccountBalance)>> {
        let found = sqlx::query(
            "SELECT * FROM ledger_balances WHERE ($1::TEXT IS NULL OR account COLLATE \"C\" > $1)
             ORDER BY account COLLATE \"C\" LIMIT $2",
        )
        .bind(after.map(LedgerAccount::to_string))
        .bind(limit(n))
        .fetch_all(&self.pool)
        .await
        .map_err(store_error)?;
        found
            .iter()
            .map(|r| Ok((account(r, "account")?, rows::balance(r)?)))
            .collect()
    }

    /// Entries after `after`, and their postings, in one statement (one snapshot).
    pub(crate) async fn entries_after(&self, after: i64, n: u32) -> StoreResult<Vec<StoredEntry>> {
        let found = sqlx::query(
            "WITH e AS (SELECT * FROM ledger_entries WHERE seq > $1 ORDER BY seq LIMIT $2)
             SELECT e.*, p.account, p.side, p.amount FROM e
             LEFT JOIN ledger_postings p ON p.entry_id = e.id ORDER BY e.seq, p.n",
        )
        .bind(after)
        .bind(limit(n))
        .fetch_all(&self.pool)
        .await
        .map_err(store_error)?;
        let mut out: Vec<StoredEntry> = Vec::new();
        for row in &found {
            let seq: i64 = col(row, "seq")?;
            if out.last().is_none_or(|e| e.seq != seq) {
                out.push(StoredEntry {
                    seq,
                    header: rows::header(row)?,
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

    pub(crate) async fn lines_of(
        &self,
        account: &LedgerAccount,
        after: i64,
        n: u32,
    ) -> StoreResult<Vec<StatementLine>> {
        let found = sqlx::query(
            "SELECT e.seq, e.id, e.escrow_id, e.kind, e.at, e.memo, p.side, p.amount
             FROM ledger_postings p JOIN ledger_entries e ON e.id = p.entry_id
             WHERE p.account = $1 AND e.seq > $2 ORDER BY e.seq, p.n LIMIT $3",
        )
        .bind(account.to_string())
        .bind(after)
        .bind(limit(n))
        .fetch_all(&self.pool)
        .await
        .map_err(store_error)?;
        found.iter().map(rows::statement_line).collect()
    }

    pub(crate) async fn key_record(
        &self,
        key: &IdempotencyKey,
    ) -> StoreResult<Option<IdempotencyRecord>> {
        let row =
            sqlx::query("SELECT fingerprint, response_json FROM idempotency_keys WHERE key = $1")
                .bind(key.as_str())
                .fetch_optional(&self.pool)
                .await
                .map_err(store_error)?;
        let Some(row) = row else { return Ok(None) };
        let fp: String = col(&row, "fingerprint")?;
        Ok(Some(IdempotencyRecord {
            key: key.clone(),
            fingerprint: RequestFingerprint::from_hex(&fp)
                .ok_or_else(|| corrupt("fingerprint", &fp))?,
            response_json: col(&row, "response_json")?,
        }))
    }
}

/// `SELECT * FROM escrows` by id, and by page after an id.
pub(crate) const ESCROW_BY_ID: &str = "SELECT * FROM escrows WHERE id = $1 LIMIT $2";
pub(crate) const ESCROWS_AFTER: &str =
    "SELECT * FROM escrows WHERE ($1::TEXT IS NULL OR id > $1) ORDER BY id LIMIT $2";
pub(crate) const PAYOUT_BY_ID: &str =
    "SELECT * FROM payouts WHERE id = $1 AND $2::TIMESTAMPTZ IS NULL LIMIT $3";
pub(crate) const PAYOUTS_AFTER: &str = "SELECT * FROM payouts WHERE ($1::TEXT IS NULL OR id > $1)
    AND $2::TIMESTAMPTZ IS NULL ORDER BY id LIMIT $3";
pub(crate) const PAYOUTS_DUE: &str = "SELECT * FROM payouts WHERE $1::TEXT IS NULL
    AND state = 'in_transit' AND next_attempt_at <= $2 ORDER BY next_attempt_at, id LIMIT $3";
pub(crate) const PAYOUTS_OF: &str = "SELECT * FROM payouts WHERE payee = $1
    AND $2::TIMESTAMPTZ IS NULL ORDER BY created_at DESC, id DESC LIMIT $3";
