//! Runs the real `msme` binary against its own temporary data directory, its database a SQLite
//! file there or a fresh PostgreSQL database.

// Each test binary uses only some of these helpers.
#![allow(dead_code)]

use std::io::Write;
use std::path::PathBuf;
use std::process::{Command, Output, Stdio};

use msme_postgres::testing::{server_url, TestDb};
use serde_json::Value;

/// Variables that would make a test depend on the machine it runs on.
const ISOLATED_VARS: &[&str] = &[
    "DATABASE_URL",
    "JWT_SECRET",
    "MSME_DATA_DIR",
    "MSME_SMS_PROVIDER",
    "MSME_LOG",
    "MSME_LOG_FORMAT",
    "RUST_LOG",
    "TWILIO_ACCOUNT_SID",
    "TWILIO_AUTH_TOKEN",
    "TWILIO_PHONE_NUMBER",
    "MSG91_API_KEY",
    "MSG91_SENDER_ID",
    "MSG91_TEMPLATE_ID",
    "MSME_PAYMENT_GATEWAY",
    "RAZORPAY_KEY_ID",
    "RAZORPAY_KEY_SECRET",
    "RAZORPAY_WEBHOOK_SECRET",
    "RAZORPAY_ACCOUNT_NUMBER",
    "RAZORPAY_BASE_URL",
    "MSME_FAILPOINT",
];

/// Runs each named test (a `fn(Msme)` given an initialised data directory) twice, as
/// `NAME::sqlite` and `NAME::postgres`. The PostgreSQL run skips, and says so, without
/// `MSME_TEST_POSTGRES_URL`, except in CI, where it fails.
#[macro_export]
macro_rules! on_each_backend {
    ($($name:ident),* $(,)?) => {$(
        mod $name {
            #[test]
            fn sqlite() {
                super::$name($crate::common::Msme::initialised())
            }
            #[test]
            fn postgres() {
                if let Some(m) = $crate::common::Msme::initialised_on_postgres() {
                    super::$name(m)
                }
            }
        }
    )*};
}

/// A data directory and the binary to run against it.
pub struct Msme {
    _tmp: tempfile::TempDir,
    pub data_dir: PathBuf,
    /// `--database-url` of every command; `None` is the SQLite file in the data directory.
    database_url: Option<String>,
    postgres: Option<TestDb>,
}

impl Drop for Msme {
    fn drop(&mut self) {
        if let Some(db) = self.postgres.take() {
            block_on(db.drop_now());
        }
    }
}

impl Msme {
    /// A fresh, not yet initialised data directory.
    pub fn new() -> Self {
        let tmp = tempfile::tempdir().unwrap();
        let data_dir = tmp.path().join("data");
        Self {
            _tmp: tmp,
            data_dir,
            database_url: None,
            postgres: None,
        }
    }

    /// A data directory after `msme init`, its database a fresh one on the PostgreSQL server
    /// of `MSME_TEST_POSTGRES_URL`; `None` (outside CI) when that is not set.
    pub fn initialised_on_postgres() -> Option<Self> {
        let Some(url) = server_url() else {
            let _ = writeln!(std::io::stderr(), "PostgreSQL CLI test skipped");
            return None;
        };
        let mut m = Self::new();
        let db = block_on(TestDb::create(&url));
        m.database_url = Some(db.url.clone());
        m.postgres = Some(db);
        m.ok(&["init"]);
        Some(m)
    }

    /// A data directory after `msme init`.
    pub fn initialised() -> Self {
        let m = Self::new();
        m.ok(&["init"]);
        m
    }

    /// The command, with `--data-dir` set and the environment cleaned.
    pub fn command(&self, args: &[&str]) -> Command {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_msme"));
        cmd.arg("--data-dir").arg(&self.data_dir);
        if let Some(url) = &self.database_url {
            cmd.arg("--database-url").arg(url);
        }
        cmd.args(args);
        for var in ISOLATED_VARS {
            cmd.env_remove(var);
        }
        cmd.stdin(Stdio::null());
        cmd
    }

