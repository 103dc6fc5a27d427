use super::*;
use crate::money::Paise;
use crate::valuation::test_support::{input, year, CRORE};

fn codes(r: &RiskReport) -> Vec<&'static str> {
    r.flags.iter().map(|f| f.code).collect()
}

#[test]
fn a_steady_verified_business_raises_nothing() {
    let i = input(vec![
        year(2026, 10 * CRORE, 15 * CRORE / 10),
        year(2025, 9 * CRORE, 14 * CRORE / 10),
        year(2024, 8 * CRORE, 12 * CRORE / 10),
    ]);
    let r = risk_assessment(&i);
    assert_eq!(
        r,
        RiskReport {
            score: 0,
            flags: vec![]
        }
    );
}

#[test]
fn falling_revenue_thin_margin_and_short_history() {
    // Revenue down 25%, 2% EBITDA margin, two years.
    let i = input(vec![
        year(2026, 6 * CRORE, 12 * CRORE / 100),
        year(2025, 8 * CRORE, CRORE),
    ]);
    let r = risk_assessment(&i);
    assert_eq!(
        codes(&r),
        ["falling_revenue", "thin_margin", "short_history"]
    );
    assert_eq!(r.flags[0].severity, Severity::High);
    assert!(
        r.flags[0].reason.contains("fell 25%"),
        "{}",
        r.flags[0].reason
    );
    assert_eq!(r.score, 20 + 10 + 10);
}

#[test]
fn losses_volatility_and_debt() {
    let mut i = input(vec![
        year(2026, 10 * CRORE, -CRORE),
        year(2025, 10 * CRORE, 2 * CRORE),
        year(2024, 10 * CRORE, CRORE / 2),
    ]);
    i.financials[0].debt = Paise::new(4 * CRORE); // assets ₹5 crore: 0.8
    let r = risk_assessment(&i);
    assert_eq!(codes(&r), ["loss_making", "volatile_margins", "high_debt"]);
    assert!(r.flags[2].reason.contains("0.80"));
}

#[test]
fn diligence_age_and_concentration() {
    let mut i = input(vec![]);
    i.year_established = 2025;
    i.diligence.financials_verified = false;
    i.diligence.documents_complete = false;
    i.diligence.top_customer_share = Some(0.6);
    let r = risk_assessment(&i);
    assert_eq!(
        codes(&r),
        [
            "no_financials",
            "young_business",
            "unverified_financials",
            "missing_documents",
            "customer_concentration"
        ]
    );
    // 20 + 10 + 20 + 10 + 20.
    assert_eq!(r.score, 80);
    i.diligence.top_customer_share = Some(0.3);
    assert_eq!(risk_assessment(&i).flags[4].severity, Severity::Medium);
}

#[test]
fn the_score_is_capped_at_100() {
    let mut i = input(vec![
        year(2026, 6 * CRORE, -CRORE),
        year(2025, 8 * CRORE, CRORE),
    ]);
    i.financials[0].debt = Paise::new(6 * CRORE);
    i.year_established = 2025;
    i.diligence.financials_verified = false;
    i.diligence.documents_complete = false;
    i.diligence.top_customer_share = Some(0.9);
    assert_eq!(risk_assessment(&i).score, 100);
}
