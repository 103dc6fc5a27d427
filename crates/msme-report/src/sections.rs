//! The report's sections, each from the kept valuation alone.

use msme_core::valuation::ValuationReport;

use crate::doc::{Column, Doc, BODY, INK, MARGIN, WIDTH};
use crate::font::Face;
use crate::format::{assumption, method_label, percent, readable, rupees};

/// Every method with its value, weight and notes; then those that gave no number.
pub fn methods(doc: &mut Doc, r: &ValuationReport) {
    doc.heading("Methods", 60.0);
    let cols = [
        Column::left("Method", 105.0),
        Column::right("Value", 80.0),
        Column::right("Weight", 45.0),
        Column::left(
            "Why this weight, and the method's assumptions",
            WIDTH - 230.0,
        ),
    ];
    let rows: Vec<Vec<String>> = r
        .methods
        .iter()
        .map(|m| {
            let mut value = rupees(m.value_paise);
            if let (Some(l), Some(h)) = (m.low_paise, m.high_paise) {
                value = format!("{value}\n({} to\n{})", rupees(l), rupees(h));
            }
            let notes = std::iter::once(m.reason.clone())
                .chain(m.notes.iter().map(|n| format!("- {n}")))
                .collect::<Vec<_>>()
                .join("\n");
            let weight = f64::from(m.weight_bps) / 10_000.0;
            vec![method_label(&m.method), value, percent(weight), notes]
        })
        .collect();
    doc.table(&cols, &rows);
    if !r.skipped.is_empty() {
        doc.y -= 8.0;
        doc.paragraph(
            MARGIN,
            WIDTH,
            Face::Bold,
            BODY,
            INK,
            "Methods that gave no number",
        );
        for s in &r.skipped {
            let line = format!("{}: {}", method_label(&s.method), s.reason);
            doc.paragraph(MARGIN + 8.0, WIDTH - 8.0, Face::Regular, BODY, INK, &line);
        }
    }
}

/// The risk score and every flag with its reason.
pub fn risks(doc: &mut Doc, r: &ValuationReport) {
    doc.heading("Risks", 50.0);
    let summary = format!(
        "Risk score {} / 100: the sum of the flags' points (high 20, medium 10, low 5), at most 100.",
        r.risks.score
    );
    doc.body(&summary);
    if r.risks.flags.is_empty() {
        doc.body("No risk was flagged.");
        return;
    }
    doc.y -= 6.0;
    let cols = [
        Column::left("Severity", 60.0),
        Column::left("Flag", 120.0),
        Column::left("Reason", WIDTH - 180.0),
    ];
    let rows: Vec<Vec<String>> = r
        .risks
        .flags
        .iter()
        .map(|f| vec![f.severity.clone(), readable(&f.code), f.reason.clone()])
        .collect();
    doc.table(&cols, &rows);
}

/// The nearest published or sold listings with their multiples.
pub fn comparables(doc: &mut Doc, r: &ValuationReport) {
    doc.heading("Comparables", 50.0);
    if r.comparables.is_empty() {
        doc.body("No published or sold listing was near enough to compare.");
        return;
    }
    doc.body(
        "The published or sold listings nearest by industry, state and size, as their teasers \
         show them. P/Rev and P/EBITDA: asking price over the latest revenue and EBITDA; \
         distance: 1 for another industry, 0.5 for another state, plus the size gap in orders of \
         magnitude of revenue.",
    );
    doc.y -= 6.0;
    let cols = [
        Column::left("Listing", 175.0),
        Column::left("Status", 50.0),
        Column::left("Revenue band", 60.0),
        Column::right("Asking price", 72.0),
        Column::right("P/Rev", 40.0),
        Column::right("P/EBITDA", 48.0),
        Column::right("Distance", WIDTH - 445.0),
    ];
    let ratio = |x: Option<f64>| x.map_or_else(|| "-".to_string(), |x| format!("{x:.2}x"));
    let rows: Vec<Vec<String>> = r
        .comparables
        .iter()
        .map(|c| {
            vec![
                format!("{}\n{}", c.headline, c.listing_id),
                readable(&c.status),
                c.revenue_band
                    .as_deref()
                    .map_or_else(|| "-".into(), |b| readable(b).to_lowercase()),
                rupees(c.asking_price_paise),
                ratio(c.asking_to_revenue),
                ratio(c.asking_to_ebitda),
                format!("{:.2}", c.distance),
            ]
        })
        .collect();
    doc.table(&cols, &rows);
}

/// Sources and every rate the methods assumed.
pub fn assumptions(doc: &mut Doc, r: &ValuationReport) {
    doc.heading("Assumptions", 60.0);
    let sources = if r.sources.is_empty() {
        vec![
            "Market multiples: the source is quoted in the market multiples method's notes."
                .to_string(),
        ]
    } else {
        r.sources
            .iter()
            .map(|s| format!("Market multiples: {s}."))
            .collect()
    };
    for s in sources {
        doc.body(&s);
    }
    let a = &r.assumptions;
    if let (Some(rf), Some(erp), Some(beta), Some(size)) = (
        a.get("risk_free_rate"),
        a.get("equity_risk_premium"),
        a.get("beta"),
        a.get("size_premium"),
    ) {
        let line = format!(
            "DCF discount rate {} = risk-free {} + beta {beta:.2} x equity risk premium {} + size premium {}.",
            percent(rf + beta * erp + size),
            percent(*rf),
            percent(*erp),
            percent(*size)
        );
        doc.body(&line);
    }
    doc.y -= 6.0;
    let cols = [
        Column::left("Assumption", 340.0),
        Column::right("Value", 80.0),
    ];
    let rows: Vec<Vec<String>> = a
        .iter()
        .map(|(k, v)| {
            let (label, shown) = assumption(k, *v);
            vec![label, shown]
        })
        .collect();
    doc.table(&cols, &rows);
}
