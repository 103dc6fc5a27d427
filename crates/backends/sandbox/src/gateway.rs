//! The sandbox gateway: persistent (its books are in the platform's database through
//! [`SandboxStore`]), deterministic (ids are derived from the idempotency key), and it plays the
//! payer, so funding completes at once.
//!
//! # Simulating failures
//! The last three digits of the amount in paise choose what happens, as test card numbers do
//! at real gateways:
//!
//! | amount ends in | order / payment | payout |
//! |---|---|---|
//! | `401` | the payment is declined | the payee's bank rejects it: `failed` |
//! | `408` | the first create times out *after* acting; a retry with the same key finds it | same |
//! | `202` | paid late: no authorised payment until [`LATE_BY`] has passed | `processing` until [`LATE_BY`] has passed (a late webhook) |
//! | anything else | paid at once | `processed` at once |

use std::sync::Arc;

use async_trait::async_trait;
use chrono::Duration;
use hmac::{Hmac, Mac};
use sha2::{Digest, Sha256};

use msme_core::clock::Clock;
use msme_core::gateway::{
    CapturedPayment, GatewayError, GatewayOrder, GatewayPayment, GatewayPaymentStatus,
    GatewayPayout, GatewayPayoutStatus, OrderRequest, PaymentGateway, PayoutRequest, WebhookEvent,
};
use msme_core::ledger::{GatewayName, PayoutId};
use msme_core::money::Paise;
use msme_razorpay::webhook;

use crate::{SandboxRecord, SandboxStore};

/// How long a `…202` payment or payout takes to complete.
pub const LATE_BY: Duration = Duration::minutes(15);

/// The webhook secret of a sandbox made with [`SandboxGateway::new`].
pub const DEFAULT_WEBHOOK_SECRET: &str = "msme-sandbox-webhook-secret";

/// What an amount asks the sandbox to simulate.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Simulation {
    Succeed,
    Decline,
    Timeout,
    Late,
}

impl Simulation {
    /// Reads the table in the module docs.
    pub fn of(amount: Paise) -> Self {
        match amount.get().rem_euclid(1000) {
            401 => Simulation::Decline,
            408 => Simulation::Timeout,
            202 => Simulation::Late,
            _ => Simulation::Succeed,
        }
    }
}

/// The sandbox gateway over any [`SandboxStore`] (the platform's `dyn Store` is one).
pub struct SandboxGateway<S: ?Sized> {
    store: Arc<S>,
    clock: Arc<dyn Clock>,
    secret: Vec<u8>,
}

impl<S: ?Sized> SandboxGateway<S> {
    pub fn new(store: Arc<S>, clock: Arc<dyn Clock>) -> Self {
        Self {
            store,
            clock,
            secret: DEFAULT_WEBHOOK_SECRET.as_bytes().to_vec(),
        }
    }

    /// Signs webhooks with `secret` instead of [`DEFAULT_WEBHOOK_SECRET`].
    pub fn with_webhook_secret(mut self, secret: &[u8]) -> Self {
        self.secret = secret.to_vec();
        self
    }

    /// The signature of a webhook body: hex HMAC-SHA256 with the webhook secret, as Razorpay
    /// signs (`X-Razorpay-Signature`).
    pub fn sign(&self, body: &[u8]) -> String {
        let mut mac = Hmac::<Sha256>::new_from_slice(&self.secret).expect("any key length");
        mac.update(body);
        hex::encode(mac.finalize().into_bytes())
    }
}

/// A deterministic id: the same key always names the same object.
fn derive_id(prefix: &str, key: &str) -> String {
    let digest = Sha256::digest(format!("{prefix}:{key}").as_bytes());
    format!("{prefix}_{}", &hex::encode(digest)[..14])
}

impl<S: SandboxStore + ?Sized + 'static> SandboxGateway<S> {
    /// Stores a new object (or finds the one made under its key). A `…408` amount times out
    /// on the call that made it, for the objects a client creates (orders, payouts).
    async fn make(
        &self,
        kind: &str,
        key: &str,
        amount: Paise,
        status: &str,
        reference: String,
    ) -> Result<SandboxRecord, GatewayError> {
        let now = self.clock.now();
        let ready_at = match Simulation::of(amount) {
            Simulation::Late => now + LATE_BY,
            _ => now,
        };
        let record = SandboxRecord {
            kind: kind.to_string(),
            id: derive_id(kind, key),
            idempotency_key: key.to_string(),
            amount,
            status: status.to_string(),
            reference,
            ready_at,
            created_at: now,
            updated_at: now,
        };
        let (stored, created) = self.store.sandbox_insert(&record).await?;
        if created && kind != "payment" && Simulation::of(amount) == Simulation::Timeout {
            return Err(GatewayError::Timeout);
        }
        Ok(stored)
    }

    async fn payout(&self, r: SandboxRecord) -> Result<GatewayPayout, GatewayError> {
        let now = self.clock.now();
        let mut status = r.status.clone();
        if status == "processing" && now >= r.ready_at {
            status = "processed".into();
            self.store
                .sandbox_set_status("payout", &r.id, &status, now)
                .await?;
        }
        let (reference, _) = r.reference.split_once(' ').unwrap_or((&r.reference, ""));
        Ok(GatewayPayout {
            id: r.id.clone(),
            reference: PayoutId::from_trusted(reference.to_string()),
            amount: r.amount,
            status: match status.as_str() {
                "processed" => GatewayPayoutStatus::Processed,
                "failed" => GatewayPayoutStatus::Failed("the payee's bank rejected it".into()),
                _ => GatewayPayoutStatus::Processing,
            },
        })
    }

    /// The signed webhook the sandbox would send for a payout now: `(body, signature)`.
    pub async fn payout_webhook(
        &self,
        gateway_ref: &str,
    ) -> Result<(Vec<u8>, String), GatewayError> {
        let payout = self.payout_status(gateway_ref).await?;
        let body = webhook::payout_body(&payout).into_bytes();
        let signature = self.sign(&body);
        Ok((body, signature))
    }
}

