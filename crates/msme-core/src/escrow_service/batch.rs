//! Many releases in one transaction: what a deal desk or an integration releasing milestones
//! of many escrows at once sends, written with one commit (one flush to disk) instead of one
//! per release. Each release keeps its own idempotency key, permission check and audit entry,
//! and its own answer: one that cannot apply does not stop the others.

use serde_json::json;

use crate::audit::RequestMeta;
use crate::escrow_service::escrows::{escrow_json, Party};
use crate::escrow_service::moves::fingerprint;
use crate::escrow_service::{idempotency, Escrows, MoneyError, Receipt};
use crate::ledger::{
    EntryContext, Escrow, EscrowCommand, EscrowId, EscrowWrite, IdempotencyKey, IdempotentOutcome,
};
use crate::rbac::Actor;

/// One release of a batch.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReleaseRequest {
    pub key: IdempotencyKey,
    pub escrow: EscrowId,
    pub milestone: String,
}

/// A release prepared for the batch, or its answer already known.
enum Prepared {
    Done(Box<Result<Receipt<Escrow>, MoneyError>>),
    Write(Box<EscrowWrite>),
    /// Another release of the same escrow is in the batch: made alone afterwards.
    Later,
}

impl Escrows<'_> {
    /// Releases each milestone as [`Escrows::release`] would, all in one transaction. Answers
    /// come back in the order asked. A release that meets a concurrent move of its escrow, or
    /// shares its escrow with an earlier one in the batch, is retried alone.
    pub async fn release_batch(
        &self,
        meta: &RequestMeta,
        actor: &Actor,
        requests: &[ReleaseRequest],
    ) -> Vec<Result<Receipt<Escrow>, MoneyError>> {
        let mut seen = std::collections::HashSet::new();
        // Each release's reads (its key, its escrow) run at once, not one after another.
        let reads = requests.iter().map(|r| {
            let first = seen.insert(r.escrow.clone());
            async move {
                if first {
                    self.prepare_release(meta, actor, r).await
                } else {
                    Prepared::Later
                }
            }
        });
        let prepared: Vec<Prepared> = futures_util::future::join_all(reads).await;
        let writes: Vec<EscrowWrite> = prepared
            .iter()
            .filter_map(|p| match p {
                Prepared::Write(w) => Some((**w).clone()),
                _ => None,
            })
            .collect();
        let mut outcomes = match self.c.store.update_escrows(&writes).await {
            Ok(o) => o.into_iter(),
            // Nothing was written: each release on its own says what is wrong.
            Err(_) => Vec::new().into_iter(),
        };
        let mut answers = Vec::with_capacity(requests.len());
        for (r, p) in requests.iter().zip(prepared) {
            let answer = match p {
                Prepared::Done(answer) => *answer,
                Prepared::Write(w) => match outcomes.next() {
                    Some(IdempotentOutcome::StaleVersion) | None => {
                        self.release_alone(meta, actor, r).await
                    }
                    Some(outcome) => self.finish(outcome, w.escrow).await,
                },
                Prepared::Later => self.release_alone(meta, actor, r).await,
            };
            answers.push(answer);
        }
        answers
    }

    async fn release_alone(
        &self,
        meta: &RequestMeta,
        actor: &Actor,
        r: &ReleaseRequest,
    ) -> Result<Receipt<Escrow>, MoneyError> {
        self.release(meta, actor, &r.key, &r.escrow, &r.milestone)
            .await
    }

    async fn finish(
        &self,
        outcome: IdempotentOutcome,
        written: Escrow,
    ) -> Result<Receipt<Escrow>, MoneyError> {
        self.settle_outcome(outcome, written)
    }

    async fn prepare_release(
        &self,
        meta: &RequestMeta,
        actor: &Actor,
        r: &ReleaseRequest,
    ) -> Prepared {
        let fp = fingerprint("escrow.release", actor, &r.escrow, &r.milestone);
        match self.replay(&r.key, &fp).await {
            Ok(Some(replay)) => return Prepared::Done(Box::new(Ok(replay))),
            Ok(None) => {}
            Err(e) => return Prepared::Done(Box::new(Err(e))),
        }
        let escrow = match self.load_for(actor, &r.escrow, Party::Buyer).await {
            Ok(e) => e,
            Err(e) => return Prepared::Done(Box::new(Err(e))),
        };
        let ctx = EntryContext {
            idempotency_key: r.key.clone(),
            at: self.c.stamp.now(),
        };
        let command = EscrowCommand::Release {
            milestone: r.milestone.clone(),
        };
        let t = match escrow.apply(&command, &ctx) {
            Ok(t) => t,
            Err(e) => return Prepared::Done(Box::new(Err(e.into()))),
        };
        let state = t.escrow.state.as_str();
        let details = json!({ "milestone": r.milestone, "state": state, "batch": true });
        let entity = ("escrow", r.escrow.as_str());
        let action = format!("escrow.{state}");
        let audit = self
            .c
            .stamp
            .event(meta, actor.audit_actor(), &action, entity, details);
        let idempotency = idempotency(&r.key, fp, escrow_json(&t.escrow));
        Prepared::Write(Box::new(EscrowWrite {
            escrow: t.escrow,
            expected_version: escrow.version,
            entries: t.entries,
            idempotency,
            audit,
        }))
    }
}
