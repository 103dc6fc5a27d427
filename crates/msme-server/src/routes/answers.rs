//! Error answers that several operations give with one meaning, each described once; an
//! operation lists them in its `responses(...)` beside the answers that are its own. Each
//! documents a JSON [`ErrorBody`] under its status.

use crate::wire::ErrorBody;

/// Declares each answer as a type deriving `IntoResponses`.
macro_rules! error_answers {
    ($($(#[$doc:meta])* $name:ident = $status:literal, $description:literal;)*) => {
        $(
            $(#[$doc])*
            #[derive(utoipa::IntoResponses)]
            #[response(status = $status, description = $description)]
            pub struct $name(pub ErrorBody);
        )*
    };
}

error_answers! {
    /// The operation is for admins.
    NotAdmin = 403, "Not an admin";
    /// Admins manage accounts, but not their own (nobody would be left signed in to undo it).
    OwnAccountOrNotAdmin = 403, "Not an admin, or the caller's own account (`own_account`)";
    /// The move is the buyer's (or an admin's).
    NotBuyerNorAdmin = 403, "Not the buyer, nor an admin";
    /// The move is for the deal's parties (or an admin).
    NotPartyNorAdmin = 403, "Not a party, nor an admin";
    /// Searching is for the roles that buy.
    CannotSearch = 403, "This role cannot search";
    OnlyBuyersGrantAgents = 403, "Only buyers grant agents";
    OnlyBuyersKeepPreferences = 403, "Only buyers keep preferences";
    NoSuchAccount = 404, "No such account";
    /// Someone else's listing answers as one that does not exist.
    NotCallersListing = 404, "No such listing of the caller's";
    NoSuchListing = 404, "No such listing";
    /// What hangs off a listing is for those who may see it in full.
    OnlyTeaserVisible = 404, "No such listing, or only its teaser is visible";
    NotSeenInFull = 404, "No such listing, or not one the caller may see in full";
    /// An escrow the caller is no party to answers as one that does not exist.
    NotCallersEscrow = 404, "No such escrow, or not the caller's";
    NoSuchEscrow = 404, "No such escrow";
    NotCallersDocument = 404, "No such document, or not the caller's to see";
    NoSuchSavedSearch = 404, "No such saved search of the caller's";
    NoSuchValuation = 404, "No such valuation, or not the caller's to read";
    /// No KYC record: the account has submitted nothing.
    NothingSubmitted = 404, "Nothing submitted";
    ListingNotEditable = 409, "The listing cannot be edited now";
    NotAwaitingReview = 409, "Not awaiting review (`illegal_transition`)";
    SearchUnavailable = 503, "`search_unavailable`: no search index";
    InvalidField = 400, "A field is invalid; `field` names it";
    BadFilter = 400, "A bad filter, sort or cursor; `field` names it";
    NotAMobile = 400, "Not a valid mobile number";
    WrongCode = 401, "No valid access token, or the code is wrong";
}
