//! Per-client-IP token buckets for the sign-in endpoints, kept in process.
//!
//! Each client IP has a bucket of `burst` tokens refilled at `per_second`; a request takes one
//! or is answered 429 with `Retry-After`. Buckets that have refilled completely carry no
//! information, so a periodic sweep drops them and memory stays bounded by recent clients.

use std::collections::HashMap;
use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use axum::extract::{ConnectInfo, Request, State};
use axum::http::{HeaderMap, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::error::ApiError;
use crate::AppState;

/// How fast each client IP may call the `/v1/auth/*` endpoints.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct RateLimit {
    /// Tokens added per second (sustained rate).
    pub per_second: f64,
    /// Bucket size: how many requests may come at once.
    pub burst: u32,
}

impl Default for RateLimit {
    fn default() -> Self {
        Self {
            per_second: 10.0,
            burst: 20,
        }
    }
}

const SWEEP_EVERY: Duration = Duration::from_secs(60);

#[derive(Clone, Copy, Debug)]
struct Bucket {
    tokens: f64,
    updated: Instant,
}

#[derive(Debug)]
struct Buckets {
    by_ip: HashMap<IpAddr, Bucket>,
    last_sweep: Instant,
}

/// The buckets of every client IP seen recently.
#[derive(Debug)]
pub struct Limiter {
    limit: RateLimit,
    trust_forwarded_for: bool,
    buckets: Mutex<Buckets>,
}

impl Limiter {
    /// A limiter; `trust_forwarded_for` keys by `X-Forwarded-For` (behind a proxy only).
    pub fn new(limit: RateLimit, trust_forwarded_for: bool) -> Self {
        let limit = RateLimit {
            per_second: limit.per_second.max(0.001),
            burst: limit.burst.max(1),
        };
        Self {
            limit,
            trust_forwarded_for,
            buckets: Mutex::new(Buckets {
                by_ip: HashMap::new(),
                last_sweep: Instant::now(),
            }),
        }
    }

    /// Takes a token for `ip`, or says in how many whole seconds one will be there.
    pub fn check(&self, ip: IpAddr, now: Instant) -> Result<(), u64> {
        let (rate, burst) = (self.limit.per_second, f64::from(self.limit.burst));
        let mut buckets = self.buckets.lock().unwrap_or_else(|p| p.into_inner());
        if now.saturating_duration_since(buckets.last_sweep) >= SWEEP_EVERY {
            buckets.by_ip.retain(|_, b| refilled(b, now, rate) < burst);
            buckets.last_sweep = now;
        }
        let bucket = buckets.by_ip.entry(ip).or_insert(Bucket {
            tokens: burst,
            updated: now,
        });
        bucket.tokens = refilled(bucket, now, rate).min(burst);
        bucket.updated = now;
        if bucket.tokens >= 1.0 {
            bucket.tokens -= 1.0;
            Ok(())
        } else {
            Err((((1.0 - bucket.tokens) / rate).ceil() as u64).max(1))
        }
    }

    /// How many client IPs have a bucket now.
    pub fn tracked(&self) -> usize {
        let buckets = self.buckets.lock().unwrap_or_else(|p| p.into_inner());
        buckets.by_ip.len()
    }

    /// The client's IP: the proxy's last `X-Forwarded-For` hop when trusted, else the peer.
    fn client_ip(&self, headers: &HeaderMap, peer: Option<SocketAddr>) -> IpAddr {
        let forwarded = self
            .trust_forwarded_for
            .then(|| forwarded_for(headers))
            .flatten();
        // Without ConnectInfo (a router served by plain `axum::serve`) all clients share
        // one bucket: stricter, never open.
        forwarded
            .or(peer.map(|p| p.ip()))
            .unwrap_or(IpAddr::V4(Ipv4Addr::UNSPECIFIED))
    }
}

fn refilled(b: &Bucket, now: Instant, rate: f64) -> f64 {
    b.tokens + now.saturating_duration_since(b.updated).as_secs_f64() * rate
}

/// The right-most `X-Forwarded-For` entry: the one our own proxy appended, which a client
/// cannot forge (entries to its left can be).
fn forwarded_for(headers: &HeaderMap) -> Option<IpAddr> {
    let last = headers.get_all("x-forwarded-for").iter().next_back()?;
    let hop = last.to_str().ok()?.rsplit(',').next()?.trim();
    hop.parse().ok()
}

/// Middleware on `/v1/auth/*`.
pub async fn limit(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let peer = req
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map(|c| c.0);
    let ip = state.limiter.client_ip(req.headers(), peer);
    match state.limiter.check(ip, Instant::now()) {
        Ok(()) => next.run(req).await,
        Err(secs) => {
            tracing::info!(client_ip = %ip, retry_after = secs, "rate limited");
            let mut e = ApiError::new(
                StatusCode::TOO_MANY_REQUESTS,
                "rate_limited",
                format!("too many requests; retry in {secs} seconds"),
            );
            e.retry_after = Some(secs);
            e.into_response()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const A: IpAddr = IpAddr::V4(Ipv4Addr::new(10, 0, 0, 1));
    const B: IpAddr = IpAddr::V4(Ipv4Addr::new(10, 0, 0, 2));

    fn limiter(per_second: f64, burst: u32) -> Limiter {
        Limiter::new(RateLimit { per_second, burst }, false)
    }

    #[test]
    fn burst_then_refused_with_retry_after_then_refilled() {
        let l = limiter(0.5, 3);
        let t = Instant::now();
        for _ in 0..3 {
            assert_eq!(l.check(A, t), Ok(()));
        }
        assert_eq!(l.check(A, t), Err(2));
        assert_eq!(l.check(A, t + Duration::from_secs(2)), Ok(()));
    }

    #[test]
    fn clients_have_their_own_buckets() {
        let l = limiter(1.0, 1);
        let t = Instant::now();
        assert!(l.check(A, t).is_ok());
        assert!(l.check(A, t).is_err());
        assert!(l.check(B, t).is_ok());
    }

    #[test]
    fn full_buckets_are_swept() {
        let l = limiter(10.0, 5);
        let t = Instant::now();
        l.check(A, t).unwrap();
        l.check(B, t).unwrap();
        assert_eq!(l.tracked(), 2);
        l.check(A, t + SWEEP_EVERY + Duration::from_secs(1))
            .unwrap();
        assert_eq!(l.tracked(), 1, "B refilled long ago and was dropped");
    }

    #[test]
    fn forwarded_for_is_used_only_when_trusted() {
        let mut h = HeaderMap::new();
        h.insert("x-forwarded-for", "1.2.3.4, 10.0.0.2".parse().unwrap());
        let peer = Some(SocketAddr::new(A, 5000));
        assert_eq!(limiter(1.0, 1).client_ip(&h, peer), A);
        let trusting = Limiter::new(RateLimit::default(), true);
        assert_eq!(trusting.client_ip(&h, peer), B);
        assert_eq!(trusting.client_ip(&HeaderMap::new(), peer), A);
    }
}
