//! Cases for [`UserStore`](msme_core::ports::UserStore).

use std::sync::Arc;

use chrono::{DateTime, Duration, Utc};
use msme_core::error::StoreError;
use msme_core::ports::{Store, User, UserStatus};
use msme_core::types::{Email, PersonName, Role, UserId};
use tokio::task::JoinSet;

use crate::fixtures::{
    assert_appended, at, event, failed_logins_then_lock, head_seq, mobile, reloaded, stored_user,
    user,
};

/// An account reads back whole by id, mobile and email.
pub async fn user_lookup_by_id_mobile_and_email(store: Arc<dyn Store>) {
    let u = stored_user(&store, 1).await;
    stored_user(&store, 2).await;
    let by_id = store.user_by_id(&u.id).await.expect("by id");
    assert_eq!(by_id.as_ref(), Some(&u));
    let by_mobile = store.user_by_mobile(&u.mobile).await.expect("by mobile");
    assert_eq!(by_mobile.as_ref(), Some(&u));
    let email = u.email.clone().expect("fixture has email");
    assert_eq!(
        store.user_by_email(&email).await.expect("by email"),
        Some(u)
    );
}

/// Unknown accounts are `None`, not an error.
pub async fn lookups_of_unknown_accounts_are_none(store: Arc<dyn Store>) {
    stored_user(&store, 1).await;
    assert_eq!(
        store.user_by_id(&UserId::generate()).await.expect("id"),
        None
    );
    assert_eq!(
        store.user_by_mobile(&mobile(9)).await.expect("mobile"),
        None
    );
    let email = Email::from_trusted("nobody@example.in".into());
    assert_eq!(store.user_by_email(&email).await.expect("email"), None);
}

/// Creating an account given `first`'s `what` (by `take`) is refused with `Duplicate(what)`;
/// nothing is stored or audited.
async fn assert_taken_is_refused(
    store: &Arc<dyn Store>,
    what: &'static str,
    take: fn(&mut User, &User),
) {
    let first = stored_user(store, 1).await;
    let before = head_seq(store).await;
    let mut second = user(2);
    take(&mut second, &first);
    let audit = event("user.registered", second.id.as_str());
    let err = store.create_user(&second, audit).await.expect_err(what);
    assert!(
        matches!(err, StoreError::Duplicate(w) if w == what),
        "{err:?}"
    );
    assert_appended(store, before, 0, "a refused create").await;
    assert_eq!(store.user_by_id(&second.id).await.expect("lookup"), None);
}

/// A taken mobile is `Duplicate("mobile")`; nothing is stored or audited.
pub async fn duplicate_mobile_is_refused_without_audit(store: Arc<dyn Store>) {
    assert_taken_is_refused(&store, "mobile", |u, first| u.mobile = first.mobile.clone()).await;
}

/// A taken email is `Duplicate("email")`; nothing is stored or audited.
pub async fn duplicate_email_is_refused_without_audit(store: Arc<dyn Store>) {
    assert_taken_is_refused(&store, "email", |u, first| u.email = first.email.clone()).await;
}

/// Email is optional: many accounts may have none.
pub async fn accounts_without_email_do_not_collide(store: Arc<dyn Store>) {
    for n in 1..=3 {
        let mut u = user(n);
        u.email = None;
        store
            .create_user(&u, event("user.registered", u.id.as_str()))
            .await
            .expect("no email is no conflict");
        assert_eq!(store.user_by_id(&u.id).await.expect("lookup"), Some(u));
    }
}

/// Pages follow id order; `after` starts past the given id.
pub async fn list_users_pages_in_id_order(store: Arc<dyn Store>) {
    let mut ids = Vec::new();
    for n in 1..=5 {
        ids.push(stored_user(&store, n).await.id);
    }
    ids.sort();
    let mut seen = Vec::new();
    let mut after: Option<UserId> = None;
    loop {
        let page = store.list_users(after.as_ref(), 2).await.expect("page");
        assert!(page.len() <= 2, "page longer than its limit");
        let Some(last) = page.last() else { break };
        after = Some(last.id.clone());
        seen.extend(page.into_iter().map(|u| u.id));
    }
    assert_eq!(seen, ids);
    let tail = store.list_users(Some(&ids[2]), 10).await.expect("tail");
    assert_eq!(
        tail.iter().map(|u| &u.id).collect::<Vec<_>>(),
        [&ids[3], &ids[4]]
    );
}

/// Every field `update_user` writes reads back, and it is audited once.
pub async fn update_user_round_trips_every_mutable_field(store: Arc<dyn Store>) {
    let mut u = stored_user(&store, 1).await;
    let before = head_seq(&store).await;
    u.name = PersonName::from_trusted("Asha R. Kulkarni".into());
    u.email = Some(Email::from_trusted("asha@example.co.in".into()));
    u.role = Role::Nbfc;
    u.status = UserStatus::Disabled;
    u.password_hash = "$argon2id$v=19$m=19456,t=2,p=1$bmV3$changed".into();
    u.mobile_verified_at = Some(at(100));
    u.totp_secret = Some("JBSWY3DPEHPK3PXP".into());
    u.mfa_enabled_at = Some(at(101));
    u.updated_at = at(102);
    let changed = store.update_user(&u, event("user.updated", u.id.as_str()));
    assert!(changed.await.expect("update"));
    assert_appended(&store, before, 1, "update_user").await;
    assert_eq!(
        store.user_by_id(&u.id).await.expect("lookup").as_ref(),
        Some(&u)
    );
    // Clearing optional fields must clear them too.
    u.email = None;
    u.totp_secret = None;
    u.mfa_enabled_at = None;
    u.mobile_verified_at = None;
    let cleared = store.update_user(&u, event("user.updated", u.id.as_str()));
    assert!(cleared.await.expect("update"));
    assert_eq!(store.user_by_id(&u.id).await.expect("lookup"), Some(u));
}

