//! Statements of accounts (their owners and admins only) and `ledger verify`.

use crate::escrow_service::escrows::may_see;
use crate::escrow_service::MoneyCtx;
use crate::escrow_service::MoneyError;
use crate::ledger::{
    AccountBalance, EscrowId, HoldId, LedgerAccount, LedgerVerifier, PayoutId, StatementLine,
    Violation,
};
use crate::money::Paise;
use crate::rbac::{Actor, Permission};

/// The ledger's read side; get one from [`Platform::ledger`](crate::Platform::ledger).
pub struct Ledger<'a> {
    pub(crate) c: MoneyCtx<'a>,
}

/// One line of a statement with the balance after it, on the account's normal side.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StatementRow {
    pub line: StatementLine,
    pub balance_after: Paise,
}

/// Every posting to an account, in order, with running balances.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Statement {
    pub account: LedgerAccount,
    pub rows: Vec<StatementRow>,
    /// The balance on the account's normal side: the last row's `balance_after`, which
    /// [`Ledger::statement`] checks against the balance storage keeps.
    pub closing: Paise,
    /// Reserved by pending holds, not yet posted.
    pub pending: AccountBalance,
}

/// What `ledger verify` read and found.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct VerifyReport {
    pub entries: u64,
    pub accounts: u64,
    pub escrows: u64,
    pub payouts: u64,
    pub holds: u64,
    /// Empty when every invariant holds.
    pub violations: Vec<Violation>,
    /// Sent payouts the gateway's record does not match (a payout still in transit that the
    /// gateway already finished is only waiting to be recorded, and not listed here).
    pub gateway_differences: Vec<super::Difference>,
}

impl VerifyReport {
    pub fn is_clean(&self) -> bool {
        self.violations.is_empty() && self.gateway_differences.is_empty()
    }
}

const PAGE: u32 = 500;

/// Owners see their own accounts (a payable's user; an escrow's parties), admins every one.
pub(super) async fn require_owner(
    c: MoneyCtx<'_>,
    actor: &Actor,
    account: &LedgerAccount,
) -> Result<(), MoneyError> {
    if actor.can(Permission::ReadLedger) {
        return Ok(());
    }
    let owns = match account {
        LedgerAccount::SellerPayable(u)
        | LedgerAccount::AgentPayable(u)
        | LedgerAccount::RefundPayable(u) => actor.user_id() == Some(u),
        LedgerAccount::Escrow(id) => c
            .store
            .escrow_by_id(id)
            .await?
            .is_some_and(|e| may_see(actor, &e)),
        _ => false,
    };
    if owns {
        Ok(())
    } else {
        Err(actor.require(Permission::ReadLedger).unwrap_err().into())
    }
}

