//! Ledger rows: the row change each write makes (with its compare-and-set), and rows mapped
//! back to core types. A stored value the core cannot parse is corruption.

use chrono::DateTime;
use msme_core::error::StoreError;
use msme_core::ledger::{
    corrupt, stored_kind, stored_side, AccountBalance, EntryHeader, EntryId, EscrowColumns,
    EscrowId, GatewayName, Hold, HoldId, HoldState, IdempotencyKey, LedgerAccount, Payout,
    PayoutId, PayoutState, StatementLine,
};
use msme_core::money::Paise;
use msme_core::ports::StoreResult;
use sqlx::postgres::PgRow;
use sqlx::PgConnection;

use crate::rows::from_columns;
use crate::rows::{col, Fetch, PgQuery};

/// The row a ledger write changes besides its entries.
pub(crate) enum Change<'a> {
    None,
    InsertEscrow(&'a EscrowColumns),
    UpdateEscrow(&'a EscrowColumns, i64),
    /// The escrow's funding move and the payment that brought the money in.
    Funding(&'a EscrowColumns, i64, &'a msme_core::ledger::Payment),
    Payout(&'a Payout, Option<i64>),
    Hold(&'a Hold, Option<i64>),
}

/// Writes the change; false when the expected version did not match.
pub(crate) async fn write(conn: &mut PgConnection, change: Change<'_>) -> StoreResult<bool> {
    match change {
        Change::None => Ok(true),
        Change::InsertEscrow(c) => insert_escrow(conn, c).await,
        Change::UpdateEscrow(c, expected) => update_escrow(conn, c, expected).await,
        Change::Funding(c, expected, payment) => {
            if !update_escrow(conn, c, expected).await? {
                return Ok(false);
            }
            crate::ledger::payments::insert_payment(conn, payment).await?;
            Ok(true)
        }
        Change::Payout(p, expected) => write_payout(conn, p, expected).await,
        Change::Hold(h, expected) => write_hold(conn, h, expected).await,
    }
}

fn micros(us: i64) -> StoreResult<DateTime<chrono::Utc>> {
    DateTime::from_timestamp_micros(us).ok_or_else(|| StoreError::backend("time out of range"))
}

/// Binds the columns of an escrow that move, in their order in both statements: state,
/// released milestones, funded, released, refunded, funding source, version.
fn bind_moving<'q>(q: PgQuery<'q>, c: &'q EscrowColumns) -> PgQuery<'q> {
    q.bind(&c.state)
        .bind(&c.released_milestones)
        .bind(c.funded)
        .bind(c.released)
        .bind(c.refunded)
        .bind(&c.funding_source)
        .bind(c.version)
}

async fn insert_escrow(conn: &mut PgConnection, c: &EscrowColumns) -> StoreResult<bool> {
    let insert = sqlx::query(
        "INSERT INTO escrows (id, listing_id, buyer_id, seller_id, agent_id, amount,
             platform_fee_bps, agent_commission_bps, milestones, state, released_milestones,
             funded, released, refunded, funding_source, version, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18)
         ON CONFLICT (id) DO NOTHING",
    )
    .bind(&c.id)
    .bind(&c.listing_id)
    .bind(&c.buyer_id)
    .bind(&c.seller_id)
    .bind(&c.agent_id)
    .bind(c.amount)
    .bind(c.platform_fee_bps)
    .bind(c.agent_commission_bps)
    .bind(&c.milestones);
    let inserted = bind_moving(insert, c)
        .bind(micros(c.created_at)?)
        .bind(micros(c.updated_at)?)
        .run(&mut *conn)
        .await?;
    if inserted == 0 {
        return Err(StoreError::Duplicate("escrow"));
    }
    Ok(true)
}

/// The version compare-and-set of an escrow's moving columns; false when it did not match.
async fn update_escrow(
    conn: &mut PgConnection,
    c: &EscrowColumns,
    expected: i64,
) -> StoreResult<bool> {
    let updated_at = DateTime::from_timestamp_micros(c.updated_at).unwrap_or_default();
    let update = sqlx::query(
        "UPDATE escrows SET state = $2, released_milestones = $3, funded = $4, released = $5,
                refunded = $6, funding_source = $7, version = $8, updated_at = $9
         WHERE id = $1 AND version = $10",
    )
    .bind(&c.id);
    bind_moving(update, c)
        .bind(updated_at)
        .bind(expected)
        .run(&mut *conn)
        .await
        .map(|n| n == 1)
}

/// Inserts the payout, or (with `expected`) updates it if its version matches.
async fn write_payout(
    conn: &mut PgConnection,
    p: &Payout,
    expected: Option<i64>,
) -> StoreResult<bool> {
    let sql = match expected {
        None => {
            "INSERT INTO payouts (id, payee, amount, gateway, state, version, gateway_ref,
                     attempts, next_attempt_at, last_error, created_at, updated_at)
                 SELECT $1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12 WHERE $13::BIGINT IS NULL"
        }
        Some(_) => {
            "UPDATE payouts SET state = $5, version = $6, gateway_ref = $7, attempts = $8,
                        next_attempt_at = $9, last_error = $10, updated_at = $12
                    WHERE id = $1 AND version = $13 AND payee = $2 AND amount = $3
                      AND gateway = $4 AND created_at = $11"
        }
    };
    sqlx::query(sql)
        .bind(p.id.as_str())
        .bind(p.payee.to_string())
        .bind(p.amount.get())
        .bind(p.gateway.as_str())
        .bind(p.state.as_str())
        .bind(p.version)
        .bind(&p.gateway_ref)
        .bind(p.attempts)
        .bind(p.next_attempt_at)
        .bind(&p.last_error)
        .bind(p.created_at)
        .bind(p.updated_at)
        .bind(expected)
        .run(&mut *conn)
        .await
        .map(|n| n == 1)
}

/// Inserts the hold, or (with `expected`) updates it if its version matches.
async fn write_hold(conn: &mut PgConnection, h: &Hold, expected: Option<i64>) -> StoreResult<bool> {
    let posted = match h.state {
        HoldState::Posted(p) => Some(p.get()),
        _ => None,
    };
    let sql = match expected {
        None => {
            "INSERT INTO ledger_holds (id, debit_account, credit_account, amount, state,
                     posted_amount, escrow_id, expires_at, version)
                 SELECT $1, $2, $3, $4, $5, $6, $7, $8, $9 WHERE $10::BIGINT IS NULL"
        }
        Some(_) => {
            "UPDATE ledger_holds SET state = $5, posted_amount = $6, version = $9
                    WHERE id = $1 AND version = $10 AND state = 'pending'
                      AND debit_account = $2 AND credit_account = $3 AND amount = $4
                      AND escrow_id IS NOT DISTINCT FROM $7
                      AND expires_at IS NOT DISTINCT FROM $8"
        }
    };
    sqlx::query(sql)
        .bind(h.id.as_str())
        .bind(h.debit_account.to_string())
        .bind(h.credit_account.to_string())
        .bind(h.amount.get())
        .bind(h.state.as_str())
        .bind(posted)
        .bind(h.escrow_id.as_ref().map(|e| e.as_str()))
        .bind(h.expires_at)
        .bind(h.version)
        .bind(expected)
        .run(&mut *conn)
        .await
        .map(|n| n == 1)
}

