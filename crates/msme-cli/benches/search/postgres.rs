//! The PostgreSQL search on a database made for the run (and dropped after it).

use std::str::FromStr;
use std::sync::Arc;

use sqlx::postgres::PgConnectOptions;
use sqlx::{AssertSqlSafe, Connection, PgConnection};

use crate::data::{Queries, Rows};
use crate::Figures;

/// Figures of `PgSearchIndex`, or `None` without a server to run on.
pub async fn bench(rows: &Rows, q: &Queries) -> Option<Figures> {
    let url = std::env::var("MSME_TEST_POSTGRES_URL").ok()?;
    let admin = PgConnectOptions::from_str(&url).expect("MSME_TEST_POSTGRES_URL");
    let name = format!("msme_bench_{}", uuid::Uuid::now_v7().simple());
    let mut conn = PgConnection::connect_with(&admin)
        .await
        .expect("PostgreSQL reachable");
    // The name is made here from a UUID, never from input.
    sqlx::raw_sql(AssertSqlSafe(format!("CREATE DATABASE \"{name}\"")))
        .execute(&mut conn)
        .await
        .expect("create database");
    let store = msme_backends::PgStore::connect_with(admin.clone().database(&name), 4)
        .await
        .expect("connect");
    let index = Arc::new(store.search_index());
    let figures = crate::bench_index(
        "PostgreSQL full-text search (tsvector + GIN, pg_trgm)",
        index,
        rows,
        q,
    )
    .await;
    store.close().await;
    sqlx::raw_sql(AssertSqlSafe(format!(
        "DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)"
    )))
    .execute(&mut conn)
    .await
    .expect("drop database");
    Some(figures)
}
