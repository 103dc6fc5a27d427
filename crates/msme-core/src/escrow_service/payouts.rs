//! Payouts: the pass (`msme payouts run`, a cron) that pays what the platform owes.
//!
//! 1. Every payable with money available gets a payout for all of it (payable → in transit),
//!    unless its last payout failed within the [`backoff`] of its failures.
//! 2. Every payout in transit that is due is sent to the gateway (under a key derived from the
//!    payout, so a crash between the call and the write cannot pay twice) or polled. Processed:
//!    settled (in transit → clearing). Failed or declined: failed, and the money goes back to
//!    the payable (never into thin air). No answer or still processing: deferred with backoff.
//!
//! Every write is keyed by the payout and its version, so two passes at once cannot both act.

use chrono::{DateTime, Utc};
use serde_json::json;

use crate::audit::RequestMeta;
use crate::escrow_service::MoneyCtx;
use crate::escrow_service::MoneyError;
use crate::gateway::{GatewayError, GatewayPayout, GatewayPayoutStatus, PayoutRequest};
use crate::ledger::{
    backoff, Balances, EntryContext, IdempotencyKey, IdempotencyWrite, JournalEntry, LedgerAccount,
    Payout, PayoutId, PayoutState, RequestFingerprint,
};
use crate::rbac::{Actor, Permission};

/// Payout operations; get one from [`Platform::payouts`](crate::Platform::payouts).
pub struct Payouts<'a> {
    pub(crate) c: MoneyCtx<'a>,
}

/// What one pass did.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct PayoutRun {
    pub started: u32,
    pub settled: u32,
    pub failed: u32,
    /// Sent or polled without a final answer; tried again later.
    pub deferred: u32,
}

/// How often a server runs a payout pass when nothing asks for one sooner: payouts whose
/// backoff has passed are retried, payouts in transit are polled.
pub const PAYOUT_INTERVAL: std::time::Duration = std::time::Duration::from_secs(30);

/// How many payouts one pass handles at most.
const BATCH: u32 = 200;

fn key(s: String) -> IdempotencyKey {
    // Our own keys: `payout.` and UUID text, well within the key's alphabet and length.
    IdempotencyKey::parse(&s).expect("a derived key is valid")
}

