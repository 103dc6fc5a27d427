//! The OpenAPI 3 document, generated from the handlers' annotations and the wire types.

use utoipa::openapi::security::{Http, HttpAuthScheme, SecurityRequirement, SecurityScheme};
use utoipa::{Modify, OpenApi};

use crate::routes;
use crate::routes::valuation_report;
use crate::routes::{
    auth, documents, escrows, health, kyc, ledger, listing_extras, listings, matching, mfa, models,
    payments, profiles, saved_searches, search, taxonomy, users, valuations, workflow,
};
use crate::wire;

mod shared;

use shared::{DeprecatedAliases, SharedResponses};

/// Declares the `bearer` scheme, and requires it of every operation but the routes marked
/// [`routes::Route::public`].
struct BearerAuth;

impl Modify for BearerAuth {
    fn modify(&self, doc: &mut utoipa::openapi::OpenApi) {
        let components = doc.components.get_or_insert_with(Default::default);
        let mut http = Http::new(HttpAuthScheme::Bearer);
        http.bearer_format = Some("JWT".to_string());
        components.add_security_scheme("bearer", SecurityScheme::Http(http));
        let public: Vec<(String, &str)> = routes::rate_limited()
            .into_iter()
            .chain(routes::unlimited())
            .filter(|r| r.public)
            .map(|r| (r.method.to_string(), r.path))
            .collect();
        let bearer = SecurityRequirement::new("bearer", Vec::<String>::new());
        for (path, method, op) in shared::each_operation(doc) {
            if !public.iter().any(|(m, p)| m == method && *p == path) {
                op.security = Some(vec![bearer.clone()]);
            }
        }
    }
}

#[derive(OpenApi)]
#[openapi(
    info(
        title = "MSME Exchange API",
        description = "The MSME Exchange, a marketplace where Indian \
            MSMEs are bought and sold. JSON in snake_case; ids are strings; times are RFC 3339 \
            UTC; lists are `{\"items\": [...], \"next_cursor\": ...}`; errors are \
            `{\"error\": {\"code\", \"message\", \"field\"}}`."
    ),
    paths(
        auth::register, auth::send_otp, auth::verify_otp, auth::login, auth::refresh,
        auth::logout, auth::sessions, auth::revoke_session,
        mfa::enroll, mfa::verify, mfa::disable,
        users::me, users::list, users::get, users::disable, users::set_role,
        profiles::mine, profiles::update_mine, profiles::get,
        kyc::submit, kyc::list, kyc::mine, kyc::get, kyc::verify, kyc::reject,
        documents::upload, documents::list, documents::get, documents::content,
        documents::delete,
        taxonomy::industries, taxonomy::states,
        listings::list, listings::create, listings::get, listings::update,
        workflow::delete, workflow::submit, workflow::approve, workflow::reject,
        workflow::publish, workflow::withdraw,
        listing_extras::assets, listing_extras::add_asset, listing_extras::remove_asset,
        listing_extras::images, listing_extras::documents, listing_extras::access,
        listing_extras::grant, listing_extras::revoke,
        valuations::create, valuations::get, valuations::of_listing,
        valuation_report::report,
        models::train, models::job, models::performance,
        search::search,
        escrows::create, escrows::list, escrows::get, escrows::fund, escrows::release,
        escrows::refund, escrows::dispute, escrows::resolve, escrows::cancel,
        payments::confirm_bank_transfer, payments::list, payments::get, payments::webhook,
        ledger::statement, ledger::verify, ledger::payouts, ledger::run_payouts,
        saved_searches::list, saved_searches::create, saved_searches::get,
        saved_searches::update, saved_searches::delete, saved_searches::run,
        matching::preferences, matching::set_preferences, matching::agent_grants,
        matching::grant_agent, matching::revoke_agent, matching::record_interaction,
        matching::rank, matching::matches,
        health::overall, health::module,
    ),
    components(schemas(wire::ErrorBody, wire::ErrorDetail)),
    modifiers(&BearerAuth, &SharedResponses, &DeprecatedAliases),
    tags(
        (name = "auth", description = "Registration, OTP, login, tokens and sessions"),
        (name = "mfa", description = "Authenticator (TOTP) enrolment"),
        (name = "users", description = "One's own account, and account management for admins"),
        (name = "profiles", description = "Profiles of every role, with a completion score"),
        (name = "kyc", description = "PAN, GSTIN, Udyam and Aadhaar (last four) checks, decided by admins"),
        (name = "documents", description = "Uploaded documents and images, typed by their bytes"),
        (name = "listings", description = "Businesses for sale, their approval workflow, assets, \
            files and buyer access; teasers for those without access"),
        (name = "valuations", description = "Valuations by several methods, blended into a \
            range with a confidence, risks and comparables; kept for those who asked"),
        (name = "models", description = "Valuation models trained on comparable deals: \
            training jobs, the registry's versions and their held-out metrics"),
        (name = "search", description = "Full-text search over published listings: typo \
            tolerance, filters, facets, cursors"),
        (name = "escrows", description = "A deal's money held for its buyer, released by \
            milestone to the seller, agent and platform, refunded, or split after a dispute; \
            every move takes an `Idempotency-Key`"),
        (name = "payments", description = "Payments that funded escrows, bank transfers \
            confirmed by admins, and the payment gateway's signed webhooks"),
        (name = "ledger", description = "Statements of ledger accounts (owners and admins), \
            the ledger's verification, and payouts"),
        (name = "matching", description = "Buyer preferences, agent grants, interactions, \
            and matches between buyers and listings with scores and reasons"),
        (name = "health", description = "Liveness of the service and its modules"),
    )
)]
struct ApiDoc;

/// The OpenAPI document of every route [`crate::router`] serves (but the docs themselves).
pub fn openapi() -> utoipa::openapi::OpenApi {
    ApiDoc::openapi()
}
