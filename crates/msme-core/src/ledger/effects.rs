//! What one write does to balances, computed once here so that both backends apply the same
//! arithmetic and the same overdraft guard inside their transactions.
//!
//! A backend keeps a derived balance per account (posted and pending, per side). For a write it
//! builds the [`BalanceEffects`] of the entries it appends and the holds it reserves or
//! releases, then, in the transaction, for each touched account in [`BalanceEffects::accounts`]
//! order (one lock order: no deadlocks), reads the stored balance and calls
//! [`BalanceEffects::apply`], which refuses a result that overdraws a guarded account.

use std::collections::BTreeMap;

use crate::ledger::{
    AccountBalance, Hold, IdempotentOutcome, JournalEntry, LedgerAccount, LedgerError, Side,
};
use crate::money::Paise;

/// Signed changes to one account's four totals.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
struct Delta {
    debits_posted: i64,
    credits_posted: i64,
    debits_pending: i64,
    credits_pending: i64,
}

/// The changes one write makes, per account.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct BalanceEffects {
    deltas: BTreeMap<LedgerAccount, Delta>,
}

fn bump(total: &mut i64, by: i64) -> Result<(), LedgerError> {
    *total = total.checked_add(by).ok_or(LedgerError::Overflow)?;
    Ok(())
}

impl BalanceEffects {
    /// The effects of appending `entries`.
    pub fn of_entries<'a>(
        entries: impl IntoIterator<Item = &'a JournalEntry>,
    ) -> Result<Self, LedgerError> {
        let mut fx = Self::default();
        for e in entries {
            for p in e.postings() {
                let d = fx.deltas.entry(p.account.clone()).or_default();
                match p.side {
                    Side::Debit => bump(&mut d.debits_posted, p.amount.get())?,
                    Side::Credit => bump(&mut d.credits_posted, p.amount.get())?,
                }
            }
        }
        Ok(fx)
    }

    /// Adds a new pending hold's reservation.
    pub fn reserve(&mut self, hold: &Hold) -> Result<(), LedgerError> {
        self.pending(hold, hold.amount.get())
    }

    /// Removes the reservation of a hold that was pending (it was posted, voided or expired).
    pub fn release(&mut self, hold: &Hold) -> Result<(), LedgerError> {
        self.pending(hold, -hold.amount.get())
    }

    fn pending(&mut self, hold: &Hold, by: i64) -> Result<(), LedgerError> {
        let debit = self.deltas.entry(hold.debit_account.clone()).or_default();
        bump(&mut debit.debits_pending, by)?;
        let credit = self.deltas.entry(hold.credit_account.clone()).or_default();
        bump(&mut credit.credits_pending, by)
    }

    /// The touched accounts, in the order to lock them in.
    pub fn accounts(&self) -> impl Iterator<Item = &LedgerAccount> {
        self.deltas.keys()
    }

    /// The balance of `account` after this write, given the stored one. Refuses with
    /// [`IdempotentOutcome::Overdrawn`] when a guarded account would end with less than zero
    /// available and less than it had; `Err(Err(..))` on overflow.
    pub fn apply(
        &self,
        account: &LedgerAccount,
        before: AccountBalance,
    ) -> Result<AccountBalance, Result<IdempotentOutcome, LedgerError>> {
        let d = self.deltas.get(account).copied().unwrap_or_default();
        let add = |p: Paise, by: i64| {
            p.get()
                .checked_add(by)
                .map(Paise::new)
                .ok_or(Err(LedgerError::Overflow))
        };
        let after = AccountBalance {
            debits_posted: add(before.debits_posted, d.debits_posted)?,
            credits_posted: add(before.credits_posted, d.credits_posted)?,
            debits_pending: add(before.debits_pending, d.debits_pending)?,
            credits_pending: add(before.credits_pending, d.credits_pending)?,
        };
        let side = account.kind().normal_side();
        let (was, now) = (available(&before, side), available(&after, side));
        if account.kind().is_guarded() && now < 0 && now < was {
            return Err(Ok(IdempotentOutcome::Overdrawn {
                account: account.clone(),
                available: Paise::new(was.max(0) as i64),
                needed: Paise::new((was - now) as i64),
            }));
        }
        Ok(after)
    }
}

/// Normal balance less reducing pending holds, unsaturated, in i128.
fn available(b: &AccountBalance, side: Side) -> i128 {
    let reducing = match side {
        Side::Debit => b.credits_pending,
        Side::Credit => b.debits_pending,
    };
    i128::from(b.normal(side).get()) - i128::from(reducing.get())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ledger::{EntryContext, EntryKind, GatewayName, IdempotencyKey, Posting};
    use crate::types::UserId;

    fn entry(from: &LedgerAccount, to: &LedgerAccount, amount: i64) -> JournalEntry {
        let ctx = EntryContext {
            idempotency_key: IdempotencyKey::parse("fx").unwrap(),
            at: chrono::DateTime::from_timestamp(0, 0).unwrap(),
        };
        let postings = vec![
            Posting::debit(from.clone(), Paise::new(amount)),
            Posting::credit(to.clone(), Paise::new(amount)),
        ];
        ctx.entry(None, EntryKind::Payout, String::new(), postings)
            .unwrap()
    }

    #[test]
    fn a_guarded_account_may_not_go_below_zero_but_clearing_may() {
        let clearing = LedgerAccount::GatewayClearing(GatewayName::parse("sandbox").unwrap());
        let payable = LedgerAccount::SellerPayable(UserId::generate());
        let fund = BalanceEffects::of_entries([&entry(&clearing, &payable, 100)]).unwrap();
        let b = fund.apply(&payable, AccountBalance::default()).unwrap();
        assert_eq!(b.normal(Side::Credit), Paise::new(100));
        assert!(fund.apply(&clearing, AccountBalance::default()).is_ok());

        let transit = LedgerAccount::PayoutsInTransit;
        let spend = BalanceEffects::of_entries([&entry(&payable, &transit, 101)]).unwrap();
        let refused = spend.apply(&payable, b).unwrap_err().unwrap();
        assert_eq!(
            refused,
            IdempotentOutcome::Overdrawn {
                account: payable.clone(),
                available: Paise::new(100),
                needed: Paise::new(101),
            }
        );
        let ok = BalanceEffects::of_entries([&entry(&payable, &transit, 100)]).unwrap();
        assert_eq!(ok.apply(&payable, b).unwrap().net(), Paise::ZERO);
        assert_eq!(ok.accounts().count(), 2);
    }
}
