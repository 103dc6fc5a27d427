//! Listings, their inventory and access grants: [`ListingStore`].

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use msme_core::audit::AuditEvent;
use msme_core::listing::{Listing, ListingAsset, ListingId, ListingQuery};
use msme_core::ports::{ListingStore, StoreResult};
use msme_core::types::UserId;
use rusqlite::{params, ToSql};

use crate::audit::append;
use crate::error::Step;
use crate::listing_sql;
use crate::market_rows::{self, ASSET_COLUMNS};
use crate::rows::{micros, time};
use crate::SqliteStore;

#[async_trait]
impl ListingStore for SqliteStore {
    #[tracing::instrument(skip_all)]
    async fn create_listing(&self, listing: &Listing, audit: AuditEvent) -> StoreResult<()> {
        self.create_listings(std::slice::from_ref(listing), vec![audit])
            .await
    }

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
        self.write(move |tx| {
            if !listing_sql::update(tx, &l).step("updating a listing")? {
                return Ok(false);
            }
            append(tx, audit).map(|_| true)
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
        self.write(move |tx| {
            let values: [&dyn ToSql; 8] = [
                &a.id,
                &a.listing_id.as_str(),
                &a.item,
                &a.category.as_str(),
                &a.quantity,
                &a.book_value.get(),
                &a.condition.as_str(),
                &micros(a.created_at),
            ];
            let sql = format!(
                "INSERT INTO listing_assets ({ASSET_COLUMNS}) \
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)"
            );
            tx.execute(&sql, &values[..]).step("storing an asset")?;
            append(tx, audit).map(drop)
        })
        .await
    }

    #[tracing::instrument(skip_all)]
    async fn assets_of(&self, listing: &ListingId) -> StoreResult<Vec<ListingAsset>> {
        let id = listing.to_string();
        self.read("listing assets", move |c| {
            let sql = format!(
                "SELECT {ASSET_COLUMNS} FROM listing_assets WHERE listing_id = ?1 \
                 ORDER BY created_at, id"
            );
            let mut st = c.prepare_cached(&sql)?;
            let rows = st.query_map([id], market_rows::asset)?;
            rows.collect()
        })
        .await
    }

    #[tracing::instrument(skip_all)]
    async fn delete_asset(
        &self,
        listing: &ListingId,
        asset_id: &str,
        audit: AuditEvent,
    ) -> StoreResult<bool> {
        let (listing, asset) = (listing.to_string(), asset_id.to_string());
        self.write(move |tx| {
            let gone = tx
                .execute(
                    "DELETE FROM listing_assets WHERE id = ?1 AND listing_id = ?2",
                    params![asset, listing],
                )
                .step("deleting an asset")?;
            if gone == 0 {
                return Ok(false);
            }
            append(tx, audit).map(|_| true)
        })
        .await
    }

    #[tracing::instrument(skip_all)]
    async fn grant_access(
        &self,
        listing: &ListingId,
        buyer: &UserId,
        at: DateTime<Utc>,
        audit: AuditEvent,
    ) -> StoreResult<bool> {
        let (listing, buyer) = (listing.to_string(), buyer.to_string());
        self.write(move |tx| {
            let added = tx
                .execute(
                    "INSERT INTO listing_access (listing_id, buyer_id, granted_at) \
                     VALUES (?1, ?2, ?3) ON CONFLICT (listing_id, buyer_id) DO NOTHING",
                    params![listing, buyer, micros(at)],
                )
                .step("granting access")?;
            if added == 0 {
                return Ok(false);
            }
            append(tx, audit).map(|_| true)
        })
        .await
    }

    #[tracing::instrument(skip_all)]
    async fn revoke_access(
        &self,
        listing: &ListingId,
        buyer: &UserId,
        audit: AuditEvent,
    ) -> StoreResult<bool> {
        let (listing, buyer) = (listing.to_string(), buyer.to_string());
        self.write(move |tx| {
            let gone = tx
                .execute(
                    "DELETE FROM listing_access WHERE listing_id = ?1 AND buyer_id = ?2",
                    params![listing, buyer],
                )
                .step("revoking access")?;
            if gone == 0 {
                return Ok(false);
            }
            append(tx, audit).map(|_| true)
        })
        .await
    }

    #[tracing::instrument(skip_all)]
    async fn has_access(&self, listing: &ListingId, buyer: &UserId) -> StoreResult<bool> {
        let (listing, buyer) = (listing.to_string(), buyer.to_string());
        self.read("checking access", move |c| {
            c.prepare_cached(
                "SELECT EXISTS (SELECT 1 FROM listing_access \
                 WHERE listing_id = ?1 AND buyer_id = ?2)",
            )?
            .query_row(params![listing, buyer], |r| r.get(0))
        })
        .await
    }

    #[tracing::instrument(skip_all)]
    async fn access_grants(
        &self,
        listing: &ListingId,
    ) -> StoreResult<Vec<(UserId, DateTime<Utc>)>> {
        let listing = listing.to_string();
        self.read("listing access grants", move |c| {
            let mut st = c.prepare_cached(
                "SELECT buyer_id, granted_at FROM listing_access WHERE listing_id = ?1 \
                 ORDER BY granted_at, buyer_id",
            )?;
            let rows = st.query_map([listing], |r| {
                Ok((UserId::from_trusted(r.get(0)?), time(r, 1)?))
            })?;
            rows.collect()
        })
        .await
    }
}
