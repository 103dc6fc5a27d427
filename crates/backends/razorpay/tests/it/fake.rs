//! A stand-in for Razorpay's API on a local port: it checks what Razorpay documents (basic
//! auth with the key id and secret, JSON bodies in paise, the `X-Payout-Idempotency` header on
//! payouts) and answers as Razorpay does, its error bodies included.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use base64::Engine;
use serde_json::{json, Value};

pub const KEY_ID: &str = "rzp_test_1DP5mmOlF5G5ag";
pub const KEY_SECRET: &str = "thisisa-test-secret-not-real";

/// One request as Razorpay saw it.
#[derive(Clone, Debug)]
pub struct Seen {
    pub method: String,
    pub path: String,
    pub headers: HeaderMap,
    pub body: Value,
}

#[derive(Default)]
pub struct Books {
    pub orders: Vec<Value>,
    pub payments: BTreeMap<String, Value>,
    pub contacts: Vec<Value>,
    pub fund_accounts: Vec<Value>,
    pub payouts: BTreeMap<String, Value>,
    /// Payout idempotency key → (request body, payout id).
    pub payout_keys: BTreeMap<String, (Value, String)>,
    pub seen: Vec<Seen>,
    /// Every answer waits this long (for timeouts).
    pub delay: Duration,
}

pub type Shared = Arc<Mutex<Books>>;

pub struct FakeRazorpay {
    pub base_url: String,
    pub books: Shared,
}

/// Razorpay's error body.
fn error(status: StatusCode, description: &str, field: Option<&str>) -> Response {
    let body = json!({"error": {"code": "BAD_REQUEST_ERROR", "description": description,
        "source": "business", "step": null, "reason": "input_validation_failed", "metadata": {},
        "field": field}});
    (status, Json(body)).into_response()
}

fn collection(items: Vec<Value>) -> Response {
    Json(json!({"entity": "collection", "count": items.len(), "items": items})).into_response()
}

/// A list endpoint's answer: the entries whose `field` is the query's value of it, all of them
/// when the query does not name it.
fn filtered(entries: &[Value], q: &BTreeMap<String, String>, field: &str) -> Response {
    let wanted = |e: &&Value| q.get(field).is_none_or(|v| e[field] == *v);
    collection(entries.iter().filter(wanted).cloned().collect())
}

/// Basic auth as Razorpay documents it: `key_id:key_secret`.
fn authorised(headers: &HeaderMap) -> bool {
    let expected =
        base64::engine::general_purpose::STANDARD.encode(format!("{KEY_ID}:{KEY_SECRET}"));
    headers.get("authorization").and_then(|v| v.to_str().ok()) == Some(&format!("Basic {expected}"))
}

async fn gate(
    books: &Shared,
    method: &str,
    path: String,
    headers: &HeaderMap,
    body: &Value,
) -> Option<Response> {
    let delay = {
        let mut b = books.lock().unwrap();
        b.seen.push(Seen {
            method: method.into(),
            path,
            headers: headers.clone(),
            body: body.clone(),
        });
        b.delay
    };
    tokio::time::sleep(delay).await;
    if !authorised(headers) {
        return Some(error(
            StatusCode::UNAUTHORIZED,
            "The api key provided is invalid",
            None,
        ));
    }
    if method == "POST"
        && headers.get("content-type").and_then(|v| v.to_str().ok()) != Some("application/json")
    {
        return Some(error(
            StatusCode::BAD_REQUEST,
            "content type must be JSON",
            None,
        ));
    }
    None
}

async fn create_order(State(b): State<Shared>, h: HeaderMap, Json(body): Json<Value>) -> Response {
    if let Some(r) = gate(&b, "POST", "/v1/orders".into(), &h, &body).await {
        return r;
    }
    let amount = body["amount"].as_i64().unwrap_or(0);
    if amount < 100 || body["currency"] != "INR" {
        return error(
            StatusCode::BAD_REQUEST,
            "The amount must be atleast INR 1.00",
            Some("amount"),
        );
    }
    let mut books = b.lock().unwrap();
    let id = format!("order_{:014}", books.orders.len() + 1);
    let order = json!({"id": id, "entity": "order", "amount": amount, "amount_paid": 0,
        "amount_due": amount, "currency": "INR", "receipt": body["receipt"], "status": "created",
        "attempts": 0, "notes": body["notes"], "created_at": 1_700_000_000});
    books.orders.push(order.clone());
    Json(order).into_response()
}

