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

/// The core's word splitter (which indexes without a tokenizer of their own use) gives the same
/// words as this index's analyser, for every Latin-1 and Latin Extended-A letter.
#[test]
fn core_words_agree_with_the_analyser() {
    let mut text = String::new();
    for c in (0xC0u32..=0x17F).filter_map(char::from_u32) {
        text.push_str(&format!("x{c}x "));
    }
    text.push_str("Café WHO-GMP Straße 12 ");
    text.push_str(&"y".repeat(45));
    assert_eq!(
        msme_search_tantivy::analyse(&text),
        msme_core::search::words(&text)
    );
}
