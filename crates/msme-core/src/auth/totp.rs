//! Time-based one-time passwords (RFC 6238: HMAC-SHA1, 30-second steps, 6 digits).

use hmac::{Hmac, Mac};
use sha1::Sha1;
use subtle::ConstantTimeEq;

const STEP_SECS: i64 = 30;
const DIGITS: u32 = 6;
/// Codes from one step before or after are accepted, for clock drift.
const WINDOW: i64 = 1;

/// A fresh 160-bit secret, base32-encoded as authenticator apps expect.
pub fn new_secret() -> String {
    let bytes: [u8; 20] = rand::random();
    base32_encode(&bytes)
}

/// The `otpauth://` URI that authenticator apps read from a QR code.
pub fn provisioning_uri(secret: &str, account: &str) -> String {
    let account: String = account
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_string()
            } else {
                format!("%{:02X}", c as u32 & 0xff)
            }
        })
        .collect();
    format!("otpauth://totp/MSME%20Exchange:{account}?secret={secret}&issuer=MSME%20Exchange&algorithm=SHA1&digits=6&period=30")
}

/// HOTP (RFC 4226) for one counter value.
pub fn hotp(key: &[u8], counter: u64) -> u32 {
    let mut mac = Hmac::<Sha1>::new_from_slice(key).expect("HMAC takes any key length");
    mac.update(&counter.to_be_bytes());
    let digest = mac.finalize().into_bytes();
    let offset = (digest[19] & 0x0f) as usize;
    let bin = u32::from_be_bytes([
        digest[offset] & 0x7f,
        digest[offset + 1],
        digest[offset + 2],
        digest[offset + 3],
    ]);
    bin % 10u32.pow(DIGITS)
}

/// The code for a Unix time.
pub fn code_at(secret_b32: &str, unix: i64) -> Option<String> {
    let key = base32_decode(secret_b32)?;
    Some(format!("{:06}", hotp(&key, (unix / STEP_SECS) as u64)))
}

/// The time step a valid code belongs to, or `None` when it matches no step in the window.
pub fn matching_step(secret_b32: &str, code: &str, unix: i64) -> Option<i64> {
    let key = base32_decode(secret_b32)?;
    let code = code.trim();
    if code.len() != DIGITS as usize || !code.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let now_step = unix / STEP_SECS;
    (now_step - WINDOW..=now_step + WINDOW).find(|&step| {
        let expected = format!("{:06}", hotp(&key, step as u64));
        bool::from(expected.as_bytes().ct_eq(code.as_bytes()))
    })
}

const ALPHABET: &[u8; 32] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

fn base32_encode(data: &[u8]) -> String {
    let mut out = String::new();
    let (mut buf, mut bits) = (0u32, 0u32);
    for &b in data {
        buf = (buf << 8) | u32::from(b);
        bits += 8;
        while bits >= 5 {
            out.push(ALPHABET[((buf >> (bits - 5)) & 31) as usize] as char);
            bits -= 5;
        }
    }
    if bits > 0 {
        out.push(ALPHABET[((buf << (5 - bits)) & 31) as usize] as char);
    }
    out
}

fn base32_decode(s: &str) -> Option<Vec<u8>> {
    let mut out = Vec::new();
    let (mut buf, mut bits) = (0u32, 0u32);
    for c in s.chars().filter(|c| *c != '=' && *c != ' ') {
        let v = ALPHABET
            .iter()
            .position(|&a| a as char == c.to_ascii_uppercase())? as u32;
        buf = (buf << 5) | v;
        bits += 5;
        if bits >= 8 {
            out.push((buf >> (bits - 8)) as u8);
            bits -= 8;
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// RFC 6238 appendix B, SHA-1 rows (8 digits there; the last 6 here).
    #[test]
    fn rfc6238_vectors() {
        let secret = base32_encode(b"12345678901234567890");
        for (t, code) in [
            (59, "287082"),
            (1111111109, "081804"),
            (1111111111, "050471"),
            (1234567890, "005924"),
            (2000000000, "279037"),
        ] {
            assert_eq!(code_at(&secret, t).unwrap(), code, "t={t}");
        }
    }

    #[test]
    fn window_allows_one_step_of_drift_only() {
        let s = new_secret();
        let t = 1_700_000_000;
        let code = code_at(&s, t).unwrap();
        assert_eq!(matching_step(&s, &code, t), Some(t / 30));
        assert_eq!(matching_step(&s, &code, t + 30), Some(t / 30));
        assert_eq!(matching_step(&s, &code, t + 90), None);
        assert_eq!(matching_step(&s, "12345", t), None);
    }

    #[test]
    fn base32_round_trips() {
        for data in [&b""[..], b"f", b"fo", b"foo", b"foob", b"fooba", b"foobar"] {
            assert_eq!(base32_decode(&base32_encode(data)).unwrap(), data);
        }
        assert_eq!(base32_encode(b"foobar"), "MZXW6YTBOI");
    }
}
