//! An escrow's terms, checked once when the escrow is opened, with the fee schedule fixed then.
//!
//! The platform fee and agent commission are computed on the whole amount (basis points,
//! rounded half away from zero) and shared out over the milestones pro rata, rounding each
//! share down; the LAST milestone in the terms absorbs the rounding. So whatever order
//! milestones are released in, the fees and commissions released add up exactly to the totals.

use std::collections::HashSet;

use crate::error::ValidationError;
use crate::money::Paise;
use crate::types::{ListingId, UserId};

/// At most this many milestones per escrow.
pub const MAX_MILESTONES: usize = 50;
/// Basis points in a whole.
pub const FULL_BPS: u32 = 10_000;

/// A milestone as a client gives it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MilestoneInput {
    pub name: String,
    pub amount_paise: i64,
}

impl MilestoneInput {
    /// Milestones named `m0`, `m1`, … in order, with these amounts: for generated terms
    /// (benchmarks, load runs, property tests).
    pub fn numbered(amounts: impl IntoIterator<Item = i64>) -> Vec<Self> {
        amounts
            .into_iter()
            .enumerate()
            .map(|(i, amount_paise)| MilestoneInput {
                name: format!("m{i}"),
                amount_paise,
            })
            .collect()
    }
}

/// Terms as a client gives them (wire names), before checks.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EscrowTermsInput {
    pub listing_id: ListingId,
    pub buyer_id: UserId,
    pub seller_id: UserId,
    pub amount_paise: i64,
    pub platform_fee_bps: u32,
    pub agent_id: Option<UserId>,
    pub agent_commission_bps: u32,
    pub milestones: Vec<MilestoneInput>,
}

/// A milestone with its share of the fee and commission. `seller_net` is what reaches the
/// seller's payable when it is released; the four always satisfy
/// `amount = platform_fee + agent_commission + seller_net`, each part ≥ 0.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Milestone {
    pub name: String,
    pub amount: Paise,
    pub platform_fee: Paise,
    pub agent_commission: Paise,
}

impl Milestone {
    pub fn seller_net(&self) -> Paise {
        Paise::new(self.amount.get() - self.platform_fee.get() - self.agent_commission.get())
    }
}

/// Checked terms. Invariants: amount > 0; milestones non-empty, uniquely and non-blankly
/// named, each > 0, summing exactly to the amount; bps ≤ 10 000; a commission only with an
/// agent; buyer, seller and agent distinct; every milestone carries its fee and commission.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EscrowTerms {
    listing_id: ListingId,
    buyer_id: UserId,
    seller_id: UserId,
    amount: Paise,
    platform_fee_bps: u32,
    agent_id: Option<UserId>,
    agent_commission_bps: u32,
    milestones: Vec<Milestone>,
}

impl EscrowTerms {
    /// Checks terms, naming the field at fault (`milestones[2].name`).
    pub fn parse(input: EscrowTermsInput) -> Result<Self, ValidationError> {
        let amount = positive("amount_paise", input.amount_paise)?;
        check_parties(&input)?;
        check_bps("platform_fee_bps", input.platform_fee_bps)?;
        check_bps("agent_commission_bps", input.agent_commission_bps)?;
        let fee = amount.checked_bps(input.platform_fee_bps);
        let commission = amount.checked_bps(input.agent_commission_bps);
        let (fee, commission) = fee.zip(commission).ok_or_else(overflow)?;
        if fee.get() + commission.get() > amount.get() {
            return Err(ValidationError::new(
                "platform_fee_bps",
                "platform fee and agent commission together exceed the amount",
            ));
        }
        let milestones = schedule(&input.milestones, amount, fee, commission)?;
        Ok(Self {
            listing_id: input.listing_id,
            buyer_id: input.buyer_id,
            seller_id: input.seller_id,
            amount,
            platform_fee_bps: input.platform_fee_bps,
            agent_id: input.agent_id,
            agent_commission_bps: input.agent_commission_bps,
            milestones,
        })
    }

    pub fn listing_id(&self) -> &ListingId {
        &self.listing_id
    }
    pub fn buyer_id(&self) -> &UserId {
        &self.buyer_id
    }
    pub fn seller_id(&self) -> &UserId {
        &self.seller_id
    }
    pub fn amount(&self) -> Paise {
        self.amount
    }
    pub fn platform_fee_bps(&self) -> u32 {
        self.platform_fee_bps
    }
    pub fn agent_id(&self) -> Option<&UserId> {
        self.agent_id.as_ref()
    }
    pub fn agent_commission_bps(&self) -> u32 {
        self.agent_commission_bps
    }
    pub fn milestones(&self) -> &[Milestone] {
        &self.milestones
    }
    pub fn milestone(&self, name: &str) -> Option<&Milestone> {
        self.milestones.iter().find(|m| m.name == name)
    }
    /// The whole platform fee: `amount × fee bps`, rounded half away from zero.
    pub fn platform_fee(&self) -> Paise {
        sum(self.milestones.iter().map(|m| m.platform_fee))
    }
    /// The whole agent commission.
    pub fn agent_commission(&self) -> Paise {
        sum(self.milestones.iter().map(|m| m.agent_commission))
    }
}

