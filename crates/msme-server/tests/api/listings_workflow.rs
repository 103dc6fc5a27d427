//! The workflow's rules over HTTP: illegal moves and stale edits are 409, rejection needs a
//! reason and returns the listing to the seller, bad content names its field; the taxonomy.

use msme_testkit::{assert_error, error_field, error_of, listing_body, listing_with, TestApp};
use reqwest::StatusCode;
use serde_json::{json, Value};

async fn illegal_moves_stale_edits_and_rejections(app: TestApp) {
    let (_, seller) = app.signed_in("9720000001", "seller").await;
    let admin = app.admin_token("9720000009").await;
    let id = app.draft_id(&seller, true).await;
    let path = format!("/v1/listings/{id}");
    let res = app
        .post_auth(&format!("{path}/publish"), &seller, json!({}))
        .await;
    assert_error(res, StatusCode::CONFLICT, "illegal_transition").await;
    let stale = listing_with(true, json!({"version": 0}));
    let res = app.put_auth(&path, &seller, stale).await;
    assert_error(res, StatusCode::CONFLICT, "conflict").await;
    let res = app.put_auth(&path, &seller, listing_body(true)).await;
    assert_eq!(
        error_of(res, StatusCode::BAD_REQUEST).await,
        ("validation_failed".into(), "version".into())
    );

    app.post_auth(&format!("{path}/submit"), &seller, json!({}))
        .await;
    let res = app
        .post_auth(&format!("{path}/approve"), &seller, json!({}))
        .await;
    assert_error(res, StatusCode::FORBIDDEN, "forbidden").await;
    let mut edit = listing_with(true, json!({"version": 2}));
    let res = app.put_auth(&path, &seller, edit.clone()).await;
    assert_error(res, StatusCode::CONFLICT, "illegal_transition").await;
    let res = app
        .post_auth(&format!("{path}/reject"), &admin, json!({"reason": " "}))
        .await;
    assert_eq!(error_field(res).await, "reason");
    let why = "Financials for FY24 do not match the P&L uploaded";
    let res = app
        .post_auth(&format!("{path}/reject"), &admin, json!({"reason": why}))
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    let mine = app.json_ok(&path, &seller).await;
    assert_eq!(
        (mine["status"].as_str(), mine["rejection_reason"].as_str()),
        (Some("rejected"), Some(why))
    );
    // Rejected listings are editable again and go back to draft.
    edit["version"] = mine["version"].clone();
    let res = app.put_auth(&path, &seller, edit).await;
    assert_eq!(res.json::<Value>().await.unwrap()["status"], "draft");
    let res = app.delete_auth(&path, &seller).await;
    assert_eq!(res.json::<Value>().await.unwrap()["status"], "withdrawn");
    let res = app
        .post_auth(&format!("{path}/withdraw"), &seller, json!({}))
        .await;
    assert_error(res, StatusCode::CONFLICT, "illegal_transition").await;
    app.stop().await;
}

async fn bad_content_names_its_field(app: TestApp) {
    let (_, seller) = app.signed_in("9720000011", "seller").await;
    let cases: Vec<(&str, Value, &str)> = vec![
        ("/industry", json!("alchemy"), "industry"),
        ("/state", json!("Atlantis"), "state"),
        ("/deal_type", json!("merger"), "deal_type"),
        ("/year_established", json!(2999), "year_established"),
        (
            "/financials/0/ebitda_paise",
            json!(9_00_00_000_00i64),
            "financials[0].ebitda_paise",
        ),
        (
            "/financials/0/revenue_paise",
            json!(-1),
            "financials[0].revenue_paise",
        ),
        (
            "/financials/0/fiscal_year",
            json!(2999),
            "financials[0].fiscal_year",
        ),
    ];
    for (pointer, value, field) in cases {
        let mut body = listing_body(true);
        *body.pointer_mut(pointer).unwrap() = value;
        let res = app.post_auth("/v1/listings", &seller, body).await;
        assert_eq!(
            error_of(res, StatusCode::BAD_REQUEST).await,
            ("validation_failed".into(), field.into()),
            "{pointer}"
        );
    }
    // A misspelt field is refused, not ignored: `anonymus` must not publish a name.
    let mut body = listing_body(true);
    body.as_object_mut()
        .unwrap()
        .insert("anonymus".into(), json!(true));
    let res = app.post_auth("/v1/listings", &seller, body).await;
    assert_eq!(
        error_of(res, StatusCode::BAD_REQUEST).await,
        ("invalid_body".into(), "anonymus".into())
    );
    let body = listing_with(true, json!({"version": 1}));
    let res = app.post_auth("/v1/listings", &seller, body).await;
    assert_eq!(error_field(res).await, "version");
    app.stop().await;
}

async fn the_taxonomy_is_public(app: TestApp) {
    let res = app.get("/v1/industries").await;
    let industries: Value = res.json().await.unwrap();
    let machinery = industries["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["id"] == "machinery");
    assert_eq!(machinery.unwrap()["nic_section"], "C");
    let res = app.get("/v1/states").await;
    let states: Value = res.json().await.unwrap();
    let items = states["items"].as_array().unwrap();
    assert_eq!(items.len(), 36);
    assert!(items.contains(&json!({"name": "Maharashtra", "code": "MH", "gst_code": 27})));
    app.stop().await;
}

msme_testkit::on_each_backend!(
    illegal_moves_stale_edits_and_rejections,
    bad_content_names_its_field,
    the_taxonomy_is_public,
);
