//! Cases for [`ListingStore`](msme_core::ports::ListingStore): storing, updating, assets and
//! access grants. Queries are in [`crate::listing_queries`].

use std::sync::Arc;

use msme_core::listing::{industry, state, DealType, Listing, ListingId, ListingStatus};
use msme_core::money::Paise;
use msme_core::ports::Store;
use msme_core::types::UserId;

use crate::fixtures::market::{asset, listing, stored_listing, year};
use crate::fixtures::{assert_appended, at, event, head_seq, stored_user};

async fn update(store: &Arc<dyn Store>, l: &Listing) -> bool {
    let audit = event("listing.updated", l.id.as_str());
    store.update_listing(l, audit).await.expect("update")
}

/// Every field reads back as stored, financials newest first; unknown ids are `None`.
pub async fn listing_round_trips_every_field(store: Arc<dyn Store>) {
    let u = stored_user(&store, 1).await;
    let before = head_seq(&store).await;
    let mut full = listing(&u.id, 10);
    full.content.anonymous = true;
    full.content.financials = vec![year(2025, 1), year(2023, 2), year(2021, 3)];
    full.status = ListingStatus::Published;
    full.rejection_reason = Some("earlier: \"EBITDA\" unclear ✓".into());
    full.version = 4;
    full.updated_at = at(20);
    full.published_at = Some(at(30));
    let stored = stored_listing(&store, full).await;
    assert_appended(&store, before, 1, "create_listing").await;
    let mut bare = listing(&u.id, 11);
    bare.content.financials = Vec::new();
    let bare = stored_listing(&store, bare).await;
    assert_eq!(
        store.listing_by_id(&stored.id).await.expect("get"),
        Some(stored)
    );
    assert_eq!(
        store.listing_by_id(&bare.id).await.expect("get"),
        Some(bare)
    );
    let unknown = store.listing_by_id(&ListingId::generate()).await;
    assert_eq!(unknown.expect("unknown"), None);
}

/// A batch with a duplicate id, within itself or against a stored listing, stores none and
/// appends nothing; a good batch stores all with one entry each.
pub async fn create_listings_is_all_or_nothing(store: Arc<dyn Store>) {
    let u = stored_user(&store, 1).await;
    let existing = stored_listing(&store, listing(&u.id, 1)).await;
    let before = head_seq(&store).await;
    let batch = |ls: &[Listing]| {
        let audits = ls
            .iter()
            .map(|l| event("listing.imported", l.id.as_str()))
            .collect::<Vec<_>>();
        let (store, ls) = (store.clone(), ls.to_vec());
        async move { store.create_listings(&ls, audits).await }
    };
    let (a, b) = (listing(&u.id, 2), listing(&u.id, 3));
    let mut twin = listing(&u.id, 4);
    twin.id = a.id.clone();
    let mut clash = listing(&u.id, 5);
    clash.id = existing.id.clone();
    for bad in [vec![a.clone(), b.clone(), twin], vec![a.clone(), clash]] {
        assert!(batch(&bad).await.is_err(), "a batch with a duplicate id");
        assert_appended(&store, before, 0, "a refused batch").await;
        for l in [&a, &b] {
            assert_eq!(store.listing_by_id(&l.id).await.expect("get"), None);
        }
    }
    assert_eq!(
        store.listing_by_id(&existing.id).await.expect("kept"),
        Some(existing)
    );
    batch(&[a.clone(), b.clone()]).await.expect("good batch");
    assert_appended(&store, before, 2, "a batch of two").await;
    assert_eq!(store.listing_by_id(&b.id).await.expect("get"), Some(b));
    batch(&[]).await.expect("an empty batch");
    assert_appended(&store, before, 2, "an empty batch").await;
}

/// An update applies only over the version before it; it replaces content, financials, status
/// and review fields, and keeps seller and creation time.
pub async fn update_listing_is_optimistic(store: Arc<dyn Store>) {
    let u = stored_user(&store, 1).await;
    let original = stored_listing(&store, listing(&u.id, 10)).await;
    let before = head_seq(&store).await;
    let mut next = original.clone();
    next.version = 2;
    let c = &mut next.content;
    c.title = "Textile dyeing unit with ZLD plant".into();
    c.description = "Export-oriented dyeing house with zero liquid discharge.".into();
    c.industry = industry("textiles_apparel").expect("industry");
    c.city = "Tiruppur".into();
    c.state = state("Tamil Nadu").expect("state");
    (c.year_established, c.employees) = (1999, 120);
    c.deal_type = DealType::PartialStake;
    c.asking_price = Paise::new(7_50_00_000_00);
    c.anonymous = true;
    c.financials = vec![year(2024, 7)];
    next.status = ListingStatus::Rejected;
    next.rejection_reason = Some("add the FY 2025 figures".into());
    (next.updated_at, next.published_at) = (at(40), Some(at(41)));
    assert!(update(&store, &next).await);
    assert_appended(&store, before, 1, "an applied update").await;
    assert_eq!(
        store.listing_by_id(&next.id).await.expect("get"),
        Some(next.clone())
    );
    let mut stale = original.clone();
    stale.version = 2;
    stale.content.title = "A stale edit".into();
    let mut skipping = next.clone();
    skipping.version = 4;
    let mut nobody = next.clone();
    (nobody.id, nobody.version) = (ListingId::generate(), 1);
    for refused in [&stale, &skipping, &nobody] {
        assert!(!update(&store, refused).await, "v{}", refused.version);
    }
    assert_appended(&store, before, 1, "refused updates").await;
    assert_eq!(
        store.listing_by_id(&next.id).await.expect("get"),
        Some(next.clone())
    );
    let mut again = next.clone();
    (again.version, again.status, again.rejection_reason) = (3, ListingStatus::Draft, None);
    again.content.financials.clear();
    assert!(
        update(&store, &again).await,
        "the following version applies"
    );
    assert_eq!(
        store.listing_by_id(&next.id).await.expect("get"),
        Some(again)
    );
}

