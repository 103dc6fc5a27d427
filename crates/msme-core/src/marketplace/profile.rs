//! Profiles: what each role tells the marketplace about itself, and how complete it is.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::json;

use crate::audit::{RequestMeta, Stamp};
use crate::error::{check_free_text, impl_domain_error, StoreError, ValidationError};
use crate::marketplace::MarketplacePorts;
use crate::rbac::{Actor, Forbidden};
use crate::types::{Role, UserId};

/// Kinds of buyer.
pub const INVESTOR_TYPES: &[&str] = &[
    "individual",
    "family_office",
    "strategic",
    "private_equity",
    "search_fund",
];

/// A profile's fields. Which ones apply depends on the account's role.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ProfileFields {
    pub about: Option<String>,
    pub city: Option<String>,
    pub state: Option<String>,
    // seller
    pub business_owner_name: Option<String>,
    pub company_name: Option<String>,
    // buyer
    pub investor_type: Option<String>,
    pub ticket_min_paise: Option<i64>,
    pub ticket_max_paise: Option<i64>,
    pub sectors: Vec<String>,
    pub locations: Vec<String>,
    // agent
    pub region: Option<String>,
    pub licence_number: Option<String>,
    // nbfc
    pub rbi_registration_number: Option<String>,
    pub lending_min_paise: Option<i64>,
    pub lending_max_paise: Option<i64>,
}

/// A stored profile.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Profile {
    pub user_id: UserId,
    pub fields: ProfileFields,
    pub updated_at: DateTime<Utc>,
}

impl Profile {
    /// The fields as a JSON document, the form the stores keep.
    pub fn to_document(&self) -> String {
        serde_json::to_string(&self.fields).unwrap_or_else(|_| "{}".into())
    }

    /// Reads the stored JSON document back.
    pub fn from_document(
        user_id: UserId,
        doc: &str,
        updated_at: DateTime<Utc>,
    ) -> Result<Self, StoreError> {
        let fields = serde_json::from_str(doc).map_err(StoreError::backend)?;
        Ok(Self {
            user_id,
            fields,
            updated_at,
        })
    }
}

/// How complete a profile is, and what is missing.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Completion {
    /// 0 to 100.
    pub score: u8,
    pub missing: Vec<&'static str>,
}

/// The fields each role is asked to fill in.
pub fn expected_fields(role: Role) -> &'static [&'static str] {
    match role {
        Role::Seller => &[
            "about",
            "city",
            "state",
            "business_owner_name",
            "company_name",
        ],
        Role::Buyer => &[
            "about",
            "city",
            "state",
            "investor_type",
            "ticket_min_paise",
            "ticket_max_paise",
            "sectors",
            "locations",
        ],
        Role::Agent => &["about", "city", "state", "region", "licence_number"],
        Role::Nbfc => &[
            "about",
            "city",
            "state",
            "rbi_registration_number",
            "lending_min_paise",
            "lending_max_paise",
        ],
        Role::Admin => &["about"],
    }
}

fn is_filled(f: &ProfileFields, name: &str) -> bool {
    let s = |o: &Option<String>| o.as_deref().is_some_and(|v| !v.trim().is_empty());
    match name {
        "about" => s(&f.about),
        "city" => s(&f.city),
        "state" => s(&f.state),
        "business_owner_name" => s(&f.business_owner_name),
        "company_name" => s(&f.company_name),
        "investor_type" => s(&f.investor_type),
        "ticket_min_paise" => f.ticket_min_paise.is_some(),
        "ticket_max_paise" => f.ticket_max_paise.is_some(),
        "sectors" => !f.sectors.is_empty(),
        "locations" => !f.locations.is_empty(),
        "region" => s(&f.region),
        "licence_number" => s(&f.licence_number),
        "rbi_registration_number" => s(&f.rbi_registration_number),
        "lending_min_paise" => f.lending_min_paise.is_some(),
        "lending_max_paise" => f.lending_max_paise.is_some(),
        _ => false,
    }
}

/// Scores a profile for a role: the share of expected fields that are filled in.
pub fn completion(role: Role, fields: &ProfileFields) -> Completion {
    let expected = expected_fields(role);
    let missing: Vec<&'static str> = expected
        .iter()
        .copied()
        .filter(|n| !is_filled(fields, n))
        .collect();
    let filled = expected.len() - missing.len();
    Completion {
        score: ((filled * 100) / expected.len().max(1)) as u8,
        missing,
    }
}

