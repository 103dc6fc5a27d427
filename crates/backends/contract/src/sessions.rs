//! Cases for [`SessionStore`](msme_core::ports::SessionStore).

use std::sync::Arc;

use msme_core::ports::Store;
use msme_core::types::{SessionId, UserId};
use tokio::task::JoinSet;

use crate::fixtures::{
    assert_appended, at, event, failed_logins_then_lock, head_seq, reloaded, session,
    stored_session, stored_user, token,
};

/// A session and its first token read back whole; unknown ones are `None`.
pub async fn session_and_token_round_trip(store: Arc<dyn Store>) {
    let u = stored_user(&store, 1).await;
    let before = head_seq(&store).await;
    let (s, t) = stored_session(&store, &u.id, 10).await;
    assert_appended(&store, before, 1, "create_session").await;
    assert_eq!(store.session_by_id(&s.id).await.expect("session"), Some(s));
    let stored = store.refresh_token(&t.token_hash).await.expect("token");
    assert_eq!(stored, Some(t));
    let unknown = store.session_by_id(&SessionId::generate()).await;
    assert_eq!(unknown.expect("unknown session"), None);
    assert_eq!(
        store.refresh_token("no-such-hash").await.expect("unknown"),
        None
    );
}

/// Starting a session clears the account's failed logins and lock.
pub async fn create_session_clears_failed_logins_and_lock(store: Arc<dyn Store>) {
    let u = stored_user(&store, 1).await;
    failed_logins_then_lock(&store, &u.id, 3, at(600)).await;
    stored_session(&store, &u.id, 20).await;
    let after = reloaded(&store, &u.id).await;
    assert_eq!((after.failed_logins, after.locked_until), (0, None));
    assert_eq!(after.name, u.name);
}

/// A session must belong to an account; a refused one leaves no trace.
pub async fn session_for_unknown_user_is_refused_without_audit(store: Arc<dyn Store>) {
    let before = head_seq(&store).await;
    let (s, t) = session(&UserId::generate(), 10);
    let result = store
        .create_session(&s, &t, event("session.started", s.id.as_str()))
        .await;
    assert!(result.is_err(), "session for nobody was stored");
    assert_appended(&store, before, 0, "a refused session").await;
    assert_eq!(store.session_by_id(&s.id).await.expect("lookup"), None);
    assert_eq!(
        store.refresh_token(&t.token_hash).await.expect("token"),
        None
    );
}

/// Rotation marks the presented token, stores the next, and works once per token.
pub async fn rotation_marks_presented_and_stores_next(store: Arc<dyn Store>) {
    let u = stored_user(&store, 1).await;
    let (s, first) = stored_session(&store, &u.id, 10).await;
    let second = token(&s.id, 20);
    let before = head_seq(&store).await;
    let rotate = |presented: String, next| {
        let store = store.clone();
        let audit = event("session.refreshed", s.id.as_str());
        async move { store.rotate_refresh_token(&presented, &next, audit).await }
    };
    assert!(rotate(first.token_hash.clone(), second.clone())
        .await
        .expect("rotate"));
    assert_appended(&store, before, 1, "a rotation").await;
    let old = store.refresh_token(&first.token_hash).await.expect("old");
    assert!(old.expect("old token kept").rotated_at.is_some());
    let stored = store.refresh_token(&second.token_hash).await.expect("next");
    assert_eq!(stored.as_ref(), Some(&second));
    let replay = token(&s.id, 30);
    assert!(!rotate(first.token_hash.clone(), replay.clone())
        .await
        .expect("replay"));
    assert_eq!(
        store.refresh_token(&replay.token_hash).await.expect("x"),
        None
    );
    assert!(!rotate("no-such-hash".into(), token(&s.id, 31))
        .await
        .expect("unknown"));
    assert_appended(&store, before, 1, "refused rotations").await;
    assert!(rotate(second.token_hash, token(&s.id, 40))
        .await
        .expect("next"));
}

