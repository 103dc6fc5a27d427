//! Reconciliation: the ledger's payments and payouts against the gateway's own records.
//!
//! Each payment recorded through the platform's gateway must be captured there for the same
//! amount; each payout sent to it must exist there for the same amount, in a status that
//! agrees with ours (settled ⇔ processed, failed ⇔ failed, in transit ⇔ still processing).
//! Bank transfers, payouts not yet sent and anything through another gateway are counted as
//! skipped. A gateway that cannot be asked is a difference too: nothing is proved then.

use std::fmt;

use crate::escrow_service::ledger::Ledger;
use crate::escrow_service::MoneyError;
use crate::gateway::{GatewayError, GatewayPaymentStatus, GatewayPayoutStatus};
use crate::ledger::{Payment, PaymentId, Payout, PayoutId, PayoutState};
use crate::money::Paise;
use crate::rbac::{Actor, Permission};

/// One disagreement between the ledger and the gateway.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Difference {
    PaymentMissing {
        payment: PaymentId,
        gateway_ref: String,
    },
    PaymentAmount {
        payment: PaymentId,
        ours: Paise,
        theirs: Paise,
    },
    /// Recorded as funding an escrow, but not captured at the gateway.
    PaymentNotCaptured { payment: PaymentId, status: String },
    PayoutMissing {
        payout: PayoutId,
        gateway_ref: String,
    },
    PayoutAmount {
        payout: PayoutId,
        ours: Paise,
        theirs: Paise,
    },
    /// Our state and the gateway's status disagree.
    PayoutStatus {
        payout: PayoutId,
        ours: PayoutState,
        theirs: String,
    },
    /// The gateway could not be asked about it.
    Unchecked { what: String, error: String },
}

impl fmt::Display for Difference {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use Difference::*;
        match self {
            PaymentMissing {
                payment,
                gateway_ref,
            } => write!(f, "payment {payment}: the gateway has no {gateway_ref}"),
            PaymentAmount {
                payment,
                ours,
                theirs,
            } => write!(
                f,
                "payment {payment}: ours is {ours}, the gateway's {theirs}"
            ),
            PaymentNotCaptured { payment, status } => {
                write!(
                    f,
                    "payment {payment}: not captured at the gateway ({status})"
                )
            }
            PayoutMissing {
                payout,
                gateway_ref,
            } => write!(f, "payout {payout}: the gateway has no {gateway_ref}"),
            PayoutAmount {
                payout,
                ours,
                theirs,
            } => write!(f, "payout {payout}: ours is {ours}, the gateway's {theirs}"),
            PayoutStatus {
                payout,
                ours,
                theirs,
            } => write!(
                f,
                "payout {payout}: {} here but {theirs} at the gateway",
                ours.as_str()
            ),
            Unchecked { what, error } => write!(f, "{what}: could not be checked: {error}"),
        }
    }
}

impl Difference {
    /// A stable name of the kind of difference, for JSON.
    pub fn code(&self) -> &'static str {
        use Difference::*;
        match self {
            PaymentMissing { .. } => "payment_missing",
            PaymentAmount { .. } => "payment_amount",
            PaymentNotCaptured { .. } => "payment_not_captured",
            PayoutMissing { .. } => "payout_missing",
            PayoutAmount { .. } => "payout_amount",
            PayoutStatus { .. } => "payout_status",
            Unchecked { .. } => "unchecked",
        }
    }
}

/// What `ledger reconcile` compared and found.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ReconcileReport {
    pub gateway: String,
    pub payments_checked: u64,
    pub payouts_checked: u64,
    /// Bank transfers, payouts not yet sent, and records of other gateways.
    pub skipped: u64,
    pub differences: Vec<Difference>,
}

const PAGE: u32 = 500;

