//! Cases for [`ProfileStore`](msme_core::ports::ProfileStore).

use std::sync::Arc;

use msme_core::ports::Store;
use msme_core::types::UserId;

use crate::fixtures::market::profile;
use crate::fixtures::{assert_appended, event, head_seq, stored_user};

/// A profile reads back whole; a second put replaces it; each put appends one entry.
pub async fn profile_round_trips_and_is_replaced(store: Arc<dyn Store>) {
    let u = stored_user(&store, 1).await;
    let other = stored_user(&store, 2).await;
    assert_eq!(store.profile_of(&u.id).await.expect("none yet"), None);
    let before = head_seq(&store).await;
    let first = profile(&u.id, 10);
    let put = |p| {
        let store = store.clone();
        async move {
            let audit = event("profile.updated", "p");
            store.put_profile(&p, audit).await.expect("put profile");
        }
    };
    put(first.clone()).await;
    assert_eq!(store.profile_of(&u.id).await.expect("get"), Some(first));
    let mut second = profile(&u.id, 20);
    second.fields.company_name = None;
    second.fields.sectors = vec!["textiles_apparel".into()];
    second.fields.locations = vec!["Surat".into(), "Tiruppur".into()];
    put(second.clone()).await;
    assert_eq!(store.profile_of(&u.id).await.expect("get"), Some(second));
    assert_appended(&store, before, 2, "two profile puts").await;
    assert_eq!(store.profile_of(&other.id).await.expect("other"), None);
    let nobody = store.profile_of(&UserId::generate()).await;
    assert_eq!(nobody.expect("unknown account"), None);
}

/// Profiles of different accounts are kept apart.
pub async fn profiles_are_per_account(store: Arc<dyn Store>) {
    let a = stored_user(&store, 1).await;
    let b = stored_user(&store, 2).await;
    let pa = profile(&a.id, 10);
    let mut pb = profile(&b.id, 11);
    pb.fields.about = Some("Investor in food processing".into());
    for p in [&pa, &pb] {
        let audit = event("profile.updated", p.user_id.as_str());
        store.put_profile(p, audit).await.expect("put");
    }
    assert_eq!(store.profile_of(&a.id).await.expect("a"), Some(pa));
    assert_eq!(store.profile_of(&b.id).await.expect("b"), Some(pb));
}
