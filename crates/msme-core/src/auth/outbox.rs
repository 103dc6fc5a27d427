//! The outbox: messages written with the change that caused them, delivered by a channel.

use crate::auth::OutboxMessage;
use crate::rbac::{AccessError, Actor, Permission};
use crate::types::Mobile;

/// The SMS outbox; get one from [`Platform::outbox`](crate::Platform::outbox).
pub struct Outbox<'a> {
    pub(crate) c: crate::auth::AccountsCtx<'a>,
}

impl Outbox<'_> {
    /// Messages in the order they were written, after id `after`.
    pub async fn list(
        &self,
        actor: &Actor,
        after: Option<i64>,
        limit: u32,
    ) -> Result<Vec<OutboxMessage>, AccessError> {
        actor.require(Permission::ReadOutbox)?;
        let store = self.c.store;
        store.redact_outbox(self.c.stamp.now()).await?;
        Ok(store.outbox_page(after, limit.clamp(1, 1000)).await?)
    }

    /// Hands a stored message to the configured channel and records the outcome. Without a
    /// channel the message stays queued for an operator. Delivery failure is recorded, not
    /// returned: the message is safe in the outbox either way.
    pub(crate) async fn deliver(&self, id: i64, to: &Mobile, body: &str) {
        let Some(channel) = &self.c.sms else {
            return;
        };
        let store = self.c.store;
        let now = self.c.stamp.now();
        let outcome = match channel.send(to, body).await {
            Ok(receipt) => {
                store
                    .mark_outbox_sent(id, receipt.provider, &receipt.provider_ref, now)
                    .await
            }
            Err(e) => {
                tracing::warn!(outbox_id = id, error = %crate::error::chain(&e), "sms delivery failed");
                store
                    .mark_outbox_failed(id, &crate::error::chain(&e), now)
                    .await
            }
        };
        if let Err(e) = outcome {
            tracing::error!(outbox_id = id, error = %crate::error::chain(&e), "could not record sms delivery");
        }
    }
}
