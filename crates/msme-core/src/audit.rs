//! The audit trail: an append-only, hash-chained log of every state change.
//!
//! Each entry is written in the same transaction as the change it records and carries the hash
//! of the entry before it, so removing or editing any entry breaks the chain from there on.
//! Entries are numbered gaplessly (`seq`) in commit order, which makes the log also the stream of
//! domain events that consumers (search indexer, notifications) follow with a stored cursor.

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use sha2::{Digest, Sha256};

use crate::error::StoreResult;
use crate::types::UserId;

/// Context of one request, carried into the audit trail.
#[derive(Clone, Debug, Default)]
pub struct RequestMeta {
    pub request_id: Option<String>,
    pub user_agent: Option<String>,
}

impl RequestMeta {
    pub fn with_request_id(id: impl Into<String>) -> Self {
        Self {
            request_id: Some(id.into()),
            user_agent: None,
        }
    }
}

/// What a service stamps its changes with: the time, from its clock, and the audit event that
/// describes the change (committed with it by the store).
#[derive(Clone, Copy)]
pub(crate) struct Stamp<'a> {
    pub(crate) clock: &'a dyn crate::clock::Clock,
}

impl Stamp<'_> {
    pub(crate) fn now(&self) -> DateTime<Utc> {
        self.clock.now()
    }

    /// The event recording `action` by `actor` on `entity` (type, id), at the clock's now.
    pub(crate) fn event(
        &self,
        meta: &RequestMeta,
        actor: AuditActor,
        action: &str,
        entity: (&str, &str),
        details: serde_json::Value,
    ) -> AuditEvent {
        AuditEvent {
            at: self.now(),
            actor,
            action: action.to_string(),
            entity_type: entity.0.to_string(),
            entity_id: entity.1.to_string(),
            request_id: meta.request_id.clone(),
            details: details.to_string(),
        }
    }
}

/// The hash that stands before the first entry.
pub const GENESIS_HASH: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// Who did something.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum AuditActor {
    /// A signed-in account.
    User(UserId),
    /// An operator at the terminal (the `msme` CLI).
    Operator,
    /// The platform itself (background jobs, someone not yet signed in).
    System,
}

impl AuditActor {
    pub fn as_string(&self) -> String {
        match self {
            AuditActor::User(id) => format!("user:{id}"),
            AuditActor::Operator => "operator".into(),
            AuditActor::System => "system".into(),
        }
    }

    pub fn parse_stored(s: &str) -> Self {
        match s {
            "operator" => AuditActor::Operator,
            "system" => AuditActor::System,
            other => AuditActor::User(UserId::from_trusted(
                other.strip_prefix("user:").unwrap_or(other).to_string(),
            )),
        }
    }
}

/// A state change about to be recorded. The store gives it its `seq` and hashes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AuditEvent {
    pub at: DateTime<Utc>,
    pub actor: AuditActor,
    /// Dotted verb, e.g. `user.registered`, `session.revoked`.
    pub action: String,
    /// The kind of thing changed, e.g. `user`, `session`.
    pub entity_type: String,
    pub entity_id: String,
    pub request_id: Option<String>,
    /// Facts worth keeping, as compact JSON. Never secrets.
    pub details: String,
}

/// A recorded audit entry.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AuditEntry {
    pub seq: i64,
    pub event: AuditEvent,
    pub prev_hash: String,
    pub hash: String,
}

impl AuditEntry {
    /// Seals an event as entry number `seq` after the entry whose hash is `prev_hash`.
    pub fn seal(event: AuditEvent, seq: i64, prev_hash: &str) -> Self {
        let hash = entry_hash(seq, &event, prev_hash);
        Self {
            seq,
            event,
            prev_hash: prev_hash.to_string(),
            hash,
        }
    }
}

/// SHA-256 over every field, each length-prefixed so that no two entries serialise alike.
pub fn entry_hash(seq: i64, e: &AuditEvent, prev_hash: &str) -> String {
    let mut h = Sha256::new();
    let mut field = |bytes: &[u8]| {
        h.update((bytes.len() as u64).to_be_bytes());
        h.update(bytes);
    };
    field(&seq.to_be_bytes());
    field(&e.at.timestamp_micros().to_be_bytes());
    field(e.actor.as_string().as_bytes());
    field(e.action.as_bytes());
    field(e.entity_type.as_bytes());
    field(e.entity_id.as_bytes());
    field(e.request_id.as_deref().unwrap_or("").as_bytes());
    field(e.details.as_bytes());
    field(prev_hash.as_bytes());
    hex::encode(h.finalize())
}

/// What `audit verify` found.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ChainVerdict {
    /// Every entry checks out.
    Intact { entries: i64 },
    /// The first entry that was altered or removed, and what is wrong with it.
    Broken { seq: i64, problem: ChainProblem },
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ChainProblem {
    /// The entry's content no longer matches its hash: it was edited.
    Altered,
    /// Entries before this one are missing (a gap in the numbering).
    Missing { expected_seq: i64 },
    /// The entry does not point at the hash of the entry before it.
    Relinked,
    /// The log ends before the last entry the store recorded: the tail was removed.
    Truncated,
}

impl std::fmt::Display for ChainVerdict {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ChainVerdict::Intact { entries } => write!(f, "audit chain intact: {entries} entries"),
            ChainVerdict::Broken { seq, problem } => {
                let what = match problem {
                    ChainProblem::Altered => {
                        "was altered (its hash does not match its content)".to_string()
                    }
                    ChainProblem::Missing { expected_seq } => {
                        format!("follows a gap: entry {expected_seq} and after were removed")
                    }
                    ChainProblem::Relinked => "does not link to the entry before it".to_string(),
                    ChainProblem::Truncated => {
                        "is the last one recorded, but it was removed".to_string()
                    }
                };
                write!(f, "audit chain broken at entry {seq}: it {what}")
            }
        }
    }
}

