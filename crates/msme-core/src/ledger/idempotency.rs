//! Idempotency: every money-moving request carries a key chosen by the caller.
//!
//! The rule, which storage enforces atomically with the write it guards:
//! - a key never seen before: do the work, and store key, [`RequestFingerprint`] and the
//!   response in the same transaction;
//! - the same key with the same fingerprint: do nothing, return the first response;
//! - the same key with a different fingerprint: refuse with `idempotency_conflict` (HTTP 409).
//!
//! Keys are unique across the whole ledger, so the fingerprint should name the actor: the same
//! key sent by someone else is then a different request, and a conflict.

use std::collections::BTreeMap;
use std::fmt;

use sha2::{Digest, Sha256};

use crate::error::ValidationError;
use crate::ledger::LedgerError;

/// A caller's idempotency key (`Idempotency-Key` header): 1 to 255 visible ASCII characters.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct IdempotencyKey(String);

impl IdempotencyKey {
    pub const MAX_LEN: usize = 255;

    pub fn parse(s: &str) -> Result<Self, ValidationError> {
        if s.is_empty() || s.len() > Self::MAX_LEN {
            return Err(ValidationError::new(
                "idempotency_key",
                "must be 1 to 255 characters",
            ));
        }
        if !s.bytes().all(|b| b.is_ascii_graphic()) {
            return Err(ValidationError::new(
                "idempotency_key",
                "must be visible ASCII characters, without spaces",
            ));
        }
        Ok(Self(s.to_string()))
    }
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for IdempotencyKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// SHA-256 over a canonical description of a request: its operation and its named fields,
/// sorted by name and each length-prefixed, so field order and separators cannot make two
/// different requests look alike.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct RequestFingerprint([u8; 32]);

impl RequestFingerprint {
    /// Starts a fingerprint of `operation` (e.g. `escrow.release`).
    pub fn of(operation: &str) -> FingerprintBuilder {
        FingerprintBuilder {
            operation: operation.to_string(),
            fields: BTreeMap::new(),
        }
    }
    pub fn to_hex(&self) -> String {
        hex::encode(self.0)
    }
    /// Reads back a stored fingerprint.
    pub fn from_hex(s: &str) -> Option<Self> {
        let bytes = hex::decode(s).ok()?;
        bytes.try_into().ok().map(Self)
    }
}

impl fmt::Debug for RequestFingerprint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "RequestFingerprint({})", self.to_hex())
    }
}

/// Collects a request's fields; see [`RequestFingerprint::of`].
#[derive(Clone, Debug)]
pub struct FingerprintBuilder {
    operation: String,
    fields: BTreeMap<String, String>,
}

impl FingerprintBuilder {
    /// Adds a field. Naming one field twice is a bug in the caller.
    pub fn field(mut self, name: &str, value: impl fmt::Display) -> Self {
        let previous = self.fields.insert(name.to_string(), value.to_string());
        debug_assert!(previous.is_none(), "field {name} given twice");
        self
    }
    pub fn finish(self) -> RequestFingerprint {
        let mut h = Sha256::new();
        let mut put = |bytes: &[u8]| {
            h.update((bytes.len() as u64).to_be_bytes());
            h.update(bytes);
        };
        put(b"msme.request.v1");
        put(self.operation.as_bytes());
        put(&(self.fields.len() as u64).to_be_bytes());
        for (name, value) in &self.fields {
            put(name.as_bytes());
            put(value.as_bytes());
        }
        RequestFingerprint(h.finalize().into())
    }
}

/// A key as stored, with the request it was first used for and the response given.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct IdempotencyRecord {
    pub key: IdempotencyKey,
    pub fingerprint: RequestFingerprint,
    /// The first response, as JSON, returned again on a replay.
    pub response_json: String,
}

/// What to do with a request, given what the store holds for its key.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum IdempotencyDecision<'a> {
    /// The key is new: do the work.
    Proceed,
    /// The same request was done before: return this response, do nothing.
    Replay(&'a str),
}

/// Applies the rule in the module docs.
pub fn decide<'a>(
    existing: Option<&'a IdempotencyRecord>,
    fingerprint: &RequestFingerprint,
) -> Result<IdempotencyDecision<'a>, LedgerError> {
    match existing {
        None => Ok(IdempotencyDecision::Proceed),
        Some(r) if r.fingerprint == *fingerprint => {
            Ok(IdempotencyDecision::Replay(&r.response_json))
        }
        Some(_) => Err(LedgerError::IdempotencyConflict),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::DomainError;

    #[test]
    fn keys_are_visible_ascii_of_1_to_255() {
        assert!(IdempotencyKey::parse("order-42_retry.1").is_ok());
        assert!(IdempotencyKey::parse(&"k".repeat(255)).is_ok());
        for bad in ["", " ", "a b", "ключ", "tab\there", &"k".repeat(256)] {
            let e = IdempotencyKey::parse(bad).unwrap_err();
            assert_eq!(e.field, "idempotency_key", "{bad:?}");
        }
    }

    #[test]
    fn fingerprints_ignore_field_order_but_not_values_or_boundaries() {
        let a = RequestFingerprint::of("escrow.release")
            .field("escrow_id", "e1")
            .field("milestone", "handover")
            .finish();
        let b = RequestFingerprint::of("escrow.release")
            .field("milestone", "handover")
            .field("escrow_id", "e1")
            .finish();
        assert_eq!(a, b);
        let other = RequestFingerprint::of("escrow.release")
            .field("escrow_id", "e1")
            .field("milestone", "handove")
            .finish();
        assert_ne!(a, other);
        // "ab"+"c" and "a"+"bc" must differ: fields are length-prefixed.
        let x = RequestFingerprint::of("op").field("ab", "c").finish();
        let y = RequestFingerprint::of("op").field("a", "bc").finish();
        assert_ne!(x, y);
        assert_eq!(RequestFingerprint::from_hex(&a.to_hex()), Some(a));
    }

    #[test]
    fn same_key_same_request_replays_and_different_request_conflicts() {
        let fp = RequestFingerprint::of("escrow.fund")
            .field("escrow_id", "e1")
            .finish();
        let record = IdempotencyRecord {
            key: IdempotencyKey::parse("k1").unwrap(),
            fingerprint: fp,
            response_json: r#"{"state":"funded"}"#.into(),
        };
        assert_eq!(decide(None, &fp), Ok(IdempotencyDecision::Proceed));
        assert_eq!(
            decide(Some(&record), &fp),
            Ok(IdempotencyDecision::Replay(r#"{"state":"funded"}"#))
        );
        let other = RequestFingerprint::of("escrow.fund")
            .field("escrow_id", "e2")
            .finish();
        let e = decide(Some(&record), &other).unwrap_err();
        assert_eq!(e.code(), "idempotency_conflict");
        assert_eq!(e.kind(), crate::error::ErrorKind::Conflict);
    }
}
