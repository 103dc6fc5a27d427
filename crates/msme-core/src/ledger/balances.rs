//! Balances, derived by folding entries and pending holds. Nothing stores a balance that is
//! then edited: a backend may cache these sums, but they must equal this fold.

use std::collections::BTreeMap;

use crate::ledger::{Hold, JournalEntry, LedgerAccount, LedgerError, Posting, Side};
use crate::money::Paise;

/// One account's totals, in the manner of TigerBeetle: posted and pending, per side.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct AccountBalance {
    pub debits_posted: Paise,
    pub credits_posted: Paise,
    /// Reserved by pending holds that debit this account.
    pub debits_pending: Paise,
    /// Reserved by pending holds that credit this account.
    pub credits_pending: Paise,
}

impl AccountBalance {
    /// Posted debits minus posted credits: the ledger's sign. Over all accounts these sum to 0.
    pub fn net(&self) -> Paise {
        Paise::new(self.debits_posted.get() - self.credits_posted.get())
    }

    /// The posted balance on the account's normal side (positive in ordinary use).
    pub fn normal(&self, side: Side) -> Paise {
        match side {
            Side::Debit => self.net(),
            Side::Credit => Paise::new(-self.net().get()),
        }
    }

    /// What may still be spent: the normal balance less pending holds that would reduce it.
    pub fn available(&self, side: Side) -> Paise {
        let reducing = match side {
            Side::Debit => self.credits_pending,
            Side::Credit => self.debits_pending,
        };
        Paise::new(self.normal(side).get().saturating_sub(reducing.get()))
    }
}

/// Balances of many accounts. Build with [`Balances::record_entry`] and
/// [`Balances::record_hold`] over everything stored; the fold never edits a posted amount.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Balances {
    accounts: BTreeMap<LedgerAccount, AccountBalance>,
}

fn add(to: &mut Paise, amount: Paise) -> Result<(), LedgerError> {
    *to = to.checked_add(amount).ok_or(LedgerError::Overflow)?;
    Ok(())
}

impl Balances {
    /// Folds entries and holds into balances.
    pub fn of<'a>(
        entries: impl IntoIterator<Item = &'a JournalEntry>,
        holds: impl IntoIterator<Item = &'a Hold>,
    ) -> Result<Self, LedgerError> {
        let mut b = Self::default();
        for e in entries {
            b.record_entry(e)?;
        }
        for h in holds {
            b.record_hold(h)?;
        }
        Ok(b)
    }

    /// Balances as a backend stored them (derived in the same transactions as the postings),
    /// to check a spend against without folding every entry again.
    pub fn from_stored(stored: impl IntoIterator<Item = (LedgerAccount, AccountBalance)>) -> Self {
        Self {
            accounts: stored.into_iter().collect(),
        }
    }

    /// Adds an entry's postings.
    pub fn record_entry(&mut self, entry: &JournalEntry) -> Result<(), LedgerError> {
        self.record_postings(entry.postings())
    }

    /// Adds postings as stored, balanced or not (`ledger verify` reads raw rows).
    pub fn record_postings(&mut self, postings: &[Posting]) -> Result<(), LedgerError> {
        for p in postings {
            let b = self.accounts.entry(p.account.clone()).or_default();
            match p.side {
                Side::Debit => add(&mut b.debits_posted, p.amount)?,
                Side::Credit => add(&mut b.credits_posted, p.amount)?,
            }
        }
        Ok(())
    }

    /// Adds a hold's reservation if it is still pending; posted, voided and expired holds
    /// reserve nothing (a posted hold's money arrives through its entry).
    pub fn record_hold(&mut self, hold: &Hold) -> Result<(), LedgerError> {
        let pending = hold.pending();
        if pending == Paise::ZERO {
            return Ok(());
        }
        let debit = self.accounts.entry(hold.debit_account.clone()).or_default();
        add(&mut debit.debits_pending, pending)?;
        let credit = self
            .accounts
            .entry(hold.credit_account.clone())
            .or_default();
        add(&mut credit.credits_pending, pending)
    }

    /// The account's totals; all zero for an account never touched.
    pub fn get(&self, account: &LedgerAccount) -> AccountBalance {
        self.accounts.get(account).copied().unwrap_or_default()
    }

    /// Posted balance on the account's normal side.
    pub fn normal(&self, account: &LedgerAccount) -> Paise {
        self.get(account).normal(account.kind().normal_side())
    }

    /// What may be spent from the account now (normal balance less pending holds).
    pub fn available(&self, account: &LedgerAccount) -> Paise {
        self.get(account).available(account.kind().normal_side())
    }

    /// Fails with `insufficient_funds` if taking `amount` from a guarded account would leave
    /// less than zero available. Unguarded accounts (clearing, revenue) always pass.
    pub fn ensure_covers(&self, account: &LedgerAccount, amount: Paise) -> Result<(), LedgerError> {
        let available = self.available(account);
        if account.kind().is_guarded() && available < amount {
            return Err(LedgerError::InsufficientFunds {
                account: account.clone(),
                available,
                needed: amount,
            });
        }
        Ok(())
    }

    /// Sum of every account's net posted balance, in i128 so it cannot overflow. Zero in a
    /// sound ledger.
    pub fn total_net(&self) -> i128 {
        self.accounts
            .values()
            .map(|b| i128::from(b.net().get()))
            .sum()
    }

    pub fn iter(&self) -> impl Iterator<Item = (&LedgerAccount, &AccountBalance)> {
        self.accounts.iter()
    }
}
