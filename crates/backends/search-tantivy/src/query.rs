//! Turning a [`SearchRequest`] into a tantivy query: the words, with typo tolerance, and the
//! filters.

use std::ops::Bound;

use msme_core::search::{typo_budget, SearchFilters, SearchRequest};
use tantivy::query::{
    AllQuery, BooleanQuery, BoostQuery, ConstScoreQuery, FuzzyTermQuery, Occur, Query, RangeQuery,
    TermQuery,
};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::tokenizer::TokenStream;
use tantivy::Term;

use crate::schema::{text_analyzer, Fields};

/// How much a match within the typo budget counts next to an exact match's BM25 score.
const FUZZY_WEIGHT: f32 = 0.5;

/// The query for a request: every word must match, and every filter must hold. Filters add
/// nothing to the score, so relevance is the words' BM25 alone.
pub(crate) fn build(f: &Fields, request: &SearchRequest) -> Box<dyn Query> {
    let mut must: Vec<(Occur, Box<dyn Query>)> = words(&request.query)
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

/// The query's words, analysed as the indexed text is.
pub(crate) fn words(query: &str) -> Vec<String> {
    let mut analyzer = text_analyzer();
    let mut stream = analyzer.token_stream(query);
    let mut out = Vec::new();
    while let Some(t) = stream.next() {
        out.push(t.text.clone());
    }
    out
}

/// One word: an exact match in any text field (BM25, weighted by field), or one within the
/// word's typo budget (a constant, smaller score).
fn word(f: &Fields, w: &str) -> Box<dyn Query> {
    let budget = typo_budget(w);
    let mut any: Vec<(Occur, Box<dyn Query>)> = Vec::new();
    for (field, weight) in f.text {
        let term = Term::from_field_text(field, w);
        let exact = TermQuery::new(term.clone(), IndexRecordOption::WithFreqs);
        any.push((
            Occur::Should,
            Box::new(BoostQuery::new(Box::new(exact), weight)),
        ));
        if budget > 0 {
            let fuzzy = FuzzyTermQuery::new(term, budget, true);
            let boost = FUZZY_WEIGHT * weight;
            any.push((
                Occur::Should,
                Box::new(BoostQuery::new(Box::new(fuzzy), boost)),
            ));
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
