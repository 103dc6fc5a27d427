use super::*;
use crate::valuation::test_support::{input, year, CRORE};
use crate::valuation::{valuate, ValuationAssumptions};

fn result(method: &'static str, value: i64) -> MethodOutcome {
    Ok(MethodResult {
        method,
        value: Paise::new(value),
        low: None,
        high: None,
        notes: vec![],
        inputs_used: vec![],
    })
}

fn three_good_years() -> ValuationInput {
    input(vec![
        year(2026, 10 * CRORE, 15 * CRORE / 10),
        year(2025, 9 * CRORE, 12 * CRORE / 10),
        year(2024, 8 * CRORE, CRORE),
    ])
}

fn weights(b: &Blend) -> Vec<(&'static str, u32)> {
    b.methods
        .iter()
        .map(|m| (m.result.method, m.weight_bps))
        .collect()
}

#[test]
fn steady_earnings_weigh_multiples_and_dcf_most() {
    let outcomes = [
        result(MARKET_MULTIPLES, 1000),
        result(DCF, 2000),
        result(NET_ASSET_VALUE, 400),
        result(RULE_OF_THUMB, 600),
    ];
    let b = blend(&outcomes, &three_good_years(), None).unwrap();
    // Points 30, 30, 10, 10 of 80.
    let expected = [
        (MARKET_MULTIPLES, 3750),
        (DCF, 3750),
        (NET_ASSET_VALUE, 1250),
        (RULE_OF_THUMB, 1250),
    ];
    assert_eq!(weights(&b), expected);
    // (1000 × 3750 + 2000 × 3750 + 400 × 1250 + 600 × 1250) / 10 000 = 1250.
    assert_eq!(b.value, Paise::new(1250));
    // Weighted variance 377 500, σ = 614.41: 1250 ∓ 614.41.
    assert_eq!((b.low, b.high), (Paise::new(636), Paise::new(1864)));
    assert_eq!(b.coverage, None);
    assert!(b.methods[0].reason.contains("3 consecutive years"));
}

#[test]
fn losses_weigh_net_assets_most_and_weights_add_up_exactly() {
    let i = input(vec![year(2026, 8 * CRORE, -CRORE)]);
    let outcomes = [
        result(REVENUE_MULTIPLE, 900),
        Err(ValuationError::not_applicable(DCF, "no cash flow")),
        result(NET_ASSET_VALUE, 300),
        result(RULE_OF_THUMB, 600),
    ];
    let b = blend(&outcomes, &i, None).unwrap();
    // Points 15, 35, 10 of 60: 2500, 5833.3, 1666.7; the spare point goes to the largest
    // remainder.
    let expected = [
        (REVENUE_MULTIPLE, 2500),
        (NET_ASSET_VALUE, 5833),
        (RULE_OF_THUMB, 1667),
    ];
    assert_eq!(weights(&b), expected);
    assert_eq!(b.skipped[0].method, DCF);
    assert!(b.methods[1].reason.contains("not positive or not given"));
}

#[test]
fn weights_always_sum_to_one() {
    for points in [
        vec![1, 1, 1],
        vec![7, 7, 7, 7, 7, 7, 7],
        vec![30, 15, 35, 10, 40],
        vec![22, 7, 10],
        vec![3],
    ] {
        let bps = to_bps(&points);
        assert_eq!(bps.iter().sum::<u32>(), 10_000, "{points:?}");
    }
    let b = valuate(&three_good_years(), &ValuationAssumptions::default()).unwrap();
    let sum: f64 = b.methods.iter().map(WeightedMethod::weight).sum();
    assert!((sum - 1.0).abs() < 1e-12);
}

#[test]
fn unverified_financials_cut_earnings_weights_and_say_so() {
    let mut i = three_good_years();
    i.diligence.financials_verified = false;
    let outcomes = [result(MARKET_MULTIPLES, 1000), result(NET_ASSET_VALUE, 400)];
    let b = blend(&outcomes, &i, None).unwrap();
    // Points 30 × 3/4 = 22 and 10, of 32.
    assert_eq!(
        weights(&b),
        [(MARKET_MULTIPLES, 6875), (NET_ASSET_VALUE, 3125)]
    );
    assert!(b.methods[0].reason.contains("financials unverified"));
}

#[test]
fn a_model_estimate_brings_its_own_range_and_coverage() {
    let model = ModelEstimate {
        version: "gbt-3".into(),
        value: Paise::new(1200),
        low: Paise::new(900),
        high: Paise::new(1500),
        coverage: 0.8,
        notes: vec!["gbt model".into()],
    };
    let outcomes = [result(MARKET_MULTIPLES, 1000), result(DCF, 2000)];
    let b = blend(&outcomes, &three_good_years(), Some(&model)).unwrap();
    // Points 30, 30, 40: (1000 × 3000 + 2000 × 3000 + 1200 × 4000) / 10 000 = 1380.
    assert_eq!(b.value, Paise::new(1380));
    assert_eq!(
        (b.low, b.high, b.coverage),
        (Paise::new(900), Paise::new(1500), Some(0.8))
    );
    assert_eq!(b.methods[2].result.method, MODEL);
}

#[test]
fn nothing_applicable_or_an_overflow_is_an_error() {
    let i = three_good_years();
    let none = [Err(ValuationError::not_applicable(DCF, "x"))];
    assert_eq!(blend(&none, &i, None), Err(ValuationError::NothingToBlend));
    let overflow = [
        result(NET_ASSET_VALUE, 1),
        Err(ValuationError::Overflow {
            method: DCF,
            what: "EV",
        }),
    ];
    assert!(matches!(
        blend(&overflow, &i, None),
        Err(ValuationError::Overflow { .. })
    ));
    let huge = [result(MARKET_MULTIPLES, i64::MAX), result(DCF, i64::MAX)];
    // The weighted mean fits in i64 (it is summed in i128), but the range above it does not.
    assert_eq!(
        blend(&huge, &i, None),
        Err(ValuationError::Overflow {
            method: "blend",
            what: "high end"
        })
    );
}

#[test]
fn negative_equity_blends_to_zero_with_a_note() {
    let i = input(vec![year(2026, 8 * CRORE, -CRORE)]);
    let b = blend(&[result(NET_ASSET_VALUE, -500)], &i, None).unwrap();
    assert_eq!((b.value, b.low), (Paise::ZERO, Paise::ZERO));
    assert!(b.notes[0].contains("liabilities exceed"));
}

#[test]
fn a_full_valuation_runs_every_method() {
    let mut i = three_good_years();
    i.growth_rate = Some(0.1);
    let b = valuate(&i, &ValuationAssumptions::default()).unwrap();
    let names: Vec<_> = b.methods.iter().map(|m| m.result.method).collect();
    assert_eq!(
        names,
        [MARKET_MULTIPLES, DCF, NET_ASSET_VALUE, RULE_OF_THUMB]
    );
    let values: Vec<_> = b.methods.iter().map(|m| m.result.value).collect();
    let (lo, hi) = (values.iter().min().unwrap(), values.iter().max().unwrap());
    assert!(*lo <= b.value && b.value <= *hi);
    assert!(b.low < b.value && b.value < b.high);
}
