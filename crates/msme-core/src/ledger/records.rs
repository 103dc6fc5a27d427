//! Ledger things as storage reads and writes them: raw entries, statement lines, and the flat
//! column form of an escrow that both backends store (and that replays return as JSON).

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::error::{StoreError, ValidationError};
use crate::ledger::{
    EntryHeader, EntryId, EntryKind, Escrow, EscrowId, EscrowState, EscrowTerms, EscrowTermsInput,
    GatewayName, JournalEntry, LedgerError, MilestoneInput, Posting, Side,
};
use crate::money::Paise;
use crate::types::{ListingId, UserId};

/// An entry as stored, NOT checked: `ledger verify` must see what is really there.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StoredEntry {
    /// Gapless position in commit order, from 1.
    pub seq: i64,
    pub header: EntryHeader,
    pub postings: Vec<Posting>,
}

impl StoredEntry {
    /// The entry, if its stored postings still balance.
    pub fn checked(self) -> Result<JournalEntry, LedgerError> {
        JournalEntry::new(self.header, self.postings)
    }
}

/// One posting to one account, with its entry's facts: a line of a statement.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StatementLine {
    pub seq: i64,
    pub entry_id: EntryId,
    pub escrow_id: Option<EscrowId>,
    pub kind: EntryKind,
    pub at: DateTime<Utc>,
    pub memo: String,
    pub side: Side,
    pub amount: Paise,
}

/// Reads a stored entry kind or side; an unknown one is corruption.
pub fn stored_kind(s: &str) -> Result<EntryKind, StoreError> {
    EntryKind::parse(s).ok_or_else(|| corrupt("entry kind", s))
}

/// See [`stored_kind`].
pub fn stored_side(s: &str) -> Result<Side, StoreError> {
    Side::parse(s).ok_or_else(|| corrupt("posting side", s))
}

/// A stored value the code cannot read back.
pub fn corrupt(what: &str, value: &str) -> StoreError {
    StoreError::backend(format!("stored {what} {value:?} is not valid"))
}

/// An escrow flattened to plain columns. `milestones` and `released_milestones` are JSON text.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct EscrowColumns {
    pub id: String,
    pub listing_id: String,
    pub buyer_id: String,
    pub seller_id: String,
    pub agent_id: Option<String>,
    pub amount: i64,
    pub platform_fee_bps: i64,
    pub agent_commission_bps: i64,
    pub milestones: String,
    pub state: String,
    pub released_milestones: String,
    pub funded: i64,
    pub released: i64,
    pub refunded: i64,
    pub funding_source: Option<String>,
    pub version: i64,
    /// Microseconds since the epoch, UTC.
    pub created_at: i64,
    pub updated_at: i64,
}

#[derive(Serialize, Deserialize)]
struct StoredMilestone {
    name: String,
    amount_paise: i64,
}

impl From<&Escrow> for EscrowColumns {
    fn from(e: &Escrow) -> Self {
        let t = &e.terms;
        let milestones: Vec<StoredMilestone> = t
            .milestones()
            .iter()
            .map(|m| StoredMilestone {
                name: m.name.clone(),
                amount_paise: m.amount.get(),
            })
            .collect();
        Self {
            id: e.id.to_string(),
            listing_id: t.listing_id().to_string(),
            buyer_id: t.buyer_id().to_string(),
            seller_id: t.seller_id().to_string(),
            agent_id: t.agent_id().map(UserId::to_string),
            amount: t.amount().get(),
            platform_fee_bps: i64::from(t.platform_fee_bps()),
            agent_commission_bps: i64::from(t.agent_commission_bps()),
            milestones: serde_json::to_string(&milestones).unwrap_or_default(),
            state: e.state.as_str().to_string(),
            released_milestones: serde_json::to_string(&e.released_milestones).unwrap_or_default(),
            funded: e.funded.get(),
            released: e.released.get(),
            refunded: e.refunded.get(),
            funding_source: e.funding_source.as_ref().map(|g| g.as_str().to_string()),
            version: e.version,
            created_at: e.created_at.timestamp_micros(),
            updated_at: e.updated_at.timestamp_micros(),
        }
    }
}

