//! The platform's own consumers of the event stream (see [`crate::runtime`]): what follows a change, whoever made it (the HTTP API, the CLI,
//! an embedder).
//!
//! | consumer | reacts to | does |
//! |---|---|---|
//! | [`INDEXER_CONSUMER`] | listing changes, KYC decisions | upserts or removes listings in the search index |
//! | [`MATCHER_CONSUMER`] | listings, KYC, valuations, preferences, ranking models | rewrites buyers' saved matches |
//! | [`PAYOUTS_CONSUMER`] | escrow moves, and every [`PAYOUT_INTERVAL`] | runs the payout pass |
//! | [`SMS_CONSUMER`] | OTPs sent, and every [`SMS_INTERVAL`] | delivers queued outbox messages |
//! | [`TRAINER_CONSUMER`] | training requests | runs the queued training job |
//! | [`LISTING_ESCROWS_CONSUMER`] | escrow events | moves the listing under offer, sold, or back on the market |
//! | [`COMPARABLE_SALES_CONSUMER`] | listings sold by an escrow | records the sale as a comparable deal |
//!
//! The matcher also records the buyer's offer when an escrow opens.
//!
//! Each effect is idempotent, as the runtime requires: the indexer and matcher reload what
//! the events name (an offer is recorded under its escrow's id, once), the payout pass acts on
//! the ledger's state, the SMS worker sends only messages still queued, the trainer runs only
//! jobs still queued, the listing follows its escrow's state as it is now, and a sale already
//! recorded is not recorded again.

use std::sync::Arc;
use std::time::Duration;

use async_trait::async_trait;

use super::{Platform, RequestMeta};
use crate::error::{DomainError, ErrorKind};
use crate::escrow_service::PAYOUT_INTERVAL;
use crate::events::{
    AccountsEvent, Event, EventKind, MarketplaceEvent, MatchingEvent, MoneyEvent, ValuationEvent,
};
use crate::listing::EscrowDeal;
use crate::model::{ModelJobId, TrainSettings, TrainingOptions};
use crate::runtime::{
    Consumer, HandlerError, COMPARABLE_SALES_CONSUMER, INDEXER_CONSUMER, LISTING_ESCROWS_CONSUMER,
    MATCHER_CONSUMER, PAYOUTS_CONSUMER, SMS_CONSUMER, TRAINER_CONSUMER,
};
use crate::types::Mobile;

/// Writes the platform's buffered views (`Matching::flush_views`): each process its own.
pub(crate) struct ViewFlusher(pub(crate) Platform);

#[async_trait]
impl crate::runtime::Flusher for ViewFlusher {
    fn name(&self) -> &str {
        crate::matching::VIEW_FLUSHER
    }

    fn every(&self) -> Duration {
        crate::matching::VIEW_FLUSH_INTERVAL
    }

    async fn flush(&self) -> Result<u64, HandlerError> {
        let flushed = self.0.matching().flush_views().await;
        flushed.map_err(|e| match e {
            crate::matching::MatchError::Store(e) => HandlerError::from_store(&e),
            e => HandlerError::Failed(crate::error::chain(&e)),
        })
    }
}

/// How often queued SMS are looked for without an event (a message left queued by a crash).
pub const SMS_INTERVAL: Duration = Duration::from_secs(10);

/// Outbox messages delivered per look.
const SMS_BATCH: u32 = 100;
/// Looks per call of the SMS consumer.
const SMS_PASSES: usize = 10;

/// The platform's consumers for `platform`: the indexer only with a search index, SMS only
/// with a channel.
pub(crate) fn builtin_consumers(platform: &Platform) -> Vec<Arc<dyn Consumer>> {
    let p = || platform.clone();
    let mut out: Vec<Arc<dyn Consumer>> = Vec::new();
    if platform.inner.search.is_some() {
        out.push(Arc::new(SearchIndexer(p())));
    }
    out.push(Arc::new(Matcher(p())));
    out.push(Arc::new(PayoutRunner(p())));
    if platform.inner.sms.is_some() {
        out.push(Arc::new(SmsSender(p())));
    }
    out.push(Arc::new(Trainer(p())));
    out.push(Arc::new(ListingEscrows(p())));
    out.push(Arc::new(ComparableSales(p())));
    out
}

