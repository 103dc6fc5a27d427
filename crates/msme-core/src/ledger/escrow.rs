//! An escrow: one deal's money, moved only by [`Escrow::apply`], which returns the escrow as it
//! is after the move and the journal entries the move makes. Nothing is written here; the
//! caller hands both to [`LedgerStore::update_escrow`](crate::ledger::LedgerStore), which
//! commits them together.
//!
//! Money conservation, for every escrow at every point:
//! `funded = released + refunded + held`, with `held` equal to the escrow account's balance
//! (never negative), and `released` never more than `funded`.

use chrono::{DateTime, Utc};

use crate::error::ValidationError;
use crate::ledger::terms::sum;
use crate::ledger::{
    EntryContext, EntryKind, EscrowAction, EscrowError, EscrowId, EscrowState, EscrowTerms,
    GatewayName, JournalEntry, LedgerAccount, LedgerError, Posting,
};
use crate::money::Paise;

/// An escrow as stored.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Escrow {
    pub id: EscrowId,
    pub terms: EscrowTerms,
    pub state: EscrowState,
    /// Milestones released so far, in release order.
    pub released_milestones: Vec<String>,
    /// What came in: 0, or the whole amount once funded.
    pub funded: Paise,
    /// What left for the seller's side (seller net, platform fee and agent commission).
    pub released: Paise,
    /// What went back to the buyer.
    pub refunded: Paise,
    /// The gateway (or `bank_transfer`) the money came through.
    pub funding_source: Option<GatewayName>,
    /// 1 when opened, bumped by every move; storage writes with compare-and-set on it.
    pub version: i64,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// A move asked of an escrow.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum EscrowCommand {
    /// The whole amount arrived through `source`.
    Fund { source: GatewayName },
    /// Pays out one milestone to the seller side.
    Release { milestone: String },
    /// Returns everything still held to the buyer.
    Refund,
    /// Freezes the escrow for an admin.
    Dispute,
    /// An admin's split of what is held.
    Resolve(Resolution),
    /// Calls the deal off before funding.
    Cancel,
}

impl EscrowCommand {
    pub fn action(&self) -> EscrowAction {
        match self {
            EscrowCommand::Fund { .. } => EscrowAction::Fund,
            EscrowCommand::Release { .. } => EscrowAction::Release,
            EscrowCommand::Refund => EscrowAction::Refund,
            EscrowCommand::Dispute => EscrowAction::Dispute,
            EscrowCommand::Resolve(_) => EscrowAction::Resolve,
            EscrowCommand::Cancel => EscrowAction::Cancel,
        }
    }
}

/// How an admin splits a disputed escrow. The two parts must add up to exactly what is held.
/// The seller's part carries the fee and commission not yet taken, pro rata, rounded down.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Resolution {
    pub refund_to_buyer: Paise,
    pub release_to_seller: Paise,
}

/// The outcome of a move: the escrow after it, and the entries to commit with it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Transition {
    pub escrow: Escrow,
    pub entries: Vec<JournalEntry>,
}

impl Escrow {
    /// A new escrow on checked terms, waiting for funds.
    pub fn open(id: EscrowId, terms: EscrowTerms, at: DateTime<Utc>) -> Self {
        Self {
            id,
            terms,
            state: EscrowState::Created,
            released_milestones: Vec::new(),
            funded: Paise::ZERO,
            released: Paise::ZERO,
            refunded: Paise::ZERO,
            funding_source: None,
            version: 1,
            created_at: at,
            updated_at: at,
        }
    }

    /// This escrow's ledger account.
    pub fn account(&self) -> LedgerAccount {
        LedgerAccount::Escrow(self.id.clone())
    }

    /// What is still held: `funded − released − refunded`.
    pub fn held(&self) -> Paise {
        Paise::new(self.funded.get() - self.released.get() - self.refunded.get())
    }

    /// Applies `command`; see the state table in [`EscrowState::after`].
    pub fn apply(
        &self,
        command: &EscrowCommand,
        ctx: &EntryContext,
    ) -> Result<Transition, EscrowError> {
        match command {
            EscrowCommand::Fund { source } => self.fund(source, ctx),
            EscrowCommand::Release { milestone } => self.release(milestone, ctx),
            EscrowCommand::Refund => self.refund(ctx),
            EscrowCommand::Resolve(split) => self.resolve(*split, ctx),
            EscrowCommand::Dispute | EscrowCommand::Cancel => {
                let state = self.state.after(command.action(), false)?;
                Ok(self.moved(state, ctx, |_| {}, Vec::new()))
            }
        }
    }

    fn fund(&self, source: &GatewayName, ctx: &EntryContext) -> Result<Transition, EscrowError> {
        let state = self.state.after(EscrowAction::Fund, false)?;
        let amount = self.terms.amount();
        let entry = self.entry(
            ctx,
            EntryKind::Funding,
            format!("funded through {}", source.as_str()),
            vec![
                Posting::debit(LedgerAccount::GatewayClearing(source.clone()), amount),
                Posting::credit(self.account(), amount),
            ],
        )?;
        Ok(self.moved(
            state,
            ctx,
            |e| {
                e.funded = amount;
                e.funding_source = Some(source.clone());
            },
            vec![entry],
        ))
    }