pub(crate) fn account(row: &PgRow, name: &str) -> StoreResult<LedgerAccount> {
    let s: String = col(row, name)?;
    LedgerAccount::parse(&s).map_err(|_| corrupt("account", &s))
}

fn paise(row: &PgRow, name: &str) -> StoreResult<Paise> {
    col::<i64>(row, name).map(Paise::new)
}

pub(crate) fn balance(row: &PgRow) -> StoreResult<AccountBalance> {
    Ok(AccountBalance {
        debits_posted: paise(row, "debits_posted")?,
        credits_posted: paise(row, "credits_posted")?,
        debits_pending: paise(row, "debits_pending")?,
        credits_pending: paise(row, "credits_pending")?,
    })
}

pub(crate) fn escrow(row: &PgRow) -> StoreResult<msme_core::ledger::Escrow> {
    let at = |name: &str| col::<DateTime<chrono::Utc>>(row, name).map(|t| t.timestamp_micros());
    EscrowColumns {
        id: col(row, "id")?,
        listing_id: col(row, "listing_id")?,
        buyer_id: col(row, "buyer_id")?,
        seller_id: col(row, "seller_id")?,
        agent_id: col(row, "agent_id")?,
        amount: col(row, "amount")?,
        platform_fee_bps: col(row, "platform_fee_bps")?,
        agent_commission_bps: col(row, "agent_commission_bps")?,
        milestones: col(row, "milestones")?,
        state: col(row, "state")?,
        released_milestones: col(row, "released_milestones")?,
        funded: col(row, "funded")?,
        released: col(row, "released")?,
        refunded: col(row, "refunded")?,
        funding_source: col(row, "funding_source")?,
        version: col(row, "version")?,
        created_at: at("created_at")?,
        updated_at: at("updated_at")?,
    }
    .into_escrow()
}

