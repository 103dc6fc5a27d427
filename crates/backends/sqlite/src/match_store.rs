//! [`MatchStore`]: interactions, saved matches, ranking models, and the newest valuation of
//! listings.

use async_trait::async_trait;
use msme_core::audit::AuditEvent;
use msme_core::listing::ListingId;
use msme_core::matching::{
    Interaction, InteractionId, InteractionKind, RankingModel, RankingModelId, SavedMatch,
};
use msme_core::money::Paise;
use msme_core::ports::{MatchStore, StoreResult};
use msme_core::types::UserId;
use rusqlite::types::Type;
use rusqlite::{params, Row};

use crate::error::Step;
use crate::rows::{micros, time};
use crate::SqliteStore;

fn interaction(r: &Row<'_>) -> rusqlite::Result<Interaction> {
    let kind: String = r.get(3)?;
    Ok(Interaction {
        id: InteractionId::from_trusted(r.get(0)?),
        buyer: UserId::from_trusted(r.get(1)?),
        listing: ListingId::from_trusted(r.get(2)?),
        kind: InteractionKind::parse(&kind)
            .map_err(|e| rusqlite::Error::FromSqlConversionFailure(3, Type::Text, Box::new(e)))?,
        at: time(r, 4)?,
    })
}

type RawMatch = (String, f64, String, chrono::DateTime<chrono::Utc>);

type RawModel = (
    String,
    chrono::DateTime<chrono::Utc>,
    String,
    i64,
    f64,
    f64,
    bool,
);

fn model((id, at, doc, n, learned, hand, adopted): RawModel) -> StoreResult<RankingModel> {
    let (features, weights) = RankingModel::parse_document(&doc)?;
    Ok(RankingModel {
        id: RankingModelId::from_trusted(id),
        trained_at: at,
        features,
        weights,
        interactions: n.max(0) as u64,
        learned_ndcg: learned,
        hand_set_ndcg: hand,
        adopted,
    })
}

#[async_trait]
impl MatchStore for SqliteStore {
    #[tracing::instrument(skip_all)]
    async fn record_interaction(&self, i: &Interaction, audit: AuditEvent) -> StoreResult<bool> {
        let row = (
            i.id.to_string(),
            i.buyer.to_string(),
            i.listing.to_string(),
            i.kind.as_str(),
            micros(i.at),
        );
        let inserted = self
            .audited_execute(
                "recording an interaction",
                "INSERT INTO interactions (id, buyer_id, listing_id, kind, at) \
                 VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT (id) DO NOTHING",
                row,
                audit,
            )
            .await?;
        Ok(inserted > 0)
    }

