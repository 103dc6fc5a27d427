//! Listings: [`ListingStore`]. A listing is one `listings` row (content denormalised into
//! columns the queries filter and sort on) plus its `listing_financials` rows; assets and
//! access grants hang off it.

mod access;
mod query;
mod rows;
mod write;

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use msme_core::audit::AuditEvent;
use msme_core::listing::{Listing, ListingAsset, ListingId, ListingQuery};
use msme_core::ports::{ListingStore, StoreResult};
use msme_core::types::UserId;

use sqlx::PgConnection;

use crate::audit::append;
use crate::error::store_error;
use crate::rows::{col, Fetch};
use crate::PgStore;
use rows::{asset_from_row, listing_columns, listings_from_rows};

#[async_trait]
impl ListingStore for PgStore {
    #[tracing::instrument(skip_all, fields(count = listings.len()))]
    async fn create_listings(
        &self,
        listings: &[Listing],
        audits: Vec<AuditEvent>,
    ) -> StoreResult<()> {
        if listings.is_empty() && audits.is_empty() {
            return Ok(());
        }
        let mut tx = self.begin().await?;
        for l in listings {
            write::insert_listing(&mut tx, l).await?;
        }
        // Entries after every row: the audit_head lock is taken last, once.
        for audit in audits {
            append(&mut tx, audit).await?;
        }
        tx.commit().await.map_err(store_error)
    }

    #[tracing::instrument(skip_all)]
    async fn listing_by_id(&self, id: &ListingId) -> StoreResult<Option<Listing>> {
        // One statement (one snapshot, one round trip): the listing's row once per fiscal year.
        let rows = sqlx::query(concat!(
            "SELECT l.*, f.fiscal_year, f.revenue_paise, f.ebitda_paise, f.net_profit_paise,
                    f.total_assets_paise, f.total_liabilities_paise, f.debt_paise
             FROM (SELECT ",
            listing_columns!(),
            " FROM listings WHERE id = $1) l
             LEFT JOIN listing_financials f ON f.listing_id = l.id
             ORDER BY f.fiscal_year DESC"
        ))
        .bind(id.as_str())
        .fetch_all(&self.pool)
        .await
        .map_err(store_error)?;
        rows::listing_with_years(&rows)
    }

    #[tracing::instrument(skip_all)]
    async fn update_listing(&self, listing: &Listing, audit: AuditEvent) -> StoreResult<bool> {
        self.audited(audit, async |tx| write::update_listing(tx, listing).await)
            .await
    }

    #[tracing::instrument(skip_all, fields(sort = query.sort.as_str(), limit = query.limit))]
    async fn query_listings(&self, query: &ListingQuery) -> StoreResult<Vec<Listing>> {
        let mut tx = self.snapshot().await?;
        let rows = query::listing_select(query)
            .build()
            .fetch_all(&mut *tx)
            .await
            .map_err(store_error)?;
        let found = listings_from_rows(&mut tx, &rows).await?;
        tx.commit().await.map_err(store_error)?;
        Ok(found)
    }

    #[tracing::instrument(skip_all)]
    async fn put_asset(&self, asset: &ListingAsset, audit: AuditEvent) -> StoreResult<()> {
        let upserted = async |tx: &mut PgConnection| access::upsert_asset(tx, asset).await;
        self.audited(audit, upserted).await
    }

    #[tracing::instrument(skip_all)]
    async fn assets_of(&self, listing: &ListingId) -> StoreResult<Vec<ListingAsset>> {
        self.find_all(
            "SELECT id, listing_id, item, category, quantity, book_value_paise, condition,
                    created_at
             FROM listing_assets WHERE listing_id = $1 ORDER BY created_at, id",
            listing.as_str(),
            asset_from_row,
        )
        .await
    }

    #[tracing::instrument(skip_all)]
    async fn delete_asset(
        &self,
        listing: &ListingId,
        asset_id: &str,
        audit: AuditEvent,
    ) -> StoreResult<bool> {
        let deleted =
            async |tx: &mut PgConnection| access::delete_asset(tx, listing, asset_id).await;
        self.audited(audit, deleted).await
    }

    #[tracing::instrument(skip_all)]
    async fn grant_access(
        &self,
        listing: &ListingId,
        buyer: &UserId,
        at: DateTime<Utc>,
        audit: AuditEvent,
    ) -> StoreResult<bool> {
        let granted =
            async |tx: &mut PgConnection| access::insert_grant(tx, listing, buyer, at).await;
        self.audited(audit, granted).await
    }

    #[tracing::instrument(skip_all)]
    async fn revoke_access(
        &self,
        listing: &ListingId,
        buyer: &UserId,
        audit: AuditEvent,
    ) -> StoreResult<bool> {
        let revoked = async |tx: &mut PgConnection| access::delete_grant(tx, listing, buyer).await;
        self.audited(audit, revoked).await
    }

    #[tracing::instrument(skip_all)]
    async fn has_access(&self, listing: &ListingId, buyer: &UserId) -> StoreResult<bool> {
        sqlx::query(
            "SELECT EXISTS (SELECT 1 FROM listing_access WHERE listing_id = $1 AND buyer_id = $2)
                 AS granted",
        )
        .bind(listing.as_str())
        .bind(buyer.as_str())
        .fetch_one_as(&self.pool, |r| col(r, "granted"))
        .await
    }

    #[tracing::instrument(skip_all)]
    async fn access_grants(
        &self,
        listing: &ListingId,
    ) -> StoreResult<Vec<(UserId, DateTime<Utc>)>> {
        let mut conn = self.pool.acquire().await.map_err(store_error)?;
        access::grants(&mut conn, listing).await
    }
}
