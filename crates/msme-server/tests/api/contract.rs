//! Real responses match `/openapi.json`: the schema documented for their operation and status
//! accepts their bodies, and the answers every operation shares (a malformed or oversized body,
//! a missing token, a rate limit) are documented where the server can give them.
//! `.ci/schemathesis.sh` fuzzes every operation the same way; these are the quick checks.

use msme_testkit::{assert_error, TestApp};
use reqwest::{Method, Response, StatusCode};
use serde_json::{json, Value};

/// JSON Schema keywords that only describe (the validator below need not check them).
const ANNOTATIONS: &[&str] = &["description", "format", "default", "example", "title"];

/// Where `value` breaks `schema` (a subset of JSON Schema 2020-12: what utoipa writes; any
/// other keyword panics, so the validator cannot pass a schema it does not understand).
fn violations(doc: &Value, schema: &Value, value: &Value, at: &str, out: &mut Vec<String>) {
    let Some(schema) = schema.as_object() else {
        panic!("{at}: schema {schema} is not an object")
    };
    for (keyword, rule) in schema {
        match keyword.as_str() {
            "$ref" => {
                let name = rule.as_str().unwrap();
                let name = name.strip_prefix("#/components/schemas/").unwrap();
                let target = &doc["components"]["schemas"][name];
                violations(doc, target, value, at, out);
            }
            "type" => {
                let types: Vec<&str> = match rule {
                    Value::String(t) => vec![t.as_str()],
                    _ => rule
                        .as_array()
                        .unwrap()
                        .iter()
                        .map(|t| t.as_str().unwrap())
                        .collect(),
                };
                if !types.iter().any(|t| has_type(value, t)) {
                    out.push(format!("{at}: {value} is not of type {rule}"));
                }
            }
            "properties" => {
                for (name, property) in rule.as_object().unwrap() {
                    if let Some(v) = value.get(name) {
                        violations(doc, property, v, &format!("{at}.{name}"), out);
                    }
                }
            }
            "required" => {
                for name in rule.as_array().unwrap() {
                    let name = name.as_str().unwrap();
                    if value.is_object() && value.get(name).is_none() {
                        out.push(format!("{at}: `{name}` is missing"));
                    }
                }
            }
            "additionalProperties" => {
                let known = schema.get("properties").and_then(Value::as_object);
                for (name, v) in value.as_object().into_iter().flatten() {
                    if known.is_some_and(|k| k.contains_key(name)) {
                        continue;
                    }
                    match rule {
                        Value::Bool(true) => {}
                        Value::Bool(false) => out.push(format!("{at}: `{name}` is not allowed")),
                        _ => violations(doc, rule, v, &format!("{at}.{name}"), out),
                    }
                }
            }
            "propertyNames" => {
                for name in value.as_object().into_iter().flatten().map(|(k, _)| k) {
                    violations(doc, rule, &json!(name), &format!("{at}[{name}]"), out);
                }
            }
            "items" => {
                for (i, v) in value.as_array().into_iter().flatten().enumerate() {
                    violations(doc, rule, v, &format!("{at}[{i}]"), out);
                }
            }
            "allOf" => {
                for part in rule.as_array().unwrap() {
                    violations(doc, part, value, at, out);
                }
            }
            "oneOf" => {
                let matching = rule
                    .as_array()
                    .unwrap()
                    .iter()
                    .filter(|s| {
                        let mut errors = Vec::new();
                        violations(doc, s, value, at, &mut errors);
                        errors.is_empty()
                    })
                    .count();
                if matching != 1 {
                    out.push(format!("{at}: {matching} of oneOf match"));
                }
            }
            "minimum" => {
                if value.as_f64().is_some_and(|v| v < rule.as_f64().unwrap()) {
                    out.push(format!("{at}: {value} is under {rule}"));
                }
            }
            k if ANNOTATIONS.contains(&k) => {}
            k => panic!("{at}: the validator does not know `{k}`"),
        }
    }
}

fn has_type(value: &Value, t: &str) -> bool {
    match t {
        "null" => value.is_null(),
        "boolean" => value.is_boolean(),
        "string" => value.is_string(),
        "integer" => value.is_i64() || value.is_u64(),
        "number" => value.is_number(),
        "array" => value.is_array(),
        "object" => value.is_object(),
        other => panic!("unknown type {other}"),
    }
}

