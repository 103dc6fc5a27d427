//! `/v1/industries` and `/v1/states`: the fixed vocabularies of listings. Public.

use axum::Json;
use msme_core::listing::{INDUSTRIES, STATES};

use crate::wire::taxonomy::{IndustryBody, StateBody};
use crate::wire::Page;

/// Every industry a listing can be in, with its NIC-2008 section.
#[utoipa::path(get, path = "/v1/industries", tag = "listings",
    responses((status = 200, description = "The taxonomy (one page)", body = Page<IndustryBody>)))]
pub async fn industries() -> Json<Page<IndustryBody>> {
    Json(Page::whole(INDUSTRIES))
}

/// Every Indian state and union territory, with its code and GST state code.
#[utoipa::path(get, path = "/v1/states", tag = "listings",
    responses((status = 200, description = "States and union territories (one page)", body = Page<StateBody>)))]
pub async fn states() -> Json<Page<StateBody>> {
    Json(Page::whole(STATES))
}
