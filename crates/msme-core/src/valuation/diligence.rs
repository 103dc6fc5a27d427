//! What diligence has established about a listing, from the platform's own records.

use super::{Diligence, ValuationRequestError, Valuations};
use crate::documents::DocumentKind;
use crate::kyc::KycStatus;
use crate::listing::Listing;

impl Valuations<'_> {
    /// The listing's diligence: its financials count as verified when the seller's KYC (PAN,
    /// GSTIN, checked by an admin) is verified, and its documents as complete when at least one
    /// paper (not an image) is attached to it. A listing records no customer concentration.
    pub(super) async fn diligence_of(
        &self,
        l: &Listing,
    ) -> Result<Diligence, ValuationRequestError> {
        let store = self.c.store;
        let kyc = store.kyc_of(&l.seller_id).await?;
        let papers = store.documents_of_listing(&l.id).await?;
        Ok(Diligence {
            financials_verified: kyc.is_some_and(|k| k.status == KycStatus::Verified),
            documents_complete: papers.iter().any(|d| d.kind == DocumentKind::Document),
            top_customer_share: None,
        })
    }
}
