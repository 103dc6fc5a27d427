//! Cursors of search result pages: where the last page ended, as an order key and an id.
//!
//! Every index orders hits by `(key, id)` ascending, where `key` is an unsigned order key
//! derived from the sort value (see the `order_key_*` functions) and `id` is the listing id
//! (canonical UUID text, whose byte order is its numeric order). The next page is the hits
//! strictly after the cursor, so no offset is kept: a page never repeats or skips a listing
//! whose sort value did not change in between. Relevance keys depend on the index's scoring,
//! so a cursor only works on the index that gave it out.

use base64::Engine as _;

use super::SearchSort;
use crate::listing::ListingId;
use crate::search::SearchError;

/// Where a page of hits ended.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SearchCursor {
    /// The sort order the cursor belongs to; a cursor is refused under another.
    pub sort: SearchSort,
    /// The order key of the last hit.
    pub key: u64,
    /// The id of the last hit.
    pub id: ListingId,
}

const SIGN: u64 = 1 << 63;

/// Order key for an ascending sort on `value`.
pub fn order_key_asc(value: i64) -> u64 {
    // Flipping the sign bit maps i64 order onto u64 order.
    (value as u64) ^ SIGN
}

/// Order key for a descending sort on `value`; a missing value sorts last.
pub fn order_key_desc(value: Option<i64>) -> u64 {
    value.map_or(u64::MAX, |v| !order_key_asc(v))
}

/// Order key for relevance: higher scores first. Scores are finite and not negative.
pub fn order_key_score(score: f32) -> u64 {
    u64::from(!score.max(0.0).to_bits())
}

impl SearchCursor {
    /// An opaque string for clients.
    pub fn encode(&self) -> String {
        let text = format!("s1.{}.{}.{}", self.sort.as_str(), self.key, self.id);
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(text)
    }

    /// Reads a cursor a client sent back; anything this server did not make is refused.
    pub fn decode(s: &str) -> Result<Self, SearchError> {
        let raw = base64::engine::general_purpose::URL_SAFE_NO_PAD
            .decode(s)
            .map_err(|_| SearchError::InvalidCursor)?;
        let text = String::from_utf8(raw).map_err(|_| SearchError::InvalidCursor)?;
        let mut parts = text.splitn(4, '.');
        let (Some("s1"), Some(sort), Some(key), Some(id)) =
            (parts.next(), parts.next(), parts.next(), parts.next())
        else {
            return Err(SearchError::InvalidCursor);
        };
        Ok(Self {
            sort: SearchSort::parse(sort).map_err(|_| SearchError::InvalidCursor)?,
            key: key.parse().map_err(|_| SearchError::InvalidCursor)?,
            id: ListingId::parse(id).map_err(|_| SearchError::InvalidCursor)?,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cursors_round_trip_and_refuse_forgeries() {
        let c = SearchCursor {
            sort: SearchSort::PriceDesc,
            key: u64::MAX - 5,
            id: ListingId::generate(),
        };
        assert_eq!(SearchCursor::decode(&c.encode()).unwrap(), c);
        for bad in ["", "not-a-cursor", "czEueC4xLjI"] {
            assert!(matches!(
                SearchCursor::decode(bad),
                Err(SearchError::InvalidCursor)
            ));
        }
    }

    #[test]
    fn order_keys_follow_the_sort_direction() {
        assert!(order_key_asc(-5) < order_key_asc(0));
        assert!(order_key_asc(0) < order_key_asc(i64::MAX));
        assert!(order_key_desc(Some(10)) < order_key_desc(Some(3)));
        assert!(order_key_desc(Some(0)) < order_key_desc(None));
        assert!(order_key_score(2.5) < order_key_score(1.0));
        assert!(order_key_score(1.0) < order_key_score(0.0));
    }
}
