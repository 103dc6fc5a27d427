//! KYC: an account's identifiers, submitted by its owner and decided by an admin.

use chrono::{DateTime, Utc};
use serde_json::json;

use crate::audit::{RequestMeta, Stamp};
use crate::error::{check_free_text, impl_domain_error, StoreError, ValidationError};
use crate::identity::{AadhaarLast4, Gstin, Pan, Udyam};
use crate::marketplace::MarketplacePorts;
use crate::rbac::{Actor, Forbidden, Permission};
use crate::types::UserId;

/// Where an account's KYC stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum KycStatus {
    NotStarted,
    Submitted,
    Verified,
    Rejected,
}

impl KycStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            KycStatus::NotStarted => "not_started",
            KycStatus::Submitted => "submitted",
            KycStatus::Verified => "verified",
            KycStatus::Rejected => "rejected",
        }
    }

    pub fn parse(s: &str) -> Result<Self, ValidationError> {
        [
            KycStatus::NotStarted,
            KycStatus::Submitted,
            KycStatus::Verified,
            KycStatus::Rejected,
        ]
        .into_iter()
        .find(|k| k.as_str() == s)
        .ok_or_else(|| {
            ValidationError::new(
                "status",
                "must be one of not_started, submitted, verified, rejected",
            )
        })
    }
}

/// An account's KYC record.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Kyc {
    pub user_id: UserId,
    pub pan: Pan,
    pub gstin: Option<Gstin>,
    pub udyam: Option<Udyam>,
    /// Individuals only; never the full Aadhaar number.
    pub aadhaar_last4: Option<AadhaarLast4>,
    pub status: KycStatus,
    pub rejection_reason: Option<String>,
    pub submitted_at: DateTime<Utc>,
    pub decided_at: Option<DateTime<Utc>>,
    /// `user:<id>` or `operator`.
    pub decided_by: Option<String>,
}

/// What an account submits, as given.
#[derive(Clone, Debug, Default)]
pub struct KycSubmission {
    pub pan: String,
    pub gstin: Option<String>,
    pub udyam: Option<String>,
    pub aadhaar_last4: Option<String>,
}