/// Changing to another account's email is `Duplicate("email")` and changes nothing.
pub async fn update_user_to_taken_email_is_refused(store: Arc<dyn Store>) {
    let other = stored_user(&store, 1).await;
    let original = stored_user(&store, 2).await;
    let before = head_seq(&store).await;
    let mut u = original.clone();
    u.email = other.email.clone();
    u.name = PersonName::from_trusted("Someone Else".into());
    let err = store
        .update_user(&u, event("user.updated", u.id.as_str()))
        .await
        .expect_err("email taken");
    assert!(matches!(err, StoreError::Duplicate("email")), "{err:?}");
    assert_appended(&store, before, 0, "a refused update").await;
    assert_eq!(
        store.user_by_id(&u.id).await.expect("lookup"),
        Some(original)
    );
}

/// Updating an account that does not exist is `false` and unaudited.
pub async fn update_of_missing_user_returns_false(store: Arc<dyn Store>) {
    let before = head_seq(&store).await;
    let ghost = user(1);
    let changed = store.update_user(&ghost, event("user.updated", ghost.id.as_str()));
    assert!(!changed.await.expect("update"));
    assert_appended(&store, before, 0, "updating nobody").await;
    assert_eq!(store.user_by_id(&ghost.id).await.expect("lookup"), None);
}

/// Twenty logins failing at once count to exactly twenty, each seeing its own count.
pub async fn failed_logins_count_exactly_under_concurrency(store: Arc<dyn Store>) {
    let u = stored_user(&store, 1).await;
    let before = head_seq(&store).await;
    let mut tasks = JoinSet::new();
    for i in 0..20 {
        let (store, id) = (store.clone(), u.id.clone());
        let audit = event("user.login_failed", id.as_str());
        tasks.spawn(async move { store.record_failed_login(&id, at(i), audit).await });
    }
    let mut counts: Vec<i32> = tasks
        .join_all()
        .await
        .into_iter()
        .map(|r| r.expect("record"))
        .collect();
    counts.sort_unstable();
    assert_eq!(counts, (1..=20).collect::<Vec<_>>());
    let stored = reloaded(&store, &u.id).await;
    assert_eq!(stored.failed_logins, 20);
    assert_appended(&store, before, 20, "failed logins").await;
}

/// A failure after the lock has expired clears the lock and starts counting again.
pub async fn failed_login_after_an_expired_lock_starts_afresh(store: Arc<dyn Store>) {
    let u = stored_user(&store, 1).await;
    failed_logins_then_lock(&store, &u.id, 5, at(100)).await;
    let fail_at = |secs| {
        let audit = event("user.login_failed", u.id.as_str());
        store.record_failed_login(&u.id, at(secs), audit)
    };
    assert_eq!(fail_at(50).await.expect("fail during the lock"), 6);
    assert_eq!(fail_at(100).await.expect("fail after it"), 1);
    let stored = reloaded(&store, &u.id).await;
    assert_eq!((stored.failed_logins, stored.locked_until), (1, None));
}

/// A lock is stored to the microsecond and audited once.
pub async fn lock_user_sets_locked_until(store: Arc<dyn Store>) {
    let u = stored_user(&store, 1).await;
    let before = head_seq(&store).await;
    let until = at(900) + Duration::microseconds(1);
    store
        .lock_user(&u.id, until, event("user.locked", u.id.as_str()))
        .await
        .expect("lock");
    assert_appended(&store, before, 1, "lock_user").await;
    let stored = reloaded(&store, &u.id).await;
    assert_eq!(stored.locked_until, Some(until));
}

/// A TOTP step works once; it and older steps are refused afterwards, per account.
pub async fn totp_steps_cannot_be_replayed(store: Arc<dyn Store>) {
    let a = stored_user(&store, 1).await;
    let b = stored_user(&store, 2).await;
    assert!(store.use_totp_step(&a.id, 100).await.expect("first use"));
    assert!(!store.use_totp_step(&a.id, 100).await.expect("replay"));
    assert!(!store.use_totp_step(&a.id, 99).await.expect("older"));
    assert!(store.use_totp_step(&b.id, 50).await.expect("other account"));
    assert!(store.use_totp_step(&a.id, 101).await.expect("next step"));
    assert!(!store.use_totp_step(&a.id, 100).await.expect("older again"));
}

/// Times far apart and with odd microseconds come back exactly.
pub async fn times_keep_microseconds(store: Arc<dyn Store>) {
    let times: [DateTime<Utc>; 3] = [
        DateTime::from_timestamp_micros(978_307_200_000_001).expect("2001"),
        DateTime::from_timestamp_micros(1_736_900_000_999_999).expect("2025"),
        DateTime::from_timestamp_micros(4_102_444_799_123_456).expect("2099"),
    ];
    for (n, t) in (1..).zip(times) {
        let mut u = user(n);
        (u.created_at, u.updated_at, u.mobile_verified_at) = (t, t, Some(t));
        u.locked_until = Some(t + Duration::microseconds(1));
        store
            .create_user(&u, event("user.registered", u.id.as_str()))
            .await
            .expect("create");
        assert_eq!(store.user_by_id(&u.id).await.expect("lookup"), Some(u));
    }
}
