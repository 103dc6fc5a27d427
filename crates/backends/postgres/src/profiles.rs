//! Profiles: [`ProfileStore`]. A profile's fields are one JSONB document.

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use msme_core::audit::AuditEvent;
use msme_core::ports::{ProfileStore, StoreResult};
use msme_core::profile::Profile;
use msme_core::types::UserId;

use crate::rows::{col, Fetch};
use crate::PgStore;

#[async_trait]
impl ProfileStore for PgStore {
    #[tracing::instrument(skip_all)]
    async fn put_profile(&self, profile: &Profile, audit: AuditEvent) -> StoreResult<()> {
        // Bound as text and cast: the crate's sqlx has no JSON feature, and the core owns the
        // document's shape anyway.
        let upsert = sqlx::query(
            "INSERT INTO profiles (user_id, document, updated_at) VALUES ($1, $2::jsonb, $3)
             ON CONFLICT (user_id)
             DO UPDATE SET document = EXCLUDED.document, updated_at = EXCLUDED.updated_at",
        )
        .bind(profile.user_id.as_str())
        .bind(profile.to_document())
        .bind(profile.updated_at);
        self.audited_run(upsert, audit).await.map(drop)
    }

    #[tracing::instrument(skip_all)]
    async fn profile_of(&self, user: &UserId) -> StoreResult<Option<Profile>> {
        let row: Option<(String, DateTime<Utc>)> = sqlx::query(
            "SELECT document::text AS document, updated_at FROM profiles WHERE user_id = $1",
        )
        .bind(user.as_str())
        .fetch_optional_as(&self.pool, |r| {
            Ok((col(r, "document")?, col(r, "updated_at")?))
        })
        .await?;
        row.map(|(document, at)| Profile::from_document(user.clone(), &document, at))
            .transpose()
    }
}
