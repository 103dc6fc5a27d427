//! The report of a real engine answer: a PDF whose text holds the figures, whose long tables
//! break across pages, and which shows a method it has never heard of.

use chrono::{NaiveDate, TimeZone, Utc};
use msme_core::listing::FinancialsInput;
use msme_core::types::{ListingId, ValuationId};
use msme_core::valuation::{
    risk_assessment, valuate, Comparable, MethodLine, RawFinancials, Valuation,
    ValuationAssumptions, ValuationReport, ValuationRequest,
};

use crate::text::shown_text;
use crate::{rupees, valuation_pdf};

fn year(fy: i32, revenue: i64) -> FinancialsInput {
    FinancialsInput {
        fiscal_year: fy,
        revenue_paise: revenue,
        ebitda_paise: revenue * 15 / 100,
        net_profit_paise: revenue * 8 / 100,
        total_assets_paise: revenue / 2,
        total_liabilities_paise: revenue / 5,
        debt_paise: revenue / 10,
    }
}

pub(crate) fn valuation() -> Valuation {
    let request = ValuationRequest::Financials(RawFinancials {
        company_name: Some("Rao Precision Engineering".into()),
        industry: "machinery".into(),
        city: "Pune".into(),
        state: "Maharashtra".into(),
        year_established: 2008,
        employees: 42,
        financials: vec![year(2026, 8_00_00_000_00), year(2025, 9_00_00_000_00)],
        growth_rate: None,
        top_customer_share: Some(60.0),
    });
    let date = NaiveDate::from_ymd_opt(2026, 11, 25).unwrap();
    let (subject, input) = request.to_input(date).unwrap();
    let a = ValuationAssumptions::default();
    let blend = valuate(&input, &a).unwrap();
    let report = ValuationReport::new(
        subject,
        &input,
        &blend,
        &risk_assessment(&input),
        vec![],
        &a,
    );
    Valuation {
        id: ValuationId::generate(),
        listing_id: Some(ListingId::generate()),
        requested_by: None,
        created_at: Utc.with_ymd_and_hms(2026, 11, 25, 10, 0, 0).unwrap(),
        report,
    }
}

fn pages(pdf: &[u8]) -> usize {
    let text = String::from_utf8_lossy(pdf);
    text.matches("/Type /Page").count() - text.matches("/Type /Pages").count()
}

#[test]
fn the_pdf_holds_every_figure_of_the_valuation() {
    let mut v = valuation();
    let peer = ListingId::generate().to_string();
    v.report.comparables = vec![Comparable {
        listing_id: peer.clone(),
        headline: "Machinery and engineering business in Gujarat".into(),
        industry: "machinery".into(),
        state: "GJ".into(),
        status: "sold".into(),
        revenue_band: Some("5_to_25_crore".into()),
        asking_price_paise: 12_34_56_789_00,
        asking_to_revenue: Some(1.54),
        asking_to_ebitda: Some(10.29),
        distance: 0.5,
    }];
    let pdf = valuation_pdf(&v);
    assert!(pdf.starts_with(b"%PDF-"));
    assert!(pdf.trim_ascii_end().ends_with(b"%%EOF"));
    let text = shown_text(&pdf);
    let r = &v.report;
    let mut want = vec![
        "Valuation report".to_string(),
        "Rao Precision Engineering".into(),
        rupees(r.value_paise),
        format!("{} to {}", rupees(r.low_paise), rupees(r.high_paise)),
        format!("{} / 100", r.confidence),
        "Discounted cash flow".into(),
        "Net asset value".into(),
        "Customer concentration".into(),
        "Damodaran".into(),
        "January 2026".into(),
        "Risk-free rate (India 10-year government bond)".into(),
        v.id.to_string(),
        peer,
        "Rs 12,34,56,789".into(),
        "1.54x".into(),
        "10.29x".into(),
    ];
    for m in &r.methods {
        want.push(rupees(m.value_paise));
    }
    for w in &want {
        assert!(text.contains(w.as_str()), "{w} in:\n{text}");
    }
    assert!(
        !text.contains('\u{20b9}'),
        "no rupee sign: WinAnsi has none"
    );
}

