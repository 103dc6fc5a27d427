//! Payment rows (migration 8), written with the funding of their escrow, and the escrows of
//! each party.

use msme_core::audit::AuditEvent;
use msme_core::error::StoreError;
use msme_core::ledger::{
    BalanceEffects, Escrow, EscrowColumns, EscrowId, GatewayName, IdempotencyWrite,
    IdempotentOutcome, JournalEntry, Payment, PaymentId,
};
use msme_core::money::Paise;
use msme_core::ports::StoreResult;
use msme_core::types::UserId;
use rusqlite::{ffi, params, OptionalExtension, Row, Transaction};

use crate::error::Step;
use crate::ledger::escrows::update_escrow_row;
use crate::ledger::rows::{escrow_columns, ESCROW_COLUMNS};
use crate::ledger::write::guarded;
use crate::rows::{micros, time};
use crate::SqliteStore;

const PAYMENT_COLUMNS: &str = "id, escrow_id, source, gateway_ref, order_id, amount, created_at";

fn payment(row: &Row<'_>) -> rusqlite::Result<Payment> {
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

fn insert_payment(tx: &Transaction<'_>, p: &Payment) -> StoreResult<()> {
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

impl SqliteStore {
    pub(crate) async fn record_funding_impl(
        &self,
        escrow: &Escrow,
        expected: i64,
        entries: &[JournalEntry],
        payment: &Payment,
        idem: IdempotencyWrite,
        audit: AuditEvent,
    ) -> StoreResult<IdempotentOutcome> {
        let c = EscrowColumns::from(escrow);
        let fx = BalanceEffects::of_entries(entries).map_err(StoreError::backend)?;
        let entries = entries.to_vec();
        let payment = payment.clone();
        self.write_guarded(move |tx| {
            guarded(tx, &idem, audit, &fx, &entries, |tx| {
                if !update_escrow_row(tx, &c, expected)? {
                    return Ok(false);
                }
                insert_payment(tx, &payment)?;
                Ok(true)
            })
        })
        .await
    }

    pub(crate) async fn payments_where(
        &self,
        clause: &'static str,
        args: Vec<rusqlite::types::Value>,
    ) -> StoreResult<Vec<Payment>> {
        self.read("reading payments", move |c| {
            let sql = format!("SELECT {PAYMENT_COLUMNS} FROM payments {clause}");
            let mut st = c.prepare_cached(&sql)?;
            let rows = st.query_map(rusqlite::params_from_iter(args), payment)?;
            rows.collect()
        })
        .await
    }

    pub(crate) async fn payment_by_id_impl(&self, id: &PaymentId) -> StoreResult<Option<Payment>> {
        let id = id.to_string();
        self.read("reading a payment", move |c| {
            let sql = format!("SELECT {PAYMENT_COLUMNS} FROM payments WHERE id = ?1");
            c.prepare_cached(&sql)?.query_row([id], payment).optional()
        })
        .await
    }

    pub(crate) async fn payment_by_ref_impl(
        &self,
        source: &GatewayName,
        gateway_ref: &str,
    ) -> StoreResult<Option<Payment>> {
        let args = vec![
            source.as_str().to_string().into(),
            gateway_ref.to_string().into(),
        ];
        let found = self
            .payments_where("WHERE source = ?1 AND gateway_ref = ?2", args)
            .await?;
        Ok(found.into_iter().next())
    }

    pub(crate) async fn escrows_of_impl(
        &self,
        user: &UserId,
        after: Option<&EscrowId>,
        limit: u32,
    ) -> StoreResult<Vec<Escrow>> {
        let (user, after) = (user.to_string(), after.map(EscrowId::to_string));
        let cols = self
            .read("listing a party's escrows", move |c| {
                let sql = format!(
                    "SELECT {ESCROW_COLUMNS} FROM escrows \
                     WHERE (buyer_id = ?1 OR seller_id = ?1 OR agent_id = ?1) \
                     AND (?2 IS NULL OR id > ?2) ORDER BY id LIMIT ?3"
                );
                let mut st = c.prepare_cached(&sql)?;
                let rows = st.query_map(params![user, after, limit], escrow_columns)?;
                rows.collect::<rusqlite::Result<Vec<_>>>()
            })
            .await?;
        cols.into_iter().map(EscrowColumns::into_escrow).collect()
    }
}
