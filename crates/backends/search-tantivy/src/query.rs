//! Turning a [`SearchRequest`] into a tantivy query: the words, with typo tolerance, and the
//! filters.

use std::ops::Bound;

use msme_core::search::{query_words, QueryWord, SearchFilters, SearchRequest};
use tantivy::query::{
    AllQuery, BooleanQuery, BoostQuery, ConstScoreQuery, FuzzyTermQuery, Occur, Query, RangeQuery,
    TermQuery,
};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::Term;

use crate::schema::Fields;

/// How much a match within the typo budget, or by prefix, counts next to an exact match's
/// BM25 score.
const FUZZY_WEIGHT: f32 = 0.5;

/// The query for a request: every word must match, and every filter must hold. Filters add
/// nothing to the score, so relevance is the words' BM25 alone.
pub(crate) fn build(f: &Fields, request: &SearchRequest) -> Box<dyn Query> {
    let mut must: Vec<(Occur, Box<dyn Query>)> = query_words(&request.query)
        .iter()
        .map(|w| (Occur::Must, word(f, w)))
        .collect();
    let filters = filters(f, &request.filters);
    if !filters.is_empty() {
        let all = BooleanQuery::new(filters.into_iter().map(|q| (Occur::Must, q)).collect());
        must.push((
            Occur::Must,
            Box::new(ConstScoreQuery::new(Box::new(all), 0.0)),
        ));
    }
    if must.is_empty() {
        return Box::new(AllQuery);
    }
    Box::new(BooleanQuery::new(must))
}

/// One word, in any text field: an exact match of the word, its stem or another name of the
/// place (BM25, weighted by field), or a term within a typo budget or beginning with the last
/// word (a constant, smaller score).
fn word(f: &Fields, w: &QueryWord) -> Box<dyn Query> {
    let mut any: Vec<(Occur, Box<dyn Query>)> = Vec::new();
    let mut should = |q: Box<dyn Query>, weight: f32| {
        any.push((Occur::Should, Box::new(BoostQuery::new(q, weight))));
    };
    for (field, weight) in f.text {
        for exact in w.exact() {
            let term = Term::from_field_text(field, exact);
            should(
                Box::new(TermQuery::new(term, IndexRecordOption::WithFreqs)),
                weight,
            );
        }
        let fuzzy = FUZZY_WEIGHT * weight;
        for (probe, budget) in w.typo_probes() {
            let term = Term::from_field_text(field, probe);
            should(Box::new(FuzzyTermQuery::new(term, budget, true)), fuzzy);
        }
        if w.prefix {
            let term = Term::from_field_text(field, &w.word);
            should(Box::new(FuzzyTermQuery::new_prefix(term, 0, true)), fuzzy);
        }
    }
    Box::new(BooleanQuery::new(any))
}

fn term(field: Field, value: &str) -> Box<dyn Query> {
    Box::new(TermQuery::new(
        Term::from_field_text(field, value),
        IndexRecordOption::Basic,
    ))
}

/// `field` between `min` and `max`, both included; `None` when neither is set.
fn range(field: Field, min: Option<i64>, max: Option<i64>) -> Option<Box<dyn Query>> {
    if min.is_none() && max.is_none() {
        return None;
    }
    let bound = |v: Option<i64>| {
        v.map_or(Bound::Unbounded, |v| {
            Bound::Included(Term::from_field_i64(field, v))
        })
    };
    Some(Box::new(RangeQuery::new(bound(min), bound(max))))
}

/// One query per filter that is set.
fn filters(f: &Fields, s: &SearchFilters) -> Vec<Box<dyn Query>> {
    let mut out = Vec::new();
    if let Some(i) = s.industry {
        out.push(term(f.industry, i.id));
    }
    if let Some(st) = s.state {
        out.push(term(f.state, st.code));
    }
    if let Some(city) = s.city_key() {
        out.push(term(f.city, &city));
    }
    if let Some(d) = s.deal_type {
        out.push(term(f.deal_type, d.as_str()));
    }
    if s.verified_only {
        let t = Term::from_field_bool(f.verified, true);
        out.push(Box::new(TermQuery::new(t, IndexRecordOption::Basic)));
    }
    let paise = |p: Option<msme_core::money::Paise>| p.map(|p| p.get());
    let ranges = [
        range(
            f.price,
            paise(s.asking_price_min_paise),
            paise(s.asking_price_max_paise),
        ),
        range(
            f.revenue,
            paise(s.revenue_min_paise),
            paise(s.revenue_max_paise),
        ),
        range(
            f.margin_bps,
            s.ebitda_margin_min_pct.map(|p| i64::from(p) * 100),
            s.ebitda_margin_max_pct.map(|p| i64::from(p) * 100),
        ),
        range(
            f.year,
            s.year_established_min.map(i64::from),
            s.year_established_max.map(i64::from),
        ),
    ];
    out.extend(ranges.into_iter().flatten());
    out
}
