//! Waiting for what the runtime does in the background (an index, saved matches, payouts):
//! poll, and fail naming what never came.

use std::future::Future;
use std::time::{Duration, Instant};

/// Polls `check` every 50 ms until it answers `Some`, failing after `within`.
pub fn until<T>(what: &str, within: Duration, check: impl FnMut() -> Option<T>) -> T {
    until_every(what, within, Duration::from_millis(50), check)
}

/// [`until`], polling every `every`.
pub fn until_every<T>(
    what: &str,
    within: Duration,
    every: Duration,
    mut check: impl FnMut() -> Option<T>,
) -> T {
    let started = Instant::now();
    loop {
        if let Some(found) = check() {
            return found;
        }
        assert!(started.elapsed() < within, "{what}: not within {within:?}");
        std::thread::sleep(every);
    }
}

/// [`until`] for async checks: polls every `every` until `check` answers `Some`, failing
/// after `within` with `what` and the last thing seen (what `check` answered `Err` with).
pub async fn eventually<T, E, F, Fut>(
    what: &str,
    within: Duration,
    every: Duration,
    mut check: F,
) -> T
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<T, E>>,
    E: std::fmt::Display,
{
    let deadline = Instant::now() + within;
    loop {
        match check().await {
            Ok(found) => return found,
            Err(seen) => assert!(Instant::now() < deadline, "{what}: {seen}"),
        }
        tokio::time::sleep(every).await;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn until_answers_what_the_check_found() {
        let mut calls = 0;
        let found = until("third call", Duration::from_secs(5), || {
            calls += 1;
            (calls == 3).then_some(calls)
        });
        assert_eq!(found, 3);
    }

    #[test]
    #[should_panic(expected = "never: not within")]
    fn until_fails_naming_what_never_came() {
        until("never", Duration::from_millis(120), || None::<()>);
    }

    #[test]
    #[should_panic(expected = "still 7")]
    fn eventually_fails_with_the_last_thing_seen() {
        let still = || async { Err::<(), _>("still 7") };
        crate::block_on(eventually(
            "never",
            Duration::from_millis(60),
            Duration::from_millis(10),
            still,
        ));
    }
}
