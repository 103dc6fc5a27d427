//! One consumer's loop: lease, read a batch, handle it (retrying, then dead-lettering), advance.

use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};
use tokio::sync::watch;

use super::{CatchUp, Consumer, HandlerError, Runtime, RuntimeError};
use crate::events::Event;
use crate::runtime::{Advance, DeadLetter, Lease};

/// What one step found.
enum Step {
    /// A batch was handled; more may follow at once.
    Handled { events: u64, dead: u64, cursor: i64 },
    /// Nothing new.
    Idle { cursor: i64 },
    /// Another worker holds the consumer.
    HeldElsewhere,
    /// The advance was refused (lease lost, or the cursor moved under us): read again.
    Refused,
}

/// A consumer's loop state between steps.
struct Follower<'a> {
    rt: &'a Runtime,
    c: &'a dyn Consumer,
    /// Until when this worker holds the lease, as far as it knows.
    held_until: Option<DateTime<Utc>>,
    /// The cursor as last read or advanced.
    cursor: i64,
    last_tick: Instant,
}

pub(super) async fn follow(rt: &Runtime, c: &dyn Consumer, mut stop: watch::Receiver<bool>) {
    let mut f = Follower::new(rt, c);
    let mut signal = rt.log.event_signal();
    let mut failures = 0u32;
    tracing::info!(consumer = c.name(), worker = %rt.worker, "consumer started");
    while !*stop.borrow() {
        // Another worker's consumer: commits do not concern this one until the lease frees.
        let mut wake_on_commit = true;
        let pause = match f.step(false).await {
            Ok(Step::Handled { .. } | Step::Refused) => {
                failures = 0;
                continue;
            }
            Ok(Step::Idle { .. }) => {
                failures = 0;
                rt.options.poll
            }
            Ok(Step::HeldElsewhere) => {
                wake_on_commit = false;
                rt.options.lease / 3
            }
            Err(e) => {
                failures += 1;
                let error = &e as &dyn std::error::Error;
                tracing::warn!(
                    consumer = c.name(),
                    error,
                    failures,
                    "consumer step failed; retrying"
                );
                rt.options.backoff(failures)
            }
        };
        let pause = match c.tick() {
            Some(every) => pause.min(every.saturating_sub(f.last_tick.elapsed())),
            None => pause,
        };
        tokio::select! {
            changed = signal.changed(), if wake_on_commit => {
                if changed.is_err() {
                    tokio::time::sleep(pause).await;
                }
            }
            _ = tokio::time::sleep(pause) => {}
            _ = stop.changed() => {}
        }
    }
    if f.held_until.is_some() {
        if let Err(e) = rt.log.release_consumer(c.name(), &rt.worker).await {
            let error = &e as &dyn std::error::Error;
            tracing::warn!(consumer = c.name(), error, "could not give the lease up");
        }
    }
    tracing::info!(consumer = c.name(), "consumer stopped");
}

pub(super) async fn catch_up(rt: &Runtime, c: &dyn Consumer) -> Result<CatchUp, RuntimeError> {
    let mut f = Follower::new(rt, c);
    let mut done = CatchUp::default();
    let held = loop {
        match f.step(true).await? {
            Step::Handled {
                events,
                dead,
                cursor,
            } => {
                done.events += events;
                done.dead_letters += dead;
                done.cursor = cursor;
            }
            Step::Refused => {}
            Step::Idle { cursor } => {
                done.cursor = cursor;
                break true;
            }
            Step::HeldElsewhere => break false,
        }
    };
    if held {
        rt.log.release_consumer(c.name(), &rt.worker).await?;
    } else {
        done.held_elsewhere = true;
    }
    Ok(done)
}

impl<'a> Follower<'a> {
    fn new(rt: &'a Runtime, c: &'a dyn Consumer) -> Self {
        Self {
            rt,
            c,
            held_until: None,
            cursor: 0,
            last_tick: Instant::now(),
        }
    }