/// Asserts that the response to `method path` is documented, status and body, and returns the
/// body (`Value::Null` when there is none).
async fn documented(method: &str, path: &str, res: Response) -> Value {
    let doc = serde_json::to_value(msme_server::openapi()).unwrap();
    let status = res.status().as_u16().to_string();
    let op = &doc["paths"][path][method.to_lowercase()];
    assert!(op.is_object(), "{method} {path} is not documented");
    let answer = &op["responses"][&status];
    assert!(
        answer.is_object(),
        "{method} {path}: {status} is not documented"
    );
    let text = res.text().await.unwrap();
    let Some(schema) = answer["content"]["application/json"].get("schema") else {
        assert!(
            text.is_empty(),
            "{method} {path}: {status} documents no body"
        );
        return Value::Null;
    };
    let body: Value = serde_json::from_str(&text).unwrap();
    let mut out = Vec::new();
    violations(&doc, schema, &body, "$", &mut out);
    assert!(out.is_empty(), "{method} {path} {status}: {out:?}\n{body}");
    body
}

#[tokio::test]
async fn buyer_preferences_answer_what_the_document_says() {
    let app = TestApp::spawn().await;
    let (_, buyer) = app.signed_in("9770000101", "buyer").await;
    let path = "/v1/buyer-preferences";
    let empty = documented("GET", path, app.get_auth(path, &buyer).await).await;
    assert_eq!(empty["updated_at"], Value::Null);
    let prefs = json!({"sectors": ["machinery"], "states": ["MH"], "keywords": ["cnc"],
                       "ticket_max_paise": 9_000_000_000_000i64});
    let res = app.put_auth(path, &buyer, prefs).await;
    assert_eq!(res.status(), StatusCode::OK);
    let saved = documented("PUT", path, res).await;
    assert!(saved["updated_at"].is_string() && saved["buyer_id"].is_string());
    let got = documented("GET", path, app.get_auth(path, &buyer).await).await;
    assert_eq!(got, saved);
    // Requests stay strict: the response's extra fields are not accepted back.
    let res = app.put_auth(path, &buyer, saved).await;
    assert_eq!(res.status(), StatusCode::BAD_REQUEST);
    let err = documented("PUT", path, res).await;
    assert_eq!(err["error"]["code"], "invalid_body");
    app.stop().await;
}

#[test]
fn the_validator_refuses_what_the_schema_forbids() {
    let doc = serde_json::to_value(msme_server::openapi()).unwrap();
    let schema = json!({"$ref": "#/components/schemas/BuyerPreferencesBody"});
    let mut out = Vec::new();
    violations(&doc, &schema, &json!({"sectors": ["x"]}), "$", &mut out);
    assert!(out.is_empty(), "{out:?}");
    violations(
        &doc,
        &schema,
        &json!({"buyer_id": "x", "cities": 3}),
        "$",
        &mut out,
    );
    assert_eq!(out.len(), 2, "{out:?}");
    let schema = json!({"$ref": "#/components/schemas/BuyerPreferencesResponse"});
    let mut out = Vec::new();
    violations(&doc, &schema, &json!({"buyer_id": "x"}), "$", &mut out);
    assert!(
        out.iter().any(|e| e.contains("`updated_at` is missing")),
        "{out:?}"
    );
}

/// The operations of the document, as (method, path, operation).
fn operations(doc: &Value) -> Vec<(String, String, Value)> {
    let mut ops = Vec::new();
    for (path, item) in doc["paths"].as_object().unwrap() {
        for (method, op) in item.as_object().unwrap() {
            ops.push((method.to_uppercase(), path.clone(), op.clone()));
        }
    }
    ops
}

#[test]
fn shared_answers_are_documented_wherever_they_can_come() {
    let doc = serde_json::to_value(msme_server::openapi()).unwrap();
    let limited: Vec<(String, String)> = msme_server::routes::rate_limited()
        .into_iter()
        .map(|r| (r.method.to_string(), r.path.to_string()))
        .collect();
    for (method, path, op) in operations(&doc) {
        let answers = &op["responses"];
        if op.get("requestBody").is_some() {
            for status in ["400", "413", "415"] {
                assert!(answers[status].is_object(), "{method} {path}: no {status}");
            }
        }
        if op["security"][0].get("bearer").is_some() {
            assert!(answers["401"].is_object(), "{method} {path}: no 401");
        }
        if limited.contains(&(method.clone(), path.clone())) {
            let retry = &answers["429"]["headers"]["Retry-After"];
            assert!(
                retry.is_object(),
                "{method} {path}: no 429 with Retry-After"
            );
        }
    }
}

