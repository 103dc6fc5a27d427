//! Escrow operations: open, fund, release, refund, dispute, resolve, cancel.
//!
//! Who may do what (besides the [`Permission`] table): the escrow's buyer funds and releases;
//! its seller refunds; either party disputes or cancels; anyone with `manage_escrows` (admins)
//! may act for a party; only `resolve_disputes` resolves. Someone who is neither a party nor
//! an admin is told the escrow does not exist.

use serde_json::json;

use crate::audit::RequestMeta;
use crate::error::StoreError;
use crate::escrow_service::moves::{fingerprint, Move};
use crate::escrow_service::MoneyCtx;
use crate::escrow_service::{hooks, idempotency, MoneyError, Receipt};
use crate::ledger::{
    Escrow, EscrowColumns, EscrowCommand, EscrowId, EscrowTerms, EscrowTermsInput, IdempotencyKey,
    Payment, PaymentId, RequestFingerprint, Resolution,
};
use crate::listing::ListingError;
use crate::rbac::{Actor, Permission};

/// Escrow operations; get one from [`Platform::escrows`](crate::Platform::escrows).
pub struct Escrows<'a> {
    pub(crate) c: MoneyCtx<'a>,
}

/// Which party of an escrow may act, besides admins.
#[derive(Clone, Copy)]
pub(super) enum Party {
    Buyer,
    Seller,
    Either,
}

pub(super) fn is_party(actor: &Actor, escrow: &Escrow, party: Party) -> bool {
    let me = actor.user_id();
    let (buyer, seller) = (escrow.terms.buyer_id(), escrow.terms.seller_id());
    match party {
        Party::Buyer => me == Some(buyer),
        Party::Seller => me == Some(seller),
        Party::Either => me == Some(buyer) || me == Some(seller),
    }
}

/// Whether `actor` may see the escrow at all: a party (agent included) or an admin.
pub(super) fn may_see(actor: &Actor, escrow: &Escrow) -> bool {
    actor.can(Permission::ManageEscrows)
        || actor.can(Permission::ReadLedger)
        || is_party(actor, escrow, Party::Either)
        || actor.user_id().is_some() && actor.user_id() == escrow.terms.agent_id()
}

pub(super) fn escrow_json(e: &Escrow) -> String {
    EscrowColumns::from(e).to_json()
}

pub(super) fn from_json(s: &str) -> Result<Escrow, MoneyError> {
    Ok(EscrowColumns::from_json(s)?.into_escrow()?)
}

