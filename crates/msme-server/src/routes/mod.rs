//! The route table: every endpoint the API serves, with its method, in one list.
//!
//! The router is built from this list and the OpenAPI test compares the list with the
//! document, so a route cannot be served without being documented, nor the reverse.

pub mod auth;
pub mod health;
pub mod mfa;
pub mod users;

use axum::handler::Handler;
use axum::http::Method;
use axum::routing::{on, MethodFilter, MethodRouter};
use axum::Router;

use crate::AppState;

/// One endpoint: a method on a path, and what handles it.
pub struct Route {
    pub method: Method,
    pub path: &'static str,
    handler: MethodRouter<AppState>,
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
        handler: on(filter, handler),
    }
}

/// The sign-in endpoints, limited per client IP.
pub fn rate_limited() -> Vec<Route> {
    use Method as M;
    vec![
        route(M::POST, "/v1/auth/register", auth::register),
        route(M::POST, "/v1/auth/send-otp", auth::send_otp),
        route(M::POST, "/v1/auth/verify-otp", auth::verify_otp),
        route(M::POST, "/v1/auth/login", auth::login),
        route(M::POST, "/v1/auth/refresh-token", auth::refresh),
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
    vec![
        route(M::GET, "/v1/me", users::me),
        route(M::GET, "/v1/users", users::list),
        route(M::GET, "/v1/users/{id}", users::get),
        route(M::POST, "/v1/users/{id}/disable", users::disable),
        route(M::POST, "/v1/users/{id}/role", users::set_role),
        route(M::GET, "/health", health::overall),
        route(M::GET, "/health/{module}", health::module),
    ]
}

/// A router serving `routes`.
pub fn build(routes: Vec<Route>) -> Router<AppState> {
    routes
        .into_iter()
        .fold(Router::new(), |r, route| r.route(route.path, route.handler))
}
