//! Rows of the marketplace tables mapped back to core types. A stored value that no longer
//! parses (an unknown status, industry or state) is an error, never skipped or defaulted.

use msme_core::documents::{Document, DocumentId, DocumentKind};
use msme_core::identity::{AadhaarLast4, Gstin, Pan, Udyam};
use msme_core::kyc::{Kyc, KycStatus};
use msme_core::listing::{
    industry, state, AssetCategory, AssetCondition, DealType, Listing, ListingAsset,
    ListingContent, ListingId, ListingStatus, YearFinancials,
};
use msme_core::money::Paise;
use msme_core::types::UserId;
use rusqlite::types::Type;
use rusqlite::Row;

use crate::error::Inconsistent;
use crate::rows::{time, time_opt};

/// Parses the text in column `i` with `parse`; a failure is a conversion error naming it.
fn parsed<T, E>(
    row: &Row<'_>,
    i: usize,
    parse: impl FnOnce(&str) -> Result<T, E>,
) -> rusqlite::Result<T>
where
    E: std::error::Error + Send + Sync + 'static,
{
    let text: String = row.get(i)?;
    parse(&text).map_err(|e| rusqlite::Error::FromSqlConversionFailure(i, Type::Text, Box::new(e)))
}

/// The optional form of [`parsed`].
fn parsed_opt<T, E>(
    row: &Row<'_>,
    i: usize,
    parse: impl FnOnce(&str) -> Result<T, E>,
) -> rusqlite::Result<Option<T>>
where
    E: std::error::Error + Send + Sync + 'static,
{
    match row.get::<_, Option<String>>(i)? {
        None => Ok(None),
        Some(_) => parsed(row, i, parse).map(Some),
    }
}

fn listing_status(s: &str) -> Result<ListingStatus, Inconsistent> {
    ListingStatus::parse(s).ok_or_else(|| Inconsistent(format!("unknown listing status `{s}`")))
}

/// The columns [`kyc`] reads, in order.
pub(crate) const KYC_COLUMNS: &str = "user_id, pan, gstin, udyam, aadhaar_last4, status, \
    rejection_reason, submitted_at, decided_at, decided_by";

/// A KYC record from a row of [`KYC_COLUMNS`].
pub(crate) fn kyc(row: &Row<'_>) -> rusqlite::Result<Kyc> {
    Ok(Kyc {
        user_id: UserId::from_trusted(row.get(0)?),
        pan: parsed(row, 1, Pan::parse)?,
        gstin: parsed_opt(row, 2, Gstin::parse)?,
        udyam: parsed_opt(row, 3, Udyam::parse)?,
        aadhaar_last4: parsed_opt(row, 4, AadhaarLast4::parse)?,
        status: parsed(row, 5, KycStatus::parse)?,
        rejection_reason: row.get(6)?,
        submitted_at: time(row, 7)?,
        decided_at: time_opt(row, 8)?,
        decided_by: row.get(9)?,
    })
}

/// The columns [`document`] reads, in order.
pub(crate) const DOCUMENT_COLUMNS: &str = "id, owner_id, listing_id, kind, filename, \
    content_type, size_bytes, sha256, blob_key, created_at";

/// A document from a row of [`DOCUMENT_COLUMNS`].
pub(crate) fn document(row: &Row<'_>) -> rusqlite::Result<Document> {
    Ok(Document {
        id: DocumentId::from_trusted(row.get(0)?),
        owner_id: UserId::from_trusted(row.get(1)?),
        listing_id: row
            .get::<_, Option<String>>(2)?
            .map(ListingId::from_trusted),
        kind: parsed(row, 3, DocumentKind::parse)?,
        filename: row.get(4)?,
        content_type: row.get(5)?,
        size_bytes: row.get(6)?,
        sha256: row.get(7)?,
        blob_key: row.get(8)?,
        created_at: time(row, 9)?,
    })
}

/// The columns [`asset`] reads, in order.
pub(crate) const ASSET_COLUMNS: &str =
    "id, listing_id, item, category, quantity, book_value_paise, condition, created_at";

/// An inventory item from a row of [`ASSET_COLUMNS`].
pub(crate) fn asset(row: &Row<'_>) -> rusqlite::Result<ListingAsset> {
    Ok(ListingAsset {
        id: row.get(0)?,
        listing_id: ListingId::from_trusted(row.get(1)?),
        item: row.get(2)?,
        category: parsed(row, 3, AssetCategory::parse)?,
        quantity: row.get(4)?,
        book_value: Paise::new(row.get(5)?),
        condition: parsed(row, 6, AssetCondition::parse)?,
        created_at: time(row, 7)?,
    })
}

/// The columns [`listing`] reads, in order.
pub(crate) const LISTING_COLUMNS: &str = "id, seller_id, status, title, description, industry, \
    state, city, year_established, employees, deal_type, asking_price_paise, anonymous, \
    rejection_reason, version, created_at, updated_at, published_at";

/// A listing from a row of [`LISTING_COLUMNS`], without its financials (read apart).
pub(crate) fn listing(row: &Row<'_>) -> rusqlite::Result<Listing> {
    Ok(Listing {
        id: ListingId::from_trusted(row.get(0)?),
        seller_id: UserId::from_trusted(row.get(1)?),
        status: parsed(row, 2, listing_status)?,
        content: ListingContent {
            title: row.get(3)?,
            description: row.get(4)?,
            industry: parsed(row, 5, industry)?,
            state: parsed(row, 6, state)?,
            city: row.get(7)?,
            year_established: row.get(8)?,
            employees: row.get(9)?,
            deal_type: parsed(row, 10, DealType::parse)?,
            asking_price: Paise::new(row.get(11)?),
            anonymous: row.get(12)?,
            financials: Vec::new(),
        },
        rejection_reason: row.get(13)?,
        version: row.get(14)?,
        created_at: time(row, 15)?,
        updated_at: time(row, 16)?,
        published_at: time_opt(row, 17)?,
    })
}

/// The columns [`year`] reads, in order.
pub(crate) const YEAR_COLUMNS: &str = "fiscal_year, revenue_paise, ebitda_paise, \
    net_profit_paise, total_assets_paise, total_liabilities_paise, debt_paise";

/// One fiscal year from a row of [`YEAR_COLUMNS`].
pub(crate) fn year(row: &Row<'_>) -> rusqlite::Result<YearFinancials> {
    let paise = |i| row.get(i).map(Paise::new);
    Ok(YearFinancials {
        fiscal_year: row.get(0)?,
        revenue: paise(1)?,
        ebitda: paise(2)?,
        net_profit: paise(3)?,
        total_assets: paise(4)?,
        total_liabilities: paise(5)?,
        debt: paise(6)?,
    })
}
