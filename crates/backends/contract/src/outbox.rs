//! Cases for [`OutboxStore`](msme_core::ports::OutboxStore).

use std::sync::Arc;

use msme_core::ports::{NewOutboxMessage, OutboxMessage, OutboxStatus, Store, REDACTED_BODY};

use crate::fixtures::{assert_appended, at, event, head_seq, mobile, otp};

/// Queues `n` messages through `issue_otp` and returns their outbox ids.
async fn queue(store: &Arc<dyn Store>, n: u32) -> Vec<i64> {
    let mut ids = Vec::new();
    for i in 1..=n {
        let (code, sms) = otp(&mobile(i), i64::from(i));
        let id = store
            .issue_otp(&code, Some(&sms), event("otp.sent", &code.id))
            .await;
        ids.push(id.expect("issue").expect("an outbox id"));
    }
    ids
}

async fn message(store: &Arc<dyn Store>, id: i64) -> OutboxMessage {
    let page = store.outbox_page(Some(id - 1), 1).await.expect("page");
    page.into_iter()
        .next()
        .filter(|m| m.id == id)
        .expect("message exists")
}

/// Ids increase in the order messages were written; pages follow them.
pub async fn outbox_pages_in_id_order(store: Arc<dyn Store>) {
    let ids = queue(&store, 5).await;
    assert!(ids.windows(2).all(|w| w[0] < w[1]), "ids increase: {ids:?}");
    let mut seen = Vec::new();
    let mut after = None;
    loop {
        let page = store.outbox_page(after, 2).await.expect("page");
        assert!(page.len() <= 2, "page longer than its limit");
        let Some(last) = page.last() else { break };
        after = Some(last.id);
        seen.extend(page.iter().map(|m| m.id));
    }
    assert_eq!(seen, ids);
    let tail = store.outbox_page(Some(ids[2]), 10).await.expect("tail");
    assert_eq!(tail.iter().map(|m| m.id).collect::<Vec<_>>(), &ids[3..]);
    let first = &store.outbox_page(None, 1).await.expect("first")[0];
    assert_eq!(first.recipient, mobile(1).to_string());
}

/// A delivered message records the provider, its reference and when; nothing is audited.
pub async fn mark_outbox_sent_records_the_provider(store: Arc<dyn Store>) {
    let ids = queue(&store, 2).await;
    let before = head_seq(&store).await;
    store
        .mark_outbox_failed(ids[0], "timeout", at(60))
        .await
        .expect("failed");
    store
        .mark_outbox_sent(ids[0], "msg91", "ref-123", at(61))
        .await
        .expect("sent");
    assert_appended(&store, before, 0, "delivery bookkeeping").await;
    let m = message(&store, ids[0]).await;
    assert_eq!(
        (m.status, m.attempts, m.sent_at),
        (OutboxStatus::Sent, 2, Some(at(61)))
    );
    assert_eq!(
        (m.provider.as_deref(), m.provider_ref.as_deref()),
        (Some("msg91"), Some("ref-123"))
    );
    let untouched = message(&store, ids[1]).await;
    assert_eq!(
        (untouched.status, untouched.attempts),
        (OutboxStatus::Queued, 0)
    );
}

/// A failed delivery records the error and counts the attempt.
pub async fn mark_outbox_failed_records_the_error(store: Arc<dyn Store>) {
    let ids = queue(&store, 1).await;
    store
        .mark_outbox_failed(ids[0], "twilio refused: 400", at(60))
        .await
        .expect("failed");
    let m = message(&store, ids[0]).await;
    assert_eq!(
        (m.status, m.attempts, m.sent_at),
        (OutboxStatus::Failed, 1, None)
    );
    assert_eq!(m.last_error.as_deref(), Some("twilio refused: 400"));
    store
        .mark_outbox_failed(ids[0], "unreachable", at(90))
        .await
        .expect("again");
    let m = message(&store, ids[0]).await;
    assert_eq!(
        (m.attempts, m.last_error.as_deref()),
        (2, Some("unreachable"))
    );
}

