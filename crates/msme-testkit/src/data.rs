//! A test's own data: a temporary data directory, and its database either the SQLite file in
//! it or a fresh PostgreSQL database on the server of `MSME_TEST_POSTGRES_URL`.

use std::future::Future;
use std::path::{Path, PathBuf};

use msme_backends::{init, open_platform, Overrides, Settings};
use msme_core::Platform;
use msme_postgres::testing::{server_url, TestDb};

/// The database a test runs on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Backend {
    /// The embedded default: a file in the data directory.
    Sqlite,
    /// A fresh database on the server of `MSME_TEST_POSTGRES_URL`, dropped afterwards.
    Postgres,
}

impl Backend {
    /// What `Store::backend_name` answers on it.
    pub fn name(self) -> &'static str {
        match self {
            Backend::Sqlite => "sqlite",
            Backend::Postgres => "postgres",
        }
    }
}

/// A temporary data directory (not yet created: `msme init` or [`TestData::init`] does that)
/// and the database beside it. The directory goes when this is dropped; a PostgreSQL database
/// is dropped by [`TestData::drop_database`] (or, when a test fails first, by a later run's
/// clean-up of stale test databases).
pub struct TestData {
    tmp: tempfile::TempDir,
    /// `data` inside the temporary directory, so that files a test writes beside it (a CSV to
    /// import, a report) are gone with it too.
    pub data_dir: PathBuf,
    postgres: Option<TestDb>,
    /// The URL of a PostgreSQL database this does not own (a second process on it).
    shared_url: Option<String>,
}

impl TestData {
    /// On the SQLite file in the data directory.
    pub fn sqlite() -> Self {
        let tmp = tempfile::tempdir().expect("temp dir");
        let data_dir = tmp.path().join("data");
        Self {
            tmp,
            data_dir,
            postgres: None,
            shared_url: None,
        }
    }

    /// On a fresh PostgreSQL database; `None` when `MSME_TEST_POSTGRES_URL` is not set, which
    /// the test then skips, saying so (in CI, where `CI` is set, it fails instead).
    pub async fn postgres() -> Option<Self> {
        let url = server_url()?;
        let mut data = Self::sqlite();
        data.postgres = Some(TestDb::create(&url).await);
        Some(data)
    }

    /// On `backend`; `None` for PostgreSQL when the test skips (see [`TestData::postgres`]).
    pub async fn on(backend: Backend) -> Option<Self> {
        match backend {
            Backend::Sqlite => Some(Self::sqlite()),
            Backend::Postgres => Self::postgres().await,
        }
    }

    /// A data directory of its own on the database `url` names (owned by another test).
    pub fn sharing(url: Option<&str>) -> Self {
        let mut data = Self::sqlite();
        data.shared_url = url.map(str::to_string);
        data
    }

    /// The temporary directory around the data directory.
    pub fn dir(&self) -> &Path {
        self.tmp.path()
    }

    /// The database URL given to the platform; `None` is the SQLite file in the data directory.
    pub fn database_url(&self) -> Option<&str> {
        match &self.postgres {
            Some(db) => Some(&db.url),
            None => self.shared_url.as_deref(),
        }
    }

    /// The SQLite file, when that is the database.
    pub fn sqlite_file(&self) -> PathBuf {
        self.data_dir.join("msme.db")
    }

    /// The PostgreSQL database this test owns, if it is on one.
    pub fn postgres_db(&self) -> Option<&TestDb> {
        self.postgres.as_ref()
    }

    /// What `--data-dir` and `--database-url` would say.
    pub fn overrides(&self) -> Overrides {
        Overrides {
            data_dir: Some(self.data_dir.clone()),
            database_url: self.database_url().map(str::to_string),
        }
    }

    /// The settings from the overrides and the data directory's file, never from the machine's
    /// environment.
    pub fn settings(&self) -> Settings {
        let no_env = |_: &str| None;
        Settings::load_with(&self.overrides(), &no_env).expect("settings")
    }

    /// Initialises the data directory (as `msme init` does) and opens the platform on it.
    pub async fn init_and_open(&self) -> Platform {
        init(&self.settings()).expect("init");
        // Loaded again: init wrote the secrets into the data directory's file.
        let platform = open_platform(&self.settings())
            .await
            .expect("open platform");
        assert_eq!(
            platform.store().backend_name(),
            if self.database_url().is_some() {
                Backend::Postgres.name()
            } else {
                Backend::Sqlite.name()
            }
        );
        platform
    }

    /// Runs SQL straight on the database, behind the platform's back (to tamper with it).
    pub async fn execute(&self, sql: &str) {
        match &self.postgres {
            Some(db) => {
                let mut conn = db.direct().await;
                sqlx::raw_sql(sqlx::AssertSqlSafe(sql.to_string()))
                    .execute(&mut conn)
                    .await
                    .expect("SQL on PostgreSQL");
            }
            None => rusqlite::Connection::open(self.sqlite_file())
                .and_then(|c| c.execute_batch(sql))
                .expect("SQL on SQLite"),
        }
    }

    /// Drops the PostgreSQL database this test owns (nothing for SQLite).
    pub async fn drop_database(&mut self) {
        if let Some(db) = self.postgres.take() {
            db.drop_now().await;
        }
    }
}

/// Runs a future to completion on a fresh single-threaded runtime (what `#[tokio::test]` does),
/// for library calls beside the binary and for the tests [`on_each_backend!`] writes.
///
/// [`on_each_backend!`]: crate::on_each_backend
pub fn block_on<F: Future>(f: F) -> F::Output {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime")
        .block_on(f)
}

/// [`block_on`] on two worker threads (`#[tokio::test(flavor = "multi_thread",
/// worker_threads = 2)]`), for stories whose server works beside the test.
pub fn block_on_threads<F: Future>(f: F) -> F::Output {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("runtime")
        .block_on(f)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_data_directory_waits_for_init_inside_its_temporary_directory() {
        let data = TestData::sqlite();
        assert!(!data.data_dir.exists(), "init makes it");
        assert!(data.data_dir.starts_with(data.dir()));
        assert_eq!(data.database_url(), None);
        assert_eq!(data.sqlite_file(), data.data_dir.join("msme.db"));
        let overrides = data.overrides();
        assert_eq!(overrides.data_dir.as_deref(), Some(data.data_dir.as_path()));
        assert_eq!(overrides.database_url, None);
    }

    #[test]
    fn a_second_process_shares_the_database_but_not_the_directory() {
        let url = "postgres://u@h/msme_test_x";
        let first = TestData::sqlite();
        let second = TestData::sharing(Some(url));
        assert_eq!(second.database_url(), Some(url));
        assert_eq!(second.overrides().database_url.as_deref(), Some(url));
        assert_ne!(second.data_dir, first.data_dir);
        assert!(second.postgres_db().is_none(), "the first test drops it");
    }
}
