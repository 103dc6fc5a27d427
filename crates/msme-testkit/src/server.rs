//! The real server on 127.0.0.1:0 over a [`TestData`], and its clean stop.

use std::net::SocketAddr;
use std::path::PathBuf;

use msme_core::Platform;
use msme_server::{RateLimit, ServerConfig};
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

use crate::data::{Backend, TestData};

/// Limits high enough that no test meets them by accident.
pub const GENEROUS: RateLimit = RateLimit {
    per_second: 1000.0,
    burst: 1000,
};

/// A running server and what a test needs to talk to it.
pub struct TestApp {
    /// `http://127.0.0.1:PORT`.
    pub base: String,
    /// The platform the server serves, for what a test does as the operator.
    pub platform: Platform,
    pub http: reqwest::Client,
    /// Where uploaded files' bytes are kept.
    pub blobs_dir: PathBuf,
    limit: RateLimit,
    stop: Option<oneshot::Sender<()>>,
    task: Option<JoinHandle<anyhow::Result<()>>>,
    data: TestData,
}

impl TestApp {
    /// On a SQLite file in the data directory.
    pub async fn spawn() -> Self {
        Self::spawn_with(GENEROUS).await
    }

    /// On SQLite, with these limits on `/v1/auth/*`.
    pub async fn spawn_with(limit: RateLimit) -> Self {
        Self::spawn_over(TestData::sqlite(), limit).await
    }

    /// On a fresh PostgreSQL database, or `None` when the test skips (see
    /// [`TestData::postgres`]).
    pub async fn spawn_postgres() -> Option<Self> {
        Self::spawn_on(Backend::Postgres).await
    }

    /// On `backend`; `None` when the test skips.
    pub async fn spawn_on(backend: Backend) -> Option<Self> {
        Self::spawn_on_with(backend, GENEROUS).await
    }

    /// On `backend` with these limits on `/v1/auth/*`; `None` when the test skips.
    pub async fn spawn_on_with(backend: Backend, limit: RateLimit) -> Option<Self> {
        let data = TestData::on(backend).await?;
        Some(Self::spawn_over(data, limit).await)
    }

    /// A second server, with a data directory of its own, on this one's database (PostgreSQL:
    /// processes share it; the first server's stop drops it).
    pub async fn second_server(&self) -> Self {
        let data = TestData::sharing(self.database_url());
        Self::spawn_over(data, self.limit).await
    }

    /// Initialises `data`, opens the platform on it and serves it, runtime included.
    pub async fn spawn_over(data: TestData, limit: RateLimit) -> Self {
        let platform = data.init_and_open().await;
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind");
        let addr: SocketAddr = listener.local_addr().expect("addr");
        let (stop, stopped) = oneshot::channel::<()>();
        let task = tokio::spawn(msme_server::serve_with(
            platform.clone(),
            ServerConfig::new(addr),
            limit,
            listener,
            async {
                let _ = stopped.await;
            },
        ));
        Self {
            base: format!("http://{addr}"),
            platform,
            http: reqwest::Client::new(),
            blobs_dir: data.data_dir.join("blobs"),
            limit,
            stop: Some(stop),
            task: Some(task),
            data,
        }
    }

    /// The database URL the server was given (`None`: SQLite in the data directory).
    pub fn database_url(&self) -> Option<&str> {
        self.data.database_url()
    }

    /// Files in the blob store's documents.
    pub fn blob_count(&self) -> usize {
        std::fs::read_dir(self.blobs_dir.join("documents")).map_or(0, |d| d.count())
    }

    /// The data directory and database under the server.
    pub fn data(&self) -> &TestData {
        &self.data
    }

    /// Stops the server, waits until it has finished, and drops its PostgreSQL database.
    pub async fn stop(mut self) {
        let _ = self.stop.take().expect("running").send(());
        let task = self.task.take().expect("running");
        task.await
            .expect("server task")
            .expect("server ran cleanly");
        self.data.drop_database().await;
    }
}
