//! The fixed tables a generation run draws from, built once per run: industry kits, weights,
//! and the Damodaran multiples parsed from the shipped CSV.

use msme_core::listing::INDUSTRIES;

use crate::places::PLACES;
use crate::profiles::{kits, IndustryKit};

/// The shipped Damodaran table (see `data/README.md` for its source and caveats).
const MULTIPLES_CSV: &str = include_str!("../../../data/damodaran-india-ev-multiples-2026-01.csv");

/// The CSV row whose multiple stands for the market as a whole.
const MARKET_ROW: &str = "Total Market (without financials)";

/// Everything a draw needs, indexed like [`INDUSTRIES`] and [`PLACES`].
#[derive(Debug)]
pub(super) struct World {
    pub kits: Vec<IndustryKit>,
    pub industry_weights: Vec<u32>,
    pub state_weights: Vec<u32>,
    pub city_weights: Vec<Vec<u32>>,
    /// Listed-company EV/EBITDA (`pos_ev_ebitda`) per industry.
    pub listed_multiples: Vec<f64>,
    /// Listed-company EV/EBITDA of the whole market without financials.
    pub market_multiple: f64,
}

impl World {
    /// Builds the tables; panics only if the shipped data is inconsistent, which tests rule out.
    pub fn new() -> Self {
        let kits = kits().expect("every industry has a profile and phrases (tested)");
        let (listed_multiples, market_multiple) = listed_multiples(MULTIPLES_CSV)
            .expect("the shipped CSV has pos_ev_ebitda for every industry (tested)");
        Self {
            industry_weights: kits.iter().map(|k| k.profile.weight).collect(),
            kits,
            state_weights: PLACES.iter().map(|p| p.weight).collect(),
            city_weights: PLACES
                .iter()
                .map(|p| p.cities.iter().map(|(_, w)| *w).collect())
                .collect(),
            listed_multiples,
            market_multiple,
        }
    }
}

/// Parses `pos_ev_ebitda` for each industry's Damodaran name, in [`INDUSTRIES`] order, and for
/// the market row. Names the first industry or row it cannot read.
pub(super) fn listed_multiples(csv: &str) -> Result<(Vec<f64>, f64), String> {
    let mut lines = csv.lines();
    let header = lines.next().ok_or("empty CSV")?;
    let col = header
        .split(',')
        .position(|h| h.trim() == "pos_ev_ebitda")
        .ok_or("no pos_ev_ebitda column")?;
    let rows: Vec<Vec<&str>> = lines.map(|l| l.split(',').collect()).collect();
    let multiple = |name: &str| -> Result<f64, String> {
        let row = rows
            .iter()
            .find(|r| r.first().map(|n| n.trim()) == Some(name))
            .ok_or_else(|| format!("no row for {name}"))?;
        let raw = row.get(col).map(|v| v.trim()).unwrap_or("NA");
        match raw.parse::<f64>() {
            Ok(m) if m.is_finite() && m > 0.0 => Ok(m),
            _ => Err(format!(
                "{name}: pos_ev_ebitda `{raw}` is not a positive number"
            )),
        }
    };
    let industries = INDUSTRIES
        .iter()
        .map(|i| multiple(i.damodaran))
        .collect::<Result<Vec<_>, _>>()?;
    Ok((industries, multiple(MARKET_ROW)?))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shipped_csv_gives_a_multiple_for_every_industry() {
        let (m, market) = listed_multiples(MULTIPLES_CSV).unwrap();
        assert_eq!(m.len(), INDUSTRIES.len());
        assert_eq!(market, 17.56);
        let machinery = INDUSTRIES.iter().position(|i| i.id == "machinery").unwrap();
        assert_eq!(m[machinery], 26.85);
    }

    #[test]
    fn missing_or_na_multiples_are_named() {
        let csv = "industry,pos_ev_ebitda\nMachinery,NA\n";
        let e = listed_multiples(csv).unwrap_err();
        assert!(e.contains("Agriculture") || e.contains("NA"), "{e}");
        assert_eq!(listed_multiples("").unwrap_err(), "empty CSV");
    }
}