    pub fn run(&self, args: &[&str]) -> Output {
        self.command(args).output().unwrap()
    }

    /// Runs a command that must succeed; returns its stdout.
    pub fn ok(&self, args: &[&str]) -> String {
        let out = self.run(args);
        assert!(
            out.status.success(),
            "msme {args:?} failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap()
    }

    /// Runs a command with `--json` that must succeed; returns the parsed output.
    pub fn json(&self, args: &[&str]) -> Value {
        let mut args = args.to_vec();
        args.push("--json");
        let stdout = self.ok(&args);
        serde_json::from_str(&stdout).unwrap_or_else(|e| panic!("not JSON ({e}): {stdout}"))
    }

    /// Runs a command that must fail; returns its exit code and stderr.
    pub fn fails(&self, args: &[&str]) -> (i32, String) {
        let out = self.run(args);
        assert!(!out.status.success(), "msme {args:?} should have failed");
        (
            out.status.code().expect("exited, not killed"),
            String::from_utf8(out.stderr).unwrap(),
        )
    }

    /// Creates an account through the CLI and returns its JSON.
    pub fn create_user(&self, name: &str, mobile: &str, role: &str) -> Value {
        self.json(&[
            "user",
            "create",
            "--name",
            name,
            "--mobile",
            mobile,
            "--password",
            "correct horse battery",
            "--role",
            role,
        ])
    }

    pub fn database(&self) -> PathBuf {
        self.data_dir.join("msme.db")
    }

    /// The URL of this directory's database (SQLite in the data directory, or PostgreSQL).
    pub fn database_url(&self) -> String {
        self.database_url
            .clone()
            .unwrap_or_else(|| format!("sqlite://{}", self.database().display()))
    }

    /// Runs SQL straight on the database, behind the platform's back (to tamper with it).
    pub fn execute(&self, sql: &str) {
        match &self.postgres {
            Some(db) => block_on(async {
                let mut conn = db.direct().await;
                sqlx::raw_sql(sqlx::AssertSqlSafe(sql.to_string()))
                    .execute(&mut conn)
                    .await
                    .expect("SQL on PostgreSQL");
            }),
            None => rusqlite::Connection::open(self.database())
                .and_then(|c| c.execute_batch(sql))
                .expect("SQL on SQLite"),
        }
    }
}

/// Asserts that stderr is exactly one line starting `error: `.
pub fn assert_one_error_line(stderr: &str) {
    let lines: Vec<&str> = stderr.lines().collect();
    assert_eq!(lines.len(), 1, "expected one line, got: {stderr}");
    assert!(lines[0].starts_with("error: "), "{stderr}");
}

/// Runs a future to completion on a fresh runtime (for library calls beside the binary).
pub fn block_on<F: std::future::Future>(f: F) -> F::Output {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
        .block_on(f)
}

impl Msme {
    /// The platform on this data directory, through the library, as the binary opens it.
    pub async fn platform(&self) -> msme_core::Platform {
        let overrides = msme_backends::Overrides {
            data_dir: Some(self.data_dir.clone()),
            database_url: Some(self.database_url()),
        };
        let settings = msme_backends::Settings::load(&overrides).unwrap();
        msme_backends::open_platform(&settings).await.unwrap()
    }

    /// Writes `text` to a file in the temporary directory and returns its path.
    pub fn file(&self, name: &str, text: &str) -> String {
        let path = self.data_dir.parent().unwrap().join(name);
        std::fs::write(&path, text).unwrap();
        path.to_string_lossy().into_owned()
    }
}

/// The example CSV shipped with the crate (three valid listings).
pub fn example_csv() -> String {
    format!("{}/examples/listings.csv", env!("CARGO_MANIFEST_DIR"))
}
