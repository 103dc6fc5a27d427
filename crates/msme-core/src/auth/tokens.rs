//! Access tokens (JWT, HS256) and opaque refresh tokens.

use base64::Engine as _;
use chrono::{DateTime, Utc};
use jsonwebtoken::{decode, encode, Algorithm, DecodingKey, EncodingKey, Header, Validation};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::AuthError;
use crate::error::ValidationError;
use crate::types::{Role, Secret, SessionId, UserId};

/// The claims of an access token.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Claims {
    /// The account id.
    pub sub: String,
    pub role: String,
    /// The session the token belongs to; revoking it ends the token too.
    pub sid: String,
    pub iat: i64,
    pub exp: i64,
    /// Unique per token.
    pub jti: String,
}

/// Signs and checks access tokens with one HMAC key.
#[derive(Clone)]
pub struct TokenKeys {
    encoding: EncodingKey,
    decoding: DecodingKey,
}

impl std::fmt::Debug for TokenKeys {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("TokenKeys([redacted])")
    }
}

impl TokenKeys {
    /// The secret must be at least 32 bytes: HS256 is only as strong as its key.
    pub fn new(secret: &Secret) -> Result<Self, ValidationError> {
        let bytes = secret.expose().as_bytes();
        if bytes.len() < 32 {
            return Err(ValidationError::new(
                "JWT_SECRET",
                "must be at least 32 bytes",
            ));
        }
        Ok(Self {
            encoding: EncodingKey::from_secret(bytes),
            decoding: DecodingKey::from_secret(bytes),
        })
    }

    pub fn issue(
        &self,
        user: &UserId,
        role: Role,
        session: &SessionId,
        now: DateTime<Utc>,
        ttl: chrono::Duration,
    ) -> Result<String, AuthError> {
        let claims = Claims {
            sub: user.to_string(),
            role: role.as_str().to_string(),
            sid: session.to_string(),
            iat: now.timestamp(),
            exp: (now + ttl).timestamp(),
            jti: uuid::Uuid::new_v4().to_string(),
        };
        encode(&Header::new(Algorithm::HS256), &claims, &self.encoding)
            .map_err(|e| AuthError::Internal(e.to_string()))
    }

    /// Checks signature, algorithm and expiry (against `now`, from the platform's clock).
    pub fn verify(&self, token: &str, now: DateTime<Utc>) -> Result<Claims, AuthError> {
        let mut v = Validation::new(Algorithm::HS256);
        // Expiry is checked below against the platform clock, not the system clock.
        v.validate_exp = false;
        v.required_spec_claims = ["exp", "sub", "iat"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        let data =
            decode::<Claims>(token, &self.decoding, &v).map_err(|_| AuthError::InvalidToken)?;
        if data.claims.exp <= now.timestamp() {
            return Err(AuthError::InvalidToken);
        }
        Ok(data.claims)
    }
}

/// A new opaque refresh token: 32 random bytes, URL-safe, with a recognisable prefix.
pub fn new_refresh_token() -> String {
    let bytes: [u8; 32] = rand::random();
    format!(
        "msme_rt_{}",
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
    )
}

/// Refresh tokens carry 256 bits of randomness, so a plain SHA-256 is a safe stored form.
pub fn hash_refresh_token(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys() -> TokenKeys {
        TokenKeys::new(&Secret::new("0123456789abcdef0123456789abcdef")).unwrap()
    }

    #[test]
    fn issued_tokens_verify_until_expiry() {
        let now = Utc::now();
        let (u, s) = (UserId::generate(), SessionId::generate());
        let t = keys()
            .issue(&u, Role::Buyer, &s, now, chrono::Duration::minutes(15))
            .unwrap();
        let c = keys().verify(&t, now).unwrap();
        assert_eq!(
            (c.sub.as_str(), c.role.as_str(), c.sid.as_str()),
            (u.as_str(), "buyer", s.as_str())
        );
        assert!(keys()
            .verify(&t, now + chrono::Duration::minutes(16))
            .is_err());
    }

    #[test]
    fn tampered_or_foreign_tokens_fail() {
        let now = Utc::now();
        let t = keys()
            .issue(
                &UserId::generate(),
                Role::Buyer,
                &SessionId::generate(),
                now,
                chrono::Duration::minutes(5),
            )
            .unwrap();
        let other = TokenKeys::new(&Secret::new("another secret of at least 32 bytes!!")).unwrap();
        assert!(other.verify(&t, now).is_err());
        let mut forged = t.clone();
        forged.push('x');
        assert!(keys().verify(&forged, now).is_err());
        assert!(TokenKeys::new(&Secret::new("short")).is_err());
    }

    #[test]
    fn refresh_tokens_are_random_and_hashed() {
        let (a, b) = (new_refresh_token(), new_refresh_token());
        assert_ne!(a, b);
        assert!(a.starts_with("msme_rt_"));
        assert_eq!(hash_refresh_token(&a).len(), 64);
        assert_ne!(hash_refresh_token(&a), hash_refresh_token(&b));
    }
}
