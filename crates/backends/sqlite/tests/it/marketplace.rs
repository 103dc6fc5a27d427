//! Marketplace behaviour only the SQLite backend can show: what it does with stored values it
//! cannot read back, and the denormalised columns search relies on.

use std::path::Path;

use msme_contract::fixtures::market::{kyc, listing, stored_listing, year};
use msme_contract::fixtures::{event, stored_user};
use msme_core::error::StoreError;
use msme_core::kyc::KycStatus;
use msme_core::listing::ListingQuery;

use crate::support::{db_file, open};

/// Runs one statement on the file behind the store's back.
fn tamper(path: &Path, sql: &str, id: &str) {
    let conn = rusqlite::Connection::open(path).expect("raw open");
    assert_eq!(conn.execute(sql, [id]).expect("tamper"), 1);
}

#[tokio::test]
async fn an_unknown_stored_industry_or_state_is_an_error_not_a_gap() {
    let (_dir, path) = db_file();
    let store = open(&path).await;
    let u = stored_user(&store, 1).await;
    let bad = stored_listing(&store, listing(&u.id, 1)).await;
    let good = stored_listing(&store, listing(&u.id, 2)).await;
    tamper(
        &path,
        "UPDATE listings SET industry = 'mining' WHERE id = ?1",
        bad.id.as_str(),
    );
    let err = store.listing_by_id(&bad.id).await.expect_err("corrupt row");
    assert!(matches!(err, StoreError::Backend(_)), "{err:?}");
    let listed = store.query_listings(&ListingQuery::default()).await;
    assert!(listed.is_err(), "a query must not drop the row silently");
    let stored = store.listing_by_id(&good.id).await.expect("good row");
    assert_eq!(stored, Some(good));
    tamper(
        &path,
        "UPDATE listings SET industry = 'machinery', state = 'Atlantis' WHERE id = ?1",
        bad.id.as_str(),
    );
    assert!(store.listing_by_id(&bad.id).await.is_err(), "unknown state");
}

#[tokio::test]
async fn an_unknown_stored_kyc_status_is_an_error() {
    let (_dir, path) = db_file();
    let store = open(&path).await;
    let u = stored_user(&store, 1).await;
    let k = kyc(&u.id, KycStatus::Submitted, 1);
    let put = store.put_kyc(&k, None, event("kyc.submitted", u.id.as_str()));
    assert!(put.await.expect("put"));
    tamper(
        &path,
        "UPDATE kyc SET status = 'approved' WHERE user_id = ?1",
        u.id.as_str(),
    );
    let err = store.kyc_of(&u.id).await.expect_err("corrupt status");
    assert!(matches!(err, StoreError::Backend(_)), "{err:?}");
}

#[tokio::test]
async fn search_copies_follow_the_newest_year_and_the_city() {
    let (_dir, path) = db_file();
    let store = open(&path).await;
    let u = stored_user(&store, 1).await;
    let mut l = listing(&u.id, 1);
    l.content.city = "Navi MUMBAI".into();
    let l = stored_listing(&store, l).await;
    let mut next = l.clone();
    next.version = 2;
    next.content.financials = vec![year(2025, 100), year(2024, 1)];
    let update = store.update_listing(&next, event("listing.updated", l.id.as_str()));
    assert!(update.await.expect("update"));
    let conn = rusqlite::Connection::open(&path).expect("raw open");
    let row: (String, i64, i64) = conn
        .query_row(
            "SELECT city_key, latest_revenue_paise, latest_ebitda_paise FROM listings WHERE id = ?1",
            [l.id.as_str()],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .expect("row");
    let newest = &next.content.financials[0];
    assert_eq!(
        row,
        (
            "navi mumbai".into(),
            newest.revenue.get(),
            newest.ebitda.get()
        )
    );
}
