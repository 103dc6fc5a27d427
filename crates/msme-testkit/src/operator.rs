//! What a test does as the operator, through the library beside the server or the binary.

use msme_core::listing::ListingAction;
use msme_core::rbac::Actor;
use msme_core::types::ListingId;
use msme_core::{Platform, RequestMeta};

/// Submit, approve, publish: a draft to a public listing.
pub const TO_PUBLISHED: [ListingAction; 3] = ListingAction::TO_PUBLISHED;

/// Moves each listing through `actions` as the operator.
pub async fn move_listings(platform: &Platform, ids: &[String], actions: &[ListingAction]) {
    let (meta, operator) = (RequestMeta::default(), Actor::operator());
    for id in ids {
        let id = ListingId::parse(id).expect("listing id");
        for action in actions {
            platform
                .listings()
                .transition(&meta, &operator, &id, *action, None)
                .await
                .unwrap_or_else(|e| panic!("{action:?} {id}: {e}"));
        }
    }
}
