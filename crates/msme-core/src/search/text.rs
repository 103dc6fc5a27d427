//! Words as every index sees them, and the edit distance typo tolerance counts.
//!
//! tantivy analyses text with its own tokenizer and filters; indexes that do not (PostgreSQL)
//! use [`words`], which gives the same words for the same text: split on every character that
//! is not alphanumeric, drop tokens of 40 bytes or more, lower-case, and fold the Latin-1 and
//! Latin Extended-A letters to ASCII as tantivy's `AsciiFoldingFilter` does (`Café` → `cafe`,
//! `Straße` → `strasse`). A test in `msme-search-tantivy` checks the two agree letter by letter.

use super::typo_budget;

/// Tokens this long (in UTF-8 bytes) or longer are not words but noise (hashes, URLs).
pub const MAX_WORD_BYTES: usize = 40;

/// The words of `text`, in order, repeats kept.
pub fn words(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|t| !t.is_empty() && t.len() < MAX_WORD_BYTES)
        .map(|t| {
            let mut out = String::with_capacity(t.len());
            for c in t.chars().flat_map(char::to_lowercase) {
                match fold(c) {
                    Some(ascii) => out.push_str(ascii),
                    None => out.push(c),
                }
            }
            out
        })
        .collect()
}

/// The ASCII a lower-case Latin letter folds to; `None` for letters that stay as they are.
fn fold(c: char) -> Option<&'static str> {
    Some(match c {
        'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' | 'ā' | 'ă' | 'ą' => "a",
        'æ' => "ae",
        'ç' | 'ć' | 'ĉ' | 'ċ' | 'č' => "c",
        'ð' | 'ď' | 'đ' => "d",
        'è' | 'é' | 'ê' | 'ë' | 'ē' | 'ĕ' | 'ė' | 'ę' | 'ě' => "e",
        'ĝ' | 'ğ' | 'ġ' | 'ģ' => "g",
        'ĥ' | 'ħ' => "h",
        'ì' | 'í' | 'î' | 'ï' | 'ĩ' | 'ī' | 'ĭ' | 'į' | 'ı' => "i",
        'ĳ' => "ij",
        'ĵ' => "j",
        'ķ' => "k",
        'ĺ' | 'ļ' | 'ľ' | 'ŀ' | 'ł' => "l",
        'ñ' | 'ń' | 'ņ' | 'ň' | 'ŉ' | 'ŋ' => "n",
        'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'ø' | 'ō' | 'ŏ' | 'ő' => "o",
        'œ' => "oe",
        'ĸ' => "q",
        'ŕ' | 'ŗ' | 'ř' => "r",
        'ś' | 'ŝ' | 'ş' | 'š' | 'ſ' => "s",
        'ß' => "ss",
        'ţ' | 'ť' | 'ŧ' => "t",
        'þ' => "th",
        'ù' | 'ú' | 'û' | 'ü' | 'ũ' | 'ū' | 'ŭ' | 'ů' | 'ű' | 'ų' => "u",
        'ŵ' => "w",
        'ý' | 'ÿ' | 'ŷ' => "y",
        'ź' | 'ż' | 'ž' => "z",
        _ => return None,
    })
}

/// Whether `term` (an indexed word) is within `query_word`'s [`typo_budget`], counting edits
/// as tantivy's fuzzy queries do: insertions, deletions, substitutions and transpositions of
/// two neighbours (the optimal string alignment distance), by characters.
pub fn within_typo_budget(query_word: &str, term: &str) -> bool {
    let budget = usize::from(typo_budget(query_word));
    osa_distance_at_most(query_word, term, budget)
}

/// Whether the optimal string alignment distance of `a` and `b` is at most `max`.
pub fn osa_distance_at_most(a: &str, b: &str, max: usize) -> bool {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    if a.len().abs_diff(b.len()) > max {
        return false;
    }
    // Three rows of the dynamic programme: two back (for transpositions), one back, current.
    let mut before: Vec<usize> = vec![0; b.len() + 1];
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    let mut row = vec![0; b.len() + 1];
    for i in 1..=a.len() {
        row[0] = i;
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut d = (prev[j] + 1).min(row[j - 1] + 1).min(prev[j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                d = d.min(before[j - 2] + 1);
            }
            row[j] = d;
        }
        if row.iter().all(|&d| d > max) {
            return false;
        }
        std::mem::swap(&mut before, &mut prev);
        std::mem::swap(&mut prev, &mut row);
    }
    prev[b.len()] <= max
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_split_lower_case_and_fold() {
        assert_eq!(
            words("Café & Restaurant, WHO-GMP plant: Straße 12"),
            ["cafe", "restaurant", "who", "gmp", "plant", "strasse", "12"]
        );
        assert_eq!(words("  "), Vec::<String>::new());
        let long = "x".repeat(MAX_WORD_BYTES);
        assert_eq!(words(&format!("a {long} b")), ["a", "b"]);
        // Scripts other than Latin stay as they are, lower-cased.
        assert_eq!(words("Ωmega Pune"), ["ωmega", "pune"]);
    }

    #[test]
    fn typo_budget_counts_transpositions_as_one_edit() {
        assert!(within_typo_budget("spinnign", "spinning"));
        assert!(within_typo_budget("bakry", "bakery"));
        assert!(within_typo_budget("kustomerz", "customers"));
        assert!(!within_typo_budget("kustomrz", "customers"));
        assert!(!within_typo_budget("pume", "pune"));
        assert!(within_typo_budget("pune", "pune"));
    }

    #[test]
    fn osa_distance_matches_the_definition() {
        let cases = [
            ("", "", 0),
            ("abc", "", 3),
            ("kitten", "sitting", 3),
            ("ca", "ac", 1),
            ("ca", "abc", 3), // OSA, not full Damerau: no edit of a transposed pair
            ("machining", "machinng", 1),
        ];
        for (a, b, d) in cases {
            assert!(osa_distance_at_most(a, b, d), "{a} {b} ≤ {d}");
            if d > 0 {
                assert!(!osa_distance_at_most(a, b, d - 1), "{a} {b} > {}", d - 1);
            }
        }
    }
}
