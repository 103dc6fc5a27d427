//! What an escrow asks of its listing when it opens: that it is published, by the escrow's
//! seller.
//!
//! What follows an escrow's moves in other contexts is not called from here: the runtime's
//! consumers react to the escrow's events (`listing-escrows` moves the listing under offer,
//! sold or back on the market; `matcher` records the buyer's offer; `comparable-sales`
//! records a sale for the valuation models). Each moves in its own transaction after the
//! escrow's, reading the escrow's state then, so the money side never depends on them.

use crate::listing::{ListingAction, ListingError, ListingStatus};
use crate::types::UserId;

/// Refuses an escrow on a listing that is not published or does not belong to `seller`.
pub async fn check_listing_open(
    store: &dyn crate::marketplace::ListingStore,
    escrow_listing: &crate::types::ListingId,
    seller: &UserId,
) -> Result<(), ListingError> {
    let listing = store
        .listing_by_id(escrow_listing)
        .await?
        .ok_or(ListingError::NotFound)?;
    if &listing.seller_id != seller {
        return Err(crate::error::ValidationError::new(
            "seller_id",
            "is not the seller of this listing",
        )
        .into());
    }
    if listing.status != ListingStatus::Published {
        return Err(crate::listing::IllegalTransition {
            from: listing.status,
            action: ListingAction::Offer,
        }
        .into());
    }
    Ok(())
}