impl EscrowColumns {
    /// The escrow back, its terms checked again (they were checked when stored, so a failure
    /// means the stored row was altered).
    pub fn into_escrow(self) -> Result<Escrow, StoreError> {
        let bad = |what: &str| corrupt(what, &self.id);
        let milestones: Vec<StoredMilestone> =
            serde_json::from_str(&self.milestones).map_err(|_| bad("escrow milestones of"))?;
        let released: Vec<String> = serde_json::from_str(&self.released_milestones)
            .map_err(|_| bad("released milestones of"))?;
        let bps = |v: i64| u32::try_from(v).map_err(|_| bad("basis points of"));
        let input = EscrowTermsInput {
            listing_id: ListingId::from_trusted(self.listing_id.clone()),
            buyer_id: UserId::from_trusted(self.buyer_id.clone()),
            seller_id: UserId::from_trusted(self.seller_id.clone()),
            amount_paise: self.amount,
            platform_fee_bps: bps(self.platform_fee_bps)?,
            agent_id: self.agent_id.clone().map(UserId::from_trusted),
            agent_commission_bps: bps(self.agent_commission_bps)?,
            milestones: milestones
                .into_iter()
                .map(|m| MilestoneInput {
                    name: m.name,
                    amount_paise: m.amount_paise,
                })
                .collect(),
        };
        let terms = EscrowTerms::parse(input).map_err(|e: ValidationError| {
            StoreError::backend(format!("escrow {}: {e}", self.id))
        })?;
        let time = |us: i64| DateTime::from_timestamp_micros(us).ok_or_else(|| bad("time of"));
        let source = self.funding_source.as_deref().map(GatewayName::parse);
        Ok(Escrow {
            id: EscrowId::from_trusted(self.id.clone()),
            terms,
            state: EscrowState::parse(&self.state).ok_or_else(|| bad("state of"))?,
            released_milestones: released,
            funded: Paise::new(self.funded),
            released: Paise::new(self.released),
            refunded: Paise::new(self.refunded),
            funding_source: source.transpose().map_err(|_| bad("funding source of"))?,
            version: self.version,
            created_at: time(self.created_at)?,
            updated_at: time(self.updated_at)?,
        })
    }

    /// JSON of the whole escrow: the response a replay of an escrow request gives back.
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }

    /// Reads [`EscrowColumns::to_json`] back.
    pub fn from_json(s: &str) -> Result<Self, StoreError> {
        serde_json::from_str(s).map_err(|_| corrupt("escrow response", s))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ledger::{EntryContext, EscrowCommand, IdempotencyKey, MilestoneInput};

    #[test]
    fn an_escrow_survives_its_columns_and_their_json() {
        let input = EscrowTermsInput {
            listing_id: ListingId::generate(),
            buyer_id: UserId::generate(),
            seller_id: UserId::generate(),
            amount_paise: 1_000_00,
            platform_fee_bps: 200,
            agent_id: None,
            agent_commission_bps: 0,
            milestones: vec![MilestoneInput {
                name: "सब \"कुछ\"".into(),
                amount_paise: 1_000_00,
            }],
        };
        let at = DateTime::from_timestamp_micros(1_700_000_000_000_001).unwrap();
        let e = Escrow::open(EscrowId::generate(), EscrowTerms::parse(input).unwrap(), at);
        let ctx = EntryContext {
            idempotency_key: IdempotencyKey::parse("k").unwrap(),
            at,
        };
        let source = GatewayName::parse("sandbox").unwrap();
        let e = e
            .apply(&EscrowCommand::Fund { source }, &ctx)
            .unwrap()
            .escrow;
        let cols = EscrowColumns::from(&e);
        let back = EscrowColumns::from_json(&cols.to_json()).unwrap();
        assert_eq!(back.into_escrow().unwrap(), e);
        let mut broken = cols;
        broken.state = "lost".into();
        assert!(broken.into_escrow().is_err());
    }
}
