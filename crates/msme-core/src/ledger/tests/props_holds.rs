//! Property tests of two-phase holds beside plain transfers: random credits, reservations,
//! full and partial posts, voids and expiries over guarded accounts. The balances are kept as
//! a backend keeps them (each write's [`BalanceEffects`] applied to the stored rows, with its
//! overdraft guard) and checked after every step against the fold of entries and holds.

use std::collections::BTreeMap;

use proptest::prelude::*;

use super::*;

#[derive(Clone, Debug)]
enum HoldOp {
    /// Money in to account `i` from the gateway.
    Credit(usize, i64),
    /// Reserve a share (per mille) of `from`'s available balance for `to`; one in three asks
    /// a paisa more than is there.
    Reserve(usize, usize, u16),
    /// Post a share (per mille, 0 and over 1000 are refused) of hold `h`.
    Post(usize, u16),
    Void(usize),
    /// Expire hold `h`, `secs` after its reservation.
    Expire(usize, i64),
}

fn hold_op() -> impl Strategy<Value = HoldOp> {
    prop_oneof![
        3 => (0usize..4, 1i64..1_00_00_000).prop_map(|(i, a)| HoldOp::Credit(i, a)),
        4 => (0usize..4, 0usize..4, 0u16..=1000).prop_map(|(a, b, s)| HoldOp::Reserve(a, b, s)),
        3 => (0usize..12, 0u16..=1100).prop_map(|(h, s)| HoldOp::Post(h, s)),
        1 => (0usize..12).prop_map(HoldOp::Void),
        1 => (0usize..12, 0i64..120).prop_map(|(h, s)| HoldOp::Expire(h, s)),
    ]
}

struct HoldWorld {
    accounts: Vec<LedgerAccount>,
    entries: Vec<JournalEntry>,
    holds: Vec<Hold>,
    /// What a backend's balance rows would hold.
    stored: BTreeMap<LedgerAccount, AccountBalance>,
}

impl HoldWorld {
    fn new() -> Self {
        let u = UserId::generate();
        Self {
            accounts: vec![
                LedgerAccount::SellerPayable(u.clone()),
                LedgerAccount::AgentPayable(u.clone()),
                LedgerAccount::RefundPayable(u),
                LedgerAccount::PayoutsInTransit,
            ],
            entries: Vec::new(),
            holds: Vec::new(),
            stored: BTreeMap::new(),
        }
    }

    fn folded(&self) -> Result<Balances, LedgerError> {
        let mut b = Balances::default();
        for e in &self.entries {
            b.record_entry(e)?;
        }
        for h in &self.holds {
            b.record_hold(h)?;
        }
        Ok(b)
    }

    /// Applies a write's effects as a backend would: all or nothing, refused if it overdraws.
    fn write(&mut self, fx: &BalanceEffects) -> bool {
        let mut next = Vec::new();
        for account in fx.accounts() {
            let before = self.stored.get(account).copied().unwrap_or_default();
            match fx.apply(account, before) {
                Ok(after) => next.push((account.clone(), after)),
                Err(_) => return false,
            }
        }
        self.stored.extend(next);
        true
    }

