//! Journal entries: the only way money moves. Immutable once made, and balanced by construction.

use chrono::{DateTime, Utc};

use crate::ledger::{EntryId, EscrowId, IdempotencyKey, LedgerAccount, LedgerError, Side};
use crate::money::Paise;

/// One line of an entry: a positive amount on one side of one account.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Posting {
    pub account: LedgerAccount,
    pub side: Side,
    /// Always positive; [`JournalEntry::new`] refuses zero and negative amounts.
    pub amount: Paise,
}

impl Posting {
    pub fn debit(account: LedgerAccount, amount: Paise) -> Self {
        Self {
            account,
            side: Side::Debit,
            amount,
        }
    }
    pub fn credit(account: LedgerAccount, amount: Paise) -> Self {
        Self {
            account,
            side: Side::Credit,
            amount,
        }
    }
    /// The amount with the ledger's sign: debits `+`, credits `-`.
    pub fn signed(&self) -> Paise {
        match self.side {
            Side::Debit => self.amount,
            Side::Credit => Paise::new(-self.amount.get()),
        }
    }
}

/// Why money moved.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum EntryKind {
    /// Gateway clearing → escrow.
    Funding,
    /// Escrow → seller payable, platform fee revenue, agent payable.
    MilestoneRelease,
    /// Escrow → refund payable.
    Refund,
    /// Escrow → refund payable and seller side, as an admin split it.
    DisputeResolution,
    /// Payable → payouts in transit.
    Payout,
    /// Payouts in transit → back to the payable.
    PayoutFailure,
    /// Payouts in transit → gateway clearing: the money left.
    PayoutSettlement,
    /// A two-phase hold posted.
    HoldPost,
}

impl EntryKind {
    pub const ALL: [EntryKind; 8] = [
        EntryKind::Funding,
        EntryKind::MilestoneRelease,
        EntryKind::Refund,
        EntryKind::DisputeResolution,
        EntryKind::Payout,
        EntryKind::PayoutFailure,
        EntryKind::PayoutSettlement,
        EntryKind::HoldPost,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            EntryKind::Funding => "funding",
            EntryKind::MilestoneRelease => "milestone_release",
            EntryKind::Refund => "refund",
            EntryKind::DisputeResolution => "dispute_resolution",
            EntryKind::Payout => "payout",
            EntryKind::PayoutFailure => "payout_failure",
            EntryKind::PayoutSettlement => "payout_settlement",
            EntryKind::HoldPost => "hold_post",
        }
    }
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

/// Everything about an entry but its postings.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EntryHeader {
    pub id: EntryId,
    /// The deal the entry belongs to; `None` for payouts, which draw on payables across deals.
    pub escrow_id: Option<EscrowId>,
    pub kind: EntryKind,
    /// The key of the request that made the entry. One request may make several entries.
    pub idempotency_key: IdempotencyKey,
    /// UTC, truncated to microseconds by the caller (the clock does this).
    pub at: DateTime<Utc>,
    pub memo: String,
}

/// A balanced set of postings.
///
/// Invariants, checked by [`JournalEntry::new`], the only constructor: at least two postings,
/// every amount positive, total debits equal total credits, and no sum overflows. Fields are
/// private so that no code can unbalance an entry after it was made.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct JournalEntry {
    header: EntryHeader,
    postings: Vec<Posting>,
}

impl JournalEntry {
    /// Makes an entry, or says what is wrong with its postings (for an imbalance, both totals).
    pub fn new(header: EntryHeader, postings: Vec<Posting>) -> Result<Self, LedgerError> {
        check_postings(&postings)?;
        Ok(Self { header, postings })
    }
    pub fn header(&self) -> &EntryHeader {
        &self.header
    }
    pub fn id(&self) -> &EntryId {
        &self.header.id
    }
    pub fn kind(&self) -> EntryKind {
        self.header.kind
    }
    pub fn escrow_id(&self) -> Option<&EscrowId> {
        self.header.escrow_id.as_ref()
    }
    pub fn postings(&self) -> &[Posting] {
        &self.postings
    }
    /// The total debited (which equals the total credited).
    pub fn amount(&self) -> Paise {
        self.postings
            .iter()
            .filter(|p| p.side == Side::Debit)
            .fold(Paise::ZERO, |sum, p| Paise::new(sum.get() + p.amount.get()))
    }
}

