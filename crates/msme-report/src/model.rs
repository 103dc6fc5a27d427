//! The trained model's section: its estimate, calibrated range and test errors, and the
//! features that raised or lowered this estimate most.

use msme_core::valuation::{ModelSummary, ValuationReport};

use crate::doc::{Column, Doc, WIDTH};
use crate::format::{percent, readable, rupees};

/// Nothing when no model was active for this valuation.
pub fn model_section(doc: &mut Doc, r: &ValuationReport) {
    let Some(m) = &r.model else {
        return;
    };
    doc.heading("Trained model", 90.0);
    for line in summary(m) {
        doc.body(&line);
    }
    if m.top_features.is_empty() {
        return;
    }
    doc.y -= 6.0;
    let cols = [
        Column::left("Feature", 180.0),
        Column::right("Value", 90.0),
        Column::left("Effect on the estimate", WIDTH - 270.0),
    ];
    let rows: Vec<Vec<String>> = m
        .top_features
        .iter()
        .map(|f| {
            let value = f
                .value
                .map_or_else(|| "-".to_string(), |v| format!("{v:.3}"));
            let direction = if f.effect_pct >= 0.0 {
                "raised"
            } else {
                "lowered"
            };
            let effect = format!("{direction} it by {:.1}%", f.effect_pct.abs());
            vec![readable(&f.feature), value, effect]
        })
        .collect();
    doc.table(&cols, &rows);
}

/// One short line each, so no amount is broken across lines.
fn summary(m: &ModelSummary) -> Vec<String> {
    let how = match m.explanation_method.as_str() {
        "path_contributions" => "each feature's contribution along the model's own splits",
        _ => "moving each feature to its training median",
    };
    vec![
        format!("Version {} ({})", m.version_id, m.kind),
        format!("Estimate: {}", rupees(m.value_paise)),
        format!("Range: {} to {}", rupees(m.low_paise), rupees(m.high_paise)),
        format!(
            "Coverage {}: split-conformal calibration on held-out deals.",
            percent(m.coverage)
        ),
        format!(
            "On its test deals: mean absolute percentage error {}, median {}.",
            percent(m.test_mape),
            percent(m.test_median_ape)
        ),
        format!("The effects below come from {how}."),
    ]
}