    fn lease(&self, now: DateTime<Utc>) -> Lease<'_> {
        let lease = chrono::Duration::from_std(self.rt.options.lease)
            .unwrap_or(chrono::Duration::seconds(30));
        Lease {
            consumer: self.c.name(),
            worker: &self.rt.worker,
            now,
            until: now + lease,
        }
    }

    fn tick_due(&self) -> bool {
        self.c
            .tick()
            .is_some_and(|every| self.last_tick.elapsed() >= every)
    }

    /// True when nothing can have changed for this consumer: the lease is held well ahead, the
    /// head is at the cursor, and no tick is due. Saves a write per poll.
    async fn quiet(&self, now: DateTime<Utc>) -> Result<bool, RuntimeError> {
        let half = chrono::Duration::from_std(self.rt.options.lease / 2).unwrap_or_default();
        let lease_fresh = self.held_until.is_some_and(|u| u - now > half);
        if !lease_fresh || self.tick_due() {
            return Ok(false);
        }
        let head = self.rt.log.audit_head().await?.map_or(0, |(seq, _)| seq);
        Ok(head <= self.cursor)
    }

    async fn step(&mut self, force: bool) -> Result<Step, RuntimeError> {
        let now = self.rt.clock.now();
        if !force && self.quiet(now).await? {
            return Ok(Step::Idle {
                cursor: self.cursor,
            });
        }
        let lease = self.lease(now);
        let mut leased = self.rt.log.lease_consumer(lease).await?;
        if leased.is_none() && self.reclaim_from_dead_owner().await? {
            leased = self.rt.log.lease_consumer(lease).await?;
        }
        let Some(cursor) = leased else {
            self.held_until = None;
            return Ok(Step::HeldElsewhere);
        };
        self.held_until = Some(lease.until);
        self.cursor = cursor;
        let page = self
            .rt
            .log
            .audit_page(cursor, self.rt.options.batch)
            .await?;
        let Some(last) = page.last().map(|e| e.seq) else {
            if self.tick_due() {
                self.last_tick = Instant::now();
                self.handle_all(&[]).await?;
            }
            return Ok(Step::Idle { cursor });
        };
        let events: Vec<Event> = page
            .iter()
            .map(Event::from_entry)
            .filter(|e| self.c.wants(e))
            .collect();
        let dead = if events.is_empty() && !self.tick_due() {
            Vec::new()
        } else {
            self.last_tick = Instant::now();
            self.handle_all(&events).await?
        };
        let renewed = self.lease(self.rt.clock.now());
        let advance = Advance {
            from: cursor,
            to: last,
            events: page.len() as i64,
            dead: &dead,
        };
        if !self.rt.log.advance_consumer(renewed, advance).await? {
            tracing::info!(
                consumer = self.c.name(),
                "advance refused (lease lost or cursor moved); reading again"
            );
            self.held_until = None;
            return Ok(Step::Refused);
        }
        tracing::debug!(
            consumer = self.c.name(),
            worker = %self.rt.worker,
            first = cursor + 1,
            last,
            wanted = events.len(),
            dead = dead.len(),
            "events handled"
        );
        self.held_until = Some(renewed.until);
        self.cursor = last;
        Ok(Step::Handled {
            events: page.len() as u64,
            dead: dead.len() as u64,
            cursor: last,
        })
    }

    /// Gives the lease up for its holder if that is a process of this machine that has exited
    /// (see [`super::is_dead_local_worker`]); true if it did.
    async fn reclaim_from_dead_owner(&self) -> Result<bool, RuntimeError> {
        let states = self.rt.log.consumer_states().await?;
        let Some(owner) = states
            .into_iter()
            .find(|s| s.consumer == self.c.name())
            .and_then(|s| s.lease_owner)
        else {
            return Ok(false);
        };
        if !super::is_dead_local_worker(&owner, &self.rt.worker) {
            return Ok(false);
        }
        tracing::info!(
            consumer = self.c.name(),
            dead = %owner,
            "the lease holder has exited; taking its lease over"
        );
        self.rt.log.release_consumer(self.c.name(), &owner).await?;
        Ok(true)
    }

    /// Handles a batch; answers the events it gave up on. A `Retry` error (something down)
    /// comes back as an error, so the batch is read again later.
    async fn handle_all(&self, events: &[Event]) -> Result<Vec<DeadLetter>, RuntimeError> {
        let error = match self.try_handle(events).await? {
            None => return Ok(Vec::new()),
            Some(error) => error,
        };
        if events.len() <= 1 {
            return Ok(events.iter().map(|e| self.letter(e, &error)).collect());
        }
        // Some event in the batch keeps failing: find which, one at a time.
        let mut dead = Vec::new();
        for e in events {
            if let Some(error) = self.try_handle(std::slice::from_ref(e)).await? {
                dead.push(self.letter(e, &error));
            }
        }
        Ok(dead)
    }

    /// Up to `attempts` tries, with backoff; `None` on success, else the last error.
    async fn try_handle(&self, events: &[Event]) -> Result<Option<String>, RuntimeError> {
        let attempts = self.rt.options.attempts.max(1);
        let mut last = String::new();
        for attempt in 0..attempts {
            if attempt > 0 {
                tokio::time::sleep(self.rt.options.backoff(attempt - 1)).await;
            }
            match self.renewing(self.c.handle(events)).await {
                Ok(()) => return Ok(None),
                Err(HandlerError::Retry(e)) => {
                    return Err(RuntimeError::Handler(HandlerError::Retry(e)))
                }
                Err(HandlerError::Failed(e)) => {
                    tracing::warn!(
                        consumer = self.c.name(),
                        attempt = attempt + 1,
                        first = events.first().map(|e| e.seq),
                        error = %e,
                        "handler failed"
                    );
                    last = e;
                }
            }
        }
        Ok(Some(last))
    }

    /// Runs `work`, renewing the lease every third of its length meanwhile, so a long handler
    /// (a training job) keeps the consumer.
    async fn renewing<T>(&self, work: impl std::future::Future<Output = T>) -> T {
        tokio::pin!(work);
        let every = (self.rt.options.lease / 3).max(Duration::from_millis(10));
        loop {
            tokio::select! {
                out = &mut work => return out,
                _ = tokio::time::sleep(every) => {
                    let lease = self.lease(self.rt.clock.now());
                    if let Err(e) = self.rt.log.lease_consumer(lease).await {
                        let error = &e as &dyn std::error::Error;
                        tracing::warn!(consumer = self.c.name(), error, "lease renewal failed");
                    }
                }
            }
        }
    }

    fn letter(&self, e: &Event, error: &str) -> DeadLetter {
        tracing::error!(consumer = self.c.name(), seq = e.seq, action = %e.action, error,
            "event dead-lettered after repeated failures");
        DeadLetter {
            consumer: self.c.name().to_string(),
            seq: e.seq,
            action: e.action.clone(),
            error: error.to_string(),
            attempts: self.rt.options.attempts as i32,
            at: self.rt.clock.now(),
        }
    }
}
