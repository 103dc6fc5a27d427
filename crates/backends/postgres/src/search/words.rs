//! Text as PostgreSQL full-text search holds it: tsvector and tsquery literals built in Rust
//! from [`msme_core::search::words`], so every lexeme is exactly the word tantivy would index
//! and no text search configuration of the server changes it.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use msme_core::search::{words, SearchDoc};

/// Positions PostgreSQL keeps per lexeme; further ones are left out.
const MAX_POSITIONS: usize = 256;
/// The highest position a tsvector holds.
const MAX_POSITION: usize = 16_383;

/// The weighted text of a document: title A, industry label and city B, state name C,
/// description D. An anonymous listing has only its industry label and state name.
fn fields(d: &SearchDoc) -> Vec<(char, String)> {
    let mut out = Vec::with_capacity(5);
    if let Some(named) = &d.named {
        out.push(('A', named.title.clone()));
    }
    out.push(('B', d.industry.label.to_string()));
    if let Some(named) = &d.named {
        out.push(('B', named.city.clone()));
    }
    out.push(('C', d.state.name.to_string()));
    if let Some(named) = &d.named {
        out.push(('D', named.description.clone()));
    }
    out
}

/// The document's words as a tsvector literal (`'cnc':2A 'pune':5B,9D`), and its distinct
/// words (for the vocabulary of misspellings).
pub(super) fn tsvector(d: &SearchDoc) -> (String, Vec<String>) {
    let mut positions: BTreeMap<String, Vec<(usize, char)>> = BTreeMap::new();
    let mut at = 0;
    for (weight, text) in fields(d) {
        for w in words(&text) {
            at = (at + 1).min(MAX_POSITION);
            let list = positions.entry(w).or_default();
            if list.len() < MAX_POSITIONS {
                list.push((at, weight));
            }
        }
        // A gap between fields, so a phrase never spans two of them.
        at = (at + 1).min(MAX_POSITION);
    }
    let mut literal = String::new();
    for (w, list) in &positions {
        literal.push_str(&quote(w));
        for (i, (p, weight)) in list.iter().enumerate() {
            let sep = if i == 0 { ":" } else { "," };
            let _ = write!(literal, "{sep}{p}{weight}");
        }
        literal.push(' ');
    }
    (literal, positions.into_keys().collect())
}

/// A word as a quoted lexeme. Words are alphanumeric, so there is nothing to escape; the
/// doubling is for safety should that ever change.
fn quote(w: &str) -> String {
    format!("'{}'", w.replace('\\', "\\\\").replace('\'', "''"))
}

/// A tsquery literal: every group must match, any word of a group will do
/// (`('machining' | 'machinng') & ('pune')`). `None` without groups.
pub(super) fn tsquery(groups: &[Vec<String>]) -> Option<String> {
    let parts: Vec<String> = groups
        .iter()
        .filter(|g| !g.is_empty())
        .map(|g| {
            let alts: Vec<String> = g.iter().map(|w| quote(w)).collect();
            format!("({})", alts.join(" | "))
        })
        .collect();
    (!parts.is_empty()).then(|| parts.join(" & "))
}

/// A tsquery literal matching any of the words (the exact words of a query, for the bonus
/// exact matches earn over misspellings).
pub(super) fn any_of(words: &[String]) -> Option<String> {
    (!words.is_empty()).then(|| {
        let alts: Vec<String> = words.iter().map(|w| quote(w)).collect();
        alts.join(" | ")
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn documents_weigh_words_by_field_and_hide_what_anonymous_listings_hide() {
        use msme_core::listing::{industry, state, DealType};
        let mut d = SearchDoc {
            id: msme_core::listing::ListingId::generate(),
            version: 1,
            named: Some(msme_core::search::NamedText {
                title: "Cotton mill".into(),
                description: "A mill.".into(),
                city: "Surat".into(),
            }),
            industry: industry("textiles_apparel").unwrap(),
            state: state("GJ").unwrap(),
            deal_type: DealType::FullSale,
            asking_price: msme_core::money::Paise::new(1),
            revenue: None,
            ebitda_margin_bps: None,
            year_established: 2000,
            verified: false,
            published_at: None,
        };
        let (literal, terms) = tsvector(&d);
        assert!(literal.contains("'mill':2A,"), "{literal}");
        assert!(literal.contains("'surat':"), "{literal}");
        assert!(terms.contains(&"cotton".to_string()));
        d.named = None;
        let (literal, _) = tsvector(&d);
        assert!(
            !literal.contains("mill") && !literal.contains("surat"),
            "{literal}"
        );
        assert!(literal.contains("'gujarat':"), "{literal}");
    }

    #[test]
    fn queries_join_groups_with_and_and_words_with_or() {
        let groups = vec![
            vec!["machining".to_string(), "machinng".into()],
            vec![],
            vec!["pune".into()],
        ];
        assert_eq!(
            tsquery(&groups).unwrap(),
            "('machining' | 'machinng') & ('pune')"
        );
        assert_eq!(tsquery(&[vec![]]), None);
        assert_eq!(any_of(&["a".into(), "b".into()]).unwrap(), "'a' | 'b'");
        assert_eq!(quote("o'k"), "'o''k'");
    }
}
