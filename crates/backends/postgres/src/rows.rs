//! Reading rows back into core types.

use msme_core::error::StoreError;
use sqlx::postgres::PgRow;
use sqlx::{Decode, Postgres, Row, Type};

use crate::error::store_error;

/// Reads one column, turning a decode failure into a `Backend` error.
pub(crate) fn col<'r, T>(row: &'r PgRow, name: &str) -> Result<T, StoreError>
where
    T: Decode<'r, Postgres> + Type<Postgres>,
{
    row.try_get(name).map_err(store_error)
}

/// Page sizes travel as `u32`; PostgreSQL's `LIMIT` takes a `BIGINT`.
pub(crate) fn limit(n: u32) -> i64 {
    i64::from(n)
}
