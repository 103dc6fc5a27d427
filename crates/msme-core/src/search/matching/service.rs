//! [`Matching`]: buyer preferences, agent grants and interactions. Ranking is in
//! `matches.rs`, saved searches in `saved_searches.rs`, the ranker's evaluation in
//! `evaluate.rs`.

use serde_json::json;

use super::{
    BuyerPreferences, BuyerPreferencesInput, Interaction, InteractionId, InteractionKind,
    MatchError, StoredPreferences,
};
use crate::audit::AuditEvent;
use crate::audit::RequestMeta;
use crate::listing::{ListingId, ListingView};
use crate::rbac::{Actor, Permission};
use crate::search::SearchCtx;
use crate::types::{Role, UserId};

/// Buyer preferences, saved searches, agent grants, interactions and matches; get one from
/// [`Platform::matching`](crate::Platform::matching).
pub struct Matching<'a> {
    pub(crate) c: SearchCtx<'a>,
}

impl<'a> Matching<'a> {
    pub(crate) fn event(
        &self,
        meta: &RequestMeta,
        actor: &Actor,
        action: &str,
        entity: (&str, &str),
        details: serde_json::Value,
    ) -> AuditEvent {
        self.c
            .stamp
            .event(meta, actor.audit_actor(), action, entity, details)
    }

    /// The signed-in buyer acting for themself.
    pub(crate) fn buyer_self(actor: &Actor) -> Result<&UserId, MatchError> {
        actor.require(Permission::BeMatched)?;
        actor
            .user_id()
            .ok_or(MatchError::Forbidden(crate::rbac::Forbidden(
                Permission::BeMatched,
            )))
    }

    /// Whether the actor may see this buyer's preferences and matches: the buyer, an admin (or
    /// the operator), or an agent the buyer granted. Checks the account is a buyer.
    pub(crate) async fn may_act_for(
        &self,
        actor: &Actor,
        buyer: &UserId,
    ) -> Result<(), MatchError> {
        let store = self.c.store;
        let is_buyer = store
            .user_by_id(buyer)
            .await?
            .is_some_and(|u| u.role == Role::Buyer);
        let allowed = actor.user_id() == Some(buyer)
            || actor.can(Permission::ManageMatching)
            || (actor.role() == Role::Agent
                && store
                    .agents_of(buyer)
                    .await?
                    .iter()
                    .any(|(a, _)| Some(a) == actor.user_id()));
        if is_buyer && allowed {
            Ok(())
        } else {
            Err(MatchError::NotFound("buyer"))
        }
    }

    /// The caller's own preferences (empty before the first save).
    pub async fn my_preferences(
        &self,
        actor: &Actor,
    ) -> Result<Option<StoredPreferences>, MatchError> {
        let me = Self::buyer_self(actor)?;
        Ok(self.c.store.buyer_preferences(me).await?)
    }

    /// A buyer's preferences, for the buyer, an admin or a granted agent.
    pub async fn preferences_of(
        &self,
        actor: &Actor,
        buyer: &UserId,
    ) -> Result<Option<StoredPreferences>, MatchError> {
        self.may_act_for(actor, buyer).await?;
        Ok(self.c.store.buyer_preferences(buyer).await?)
    }

    /// Replaces the caller's preferences.
    pub async fn set_my_preferences(
        &self,
        meta: &RequestMeta,
        actor: &Actor,
        input: &BuyerPreferencesInput,
    ) -> Result<StoredPreferences, MatchError> {
        let me = Self::buyer_self(actor)?.clone();
        self.store_preferences(meta, actor, me, input).await
    }

    /// Sets a buyer's preferences as an admin or the operator (the demo uses this).
    pub async fn set_preferences_of(
        &self,
        meta: &RequestMeta,
        actor: &Actor,
        buyer: &UserId,
        input: &BuyerPreferencesInput,
    ) -> Result<StoredPreferences, MatchError> {
        actor.require(Permission::ManageMatching)?;
        self.may_act_for(actor, buyer).await?;
        self.store_preferences(meta, actor, buyer.clone(), input)
            .await
    }

    async fn store_preferences(
        &self,
        meta: &RequestMeta,
        actor: &Actor,
        buyer: UserId,
        input: &BuyerPreferencesInput,
    ) -> Result<StoredPreferences, MatchError> {
        let preferences = BuyerPreferences::parse(input)?;
        let at = self.c.stamp.now();
        let details = json!({ "preferences": serde_json::to_value(preferences.to_input()).unwrap_or_default() });
        let event = self.event(
            meta,
            actor,
            "buyer_preferences.updated",
            ("user", buyer.as_str()),
            details,
        );
        self.c
            .store
            .put_buyer_preferences(&buyer, &preferences, at, event)
            .await?;
        Ok(StoredPreferences {
            buyer,
            preferences,
            updated_at: at,
        })
    }

    /// Lets an agent see the caller's matches. False when already granted.
    pub async fn grant_agent(
        &self,
        meta: &RequestMeta,
        actor: &Actor,
        agent: &UserId,
    ) -> Result<bool, MatchError> {
        let me = Self::buyer_self(actor)?;
        let is_agent = self
            .c
            .store
            .user_by_id(agent)
            .await?
            .is_some_and(|u| u.role == Role::Agent);
        if !is_agent {
            return Err(MatchError::NotFound("agent"));
        }
        let details = json!({ "agent_id": agent.as_str() });
        let event = self.event(
            meta,
            actor,
            "agent_grant.granted",
            ("user", me.as_str()),
            details,
        );
        let at = self.c.stamp.now();
        Ok(self.c.store.grant_agent(me, agent, at, event).await?)
    }

