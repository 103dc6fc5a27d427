//! The money operations: escrows per deal ([`Escrows`]), payouts ([`Payouts`]) and the ledger's
//! statements and verification ([`Ledger`]). Each money-moving call takes an
//! [`IdempotencyKey`]: the same key with the same request returns the first result (marked
//! `replayed`), with a different request it is `idempotency_conflict`, and two concurrent
//! requests with one key cannot both act (the store serialises them on the key).

mod batch;
mod error;
mod escrows;
pub(crate) mod group_commit;
mod hooks;
mod ledger;
mod moves;
mod payments;
mod payouts;
mod reconcile;
mod webhooks;

pub use batch::ReleaseRequest;
pub use error::MoneyError;
pub use escrows::Escrows;
pub use ledger::{Ledger, Statement, StatementRow, VerifyReport};
pub use payments::Payments;
pub use payouts::{PayoutRun, Payouts, PAYOUT_INTERVAL};
pub use reconcile::{Difference, ReconcileReport};
pub use webhooks::WebhookOutcome;

use crate::audit::Stamp;
use crate::auth::UserStore;
use crate::gateway::PaymentGateway;
use crate::ledger::LedgerStore;
use crate::ledger::{IdempotencyKey, IdempotencyWrite, RequestFingerprint};
use crate::marketplace::ListingStore;

/// What the money context (escrows, payments, payouts, the ledger) is built with: its ports,
/// the gateway and the group commit's queue, nothing of the other contexts.
#[derive(Clone, Copy)]
pub(crate) struct MoneyCtx<'a> {
    pub(crate) store: &'a dyn MoneyPorts,
    pub(crate) stamp: Stamp<'a>,
    pub(crate) gateway: &'a dyn PaymentGateway,
    pub(crate) group_commit: &'a group_commit::GroupCommit,
}

impl<'a> MoneyCtx<'a> {
    pub(crate) fn escrows(self) -> Escrows<'a> {
        Escrows { c: self }
    }
    pub(crate) fn payments(self) -> Payments<'a> {
        Payments { c: self }
    }
    pub(crate) fn payouts(self) -> Payouts<'a> {
        Payouts { c: self }
    }
    pub(crate) fn ledger(self) -> Ledger<'a> {
        Ledger { c: self }
    }
}

/// A result and whether it is the stored result of an earlier request with the same key.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Receipt<T> {
    pub value: T,
    /// True when nothing was done now: this is what the first request with the key got.
    pub replayed: bool,
}

impl<T> Receipt<T> {
    pub(crate) fn applied(value: T) -> Self {
        Self {
            value,
            replayed: false,
        }
    }
    fn replayed(value: T) -> Self {
        Self {
            value,
            replayed: true,
        }
    }
}

fn idempotency(
    key: &IdempotencyKey,
    fingerprint: RequestFingerprint,
    response_json: String,
) -> IdempotencyWrite {
    IdempotencyWrite {
        key: key.clone(),
        fingerprint,
        response_json,
    }
}

port_bundle!(
    /// The ports the money context (escrows, payments, payouts, the ledger) is built with: the
    /// ledger, and the accounts and listings an escrow names.
    pub trait MoneyPorts: LedgerStore, UserStore, ListingStore);