/// Checks fields for a role: values in range, and nothing that belongs to another role.
pub fn check_fields(role: Role, f: &ProfileFields) -> Result<(), ValidationError> {
    let expected = expected_fields(role);
    for name in [
        "business_owner_name",
        "company_name",
        "investor_type",
        "ticket_min_paise",
        "ticket_max_paise",
        "sectors",
        "locations",
        "region",
        "licence_number",
        "rbi_registration_number",
        "lending_min_paise",
        "lending_max_paise",
    ] {
        if is_filled(f, name) && !expected.contains(&name) {
            return Err(ValidationError::new(
                name,
                format!("does not apply to a {role} profile"),
            ));
        }
    }
    let texts = [
        ("about", &f.about, 2000),
        ("company_name", &f.company_name, 200),
        ("business_owner_name", &f.business_owner_name, 200),
        ("city", &f.city, 100),
        ("region", &f.region, 200),
        ("licence_number", &f.licence_number, 100),
    ];
    for (name, v, max) in texts {
        if let Some(v) = v {
            check_free_text(name, v, max)?;
        }
    }
    for l in &f.locations {
        check_free_text("locations", l, 100)?;
    }
    if let Some(st) = &f.state {
        crate::listing::state(st)?;
    }
    if let Some(t) = &f.investor_type {
        if !INVESTOR_TYPES.contains(&t.as_str()) {
            return Err(ValidationError::new(
                "investor_type",
                format!("must be one of {}", INVESTOR_TYPES.join(", ")),
            ));
        }
    }
    for s in &f.sectors {
        crate::listing::industry(s).map_err(|e| ValidationError::new("sectors", e.reason))?;
    }
    check_range("ticket", f.ticket_min_paise, f.ticket_max_paise)?;
    check_range("lending", f.lending_min_paise, f.lending_max_paise)?;
    if let Some(r) = &f.rbi_registration_number {
        let ok = (5..=20).contains(&r.len())
            && r.chars()
                .all(|c| c.is_ascii_alphanumeric() || "-./".contains(c));
        if !ok {
            return Err(ValidationError::new(
                "rbi_registration_number",
                "must look like N-14.03268 (RBI certificate of registration)",
            ));
        }
    }
    Ok(())
}

fn check_range(what: &str, min: Option<i64>, max: Option<i64>) -> Result<(), ValidationError> {
    if min.is_some_and(|v| v < 0) {
        return Err(ValidationError::new(
            format!("{what}_min_paise"),
            "must not be negative",
        ));
    }
    if let (Some(a), Some(b)) = (min, max) {
        if a > b {
            return Err(ValidationError::new(
                format!("{what}_max_paise"),
                format!("must not be less than {what}_min_paise"),
            ));
        }
    }
    Ok(())
}

/// Failures of profile operations.
#[derive(Debug, thiserror::Error)]
pub enum ProfileError {
    #[error(transparent)]
    Invalid(#[from] ValidationError),
    #[error(transparent)]
    Forbidden(#[from] Forbidden),
    #[error("no such profile")]
    NotFound,
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl_domain_error!(ProfileError {
    via: Invalid, Forbidden, Store;
    codes: {
        Self::NotFound => "profile_not_found", NotFound;
    }
});

/// A profile with its completion, as shown to its owner.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ProfileView {
    pub user_id: UserId,
    pub role: Role,
    pub name: String,
    pub fields: ProfileFields,
    pub completion: Completion,
    pub updated_at: Option<DateTime<Utc>>,
}

/// Profile operations; get one from [`Platform::profiles`](crate::Platform::profiles).
pub struct Profiles<'a> {
    pub(crate) store: &'a dyn MarketplacePorts,
    pub(crate) stamp: Stamp<'a>,
}

impl Profiles<'_> {
    /// The actor's own profile (empty fields before the first save).
    pub async fn mine(&self, actor: &Actor) -> Result<ProfileView, ProfileError> {
        let id = actor.user_id().ok_or(ProfileError::NotFound)?.clone();
        self.view(&id).await
    }

