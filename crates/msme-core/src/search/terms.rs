//! What a text is indexed under and what a query word matches: words, their English stems,
//! the other names of Indian places, and the last word of a query as a prefix.
//!
//! Both indexes take their terms from here (tantivy as pre-tokenized text, PostgreSQL as
//! tsvector literals), so they hold the same terms and match them by the same rules:
//! - A text is indexed under each of its [`words`](super::words) and, at the same position,
//!   the word's English stem when that differs (`textiles` → `textil`).
//! - A query word matches a term exactly when the term is the word, its stem, or another name
//!   of the same place (`bangalore` → `bengaluru`); with typos when the term is within the
//!   word's [`typo_budget`] of the word, or within the stem's budget of the stem (so `textle`,
//!   stem `textl`, reaches `textil`); and, for the last word of the query (search as you type),
//!   when the term begins with it (`sof` → `software`), from [`MIN_PREFIX_CHARS`] characters.
//!
//! [`ANALYSIS`] names this version of the rules; an index built under another is rebuilt.

use std::sync::OnceLock;

use rust_stemmers::{Algorithm, Stemmer};

use super::text::{osa_distance_at_most, words};
use super::typo_budget;

/// The version of the analysis indexes are built with. An index that reports another (see
/// `SearchIndex::analysis`) is rebuilt from the store when a platform opens on it.
/// 1: words only. 2: words and stems.
pub const ANALYSIS: u32 = 2;

/// The last word of a query matches as a prefix from this many characters on.
pub const MIN_PREFIX_CHARS: usize = 2;

/// Other names of one place, the one in use today first: cities renamed since 1995 and the
/// spellings people still search with. Every name of a group finds text with any other.
const PLACE_NAMES: &[&[&str]] = &[
    &["bengaluru", "bangalore"],
    &["mumbai", "bombay"],
    &["chennai", "madras"],
    &["kolkata", "calcutta"],
    &["gurugram", "gurgaon"],
    &["pune", "poona"],
    &["vadodara", "baroda"],
    &["mysuru", "mysore"],
    &["mangaluru", "mangalore"],
    &["belagavi", "belgaum"],
    &["hubballi", "hubli"],
    &["kalaburagi", "gulbarga"],
    &["tumakuru", "tumkur"],
    &["shivamogga", "shimoga"],
    &["ballari", "bellary"],
    &["vijayapura", "bijapur"],
    &["thiruvananthapuram", "trivandrum"],
    &["kochi", "cochin"],
    &["kozhikode", "calicut"],
    &["thrissur", "trichur"],
    &["tiruchirappalli", "trichy"],
    &["thoothukudi", "tuticorin"],
    &["puducherry", "pondicherry"],
    &["visakhapatnam", "vizag"],
    &["prayagraj", "allahabad"],
    &["varanasi", "benares", "banaras"],
    &["kanpur", "cawnpore"],
    &["shimla", "simla"],
    &["panaji", "panjim"],
    &["odisha", "orissa"],
];

/// A word of an indexed text and, when it differs, its stem (indexed at the same position).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct IndexedWord {
    pub word: String,
    pub stem: Option<String>,
}

/// The words of `text` with their stems, in order.
pub fn indexed_words(text: &str) -> Vec<IndexedWord> {
    words(text)
        .into_iter()
        .map(|word| {
            let stem = stem(&word);
            IndexedWord { word, stem }
        })
        .collect()
}

/// The English stem of a word (lower-case ASCII letters only), when it differs from the word:
/// `textiles` → `textil`, `machining` → `machin`. Other words (numbers, other scripts) are
/// their own stem.
pub fn stem(word: &str) -> Option<String> {
    if !word.bytes().all(|b| b.is_ascii_lowercase()) {
        return None;
    }
    static STEMMER: OnceLock<Stemmer> = OnceLock::new();
    let stemmer = STEMMER.get_or_init(|| Stemmer::create(Algorithm::English));
    let stem = stemmer.stem(word);
    (stem != word && !stem.is_empty()).then(|| stem.into_owned())
}

/// The other names of the place `word` names (none for other words).
pub fn other_names(word: &str) -> &'static [&'static str] {
    PLACE_NAMES
        .iter()
        .find(|names| names.contains(&word))
        .copied()
        .unwrap_or(&[])
}