impl Ledger<'_> {
    /// Compares every payment and payout with the gateway's record of it.
    pub async fn reconcile(&self, actor: &Actor) -> Result<ReconcileReport, MoneyError> {
        actor.require(Permission::ReadLedger)?;
        let mut report = ReconcileReport {
            gateway: self.c.gateway.name().as_str().to_string(),
            ..ReconcileReport::default()
        };
        let mut after: Option<PaymentId> = None;
        loop {
            let store = self.c.store;
            let page = store.payments_page(after.as_ref(), PAGE).await?;
            let Some(last) = page.last() else { break };
            after = Some(last.id.clone());
            for payment in &page {
                self.check_payment(payment, &mut report).await;
            }
        }
        self.check_payouts(&mut report).await?;
        Ok(report)
    }

    /// Every sent payout against the gateway (also part of `ledger verify`).
    pub(super) async fn check_payouts(
        &self,
        report: &mut ReconcileReport,
    ) -> Result<(), MoneyError> {
        let mut after: Option<PayoutId> = None;
        loop {
            let store = self.c.store;
            let page = store.payouts_page(after.as_ref(), PAGE).await?;
            let Some(last) = page.last() else {
                return Ok(());
            };
            after = Some(last.id.clone());
            for payout in &page {
                self.check_payout(payout, report).await;
            }
        }
    }

    async fn check_payment(&self, payment: &Payment, report: &mut ReconcileReport) {
        let gateway = self.c.gateway;
        if payment.source != gateway.name() {
            report.skipped += 1;
            return;
        }
        report.payments_checked += 1;
        let id = payment.id.clone();
        let found = match gateway.fetch_payment(&payment.gateway_ref).await {
            Ok(found) => found,
            Err(GatewayError::NotFound(_)) => {
                let gateway_ref = payment.gateway_ref.clone();
                let d = Difference::PaymentMissing {
                    payment: id,
                    gateway_ref,
                };
                return report.differences.push(d);
            }
            Err(e) => return report.differences.push(unchecked("payment", &id, &e)),
        };
        if found.amount != payment.amount {
            report.differences.push(Difference::PaymentAmount {
                payment: id.clone(),
                ours: payment.amount,
                theirs: found.amount,
            });
        }
        let status = match found.status {
            GatewayPaymentStatus::Captured => return,
            GatewayPaymentStatus::Pending => "pending".to_string(),
            GatewayPaymentStatus::Failed(why) => format!("failed: {why}"),
        };
        let d = Difference::PaymentNotCaptured {
            payment: id,
            status,
        };
        report.differences.push(d);
    }

    async fn check_payout(&self, payout: &Payout, report: &mut ReconcileReport) {
        let gateway = self.c.gateway;
        let Some(gateway_ref) = payout.gateway_ref.clone() else {
            report.skipped += 1;
            return;
        };
        if payout.gateway != gateway.name() {
            report.skipped += 1;
            return;
        }
        report.payouts_checked += 1;
        let id = payout.id.clone();
        let found = match gateway.payout_status(&gateway_ref).await {
            Ok(found) => found,
            Err(GatewayError::NotFound(_)) => {
                let d = Difference::PayoutMissing {
                    payout: id,
                    gateway_ref,
                };
                return report.differences.push(d);
            }
            Err(e) => return report.differences.push(unchecked("payout", &id, &e)),
        };
        if found.amount != payout.amount {
            report.differences.push(Difference::PayoutAmount {
                payout: id.clone(),
                ours: payout.amount,
                theirs: found.amount,
            });
        }
        let agrees = matches!(
            (payout.state, &found.status),
            (PayoutState::Settled, GatewayPayoutStatus::Processed)
                | (PayoutState::Failed, GatewayPayoutStatus::Failed(_))
                | (PayoutState::InTransit, GatewayPayoutStatus::Processing)
        );
        if !agrees {
            let theirs = match found.status {
                GatewayPayoutStatus::Processing => "processing".to_string(),
                GatewayPayoutStatus::Processed => "processed".to_string(),
                GatewayPayoutStatus::Failed(why) => format!("failed ({why})"),
            };
            report.differences.push(Difference::PayoutStatus {
                payout: id,
                ours: payout.state,
                theirs,
            });
        }
    }
}

fn unchecked(kind: &str, id: &impl fmt::Display, e: &GatewayError) -> Difference {
    Difference::Unchecked {
        what: format!("{kind} {id}"),
        error: e.to_string(),
    }
}