async fn list_orders(
    State(b): State<Shared>,
    h: HeaderMap,
    Query(q): Query<BTreeMap<String, String>>,
) -> Response {
    if let Some(r) = gate(&b, "GET", "/v1/orders".into(), &h, &json!(q)).await {
        return r;
    }
    let books = b.lock().unwrap();
    filtered(&books.orders, &q, "receipt")
}

async fn order_payments(State(b): State<Shared>, h: HeaderMap, Path(id): Path<String>) -> Response {
    if let Some(r) = gate(
        &b,
        "GET",
        format!("/v1/orders/{id}/payments"),
        &h,
        &Value::Null,
    )
    .await
    {
        return r;
    }
    let books = b.lock().unwrap();
    collection(
        books
            .payments
            .values()
            .filter(|p| p["order_id"] == id)
            .cloned()
            .collect(),
    )
}

async fn get_payment(State(b): State<Shared>, h: HeaderMap, Path(id): Path<String>) -> Response {
    if let Some(r) = gate(&b, "GET", format!("/v1/payments/{id}"), &h, &Value::Null).await {
        return r;
    }
    match b.lock().unwrap().payments.get(&id) {
        Some(p) => Json(p.clone()).into_response(),
        None => error(
            StatusCode::BAD_REQUEST,
            "The id provided does not exist",
            Some("id"),
        ),
    }
}

async fn capture(
    State(b): State<Shared>,
    h: HeaderMap,
    Path(id): Path<String>,
    Json(body): Json<Value>,
) -> Response {
    if let Some(r) = gate(&b, "POST", format!("/v1/payments/{id}/capture"), &h, &body).await {
        return r;
    }
    let mut books = b.lock().unwrap();
    let Some(p) = books.payments.get_mut(&id) else {
        return error(
            StatusCode::BAD_REQUEST,
            "The id provided does not exist",
            Some("id"),
        );
    };
    if p["status"] == "captured" {
        return error(
            StatusCode::BAD_REQUEST,
            "This payment has already been captured",
            None,
        );
    }
    if body["amount"] != p["amount"] || body["currency"] != "INR" {
        return error(
            StatusCode::BAD_REQUEST,
            "Capture amount must be equal to the amount authorized",
            Some("amount"),
        );
    }
    p["status"] = json!("captured");
    p["captured"] = json!(true);
    Json(p.clone()).into_response()
}

async fn contacts(
    State(b): State<Shared>,
    h: HeaderMap,
    Query(q): Query<BTreeMap<String, String>>,
) -> Response {
    if let Some(r) = gate(&b, "GET", "/v1/contacts".into(), &h, &json!(q)).await {
        return r;
    }
    let books = b.lock().unwrap();
    filtered(&books.contacts, &q, "reference_id")
}

async fn fund_accounts(
    State(b): State<Shared>,
    h: HeaderMap,
    Query(q): Query<BTreeMap<String, String>>,
) -> Response {
    if let Some(r) = gate(&b, "GET", "/v1/fund_accounts".into(), &h, &json!(q)).await {
        return r;
    }
    let books = b.lock().unwrap();
    filtered(&books.fund_accounts, &q, "contact_id")
}

fn valid_idempotency_key(k: &str) -> bool {
    (4..=36).contains(&k.len())
        && k.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"-_ ".contains(&b))
}