impl Payouts<'_> {
    /// One pass over payables and payouts in transit.
    pub async fn run(&self, meta: &RequestMeta, actor: &Actor) -> Result<PayoutRun, MoneyError> {
        actor.require(Permission::RunPayouts)?;
        let mut run = PayoutRun::default();
        self.start_all(meta, actor, &mut run).await?;
        let due = self.c.store.payouts_due(self.c.stamp.now(), BATCH).await?;
        for payout in due {
            self.advance(meta, actor, payout, &mut run).await?;
        }
        Ok(run)
    }

    /// A pass the platform runs on its own schedule (the server does, after releases and
    /// every [`PAYOUT_INTERVAL`]): the same pass, audited as the platform itself.
    pub async fn run_scheduled(&self, meta: &RequestMeta) -> Result<PayoutRun, MoneyError> {
        self.run(meta, &Actor::system()).await
    }

    /// Every payout, in id order after `after` (admins).
    pub async fn list(
        &self,
        actor: &Actor,
        after: Option<&PayoutId>,
        limit: u32,
    ) -> Result<Vec<Payout>, MoneyError> {
        actor.require(Permission::ReadLedger)?;
        Ok(self.c.store.payouts_page(after, limit).await?)
    }

    /// Payouts of one payable, newest first (its owner or an admin).
    pub async fn of(
        &self,
        actor: &Actor,
        payee: &LedgerAccount,
    ) -> Result<Vec<Payout>, MoneyError> {
        super::ledger::require_owner(self.c, actor, payee).await?;
        Ok(self.c.store.payouts_of(payee).await?)
    }

    async fn start_all(
        &self,
        meta: &RequestMeta,
        actor: &Actor,
        run: &mut PayoutRun,
    ) -> Result<(), MoneyError> {
        let store = self.c.store;
        let mut after: Option<LedgerAccount> = None;
        loop {
            let page = store.stored_balances(after.as_ref(), BATCH).await?;
            let Some((last, _)) = page.last() else { break };
            after = Some(last.clone());
            for (account, balance) in page {
                let balances = Balances::from_stored([(account.clone(), balance)]);
                let available = balances.available(&account);
                if !account.kind().is_payable() || available.get() <= 0 {
                    continue;
                }
                if self.backing_off(&account).await? {
                    continue;
                }
                if self
                    .start(meta, actor, account, available, &balances)
                    .await?
                {
                    run.started += 1;
                }
            }
        }
        Ok(())
    }

    /// Whether the payee's last payout failed less than its backoff ago.
    async fn backing_off(&self, payee: &LedgerAccount) -> Result<bool, MoneyError> {
        let past = self.c.store.payouts_of(payee).await?;
        let failures = past
            .iter()
            .take_while(|p| p.state == PayoutState::Failed)
            .count();
        Ok(match past.first() {
            Some(last) if failures > 0 => {
                self.c.stamp.now() < last.updated_at + backoff(failures as i32 - 1)
            }
            _ => false,
        })
    }

    async fn start(
        &self,
        meta: &RequestMeta,
        actor: &Actor,
        payee: LedgerAccount,
        amount: crate::money::Paise,
        balances: &Balances,
    ) -> Result<bool, MoneyError> {
        let id = PayoutId::generate();
        let k = key(format!("payout.{id}.start"));
        let ctx = EntryContext {
            idempotency_key: k.clone(),
            at: self.c.stamp.now(),
        };
        let gateway = self.c.gateway.name();
        let (payout, entry) = Payout::start(id, payee, amount, gateway, balances, &ctx)?;
        let event = self.event(meta, actor, &payout, "payout.started", json!({}));
        let idem = write(k, &payout);
        let outcome = self
            .c
            .store
            .create_payout(&payout, &entry, idem, event)
            .await?;
        // Overdrawn: another pass started a payout from this payable first.
        Ok(matches!(outcome, crate::ledger::IdempotentOutcome::Applied))
    }

    /// Sends or polls one payout and records what the gateway said.
    async fn advance(
        &self,
        meta: &RequestMeta,
        actor: &Actor,
        payout: Payout,
        run: &mut PayoutRun,
    ) -> Result<(), MoneyError> {
        let gateway = self.c.gateway;
        if payout.gateway != gateway.name() {
            return Ok(()); // Paid out through another gateway; that one's pass handles it.
        }
        let answer = match &payout.gateway_ref {
            None => gateway.create_payout(&request(&payout)).await,
            Some(r) => gateway.payout_status(r).await,
        };
        match self.answer(meta, actor, &payout, answer).await? {
            PayoutState::Settled => run.settled += 1,
            PayoutState::Failed => run.failed += 1,
            PayoutState::InTransit => run.deferred += 1,
        }
        Ok(())
    }

    /// Records what the gateway said of a payout in transit (a call's answer, or a verified
    /// webhook's event) and returns the state it moved to.
    pub(super) async fn answer(
        &self,
        meta: &RequestMeta,
        actor: &Actor,
        payout: &Payout,
        answer: Result<GatewayPayout, GatewayError>,
    ) -> Result<PayoutState, MoneyError> {
        let now = self.c.stamp.now();
        let (next, entry, action) = match answer {
            Ok(gp) => match outcome_of(payout, &gp, now)? {
                Step::Settle => self.close(payout, Some(gp.id), None, now)?,
                Step::Fail(why) => self.close(payout, Some(gp.id), Some(why), now)?,
                Step::Wait(sent) => (sent, None, "payout.deferred"),
            },
            // An unknown payout is a difference for `ledger reconcile`, not a failure: the
            // money may have left. Keep asking, with backoff.
            Err(e) if e.is_transient() || matches!(e, GatewayError::NotFound(_)) => (
                payout.deferred(e.to_string(), now)?,
                None,
                "payout.deferred",
            ),
            Err(e @ (GatewayError::Declined(_) | GatewayError::Rejected(_))) => {
                self.close(payout, None, Some(e.to_string()), now)?
            }
            Err(e) => return Err(e.into()),
        };
        let state = next.state;
        self.record(meta, actor, payout, next, entry, action)
            .await?;
        Ok(state)
    }

    /// Settles (`why` = None) or fails the payout, with its entry.
    fn close(
        &self,
        payout: &Payout,
        gateway_ref: Option<String>,
        why: Option<String>,
        now: DateTime<Utc>,
    ) -> Result<(Payout, Option<JournalEntry>, &'static str), MoneyError> {
        let ctx = EntryContext {
            idempotency_key: key(format!("payout.{}.v{}", payout.id, payout.version)),
            at: now,
        };
        let failing = why.is_some();
        let (mut next, entry) = if failing {
            payout.fail(&ctx)?
        } else {
            payout.settle(&ctx)?
        };
        next.gateway_ref = gateway_ref.or(next.gateway_ref);
        next.last_error = why.or(next.last_error);
        let action = if failing {
            "payout.failed"
        } else {
            "payout.settled"
        };
        Ok((next, Some(entry), action))
    }

    async fn record(
        &self,
        meta: &RequestMeta,
        actor: &Actor,
        before: &Payout,
        next: Payout,
        entry: Option<JournalEntry>,
        action: &str,
    ) -> Result<(), MoneyError> {
        let k = key(format!("payout.{}.v{}", before.id, before.version));
        let details = json!({ "gateway_ref": next.gateway_ref, "error": next.last_error });
        let event = self.event(meta, actor, &next, action, details);
        let store = self.c.store;
        let idem = write(k, &next);
        // A stale version or replay means another pass recorded this step: nothing to do.
        store
            .update_payout(&next, before.version, entry.as_ref(), idem, event)
            .await?;
        Ok(())
    }

    fn event(
        &self,
        meta: &RequestMeta,
        actor: &Actor,
        payout: &Payout,
        action: &str,
        mut details: serde_json::Value,
    ) -> crate::audit::AuditEvent {
        details["payee"] = json!(payout.payee.to_string());
        details["amount_paise"] = json!(payout.amount.get());
        let entity = ("payout", payout.id.as_str());
        self.c
            .stamp
            .event(meta, actor.audit_actor(), action, entity, details)
    }
}