/// Sums amounts already checked to fit (parts of a valid amount).
pub(crate) fn sum(amounts: impl Iterator<Item = Paise>) -> Paise {
    Paise::new(amounts.map(Paise::get).sum())
}

fn overflow() -> ValidationError {
    ValidationError::new("amount_paise", "is too large")
}

fn positive(field: &str, paise: i64) -> Result<Paise, ValidationError> {
    if paise > 0 {
        Ok(Paise::new(paise))
    } else {
        Err(ValidationError::new(field, "must be more than zero"))
    }
}

fn check_bps(field: &str, bps: u32) -> Result<(), ValidationError> {
    if bps > FULL_BPS {
        return Err(ValidationError::new(field, "must be at most 10000 (100%)"));
    }
    Ok(())
}

fn check_parties(input: &EscrowTermsInput) -> Result<(), ValidationError> {
    if input.seller_id == input.buyer_id {
        return Err(ValidationError::new(
            "seller_id",
            "must differ from buyer_id",
        ));
    }
    match &input.agent_id {
        Some(a) if *a == input.buyer_id || *a == input.seller_id => Err(ValidationError::new(
            "agent_id",
            "must differ from buyer_id and seller_id",
        )),
        None if input.agent_commission_bps > 0 => Err(ValidationError::new(
            "agent_commission_bps",
            "must be 0 when there is no agent_id",
        )),
        _ => Ok(()),
    }
}

/// Checks milestones and shares the fee and commission out over them (see module docs).
fn schedule(
    input: &[MilestoneInput],
    amount: Paise,
    fee: Paise,
    commission: Paise,
) -> Result<Vec<Milestone>, ValidationError> {
    if input.is_empty() || input.len() > MAX_MILESTONES {
        return Err(ValidationError::new(
            "milestones",
            "must be 1 to 50 milestones",
        ));
    }
    let mut names = HashSet::new();
    let mut total = Paise::ZERO;
    for (i, m) in input.iter().enumerate() {
        let name = m.name.trim();
        if name.is_empty() || name.chars().count() > 80 || name != m.name {
            let reason = "must be 1 to 80 characters, without leading or trailing spaces";
            return Err(ValidationError::new(
                format!("milestones[{i}].name"),
                reason,
            ));
        }
        if !names.insert(name) {
            let field = format!("milestones[{i}].name");
            return Err(ValidationError::new(
                field,
                "is the name of an earlier milestone",
            ));
        }
        let m_amount = positive(&format!("milestones[{i}].amount_paise"), m.amount_paise)?;
        total = total.checked_add(m_amount).ok_or_else(overflow)?;
    }
    if total != amount {
        let reason = format!(
            "must add up to amount_paise ({}); they add up to {}",
            amount.get(),
            total.get()
        );
        return Err(ValidationError::new("milestones", reason));
    }
    let share = |whole: Paise, part: Paise| {
        // Exact in i128: whole ≤ amount and part ≤ amount, both i64.
        Paise::new(
            (i128::from(whole.get()) * i128::from(part.get()) / i128::from(amount.get())) as i64,
        )
    };
    let last = input.len() - 1;
    let (mut fee_left, mut commission_left) = (fee, commission);
    let mut out = Vec::with_capacity(input.len());
    for (i, m) in input.iter().enumerate() {
        let m_amount = Paise::new(m.amount_paise);
        let (f, c) = if i == last {
            (fee_left, commission_left)
        } else {
            (share(fee, m_amount), share(commission, m_amount))
        };
        fee_left = Paise::new(fee_left.get() - f.get());
        commission_left = Paise::new(commission_left.get() - c.get());
        if f.get() + c.get() > m_amount.get() {
            return Err(ValidationError::new(
                format!("milestones[{i}].amount_paise"),
                "is too small to carry its share of the platform fee and agent commission",
            ));
        }
        out.push(Milestone {
            name: m.name.clone(),
            amount: m_amount,
            platform_fee: f,
            agent_commission: c,
        });
    }
    Ok(out)
}
