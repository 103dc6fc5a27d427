//! The shared path of every escrow move: replay check, load with the party check, apply,
//! store by compare-and-set (retried on a concurrent move), hook.

use serde_json::json;

use crate::audit::RequestMeta;
use crate::error::StoreError;
use crate::escrow_service::escrows::{escrow_json, from_json, is_party, Party};
use crate::escrow_service::{idempotency, Escrows, MoneyError, Receipt};
use crate::ledger::{
    EntryContext, Escrow, EscrowCommand, EscrowId, IdempotencyKey, IdempotentOutcome, Payment,
    RequestFingerprint, Transition,
};
use crate::rbac::{Actor, Permission};

/// One move of an escrow, as [`Escrows::run`] applies it.
pub(super) struct Move<'a> {
    pub key: &'a IdempotencyKey,
    pub fp: RequestFingerprint,
    pub id: &'a EscrowId,
    /// Who may make it besides admins.
    pub party: Party,
    pub command: EscrowCommand,
    /// What the audit entry records besides the new state.
    pub details: serde_json::Value,
    /// The payment that funds the escrow, stored with the move (funding only).
    pub payment: Option<Payment>,
}

impl<'a> Move<'a> {
    pub fn new(
        key: &'a IdempotencyKey,
        fp: RequestFingerprint,
        id: &'a EscrowId,
        party: Party,
        command: EscrowCommand,
    ) -> Self {
        Self {
            key,
            fp,
            id,
            party,
            command,
            details: json!({}),
            payment: None,
        }
    }
    pub fn details(mut self, details: serde_json::Value) -> Self {
        self.details = details;
        self
    }
}

impl Escrows<'_> {
    /// The first response to `key`, if it was used for this request; a conflict if it was
    /// used for another.
    pub(super) async fn replay(
        &self,
        key: &IdempotencyKey,
        fp: &RequestFingerprint,
    ) -> Result<Option<Receipt<Escrow>>, MoneyError> {
        let record = self.c.store.idempotency_record(key).await?;
        match crate::ledger::decide(record.as_ref(), fp)? {
            crate::ledger::IdempotencyDecision::Proceed => Ok(None),
            crate::ledger::IdempotencyDecision::Replay(json) => {
                Ok(Some(Receipt::replayed(from_json(json)?)))
            }
        }
    }

    /// Loads an escrow the actor may act on as `party` (or as an admin).
    pub(super) async fn load_for(
        &self,
        actor: &Actor,
        id: &EscrowId,
        party: Party,
    ) -> Result<Escrow, MoneyError> {
        let escrow = self.get(actor, id).await?;
        if !is_party(actor, &escrow, party) {
            actor.require(Permission::ManageEscrows)?;
        }
        Ok(escrow)
    }

    /// Applies the move and stores it with its entries, key and audit entry (and the payment
    /// of a funding). A concurrent move of the same escrow (a stale version) is retried on the
    /// fresh escrow, a few times.
    pub(super) async fn run(
        &self,
        meta: &RequestMeta,
        actor: &Actor,
        mv: Move<'_>,
    ) -> Result<Receipt<Escrow>, MoneyError> {
        for _ in 0..5 {
            // Both reads at once: a replay needs no escrow, a move needs both.
            let (replay, escrow) = tokio::join!(
                self.replay(mv.key, &mv.fp),
                self.load_for(actor, mv.id, mv.party)
            );
            if let Some(replay) = replay? {
                return Ok(replay);
            }
            let escrow = escrow?;
            let ctx = EntryContext {
                idempotency_key: mv.key.clone(),
                at: self.c.stamp.now(),
            };
            let t = escrow.apply(&mv.command, &ctx)?;
            let action = format!("escrow.{}", t.escrow.state.as_str());
            let mut details = mv.details.clone();
            details["state"] = json!(t.escrow.state.as_str());
            let entity = ("escrow", mv.id.as_str());
            let event = self
                .c
                .stamp
                .event(meta, actor.audit_actor(), &action, entity, details);
            let idem = idempotency(mv.key, mv.fp, escrow_json(&t.escrow));
            let outcome = self
                .store_move(&t, escrow.version, &mv, idem, event)
                .await?;
            if outcome == IdempotentOutcome::StaleVersion {
                continue;
            }
            return self.settle_outcome(outcome, t.escrow);
        }
        Err(crate::ledger::LedgerError::ConcurrentUpdate.into())
    }

    async fn store_move(
        &self,
        t: &Transition,
        expected: i64,
        mv: &Move<'_>,
        idem: crate::ledger::IdempotencyWrite,
        event: crate::audit::AuditEvent,
    ) -> Result<IdempotentOutcome, MoneyError> {
        let store = self.c.store;
        let written = match &mv.payment {
            None => {
                let w = crate::ledger::EscrowWrite {
                    escrow: t.escrow.clone(),
                    expected_version: expected,
                    entries: t.entries.clone(),
                    idempotency: idem,
                    audit: event,
                };
                self.c.group_commit.update_escrow(store, w).await
            }
            Some(payment) => {
                store
                    .record_funding(&t.escrow, expected, &t.entries, payment, idem, event)
                    .await
            }
        };
        match written {
            Err(StoreError::Duplicate("payment")) => Err(MoneyError::PaymentAlreadyRecorded),
            other => Ok(other?),
        }
    }

    pub(super) fn settle_outcome(
        &self,
        outcome: IdempotentOutcome,
        written: Escrow,
    ) -> Result<Receipt<Escrow>, MoneyError> {
        match outcome.into_result()? {
            None => Ok(Receipt::applied(written)),
            Some(json) => Ok(Receipt::replayed(from_json(&json)?)),
        }
    }
}

/// A request's fingerprint: the operation, who asks, the escrow, and its one argument.
pub(super) fn fingerprint(op: &str, actor: &Actor, id: &EscrowId, arg: &str) -> RequestFingerprint {
    RequestFingerprint::of(op)
        .field("actor", actor.audit_actor().as_string())
        .field("escrow_id", id)
        .field("arg", arg)
        .finish()
}
