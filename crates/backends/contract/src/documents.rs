//! Cases for [`DocumentStore`](msme_core::ports::DocumentStore).

use std::sync::Arc;

use msme_core::documents::{Document, DocumentId, DocumentKind};
use msme_core::ports::Store;

use crate::fixtures::market::{document, listing, stored_listing};
use crate::fixtures::{assert_appended, event, head_seq, stored_user};

async fn insert(store: &Arc<dyn Store>, doc: &Document) {
    let audit = event("document.uploaded", doc.id.as_str());
    store.insert_document(doc, audit).await.expect("insert");
}

/// A document reads back whole by id; lists are per owner, per listing, oldest first.
pub async fn documents_round_trip_and_list_oldest_first(store: Arc<dyn Store>) {
    let a = stored_user(&store, 1).await;
    let b = stored_user(&store, 2).await;
    let l1 = stored_listing(&store, listing(&a.id, 1)).await;
    let l2 = stored_listing(&store, listing(&a.id, 2)).await;
    let before = head_seq(&store).await;
    let mut image = document(&a.id, Some(&l1.id), 30);
    image.kind = DocumentKind::Image;
    image.content_type = "image/png".into();
    let loose = document(&a.id, None, 10);
    let on_l2 = document(&a.id, Some(&l2.id), 20);
    let by_b = document(&b.id, Some(&l1.id), 5);
    for d in [&image, &loose, &on_l2, &by_b] {
        insert(&store, d).await;
    }
    assert_appended(&store, before, 4, "four uploads").await;
    let got = store.document_by_id(&image.id).await.expect("by id");
    assert_eq!(got.as_ref(), Some(&image));
    let unknown = store.document_by_id(&DocumentId::generate()).await;
    assert_eq!(unknown.expect("unknown"), None);
    let of_a = store.documents_of(&a.id, None).await.expect("of a");
    assert_eq!(of_a, vec![loose, on_l2, image.clone()]);
    let of_a_l1 = store
        .documents_of(&a.id, Some(&l1.id))
        .await
        .expect("a, l1");
    assert_eq!(of_a_l1, vec![image.clone()]);
    let of_b_l2 = store
        .documents_of(&b.id, Some(&l2.id))
        .await
        .expect("b, l2");
    assert!(of_b_l2.is_empty());
    let of_l1 = store.documents_of_listing(&l1.id).await.expect("of l1");
    assert_eq!(
        of_l1,
        vec![by_b, image],
        "whoever uploaded them, oldest first"
    );
}

/// Deleting works once and is audited once; other documents stay.
pub async fn delete_document_succeeds_once(store: Arc<dyn Store>) {
    let a = stored_user(&store, 1).await;
    let gone = document(&a.id, None, 10);
    let kept = document(&a.id, None, 11);
    insert(&store, &gone).await;
    insert(&store, &kept).await;
    let before = head_seq(&store).await;
    let delete = |id: DocumentId| {
        let store = store.clone();
        async move {
            let audit = event("document.deleted", id.as_str());
            store.delete_document(&id, audit).await.expect("delete")
        }
    };
    assert!(delete(gone.id.clone()).await);
    assert!(!delete(gone.id.clone()).await, "already deleted");
    assert!(!delete(DocumentId::generate()).await, "never existed");
    assert_appended(&store, before, 1, "one real delete").await;
    assert_eq!(store.document_by_id(&gone.id).await.expect("gone"), None);
    let left = store.documents_of(&a.id, None).await.expect("left");
    assert_eq!(left, vec![kept]);
}
