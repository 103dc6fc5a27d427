//! Cases for [`OtpStore`](msme_core::ports::OtpStore).

use std::sync::Arc;

use chrono::Duration;
use msme_core::ports::{OtpCode, OutboxStatus, Store};
use msme_core::types::Mobile;
use tokio::task::JoinSet;

use crate::fixtures::{assert_appended, at, event, head_seq, mobile, otp, reloaded, stored_user};

/// Issues a code for `mobile` at `secs`, with its SMS.
async fn issued(store: &Arc<dyn Store>, mobile: &Mobile, secs: i64) -> OtpCode {
    let (code, sms) = otp(mobile, secs);
    let audit = event("otp.sent", &code.id);
    store
        .issue_otp(&code, Some(&sms), audit)
        .await
        .expect("issue");
    code
}

/// The code and its SMS are stored together; the answer is the outbox id.
pub async fn issue_otp_stores_code_and_outbox_row(store: Arc<dyn Store>) {
    let (code, sms) = otp(&mobile(1), 10);
    let before = head_seq(&store).await;
    let id = store
        .issue_otp(&code, Some(&sms), event("otp.sent", &code.id))
        .await
        .expect("issue");
    assert_appended(&store, before, 1, "issue_otp").await;
    assert_eq!(
        store.latest_otp(&mobile(1)).await.expect("latest"),
        Some(code)
    );
    let page = store.outbox_page(None, 10).await.expect("outbox");
    assert_eq!(page.len(), 1);
    let m = &page[0];
    assert_eq!(Some(m.id), id);
    assert_eq!(
        (&m.channel, &m.recipient, &m.body),
        (&sms.channel, &sms.recipient, &sms.body)
    );
    assert_eq!(
        (m.created_at, m.status, m.attempts),
        (sms.created_at, OutboxStatus::Queued, 0)
    );
    assert_eq!(
        (&m.provider, &m.provider_ref, &m.last_error, m.sent_at),
        (&None, &None, &None, None)
    );
}

/// Send times come newest first, only for the number asked about, only after `since`.
pub async fn otps_sent_since_is_newest_first_and_bounded(store: Arc<dyn Store>) {
    for secs in [0, 300, 100, 200] {
        issued(&store, &mobile(1), secs).await;
    }
    issued(&store, &mobile(2), 250).await;
    let since = at(50);
    let sent = store
        .otps_sent_since(&mobile(1), since)
        .await
        .expect("since");
    assert_eq!(sent, [at(300), at(200), at(100)]);
    let later = at(300) + Duration::microseconds(1);
    assert!(store
        .otps_sent_since(&mobile(1), later)
        .await
        .expect("none")
        .is_empty());
    assert!(store
        .otps_sent_since(&mobile(3), at(0))
        .await
        .expect("nobody")
        .is_empty());
}

/// The latest code is the last one issued for that number.
pub async fn latest_otp_is_the_most_recent(store: Arc<dyn Store>) {
    assert_eq!(store.latest_otp(&mobile(1)).await.expect("none yet"), None);
    issued(&store, &mobile(1), 10).await;
    let second = issued(&store, &mobile(1), 70).await;
    issued(&store, &mobile(2), 80).await;
    assert_eq!(
        store.latest_otp(&mobile(1)).await.expect("latest"),
        Some(second)
    );
}

/// Twenty tries at once count to exactly twenty.
pub async fn otp_attempts_count_exactly_under_concurrency(store: Arc<dyn Store>) {
    let code = issued(&store, &mobile(1), 10).await;
    let before = head_seq(&store).await;
    let mut tasks = JoinSet::new();
    for _ in 0..20 {
        let (store, id) = (store.clone(), code.id.clone());
        tasks.spawn(async move { store.record_otp_attempt(&id).await });
    }
    let results = tasks.join_all().await;
    let mut counts: Vec<i32> = results.into_iter().map(|r| r.expect("failure")).collect();
    counts.sort_unstable();
    assert_eq!(counts, (1..=20).collect::<Vec<_>>());
    let stored = store
        .latest_otp(&mobile(1))
        .await
        .expect("latest")
        .expect("exists");
    assert_eq!(stored.attempts, 20);
    assert_appended(&store, before, 0, "record_otp_attempt").await;
}

/// Of ten uses of one code at once, exactly one succeeds, and it is audited once.
pub async fn otp_is_consumed_once_under_concurrency(store: Arc<dyn Store>) {
    let code = issued(&store, &mobile(1), 10).await;
    let before = head_seq(&store).await;
    let mut tasks = JoinSet::new();
    for _ in 0..10 {
        let (store, id) = (store.clone(), code.id.clone());
        let audit = event("otp.verified", &id);
        tasks.spawn(async move { store.consume_otp(&id, at(20), audit).await });
    }
    let results = tasks.join_all().await;
    let wins = results
        .into_iter()
        .filter(|r| *r.as_ref().expect("consume"))
        .count();
    assert_eq!(wins, 1, "a code works once");
    assert_appended(&store, before, 1, "consuming a code").await;
    let stored = store
        .latest_otp(&mobile(1))
        .await
        .expect("latest")
        .expect("exists");
    assert_eq!(stored.consumed_at, Some(at(20)));
    let again = store.consume_otp(&code.id, at(30), event("otp.verified", &code.id));
    assert!(!again.await.expect("again"));
}

/// A code for a number without an account is stored (for throttling) but sends nothing.
pub async fn issue_otp_without_sms_stores_only_the_code(store: Arc<dyn Store>) {
    let (code, _) = otp(&mobile(9), 10);
    let before = head_seq(&store).await;
    let id = store
        .issue_otp(&code, None, event("otp.sent", &code.id))
        .await
        .expect("issue");
    assert_eq!(id, None);
    assert_appended(&store, before, 1, "issue_otp without sms").await;
    assert!(store
        .outbox_page(None, 10)
        .await
        .expect("outbox")
        .is_empty());
    let sent = store
        .otps_sent_since(&mobile(9), at(0))
        .await
        .expect("since");
    assert_eq!(sent, [at(10)]);
}

/// Using a code verifies the mobile number of its account, once; an expired code is refused.
pub async fn consume_verifies_the_mobile_and_refuses_expired_codes(store: Arc<dyn Store>) {
    let u = stored_user(&store, 1).await;
    let code = issued(&store, &u.mobile, 10).await;
    let late = code.expires_at;
    let expired = store.consume_otp(&code.id, late, event("otp.verified", &code.id));
    assert!(
        !expired.await.expect("expired"),
        "an expired code is refused"
    );
    let used = store.consume_otp(&code.id, at(20), event("otp.verified", &code.id));
    assert!(used.await.expect("consume"));
    let after = reloaded(&store, &u.id).await;
    assert_eq!(after.mobile_verified_at, Some(at(20)));
    let again = issued(&store, &u.mobile, 100).await;
    let second = store.consume_otp(&again.id, at(120), event("otp.verified", &again.id));
    assert!(second.await.expect("consume"));
    let after = reloaded(&store, &u.id).await;
    assert_eq!(
        after.mobile_verified_at,
        Some(at(20)),
        "first verification is kept"
    );
}
