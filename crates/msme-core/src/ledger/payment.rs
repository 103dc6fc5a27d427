//! Payments: the money that came in to fund an escrow, as the platform recorded it. One per
//! funded escrow, stored in the transaction that funds it, so the ledger's funding entry and
//! the gateway's (or bank's) reference to the money always go together. Reconciliation
//! compares these with the gateway's own records.

use chrono::{DateTime, Utc};

use crate::error::ValidationError;
use crate::ledger::{EscrowId, GatewayName, PaymentId};
use crate::money::Paise;

/// The gateway name money confirmed by an admin as a bank transfer is cleared under.
pub const BANK_TRANSFER: &str = "bank_transfer";

/// A payment as stored.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Payment {
    pub id: PaymentId,
    pub escrow_id: EscrowId,
    /// The gateway it came through (`sandbox`, `razorpayx`), or `bank_transfer`.
    pub source: GatewayName,
    /// The gateway's payment id, or the bank transfer's reference (UTR). Unique per source:
    /// one payment at a gateway can fund only one escrow.
    pub gateway_ref: String,
    /// The gateway's order the payment was made against (none for bank transfers).
    pub order_id: Option<String>,
    pub amount: Paise,
    pub created_at: DateTime<Utc>,
}

impl Payment {
    pub fn is_bank_transfer(&self) -> bool {
        self.source.as_str() == BANK_TRANSFER
    }
}

/// The reference a bank gives a transfer (NEFT/RTGS/IMPS UTR): 6 to 40 letters, digits, `-`
/// or `/`, kept in capitals.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BankReference(String);

impl BankReference {
    pub fn parse(s: &str) -> Result<Self, ValidationError> {
        let s = s.trim();
        let ok = (6..=40).contains(&s.len())
            && s.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'/');
        if !ok {
            return Err(ValidationError::new(
                "reference",
                "must be the bank's transfer reference (UTR): 6 to 40 letters, digits, - or /",
            ));
        }
        Ok(Self(s.to_ascii_uppercase()))
    }
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bank_references_are_utr_shaped() {
        assert_eq!(
            BankReference::parse(" hdfcr52026010112345 ")
                .unwrap()
                .as_str(),
            "HDFCR52026010112345"
        );
        for bad in ["", "12345", "UTR 123456", &"9".repeat(41), "abc;drop"] {
            assert!(BankReference::parse(bad).is_err(), "{bad}");
        }
    }
}
