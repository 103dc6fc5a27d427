//! The catalog: every public listing as a matching [`Candidate`], in memory, so one buyer is
//! ranked against all of them in milliseconds.
//!
//! It is derived data, as the search index is: built from the store on first use, then kept
//! in step by reading the audit log after the `seq` it was built at (listing changes, KYC
//! decisions, new valuations). Each process keeps its own; none is stored.

use std::collections::{BTreeSet, HashMap};

use tokio::sync::RwLockReadGuard;

use super::features::{Candidate, Vocabulary};
use super::MatchError;
use crate::audit::AuditEntry;
use crate::kyc::KycStatus;
use crate::listing::{Listing, ListingCursor, ListingId, ListingQuery, ListingSort};
use crate::search::SearchCtx;
use crate::search::{Refresh, SearchDoc, PUBLIC};
use crate::types::UserId;

const LISTING_PAGE: u32 = 500;
const AUDIT_PAGE: u32 = 1000;

/// Public listings as candidates.
#[derive(Debug, Default)]
pub struct Catalog {
    pub(crate) vocab: Vocabulary,
    pub(crate) candidates: Vec<Candidate>,
    by_id: HashMap<ListingId, usize>,
    /// The audit `seq` the catalog reflects.
    cursor: i64,
}

impl Catalog {
    /// A catalog of the given candidates (their words interned in `vocab`), for tools that
    /// rank without a store (benchmarks, simulations).
    pub fn from_candidates(vocab: Vocabulary, candidates: Vec<Candidate>) -> Self {
        let mut c = Catalog {
            vocab,
            ..Catalog::default()
        };
        for x in candidates {
            c.put(x);
        }
        c
    }

    fn put(&mut self, c: Candidate) {
        match self.by_id.get(&c.id) {
            Some(&i) => self.candidates[i] = c,
            None => {
                self.by_id.insert(c.id.clone(), self.candidates.len());
                self.candidates.push(c);
            }
        }
    }

    fn remove(&mut self, id: &ListingId) {
        let Some(i) = self.by_id.remove(id) else {
            return;
        };
        self.candidates.swap_remove(i);
        if let Some(moved) = self.candidates.get(i) {
            self.by_id.insert(moved.id.clone(), i);
        }
    }

    pub(crate) fn get(&self, id: &ListingId) -> Option<&Candidate> {
        self.by_id.get(id).map(|&i| &self.candidates[i])
    }

    pub fn len(&self) -> usize {
        self.candidates.len()
    }

    pub fn is_empty(&self) -> bool {
        self.candidates.is_empty()
    }
}

/// Listings a page of audit entries changed: listings themselves, those of sellers whose KYC
/// changed, and those newly valued.
fn changed(catalog: &Catalog, entries: &[AuditEntry]) -> BTreeSet<ListingId> {
    let refresh = Refresh::of(entries);
    let mut ids = refresh.listings;
    ids.extend(
        catalog
            .candidates
            .iter()
            .filter(|c| refresh.sellers.contains(&c.seller))
            .map(|c| c.id.clone()),
    );
    for e in entries.iter().map(|e| &e.event) {
        if e.action == "valuation.created" {
            let details: serde_json::Value = serde_json::from_str(&e.details).unwrap_or_default();
            if let Some(id) = details["listing_id"].as_str() {
                ids.insert(ListingId::from_trusted(id.to_string()));
            }
        }
    }
    ids
}

/// Keeps the platform's catalog; see [`super::Matching::catalog`].
pub(crate) struct Keeper<'a> {
    pub(crate) c: SearchCtx<'a>,
}

impl<'a> Keeper<'a> {
    /// The catalog, built if this process has none yet, and caught up with the audit log.
    pub(crate) async fn current(&self) -> Result<RwLockReadGuard<'a, Catalog>, MatchError> {
        let c: SearchCtx<'a> = self.c;
        let mut slot = c.catalog.write().await;
        match slot.as_mut() {
            Some(catalog) => self.catch_up(catalog).await?,
            None => *slot = Some(self.build().await?),
        }
        let read = slot.downgrade();
        Ok(RwLockReadGuard::map(read, |c| {
            c.as_ref().expect("set just above")
        }))
    }

    async fn build(&self) -> Result<Catalog, MatchError> {
        let store = self.c.store;
        let mut catalog = Catalog {
            cursor: store.audit_head().await?.map_or(0, |(seq, _)| seq),
            ..Catalog::default()
        };
        let mut verified = HashMap::new();
        let mut after = None;
        loop {
            let query = ListingQuery {
                statuses: PUBLIC.to_vec(),
                sort: ListingSort::Newest,
                after,
                limit: LISTING_PAGE,
                ..ListingQuery::default()
            };
            let page = store.query_listings(&query).await?;
            self.add(&mut catalog, &page, &mut verified).await?;
            after = match page.last() {
                Some(l) if page.len() == LISTING_PAGE as usize => {
                    Some(ListingCursor::after(l, ListingSort::Newest))
                }
                _ => break,
            };
        }
        // Changes committed while the pages were read are applied now.
        self.catch_up(&mut catalog).await?;
        Ok(catalog)
    }

    /// Adds public listings, with their sellers' KYC and their newest valuations.
    async fn add(
        &self,
        catalog: &mut Catalog,
        listings: &[Listing],
        verified: &mut HashMap<UserId, bool>,
    ) -> Result<(), MatchError> {
        let store = self.c.store;
        let ids: Vec<ListingId> = listings.iter().map(|l| l.id.clone()).collect();
        let values: HashMap<ListingId, _> =
            store.latest_valuations(&ids).await?.into_iter().collect();
        for l in listings {
            let v = match verified.get(&l.seller_id) {
                Some(v) => *v,
                None => {
                    let kyc = store.kyc_of(&l.seller_id).await?;
                    let v = kyc.is_some_and(|k| k.status == KycStatus::Verified);
                    verified.insert(l.seller_id.clone(), v);
                    v
                }
            };
            let doc = SearchDoc::from_listing(l, v);
            let c = Candidate::new(
                &doc,
                l.seller_id.clone(),
                values.get(&l.id).copied(),
                &mut catalog.vocab,
            );
            catalog.put(c);
        }
        Ok(())
    }

    /// Applies audit entries after the catalog's cursor.
    async fn catch_up(&self, catalog: &mut Catalog) -> Result<(), MatchError> {
        let store = self.c.store;
        loop {
            let page = store.audit_page(catalog.cursor, AUDIT_PAGE).await?;
            let Some(last) = page.last().map(|e| e.seq) else {
                return Ok(());
            };
            let mut public = Vec::new();
            for id in changed(catalog, &page) {
                match store.listing_by_id(&id).await? {
                    Some(l) if l.status.is_public() => public.push(l),
                    _ => catalog.remove(&id),
                }
            }
            self.add(catalog, &public, &mut HashMap::new()).await?;
            catalog.cursor = last;
        }
    }
}
