//! Comparable deals ([`ComparableStore`]): one row per deal, named once by source and reference.

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use msme_core::audit::AuditEvent;
use msme_core::model::{ComparableDeal, ComparableId, ComparableInput, ComparableSource};
use msme_core::ports::{ComparableStore, StoreResult};
use sqlx::postgres::PgRow;

use crate::audit::commit_audited;
use crate::rows::{col, Fetch};
use crate::PgStore;

/// The columns of `comparable_deals`, as a literal for `concat!`.
macro_rules! columns {
    () => {
        "id, source, source_ref, industry, state, city, year_established, fiscal_year, \
         employees, revenue_paise, ebitda_paise, net_profit_paise, total_assets_paise, \
         total_liabilities_paise, debt_paise, revenue_growth_bps, sale_price_paise, created_at"
    };
}

fn deal(r: &PgRow) -> StoreResult<ComparableDeal> {
    let input = ComparableInput {
        industry: col(r, "industry")?,
        state: col(r, "state")?,
        city: col(r, "city")?,
        year_established: col(r, "year_established")?,
        fiscal_year: col(r, "fiscal_year")?,
        employees: col(r, "employees")?,
        revenue_paise: col(r, "revenue_paise")?,
        ebitda_paise: col(r, "ebitda_paise")?,
        net_profit_paise: col(r, "net_profit_paise")?,
        total_assets_paise: col(r, "total_assets_paise")?,
        total_liabilities_paise: col(r, "total_liabilities_paise")?,
        debt_paise: col(r, "debt_paise")?,
        revenue_growth_bps: col(r, "revenue_growth_bps")?,
        sale_price_paise: col(r, "sale_price_paise")?,
    };
    let source: String = col(r, "source")?;
    let at: DateTime<Utc> = col(r, "created_at")?;
    ComparableDeal::from_stored(col(r, "id")?, &source, col(r, "source_ref")?, &input, at)
}

#[async_trait]
impl ComparableStore for PgStore {
    #[tracing::instrument(skip_all, fields(deals = deals.len()))]
    async fn add_comparables(
        &self,
        deals: &[ComparableDeal],
        audit: AuditEvent,
    ) -> StoreResult<usize> {
        let mut tx = self.begin().await?;
        let sql = concat!(
            "INSERT INTO comparable_deals (",
            columns!(),
            ") VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, \
             $17, $18) ON CONFLICT (source, source_ref) DO NOTHING"
        );
        let mut added = 0u64;
        for d in deals {
            added += sqlx::query(sql)
                .bind(d.id.as_str())
                .bind(d.source.as_str())
                .bind(&d.source_ref)
                .bind(d.industry.id)
                .bind(d.state.code)
                .bind(&d.city)
                .bind(d.year_established)
                .bind(d.fiscal_year)
                .bind(d.employees.map(i64::from))
                .bind(d.revenue.get())
                .bind(d.ebitda.get())
                .bind(d.net_profit.get())
                .bind(d.total_assets.get())
                .bind(d.total_liabilities.get())
                .bind(d.debt.get())
                .bind(d.revenue_growth_bps.map(i64::from))
                .bind(d.sale_price.get())
                .bind(d.created_at)
                .run(&mut *tx)
                .await?;
        }
        commit_audited(tx, audit).await?;
        Ok(usize::try_from(added).unwrap_or(usize::MAX))
    }

    #[tracing::instrument(skip_all)]
    async fn comparables_page(
        &self,
        after: Option<&ComparableId>,
        n: u32,
    ) -> StoreResult<Vec<ComparableDeal>> {
        self.page(
            concat!(
                "SELECT ",
                columns!(),
                " FROM comparable_deals WHERE id > $1 ORDER BY id LIMIT $2"
            ),
            after.map_or("", ComparableId::as_str),
            n,
            deal,
        )
        .await
    }

    async fn comparable_count(&self) -> StoreResult<u64> {
        let n: i64 = sqlx::query("SELECT COUNT(*) AS n FROM comparable_deals")
            .fetch_one_as(&self.pool, |r| col(r, "n"))
            .await?;
        Ok(u64::try_from(n).unwrap_or(0))
    }

    async fn has_comparable(
        &self,
        source: ComparableSource,
        source_ref: &str,
    ) -> StoreResult<bool> {
        sqlx::query(
            "SELECT EXISTS (SELECT 1 FROM comparable_deals WHERE source = $1 AND source_ref = $2)
                 AS found",
        )
        .bind(source.as_str())
        .bind(source_ref)
        .fetch_one_as(&self.pool, |r| col(r, "found"))
        .await
    }
}
