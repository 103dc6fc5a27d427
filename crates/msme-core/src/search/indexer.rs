//! Keeping the index in step with the store.
//!
//! The audit log is the change log: every listing change commits its audit entry in the same
//! transaction. The indexer reads entries after its stored cursor, reloads each listing they
//! name and upserts or removes it, and only then moves the cursor. A crash between a database
//! commit and the index write therefore leaves the cursor behind the change, and the runtime
//! hands the events over again (consumer [`INDEXER_CONSUMER`], see [`crate::runtime`]);
//! replaying an entry twice is harmless.

use std::collections::{BTreeSet, HashMap};

use super::SearchDoc;
use crate::audit::AuditEntry;
use crate::events::{Event, EventKind, MarketplaceEvent};
use crate::kyc::KycStatus;
use crate::listing::{Listing, ListingCursor, ListingId, ListingQuery, ListingSort, ListingStatus};
use crate::search::SearchCtx;
use crate::search::SearchError;
use crate::types::UserId;

pub use crate::runtime::INDEXER_CONSUMER;

const LISTING_PAGE: u32 = 200;
pub(crate) const PUBLIC: [ListingStatus; 2] = [ListingStatus::Published, ListingStatus::UnderOffer];

/// Keeps the search index in step with the store; get one from [`super::Search::indexer`].
pub struct Indexer<'a> {
    pub(crate) c: SearchCtx<'a>,
}

/// How the index differs from the store's public listings.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CheckReport {
    /// Public listings the index lacks.
    pub missing: Vec<ListingId>,
    /// Listings indexed at another version: `(id, stored, indexed)`.
    pub stale: Vec<(ListingId, i64, i64)>,
    /// Indexed listings that are not public (or gone).
    pub extra: Vec<ListingId>,
}

impl CheckReport {
    pub fn is_consistent(&self) -> bool {
        self.missing.is_empty() && self.stale.is_empty() && self.extra.is_empty()
    }
}

/// What a page of audit entries asks to refresh: listings changed, and sellers whose KYC
/// changed (their listings' `verified` flag).
#[derive(Debug, Default, PartialEq, Eq)]
pub(crate) struct Refresh {
    pub(crate) listings: BTreeSet<ListingId>,
    pub(crate) sellers: BTreeSet<UserId>,
}

impl Refresh {
    pub(crate) fn of(entries: &[AuditEntry]) -> Self {
        let events: Vec<Event> = entries.iter().map(Event::from_entry).collect();
        Self::of_events(&events)
    }

    pub(crate) fn of_events(events: &[Event]) -> Self {
        let mut r = Refresh::default();
        for e in events {
            match &e.kind {
                EventKind::Marketplace(MarketplaceEvent::Listing { listing, .. }) => {
                    r.listings.insert(listing.clone());
                }
                EventKind::Marketplace(MarketplaceEvent::Kyc { user }) => {
                    r.sellers.insert(user.clone());
                }
                _ => {}
            }
        }
        r
    }
}

/// Compares the store's public listings with the index, both as `(id, version)`.
pub(crate) fn compare(stored: &[(ListingId, i64)], indexed: &[(ListingId, i64)]) -> CheckReport {
    let index: HashMap<&ListingId, i64> = indexed.iter().map(|(id, v)| (id, *v)).collect();
    let store: HashMap<&ListingId, i64> = stored.iter().map(|(id, v)| (id, *v)).collect();
    let mut report = CheckReport::default();
    for (id, v) in stored {
        match index.get(id) {
            None => report.missing.push(id.clone()),
            Some(iv) if iv != v => report.stale.push((id.clone(), *v, *iv)),
            Some(_) => {}
        }
    }
    report.extra = indexed
        .iter()
        .filter(|(id, _)| !store.contains_key(id))
        .map(|(id, _)| id.clone())
        .collect();
    report.missing.sort();
    report.stale.sort();
    report.extra.sort();
    report
}

