//! The escrow's states and the moves between them, as one table.
//!
//! ```text
//! created ─fund→ funded ─release→ partially_released ─release (last)→ released
//!    │cancel        │ release (only milestone) ────────────────────────→ released
//!    ↓              ├─refund→ refunded ←─refund── partially_released
//! cancelled         └─dispute→ disputed ←─dispute─ partially_released
//!                              └─resolve (admin split)→ resolved
//! ```
//! `released`, `refunded`, `resolved` and `cancelled` are final.

use std::fmt;

use crate::ledger::EscrowError;

/// Where an escrow is in its life.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum EscrowState {
    /// Terms agreed, no money yet.
    Created,
    /// The buyer's whole amount is held.
    Funded,
    /// Some milestones are released, the rest still held.
    PartiallyReleased,
    /// Every milestone released.
    Released,
    /// What was still held went back to the buyer.
    Refunded,
    /// Frozen until an admin resolves it.
    Disputed,
    /// An admin split what was held between the buyer and the seller.
    Resolved,
    /// Called off before any money came in.
    Cancelled,
}

/// Something that moves an escrow.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum EscrowAction {
    Fund,
    Release,
    Refund,
    Dispute,
    Resolve,
    Cancel,
}

impl EscrowAction {
    pub fn as_str(self) -> &'static str {
        match self {
            EscrowAction::Fund => "fund",
            EscrowAction::Release => "release",
            EscrowAction::Refund => "refund",
            EscrowAction::Dispute => "dispute",
            EscrowAction::Resolve => "resolve",
            EscrowAction::Cancel => "cancel",
        }
    }

    pub(crate) fn past_tense(self) -> &'static str {
        match self {
            EscrowAction::Fund => "funded",
            EscrowAction::Release => "released",
            EscrowAction::Refund => "refunded",
            EscrowAction::Dispute => "disputed",
            EscrowAction::Resolve => "resolved",
            EscrowAction::Cancel => "cancelled",
        }
    }
}

impl EscrowState {
    pub const ALL: [EscrowState; 8] = [
        EscrowState::Created,
        EscrowState::Funded,
        EscrowState::PartiallyReleased,
        EscrowState::Released,
        EscrowState::Refunded,
        EscrowState::Disputed,
        EscrowState::Resolved,
        EscrowState::Cancelled,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            EscrowState::Created => "created",
            EscrowState::Funded => "funded",
            EscrowState::PartiallyReleased => "partially_released",
            EscrowState::Released => "released",
            EscrowState::Refunded => "refunded",
            EscrowState::Disputed => "disputed",
            EscrowState::Resolved => "resolved",
            EscrowState::Cancelled => "cancelled",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|st| st.as_str() == s)
    }

    /// No move leaves it.
    pub fn is_final(self) -> bool {
        matches!(
            self,
            EscrowState::Released
                | EscrowState::Refunded
                | EscrowState::Resolved
                | EscrowState::Cancelled
        )
    }

    /// The state after `action`. `releases_last` says whether a release would leave no
    /// milestone unreleased.
    pub fn after(self, action: EscrowAction, releases_last: bool) -> Result<Self, EscrowError> {
        use EscrowAction as A;
        use EscrowState as S;
        let next = match (self, action) {
            (S::Created, A::Fund) => S::Funded,
            (S::Created, A::Cancel) => S::Cancelled,
            (S::Funded | S::PartiallyReleased, A::Release) if releases_last => S::Released,
            (S::Funded | S::PartiallyReleased, A::Release) => S::PartiallyReleased,
            (S::Funded | S::PartiallyReleased, A::Refund) => S::Refunded,
            (S::Funded | S::PartiallyReleased, A::Dispute) => S::Disputed,
            (S::Disputed, A::Resolve) => S::Resolved,
            (from, action) => return Err(EscrowError::IllegalTransition { from, action }),
        };
        Ok(next)
    }
}

impl fmt::Display for EscrowState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::EscrowAction as A;
    use super::EscrowState as S;
    use crate::error::{DomainError, ErrorKind};

    #[test]
    fn the_table_allows_exactly_these_moves() {
        let allowed = [
            (S::Created, A::Fund),
            (S::Created, A::Cancel),
            (S::Funded, A::Release),
            (S::Funded, A::Refund),
            (S::Funded, A::Dispute),
            (S::PartiallyReleased, A::Release),
            (S::PartiallyReleased, A::Refund),
            (S::PartiallyReleased, A::Dispute),
            (S::Disputed, A::Resolve),
        ];
        let actions = [
            A::Fund,
            A::Release,
            A::Refund,
            A::Dispute,
            A::Resolve,
            A::Cancel,
        ];
        for s in S::ALL {
            for a in actions {
                let ok = s.after(a, false).is_ok();
                assert_eq!(ok, allowed.contains(&(s, a)), "{s} {}", a.as_str());
            }
            assert_eq!(S::parse(s.as_str()), Some(s));
            if s.is_final() {
                assert!(actions.iter().all(|a| s.after(*a, true).is_err()));
            }
        }
        assert_eq!(S::Funded.after(A::Release, true).unwrap(), S::Released);
        assert_eq!(
            S::Funded.after(A::Release, false).unwrap(),
            S::PartiallyReleased
        );
    }

    #[test]
    fn an_illegal_move_is_a_conflict_with_a_sentence() {
        let e = S::Funded.after(A::Cancel, false).unwrap_err();
        assert_eq!(
            e.to_string(),
            "an escrow that is funded cannot be cancelled"
        );
        assert_eq!(e.code(), "illegal_transition");
        assert_eq!(e.kind(), ErrorKind::Conflict);
    }
}
