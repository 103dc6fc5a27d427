//! The invariants the property tests assert after every step.

use proptest::prelude::*;

use super::world::World;
use super::*;
use crate::ledger::verify::violations_of;

impl World {
    /// Every invariant, over everything so far.
    pub(super) fn check(&self) -> Result<(), TestCaseError> {
        prop_assert_eq!(self.balances.total_net(), 0, "balances sum to zero");
        let mut violations = Vec::new();
        violations_of(&self.balances, &mut violations);
        prop_assert!(violations.is_empty(), "{violations:?}");
        for e in &self.escrows {
            let ledger = self.balances.normal(&e.account());
            prop_assert!(!ledger.is_negative(), "escrow never negative");
            prop_assert_eq!(
                ledger,
                e.held(),
                "the escrow account holds what the record says"
            );
            prop_assert_eq!(
                e.funded.get(),
                e.released.get() + e.refunded.get() + e.held().get()
            );
            prop_assert!(e.released <= e.funded && e.refunded <= e.funded);
            prop_assert!(e.funded == Paise::ZERO || e.funded == e.terms.amount());
            if e.state == EscrowState::Released {
                self.check_released_exactly(e)?;
            }
        }
        let in_transit: i64 = self
            .payouts
            .iter()
            .filter(|p| p.state == PayoutState::InTransit)
            .map(|p| p.amount.get())
            .sum();
        prop_assert_eq!(
            self.balances.normal(&LedgerAccount::PayoutsInTransit).get(),
            in_transit
        );
        self.check_conservation()?;
        let mut v = LedgerVerifier::default();
        self.entries.iter().for_each(|e| v.check_entry(e));
        self.escrows.iter().for_each(|e| v.check_escrow(e));
        prop_assert_eq!(v.finish().1, vec![]);
        Ok(())
    }

    /// Money owed is never lost: each payable holds what escrows credited it less what left
    /// in payouts not failed; clearing holds what came in less what settled out; revenue holds
    /// exactly the fees escrows credited.
    fn check_conservation(&self) -> Result<(), TestCaseError> {
        let from_escrows = |account: &LedgerAccount| -> i64 {
            self.entries
                .iter()
                .filter(|x| x.escrow_id().is_some())
                .flat_map(|x| x.postings())
                .filter(|p| p.account == *account && p.side == Side::Credit)
                .map(|p| p.amount.get())
                .sum()
        };
        let paid = |state: PayoutState, payee: Option<&LedgerAccount>| -> i64 {
            self.payouts
                .iter()
                .filter(|p| p.state == state && payee.is_none_or(|a| p.payee == *a))
                .map(|p| p.amount.get())
                .sum()
        };
        for payable in self.payables() {
            let out = paid(PayoutState::InTransit, Some(&payable))
                + paid(PayoutState::Settled, Some(&payable));
            prop_assert_eq!(
                self.balances.normal(&payable).get(),
                from_escrows(&payable) - out,
                "{}",
                payable
            );
        }
        let funded: i64 = self.escrows.iter().map(|e| e.funded.get()).sum();
        let clearing = LedgerAccount::GatewayClearing(sandbox());
        prop_assert_eq!(
            self.balances.normal(&clearing).get(),
            funded - paid(PayoutState::Settled, None)
        );
        let revenue = LedgerAccount::PlatformFeeRevenue;
        prop_assert_eq!(self.balances.normal(&revenue).get(), from_escrows(&revenue));
        Ok(())
    }

    /// A fully released escrow paid exactly its fee, commission and seller net.
    fn check_released_exactly(&self, e: &Escrow) -> Result<(), TestCaseError> {
        let credited = |account: LedgerAccount| -> i64 {
            self.entries
                .iter()
                .filter(|x| x.escrow_id() == Some(&e.id))
                .flat_map(|x| x.postings())
                .filter(|p| p.account == account && p.side == Side::Credit)
                .map(|p| p.amount.get())
                .sum()
        };
        let t = &e.terms;
        prop_assert_eq!(
            credited(LedgerAccount::PlatformFeeRevenue),
            t.platform_fee().get()
        );
        let seller = credited(LedgerAccount::SellerPayable(t.seller_id().clone()));
        prop_assert_eq!(
            seller,
            t.amount().get() - t.platform_fee().get() - t.agent_commission().get()
        );
        Ok(())
    }
}
