use super::*;
use crate::valuation::{valuate, ValuationAssumptions};

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 25).unwrap()
}

fn request() -> LegacyValuationRequest {
    LegacyValuationRequest {
        company_name: "Shree Ganesh Engineering Works".into(),
        business_type: "Private Limited".into(),
        industry: "Manufacturing".into(),
        location: "Pune, Maharashtra".into(),
        establishment_year: 2010,
        annual_revenue: 5_00_00_000,
        annual_profit: 40_00_000,
        total_assets: Some(3_00_00_000),
        current_assets: Some(1_20_00_000),
        current_liabilities: Some(60_00_000),
        total_debt: Some(80_00_000),
        employee_count: Some(35),
        growth_rate: Some(12.5),
        ebitda: Some(75_00_000),
    }
}

#[test]
fn rupees_become_paise_in_one_fiscal_year() {
    let i = request().to_input(today()).unwrap();
    assert_eq!(i.industry.id, "machinery");
    assert_eq!(
        (i.city.as_str(), i.state.map(|s| s.code)),
        ("Pune", Some("MH"))
    );
    assert_eq!(i.employees, 35);
    assert_eq!(i.growth_rate, Some(0.125));
    let y = &i.financials[0];
    // November 2026 is in FY 2026-27, so the last complete year ends in 2026.
    assert_eq!(y.fiscal_year, 2026);
    assert_eq!(y.revenue, Paise::new(5_00_00_000_00));
    assert_eq!(y.ebitda, Paise::new(75_00_000_00));
    assert_eq!(y.net_profit, Paise::new(40_00_000_00));
    assert_eq!(y.total_assets, Paise::new(3_00_00_000_00));
    // Current liabilities ₹60 lakh + debt ₹80 lakh.
    assert_eq!(y.total_liabilities, Paise::new(1_40_00_000_00));
    assert_eq!(y.debt, Paise::new(80_00_000_00));
    assert_eq!(i.current_assets, Some(Paise::new(1_20_00_000_00)));
    assert!(i.ebitda_known);
    assert!(!i.diligence.financials_verified);
}

#[test]
fn a_legacy_request_values_end_to_end() {
    let i = request().to_input(today()).unwrap();
    let b = valuate(&i, &ValuationAssumptions::default()).unwrap();
    assert_eq!(b.methods.len(), 4);
    assert!(b.value > Paise::ZERO);
}

#[test]
fn missing_ebitda_is_unknown_not_zero_profit() {
    let r = LegacyValuationRequest {
        ebitda: None,
        location: "Hosur".into(),
        ..request()
    };
    let i = r.to_input(today()).unwrap();
    assert!(!i.ebitda_known);
    assert_eq!(i.state, None);
}

#[test]
fn each_bad_field_is_named() {
    type Change = Box<dyn Fn(&mut LegacyValuationRequest)>;
    let cases: Vec<(Change, &str)> = vec![
        (Box::new(|r| r.industry = "Space mining".into()), "industry"),
        (
            Box::new(|r| r.location = "Pune, Atlantis".into()),
            "location",
        ),
        (Box::new(|r| r.location = " ".into()), "location"),
        (
            Box::new(|r| r.establishment_year = 2031),
            "establishment_year",
        ),
        (Box::new(|r| r.annual_revenue = -1), "annual_revenue"),
        (
            Box::new(|r| r.annual_revenue = i64::MAX / 50),
            "annual_revenue",
        ),
        (
            Box::new(|r| r.annual_profit = i64::MIN / 10),
            "annual_profit",
        ),
        (Box::new(|r| r.annual_profit = 6_00_00_000), "annual_profit"),
        (Box::new(|r| r.ebitda = Some(6_00_00_000)), "ebitda"),
        (Box::new(|r| r.total_assets = Some(-5)), "total_assets"),
        (Box::new(|r| r.total_debt = Some(i64::MAX)), "total_debt"),
        (Box::new(|r| r.employee_count = Some(-3)), "employee_count"),
        (Box::new(|r| r.growth_rate = Some(f64::NAN)), "growth_rate"),
    ];
    for (change, field) in cases {
        let mut r = request();
        change(&mut r);
        assert_eq!(r.to_input(today()).unwrap_err().field, field);
    }
}