#[test]
fn a_method_added_later_is_shown_and_long_tables_break_pages() {
    let mut v = valuation();
    let short = pages(&valuation_pdf(&v));
    let mut model = v.report.methods[0].clone();
    model = MethodLine {
        method: "gradient_boosting".into(),
        value_paise: 7_77_77_777_00,
        notes: (0..80)
            .map(|i| format!("feature {i} raised the estimate"))
            .collect(),
        ..model
    };
    v.report.methods.push(model);
    let pdf = valuation_pdf(&v);
    let text = shown_text(&pdf);
    assert!(text.contains("Gradient boosting"), "{text}");
    assert!(text.contains("Rs 7,77,77,777"));
    assert!(text.contains("feature 79 raised the estimate"));
    assert!(pages(&pdf) > short, "{} pages, {short} before", pages(&pdf));
    let header_rows = text
        .matches("Why this weight, and the method's assumptions")
        .count();
    assert!(
        header_rows >= 2,
        "the header repeats after a break: {header_rows}"
    );
}

#[test]
fn a_withheld_report_says_so_and_shows_no_confidential_field() {
    let mut v = valuation();
    v.report
        .withhold_confidential("Machinery business in Maharashtra".into());
    let text = shown_text(&valuation_pdf(&v));
    for secret in [
        "Rao Precision",
        "Pune",
        "2008",
        "FY2026",
        &rupees(8_00_00_000_00),
    ] {
        assert!(!text.contains(secret), "{secret} withheld:\n{text}");
    }
    assert!(text.contains("Machinery business in Maharashtra"));
    assert!(text.contains("withheld"));
    assert!(text.contains(&rupees(v.report.value_paise)));
}

#[tokio::test]
async fn rendering_runs_off_the_async_threads() {
    let v = valuation();
    let pdf = crate::render(v.clone()).await.unwrap();
    assert_eq!(pdf, valuation_pdf(&v), "same bytes, deterministic");
}

#[test]
fn the_models_estimate_and_its_explanation_are_shown() {
    use msme_core::model::FeatureEffect;
    use msme_core::valuation::ModelSummary;
    let mut v = valuation();
    let plain = shown_text(&valuation_pdf(&v));
    assert!(!plain.contains("Trained model"), "no model, no section");
    v.report.model = Some(ModelSummary {
        version_id: "0193a0c4-0000-7000-8000-00000000abcd".into(),
        kind: "ensemble".into(),
        value_paise: 6_50_00_000_00,
        low_paise: 4_10_00_000_00,
        high_paise: 9_90_00_000_00,
        coverage: 0.8,
        test_mape: 0.3328,
        test_median_ape: 0.244,
        explanation_method: "path_contributions".into(),
        top_features: vec![
            FeatureEffect {
                feature: "ln_revenue".into(),
                value: Some(18.2),
                effect_pct: 12.5,
            },
            FeatureEffect {
                feature: "debt_to_assets".into(),
                value: Some(0.61),
                effect_pct: -7.3,
            },
        ],
    });
    let text = shown_text(&valuation_pdf(&v));
    for want in [
        "Trained model",
        "0193a0c4-0000-7000-8000-00000000abcd",
        "Rs 6,50,00,000",
        "Range: Rs 4,10,00,000 to Rs 9,90,00,000",
        "Coverage 80%",
        "33.28%",
        "Ln revenue",
        "18.200",
        "raised it by 12.5%",
        "Debt to assets",
        "lowered it by 7.3%",
    ] {
        assert!(text.contains(want), "{want} in:\n{text}");
    }
    v.report
        .withhold_confidential("Machinery business in Maharashtra".into());
    let text = shown_text(&valuation_pdf(&v));
    assert!(!text.contains("18.200"), "feature values withheld");
    assert!(text.contains("raised it by 12.5%"));
}
