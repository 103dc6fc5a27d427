//! `query_listings`: every filter of a [`ListingQuery`], then keyset pagination by
//! `(sort key, id)`.
//!
//! The SQL is assembled from fixed fragments; every value travels as a bind parameter.

use chrono::{DateTime, Utc};
use msme_core::listing::{ListingCursor, ListingQuery, ListingSort};
use sqlx::{Postgres, QueryBuilder};

use super::rows::listing_columns;
use super::write::city_key;
use crate::rows::limit;

/// Earliest and latest instants a `newest` cursor can name (0001-01-01 and the end of 9999),
/// in microseconds. A forged cursor outside them is clamped, so it pages from an end instead
/// of failing; no stored listing is created outside them.
const MIN_CURSOR_MICROS: i64 = -62_135_596_800_000_000;
const MAX_CURSOR_MICROS: i64 = 253_402_300_799_999_999;

/// The `SELECT` for `q`, ready to run.
pub(super) fn listing_select(q: &ListingQuery) -> QueryBuilder<Postgres> {
    let mut b = QueryBuilder::new(concat!(
        "SELECT ",
        listing_columns!(),
        " FROM listings WHERE TRUE"
    ));
    push_filters(&mut b, q);
    if let Some(after) = &q.after {
        push_after(&mut b, q.sort, after);
    }
    b.push(match q.sort {
        ListingSort::Newest => " ORDER BY created_at DESC, id DESC",
        ListingSort::PriceAsc => " ORDER BY asking_price_paise ASC, id ASC",
        ListingSort::PriceDesc => " ORDER BY asking_price_paise DESC, id DESC",
    });
    b.push(" LIMIT ").push_bind(limit(q.limit));
    b
}

fn push_filters(b: &mut QueryBuilder<Postgres>, q: &ListingQuery) {
    if !q.statuses.is_empty() {
        let statuses: Vec<&'static str> = q.statuses.iter().map(|s| s.as_str()).collect();
        b.push(" AND status = ANY(").push_bind(statuses).push(")");
    }
    if let Some(seller) = &q.seller {
        b.push(" AND seller_id = ")
            .push_bind(seller.as_str().to_owned());
    }
    if let Some(industry) = q.industry {
        b.push(" AND industry = ").push_bind(industry.id);
    }
    if let Some(state) = q.state {
        b.push(" AND state = ").push_bind(state.name);
    }
    if let Some(city) = &q.city {
        b.push(" AND city_key = ").push_bind(city_key(city));
    }
    if let Some(deal) = q.deal_type {
        b.push(" AND deal_type = ").push_bind(deal.as_str());
    }
    if let Some(min) = q.min_price {
        b.push(" AND asking_price_paise >= ").push_bind(min.get());
    }
    if let Some(max) = q.max_price {
        b.push(" AND asking_price_paise <= ").push_bind(max.get());
    }
}

/// Rows strictly after the cursor in the sort order: a row comparison on the same
/// `(key, id)` pair the `ORDER BY` uses, so ties on the key page exactly once.
fn push_after(b: &mut QueryBuilder<Postgres>, sort: ListingSort, after: &ListingCursor) {
    let id = after.id.as_str().to_owned();
    match sort {
        ListingSort::Newest => {
            let micros = after.key.clamp(MIN_CURSOR_MICROS, MAX_CURSOR_MICROS);
            let at = DateTime::<Utc>::from_timestamp_micros(micros).unwrap_or(DateTime::UNIX_EPOCH);
            b.push(" AND (created_at, id) < (").push_bind(at);
        }
        ListingSort::PriceAsc => {
            b.push(" AND (asking_price_paise, id) > (")
                .push_bind(after.key);
        }
        ListingSort::PriceDesc => {
            b.push(" AND (asking_price_paise, id) < (")
                .push_bind(after.key);
        }
    }
    b.push(", ").push_bind(id).push(")");
}

#[cfg(test)]
mod tests {
    use super::*;
    use msme_core::listing::{industry, ListingId, ListingStatus};

    #[test]
    fn filters_become_bound_parameters() {
        let q = ListingQuery {
            statuses: vec![ListingStatus::Published],
            industry: Some(industry("machinery").expect("industry")),
            city: Some("Pune'; DROP TABLE listings; --".into()),
            sort: ListingSort::PriceDesc,
            after: Some(ListingCursor {
                key: 5,
                id: ListingId::generate(),
            }),
            ..ListingQuery::default()
        };
        let sql = listing_select(&q).into_string();
        assert!(!sql.contains("Pune"), "{sql}");
        assert!(sql.contains("status = ANY($1)"), "{sql}");
        assert!(sql.contains("(asking_price_paise, id) < ($4, $5)"), "{sql}");
        assert!(
            sql.ends_with("ORDER BY asking_price_paise DESC, id DESC LIMIT $6"),
            "{sql}"
        );
    }

    #[test]
    fn forged_newest_cursors_are_clamped_not_refused() {
        let q = ListingQuery {
            after: Some(ListingCursor {
                key: i64::MIN,
                id: ListingId::generate(),
            }),
            ..ListingQuery::default()
        };
        assert!(listing_select(&q)
            .into_string()
            .contains("(created_at, id) < ($1, $2)"));
    }
}
