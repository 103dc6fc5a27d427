//! What the handlers' annotations leave out: the answers that come from the shared extractors
//! and layers rather than from a handler, and the deprecated alias paths.
//!
//! Each is added where the server can give it, from the same facts the server acts on (the
//! operation takes a body, a bearer token, parameters; the route is in the rate-limited list),
//! so the document cannot forget one for a new operation. A status an operation documents
//! itself keeps its own description.

use utoipa::openapi::header::HeaderBuilder;
use utoipa::openapi::path::{Operation, PathItem};
use utoipa::openapi::schema::{ObjectBuilder, Type};
use utoipa::openapi::security::SecurityRequirement;
use utoipa::openapi::{Content, Deprecated, OpenApi, Ref, RefOr, Response, ResponseBuilder};
use utoipa::Modify;

use crate::routes;

/// Adds 400/413/415 (a body), 400 (parameters), 401 (a bearer token) and 429 (rate limited).
pub struct SharedResponses;

impl Modify for SharedResponses {
    fn modify(&self, doc: &mut OpenApi) {
        let limited: Vec<(String, &str)> = routes::rate_limited()
            .into_iter()
            .map(|r| (r.method.to_string(), r.path))
            .collect();
        for (path, method, op) in each_operation(doc) {
            let limited = limited.iter().any(|(m, p)| m == method && *p == path);
            add_shared(op, limited);
        }
    }
}

fn add_shared(op: &mut Operation, rate_limited: bool) {
    if let Some(bad_request) = bad_request(op) {
        add(op, "400", &bad_request);
    }
    if op.request_body.is_some() {
        add(op, "413", "The body is too large");
        add(op, "415", "The body is not of the documented content type");
    }
    let bearer = SecurityRequirement::new("bearer", Vec::<String>::new());
    if op.security.as_ref().is_some_and(|s| s.contains(&bearer)) {
        add(op, "401", "No valid access token");
    }
    if rate_limited {
        add_rate_limited(op);
    }
}

/// What makes a request to `op` a 400 before its handler runs: a body that does not parse, a
/// parameter that does not (named, so a client sees which).
fn bad_request(op: &Operation) -> Option<String> {
    let body = op.request_body.is_some();
    let params = op.parameters.as_ref().filter(|p| !p.is_empty());
    let names = params.map(|p| {
        let names: Vec<String> = p.iter().map(|p| format!("`{}`", p.name)).collect();
        names.join(", ")
    });
    let body_bad = "The body is malformed or not of the documented shape";
    match (body, names) {
        (false, None) => None,
        (true, None) => Some(body_bad.to_string()),
        (false, Some(n)) => Some(format!("A parameter is missing or invalid: {n}")),
        (true, Some(n)) => Some(format!(
            "{body_bad}, or a parameter is missing or invalid: {n}"
        )),
    }
}

/// Documents each of [`routes::ALIASES`] as a deprecated copy of the operation it stands for.
pub struct DeprecatedAliases;

impl Modify for DeprecatedAliases {
    fn modify(&self, doc: &mut OpenApi) {
        for &(method, alias, resource) in routes::ALIASES {
            let mut op = doc
                .paths
                .paths
                .get_mut(resource)
                .and_then(|item| operation(item, method).clone())
                .unwrap_or_else(|| panic!("{method} {resource} is documented"));
            op.deprecated = Some(Deprecated::True);
            op.operation_id = op.operation_id.map(|id| format!("{id}_alias"));
            let note = format!("Alias of `{method} {resource}`, kept for existing clients.");
            op.description = Some(match op.description {
                Some(d) => format!("{note}\n\n{d}"),
                None => note,
            });
            let item = doc.paths.paths.entry(alias.to_string()).or_default();
            *operation(item, method) = Some(op);
        }
    }
}

/// Every operation of the document, with its path and method.
pub(super) fn each_operation(
    doc: &mut OpenApi,
) -> impl Iterator<Item = (&str, &'static str, &mut Operation)> {
    doc.paths.paths.iter_mut().flat_map(|(path, item)| {
        operations(item)
            .into_iter()
            .filter_map(move |(method, op)| op.as_mut().map(|op| (path.as_str(), method, op)))
    })
}

/// Every method slot of a path item, by method name.
fn operations(item: &mut PathItem) -> [(&'static str, &mut Option<Operation>); 8] {
    [
        ("GET", &mut item.get),
        ("PUT", &mut item.put),
        ("POST", &mut item.post),
        ("DELETE", &mut item.delete),
        ("OPTIONS", &mut item.options),
        ("HEAD", &mut item.head),
        ("PATCH", &mut item.patch),
        ("TRACE", &mut item.trace),
    ]
}

fn operation<'a>(item: &'a mut PathItem, method: &str) -> &'a mut Option<Operation> {
    operations(item)
        .into_iter()
        .find_map(|(m, op)| (m == method).then_some(op))
        .unwrap_or_else(|| panic!("{method} is a standard method"))
}

fn error_response(description: &str) -> ResponseBuilder {
    let body = Content::new(Some(Ref::from_schema_name("ErrorBody")));
    ResponseBuilder::new()
        .description(description)
        .content("application/json", body)
}

/// Adds the answer `status` unless the operation documents it already.
fn add(op: &mut Operation, status: &str, description: &str) {
    insert(op, status, error_response(description).build());
}

/// Adds 429 with its `Retry-After`, or the header to a 429 the operation documents itself.
fn add_rate_limited(op: &mut Operation) {
    let retry_after = HeaderBuilder::new()
        .schema(ObjectBuilder::new().schema_type(Type::Integer))
        .description(Some("Seconds to wait before trying again"))
        .build();
    insert(
        op,
        "429",
        error_response("Too many requests from this client; wait `Retry-After` seconds").build(),
    );
    if let Some(RefOr::T(response)) = op.responses.responses.get_mut("429") {
        response
            .headers
            .entry("Retry-After".to_string())
            .or_insert(retry_after);
    }
}

fn insert(op: &mut Operation, status: &str, response: Response) {
    op.responses
        .responses
        .entry(status.to_string())
        .or_insert(RefOr::T(response));
}
