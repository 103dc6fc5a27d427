//! Listing operations: create, edit, the approval workflow, reading with confidentiality.

use serde_json::json;

use super::view::{FullListing, ListingView, Teaser};
use super::{
    Listing, ListingAction, ListingContent, ListingError, ListingInput, ListingQuery, ListingStatus,
};
use crate::audit::{RequestMeta, Stamp};
use crate::marketplace::MarketplacePorts;
use crate::rbac::{Actor, Permission};
use crate::types::{ListingId, UserId};

/// Where an escrow on a listing stands, as the listing sees it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum EscrowDeal {
    /// Created, funded, partly released or disputed: the listing is under offer.
    Open,
    /// Money reached the seller (released, or a dispute resolved with a release).
    Sold,
    /// Refunded, cancelled, or resolved without a release: back on the market.
    Ended,
}

/// Listing operations; get one from [`Platform::listings`](crate::Platform::listings).
#[derive(Clone, Copy)]
pub struct Listings<'a> {
    pub(crate) store: &'a dyn MarketplacePorts,
    pub(crate) stamp: Stamp<'a>,
}

impl Listings<'_> {
    pub(crate) fn today(&self) -> chrono::NaiveDate {
        self.stamp.now().date_naive()
    }

    /// Starts a listing as a draft owned by the actor (a seller, or an agent acting for one).
    pub async fn create(
        &self,
        meta: &RequestMeta,
        actor: &Actor,
        input: &ListingInput,
    ) -> Result<Listing, ListingError> {
        actor.require(Permission::CreateListing)?;
        let seller = actor.user_id().ok_or(ListingError::NotFound)?.clone();
        let listing = self.new_listing(seller, input)?;
        let event = self.audit(
            meta,
            actor,
            "listing.created",
            &listing,
            json!({ "status": "draft" }),
        );
        self.store.create_listing(&listing, event).await?;
        Ok(listing)
    }

    pub(crate) fn new_listing(
        &self,
        seller: UserId,
        input: &ListingInput,
    ) -> Result<Listing, ListingError> {
        let content = ListingContent::parse(input, self.today())?;
        let now = self.stamp.now();
        Ok(Listing {
            id: ListingId::generate(),
            seller_id: seller,
            content,
            status: ListingStatus::Draft,
            rejection_reason: None,
            version: 1,
            created_at: now,
            updated_at: now,
            published_at: None,
        })
    }

    pub(crate) fn audit(
        &self,
        meta: &RequestMeta,
        actor: &Actor,
        action: &str,
        l: &Listing,
        details: serde_json::Value,
    ) -> crate::audit::AuditEvent {
        self.stamp.event(
            meta,
            actor.audit_actor(),
            action,
            ("listing", l.id.as_str()),
            details,
        )
    }

    async fn load(&self, id: &ListingId) -> Result<Listing, ListingError> {
        self.store
            .listing_by_id(id)
            .await?
            .ok_or(ListingError::NotFound)
    }

    /// The listing, if the actor owns it or is an admin. Others get `NotFound`.
    pub async fn require_owner(
        &self,
        actor: &Actor,
        id: &ListingId,
    ) -> Result<Listing, ListingError> {
        let l = self.load(id).await?;
        if actor.user_id() == Some(&l.seller_id) || actor.can(Permission::ReviewListings) {
            Ok(l)
        } else {
            Err(ListingError::NotFound)
        }
    }

    /// True when the actor may see everything about the listing: its owner, an admin, a buyer
    /// granted access to a public listing, or anyone signed in for a public named listing.
    pub async fn may_see_full(&self, actor: &Actor, id: &ListingId) -> Result<bool, ListingError> {
        let l = self.load(id).await?;
        self.full_for(actor, &l).await
    }

    async fn full_for(&self, actor: &Actor, l: &Listing) -> Result<bool, ListingError> {
        if actor.user_id() == Some(&l.seller_id) || actor.can(Permission::ReviewListings) {
            return Ok(true);
        }
        if !l.status.is_public() {
            return Ok(false);
        }
        if !l.content.anonymous {
            return Ok(true);
        }
        match actor.user_id() {
            Some(uid) => Ok(self.store.has_access(&l.id, uid).await?),
            None => Ok(false),
        }
    }

    /// Whether the actor may know the listing exists at all.
    fn visible(&self, actor: &Actor, l: &Listing) -> bool {
        l.status.is_public()
            || actor.user_id() == Some(&l.seller_id)
            || actor.can(Permission::ReviewListings)
    }

    /// The listing as the actor may see it: full, a teaser, or `NotFound`.
    pub async fn get(&self, actor: &Actor, id: &ListingId) -> Result<ListingView, ListingError> {
        let l = self.load(id).await?;
        if !self.visible(actor, &l) {
            return Err(ListingError::NotFound);
        }
        self.view(actor, l).await
    }

    pub(crate) async fn view(
        &self,
        actor: &Actor,
        l: Listing,
    ) -> Result<ListingView, ListingError> {
        if !self.full_for(actor, &l).await? {
            return Ok(ListingView::Teaser(Teaser::of(&l)));
        }
        let store = self.store;
        let seller_name = store
            .user_by_id(&l.seller_id)
            .await?
            .map(|u| u.name.as_str().to_string())
            .unwrap_or_default();
        let assets = store.assets_of(&l.id).await?;
        Ok(ListingView::Full(Box::new(FullListing {
            listing: l,
            seller_name,
            assets,
        })))
    }

    /// A page of listings the actor may see. Buyers see public ones only; sellers may ask for
    /// their own (`query.seller` = themself); admins see everything.
    pub async fn list(
        &self,
        actor: &Actor,
        mut query: ListingQuery,
    ) -> Result<(Vec<ListingView>, Option<String>), ListingError> {
        let own = query.seller.is_some() && query.seller.as_ref() == actor.user_id();
        if !own && !actor.can(Permission::ReviewListings) {
            let public = [ListingStatus::Published, ListingStatus::UnderOffer];
            query.statuses.retain(|s| public.contains(s));
            if query.statuses.is_empty() {
                query.statuses = public.to_vec();
            }
        }
        let limit = query.limit.clamp(1, 200);
        // One more than asked says whether another page follows.
        query.limit = limit + 1;
        let mut rows = self.store.query_listings(&query).await?;
        let more = rows.len() > limit as usize;
        rows.truncate(limit as usize);
        let next = more
            .then(|| {
                rows.last()
                    .map(|l| super::ListingCursor::after(l, query.sort).encode())
            })
            .flatten();
        let mut views = Vec::with_capacity(rows.len());
        for l in rows {
            views.push(self.view(actor, l).await?);
        }
        Ok((views, next))
    }

    /// Replaces the content. Allowed to the owner while draft or rejected; on an approved or
    /// published listing the change sends it back to review.
    /// `expected_version` is the version the change was made to; an edit of an older copy is
    /// a `Conflict`, as is a write that races another.
    pub async fn update(
        &self,
        meta: &RequestMeta,
        actor: &Actor,
        id: &ListingId,
        expected_version: i64,
        input: &ListingInput,
    ) -> Result<Listing, ListingError> {
        let mut l = self.require_owner(actor, id).await?;
        if l.version != expected_version {
            return Err(ListingError::Conflict);
        }
        let next = l.status.apply(ListingAction::Edit)?;
        l.content = ListingContent::parse(input, self.today())?;
        let from = l.status;
        l.status = next;
        if next != from && next == ListingStatus::Submitted {
            l.published_at = None;
        }
        self.save(
            meta,
            actor,
            l,
            "listing.updated",
            json!({ "from": from.as_str(), "to": next.as_str() }),
        )
        .await
    }

    pub(crate) async fn save(
        &self,
        meta: &RequestMeta,
        actor: &Actor,
        mut l: Listing,
        action: &str,
        details: serde_json::Value,
    ) -> Result<Listing, ListingError> {
        l.version += 1;
        l.updated_at = self.stamp.now();
        let event = self.audit(meta, actor, action, &l, details);
        if !self.store.update_listing(&l, event).await? {
            return Err(ListingError::Conflict);
        }
        Ok(l)
    }

    /// Moves a listing through the workflow. Owners submit, publish, withdraw and reopen;
    /// only admins approve and reject (with a reason).
    pub async fn transition(
        &self,
        meta: &RequestMeta,
        actor: &Actor,
        id: &ListingId,
        action: ListingAction,
        reason: Option<&str>,
    ) -> Result<Listing, ListingError> {
        let mut l = self.require_owner(actor, id).await?;
        match action {
            ListingAction::Approve | ListingAction::Reject => {
                actor.require(Permission::ReviewListings)?
            }
            ListingAction::Submit
            | ListingAction::Publish
            | ListingAction::Withdraw
            | ListingAction::Reopen => {}
            // Edits go through `update`; offers and sales through escrow.
            _ => {
                return Err(super::IllegalTransition {
                    from: l.status,
                    action,
                }
                .into())
            }
        }
        let from = l.status;
        l.status = from.apply(action)?;
        l.rejection_reason = match action {
            ListingAction::Reject => Some(check_reason(reason)?),
            _ => None,
        };
        if l.status == ListingStatus::Published {
            l.published_at = Some(self.stamp.now());
        }
        let details =
            json!({ "from": from.as_str(), "to": l.status.as_str(), "reason": l.rejection_reason });
        self.save(
            meta,
            actor,
            l,
            &format!("listing.{}", action.as_str()),
            details,
        )
        .await
    }
}

