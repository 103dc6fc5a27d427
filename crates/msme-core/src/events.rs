//! Domain events: the audit log read as typed facts, one enum per context.
//!
//! Every committed change appends one audit entry in its own transaction (see [`crate::audit`]).
//! An [`Event`] is that entry with its action parsed into what consumers react to. The wire form
//! is the entry itself: its dotted action, entity and JSON details, whose shape is versioned by
//! [`EVENT_VERSION`]; an action this code does not know reads as `Other`, so old consumers pass
//! over new events instead of failing on them.

use chrono::{DateTime, Utc};

use crate::audit::{AuditActor, AuditEntry};
use crate::listing::ListingId;
use crate::types::UserId;

/// The version of the events' vocabulary (actions and their details) this code reads and writes.
pub const EVENT_VERSION: u32 = 1;

/// One event of the stream.
#[derive(Clone, Debug, PartialEq)]
pub struct Event {
    /// Position in the stream: gapless, in commit order.
    pub seq: i64,
    pub at: DateTime<Utc>,
    pub actor: AuditActor,
    /// The dotted action as stored, e.g. `listing.publish`.
    pub action: String,
    pub kind: EventKind,
}

/// What happened, by context.
#[derive(Clone, Debug, PartialEq)]
pub enum EventKind {
    Accounts(AccountsEvent),
    Marketplace(MarketplaceEvent),
    Matching(MatchingEvent),
    Valuation(ValuationEvent),
    Money(MoneyEvent),
    /// An action no context here reads (an operator's export, a newer version's event).
    Other,
}

/// Accounts: sign-up, sign-in, OTPs.
#[derive(Clone, Debug, PartialEq)]
pub enum AccountsEvent {
    /// A code was issued; its SMS (for a registered number) waits in the outbox.
    OtpSent,
    /// Any other change to an account or session.
    Changed { user: Option<UserId> },
}

/// Marketplace: listings, KYC, profiles and documents.
#[derive(Clone, Debug, PartialEq)]
pub enum MarketplaceEvent {
    /// A listing was created or changed (its action names how: `publish`, `updated`, ...);
    /// `escrow` names the escrow that moved it (under offer, sold, back on the market).
    Listing {
        listing: ListingId,
        escrow: Option<String>,
    },
    /// A seller's KYC was submitted or decided: their listings' `verified` flag may change.
    Kyc { user: UserId },
    /// A profile or document changed.
    Other,
}

/// Search and matching: what buyers want.
#[derive(Clone, Debug, PartialEq)]
pub enum MatchingEvent {
    PreferencesUpdated {
        buyer: UserId,
    },
    /// A ranking model was trained; `adopted` when it replaced the hand-set weights.
    RankingModelTrained {
        adopted: bool,
    },
    /// Saved searches, agent grants.
    Other,
}

/// Valuation and models.
#[derive(Clone, Debug, PartialEq)]
pub enum ValuationEvent {
    Created {
        listing: Option<ListingId>,
    },
    /// An admin asked for a training job, with its options.
    TrainingRequested {
        job: String,
        kinds: Vec<String>,
        coverage: Option<f64>,
        budget: Option<f64>,
        activate: bool,
    },
    /// Models trained, imported, activated; comparables imported.
    Other,
}

/// Money: escrows, payments and payouts.
#[derive(Clone, Debug, PartialEq)]
pub enum MoneyEvent {
    /// An escrow was opened or moved; `state` is the state it moved to (`opened` at creation).
    Escrow {
        escrow: String,
        state: String,
    },
    Payment,
    Payout,
}

impl Event {
    /// Reads an audit entry as an event.
    pub fn from_entry(entry: &AuditEntry) -> Self {
        let e = &entry.event;
        Event {
            seq: entry.seq,
            at: e.at,
            actor: e.actor.clone(),
            action: e.action.clone(),
            kind: kind(&e.action, &e.entity_type, &e.entity_id, &e.details),
        }
    }
}

