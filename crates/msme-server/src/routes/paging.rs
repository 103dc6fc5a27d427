//! Lists read in pages: the `cursor` and `limit` every such list takes, and the page it gives.

use axum::Json;
use serde::Deserialize;
use utoipa::IntoParams;

use super::parse_id;
use crate::error::ApiError;
use crate::extract::ParseId;
use crate::wire::Page;

/// Page size when the request names none.
const DEFAULT_LIMIT: u32 = 50;
/// The largest page one request returns.
const MAX_LIMIT: u32 = 200;

/// Where a page starts and how long it is.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PageQuery {
    /// The `next_cursor` of the previous page.
    pub cursor: Option<String>,
    /// Page size, 1 to 200 (default 50).
    pub limit: Option<u32>,
}

impl PageQuery {
    /// The cursor, parsed as what it stands for (a bad one is a 400 naming `cursor`), and the
    /// page size within bounds.
    pub fn parse<T: ParseId>(&self) -> Result<Paging<T>, ApiError> {
        let after = self.cursor.as_deref();
        let after = after.map(|c| parse_id(c, "cursor", T::parse_id));
        Ok(Paging {
            after: after.transpose()?,
            limit: self.limit.unwrap_or(DEFAULT_LIMIT).clamp(1, MAX_LIMIT),
        })
    }
}

/// A page to read: after which row, and how many rows.
#[derive(Debug)]
pub struct Paging<T> {
    pub after: Option<T>,
    pub limit: u32,
}

impl<T> Paging<T> {
    /// How many rows to fetch: one more than the page, so the extra row says whether another
    /// page follows (and the last page is never empty).
    pub fn fetch(&self) -> u32 {
        self.limit + 1
    }

    /// The page of `rows` fetched with [`Self::fetch`]; its cursor is `cursor` of the last row
    /// kept.
    pub fn page<R, B>(&self, rows: Vec<R>, cursor: impl Fn(&R) -> String) -> Json<Page<B>>
    where
        B: for<'a> From<&'a R>,
    {
        Json(Page::of_overfetched(rows, self.limit as usize, cursor))
    }
}
