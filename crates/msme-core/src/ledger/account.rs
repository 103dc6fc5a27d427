//! Ledger accounts: who the platform owes, or what it holds, and on which side each grows.
//!
//! Signs: a posting's debit counts `+`, a credit `-`, so over the whole ledger the net balances
//! of all accounts sum to zero. Each account kind has a *normal side*, the side it grows on;
//! its [normal balance](crate::ledger::AccountBalance::normal) is positive in ordinary use.

use std::fmt;

use crate::error::ValidationError;
use crate::ledger::EscrowId;
use crate::types::UserId;

/// The two sides of a posting.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Side {
    Debit,
    Credit,
}

impl Side {
    pub fn as_str(self) -> &'static str {
        match self {
            Side::Debit => "debit",
            Side::Credit => "credit",
        }
    }
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "debit" => Some(Side::Debit),
            "credit" => Some(Side::Credit),
            _ => None,
        }
    }
}

/// Where money enters and leaves the platform: a payment gateway (`sandbox`, `razorpayx`) or a
/// confirmed bank transfer (`bank_transfer`). 1 to 32 of `a-z`, `0-9`, `_`.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct GatewayName(String);

impl GatewayName {
    pub fn parse(s: &str) -> Result<Self, ValidationError> {
        let ok = (1..=32).contains(&s.len())
            && s.bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_');
        if ok {
            Ok(Self(s.to_string()))
        } else {
            Err(ValidationError::new(
                "gateway",
                "must be 1 to 32 characters of a-z, 0-9 and _",
            ))
        }
    }
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// What an account is, without whose.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum AccountKind {
    /// A buyer's money held for one deal (a liability to the buyer until released or refunded).
    Escrow,
    /// Released deal money owed to a seller, waiting for a payout.
    SellerPayable,
    /// Commission owed to an agent, waiting for a payout.
    AgentPayable,
    /// Refunded escrow money owed back to a buyer, waiting for a payout.
    RefundPayable,
    /// The platform's fees, earned on release.
    PlatformFeeRevenue,
    /// Money at a gateway or bank: debited when a buyer pays in, credited when a payout leaves.
    GatewayClearing,
    /// Payouts sent to a gateway and not yet confirmed settled or failed.
    PayoutsInTransit,
}

impl AccountKind {
    /// The side the account grows on: clearing is an asset (debit); everything else is owed
    /// to someone or earned (credit).
    pub fn normal_side(self) -> Side {
        match self {
            AccountKind::GatewayClearing => Side::Debit,
            _ => Side::Credit,
        }
    }

    /// Accounts holding someone's money, whose normal balance (less pending holds) must never
    /// go below zero: spending from them needs the funds to be there.
    pub fn is_guarded(self) -> bool {
        !matches!(
            self,
            AccountKind::GatewayClearing | AccountKind::PlatformFeeRevenue
        )
    }

    /// A payable: an account payouts are drawn from.
    pub fn is_payable(self) -> bool {
        matches!(
            self,
            AccountKind::SellerPayable | AccountKind::AgentPayable | AccountKind::RefundPayable
        )
    }
}

/// One account of the ledger. Text form (stored, shown): `escrow:<escrow_id>`,
/// `payable:seller:<user>`, `payable:agent:<user>`, `payable:refund:<user>`,
/// `revenue:platform_fee`, `clearing:<gateway>`, `transit:payouts`.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum LedgerAccount {
    Escrow(EscrowId),
    SellerPayable(UserId),
    AgentPayable(UserId),
    RefundPayable(UserId),
    PlatformFeeRevenue,
    GatewayClearing(GatewayName),
    PayoutsInTransit,
}