#[async_trait]
impl<S: SandboxStore + ?Sized + 'static> PaymentGateway for SandboxGateway<S> {
    fn name(&self) -> GatewayName {
        GatewayName::parse("sandbox").expect("a valid name")
    }

    async fn create_order(&self, order: &OrderRequest) -> Result<GatewayOrder, GatewayError> {
        let key = order.idempotency_key.as_str();
        let o = self
            .make("order", key, order.amount, "created", order.receipt.clone())
            .await?;
        // The sandbox plays the payer: it authorises a payment for the order at once (or late,
        // or declined), under a key derived from the order.
        let status = match Simulation::of(order.amount) {
            Simulation::Decline => "failed",
            _ => "authorized",
        };
        let p = self
            .make("payment", &o.id, o.amount, status, o.id.clone())
            .await?;
        let paid = self.clock.now() >= p.ready_at;
        Ok(GatewayOrder {
            id: o.id,
            amount: o.amount,
            authorized_payment: paid.then_some(p.id),
        })
    }

    async fn capture_payment(
        &self,
        payment_id: &str,
        amount: Paise,
    ) -> Result<CapturedPayment, GatewayError> {
        let p = self.store.sandbox_get("payment", payment_id).await?;
        let p = p.ok_or_else(|| GatewayError::NotFound(format!("payment {payment_id}")))?;
        if p.amount != amount {
            return Err(GatewayError::Rejected(
                "the amount differs from the payment".into(),
            ));
        }
        match p.status.as_str() {
            "failed" => {
                return Err(GatewayError::Declined(
                    "the payer's bank declined it".into(),
                ))
            }
            "authorized" => {
                let now = self.clock.now();
                self.store
                    .sandbox_set_status("payment", &p.id, "captured", now)
                    .await?;
            }
            _ => {}
        }
        Ok(CapturedPayment {
            id: p.id,
            order_id: p.reference,
            amount: p.amount,
        })
    }

    async fn fetch_payment(&self, payment_id: &str) -> Result<GatewayPayment, GatewayError> {
        let p = self.store.sandbox_get("payment", payment_id).await?;
        let p = p.ok_or_else(|| GatewayError::NotFound(format!("payment {payment_id}")))?;
        let status = match p.status.as_str() {
            "captured" => GatewayPaymentStatus::Captured,
            "failed" => GatewayPaymentStatus::Failed("the payer's bank declined it".into()),
            _ => GatewayPaymentStatus::Pending,
        };
        Ok(GatewayPayment {
            id: p.id,
            order_id: Some(p.reference),
            amount: p.amount,
            status,
        })
    }

    async fn create_payout(&self, payout: &PayoutRequest) -> Result<GatewayPayout, GatewayError> {
        let status = match Simulation::of(payout.amount) {
            Simulation::Decline => "failed",
            _ => "processing",
        };
        let reference = format!("{} {}", payout.reference, payout.payee);
        let key = payout.idempotency_key.as_str();
        let r = self
            .make("payout", key, payout.amount, status, reference)
            .await?;
        self.payout(r).await
    }

    async fn payout_status(&self, gateway_ref: &str) -> Result<GatewayPayout, GatewayError> {
        let r = self.store.sandbox_get("payout", gateway_ref).await?;
        let r = r.ok_or_else(|| GatewayError::NotFound(format!("payout {gateway_ref}")))?;
        self.payout(r).await
    }

    fn verify_webhook(&self, body: &[u8], signature: &str) -> Result<WebhookEvent, GatewayError> {
        let mut mac = Hmac::<Sha256>::new_from_slice(&self.secret).expect("any key length");
        mac.update(body);
        let given = hex::decode(signature.trim()).map_err(|_| GatewayError::BadSignature)?;
        mac.verify_slice(&given)
            .map_err(|_| GatewayError::BadSignature)?;
        webhook::parse(body)
    }
}
