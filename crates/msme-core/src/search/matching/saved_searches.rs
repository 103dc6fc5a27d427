//! Saved searches: a search kept under a name, run again later. Each belongs to the account
//! that saved it; nobody else can see, change or run it (they get `saved_search_not_found`).

use serde_json::json;

use super::{MatchError, Matching, SavedSearch, SavedSearchId};
use crate::audit::RequestMeta;
use crate::error::{check_free_text, ValidationError};
use crate::rbac::{Actor, Permission};
use crate::search::{SearchCursor, SearchFilters, SearchPage, SearchRequest, SearchSort};

/// A saved search as given: its name and the search.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SavedSearchInput {
    pub name: String,
    pub query: String,
    pub filters: SearchFilters,
    pub sort: SearchSort,
}

/// Longest query text kept.
const MAX_QUERY: usize = 500;

impl SavedSearchInput {
    fn check(&self) -> Result<(String, String), ValidationError> {
        let name = check_free_text("name", &self.name, 100)?;
        if name.is_empty() {
            return Err(ValidationError::new("name", "must be 1 to 100 characters"));
        }
        let query = check_free_text("query", &self.query, MAX_QUERY)?;
        self.filters.check()?;
        Ok((name, query))
    }
}

impl Matching<'_> {
    fn searcher(actor: &Actor) -> Result<&crate::types::UserId, MatchError> {
        actor.require(Permission::SearchListings)?;
        actor
            .user_id()
            .ok_or(MatchError::Forbidden(crate::rbac::Forbidden(
                Permission::SearchListings,
            )))
    }

    /// Saves a search for the caller.
    pub async fn save_search(
        &self,
        meta: &RequestMeta,
        actor: &Actor,
        input: &SavedSearchInput,
    ) -> Result<SavedSearch, MatchError> {
        let owner = Self::searcher(actor)?.clone();
        let (name, query) = input.check()?;
        let now = self.c.stamp.now();
        let s = SavedSearch {
            id: SavedSearchId::generate(),
            owner,
            name,
            query,
            filters: input.filters.clone(),
            sort: input.sort,
            created_at: now,
            updated_at: now,
        };
        let event = self.event(
            meta,
            actor,
            "saved_search.created",
            ("saved_search", s.id.as_str()),
            json!({ "name": s.name }),
        );
        self.c.store.create_saved_search(&s, event).await?;
        Ok(s)
    }

    /// The caller's saved searches, oldest first.
    pub async fn saved_searches(&self, actor: &Actor) -> Result<Vec<SavedSearch>, MatchError> {
        let owner = Self::searcher(actor)?;
        Ok(self.c.store.saved_searches_of(owner).await?)
    }

    /// One of the caller's saved searches.
    pub async fn saved_search(
        &self,
        actor: &Actor,
        id: &SavedSearchId,
    ) -> Result<SavedSearch, MatchError> {
        let owner = Self::searcher(actor)?;
        match self.c.store.saved_search_by_id(id).await? {
            Some(s) if &s.owner == owner => Ok(s),
            _ => Err(MatchError::NotFound("saved search")),
        }
    }

    /// Replaces the name and the search.
    pub async fn update_saved_search(
        &self,
        meta: &RequestMeta,
        actor: &Actor,
        id: &SavedSearchId,
        input: &SavedSearchInput,
    ) -> Result<SavedSearch, MatchError> {
        let mut s = self.saved_search(actor, id).await?;
        let (name, query) = input.check()?;
        s.name = name;
        s.query = query;
        s.filters = input.filters.clone();
        s.sort = input.sort;
        s.updated_at = self.c.stamp.now();
        let event = self.event(
            meta,
            actor,
            "saved_search.updated",
            ("saved_search", s.id.as_str()),
            json!({ "name": s.name }),
        );
        if !self.c.store.update_saved_search(&s, event).await? {
            return Err(MatchError::NotFound("saved search"));
        }
        Ok(s)
    }

    /// Deletes one of the caller's saved searches.
    pub async fn delete_saved_search(
        &self,
        meta: &RequestMeta,
        actor: &Actor,
        id: &SavedSearchId,
    ) -> Result<(), MatchError> {
        let s = self.saved_search(actor, id).await?;
        let event = self.event(
            meta,
            actor,
            "saved_search.deleted",
            ("saved_search", s.id.as_str()),
            json!({ "name": s.name }),
        );
        if !self.c.store.delete_saved_search(&s.id, event).await? {
            return Err(MatchError::NotFound("saved search"));
        }
        Ok(())
    }

    /// Runs one of the caller's saved searches: a page of results as `search().query` gives.
    pub async fn run_saved_search(
        &self,
        actor: &Actor,
        id: &SavedSearchId,
        limit: u32,
        cursor: Option<SearchCursor>,
    ) -> Result<SearchPage, MatchError> {
        let s = self.saved_search(actor, id).await?;
        let request = SearchRequest {
            query: s.query,
            filters: s.filters,
            sort: s.sort,
            limit,
            cursor,
        };
        Ok(self.c.search().query(actor, request).await?)
    }
}