    fn release(&self, name: &str, ctx: &EntryContext) -> Result<Transition, EscrowError> {
        self.state.after(EscrowAction::Release, false)?;
        let m = self
            .terms
            .milestone(name)
            .ok_or_else(|| EscrowError::UnknownMilestone(name.to_string()))?;
        if self.released_milestones.iter().any(|r| r == name) {
            return Err(EscrowError::MilestoneAlreadyReleased(name.to_string()));
        }
        let last = self.released_milestones.len() + 1 == self.terms.milestones().len();
        let state = self.state.after(EscrowAction::Release, last)?;
        let mut postings = vec![Posting::debit(self.account(), m.amount)];
        postings.extend(self.seller_side(m.amount, m.platform_fee, m.agent_commission));
        let memo = format!("milestone {name:?} released");
        let entry = self.entry(ctx, EntryKind::MilestoneRelease, memo, postings)?;
        Ok(self.moved(
            state,
            ctx,
            |e| {
                e.released = Paise::new(e.released.get() + m.amount.get());
                e.released_milestones.push(name.to_string());
            },
            vec![entry],
        ))
    }

    fn refund(&self, ctx: &EntryContext) -> Result<Transition, EscrowError> {
        let state = self.state.after(EscrowAction::Refund, false)?;
        let held = self.held();
        let buyer = LedgerAccount::RefundPayable(self.terms.buyer_id().clone());
        let entry = self.entry(
            ctx,
            EntryKind::Refund,
            "refunded to the buyer".into(),
            vec![
                Posting::debit(self.account(), held),
                Posting::credit(buyer, held),
            ],
        )?;
        Ok(self.moved(
            state,
            ctx,
            |e| e.refunded = Paise::new(e.refunded.get() + held.get()),
            vec![entry],
        ))
    }

    fn resolve(&self, split: Resolution, ctx: &EntryContext) -> Result<Transition, EscrowError> {
        let state = self.state.after(EscrowAction::Resolve, false)?;
        for (field, part) in [
            ("refund_to_buyer_paise", split.refund_to_buyer),
            ("release_to_seller_paise", split.release_to_seller),
        ] {
            if part.is_negative() {
                return Err(ValidationError::new(field, "must not be negative").into());
            }
        }
        let held = self.held();
        let requested = split
            .refund_to_buyer
            .checked_add(split.release_to_seller)
            .ok_or(LedgerError::Overflow)?;
        if requested != held {
            return Err(EscrowError::SplitMismatch { held, requested });
        }
        let unreleased = || {
            self.terms
                .milestones()
                .iter()
                .filter(|m| !self.released_milestones.contains(&m.name))
        };
        let pro_rata = |whole: Paise| {
            // whole ≤ held and release ≤ held, so the quotient fits; held > 0 when disputed.
            Paise::new(
                (i128::from(whole.get()) * i128::from(split.release_to_seller.get())
                    / i128::from(held.get())) as i64,
            )
        };
        let fee = pro_rata(sum(unreleased().map(|m| m.platform_fee)));
        let commission = pro_rata(sum(unreleased().map(|m| m.agent_commission)));
        let mut postings = vec![Posting::debit(self.account(), held)];
        if split.refund_to_buyer > Paise::ZERO {
            let buyer = LedgerAccount::RefundPayable(self.terms.buyer_id().clone());
            postings.push(Posting::credit(buyer, split.refund_to_buyer));
        }
        postings.extend(self.seller_side(split.release_to_seller, fee, commission));
        let memo = format!(
            "dispute resolved: {} to the buyer, {} to the seller",
            split.refund_to_buyer, split.release_to_seller
        );
        let entry = self.entry(ctx, EntryKind::DisputeResolution, memo, postings)?;
        Ok(self.moved(
            state,
            ctx,
            |e| {
                e.refunded = Paise::new(e.refunded.get() + split.refund_to_buyer.get());
                e.released = Paise::new(e.released.get() + split.release_to_seller.get());
            },
            vec![entry],
        ))
    }

    /// Credits for `gross` leaving escrow to the seller side; zero parts are left out.
    fn seller_side(&self, gross: Paise, fee: Paise, commission: Paise) -> Vec<Posting> {
        let net = Paise::new(gross.get() - fee.get() - commission.get());
        let seller = LedgerAccount::SellerPayable(self.terms.seller_id().clone());
        let mut out = vec![
            Posting::credit(seller, net),
            Posting::credit(LedgerAccount::PlatformFeeRevenue, fee),
        ];
        if let Some(agent) = self.terms.agent_id() {
            out.push(Posting::credit(
                LedgerAccount::AgentPayable(agent.clone()),
                commission,
            ));
        }
        out.retain(|p| p.amount > Paise::ZERO);
        out
    }

    fn entry(
        &self,
        ctx: &EntryContext,
        kind: EntryKind,
        memo: String,
        postings: Vec<Posting>,
    ) -> Result<JournalEntry, LedgerError> {
        ctx.entry(Some(&self.id), kind, memo, postings)
    }

    fn moved(
        &self,
        state: EscrowState,
        ctx: &EntryContext,
        change: impl FnOnce(&mut Escrow),
        entries: Vec<JournalEntry>,
    ) -> Transition {
        let mut escrow = self.clone();
        change(&mut escrow);
        escrow.state = state;
        escrow.version += 1;
        escrow.updated_at = ctx.at;
        Transition { escrow, entries }
    }
}
