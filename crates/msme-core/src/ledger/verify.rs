//! The ledger's invariants as checks, for `msme ledger verify` and the tests.
//!
//! 1. every entry balances (debits = credits, ≥ 2 postings, all positive);
//! 2. the net balances of all accounts sum to zero;
//! 3. no guarded account (escrow, payables, payouts in transit) is below zero;
//! 4. no hold is posted for more than it held;
//! 5. each escrow's account holds exactly `funded − released − refunded`, and
//!    `released + refunded ≤ funded`.

use crate::ledger::{
    check_postings, Balances, EntryId, Escrow, EscrowId, Hold, HoldId, JournalEntry, LedgerAccount,
    LedgerError, Posting,
};
use crate::money::Paise;

/// One broken invariant.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Violation {
    /// An entry's postings do not balance (or are malformed).
    Unbalanced {
        entry: EntryId,
        problem: LedgerError,
    },
    /// All balances together are not zero.
    NonZeroTotal { total: i128 },
    /// A guarded account is below zero on its normal side.
    Overdrawn {
        account: LedgerAccount,
        balance: Paise,
    },
    /// A hold posted more than it held, or holds nothing.
    HoldOverPosted { hold: HoldId },
    /// An escrow's record and its account disagree, or it gave out more than came in.
    EscrowMismatch {
        escrow: EscrowId,
        ledger: Paise,
        record: Paise,
    },
}

/// Reads everything once, in any order, and lists what is wrong.
#[derive(Debug, Default)]
pub struct LedgerVerifier {
    balances: Balances,
    violations: Vec<Violation>,
    entries: u64,
    escrows: Vec<(EscrowId, Paise, bool)>,
}

impl LedgerVerifier {
    /// Checks the postings of a stored entry as read from storage, and adds them to the sums.
    pub fn check_postings(&mut self, entry: EntryId, postings: &[Posting]) {
        self.entries += 1;
        // Recorded even when unbalanced: the balances are then what storage really holds.
        let summed = self.balances.record_postings(postings);
        if let Err(problem) = check_postings(postings).and(summed) {
            self.violations
                .push(Violation::Unbalanced { entry, problem });
        }
    }

    pub fn check_entry(&mut self, entry: &JournalEntry) {
        self.check_postings(entry.id().clone(), entry.postings());
    }

    pub fn check_hold(&mut self, hold: &Hold) {
        if !hold.is_within_amount() {
            self.violations.push(Violation::HoldOverPosted {
                hold: hold.id.clone(),
            });
        }
    }

    pub fn check_escrow(&mut self, escrow: &Escrow) {
        let gave = escrow.released.checked_add(escrow.refunded);
        let consistent = gave.is_some_and(|g| g <= escrow.funded);
        self.escrows
            .push((escrow.id.clone(), escrow.held(), consistent));
    }

    /// Every violation found, in the order found; empty when the ledger is sound.
    pub fn finish(mut self) -> (u64, Vec<Violation>) {
        violations_of(&self.balances, &mut self.violations);
        for (id, record, consistent) in self.escrows {
            let ledger = self.balances.normal(&LedgerAccount::Escrow(id.clone()));
            if ledger != record || !consistent {
                self.violations.push(Violation::EscrowMismatch {
                    escrow: id,
                    ledger,
                    record,
                });
            }
        }
        (self.entries, self.violations)
    }
}

/// Invariants 2 and 3 over folded balances.
pub fn violations_of(balances: &Balances, out: &mut Vec<Violation>) {
    let total = balances.total_net();
    if total != 0 {
        out.push(Violation::NonZeroTotal { total });
    }
    for (account, b) in balances.iter() {
        let balance = b.normal(account.kind().normal_side());
        if account.kind().is_guarded() && balance.is_negative() {
            out.push(Violation::Overdrawn {
                account: account.clone(),
                balance,
            });
        }
    }
}
