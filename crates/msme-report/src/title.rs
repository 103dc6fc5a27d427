//! The title page: what was valued (as the reader may see it) and the answer in brief.

use msme_core::listing::{industry, state};
use msme_core::valuation::{InputSummary, Valuation, ValuationReport};

use crate::doc::{Column, Doc, ACCENT, BAND, BODY, INK, MARGIN, MUTED, WIDTH};
use crate::font::Face;
use crate::format::{percent, readable, rupees};

/// The first page: what was valued, the answer in brief, and how to read the rest.
pub fn title_page(doc: &mut Doc, v: &Valuation) {
    let r = &v.report;
    doc.y -= 30.0;
    doc.text(MARGIN, Face::Bold, 24.0, ACCENT, "Valuation report");
    doc.y -= 28.0;
    let subject = r
        .input
        .subject
        .as_deref()
        .unwrap_or("Business valued from figures given");
    doc.paragraph(MARGIN, WIDTH, Face::Bold, 15.0, INK, subject);
    doc.paragraph(
        MARGIN,
        WIDTH,
        Face::Regular,
        10.0,
        MUTED,
        &describe(&r.input),
    );
    doc.y -= 10.0;
    let mut facts = vec![
        ("Valuation", v.id.to_string()),
        ("Valued on", r.input.valuation_date.clone()),
        (
            "Created",
            v.created_at.format("%Y-%m-%d %H:%M UTC").to_string(),
        ),
    ];
    if let Some(l) = &v.listing_id {
        facts.insert(1, ("Listing", l.to_string()));
    }
    for (k, val) in facts {
        doc.y -= 13.0;
        doc.text(MARGIN, Face::Bold, BODY, INK, k);
        doc.text(MARGIN + 90.0, Face::Regular, BODY, INK, &val);
    }
    headline_box(doc, r);
    latest_figures(doc, &r.input);
    if !r.notes.is_empty() {
        doc.heading("How the range was made", 30.0);
        for n in &r.notes {
            doc.body(n);
        }
    }
}

fn describe(i: &InputSummary) -> String {
    let industry = industry(&i.industry).map_or_else(|_| readable(&i.industry), |x| x.label.into());
    let state = i
        .state
        .as_deref()
        .map(|s| state(s).map_or_else(|_| s.to_string(), |x| x.name.to_string()));
    let mut parts = vec![industry];
    if i.withheld {
        parts.extend(state);
        if let Some(band) = &i.revenue_band {
            parts.push(format!("revenue {}", readable(band).to_lowercase()));
        }
        return parts.join("  |  ");
    }
    let place = [Some(i.city.clone()), state].into_iter().flatten();
    parts.push(
        place
            .filter(|p| !p.is_empty())
            .collect::<Vec<_>>()
            .join(", "),
    );
    parts.push(format!("established {}", i.year_established));
    parts.push(format!("{} employees", i.employees));
    parts.join("  |  ")
}

fn headline_box(doc: &mut Doc, r: &ValuationReport) {
    doc.ensure(130.0);
    doc.y -= 24.0;
    let top = doc.y;
    doc.fill_rect(MARGIN, top - 104.0, WIDTH, 104.0, BAND);
    doc.y = top - 30.0;
    doc.text(MARGIN + 14.0, Face::Regular, 10.0, MUTED, "Value");
    doc.text(
        MARGIN + 110.0,
        Face::Bold,
        20.0,
        INK,
        &rupees(r.value_paise),
    );
    let coverage = r.coverage.map_or_else(
        || "not calibrated: the spread of the methods' values".to_string(),
        |c| format!("{} (calibrated on held-out data)", percent(c)),
    );
    let lines = [
        (
            "Range",
            format!("{} to {}", rupees(r.low_paise), rupees(r.high_paise)),
        ),
        ("Coverage", coverage),
        ("Confidence", format!("{} / 100", r.confidence)),
        (
            "Risk score",
            format!("{} / 100 (higher is riskier)", r.risks.score),
        ),
    ];
    for (k, val) in lines {
        doc.y -= 16.0;
        doc.text(MARGIN + 14.0, Face::Regular, 10.0, MUTED, k);
        doc.text(MARGIN + 110.0, Face::Regular, 10.5, INK, &val);
    }
    doc.y = top - 104.0;
}

fn latest_figures(doc: &mut Doc, i: &InputSummary) {
    doc.heading("Figures valued", 40.0);
    if i.withheld {
        doc.body(
            "You now see this listing as a teaser, so its name, city, years, figures and the \
             methods' workings are withheld from this report. The values below are those the \
             engine computed when the valuation was made.",
        );
        return;
    }
    let year = i
        .fiscal_years
        .first()
        .map_or("-".into(), |y| format!("FY{y}"));
    let money = |p: Option<i64>| p.map_or_else(|| "not given".to_string(), rupees);
    let rows = vec![
        vec!["Latest fiscal year".into(), year],
        vec!["Revenue".into(), money(i.latest_revenue_paise)],
        vec!["EBITDA".into(), money(i.latest_ebitda_paise)],
        vec!["Net profit".into(), money(i.latest_net_profit_paise)],
        vec![
            "Years of financials".into(),
            i.fiscal_years.len().to_string(),
        ],
        vec![
            "Asset inventory".into(),
            if i.has_asset_inventory {
                "itemised"
            } else {
                "none"
            }
            .into(),
        ],
    ];
    let cols = [Column::left("Item", 200.0), Column::right("Value", 160.0)];
    doc.table(&cols, &rows);
}
