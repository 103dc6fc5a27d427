//! Discounted cash flow: free cash flow projected from the history, growth fading to a terminal
//! rate, discounted at a build-up cost of equity.

use super::multiples::equity_from_ev;
use super::{
    f, pct, to_paise, MethodOutcome, MethodResult, ValuationAssumptions, ValuationError,
    ValuationInput, DCF,
};
use crate::money::Paise;

/// Years of history averaged for the margin, and the most used for the growth rate.
const MARGIN_YEARS: usize = 3;
const GROWTH_YEARS: usize = 5;

/// Cost of equity by build-up: risk-free + beta × equity risk premium + size premium. Used as
/// the discount rate of the whole firm, since MSME debt is small and dearer than listed firms'.
pub fn discount_rate(a: &ValuationAssumptions) -> f64 {
    a.risk_free_rate + a.beta * a.equity_risk_premium + a.size_premium
}

/// The steady figures the projection starts from.
struct Base {
    revenue: f64,
    margin: f64,
    growth: f64,
}

/// Free cash flow proxy for a year: (EBITDA − capex) × (1 − tax) − added working capital, with
/// depreciation taken equal to capex (so EBITDA − capex is the taxable EBIT).
fn fcf(revenue: f64, previous: f64, b: &Base, a: &ValuationAssumptions) -> f64 {
    (revenue * (b.margin - a.capex_to_revenue)) * (1.0 - a.tax_rate)
        - a.working_capital_to_revenue * (revenue - previous)
}

/// Growth in projection year `t` (1-based): the initial rate in year 1, fading linearly to the
/// terminal rate in the last year.
fn growth_in_year(t: u32, b: &Base, a: &ValuationAssumptions) -> f64 {
    if a.projection_years <= 1 {
        return b.growth;
    }
    let share = f64::from(t - 1) / f64::from(a.projection_years - 1);
    b.growth + (a.terminal_growth - b.growth) * share
}

/// Enterprise value at discount rate `r`, and the share of it that is the terminal value.
fn enterprise_value(r: f64, b: &Base, a: &ValuationAssumptions) -> (f64, f64) {
    let (mut revenue, mut pv, mut factor) = (b.revenue, 0.0, 1.0);
    for t in 1..=a.projection_years {
        let next = revenue * (1.0 + growth_in_year(t, b, a));
        factor *= 1.0 + r;
        pv += fcf(next, revenue, b, a) / factor;
        revenue = next;
    }
    let after = revenue * (1.0 + a.terminal_growth);
    let terminal = fcf(after, revenue, b, a) / (r - a.terminal_growth) / factor;
    (pv + terminal, terminal / (pv + terminal))
}

/// Margin and growth from the history, with notes on where each came from.
fn base(
    input: &ValuationInput,
    a: &ValuationAssumptions,
    notes: &mut Vec<String>,
) -> Result<Base, ValuationError> {
    let na = |why: String| ValuationError::not_applicable(DCF, why);
    if !input.ebitda_known {
        return Err(na(
            "EBITDA not given, so free cash flow cannot be estimated".into(),
        ));
    }
    let latest = input
        .latest()
        .ok_or_else(|| na("no financial years to project".into()))?;
    let window = &input.financials[..input.financials.len().min(MARGIN_YEARS)];
    let revenue: i128 = window.iter().map(|y| i128::from(y.revenue.get())).sum();
    let ebitda: i128 = window.iter().map(|y| i128::from(y.ebitda.get())).sum();
    if revenue <= 0 || latest.revenue.get() <= 0 {
        return Err(na("no revenue to project".into()));
    }
    #[allow(clippy::cast_precision_loss)]
    let margin = ebitda as f64 / revenue as f64;
    if margin <= a.capex_to_revenue {
        return Err(na(format!(
            "the EBITDA margin over the last {} year(s), {}, does not cover capex of {} of \
             revenue: free cash flow history is unusable",
            window.len(),
            pct(margin),
            pct(a.capex_to_revenue)
        )));
    }
    notes.push(format!(
        "EBITDA margin {} (total EBITDA over total revenue of the last {} year(s)) applied to \
         latest revenue {}",
        pct(margin),
        window.len(),
        latest.revenue
    ));
    let growth = initial_growth(input, a, notes);
    Ok(Base {
        revenue: f(latest.revenue),
        margin,
        growth,
    })
}