/// Of ten rotations of one token at once, exactly one wins and only its token is stored.
pub async fn only_one_concurrent_rotation_wins(store: Arc<dyn Store>) {
    let u = stored_user(&store, 1).await;
    let (s, presented) = stored_session(&store, &u.id, 10).await;
    let before = head_seq(&store).await;
    let mut tasks = JoinSet::new();
    for i in 0..10 {
        let (store, hash, next) = (store.clone(), presented.token_hash.clone(), token(&s.id, i));
        let audit = event("session.refreshed", s.id.as_str());
        tasks.spawn(async move {
            let won = store.rotate_refresh_token(&hash, &next, audit).await;
            (won.expect("rotate"), next.token_hash)
        });
    }
    let results = tasks.join_all().await;
    let winners: Vec<_> = results.iter().filter(|(won, _)| *won).collect();
    assert_eq!(winners.len(), 1, "exactly one rotation may win");
    assert_appended(&store, before, 1, "concurrent rotations").await;
    for (won, hash) in &results {
        let stored = store.refresh_token(hash).await.expect("lookup");
        assert_eq!(stored.is_some(), *won, "only the winner's token is stored");
    }
}

/// Revoking works once; the session keeps when and why.
pub async fn revoke_session_succeeds_once(store: Arc<dyn Store>) {
    let u = stored_user(&store, 1).await;
    let (s, _) = stored_session(&store, &u.id, 10).await;
    let before = head_seq(&store).await;
    let revoke = |id: SessionId| {
        let store = store.clone();
        let audit = event("session.revoked", id.as_str());
        async move { store.revoke_session(&id, at(50), "logout", audit).await }
    };
    assert!(revoke(s.id.clone()).await.expect("revoke"));
    assert!(!revoke(s.id.clone()).await.expect("again"));
    assert!(!revoke(SessionId::generate()).await.expect("unknown"));
    assert_appended(&store, before, 1, "one real revocation").await;
    let stored = store
        .session_by_id(&s.id)
        .await
        .expect("lookup")
        .expect("kept");
    assert_eq!(stored.revoked_at, Some(at(50)));
    assert_eq!(stored.revoke_reason.as_deref(), Some("logout"));
}

/// Revoking all of an account's sessions counts only live ones and spares other accounts.
pub async fn revoke_sessions_of_counts_only_live_sessions(store: Arc<dyn Store>) {
    let u = stored_user(&store, 1).await;
    let other = stored_user(&store, 2).await;
    let (gone, _) = stored_session(&store, &u.id, 10).await;
    stored_session(&store, &u.id, 11).await;
    stored_session(&store, &u.id, 12).await;
    let (theirs, _) = stored_session(&store, &other.id, 13).await;
    let audit = event("session.revoked", gone.id.as_str());
    store
        .revoke_session(&gone.id, at(20), "logout", audit)
        .await
        .expect("revoke");
    let before = head_seq(&store).await;
    let revoke_all = |secs| {
        let audit = event("session.revoked_all", u.id.as_str());
        store.revoke_sessions_of(&u.id, at(secs), "role_changed", audit)
    };
    assert_eq!(revoke_all(30).await.expect("revoke all"), 2);
    assert_appended(&store, before, 1, "revoke_sessions_of").await;
    assert_eq!(revoke_all(31).await.expect("revoke all again"), 0);
    assert_appended(&store, before, 1, "revoking nothing").await;
    for s in store.sessions_of(&u.id).await.expect("sessions") {
        let expected = if s.id == gone.id {
            (at(20), "logout")
        } else {
            (at(30), "role_changed")
        };
        assert_eq!(
            (s.revoked_at, s.revoke_reason.as_deref()),
            (Some(expected.0), Some(expected.1))
        );
    }
    let spared = store
        .session_by_id(&theirs.id)
        .await
        .expect("lookup")
        .expect("kept");
    assert_eq!(spared.revoked_at, None);
}

/// An account's sessions come newest first, revoked ones included, no one else's.
pub async fn sessions_of_lists_newest_first(store: Arc<dyn Store>) {
    let u = stored_user(&store, 1).await;
    let other = stored_user(&store, 2).await;
    let (middle, _) = stored_session(&store, &u.id, 20).await;
    let (oldest, _) = stored_session(&store, &u.id, 10).await;
    let (newest, _) = stored_session(&store, &u.id, 30).await;
    stored_session(&store, &other.id, 40).await;
    let audit = event("session.revoked", oldest.id.as_str());
    store
        .revoke_session(&oldest.id, at(35), "logout", audit)
        .await
        .expect("revoke");
    let listed = store.sessions_of(&u.id).await.expect("sessions");
    let ids: Vec<_> = listed.iter().map(|s| &s.id).collect();
    assert_eq!(ids, [&newest.id, &middle.id, &oldest.id]);
    assert_eq!(listed[0], newest);
    assert_eq!(listed[2].revoked_at, Some(at(35)));
    let nobody = store.sessions_of(&UserId::generate()).await.expect("none");
    assert!(nobody.is_empty());
}
