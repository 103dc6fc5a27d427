//! Who reads a kept valuation, and how much of it.

use super::{Valuation, ValuationRequestError, Valuations};
use crate::listing::{Listing, Teaser};
use crate::rbac::{Actor, Permission};

type Result<T> = std::result::Result<T, ValuationRequestError>;

/// Headline for a valuation whose listing no longer exists.
const GONE: &str = "A listing no longer on the market";

impl Valuations<'_> {
    /// `v` as `actor` may read it: whole for admins and the owner of the listing valued; for
    /// whoever asked, whole while they may see the listing in full and with the listing's
    /// confidential fields withheld once they see only its teaser
    /// ([`ValuationReport::withhold_confidential`](super::ValuationReport::withhold_confidential));
    /// `None` for anyone else.
    pub(super) async fn as_read_by(
        &self,
        actor: &Actor,
        mut v: Valuation,
    ) -> Result<Option<Valuation>> {
        if actor.can(Permission::ReviewListings) {
            return Ok(Some(v));
        }
        let asked = v.requested_by.is_some() && v.requested_by.as_ref() == actor.user_id();
        let Some(listing_id) = v.listing_id.clone() else {
            return Ok(asked.then_some(v));
        };
        let listing = self.c.store.listing_by_id(&listing_id).await?;
        if listing.as_ref().is_some_and(|l| owns(actor, l)) {
            return Ok(Some(v));
        }
        if !asked {
            return Ok(None);
        }
        let full = match &listing {
            Some(_) => self.c.listings.may_see_full(actor, &listing_id).await?,
            None => false,
        };
        if !full {
            let headline = listing.map_or_else(|| GONE.to_string(), |l| Teaser::of(&l).headline);
            v.report.withhold_confidential(headline);
        }
        Ok(Some(v))
    }
}

pub(super) fn owns(actor: &Actor, l: &Listing) -> bool {
    actor.user_id() == Some(&l.seller_id)
}