/// Checks postings as [`JournalEntry::new`] does; `ledger verify` runs it on raw stored rows.
/// Returns the total debited.
pub fn check_postings(postings: &[Posting]) -> Result<Paise, LedgerError> {
    if postings.len() < 2 {
        return Err(LedgerError::TooFewPostings {
            count: postings.len(),
        });
    }
    let (mut debits, mut credits) = (Paise::ZERO, Paise::ZERO);
    for p in postings {
        if p.amount <= Paise::ZERO {
            return Err(LedgerError::NonPositivePosting {
                account: p.account.clone(),
                amount: p.amount,
            });
        }
        let total = match p.side {
            Side::Debit => &mut debits,
            Side::Credit => &mut credits,
        };
        *total = total.checked_add(p.amount).ok_or(LedgerError::Overflow)?;
    }
    if debits != credits {
        return Err(LedgerError::UnbalancedEntry { debits, credits });
    }
    Ok(debits)
}

/// The key and time shared by the entries one request makes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EntryContext {
    pub idempotency_key: IdempotencyKey,
    pub at: DateTime<Utc>,
}

impl EntryContext {
    /// An entry with a fresh id, this context's key and time.
    pub fn entry(
        &self,
        escrow_id: Option<&EscrowId>,
        kind: EntryKind,
        memo: String,
        postings: Vec<Posting>,
    ) -> Result<JournalEntry, LedgerError> {
        let header = EntryHeader {
            id: EntryId::generate(),
            escrow_id: escrow_id.cloned(),
            kind,
            idempotency_key: self.idempotency_key.clone(),
            at: self.at,
            memo,
        };
        JournalEntry::new(header, postings)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::DomainError;
    use crate::ledger::GatewayName;

    fn ctx() -> EntryContext {
        EntryContext {
            idempotency_key: IdempotencyKey::parse("k").unwrap(),
            at: DateTime::from_timestamp_micros(1_700_000_000_000_000).unwrap(),
        }
    }
    fn clearing() -> LedgerAccount {
        LedgerAccount::GatewayClearing(GatewayName::parse("sandbox").unwrap())
    }
    fn escrow() -> LedgerAccount {
        LedgerAccount::Escrow(EscrowId::generate())
    }

    #[test]
    fn balanced_entry_is_made_and_reports_its_amount() {
        let e = ctx()
            .entry(
                None,
                EntryKind::Funding,
                "fund".into(),
                vec![
                    Posting::debit(clearing(), Paise::new(10_000_00)),
                    Posting::credit(escrow(), Paise::new(7_500_00)),
                    Posting::credit(escrow(), Paise::new(2_500_00)),
                ],
            )
            .unwrap();
        assert_eq!(e.amount(), Paise::new(10_000_00));
        let net: i64 = e.postings().iter().map(|p| p.signed().get()).sum();
        assert_eq!(net, 0);
    }

    #[test]
    fn unbalanced_entry_names_both_totals() {
        let e = check_postings(&[
            Posting::debit(clearing(), Paise::new(100)),
            Posting::credit(escrow(), Paise::new(99)),
        ])
        .unwrap_err();
        assert_eq!(
            e,
            LedgerError::UnbalancedEntry {
                debits: Paise::new(100),
                credits: Paise::new(99)
            }
        );
        assert_eq!(e.code(), "unbalanced_entry");
        assert_eq!(
            e.to_string(),
            "unbalanced entry: debits ₹1.00 but credits ₹0.99"
        );
    }

    #[test]
    fn short_zero_negative_and_overflowing_entries_are_refused() {
        let one = |a: i64| Posting::debit(clearing(), Paise::new(a));
        assert_eq!(
            check_postings(&[one(5)]),
            Err(LedgerError::TooFewPostings { count: 1 })
        );
        let zero = check_postings(&[one(0), Posting::credit(escrow(), Paise::ZERO)]);
        assert!(matches!(zero, Err(LedgerError::NonPositivePosting { .. })));
        let neg = check_postings(&[one(-5), Posting::credit(escrow(), Paise::new(-5))]);
        assert!(matches!(neg, Err(LedgerError::NonPositivePosting { .. })));
        let big = check_postings(&[
            one(i64::MAX),
            one(1),
            Posting::credit(escrow(), Paise::new(i64::MAX)),
        ]);
        assert_eq!(big, Err(LedgerError::Overflow));
    }

    #[test]
    fn entry_kinds_round_trip() {
        for k in EntryKind::ALL {
            assert_eq!(EntryKind::parse(k.as_str()), Some(k));
        }
    }
}
