//! Reading the audit trail: verifying its hash chain and exporting it.

use crate::audit::RequestMeta;
use crate::audit::{AuditEntry, ChainVerdict, ChainVerifier};
use crate::rbac::{AccessError, Actor, Permission};

/// The audit trail; get one from [`Platform::audit`](crate::Platform::audit).
pub struct AuditLog<'a> {
    pub(crate) c: crate::auth::AccountsCtx<'a>,
}

const PAGE: u32 = 1000;

impl AuditLog<'_> {
    /// Recomputes the whole chain and names the first entry that was altered or removed.
    pub async fn verify(&self, actor: &Actor) -> Result<ChainVerdict, AccessError> {
        actor.require(Permission::ReadAudit)?;
        let store = self.c.store;
        let mut verifier = ChainVerifier::default();
        let mut after = 0;
        'pages: loop {
            let page = store.audit_page(after, PAGE).await?;
            let Some(last) = page.last() else { break };
            after = last.seq;
            for entry in &page {
                if !verifier.check(entry) {
                    break 'pages;
                }
            }
        }
        Ok(verifier.finish(store.audit_head().await?))
    }

    /// Entries after `after` (a `seq`), oldest first.
    pub async fn page(
        &self,
        actor: &Actor,
        after: i64,
        limit: u32,
    ) -> Result<Vec<AuditEntry>, AccessError> {
        actor.require(Permission::ReadAudit)?;
        Ok(self
            .c
            .store
            .audit_page(after, limit.clamp(1, 10_000))
            .await?)
    }

    /// Records that the trail was exported (who, how many entries, from where), as its own
    /// audit entry.
    pub async fn record_export(
        &self,
        meta: &RequestMeta,
        actor: &Actor,
        after: i64,
        entries: u64,
    ) -> Result<(), AccessError> {
        actor.require(Permission::ReadAudit)?;
        let event = self.c.stamp.event(
            meta,
            actor.audit_actor(),
            "audit.exported",
            ("audit", "log"),
            serde_json::json!({ "after": after, "entries": entries }),
        );
        self.c.store.append_audit(event).await?;
        Ok(())
    }
}
