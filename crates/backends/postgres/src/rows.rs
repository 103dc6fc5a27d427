//! Running statements and reading their rows back into core types.
//!
//! Every read is "run the query, map a sqlx failure with [`store_error`], map each row with a
//! `fn(&PgRow) -> StoreResult<T>`"; [`Fetch`] says it once, so that a method shows its SQL, its
//! binds and which row mapper it uses, and nothing else.

use msme_core::error::StoreError;
use msme_core::ports::StoreResult;
use sqlx::postgres::{PgArguments, PgRow};
use sqlx::query::Query;
use sqlx::{Decode, Encode, Executor, Postgres, Row, SqlSafeStr, Type};

use crate::error::store_error;
use crate::PgStore;

/// Reads one column, turning a decode failure into a `Backend` error.
pub(crate) fn col<'r, T>(row: &'r PgRow, name: &str) -> Result<T, StoreError>
where
    T: Decode<'r, Postgres> + Type<Postgres>,
{
    row.try_get(name).map_err(store_error)
}

/// A struct expression `$ty { .. }` whose listed fields are read with [`col`] from the columns
/// of the same names; fields that need more than a decode follow a `;`, as in a struct
/// expression: `from_columns!(row => OtpCode { id, code_hash; mobile: Mobile::from_trusted(..) })`.
/// Evaluates to the struct, returning early (`?`) on the first column that does not decode.
macro_rules! from_columns {
    ($row:ident => $ty:ident { $($name:ident),* $(; $($field:ident $(: $value:expr)?),* $(,)?)? }) => {
        $ty {
            $($name: $crate::rows::col($row, stringify!($name))?,)*
            $($($field $(: $value)?,)*)?
        }
    };
}
pub(crate) use from_columns;

/// Page sizes travel as `u32`; PostgreSQL's `LIMIT` takes a `BIGINT`.
pub(crate) fn limit(n: u32) -> i64 {
    i64::from(n)
}

/// A bound statement, ready to run on a pool or inside a transaction.
pub(crate) type PgQuery<'q> = Query<'q, Postgres, PgArguments>;

/// Runs a bound statement with the store's error mapping, and maps its rows.
pub(crate) trait Fetch<'q>: Sized {
    fn into_query(self) -> PgQuery<'q>;

    /// Every row, each read with `from_row`.
    async fn fetch_all_as<'c, T, E>(
        self,
        conn: E,
        from_row: fn(&PgRow) -> StoreResult<T>,
    ) -> StoreResult<Vec<T>>
    where
        E: Executor<'c, Database = Postgres>,
    {
        let rows = self.into_query().fetch_all(conn).await;
        rows.map_err(store_error)?.iter().map(from_row).collect()
    }

    /// The row, if there is one, read with `from_row`.
    async fn fetch_optional_as<'c, T, E>(
        self,
        conn: E,
        from_row: fn(&PgRow) -> StoreResult<T>,
    ) -> StoreResult<Option<T>>
    where
        E: Executor<'c, Database = Postgres>,
    {
        let row = self.into_query().fetch_optional(conn).await;
        row.map_err(store_error)?.as_ref().map(from_row).transpose()
    }

    /// The one row the statement must return, read with `from_row`.
    async fn fetch_one_as<'c, T, E>(
        self,
        conn: E,
        from_row: fn(&PgRow) -> StoreResult<T>,
    ) -> StoreResult<T>
    where
        E: Executor<'c, Database = Postgres>,
    {
        from_row(
            &self
                .into_query()
                .fetch_one(conn)
                .await
                .map_err(store_error)?,
        )
    }

    /// Executes the statement; the number of rows it changed.
    async fn run<'c, E>(self, conn: E) -> StoreResult<u64>
    where
        E: Executor<'c, Database = Postgres>,
    {
        let done = self.into_query().execute(conn).await.map_err(store_error)?;
        Ok(done.rows_affected())
    }
}

impl<'q> Fetch<'q> for PgQuery<'q> {
    fn into_query(self) -> PgQuery<'q> {
        self
    }
}

/// The reads most methods are: one statement on the pool, by one key or one page.
impl PgStore {
    /// The row `sql` finds by its one parameter, `key`, if there is one.
    pub(crate) async fn find<'q, K, T>(
        &self,
        sql: impl SqlSafeStr,
        key: K,
        from_row: fn(&PgRow) -> StoreResult<T>,
    ) -> StoreResult<Option<T>>
    where
        K: 'q + Send + Encode<'q, Postgres> + Type<Postgres>,
    {
        let query = sqlx::query(sql).bind(key);
        query.fetch_optional_as(&self.pool, from_row).await
    }

    /// Every row `sql` finds by its one parameter, `key`.
    pub(crate) async fn find_all<'q, K, T>(
        &self,
        sql: impl SqlSafeStr,
        key: K,
        from_row: fn(&PgRow) -> StoreResult<T>,
    ) -> StoreResult<Vec<T>>
    where
        K: 'q + Send + Encode<'q, Postgres> + Type<Postgres>,
    {
        sqlx::query(sql)
            .bind(key)
            .fetch_all_as(&self.pool, from_row)
            .await
    }

    /// A page: the rows `sql` finds after `after` (`$1`), at most `n` of them (`$2`).
    pub(crate) async fn page<'q, A, T>(
        &self,
        sql: impl SqlSafeStr,
        after: A,
        n: u32,
        from_row: fn(&PgRow) -> StoreResult<T>,
    ) -> StoreResult<Vec<T>>
    where
        A: 'q + Send + Encode<'q, Postgres> + Type<Postgres>,
    {
        let query = sqlx::query(sql).bind(after).bind(limit(n));
        query.fetch_all_as(&self.pool, from_row).await
    }
}
