//! Payment rows (migration 8), written with the funding of their escrow.

use msme_core::error::StoreError;
use msme_core::ledger::{EscrowId, GatewayName, Payment, PaymentId};
use msme_core::money::Paise;
use msme_core::ports::StoreResult;
use sqlx::postgres::PgRow;
use sqlx::PgConnection;

use crate::error::store_error;
use crate::rows::col;

pub(super) fn payment(row: &PgRow) -> StoreResult<Payment> {
    let source: String = col(row, "source")?;
    let source = GatewayName::parse(&source)
        .map_err(|_| msme_core::ledger::corrupt("payment source", &source))?;
    Ok(Payment {
        id: PaymentId::from_trusted(col(row, "id")?),
        escrow_id: EscrowId::from_trusted(col(row, "escrow_id")?),
        source,
        gateway_ref: col(row, "gateway_ref")?,
        order_id: col(row, "order_id")?,
        amount: Paise::new(col(row, "amount")?),
        created_at: col(row, "created_at")?,
    })
}

/// Inserts a payment; `Duplicate("payment")` when its source already has its reference.
pub(crate) async fn insert_payment(conn: &mut PgConnection, p: &Payment) -> StoreResult<()> {
    let inserted = sqlx::query(
        "INSERT INTO payments (id, escrow_id, source, gateway_ref, order_id, amount, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(p.id.as_str())
    .bind(p.escrow_id.as_str())
    .bind(p.source.as_str())
    .bind(&p.gateway_ref)
    .bind(&p.order_id)
    .bind(p.amount.get())
    .bind(p.created_at)
    .execute(&mut *conn)
    .await;
    match inserted {
        Err(e)
            if e.as_database_error()
                .and_then(|d| d.constraint())
                .is_some_and(|c| c == "payments_gateway_ref_once") =>
        {
            Err(StoreError::Duplicate("payment"))
        }
        other => other.map(|_| ()).map_err(store_error),
    }
}