impl Ledger<'_> {
    /// The statement of `account`. Fails with an internal error if its lines do not add up to
    /// the balance storage keeps (which `verify` would also report).
    pub async fn statement(
        &self,
        actor: &Actor,
        account: &LedgerAccount,
    ) -> Result<Statement, MoneyError> {
        require_owner(self.c, actor, account).await?;
        let store = self.c.store;
        let side = account.kind().normal_side();
        let (mut rows, mut balance, mut after) = (Vec::new(), 0i64, 0i64);
        loop {
            let page = store.statement_lines(account, after, PAGE).await?;
            let Some(last) = page.last() else { break };
            after = last.seq;
            for line in page {
                let signed = if line.side == side {
                    line.amount.get()
                } else {
                    -line.amount.get()
                };
                balance = balance
                    .checked_add(signed)
                    .ok_or(crate::ledger::LedgerError::Overflow)?;
                let balance_after = Paise::new(balance);
                rows.push(StatementRow {
                    line,
                    balance_after,
                });
            }
        }
        let stored = store
            .balances(std::slice::from_ref(account))
            .await?
            .get(account);
        if stored.normal(side) != Paise::new(balance) {
            let e = format!(
                "statement of {account} adds up to {balance} but storage holds {}",
                stored.normal(side)
            );
            return Err(crate::error::StoreError::backend(e).into());
        }
        let pending = AccountBalance {
            debits_pending: stored.debits_pending,
            credits_pending: stored.credits_pending,
            ..AccountBalance::default()
        };
        Ok(Statement {
            account: account.clone(),
            rows,
            closing: Paise::new(balance),
            pending,
        })
    }

    /// Reads the whole ledger once and checks every invariant of [`crate::ledger::verify`].
    pub async fn verify(&self, actor: &Actor) -> Result<VerifyReport, MoneyError> {
        actor.require(Permission::ReadLedger)?;
        let mut v = LedgerVerifier::default();
        let mut report = VerifyReport::default();
        self.feed_entries(&mut v).await?;
        report.holds = self.feed_holds(&mut v).await?;
        report.escrows = self.feed_escrows(&mut v).await?;
        report.payouts = self.feed_payouts(&mut v).await?;
        report.accounts = self.feed_balances(&mut v).await?;
        let (entries, violations) = v.finish();
        report.entries = entries;
        report.violations = violations;
        let mut payouts = super::ReconcileReport::default();
        self.check_payouts(&mut payouts).await?;
        report.gateway_differences = payouts
            .differences
            .into_iter()
            .filter(|d| {
                !matches!(
                    d,
                    super::Difference::PayoutStatus {
                        ours: crate::ledger::PayoutState::InTransit,
                        ..
                    }
                )
            })
            .collect();
        Ok(report)
    }

    async fn feed_entries(&self, v: &mut LedgerVerifier) -> Result<(), MoneyError> {
        let mut after = 0;
        loop {
            let page = self.c.store.entries_page(after, PAGE).await?;
            let Some(last) = page.last() else {
                return Ok(());
            };
            after = last.seq;
            for e in page {
                v.check_postings(e.header.id, &e.postings);
            }
        }
    }

    async fn feed_holds(&self, v: &mut LedgerVerifier) -> Result<u64, MoneyError> {
        let store = self.c.store;
        let fetch =
            |after: Option<HoldId>| async move { store.holds(after.as_ref(), PAGE, false).await };
        walk_pages(
            fetch,
            |h| h.id.clone(),
            |page| {
                page.iter().try_for_each(|h| v.record_hold(h))?;
                Ok(())
            },
        )
        .await
    }

    async fn feed_escrows(&self, v: &mut LedgerVerifier) -> Result<u64, MoneyError> {
        let store = self.c.store;
        let fetch =
            |after: Option<EscrowId>| async move { store.escrows_page(after.as_ref(), PAGE).await };
        walk_pages(
            fetch,
            |e| e.id.clone(),
            |page| {
                page.iter().for_each(|e| v.check_escrow(e));
                Ok(())
            },
        )
        .await
    }

    async fn feed_payouts(&self, v: &mut LedgerVerifier) -> Result<u64, MoneyError> {
        let store = self.c.store;
        let fetch =
            |after: Option<PayoutId>| async move { store.payouts_page(after.as_ref(), PAGE).await };
        walk_pages(
            fetch,
            |p| p.id.clone(),
            |page| {
                page.iter().for_each(|p| v.check_payout(p));
                Ok(())
            },
        )
        .await
    }

    async fn feed_balances(&self, v: &mut LedgerVerifier) -> Result<u64, MoneyError> {
        let store = self.c.store;
        let fetch = |after: Option<LedgerAccount>| async move {
            store.stored_balances(after.as_ref(), PAGE).await
        };
        walk_pages(
            fetch,
            |(account, _)| account.clone(),
            |page| {
                for (account, balance) in page {
                    v.check_stored_balance(account, balance);
                }
                Ok(())
            },
        )
        .await
    }
}

/// Reads a listing keyed by its last row page by page from the start, handing each page to
/// `visit`; answers how many rows there were.
async fn walk_pages<K, T, Fut>(
    mut fetch: impl FnMut(Option<K>) -> Fut,
    key: impl Fn(&T) -> K,
    mut visit: impl FnMut(Vec<T>) -> Result<(), MoneyError>,
) -> Result<u64, MoneyError>
where
    Fut: std::future::Future<Output = crate::error::StoreResult<Vec<T>>>,
{
    let (mut after, mut n) = (None, 0u64);
    loop {
        let page = fetch(after.take()).await?;
        let Some(last) = page.last() else {
            return Ok(n);
        };
        after = Some(key(last));
        n += page.len() as u64;
        visit(page)?;
    }
}
