//! The route table: every endpoint the API serves, with its method, in one list.
//!
//! The router is built from this list and the OpenAPI test compares the list with the
//! document, so a route cannot be served without being documented, nor the reverse.

pub mod answers;
pub mod auth;
pub mod documents;
pub mod escrows;
pub mod health;
pub mod kyc;
pub mod ledger;
pub mod listing_extras;
pub mod listings;
pub mod matching;
pub mod mfa;
pub mod models;
pub mod paging;
pub mod payments;
pub mod profiles;
pub mod saved_searches;
pub mod search;
pub mod taxonomy;
pub mod users;
pub mod valuation_report;
pub mod valuations;
pub mod workflow;

use axum::extract::DefaultBodyLimit;
use axum::handler::Handler;
use axum::http::{Method, StatusCode};
use axum::routing::{on, MethodFilter, MethodRouter};
use axum::Router;

use msme_core::error::ValidationError;

use crate::error::ApiError;
use crate::AppState;

/// One endpoint: a method on a path, and what handles it.
pub struct Route {
    pub method: Method,
    pub path: &'static str,
    /// Served without a sign-in. Every other route takes a bearer token, and the document
    /// says so from this flag, so the routes open to anyone are the ones marked here.
    pub public: bool,
    handler: MethodRouter<AppState>,
}

impl Route {
    /// Marks this route as served to anyone, signed in or not.
    fn public(mut self) -> Self {
        self.public = true;
        self
    }

    /// Lets this route take bodies up to `bytes` instead of the API-wide limit.
    fn body_limit(mut self, bytes: usize) -> Self {
        self.handler = self.handler.layer(DefaultBodyLimit::max(bytes));
        self
    }
}

/// Parses an id from a path, query or body, naming `field` when it is not one.
pub(crate) fn parse_id<T>(
    raw: &str,
    field: &str,
    parse: impl FnOnce(&str) -> Result<T, ValidationError>,
) -> Result<T, ApiError> {
    parse(raw).map_err(|e| ApiError::from(e).with_field(field))
}

/// 201 for a grant (or other record) made now, 200 for one that already stood.
pub(crate) fn created_or_ok(new: bool) -> StatusCode {
    if new {
        StatusCode::CREATED
    } else {
        StatusCode::OK
    }
}

