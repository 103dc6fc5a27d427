//! [`Valuations`]: valuations users ask for and keep.
//!
//! Who may do what:
//! - value a listing: its owner, an admin, or anyone who may see the full listing; others are
//!   told the listing does not exist;
//! - value raw figures: anyone with [`Permission::RequestValuation`];
//! - read a valuation: whoever asked for it, an admin, or the owner of the listing valued;
//!   others are told it does not exist; whoever asked but now sees only the listing's teaser
//!   reads it with the listing's confidential fields withheld (`reader.rs`);
//! - list a listing's valuations: its owner and admins see all; others who may see the full
//!   listing see their own.

use serde_json::json;

use super::{
    nearest_comparables, risk_assessment, valuate_with_model, AssetCategory, AssetInventory,
    AssetItem, Valuation, ValuationInput, ValuationReport, ValuationRequest, ValuationRequestError,
    COMPARABLES, COMPARABLE_STATUSES,
};
use crate::audit::RequestMeta;
use crate::listing::{self, Listing, ListingAsset, ListingQuery};
use crate::model::{ModelAnswer, ModelError};
use crate::rbac::{Actor, Permission};
use crate::types::{ListingId, ValuationId};

type Result<T> = std::result::Result<T, ValuationRequestError>;

/// How many candidates each comparables query reads.
const CANDIDATES: u32 = 100;

/// What the valuation context is built with: its ports and assumptions, and the services of
/// the contexts below it that it reads (listings for what a requester may see, models for the
/// estimate).
pub(crate) struct ValuationCtx<'a> {
    pub(crate) store: &'a dyn crate::valuation::ValuationPorts,
    pub(crate) stamp: crate::audit::Stamp<'a>,
    pub(crate) assumptions: &'a super::ValuationAssumptions,
    pub(crate) listings: crate::listing::Listings<'a>,
    pub(crate) models: crate::model::Models<'a>,
}

/// Valuation operations; get one from [`Platform::valuations`](crate::Platform::valuations).
pub struct Valuations<'a> {
    pub(crate) c: ValuationCtx<'a>,
}

