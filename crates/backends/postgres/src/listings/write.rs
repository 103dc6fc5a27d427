//! Writing listings: the `listings` row and its financials, inside a caller's transaction.

use msme_core::listing::{Listing, YearFinancials};
use msme_core::money::Paise;
use sqlx::postgres::PgArguments;
use sqlx::query::Query;
use sqlx::{PgConnection, Postgres};

use crate::rows::Fetch;
use msme_core::ports::StoreResult;

/// The city as filters compare it: trimmed, lower-cased (Unicode). The same rule as
/// msme-sqlite's, computed here rather than by `lower()`, whose result depends on the
/// database's locale.
pub(super) fn city_key(city: &str) -> String {
    city.trim().to_lowercase()
}

/// Binds every column of the row as `$1` to `$21`, in the order of the `INSERT` below.
fn bind_listing<'q>(sql: &'static str, l: &'q Listing) -> Query<'q, Postgres, PgArguments> {
    let c = &l.content;
    let latest = c.latest();
    sqlx::query(sql)
        .bind(l.id.as_str())
        .bind(l.seller_id.as_str())
        .bind(l.status.as_str())
        .bind(&c.title)
        .bind(&c.description)
        .bind(c.industry.id)
        .bind(c.state.name)
        .bind(&c.city)
        .bind(c.year_established)
        .bind(c.employees)
        .bind(c.deal_type.as_str())
        .bind(c.asking_price.get())
        .bind(c.anonymous)
        .bind(latest.map(|y| y.revenue.get()))
        .bind(latest.map(|y| y.ebitda.get()))
        .bind(&l.rejection_reason)
        .bind(l.version)
        .bind(l.created_at)
        .bind(l.updated_at)
        .bind(l.published_at)
        .bind(city_key(&c.city))
}

/// Inserts a new listing with its financials.
pub(super) async fn insert_listing(conn: &mut PgConnection, l: &Listing) -> StoreResult<()> {
    bind_listing(
        "INSERT INTO listings (id, seller_id, status, title, description, industry, state, city,
             year_established, employees, deal_type, asking_price_paise, anonymous,
             latest_revenue_paise, latest_ebitda_paise, rejection_reason, version, created_at,
             updated_at, published_at, city_key)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17,
                 $18, $19, $20, $21)",
        l,
    )
    .run(&mut *conn)
    .await?;
    insert_financials(conn, l).await
}

/// Replaces everything but the id, seller and creation time, only if the stored version is
/// `l.version - 1`; false (nothing written) otherwise. The row lock taken here makes a
/// concurrent update wait and then find the version moved on.
pub(super) async fn update_listing(conn: &mut PgConnection, l: &Listing) -> StoreResult<bool> {
    let Some(previous) = l.version.checked_sub(1) else {
        return Ok(false);
    };
    // $2 (seller) and $18 (created_at) are bound for the shared binder but never change.
    let updated = bind_listing(
        "UPDATE listings SET status = $3, title = $4, description = $5, industry = $6,
             state = $7, city = $8, year_established = $9, employees = $10, deal_type = $11,
             asking_price_paise = $12, anonymous = $13, latest_revenue_paise = $14,
             latest_ebitda_paise = $15, rejection_reason = $16, version = $17,
             updated_at = $19, published_at = $20, city_key = $21
         WHERE id = $1 AND version = $22",
        l,
    )
    .bind(previous)
    .run(&mut *conn)
    .await?;
    if updated == 0 {
        return Ok(false);
    }
    sqlx::query("DELETE FROM listing_financials WHERE listing_id = $1")
        .bind(l.id.as_str())
        .run(&mut *conn)
        .await?;
    insert_financials(conn, l).await?;
    Ok(true)
}

/// Inserts every fiscal year of `l` in one statement.
async fn insert_financials(conn: &mut PgConnection, l: &Listing) -> StoreResult<()> {
    let years = &l.content.financials;
    if years.is_empty() {
        return Ok(());
    }
    let column = |f: fn(&YearFinancials) -> Paise| years.iter().map(|y| f(y).get()).collect();
    let cols: [Vec<i64>; 6] = [
        column(|y| y.revenue),
        column(|y| y.ebitda),
        column(|y| y.net_profit),
        column(|y| y.total_assets),
        column(|y| y.total_liabilities),
        column(|y| y.debt),
    ];
    let [revenue, ebitda, net_profit, assets, liabilities, debt] = cols;
    sqlx::query(
        "INSERT INTO listing_financials (listing_id, fiscal_year, revenue_paise, ebitda_paise,
             net_profit_paise, total_assets_paise, total_liabilities_paise, debt_paise)
         SELECT $1, * FROM UNNEST($2::int4[], $3::int8[], $4::int8[], $5::int8[], $6::int8[],
                                  $7::int8[], $8::int8[])",
    )
    .bind(l.id.as_str())
    .bind(years.iter().map(|y| y.fiscal_year).collect::<Vec<i32>>())
    .bind(revenue)
    .bind(ebitda)
    .bind(net_profit)
    .bind(assets)
    .bind(liabilities)
    .bind(debt)
    .run(conn)
    .await
    .map(drop)
}
