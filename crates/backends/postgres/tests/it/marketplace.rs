//! What only the PostgreSQL marketplace tables have: the upgrade from the schema before them,
//! JSONB profiles, stored values that no longer parse, and guarded writes under real
//! concurrency. The shared behaviour is in the contract suite (`contract.rs`).

use std::sync::Arc;

use crate::support::{fresh_db, TestDb};
use msme_contract::fixtures::market::{asset, kyc, listing, profile, stored_listing};
use msme_contract::fixtures::{at, event, head_seq, stored_user, user};
use msme_core::error::StoreError;
use msme_core::kyc::KycStatus;
use msme_core::listing::{ListingCursor, ListingQuery, ListingSort};
use msme_core::ports::{ListingStore, Store};
use msme_postgres::PgStore;
use sqlx::{Connection, Row};
use tokio::task::JoinSet;

/// A fresh store on its own database, as the trait object and as itself (to close it).
async fn open(db: &TestDb) -> (Arc<dyn Store>, PgStore) {
    let pg = db.store().await;
    (Arc::new(pg.clone()), pg)
}

/// Runs one statement behind the store's back.
async fn poke(db: &TestDb, sql: &'static str) {
    sqlx::raw_sql(sql)
        .execute(&mut db.direct().await)
        .await
        .expect("poke the database");
}

#[tokio::test]
async fn a_database_at_version_2_upgrades_and_keeps_its_accounts() {
    let Some(db) = fresh_db().await else { return };
    let mut conn = db.direct().await;
    let mut tx = conn.begin().await.expect("begin");
    // The schema as the previous release left it, with an account in it.
    for sql in [
        include_str!("../../migrations/0001_initial.sql"),
        include_str!("../../migrations/0002_outbox_redaction.sql"),
        "CREATE TABLE schema_migrations (version BIGINT PRIMARY KEY,
             applied_at TIMESTAMPTZ NOT NULL DEFAULT now());
         INSERT INTO schema_migrations (version) VALUES (1), (2);",
    ] {
        sqlx::raw_sql(sql)
            .execute(&mut *tx)
            .await
            .expect("old schema");
    }
    tx.commit().await.expect("commit");
    let old = user(1);
    sqlx::query(
        "INSERT INTO users (id, name, mobile, email, role, status, password_hash, created_at,
             updated_at) VALUES ($1, 'Asha Rao', $2, NULL, 'seller', 'active', 'x', $3, $3)",
    )
    .bind(old.id.as_str())
    .bind(old.mobile.as_str())
    .bind(at(1))
    .execute(&mut conn)
    .await
    .expect("an account from before");
    let (store, pg) = open(&db).await;
    assert_eq!(
        store.schema_version().await.expect("version"),
        msme_postgres::SUPPORTED_VERSION
    );
    let p = profile(&old.id, 10);
    store
        .put_profile(&p, event("profile.updated", old.id.as_str()))
        .await
        .expect("a profile for an account from before");
    assert_eq!(store.profile_of(&old.id).await.expect("get"), Some(p));
    db.drop_after(pg).await;
}

#[tokio::test]
async fn profiles_are_stored_as_queryable_jsonb() {
    let Some(db) = fresh_db().await else { return };
    let (store, pg) = open(&db).await;
    let u = stored_user(&store, 1).await;
    let p = profile(&u.id, 10);
    store
        .put_profile(&p, event("profile.updated", u.id.as_str()))
        .await
        .expect("put");
    let row = sqlx::query(
        "SELECT jsonb_typeof(document) AS t, document->>'city' AS city,
                jsonb_array_length(document->'sectors') AS sectors
         FROM profiles WHERE user_id = $1",
    )
    .bind(u.id.as_str())
    .fetch_one(&mut db.direct().await)
    .await
    .expect("profile row");
    assert_eq!(row.get::<String, _>("t"), "object");
    assert_eq!(row.get::<String, _>("city"), "Pune");
    assert_eq!(row.get::<i32, _>("sectors"), 2);
    db.drop_after(pg).await;
}

/// Fails unless `result` is a `Backend` error.
fn assert_backend<T: std::fmt::Debug>(result: Result<T, StoreError>, what: &str) {
    assert!(
        matches!(result, Err(StoreError::Backend(_))),
        "{what}: {result:?}"
    );
}

#[tokio::test]
async fn stored_values_that_no_longer_parse_are_errors_not_absences() {
    let Some(db) = fresh_db().await else { return };
    let (store, pg) = open(&db).await;
    let u = stored_user(&store, 1).await;
    let l = stored_listing(&store, listing(&u.id, 1)).await;
    let k = kyc(&u.id, KycStatus::Submitted, 2);
    assert!(store
        .put_kyc(&k, None, event("kyc.submitted", u.id.as_str()))
        .await
        .expect("kyc"));
    for (sql, what) in [
        ("UPDATE listings SET industry = 'alchemy'", "industry"),
        ("UPDATE listings SET state = 'Atlantis'", "state"),
        ("UPDATE listings SET status = 'limbo'", "status"),
        ("UPDATE listings SET deal_type = 'merger'", "deal type"),
    ] {
        let mut conn = db.direct().await;
        let mut tx = conn.begin().await.expect("begin");
        sqlx::raw_sql(sql).execute(&mut *tx).await.expect("corrupt");
        tx.commit().await.expect("commit");
        assert_backend(store.listing_by_id(&l.id).await, what);
        assert_backend(store.query_listings(&ListingQuery::default()).await, what);
        poke(&db, "UPDATE listings SET industry = 'machinery', state = 'Maharashtra', status = 'draft', deal_type = 'full_sale'").await;
    }
    store.listing_by_id(&l.id).await.expect("repaired");
    poke(&db, "UPDATE kyc SET status = 'pending'").await;
    assert_backend(store.kyc_of(&u.id).await, "kyc status");
    poke(&db, "UPDATE kyc SET status = 'submitted', pan = 'NOTAPAN'").await;
    assert_backend(store.list_kyc(None, None, 10).await, "pan");
    db.drop_after(pg).await;
}