impl LedgerAccount {
    pub fn kind(&self) -> AccountKind {
        match self {
            LedgerAccount::Escrow(_) => AccountKind::Escrow,
            LedgerAccount::SellerPayable(_) => AccountKind::SellerPayable,
            LedgerAccount::AgentPayable(_) => AccountKind::AgentPayable,
            LedgerAccount::RefundPayable(_) => AccountKind::RefundPayable,
            LedgerAccount::PlatformFeeRevenue => AccountKind::PlatformFeeRevenue,
            LedgerAccount::GatewayClearing(_) => AccountKind::GatewayClearing,
            LedgerAccount::PayoutsInTransit => AccountKind::PayoutsInTransit,
        }
    }

    /// Parses the text form, e.g. from a stored row or `msme ledger statement ACCOUNT`.
    pub fn parse(s: &str) -> Result<Self, ValidationError> {
        let bad = || ValidationError::new("account", "is not a ledger account");
        let user = |id: &str| UserId::parse(id).map_err(|_| bad());
        match s.split_once(':').ok_or_else(bad)? {
            ("escrow", id) => EscrowId::parse(id).map(Self::Escrow).map_err(|_| bad()),
            ("payable", rest) => match rest.split_once(':').ok_or_else(bad)? {
                ("seller", id) => user(id).map(Self::SellerPayable),
                ("agent", id) => user(id).map(Self::AgentPayable),
                ("refund", id) => user(id).map(Self::RefundPayable),
                _ => Err(bad()),
            },
            ("revenue", "platform_fee") => Ok(Self::PlatformFeeRevenue),
            ("clearing", g) => GatewayName::parse(g)
                .map(Self::GatewayClearing)
                .map_err(|_| bad()),
            ("transit", "payouts") => Ok(Self::PayoutsInTransit),
            _ => Err(bad()),
        }
    }
}

impl fmt::Display for LedgerAccount {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            LedgerAccount::Escrow(id) => write!(f, "escrow:{id}"),
            LedgerAccount::SellerPayable(u) => write!(f, "payable:seller:{u}"),
            LedgerAccount::AgentPayable(u) => write!(f, "payable:agent:{u}"),
            LedgerAccount::RefundPayable(u) => write!(f, "payable:refund:{u}"),
            LedgerAccount::PlatformFeeRevenue => f.write_str("revenue:platform_fee"),
            LedgerAccount::GatewayClearing(g) => write!(f, "clearing:{}", g.as_str()),
            LedgerAccount::PayoutsInTransit => f.write_str("transit:payouts"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_forms_round_trip() {
        let u = UserId::generate();
        let accounts = [
            LedgerAccount::Escrow(EscrowId::generate()),
            LedgerAccount::SellerPayable(u.clone()),
            LedgerAccount::AgentPayable(u.clone()),
            LedgerAccount::RefundPayable(u),
            LedgerAccount::PlatformFeeRevenue,
            LedgerAccount::GatewayClearing(GatewayName::parse("razorpayx").unwrap()),
            LedgerAccount::PayoutsInTransit,
        ];
        for a in accounts {
            assert_eq!(LedgerAccount::parse(&a.to_string()).unwrap(), a);
        }
    }

    #[test]
    fn malformed_accounts_and_gateways_are_refused() {
        for s in [
            "",
            "escrow:",
            "escrow:42",
            "payable:buyer:x",
            "revenue:other",
            "transit",
        ] {
            assert!(LedgerAccount::parse(s).is_err(), "{s}");
        }
        for g in ["", "RazorpayX", "bank-transfer", &"a".repeat(33)] {
            assert!(GatewayName::parse(g).is_err(), "{g}");
        }
    }

    #[test]
    fn only_clearing_is_debit_normal_and_only_money_owed_is_guarded() {
        assert_eq!(AccountKind::GatewayClearing.normal_side(), Side::Debit);
        assert_eq!(AccountKind::Escrow.normal_side(), Side::Credit);
        assert!(AccountKind::Escrow.is_guarded() && AccountKind::PayoutsInTransit.is_guarded());
        assert!(!AccountKind::PlatformFeeRevenue.is_guarded());
        assert!(AccountKind::RefundPayable.is_payable() && !AccountKind::Escrow.is_payable());
    }
}
