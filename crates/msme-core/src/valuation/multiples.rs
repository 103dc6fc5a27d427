//! Market multiples: what listed peers trade at, discounted for a private, smaller business.

use std::sync::OnceLock;

use super::{
    add, f, pct, sub, to_paise, typical_ebitda_margin, MethodOutcome, MethodResult,
    ValuationAssumptions, ValuationError, ValuationInput, MARKET_MULTIPLES, REVENUE_MULTIPLE,
};
use crate::listing::{revenue_band, Industry, YearFinancials};
use crate::money::Paise;

/// Where the multiples come from, quoted in every note that uses them.
pub const MULTIPLES_SOURCE: &str = "Aswath Damodaran, Enterprise value multiples, India, \
     5 January 2026 (listed companies with positive EBITDA)";

const CSV: &str = include_str!("../../../../data/damodaran-india-ev-multiples-2026-01.csv");
const TOTAL_MARKET: &str = "Total Market (without financials)";
/// Margin assumed for an industry without an entry in the margin table.
const FALLBACK_MARGIN: f64 = 0.10;

/// A peer group's EV/EBITDA as used for one valuation.
#[derive(Clone, Debug, PartialEq)]
pub struct PeerMultiple {
    /// The Damodaran row used.
    pub row: &'static str,
    pub firms: u32,
    pub ev_ebitda: f64,
    /// Why the industry's own row was not used, if it was not.
    pub fallback: Option<String>,
}

struct Row {
    name: &'static str,
    firms: u32,
    pos_ev_ebitda: Option<f64>,
}

/// The shipped table, parsed once. Rows that do not parse are left out; a test checks none is.
fn rows() -> &'static [Row] {
    static ROWS: OnceLock<Vec<Row>> = OnceLock::new();
    ROWS.get_or_init(|| {
        let mut lines = CSV.lines();
        let header: Vec<&str> = lines.next().unwrap_or_default().split(',').collect();
        let col = |name: &str| header.iter().position(|h| *h == name);
        let (Some(firms), Some(ev)) = (col("firms"), col("pos_ev_ebitda")) else {
            return Vec::new();
        };
        lines
            .filter_map(|line| {
                let cells: Vec<&'static str> = line.split(',').collect();
                Some(Row {
                    name: cells.first()?,
                    firms: cells.get(firms)?.parse().ok()?,
                    pos_ev_ebitda: cells.get(ev)?.parse().ok(),
                })
            })
            .collect()
    })
}

/// The EV/EBITDA for `industry`: its Damodaran row's `pos_ev_ebitda`, or the total market
/// (without financials) when that row is missing, not meaningful or has under `min_firms` firms.
pub fn ev_ebitda(industry: &Industry, min_firms: u32) -> Option<PeerMultiple> {
    let own = rows().iter().find(|r| r.name == industry.damodaran);
    let why = match own {
        Some(r) if r.firms >= min_firms && r.pos_ev_ebitda.is_some_and(|m| m > 0.0) => None,
        Some(r) if r.firms < min_firms => Some(format!(
            "the {} row has only {} firms (fewer than {min_firms})",
            r.name, r.firms
        )),
        Some(r) => Some(format!("the {} row has no meaningful EV/EBITDA", r.name)),
        None => Some(format!("the table has no row {}", industry.damodaran)),
    };
    let row = match why {
        None => own?,
        Some(_) => rows().iter().find(|r| r.name == TOTAL_MARKET)?,
    };
    Some(PeerMultiple {
        row: row.name,
        firms: row.firms,
        ev_ebitda: row.pos_ev_ebitda?,
        fallback: why,
    })
}

/// The multiple after discounts, and the derived EV/Sales, as one valuation uses them.
struct Applied {
    peer: PeerMultiple,
    /// (1 − illiquidity discount) × (1 − size discount).
    keep: f64,
    /// EV/EBITDA × typical margin, before discounts.
    ev_sales: f64,
    /// How the EV/Sales was derived, in words.
    ev_sales_note: String,
}

impl Applied {
    fn new(
        input: &ValuationInput,
        latest: &YearFinancials,
        a: &ValuationAssumptions,
    ) -> Result<(Self, Vec<String>), ValuationError> {
        let peer = ev_ebitda(input.industry, a.min_peer_firms).ok_or_else(|| {
            ValuationError::not_applicable(MARKET_MULTIPLES, "the shipped multiples table is empty")
        })?;
        let band = revenue_band(latest.revenue);
        let size = a.size_discount(band);
        let keep = (1.0 - a.illiquidity_discount) * (1.0 - size);
        let mut notes = vec![format!(
            "{MULTIPLES_SOURCE}: {} EV/EBITDA {:.2}× ({} firms)",
            peer.row, peer.ev_ebitda, peer.firms
        )];
        if let Some(why) = &peer.fallback {
            notes.push(format!("{why}, so the total market multiple is used"));
        }
        notes.push(format!(
            "discounts for a private firm: illiquidity {}, size {} (revenue band {band}); \
             {:.2}× × {:.4} = {:.2}× effective",
            pct(a.illiquidity_discount),
            pct(size),
            peer.ev_ebitda,
            keep,
            peer.ev_ebitda * keep
        ));
        let (margin, source) = match typical_ebitda_margin(input.industry) {
            Some(m) => (m, format!("typical {} EBITDA margin", input.industry.label)),
            None => (
                FALLBACK_MARGIN,
                "margin assumed: no typical margin known".into(),
            ),
        };
        let ev_sales_note = format!(
            "EV/Sales {:.2}× = {:.2}× EV/EBITDA × {} {source} (EV/Sales for India is not \
             published in the source)",
            peer.ev_ebitda * margin,
            peer.ev_ebitda,
            pct(margin)
        );
        let applied = Self {
            ev_sales: peer.ev_ebitda * margin,
            peer,
            keep,
            ev_sales_note,
        };
        Ok((applied, notes))
    }

