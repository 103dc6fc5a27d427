//! Time, as a port: the core never reads the system clock directly.

use std::sync::Mutex;

use chrono::{DateTime, Duration, DurationRound, Utc};

/// The source of "now". All times are UTC, truncated to microseconds so that they survive a
/// round trip through either database unchanged.
pub trait Clock: Send + Sync {
    fn now(&self) -> DateTime<Utc>;
}

/// The real clock.
#[derive(Clone, Copy, Debug, Default)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> DateTime<Utc> {
        truncate(Utc::now())
    }
}

/// A clock that moves only when told to; for tests of expiry and lockout.
#[derive(Debug)]
pub struct ManualClock(Mutex<DateTime<Utc>>);

impl ManualClock {
    pub fn new(start: DateTime<Utc>) -> Self {
        Self(Mutex::new(truncate(start)))
    }
    pub fn advance(&self, by: Duration) {
        let mut t = self.0.lock().expect("clock lock");
        *t += by;
    }
}

impl Clock for ManualClock {
    fn now(&self) -> DateTime<Utc> {
        *self.0.lock().expect("clock lock")
    }
}

/// Truncates to whole microseconds, the precision both databases keep.
pub fn truncate(t: DateTime<Utc>) -> DateTime<Utc> {
    t.duration_trunc(Duration::microseconds(1)).unwrap_or(t)
}