#[tokio::test]
async fn writes_aimed_at_missing_rows_fail_without_audit() {
    let Some(db) = fresh_db().await else { return };
    let (store, pg) = open(&db).await;
    let u = stored_user(&store, 1).await;
    let l1 = stored_listing(&store, listing(&u.id, 1)).await;
    let l2 = stored_listing(&store, listing(&u.id, 2)).await;
    let mine = asset(&l1.id, 3);
    store
        .put_asset(&mine, event("listing.asset_added", l1.id.as_str()))
        .await
        .expect("asset");
    let before = head_seq(&store).await;
    let orphan = listing(&msme_core::types::UserId::generate(), 4);
    let created = store
        .create_listing(&orphan, event("listing.created", orphan.id.as_str()))
        .await;
    assert_backend(created, "a listing of an unknown seller");
    let mut hijack = mine.clone();
    (hijack.listing_id, hijack.item) = (l2.id.clone(), "taken over".into());
    let put = store
        .put_asset(&hijack, event("listing.asset_added", l2.id.as_str()))
        .await;
    assert_backend(put, "an asset id of another listing");
    assert_eq!(head_seq(&store).await, before, "nothing audited");
    assert_eq!(store.assets_of(&l1.id).await.expect("l1"), vec![mine]);
    db.drop_after(pg).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn racing_writers_of_one_version_or_status_win_once() {
    let Some(db) = fresh_db().await else { return };
    let (store, pg) = open(&db).await;
    let u = stored_user(&store, 1).await;
    let buyer = stored_user(&store, 2).await;
    let l = stored_listing(&store, listing(&u.id, 1)).await;
    let before = head_seq(&store).await;
    let mut racers = JoinSet::new();
    for n in 0..6 {
        let (store, mut next, u, buyer) =
            (store.clone(), l.clone(), u.id.clone(), buyer.id.clone());
        racers.spawn(async move {
            next.version = 2;
            next.content.title = format!("Edit number {n}");
            let edit = store
                .update_listing(&next, event("listing.updated", "l"))
                .await;
            let k = kyc(&u, KycStatus::Submitted, n);
            let first = store.put_kyc(&k, None, event("kyc.submitted", "k")).await;
            let grant = store
                .grant_access(
                    &next.id,
                    &buyer,
                    at(n),
                    event("listing.access_granted", "g"),
                )
                .await;
            [edit, first, grant].map(|r| r.expect("write"))
        });
    }
    let wins = racers
        .join_all()
        .await
        .into_iter()
        .fold([0, 0, 0], |acc, r| {
            [0, 1, 2].map(|i| acc[i] + i32::from(r[i]))
        });
    assert_eq!(wins, [1, 1, 1], "one edit, one first submission, one grant");
    assert_eq!(head_seq(&store).await, before + 3, "one entry per win");
    let stored = store
        .listing_by_id(&l.id)
        .await
        .expect("get")
        .expect("there");
    assert_eq!(stored.version, 2);
    db.drop_after(pg).await;
}

#[tokio::test]
async fn forged_newest_cursors_page_from_an_end() {
    let Some(db) = fresh_db().await else { return };
    let (store, pg) = open(&db).await;
    let u = stored_user(&store, 1).await;
    for n in 0..3 {
        stored_listing(&store, listing(&u.id, n)).await;
    }
    let from = |key: i64| ListingQuery {
        sort: ListingSort::Newest,
        after: Some(ListingCursor {
            key,
            id: msme_core::listing::ListingId::generate(),
        }),
        ..ListingQuery::default()
    };
    let everything = pg.query_listings(&from(i64::MAX)).await.expect("max");
    assert_eq!(
        everything.len(),
        3,
        "after the end of time: all, newest first"
    );
    let nothing = pg.query_listings(&from(i64::MIN)).await.expect("min");
    assert!(nothing.is_empty(), "after the beginning of time: none");
    db.drop_after(pg).await;
}

#[tokio::test]
async fn cities_match_trimmed_and_in_any_case_as_in_sqlite() {
    let Some(db) = fresh_db().await else { return };
    let (store, pg) = open(&db).await;
    let u = stored_user(&store, 1).await;
    let mut l = listing(&u.id, 1);
    l.content.city = "Pondichéry".into();
    let l = stored_listing(&store, l).await;
    for asked in ["PONDICHÉRY", " pondichéry ", "Pondichéry"] {
        let q = ListingQuery {
            city: Some(asked.into()),
            ..ListingQuery::default()
        };
        let found = pg.query_listings(&q).await.expect("query");
        assert_eq!(found, vec![l.clone()], "{asked:?}");
    }
    db.drop_after(pg).await;
}
