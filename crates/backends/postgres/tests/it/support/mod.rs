//! Test databases: see `msme_postgres::testing`.
#![allow(dead_code)] // each test binary uses a different part of this module

use std::sync::Arc;

use msme_contract::flow_fixtures::{FlowStore, SandboxBooks};
use msme_core::audit::{AuditActor, AuditEvent};
use sqlx::Row;

pub use msme_postgres::testing::{server_url, TestDb};

/// The `n`th of a run of operator events, `n` microseconds apart.
pub fn numbered_event(n: i64) -> AuditEvent {
    AuditEvent {
        at: chrono::DateTime::from_timestamp_micros(1_736_900_000_000_000 + n).expect("time"),
        actor: AuditActor::Operator,
        action: "audit.exported".into(),
        entity_type: "audit".into(),
        entity_id: n.to_string(),
        request_id: None,
        details: "{}".into(),
    }
}

/// A fresh database for one test, or `None` when the suite skips (see [`server_url`]).
pub async fn fresh_db() -> Option<TestDb> {
    Some(TestDb::create(&server_url()?).await)
}

async fn test_db() -> TestDb {
    let url = server_url().expect("the contract suite was built for PostgreSQL");
    TestDb::create(&url).await
}

/// A fresh, empty, migrated store for one contract case.
pub async fn fresh_store() -> Arc<msme_postgres::PgStore> {
    Arc::new(test_db().await.store().await)
}

/// A fresh store for one flow case, and its sandbox books.
pub async fn fresh_flow_store() -> FlowStore {
    let db = test_db().await;
    let store = Arc::new(db.store().await);
    FlowStore {
        store: store.clone(),
        sandbox: store,
        books: Box::new(Books(db)),
    }
}

/// The sandbox gateway's rows in the test's database, on a connection of their own.
struct Books(TestDb);

impl Books {
    async fn execute(
        &self,
        query: sqlx::query::Query<'_, sqlx::Postgres, sqlx::postgres::PgArguments>,
    ) {
        let mut conn = self.0.direct().await;
        query.execute(&mut conn).await.expect("tamper");
    }
}

#[async_trait::async_trait]
impl SandboxBooks for Books {
    async fn count(&self, kind: &str, status: &str) -> i64 {
        let mut conn = self.0.direct().await;
        sqlx::query("SELECT count(*) FROM sandbox_objects WHERE kind = $1 AND status = $2")
            .bind(kind)
            .bind(status)
            .fetch_one(&mut conn)
            .await
            .expect("count sandbox objects")
            .get(0)
    }

    async fn take_off(&self, kind: &str, paise: i64) {
        let sql = "UPDATE sandbox_objects SET amount = amount - $2 WHERE kind = $1";
        self.execute(sqlx::query(sql).bind(kind).bind(paise)).await;
    }

    async fn set_status(&self, kind: &str, status: &str) {
        let sql = "UPDATE sandbox_objects SET status = $2 WHERE kind = $1";
        self.execute(sqlx::query(sql).bind(kind).bind(status)).await;
    }
}
