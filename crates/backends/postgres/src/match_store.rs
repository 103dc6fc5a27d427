//! [`MatchStore`]: interactions, saved matches, ranking models, and the newest valuation of
//! listings.

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use msme_core::audit::AuditEvent;
use msme_core::listing::ListingId;
use msme_core::matching::{
    Interaction, InteractionId, InteractionKind, RankingModel, RankingModelId, SavedMatch,
};
use msme_core::money::Paise;
use msme_core::ports::{MatchStore, StoreResult};
use msme_core::types::UserId;
use sqlx::postgres::PgRow;

use crate::error::{corrupt, store_error};
use crate::rows::{col, Fetch};
use crate::PgStore;

fn interaction(r: &PgRow) -> StoreResult<Interaction> {
    let kind: String = col(r, "kind")?;
    Ok(Interaction {
        id: InteractionId::from_trusted(col(r, "id")?),
        buyer: UserId::from_trusted(col(r, "buyer_id")?),
        listing: ListingId::from_trusted(col(r, "listing_id")?),
        kind: InteractionKind::parse(&kind).map_err(|_| corrupt("interaction kind", &kind))?,
        at: col(r, "at")?,
    })
}

fn model(r: &PgRow) -> StoreResult<RankingModel> {
    let doc: String = col(r, "document")?;
    let (features, weights) = RankingModel::parse_document(&doc)?;
    let n: i64 = col(r, "interactions")?;
    Ok(RankingModel {
        id: RankingModelId::from_trusted(col(r, "id")?),
        trained_at: col(r, "trained_at")?,
        features,
        weights,
        interactions: n.max(0) as u64,
        learned_ndcg: col(r, "learned_ndcg")?,
        hand_set_ndcg: col(r, "hand_set_ndcg")?,
        adopted: col(r, "adopted")?,
    })
}

fn saved_match(r: &PgRow) -> StoreResult<SavedMatch> {
    let reasons: String = col(r, "reasons")?;
    Ok(SavedMatch {
        listing: ListingId::from_trusted(col(r, "listing_id")?),
        score: col(r, "score")?,
        reasons: SavedMatch::parse_reasons(&reasons)?,
        computed_at: col(r, "computed_at")?,
    })
}

#[async_trait]
impl MatchStore for PgStore {
    #[tracing::instrument(skip_all)]
    async fn record_interaction(&self, i: &Interaction, audit: AuditEvent) -> StoreResult<bool> {
        let insert = sqlx::query(
            "INSERT INTO interactions (id, buyer_id, listing_id, kind, at)
             VALUES ($1, $2, $3, $4, $5) ON CONFLICT (id) DO NOTHING",
        )
        .bind(i.id.as_str())
        .bind(i.buyer.as_str())
        .bind(i.listing.as_str())
        .bind(i.kind.as_str())
        .bind(i.at);
        Ok(self.audited_run(insert, audit).await? == 1)
    }

    #[tracing::instrument(skip_all, fields(views = views.len()))]
    async fn record_views(&self, views: &[Interaction]) -> StoreResult<u64> {
        let column = |f: fn(&Interaction) -> String| views.iter().map(f).collect::<Vec<_>>();
        let at: Vec<DateTime<Utc>> = views.iter().map(|i| i.at).collect();
        let insert = sqlx::query(
            "INSERT INTO interactions (id, buyer_id, listing_id, kind, at)
             SELECT * FROM UNNEST($1::text[], $2::text[], $3::text[], $4::text[], $5::timestamptz[])
             ON CONFLICT (id) DO NOTHING",
        )
        .bind(column(|i| i.id.to_string()))
        .bind(column(|i| i.buyer.to_string()))
        .bind(column(|i| i.listing.to_string()))
        .bind(column(|i| i.kind.as_str().to_owned()))
        .bind(at);
        insert.run(&self.pool).await
    }

    #[tracing::instrument(skip_all)]
    async fn interactions_page(
        &self,
        after: Option<&InteractionId>,
        n: u32,
    ) -> StoreResult<Vec<Interaction>> {
        self.page(
            "SELECT id, buyer_id, listing_id, kind, at FROM interactions WHERE id > $1
             ORDER BY id LIMIT $2",
            after.map_or("", InteractionId::as_str),
            n,
            interaction,
        )
        .await
    }