    /// EV on positive EBITDA, with the revenue cross-check as a note.
    fn on_ebitda(
        &self,
        y: &YearFinancials,
        notes: &mut Vec<String>,
    ) -> Result<Paise, ValuationError> {
        let multiple = self.peer.ev_ebitda * self.keep;
        let ev = to_paise(f(y.ebitda) * multiple, MARKET_MULTIPLES, "EV")?;
        notes.push(format!("EV = EBITDA {} × {multiple:.2}× = {ev}", y.ebitda));
        if let Ok(check) = to_paise(
            f(y.revenue) * self.ev_sales * self.keep,
            MARKET_MULTIPLES,
            "EV",
        ) {
            notes.push(format!(
                "cross-check on revenue: {}, after the same discounts, gives EV {check}",
                self.ev_sales_note
            ));
        }
        Ok(ev)
    }

    /// EV on revenue, when EBITDA is not positive or not given.
    fn on_revenue(
        &self,
        y: &YearFinancials,
        why: &str,
        notes: &mut Vec<String>,
    ) -> Result<Paise, ValuationError> {
        if y.revenue.get() <= 0 {
            return Err(ValuationError::not_applicable(
                REVENUE_MULTIPLE,
                "neither positive EBITDA nor revenue",
            ));
        }
        notes.push(format!(
            "EBITDA is {why}, so revenue is valued instead: {}; this assumes a buyer can bring \
             the business to that margin",
            self.ev_sales_note
        ));
        let multiple = self.ev_sales * self.keep;
        let ev = to_paise(f(y.revenue) * multiple, REVENUE_MULTIPLE, "EV")?;
        notes.push(format!(
            "EV = revenue {} × {multiple:.4}× = {ev}",
            y.revenue
        ));
        Ok(ev)
    }
}

/// EV/EBITDA of listed peers × (1 − illiquidity discount) × (1 − size discount), applied to the
/// latest EBITDA; equity = EV − debt + cash. Without positive EBITDA (a loss, or not given) it
/// applies a derived EV/Sales (EV/EBITDA × the industry's typical EBITDA margin) to revenue
/// instead and answers as `revenue_multiple`.
pub fn market_multiples(input: &ValuationInput, a: &ValuationAssumptions) -> MethodOutcome {
    a.check()?;
    let latest = input.latest().ok_or_else(|| {
        ValuationError::not_applicable(MARKET_MULTIPLES, "no financial years to take a multiple of")
    })?;
    let (applied, mut notes) = Applied::new(input, latest, a)?;
    let mut used = vec!["industry".to_string(), "financials[0].revenue".to_string()];
    let (method, ev) = if input.ebitda_known && latest.ebitda.get() > 0 {
        used.push("financials[0].ebitda".into());
        (MARKET_MULTIPLES, applied.on_ebitda(latest, &mut notes)?)
    } else {
        let why = if input.ebitda_known {
            "not positive"
        } else {
            "not given"
        };
        (
            REVENUE_MULTIPLE,
            applied.on_revenue(latest, why, &mut notes)?,
        )
    };
    let value = equity_from_ev(ev, input, method, &mut notes, &mut used)?;
    Ok(MethodResult {
        method,
        value,
        low: None,
        high: None,
        notes,
        inputs_used: used,
    })
}

/// Equity = EV − latest debt + cash (when known), with a note.
pub(crate) fn equity_from_ev(
    ev: Paise,
    input: &ValuationInput,
    method: &'static str,
    notes: &mut Vec<String>,
    used: &mut Vec<String>,
) -> Result<Paise, ValuationError> {
    let debt = input.debt();
    let mut equity = sub(ev, debt, (method, "equity value"))?;
    if input.latest().is_some() {
        used.push("financials[0].debt".into());
    }
    match input.cash {
        Some(cash) => {
            equity = add(equity, cash, (method, "equity value"))?;
            used.push("cash".into());
            notes.push(format!(
                "equity = EV − debt {debt} + cash {cash} = {equity}"
            ));
        }
        None => notes.push(format!(
            "equity = EV − debt {debt} = {equity} (cash not given)"
        )),
    }
    Ok(equity)
}

#[cfg(test)]
#[path = "multiples_tests.rs"]
mod tests;
