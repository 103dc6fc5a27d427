//! Who may do what: one permission table, checked in the core.

use crate::error::{impl_domain_error, DomainError, ErrorKind};
use crate::types::{Role, SessionId, UserId};

/// The actor's role lacks a permission. Every area's error converts from it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
#[error("this needs the `{}` permission, which your role does not have", .0.as_str())]
pub struct Forbidden(pub Permission);

impl DomainError for Forbidden {
    fn code(&self) -> &'static str {
        "forbidden"
    }
    fn kind(&self) -> ErrorKind {
        ErrorKind::Forbidden
    }
}

/// The error of operations that need only a permission and the store (reading the audit log
/// and the outbox): not allowed, or the store failed.
#[derive(Debug, thiserror::Error)]
pub enum AccessError {
    #[error(transparent)]
    Forbidden(#[from] Forbidden),
    #[error(transparent)]
    Store(#[from] crate::error::StoreError),
}

impl_domain_error!(AccessError {
    via: Forbidden, Store;
    codes: {}
});

/// Everything an account may be allowed to do. Later modules add their own.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Permission {
    /// See and end one's own sessions, manage one's own MFA.
    ManageOwnAccount,
    /// List, create, disable and change the role of any account.
    ManageUsers,
    /// Read and export the audit trail.
    ReadAudit,
    /// Read the SMS outbox.
    ReadOutbox,
    /// Put a business up for sale.
    CreateListing,
    /// Approve or reject listings and KYC.
    ReviewListings,
    /// Search listings and be matched to them.
    SearchListings,
    /// Offer finance on a deal.
    OfferFinance,
    /// Bring a deal and earn commission on it.
    RepresentClients,
    /// Open an escrow on a listing, as its buyer.
    OpenEscrow,
    /// Act on any escrow as a party would (release, refund, cancel, dispute) without being one.
    ManageEscrows,
    /// Resolve a disputed escrow by splitting what it holds.
    ResolveDisputes,
    /// Read any account's statement and verify the ledger.
    ReadLedger,
    /// Run the payout pass (send, poll, retry payouts).
    RunPayouts,
    /// Ask for a valuation of a business (one's own, one the actor may see in full, or raw
    /// figures) and keep it.
    RequestValuation,
    /// Import comparable deals, train, import, activate and roll back valuation models.
    ManageModels,
    /// Keep buyer preferences, be matched with listings, record interactions, grant agents.
    BeMatched,
    /// Read any buyer's matches, rank buyers for any listing, record interactions for a
    /// buyer, train and evaluate the ranker.
    ManageMatching,
}

impl Permission {
    pub const ALL: [Permission; 18] = [
        Permission::ManageOwnAccount,
        Permission::ManageUsers,
        Permission::ReadAudit,
        Permission::ReadOutbox,
        Permission::CreateListing,
        Permission::ReviewListings,
        Permission::SearchListings,
        Permission::OfferFinance,
        Permission::RepresentClients,
        Permission::OpenEscrow,
        Permission::ManageEscrows,
        Permission::ResolveDisputes,
        Permission::ReadLedger,
        Permission::RunPayouts,
        Permission::RequestValuation,
        Permission::ManageModels,
        Permission::BeMatched,
        Permission::ManageMatching,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Permission::ManageOwnAccount => "manage_own_account",
            Permission::ManageUsers => "manage_users",
            Permission::ReadAudit => "read_audit",
            Permission::ReadOutbox => "read_outbox",
            Permission::CreateListing => "create_listing",
            Permission::ReviewListings => "review_listings",
            Permission::SearchListings => "search_listings",
            Permission::OfferFinance => "offer_finance",
            Permission::RepresentClients => "represent_clients",
            Permission::OpenEscrow => "open_escrow",
            Permission::ManageEscrows => "manage_escrows",
            Permission::ResolveDisputes => "resolve_disputes",
            Permission::ReadLedger => "read_ledger",
            Permission::RunPayouts => "run_payouts",
            Permission::RequestValuation => "request_valuation",
            Permission::ManageModels => "manage_models",
            Permission::BeMatched => "be_matched",
            Permission::ManageMatching => "manage_matching",
        }
    }
}

/// The permission table: the one place that says which role may do what.
pub fn allows(role: Role, permission: Permission) -> bool {
    use Permission::*;
    use Role::*;
    match permission {
        ManageOwnAccount | RequestValuation => true,
        ManageUsers | ReadAudit | ReadOutbox | ReviewListings => role == Admin,
        ManageEscrows | ResolveDisputes | ReadLedger | RunPayouts => role == Admin,
        ManageModels => role == Admin,
        OpenEscrow => matches!(role, Buyer | Admin),
        CreateListing => matches!(role, Seller | Agent | Admin),
        SearchListings => matches!(role, Buyer | Agent | Nbfc | Admin),
        OfferFinance => matches!(role, Nbfc | Admin),
        RepresentClients => matches!(role, Agent | Admin),
        BeMatched => role == Buyer,
        ManageMatching => role == Admin,
    }
}

