//! Extractors: JSON bodies, paths and queries whose rejections are [`ApiError`]s, path ids
//! parsed into their types ([`PathId`]), the signed-in caller from a Bearer token, the
//! request's audit context, and the two bundles handlers start from: [`Call`] (signed in) and
//! [`Guest`] (no sign-in needed).

use axum::extract::{FromRequest, FromRequestParts};
use axum::http::request::Parts;
use axum::http::{header, HeaderMap};
use msme_core::auth::AuthError;
use msme_core::documents::DocumentId;
use msme_core::error::ValidationError;
use msme_core::ledger::{EscrowId, LedgerAccount, PaymentId, PayoutId};
use msme_core::listing::{ListingCursor, ListingId};
use msme_core::matching::SavedSearchId;
use msme_core::model::ModelJobId;
use msme_core::rbac::Actor;
use msme_core::types::{SessionId, UserId, ValuationId};
use msme_core::{Platform, RequestMeta};

use utoipa::openapi::path::{Parameter, ParameterBuilder, ParameterIn};
use utoipa::openapi::schema::{ObjectBuilder, Type};
use utoipa::openapi::Required;
use utoipa::IntoParams;

use crate::error::ApiError;
use crate::request_id::RequestId;
use crate::AppState;

/// A JSON body; malformed JSON, a wrong content type or a missing field is a JSON 4xx.
#[derive(Debug, FromRequest)]
#[from_request(via(axum::Json), rejection(ApiError))]
pub struct ApiJson<T>(pub T);

/// Path parameters, rejected as JSON 400.
#[derive(Debug, FromRequestParts)]
#[from_request(via(axum::extract::Path), rejection(ApiError))]
pub struct ApiPath<T>(pub T);

/// The one parameter of a path, parsed as the id it stands for; a malformed one is a 400 that
/// names the parameter (`id`, `user_id`, ...). Routes with two parameters use [`ApiPath`].
#[derive(Debug)]
pub struct PathId<T>(pub T);

/// An id that can stand in a path or a cursor.
pub trait ParseId: Sized {
    /// What it identifies, as the documentation says it: `Listing` for "Listing id".
    const WHAT: &'static str;

    fn parse_id(raw: &str) -> Result<Self, ValidationError>;
}

macro_rules! parse_ids {
    ($($id:ty = $what:literal),* $(,)?) => {
        $(impl ParseId for $id {
            const WHAT: &'static str = $what;

            fn parse_id(raw: &str) -> Result<Self, ValidationError> {
                <$id>::parse(raw)
            }
        })*
    };
}

parse_ids!(
    DocumentId = "Document",
    EscrowId = "Escrow",
    LedgerAccount = "Ledger account",
    ListingId = "Listing",
    ModelJobId = "Job",
    PaymentId = "Payment",
    PayoutId = "Payout",
    SavedSearchId = "Saved search",
    SessionId = "Session",
    UserId = "Account",
    ValuationId = "Valuation",
);

/// A listing cursor stands in the query rather than the path, but pages the same way.
impl ParseId for ListingCursor {
    const WHAT: &'static str = "Listing cursor";

    fn parse_id(raw: &str) -> Result<Self, ValidationError> {
        ListingCursor::decode(raw)
    }
}

/// Documents the parameter as `id` (`params(PathId<ListingId>)`): routes that name theirs
/// otherwise (`user_id`, `buyer_id`) document it themselves.
impl<T: ParseId> IntoParams for PathId<T> {
    fn into_params(_: impl Fn() -> Option<ParameterIn>) -> Vec<Parameter> {
        let id = ParameterBuilder::new()
            .name("id")
            .parameter_in(ParameterIn::Path)
            .required(Required::True)
            .description(Some(format!("{} id", T::WHAT)))
            .schema(Some(ObjectBuilder::new().schema_type(Type::String)));
        vec![id.build()]
    }
}

impl<S: Send + Sync, T: ParseId> FromRequestParts<S> for PathId<T> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, ApiError> {
        let ApiPath(params) =
            ApiPath::<Vec<(String, String)>>::from_request_parts(parts, state).await?;
        let [(name, raw)] = <[_; 1]>::try_from(params).map_err(|_| ApiError::internal())?;
        let id = T::parse_id(&raw).map_err(|e| ApiError::from(e).with_field(name))?;
        Ok(PathId(id))
    }
}

