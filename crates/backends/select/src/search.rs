//! Opening the search index a deployment uses, and bringing it up to date.
//!
//! A PostgreSQL deployment searches with PostgreSQL itself (`msme_postgres::PgSearchIndex`,
//! opened with the store), so every process on the database shares one index. A SQLite
//! deployment uses the embedded tantivy index in `<data_dir>/search`: one process at a time
//! holds it (its writer lock); a second process on the same data directory (the CLI beside a
//! running server) opens without search and says so in the log.

use std::sync::Arc;

use msme_core::ports::{SearchError, SearchIndex};
use msme_core::runtime::RuntimeError;
use msme_core::search::INDEXER_CONSUMER;
use msme_core::Platform;
use msme_search_tantivy::TantivyIndex;

use crate::settings::Settings;

/// The embedded (tantivy) search index for `settings`, or `None` when another process holds it.
///
/// Any other failure (an index written with another schema, an unreadable directory) is an
/// error: delete the directory and run `msme search reindex`.
pub fn open_search_index(settings: &Settings) -> Result<Option<Arc<dyn SearchIndex>>, SearchError> {
    let dir = settings.search_dir();
    match TantivyIndex::open(&dir) {
        Ok(index) => Ok(Some(Arc::new(index))),
        Err(SearchError::Index { op: "lock", .. }) => {
            // Info, not a warning: most commands beside a running server (outbox, users,
            // listings) need no search, and those that do say so in their error.
            tracing::info!(
                dir = %dir.display(),
                "the search index is in use by another process (a running server?); \
                 search is unavailable in this one"
            );
            Ok(None)
        }
        Err(e) => Err(e),
    }
}

/// Rebuilds an index built under an older analysis, then applies events the index has not seen
/// yet (committed before a crash, or by another process while this one was down), through the
/// runtime's indexer; nothing when the platform has no index, or when another worker holds the
/// indexer (it is catching up there).
pub(crate) async fn catch_up(platform: &Platform) -> Result<(), SearchError> {
    let runtime = platform.runtime();
    if !runtime
        .consumer_names()
        .iter()
        .any(|n| n == INDEXER_CONSUMER)
    {
        return Ok(());
    }
    platform.search().indexer().rebuild_if_outdated().await?;
    let done = runtime
        .catch_up(INDEXER_CONSUMER)
        .await
        .map_err(|e| match e {
            RuntimeError::Store(e) => SearchError::Store(e),
            e => SearchError::Unavailable(Some(e.into())),
        })?;
    if done.events > 0 {
        tracing::info!(
            events = done.events,
            dead_letters = done.dead_letters,
            cursor = done.cursor,
            "search index caught up"
        );
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::settings::Overrides;

    fn settings(dir: &std::path::Path) -> Settings {
        let overrides = Overrides {
            data_dir: Some(dir.into()),
            database_url: None,
        };
        let secret = |k: &str| (k == "JWT_SECRET").then(|| "s".repeat(32));
        Settings::load_with(&overrides, &secret).expect("settings")
    }

    #[tokio::test]
    async fn the_platform_searches_and_a_second_process_goes_without() {
        let dir = tempfile::tempdir().expect("temp dir");
        let s = settings(dir.path());
        let platform = crate::open_platform(&s).await.expect("open");
        assert!(s.search_dir().is_dir(), "the index lives in the data dir");
        let report = platform.search().indexer().check().await.expect("check");
        assert!(report.is_consistent());
        // The writer lock is held by `platform`: a second opener still opens, without search.
        assert!(open_search_index(&s).expect("no error").is_none());
        let second = crate::open_platform(&s).await.expect("open again");
        assert!(matches!(
            second.search().indexer().check().await,
            Err(SearchError::Unavailable(_))
        ));
    }
}
