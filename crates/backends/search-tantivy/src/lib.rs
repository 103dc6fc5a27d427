//! # msme-search-tantivy
//!
//! The embedded search index of the MSME Exchange: [`TantivyIndex`] implements
//! [`SearchIndex`] on tantivy, in a directory under the data dir. One process writes it; the
//! PostgreSQL search serves deployments where several processes share one index.
//!
//! It passes the search contract suite (`msme_contract::search`), as every `SearchIndex` does.
#![forbid(unsafe_code)]

mod collect;
mod query;
mod read;
mod schema;

use std::path::Path;
use std::sync::{Arc, Mutex};

use async_trait::async_trait;
use msme_core::listing::ListingId;
use msme_core::ports::{SearchError, SearchIndex};
use msme_core::search::{SearchDoc, SearchRequest, SearchResults};
use tantivy::directory::MmapDirectory;
use tantivy::{Index, IndexReader, IndexWriter, ReloadPolicy, TantivyDocument, Term};

use schema::{Fields, TEXT_ANALYZER};

const BACKEND: &str = "tantivy";
/// The writer's memory before it flushes a segment. One thread: writes come in small batches
/// from the indexer, and the server stays small.
const WRITER_MEMORY: usize = 32 * 1024 * 1024;

/// The file in the index directory that records the analysis (`msme_core::search::ANALYSIS`)
/// its documents were indexed under; an index without it predates the record (analysis 1).
const ANALYSIS_FILE: &str = "msme-analysis";

/// A tantivy index in a directory. Cheap to clone; one per directory per process.
#[derive(Clone)]
pub struct TantivyIndex {
    inner: Arc<Inner>,
}

pub(crate) struct Inner {
    pub(crate) fields: Fields,
    /// The index directory.
    dir: std::path::PathBuf,
    pub(crate) reader: IndexReader,
    /// tantivy allows one writer per index; each batch commits under this lock.
    writer: Mutex<IndexWriter<TantivyDocument>>,
}

impl std::fmt::Debug for TantivyIndex {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TantivyIndex").finish_non_exhaustive()
    }
}

fn err(op: &'static str) -> impl FnOnce(tantivy::TantivyError) -> SearchError {
    move |e| SearchError::index(BACKEND, op, e)
}

impl TantivyIndex {
    /// Opens the index in `dir`, creating the directory and an empty index if missing. Fails
    /// when another process holds the index's writer lock, or the index on disk was made with
    /// another schema (delete the directory and run `msme search reindex`).
    pub fn open(dir: &Path) -> Result<Self, SearchError> {
        std::fs::create_dir_all(dir).map_err(|e| SearchError::index(BACKEND, "create", e))?;
        let directory =
            MmapDirectory::open(dir).map_err(|e| SearchError::index(BACKEND, "open", e))?;
        let (schema, fields) = Fields::schema();
        let index = Index::open_or_create(directory, schema).map_err(err("open"))?;
        index
            .tokenizers()
            .register(TEXT_ANALYZER, schema::text_analyzer());
        let writer = index
            .writer_with_num_threads(1, WRITER_MEMORY)
            .map_err(err("lock"))?;
        let reader: IndexReader = index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()
            .map_err(err("open"))?;
        let inner = Inner {
            fields,
            dir: dir.to_owned(),
            reader,
            writer: Mutex::new(writer),
        };
        // An empty index holds nothing indexed under an older analysis.
        if inner.reader.searcher().num_docs() == 0 {
            inner.record_analysis()?;
        }
        Ok(Self {
            inner: Arc::new(inner),
        })
    }

    /// Runs tantivy's blocking work on the blocking pool, off the async threads.
    async fn blocking<T: Send + 'static>(
        &self,
        op: &'static str,
        work: impl FnOnce(&Inner) -> Result<T, SearchError> + Send + 'static,
    ) -> Result<T, SearchError> {
        let inner = self.inner.clone();
        tokio::task::spawn_blocking(move || work(&inner))
            .await
            .map_err(|e| SearchError::index(BACKEND, op, e))?
    }
}

impl Inner {
    /// Records that the documents are indexed under this build's analysis.
    fn record_analysis(&self) -> Result<(), SearchError> {
        let text = msme_core::search::ANALYSIS.to_string();
        std::fs::write(self.dir.join(ANALYSIS_FILE), text)
            .map_err(|e| SearchError::index(BACKEND, "record the analysis", e))
    }

    fn analysis(&self) -> Result<u32, SearchError> {
        match std::fs::read_to_string(self.dir.join(ANALYSIS_FILE)) {
            Ok(text) => text
                .trim()
                .parse()
                .map_err(|e| SearchError::index(BACKEND, "read the analysis", e)),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(1),
            Err(e) => Err(SearchError::index(BACKEND, "read the analysis", e)),
        }
    }

    /// Applies changes to the writer, commits, and makes them visible to searches.
    fn write(
        &self,
        change: impl FnOnce(&IndexWriter<TantivyDocument>, &Fields) -> Result<(), SearchError>,
    ) -> Result<(), SearchError> {
        let mut writer = self
            .writer
            .lock()
            .map_err(|_| SearchError::index(BACKEND, "write", "a writer panicked"))?;
        if let Err(e) = change(&writer, &self.fields) {
            writer.rollback().map_err(err("roll back"))?;
            return Err(e);
        }
        writer.commit().map_err(err("commit"))?;
        self.reader.reload().map_err(err("reload"))
    }
}

#[async_trait]
impl SearchIndex for TantivyIndex {
    fn name(&self) -> &'static str {
        BACKEND
    }

    async fn upsert(&self, docs: &[SearchDoc]) -> Result<(), SearchError> {
        if docs.is_empty() {
            return Ok(());
        }
        let docs = docs.to_vec();
        self.blocking("upsert", move |inner| {
            inner.write(|writer, f| {
                for d in &docs {
                    let doc = f
                        .document(d)
                        .map_err(|e| SearchError::index(BACKEND, "upsert", e))?;
                    writer.delete_term(Term::from_field_text(f.id, d.id.as_str()));
                    writer.add_document(doc).map_err(err("upsert"))?;
                }
                Ok(())
            })
        })
        .await
    }

    async fn remove(&self, ids: &[ListingId]) -> Result<(), SearchError> {
        if ids.is_empty() {
            return Ok(());
        }
        let ids = ids.to_vec();
        self.blocking("remove", move |inner| {
            inner.write(|writer, f| {
                for id in &ids {
                    writer.delete_term(Term::from_field_text(f.id, id.as_str()));
                }
                Ok(())
            })
        })
        .await
    }

    async fn search(&self, request: &SearchRequest) -> Result<SearchResults, SearchError> {
        let request = request.clone();
        self.blocking("search", move |inner| inner.search(&request))
            .await
    }

    async fn indexed_versions(&self) -> Result<Vec<(ListingId, i64)>, SearchError> {
        self.blocking("list", |inner| inner.indexed_versions())
            .await
    }

    async fn clear(&self) -> Result<(), SearchError> {
        self.blocking("clear", |inner| {
            inner.write(|writer, _| {
                writer
                    .delete_all_documents()
                    .map(|_| ())
                    .map_err(err("clear"))
            })?;
            inner.record_analysis()
        })
        .await
    }

    async fn analysis(&self) -> Result<u32, SearchError> {
        self.blocking("read the analysis", |inner| inner.analysis())
            .await
    }
}
