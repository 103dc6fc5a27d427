//! The repeated shapes of the store's statements, said once: a read on a reader connection
//! that maps its rows, and an audited write on the writer.
//!
//! The SQL stays at each call, with its parameters; these only run it.

use msme_core::audit::AuditEvent;
use msme_core::ports::StoreResult;
use rusqlite::{OptionalExtension, Params, Row, Transaction};

use crate::audit::append;
use crate::error::Step;
use crate::SqliteStore;

/// A row mapper of `rusqlite`'s kind.
pub(crate) type FromRow<T> = fn(&Row<'_>) -> rusqlite::Result<T>;

/// A table read by its primary key `id`: what that read is called in errors, the table, and
/// the columns its row mapper reads, in order.
pub(crate) struct ById {
    step: &'static str,
    name: &'static str,
    columns: &'static str,
}

impl ById {
    pub(crate) const fn new(step: &'static str, name: &'static str, columns: &'static str) -> Self {
        ById {
            step,
            name,
            columns,
        }
    }
}

/// What an audited change answers, and whether that means it changed anything (and so is
/// recorded).
pub(crate) trait Changed {
    fn changed(&self) -> bool;
}

/// A write that always changes something (or fails).
impl Changed for () {
    fn changed(&self) -> bool {
        true
    }
}

impl Changed for bool {
    fn changed(&self) -> bool {
        *self
    }
}

/// A number of rows changed.
impl Changed for usize {
    fn changed(&self) -> bool {
        *self > 0
    }
}

impl SqliteStore {
    /// Every row `sql` selects, each read with `from_row`.
    pub(crate) async fn read_all<T, P>(
        &self,
        step: &'static str,
        sql: impl AsRef<str> + Send + 'static,
        params: P,
        from_row: FromRow<T>,
    ) -> StoreResult<Vec<T>>
    where
        T: Send + 'static,
        P: Params + Send + 'static,
    {
        self.read(step, move |c| {
            let mut st = c.prepare_cached(sql.as_ref())?;
            let rows = st.query_map(params, from_row)?;
            rows.collect()
        })
        .await
    }

    /// The row `sql` selects, if there is one, read with `from_row`.
    pub(crate) async fn read_optional<T, P>(
        &self,
        step: &'static str,
        sql: impl AsRef<str> + Send + 'static,
        params: P,
        from_row: FromRow<T>,
    ) -> StoreResult<Option<T>>
    where
        T: Send + 'static,
        P: Params + Send + 'static,
    {
        self.read(step, move |c| {
            c.prepare_cached(sql.as_ref())?
                .query_row(params, from_row)
                .optional()
        })
        .await
    }

    /// Up to `limit` rows of `table.name` after the id `after` (from the first without), in id
    /// order: a page of an id-ordered list.
    pub(crate) async fn read_page<T: Send + 'static>(
        &self,
        table: &ById,
        after: Option<&str>,
        limit: u32,
        from_row: FromRow<T>,
    ) -> StoreResult<Vec<T>> {
        let sql = format!(
            "SELECT {} FROM {} WHERE ?1 IS NULL OR id > ?1 ORDER BY id LIMIT ?2",
            table.columns, table.name
        );
        let after = after.map(str::to_string);
        self.read_all(table.step, sql, (after, limit), from_row)
            .await
    }

    /// The row of `table.name` whose primary key is `id`, if there is one.
    pub(crate) async fn read_by_id<T: Send + 'static>(
        &self,
        table: &ById,
        id: &str,
        from_row: FromRow<T>,
    ) -> StoreResult<Option<T>> {
        let sql = format!("SELECT {} FROM {} WHERE id = ?1", table.columns, table.name);
        self.read_optional(table.step, sql, [id.to_string()], from_row)
            .await
    }

    /// The one row `sql` must select, read with `from_row`.
    pub(crate) async fn read_one<T, P>(
        &self,
        step: &'static str,
        sql: impl AsRef<str> + Send + 'static,
        params: P,
        from_row: FromRow<T>,
    ) -> StoreResult<T>
    where
        T: Send + 'static,
        P: Params + Send + 'static,
    {
        self.read(step, move |c| {
            c.prepare_cached(sql.as_ref())?.query_row(params, from_row)
        })
        .await
    }

    /// The one shape of an audited write: runs `change` in one write transaction and, when
    /// it changed something, appends `audit` in the same transaction.
    pub(crate) async fn audited<T, F>(&self, audit: AuditEvent, change: F) -> StoreResult<T>
    where
        T: Changed + Send + 'static,
        F: FnOnce(&Transaction<'_>) -> StoreResult<T> + Send + 'static,
    {
        self.write(move |tx| {
            let out = change(tx)?;
            if out.changed() {
                append(tx, audit)?;
            }
            Ok(out)
        })
        .await
    }

    /// [`SqliteStore::audited`] for one statement: the number of rows it changed.
    pub(crate) async fn audited_execute<P>(
        &self,
        step: &'static str,
        sql: impl AsRef<str> + Send + 'static,
        params: P,
        audit: AuditEvent,
    ) -> StoreResult<usize>
    where
        P: Params + Send + 'static,
    {
        self.audited(audit, move |tx| execute(tx, step, sql.as_ref(), params))
            .await
    }

    /// One unaudited statement in its own write transaction: the number of rows it changed.
    pub(crate) async fn execute<P>(
        &self,
        step: &'static str,
        sql: impl AsRef<str> + Send + 'static,
        params: P,
    ) -> StoreResult<usize>
    where
        P: Params + Send + 'static,
    {
        self.write(move |tx| execute(tx, step, sql.as_ref(), params))
            .await
    }
}

/// Runs `sql` (a cached statement) in the caller's transaction: the number of rows it changed.
pub(crate) fn execute(
    tx: &Transaction<'_>,
    step: &'static str,
    sql: &str,
    params: impl Params,
) -> StoreResult<usize> {
    tx.prepare_cached(sql)
        .and_then(|mut st| st.execute(params))
        .step(step)
}
