//! Risk assessment: what a buyer should look at, each flag with its reason, and a score.

use super::{f, pct, ValuationInput};
use crate::listing::YearFinancials;

/// How much a flag counts.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    Low,
    Medium,
    High,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Low => "low",
            Severity::Medium => "medium",
            Severity::High => "high",
        }
    }

    /// Points towards the score: 5, 10, 20.
    pub fn points(self) -> u32 {
        match self {
            Severity::Low => 5,
            Severity::Medium => 10,
            Severity::High => 20,
        }
    }
}

/// One risk.
#[derive(Clone, Debug, PartialEq)]
pub struct RiskFlag {
    /// Stable wire code, e.g. `falling_revenue`.
    pub code: &'static str,
    pub severity: Severity,
    pub reason: String,
}

/// Every flag raised, and a score from 0 (nothing flagged) to 100: the sum of the flags'
/// points (low 5, medium 10, high 20), capped at 100.
#[derive(Clone, Debug, PartialEq)]
pub struct RiskReport {
    pub score: u8,
    pub flags: Vec<RiskFlag>,
}

/// Thresholds, documented with the flags they raise.
const THIN_MARGIN: f64 = 0.05;
const VOLATILE_MARGIN_PP: f64 = 5.0;
const HIGH_DEBT_TO_ASSETS: f64 = 0.6;
const SHORT_HISTORY_YEARS: usize = 3;
const YOUNG_BUSINESS_YEARS: i32 = 3;
const STEEP_FALL: f64 = 0.20;

/// Flags falling revenue (high over a 20% fall), losses and thin margins (under 5%), volatile
/// margins (standard deviation over 5 points across 3 or more years), debt over 0.6 of total
/// assets, fewer than 3 years of financials, a business under 3 years old, unverified
/// financials, missing documents, and a largest customer above 25% (high above 50%) of revenue.
pub fn risk_assessment(input: &ValuationInput) -> RiskReport {
    let mut flags = Vec::new();
    let mut flag = |code, severity, reason: String| {
        flags.push(RiskFlag {
            code,
            severity,
            reason,
        });
    };
    match input.financials.as_slice() {
        [] => flag(
            "no_financials",
            Severity::High,
            "no financial years were given".into(),
        ),
        [latest, rest @ ..] => {
            for (code, severity, reason) in financial_flags(input, latest, rest) {
                flag(code, severity, reason);
            }
        }
    }
    let age = input.age_years();
    if age < YOUNG_BUSINESS_YEARS {
        flag(
            "young_business",
            Severity::Medium,
            format!("established {age} year(s) ago, under {YOUNG_BUSINESS_YEARS}"),
        );
    }
    let d = &input.diligence;
    if !d.financials_verified {
        flag(
            "unverified_financials",
            Severity::High,
            "the financials are the seller's own: the seller's KYC (PAN and GSTIN, checked by an \
             admin) is not verified, and the figures have not been checked against returns or \
             audited statements"
                .into(),
        );
    }
    if !d.documents_complete {
        flag(
            "missing_documents",
            Severity::Medium,
            "no paper (financial statements, registrations) is attached to the listing; \
             images do not count"
                .into(),
        );
    }
    if let Some(share) = d.top_customer_share.filter(|s| s.is_finite()) {
        let severity = match share {
            s if s > 0.5 => Some(Severity::High),
            s if s > 0.25 => Some(Severity::Medium),
            _ => None,
        };
        if let Some(severity) = severity {
            flag(
                "customer_concentration",
                severity,
                format!("the largest customer brings {} of revenue", pct(share)),
            );
        }
    }
    let points: u32 = flags.iter().map(|f| f.severity.points()).sum();
    RiskReport {
        score: u8::try_from(points.min(100)).unwrap_or(100),
        flags,
    }
}

fn margin(y: &YearFinancials, ebitda_known: bool) -> Option<f64> {
    let revenue = y.revenue.get();
    if revenue <= 0 {
        return None;
    }
    let earnings = if ebitda_known { y.ebitda } else { y.net_profit };
    Some(f(earnings) / f(y.revenue))
}

fn financial_flags(
    input: &ValuationInput,
    latest: &YearFinancials,
    rest: &[YearFinancials],
) -> Vec<(&'static str, Severity, String)> {
    let mut out = Vec::new();
    if let Some(prev) = rest.first().filter(|p| p.revenue.get() > 0) {
        let change = f(latest.revenue) / f(prev.revenue) - 1.0;
        if change < 0.0 {
            let severity = if -change > STEEP_FALL {
                Severity::High
            } else {
                Severity::Medium
            };
            out.push((
                "falling_revenue",
                severity,
                format!(
                    "revenue fell {} from FY{} to FY{}",
                    pct(-change),
                    prev.fiscal_year,
                    latest.fiscal_year
                ),
            ));
        }
    }
    let which = if input.ebitda_known { "EBITDA" } else { "net" };
    match margin(latest, input.ebitda_known) {
        Some(m) if m < 0.0 => out.push((
            "loss_making",
            Severity::High,
            format!("{which} margin {} in FY{}", pct(m), latest.fiscal_year),
        )),
        Some(m) if m < THIN_MARGIN => out.push((
            "thin_margin",
            Severity::Medium,
            format!(
                "{which} margin {} in FY{}, under {}",
                pct(m),
                latest.fiscal_year,
                pct(THIN_MARGIN)
            ),
        )),
        _ => {}
    }
    let margins: Vec<f64> = input
        .financials
        .iter()
        .filter_map(|y| margin(y, input.ebitda_known))
        .collect();
    if margins.len() >= 3 {
        #[allow(clippy::cast_precision_loss)]
        let n = margins.len() as f64;
        let mean = margins.iter().sum::<f64>() / n;
        let sd = (margins.iter().map(|m| (m - mean).powi(2)).sum::<f64>() / n).sqrt() * 100.0;
        if sd > VOLATILE_MARGIN_PP {
            out.push((
                "volatile_margins",
                Severity::Medium,
                format!(
                    "{which} margins vary by {sd:.1} points (standard deviation over {} years)",
                    margins.len()
                ),
            ));
        }
    }
    let assets = f(latest.total_assets);
    let debt = f(latest.debt);
    if debt > 0.0 && (assets <= 0.0 || debt / assets > HIGH_DEBT_TO_ASSETS) {
        let ratio = if assets > 0.0 {
            format!("{:.2}", debt / assets)
        } else {
            "undefined (no assets)".into()
        };
        out.push((
            "high_debt",
            Severity::High,
            format!("debt to total assets {ratio}, over {HIGH_DEBT_TO_ASSETS}"),
        ));
    }
    let years = input.financials.len();
    if years < SHORT_HISTORY_YEARS {
        out.push((
            "short_history",
            Severity::Medium,
            format!("{years} year(s) of financials, under {SHORT_HISTORY_YEARS}"),
        ));
    }
    out
}

#[cfg(test)]
#[path = "risk_tests.rs"]
mod tests;
