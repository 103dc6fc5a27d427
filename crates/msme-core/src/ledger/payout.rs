//! Payouts: money owed (a payable) sent to someone's bank account through a gateway.
//!
//! ```text
//! start: payable → payouts in transit        (state in_transit)
//! settle: payouts in transit → clearing       (state settled: the money left the gateway)
//! fail: payouts in transit → the same payable (state failed: owed again, never lost)
//! ```
//! A failed payout is final; retrying means starting a new payout from the payable.
//!
//! While in transit a payout may be *sent* (the gateway accepted it and gave its reference)
//! and *deferred* (the gateway could not be reached or has not decided yet: try again at
//! `next_attempt_at`, with [`backoff`]). Neither moves money, so neither makes an entry.

use chrono::{DateTime, Utc};

use crate::ledger::{
    Balances, EntryContext, EntryKind, GatewayName, JournalEntry, LedgerAccount, LedgerError,
    PayoutId, Posting,
};
use crate::money::Paise;

/// Where a payout is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum PayoutState {
    InTransit,
    Settled,
    Failed,
}

impl PayoutState {
    pub fn as_str(self) -> &'static str {
        match self {
            PayoutState::InTransit => "in_transit",
            PayoutState::Settled => "settled",
            PayoutState::Failed => "failed",
        }
    }
    pub fn parse(s: &str) -> Option<Self> {
        [Self::InTransit, Self::Settled, Self::Failed]
            .into_iter()
            .find(|p| p.as_str() == s)
    }
}

/// A payout as stored.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Payout {
    pub id: PayoutId,
    /// A payable account (seller, agent or refund).
    pub payee: LedgerAccount,
    pub amount: Paise,
    pub gateway: GatewayName,
    pub state: PayoutState,
    /// Bumped by every change; storage writes with compare-and-set on it.
    pub version: i64,
    /// The gateway's id for the payout, once it accepted it.
    pub gateway_ref: Option<String>,
    /// Gateway calls that did not settle or fail it (timeouts, still processing).
    pub attempts: i32,
    /// When a payout in transit should next be sent or polled.
    pub next_attempt_at: DateTime<Utc>,
    /// Why the last attempt did not finish, or why the payout failed. Never a secret.
    pub last_error: Option<String>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// How long to wait before attempt `attempts + 1`: 30 s doubling, at most an hour.
pub fn backoff(attempts: i32) -> chrono::Duration {
    let exp = attempts.clamp(0, 7) as u32;
    chrono::Duration::seconds((30i64 << exp).min(3_600))
}

impl Payout {
    /// Starts a payout of `amount` from `payee`, which must be a payable with that much
    /// available in `balances`.
    pub fn start(
        id: PayoutId,
        payee: LedgerAccount,
        amount: Paise,
        gateway: GatewayName,
        balances: &Balances,
        ctx: &EntryContext,
    ) -> Result<(Payout, JournalEntry), LedgerError> {
        if !payee.kind().is_payable() {
            return Err(LedgerError::NotPayable { account: payee });
        }
        balances.ensure_covers(&payee, amount)?;
        let entry = ctx.entry(
            None,
            EntryKind::Payout,
            format!("payout {id} via {}", gateway.as_str()),
            vec![
                Posting::debit(payee.clone(), amount),
                Posting::credit(LedgerAccount::PayoutsInTransit, amount),
            ],
        )?;
        let payout = Payout {
            id,
            payee,
            amount,
            gateway,
            state: PayoutState::InTransit,
            version: 1,
            gateway_ref: None,
            attempts: 0,
            next_attempt_at: ctx.at,
            last_error: None,
            created_at: ctx.at,
            updated_at: ctx.at,
        };
        Ok((payout, entry))
    }

    /// The gateway confirmed the money left: in transit → the gateway's clearing account.
    pub fn settle(&self, ctx: &EntryContext) -> Result<(Payout, JournalEntry), LedgerError> {
        let to = LedgerAccount::GatewayClearing(self.gateway.clone());
        self.close(
            PayoutState::Settled,
            "settled",
            EntryKind::PayoutSettlement,
            to,
            ctx,
        )
    }

    /// The payout failed: the money goes back to the payable it came from.
    pub fn fail(&self, ctx: &EntryContext) -> Result<(Payout, JournalEntry), LedgerError> {
        let to = self.payee.clone();
        self.close(
            PayoutState::Failed,
            "failed",
            EntryKind::PayoutFailure,
            to,
            ctx,
        )
    }

    /// The gateway accepted the payout as `gateway_ref`; poll it from `next_attempt_at`.
    pub fn sent(&self, gateway_ref: String, at: DateTime<Utc>) -> Result<Payout, LedgerError> {
        self.ensure_in_transit("sent")?;
        Ok(Payout {
            gateway_ref: Some(gateway_ref),
            version: self.version + 1,
            updated_at: at,
            next_attempt_at: at,
            ..self.clone()
        })
    }

    /// An attempt did not finish (`why`): count it and wait [`backoff`] before the next.
    pub fn deferred(&self, why: String, at: DateTime<Utc>) -> Result<Payout, LedgerError> {
        self.ensure_in_transit("deferred")?;
        Ok(Payout {
            attempts: self.attempts + 1,
            next_attempt_at: at + backoff(self.attempts),
            last_error: Some(why),
            version: self.version + 1,
            updated_at: at,
            ..self.clone()
        })
    }

    fn ensure_in_transit(&self, action: &'static str) -> Result<(), LedgerError> {
        if self.state != PayoutState::InTransit {
            return Err(LedgerError::IllegalPayoutTransition {
                from: self.state,
                action,
            });
        }
        Ok(())
    }

    fn close(
        &self,
        state: PayoutState,
        action: &'static str,
        kind: EntryKind,
        to: LedgerAccount,
        ctx: &EntryContext,
    ) -> Result<(Payout, JournalEntry), LedgerError> {
        self.ensure_in_transit(action)?;
        let entry = ctx.entry(
            None,
            kind,
            format!("payout {} {action}", self.id),
            vec![
                Posting::debit(LedgerAccount::PayoutsInTransit, self.amount),
                Posting::credit(to, self.amount),
            ],
        )?;
        let payout = Payout {
            state,
            version: self.version + 1,
            updated_at: ctx.at,
            ..self.clone()
        };
        Ok((payout, entry))
    }
}
