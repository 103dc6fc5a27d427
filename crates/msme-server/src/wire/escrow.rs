//! Escrows, payments, payouts and statements on the wire. Money in integer paise, in fields
//! ending `_paise`.

use msme_core::escrow_service::{Difference, Statement, VerifyReport};
use msme_core::ledger::{Escrow, EscrowTermsInput, MilestoneInput, Payment, Payout, Violation};
use msme_core::types::{ListingId, UserId};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::time;
use crate::error::ApiError;
use crate::routes::parse_id;

/// A milestone as a client gives it.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MilestoneRequest {
    pub name: String,
    pub amount_paise: i64,
}

/// `POST /v1/escrows`: the deal's terms. Milestones must add up to `amount_paise`; the fee
/// and commission are in basis points of the amount (250 = 2.5%).
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateEscrowRequest {
    pub listing_id: String,
    pub buyer_id: String,
    pub seller_id: String,
    pub amount_paise: i64,
    #[serde(default)]
    pub platform_fee_bps: u32,
    #[serde(default)]
    pub agent_id: Option<String>,
    #[serde(default)]
    pub agent_commission_bps: u32,
    pub milestones: Vec<MilestoneRequest>,
}

impl TryFrom<CreateEscrowRequest> for EscrowTermsInput {
    type Error = ApiError;

    fn try_from(r: CreateEscrowRequest) -> Result<Self, ApiError> {
        Ok(EscrowTermsInput {
            listing_id: parse_id(&r.listing_id, "listing_id", ListingId::parse)?,
            buyer_id: parse_id(&r.buyer_id, "buyer_id", UserId::parse)?,
            seller_id: parse_id(&r.seller_id, "seller_id", UserId::parse)?,
            amount_paise: r.amount_paise,
            platform_fee_bps: r.platform_fee_bps,
            agent_id: r
                .agent_id
                .as_deref()
                .map(|a| parse_id(a, "agent_id", UserId::parse))
                .transpose()?,
            agent_commission_bps: r.agent_commission_bps,
            milestones: r
                .milestones
                .into_iter()
                .map(|m| MilestoneInput {
                    name: m.name,
                    amount_paise: m.amount_paise,
                })
                .collect(),
        })
    }
}

/// `POST /v1/escrows/{id}/release`.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReleaseRequest {
    /// The name of the milestone to release.
    pub milestone: String,
}

/// `POST /v1/escrows/{id}/dispute`.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(default, deny_unknown_fields)]
pub struct DisputeRequest {
    /// Why, for the admin who resolves it.
    pub reason: String,
}

/// `POST /v1/escrows/{id}/resolve`: the two parts must add up to what the escrow holds.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ResolveRequest {
    pub refund_to_buyer_paise: i64,
    pub release_to_seller_paise: i64,
}

/// A milestone with its share of the platform fee and agent commission.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct MilestoneBody {
    pub name: String,
    pub amount_paise: i64,
    pub platform_fee_paise: i64,
    pub agent_commission_paise: i64,
    /// What reaches the seller: amount less fee and commission.
    pub seller_net_paise: i64,
    pub released: bool,
}

/// An escrow: the deal's terms and where its money is.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct EscrowBody {
    pub id: String,
    pub listing_id: String,
    pub buyer_id: String,
    pub seller_id: String,
    pub agent_id: Option<String>,
    pub amount_paise: i64,
    pub platform_fee_bps: u32,
    pub agent_commission_bps: u32,
    pub milestones: Vec<MilestoneBody>,
    /// `created`, `funded`, `partially_released`, `released`, `refunded`, `disputed`,
    /// `resolved` or `cancelled`.
    pub state: String,
    pub funded_paise: i64,
    pub released_paise: i64,
    pub refunded_paise: i64,
    /// Still held: funded less released and refunded.
    pub held_paise: i64,
    /// The gateway (or `bank_transfer`) the money came through.
    pub funding_source: Option<String>,
    pub version: i64,
    #[schema(format = DateTime)]
    pub created_at: String,
    #[schema(format = DateTime)]
    pub updated_at: String,
}

