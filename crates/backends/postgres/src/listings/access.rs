//! A listing's asset inventory and its access grants.

use chrono::{DateTime, Utc};
use msme_core::error::StoreError;
use msme_core::listing::{ListingAsset, ListingId};
use msme_core::ports::StoreResult;
use msme_core::types::UserId;
use sqlx::PgConnection;

use crate::rows::{col, Fetch};

/// Adds an item, or replaces it when the id is already on this listing. An id that is on
/// another listing is refused, so one listing's owner cannot overwrite another's inventory.
pub(super) async fn upsert_asset(conn: &mut PgConnection, a: &ListingAsset) -> StoreResult<()> {
    let written = sqlx::query(
        "INSERT INTO listing_assets (id, listing_id, item, category, quantity, book_value_paise,
             condition, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
         ON CONFLICT (id) DO UPDATE SET item = EXCLUDED.item, category = EXCLUDED.category,
             quantity = EXCLUDED.quantity, book_value_paise = EXCLUDED.book_value_paise,
             condition = EXCLUDED.condition, created_at = EXCLUDED.created_at
         WHERE listing_assets.listing_id = EXCLUDED.listing_id",
    )
    .bind(&a.id)
    .bind(a.listing_id.as_str())
    .bind(&a.item)
    .bind(a.category.as_str())
    .bind(a.quantity)
    .bind(a.book_value.get())
    .bind(a.condition.as_str())
    .bind(a.created_at)
    .run(conn)
    .await?;
    if written == 0 {
        return Err(StoreError::backend(format!(
            "asset {} belongs to another listing",
            a.id
        )));
    }
    Ok(())
}

/// Removes an item; false when no such item is on that listing.
pub(super) async fn delete_asset(
    conn: &mut PgConnection,
    listing: &ListingId,
    asset_id: &str,
) -> StoreResult<bool> {
    let deleted = sqlx::query("DELETE FROM listing_assets WHERE listing_id = $1 AND id = $2")
        .bind(listing.as_str())
        .bind(asset_id)
        .run(conn)
        .await?;
    Ok(deleted > 0)
}

/// Records a grant; false when the buyer already had one (the first grant's time is kept).
pub(super) async fn insert_grant(
    conn: &mut PgConnection,
    listing: &ListingId,
    buyer: &UserId,
    at: DateTime<Utc>,
) -> StoreResult<bool> {
    let inserted = sqlx::query(
        "INSERT INTO listing_access (listing_id, buyer_id, granted_at) VALUES ($1, $2, $3)
         ON CONFLICT (listing_id, buyer_id) DO NOTHING",
    )
    .bind(listing.as_str())
    .bind(buyer.as_str())
    .bind(at)
    .run(conn)
    .await?;
    Ok(inserted == 1)
}

/// Removes a grant; false when there was none.
pub(super) async fn delete_grant(
    conn: &mut PgConnection,
    listing: &ListingId,
    buyer: &UserId,
) -> StoreResult<bool> {
    let deleted = sqlx::query("DELETE FROM listing_access WHERE listing_id = $1 AND buyer_id = $2")
        .bind(listing.as_str())
        .bind(buyer.as_str())
        .run(conn)
        .await?;
    Ok(deleted > 0)
}

/// Buyers with a grant, oldest grant first.
pub(super) async fn grants(
    conn: &mut PgConnection,
    listing: &ListingId,
) -> StoreResult<Vec<(UserId, DateTime<Utc>)>> {
    sqlx::query(
        "SELECT buyer_id, granted_at FROM listing_access WHERE listing_id = $1
         ORDER BY granted_at, buyer_id",
    )
    .bind(listing.as_str())
    .fetch_all_as(conn, |r| {
        Ok((
            UserId::from_trusted(col(r, "buyer_id")?),
            col(r, "granted_at")?,
        ))
    })
    .await
}