/// Failures of KYC operations.
#[derive(Debug, thiserror::Error)]
pub enum KycError {
    #[error(transparent)]
    Invalid(#[from] ValidationError),
    #[error(transparent)]
    Forbidden(#[from] Forbidden),
    #[error("no KYC has been submitted for this account")]
    NotFound,
    #[error("KYC that is {0} cannot be {1}")]
    IllegalTransition(&'static str, &'static str),
    #[error("the KYC record changed while this was being decided; reload and try again")]
    Conflict,
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl_domain_error!(KycError {
    via: Invalid, Forbidden, Store;
    codes: {
        Self::NotFound => "kyc_not_found", NotFound;
        Self::IllegalTransition(..) => "illegal_transition", Conflict;
        Self::Conflict => "conflict", Conflict;
    }
});

/// The identifiers of a submission, parsed.
pub type CheckedSubmission = (Pan, Option<Gstin>, Option<Udyam>, Option<AadhaarLast4>);

/// Parses a submission; the GSTIN must carry the same PAN, and Aadhaar is for individuals only.
pub fn check_submission(s: &KycSubmission) -> Result<CheckedSubmission, ValidationError> {
    let pan = Pan::parse(&s.pan)?;
    let present = |o: &Option<String>| {
        o.as_deref()
            .map(str::trim)
            .filter(|v| !v.is_empty())
            .map(str::to_string)
    };
    let gstin = present(&s.gstin).map(|g| Gstin::parse(&g)).transpose()?;
    if let Some(g) = &gstin {
        if g.pan() != pan {
            return Err(ValidationError::new(
                "gstin",
                "does not contain the PAN given (characters 3 to 12)",
            ));
        }
    }
    let udyam = present(&s.udyam).map(|u| Udyam::parse(&u)).transpose()?;
    let aadhaar = present(&s.aadhaar_last4)
        .map(|a| AadhaarLast4::parse(&a))
        .transpose()?;
    if aadhaar.is_some() && !pan.is_individual() {
        return Err(ValidationError::new(
            "aadhaar_last4",
            "applies to individuals only (a PAN whose fourth letter is P)",
        ));
    }
    Ok((pan, gstin, udyam, aadhaar))
}

/// KYC operations; get one from [`Platform::kyc`](crate::Platform::kyc).
pub struct KycDesk<'a> {
    pub(crate) store: &'a dyn MarketplacePorts,
    pub(crate) stamp: Stamp<'a>,
}

impl KycDesk<'_> {
    /// Submits (or resubmits after a rejection) the actor's own identifiers.
    pub async fn submit(
        &self,
        meta: &RequestMeta,
        actor: &Actor,
        s: KycSubmission,
    ) -> Result<Kyc, KycError> {
        actor.require(Permission::ManageOwnAccount)?;
        let user_id = actor.user_id().ok_or(KycError::NotFound)?.clone();
        let (pan, gstin, udyam, aadhaar_last4) = check_submission(&s)?;
        let store = self.store;
        let previous = store.kyc_of(&user_id).await?.map(|k| k.status);
        if matches!(
            previous,
            Some(KycStatus::Submitted) | Some(KycStatus::Verified)
        ) {
            let from = previous.map(KycStatus::as_str).unwrap_or("submitted");
            return Err(KycError::IllegalTransition(from, "resubmitted"));
        }
        let kyc = Kyc {
            user_id: user_id.clone(),
            pan,
            gstin,
            udyam,
            aadhaar_last4,
            status: KycStatus::Submitted,
            rejection_reason: None,
            submitted_at: self.stamp.now(),
            decided_at: None,
            decided_by: None,
        };
        let event = self.stamp.event(
            meta,
            actor.audit_actor(),
            "kyc.submitted",
            ("user", user_id.as_str()),
            json!({}),
        );
        if !store.put_kyc(&kyc, previous, event).await? {
            return Err(KycError::Conflict);
        }
        Ok(kyc)
    }

    /// The actor's own record, or anyone's for an admin.
    pub async fn get(&self, actor: &Actor, user: &UserId) -> Result<Kyc, KycError> {
        if actor.user_id() != Some(user) {
            actor.require(Permission::ReviewListings)?;
        }
        self.store.kyc_of(user).await?.ok_or(KycError::NotFound)
    }

    /// Records for review, optionally by status.
    pub async fn list(
        &self,
        actor: &Actor,
        status: Option<KycStatus>,
        after: Option<&UserId>,
        limit: u32,
    ) -> Result<Vec<Kyc>, KycError> {
        actor.require(Permission::ReviewListings)?;
        Ok(self
            .store
            .list_kyc(status, after, limit.clamp(1, 500))
            .await?)
    }

    /// Marks a submitted record verified.
    pub async fn verify(
        &self,
        meta: &RequestMeta,
        actor: &Actor,
        user: &UserId,
    ) -> Result<Kyc, KycError> {
        self.decide(meta, actor, user, KycStatus::Verified, None)
            .await
    }

    /// Rejects a submitted record with a reason the account holder will read.
    pub async fn reject(
        &self,
        meta: &RequestMeta,
        actor: &Actor,
        user: &UserId,
        reason: &str,
    ) -> Result<Kyc, KycError> {
        actor.require(Permission::ReviewListings)?;
        let reason = check_free_text("reason", reason, 500)?;
        if reason.is_empty() {
            return Err(ValidationError::new("reason", "must be 1 to 500 characters").into());
        }
        self.decide(
            meta,
            actor,
            user,
            KycStatus::Rejected,
            Some(reason.to_string()),
        )
        .await
    }

    async fn decide(
        &self,
        meta: &RequestMeta,
        actor: &Actor,
        user: &UserId,
        to: KycStatus,
        reason: Option<String>,
    ) -> Result<Kyc, KycError> {
        actor.require(Permission::ReviewListings)?;
        let store = self.store;
        let mut kyc = store.kyc_of(user).await?.ok_or(KycError::NotFound)?;
        if kyc.status != KycStatus::Submitted {
            let verb = if to == KycStatus::Verified {
                "verified"
            } else {
                "rejected"
            };
            return Err(KycError::IllegalTransition(kyc.status.as_str(), verb));
        }
        kyc.status = to;
        kyc.rejection_reason = reason.clone();
        kyc.decided_at = Some(self.stamp.now());
        kyc.decided_by = Some(actor.audit_actor().as_string());
        let action = if to == KycStatus::Verified {
            "kyc.verified"
        } else {
            "kyc.rejected"
        };
        let event = self.stamp.event(
            meta,
            actor.audit_actor(),
            action,
            ("user", user.as_str()),
            json!({ "reason": reason }),
        );
        if !store
            .put_kyc(&kyc, Some(KycStatus::Submitted), event)
            .await?
        {
            return Err(KycError::Conflict);
        }
        Ok(kyc)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sub(pan: &str, gstin: Option<&str>, aadhaar: Option<&str>) -> KycSubmission {
        KycSubmission {
            pan: pan.into(),
            gstin: gstin.map(Into::into),
            udyam: None,
            aadhaar_last4: aadhaar.map(Into::into),
        }
    }

    #[test]
    fn gstin_must_embed_the_pan() {
        assert!(check_submission(&sub("AAPFU0939F", Some("27AAPFU0939F1ZV"), None)).is_ok());
        let e = check_submission(&sub("AAGCB7383J", Some("27AAPFU0939F1ZV"), None)).unwrap_err();
        assert_eq!(e.field, "gstin");
    }

    #[test]
    fn aadhaar_only_for_individuals() {
        assert!(check_submission(&sub("ABCPE1234F", None, Some("1234"))).is_ok());
        assert_eq!(
            check_submission(&sub("AAPFU0939F", None, Some("1234")))
                .unwrap_err()
                .field,
            "aadhaar_last4"
        );
    }

    #[test]
    fn empty_optional_fields_are_absent() {
        let (_, g, u, a) = check_submission(&KycSubmission {
            pan: "ABCPE1234F".into(),
            gstin: Some(" ".into()),
            udyam: Some("".into()),
            aadhaar_last4: None,
        })
        .unwrap();
        assert!(g.is_none() && u.is_none() && a.is_none());
    }
}