impl From<&Escrow> for EscrowBody {
    fn from(e: &Escrow) -> Self {
        let t = &e.terms;
        Self {
            id: e.id.to_string(),
            listing_id: t.listing_id().to_string(),
            buyer_id: t.buyer_id().to_string(),
            seller_id: t.seller_id().to_string(),
            agent_id: t.agent_id().map(ToString::to_string),
            amount_paise: t.amount().get(),
            platform_fee_bps: t.platform_fee_bps(),
            agent_commission_bps: t.agent_commission_bps(),
            milestones: t
                .milestones()
                .iter()
                .map(|m| MilestoneBody {
                    name: m.name.clone(),
                    amount_paise: m.amount.get(),
                    platform_fee_paise: m.platform_fee.get(),
                    agent_commission_paise: m.agent_commission.get(),
                    seller_net_paise: m.seller_net().get(),
                    released: e.released_milestones.contains(&m.name),
                })
                .collect(),
            state: e.state.as_str().to_string(),
            funded_paise: e.funded.get(),
            released_paise: e.released.get(),
            refunded_paise: e.refunded.get(),
            held_paise: e.held().get(),
            funding_source: e.funding_source.as_ref().map(|s| s.as_str().to_string()),
            version: e.version,
            created_at: time(e.created_at),
            updated_at: time(e.updated_at),
        }
    }
}

/// `POST /v1/payments/bank-transfers`: an admin confirms that an escrow's whole amount
/// arrived by bank transfer.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct BankTransferRequest {
    pub escrow_id: String,
    pub amount_paise: i64,
    /// The bank's reference for the transfer (UTR).
    #[schema(example = "HDFCR52026010112345")]
    pub reference: String,
}

/// A payment that funded an escrow.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct PaymentBody {
    pub id: String,
    pub escrow_id: String,
    /// The gateway it came through (`sandbox`, `razorpayx`), or `bank_transfer`.
    pub source: String,
    /// The gateway's payment id, or the bank transfer's reference.
    pub gateway_ref: String,
    pub order_id: Option<String>,
    pub amount_paise: i64,
    #[schema(format = DateTime)]
    pub created_at: String,
}

impl From<&Payment> for PaymentBody {
    fn from(p: &Payment) -> Self {
        Self {
            id: p.id.to_string(),
            escrow_id: p.escrow_id.to_string(),
            source: p.source.as_str().to_string(),
            gateway_ref: p.gateway_ref.clone(),
            order_id: p.order_id.clone(),
            amount_paise: p.amount.get(),
            created_at: time(p.created_at),
        }
    }
}

/// A payout from a payable account to its owner's bank account.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct PayoutBody {
    pub id: String,
    /// The payable it draws on, e.g. `payable:seller:<user id>`.
    pub payee: String,
    pub amount_paise: i64,
    pub gateway: String,
    /// `in_transit`, `settled` or `failed` (its money back in the payable).
    pub state: String,
    pub gateway_ref: Option<String>,
    pub attempts: i32,
    pub last_error: Option<String>,
    #[schema(format = DateTime)]
    pub next_attempt_at: String,
    #[schema(format = DateTime)]
    pub created_at: String,
    #[schema(format = DateTime)]
    pub updated_at: String,
}

impl From<&Payout> for PayoutBody {
    fn from(p: &Payout) -> Self {
        Self {
            id: p.id.to_string(),
            payee: p.payee.to_string(),
            amount_paise: p.amount.get(),
            gateway: p.gateway.as_str().to_string(),
            state: p.state.as_str().to_string(),
            gateway_ref: p.gateway_ref.clone(),
            attempts: p.attempts,
            last_error: p.last_error.clone(),
            next_attempt_at: time(p.next_attempt_at),
            created_at: time(p.created_at),
            updated_at: time(p.updated_at),
        }
    }
}

