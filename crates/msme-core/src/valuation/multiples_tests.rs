use super::*;
use crate::listing::{industry, INDUSTRIES};
use crate::valuation::test_support::{input, year, CRORE};

fn no_discounts() -> ValuationAssumptions {
    ValuationAssumptions {
        illiquidity_discount: 0.0,
        size_discounts: [0.0; 6],
        ..Default::default()
    }
}

#[test]
fn the_shipped_table_parses_whole() {
    assert_eq!(rows().len(), CSV.lines().count() - 1);
    for i in INDUSTRIES {
        assert!(ev_ebitda(i, 5).is_some(), "{}", i.id);
    }
}

#[test]
fn issue_figures_come_from_the_table() {
    let m = |id| ev_ebitda(industry(id).unwrap(), 5).unwrap().ev_ebitda;
    assert_eq!(m("machinery"), 26.85);
    assert_eq!(m("it_services"), 17.73);
    assert_eq!(m("steel_metals"), 13.14);
    assert_eq!(m("plastics_packaging"), 9.89);
}

#[test]
fn machinery_with_one_crore_ebitda_uses_26_85x_before_discounts() {
    // Revenue ₹8 crore, EBITDA ₹1 crore, debt ₹0.8 crore.
    let i = input(vec![year(2026, 8 * CRORE, CRORE)]);
    let r = market_multiples(&i, &no_discounts()).unwrap();
    assert_eq!(r.method, MARKET_MULTIPLES);
    // 1,00,00,000.00 × 26.85 = ₹26.85 crore; less ₹0.8 crore debt.
    assert_eq!(r.value, Paise::new(26_85_00_000_00 - 80_00_000_00));
    assert!(
        r.notes[0].contains("Machinery EV/EBITDA 26.85×"),
        "{:?}",
        r.notes
    );
}

#[test]
fn default_discounts_for_a_five_to_25_crore_business() {
    let i = input(vec![year(2026, 8 * CRORE, CRORE)]);
    let r = market_multiples(&i, &ValuationAssumptions::default()).unwrap();
    // 26.85 × (1 − 0.25 illiquidity) × (1 − 0.25 size) = 15.103125×: EV ₹15,10,31,250.
    assert_eq!(r.value, Paise::new(15_10_31_250_00 - 80_00_000_00));
    assert!(r
        .notes
        .iter()
        .any(|n| n.contains("illiquidity 25%, size 25%")));
    assert!(r.notes.iter().any(|n| n.contains("cross-check on revenue")));
}

#[test]
fn cash_is_added_when_known() {
    let mut i = input(vec![year(2026, 8 * CRORE, CRORE)]);
    i.cash = Some(Paise::new(10_00_000_00));
    let r = market_multiples(&i, &no_discounts()).unwrap();
    assert_eq!(
        r.value,
        Paise::new(26_85_00_000_00 - 80_00_000_00 + 10_00_000_00)
    );
    assert!(r.inputs_used.contains(&"cash".to_string()));
}

#[test]
fn negative_ebitda_values_revenue_with_derived_ev_sales() {
    let i = input(vec![year(2026, 8 * CRORE, -CRORE / 2)]);
    let r = market_multiples(&i, &no_discounts()).unwrap();
    assert_eq!(r.method, REVENUE_MULTIPLE);
    // EV/Sales = 26.85 × 13% machinery margin = 3.4905×; ₹8 crore × 3.4905 = ₹27.924 crore.
    assert_eq!(r.value, Paise::new(27_92_40_000_00 - 80_00_000_00));
    assert!(r.notes.iter().any(|n| n.contains("not positive")));
}

#[test]
fn missing_ebitda_is_said_to_be_missing() {
    let mut i = input(vec![year(2026, 8 * CRORE, 0)]);
    i.ebitda_known = false;
    let r = market_multiples(&i, &no_discounts()).unwrap();
    assert_eq!(r.method, REVENUE_MULTIPLE);
    assert!(r.notes.iter().any(|n| n.contains("not given")));
}

#[test]
fn thin_or_meaningless_rows_fall_back_to_the_total_market() {
    static THIN: Industry = Industry {
        id: "building_supply_retail",
        label: "Building supply retail",
        nic_section: 'G',
        damodaran: "Retail (Building Supply)",
    };
    static BANK: Industry = Industry {
        id: "bank",
        label: "Banking",
        nic_section: 'K',
        damodaran: "Bank (Money Center)",
    };
    for ind in [&THIN, &BANK] {
        let p = ev_ebitda(ind, 5).unwrap();
        assert_eq!((p.row, p.ev_ebitda), (TOTAL_MARKET, 17.56));
        assert!(p.fallback.is_some());
    }
    let mut i = input(vec![year(2026, 8 * CRORE, CRORE)]);
    i.industry = &THIN;
    let r = market_multiples(&i, &no_discounts()).unwrap();
    assert_eq!(r.value, Paise::new(17_56_00_000_00 - 80_00_000_00));
    assert!(r.notes[1].contains("only 3 firms"), "{:?}", r.notes);
}

#[test]
fn no_financials_or_no_revenue_do_not_apply() {
    let none = market_multiples(&input(vec![]), &ValuationAssumptions::default());
    assert!(matches!(none, Err(ValuationError::NotApplicable { .. })));
    let zero = market_multiples(&input(vec![year(2026, 0, 0)]), &Default::default());
    assert!(matches!(zero, Err(ValuationError::NotApplicable { .. })));
}

#[test]
fn overflowing_inputs_are_refused_not_wrapped() {
    let i = input(vec![year(2026, i64::MAX / 2, i64::MAX / 2)]);
    assert!(matches!(
        market_multiples(&i, &no_discounts()),
        Err(ValuationError::Overflow { .. })
    ));
}
