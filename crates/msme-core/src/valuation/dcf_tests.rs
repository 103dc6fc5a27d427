use super::*;
use crate::valuation::test_support::{input, year, CRORE};

/// 15% discount rate, no capex or working capital, one projection year.
fn simple() -> ValuationAssumptions {
    ValuationAssumptions {
        size_premium: 0.012,
        capex_to_revenue: 0.0,
        working_capital_to_revenue: 0.0,
        projection_years: 1,
        ..Default::default()
    }
}

#[test]
fn default_discount_rate_is_the_documented_build_up() {
    // 6.5% + 1.0 × 7.3% + 5% = 18.8%.
    assert!((discount_rate(&ValuationAssumptions::default()) - 0.188).abs() < 1e-12);
}

#[test]
fn steady_growth_reduces_to_the_gordon_formula() {
    // Revenue ₹10 crore at a 20% EBITDA margin, growing 5% for ever, taxed at 25%:
    // FCF₁ = 10.5 × 0.2 × 0.75 = ₹1.575 crore; EV = 1.575 / (0.15 − 0.05) = ₹15.75 crore.
    let mut i = input(vec![year(2026, 10 * CRORE, 2 * CRORE)]);
    i.growth_rate = Some(0.05);
    let r = dcf(&i, &simple()).unwrap();
    // Less debt of ₹1 crore.
    assert_eq!(r.value, Paise::new(14_75_00_000_00));
    assert!(r.notes.iter().any(|n| n.contains("seller's stated growth")));
    assert!(r.inputs_used.contains(&"growth_rate".to_string()));
    // At 16%: 1.575 / 0.11 = ₹14.318 crore; at 14%: 1.575 / 0.09 = ₹17.5 crore.
    assert_eq!(r.low, Some(Paise::new(14_31_81_818_18 - CRORE)));
    assert_eq!(r.high, Some(Paise::new(17_50_00_000_00 - CRORE)));
}

#[test]
fn history_growth_fades_to_the_terminal_rate() {
    // FY24-26 revenue ₹8, 9, 10 crore; EBITDA ₹1.0, 1.2, 1.5 crore: margin 3.7 / 27 = 13.7%;
    // growth √(10/8) − 1 = 11.8% fading to 5% over 5 years; 18.8% discount rate; projected
    // with capex 3%, tax 25%, working capital 15% of added revenue: EV ₹62,17,12,547
    // (computed independently, year by year).
    let i = input(vec![
        year(2026, 10 * CRORE, 15 * CRORE / 10),
        year(2025, 9 * CRORE, 12 * CRORE / 10),
        year(2024, 8 * CRORE, CRORE),
    ]);
    let r = dcf(&i, &ValuationAssumptions::default()).unwrap();
    assert_eq!(r.value, Paise::new(6_217_125_447 - CRORE));
    assert!(r
        .notes
        .iter()
        .any(|n| n.contains("revenue CAGR FY2024-FY2026")));
    assert!(r.low.unwrap() < r.value && r.value < r.high.unwrap());
}

#[test]
fn growth_is_held_within_bounds_and_said() {
    let i = input(vec![
        year(2026, 10 * CRORE, 2 * CRORE),
        year(2025, CRORE, 0),
    ]);
    let r = dcf(&i, &ValuationAssumptions::default()).unwrap();
    assert!(
        r.notes.iter().any(|n| n.contains("held to 30% from 900%")),
        "{:?}",
        r.notes
    );
}

#[test]
fn refuses_when_discount_rate_does_not_exceed_terminal_growth() {
    let a = ValuationAssumptions {
        terminal_growth: 0.188,
        ..Default::default()
    };
    let i = input(vec![year(2026, 10 * CRORE, 2 * CRORE)]);
    let e = dcf(&i, &a).unwrap_err();
    assert!(
        matches!(&e, ValuationError::NotApplicable { reason, .. } if reason.contains("does not exceed"))
    );
}

#[test]
fn refuses_unusable_cash_flow_history() {
    let a = ValuationAssumptions::default();
    let cases = [
        input(vec![]),
        input(vec![
            year(2026, 10 * CRORE, -CRORE),
            year(2025, 10 * CRORE, CRORE / 2),
        ]),
        input(vec![year(2026, 10 * CRORE, CRORE / 50)]), // 2% margin < 3% capex
        input(vec![year(2026, 0, 0)]),
    ];
    for i in cases {
        assert!(matches!(
            dcf(&i, &a),
            Err(ValuationError::NotApplicable { .. })
        ));
    }
    let mut unknown = input(vec![year(2026, 10 * CRORE, 0)]);
    unknown.ebitda_known = false;
    assert!(matches!(
        dcf(&unknown, &a),
        Err(ValuationError::NotApplicable { .. })
    ));
}

#[test]
fn overflowing_inputs_are_refused() {
    let i = input(vec![year(2026, i64::MAX / 2, i64::MAX / 4)]);
    assert!(matches!(
        dcf(&i, &ValuationAssumptions::default()),
        Err(ValuationError::Overflow { .. })
    ));
}
