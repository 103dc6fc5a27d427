//! The one place where a float factor meets money: paise × factor, rounded once, bounds-checked.

/// Largest amount the demo ever produces: ₹10 lakh crore, far inside `i64` so sums of a few
/// amounts cannot overflow either (they are still added with checked arithmetic).
pub(super) const MAX_PAISE: i64 = 1_000_000_000_000_000;

/// `paise × factor`, rounded half away from zero; `None` if the factor is not finite or the
/// result leaves `±MAX_PAISE`.
pub(super) fn scale(paise: i64, factor: f64) -> Option<i64> {
    let x = (paise as f64 * factor).round();
    if x.is_finite() && x.abs() <= MAX_PAISE as f64 {
        Some(x as i64)
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scaling_rounds_and_refuses_out_of_range() {
        assert_eq!(scale(1_000, 0.1234), Some(123));
        assert_eq!(scale(3, 0.5), Some(2));
        assert_eq!(scale(-3, 0.5), Some(-2));
        assert_eq!(scale(MAX_PAISE, 1.0), Some(MAX_PAISE));
        assert_eq!(scale(MAX_PAISE, 1.01), None);
        assert_eq!(scale(1, f64::NAN), None);
        assert_eq!(scale(1, f64::INFINITY), None);
    }
}
