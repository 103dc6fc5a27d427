//! The model the property tests drive: everything storage would hold, moved only by the
//! domain's own transitions.

use std::collections::HashMap;

use proptest::prelude::*;

use super::props::{Cmd, Op};
use super::*;
use crate::error::DomainError;

/// The world as storage would hold it: every entry ever made, escrows, payouts, and the
/// idempotency records of the requests that acted.
pub(super) struct World {
    pub(super) entries: Vec<JournalEntry>,
    pub(super) balances: Balances,
    pub(super) escrows: Vec<Escrow>,
    pub(super) payouts: Vec<Payout>,
    pub(super) requests: Vec<(IdempotencyKey, RequestFingerprint)>,
    pub(super) keys: HashMap<IdempotencyKey, IdempotencyRecord>,
}

impl World {
    pub(super) fn new(escrows: Vec<Escrow>) -> Self {
        Self {
            entries: Vec::new(),
            balances: Balances::default(),
            escrows,
            payouts: Vec::new(),
            requests: Vec::new(),
            keys: HashMap::new(),
        }
    }

    pub(super) fn payables(&self) -> Vec<LedgerAccount> {
        self.balances
            .iter()
            .map(|(a, _)| a.clone())
            .filter(|a| a.kind().is_payable())
            .collect()
    }

    /// Records an acted request and its entries, checking each entry as it comes.
    fn commit(
        &mut self,
        fp: RequestFingerprint,
        c: &EntryContext,
        entries: Vec<JournalEntry>,
    ) -> Result<(), TestCaseError> {
        for e in &entries {
            prop_assert!(check_postings(e.postings()).is_ok());
            prop_assert_eq!(
                e.postings().iter().map(|p| p.signed().get()).sum::<i64>(),
                0
            );
            self.balances.record_entry(e).unwrap();
        }
        let response_json = format!("{{\"entries\":{}}}", entries.len());
        let record = IdempotencyRecord {
            key: c.idempotency_key.clone(),
            fingerprint: fp,
            response_json,
        };
        self.keys.insert(c.idempotency_key.clone(), record);
        self.requests.push((c.idempotency_key.clone(), fp));
        self.entries.extend(entries);
        Ok(())
    }

    fn escrow_command(&self, i: usize, cmd: &Cmd) -> EscrowCommand {
        let e = &self.escrows[i];
        match cmd {
            Cmd::Fund => fund(),
            Cmd::Release(m) => {
                let names = e.terms.milestones();
                release(&names[m % names.len()].name)
            }
            Cmd::Refund => EscrowCommand::Refund,
            Cmd::Dispute => EscrowCommand::Dispute,
            Cmd::Resolve(share) => {
                let held = e.held().get();
                let refund = held * i64::from(*share) / 1000;
                EscrowCommand::Resolve(Resolution {
                    refund_to_buyer: p(refund),
                    release_to_seller: p(held - refund),
                })
            }
            Cmd::Cancel => EscrowCommand::Cancel,
        }
    }

    /// Applies one operation (as request number `n`), then checks every invariant.
    pub(super) fn step(&mut self, n: usize, op: &Op) -> Result<(), TestCaseError> {
        let c = EntryContext {
            idempotency_key: IdempotencyKey::parse(&format!("req-{n}")).unwrap(),
            at: at(n as i64),
        };
        match op {
            Op::Escrow(i, cmd) => self.escrow_step(i % self.escrows.len(), cmd, &c)?,
            Op::StartPayout(i, share) => self.start_payout(*i, *share, &c)?,
            Op::FailPayout(j) => self.close_payout(*j, true, &c)?,
            Op::SettlePayout(j) => self.close_payout(*j, false, &c)?,
            Op::Retry(k, same) => self.retry(*k, *same)?,
        }
        self.check()
    }

    fn escrow_step(&mut self, i: usize, cmd: &Cmd, c: &EntryContext) -> Result<(), TestCaseError> {
        let command = self.escrow_command(i, cmd);
        let before = self.escrows[i].state;
        let fp = RequestFingerprint::of("escrow")
            .field("id", &self.escrows[i].id)
            .field("cmd", format!("{command:?}"))
            .finish();
        match self.escrows[i].apply(&command, c) {
            Ok(t) => {
                prop_assert_eq!(t.escrow.version, self.escrows[i].version + 1);
                self.escrows[i] = t.escrow;
                self.commit(fp, c, t.entries)?;
            }
            // A refused move is refused for a reason the state table or terms give.
            Err(e) => prop_assert!(
                before.after(command.action(), false).is_err()
                    || matches!(e, EscrowError::MilestoneAlreadyReleased(_)),
                "{before} refused {command:?}: {e}"
            ),
        }
        Ok(())
    }

    /// Pays out a share of a payable's available balance; one in three asks a paisa more.
    fn start_payout(
        &mut self,
        i: usize,
        share: u16,
        c: &EntryContext,
    ) -> Result<(), TestCaseError> {
        let payables = self.payables();
        if payables.is_empty() {
            return Ok(());
        }
        let payee = payables[i % payables.len()].clone();
        let available = self.balances.available(&payee).get();
        let amount = p(available * i64::from(share) / 1000 + i64::from(matches!(share % 3, 0)));
        let fp = RequestFingerprint::of("payout")
            .field("payee", &payee)
            .field("amount", amount.get())
            .finish();
        let id = PayoutId::generate();
        match Payout::start(id, payee, amount, sandbox(), &self.balances, c) {
            Ok((payout, entry)) => {
                self.payouts.push(payout);
                self.commit(fp, c, vec![entry])?;
            }
            Err(e) => prop_assert!(
                matches!(
                    e,
                    LedgerError::InsufficientFunds { .. } | LedgerError::NonPositivePosting { .. }
                ),
                "{e}"
            ),
        }
        Ok(())
    }

    fn close_payout(
        &mut self,
        j: usize,
        fail: bool,
        c: &EntryContext,
    ) -> Result<(), TestCaseError> {
        if self.payouts.is_empty() {
            return Ok(());
        }
        let j = j % self.payouts.len();
        let fp = RequestFingerprint::of(if fail { "payout.fail" } else { "payout.settle" })
            .field("id", &self.payouts[j].id)
            .finish();
        let result = if fail {
            self.payouts[j].fail(c)
        } else {
            self.payouts[j].settle(c)
        };
        match result {
            Ok((payout, entry)) => {
                self.payouts[j] = payout;
                self.commit(fp, c, vec![entry])?;
            }
            Err(e) => prop_assert_eq!(e.code(), "illegal_transition"),
        }
        Ok(())
    }

    /// Sends an earlier request again under its key: the same request replays, an altered
    /// one conflicts, and neither acts.
    fn retry(&mut self, k: usize, same: bool) -> Result<(), TestCaseError> {
        if self.requests.is_empty() {
            return Ok(());
        }
        let (key, fp) = self.requests[k % self.requests.len()].clone();
        let sent = if same {
            fp
        } else {
            RequestFingerprint::of("altered")
                .field("was", fp.to_hex())
                .finish()
        };
        match decide(self.keys.get(&key), &sent) {
            Ok(IdempotencyDecision::Replay(r)) => {
                prop_assert!(same && r.starts_with("{\"entries\""), "replayed {}", r)
            }
            Ok(IdempotencyDecision::Proceed) => {
                prop_assert!(false, "a used key must not act again")
            }
            Err(e) => prop_assert!(!same && e == LedgerError::IdempotencyConflict),
        }
        Ok(())
    }
}