/// The escrow an escrow event names, as it is now (`None` if gone).
async fn escrow_now(p: &Platform, id: &str) -> Result<Option<crate::ledger::Escrow>, HandlerError> {
    let id = crate::ledger::EscrowId::from_trusted(id.to_string());
    p.inner
        .store
        .escrow_by_id(&id)
        .await
        .map_err(|e| HandlerError::from_store(&e))
}

/// Escrows named by `events`' escrow events, each once, in order.
fn escrows_named(events: &[Event], states: &[&str]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for e in events {
        if let EventKind::Money(MoneyEvent::Escrow { escrow, state }) = &e.kind {
            if (states.is_empty() || states.contains(&state.as_str())) && !out.contains(escrow) {
                out.push(escrow.clone());
            }
        }
    }
    out
}

/// `Retry` when a dependency is down, `Failed` otherwise.
fn handler_error<E: DomainError + 'static>(e: &E) -> HandlerError {
    let text = crate::error::chain(e);
    match e.kind() {
        ErrorKind::Unavailable => HandlerError::Retry(text),
        _ => HandlerError::Failed(text),
    }
}

struct SearchIndexer(Platform);

#[async_trait]
impl Consumer for SearchIndexer {
    fn name(&self) -> &str {
        INDEXER_CONSUMER
    }

    fn wants(&self, event: &Event) -> bool {
        matches!(
            event.kind,
            EventKind::Marketplace(MarketplaceEvent::Listing { .. } | MarketplaceEvent::Kyc { .. })
        )
    }

    async fn handle(&self, events: &[Event]) -> Result<(), HandlerError> {
        self.0
            .search()
            .indexer()
            .apply(events)
            .await
            .map(|_| ())
            .map_err(|e| handler_error(&e))
    }
}

struct Matcher(Platform);

#[async_trait]
impl Consumer for Matcher {
    fn name(&self) -> &str {
        MATCHER_CONSUMER
    }

    fn wants(&self, event: &Event) -> bool {
        use EventKind::*;
        matches!(
            event.kind,
            Marketplace(MarketplaceEvent::Listing { .. } | MarketplaceEvent::Kyc { .. })
                | Matching(
                    MatchingEvent::PreferencesUpdated { .. }
                        | MatchingEvent::RankingModelTrained { adopted: true }
                )
                | Valuation(ValuationEvent::Created { listing: Some(_) })
        ) || matches!(&event.kind, Money(MoneyEvent::Escrow { state, .. }) if state == "opened")
    }

    async fn handle(&self, events: &[Event]) -> Result<(), HandlerError> {
        let m = self.0.matching();
        for id in escrows_named(events, &["opened"]) {
            if let Some(escrow) = escrow_now(&self.0, &id).await? {
                m.offered(&escrow).await.map_err(|e| handler_error(&e))?;
            }
        }
        m.matcher()
            .apply(events)
            .await
            .map(|_| ())
            .map_err(|e| handler_error(&e))
    }
}

struct PayoutRunner(Platform);

#[async_trait]
impl Consumer for PayoutRunner {
    fn name(&self) -> &str {
        PAYOUTS_CONSUMER
    }

    /// Escrow moves only: a release leaves money payable. Payout events are not wanted, or
    /// each pass's own writes would ask for another pass.
    fn wants(&self, event: &Event) -> bool {
        matches!(event.kind, EventKind::Money(MoneyEvent::Escrow { .. }))
    }

    async fn handle(&self, _events: &[Event]) -> Result<(), HandlerError> {
        let meta = RequestMeta::with_request_id("payout-runner");
        let run = self
            .0
            .payouts()
            .run_scheduled(&meta)
            .await
            .map_err(|e| handler_error(&e))?;
        tracing::debug!(?run, "payout pass");
        Ok(())
    }

    /// Retries payouts whose backoff has passed and polls those in transit.
    fn tick(&self) -> Option<Duration> {
        Some(PAYOUT_INTERVAL)
    }
}

struct SmsSender(Platform);

#[async_trait]
impl Consumer for SmsSender {
    fn name(&self) -> &str {
        SMS_CONSUMER
    }

    fn wants(&self, event: &Event) -> bool {
        matches!(event.kind, EventKind::Accounts(AccountsEvent::OtpSent))
    }

