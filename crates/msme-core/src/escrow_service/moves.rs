//! The shared path of every escrow move: replay check, load with the party check, apply,
//! store by compare-and-set (retried on a concurrent move), hook.

use serde_json::json;

use crate::escrow_service::escrows::{escrow_json, from_json, is_party, Party};
use crate::escrow_service::{hooks, idempotency, Escrows, MoneyError, Receipt};
use crate::ledger::{
    EntryContext, Escrow, EscrowCommand, EscrowId, EscrowState, IdempotencyKey, IdempotentOutcome,
    RequestFingerprint,
};
use crate::platform::RequestMeta;
use crate::rbac::{Actor, Permission};

impl Escrows<'_> {
    /// The first response to `key`, if it was used for this request; a conflict if it was
    /// used for another.
    pub(super) async fn replay(
        &self,
        key: &IdempotencyKey,
        fp: &RequestFingerprint,
    ) -> Result<Option<Receipt<Escrow>>, MoneyError> {
        let record = self.p.inner.store.idempotency_record(key).await?;
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

    /// Applies `command` and stores it with its entries, key and audit entry. A concurrent
    /// move of the same escrow (a stale version) is retried on the fresh escrow, a few times.
    #[allow(clippy::too_many_arguments)]
    pub(super) async fn run(
        &self,
        meta: &RequestMeta,
        actor: &Actor,
        key: &IdempotencyKey,
        fp: RequestFingerprint,
        id: &EscrowId,
        party: Party,
        command: EscrowCommand,
        details: serde_json::Value,
    ) -> Result<Receipt<Escrow>, MoneyError> {
        for _ in 0..5 {
            if let Some(replay) = self.replay(key, &fp).await? {
                return Ok(replay);
            }
            let escrow = self.load_for(actor, id, party).await?;
            let ctx = EntryContext {
                idempotency_key: key.clone(),
                at: self.p.now(),
            };
            let t = escrow.apply(&command, &ctx)?;
            let action = format!("escrow.{}", t.escrow.state.as_str());
            let mut details = details.clone();
            details["state"] = json!(t.escrow.state.as_str());
            let event = self.p.event(
                meta,
                actor.audit_actor(),
                &action,
                ("escrow", id.as_str()),
                details,
            );
            let idem = idempotency(key, fp, escrow_json(&t.escrow));
            let store = &self.p.inner.store;
            let outcome = store
                .update_escrow(&t.escrow, escrow.version, &t.entries, idem, event)
                .await?;
            if outcome == IdempotentOutcome::StaleVersion {
                continue;
            }
            let receipt = self.settle_outcome(outcome, t.escrow)?;
            if !receipt.replayed && receipt.value.state == EscrowState::Released {
                hooks::on_escrow_released(self.p, &receipt.value).await;
            }
            return Ok(receipt);
        }
        Err(crate::ledger::LedgerError::ConcurrentUpdate.into())
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
