//! Profiles: [`ProfileStore`]. A profile's fields are one JSONB document.

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use msme_core::audit::AuditEvent;
use msme_core::ports::{ProfileStore, StoreResult};
use msme_core::profile::Profile;
use msme_core::types::UserId;

use crate::audit::append;
use crate::error::store_error;
use crate::rows::col;
use crate::PgStore;

#[async_trait]
impl ProfileStore for PgStore {
    #[tracing::instrument(skip_all)]
    async fn put_profile(&self, profile: &Profile, audit: AuditEvent) -> StoreResult<()> {
        let mut tx = self.begin().await?;
        // Bound as text and cast: the crate's sqlx has no JSON feature, and the core owns the
        // document's shape anyway.
        sqlx::query(
            "INSERT INTO profiles (user_id, document, updated_at) VALUES ($1, $2::jsonb, $3)
             ON CONFLICT (user_id)
             DO UPDATE SET document = EXCLUDED.document, updated_at = EXCLUDED.updated_at",
        )
        .bind(profile.user_id.as_str())
        .bind(profile.to_document())
        .bind(profile.updated_at)
        .execute(&mut *tx)
        .await
        .map_err(store_error)?;
        append(&mut tx, audit).await?;
        tx.commit().await.map_err(store_error)
    }

    #[tracing::instrument(skip_all)]
    async fn profile_of(&self, user: &UserId) -> StoreResult<Option<Profile>> {
        let row = sqlx::query(
            "SELECT document::text AS document, updated_at FROM profiles WHERE user_id = $1",
        )
        .bind(user.as_str())
        .fetch_optional(&self.pool)
        .await
        .map_err(store_error)?;
        let Some(row) = row else { return Ok(None) };
        let document: String = col(&row, "document")?;
        let updated_at: DateTime<Utc> = col(&row, "updated_at")?;
        Profile::from_document(user.clone(), &document, updated_at).map(Some)
    }
}