/// Checks entries page by page; feed it every entry in `seq` order, then call `finish`.
#[derive(Debug)]
pub struct ChainVerifier {
    expected_seq: i64,
    prev_hash: String,
    broken: Option<(i64, ChainProblem)>,
}

impl Default for ChainVerifier {
    fn default() -> Self {
        Self {
            expected_seq: 1,
            prev_hash: GENESIS_HASH.to_string(),
            broken: None,
        }
    }
}

impl ChainVerifier {
    /// Returns false once the chain is known to be broken (no need to read further).
    pub fn check(&mut self, entry: &AuditEntry) -> bool {
        if self.broken.is_some() {
            return false;
        }
        let problem = if entry.seq != self.expected_seq {
            Some(ChainProblem::Missing {
                expected_seq: self.expected_seq,
            })
        } else if entry_hash(entry.seq, &entry.event, &entry.prev_hash) != entry.hash {
            Some(ChainProblem::Altered)
        } else if entry.prev_hash != self.prev_hash {
            Some(ChainProblem::Relinked)
        } else {
            None
        };
        if let Some(p) = problem {
            self.broken = Some((entry.seq, p));
            return false;
        }
        self.expected_seq += 1;
        self.prev_hash = entry.hash.clone();
        true
    }

    /// `head` is the last (seq, hash) the store recorded as appended, which catches a removed tail.
    pub fn finish(self, head: Option<(i64, String)>) -> ChainVerdict {
        if let Some((seq, problem)) = self.broken {
            return ChainVerdict::Broken { seq, problem };
        }
        let seen = self.expected_seq - 1;
        match head {
            Some((head_seq, _)) if head_seq > seen => ChainVerdict::Broken {
                seq: seen + 1,
                problem: ChainProblem::Truncated,
            },
            Some((head_seq, head_hash)) if head_seq == seen && head_hash != self.prev_hash => {
                ChainVerdict::Broken {
                    seq: seen,
                    problem: ChainProblem::Altered,
                }
            }
            _ => ChainVerdict::Intact { entries: seen },
        }
    }
}

/// The audit log, which is also the event stream, as stored.
#[async_trait]
pub trait AuditStore: Send + Sync {
    /// Appends an entry that stands alone (no other change), e.g. an operator's export.
    async fn append_audit(&self, audit: AuditEvent) -> StoreResult<AuditEntry>;
    /// Entries with `seq > after`, in order.
    async fn audit_page(&self, after: i64, limit: u32) -> StoreResult<Vec<AuditEntry>>;
    /// The last `(seq, hash)` appended, kept apart from the entries so a removed tail shows.
    async fn audit_head(&self) -> StoreResult<Option<(i64, String)>>;
    /// Where a named consumer of the event stream has read up to (0 before it starts).
    async fn consumer_cursor(&self, consumer: &str) -> StoreResult<i64>;
    async fn set_consumer_cursor(&self, consumer: &str, seq: i64) -> StoreResult<()>;
}

#[cfg(test)]
mod tests {
    use super::*;

    fn event(n: i64) -> AuditEvent {
        AuditEvent {
            at: DateTime::from_timestamp_micros(1_700_000_000_000_000 + n).unwrap(),
            actor: AuditActor::System,
            action: "user.registered".into(),
            entity_type: "user".into(),
            entity_id: format!("u{n}"),
            request_id: None,
            details: "{}".into(),
        }
    }

    fn chain(n: i64) -> Vec<AuditEntry> {
        let mut prev = GENESIS_HASH.to_string();
        (1..=n)
            .map(|i| {
                let e = AuditEntry::seal(event(i), i, &prev);
                prev = e.hash.clone();
                e
            })
            .collect()
    }

    fn verify(entries: &[AuditEntry], head: Option<(i64, String)>) -> ChainVerdict {
        let mut v = ChainVerifier::default();
        for e in entries {
            v.check(e);
        }
        v.finish(head)
    }

    #[test]
    fn intact_chain_verifies() {
        let c = chain(5);
        let head = Some((5, c[4].hash.clone()));
        assert_eq!(verify(&c, head), ChainVerdict::Intact { entries: 5 });
    }

    #[test]
    fn edited_entry_is_named() {
        let mut c = chain(5);
        c[2].event.details = r#"{"role":"admin"}"#.into();
        let head = Some((5, c[4].hash.clone()));
        assert_eq!(
            verify(&c, head),
            ChainVerdict::Broken {
                seq: 3,
                problem: ChainProblem::Altered
            }
        );
    }

    #[test]
    fn removed_entry_is_named() {
        let mut c = chain(5);
        c.remove(1);
        let head = Some((5, c[3].hash.clone()));
        assert_eq!(
            verify(&c, head),
            ChainVerdict::Broken {
                seq: 3,
                problem: ChainProblem::Missing { expected_seq: 2 }
            }
        );
    }

    #[test]
    fn removed_tail_is_named() {
        let c = chain(5);
        let head = Some((5, c[4].hash.clone()));
        assert_eq!(
            verify(&c[..4], head),
            ChainVerdict::Broken {
                seq: 5,
                problem: ChainProblem::Truncated
            }
        );
    }

    #[test]
    fn rehashed_forgery_breaks_the_link() {
        let mut c = chain(3);
        c[1].event.actor = AuditActor::Operator;
        c[1].hash = entry_hash(2, &c[1].event, &c[1].prev_hash);
        let head = Some((3, c[2].hash.clone()));
        assert_eq!(
            verify(&c, head),
            ChainVerdict::Broken {
                seq: 3,
                problem: ChainProblem::Relinked
            }
        );
    }
}