enum Step {
    Settle,
    Fail(String),
    /// Not final yet: the payout as sent (or deferred) to store.
    Wait(Payout),
}

fn outcome_of(payout: &Payout, gp: &GatewayPayout, now: DateTime<Utc>) -> Result<Step, MoneyError> {
    if gp.amount != payout.amount {
        let why = format!(
            "the gateway's payout is {} but ours is {}",
            gp.amount, payout.amount
        );
        return Ok(Step::Wait(payout.deferred(why, now)?));
    }
    Ok(match &gp.status {
        GatewayPayoutStatus::Processed => Step::Settle,
        GatewayPayoutStatus::Failed(why) => Step::Fail(why.clone()),
        GatewayPayoutStatus::Processing => {
            let mut waiting = payout.deferred("processing at the gateway".into(), now)?;
            waiting.gateway_ref = Some(gp.id.clone());
            Step::Wait(waiting)
        }
    })
}

fn request(payout: &Payout) -> PayoutRequest {
    PayoutRequest {
        reference: payout.id.clone(),
        payee: payout.payee.clone(),
        amount: payout.amount,
        idempotency_key: key(format!("payout.{}", payout.id)),
    }
}

fn write(key: IdempotencyKey, payout: &Payout) -> IdempotencyWrite {
    let fingerprint = RequestFingerprint::of("payout.step")
        .field("payout", &payout.id)
        .field("state", payout.state.as_str())
        .field("version", payout.version)
        .finish();
    let response_json = json!({ "payout_id": payout.id.as_str(), "state": payout.state.as_str() });
    IdempotencyWrite {
        key,
        fingerprint,
        response_json: response_json.to_string(),
    }
}