    /// Takes a grant back. False when there was none.
    pub async fn revoke_agent(
        &self,
        meta: &RequestMeta,
        actor: &Actor,
        agent: &UserId,
    ) -> Result<bool, MatchError> {
        let me = Self::buyer_self(actor)?;
        let details = json!({ "agent_id": agent.as_str() });
        let event = self.event(
            meta,
            actor,
            "agent_grant.revoked",
            ("user", me.as_str()),
            details,
        );
        Ok(self.c.store.revoke_agent(me, agent, event).await?)
    }

    /// The agents the caller has granted, oldest first.
    pub async fn my_agents(
        &self,
        actor: &Actor,
    ) -> Result<Vec<(UserId, chrono::DateTime<chrono::Utc>)>, MatchError> {
        let me = Self::buyer_self(actor)?;
        Ok(self.c.store.agents_of(me).await?)
    }

    /// Records what the caller (a buyer) did with a public listing.
    pub async fn record(
        &self,
        meta: &RequestMeta,
        actor: &Actor,
        listing: &ListingId,
        kind: InteractionKind,
    ) -> Result<Interaction, MatchError> {
        let me = Self::buyer_self(actor)?.clone();
        self.store_interaction(meta, actor, me, listing, kind).await
    }

    /// Records a view when a buyer has just read a public listing (`GET /v1/listings/{id}`
    /// calls this with what it showed, so the listing is not read again); other readers, and
    /// listings that are not public, record nothing. The view waits in memory for the next
    /// [`flush_views`](Self::flush_views): a read does not write.
    pub fn viewed(&self, actor: &Actor, shown: &ListingView) {
        let Some(me) = actor.user_id() else {
            return;
        };
        if !actor.can(Permission::BeMatched) || !shown.status().is_public() {
            return;
        }
        self.c.views.push(Interaction {
            id: InteractionId::generate(),
            buyer: me.clone(),
            listing: shown.id().clone(),
            kind: InteractionKind::View,
            at: self.c.stamp.now(),
        });
    }

    /// Writes the views buffered since the last flush in one transaction, without audit
    /// entries (the runtime's view flusher calls this every
    /// [`VIEW_FLUSH_INTERVAL`](crate::matching::VIEW_FLUSH_INTERVAL)). Views the database could
    /// not take because it was unreachable are kept for the next flush; a batch it refused is
    /// dropped. Answers how many were written.
    pub async fn flush_views(&self) -> Result<u64, MatchError> {
        let views = self.c.views.take();
        if views.is_empty() {
            return Ok(0);
        }
        match self.c.store.record_views(&views).await {
            Ok(n) => Ok(n),
            Err(e) => {
                if matches!(e, crate::error::StoreError::Unavailable(_)) {
                    self.c.views.restore(views);
                }
                Err(e.into())
            }
        }
    }

    /// Records an interaction for a buyer, as an admin or the operator (the demo uses this).
    pub async fn record_for(
        &self,
        meta: &RequestMeta,
        actor: &Actor,
        buyer: &UserId,
        listing: &ListingId,
        kind: InteractionKind,
    ) -> Result<Interaction, MatchError> {
        actor.require(Permission::ManageMatching)?;
        self.may_act_for(actor, buyer).await?;
        self.store_interaction(meta, actor, buyer.clone(), listing, kind)
            .await
    }

    /// Records the offer an escrow makes (its buyer on its listing), as the platform itself:
    /// the strongest signal the learned ranker gets. The runtime's matcher calls this for
    /// each escrow opened; false when this escrow's offer was recorded before.
    pub(crate) async fn offered(&self, escrow: &crate::ledger::Escrow) -> Result<bool, MatchError> {
        let i = Interaction {
            // One offer per escrow, however often its event is handled.
            id: InteractionId::from_trusted(escrow.id.to_string()),
            buyer: escrow.terms.buyer_id().clone(),
            listing: escrow.terms.listing_id().clone(),
            kind: InteractionKind::Offer,
            at: escrow.created_at,
        };
        let details = json!({ "listing_id": i.listing.as_str(), "interaction_id": i.id.as_str(),
                              "escrow_id": escrow.id.as_str() });
        let meta = RequestMeta::default();
        let event = self.event(
            &meta,
            &Actor::system(),
            "interaction.offer",
            ("user", i.buyer.as_str()),
            details,
        );
        Ok(self.c.store.record_interaction(&i, event).await?)
    }

    async fn store_interaction(
        &self,
        meta: &RequestMeta,
        actor: &Actor,
        buyer: UserId,
        listing: &ListingId,
        kind: InteractionKind,
    ) -> Result<Interaction, MatchError> {
        let public = self
            .c
            .store
            .listing_by_id(listing)
            .await?
            .is_some_and(|l| l.status.is_public());
        if !public {
            return Err(MatchError::NotFound("listing"));
        }
        self.write_interaction(meta, actor, buyer, listing, kind)
            .await
    }

    /// Writes an interaction with a listing known to be public, with its audit entry.
    async fn write_interaction(
        &self,
        meta: &RequestMeta,
        actor: &Actor,
        buyer: UserId,
        listing: &ListingId,
        kind: InteractionKind,
    ) -> Result<Interaction, MatchError> {
        let i = Interaction {
            id: InteractionId::generate(),
            buyer,
            listing: listing.clone(),
            kind,
            at: self.c.stamp.now(),
        };
        let details = json!({ "listing_id": listing.as_str(), "interaction_id": i.id.as_str() });
        let action = format!("interaction.{}", kind.as_str());
        let event = self.event(meta, actor, &action, ("user", i.buyer.as_str()), details);
        self.c.store.record_interaction(&i, event).await?;
        Ok(i)
    }
}
