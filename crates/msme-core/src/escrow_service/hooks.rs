//! Where escrows will move listings, once listings are stored.
//!
//! The issue asks that opening an escrow moves its listing to `under_offer` and the last
//! release marks it `sold`. Listings are not stored on this branch (they arrive with the
//! listings branch), so these two functions are the single place the lead wires that in at
//! merge: they are called at the right moments and deliberately do nothing yet. They do not
//! pretend to have moved anything.

use crate::ledger::Escrow;
use crate::platform::Platform;

/// Called after an escrow was opened and stored. To be wired: move `escrow.terms.listing_id()`
/// to `under_offer` (and refuse to open on a listing that is not published, before storing).
pub async fn on_escrow_opened(_platform: &Platform, _escrow: &Escrow) {}

/// Called after a release left nothing unreleased (state `released`). To be wired: mark the
/// listing `sold`.
pub async fn on_escrow_released(_platform: &Platform, _escrow: &Escrow) {}
