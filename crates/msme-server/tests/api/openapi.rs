//! The OpenAPI document stays true: it lists exactly the routes the router serves.

use std::collections::BTreeSet;

use msme_testkit::TestApp;
use reqwest::{Method, StatusCode};
use serde_json::Value;

/// (method, path) of every operation in the document.
fn documented() -> BTreeSet<(String, String)> {
    let doc = msme_server::openapi();
    let mut ops = BTreeSet::new();
    for (path, item) in &doc.paths.paths {
        let methods = [
            ("GET", &item.get),
            ("POST", &item.post),
            ("PUT", &item.put),
            ("DELETE", &item.delete),
            ("PATCH", &item.patch),
            ("HEAD", &item.head),
            ("OPTIONS", &item.options),
            ("TRACE", &item.trace),
        ];
        for (method, op) in methods {
            if op.is_some() {
                ops.insert((method.to_string(), path.clone()));
            }
        }
    }
    ops
}

#[test]
fn the_document_lists_exactly_the_served_routes() {
    let served: BTreeSet<(String, String)> = msme_server::api_routes()
        .into_iter()
        .map(|(m, p)| (m.to_string(), p.to_string()))
        .collect();
    let documented = documented();
    let undocumented: Vec<_> = served.difference(&documented).collect();
    let unserved: Vec<_> = documented.difference(&served).collect();
    assert!(
        undocumented.is_empty(),
        "served but not documented: {undocumented:?}"
    );
    assert!(
        unserved.is_empty(),
        "documented but not served: {unserved:?}"
    );
}

#[test]
fn protected_operations_use_the_bearer_scheme() {
    let doc = serde_json::to_value(msme_server::openapi()).unwrap();
    assert_eq!(
        doc["components"]["securitySchemes"]["bearer"]["scheme"],
        "bearer"
    );
    assert!(doc["openapi"].as_str().unwrap().starts_with("3."));
    let me = &doc["paths"]["/v1/me"]["get"];
    assert_eq!(me["security"][0]["bearer"], Value::Array(vec![]));
}

/// `path` with `{module}` as `database` and every other parameter as `id`.
fn with_params(path: &str, id: &str) -> String {
    path.split('/')
        .map(|seg| match seg {
            "{module}" => "database",
            s if s.starts_with('{') => id,
            s => s,
        })
        .collect::<Vec<_>>()
        .join("/")
}

#[tokio::test]
async fn every_documented_route_is_served_and_the_document_is_published() {
    let app = TestApp::spawn().await;
    let id = uuid::Uuid::now_v7().to_string();
    for (method, path) in documented() {
        let url = app.url(&with_params(&path, &id));
        let method = Method::from_bytes(method.as_bytes()).unwrap();
        let res = app.http.request(method.clone(), &url).send().await.unwrap();
        let body: Value = res.json().await.unwrap_or(Value::Null);
        let code = body["error"]["code"].as_str().unwrap_or("");
        assert!(
            !matches!(code, "route_not_found" | "method_not_allowed"),
            "{method} {path}: {code}"
        );
    }
    let res = app.get("/openapi.json").await;
    assert_eq!(res.status(), StatusCode::OK);
    let served: Value = res.json().await.unwrap();
    assert_eq!(
        served,
        serde_json::to_value(msme_server::openapi()).unwrap()
    );
    let res = app.get("/docs").await;
    assert_eq!(res.status(), StatusCode::OK);
    assert!(res.text().await.unwrap().contains("swagger"));
    app.stop().await;
}
