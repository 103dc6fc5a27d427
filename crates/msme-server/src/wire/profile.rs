//! Profiles and KYC on the wire.

use msme_core::kyc::{Kyc, KycSubmission};
use msme_core::profile::{ProfileFields, ProfileView};
use msme_core::types::UserId;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::time;

/// The fields of a profile; which apply depends on the account's role. `PUT /v1/profiles/me`
/// replaces them all: a field left out is cleared. Unknown fields are refused.
#[derive(Debug, Default, Serialize, Deserialize, ToSchema)]
#[serde(default, deny_unknown_fields)]
pub struct ProfileFieldsBody {
    pub about: Option<String>,
    pub city: Option<String>,
    /// An Indian state or union territory, by name or two-letter code.
    pub state: Option<String>,
    /// Sellers.
    pub business_owner_name: Option<String>,
    /// Sellers.
    pub company_name: Option<String>,
    /// Buyers: `individual`, `family_office`, `strategic`, `private_equity`, `search_fund`.
    pub investor_type: Option<String>,
    /// Buyers.
    pub ticket_min_paise: Option<i64>,
    /// Buyers.
    pub ticket_max_paise: Option<i64>,
    /// Buyers: industry ids from `GET /v1/industries`.
    pub sectors: Vec<String>,
    /// Buyers.
    pub locations: Vec<String>,
    /// Agents.
    pub region: Option<String>,
    /// Agents.
    pub licence_number: Option<String>,
    /// NBFCs.
    pub rbi_registration_number: Option<String>,
    /// NBFCs.
    pub lending_min_paise: Option<i64>,
    /// NBFCs.
    pub lending_max_paise: Option<i64>,
}

/// `$to` with every profile field moved from `$from`. The core's fields and the wire's are the
/// same list, named once here so the two directions cannot drift apart.
macro_rules! copy_profile_fields {
    ($from:expr => $to:ident) => {{
        let f = $from;
        $to {
            about: f.about,
            city: f.city,
            state: f.state,
            business_owner_name: f.business_owner_name,
            company_name: f.company_name,
            investor_type: f.investor_type,
            ticket_min_paise: f.ticket_min_paise,
            ticket_max_paise: f.ticket_max_paise,
            sectors: f.sectors,
            locations: f.locations,
            region: f.region,
            licence_number: f.licence_number,
            rbi_registration_number: f.rbi_registration_number,
            lending_min_paise: f.lending_min_paise,
            lending_max_paise: f.lending_max_paise,
        }
    }};
}

impl From<ProfileFieldsBody> for ProfileFields {
    fn from(b: ProfileFieldsBody) -> Self {
        copy_profile_fields!(b => ProfileFields)
    }
}

impl From<&ProfileFields> for ProfileFieldsBody {
    fn from(f: &ProfileFields) -> Self {
        copy_profile_fields!(f.clone() => ProfileFieldsBody)
    }
}

/// How complete a profile is for its role.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct CompletionBody {
    /// 0 to 100: the share of the role's fields that are filled in.
    pub score: u8,
    /// Names of the role's fields still empty.
    pub missing: Vec<String>,
}

/// A profile with its completion.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct ProfileBody {
    pub user_id: String,
    pub role: String,
    pub name: String,
    pub fields: ProfileFieldsBody,
    pub completion: CompletionBody,
    /// Null before the first save.
    #[schema(format = DateTime)]
    pub updated_at: Option<String>,
}

impl From<&ProfileView> for ProfileBody {
    fn from(v: &ProfileView) -> Self {
        Self {
            user_id: v.user_id.to_string(),
            role: v.role.as_str().to_string(),
            name: v.name.clone(),
            fields: ProfileFieldsBody::from(&v.fields),
            completion: CompletionBody {
                score: v.completion.score,
                missing: v.completion.missing.iter().map(|m| m.to_string()).collect(),
            },
            updated_at: v.updated_at.map(time),
        }
    }
}

/// `POST /v1/kyc`: one's own identifiers. Never the full Aadhaar number.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct KycRequest {
    /// `AAAAA9999A`.
    #[schema(example = "AAPFU0939F")]
    pub pan: String,
    /// 15 characters: state code, the PAN, entity number, `Z`, check character.
    #[serde(default)]
    #[schema(example = "27AAPFU0939F1ZV")]
    pub gstin: Option<String>,
    /// `UDYAM-XX-00-0000000`.
    #[serde(default)]
    pub udyam: Option<String>,
    /// Individuals only (PAN with `P` fourth): the last four digits of Aadhaar.
    #[serde(default)]
    pub aadhaar_last4: Option<String>,
}

impl From<KycRequest> for KycSubmission {
    fn from(r: KycRequest) -> Self {
        Self {
            pan: r.pan,
            gstin: r.gstin,
            udyam: r.udyam,
            aadhaar_last4: r.aadhaar_last4,
        }
    }
}

/// An account's KYC record; `status` is `not_started` (and the rest null) before a submission.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct KycBody {
    pub user_id: String,
    /// `not_started`, `submitted`, `verified` or `rejected`.
    pub status: String,
    pub pan: Option<String>,
    pub gstin: Option<String>,
    pub udyam: Option<String>,
    pub aadhaar_last4: Option<String>,
    /// Why an admin rejected it.
    pub rejection_reason: Option<String>,
    #[schema(format = DateTime)]
    pub submitted_at: Option<String>,
    #[schema(format = DateTime)]
    pub decided_at: Option<String>,
    /// `user:<id>` of the admin, or `operator`.
    pub decided_by: Option<String>,
}

impl KycBody {
    /// The answer for an account that has submitted nothing yet.
    pub fn not_started(user: &UserId) -> Self {
        Self {
            user_id: user.to_string(),
            status: "not_started".into(),
            pan: None,
            gstin: None,
            udyam: None,
            aadhaar_last4: None,
            rejection_reason: None,
            submitted_at: None,
            decided_at: None,
            decided_by: None,
        }
    }
}

impl From<&Kyc> for KycBody {
    fn from(k: &Kyc) -> Self {
        Self {
            user_id: k.user_id.to_string(),
            status: k.status.as_str().to_string(),
            pan: Some(k.pan.as_str().to_string()),
            gstin: k.gstin.as_ref().map(|g| g.as_str().to_string()),
            udyam: k.udyam.as_ref().map(|u| u.as_str().to_string()),
            aadhaar_last4: k.aadhaar_last4.as_ref().map(|a| a.as_str().to_string()),
            rejection_reason: k.rejection_reason.clone(),
            submitted_at: Some(time(k.submitted_at)),
            decided_at: k.decided_at.map(time),
            decided_by: k.decided_by.clone(),
        }
    }
}

/// A rejection (of KYC or of a listing), with the reason its owner will read.
#[derive(Debug, Deserialize, ToSchema)]
pub struct ReasonRequest {
    pub reason: String,
}