fn kind(action: &str, entity_type: &str, entity_id: &str, details: &str) -> EventKind {
    let (context, verb) = action.split_once('.').unwrap_or((action, ""));
    let user = || UserId::from_trusted(entity_id.to_string());
    let detail = |key: &str| -> Option<serde_json::Value> {
        serde_json::from_str::<serde_json::Value>(details)
            .ok()
            .and_then(|v| v.get(key).cloned())
    };
    use EventKind::*;
    // Whatever the action, a change recorded against a listing is a change to that listing.
    if entity_type == "listing" {
        return Marketplace(MarketplaceEvent::Listing {
            listing: ListingId::from_trusted(entity_id.to_string()),
            escrow: detail("escrow_id").and_then(|v| v.as_str().map(str::to_string)),
        });
    }
    match context {
        "otp" if verb == "sent" => Accounts(AccountsEvent::OtpSent),
        "user" | "session" | "otp" | "mfa" => Accounts(AccountsEvent::Changed {
            user: (entity_type == "user").then(user),
        }),
        "listing" => Marketplace(MarketplaceEvent::Other),
        "kyc" if entity_type == "user" => Marketplace(MarketplaceEvent::Kyc { user: user() }),
        "kyc" | "profile" | "document" => Marketplace(MarketplaceEvent::Other),
        "buyer_preferences" => Matching(MatchingEvent::PreferencesUpdated { buyer: user() }),
        "ranking_model" => Matching(MatchingEvent::RankingModelTrained {
            adopted: detail("adopted").and_then(|v| v.as_bool()) == Some(true),
        }),
        "saved_search" | "agent_grant" => Matching(MatchingEvent::Other),
        "valuation" => Valuation(ValuationEvent::Created {
            listing: detail("listing_id")
                .and_then(|v| v.as_str().map(str::to_string))
                .map(ListingId::from_trusted),
        }),
        "model" if verb == "training_requested" => {
            Valuation(ValuationEvent::TrainingRequested {
                job: entity_id.to_string(),
                kinds: detail("kinds")
                    .and_then(|v| serde_json::from_value(v).ok())
                    .unwrap_or_default(),
                coverage: detail("coverage").and_then(|v| v.as_f64()),
                budget: detail("budget").and_then(|v| v.as_f64()),
                // Requests written before `activate` was recorded activated their result.
                activate: detail("activate").and_then(|v| v.as_bool()) != Some(false),
            })
        }
        "model" | "comparables" => Valuation(ValuationEvent::Other),
        "escrow" => Money(MoneyEvent::Escrow {
            escrow: entity_id.to_string(),
            state: verb.to_string(),
        }),
        "payment" => Money(MoneyEvent::Payment),
        "payout" => Money(MoneyEvent::Payout),
        _ => Other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::audit::{AuditEvent, GENESIS_HASH};

    fn event(action: &str, entity: (&str, &str), details: &str) -> EventKind {
        let e = AuditEvent {
            at: DateTime::from_timestamp_micros(1_768_000_000_000_000).unwrap(),
            actor: AuditActor::System,
            action: action.into(),
            entity_type: entity.0.into(),
            entity_id: entity.1.into(),
            request_id: None,
            details: details.into(),
        };
        Event::from_entry(&AuditEntry::seal(e, 1, GENESIS_HASH)).kind
    }

    #[test]
    fn actions_read_as_their_context() {
        let l = |s: &str| ListingId::from_trusted(s.into());
        assert_eq!(
            event("listing.publish", ("listing", "l1"), "{}"),
            EventKind::Marketplace(MarketplaceEvent::Listing {
                listing: l("l1"),
                escrow: None
            })
        );
        assert_eq!(
            event("kyc.verified", ("user", "u1"), "{}"),
            EventKind::Marketplace(MarketplaceEvent::Kyc {
                user: UserId::from_trusted("u1".into())
            })
        );
        assert_eq!(
            event(
                "valuation.created",
                ("valuation", "v1"),
                r#"{"listing_id":"l2"}"#
            ),
            EventKind::Valuation(ValuationEvent::Created {
                listing: Some(l("l2"))
            })
        );
        assert_eq!(
            event(
                "ranking_model.trained",
                ("ranking_model", "r"),
                r#"{"adopted":true}"#
            ),
            EventKind::Matching(MatchingEvent::RankingModelTrained { adopted: true })
        );
        assert_eq!(
            event("escrow.released", ("escrow", "e1"), "{}"),
            EventKind::Money(MoneyEvent::Escrow {
                escrow: "e1".into(),
                state: "released".into()
            })
        );
        assert_eq!(
            event("otp.sent", ("otp", "o"), "{}"),
            EventKind::Accounts(AccountsEvent::OtpSent)
        );
    }

    #[test]
    fn a_listing_moved_by_an_escrow_names_it() {
        assert_eq!(
            event(
                "listing.sell",
                ("listing", "l1"),
                r#"{"escrow_id":"e9","to":"sold"}"#
            ),
            EventKind::Marketplace(MarketplaceEvent::Listing {
                listing: ListingId::from_trusted("l1".into()),
                escrow: Some("e9".into())
            })
        );
    }

    #[test]
    fn unknown_actions_and_bad_details_are_passed_over_not_failed_on() {
        assert_eq!(
            event("audit.exported", ("audit", "x"), "{}"),
            EventKind::Other
        );
        assert_eq!(
            event("newer_context.thing", ("x", "y"), "{}"),
            EventKind::Other
        );
        assert_eq!(
            event("valuation.created", ("valuation", "v"), "not json"),
            EventKind::Valuation(ValuationEvent::Created { listing: None })
        );
    }
}
