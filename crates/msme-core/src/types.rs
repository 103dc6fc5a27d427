//! Value types that can only exist valid ("parse, don't validate").

use std::fmt;

use crate::error::ValidationError;

macro_rules! id_type {
    ($(#[$doc:meta])* $name:ident) => {
        $crate::types::id_type!($(#[$doc])* $name, stringify!($name));
    };
    ($(#[$doc:meta])* $name:ident, $field:expr) => {
        $(#[$doc])*
        #[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub struct $name(String);

        impl $name {
            /// A fresh, time-ordered id (UUIDv7).
            pub fn generate() -> Self {
                Self(uuid::Uuid::now_v7().to_string())
            }
            /// Parses an id given by a client; only canonical UUID text is accepted.
            pub fn parse(s: &str) -> Result<Self, $crate::error::ValidationError> {
                uuid::Uuid::try_parse(s)
                    .map(|u| Self(u.to_string()))
                    .map_err(|_| $crate::error::ValidationError::new($field, "must be a UUID"))
            }
            /// Wraps an id read back from storage, which stored only valid ids.
            pub fn from_trusted(s: String) -> Self {
                Self(s)
            }
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }
        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(&self.0)
            }
        }
        impl std::fmt::Debug for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                write!(f, "{}({})", stringify!($name), self.0)
            }
        }
    };
}
/// Also used by the ledger's ids, so every id has one shape.
pub(crate) use id_type;

id_type!(
    /// Identifies an account.
    UserId
);
id_type!(
    /// Identifies a login session (the family of refresh tokens issued from one login).
    SessionId
);

id_type!(
    /// Identifies a listing.
    ListingId
);
id_type!(
    /// Identifies an uploaded document or image.
    DocumentId
);
id_type!(
    /// Identifies a kept valuation.
    ValuationId
);

/// What an account is on the marketplace. `Admin` is made only by an operator.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Role {
    Seller,
    Buyer,
    Agent,
    Nbfc,
    Admin,
}

