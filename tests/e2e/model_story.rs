//! Trained models end to end over HTTP, on SQLite and on PostgreSQL: an admin trains in the
//! background and reads the job; everyone reads the registry's performance; valuations use the
//! active model (its weight, range and explanation); a rollback brings an older version back.

use std::time::{Duration, Instant};

use msme::core::model::{ComparableInput, ComparableSource, ModelError, ModelVersionId};
use msme::core::rbac::Actor;
use msme::demo::{comparables, generate};
use msme::RequestMeta;
use msme_testkit::TestApp;
use serde_json::{json, Value};

/// Starts training over HTTP and waits for the job to finish; the job as last read.
async fn train(app: &TestApp, admin: &str, body: Value) -> Value {
    let api = app.api();
    let (status, job) = api.post_auth("/v1/train-model", admin, body).await;
    assert_eq!(status, 202, "{job}");
    assert!(
        ["queued", "running"].contains(&job["status"].as_str().unwrap()),
        "{job}"
    );
    let path = format!("/v1/train-model/{}", job["id"].as_str().unwrap());
    let started = Instant::now();
    loop {
        let (status, job) = api.get(&path, admin).await;
        assert_eq!(status, 200, "{job}");
        if job["status"] == "succeeded" || job["status"] == "failed" {
            return job;
        }
        assert!(
            started.elapsed() < Duration::from_secs(300),
            "training took too long: {job}"
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

fn figures() -> Value {
    json!({
        "company_name": "Rao Precision", "industry": "machinery", "city": "Pune",
        "state": "Maharashtra", "year_established": 2008, "employees": 42,
        "financials": [{"fiscal_year": 2025, "revenue_paise": 8_00_00_000_00i64,
            "ebitda_paise": 1_20_00_000_00i64, "net_profit_paise": 60_00_000_00i64,
            "total_assets_paise": 5_00_00_000_00i64, "total_liabilities_paise": 2_00_00_000_00i64,
            "debt_paise": 1_00_00_000_00i64}]
    })
}

async fn performance(app: &TestApp, token: &str) -> Value {
    let api = app.api();
    let (status, p) = api.get("/v1/model-performance", token).await;
    assert_eq!(status, 200, "{p}");
    p
}

/// The demo's closed deals as comparable deals, added as the operator (as `msme demo` does):
/// again, they add nothing; as sales (which only released escrows record) they are refused.
async fn add_demo_deals(app: &TestApp, deals: &[(String, ComparableInput)]) -> usize {
    let (meta, op) = (RequestMeta::default(), Actor::operator());
    let models = app.platform.models();
    let added = models.add_comparables(&meta, &op, ComparableSource::Demo, deals);
    let added = added.await.expect("demo deals");
    let again = models.add_comparables(&meta, &op, ComparableSource::Demo, &deals[..5]);
    assert_eq!(again.await.expect("the same deals again"), 0);
    let sales = models.add_comparables(&meta, &op, ComparableSource::Platform, &deals[..1]);
    assert!(matches!(sales.await, Err(ModelError::Invalid(_))));
    added
}

async fn models_are_trained_served_and_rolled_back(app: TestApp) {
    let api = app.api();
    let admin = app.admin_token("9123456780").await;
    let seller = app.operator_made_token("9876543210", "seller").await;
    let deals = comparables(3, &generate(3, 700).closed_deals);
    assert_eq!(add_demo_deals(&app, &deals).await, deals.len());

    let (status, err) = api.post_auth("/v1/train-model", &seller, json!({})).await;
    assert_eq!(
        (status, err["error"]["code"].as_str()),
        (403, Some("forbidden")),
        "{err}"
    );
    let (status, err) = api
        .post_auth("/v1/train-model", &admin, json!({"kinds": ["xgboost"]}))
        .await;
    assert_eq!(
        (status, err["error"]["code"].as_str()),
        (400, Some("model_unknown_kind")),
        "{err}"
    );
    let (status, err) = api
        .post_auth("/v1/train-model", &admin, json!({"coverage": 2}))
        .await;
    assert_eq!(
        (status, err["error"]["field"].as_str()),
        (400, Some("coverage")),
        "{err}"
    );
    let missing = format!("/v1/train-model/{}", ModelVersionId::generate());
    assert_eq!(api.get(&missing, &admin).await.0, 404);
    assert_eq!(api.get("/v1/train-model/not-an-id", &admin).await.0, 400);
    assert_eq!(performance(&app, &seller).await["active"], Value::Null);

    let first = train(&app, &admin, json!({"budget": 0.5})).await;
    assert_eq!(
        (first["status"].as_str(), first["progress"].as_f64()),
        (Some("succeeded"), Some(1.0)),
        "{first}"
    );
    let chosen = first["version_id"].as_str().unwrap().to_string();
    let p = performance(&app, &seller).await;
    assert_eq!(p["active"]["id"], chosen.as_str(), "{p}");
    assert_eq!(p["comparables"].as_u64(), Some(deals.len() as u64));
    let versions = p["versions"].as_array().unwrap();
    assert!(versions.len() >= 2, "{p}");
    for v in versions {
        let t = &v["test"];
        assert!(
            t["mape"].as_f64().unwrap() > 0.0 && t["median_ape"].as_f64().unwrap() > 0.0,
            "{v}"
        );
        assert!(
            t["r2_log"].as_f64().unwrap() > 0.8 && t["coverage"].as_f64().unwrap() > 0.6,
            "{v}"
        );
    }

    let (status, v) = api.post_auth("/v1/valuations", &seller, figures()).await;
    assert_eq!(status, 201, "{v}");
    assert_eq!(v["model"]["version_id"], chosen.as_str());
    assert_eq!(v["coverage"].as_f64(), Some(0.8));
    assert!(
        !v["model"]["top_features"].as_array().unwrap().is_empty(),
        "{v}"
    );
    let line = v["methods"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["method"] == "model")
        .expect("model method");
    assert!(line["weight"].as_f64().unwrap() > 0.2, "{line}");

    let second = train(&app, &admin, json!({"kinds": ["ridge"]})).await;
    let ridge = second["version_id"].as_str().unwrap().to_string();
    assert_ne!(ridge, chosen);
    assert_eq!(
        performance(&app, &admin).await["active"]["id"],
        ridge.as_str()
    );
    let old = ModelVersionId::parse(&chosen).unwrap();
    app.platform
        .models()
        .activate(&RequestMeta::default(), &Actor::operator(), &old)
        .await
        .expect("rollback");
    assert_eq!(
        performance(&app, &admin).await["active"]["id"],
        chosen.as_str()
    );
    let (_, v) = api.post_auth("/v1/valuations", &seller, figures()).await;
    assert_eq!(
        v["model"]["version_id"],
        chosen.as_str(),
        "valuations follow the rollback"
    );
    app.stop().await;
}

msme_testkit::on_each_backend!(stories: models_are_trained_served_and_rolled_back);
