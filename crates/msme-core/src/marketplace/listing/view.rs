//! What each reader may see of a listing. Confidential fields leave the core only in a
//! [`ListingView::Full`]; everything else gets a [`Teaser`].

use chrono::{DateTime, Utc};

use super::{revenue_band, DealType, Industry, Listing, ListingAsset, ListingStatus, State};
use crate::money::Paise;
use crate::types::ListingId;

/// The public face of a listing: enough to be interested, not enough to identify the business.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Teaser {
    pub id: ListingId,
    /// Made from industry and state, never from the seller's title.
    pub headline: String,
    pub industry: &'static Industry,
    pub state: &'static State,
    /// `None` when no financials were given.
    pub revenue_band: Option<&'static str>,
    pub asking_price: Paise,
    pub deal_type: DealType,
    pub status: ListingStatus,
    pub published_at: Option<DateTime<Utc>>,
}

impl Teaser {
    pub fn of(l: &Listing) -> Self {
        Self {
            id: l.id.clone(),
            headline: format!(
                "{} business in {}",
                l.content.industry.label, l.content.state.name
            ),
            industry: l.content.industry,
            state: l.content.state,
            revenue_band: l.content.latest().map(|y| revenue_band(y.revenue)),
            asking_price: l.content.asking_price,
            deal_type: l.content.deal_type,
            status: l.status,
            published_at: l.published_at,
        }
    }
}

/// A listing with everything its reader may see.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FullListing {
    pub listing: Listing,
    /// The seller's name: a full view reveals identity, even of an anonymous listing.
    pub seller_name: String,
    pub assets: Vec<ListingAsset>,
}

/// A listing as one reader sees it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ListingView {
    Full(Box<FullListing>),
    Teaser(Teaser),
}

impl ListingView {
    pub fn id(&self) -> &ListingId {
        match self {
            ListingView::Full(f) => &f.listing.id,
            ListingView::Teaser(t) => &t.id,
        }
    }

    pub fn status(&self) -> ListingStatus {
        match self {
            ListingView::Full(f) => f.listing.status,
            ListingView::Teaser(t) => t.status,
        }
    }
}