/// Query parameters, rejected as JSON 400.
#[derive(Debug, FromRequestParts)]
#[from_request(via(axum::extract::Query), rejection(ApiError))]
pub struct ApiQuery<T>(pub T);

/// A `multipart/form-data` body; a missing boundary is a JSON 415, and reading errors
/// (including an over-limit body, 413) convert to [`ApiError`] as well.
#[derive(Debug)]
pub struct ApiMultipart(pub axum::extract::Multipart);

impl<S: Send + Sync> FromRequest<S> for ApiMultipart {
    type Rejection = ApiError;

    async fn from_request(req: axum::extract::Request, state: &S) -> Result<Self, ApiError> {
        let form = axum::extract::Multipart::from_request(req, state).await?;
        Ok(Self(form))
    }
}

/// The signed-in caller: from `Authorization: Bearer <access token>`, checked by the core
/// (signature, expiry, and that the session is still live).
#[derive(Debug, Clone)]
pub struct Caller(pub Actor);

impl FromRequestParts<AppState> for Caller {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let token = bearer_token(&parts.headers).ok_or(AuthError::InvalidToken)?;
        let actor = state.platform.auth().authenticate(token).await?;
        Ok(Caller(actor))
    }
}

/// The token of an `Authorization: Bearer ...` header, if there is one.
fn bearer_token(headers: &HeaderMap) -> Option<&str> {
    let value = headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, token) = value.split_once(' ')?;
    let token = token.trim();
    (scheme.eq_ignore_ascii_case("bearer") && !token.is_empty()).then_some(token)
}

/// What the audit trail records about the request: its id and the User-Agent.
#[derive(Debug, Clone)]
pub struct Meta(pub RequestMeta);

/// User agents are recorded with sessions; a bound keeps a hostile one from filling the table.
const MAX_USER_AGENT: usize = 256;

impl<S: Send + Sync> FromRequestParts<S> for Meta {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        let request_id = parts.extensions.get::<RequestId>().map(|r| r.0.clone());
        let user_agent = parts
            .headers
            .get(header::USER_AGENT)
            .and_then(|v| v.to_str().ok())
            .map(|ua| ua.chars().take(MAX_USER_AGENT).collect());
        Ok(Meta(RequestMeta {
            request_id,
            user_agent,
        }))
    }
}

/// One signed-in call: the platform that answers it, the caller (checked as [`Caller`] checks
/// it) and what the audit trail records ([`Meta`]). What every protected handler starts from.
#[derive(Debug, Clone)]
pub struct Call {
    pub platform: Platform,
    pub actor: Actor,
    pub meta: RequestMeta,
}

impl FromRequestParts<AppState> for Call {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let Ok(Meta(meta)) = Meta::from_request_parts(parts, state).await;
        let Caller(actor) = Caller::from_request_parts(parts, state).await?;
        let platform = state.platform.clone();
        Ok(Call {
            platform,
            actor,
            meta,
        })
    }
}

/// A call that needs no sign-in (registering, signing in, the gateway's webhooks): the
/// platform that answers it and what the audit trail records.
#[derive(Debug, Clone)]
pub struct Guest {
    pub platform: Platform,
    pub meta: RequestMeta,
}

impl FromRequestParts<AppState> for Guest {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let Ok(Meta(meta)) = Meta::from_request_parts(parts, state).await;
        let platform = state.platform.clone();
        Ok(Guest { platform, meta })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn headers(auth: &str) -> HeaderMap {
        let mut h = HeaderMap::new();
        h.insert(header::AUTHORIZATION, HeaderValue::from_str(auth).unwrap());
        h
    }

    #[test]
    fn bearer_tokens_are_read_case_insensitively() {
        assert_eq!(bearer_token(&headers("Bearer abc")), Some("abc"));
        assert_eq!(bearer_token(&headers("bearer  abc ")), Some("abc"));
    }

    #[test]
    fn other_schemes_and_empty_tokens_are_refused() {
        assert_eq!(bearer_token(&headers("Basic abc")), None);
        assert_eq!(bearer_token(&headers("Bearer ")), None);
        assert_eq!(bearer_token(&headers("Bearer")), None);
        assert_eq!(bearer_token(&HeaderMap::new()), None);
    }
}
