//! The ledger's invariants as checks, for `msme ledger verify` and the tests.
//!
//! 1. every entry balances (debits = credits, ≥ 2 postings, all positive);
//! 2. the net balances of all accounts sum to zero;
//! 3. no guarded account (escrow, payables, payouts in transit) is below zero;
//! 4. no hold is posted for more than it held;
//! 5. each escrow's account holds exactly `funded − released − refunded`, and
//!    `released + refunded ≤ funded`;
//! 6. the balances storage derives and keeps equal the fold of the stored postings and holds;
//! 7. a settled payout names the gateway's record of it.

use crate::ledger::{
    check_postings, AccountBalance, Balances, EntryId, Escrow, EscrowId, Hold, HoldId,
    JournalEntry, LedgerAccount, LedgerError, Payout, PayoutId, PayoutState, Posting,
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
    /// The balance storage keeps for an account is not the fold of its postings and holds.
    StoredBalanceMismatch {
        account: LedgerAccount,
        stored: AccountBalance,
        derived: AccountBalance,
    },
    /// A payout is settled but carries no gateway reference to reconcile it with.
    PayoutWithoutGatewayRecord { payout: PayoutId },
}

impl std::fmt::Display for Violation {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Violation::Unbalanced { entry, problem } => write!(f, "entry {entry}: {problem}"),
            Violation::NonZeroTotal { total } => {
                write!(
                    f,
                    "the balances of all accounts sum to {total} paise, not zero"
                )
            }
            Violation::Overdrawn { account, balance } => {
                write!(f, "{account} is overdrawn: {balance}")
            }
            Violation::HoldOverPosted { hold } => write!(f, "hold {hold} posted more than it held"),
            Violation::EscrowMismatch {
                escrow,
                ledger,
                record,
            } => write!(
                f,
                "escrow {escrow}: its account holds {ledger} but its record says {record}"
            ),
            Violation::StoredBalanceMismatch {
                account,
                stored,
                derived,
            } => write!(
                f,
                "{account}: the stored balance {} is not the postings' {}",
                stored.net(),
                derived.net()
            ),
            Violation::PayoutWithoutGatewayRecord { payout } => {
                write!(f, "payout {payout} is settled without a gateway reference")
            }
        }
    }
}

/// Reads everything once, in any order, and lists what is wrong.
#[derive(Debug, Default)]
pub struct LedgerVerifier {
    balances: Balances,
    violations: Vec<Violation>,
    entries: u64,
    escrows: Vec<(EscrowId, Paise, bool)>,
    stored: Vec<(LedgerAccount, AccountBalance)>,
    /// Set once storage's balances are fed: accounts it lacks are then mismatches too.
    checks_stored: bool,
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

    /// Holds reserve: feed every stored hold (pending ones count in the derived balances).
    pub fn record_hold(&mut self, hold: &Hold) -> Result<(), LedgerError> {
        self.check_hold(hold);
        self.balances.record_hold(hold)
    }

    /// A balance as storage keeps it, compared with the fold when finishing.
    pub fn check_stored_balance(&mut self, account: LedgerAccount, stored: AccountBalance) {
        self.checks_stored = true;
        self.stored.push((account, stored));
    }

    pub fn check_payout(&mut self, payout: &Payout) {
        if payout.state == PayoutState::Settled && payout.gateway_ref.is_none() {
            self.violations.push(Violation::PayoutWithoutGatewayRecord {
                payout: payout.id.clone(),
            });
        }
    }

    /// Every violation found, in the order found; empty when the ledger is sound.
    pub fn finish(mut self) -> (u64, Vec<Violation>) {
        violations_of(&self.balances, &mut self.violations);
        let stored: std::collections::BTreeSet<_> =
            self.stored.iter().map(|(a, _)| a.clone()).collect();
        for (account, stored_balance) in std::mem::take(&mut self.stored) {
            let derived = self.balances.get(&account);
            if derived != stored_balance {
                self.violations.push(Violation::StoredBalanceMismatch {
                    account,
                    stored: stored_balance,
                    derived,
                });
            }
        }
        let missing: Vec<_> = self
            .balances
            .iter()
            .filter(|(a, b)| !stored.contains(*a) && **b != AccountBalance::default())
            .map(|(a, b)| (a.clone(), *b))
            .collect();
        if self.checks_stored {
            for (account, derived) in missing {
                self.violations.push(Violation::StoredBalanceMismatch {
                    account,
                    stored: AccountBalance::default(),
                    derived,
                });
            }
        }
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
