//! Timing: percentiles of single queries, and queries per second with two workers.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// Latency figures of one kind of query.
pub struct Latency {
    pub p50: Duration,
    pub p99: Duration,
    /// Mean hits per query (the total, not the page).
    pub hits: f64,
}

impl std::fmt::Display for Latency {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "p50 {:>8.3} ms  p99 {:>8.3} ms  ({:.0} hits avg)",
            ms(self.p50),
            ms(self.p99),
            self.hits
        )
    }
}

pub fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

/// Runs every query once to warm up, then each `rounds` times, one at a time; `run` returns
/// the query's total hits.
pub async fn latency<Q, F, Fut>(queries: &[Q], rounds: usize, mut run: F) -> Latency
where
    F: FnMut(&Q) -> Fut,
    Fut: std::future::Future<Output = u64>,
{
    for q in queries {
        run(q).await;
    }
    let mut times = Vec::with_capacity(queries.len() * rounds);
    let mut hits = 0u64;
    for _ in 0..rounds {
        for q in queries {
            let t = Instant::now();
            hits += run(q).await;
            times.push(t.elapsed());
        }
    }
    times.sort();
    let at = |p: f64| times[((times.len() as f64 - 1.0) * p).round() as usize];
    Latency {
        p50: at(0.50),
        p99: at(0.99),
        hits: hits as f64 / times.len() as f64,
    }
}

/// Queries per second with two workers taking queries in turn for `secs` seconds.
pub async fn qps<Q, F, Fut>(queries: Arc<Vec<Q>>, secs: f64, run: F) -> f64
where
    Q: Send + Sync + 'static,
    F: Fn(Arc<Vec<Q>>, usize) -> Fut + Send + Sync + Clone + 'static,
    Fut: std::future::Future<Output = ()> + Send,
{
    let done = Arc::new(AtomicUsize::new(0));
    let start = Instant::now();
    let until = start + Duration::from_secs_f64(secs);
    let mut workers = Vec::new();
    for w in 0..2 {
        let (queries, done, run) = (queries.clone(), done.clone(), run.clone());
        workers.push(tokio::spawn(async move {
            let mut i = w;
            while Instant::now() < until {
                run(queries.clone(), i % queries.len()).await;
                done.fetch_add(1, Ordering::Relaxed);
                i += 2;
            }
        }));
    }
    for w in workers {
        w.await.expect("worker");
    }
    done.load(Ordering::Relaxed) as f64 / start.elapsed().as_secs_f64()
}