/// One posting to the account, with the balance after it.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct StatementLineBody {
    pub seq: i64,
    pub entry_id: String,
    pub escrow_id: Option<String>,
    /// `funding`, `milestone_release`, `refund`, `dispute_resolution`, `payout`,
    /// `payout_failure`, `payout_settlement` or `hold_post`.
    pub kind: String,
    #[schema(format = DateTime)]
    pub at: String,
    pub memo: String,
    /// `debit` or `credit`.
    pub side: String,
    pub amount_paise: i64,
    /// On the account's normal side.
    pub balance_after_paise: i64,
}

/// Every posting to one account, in order, with running balances.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct StatementBody {
    pub account: String,
    /// The side the account grows on: `credit` for money owed, `debit` for clearing.
    pub normal_side: String,
    pub lines: Vec<StatementLineBody>,
    pub closing_balance_paise: i64,
    /// Reserved by pending holds, not yet posted.
    pub pending_debits_paise: i64,
    pub pending_credits_paise: i64,
}

impl From<&Statement> for StatementBody {
    fn from(s: &Statement) -> Self {
        Self {
            account: s.account.to_string(),
            normal_side: s.account.kind().normal_side().as_str().to_string(),
            lines: s
                .rows
                .iter()
                .map(|r| StatementLineBody {
                    seq: r.line.seq,
                    entry_id: r.line.entry_id.to_string(),
                    escrow_id: r.line.escrow_id.as_ref().map(ToString::to_string),
                    kind: r.line.kind.as_str().to_string(),
                    at: time(r.line.at),
                    memo: r.line.memo.clone(),
                    side: r.line.side.as_str().to_string(),
                    amount_paise: r.line.amount.get(),
                    balance_after_paise: r.balance_after.get(),
                })
                .collect(),
            closing_balance_paise: s.closing.get(),
            pending_debits_paise: s.pending.debits_pending.get(),
            pending_credits_paise: s.pending.credits_pending.get(),
        }
    }
}

/// One problem `ledger verify` or `ledger reconcile` found.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct FindingBody {
    /// Stable name of the kind of problem, e.g. `unbalanced`, `payout_status`.
    pub code: String,
    pub message: String,
}

fn violation_code(v: &Violation) -> &'static str {
    match v {
        Violation::Unbalanced { .. } => "unbalanced",
        Violation::NonZeroTotal { .. } => "non_zero_total",
        Violation::Overdrawn { .. } => "overdrawn",
        Violation::HoldOverPosted { .. } => "hold_over_posted",
        Violation::EscrowMismatch { .. } => "escrow_mismatch",
        Violation::StoredBalanceMismatch { .. } => "stored_balance_mismatch",
        Violation::PayoutWithoutGatewayRecord { .. } => "payout_without_gateway_record",
    }
}

impl From<&Violation> for FindingBody {
    fn from(v: &Violation) -> Self {
        Self {
            code: violation_code(v).to_string(),
            message: v.to_string(),
        }
    }
}

impl From<&Difference> for FindingBody {
    fn from(d: &Difference) -> Self {
        Self {
            code: d.code().to_string(),
            message: d.to_string(),
        }
    }
}

/// What `ledger verify` read and found; `clean` when every invariant holds.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct VerifyBody {
    pub clean: bool,
    pub entries: u64,
    pub accounts: u64,
    pub escrows: u64,
    pub payouts: u64,
    pub holds: u64,
    pub violations: Vec<FindingBody>,
    pub gateway_differences: Vec<FindingBody>,
}

impl From<&VerifyReport> for VerifyBody {
    fn from(r: &VerifyReport) -> Self {
        Self {
            clean: r.is_clean(),
            entries: r.entries,
            accounts: r.accounts,
            escrows: r.escrows,
            payouts: r.payouts,
            holds: r.holds,
            violations: r.violations.iter().map(FindingBody::from).collect(),
            gateway_differences: r
                .gateway_differences
                .iter()
                .map(FindingBody::from)
                .collect(),
        }
    }
}

/// What a gateway's webhook did.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct WebhookAck {
    /// `payout_updated`, `already_recorded`, `payment_not_yet_funded` or `unmatched`.
    pub outcome: String,
    pub payout_id: Option<String>,
    /// The payout's state after the event, for `payout_updated`.
    pub state: Option<String>,
}
