//! Listing assets, buyer access grants and bulk import.

use serde_json::json;

use super::{
    AssetCategory, AssetCondition, Listing, ListingAsset, ListingError, ListingInput, Listings,
};
use crate::audit::RequestMeta;
use crate::error::ValidationError;
use crate::money::Paise;
use crate::rbac::{Actor, Permission};
use crate::types::{ListingId, Role, UserId};

/// An asset as given, before checks.
#[derive(Clone, Debug, Default)]
pub struct AssetInput {
    pub item: String,
    pub category: String,
    pub quantity: i32,
    pub book_value_paise: i64,
    pub condition: String,
}

/// One row of a bulk import that failed its checks.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RowError {
    /// Line in the source file (1 is the header).
    pub line: usize,
    pub field: String,
    pub reason: String,
}

/// What a bulk import did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ImportReport {
    pub imported: usize,
    /// The listings made, by the line they came from.
    pub listings: Vec<(usize, ListingId)>,
    pub errors: Vec<RowError>,
}

impl Listings<'_> {
    /// Adds an item to the asset inventory (owner only, while the listing can be edited).
    pub async fn add_asset(
        &self,
        meta: &RequestMeta,
        actor: &Actor,
        id: &ListingId,
        a: &AssetInput,
    ) -> Result<ListingAsset, ListingError> {
        let l = self.require_owner(actor, id).await?;
        l.status.apply(super::ListingAction::Edit)?;
        let item = crate::error::check_free_text("item", &a.item, 200)?;
        if item.is_empty() {
            return Err(ValidationError::new("item", "must be 1 to 200 characters").into());
        }
        if !(1..=1_000_000).contains(&a.quantity) {
            return Err(ValidationError::new("quantity", "must be between 1 and 1,000,000").into());
        }
        let asset = ListingAsset {
            id: uuid::Uuid::now_v7().to_string(),
            listing_id: l.id.clone(),
            item,
            category: AssetCategory::parse(&a.category)?,
            quantity: a.quantity,
            book_value: Paise::non_negative("book_value_paise", a.book_value_paise)?,
            condition: AssetCondition::parse(&a.condition)?,
            created_at: self.stamp.now(),
        };
        let event = self.audit(
            meta,
            actor,
            "listing.asset_added",
            &l,
            json!({ "asset_id": asset.id }),
        );
        self.store.put_asset(&asset, event).await?;
        Ok(asset)
    }

    /// Removes an item from the inventory.
    pub async fn remove_asset(
        &self,
        meta: &RequestMeta,
        actor: &Actor,
        id: &ListingId,
        asset_id: &str,
    ) -> Result<(), ListingError> {
        let l = self.require_owner(actor, id).await?;
        l.status.apply(super::ListingAction::Edit)?;
        let event = self.audit(
            meta,
            actor,
            "listing.asset_removed",
            &l,
            json!({ "asset_id": asset_id }),
        );
        if !self.store.delete_asset(&l.id, asset_id, event).await? {
            return Err(ListingError::AssetNotFound);
        }
        Ok(())
    }

    /// The inventory, for those who may see the full listing.
    pub async fn assets(
        &self,
        actor: &Actor,
        id: &ListingId,
    ) -> Result<Vec<ListingAsset>, ListingError> {
        if !self.may_see_full(actor, id).await? {
            return Err(ListingError::NotFound);
        }
        Ok(self.store.assets_of(id).await?)
    }

    /// Lets a buyer see the full listing, its documents and the seller's identity.
    pub async fn grant_access(
        &self,
        meta: &RequestMeta,
        actor: &Actor,
        id: &ListingId,
        buyer: &UserId,
    ) -> Result<bool, ListingError> {
        let l = self.require_owner(actor, id).await?;
        let b = self
            .store
            .user_by_id(buyer)
            .await?
            .ok_or(ListingError::BuyerNotFound)?;
        if !matches!(b.role, Role::Buyer | Role::Agent | Role::Nbfc) {
            return Err(ListingError::BuyerNotFound);
        }
        let event = self.audit(
            meta,
            actor,
            "listing.access_granted",
            &l,
            json!({ "buyer_id": buyer.as_str() }),
        );
        Ok(self
            .store
            .grant_access(&l.id, buyer, self.stamp.now(), event)
            .await?)
    }

    /// Takes a grant back.
    pub async fn revoke_access(
        &self,
        meta: &RequestMeta,
        actor: &Actor,
        id: &ListingId,
        buyer: &UserId,
    ) -> Result<bool, ListingError> {
        let l = self.require_owner(actor, id).await?;
        let event = self.audit(
            meta,
            actor,
            "listing.access_revoked",
            &l,
            json!({ "buyer_id": buyer.as_str() }),
        );
        Ok(self.store.revoke_access(&l.id, buyer, event).await?)
    }

    /// Who has access, for the owner.
    pub async fn access_grants(
        &self,
        actor: &Actor,
        id: &ListingId,
    ) -> Result<Vec<(UserId, chrono::DateTime<chrono::Utc>)>, ListingError> {
        let l = self.require_owner(actor, id).await?;
        Ok(self.store.access_grants(&l.id).await?)
    }

    /// Imports many listings as drafts of `seller`, checking every row first. With errors,
    /// nothing is imported unless `skip_invalid`, which imports the good rows. One transaction.
    pub async fn import(
        &self,
        meta: &RequestMeta,
        actor: &Actor,
        seller: &UserId,
        rows: &[(usize, ListingInput)],
        skip_invalid: bool,
    ) -> Result<ImportReport, ListingError> {
        actor.require(Permission::ManageUsers)?;
        let owner = self
            .store
            .user_by_id(seller)
            .await?
            .ok_or(ListingError::Invalid(ValidationError::new(
                "seller",
                "no such account",
            )))?;
        if !crate::rbac::allows(owner.role, Permission::CreateListing) {
            return Err(ValidationError::new(
                "seller",
                "this account's role cannot list businesses",
            )
            .into());
        }
        let mut good: Vec<Listing> = Vec::new();
        let mut made = Vec::new();
        let mut errors = Vec::new();
        for (line, input) in rows {
            match self.new_listing(seller.clone(), input) {
                Ok(l) => {
                    made.push((*line, l.id.clone()));
                    good.push(l);
                }
                Err(ListingError::Invalid(e)) => errors.push(RowError {
                    line: *line,
                    field: e.field,
                    reason: e.reason,
                }),
                Err(e) => return Err(e),
            }
        }
        if !errors.is_empty() && !skip_invalid {
            return Ok(ImportReport {
                imported: 0,
                listings: Vec::new(),
                errors,
            });
        }
        let audits = good
            .iter()
            .map(|l| {
                self.audit(
                    meta,
                    actor,
                    "listing.imported",
                    l,
                    json!({ "status": "draft" }),
                )
            })
            .collect();
        self.store.create_listings(&good, audits).await?;
        Ok(ImportReport {
            imported: good.len(),
            listings: made,
            errors,
        })
    }
}