impl Listings<'_> {
    /// Moves a listing as its escrow moves (offer, sale, lapsed offer), as the system, retrying
    /// when a concurrent edit got there first.
    /// Brings a listing where its escrow puts it: under offer while the escrow is open, sold
    /// once money reached the seller, back on the market when it ended without a sale. The
    /// caller (the runtime's `listing-escrows` consumer) reads the escrow's state when it runs
    /// rather than the event's, so a late or repeated call moves nothing twice. Answers the
    /// listing when it moved.
    pub(crate) async fn follow_escrow(
        &self,
        id: &ListingId,
        escrow_id: &str,
        deal: EscrowDeal,
    ) -> Result<Option<Listing>, ListingError> {
        let target = match deal {
            EscrowDeal::Open => ListingStatus::UnderOffer,
            EscrowDeal::Sold => ListingStatus::Sold,
            EscrowDeal::Ended => ListingStatus::Published,
        };
        let mut moved = None;
        // At most two steps: published -> under offer -> sold.
        for _ in 0..2 {
            let current = self.load(id).await?.status;
            let action = match (current, target) {
                (c, t) if c == t => break,
                (ListingStatus::Published, _) => ListingAction::Offer,
                (ListingStatus::UnderOffer, ListingStatus::Sold) => ListingAction::Sell,
                (ListingStatus::UnderOffer, _) => ListingAction::OfferLapsed,
                // The escrow ended without a sale and the listing is not under offer (taken off
                // the market meanwhile): nothing to give back.
                (_, ListingStatus::Published) => break,
                (from, _) => {
                    return Err(crate::listing::IllegalTransition {
                        from,
                        action: ListingAction::Offer,
                    }
                    .into())
                }
            };
            moved = Some(self.move_by_escrow(id, escrow_id, action).await?);
        }
        Ok(moved)
    }

    pub(crate) async fn move_by_escrow(
        &self,
        id: &ListingId,
        escrow_id: &str,
        action: ListingAction,
    ) -> Result<Listing, ListingError> {
        let meta = RequestMeta::default();
        for _ in 0..5 {
            let mut l = self.load(id).await?;
            let from = l.status;
            l.status = from.apply(action)?;
            l.version += 1;
            l.updated_at = self.stamp.now();
            let details =
                json!({ "from": from.as_str(), "to": l.status.as_str(), "escrow_id": escrow_id });
            let event = self.stamp.event(
                &meta,
                crate::audit::AuditActor::System,
                &format!("listing.{}", action.as_str()),
                ("listing", l.id.as_str()),
                details,
            );
            if self.store.update_listing(&l, event).await? {
                return Ok(l);
            }
        }
        Err(ListingError::Conflict)
    }
}

fn check_reason(reason: Option<&str>) -> Result<String, ListingError> {
    let r = crate::error::check_free_text("reason", reason.unwrap_or(""), 1000)?;
    if r.is_empty() {
        return Err(crate::error::ValidationError::new(
            "reason",
            "a rejection needs a reason of 1 to 1000 characters",
        )
        .into());
    }
    Ok(r)
}