pub(crate) fn payout(row: &PgRow) -> StoreResult<Payout> {
    let gateway: String = col(row, "gateway")?;
    let state: String = col(row, "state")?;
    Ok(from_columns!(row => Payout {
        version, gateway_ref, attempts, next_attempt_at, last_error, created_at, updated_at;
        id: PayoutId::from_trusted(col(row, "id")?),
        payee: account(row, "payee")?,
        amount: paise(row, "amount")?,
        gateway: GatewayName::parse(&gateway).map_err(|_| corrupt("gateway", &gateway))?,
        state: PayoutState::parse(&state).ok_or_else(|| corrupt("payout state", &state))?,
    }))
}

pub(crate) fn hold(row: &PgRow) -> StoreResult<Hold> {
    let state: String = col(row, "state")?;
    let posted: Option<i64> = col(row, "posted_amount")?;
    let state = match (state.as_str(), posted) {
        ("pending", None) => HoldState::Pending,
        ("posted", Some(p)) => HoldState::Posted(Paise::new(p)),
        ("voided", None) => HoldState::Voided,
        ("expired", None) => HoldState::Expired,
        _ => return Err(corrupt("hold state", &state)),
    };
    Ok(Hold {
        id: HoldId::from_trusted(col(row, "id")?),
        debit_account: account(row, "debit_account")?,
        credit_account: account(row, "credit_account")?,
        amount: paise(row, "amount")?,
        state,
        escrow_id: col::<Option<String>>(row, "escrow_id")?.map(EscrowId::from_trusted),
        expires_at: col(row, "expires_at")?,
        version: col(row, "version")?,
    })
}

pub(crate) fn header(row: &PgRow) -> StoreResult<EntryHeader> {
    let key: String = col(row, "idempotency_key")?;
    Ok(EntryHeader {
        id: EntryId::from_trusted(col(row, "id")?),
        escrow_id: col::<Option<String>>(row, "escrow_id")?.map(EscrowId::from_trusted),
        kind: stored_kind(&col::<String>(row, "kind")?)?,
        idempotency_key: IdempotencyKey::parse(&key).map_err(|_| corrupt("key", &key))?,
        at: col(row, "at")?,
        memo: col(row, "memo")?,
    })
}

pub(crate) fn statement_line(row: &PgRow) -> StoreResult<StatementLine> {
    Ok(from_columns!(row => StatementLine {
        seq, at, memo;
        entry_id: EntryId::from_trusted(col(row, "id")?),
        escrow_id: col::<Option<String>>(row, "escrow_id")?.map(EscrowId::from_trusted),
        kind: stored_kind(&col::<String>(row, "kind")?)?,
        side: stored_side(&col::<String>(row, "side")?)?,
        amount: paise(row, "amount")?,
    }))
}