impl Valuations<'_> {
    /// Values a listing from its financials, asset inventory and documents, and keeps it.
    pub async fn valuate_listing(
        &self,
        meta: &RequestMeta,
        actor: &Actor,
        id: &ListingId,
    ) -> Result<Valuation> {
        actor.require(Permission::RequestValuation)?;
        if !self.c.listings.may_see_full(actor, id).await? {
            return Err(ValuationRequestError::ListingNotFound);
        }
        let store = self.c.store;
        let l = store
            .listing_by_id(id)
            .await?
            .ok_or(ValuationRequestError::ListingNotFound)?;
        let assets = inventory(&store.assets_of(id).await?);
        let diligence = self.diligence_of(&l).await?;
        let input = ValuationInput::from_listing(&l.content, assets, diligence, self.today())?;
        let title = Some(l.content.title.clone());
        self.run(meta, actor, Some(l.id), title, input).await
    }

    /// Values figures given without a listing, and keeps the valuation.
    pub async fn valuate_raw(
        &self,
        meta: &RequestMeta,
        actor: &Actor,
        request: &ValuationRequest,
    ) -> Result<Valuation> {
        actor.require(Permission::RequestValuation)?;
        let (subject, input) = request.to_input(self.today())?;
        self.run(meta, actor, None, subject, input).await
    }

    /// One valuation, if the actor may read it.
    pub async fn get(&self, actor: &Actor, id: &ValuationId) -> Result<Valuation> {
        let v = self
            .c
            .store
            .valuation_by_id(id)
            .await?
            .ok_or(ValuationRequestError::NotFound)?;
        self.as_read_by(actor, v)
            .await?
            .ok_or(ValuationRequestError::NotFound)
    }

    /// Valuations of a listing the actor may read, newest first.
    pub async fn of_listing(&self, actor: &Actor, id: &ListingId) -> Result<Vec<Valuation>> {
        let store = self.c.store;
        let l = store
            .listing_by_id(id)
            .await?
            .ok_or(ValuationRequestError::ListingNotFound)?;
        let all = store.valuations_of_listing(id).await?;
        if owns_or_reviews(actor, &l) {
            return Ok(all);
        }
        if !self.c.listings.may_see_full(actor, id).await? {
            return Err(ValuationRequestError::ListingNotFound);
        }
        let me = actor.user_id();
        Ok(all
            .into_iter()
            .filter(|v| v.requested_by.is_some() && v.requested_by.as_ref() == me)
            .collect())
    }

    fn today(&self) -> chrono::NaiveDate {
        self.c.stamp.now().date_naive()
    }

    /// Runs the methods, the risk report and the comparables, and keeps the result with its
    /// audit entry.
    async fn run(
        &self,
        meta: &RequestMeta,
        actor: &Actor,
        listing_id: Option<ListingId>,
        subject: Option<String>,
        input: ValuationInput,
    ) -> Result<Valuation> {
        let assumptions = self.c.assumptions.clone();
        let model = self.model_answer(&input).await?;
        let estimate = model.as_ref().map(|a| &a.estimate);
        let blend = valuate_with_model(&input, &assumptions, estimate)?;
        let risks = risk_assessment(&input);
        let comparables = self.comparables(&input, listing_id.as_ref()).await?;
        let mut report =
            ValuationReport::new(subject, &input, &blend, &risks, comparables, &assumptions);
        report.model = model.as_ref().map(super::ModelSummary::from);
        let v = Valuation {
            id: ValuationId::generate(),
            listing_id,
            requested_by: actor.user_id().cloned(),
            created_at: self.c.stamp.now(),
            report,
        };
        let details = json!({
            "listing_id": v.listing_id.as_ref().map(ListingId::as_str),
            "value_paise": v.report.value_paise,
        });
        let event = self.c.stamp.event(
            meta,
            actor.audit_actor(),
            "valuation.created",
            ("valuation", v.id.as_str()),
            details,
        );
        self.c.store.save_valuation(&v, event).await?;
        Ok(v)
    }

    /// The active model's answer. A model that fails is left out with a warning (the other
    /// methods still answer); a storage failure fails the valuation.
    async fn model_answer(&self, input: &ValuationInput) -> Result<Option<ModelAnswer>> {
        match self.c.models.estimate(input).await {
            Ok(answer) => Ok(answer),
            Err(ModelError::Store(e)) => Err(e.into()),
            Err(e) => {
                tracing::warn!(error = %crate::error::chain(&e), "the active model gave no estimate");
                Ok(None)
            }
        }
    }

    /// Candidates of the same industry and of the same state, nearest first.
    async fn comparables(
        &self,
        input: &ValuationInput,
        exclude: Option<&ListingId>,
    ) -> Result<Vec<super::Comparable>> {
        let base = ListingQuery {
            statuses: COMPARABLE_STATUSES.to_vec(),
            limit: CANDIDATES,
            ..ListingQuery::default()
        };
        let store = self.c.store;
        let mut candidates: Vec<Listing> = store
            .query_listings(&ListingQuery {
                industry: Some(input.industry),
                ..base.clone()
            })
            .await?;
        if let Some(state) = input.state {
            let q = ListingQuery {
                state: Some(state),
                ..base
            };
            candidates.extend(store.query_listings(&q).await?);
        }
        Ok(nearest_comparables(
            input,
            exclude,
            &candidates,
            COMPARABLES,
        ))
    }
}

fn owns_or_reviews(actor: &Actor, l: &Listing) -> bool {
    actor.user_id() == Some(&l.seller_id) || actor.can(Permission::ReviewListings)
}

/// A listing's asset inventory in the valuation's categories; `None` without items.
fn inventory(assets: &[ListingAsset]) -> Option<AssetInventory> {
    use listing::AssetCategory as L;
    if assets.is_empty() {
        return None;
    }
    let items = assets
        .iter()
        .map(|a| AssetItem {
            category: match a.category {
                L::Land => AssetCategory::Land,
                L::Building => AssetCategory::Buildings,
                L::PlantMachinery => AssetCategory::PlantMachinery,
                L::Vehicles => AssetCategory::Vehicles,
                L::FurnitureFixtures => AssetCategory::FurnitureFixtures,
                L::ComputersIt => AssetCategory::ComputersIt,
                L::Inventory => AssetCategory::Inventory,
                L::IntellectualProperty => AssetCategory::Intangibles,
                L::Other => AssetCategory::Other,
            },
            book_value: a.book_value,
        })
        .collect();
    AssetInventory::from_items(items)
}
