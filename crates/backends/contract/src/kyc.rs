//! Cases for [`KycStore`](msme_core::ports::KycStore).

use std::sync::Arc;

use msme_core::kyc::{Kyc, KycStatus};
use msme_core::ports::Store;
use msme_core::types::UserId;

use crate::fixtures::market::{individual_kyc, kyc};
use crate::fixtures::{assert_appended, at, event, head_seq, stored_user};

async fn put(store: &Arc<dyn Store>, k: &Kyc, expected: Option<KycStatus>) -> bool {
    let audit = event("kyc.changed", k.user_id.as_str());
    store.put_kyc(k, expected, audit).await.expect("put kyc")
}

/// The first write expects no record; a write whose expected status is stale changes nothing
/// and appends nothing; a decision round-trips every field.
pub async fn put_kyc_is_guarded_by_the_expected_status(store: Arc<dyn Store>) {
    let u = stored_user(&store, 1).await;
    assert_eq!(store.kyc_of(&u.id).await.expect("none yet"), None);
    let before = head_seq(&store).await;
    let submitted = kyc(&u.id, KycStatus::Submitted, 10);
    assert!(
        !put(&store, &submitted, Some(KycStatus::Rejected)).await,
        "a record that does not exist is not `rejected`"
    );
    assert_eq!(store.kyc_of(&u.id).await.expect("still none"), None);
    assert!(put(&store, &submitted, None).await);
    assert_appended(&store, before, 1, "the first submission").await;
    let again = kyc(&u.id, KycStatus::Submitted, 99);
    assert!(!put(&store, &again, None).await, "a record exists now");
    let mut decided = submitted.clone();
    decided.status = KycStatus::Rejected;
    decided.rejection_reason = Some("PAN name does not match — \"Rao\"".into());
    decided.decided_at = Some(at(20));
    decided.decided_by = Some("operator".into());
    assert!(!put(&store, &decided, Some(KycStatus::Verified)).await);
    assert_appended(&store, before, 1, "refused writes").await;
    let stored = store.kyc_of(&u.id).await.expect("get");
    assert_eq!(stored, Some(submitted), "refused writes changed nothing");
    assert!(put(&store, &decided, Some(KycStatus::Submitted)).await);
    assert_appended(&store, before, 2, "the decision").await;
    assert_eq!(store.kyc_of(&u.id).await.expect("get"), Some(decided));
}

/// Absent identifiers stay absent; an individual's Aadhaar last four round-trips.
pub async fn kyc_optional_identifiers_round_trip(store: Arc<dyn Store>) {
    let a = stored_user(&store, 1).await;
    let b = stored_user(&store, 2).await;
    let firm = kyc(&a.id, KycStatus::Submitted, 10);
    let mut person = individual_kyc(&b.id, KycStatus::Verified, 11);
    person.decided_at = Some(at(12));
    person.decided_by = Some(format!("user:{}", UserId::generate()));
    assert!(put(&store, &firm, None).await);
    assert!(put(&store, &person, None).await);
    assert_eq!(store.kyc_of(&a.id).await.expect("firm"), Some(firm));
    assert_eq!(store.kyc_of(&b.id).await.expect("person"), Some(person));
}

/// Records list in user-id order, optionally by status, paging after a user id.
pub async fn list_kyc_filters_by_status_and_pages(store: Arc<dyn Store>) {
    let statuses = [
        KycStatus::Submitted,
        KycStatus::Verified,
        KycStatus::Submitted,
        KycStatus::Rejected,
        KycStatus::Submitted,
        KycStatus::NotStarted,
    ];
    let mut all = Vec::new();
    for (n, status) in statuses.into_iter().enumerate() {
        let u = stored_user(&store, n as u32 + 1).await;
        let k = kyc(&u.id, status, n as i64);
        assert!(put(&store, &k, None).await);
        all.push(k);
    }
    all.sort_by(|x, y| x.user_id.cmp(&y.user_id));
    let by = |s: Option<KycStatus>| -> Vec<Kyc> {
        all.iter()
            .filter(|k| s.is_none_or(|s| k.status == s))
            .cloned()
            .collect()
    };
    for status in [None, Some(KycStatus::Submitted), Some(KycStatus::Verified)] {
        let mut seen = Vec::new();
        let mut after: Option<UserId> = None;
        loop {
            let page = store
                .list_kyc(status, after.as_ref(), 2)
                .await
                .expect("page");
            assert!(page.len() <= 2, "a page holds at most `limit`");
            let Some(last) = page.last() else { break };
            after = Some(last.user_id.clone());
            seen.extend(page);
        }
        assert_eq!(
            seen,
            by(status),
            "every record once, in id order ({status:?})"
        );
    }
    let none = store.list_kyc(Some(KycStatus::Rejected), None, 10).await;
    assert_eq!(none.expect("rejected").len(), 1);
}
