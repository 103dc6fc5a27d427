//! Escrow operations: open, fund, release, refund, dispute, resolve, cancel.
//!
//! Who may do what (besides the [`Permission`] table): the escrow's buyer funds and releases;
//! its seller refunds; either party disputes or cancels; anyone with `manage_escrows` (admins)
//! may act for a party; only `resolve_disputes` resolves. Someone who is neither a party nor
//! an admin is told the escrow does not exist.

use serde_json::json;

use crate::escrow_service::moves::fingerprint;
use crate::escrow_service::{hooks, idempotency, MoneyError, Receipt};
use crate::ledger::{
    Escrow, EscrowColumns, EscrowCommand, EscrowId, EscrowTerms, EscrowTermsInput, IdempotencyKey,
    RequestFingerprint, Resolution,
};
use crate::platform::{Platform, RequestMeta};
use crate::rbac::{Actor, Permission};

/// Escrow operations; get one from [`Platform::escrows`].
pub struct Escrows<'a> {
    pub(crate) p: &'a Platform,
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
        hooks::check_listing_open(self.p, &input.listing_id, &input.seller_id).await?;
        let escrow = Escrow::open(
            EscrowId::generate(),
            EscrowTerms::parse(input)?,
            self.p.now(),
        );
        let event = self.p.event(
            meta,
            actor.audit_actor(),
            "escrow.opened",
            ("escrow", escrow.id.as_str()),
            json!({ "amount_paise": escrow.terms.amount().get(),
                    "listing_id": escrow.terms.listing_id().as_str() }),
        );
        let idem = idempotency(key, fp, escrow_json(&escrow));
        let outcome = self
            .p
            .inner
            .store
            .create_escrow(&escrow, idem, event)
            .await?;
        let receipt = self.settle_outcome(outcome, escrow)?;
        if !receipt.replayed {
            hooks::on_escrow_opened(self.p, &receipt.value).await;
        }
        Ok(receipt)
    }

    /// The buyer, seller and agent must be accounts; the agent must represent clients.
    async fn check_parties(&self, input: &EscrowTermsInput) -> Result<(), MoneyError> {
        let store = &self.p.inner.store;
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
        let escrow = self.p.inner.store.escrow_by_id(id).await?;
        escrow
            .filter(|e| may_see(actor, e))
            .ok_or(MoneyError::NotFound("escrow"))
    }

    /// Takes the whole amount through the platform's gateway (the sandbox pays at once).
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
        let funding = super::payments::collect(self.p, &escrow, key).await?;
        let command = EscrowCommand::Fund {
            source: self.p.gateway().name(),
        };
        let details = json!({ "order_id": funding.order_id, "payment_id": funding.id });
        self.run(meta, actor, key, fp, id, Party::Buyer, command, details)
            .await
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
        let details = json!({ "milestone": milestone });
        self.run(meta, actor, key, fp, id, Party::Buyer, command, details)
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
        let command = EscrowCommand::Refund;
        self.run(meta, actor, key, fp, id, Party::Seller, command, json!({}))
            .await
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
        let details = json!({ "reason": reason });
        self.run(
            meta,
            actor,
            key,
            fp,
            id,
            Party::Either,
            EscrowCommand::Dispute,
            details,
        )
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
        let what = format!(
            "{}/{}",
            split.refund_to_buyer.get(),
            split.release_to_seller.get()
        );
        let fp = fingerprint("escrow.resolve", actor, id, &what);
        let details = json!({ "refund_to_buyer_paise": split.refund_to_buyer.get(),
                              "release_to_seller_paise": split.release_to_seller.get() });
        let command = EscrowCommand::Resolve(split);
        self.run(meta, actor, key, fp, id, Party::Either, command, details)
            .await
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
        self.run(
            meta,
            actor,
            key,
            fp,
            id,
            Party::Either,
            EscrowCommand::Cancel,
            json!({}),
        )
        .await
    }
}
