//! The listing approval workflow as an explicit state machine.
//!
//! ```text
//! draft ─submit→ submitted ─approve→ approved ─publish→ published ─offer→ under_offer ─sell→ sold
//!   ↑              │reject                                  │edit (back to review)   │offer_lapsed
//!   └──edit── rejected ←┘                     submitted ←───┘                published ←┘
//! any of draft, submitted, approved, published, rejected ─withdraw→ withdrawn ─reopen→ draft
//! ```

use std::fmt;

/// Where a listing is in its life.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ListingStatus {
    Draft,
    Submitted,
    Approved,
    Published,
    UnderOffer,
    Sold,
    Rejected,
    Withdrawn,
}

/// Something that moves a listing.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ListingAction {
    Submit,
    Approve,
    Reject,
    Publish,
    Withdraw,
    Reopen,
    /// The seller changes its content.
    Edit,
    /// A buyer opened an escrow on it.
    Offer,
    /// The escrow ended without a sale.
    OfferLapsed,
    /// The escrow's last release.
    Sell,
}

/// A move the workflow does not allow from the current state.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
#[error("a listing that is {from} cannot be {}", action.past_tense())]
pub struct IllegalTransition {
    pub from: ListingStatus,
    pub action: ListingAction,
}

impl ListingAction {
    /// The way from a draft to the market: submitted, approved by a reviewer, published.
    pub const TO_PUBLISHED: [ListingAction; 3] = [
        ListingAction::Submit,
        ListingAction::Approve,
        ListingAction::Publish,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ListingAction::Submit => "submit",
            ListingAction::Approve => "approve",
            ListingAction::Reject => "reject",
            ListingAction::Publish => "publish",
            ListingAction::Withdraw => "withdraw",
            ListingAction::Reopen => "reopen",
            ListingAction::Edit => "edit",
            ListingAction::Offer => "offer",
            ListingAction::OfferLapsed => "offer_lapsed",
            ListingAction::Sell => "sell",
        }
    }

    fn past_tense(self) -> &'static str {
        match self {
            ListingAction::Submit => "submitted",
            ListingAction::Approve => "approved",
            ListingAction::Reject => "rejected",
            ListingAction::Publish => "published",
            ListingAction::Withdraw => "withdrawn",
            ListingAction::Reopen => "reopened",
            ListingAction::Edit => "edited",
            ListingAction::Offer => "put under offer",
            ListingAction::OfferLapsed => "returned from an offer",
            ListingAction::Sell => "sold",
        }
    }
}

impl ListingStatus {
    pub const ALL: [ListingStatus; 8] = [
        ListingStatus::Draft,
        ListingStatus::Submitted,
        ListingStatus::Approved,
        ListingStatus::Published,
        ListingStatus::UnderOffer,
        ListingStatus::Sold,
        ListingStatus::Rejected,
        ListingStatus::Withdrawn,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ListingStatus::Draft => "draft",
            ListingStatus::Submitted => "submitted",
            ListingStatus::Approved => "approved",
            ListingStatus::Published => "published",
            ListingStatus::UnderOffer => "under_offer",
            ListingStatus::Sold => "sold",
            ListingStatus::Rejected => "rejected",
            ListingStatus::Withdrawn => "withdrawn",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|st| st.as_str() == s)
    }

    /// The state after `action`, or why it is not allowed.
    ///
    /// ```
    /// use msme_core::listing::{ListingAction, ListingStatus};
    /// let s = ListingStatus::Draft.apply(ListingAction::Submit).unwrap();
    /// assert_eq!(s, ListingStatus::Submitted);
    /// let e = ListingStatus::Draft.apply(ListingAction::Publish).unwrap_err();
    /// assert_eq!(e.to_string(), "a listing that is draft cannot be published");
    /// ```
    pub fn apply(self, action: ListingAction) -> Result<ListingStatus, IllegalTransition> {
        use ListingAction as A;
        use ListingStatus as S;
        let next = match (self, action) {
            (S::Draft | S::Rejected, A::Edit) => S::Draft,
            // Changing what buyers already see sends it back through review.
            (S::Approved | S::Published, A::Edit) => S::Submitted,
            (S::Draft | S::Rejected, A::Submit) => S::Submitted,
            (S::Submitted, A::Approve) => S::Approved,
            (S::Submitted, A::Reject) => S::Rejected,
            (S::Approved, A::Publish) => S::Published,
            (S::Published, A::Offer) => S::UnderOffer,
            (S::UnderOffer, A::OfferLapsed) => S::Published,
            (S::UnderOffer, A::Sell) => S::Sold,
            (S::Draft | S::Submitted | S::Approved | S::Published | S::Rejected, A::Withdraw) => {
                S::Withdrawn
            }
            (S::Withdrawn, A::Reopen) => S::Draft,
            (from, action) => return Err(IllegalTransition { from, action }),
        };
        Ok(next)
    }

    /// Buyers can find it.
    pub fn is_public(self) -> bool {
        matches!(self, ListingStatus::Published | ListingStatus::UnderOffer)
    }
}

impl fmt::Display for ListingStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::ListingAction as A;
    use super::ListingStatus as S;

    #[test]
    fn the_happy_path_reaches_sold() {
        let mut s = S::Draft;
        for a in [A::Submit, A::Approve, A::Publish, A::Offer, A::Sell] {
            s = s.apply(a).unwrap();
        }
        assert_eq!(s, S::Sold);
    }

    #[test]
    fn rejection_returns_to_editable_and_edits_of_published_need_review() {
        assert_eq!(S::Submitted.apply(A::Reject).unwrap(), S::Rejected);
        assert_eq!(S::Rejected.apply(A::Edit).unwrap(), S::Draft);
        assert_eq!(S::Published.apply(A::Edit).unwrap(), S::Submitted);
    }

    #[test]
    fn illegal_moves_are_refused_with_a_sentence() {
        let e = S::Draft.apply(A::Publish).unwrap_err();
        assert_eq!(e.to_string(), "a listing that is draft cannot be published");
        for a in [A::Edit, A::Withdraw, A::Submit, A::Approve] {
            assert!(S::Sold.apply(a).is_err());
            assert!(S::UnderOffer.apply(a).is_err());
        }
        assert!(S::Submitted.apply(A::Edit).is_err());
    }

    #[test]
    fn every_state_names_round_trip() {
        for s in S::ALL {
            assert_eq!(S::parse(s.as_str()), Some(s));
        }
    }
}
