//! Request ids: taken from `x-request-id` when the client sent a sane one, made otherwise,
//! stored as a request extension (for spans and the audit trail) and echoed in the response.

use axum::extract::Request;
use axum::http::{HeaderName, HeaderValue};
use axum::middleware::Next;
use axum::response::Response;

/// The header that carries the id both ways.
pub const REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");

/// The id of the request being handled.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RequestId(pub String);

/// Ids end up in logs and the audit trail: accept only short, plain ones from clients.
fn acceptable(id: &str) -> bool {
    (1..=128).contains(&id.len())
        && id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b':'))
}

/// The client's id if acceptable, else a fresh UUIDv7.
fn pick(given: Option<&HeaderValue>) -> String {
    given
        .and_then(|v| v.to_str().ok())
        .filter(|id| acceptable(id))
        .map(str::to_string)
        .unwrap_or_else(|| uuid::Uuid::now_v7().to_string())
}

/// Middleware: assigns the id before anything else sees the request.
pub async fn assign(mut req: Request, next: Next) -> Response {
    let id = pick(req.headers().get(&REQUEST_ID));
    let value = HeaderValue::from_str(&id).expect("ids are plain ASCII");
    req.headers_mut().insert(REQUEST_ID, value.clone());
    req.extensions_mut().insert(RequestId(id));
    let mut res = next.run(req).await;
    res.headers_mut().insert(REQUEST_ID, value);
    res
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sane_client_ids_are_kept() {
        let v = HeaderValue::from_static("req-42.a:b_c");
        assert_eq!(pick(Some(&v)), "req-42.a:b_c");
    }

    #[test]
    fn missing_or_odd_ids_are_replaced() {
        let made = pick(None);
        assert!(uuid::Uuid::try_parse(&made).is_ok());
        let odd = HeaderValue::from_static("has spaces and \"quotes\"");
        assert_ne!(pick(Some(&odd)), "has spaces and \"quotes\"");
        let long = HeaderValue::from_str(&"x".repeat(200)).unwrap();
        assert_eq!(pick(Some(&long)).len(), 36);
    }
}
