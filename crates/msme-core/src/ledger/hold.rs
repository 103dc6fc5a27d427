//! Two-phase holds, as TigerBeetle's pending transfers: reserve now, then post all or part,
//! or void; an expired hold releases its reservation like a void.
//!
//! While pending, a hold reserves its amount: the debit account's *available* balance drops
//! and nothing is posted. Posting makes one journal entry of the posted amount and releases
//! the rest. Invariant: a posted amount is positive and never more than the amount held.

use chrono::{DateTime, Utc};

use crate::ledger::{
    Balances, EntryContext, EntryKind, EscrowId, HoldId, JournalEntry, LedgerAccount, LedgerError,
    Posting,
};
use crate::money::Paise;

/// Where a hold is in its life. Only `Pending` may change.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum HoldState {
    Pending,
    /// Posted, with the amount that moved (at most the amount held).
    Posted(Paise),
    Voided,
    Expired,
}

impl HoldState {
    pub fn as_str(self) -> &'static str {
        match self {
            HoldState::Pending => "pending",
            HoldState::Posted(_) => "posted",
            HoldState::Voided => "voided",
            HoldState::Expired => "expired",
        }
    }
}

/// A reservation of `amount` to move from `debit_account` to `credit_account`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Hold {
    pub id: HoldId,
    pub debit_account: LedgerAccount,
    pub credit_account: LedgerAccount,
    pub amount: Paise,
    pub state: HoldState,
    /// The deal the hold belongs to, copied into the entry it posts.
    pub escrow_id: Option<EscrowId>,
    /// After this, [`Hold::expire`] may release it.
    pub expires_at: Option<DateTime<Utc>>,
    /// Bumped by every change; storage writes with compare-and-set on it.
    pub version: i64,
}

impl Hold {
    /// Reserves `amount`, which must be positive and available in a guarded debit account
    /// (`balances` must include the pending holds already on it).
    pub fn reserve(
        id: HoldId,
        debit_account: LedgerAccount,
        credit_account: LedgerAccount,
        amount: Paise,
        expires_at: Option<DateTime<Utc>>,
        balances: &Balances,
    ) -> Result<Hold, LedgerError> {
        if amount <= Paise::ZERO {
            return Err(LedgerError::NonPositivePosting {
                account: debit_account,
                amount,
            });
        }
        if debit_account == credit_account {
            return Err(LedgerError::SameAccount(debit_account));
        }
        balances.ensure_covers(&debit_account, amount)?;
        Ok(Hold {
            id,
            debit_account,
            credit_account,
            amount,
            state: HoldState::Pending,
            escrow_id: None,
            expires_at,
            version: 1,
        })
    }

    /// What the hold still reserves: its amount while pending, else nothing.
    pub fn pending(&self) -> Paise {
        match self.state {
            HoldState::Pending => self.amount,
            _ => Paise::ZERO,
        }
    }

    /// Posts `amount` (0 < amount ≤ held) and releases the rest. Returns the hold as it is
    /// after, and the entry that moves the money.
    pub fn post(
        &self,
        amount: Paise,
        ctx: &EntryContext,
    ) -> Result<(Hold, JournalEntry), LedgerError> {
        self.ensure_pending()?;
        if amount <= Paise::ZERO || amount > self.amount {
            return Err(LedgerError::HoldOverPost {
                pending: self.amount,
                requested: amount,
            });
        }
        let entry = ctx.entry(
            self.escrow_id.as_ref(),
            EntryKind::HoldPost,
            format!("hold {} posted", self.id),
            vec![
                Posting::debit(self.debit_account.clone(), amount),
                Posting::credit(self.credit_account.clone(), amount),
            ],
        )?;
        Ok((self.moved_to(HoldState::Posted(amount)), entry))
    }

    /// Releases the whole reservation; nothing moves.
    pub fn void(&self) -> Result<Hold, LedgerError> {
        self.ensure_pending()?;
        Ok(self.moved_to(HoldState::Voided))
    }

    /// Releases the reservation of a hold whose time ran out.
    pub fn expire(&self, now: DateTime<Utc>) -> Result<Hold, LedgerError> {
        self.ensure_pending()?;
        match self.expires_at {
            Some(t) if now >= t => Ok(self.moved_to(HoldState::Expired)),
            _ => Err(LedgerError::HoldNotExpired),
        }
    }

    /// The over-posting invariant, for `ledger verify` on stored holds.
    pub fn is_within_amount(&self) -> bool {
        match self.state {
            HoldState::Posted(p) => p > Paise::ZERO && p <= self.amount,
            _ => self.amount > Paise::ZERO,
        }
    }

    fn ensure_pending(&self) -> Result<(), LedgerError> {
        match self.state {
            HoldState::Pending => Ok(()),
            state => Err(LedgerError::HoldNotPending {
                id: self.id.clone(),
                state,
            }),
        }
    }

