//! Uploading, reading, downloading and deleting files over HTTP: types come from the bytes,
//! limits hold, nothing is left behind by a refused upload, and others' files do not exist.

use crate::common::{exe, pdf, png};
use msme_testkit::{assert_error, error_code, error_field, error_of, TestApp};
use reqwest::StatusCode;
use serde_json::Value;

async fn owners_upload_list_read_download_and_delete(app: TestApp) {
    let (owner_id, owner) = app.signed_in("9730000001", "seller").await;
    let res = app
        .upload(
            &owner,
            ("../../Balance Sheet*.pdf", pdf()),
            &[("kind", "document")],
        )
        .await;
    let status = res.status();
    let doc: Value = res.json().await.unwrap();
    assert_eq!(status, StatusCode::CREATED, "{doc}");
    assert_eq!(doc["content_type"], "application/pdf");
    assert_eq!(doc["filename"], "Balance Sheet.pdf");
    assert_eq!(doc["owner_id"], owner_id.as_str());
    assert_eq!(doc["size_bytes"], pdf().len());
    assert_eq!(doc["sha256"].as_str().unwrap().len(), 64);
    assert!(doc.get("blob_key").is_none());
    let id = doc["id"].as_str().unwrap();

    let mine = app.json_ok("/v1/documents", &owner).await;
    assert_eq!(mine["items"][0]["id"], id);
    assert_eq!(
        app.json_ok(&format!("/v1/documents/{id}"), &owner).await,
        doc
    );
    let res = app
        .get_auth(&format!("/v1/documents/{id}/content"), &owner)
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    let h = res.headers();
    assert_eq!(h["content-type"], "application/pdf");
    assert_eq!(
        h["content-disposition"],
        "attachment; filename=\"Balance Sheet.pdf\""
    );
    assert_eq!(h["x-content-type-options"], "nosniff");
    assert_eq!(res.bytes().await.unwrap().to_vec(), pdf());

    assert_eq!(app.blob_count(), 1);
    let res = app
        .delete_auth(&format!("/v1/documents/{id}"), &owner)
        .await;
    assert_eq!(res.status(), StatusCode::NO_CONTENT);
    assert_eq!(app.blob_count(), 0);
    let res = app.get_auth(&format!("/v1/documents/{id}"), &owner).await;
    assert_error(res, StatusCode::NOT_FOUND, "document_not_found").await;
    app.stop().await;
}

async fn types_are_sniffed_and_refusals_leave_nothing_behind(app: TestApp) {
    let (_, owner) = app.signed_in("9730000011", "seller").await;
    let cases = [
        (
            ("invoice.pdf", exe()),
            "document",
            "unsupported_file_type",
            "file",
        ),
        (
            ("photo.png", pdf()),
            "image",
            "unsupported_file_type",
            "file",
        ),
        (
            ("empty.pdf", Vec::new()),
            "document",
            "validation_failed",
            "file",
        ),
        (("photo.png", png()), "poster", "validation_failed", "kind"),
    ];
    for (file, kind, code, field) in cases {
        let name = file.0;
        let res = app.upload(&owner, file, &[("kind", kind)]).await;
        assert_eq!(
            error_of(res, StatusCode::BAD_REQUEST).await,
            (code.into(), field.into()),
            "{name} as {kind}"
        );
    }
    let res = app.upload(&owner, ("photo.png", png()), &[]).await;
    assert_eq!(error_field(res).await, "kind");
    let res = app
        .upload(
            &owner,
            ("photo.png", png()),
            &[("kind", "image"), ("owner_id", "x")],
        )
        .await;
    assert_eq!(error_field(res).await, "owner_id");
    let res = app
        .post_auth("/v1/documents", &owner, serde_json::json!({"file": "x"}))
        .await;
    assert_error(
        res,
        StatusCode::UNSUPPORTED_MEDIA_TYPE,
        "unsupported_media_type",
    )
    .await;
    assert_eq!(app.blob_count(), 0);
    assert!(app.json_ok("/v1/documents", &owner).await["items"]
        .as_array()
        .unwrap()
        .is_empty());
    app.stop().await;
}

async fn size_limits_hold(app: TestApp) {
    let (_, owner) = app.signed_in("9730000021", "seller").await;
    let mut big_image = png();
    big_image.resize(10 * 1024 * 1024 + 1, 0);
    let res = app
        .upload(&owner, ("huge.png", big_image), &[("kind", "image")])
        .await;
    let refusal = error_of(res, StatusCode::BAD_REQUEST).await;
    assert_eq!(refusal, ("file_too_large".into(), "file".into()));
    let mut too_big = pdf();
    too_big.resize(21 * 1024 * 1024, b' ');
    let res = app
        .upload(&owner, ("huge.pdf", too_big), &[("kind", "document")])
        .await;
    assert_error(res, StatusCode::PAYLOAD_TOO_LARGE, "body_too_large").await;
    // The raised limit is the upload's only: other routes keep theirs.
    let padding = "x".repeat(100 * 1024);
    let body = serde_json::json!({"about": padding});
    let res = app.put_auth("/v1/profiles/me", &owner, body).await;
    assert_error(res, StatusCode::PAYLOAD_TOO_LARGE, "body_too_large").await;
    assert_eq!(app.blob_count(), 0);
    app.stop().await;
}

async fn others_files_do_not_exist_for_them(app: TestApp) {
    let (_, owner) = app.signed_in("9730000031", "seller").await;
    let (_, other) = app.signed_in("9730000032", "seller").await;
    let res = app
        .upload(&owner, ("accounts.pdf", pdf()), &[("kind", "document")])
        .await;
    let id = res.json::<Value>().await.unwrap()["id"]
        .as_str()
        .unwrap()
        .to_string();
    for path in [
        format!("/v1/documents/{id}"),
        format!("/v1/documents/{id}/content"),
    ] {
        let res = app.get_auth(&path, &other).await;
        assert_eq!(
            error_code(res, StatusCode::NOT_FOUND).await,
            "document_not_found",
            "{path}"
        );
    }
    let res = app
        .delete_auth(&format!("/v1/documents/{id}"), &other)
        .await;
    assert_error(res, StatusCode::NOT_FOUND, "document_not_found").await;
    assert!(app.json_ok("/v1/documents", &other).await["items"]
        .as_array()
        .unwrap()
        .is_empty());
    // Nor can anyone attach files to someone else's listing.
    let listing = app.draft_id(&owner, true).await;
    let fields = [("kind", "document"), ("listing_id", listing.as_str())];
    let res = app.upload(&other, ("fake.pdf", pdf()), &fields).await;
    assert_error(res, StatusCode::NOT_FOUND, "listing_not_found").await;
    let res = app
        .get_auth(&format!("/v1/documents?listing_id={listing}"), &other)
        .await;
    assert!(res.json::<Value>().await.unwrap()["items"]
        .as_array()
        .unwrap()
        .is_empty());
    // The owner's file is still there, whole.
    let res = app
        .get_auth(&format!("/v1/documents/{id}/content"), &owner)
        .await;
    assert_eq!(res.bytes().await.unwrap().to_vec(), pdf());
    assert_eq!(app.blob_count(), 1);
    app.stop().await;
}

msme_testkit::on_each_backend!(
    owners_upload_list_read_download_and_delete,
    types_are_sniffed_and_refusals_leave_nothing_behind,
    size_limits_hold,
    others_files_do_not_exist_for_them,
);