/// Growth in the first projected year: the revenue CAGR over up to five years of history, else
/// the seller's stated rate, else the default; held within the configured bounds.
fn initial_growth(
    input: &ValuationInput,
    a: &ValuationAssumptions,
    notes: &mut Vec<String>,
) -> f64 {
    let window = &input.financials[..input.financials.len().min(GROWTH_YEARS)];
    let latest = window.first();
    let oldest = window
        .iter()
        .rev()
        .find(|y| y.revenue.get() > 0 && latest.is_some_and(|l| y.fiscal_year < l.fiscal_year));
    let (raw, source) = match (latest, oldest, input.growth_rate) {
        (Some(l), Some(o), _) => {
            let span = f64::from(l.fiscal_year - o.fiscal_year);
            let cagr = (f(l.revenue) / f(o.revenue)).powf(1.0 / span) - 1.0;
            (
                cagr,
                format!("revenue CAGR FY{}-FY{}", o.fiscal_year, l.fiscal_year),
            )
        }
        (_, _, Some(g)) => (g, "the seller's stated growth rate".into()),
        _ => (
            a.default_growth,
            "assumed: one year of history, no stated growth".into(),
        ),
    };
    let growth = raw.clamp(a.min_initial_growth, a.max_initial_growth);
    let held = if growth == raw {
        String::new()
    } else {
        format!(", held to {} from {}", pct(growth), pct(raw))
    };
    notes.push(format!(
        "growth {} in year 1 ({source}{held}), fading linearly to {} by year {}",
        pct(growth),
        pct(a.terminal_growth),
        a.projection_years
    ));
    growth
}

/// Values the business as the present value of its projected free cash flow plus a Gordon
/// terminal value. Refuses when the discount rate does not exceed terminal growth, or when the
/// history gives no usable cash flow (no EBITDA, no revenue, or a margin below capex).
pub fn dcf(input: &ValuationInput, a: &ValuationAssumptions) -> MethodOutcome {
    a.check()?;
    let r = discount_rate(a);
    if r <= a.terminal_growth {
        return Err(ValuationError::not_applicable(
            DCF,
            format!(
                "the discount rate {} does not exceed terminal growth {}: a terminal value \
                 would be infinite",
                pct(r),
                pct(a.terminal_growth)
            ),
        ));
    }
    let mut notes = vec![format!(
        "discount rate {} = risk-free {} + beta {:.2} × equity risk premium {} + size premium {}",
        pct(r),
        pct(a.risk_free_rate),
        a.beta,
        pct(a.equity_risk_premium),
        pct(a.size_premium)
    )];
    let b = base(input, a, &mut notes)?;
    notes.push(format!(
        "free cash flow = (EBITDA − capex {} of revenue) × (1 − tax {}) − working capital {} of \
         added revenue; depreciation taken equal to capex",
        pct(a.capex_to_revenue),
        pct(a.tax_rate),
        pct(a.working_capital_to_revenue)
    ));
    let (ev, terminal_share) = enterprise_value(r, &b, a);
    let ev = to_paise(ev, DCF, "enterprise value")?;
    notes.push(format!(
        "EV {ev}, of which the Gordon terminal value (growth {}) is {}",
        pct(a.terminal_growth),
        pct(terminal_share)
    ));
    let mut used = vec![
        "financials[..3].revenue".to_string(),
        "financials[..3].ebitda".to_string(),
    ];
    if input.financials.len() < 2 && input.growth_rate.is_some() {
        used.push("growth_rate".into());
    }
    let value = equity_from_ev(ev, input, DCF, &mut notes, &mut used)?;
    // The range moves the discount rate; equity moves with EV one for one.
    let shifted = |rate: f64| -> Result<Option<Paise>, ValuationError> {
        if rate <= a.terminal_growth {
            return Ok(None);
        }
        let other = to_paise(enterprise_value(rate, &b, a).0, DCF, "enterprise value")?;
        let delta = super::sub(other, ev, (DCF, "equity value"))?;
        super::add(value, delta, (DCF, "equity value")).map(Some)
    };
    let s = a.discount_rate_sensitivity;
    let (low, high) = (shifted(r + s)?, shifted(r - s)?);
    notes.push(format!(
        "low and high: discount rate {} higher and lower",
        pct(s)
    ));
    Ok(MethodResult {
        method: DCF,
        value,
        low,
        high,
        notes,
        inputs_used: used,
    })
}

#[cfg(test)]
#[path = "dcf_tests.rs"]
mod tests;
