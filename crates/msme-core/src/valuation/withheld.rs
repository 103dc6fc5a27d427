//! What a reader who sees only a listing's teaser may see of a valuation of it.
//!
//! A valuation of a listing is computed from the listing's confidential fields. Whoever asked
//! for it could see the listing in full at the time; if they no longer can (the seller revoked
//! their access, or the listing left the market), they keep the engine's answer (the value,
//! the range, each method's value and weight, the risk codes, the comparables, the assumptions)
//! but not what only a full view shows: the title, the city, the years, the figures, nor the
//! methods' workings and the risks' reasons, which quote those figures.

use super::ValuationReport;

/// Stands in for each method's workings when they are withheld.
pub const WITHHELD_NOTE: &str =
    "the workings quote the listing's confidential figures and are shown only to readers who may \
     see the full listing";

impl ValuationReport {
    /// Leaves out everything a teaser of the listing would not show; `headline` is the
    /// teaser's (industry and state, never the seller's title). Idempotent.
    pub fn withhold_confidential(&mut self, headline: String) {
        let i = &mut self.input;
        i.subject = Some(headline);
        i.city = String::new();
        i.year_established = 0;
        i.employees = 0;
        i.fiscal_years = Vec::new();
        i.latest_revenue_paise = None;
        i.latest_ebitda_paise = None;
        i.latest_net_profit_paise = None;
        i.has_asset_inventory = false;
        i.withheld = true;
        for m in &mut self.methods {
            m.notes = vec![WITHHELD_NOTE.to_string()];
        }
        for f in &mut self.risks.flags {
            f.reason = risk_label(&f.code).to_string();
        }
        // A feature's value is a figure of the listing (its log revenue, its margin): the
        // names and their effects stay, the values go.
        if let Some(model) = &mut self.model {
            for f in &mut model.top_features {
                f.value = None;
            }
        }
    }
}

/// What a risk flag means, in words that quote no figure.
pub fn risk_label(code: &str) -> &'static str {
    match code {
        "no_financials" => "no financial years were given",
        "falling_revenue" => "revenue fell in the latest year",
        "loss_making" => "the latest year made a loss",
        "thin_margin" => "the latest margin is thin",
        "volatile_margins" => "margins vary widely from year to year",
        "high_debt" => "debt is high against total assets",
        "short_history" => "few years of financials",
        "young_business" => "the business is young",
        "unverified_financials" => "the financials are not verified",
        "missing_documents" => "documents are missing",
        "customer_concentration" => "much of the revenue comes from one customer",
        _ => "a risk flagged by the engine",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::valuation::test_support::{input, year, CRORE};
    use crate::valuation::{risk_assessment, valuate, ValuationAssumptions};

    fn report() -> ValuationReport {
        let mut i = input(vec![
            year(2026, 8 * CRORE, CRORE),
            year(2025, 10 * CRORE, CRORE),
        ]);
        i.diligence.financials_verified = false;
        let a = ValuationAssumptions::default();
        let blend = valuate(&i, &a).unwrap();
        let risks = risk_assessment(&i);
        ValuationReport::new(
            Some("Rao Precision Pvt Ltd".into()),
            &i,
            &blend,
            &risks,
            vec![],
            &a,
        )
    }

    #[test]
    fn the_listings_fields_and_the_workings_are_left_out_and_the_answer_kept() {
        let full = report();
        let mut r = full.clone();
        r.withhold_confidential("Machinery business in Maharashtra".into());
        let text = serde_json::to_string(&r).unwrap();
        for secret in ["Rao Precision", "Pune", "2008", "FY2025", "8,00,00,000"] {
            assert!(full_text_has(&full, secret), "the fixture shows {secret}");
            assert!(!text.contains(secret), "{secret} left out: {text}");
        }
        assert!(r.input.withheld && r.input.latest_revenue_paise.is_none());
        assert_eq!(r.input.revenue_band.as_deref(), Some("5_to_25_crore"));
        assert_eq!(
            (r.value_paise, r.low_paise, r.high_paise),
            (full.value_paise, full.low_paise, full.high_paise)
        );
        let weights = |r: &ValuationReport| -> Vec<(String, i64, u32)> {
            let m = r.methods.iter();
            m.map(|m| (m.method.clone(), m.value_paise, m.weight_bps))
                .collect()
        };
        assert_eq!(weights(&r), weights(&full));
        assert!(r.risks.flags.iter().any(|f| f.code == "falling_revenue"));
        let again = {
            let mut twice = r.clone();
            twice.withhold_confidential("Machinery business in Maharashtra".into());
            twice
        };
        assert_eq!(again, r);
    }

    fn full_text_has(r: &ValuationReport, s: &str) -> bool {
        serde_json::to_string(r).unwrap().contains(s)
    }

    #[test]
    fn the_models_feature_values_are_left_out_and_their_effects_kept() {
        let mut r = report();
        r.model = Some(crate::valuation::ModelSummary {
            version_id: "v1".into(),
            kind: "gbt".into(),
            value_paise: 9 * CRORE,
            low_paise: 6 * CRORE,
            high_paise: 12 * CRORE,
            coverage: 0.8,
            test_mape: 0.3,
            test_median_ape: 0.2,
            explanation_method: "path_contributions".into(),
            top_features: vec![crate::model::FeatureEffect {
                feature: "ln_revenue".into(),
                value: Some(18.2),
                effect_pct: 9.5,
            }],
        });
        r.withhold_confidential("Machinery business in Maharashtra".into());
        let model = r.model.unwrap();
        assert_eq!(model.top_features[0].value, None);
        assert_eq!(model.top_features[0].effect_pct, 9.5);
        assert_eq!(model.value_paise, 9 * CRORE);
    }

    #[test]
    fn every_flag_the_engine_raises_has_a_label() {
        for code in [
            "no_financials",
            "falling_revenue",
            "loss_making",
            "thin_margin",
            "volatile_margins",
            "high_debt",
            "short_history",
            "young_business",
            "unverified_financials",
            "missing_documents",
            "customer_concentration",
        ] {
            assert_ne!(risk_label(code), risk_label("something new"), "{code}");
        }
    }
}