/// Assets list oldest first per listing; a delete names the listing, works once.
pub async fn assets_are_put_listed_and_deleted(store: Arc<dyn Store>) {
    let u = stored_user(&store, 1).await;
    let l1 = stored_listing(&store, listing(&u.id, 1)).await;
    let l2 = stored_listing(&store, listing(&u.id, 2)).await;
    let before = head_seq(&store).await;
    let (later, earlier, elsewhere) = (asset(&l1.id, 20), asset(&l1.id, 10), asset(&l2.id, 5));
    for a in [&later, &earlier, &elsewhere] {
        let audit = event("listing.asset_added", a.listing_id.as_str());
        store.put_asset(a, audit).await.expect("put asset");
    }
    assert_appended(&store, before, 3, "three assets").await;
    let listed = store.assets_of(&l1.id).await.expect("assets");
    assert_eq!(listed, vec![earlier.clone(), later.clone()]);
    let delete = |l: ListingId, id: String| {
        let store = store.clone();
        async move {
            let audit = event("listing.asset_removed", l.as_str());
            store.delete_asset(&l, &id, audit).await.expect("delete")
        }
    };
    assert!(
        !delete(l1.id.clone(), elsewhere.id.clone()).await,
        "not on l1"
    );
    assert!(delete(l1.id.clone(), earlier.id.clone()).await);
    assert!(
        !delete(l1.id.clone(), earlier.id.clone()).await,
        "already gone"
    );
    assert!(!delete(l1.id.clone(), "no-such-asset".into()).await);
    assert_appended(&store, before, 4, "one real delete").await;
    assert_eq!(store.assets_of(&l1.id).await.expect("l1"), vec![later]);
    assert_eq!(store.assets_of(&l2.id).await.expect("l2"), vec![elsewhere]);
}

/// A grant works once, lists oldest first with its time, and a revoke works once.
pub async fn access_is_granted_and_revoked_once(store: Arc<dyn Store>) {
    let seller = stored_user(&store, 1).await;
    let (b1, b2) = (stored_user(&store, 2).await, stored_user(&store, 3).await);
    let l = stored_listing(&store, listing(&seller.id, 1)).await;
    let other = stored_listing(&store, listing(&seller.id, 2)).await;
    let before = head_seq(&store).await;
    let grant = |buyer: UserId, secs: i64| {
        let (store, id) = (store.clone(), l.id.clone());
        async move {
            let audit = event("listing.access_granted", id.as_str());
            store
                .grant_access(&id, &buyer, at(secs), audit)
                .await
                .expect("grant")
        }
    };
    assert!(!store.has_access(&l.id, &b1.id).await.expect("before"));
    assert!(grant(b2.id.clone(), 20).await);
    assert!(grant(b1.id.clone(), 30).await);
    assert!(!grant(b1.id.clone(), 40).await, "already granted");
    assert_appended(&store, before, 2, "two real grants").await;
    assert!(store.has_access(&l.id, &b1.id).await.expect("granted"));
    assert!(!store.has_access(&other.id, &b1.id).await.expect("other"));
    let grants = store.access_grants(&l.id).await.expect("grants");
    assert_eq!(
        grants,
        vec![(b2.id.clone(), at(20)), (b1.id.clone(), at(30))]
    );
    let revoke = |buyer: UserId| {
        let (store, id) = (store.clone(), l.id.clone());
        async move {
            let audit = event("listing.access_revoked", id.as_str());
            store
                .revoke_access(&id, &buyer, audit)
                .await
                .expect("revoke")
        }
    };
    assert!(revoke(b1.id.clone()).await);
    assert!(!revoke(b1.id.clone()).await, "already revoked");
    assert_appended(&store, before, 3, "one real revoke").await;
    assert!(!store.has_access(&l.id, &b1.id).await.expect("revoked"));
    let left = store.access_grants(&l.id).await.expect("grants");
    assert_eq!(left, vec![(b2.id, at(20))]);
    assert!(store
        .access_grants(&other.id)
        .await
        .expect("none")
        .is_empty());
}
