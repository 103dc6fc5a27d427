//! Cases for [`AuditStore`](msme_core::ports::AuditStore) and
//! [`StoreMeta`](msme_core::ports::StoreMeta), and for the audit rule every mutating method keeps.

use std::sync::Arc;

use msme_core::audit::GENESIS_HASH;
use msme_core::audit::{entry_hash, AuditActor, AuditEvent, ChainVerdict, ChainVerifier};
use msme_core::ports::Store;
use msme_core::types::UserId;
use tokio::task::JoinSet;

use crate::fixtures::{all_entries, at, event, head_seq, mobile, otp, session, token, user};

/// A new store has no entries and no head.
pub async fn empty_store_has_no_audit(store: Arc<dyn Store>) {
    assert_eq!(store.audit_head().await.expect("head"), None);
    assert!(all_entries(&store).await.is_empty());
}

/// The event with a varied actor, request id and details, so each call stores a distinct one.
fn varied(n: usize, action: &str, entity: &str) -> AuditEvent {
    let actors = [
        AuditActor::System,
        AuditActor::Operator,
        AuditActor::User(UserId::generate()),
    ];
    AuditEvent {
        actor: actors[n % 3].clone(),
        request_id: (n & 1 == 0).then(|| format!("req-{n}")),
        details: format!(r#"{{"n":{n},"why":"quoted \" and ✓"}}"#),
        ..event(action, entity)
    }
}

/// Each mutating method appends exactly one entry holding the event it was given, unchanged.
pub async fn every_audited_method_appends_one_entry(store: Arc<dyn Store>) {
    let mut u = user(1);
    let (s, first) = session(&u.id, 10);
    let next = token(&s.id, 20);
    let (code, sms) = otp(&mobile(1), 30);
    let ev: Vec<AuditEvent> = (0..10)
        .map(|n| varied(n, &format!("act.{n}"), "e"))
        .collect();
    store
        .create_user(&u, ev[0].clone())
        .await
        .expect("create_user");
    u.role = msme_core::types::Role::Buyer;
    assert!(store
        .update_user(&u, ev[1].clone())
        .await
        .expect("update_user"));
    store
        .lock_user(&u.id, at(99), ev[2].clone())
        .await
        .expect("lock_user");
    store
        .create_session(&s, &first, ev[3].clone())
        .await
        .expect("create_session");
    let rotated = store.rotate_refresh_token(&first.token_hash, &next, ev[4].clone());
    assert!(rotated.await.expect("rotate"));
    assert!(store
        .revoke_session(&s.id, at(40), "logout", ev[5].clone())
        .await
        .expect("revoke"));
    stored_live_session(&store, &u.id).await;
    let all = store
        .revoke_sessions_of(&u.id, at(41), "disabled", ev[6].clone())
        .await;
    assert_eq!(all.expect("revoke all"), 1);
    store
        .issue_otp(&code, Some(&sms), ev[7].clone())
        .await
        .expect("issue_otp");
    assert!(store
        .consume_otp(&code.id, at(50), ev[8].clone())
        .await
        .expect("consume"));
    store
        .append_audit(ev[9].clone())
        .await
        .expect("append_audit");
    let recorded: Vec<AuditEvent> = all_entries(&store)
        .await
        .into_iter()
        .map(|e| e.event)
        .filter(|e| e.action != "session.started")
        .collect();
    assert_eq!(
        recorded, ev,
        "one entry per call, holding its event unchanged"
    );
}

async fn stored_live_session(store: &Arc<dyn Store>, user: &UserId) {
    let (s, t) = session(user, 45);
    let audit = event("session.started", s.id.as_str());
    store.create_session(&s, &t, audit).await.expect("session");
}

/// Appends `n` export entries, each a little different from the last.
async fn append_exports(store: &Arc<dyn Store>, n: usize) {
    for i in 0..n {
        let appended = store.append_audit(varied(i, "export", "audit")).await;
        appended.expect("append");
    }
}

/// Entries number from 1, link each to the one before, and verify; the head is the last.
pub async fn entries_chain_and_verify(store: Arc<dyn Store>) {
    append_exports(&store, 7).await;
    let u = user(1);
    store
        .create_user(&u, varied(7, "user.registered", u.id.as_str()))
        .await
        .expect("create");
    let entries = all_entries(&store).await;
    assert_eq!(
        entries.iter().map(|e| e.seq).collect::<Vec<_>>(),
        (1..=8).collect::<Vec<_>>()
    );
    assert_eq!(entries[0].prev_hash, GENESIS_HASH);
    for pair in entries.windows(2) {
        assert_eq!(
            pair[1].prev_hash, pair[0].hash,
            "entry {} links back",
            pair[1].seq
        );
    }
    let mut verifier = ChainVerifier::default();
    assert!(entries.iter().all(|e| verifier.check(e)));
    let head = store.audit_head().await.expect("head");
    let last = entries.last().expect("entries");
    assert_eq!(head, Some((last.seq, last.hash.clone())));
    assert_eq!(verifier.finish(head), ChainVerdict::Intact { entries: 8 });
}

/// `append_audit` answers with the entry exactly as stored, sealed over its content.
pub async fn append_audit_returns_the_stored_entry(store: Arc<dyn Store>) {
    let first = store
        .append_audit(varied(0, "export", "audit"))
        .await
        .expect("append");
    let second = store
        .append_audit(varied(1, "export", "audit"))
        .await
        .expect("append");
    assert_eq!((first.seq, second.seq), (1, 2));
    assert_eq!(second.prev_hash, first.hash);
    assert_eq!(second.hash, entry_hash(2, &second.event, &first.hash));
    assert_eq!(all_entries(&store).await, [first, second.clone()]);
    assert_eq!(
        store.audit_head().await.expect("head"),
        Some((2, second.hash))
    );
}

/// Pages start after the given `seq` and stop at the limit.
pub async fn audit_page_starts_after_seq(store: Arc<dyn Store>) {
    append_exports(&store, 6).await;
    let page = store.audit_page(2, 2).await.expect("page");
    assert_eq!(page.iter().map(|e| e.seq).collect::<Vec<_>>(), [3, 4]);
    assert!(store
        .audit_page(6, 10)
        .await
        .expect("past the end")
        .is_empty());
}

/// Fifty mutating calls at once get gapless `seq`s 1 to 50 and a chain that verifies.
pub async fn seq_is_gapless_under_concurrency(store: Arc<dyn Store>) {
    let mut tasks = JoinSet::new();
    for n in 0..50u32 {
        let store = store.clone();
        tasks.spawn(async move {
            if n % 2 == 0 {
                let u = user(n + 1);
                store
                    .create_user(&u, varied(n as usize, "user.registered", u.id.as_str()))
                    .await
            } else {
                let (code, sms) = otp(&mobile(n + 1), i64::from(n));
                store
                    .issue_otp(&code, Some(&sms), varied(n as usize, "otp.sent", "m"))
                    .await
                    .map(drop)
            }
        });
    }
    for result in tasks.join_all().await {
        result.expect("mutating call");
    }
    let entries = all_entries(&store).await;
    assert_eq!(
        entries.iter().map(|e| e.seq).collect::<Vec<_>>(),
        (1..=50).collect::<Vec<_>>()
    );
    let mut verifier = ChainVerifier::default();
    assert!(
        entries.iter().all(|e| verifier.check(e)),
        "chain links under concurrency"
    );
    let head = store.audit_head().await.expect("head");
    assert_eq!(verifier.finish(head), ChainVerdict::Intact { entries: 50 });
    assert_eq!(head_seq(&store).await, 50);
}

/// A consumer starts at 0; its cursor persists and is independent of other consumers.
pub async fn consumer_cursors_default_to_zero_and_persist(store: Arc<dyn Store>) {
    assert_eq!(store.consumer_cursor("search").await.expect("cursor"), 0);
    store.set_consumer_cursor("search", 5).await.expect("set");
    store.set_consumer_cursor("webhooks", 2).await.expect("set");
    store.set_consumer_cursor("search", 7).await.expect("move");
    assert_eq!(store.consumer_cursor("search").await.expect("cursor"), 7);
    assert_eq!(store.consumer_cursor("webhooks").await.expect("cursor"), 2);
    assert_eq!(
        store
            .consumer_cursor("notifications")
            .await
            .expect("cursor"),
        0
    );
}

/// The store answers a health check and names a positive schema version and its backend.
pub async fn store_meta_reports_health_and_schema(store: Arc<dyn Store>) {
    store.health().await.expect("healthy");
    assert!(store.schema_version().await.expect("version") > 0);
    assert!(["sqlite", "postgres"].contains(&store.backend_name()));
}