#[tokio::test]
async fn shared_answers_match_the_document() {
    let app = TestApp::spawn().await;
    let (_, buyer) = app.signed_in("9770000102", "buyer").await;
    let url = app.url("/v1/saved-searches");
    // No content type, malformed JSON, a body over the limit, no token.
    let cases = [
        (
            Some("text/plain"),
            "{}".to_string(),
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
        ),
        (
            Some("application/json"),
            "{".to_string(),
            StatusCode::BAD_REQUEST,
        ),
        (
            Some("application/json"),
            format!("{{\"name\": \"{}\"}}", "x".repeat(msme_server::BODY_LIMIT)),
            StatusCode::PAYLOAD_TOO_LARGE,
        ),
        (None, "{}".to_string(), StatusCode::UNAUTHORIZED),
    ];
    for (content_type, body, status) in cases {
        let mut req = app.http.request(Method::POST, &url).body(body);
        if let Some(ct) = content_type {
            req = req.header("content-type", ct).bearer_auth(&buyer);
        }
        let res = req.send().await.unwrap();
        assert_eq!(res.status(), status);
        documented("POST", "/v1/saved-searches", res).await;
    }
    app.stop().await;
}

#[tokio::test]
async fn rate_limited_answers_match_the_document() {
    let limit = msme_server::RateLimit {
        per_second: 0.01,
        burst: 1,
    };
    let app = TestApp::spawn_with(limit).await;
    let body = json!({"mobile": "9770000103", "password": "not the password"});
    let first = app.post("/v1/auth/login", body.clone()).await;
    assert_ne!(first.status(), StatusCode::TOO_MANY_REQUESTS);
    let res = app.post("/v1/auth/login", body).await;
    assert_eq!(res.status(), StatusCode::TOO_MANY_REQUESTS);
    assert!(res.headers().contains_key("retry-after"));
    let body = documented("POST", "/v1/auth/login", res).await;
    assert_eq!(body["error"]["code"], "rate_limited");
    app.stop().await;
}

/// (method, alias, resource path) as the server keeps them.
const ALIASES: [(&str, &str, &str); 3] = [
    ("POST", "/v1/train-model", "/v1/models/training-jobs"),
    (
        "GET",
        "/v1/train-model/{id}",
        "/v1/models/training-jobs/{id}",
    ),
    ("GET", "/v1/model-performance", "/v1/models/performance"),
];

#[test]
fn aliases_are_documented_as_deprecated_copies() {
    assert_eq!(msme_server::routes::ALIASES, ALIASES);
    let doc = serde_json::to_value(msme_server::openapi()).unwrap();
    for (method, alias, resource) in ALIASES {
        let m = method.to_lowercase();
        let (old, new) = (&doc["paths"][alias][&m], &doc["paths"][resource][&m]);
        assert_eq!(old["deprecated"], true, "{method} {alias}");
        assert!(new.get("deprecated").is_none(), "{method} {resource}");
        assert_eq!(old["responses"], new["responses"], "{method} {alias}");
        assert_eq!(old["requestBody"], new["requestBody"], "{method} {alias}");
        assert_ne!(old["operationId"], new["operationId"]);
        let note = format!("Alias of `{method} {resource}`");
        assert!(old["description"].as_str().unwrap().starts_with(&note));
    }
}

#[tokio::test]
async fn model_resource_paths_and_their_aliases_answer_alike() {
    let app = TestApp::spawn().await;
    let admin = app.admin_token("9770000104").await;
    let (_, seller) = app.signed_in("9770000105", "seller").await;
    for path in ["/v1/models/performance", "/v1/model-performance"] {
        let res = app.get_auth(path, &seller).await;
        assert_eq!(res.status(), StatusCode::OK, "{path}");
        let body = documented("GET", path, res).await;
        assert!(body["versions"].is_array(), "{path}");
    }
    let mut jobs = Vec::new();
    for path in ["/v1/models/training-jobs", "/v1/train-model"] {
        let res = app.post_auth(path, &seller, json!({})).await;
        assert_error(res, StatusCode::FORBIDDEN, "forbidden").await;
        let res = app
            .post_auth(path, &admin, json!({"kinds": ["ridge"], "activate": false}))
            .await;
        assert_eq!(res.status(), StatusCode::ACCEPTED, "{path}");
        jobs.push(
            documented("POST", path, res).await["id"]
                .as_str()
                .unwrap()
                .to_string(),
        );
    }
    for job in &jobs {
        for path in ["/v1/models/training-jobs/{id}", "/v1/train-model/{id}"] {
            let res = app.get_auth(&path.replace("{id}", job), &admin).await;
            assert_eq!(res.status(), StatusCode::OK, "{path}");
            assert_eq!(&documented("GET", path, res).await["id"], job.as_str());
        }
    }
    let missing = "/v1/models/training-jobs/01a2516b-f957-7494-bb9f-f1c389d65d8e";
    let res = app.get_auth(missing, &admin).await;
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
    app.stop().await;
}
