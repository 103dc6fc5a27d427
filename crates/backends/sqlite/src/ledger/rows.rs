//! Ledger rows mapped back to core types. A stored value the core cannot parse is corruption,
//! reported as a conversion failure of its column.

use msme_core::error::StoreError;
use msme_core::ledger::{
    stored_kind, stored_side, AccountBalance, EntryHeader, EntryId, EscrowColumns, EscrowId,
    GatewayName, Hold, HoldId, HoldState, IdempotencyKey, LedgerAccount, Payout, PayoutId,
    PayoutState, StatementLine,
};
use msme_core::money::Paise;
use rusqlite::types::Type;
use rusqlite::Row;

use crate::rows::{time, time_opt};

fn bad(i: usize, e: StoreError) -> rusqlite::Error {
    rusqlite::Error::FromSqlConversionFailure(i, Type::Text, Box::new(e))
}

fn parsed<T, E>(
    row: &Row<'_>,
    i: usize,
    what: &str,
    f: impl Fn(&str) -> Result<T, E>,
) -> rusqlite::Result<T> {
    let s: String = row.get(i)?;
    f(&s).map_err(|_| bad(i, msme_core::ledger::corrupt(what, &s)))
}

pub(crate) fn account(row: &Row<'_>, i: usize) -> rusqlite::Result<LedgerAccount> {
    parsed(row, i, "account", LedgerAccount::parse)
}

fn paise(row: &Row<'_>, i: usize) -> rusqlite::Result<Paise> {
    row.get(i).map(Paise::new)
}

/// Columns: debits_posted, credits_posted, debits_pending, credits_pending.
pub(crate) fn balance(row: &Row<'_>) -> rusqlite::Result<AccountBalance> {
    Ok(AccountBalance {
        debits_posted: paise(row, 0)?,
        credits_posted: paise(row, 1)?,
        debits_pending: paise(row, 2)?,
        credits_pending: paise(row, 3)?,
    })
}

pub(crate) const ESCROW_COLUMNS: &str = "id, listing_id, buyer_id, seller_id, agent_id, amount, \
    platform_fee_bps, agent_commission_bps, milestones, state, released_milestones, funded, \
    released, refunded, funding_source, version, created_at, updated_at";

pub(crate) fn escrow_columns(row: &Row<'_>) -> rusqlite::Result<EscrowColumns> {
    Ok(EscrowColumns {
        id: row.get(0)?,
        listing_id: row.get(1)?,
        buyer_id: row.get(2)?,
        seller_id: row.get(3)?,
        agent_id: row.get(4)?,
        amount: row.get(5)?,
        platform_fee_bps: row.get(6)?,
        agent_commission_bps: row.get(7)?,
        milestones: row.get(8)?,
        state: row.get(9)?,
        released_milestones: row.get(10)?,
        funded: row.get(11)?,
        released: row.get(12)?,
        refunded: row.get(13)?,
        funding_source: row.get(14)?,
        version: row.get(15)?,
        created_at: row.get(16)?,
        updated_at: row.get(17)?,
    })
}

pub(crate) const PAYOUT_COLUMNS: &str = "id, payee, amount, gateway, state, version, gateway_ref, \
    attempts, next_attempt_at, last_error, created_at, updated_at";

pub(crate) fn payout(row: &Row<'_>) -> rusqlite::Result<Payout> {
    Ok(Payout {
        id: PayoutId::from_trusted(row.get(0)?),
        payee: account(row, 1)?,
        amount: paise(row, 2)?,
        gateway: parsed(row, 3, "gateway", GatewayName::parse)?,
        state: parsed(row, 4, "payout state", |s| PayoutState::parse(s).ok_or(()))?,
        version: row.get(5)?,
        gateway_ref: row.get(6)?,
        attempts: row.get(7)?,
        next_attempt_at: time(row, 8)?,
        last_error: row.get(9)?,
        created_at: time(row, 10)?,
        updated_at: time(row, 11)?,
    })
}

pub(crate) const HOLD_COLUMNS: &str = "id, debit_account, credit_account, amount, state, \
    posted_amount, escrow_id, expires_at, version";

pub(crate) fn hold(row: &Row<'_>) -> rusqlite::Result<Hold> {
    let posted: Option<i64> = row.get(5)?;
    let state = parsed(row, 4, "hold state", |s| match (s, posted) {
        ("pending", None) => Ok(HoldState::Pending),
        ("posted", Some(p)) => Ok(HoldState::Posted(Paise::new(p))),
        ("voided", None) => Ok(HoldState::Voided),
        ("expired", None) => Ok(HoldState::Expired),
        _ => Err(()),
    })?;
    Ok(Hold {
        id: HoldId::from_trusted(row.get(0)?),
        debit_account: account(row, 1)?,
        credit_account: account(row, 2)?,
        amount: paise(row, 3)?,
        state,
        escrow_id: row.get::<_, Option<String>>(6)?.map(EscrowId::from_trusted),
        expires_at: time_opt(row, 7)?,
        version: row.get(8)?,
    })
}

/// Columns from 1: id, escrow_id, kind, idempotency_key, at, memo (0 is the seq).
pub(crate) fn header(row: &Row<'_>) -> rusqlite::Result<EntryHeader> {
    Ok(EntryHeader {
        id: EntryId::from_trusted(row.get(1)?),
        escrow_id: row.get::<_, Option<String>>(2)?.map(EscrowId::from_trusted),
        kind: parsed(row, 3, "entry kind", stored_kind)?,
        idempotency_key: parsed(row, 4, "idempotency key", IdempotencyKey::parse)?,
        at: time(row, 5)?,
        memo: row.get(6)?,
    })
}

/// Columns: seq, entry id, escrow_id, kind, at, memo, side, amount.
pub(crate) fn statement_line(row: &Row<'_>) -> rusqlite::Result<StatementLine> {
    Ok(StatementLine {
        seq: row.get(0)?,
        entry_id: EntryId::from_trusted(row.get(1)?),
        escrow_id: row.get::<_, Option<String>>(2)?.map(EscrowId::from_trusted),
        kind: parsed(row, 3, "entry kind", stored_kind)?,
        at: time(row, 4)?,
        memo: row.get(5)?,
        side: parsed(row, 6, "posting side", stored_side)?,
        amount: paise(row, 7)?,
    })
}