    #[tracing::instrument(skip_all)]
    async fn replace_saved_matches(
        &self,
        buyer: &UserId,
        matches: &[SavedMatch],
    ) -> StoreResult<()> {
        let listings: Vec<&str> = matches.iter().map(|m| m.listing.as_str()).collect();
        let scores: Vec<f64> = matches.iter().map(|m| m.score).collect();
        let reasons: Vec<String> = matches.iter().map(SavedMatch::reasons_document).collect();
        let at: Vec<_> = matches.iter().map(|m| m.computed_at).collect();
        let mut tx = self.begin().await?;
        sqlx::query("DELETE FROM saved_matches WHERE buyer_id = $1")
            .bind(buyer.as_str())
            .run(&mut *tx)
            .await?;
        sqlx::query(
            "INSERT INTO saved_matches (buyer_id, position, listing_id, score, reasons,
                 computed_at)
             SELECT $1, m.n - 1, m.listing, m.score, m.reasons::jsonb, m.at
             FROM UNNEST($2::text[], $3::float8[], $4::text[], $5::timestamptz[])
                 WITH ORDINALITY AS m(listing, score, reasons, at, n)",
        )
        .bind(buyer.as_str())
        .bind(&listings)
        .bind(&scores)
        .bind(&reasons)
        .bind(&at)
        .run(&mut *tx)
        .await?;
        tx.commit().await.map_err(store_error)
    }

    #[tracing::instrument(skip_all)]
    async fn saved_matches(&self, buyer: &UserId) -> StoreResult<Vec<SavedMatch>> {
        self.find_all(
            "SELECT listing_id, score, reasons::text AS reasons, computed_at FROM saved_matches
             WHERE buyer_id = $1 ORDER BY position",
            buyer.as_str(),
            saved_match,
        )
        .await
    }

    #[tracing::instrument(skip_all)]
    async fn save_ranking_model(&self, m: &RankingModel, audit: AuditEvent) -> StoreResult<()> {
        let insert = sqlx::query(
            "INSERT INTO ranking_models (id, trained_at, document, interactions, learned_ndcg,
                 hand_set_ndcg, adopted)
             VALUES ($1, $2, $3::jsonb, $4, $5, $6, $7)",
        )
        .bind(m.id.as_str())
        .bind(m.trained_at)
        .bind(m.to_document())
        .bind(i64::try_from(m.interactions).unwrap_or(i64::MAX))
        .bind(m.learned_ndcg)
        .bind(m.hand_set_ndcg)
        .bind(m.adopted);
        self.audited_run(insert, audit).await.map(drop)
    }

    #[tracing::instrument(skip_all)]
    async fn adopted_ranking_model(&self) -> StoreResult<Option<RankingModel>> {
        sqlx::query(
            "SELECT id, trained_at, document::text AS document, interactions, learned_ndcg,
                 hand_set_ndcg, adopted
             FROM ranking_models WHERE adopted ORDER BY trained_at DESC, id DESC LIMIT 1",
        )
        .fetch_optional_as(&self.pool, model)
        .await
    }

    #[tracing::instrument(skip_all)]
    async fn latest_valuations(
        &self,
        listings: &[ListingId],
    ) -> StoreResult<Vec<(ListingId, Paise)>> {
        let ids: Vec<&str> = listings.iter().map(ListingId::as_str).collect();
        sqlx::query(
            "SELECT listing_id, value FROM (
                 SELECT DISTINCT ON (listing_id) listing_id,
                     (document ->> 'value_paise')::bigint AS value
                 FROM valuations WHERE listing_id = ANY($1)
                 ORDER BY listing_id, created_at DESC, id DESC) newest
             WHERE value IS NOT NULL ORDER BY listing_id",
        )
        .bind(&ids)
        .fetch_all_as(&self.pool, |r| {
            let id: String = col(r, "listing_id")?;
            Ok((ListingId::from_trusted(id), Paise::new(col(r, "value")?)))
        })
        .await
    }
}