async fn create_payout(State(b): State<Shared>, h: HeaderMap, Json(body): Json<Value>) -> Response {
    if let Some(r) = gate(&b, "POST", "/v1/payouts".into(), &h, &body).await {
        return r;
    }
    let Some(key) = h
        .get("x-payout-idempotency")
        .and_then(|v| v.to_str().ok())
        .map(str::to_string)
    else {
        return error(
            StatusCode::BAD_REQUEST,
            "Idempotency key is missing. Include idempotency header and key in the request.",
            Some("X-Payout-Idempotency"),
        );
    };
    if !valid_idempotency_key(&key) {
        return error(
            StatusCode::BAD_REQUEST,
            "The idempotency key is invalid",
            Some("X-Payout-Idempotency"),
        );
    }
    let mut books = b.lock().unwrap();
    if let Some((first, id)) = books.payout_keys.get(&key).cloned() {
        if first != body {
            return error(
                StatusCode::BAD_REQUEST,
                "Different request body sent for the same idempotency key",
                None,
            );
        }
        return Json(books.payouts[&id].clone()).into_response();
    }
    for field in ["account_number", "fund_account_id", "mode", "purpose"] {
        if !body[field].is_string() {
            return error(
                StatusCode::BAD_REQUEST,
                &format!("The {field} field is required."),
                Some(field),
            );
        }
    }
    let id = format!("pout_{:014}", books.payouts.len() + 1);
    let payout = json!({"id": id, "entity": "payout", "fund_account_id": body["fund_account_id"],
        "amount": body["amount"], "currency": "INR", "notes": body["notes"], "fees": 0, "tax": 0,
        "status": "queued", "utr": null, "mode": body["mode"], "purpose": body["purpose"],
        "reference_id": body["reference_id"], "narration": body["narration"], "batch_id": null,
        "status_details": null, "created_at": 1_700_000_000});
    books.payout_keys.insert(key, (body, id.clone()));
    books.payouts.insert(id, payout.clone());
    Json(payout).into_response()
}

async fn get_payout(State(b): State<Shared>, h: HeaderMap, Path(id): Path<String>) -> Response {
    if let Some(r) = gate(&b, "GET", format!("/v1/payouts/{id}"), &h, &Value::Null).await {
        return r;
    }
    match b.lock().unwrap().payouts.get(&id) {
        Some(p) => Json(p.clone()).into_response(),
        None => error(
            StatusCode::NOT_FOUND,
            "The requested URL was not found on the server.",
            None,
        ),
    }
}

impl FakeRazorpay {
    pub async fn start() -> Self {
        let books: Shared = Arc::default();
        let app = Router::new()
            .route("/v1/orders", post(create_order).get(list_orders))
            .route("/v1/orders/{id}/payments", get(order_payments))
            .route("/v1/payments/{id}", get(get_payment))
            .route("/v1/payments/{id}/capture", post(capture))
            .route("/v1/contacts", get(contacts))
            .route("/v1/fund_accounts", get(fund_accounts))
            .route("/v1/payouts", post(create_payout))
            .route("/v1/payouts/{id}", get(get_payout))
            .with_state(books.clone());
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
        Self {
            base_url: format!("http://{addr}"),
            books,
        }
    }

    /// The payer pays `order` in Checkout: an authorised payment appears on it.
    pub fn pay(&self, order: &str) -> String {
        let mut b = self.books.lock().unwrap();
        let amount = b.orders.iter().find(|o| o["id"] == order).unwrap()["amount"].clone();
        let id = format!("pay_{:014}", b.payments.len() + 1);
        let p = json!({"id": id, "entity": "payment", "amount": amount, "currency": "INR",
            "status": "authorized", "order_id": order, "method": "upi", "captured": false,
            "error_code": null, "error_description": null});
        b.payments.insert(id.clone(), p);
        id
    }

    /// A payee's bank account in RazorpayX, under a contact whose reference is `user`.
    pub fn add_payee(&self, user: &str) {
        let mut b = self.books.lock().unwrap();
        let contact = format!("cont_{:014}", b.contacts.len() + 1);
        b.contacts.push(
            json!({"id": contact, "entity": "contact", "name": "Asha Rao",
            "type": "vendor", "reference_id": user, "active": true}),
        );
        let fa = format!("fa_{:014}", b.fund_accounts.len() + 1);
        b.fund_accounts.push(
            json!({"id": fa, "entity": "fund_account", "contact_id": contact,
            "account_type": "bank_account", "bank_account": {"ifsc": "HDFC0000053",
            "bank_name": "HDFC Bank", "name": "Asha Rao", "account_number": "765432123456789"},
            "active": true}),
        );
    }

    pub fn set_payout_status(&self, id: &str, status: &str) {
        let mut b = self.books.lock().unwrap();
        b.payouts.get_mut(id).unwrap()["status"] = json!(status);
    }

    pub fn seen(&self, method: &str, path: &str) -> Vec<Seen> {
        let b = self.books.lock().unwrap();
        b.seen
            .iter()
            .filter(|s| s.method == method && s.path == path)
            .cloned()
            .collect()
    }
}
