//! Gateway webhooks: a signed message from the gateway about a payment or a payout. The
//! signature is checked over the exact body before anything is read from it; a payout update
//! is then recorded as the payout pass would record the same answer (so a webhook and a poll
//! that race write the step once), by the platform itself (`system` in the audit trail).

use crate::audit::RequestMeta;
use crate::escrow_service::{MoneyError, Payments};
use crate::gateway::WebhookEvent;
use crate::ledger::{PayoutId, PayoutState};
use crate::rbac::Actor;

/// What a verified webhook did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum WebhookOutcome {
    /// A payout in transit was settled, failed (its money back in its payable) or is still
    /// processing at the gateway.
    PayoutUpdated {
        payout: PayoutId,
        state: PayoutState,
    },
    /// The event was already recorded: a payout already final, a payment already funding its
    /// escrow. Gateways send webhooks more than once.
    AlreadyRecorded,
    /// A payment captured against an order no escrow was funded with yet: funding completes
    /// when the buyer's `fund` call finds it. Logged, nothing written.
    PaymentNotYetFunded { payment: String },
    /// Nothing of the platform's: a payout it never made.
    Unmatched,
}

impl WebhookOutcome {
    pub fn as_str(&self) -> &'static str {
        match self {
            WebhookOutcome::PayoutUpdated { .. } => "payout_updated",
            WebhookOutcome::AlreadyRecorded => "already_recorded",
            WebhookOutcome::PaymentNotYetFunded { .. } => "payment_not_yet_funded",
            WebhookOutcome::Unmatched => "unmatched",
        }
    }
}

impl Payments<'_> {
    /// Checks a webhook from `gateway` (its name in the URL must be the platform's gateway)
    /// and records what it reports.
    pub async fn webhook(
        &self,
        meta: &RequestMeta,
        gateway: &str,
        body: &[u8],
        signature: &str,
    ) -> Result<WebhookOutcome, MoneyError> {
        let g = self.c.gateway;
        if g.name().as_str() != gateway {
            return Err(MoneyError::NotFound("payment gateway"));
        }
        match g.verify_webhook(body, signature)? {
            WebhookEvent::PaymentCaptured(captured) => {
                let known = self.c.store.payment_by_ref(&g.name(), &captured.id).await?;
                if known.is_some() {
                    return Ok(WebhookOutcome::AlreadyRecorded);
                }
                tracing::info!(payment = %captured.id, order = %captured.order_id,
                    "captured payment not yet funding an escrow");
                Ok(WebhookOutcome::PaymentNotYetFunded {
                    payment: captured.id,
                })
            }
            WebhookEvent::PayoutUpdated(update) => {
                let store = self.c.store;
                let Some(payout) = store.payout_by_id(&update.reference).await? else {
                    return Ok(WebhookOutcome::Unmatched);
                };
                if payout.gateway != g.name() {
                    return Ok(WebhookOutcome::Unmatched);
                }
                if payout.state != PayoutState::InTransit {
                    return Ok(WebhookOutcome::AlreadyRecorded);
                }
                let id = payout.id.clone();
                let state = self
                    .c
                    .payouts()
                    .answer(meta, &Actor::system(), &payout, Ok(update))
                    .await?;
                Ok(WebhookOutcome::PayoutUpdated { payout: id, state })
            }
        }
    }
}
