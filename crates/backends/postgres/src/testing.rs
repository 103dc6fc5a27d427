//! Test databases on a real server, for the PostgreSQL suites of every crate (enabled by the
//! `testing` feature): each test gets a database of its own on the server named by
//! `MSME_TEST_POSTGRES_URL`, so tests run in parallel without seeing each other.

use std::io::Write;
use std::str::FromStr;

use crate::PgStore;
use sqlx::postgres::PgConnectOptions;
use sqlx::{AssertSqlSafe, Connection, PgConnection, Row};
use tokio::sync::OnceCell;

/// The variable naming the PostgreSQL server the tests use.
pub const URL_VAR: &str = "MSME_TEST_POSTGRES_URL";

/// Prefix of every database the tests create; nothing else is ever dropped.
const PREFIX: &str = "msme_test_";

/// Pool size of a test store: enough for the concurrency cases, small enough for many in parallel.
const TEST_POOL: u32 = 5;

/// The server's URL, or `None` when the tests should skip: that is only allowed outside CI.
pub fn server_url() -> Option<String> {
    match std::env::var(URL_VAR) {
        Ok(url) if !url.trim().is_empty() => Some(url),
        _ if std::env::var_os("CI").is_some() => {
            panic!("{URL_VAR} is not set, but CI is: the PostgreSQL suite must run in CI")
        }
        _ => {
            // Straight to stderr: libtest captures `eprintln!` of passing tests.
            let _ = writeln!(std::io::stderr(), "PostgreSQL suite skipped: set {URL_VAR}");
            None
        }
    }
}

/// A database made for one test, dropped by [`TestDb::drop_now`] (or, when the test cannot or
/// fails first, by the clean-up of a later run).
pub struct TestDb {
    pub name: String,
    pub options: PgConnectOptions,
    /// A URL naming this database, for code that opens stores from settings.
    pub url: String,
    admin: PgConnectOptions,
}

impl TestDb {
    /// Creates an empty database; panics when the server cannot be reached.
    pub async fn create(url: &str) -> TestDb {
        let admin = PgConnectOptions::from_str(url).expect("MSME_TEST_POSTGRES_URL is not valid");
        static CLEANED: OnceCell<()> = OnceCell::const_new();
        CLEANED.get_or_init(|| drop_stale(&admin)).await;
        let name = format!("{PREFIX}{}", uuid::Uuid::now_v7().simple());
        let mut conn = admin_connection(&admin).await;
        // Identifiers cannot be bound; the name is ours, made of hex digits only.
        sqlx::raw_sql(AssertSqlSafe(format!("CREATE DATABASE \"{name}\"")))
            .execute(&mut conn)
            .await
            .expect("create test database");
        let _ = conn.close().await;
        let options = admin.clone().database(&name);
        TestDb {
            url: database_url(url, &name),
            name,
            options,
            admin,
        }
    }

    /// A store on this database (migrating it on first use).
    pub async fn store(&self) -> PgStore {
        PgStore::connect_with(self.options.clone(), TEST_POOL)
            .await
            .expect("connect to test database")
    }

    /// A connection to the server's own database, outside this test's database.
    pub async fn admin(&self) -> PgConnection {
        admin_connection(&self.admin).await
    }

    /// A plain connection into this test's database, for poking at it behind the store's back.
    pub async fn direct(&self) -> PgConnection {
        PgConnection::connect_with(&self.options)
            .await
            .expect("connect to test database")
    }

    /// Closes `store`, then drops the database.
    pub async fn drop_after(self, store: PgStore) {
        store.close().await;
        self.drop_now().await;
    }

    /// Drops the database, closing whatever is still connected to it.
    pub async fn drop_now(self) {
        let mut conn = self.admin().await;
        drop_database(&mut conn, &self.name).await;
    }
}

/// `url` with its database replaced by `name` (query parameters kept).
fn database_url(url: &str, name: &str) -> String {
    let (path, query) = match url.split_once('?') {
        Some((p, q)) => (p, Some(q)),
        None => (url, None),
    };
    let scheme_end = path.find("://").map_or(0, |i| i + 3);
    let host_part = match path[scheme_end..].find('/') {
        Some(i) => &path[..scheme_end + i],
        None => path,
    };
    match query {
        Some(q) => format!("{host_part}/{name}?{q}"),
        None => format!("{host_part}/{name}"),
    }
}

async fn admin_connection(admin: &PgConnectOptions) -> PgConnection {
    PgConnection::connect_with(admin)
        .await
        .unwrap_or_else(|e| panic!("cannot reach the PostgreSQL server of {URL_VAR}: {e}"))
}

async fn drop_database(conn: &mut PgConnection, name: &str) {
    let sql = format!("DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)");
    sqlx::raw_sql(AssertSqlSafe(sql))
        .execute(conn)
        .await
        .expect("drop test database");
}

/// Drops test databases older than five minutes (their names carry a UUIDv7, so their birth)
/// that nobody is connected to: those of earlier contract cases, which cannot drop their own,
/// and of runs that crashed. A database still in use refuses the drop and is left alone.
async fn drop_stale(admin: &PgConnectOptions) {
    let mut conn = admin_connection(admin).await;
    let rows = sqlx::query("SELECT datname FROM pg_database WHERE starts_with(datname, $1)")
        .bind(PREFIX)
        .fetch_all(&mut conn)
        .await
        .expect("list test databases");
    let cutoff = chrono::Utc::now().timestamp() - 300;
    for row in rows {
        let name: String = row.get("datname");
        let born = uuid::Uuid::try_parse(&name[PREFIX.len()..])
            .ok()
            .and_then(|u| u.get_timestamp())
            .map(|t| t.to_unix().0 as i64);
        if born.is_some_and(|b| b < cutoff) {
            let sql = format!("DROP DATABASE IF EXISTS \"{name}\"");
            let _ = sqlx::raw_sql(AssertSqlSafe(sql)).execute(&mut conn).await;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::database_url;

    #[test]
    fn the_database_is_swapped_and_the_rest_kept() {
        let cases = [
            ("postgres://u@h:5432/postgres", "postgres://u@h:5432/t1"),
            ("postgres://u@h:5432", "postgres://u@h:5432/t1"),
            (
                "postgres://u@h/db?sslmode=disable",
                "postgres://u@h/t1?sslmode=disable",
            ),
        ];
        for (url, want) in cases {
            assert_eq!(database_url(url, "t1"), want);
        }
    }
}
