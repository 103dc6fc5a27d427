//! The search contract suite on [`PgSearchIndex`], each case on a database of its own.

use msme_core::ports::SearchIndex;

/// A fresh database and its search index; `None` (the suite skipped) without a server.
async fn open() -> Option<(crate::support::TestDb, Box<dyn SearchIndex>)> {
    let url = crate::support::server_url()?;
    let db = crate::support::TestDb::create(&url).await;
    let index = db.store().await.search_index();
    Some((db, Box::new(index)))
}

msme_contract::search_contract_tests!(open);

#[tokio::test]
async fn the_whole_contract_in_order_on_one_index() {
    let Some((db, index)) = open().await else {
        return;
    };
    msme_contract::search::run_contract(&*index).await;
    drop(index);
    db.drop_now().await;
}
