//! Reading listings back: a row of `listings` plus its `listing_financials` rows make one
//! [`Listing`]; stored vocabulary values are re-parsed, and one that fails is corruption.

use std::collections::HashMap;

use msme_core::error::StoreError;
use msme_core::listing::{
    industry, state, AssetCategory, AssetCondition, DealType, Listing, ListingAsset,
    ListingContent, ListingId, ListingStatus, YearFinancials,
};
use msme_core::money::Paise;
use msme_core::types::UserId;
use sqlx::postgres::PgRow;
use sqlx::PgConnection;

use crate::error::corrupt;
use crate::rows::from_columns;
use crate::rows::{col, Fetch};

/// The columns a [`Listing`] is read from, as a literal for `concat!`.
macro_rules! listing_columns {
    () => {
        "id, seller_id, status, title, description, industry, state, city, year_established,
         employees, deal_type, asking_price_paise, anonymous, rejection_reason, version,
         created_at, updated_at, published_at"
    };
}
pub(super) use listing_columns;

/// Reads the listing in `row`, with its financials (newest year first).
pub(super) fn listing_from_row(
    row: &PgRow,
    financials: Vec<YearFinancials>,
) -> Result<Listing, StoreError> {
    let status: String = col(row, "status")?;
    Ok(from_columns!(row => Listing {
        rejection_reason, version, created_at, updated_at, published_at;
        id: ListingId::from_trusted(col(row, "id")?),
        seller_id: UserId::from_trusted(col(row, "seller_id")?),
        content: content_from_row(row, financials)?,
        status: ListingStatus::parse(&status).ok_or_else(|| corrupt("listing status", &status))?,
    }))
}

fn content_from_row(
    row: &PgRow,
    financials: Vec<YearFinancials>,
) -> Result<ListingContent, StoreError> {
    let industry_id: String = col(row, "industry")?;
    let state_name: String = col(row, "state")?;
    let deal_type: String = col(row, "deal_type")?;
    Ok(ListingContent {
        title: col(row, "title")?,
        description: col(row, "description")?,
        industry: industry(&industry_id).map_err(|_| corrupt("industry", &industry_id))?,
        city: col(row, "city")?,
        state: state(&state_name).map_err(|_| corrupt("state", &state_name))?,
        year_established: col(row, "year_established")?,
        employees: col(row, "employees")?,
        deal_type: DealType::parse(&deal_type).map_err(|_| corrupt("deal type", &deal_type))?,
        asking_price: Paise::new(col(row, "asking_price_paise")?),
        anonymous: col(row, "anonymous")?,
        financials,
    })
}

fn year_from_row(row: &PgRow) -> Result<YearFinancials, StoreError> {
    let paise = |name: &str| col::<i64>(row, name).map(Paise::new);
    Ok(YearFinancials {
        fiscal_year: col(row, "fiscal_year")?,
        revenue: paise("revenue_paise")?,
        ebitda: paise("ebitda_paise")?,
        net_profit: paise("net_profit_paise")?,
        total_assets: paise("total_assets_paise")?,
        total_liabilities: paise("total_liabilities_paise")?,
        debt: paise("debt_paise")?,
    })
}

/// The financials of every listing in `ids`, by listing id, newest year first.
pub(super) async fn financials_of(
    conn: &mut PgConnection,
    ids: Vec<String>,
) -> Result<HashMap<String, Vec<YearFinancials>>, StoreError> {
    let years = sqlx::query(
        "SELECT listing_id, fiscal_year, revenue_paise, ebitda_paise, net_profit_paise,
                total_assets_paise, total_liabilities_paise, debt_paise
         FROM listing_financials WHERE listing_id = ANY($1)
         ORDER BY listing_id, fiscal_year DESC",
    )
    .bind(ids)
    .fetch_all_as(conn, |r| {
        Ok((col::<String>(r, "listing_id")?, year_from_row(r)?))
    })
    .await?;
    let mut by_listing: HashMap<String, Vec<YearFinancials>> = HashMap::new();
    for (id, year) in years {
        by_listing.entry(id).or_default().push(year);
    }
    Ok(by_listing)
}

/// Reads one listing from rows that repeat it once per fiscal year (a `LEFT JOIN` of its
/// financials, newest first; a listing without financials comes back as one row of nulls).
pub(super) fn listing_with_years(rows: &[PgRow]) -> Result<Option<Listing>, StoreError> {
    let Some(first) = rows.first() else {
        return Ok(None);
    };
    let mut years = Vec::with_capacity(rows.len());
    for row in rows {
        if col::<Option<i32>>(row, "fiscal_year")?.is_some() {
            years.push(year_from_row(row)?);
        }
    }
    listing_from_row(first, years).map(Some)
}

/// Reads listing rows and joins them to their financials, keeping the rows' order.
pub(super) async fn listings_from_rows(
    conn: &mut PgConnection,
    rows: &[PgRow],
) -> Result<Vec<Listing>, StoreError> {
    if rows.is_empty() {
        return Ok(Vec::new());
    }
    let ids = rows
        .iter()
        .map(|r| col::<String>(r, "id"))
        .collect::<Result<Vec<_>, _>>()?;
    let mut financials = financials_of(conn, ids).await?;
    rows.iter()
        .map(|row| {
            let id: String = col(row, "id")?;
            listing_from_row(row, financials.remove(&id).unwrap_or_default())
        })
        .collect()
}

/// Reads an item of the asset inventory.
pub(super) fn asset_from_row(row: &PgRow) -> Result<ListingAsset, StoreError> {
    let category: String = col(row, "category")?;
    let condition: String = col(row, "condition")?;
    Ok(ListingAsset {
        id: col(row, "id")?,
        listing_id: ListingId::from_trusted(col(row, "listing_id")?),
        item: col(row, "item")?,
        category: AssetCategory::parse(&category)
            .map_err(|_| corrupt("asset category", &category))?,
        quantity: col(row, "quantity")?,
        book_value: Paise::new(col(row, "book_value_paise")?),
        condition: AssetCondition::parse(&condition)
            .map_err(|_| corrupt("asset condition", &condition))?,
        created_at: col(row, "created_at")?,
    })
}