    #[tracing::instrument(skip_all, fields(views = views.len()))]
    async fn record_views(&self, views: &[Interaction]) -> StoreResult<u64> {
        let rows: Vec<(String, String, String, &'static str, i64)> = views
            .iter()
            .map(|i| {
                let (id, buyer, listing) =
                    (i.id.to_string(), i.buyer.to_string(), i.listing.to_string());
                (id, buyer, listing, i.kind.as_str(), micros(i.at))
            })
            .collect();
        self.write(move |tx| {
            let mut st = tx
                .prepare_cached(
                    "INSERT INTO interactions (id, buyer_id, listing_id, kind, at) \
                     VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT (id) DO NOTHING",
                )
                .step("recording views")?;
            let mut written = 0;
            for (id, buyer, listing, kind, at) in &rows {
                let row = (id, buyer, listing, kind, at);
                written += st.execute(row).step("recording a view")? as u64;
            }
            Ok(written)
        })
        .await
    }

    #[tracing::instrument(skip_all)]
    async fn interactions_page(
        &self,
        after: Option<&InteractionId>,
        limit: u32,
    ) -> StoreResult<Vec<Interaction>> {
        let after = after.map(InteractionId::to_string).unwrap_or_default();
        self.read_all(
            "reading interactions",
            "SELECT id, buyer_id, listing_id, kind, at FROM interactions WHERE id > ?1 \
             ORDER BY id LIMIT ?2",
            (after, limit),
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
        let buyer = buyer.to_string();
        let rows: Vec<(String, f64, String, i64)> = matches
            .iter()
            .map(|m| {
                (
                    m.listing.to_string(),
                    m.score,
                    m.reasons_document(),
                    micros(m.computed_at),
                )
            })
            .collect();
        self.write(move |tx| {
            tx.execute("DELETE FROM saved_matches WHERE buyer_id = ?1", [&buyer])
                .step("clearing saved matches")?;
            let mut st = tx
                .prepare_cached(
                    "INSERT INTO saved_matches (buyer_id, position, listing_id, score, reasons, \
                     computed_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                )
                .step("saving matches")?;
            for (i, (listing, score, reasons, at)) in rows.iter().enumerate() {
                st.execute(params![buyer, i as i64, listing, score, reasons, at])
                    .step("saving a match")?;
            }
            Ok(())
        })
        .await
    }

    #[tracing::instrument(skip_all)]
    async fn saved_matches(&self, buyer: &UserId) -> StoreResult<Vec<SavedMatch>> {
        let rows: Vec<RawMatch> = self
            .read_all(
                "reading saved matches",
                "SELECT listing_id, score, reasons, computed_at FROM saved_matches \
                 WHERE buyer_id = ?1 ORDER BY position",
                [buyer.to_string()],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, time(r, 3)?)),
            )
            .await?;
        rows.into_iter()
            .map(|(listing, score, reasons, at)| {
                Ok(SavedMatch {
                    listing: ListingId::from_trusted(listing),
                    score,
                    reasons: SavedMatch::parse_reasons(&reasons)?,
                    computed_at: at,
                })
            })
            .collect()
    }

    #[tracing::instrument(skip_all)]
    async fn save_ranking_model(&self, m: &RankingModel, audit: AuditEvent) -> StoreResult<()> {
        let row = (
            m.id.to_string(),
            micros(m.trained_at),
            m.to_document(),
            i64::try_from(m.interactions).unwrap_or(i64::MAX),
            m.learned_ndcg,
            m.hand_set_ndcg,
            m.adopted,
        );
        self.audited_execute(
            "storing a ranking model",
            "INSERT INTO ranking_models (id, trained_at, document, interactions, \
             learned_ndcg, hand_set_ndcg, adopted) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            row,
            audit,
        )
        .await
        .map(drop)
    }

    #[tracing::instrument(skip_all)]
    async fn adopted_ranking_model(&self) -> StoreResult<Option<RankingModel>> {
        let row: Option<RawModel> = self
            .read_optional(
                "reading the ranking model",
                "SELECT id, trained_at, document, interactions, learned_ndcg, \
                 hand_set_ndcg, adopted FROM ranking_models WHERE adopted = 1 \
                 ORDER BY trained_at DESC, id DESC LIMIT 1",
                (),
                |r| {
                    Ok((
                        r.get(0)?,
                        time(r, 1)?,
                        r.get(2)?,
                        r.get(3)?,
                        r.get(4)?,
                        r.get(5)?,
                        r.get(6)?,
                    ))
                },
            )
            .await?;
        row.map(model).transpose()
    }

    #[tracing::instrument(skip_all)]
    async fn latest_valuations(
        &self,
        listings: &[ListingId],
    ) -> StoreResult<Vec<(ListingId, Paise)>> {
        let ids: Vec<&str> = listings.iter().map(ListingId::as_str).collect();
        let ids = serde_json::to_string(&ids).map_err(msme_core::error::StoreError::backend)?;
        self.read_all(
            "reading valuations of listings",
            "SELECT listing_id, value FROM (\
               SELECT listing_id, json_extract(document, '$.value_paise') AS value, \
                      row_number() OVER (PARTITION BY listing_id \
                                         ORDER BY created_at DESC, id DESC) AS newest \
               FROM valuations \
               WHERE listing_id IN (SELECT value FROM json_each(?1))) \
             WHERE newest = 1 AND value IS NOT NULL ORDER BY listing_id",
            [ids],
            |r| Ok((ListingId::from_trusted(r.get(0)?), Paise::new(r.get(1)?))),
        )
        .await
    }
}
