//! Listings, their inventory and access grants: [`ListingStore`].

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use msme_core::audit::AuditEvent;
use msme_core::listing::{Listing, ListingAsset, ListingId, ListingQuery};
use msme_core::ports::{ListingStore, StoreResult};
use msme_core::types::UserId;

use crate::audit::append;
use crate::error::Step;
use crate::listing_sql;
use crate::market_rows::{self, ASSET_COLUMNS};
use crate::rows::{micros, time};
use crate::SqliteStore;

#[async_trait]
impl ListingStore for SqliteStore {
    #[tracing::instrument(skip_all, fields(count = listings.len()))]
    async fn create_listings(
        &self,
        listings: &[Listing],
        audits: Vec<AuditEvent>,
    ) -> StoreResult<()> {
        let listings = listings.to_vec();
        self.write(move |tx| {
            for l in &listings {
                listing_sql::insert(tx, l).step("storing a listing")?;
            }
            for audit in audits {
                append(tx, audit)?;
            }
            Ok(())
        })
        .await
    }

    #[tracing::instrument(skip_all)]
    async fn listing_by_id(&self, id: &ListingId) -> StoreResult<Option<Listing>> {
        let id = id.clone();
        self.read("reading a listing", move |c| listing_sql::by_id(c, &id))
            .await
    }

    #[tracing::instrument(skip_all)]
    async fn update_listing(&self, listing: &Listing, audit: AuditEvent) -> StoreResult<bool> {
        let l = listing.clone();
        self.audited(audit, move |tx| {
            listing_sql::update(tx, &l).step("updating a listing")
        })
        .await
    }

    #[tracing::instrument(skip_all)]
    async fn query_listings(&self, query: &ListingQuery) -> StoreResult<Vec<Listing>> {
        let q = query.clone();
        self.read("querying listings", move |c| listing_sql::query(c, &q))
            .await
    }

    #[tracing::instrument(skip_all)]
    async fn put_asset(&self, asset: &ListingAsset, audit: AuditEvent) -> StoreResult<()> {
        let a = asset.clone();
        let values = (
            a.id,
            a.listing_id.to_string(),
            a.item,
            a.category.as_str(),
            a.quantity,
            a.book_value.get(),
            a.condition.as_str(),
            micros(a.created_at),
        );
        self.audited_execute(
            "storing an asset",
            format!(
                "INSERT INTO listing_assets ({ASSET_COLUMNS}) \
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)"
            ),
            values,
            audit,
        )
        .await
        .map(drop)
    }

    #[tracing::instrument(skip_all)]
    async fn assets_of(&self, listing: &ListingId) -> StoreResult<Vec<ListingAsset>> {
        self.read_all(
            "listing assets",
            format!(
                "SELECT {ASSET_COLUMNS} FROM listing_assets WHERE listing_id = ?1 \
                 ORDER BY created_at, id"
            ),
            [listing.to_string()],
            market_rows::asset,
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
        let gone = self
            .audited_execute(
                "deleting an asset",
                "DELETE FROM listing_assets WHERE id = ?1 AND listing_id = ?2",
                (asset_id.to_string(), listing.to_string()),
                audit,
            )
            .await?;
        Ok(gone > 0)
    }

    #[tracing::instrument(skip_all)]
    async fn grant_access(
        &self,
        listing: &ListingId,
        buyer: &UserId,
        at: DateTime<Utc>,
        audit: AuditEvent,
    ) -> StoreResult<bool> {
        let added = self
            .audited_execute(
                "granting access",
                "INSERT INTO listing_access (listing_id, buyer_id, granted_at) \
                 VALUES (?1, ?2, ?3) ON CONFLICT (listing_id, buyer_id) DO NOTHING",
                (listing.to_string(), buyer.to_string(), micros(at)),
                audit,
            )
            .await?;
        Ok(added > 0)
    }

    #[tracing::instrument(skip_all)]
    async fn revoke_access(
        &self,
        listing: &ListingId,
        buyer: &UserId,
        audit: AuditEvent,
    ) -> StoreResult<bool> {
        let gone = self
            .audited_execute(
                "revoking access",
                "DELETE FROM listing_access WHERE listing_id = ?1 AND buyer_id = ?2",
                (listing.to_string(), buyer.to_string()),
                audit,
            )
            .await?;
        Ok(gone > 0)
    }

    #[tracing::instrument(skip_all)]
    async fn has_access(&self, listing: &ListingId, buyer: &UserId) -> StoreResult<bool> {
        self.read_one(
            "checking access",
            "SELECT EXISTS (SELECT 1 FROM listing_access \
             WHERE listing_id = ?1 AND buyer_id = ?2)",
            (listing.to_string(), buyer.to_string()),
            |r| r.get(0),
        )
        .await
    }

    #[tracing::instrument(skip_all)]
    async fn access_grants(
        &self,
        listing: &ListingId,
    ) -> StoreResult<Vec<(UserId, DateTime<Utc>)>> {
        self.read_all(
            "listing access grants",
            "SELECT buyer_id, granted_at FROM listing_access WHERE listing_id = ?1 \
             ORDER BY granted_at, buyer_id",
            [listing.to_string()],
            |r| Ok((UserId::from_trusted(r.get(0)?), time(r, 1)?)),
        )
        .await
    }
}
