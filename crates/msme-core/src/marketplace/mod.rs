//! The marketplace context: sellers' profiles, KYC, documents and listings, each a service
//! built from [`MarketplacePorts`], the store traits the context may call.

pub mod documents;
pub mod kyc;
pub mod listing;
pub mod profile;
mod store;

pub use store::{DocumentStore, KycStore, ListingStore, MarketplacePorts, ProfileStore};
