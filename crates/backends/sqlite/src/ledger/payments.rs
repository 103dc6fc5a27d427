//! Payment rows (migration 8), written with the funding of their escrow.

use msme_core::error::StoreError;
use msme_core::ledger::{EscrowId, GatewayName, Payment, PaymentId};
use msme_core::money::Paise;
use msme_core::ports::StoreResult;
use rusqlite::{ffi, params, Row, Transaction};

use crate::error::Step;
use crate::rows::{micros, time};

pub(super) const PAYMENT_COLUMNS: &str =
    "id, escrow_id, source, gateway_ref, order_id, amount, created_at";

pub(super) fn payment(row: &Row<'_>) -> rusqlite::Result<Payment> {
    let source: String = row.get(2)?;
    let source = GatewayName::parse(&source).map_err(|_| {
        let e = msme_core::ledger::corrupt("payment source", &source);
        rusqlite::Error::FromSqlConversionFailure(2, rusqlite::types::Type::Text, Box::new(e))
    })?;
    Ok(Payment {
        id: PaymentId::from_trusted(row.get(0)?),
        escrow_id: EscrowId::from_trusted(row.get(1)?),
        source,
        gateway_ref: row.get(3)?,
        order_id: row.get(4)?,
        amount: Paise::new(row.get(5)?),
        created_at: time(row, 6)?,
    })
}

pub(super) fn insert_payment(tx: &Transaction<'_>, p: &Payment) -> StoreResult<()> {
    let sql =
        format!("INSERT INTO payments ({PAYMENT_COLUMNS}) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)");
    let inserted = tx.execute(
        &sql,
        params![
            p.id.as_str(),
            p.escrow_id.as_str(),
            p.source.as_str(),
            p.gateway_ref,
            p.order_id,
            p.amount.get(),
            micros(p.created_at)
        ],
    );
    match inserted {
        Err(rusqlite::Error::SqliteFailure(e, _))
            if e.extended_code == ffi::SQLITE_CONSTRAINT_UNIQUE =>
        {
            Err(StoreError::Duplicate("payment"))
        }
        other => other.step("storing a payment").map(|_| ()),
    }
}