/// One word of a query, with what it matches.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct QueryWord {
    /// The word as [`words`] gives it.
    pub word: String,
    /// Its stem, when that differs.
    pub stem: Option<String>,
    /// Every name of the place it names, itself included (empty for other words).
    pub names: &'static [&'static str],
    /// Whether terms beginning with the word match (the query's last word).
    pub prefix: bool,
}

/// The words of a query; the last one matches as a prefix when it is long enough.
pub fn query_words(query: &str) -> Vec<QueryWord> {
    let all = words(query);
    let last = all.len().saturating_sub(1);
    all.into_iter()
        .enumerate()
        .map(|(i, word)| QueryWord {
            stem: stem(&word),
            names: other_names(&word),
            prefix: i == last && word.chars().count() >= MIN_PREFIX_CHARS,
            word,
        })
        .collect()
}

impl QueryWord {
    /// The terms it matches exactly: the word, its stem, the place's other names.
    pub fn exact(&self) -> Vec<&str> {
        let mut out = vec![self.word.as_str()];
        out.extend(self.stem.as_deref());
        out.extend(self.names.iter().copied().filter(|n| *n != self.word));
        out
    }

    /// What typos are counted from, each with its budget: the word, and its stem (when that
    /// differs and its own budget allows any).
    pub fn typo_probes(&self) -> Vec<(&str, u8)> {
        let mut out = Vec::with_capacity(2);
        for probe in std::iter::once(self.word.as_str()).chain(self.stem.as_deref()) {
            let budget = typo_budget(probe);
            if budget > 0 {
                out.push((probe, budget));
            }
        }
        out
    }

    /// Whether an indexed term is within a typo probe's budget (not counting exact matches
    /// or prefixes).
    pub fn within_typos(&self, term: &str) -> bool {
        self.typo_probes()
            .iter()
            .any(|(probe, budget)| osa_distance_at_most(probe, term, usize::from(*budget)))
    }

    /// Whether the word matches an indexed term, by any of the rules.
    pub fn matches(&self, term: &str) -> bool {
        self.exact().contains(&term)
            || self.within_typos(term)
            || (self.prefix && term.starts_with(self.word.as_str()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plurals_and_suffixes_stem_to_one_term() {
        assert_eq!(stem("textiles").as_deref(), Some("textil"));
        assert_eq!(stem("textile").as_deref(), Some("textil"));
        assert_eq!(stem("machining").as_deref(), Some("machin"));
        assert_eq!(stem("bakeries").as_deref(), Some("bakeri"));
        assert_eq!(stem("bakery").as_deref(), Some("bakeri"));
        assert_eq!(stem("pune"), None);
        assert_eq!(stem("2024"), None);
        assert_eq!(stem("ωmega"), None);
        let w = indexed_words("Cotton textiles, Pune");
        assert_eq!(w[1].stem.as_deref(), Some("textil"));
        assert_eq!(
            w[2],
            IndexedWord {
                word: "pune".into(),
                stem: None
            }
        );
    }

    #[test]
    fn misspellings_reach_the_stem_of_the_right_word() {
        let right: Vec<String> = ["textiles", "textile"]
            .iter()
            .flat_map(|w| std::iter::once(w.to_string()).chain(stem(w)))
            .collect();
        for typed in ["textle", "textil", "txtile", "textiles", "textile"] {
            let q = &query_words(&format!("{typed} unit"))[0];
            assert!(right.iter().any(|t| q.matches(t)), "{typed}");
        }
        let q = &query_words("cake unit")[0];
        assert!(!q.matches("care"), "a 4-letter stem has no typo budget");
    }

    #[test]
    fn places_match_by_every_name() {
        let q = &query_words("Bangalore bakery")[0];
        assert!(q.matches("bengaluru") && q.matches("bangalore"));
        assert!(!q.prefix, "only the last word is a prefix");
        assert!(query_words("pune")[0].exact().contains(&"poona"));
        assert_eq!(other_names("surat"), &[] as &[&str]);
    }

    #[test]
    fn the_last_word_matches_as_a_prefix() {
        let q = query_words("pune sof");
        assert!(q[1].prefix && q[1].matches("software"));
        assert!(!q[0].matches("punekar"));
        assert!(!query_words("s")[0].prefix, "one letter is too short");
    }
}
