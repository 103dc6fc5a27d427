//! Argon2id password hashing, off the async threads and bounded in how many run at once.

use std::sync::Arc;

use argon2::password_hash::{PasswordHash, PasswordHasher as _, PasswordVerifier as _, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};
use tokio::sync::Semaphore;

use super::AuthError;
use crate::types::Password;

/// Hashes and verifies passwords. Each hash takes ~19 MiB and tens of milliseconds of CPU, so at
/// most `concurrency` run at once; the rest wait their turn instead of exhausting memory.
#[derive(Clone)]
pub struct PasswordHasher {
    permits: Arc<Semaphore>,
    params: Params,
}

impl std::fmt::Debug for PasswordHasher {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PasswordHasher")
            .field("available_permits", &self.permits.available_permits())
            .finish()
    }
}

impl PasswordHasher {
    /// OWASP's recommended Argon2id setting: 19 MiB, 2 iterations, 1 lane.
    pub fn owasp(concurrency: usize) -> Self {
        let params = Params::new(19 * 1024, 2, 1, None).expect("valid argon2 params");
        Self {
            permits: Arc::new(Semaphore::new(concurrency.max(1))),
            params,
        }
    }

    fn argon2(&self) -> Argon2<'static> {
        Argon2::new(Algorithm::Argon2id, Version::V0x13, self.params.clone())
    }

    /// How many hashes may run at once.
    pub fn concurrency(&self) -> usize {
        self.permits.available_permits()
    }

    pub async fn hash(&self, password: &Password) -> Result<String, AuthError> {
        let pw = password.clone();
        let salt_bytes: [u8; 16] = rand::random();
        self.off_thread(move |argon2| {
            let salt = SaltString::encode_b64(&salt_bytes).map_err(internal)?;
            argon2
                .hash_password(pw.expose().as_bytes(), &salt)
                .map(|h| h.to_string())
                .map_err(internal)
        })
        .await
    }

    /// True when `password` matches `phc`. A malformed stored hash is an internal error.
    pub async fn verify(&self, password: &Password, phc: &str) -> Result<bool, AuthError> {
        let pw = password.clone();
        let phc = phc.to_string();
        self.off_thread(move |argon2| {
            let parsed = PasswordHash::new(&phc).map_err(internal)?;
            Ok(argon2
                .verify_password(pw.expose().as_bytes(), &parsed)
                .is_ok())
        })
        .await
    }

    /// Runs `work` on the blocking pool once a permit is free.
    async fn off_thread<T: Send + 'static>(
        &self,
        work: impl FnOnce(Argon2<'static>) -> Result<T, AuthError> + Send + 'static,
    ) -> Result<T, AuthError> {
        let _permit = self.permits.acquire().await.map_err(internal)?;
        let argon2 = self.argon2();
        tokio::task::spawn_blocking(move || work(argon2))
            .await
            .map_err(internal)?
    }
}

fn internal(e: impl std::fmt::Display) -> AuthError {
    AuthError::Internal(e.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn hashes_verify_and_differ_per_salt() {
        let h = PasswordHasher::owasp(2);
        let pw = Password::parse("correct horse").unwrap();
        let a = h.hash(&pw).await.unwrap();
        let b = h.hash(&pw).await.unwrap();
        assert!(a.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"), "{a}");
        assert_ne!(a, b);
        assert!(h.verify(&pw, &a).await.unwrap());
        assert!(!h
            .verify(&Password::parse("wrong horse").unwrap(), &a)
            .await
            .unwrap());
    }
}