    fn moved_to(&self, state: HoldState) -> Hold {
        Hold {
            state,
            version: self.version + 1,
            ..self.clone()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::DomainError;
    use crate::ledger::{GatewayName, IdempotencyKey};
    use crate::types::UserId;

    fn ctx(at: i64) -> EntryContext {
        EntryContext {
            idempotency_key: IdempotencyKey::parse("hold-test").unwrap(),
            at: DateTime::from_timestamp(at, 0).unwrap(),
        }
    }

    /// A seller payable with ₹1,000.00 posted to it, and the entry that did it.
    fn funded() -> (LedgerAccount, JournalEntry) {
        let payable = LedgerAccount::SellerPayable(UserId::generate());
        let clearing = LedgerAccount::GatewayClearing(GatewayName::parse("sandbox").unwrap());
        let postings = vec![
            Posting::debit(clearing, Paise::new(1_000_00)),
            Posting::credit(payable.clone(), Paise::new(1_000_00)),
        ];
        let e = ctx(0)
            .entry(None, EntryKind::Funding, String::new(), postings)
            .unwrap();
        (payable, e)
    }

    fn hold(amount: i64, b: &Balances, payable: &LedgerAccount) -> Result<Hold, LedgerError> {
        let at = Some(DateTime::from_timestamp(100, 0).unwrap());
        let to = LedgerAccount::PayoutsInTransit;
        Hold::reserve(
            HoldId::generate(),
            payable.clone(),
            to,
            Paise::new(amount),
            at,
            b,
        )
    }

    #[test]
    fn pending_hold_reserves_without_posting_and_partial_post_releases_the_rest() {
        let (payable, funding) = funded();
        let b = Balances::of([&funding], []).unwrap();
        let h = hold(600_00, &b, &payable).unwrap();
        let b = Balances::of([&funding], [&h]).unwrap();
        assert_eq!(b.normal(&payable), Paise::new(1_000_00));
        assert_eq!(b.available(&payable), Paise::new(400_00));
        let e = hold(400_01, &b, &payable).unwrap_err();
        assert_eq!(e.code(), "insufficient_funds");

        let (posted, entry) = h.post(Paise::new(250_00), &ctx(1)).unwrap();
        assert_eq!(posted.state, HoldState::Posted(Paise::new(250_00)));
        assert_eq!(posted.version, 2);
        let b = Balances::of([&funding, &entry], [&posted]).unwrap();
        assert_eq!(b.normal(&payable), Paise::new(750_00));
        assert_eq!(b.available(&payable), Paise::new(750_00));
        assert_eq!(
            b.normal(&LedgerAccount::PayoutsInTransit),
            Paise::new(250_00)
        );
        assert_eq!(b.total_net(), 0);
        assert!(posted.is_within_amount());
    }

    #[test]
    fn over_posting_zero_posting_and_reusing_a_closed_hold_are_refused() {
        let (payable, funding) = funded();
        let b = Balances::of([&funding], []).unwrap();
        let h = hold(100_00, &b, &payable).unwrap();
        for bad in [0, -1, 100_01] {
            let e = h.post(Paise::new(bad), &ctx(1)).unwrap_err();
            assert_eq!(e.code(), "hold_over_post", "{bad}");
        }
        let (posted, _) = h.post(Paise::new(100_00), &ctx(1)).unwrap();
        assert_eq!(posted.void().unwrap_err().code(), "hold_not_pending");
        assert!(posted.post(Paise::new(1), &ctx(2)).is_err());
        let voided = h.void().unwrap();
        assert_eq!(voided.pending(), Paise::ZERO);
        assert!(voided.post(Paise::new(1), &ctx(2)).is_err());
    }

    #[test]
    fn holds_expire_only_after_their_time_and_release_everything() {
        let (payable, funding) = funded();
        let b = Balances::of([&funding], []).unwrap();
        let h = hold(100_00, &b, &payable).unwrap();
        let early = h
            .expire(DateTime::from_timestamp(99, 0).unwrap())
            .unwrap_err();
        assert_eq!(early, LedgerError::HoldNotExpired);
        let gone = h.expire(DateTime::from_timestamp(100, 0).unwrap()).unwrap();
        assert_eq!(gone.state, HoldState::Expired);
        let b = Balances::of([&funding], [&gone]).unwrap();
        assert_eq!(b.available(&payable), Paise::new(1_000_00));
    }

    #[test]
    fn a_hold_needs_a_positive_amount_and_two_accounts() {
        let (payable, funding) = funded();
        let b = Balances::of([&funding], []).unwrap();
        assert!(hold(0, &b, &payable).is_err());
        let same = Hold::reserve(
            HoldId::generate(),
            payable.clone(),
            payable.clone(),
            Paise::new(1),
            None,
            &b,
        );
        assert_eq!(same.unwrap_err(), LedgerError::SameAccount(payable));
    }
}