impl Escrows<'_> {
    /// Opens an escrow on a listing for its buyer (an admin may open one for any buyer).
    pub async fn create(
        &self,
        meta: &RequestMeta,
        actor: &Actor,
        key: &IdempotencyKey,
        input: EscrowTermsInput,
    ) -> Result<Receipt<Escrow>, MoneyError> {
        actor.require(Permission::OpenEscrow)?;
        if actor.user_id() != Some(&input.buyer_id) {
            actor.require(Permission::ManageEscrows)?;
        }
        let fp = RequestFingerprint::of("escrow.create")
            .field("actor", actor.audit_actor().as_string())
            .field("terms", format!("{input:?}"))
            .finish();
        if let Some(replay) = self.replay(key, &fp).await? {
            return Ok(replay);
        }
        self.check_parties(&input).await?;
        hooks::check_listing_open(self.c.store, &input.listing_id, &input.seller_id).await?;
        let escrow = Escrow::open(
            EscrowId::generate(),
            EscrowTerms::parse(input)?,
            self.c.stamp.now(),
        );
        let event = self.c.stamp.event(
            meta,
            actor.audit_actor(),
            "escrow.opened",
            ("escrow", escrow.id.as_str()),
            json!({ "amount_paise": escrow.terms.amount().get(),
                    "listing_id": escrow.terms.listing_id().as_str() }),
        );
        let idem = idempotency(key, fp, escrow_json(&escrow));
        let outcome = self
            .c
            .store
            .create_escrow(&escrow, idem, event)
            .await
            .map_err(|e| match e {
                // Another escrow holds the listing (opened a moment ago; the listing's own
                // state follows it shortly): the listing is under offer.
                StoreError::Duplicate("listing_escrow") => {
                    MoneyError::from(ListingError::from(crate::listing::IllegalTransition {
                        from: crate::listing::ListingStatus::UnderOffer,
                        action: crate::listing::ListingAction::Offer,
                    }))
                }
                e => e.into(),
            })?;
        self.settle_outcome(outcome, escrow)
    }

    /// The buyer, seller and agent must be accounts; the agent must represent clients.
    async fn check_parties(&self, input: &EscrowTermsInput) -> Result<(), MoneyError> {
        let store = self.c.store;
        for (field, id) in [
            ("buyer_id", &input.buyer_id),
            ("seller_id", &input.seller_id),
        ] {
            if store.user_by_id(id).await?.is_none() {
                return Err(crate::error::ValidationError::new(field, "is not an account").into());
            }
        }
        if let Some(agent) = &input.agent_id {
            let user = store.user_by_id(agent).await?;
            if !user.is_some_and(|u| crate::rbac::allows(u.role, Permission::RepresentClients)) {
                let reason = "is not an agent's account";
                return Err(crate::error::ValidationError::new("agent_id", reason).into());
            }
        }
        Ok(())
    }

    /// One escrow, for its parties and admins.
    pub async fn get(&self, actor: &Actor, id: &EscrowId) -> Result<Escrow, MoneyError> {
        let escrow = self.c.store.escrow_by_id(id).await?;
        escrow
            .filter(|e| may_see(actor, e))
            .ok_or(MoneyError::NotFound("escrow"))
    }

    /// Escrows the actor may see, in id order after `after`: every escrow for admins, the
    /// ones they are a party to (buyer, seller or agent) for everyone else.
    pub async fn list(
        &self,
        actor: &Actor,
        after: Option<&EscrowId>,
        limit: u32,
    ) -> Result<Vec<Escrow>, MoneyError> {
        let store = self.c.store;
        if actor.can(Permission::ManageEscrows) || actor.can(Permission::ReadLedger) {
            return Ok(store.escrows_page(after, limit).await?);
        }
        match actor.user_id() {
            Some(me) => Ok(store.escrows_of(me, after, limit).await?),
            None => Ok(Vec::new()),
        }
    }

    /// Takes the whole amount through the platform's gateway (the sandbox pays at once), and
    /// records the payment with the funding.
    pub async fn fund(
        &self,
        meta: &RequestMeta,
        actor: &Actor,
        key: &IdempotencyKey,
        id: &EscrowId,
    ) -> Result<Receipt<Escrow>, MoneyError> {
        let fp = fingerprint("escrow.fund", actor, id, "");
        if let Some(replay) = self.replay(key, &fp).await? {
            return Ok(replay);
        }
        let escrow = self.load_for(actor, id, Party::Buyer).await?;
        escrow
            .state
            .after(crate::ledger::EscrowAction::Fund, false)
            .map_err(MoneyError::from)?;
        let captured = super::payments::collect(self.c, &escrow).await?;
        let source = self.c.gateway.name();
        let details = json!({ "order_id": captured.order_id, "payment_id": captured.id });
        let payment = Payment {
            id: PaymentId::generate(),
            escrow_id: id.clone(),
            source: source.clone(),
            gateway_ref: captured.id,
            order_id: Some(captured.order_id),
            amount: captured.amount,
            created_at: self.c.stamp.now(),
        };
        let mut mv = Move::new(key, fp, id, Party::Buyer, EscrowCommand::Fund { source });
        mv.payment = Some(payment);
        self.run(meta, actor, mv.details(details)).await
    }

    /// Releases one milestone to the seller side (buyer or admin).
    pub async fn release(
        &self,
        meta: &RequestMeta,
        actor: &Actor,
        key: &IdempotencyKey,
        id: &EscrowId,
        milestone: &str,
    ) -> Result<Receipt<Escrow>, MoneyError> {
        let fp = fingerprint("escrow.release", actor, id, milestone);
        let command = EscrowCommand::Release {
            milestone: milestone.to_string(),
        };
        let mv = Move::new(key, fp, id, Party::Buyer, command);
        self.run(meta, actor, mv.details(json!({ "milestone": milestone })))
            .await
    }

    /// Returns everything still held to the buyer (seller or admin).
    pub async fn refund(
        &self,
        meta: &RequestMeta,
        actor: &Actor,
        key: &IdempotencyKey,
        id: &EscrowId,
    ) -> Result<Receipt<Escrow>, MoneyError> {
        let fp = fingerprint("escrow.refund", actor, id, "");
        let mv = Move::new(key, fp, id, Party::Seller, EscrowCommand::Refund);
        self.run(meta, actor, mv).await
    }

    /// Freezes the escrow until an admin resolves it (buyer, seller or admin).
    pub async fn dispute(
        &self,
        meta: &RequestMeta,
        actor: &Actor,
        key: &IdempotencyKey,
        id: &EscrowId,
        reason: &str,
    ) -> Result<Receipt<Escrow>, MoneyError> {
        let fp = fingerprint("escrow.dispute", actor, id, reason);
        let mv = Move::new(key, fp, id, Party::Either, EscrowCommand::Dispute);
        self.run(meta, actor, mv.details(json!({ "reason": reason })))
            .await
    }

    /// Splits a disputed escrow's money between buyer and seller (admins only).
    pub async fn resolve(
        &self,
        meta: &RequestMeta,
        actor: &Actor,
        key: &IdempotencyKey,
        id: &EscrowId,
        split: Resolution,
    ) -> Result<Receipt<Escrow>, MoneyError> {
        actor.require(Permission::ResolveDisputes)?;
        let (refund, release) = (split.refund_to_buyer.get(), split.release_to_seller.get());
        let fp = fingerprint("escrow.resolve", actor, id, &format!("{refund}/{release}"));
        let details = json!({ "refund_to_buyer_paise": refund,
                              "release_to_seller_paise": release });
        let mv = Move::new(key, fp, id, Party::Either, EscrowCommand::Resolve(split));
        self.run(meta, actor, mv.details(details)).await
    }

    /// Calls the deal off before any money came in (buyer, seller or admin).
    pub async fn cancel(
        &self,
        meta: &RequestMeta,
        actor: &Actor,
        key: &IdempotencyKey,
        id: &EscrowId,
    ) -> Result<Receipt<Escrow>, MoneyError> {
        let fp = fingerprint("escrow.cancel", actor, id, "");
        let mv = Move::new(key, fp, id, Party::Either, EscrowCommand::Cancel);
        self.run(meta, actor, mv).await
    }
}
