//! What a buyer looks for: [`BuyerPreferences`], which can only exist valid, and the form it
//! is given and kept in ([`BuyerPreferencesInput`], with the wire names).

use serde::{Deserialize, Serialize};

use crate::error::{check_free_text, StoreError, ValidationError};
use crate::listing::{industry, state, DealType, Industry, State, INDUSTRIES, STATES};
use crate::money::Paise;
use crate::search::words;

/// Most cities and keywords a buyer may name.
pub const MAX_CITIES: usize = 20;
pub const MAX_KEYWORDS: usize = 20;

/// Preferences as given (and as stored), with the wire names; [`BuyerPreferences::parse`]
/// checks them.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct BuyerPreferencesInput {
    /// Industry ids.
    pub sectors: Vec<String>,
    /// State names or codes.
    pub states: Vec<String>,
    pub cities: Vec<String>,
    pub ticket_min_paise: Option<i64>,
    pub ticket_max_paise: Option<i64>,
    pub revenue_min_paise: Option<i64>,
    pub revenue_max_paise: Option<i64>,
    pub ebitda_margin_min_pct: Option<i32>,
    pub deal_types: Vec<String>,
    pub keywords: Vec<String>,
}

/// What a buyer looks for; every field is optional (empty: no preference).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct BuyerPreferences {
    pub sectors: Vec<&'static Industry>,
    pub states: Vec<&'static State>,
    /// Trimmed, as given; compared without regard to case.
    pub cities: Vec<String>,
    pub ticket_min: Option<Paise>,
    pub ticket_max: Option<Paise>,
    pub revenue_min: Option<Paise>,
    pub revenue_max: Option<Paise>,
    /// Whole percent, compared with the latest year's EBITDA margin.
    pub ebitda_margin_min_pct: Option<i32>,
    pub deal_types: Vec<DealType>,
    /// Words or short phrases looked for in listings' text; each has at least one word.
    pub keywords: Vec<String>,
}

/// Parses each item, names the field of a bad one, and drops repeats (keeping the first).
fn each<T: PartialEq>(
    items: &[String],
    max: usize,
    field: &str,
    parse: impl Fn(&str) -> Result<T, ValidationError>,
) -> Result<Vec<T>, ValidationError> {
    if items.len() > max {
        return Err(ValidationError::new(
            field,
            format!("must have at most {max} items"),
        ));
    }
    let mut out: Vec<T> = Vec::with_capacity(items.len());
    for item in items {
        let v = parse(item).map_err(|e| ValidationError::new(field, e.reason))?;
        if !out.contains(&v) {
            out.push(v);
        }
    }
    Ok(out)
}

fn range(
    field: &str,
    min: Option<i64>,
    max: Option<i64>,
) -> Result<(Option<Paise>, Option<Paise>), ValidationError> {
    let min_field = format!("{field}_min_paise");
    let max_field = format!("{field}_max_paise");
    let min = min
        .map(|p| Paise::non_negative(&min_field, p))
        .transpose()?;
    let max = max
        .map(|p| Paise::non_negative(&max_field, p))
        .transpose()?;
    if let (Some(a), Some(b)) = (min, max) {
        if a > b {
            return Err(ValidationError::new(
                min_field,
                format!("must not be above {max_field}"),
            ));
        }
    }
    Ok((min, max))
}

fn free_word(field: &str, raw: &str, max: usize) -> Result<String, ValidationError> {
    let s = check_free_text(field, raw, max)?;
    if words(&s).is_empty() {
        return Err(ValidationError::new(field, "must contain a word"));
    }
    Ok(s)
}

impl BuyerPreferences {
    /// Checks every field: known sectors, states and deal types, non-negative ranges with the
    /// minimum not above the maximum, a margin within ±1000 %, and at most
    /// [`MAX_CITIES`] cities and [`MAX_KEYWORDS`] keywords of a few words each.
    pub fn parse(i: &BuyerPreferencesInput) -> Result<Self, ValidationError> {
        let (ticket_min, ticket_max) = range("ticket", i.ticket_min_paise, i.ticket_max_paise)?;
        let (revenue_min, revenue_max) =
            range("revenue", i.revenue_min_paise, i.revenue_max_paise)?;
        if i.ebitda_margin_min_pct
            .is_some_and(|p| !(-1000..=1000).contains(&p))
        {
            return Err(ValidationError::new(
                "ebitda_margin_min_pct",
                "must be between -1000 and 1000",
            ));
        }
        Ok(Self {
            sectors: each(&i.sectors, INDUSTRIES.len(), "sectors", industry)?,
            states: each(&i.states, STATES.len(), "states", state)?,
            cities: each(&i.cities, MAX_CITIES, "cities", |c| {
                free_word("cities", c, 60)
            })?,
            ticket_min,
            ticket_max,
            revenue_min,
            revenue_max,
            ebitda_margin_min_pct: i.ebitda_margin_min_pct,
            deal_types: each(
                &i.deal_types,
                DealType::ALL.len(),
                "deal_types",
                DealType::parse,
            )?,
            keywords: each(&i.keywords, MAX_KEYWORDS, "keywords", |k| {
                free_word("keywords", k, 60)
            })?,
        })
    }