    /// Anyone's profile, as others may see it: the owner and admins see every field; others do
    /// not see a seller's company and owner names (which would unmask anonymous listings) or a
    /// buyer's ticket size (which is theirs to reveal in a negotiation).
    pub async fn get(&self, actor: &Actor, id: &UserId) -> Result<ProfileView, ProfileError> {
        let mut view = self.view(id).await?;
        let privileged =
            actor.user_id() == Some(id) || actor.can(crate::rbac::Permission::ManageUsers);
        if !privileged {
            let f = &mut view.fields;
            f.company_name = None;
            f.business_owner_name = None;
            f.ticket_min_paise = None;
            f.ticket_max_paise = None;
        }
        Ok(view)
    }

    async fn view(&self, id: &UserId) -> Result<ProfileView, ProfileError> {
        let store = self.store;
        let user = store.user_by_id(id).await?.ok_or(ProfileError::NotFound)?;
        let stored = store.profile_of(id).await?;
        let fields = stored
            .as_ref()
            .map(|p| p.fields.clone())
            .unwrap_or_default();
        Ok(ProfileView {
            completion: completion(user.role, &fields),
            user_id: user.id,
            role: user.role,
            name: user.name.as_str().to_string(),
            fields,
            updated_at: stored.map(|p| p.updated_at),
        })
    }

    /// Replaces the actor's own profile after checking it against the actor's role.
    pub async fn update_mine(
        &self,
        meta: &RequestMeta,
        actor: &Actor,
        fields: ProfileFields,
    ) -> Result<ProfileView, ProfileError> {
        let id = actor.user_id().ok_or(ProfileError::NotFound)?.clone();
        check_fields(actor.role(), &fields)?;
        let profile = Profile {
            user_id: id.clone(),
            fields,
            updated_at: self.stamp.now(),
        };
        let done = completion(actor.role(), &profile.fields);
        let event = self.stamp.event(
            meta,
            actor.audit_actor(),
            "profile.updated",
            ("user", id.as_str()),
            json!({ "completion": done.score }),
        );
        self.store.put_profile(&profile, event).await?;
        self.view(&id).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn completion_counts_the_role_fields() {
        let mut f = ProfileFields::default();
        assert_eq!(completion(Role::Seller, &f).score, 0);
        f.company_name = Some("Rao Precision Pvt Ltd".into());
        f.city = Some("Pune".into());
        let c = completion(Role::Seller, &f);
        assert_eq!(
            (c.score, c.missing),
            (40, vec!["about", "state", "business_owner_name"])
        );
    }

    #[test]
    fn fields_of_another_role_are_refused() {
        let f = ProfileFields {
            rbi_registration_number: Some("N-14.03268".into()),
            ..Default::default()
        };
        assert_eq!(
            check_fields(Role::Buyer, &f).unwrap_err().field,
            "rbi_registration_number"
        );
        assert!(check_fields(Role::Nbfc, &f).is_ok());
    }

    #[test]
    fn ranges_and_vocabularies_are_checked() {
        let f = ProfileFields {
            ticket_min_paise: Some(10),
            ticket_max_paise: Some(5),
            ..Default::default()
        };
        assert_eq!(
            check_fields(Role::Buyer, &f).unwrap_err().field,
            "ticket_max_paise"
        );
        let f = ProfileFields {
            sectors: vec!["alchemy".into()],
            ..Default::default()
        };
        assert_eq!(check_fields(Role::Buyer, &f).unwrap_err().field, "sectors");
        let f = ProfileFields {
            investor_type: Some("whale".into()),
            ..Default::default()
        };
        assert_eq!(
            check_fields(Role::Buyer, &f).unwrap_err().field,
            "investor_type"
        );
    }

    #[test]
    fn documents_round_trip_and_refuse_unknown_fields() {
        let p = Profile {
            user_id: UserId::generate(),
            fields: ProfileFields {
                sectors: vec!["machinery".into()],
                ..Default::default()
            },
            updated_at: Utc::now(),
        };
        let back =
            Profile::from_document(p.user_id.clone(), &p.to_document(), p.updated_at).unwrap();
        assert_eq!(back, p);
        assert!(serde_json::from_str::<ProfileFields>(r#"{"sector":"x"}"#).is_err());
    }
}
