//! Payment rows (migration 8), written with the funding of their escrow, and the escrows of
//! each party.

use msme_core::error::StoreError;
use msme_core::ledger::{Escrow, EscrowId, GatewayName, Payment, PaymentId};
use msme_core::money::Paise;
use msme_core::ports::StoreResult;
use msme_core::types::UserId;
use sqlx::postgres::PgRow;
use sqlx::PgConnection;

use crate::error::store_error;
use crate::rows::{col, limit};
use crate::PgStore;

fn payment(row: &PgRow) -> StoreResult<Payment> {
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

const PAYMENTS_AFTER: &str =
    "SELECT * FROM payments WHERE ($1::TEXT IS NULL OR id > $1) ORDER BY id LIMIT $2";
const PAYMENT_BY_ID: &str = "SELECT * FROM payments WHERE id = $1 LIMIT $2";
const PAYMENTS_OF_ESCROW: &str =
    "SELECT * FROM payments WHERE escrow_id = $1 ORDER BY created_at, id LIMIT $2";

impl PgStore {
    async fn payments_where(
        &self,
        sql: &'static str,
        a: Option<String>,
        n: u32,
    ) -> StoreResult<Vec<Payment>> {
        let found = sqlx::query(sql)
            .bind(a)
            .bind(limit(n))
            .fetch_all(&self.pool)
            .await;
        found.map_err(store_error)?.iter().map(payment).collect()
    }

    pub(crate) async fn payment_by_id_impl(&self, id: &PaymentId) -> StoreResult<Option<Payment>> {
        let found = self.payments_where(PAYMENT_BY_ID, Some(id.to_string()), 1);
        Ok(found.await?.pop())
    }

    pub(crate) async fn payments_page_impl(
        &self,
        after: Option<&PaymentId>,
        n: u32,
    ) -> StoreResult<Vec<Payment>> {
        self.payments_where(PAYMENTS_AFTER, after.map(PaymentId::to_string), n)
            .await
    }

    pub(crate) async fn payments_of_escrow_impl(
        &self,
        escrow: &EscrowId,
    ) -> StoreResult<Vec<Payment>> {
        // An escrow is funded once; the bound only keeps a corrupted table from flooding us.
        self.payments_where(PAYMENTS_OF_ESCROW, Some(escrow.to_string()), 1000)
            .await
    }

    pub(crate) async fn payment_by_ref_impl(
        &self,
        source: &GatewayName,
        gateway_ref: &str,
    ) -> StoreResult<Option<Payment>> {
        let found = sqlx::query("SELECT * FROM payments WHERE source = $1 AND gateway_ref = $2")
            .bind(source.as_str())
            .bind(gateway_ref)
            .fetch_optional(&self.pool)
            .await
            .map_err(store_error)?;
        found.as_ref().map(payment).transpose()
    }

    pub(crate) async fn escrows_of_impl(
        &self,
        user: &UserId,
        after: Option<&EscrowId>,
        n: u32,
    ) -> StoreResult<Vec<Escrow>> {
        let found = sqlx::query(
            "SELECT * FROM escrows WHERE (buyer_id = $1 OR seller_id = $1 OR agent_id = $1)
               AND ($2::TEXT IS NULL OR id > $2) ORDER BY id LIMIT $3",
        )
        .bind(user.as_str())
        .bind(after.map(EscrowId::as_str))
        .bind(limit(n))
        .fetch_all(&self.pool)
        .await;
        found
            .map_err(store_error)?
            .iter()
            .map(crate::ledger::rows::escrow)
            .collect()
    }
}