impl Role {
    pub const ALL: [Role; 5] = [
        Role::Seller,
        Role::Buyer,
        Role::Agent,
        Role::Nbfc,
        Role::Admin,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Seller => "seller",
            Role::Buyer => "buyer",
            Role::Agent => "agent",
            Role::Nbfc => "nbfc",
            Role::Admin => "admin",
        }
    }

    pub fn parse(s: &str) -> Result<Self, ValidationError> {
        Role::ALL
            .into_iter()
            .find(|r| r.as_str() == s.trim().to_ascii_lowercase())
            .ok_or_else(|| {
                ValidationError::new("role", "must be one of seller, buyer, agent, nbfc, admin")
            })
    }

    /// Roles a person may choose for themself when registering.
    pub fn is_self_service(self) -> bool {
        self != Role::Admin
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// An Indian mobile number in E.164 form, `+91` followed by ten digits starting 6 to 9.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Mobile(String);

impl Mobile {
    /// Accepts the forms people type: `98765 43210`, `098765-43210`, `+91 98765 43210`,
    /// `919876543210`.
    ///
    /// ```
    /// use msme_core::types::Mobile;
    /// assert_eq!(Mobile::parse("098765-43210").unwrap().as_str(), "+919876543210");
    /// let err = Mobile::parse("+1 415 555 0100").unwrap_err();
    /// assert_eq!(err.field, "mobile");
    /// ```
    pub fn parse(raw: &str) -> Result<Self, ValidationError> {
        let err = || {
            ValidationError::new(
                "mobile",
                "must be a 10-digit Indian mobile number starting with 6, 7, 8 or 9",
            )
        };
        let trimmed = raw.trim();
        let (plus, rest) = match trimmed.strip_prefix('+') {
            Some(r) => (true, r),
            None => (false, trimmed),
        };
        if rest
            .chars()
            .any(|c| !(c.is_ascii_digit() || matches!(c, ' ' | '-' | '(' | ')')))
        {
            return Err(err());
        }
        let digits: String = rest.chars().filter(char::is_ascii_digit).collect();
        let national = match (plus, digits.len()) {
            (true, 12) if digits.starts_with("91") => &digits[2..],
            (false, 12) if digits.starts_with("91") => &digits[2..],
            (false, 11) if digits.starts_with('0') => &digits[1..],
            (false, 10) => &digits[..],
            _ => return Err(err()),
        };
        if !matches!(national.as_bytes()[0], b'6'..=b'9') {
            return Err(err());
        }
        Ok(Self(format!("+91{national}")))
    }

    pub fn from_trusted(s: String) -> Self {
        Self(s)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The number with all but the last four digits hidden, for messages and logs.
    pub fn masked(&self) -> String {
        format!("+91******{}", &self.0[self.0.len() - 4..])
    }
}

impl fmt::Display for Mobile {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// An email address, lower-cased. Checked for shape only; ownership is not verified.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Email(String);

impl Email {
    pub fn parse(raw: &str) -> Result<Self, ValidationError> {
        let err = |why: &str| ValidationError::new("email", why);
        let s = raw.trim().to_lowercase();
        if s.len() > 254 {
            return Err(err("must be at most 254 characters"));
        }
        let (local, domain) = s
            .split_once('@')
            .ok_or_else(|| err("must look like name@example.com"))?;
        let ok_local = !local.is_empty() && local.len() <= 64;
        let ok_domain = domain.contains('.')
            && !domain.starts_with('.')
            && !domain.ends_with('.')
            && !domain.contains("..")
            && domain
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '.');
        let no_space = !s.chars().any(|c| c.is_whitespace() || c.is_control());
        if ok_local && ok_domain && no_space && !local.contains('@') {
            Ok(Self(s))
        } else {
            Err(err("must look like name@example.com"))
        }
    }

    pub fn from_trusted(s: String) -> Self {
        Self(s)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Email {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A person's name as they want it shown: 1 to 100 characters, no control characters.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PersonName(String);

impl PersonName {
    pub fn parse(raw: &str) -> Result<Self, ValidationError> {
        let s = raw.trim();
        if s.is_empty() {
            return Err(ValidationError::new("name", "must not be empty"));
        }
        if s.chars().count() > 100 {
            return Err(ValidationError::new(
                "name",
                "must be at most 100 characters",
            ));
        }
        if s.chars().any(char::is_control) {
            return Err(ValidationError::new(
                "name",
                "must not contain control characters",
            ));
        }
        Ok(Self(s.to_string()))
    }

    pub fn from_trusted(s: String) -> Self {
        Self(s)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A password as typed: 8 to 128 characters. Never printed.
#[derive(Clone)]
pub struct Password(String);

impl Password {
    pub fn parse(raw: &str) -> Result<Self, ValidationError> {
        let n = raw.chars().count();
        if n < 8 {
            return Err(ValidationError::new(
                "password",
                "must be at least 8 characters",
            ));
        }
        if n > 128 {
            return Err(ValidationError::new(
                "password",
                "must be at most 128 characters",
            ));
        }
        Ok(Self(raw.to_string()))
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Password {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Password([redacted])")
    }
}

/// A secret from configuration (JWT key, provider token). `Debug` and `Display` never show it.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    pub fn new(s: impl Into<String>) -> Self {
        Self(s.into())
    }
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("[redacted]")
    }
}

impl fmt::Display for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("[redacted]")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mobile_accepts_common_indian_forms() {
        for raw in [
            "9876543210",
            "+91 98765 43210",
            "09876543210",
            "919876543210",
            "+91-98765-43210",
        ] {
            assert_eq!(
                Mobile::parse(raw).unwrap().as_str(),
                "+919876543210",
                "{raw}"
            );
        }
    }

    #[test]
    fn mobile_rejects_landlines_foreign_and_junk() {
        for raw in [
            "5876543210",
            "+1 415 555 0100",
            "98765",
            "98765432101",
            "98765x3210",
            "",
            "+9876543210",
        ] {
            let e = Mobile::parse(raw).unwrap_err();
            assert_eq!(e.field, "mobile", "{raw}");
        }
    }

    #[test]
    fn mobile_masks_all_but_last_four() {
        assert_eq!(
            Mobile::parse("9876543210").unwrap().masked(),
            "+91******3210"
        );
    }

    #[test]
    fn email_is_lowercased_and_shape_checked() {
        assert_eq!(
            Email::parse(" A.B@Example.COM ").unwrap().as_str(),
            "a.b@example.com"
        );
        for bad in [
            "ab",
            "a@b",
            "a@.com",
            "a b@c.com",
            "@c.com",
            "a@c..com",
            "a@b@c.com",
        ] {
            assert!(Email::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn names_and_passwords_have_bounds() {
        assert!(PersonName::parse("  ").is_err());
        assert_eq!(
            PersonName::parse(" Asha Rao ").unwrap().as_str(),
            "Asha Rao"
        );
        assert!(PersonName::parse(&"x".repeat(101)).is_err());
        assert!(Password::parse("short").is_err());
        assert!(Password::parse("long enough").is_ok());
        assert_eq!(
            format!("{:?}", Password::parse("long enough").unwrap()),
            "Password([redacted])"
        );
    }

    #[test]
    fn roles_round_trip_and_admin_is_not_self_service() {
        for r in Role::ALL {
            assert_eq!(Role::parse(r.as_str()).unwrap(), r);
        }
        assert!(!Role::Admin.is_self_service());
        assert!(Role::parse("owner").is_err());
    }

    #[test]
    fn ids_parse_only_uuids() {
        let id = UserId::generate();
        assert_eq!(UserId::parse(id.as_str()).unwrap(), id);
        assert!(UserId::parse("42").is_err());
    }

    #[test]
    fn secrets_never_print() {
        let s = Secret::new("hunter2");
        assert_eq!(format!("{s:?} {s}"), "[redacted] [redacted]");
    }
}