fn route<H, T>(method: Method, path: &'static str, handler: H) -> Route
where
    H: Handler<T, AppState>,
    T: 'static,
{
    let filter = MethodFilter::try_from(method.clone()).expect("a standard method");
    Route {
        method,
        path,
        public: false,
        handler: on(filter, handler),
    }
}

/// The sign-in endpoints, limited per client IP.
pub fn rate_limited() -> Vec<Route> {
    use Method as M;
    vec![
        route(M::POST, "/v1/auth/register", auth::register).public(),
        route(M::POST, "/v1/auth/send-otp", auth::send_otp).public(),
        route(M::POST, "/v1/auth/verify-otp", auth::verify_otp).public(),
        route(M::POST, "/v1/auth/login", auth::login).public(),
        route(M::POST, "/v1/auth/refresh-token", auth::refresh).public(),
        route(M::POST, "/v1/auth/logout", auth::logout),
        route(M::GET, "/v1/auth/sessions", auth::sessions),
        route(M::DELETE, "/v1/auth/sessions/{id}", auth::revoke_session),
        route(M::POST, "/v1/auth/mfa/enroll", mfa::enroll),
        route(M::POST, "/v1/auth/mfa/verify", mfa::verify),
        route(M::POST, "/v1/auth/mfa/disable", mfa::disable),
    ]
}

/// Everything else the API serves.
pub fn unlimited() -> Vec<Route> {
    use Method as M;
    let routes = vec![
        route(M::GET, "/v1/me", users::me),
        route(M::GET, "/v1/users", users::list),
        route(M::GET, "/v1/users/{id}", users::get),
        route(M::POST, "/v1/users/{id}/disable", users::disable),
        route(M::POST, "/v1/users/{id}/role", users::set_role),
        route(M::GET, "/v1/profiles/me", profiles::mine),
        route(M::PUT, "/v1/profiles/me", profiles::update_mine),
        route(M::GET, "/v1/profiles/{id}", profiles::get),
        route(M::POST, "/v1/kyc", kyc::submit),
        route(M::GET, "/v1/kyc", kyc::list),
        route(M::GET, "/v1/kyc/me", kyc::mine),
        route(M::GET, "/v1/kyc/{user_id}", kyc::get),
        route(M::POST, "/v1/kyc/{user_id}/verify", kyc::verify),
        route(M::POST, "/v1/kyc/{user_id}/reject", kyc::reject),
        route(M::POST, "/v1/documents", documents::upload)
            .body_limit(documents::upload_body_limit()),
        route(M::GET, "/v1/documents", documents::list),
        route(M::GET, "/v1/documents/{id}", documents::get),
        route(M::DELETE, "/v1/documents/{id}", documents::delete),
        route(M::GET, "/v1/documents/{id}/content", documents::content),
    ]
    .into_iter()
    .chain(listing_routes())
    .chain(money_routes())
    .chain(matching_routes())
    .chain([
        route(M::GET, "/health", health::overall).public(),
        route(M::GET, "/health/{module}", health::module).public(),
    ])
    .collect();
    with_aliases(routes)
}

/// Listings, what hangs off them (valuations too), and their vocabularies.
fn listing_routes() -> Vec<Route> {
    use listing_extras as x;
    use Method as M;
    vec![
        route(M::GET, "/v1/industries", taxonomy::industries).public(),
        route(M::GET, "/v1/states", taxonomy::states).public(),
        route(M::GET, "/v1/listings", listings::list),
        route(M::POST, "/v1/listings", listings::create),
        route(M::GET, "/v1/listings/{id}", listings::get),
        route(M::PUT, "/v1/listings/{id}", listings::update),
        route(M::DELETE, "/v1/listings/{id}", workflow::delete),
        route(M::POST, "/v1/listings/{id}/submit", workflow::submit),
        route(M::POST, "/v1/listings/{id}/approve", workflow::approve),
        route(M::POST, "/v1/listings/{id}/reject", workflow::reject),
        route(M::POST, "/v1/listings/{id}/publish", workflow::publish),
        route(M::POST, "/v1/listings/{id}/withdraw", workflow::withdraw),
        route(M::GET, "/v1/listings/{id}/assets", x::assets),
        route(M::POST, "/v1/listings/{id}/assets", x::add_asset),
        route(
            M::DELETE,
            "/v1/listings/{id}/assets/{asset_id}",
            x::remove_asset,
        ),
        route(M::GET, "/v1/listings/{id}/images", x::images),
        route(M::GET, "/v1/listings/{id}/documents", x::documents),
        route(M::POST, "/v1/search", search::search),
        route(M::GET, "/v1/listings/{id}/access", x::access),
        route(M::POST, "/v1/listings/{id}/access", x::grant),
        route(M::DELETE, "/v1/listings/{id}/access/{buyer_id}", x::revoke),
        route(
            M::GET,
            "/v1/listings/{id}/valuations",
            valuations::of_listing,
        ),
        route(M::POST, "/v1/valuations", valuations::create),
        route(M::GET, "/v1/valuations/{id}", valuations::get),
        route(
            M::GET,
            "/v1/valuations/{id}/report",
            valuation_report::report,
        ),
        route(M::POST, "/v1/models/training-jobs", models::train),
        route(M::GET, "/v1/models/training-jobs/{id}", models::job),
        route(M::GET, "/v1/models/performance", models::performance),
    ]
}

/// Paths kept from the seed beside the resource paths that replaced them: (method, alias,
/// resource path). Each serves what its resource path serves, and the document shows it as a
/// deprecated copy of that operation.
pub const ALIASES: &[(&str, &str, &str)] = &[
    ("POST", "/v1/train-model", "/v1/models/training-jobs"),
    (
        "GET",
        "/v1/train-model/{id}",
        "/v1/models/training-jobs/{id}",
    ),
    ("GET", "/v1/model-performance", "/v1/models/performance"),
];

/// `routes` and, for each of [`ALIASES`], a copy of its resource path's route on the alias.
fn with_aliases(routes: Vec<Route>) -> Vec<Route> {
    let copies: Vec<Route> = ALIASES
        .iter()
        .map(|&(method, alias, resource)| {
            let of = routes
                .iter()
                .find(|r| r.method == method && r.path == resource)
                .unwrap_or_else(|| panic!("{method} {resource} is served"));
            Route {
                method: of.method.clone(),
                path: alias,
                public: of.public,
                handler: of.handler.clone(),
            }
        })
        .collect();
    routes.into_iter().chain(copies).collect()
}

/// Escrows, payments, gateway webhooks, statements and payouts.
fn money_routes() -> Vec<Route> {
    use Method as M;
    vec![
        route(M::POST, "/v1/escrows", escrows::create),
        route(M::GET, "/v1/escrows", escrows::list),
        route(M::GET, "/v1/escrows/{id}", escrows::get),
        route(M::POST, "/v1/escrows/{id}/fund", escrows::fund),
        route(M::POST, "/v1/escrows/{id}/release", escrows::release),
        route(M::POST, "/v1/escrows/{id}/refund", escrows::refund),
        route(M::POST, "/v1/escrows/{id}/dispute", escrows::dispute),
        route(M::POST, "/v1/escrows/{id}/resolve", escrows::resolve),
        route(M::POST, "/v1/escrows/{id}/cancel", escrows::cancel),
        route(
            M::POST,
            "/v1/payments/bank-transfers",
            payments::confirm_bank_transfer,
        ),
        route(M::GET, "/v1/payments", payments::list),
        route(M::GET, "/v1/payments/{id}", payments::get),
        route(M::POST, "/v1/webhooks/{gateway}", payments::webhook).public(),
        route(M::GET, "/v1/ledger/accounts/{account}", ledger::statement),
        route(M::GET, "/v1/ledger/verify", ledger::verify),
        route(M::GET, "/v1/payouts", ledger::payouts),
        route(M::POST, "/v1/payouts/run", ledger::run_payouts),
    ]
}

/// Buyer preferences, saved searches, agent grants, interactions and matches.
fn matching_routes() -> Vec<Route> {
    use matching as m;
    use saved_searches as s;
    use Method as M;
    vec![
        route(M::GET, "/v1/buyer-preferences", m::preferences),
        route(M::PUT, "/v1/buyer-preferences", m::set_preferences),
        route(M::GET, "/v1/saved-searches", s::list),
        route(M::POST, "/v1/saved-searches", s::create),
        route(M::GET, "/v1/saved-searches/{id}", s::get),
        route(M::PUT, "/v1/saved-searches/{id}", s::update),
        route(M::DELETE, "/v1/saved-searches/{id}", s::delete),
        route(M::POST, "/v1/saved-searches/{id}/run", s::run),
        route(M::GET, "/v1/agent-grants", m::agent_grants),
        route(M::POST, "/v1/agent-grants", m::grant_agent),
        route(M::DELETE, "/v1/agent-grants/{agent_id}", m::revoke_agent),
        route(M::POST, "/v1/interactions", m::record_interaction),
        route(M::POST, "/v1/matchmaking", m::rank),
        route(M::GET, "/v1/matches/{buyer_id}", m::matches),
    ]
}

/// A router serving `routes`.
pub fn build(routes: Vec<Route>) -> Router<AppState> {
    routes
        .into_iter()
        .fold(Router::new(), |r, route| r.route(route.path, route.handler))
}
