//! Text as PostgreSQL full-text search holds it: tsvector and tsquery literals built in Rust
//! from [`msme_core::search::indexed_words`] (words and their stems), so every lexeme is
//! exactly a term tantivy indexes and no text search configuration of the server changes it.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use msme_core::search::{indexed_words, SearchDoc};

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

/// The document's words and stems as a tsvector literal (`'cnc':2A 'pune':5B,9D`; a stem at
/// its word's position), and its distinct terms (for the vocabulary of misspellings).
pub(super) fn tsvector(d: &SearchDoc) -> (String, Vec<String>) {
    let mut positions: BTreeMap<String, Vec<(usize, char)>> = BTreeMap::new();
    let mut at = 0;
    for (weight, text) in fields(d) {
        for w in indexed_words(&text) {
            at = (at + 1).min(MAX_POSITION);
            for term in std::iter::once(w.word).chain(w.stem) {
                let list = positions.entry(term).or_default();
                if list.len() < MAX_POSITIONS {
                    list.push((at, weight));
                }
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

/// One alternative of a query word in a tsquery.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) enum Lexeme {
    /// This term exactly.
    Term(String),
    /// Any term beginning with this (`'sof':*`).
    Prefix(String),
}

impl Lexeme {
    fn literal(&self) -> String {
        match self {
            Lexeme::Term(t) => quote(t),
            Lexeme::Prefix(p) => format!("{}:*", quote(p)),
        }
    }
}

/// A tsquery literal: every group must match, any alternative of a group will do
/// (`('machining' | 'machinng') & ('pune' | 'pun':*)`). `None` without groups.
pub(super) fn tsquery(groups: &[Vec<Lexeme>]) -> Option<String> {
    let parts: Vec<String> = groups
        .iter()
        .filter(|g| !g.is_empty())
        .map(|g| {
            let alts: Vec<String> = g.iter().map(Lexeme::literal).collect();
            format!("({})", alts.join(" | "))
        })
        .collect();
    (!parts.is_empty()).then(|| parts.join(" & "))
}

/// A tsquery literal matching any of the terms (what a query matches exactly, for the bonus
/// exact matches earn over misspellings and prefixes).
pub(super) fn any_of(terms: &[&str]) -> Option<String> {
    (!terms.is_empty()).then(|| {
        let alts: Vec<String> = terms.iter().map(|w| quote(w)).collect();
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
        assert!(literal.contains("'cotton':1A"), "{literal}");
        assert!(literal.contains("'surat':"), "{literal}");
        assert!(terms.contains(&"cotton".to_string()));
        assert!(terms.contains(&"textil".to_string()), "stems are terms too");
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
        let term = |t: &str| Lexeme::Term(t.into());
        let groups = vec![
            vec![term("machining"), term("machinng")],
            vec![],
            vec![term("pun"), Lexeme::Prefix("pun".into())],
        ];
        assert_eq!(
            tsquery(&groups).unwrap(),
            "('machining' | 'machinng') & ('pun' | 'pun':*)"
        );
        assert_eq!(tsquery(&[vec![]]), None);
        assert_eq!(any_of(&["a", "b"]).unwrap(), "'a' | 'b'");
        assert_eq!(quote("o'k"), "'o''k'");
    }
}
