//! Buyer access grants on the wire.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// `POST /v1/listings/{id}/access`: let a buyer see the full listing.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AccessRequest {
    /// The account id of a buyer, agent or NBFC.
    pub buyer_id: String,
}

/// A buyer who may see the full listing, its documents and the seller's identity.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct AccessGrantBody {
    pub buyer_id: String,
    /// When access was granted; null in the answer to a grant that already existed.
    #[schema(format = DateTime)]
    pub granted_at: Option<String>,
}
