//! The valuation rates a deployment may set: `[valuation]` in `msme.toml`, then
//! `MSME_VALUATION_*` variables; every other assumption keeps its documented default
//! ([`ValuationAssumptions`]). Rates are fractions: `risk_free_rate = 0.068` is 6.8%.

use msme_core::valuation::{ValuationAssumptions, ValuationError};
use serde::{Deserialize, Serialize};

use crate::settings::SettingsError;

/// The `[valuation]` table of `msme.toml`.
#[derive(Clone, Debug, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct ValuationFile {
    #[serde(skip_serializing_if = "Option::is_none")]
    risk_free_rate: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    equity_risk_premium: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    beta: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    size_premium: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    terminal_growth: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    illiquidity_discount: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    tax_rate: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    projection_years: Option<u32>,
}

type Rate = fn(&mut ValuationAssumptions) -> &mut f64;
type FromFile = fn(&ValuationFile) -> Option<f64>;

/// Each settable rate: its variable, where it lives in the file, and in the assumptions.
const RATES: [(&str, FromFile, Rate); 7] = [
    (
        "MSME_VALUATION_RISK_FREE_RATE",
        |f| f.risk_free_rate,
        |a| &mut a.risk_free_rate,
    ),
    (
        "MSME_VALUATION_EQUITY_RISK_PREMIUM",
        |f| f.equity_risk_premium,
        |a| &mut a.equity_risk_premium,
    ),
    ("MSME_VALUATION_BETA", |f| f.beta, |a| &mut a.beta),
    (
        "MSME_VALUATION_SIZE_PREMIUM",
        |f| f.size_premium,
        |a| &mut a.size_premium,
    ),
    (
        "MSME_VALUATION_TERMINAL_GROWTH",
        |f| f.terminal_growth,
        |a| &mut a.terminal_growth,
    ),
    (
        "MSME_VALUATION_ILLIQUIDITY_DISCOUNT",
        |f| f.illiquidity_discount,
        |a| &mut a.illiquidity_discount,
    ),
    (
        "MSME_VALUATION_TAX_RATE",
        |f| f.tax_rate,
        |a| &mut a.tax_rate,
    ),
];
const YEARS: &str = "MSME_VALUATION_PROJECTION_YEARS";

/// The assumptions the file and the environment give, checked.
pub(crate) fn valuation_assumptions(
    file: Option<&ValuationFile>,
    env: &dyn Fn(&str) -> Option<String>,
) -> Result<ValuationAssumptions, SettingsError> {
    let file = file.cloned().unwrap_or_default();
    let mut a = ValuationAssumptions::default();
    for (var, from_file, rate) in RATES {
        let value = match env(var) {
            Some(raw) => Some(parse(var, &raw)?),
            None => from_file(&file),
        };
        if let Some(v) = value {
            *rate(&mut a) = v;
        }
    }
    match env(YEARS) {
        Some(raw) => a.projection_years = parse(YEARS, &raw)?,
        None => a.projection_years = file.projection_years.unwrap_or(a.projection_years),
    }
    a.check().map_err(|e| match e {
        ValuationError::BadAssumption { name, reason } => SettingsError::Invalid {
            name,
            message: format!("valuation {name}: {reason}"),
        },
        other => SettingsError::Invalid {
            name: "valuation",
            message: other.to_string(),
        },
    })?;
    Ok(a)
}

fn parse<T: std::str::FromStr>(name: &'static str, raw: &str) -> Result<T, SettingsError> {
    raw.trim().parse().map_err(|_| SettingsError::Invalid {
        name,
        message: format!("`{raw}` is not a number"),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_file_then_the_environment_set_the_rates_and_bad_ones_are_named() {
        let file: ValuationFile =
            toml::from_str("risk_free_rate = 0.07\nsize_premium = 0.04\nprojection_years = 7")
                .unwrap();
        let env = |k: &str| (k == "MSME_VALUATION_RISK_FREE_RATE").then(|| "0.068".to_string());
        let a = valuation_assumptions(Some(&file), &env).unwrap();
        assert_eq!((a.risk_free_rate, a.size_premium), (0.068, 0.04));
        assert_eq!(a.projection_years, 7);
        assert_eq!(
            a.equity_risk_premium,
            ValuationAssumptions::default().equity_risk_premium
        );

        let none = |_: &str| None;
        let bad: ValuationFile = toml::from_str("illiquidity_discount = 1.5").unwrap();
        let err = valuation_assumptions(Some(&bad), &none).unwrap_err();
        assert!(
            matches!(
                err,
                SettingsError::Invalid {
                    name: "illiquidity_discount",
                    ..
                }
            ),
            "{err}"
        );
        let words = |k: &str| (k == "MSME_VALUATION_BETA").then(|| "high".to_string());
        let err = valuation_assumptions(None, &words).unwrap_err();
        assert!(matches!(
            err,
            SettingsError::Invalid {
                name: "MSME_VALUATION_BETA",
                ..
            }
        ));
        assert!(
            toml::from_str::<ValuationFile>("risk_free = 0.07").is_err(),
            "unknown key"
        );
    }
}