    /// The preferences in the form they are given and kept in.
    pub fn to_input(&self) -> BuyerPreferencesInput {
        let paise = |p: Option<Paise>| p.map(Paise::get);
        BuyerPreferencesInput {
            sectors: self.sectors.iter().map(|i| i.id.to_string()).collect(),
            states: self.states.iter().map(|s| s.name.to_string()).collect(),
            cities: self.cities.clone(),
            ticket_min_paise: paise(self.ticket_min),
            ticket_max_paise: paise(self.ticket_max),
            revenue_min_paise: paise(self.revenue_min),
            revenue_max_paise: paise(self.revenue_max),
            ebitda_margin_min_pct: self.ebitda_margin_min_pct,
            deal_types: self
                .deal_types
                .iter()
                .map(|d| d.as_str().to_string())
                .collect(),
            keywords: self.keywords.clone(),
        }
    }

    /// The JSON document stores keep.
    pub fn to_document(&self) -> String {
        serde_json::to_string(&self.to_input()).unwrap_or_else(|_| "{}".into())
    }

    /// Reads a stored document back; one that no longer parses is corruption.
    pub fn from_document(doc: &str) -> Result<Self, StoreError> {
        let input: BuyerPreferencesInput =
            serde_json::from_str(doc).map_err(StoreError::backend)?;
        Self::parse(&input).map_err(StoreError::backend)
    }

    /// True when nothing is set: such a buyer is matched on text and figures alone.
    pub fn is_empty(&self) -> bool {
        *self == Self::default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    pub(crate) fn input() -> BuyerPreferencesInput {
        BuyerPreferencesInput {
            sectors: vec!["machinery".into(), "auto_components".into()],
            states: vec!["MH".into(), "Gujarat".into()],
            cities: vec![" Pune ".into()],
            ticket_min_paise: Some(5_00_00_000_00),
            ticket_max_paise: Some(15_00_00_000_00),
            revenue_min_paise: None,
            revenue_max_paise: Some(50_00_00_000_00),
            ebitda_margin_min_pct: Some(12),
            deal_types: vec!["full_sale".into()],
            keywords: vec!["CNC".into(), "export customers".into()],
        }
    }

    #[test]
    fn preferences_parse_and_round_trip_through_their_document() {
        let p = BuyerPreferences::parse(&input()).unwrap();
        assert_eq!(p.states[1].code, "GJ");
        assert_eq!(p.cities, ["Pune"]);
        let doc = p.to_document();
        assert!(doc.contains("\"ticket_max_paise\":15000000000,"), "{doc}");
        assert_eq!(BuyerPreferences::from_document(&doc).unwrap(), p);
        assert!(BuyerPreferences::default().is_empty());
    }

    #[test]
    fn each_bad_field_is_named() {
        type Change = Box<dyn Fn(&mut BuyerPreferencesInput)>;
        let cases: Vec<(Change, &str)> = vec![
            (Box::new(|i| i.sectors.push("mining".into())), "sectors"),
            (Box::new(|i| i.states.push("Atlantis".into())), "states"),
            (Box::new(|i| i.cities.push("  ".into())), "cities"),
            (
                Box::new(|i| i.ticket_min_paise = Some(20_00_00_000_00)),
                "ticket_min_paise",
            ),
            (
                Box::new(|i| i.revenue_max_paise = Some(-1)),
                "revenue_max_paise",
            ),
            (
                Box::new(|i| i.ebitda_margin_min_pct = Some(5000)),
                "ebitda_margin_min_pct",
            ),
            (
                Box::new(|i| i.deal_types.push("merger".into())),
                "deal_types",
            ),
            (Box::new(|i| i.keywords.push("!!!".into())), "keywords"),
            (
                Box::new(|i| i.keywords = vec!["cnc".into(); MAX_KEYWORDS + 1]),
                "keywords",
            ),
        ];
        for (change, field) in cases {
            let mut i = input();
            change(&mut i);
            assert_eq!(BuyerPreferences::parse(&i).unwrap_err().field, field);
        }
    }

    #[test]
    fn repeats_are_dropped() {
        let mut i = input();
        i.sectors.push("machinery".into());
        i.states.push("Maharashtra".into());
        let p = BuyerPreferences::parse(&i).unwrap();
        assert_eq!((p.sectors.len(), p.states.len()), (2, 2));
    }
}
