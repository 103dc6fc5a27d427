//! The sandbox gateway's books (`msme_sandbox::SandboxStore`), kept in the platform's database
//! but outside its audit log.

use std::sync::Arc;

use msme_core::money::Paise;
use msme_core::ports::Store;
use msme_sandbox::{SandboxRecord, SandboxStore};

use crate::fixtures::{assert_appended, at, head_seq};

/// The sandbox's books: one object per kind and key, found again by a second insert.
pub async fn sandbox_objects_are_made_once_per_key(
    store: Arc<dyn Store>,
    books: Arc<dyn SandboxStore>,
) {
    let before = head_seq(&store).await;
    let record = SandboxRecord {
        kind: "payout".into(),
        id: "pout_1".into(),
        idempotency_key: "payout.k".into(),
        amount: Paise::new(12_345),
        status: "processing".into(),
        reference: "ref payee".into(),
        ready_at: at(5),
        created_at: at(1),
        updated_at: at(1),
    };
    let (stored, created) = books.sandbox_insert(&record).await.expect("insert");
    assert_eq!((stored.clone(), created), (record.clone(), true));
    let mut second = record.clone();
    second.id = "pout_2".into();
    let (found, created) = books.sandbox_insert(&second).await.expect("again");
    assert_eq!((found, created), (record.clone(), false));
    let mut order = record.clone();
    order.kind = "order".into();
    assert!(books.sandbox_insert(&order).await.expect("other kind").1);
    assert!(books
        .sandbox_set_status("payout", "pout_1", "processed", at(6))
        .await
        .expect("set"));
    assert!(!books
        .sandbox_set_status("payout", "pout_9", "processed", at(6))
        .await
        .expect("none"));
    let got = books
        .sandbox_get("payout", "pout_1")
        .await
        .expect("get")
        .expect("stored");
    assert_eq!((got.status.as_str(), got.updated_at), ("processed", at(6)));
    assert_eq!(
        books.sandbox_get("payout", "pout_2").await.expect("none"),
        None
    );
    assert_appended(&store, before, 0, "the sandbox's books").await;
}