    fn step(&mut self, n: usize, op: &HoldOp) -> Result<(), TestCaseError> {
        let c = EntryContext {
            idempotency_key: IdempotencyKey::parse(&format!("h-{n}")).unwrap(),
            at: at(n as i64),
        };
        let balances = self.folded().unwrap();
        match op {
            HoldOp::Credit(i, amount) => {
                let to = self.accounts[i % self.accounts.len()].clone();
                let from = LedgerAccount::GatewayClearing(sandbox());
                let postings = vec![
                    Posting::debit(from, p(*amount)),
                    Posting::credit(to, p(*amount)),
                ];
                let e = c
                    .entry(None, EntryKind::Funding, "in".into(), postings)
                    .unwrap();
                prop_assert!(self.write(&BalanceEffects::of_entries([&e]).unwrap()));
                self.entries.push(e);
            }
            HoldOp::Reserve(a, b, share) => {
                let from = self.accounts[a % self.accounts.len()].clone();
                let to = self.accounts[b % self.accounts.len()].clone();
                let avail = balances.available(&from).get();
                let amount = p(avail * i64::from(*share) / 1000 + i64::from(share % 3 == 0));
                let id = HoldId::generate();
                match Hold::reserve(id, from, to, amount, Some(at(n as i64 + 60)), &balances) {
                    Ok(h) => {
                        let mut fx = BalanceEffects::default();
                        fx.reserve(&h).unwrap();
                        prop_assert!(self.write(&fx), "the store refused what the core allowed");
                        self.holds.push(h);
                    }
                    Err(e) => {
                        prop_assert!(
                            matches!(
                                e,
                                LedgerError::InsufficientFunds { .. }
                                    | LedgerError::NonPositivePosting { .. }
                                    | LedgerError::SameAccount(_)
                            ),
                            "{e}"
                        );
                        // The store's own guard refuses it too.
                        if let LedgerError::InsufficientFunds { account, .. } = &e {
                            let h = Hold {
                                id: HoldId::generate(),
                                debit_account: account.clone(),
                                credit_account: LedgerAccount::PayoutsInTransit,
                                amount,
                                state: HoldState::Pending,
                                escrow_id: None,
                                expires_at: None,
                                version: 1,
                            };
                            let mut fx = BalanceEffects::default();
                            fx.reserve(&h).unwrap();
                            prop_assert!(!self.write(&fx), "the store's guard refuses it too");
                        }
                    }
                }
            }
            HoldOp::Post(h, share) => self.post(*h, *share, &c)?,
            HoldOp::Void(h) => self.release(*h, |hold| hold.void())?,
            HoldOp::Expire(h, secs) => {
                let now = at(n as i64 - 60 + secs);
                self.release(*h, |hold| hold.expire(now))?;
            }
        }
        self.check()
    }

    fn post(&mut self, h: usize, share: u16, c: &EntryContext) -> Result<(), TestCaseError> {
        if self.holds.is_empty() {
            return Ok(());
        }
        let j = h % self.holds.len();
        let held = self.holds[j].amount.get();
        let amount = p(held * i64::from(share) / 1000);
        match self.holds[j].post(amount, c) {
            Ok((after, entry)) => {
                let mut fx = BalanceEffects::of_entries([&entry]).unwrap();
                fx.release(&self.holds[j]).unwrap();
                prop_assert!(
                    self.write(&fx),
                    "posting what was reserved is always covered"
                );
                self.holds[j] = after;
                self.entries.push(entry);
            }
            Err(e) => prop_assert!(
                matches!(
                    e,
                    LedgerError::HoldOverPost { .. } | LedgerError::HoldNotPending { .. }
                ),
                "{e}"
            ),
        }
        Ok(())
    }

    fn release(
        &mut self,
        h: usize,
        f: impl Fn(&Hold) -> Result<Hold, LedgerError>,
    ) -> Result<(), TestCaseError> {
        if self.holds.is_empty() {
            return Ok(());
        }
        let j = h % self.holds.len();
        match f(&self.holds[j]) {
            Ok(after) => {
                let mut fx = BalanceEffects::default();
                fx.release(&self.holds[j]).unwrap();
                prop_assert!(self.write(&fx));
                self.holds[j] = after;
            }
            Err(e) => prop_assert!(
                matches!(
                    e,
                    LedgerError::HoldNotPending { .. } | LedgerError::HoldNotExpired
                ),
                "{e}"
            ),
        }
        Ok(())
    }

    fn check(&self) -> Result<(), TestCaseError> {
        let folded = self.folded().unwrap();
        prop_assert_eq!(folded.total_net(), 0);
        for (account, b) in folded.iter() {
            prop_assert_eq!(
                self.stored.get(account).copied().unwrap_or_default(),
                *b,
                "stored balance of {} is the fold",
                account
            );
            if account.kind().is_guarded() {
                prop_assert!(
                    !folded.available(account).is_negative(),
                    "{} overdrawn",
                    account
                );
            }
        }
        let mut v = LedgerVerifier::default();
        self.entries.iter().for_each(|e| v.check_entry(e));
        for h in &self.holds {
            prop_assert!(h.is_within_amount());
            v.record_hold(h).unwrap();
        }
        for (account, b) in &self.stored {
            v.check_stored_balance(account.clone(), *b);
        }
        prop_assert_eq!(v.finish().1, vec![]);
        Ok(())
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn any_sequence_of_hold_operations_keeps_every_invariant(
        ops in prop::collection::vec(hold_op(), 1..80),
    ) {
        let mut w = HoldWorld::new();
        for (n, op) in ops.iter().enumerate() {
            w.step(n, op)?;
        }
    }
}