    /// Sends every message still queued (not only the events' own: one left by a crash goes
    /// too). Delivery failures are recorded on the message, not retried here.
    async fn handle(&self, _events: &[Event]) -> Result<(), HandlerError> {
        let store = &self.0.inner.store;
        // At most a few batches per call: a message whose outcome could not be recorded stays
        // queued, and is looked at again on the next tick rather than in a loop here.
        for _ in 0..SMS_PASSES {
            let queued = store
                .queued_outbox(self.0.now(), SMS_BATCH)
                .await
                .map_err(|e| HandlerError::from_store(&e))?;
            for m in &queued {
                let to = Mobile::from_trusted(m.recipient.clone());
                self.0.outbox().deliver(m.id, &to, &m.body).await;
            }
            if queued.len() < SMS_BATCH as usize {
                break;
            }
        }
        Ok(())
    }

    fn tick(&self) -> Option<Duration> {
        Some(SMS_INTERVAL)
    }
}

struct Trainer(Platform);

#[async_trait]
impl Consumer for Trainer {
    fn name(&self) -> &str {
        TRAINER_CONSUMER
    }

    fn wants(&self, event: &Event) -> bool {
        matches!(
            event.kind,
            EventKind::Valuation(ValuationEvent::TrainingRequested { .. })
        )
    }

    async fn handle(&self, events: &[Event]) -> Result<(), HandlerError> {
        for e in events {
            let EventKind::Valuation(ValuationEvent::TrainingRequested {
                job,
                kinds,
                coverage,
                budget,
                activate,
            }) = &e.kind
            else {
                continue;
            };
            let defaults = TrainingOptions::default();
            let opts = TrainingOptions {
                kinds: kinds.clone(),
                coverage: coverage.unwrap_or(defaults.coverage),
                settings: TrainSettings {
                    budget: budget.map_or(defaults.settings.budget, |b| b as f32),
                    ..defaults.settings
                },
            };
            let id = ModelJobId::from_trusted(job.clone());
            self.0
                .models()
                .run_queued_job(&id, opts, *activate)
                .await
                .map_err(|e| handler_error(&e))?;
        }
        Ok(())
    }
}

struct ListingEscrows(Platform);

#[async_trait]
impl Consumer for ListingEscrows {
    fn name(&self) -> &str {
        LISTING_ESCROWS_CONSUMER
    }

    fn wants(&self, event: &Event) -> bool {
        matches!(event.kind, EventKind::Money(MoneyEvent::Escrow { .. }))
    }

    async fn handle(&self, events: &[Event]) -> Result<(), HandlerError> {
        for id in escrows_named(events, &[]) {
            let Some(escrow) = escrow_now(&self.0, &id).await? else {
                continue;
            };
            use crate::ledger::EscrowState as S;
            let deal = match escrow.state {
                S::Released => EscrowDeal::Sold,
                S::Resolved if escrow.released > crate::money::Paise::ZERO => EscrowDeal::Sold,
                S::Refunded | S::Cancelled | S::Resolved => EscrowDeal::Ended,
                S::Created | S::Funded | S::PartiallyReleased | S::Disputed => EscrowDeal::Open,
            };
            self.0
                .listings()
                .follow_escrow(escrow.terms.listing_id(), escrow.id.as_str(), deal)
                .await
                .map_err(|e| handler_error(&e))?;
        }
        Ok(())
    }
}

struct ComparableSales(Platform);

#[async_trait]
impl Consumer for ComparableSales {
    fn name(&self) -> &str {
        COMPARABLE_SALES_CONSUMER
    }

    fn wants(&self, event: &Event) -> bool {
        event.action == "listing.sell"
            && matches!(
                event.kind,
                EventKind::Marketplace(MarketplaceEvent::Listing {
                    escrow: Some(_),
                    ..
                })
            )
    }

    async fn handle(&self, events: &[Event]) -> Result<(), HandlerError> {
        let meta = RequestMeta::with_request_id("comparable-sales");
        for e in events {
            let EventKind::Marketplace(MarketplaceEvent::Listing {
                listing,
                escrow: Some(escrow),
            }) = &e.kind
            else {
                continue;
            };
            let Some(escrow) = escrow_now(&self.0, escrow).await? else {
                continue;
            };
            self.0
                .models()
                .record_sale(&meta, listing, escrow.terms.amount())
                .await
                .map_err(|e| handler_error(&e))?;
        }
        Ok(())
    }
}
