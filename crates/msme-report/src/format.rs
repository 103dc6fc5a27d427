//! Figures and names as the report prints them.

use msme_core::money::Paise;

/// Paise as whole rupees with Indian grouping: `Rs 5,20,30,000` (`-Rs 1,000` when negative).
/// WinAnsi has no rupee sign, so the report writes `Rs`.
pub fn rupees(paise: i64) -> String {
    // Half a rupee rounds away from zero; i64::MIN/MAX stay in range after the division.
    let rounded = (i128::from(paise) + i128::from(paise.signum()) * 50) / 100 * 100;
    let shown = Paise::new(i64::try_from(rounded).unwrap_or(paise)).to_string();
    let shown = shown.strip_suffix(".00").unwrap_or(&shown);
    shown.replacen('₹', "Rs ", 1)
}

/// Paise in crore or lakh for chart labels: `Rs 5.2 cr`, `Rs 45.3 lakh`, `Rs 12,000`.
pub fn short_rupees(paise: i64) -> String {
    const CRORE: f64 = 1e9;
    const LAKH: f64 = 1e7;
    // A label's precision needs no more than f64 gives.
    #[allow(clippy::cast_precision_loss)]
    let p = paise as f64;
    if p.abs() >= CRORE {
        format!("Rs {} cr", trim(p / CRORE))
    } else if p.abs() >= LAKH {
        format!("Rs {} lakh", trim(p / LAKH))
    } else {
        rupees(paise)
    }
}

fn trim(x: f64) -> String {
    let s = if x.abs() >= 100.0 {
        format!("{x:.0}")
    } else {
        format!("{x:.2}")
    };
    if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        s
    }
}

/// A fraction as a percentage: `0.255` gives `25.5%`.
pub fn percent(x: f64) -> String {
    format!("{}%", trim(x * 100.0))
}

/// A method's name for people; a method the report does not know (a later one) by its wire
/// name made readable.
pub fn method_label(method: &str) -> String {
    match method {
        "market_multiples" => "Market multiples (EV/EBITDA)".into(),
        "revenue_multiple" => "Revenue multiple (EV/Sales)".into(),
        "dcf" => "Discounted cash flow".into(),
        "net_asset_value" => "Net asset value".into(),
        "rule_of_thumb" => "Rule of thumb (original design)".into(),
        "model" => "Trained model".into(),
        other => readable(other),
    }
}

/// `snake_case` as `Snake case`.
pub fn readable(name: &str) -> String {
    let spaced = name.replace(['_', '.'], " ");
    let mut chars = spaced.chars();
    chars.next().map_or_else(String::new, |c| {
        c.to_uppercase().chain(chars).collect::<String>()
    })
}

/// An assumption's name and its value as the report prints them.
pub fn assumption(key: &str, value: f64) -> (String, String) {
    let label = match key {
        "illiquidity_discount" => "Illiquidity (marketability) discount on listed multiples",
        "risk_free_rate" => "Risk-free rate (India 10-year government bond)",
        "equity_risk_premium" => "Equity risk premium, India",
        "beta" => "Beta",
        "size_premium" => "Small-company size premium",
        "tax_rate" => "Corporate tax rate",
        "capex_to_revenue" => "Capital expenditure, share of revenue",
        "working_capital_to_revenue" => "Working capital per rupee of added revenue",
        "terminal_growth" => "Terminal growth rate",
        "projection_years" => "Projection years (growth fades to terminal)",
        "default_growth" => "Growth assumed without history",
        "min_initial_growth" => "Lowest first-year growth",
        "max_initial_growth" => "Highest first-year growth",
        "discount_rate_sensitivity" => "DCF low/high: discount rate moved by",
        "min_peer_firms" => "Fewest peer firms for an industry multiple",
        _ => "",
    };
    let label = if let Some(band) = key.strip_prefix("size_discount.") {
        format!("Size discount, revenue {}", readable(band).to_lowercase())
    } else if let Some(category) = key.strip_prefix("realisable.") {
        format!(
            "Realisable share of book value: {}",
            readable(category).to_lowercase()
        )
    } else if label.is_empty() {
        readable(key)
    } else {
        label.to_string()
    };
    let shown = match key {
        "beta" => format!("{value:.2}"),
        "projection_years" | "min_peer_firms" => format!("{value:.0}"),
        _ => percent(value),
    };
    (label, shown)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn figures_read_the_indian_way() {
        assert_eq!(rupees(5_20_30_000_00), "Rs 5,20,30,000");
        assert_eq!(rupees(12_345_67), "Rs 12,346");
        assert_eq!(rupees(-1_000_00), "-Rs 1,000");
        assert_eq!(rupees(0), "Rs 0");
        assert_eq!(short_rupees(5_20_30_000_00), "Rs 5.2 cr");
        assert_eq!(short_rupees(45_30_000_00), "Rs 45.3 lakh");
        assert_eq!(short_rupees(250_00_00_000_00), "Rs 250 cr");
        assert_eq!(percent(0.065), "6.5%");
        assert_eq!(percent(0.25), "25%");
    }

    #[test]
    fn names_read_as_words_and_unknown_ones_still_read() {
        assert_eq!(method_label("dcf"), "Discounted cash flow");
        assert_eq!(method_label("gradient_boosting"), "Gradient boosting");
        assert_eq!(
            assumption("risk_free_rate", 0.065),
            (
                "Risk-free rate (India 10-year government bond)".into(),
                "6.5%".into()
            )
        );
        assert_eq!(assumption("projection_years", 5.0).1, "5");
        assert_eq!(
            assumption("size_discount.1_to_5_crore", 0.35).0,
            "Size discount, revenue 1 to 5 crore"
        );
        assert_eq!(
            assumption("new_rate", 0.1),
            ("New rate".into(), "10%".into())
        );
    }
}
