//! [`AuthPolicy`]: the limits and lifetimes of sign-in.

use chrono::Duration;

/// Limits and lifetimes of sign-in. The defaults follow common practice (OWASP, RFC 6819).
#[derive(Clone, Debug)]
pub struct AuthPolicy {
    pub access_ttl: Duration,
    pub refresh_ttl: Duration,
    pub otp_ttl: Duration,
    /// Wrong codes allowed per OTP; the next try is refused even if right.
    pub otp_max_attempts: i32,
    pub otp_resend_cooldown: Duration,
    pub otp_hourly_cap: usize,
    /// Failed logins in a row that lock the account.
    pub lockout_threshold: i32,
    pub lockout_duration: Duration,
}

impl Default for AuthPolicy {
    fn default() -> Self {
        Self {
            access_ttl: Duration::minutes(15),
            refresh_ttl: Duration::days(30),
            otp_ttl: Duration::minutes(5),
            otp_max_attempts: 5,
            otp_resend_cooldown: Duration::seconds(60),
            otp_hourly_cap: 5,
            lockout_threshold: 5,
            lockout_duration: Duration::minutes(15),
        }
    }
}
