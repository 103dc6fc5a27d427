//! Comparable deals ([`ComparableStore`]): one row per deal, named once by source and reference.

use async_trait::async_trait;
use msme_core::audit::AuditEvent;
use msme_core::model::{ComparableDeal, ComparableId, ComparableInput, ComparableSource};
use msme_core::ports::{ComparableStore, StoreResult};
use rusqlite::{params, Row};

use crate::audit::append;
use crate::error::Step;
use crate::rows::{micros, time};
use crate::SqliteStore;

const COLUMNS: &str = "id, source, source_ref, industry, state, city, year_established, \
    fiscal_year, employees, revenue_paise, ebitda_paise, net_profit_paise, total_assets_paise, \
    total_liabilities_paise, debt_paise, revenue_growth_bps, sale_price_paise, created_at";

/// A row before its checks: id, source, reference, the figures and the time.
type RawRow = (
    String,
    String,
    String,
    ComparableInput,
    chrono::DateTime<chrono::Utc>,
);

fn raw(r: &Row<'_>) -> rusqlite::Result<RawRow> {
    let input = ComparableInput {
        industry: r.get(3)?,
        state: r.get(4)?,
        city: r.get(5)?,
        year_established: r.get(6)?,
        fiscal_year: r.get(7)?,
        employees: r.get(8)?,
        revenue_paise: r.get(9)?,
        ebitda_paise: r.get(10)?,
        net_profit_paise: r.get(11)?,
        total_assets_paise: r.get(12)?,
        total_liabilities_paise: r.get(13)?,
        debt_paise: r.get(14)?,
        revenue_growth_bps: r.get(15)?,
        sale_price_paise: r.get(16)?,
    };
    Ok((r.get(0)?, r.get(1)?, r.get(2)?, input, time(r, 17)?))
}

fn deal((id, source, source_ref, input, at): RawRow) -> StoreResult<ComparableDeal> {
    ComparableDeal::from_stored(id, &source, source_ref, &input, at)
}

#[async_trait]
impl ComparableStore for SqliteStore {
    #[tracing::instrument(skip_all, fields(deals = deals.len()))]
    async fn add_comparables(
        &self,
        deals: &[ComparableDeal],
        audit: AuditEvent,
    ) -> StoreResult<usize> {
        let deals = deals.to_vec();
        self.write(move |tx| {
            let mut st = tx
                .prepare_cached(&format!(
                    "INSERT INTO comparable_deals ({COLUMNS}) VALUES (?1, ?2, ?3, ?4, ?5, ?6, \
                     ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18) \
                     ON CONFLICT (source, source_ref) DO NOTHING"
                ))
                .step("preparing to add comparable deals")?;
            let mut added = 0;
            for d in &deals {
                added += st
                    .execute(params![
                        d.id.as_str(),
                        d.source.as_str(),
                        d.source_ref,
                        d.industry.id,
                        d.state.code,
                        d.city,
                        d.year_established,
                        d.fiscal_year,
                        d.employees,
                        d.revenue.get(),
                        d.ebitda.get(),
                        d.net_profit.get(),
                        d.total_assets.get(),
                        d.total_liabilities.get(),
                        d.debt.get(),
                        d.revenue_growth_bps,
                        d.sale_price.get(),
                        micros(d.created_at),
                    ])
                    .step("adding a comparable deal")?;
            }
            append(tx, audit)?;
            Ok(added)
        })
        .await
    }

    #[tracing::instrument(skip_all)]
    async fn comparables_page(
        &self,
        after: Option<&ComparableId>,
        limit: u32,
    ) -> StoreResult<Vec<ComparableDeal>> {
        let after = after.map_or_else(String::new, ToString::to_string);
        let rows = self
            .read_all(
                "reading comparable deals",
                format!(
                    "SELECT {COLUMNS} FROM comparable_deals WHERE id > ?1 ORDER BY id LIMIT ?2"
                ),
                (after, limit),
                raw,
            )
            .await?;
        rows.into_iter().map(deal).collect()
    }

    async fn comparable_count(&self) -> StoreResult<u64> {
        let n: i64 = self
            .read_one(
                "counting comparable deals",
                "SELECT COUNT(*) FROM comparable_deals",
                (),
                |r| r.get(0),
            )
            .await?;
        Ok(u64::try_from(n).unwrap_or(0))
    }

    async fn has_comparable(
        &self,
        source: ComparableSource,
        source_ref: &str,
    ) -> StoreResult<bool> {
        self.read_one(
            "looking up a comparable deal",
            "SELECT EXISTS (SELECT 1 FROM comparable_deals WHERE source = ?1 AND source_ref = ?2)",
            (source.as_str(), source_ref.to_string()),
            |r| r.get(0),
        )
        .await
    }
}
