//! Requests to a [`TestApp`]: answered as `reqwest::Response`s, for tests that look at
//! statuses and headers, or through [`TestApp::api`] as (status, JSON) pairs, for stories.

use reqwest::{RequestBuilder, Response, StatusCode};
use serde_json::Value;

use crate::server::TestApp;

impl TestApp {
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// GETs `path` with no token.
    pub async fn get(&self, path: &str) -> Response {
        send(self.http.get(self.url(path))).await
    }

    pub async fn post(&self, path: &str, body: Value) -> Response {
        send(self.http.post(self.url(path)).json(&body)).await
    }

    pub async fn get_auth(&self, path: &str, token: &str) -> Response {
        send(self.http.get(self.url(path)).bearer_auth(token)).await
    }

    pub async fn post_auth(&self, path: &str, token: &str, body: Value) -> Response {
        let req = self.http.post(self.url(path)).bearer_auth(token);
        send(req.json(&body)).await
    }

    /// A POST that moves money, with its `Idempotency-Key` when there is one.
    pub async fn post_keyed(
        &self,
        path: &str,
        token: &str,
        key: Option<&str>,
        body: Value,
    ) -> Response {
        let mut req = self.http.post(self.url(path)).bearer_auth(token);
        if let Some(key) = key {
            req = req.header("Idempotency-Key", key);
        }
        send(req.json(&body)).await
    }

    pub async fn put_auth(&self, path: &str, token: &str, body: Value) -> Response {
        let req = self.http.put(self.url(path)).bearer_auth(token);
        send(req.json(&body)).await
    }

    pub async fn delete_auth(&self, path: &str, token: &str) -> Response {
        send(self.http.delete(self.url(path)).bearer_auth(token)).await
    }

    /// GETs `path` and returns the JSON of a 200.
    pub async fn json_ok(&self, path: &str, token: &str) -> Value {
        let res = self.get_auth(path, token).await;
        assert_eq!(res.status(), StatusCode::OK, "GET {path}");
        res.json().await.expect("JSON body")
    }

    /// Uploads a file as multipart form data.
    pub async fn upload(
        &self,
        token: &str,
        file: (&str, Vec<u8>),
        fields: &[(&str, &str)],
    ) -> Response {
        let part = reqwest::multipart::Part::bytes(file.1).file_name(file.0.to_string());
        let mut form = reqwest::multipart::Form::new().part("file", part);
        for (name, value) in fields {
            form = form.text(name.to_string(), value.to_string());
        }
        let req = self.http.post(self.url("/v1/documents")).bearer_auth(token);
        send(req.multipart(form)).await
    }

    /// The same requests, answered as (status, JSON body).
    pub fn api(&self) -> Api<'_> {
        Api(self)
    }
}

/// Requests answered as their status and JSON body (`null` when the body is not JSON).
#[derive(Clone, Copy)]
pub struct Api<'a>(&'a TestApp);

impl Api<'_> {
    pub async fn post(&self, path: &str, body: Value) -> (u16, Value) {
        answer(self.0.post(path, body).await).await
    }

    pub async fn post_auth(&self, path: &str, token: &str, body: Value) -> (u16, Value) {
        answer(self.0.post_auth(path, token, body).await).await
    }

    /// A POST that moves money: with its `Idempotency-Key`.
    pub async fn post_keyed(
        &self,
        path: &str,
        token: &str,
        key: &str,
        body: Value,
    ) -> (u16, Value) {
        answer(self.0.post_keyed(path, token, Some(key), body).await).await
    }

    pub async fn put_auth(&self, path: &str, token: &str, body: Value) -> (u16, Value) {
        answer(self.0.put_auth(path, token, body).await).await
    }

    pub async fn get(&self, path: &str, token: &str) -> (u16, Value) {
        answer(self.0.get_auth(path, token).await).await
    }
}

async fn send(req: RequestBuilder) -> Response {
    req.send().await.expect("request")
}

/// A response's status and JSON body (`null` when the body is not JSON).
pub async fn answer(res: Response) -> (u16, Value) {
    let status = res.status().as_u16();
    (status, res.json().await.unwrap_or(Value::Null))
}

/// Asserts the JSON error shape, the status and the stable code.
pub async fn assert_error(res: Response, status: StatusCode, code: &str) {
    assert_eq!(error_code(res, status).await, code);
}

/// Asserts the status and returns the error's code and the field it names ("" for none).
pub async fn error_of(res: Response, status: StatusCode) -> (String, String) {
    assert_eq!(res.status(), status);
    let body: Value = res.json().await.unwrap();
    let e = &body["error"];
    (
        e["code"].as_str().expect("error.code").into(),
        e["field"].as_str().unwrap_or("").into(),
    )
}

/// Asserts a 400 in the JSON error shape and returns the field it names.
pub async fn error_field(res: Response) -> String {
    assert_eq!(res.status(), StatusCode::BAD_REQUEST);
    let body: Value = res.json().await.unwrap();
    body["error"]["field"]
        .as_str()
        .expect("error.field")
        .to_string()
}

/// Asserts the JSON error shape and returns the code.
pub async fn error_code(res: Response, status: StatusCode) -> String {
    assert_eq!(res.status(), status);
    let ct = res.headers()["content-type"].to_str().unwrap().to_string();
    assert!(ct.starts_with("application/json"), "content-type {ct}");
    let body: Value = res.json().await.unwrap();
    body["error"]["code"]
        .as_str()
        .expect("error.code")
        .to_string()
}
