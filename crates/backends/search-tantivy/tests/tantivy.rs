//! The search contract on [`TantivyIndex`], plus what only an embedded index can show.

use msme_core::ports::SearchIndex;
use msme_search_tantivy::TantivyIndex;

async fn open() -> Option<(tempfile::TempDir, Box<dyn SearchIndex>)> {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let index = TantivyIndex::open(&dir.path().join("search")).expect("open the index");
    Some((dir, Box::new(index)))
}

msme_contract::search_contract_tests!(open);

#[tokio::test]
async fn the_whole_contract_in_order_on_one_index() {
    let (_dir, index) = open().await.expect("an index");
    msme_contract::search::run_contract(&*index).await;
}

#[tokio::test]
async fn documents_survive_reopening_the_directory() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let path = dir.path().join("search");
    let index = TantivyIndex::open(&path).expect("open");
    msme_contract::search::upsert_replaces_by_id(&index).await;
    let before = index.indexed_versions().await.expect("versions");
    drop(index);
    let again = TantivyIndex::open(&path).expect("reopen");
    assert_eq!(again.indexed_versions().await.expect("versions"), before);
}

/// A new index is under the current analysis; one without the record (made by an older build)
/// reports analysis 1 until it is cleared for the rebuild.
#[tokio::test]
async fn an_index_knows_the_analysis_it_was_built_under() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let path = dir.path().join("search");
    let index = TantivyIndex::open(&path).expect("open");
    let current = msme_core::search::ANALYSIS;
    assert_eq!(index.analysis().await.expect("analysis"), current);
    msme_contract::search::upsert_replaces_by_id(&index).await;
    drop(index);
    std::fs::remove_file(path.join("msme-analysis")).expect("an older index has no record");
    let older = TantivyIndex::open(&path).expect("reopen");
    assert_eq!(older.analysis().await.expect("analysis"), 1);
    older.clear().await.expect("clear");
    assert_eq!(older.analysis().await.expect("analysis"), current);
}
