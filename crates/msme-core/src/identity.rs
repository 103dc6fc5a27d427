//! Indian business and tax identifiers used for KYC. Each exists only valid, and a failure
//! says which field and why.

use std::fmt;

use crate::error::ValidationError;

/// Permanent Account Number: `AAAAA9999A`, the fourth letter saying what kind of holder it is.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Pan(String);

/// Holder types a PAN's fourth letter may name (Income Tax Department).
const PAN_HOLDER_TYPES: &str = "PCHFATBLJG";

impl Pan {
    pub fn parse(raw: &str) -> Result<Self, ValidationError> {
        Self::parse_field("pan", raw)
    }

    fn parse_field(field: &str, raw: &str) -> Result<Self, ValidationError> {
        let s = raw.trim().to_ascii_uppercase();
        let b = s.as_bytes();
        let shape = b.len() == 10
            && b[..5].iter().all(u8::is_ascii_uppercase)
            && b[5..9].iter().all(u8::is_ascii_digit)
            && b[9].is_ascii_uppercase();
        if !shape {
            return Err(ValidationError::new(
                field,
                "must be 5 letters, 4 digits and a letter, like ABCPE1234F",
            ));
        }
        if !PAN_HOLDER_TYPES.contains(b[3] as char) {
            return Err(ValidationError::new(
                field,
                "the fourth letter must name a holder type (P, C, H, F, A, T, B, L, J or G)",
            ));
        }
        Ok(Self(s))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// True for an individual's PAN (fourth letter `P`).
    pub fn is_individual(&self) -> bool {
        self.0.as_bytes()[3] == b'P'
    }
}

/// GST Identification Number: state code, the holder's PAN, entity number, `Z`, check character.
///
/// ```
/// use msme_core::identity::Gstin;
/// let g = Gstin::parse("27AAPFU0939F1ZV").unwrap();
/// assert_eq!((g.state_code(), g.pan().as_str()), (27, "AAPFU0939F"));
/// // One mistyped character is caught by the check character.
/// assert!(Gstin::parse("27AAPFU0939F1ZW").is_err());
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Gstin(String);

impl Gstin {
    pub fn parse(raw: &str) -> Result<Self, ValidationError> {
        let err = |why: &str| ValidationError::new("gstin", why);
        let s = raw.trim().to_ascii_uppercase();
        if s.len() != 15 || !s.bytes().all(|c| c.is_ascii_alphanumeric()) {
            return Err(err("must be 15 letters and digits"));
        }
        let state: u32 = s[..2]
            .parse()
            .map_err(|_| err("must start with a two-digit state code"))?;
        if !(1..=38).contains(&state) && state != 97 && state != 99 {
            return Err(err("starts with an unknown state code"));
        }
        Pan::parse_field("gstin", &s[2..12])
            .map_err(|_| err("characters 3 to 12 must be a valid PAN"))?;
        if s.as_bytes()[12] == b'0' {
            return Err(err("the entity number (character 13) must be 1-9 or A-Z"));
        }
        if s.as_bytes()[13] != b'Z' {
            return Err(err("character 14 must be Z"));
        }
        let expected = gstin_check_char(&s[..14]);
        if s.as_bytes()[14] as char != expected {
            return Err(err(
                "the check character (the last one) is wrong: check for a typo",
            ));
        }
        Ok(Self(s))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The PAN embedded in characters 3 to 12.
    pub fn pan(&self) -> Pan {
        Pan(self.0[2..12].to_string())
    }

    /// The two-digit GST state code.
    pub fn state_code(&self) -> u8 {
        self.0[..2].parse().unwrap_or(0)
    }
}

/// The GSTN check character: a Luhn mod-36 over the first 14 characters.
fn gstin_check_char(first14: &str) -> char {
    const CHARS: &[u8; 36] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ";
    let sum: u32 = first14
        .bytes()
        .enumerate()
        .map(|(i, c)| {
            let v = CHARS.iter().position(|&x| x == c).unwrap_or(0) as u32;
            let product = v * if i % 2 == 0 { 1 } else { 2 };
            product / 36 + product % 36
        })
        .sum();
    CHARS[((36 - sum % 36) % 36) as usize] as char
}

/// Udyam registration number of an MSME: `UDYAM-XX-00-0000000`.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Udyam(String);

impl Udyam {
    pub fn parse(raw: &str) -> Result<Self, ValidationError> {
        let s = raw.trim().to_ascii_uppercase();
        let parts: Vec<&str> = s.split('-').collect();
        let ok = parts.len() == 4
            && parts[0] == "UDYAM"
            && parts[1].len() == 2
            && parts[1].bytes().all(|c| c.is_ascii_uppercase())
            && parts[2].len() == 2
            && parts[2].bytes().all(|c| c.is_ascii_digit())
            && parts[3].len() == 7
            && parts[3].bytes().all(|c| c.is_ascii_digit());
        if ok {
            Ok(Self(s))
        } else {
            Err(ValidationError::new(
                "udyam",
                "must look like UDYAM-MH-01-0000001 (state letters, district digits, 7 digits)",
            ))
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// The last four digits of an Aadhaar number. The full number is never accepted or kept.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct AadhaarLast4(String);

impl AadhaarLast4 {
    pub fn parse(raw: &str) -> Result<Self, ValidationError> {
        let digits: String = raw
            .chars()
            .filter(|c| !c.is_whitespace() && *c != '-')
            .collect();
        if digits.len() == 12 && digits.bytes().all(|c| c.is_ascii_digit()) {
            return Err(ValidationError::new(
                "aadhaar_last4",
                "give only the last four digits; the full Aadhaar number is never stored",
            ));
        }
        if digits.len() != 4 || !digits.bytes().all(|c| c.is_ascii_digit()) {
            return Err(ValidationError::new(
                "aadhaar_last4",
                "must be exactly four digits",
            ));
        }
        Ok(Self(digits))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

macro_rules! display_as_str {
    ($($t:ty),*) => {$(
        impl fmt::Display for $t {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result { f.write_str(&self.0) }
        }
    )*};
}
display_as_str!(Pan, Gstin, Udyam, AadhaarLast4);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pan_shape_and_holder_type() {
        assert!(Pan::parse("abcpe1234f").unwrap().is_individual());
        assert!(!Pan::parse("AAACR5055K").unwrap().is_individual());
        for bad in [
            "ABCPE1234",
            "ABCPE12345",
            "1BCPE1234F",
            "ABCXE1234F",
            "ABCPE1234FF",
        ] {
            assert_eq!(Pan::parse(bad).unwrap_err().field, "pan", "{bad}");
        }
    }

    #[test]
    fn gstin_checksum_catches_typos() {
        let g = Gstin::parse("27AAPFU0939F1ZV").unwrap();
        assert_eq!((g.state_code(), g.pan().as_str()), (27, "AAPFU0939F"));
        let typo = Gstin::parse("27AAPFU0939F1ZW").unwrap_err();
        assert!(typo.reason.contains("check character"), "{typo}");
        assert!(Gstin::parse("29AAGCB7383J1Z4").is_ok());
    }

    #[test]
    fn gstin_rejections_name_the_reason() {
        let cases = [
            ("27AAPFU0939F1Z", "15"),
            ("45AAPFU0939F1ZV", "state code"),
            ("27AAPXU0939F1ZV", "PAN"),
            ("27AAPFU0939F1YV", "Z"),
        ];
        for (raw, why) in cases {
            let e = Gstin::parse(raw).unwrap_err();
            assert!(e.field == "gstin" && e.reason.contains(why), "{raw}: {e}");
        }
    }

    #[test]
    fn udyam_format() {
        assert_eq!(
            Udyam::parse("udyam-mh-01-0000001").unwrap().as_str(),
            "UDYAM-MH-01-0000001"
        );
        for bad in [
            "UDYAM-MH-1-0000001",
            "UDYAM-M1-01-0000001",
            "UDYOG-MH-01-0000001",
            "UDYAM-MH-01-000001",
        ] {
            assert!(Udyam::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn aadhaar_only_last_four() {
        assert_eq!(AadhaarLast4::parse("1234").unwrap().as_str(), "1234");
        let full = AadhaarLast4::parse("2345 6789 0123").unwrap_err();
        assert!(full.reason.contains("never stored"));
        assert!(AadhaarLast4::parse("12a4").is_err());
    }
}