/// A secret-bearing body is blanked when delivered, or once its time has passed.
pub async fn secret_bodies_are_redacted_when_sent_or_expired(store: Arc<dyn Store>) {
    let ids = queue(&store, 2).await;
    let plain = NewOutboxMessage {
        channel: "sms".into(),
        recipient: "+919876500009".into(),
        body: "Your listing was approved.".into(),
        created_at: at(1),
        redact_after: None,
    };
    let (code, _) = otp(&mobile(9), 1);
    let plain_id = store
        .issue_otp(&code, Some(&plain), event("otp.sent", &code.id))
        .await
        .expect("issue")
        .expect("outbox id");
    store
        .mark_outbox_sent(ids[0], "twilio", "SM1", at(30))
        .await
        .expect("sent");
    let page = store.outbox_page(None, 10).await.expect("page");
    assert_eq!(page[0].body, REDACTED_BODY, "delivered secret is blanked");
    assert_ne!(
        page[1].body, REDACTED_BODY,
        "an unsent live code stays readable"
    );
    let redact_after = page[1].redact_after.expect("secret-bearing");
    assert_eq!(
        store
            .redact_outbox(redact_after - chrono::Duration::seconds(1))
            .await
            .expect("early"),
        0
    );
    assert_eq!(store.redact_outbox(redact_after).await.expect("redact"), 1);
    let page = store.outbox_page(None, 10).await.expect("page");
    assert_eq!(page[1].body, REDACTED_BODY);
    let kept = page
        .iter()
        .find(|m| m.id == plain_id)
        .expect("plain message");
    assert_eq!(
        kept.body, "Your listing was approved.",
        "messages without secrets are kept"
    );
    store
        .mark_outbox_sent(plain_id, "twilio", "SM2", at(40))
        .await
        .expect("sent");
    let page = store.outbox_page(None, 10).await.expect("page");
    assert_eq!(
        page.iter().find(|m| m.id == plain_id).unwrap().body,
        "Your listing was approved."
    );
}

/// `queued_outbox` lists the messages never tried whose secret (if any) is still live at
/// `now` (its `redact_after` later than `now`), in id order, up to the limit.
pub async fn queued_outbox_lists_untried_live_messages_in_id_order(store: Arc<dyn Store>) {
    let ids = queue(&store, 4).await;
    let plain = NewOutboxMessage {
        channel: "sms".into(),
        recipient: "+919876500009".into(),
        body: "Your listing was approved.".into(),
        created_at: at(5),
        redact_after: None,
    };
    let (code, _) = otp(&mobile(9), 5);
    let plain_id = store
        .issue_otp(&code, Some(&plain), event("otp.sent", &code.id))
        .await
        .expect("issue")
        .expect("outbox id");
    let (silent, _) = otp(&mobile(8), 6);
    let none = store.issue_otp(&silent, None, event("otp.sent", &silent.id));
    assert_eq!(none.await.expect("issue without SMS"), None);
    let (expired, expired_sms) = otp(&mobile(7), -400);
    store
        .issue_otp(&expired, Some(&expired_sms), event("otp.sent", &expired.id))
        .await
        .expect("issue")
        .expect("outbox id");
    store
        .mark_outbox_sent(ids[0], "twilio", "SM1", at(10))
        .await
        .expect("sent");
    store
        .mark_outbox_failed(ids[1], "timeout", at(11))
        .await
        .expect("failed");
    let queued = |now, limit| {
        let store = store.clone();
        async move {
            let page = store.queued_outbox(now, limit).await.expect("queued");
            assert!(page.iter().all(|m| m.status == OutboxStatus::Queued));
            page.iter().map(|m| m.id).collect::<Vec<_>>()
        }
    };
    assert_eq!(queued(at(100), 10).await, [ids[2], ids[3], plain_id]);
    assert_eq!(queued(at(100), 2).await, [ids[2], ids[3]]);
    // `ids[2]` was issued at `at(3)`, its secret usable until `at(303)`, not at it.
    assert_eq!(queued(at(303), 10).await, [ids[3], plain_id]);
    let first = &store.queued_outbox(at(100), 1).await.expect("first")[0];
    assert_eq!(
        (first.recipient.as_str(), first.attempts),
        (mobile(3).to_string().as_str(), 0)
    );
}