impl Indexer<'_> {
    /// Applies events to the index: reloads each listing they name and upserts or removes it,
    /// and re-indexes the listings of sellers whose KYC changed. Answers `(upserted, removed)`.
    /// The runtime's [`INDEXER_CONSUMER`] calls this; replaying events is harmless.
    pub(crate) async fn apply(&self, events: &[Event]) -> Result<(u64, u64), SearchError> {
        self.index()?;
        let refresh = Refresh::of_events(events);
        let (up, rm) = self.refresh_listings(&refresh.listings).await?;
        let mut up_sellers = 0;
        for seller in &refresh.sellers {
            up_sellers += self.index_public(Some(seller), &mut |_| {}).await?;
        }
        Ok((up + up_sellers, rm))
    }

    /// Rebuilds the index from the store, calling `progress` with the count indexed so far.
    /// The cursor is set to the audit head read before the rebuild began, so changes made
    /// during the rebuild are replayed by the next catch-up. Returns how many were indexed.
    pub async fn reindex(
        &self,
        progress: &mut (dyn FnMut(u64) + Send),
    ) -> Result<u64, SearchError> {
        let store = self.c.store;
        let head = store.audit_head().await?.map_or(0, |(seq, _)| seq);
        self.index()?.clear().await?;
        let n = self.index_public(None, progress).await?;
        store.set_consumer_cursor(INDEXER_CONSUMER, head).await?;
        Ok(n)
    }

    /// Rebuilds the index ([`reindex`](Self::reindex)) when it was built under another
    /// [`ANALYSIS`](crate::search::ANALYSIS) than this build's (an upgrade changed how text is
    /// indexed, or the index is new beside a store with listings). Answers how many listings
    /// were indexed, or `None` when the index was up to date.
    pub async fn rebuild_if_outdated(&self) -> Result<Option<u64>, SearchError> {
        let built = self.index()?.analysis().await?;
        if built == crate::search::ANALYSIS {
            return Ok(None);
        }
        let n = self.reindex(&mut |_| {}).await?;
        tracing::info!(
            from = built,
            to = crate::search::ANALYSIS,
            listings = n,
            "search index rebuilt under the current analysis"
        );
        Ok(Some(n))
    }

    /// Compares the store's public listings with the index.
    pub async fn check(&self) -> Result<CheckReport, SearchError> {
        let mut stored = Vec::new();
        let mut after = None;
        loop {
            let page = self.public_page(None, after).await?;
            stored.extend(page.iter().map(|l| (l.id.clone(), l.version)));
            after = match page.last() {
                Some(l) if page.len() == LISTING_PAGE as usize => {
                    Some(ListingCursor::after(l, ListingSort::Newest))
                }
                _ => break,
            };
        }
        let indexed = self.index()?.indexed_versions().await?;
        Ok(compare(&stored, &indexed))
    }

    fn index(&self) -> Result<&std::sync::Arc<dyn crate::search::SearchIndex>, SearchError> {
        super::Search { c: self.c }.index()
    }

    async fn public_page(
        &self,
        seller: Option<&UserId>,
        after: Option<ListingCursor>,
    ) -> Result<Vec<Listing>, SearchError> {
        let query = ListingQuery {
            statuses: PUBLIC.to_vec(),
            seller: seller.cloned(),
            sort: ListingSort::Newest,
            after,
            limit: LISTING_PAGE,
            ..ListingQuery::default()
        };
        Ok(self.c.store.query_listings(&query).await?)
    }

    /// Upserts every public listing (of one seller, or all), page by page.
    async fn index_public(
        &self,
        seller: Option<&UserId>,
        progress: &mut (dyn FnMut(u64) + Send),
    ) -> Result<u64, SearchError> {
        let mut verified = HashMap::new();
        let (mut n, mut after) = (0, None);
        loop {
            let page = self.public_page(seller, after).await?;
            let mut docs = Vec::with_capacity(page.len());
            for l in &page {
                docs.push(self.doc(l, &mut verified).await?);
            }
            self.index()?.upsert(&docs).await?;
            n += docs.len() as u64;
            progress(n);
            after = match page.last() {
                Some(l) if page.len() == LISTING_PAGE as usize => {
                    Some(ListingCursor::after(l, ListingSort::Newest))
                }
                _ => return Ok(n),
            };
        }
    }

    /// Reloads each listing: public ones are upserted, the rest removed.
    async fn refresh_listings(&self, ids: &BTreeSet<ListingId>) -> Result<(u64, u64), SearchError> {
        let (mut docs, mut gone) = (Vec::new(), Vec::new());
        let mut verified = HashMap::new();
        for id in ids {
            match self.c.store.listing_by_id(id).await? {
                Some(l) if l.status.is_public() => docs.push(self.doc(&l, &mut verified).await?),
                _ => gone.push(id.clone()),
            }
        }
        let index = self.index()?;
        if !docs.is_empty() {
            index.upsert(&docs).await?;
        }
        if !gone.is_empty() {
            index.remove(&gone).await?;
        }
        Ok((docs.len() as u64, gone.len() as u64))
    }

    async fn doc(
        &self,
        l: &Listing,
        verified: &mut HashMap<UserId, bool>,
    ) -> Result<SearchDoc, SearchError> {
        let v = match verified.get(&l.seller_id) {
            Some(v) => *v,
            None => {
                let kyc = self.c.store.kyc_of(&l.seller_id).await?;
                let v = kyc.is_some_and(|k| k.status == KycStatus::Verified);
                verified.insert(l.seller_id.clone(), v);
                v
            }
        };
        Ok(SearchDoc::from_listing(l, v))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::audit::{AuditActor, AuditEvent, GENESIS_HASH};

    fn entry(seq: i64, action: &str, entity: (&str, &str)) -> AuditEntry {
        let event = AuditEvent {
            at: chrono::DateTime::from_timestamp_micros(1_768_000_000_000_000).unwrap(),
            actor: AuditActor::System,
            action: action.into(),
            entity_type: entity.0.into(),
            entity_id: entity.1.into(),
            request_id: None,
            details: "{}".into(),
        };
        AuditEntry::seal(event, seq, GENESIS_HASH)
    }

    #[test]
    fn listing_and_kyc_entries_ask_for_refreshes_once_each() {
        let r = Refresh::of(&[
            entry(1, "listing.created", ("listing", "l1")),
            entry(2, "listing.publish", ("listing", "l1")),
            entry(3, "kyc.verified", ("user", "u1")),
            entry(4, "user.registered", ("user", "u2")),
            entry(5, "listing.withdraw", ("listing", "l2")),
        ]);
        let listings: Vec<&str> = r.listings.iter().map(ListingId::as_str).collect();
        let sellers: Vec<&str> = r.sellers.iter().map(UserId::as_str).collect();
        assert_eq!((listings, sellers), (vec!["l1", "l2"], vec!["u1"]));
    }

    #[test]
    fn check_names_missing_stale_and_extra_listings() {
        let id = |s: &str| ListingId::from_trusted(s.into());
        let stored = [(id("a"), 1), (id("b"), 3), (id("c"), 1)];
        let indexed = [(id("b"), 2), (id("c"), 1), (id("d"), 4)];
        let r = compare(&stored, &indexed);
        assert_eq!(r.missing, vec![id("a")]);
        assert_eq!(r.stale, vec![(id("b"), 3, 2)]);
        assert_eq!(r.extra, vec![id("d")]);
        assert!(!r.is_consistent());
        assert!(compare(&stored, &stored).is_consistent());
    }
}
