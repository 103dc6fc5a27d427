//! Money: integer paise with checked arithmetic. Never floating point.

use std::fmt;

use crate::error::ValidationError;

/// An amount of Indian rupees in paise (1 rupee = 100 paise). May be negative (a loss).
///
/// ```
/// use msme_core::money::Paise;
/// let price = Paise::from_rupees(12_00_00_000).unwrap(); // ₹12 crore
/// assert_eq!(price.to_string(), "₹12,00,00,000.00");
/// assert_eq!(price.checked_bps(250), Paise::from_rupees(30_00_000)); // a 2.5% fee: ₹30 lakh
/// assert_eq!(Paise::new(i64::MAX).checked_add(Paise::new(1)), None);
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Paise(i64);

impl Paise {
    pub const ZERO: Paise = Paise(0);

    pub const fn new(paise: i64) -> Self {
        Self(paise)
    }

    /// Whole rupees, for inputs given in rupees (the original design's API). Fails on overflow.
    pub fn from_rupees(rupees: i64) -> Option<Self> {
        rupees.checked_mul(100).map(Self)
    }

    pub const fn get(self) -> i64 {
        self.0
    }

    pub fn checked_add(self, other: Paise) -> Option<Paise> {
        self.0.checked_add(other.0).map(Paise)
    }

    pub fn checked_sub(self, other: Paise) -> Option<Paise> {
        self.0.checked_sub(other.0).map(Paise)
    }

    pub fn checked_mul(self, n: i64) -> Option<Paise> {
        self.0.checked_mul(n).map(Paise)
    }

    /// `self × bps / 10 000`, rounded half away from zero; fees and commissions.
    pub fn checked_bps(self, bps: u32) -> Option<Paise> {
        let product = i128::from(self.0) * i128::from(bps);
        let rounded = (product + product.signum() * 5_000) / 10_000;
        i64::try_from(rounded).ok().map(Paise)
    }

    /// Parses a client value that must not be negative, naming the field when it is.
    pub fn non_negative(field: &str, paise: i64) -> Result<Paise, ValidationError> {
        if paise < 0 {
            Err(ValidationError::new(field, "must not be negative"))
        } else {
            Ok(Paise(paise))
        }
    }

    pub fn is_negative(self) -> bool {
        self.0 < 0
    }
}

impl fmt::Display for Paise {
    /// Indian grouping: ₹12,34,567.89.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sign = if self.0 < 0 { "-" } else { "" };
        let abs = self.0.unsigned_abs();
        let (rupees, paise) = (abs / 100, abs % 100);
        let digits = rupees.to_string();
        let grouped = if digits.len() <= 3 {
            digits
        } else {
            let (head, tail) = digits.split_at(digits.len() - 3);
            let mut parts: Vec<String> = Vec::new();
            let mut rest = head;
            while rest.len() > 2 {
                let (a, b) = rest.split_at(rest.len() - 2);
                parts.push(b.to_string());
                rest = a;
            }
            parts.push(rest.to_string());
            parts.reverse();
            format!("{},{}", parts.join(","), tail)
        };
        write!(f, "{sign}₹{grouped}.{paise:02}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn indian_grouping() {
        assert_eq!(Paise::new(123_456_789).to_string(), "₹12,34,567.89");
        assert_eq!(Paise::new(99).to_string(), "₹0.99");
        assert_eq!(Paise::new(-100_000_00).to_string(), "-₹1,00,000.00");
        assert_eq!(
            Paise::new(12_345_678_901_234).to_string(),
            "₹1,23,45,67,89,012.34"
        );
    }

    #[test]
    fn checked_arithmetic_refuses_overflow() {
        assert_eq!(Paise::new(i64::MAX).checked_add(Paise::new(1)), None);
        assert_eq!(Paise::from_rupees(i64::MAX / 10), None);
        assert_eq!(
            Paise::new(5).checked_sub(Paise::new(7)),
            Some(Paise::new(-2))
        );
    }

    #[test]
    fn basis_points_round_half_away_from_zero() {
        assert_eq!(Paise::new(10_000).checked_bps(250), Some(Paise::new(250)));
        assert_eq!(Paise::new(1).checked_bps(5_000), Some(Paise::new(1)));
        assert_eq!(Paise::new(-1).checked_bps(5_000), Some(Paise::new(-1)));
        assert_eq!(
            Paise::new(i64::MAX).checked_bps(10_000),
            Some(Paise::new(i64::MAX))
        );
        assert_eq!(Paise::new(i64::MAX).checked_bps(20_000), None);
    }
}