/// Who is asking: a signed-in account (from a verified access token) or the operator.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Actor {
    kind: ActorKind,
}

#[derive(Clone, Debug, PartialEq, Eq)]
enum ActorKind {
    User {
        id: UserId,
        role: Role,
        session: SessionId,
    },
    Operator,
    /// The platform acting on a message it verified itself (a signed gateway webhook).
    System,
}

impl Actor {
    /// Only the auth service makes user actors, after verifying a token and its session.
    pub(crate) fn user(id: UserId, role: Role, session: SessionId) -> Self {
        Self {
            kind: ActorKind::User { id, role, session },
        }
    }

    /// The operator at the terminal, who has shell access to the data and so every permission.
    pub fn operator() -> Self {
        Self {
            kind: ActorKind::Operator,
        }
    }

    /// The platform itself, for what a verified gateway webhook reports. Only the core makes
    /// one, after checking the webhook's signature.
    pub(crate) fn system() -> Self {
        Self {
            kind: ActorKind::System,
        }
    }

    pub fn user_id(&self) -> Option<&UserId> {
        match &self.kind {
            ActorKind::User { id, .. } => Some(id),
            ActorKind::Operator | ActorKind::System => None,
        }
    }

    pub fn session_id(&self) -> Option<&SessionId> {
        match &self.kind {
            ActorKind::User { session, .. } => Some(session),
            ActorKind::Operator | ActorKind::System => None,
        }
    }

    /// The role the actor acts with; the operator and the platform itself act as admin.
    pub fn role(&self) -> Role {
        match &self.kind {
            ActorKind::User { role, .. } => *role,
            ActorKind::Operator | ActorKind::System => Role::Admin,
        }
    }

    pub fn is_operator(&self) -> bool {
        matches!(self.kind, ActorKind::Operator)
    }

    pub fn can(&self, permission: Permission) -> bool {
        allows(self.role(), permission)
    }

    /// Fails with `forbidden` unless the table allows it.
    pub fn require(&self, permission: Permission) -> Result<(), Forbidden> {
        if self.can(permission) {
            Ok(())
        } else {
            Err(Forbidden(permission))
        }
    }

    pub(crate) fn audit_actor(&self) -> crate::audit::AuditActor {
        match &self.kind {
            ActorKind::User { id, .. } => crate::audit::AuditActor::User(id.clone()),
            ActorKind::Operator => crate::audit::AuditActor::Operator,
            ActorKind::System => crate::audit::AuditActor::System,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The expected table, written out by hand: a change to `allows` must change this too.
    const EXPECTED: &[(Permission, [bool; 5])] = &[
        //                              seller buyer  agent  nbfc   admin
        (Permission::ManageOwnAccount, [true, true, true, true, true]),
        (Permission::ManageUsers, [false, false, false, false, true]),
        (Permission::ReadAudit, [false, false, false, false, true]),
        (Permission::ReadOutbox, [false, false, false, false, true]),
        (Permission::CreateListing, [true, false, true, false, true]),
        (
            Permission::ReviewListings,
            [false, false, false, false, true],
        ),
        (Permission::SearchListings, [false, true, true, true, true]),
        (Permission::OfferFinance, [false, false, false, true, true]),
        (
            Permission::RepresentClients,
            [false, false, true, false, true],
        ),
        (Permission::OpenEscrow, [false, true, false, false, true]),
        (
            Permission::ManageEscrows,
            [false, false, false, false, true],
        ),
        (
            Permission::ResolveDisputes,
            [false, false, false, false, true],
        ),
        (Permission::ReadLedger, [false, false, false, false, true]),
        (Permission::RunPayouts, [false, false, false, false, true]),
        (Permission::RequestValuation, [true, true, true, true, true]),
        (Permission::ManageModels, [false, false, false, false, true]),
        (Permission::BeMatched, [false, true, false, false, false]),
        (
            Permission::ManageMatching,
            [false, false, false, false, true],
        ),
    ];

    #[test]
    fn every_role_gets_exactly_its_permissions() {
        assert_eq!(
            EXPECTED.len(),
            Permission::ALL.len(),
            "every permission is in the table"
        );
        for (perm, row) in EXPECTED {
            for (role, expected) in Role::ALL.iter().zip(row) {
                assert_eq!(
                    allows(*role, *perm),
                    *expected,
                    "{role} / {}",
                    perm.as_str()
                );
            }
        }
    }

    #[test]
    fn a_buyer_is_refused_what_only_an_admin_may_do() {
        let buyer = Actor::user(UserId::generate(), Role::Buyer, SessionId::generate());
        let err = buyer.require(Permission::ManageUsers).unwrap_err();
        assert_eq!(err, Forbidden(Permission::ManageUsers));
        assert!(Actor::operator().require(Permission::ManageUsers).is_ok());
    }
}
