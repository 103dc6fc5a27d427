//! Where escrows move listings: opening one puts its listing under offer (and records the
//! buyer's offer for matchmaking), the last release
//! marks it sold, and an escrow that ends without a sale puts it back on the market.
//!
//! The listing moves in its own transaction, after the escrow's (each with its audit entry).
//! A crash in between leaves an escrow whose listing is still `published`; the next move of the
//! escrow, or an operator, repairs it — the money side never depends on the listing's state.

use crate::ledger::Escrow;
use crate::listing::{ListingAction, ListingError, ListingStatus};
use crate::platform::Platform;
use crate::types::UserId;

/// Refuses an escrow on a listing that is not published or does not belong to `seller`.
pub async fn check_listing_open(
    platform: &Platform,
    escrow_listing: &crate::types::ListingId,
    seller: &UserId,
) -> Result<(), ListingError> {
    let listing = platform
        .inner
        .store
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

/// Called after an escrow was opened and stored: its listing goes under offer, and the buyer's
/// offer is recorded for matchmaking (best effort: a failure is logged, the escrow stands).
pub async fn on_escrow_opened(platform: &Platform, escrow: &Escrow) {
    move_listing(platform, escrow, ListingAction::Offer).await;
    let listing = escrow.terms.listing_id();
    let meta = crate::platform::RequestMeta::default();
    let buyer = escrow.terms.buyer_id();
    if let Err(e) = platform.matchmaking().offered(&meta, buyer, listing).await {
        tracing::warn!(listing_id = %listing, escrow_id = %escrow.id, error = %crate::error::chain(&e),
            "escrow opened but the offer was not recorded for matchmaking");
    }
}

/// Called after a release left nothing unreleased (state `released`): the listing is sold,
/// and the sale becomes a comparable deal for the valuation models (in its own transaction; a
/// crash before it is caught up by `Models::collect_sales` before the next training).
pub async fn on_escrow_released(platform: &Platform, escrow: &Escrow) {
    move_listing(platform, escrow, ListingAction::Sell).await;
    let listing = escrow.terms.listing_id();
    let meta = crate::platform::RequestMeta::default();
    if let Err(e) = platform
        .models()
        .record_sale(&meta, listing, escrow.terms.amount())
        .await
    {
        tracing::error!(listing_id = %listing, escrow_id = %escrow.id, error = %crate::error::chain(&e),
            "listing sold but not recorded as a comparable deal");
    }
}

/// Called after a move that ended the escrow without a full release: a refund or
/// cancellation puts the listing back on the market; a dispute resolved with money to the
/// seller counts as a sale.
pub async fn on_escrow_ended(platform: &Platform, escrow: &Escrow) {
    use crate::ledger::EscrowState::*;
    let action = match escrow.state {
        Refunded | Cancelled => ListingAction::OfferLapsed,
        Resolved if escrow.released > crate::money::Paise::ZERO => ListingAction::Sell,
        Resolved => ListingAction::OfferLapsed,
        _ => return,
    };
    move_listing(platform, escrow, action).await;
}

async fn move_listing(platform: &Platform, escrow: &Escrow, action: ListingAction) {
    let listing = escrow.terms.listing_id();
    if let Err(e) = platform
        .listings()
        .move_by_escrow(listing, escrow.id.as_str(), action)
        .await
    {
        tracing::error!(listing_id = %listing, escrow_id = %escrow.id, error = %crate::error::chain(&e),
            "escrow moved but its listing did not follow");
    }
}
