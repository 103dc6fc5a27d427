//! The real `msme` binary against a [`TestData`]: commands that must succeed or fail, their
//! JSON, and `msme serve` or `msme worker` running beside the test.

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use serde_json::Value;

use crate::accounts::PASSWORD;
use crate::data::{block_on, Backend, TestData};
use crate::process::Running;

/// Variables that would make a test depend on the machine it runs on; removed from every
/// command the kit runs.
pub const ISOLATED_VARS: &[&str] = &[
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

/// A data directory and the binary to run against it. Only the crate that builds the binary
/// knows its path (`env!("CARGO_BIN_EXE_msme")`), so it is given.
pub struct Msme {
    bin: PathBuf,
    data: TestData,
    pub data_dir: PathBuf,
}

impl Drop for Msme {
    fn drop(&mut self) {
        // Only then: a SQLite test may drop its `Msme` inside a runtime of its own.
        if self.data.postgres_db().is_some() {
            block_on(self.data.drop_database());
        }
    }
}

impl Msme {
    /// A fresh, not yet initialised data directory on SQLite.
    pub fn new(bin: impl AsRef<Path>) -> Self {
        Self::over(bin, TestData::sqlite())
    }

    fn over(bin: impl AsRef<Path>, data: TestData) -> Self {
        Self {
            bin: bin.as_ref().to_path_buf(),
            data_dir: data.data_dir.clone(),
            data,
        }
    }

    /// A data directory after `msme init`, on SQLite.
    pub fn initialised(bin: impl AsRef<Path>) -> Self {
        let m = Self::new(bin);
        m.ok(&["init"]);
        m
    }

    /// A data directory after `msme init`, its database a fresh one on PostgreSQL; `None`
    /// when the test skips (see [`TestData::postgres`]).
    pub fn initialised_on_postgres(bin: impl AsRef<Path>) -> Option<Self> {
        Self::initialised_on(bin, Backend::Postgres)
    }

    /// A data directory after `msme init` on `backend`; `None` when the test skips.
    pub fn initialised_on(bin: impl AsRef<Path>, backend: Backend) -> Option<Self> {
        let m = Self::over(bin, block_on(TestData::on(backend))?);
        m.ok(&["init"]);
        Some(m)
    }

    /// The command, with `--data-dir` (and `--database-url` on PostgreSQL) set and the
    /// environment cleaned.
    pub fn command(&self, args: &[&str]) -> Command {
        let mut cmd = Command::new(&self.bin);
        cmd.arg("--data-dir").arg(&self.data_dir);
        if let Some(url) = self.data.database_url() {
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
        self.command(args).output().expect("run msme")
    }

    /// Runs a command that must succeed; returns its stdout.
    pub fn ok(&self, args: &[&str]) -> String {
        let out = self.run(args);
        assert!(
            out.status.success(),
            "msme {args:?} failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).expect("UTF-8 stdout")
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
            String::from_utf8(out.stderr).expect("UTF-8 stderr"),
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
            PASSWORD,
            "--role",
            role,
        ])
    }

    /// The ids of every account with `role` (of the first 500).
    pub fn ids_of_role(&self, role: &str) -> Vec<String> {
        let users = self.json(&["user", "list", "--limit", "500"]);
        users["items"]
            .as_array()
            .expect("items")
            .iter()
            .filter(|u| u["role"] == role)
            .map(|u| u["id"].as_str().expect("id").to_string())
            .collect()
    }

    /// The SQLite file in the data directory.
    pub fn database(&self) -> PathBuf {
        self.data.sqlite_file()
    }

    /// The URL of this directory's database (SQLite in the data directory, or PostgreSQL).
    pub fn database_url(&self) -> String {
        match self.data.database_url() {
            Some(url) => url.to_string(),
            None => format!("sqlite://{}", self.database().display()),
        }
    }

    /// Runs SQL straight on the database, behind the platform's back (to tamper with it).
    pub fn execute(&self, sql: &str) {
        block_on(self.data.execute(sql));
    }

    /// The platform on this data directory, through the library, as the binary opens it.
    pub async fn platform(&self) -> msme_core::Platform {
        let overrides = msme_backends::Overrides {
            data_dir: Some(self.data_dir.clone()),
            database_url: Some(self.database_url()),
        };
        let settings = msme_backends::Settings::load(&overrides).expect("settings");
        msme_backends::open_platform(&settings)
            .await
            .expect("open platform")
    }

    /// The platform on this directory's database with no search index at all, through the
    /// library: what a server killed between its commit and its index write leaves behind.
    pub async fn platform_without_index(&self) -> msme_core::Platform {
        let overrides = msme_backends::Overrides {
            data_dir: Some(self.data_dir.clone()),
            database_url: Some(self.database_url()),
        };
        let settings = msme_backends::Settings::load(&overrides).expect("settings");
        let db = msme_backends::open_database(&settings.database_url)
            .await
            .expect("open database");
        let secret = settings.jwt_secret.expect("initialised: a token secret");
        msme_core::Platform::builder(db.store.clone(), secret)
            .gateway(db.sandbox_gateway())
            .build()
            .expect("platform")
    }

    /// Writes `text` to a file beside the data directory and returns its path.
    pub fn file(&self, name: &str, text: &str) -> String {
        let path = self.data.dir().join(name);
        std::fs::write(&path, text).expect("write file");
        path.to_string_lossy().into_owned()
    }

    /// `msme serve` on a free port, with `env` added; returns once it has announced its URL.
    pub fn serve(&self, env: &[(&str, &str)]) -> Running {
        let mut cmd = self.command(&["serve", "--addr", "127.0.0.1:0", "--json"]);
        cmd.stdout(Stdio::piped()).stderr(Stdio::null());
        for (k, v) in env {
            cmd.env(k, v);
        }
        Running::started(cmd.spawn().expect("spawn msme serve"))
    }
}

/// Runs `cmd`, which must succeed; its stdout as JSON.
pub fn json_of(cmd: &mut Command) -> Value {
    let out = cmd.output().expect("run");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("JSON on stdout")
}

/// Asserts that stderr is exactly one line starting `error: `.
pub fn assert_one_error_line(stderr: &str) {
    let lines: Vec<&str> = stderr.lines().collect();
    assert_eq!(lines.len(), 1, "expected one line, got: {stderr}");
    assert!(lines[0].starts_with("error: "), "{stderr}");
}
