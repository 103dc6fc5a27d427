//! The event signal on PostgreSQL: a task that `LISTEN`s on `msme_events` (notified by a trigger
//! after every statement that appends to the audit log, in any process) and bumps a watch
//! channel, running only while someone holds a receiver.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;

use sqlx::postgres::{PgListener, PgPool};
use tokio::sync::watch;

/// The channel the `audit_log_notify` trigger (migration 9) notifies.
const CHANNEL: &str = "msme_events";

/// How long the listener waits before trying again after a failure.
const RETRY: Duration = Duration::from_secs(1);

/// Shared by every clone of a store.
#[derive(Debug)]
pub(crate) struct EventSignal {
    sender: watch::Sender<u64>,
    /// Whether a listener task runs (or is starting).
    listening: AtomicBool,
}

impl EventSignal {
    pub(crate) fn new() -> Arc<Self> {
        Arc::new(Self {
            sender: watch::Sender::new(0),
            listening: AtomicBool::new(false),
        })
    }

    /// A receiver, starting the listener on `pool` if none runs.
    pub(crate) fn subscribe(self: &Arc<Self>, pool: &PgPool) -> watch::Receiver<u64> {
        // Subscribe first: a listener about to stop for want of receivers then sees this one.
        let rx = self.sender.subscribe();
        if self.claim() {
            match tokio::runtime::Handle::try_current() {
                Ok(runtime) => {
                    runtime.spawn(listen(self.clone(), pool.clone()));
                }
                Err(_) => {
                    // Consumers poll as well; without a runtime they only do that.
                    tracing::warn!("no tokio runtime: the event signal stays silent");
                    self.listening.store(false, Ordering::SeqCst);
                }
            }
        }
        rx
    }

    /// Takes the right to run the listener; false when one already runs.
    fn claim(&self) -> bool {
        self.listening
            .compare_exchange(false, true, Ordering::SeqCst, Ordering::SeqCst)
            .is_ok()
    }

    fn bump(&self) {
        self.sender.send_modify(|v| *v = v.wrapping_add(1));
    }
}

/// Relays notifications until every receiver is gone (or the pool is closed).
async fn listen(signal: Arc<EventSignal>, pool: PgPool) {
    loop {
        let closed = tokio::select! {
            () = signal.sender.closed() => false,
            closed = relay(&signal, &pool) => closed,
        };
        signal.listening.store(false, Ordering::SeqCst);
        // A receiver that subscribed while this task was stopping saw the flag still set and
        // started nothing: carry on for it.
        if closed || signal.sender.receiver_count() == 0 || !signal.claim() {
            tracing::debug!("event listener stopped");
            return;
        }
    }
}

/// Listens and bumps the signal on each notification; retries after failures. Returns (true)
/// only once the pool is closed.
async fn relay(signal: &EventSignal, pool: &PgPool) -> bool {
    loop {
        let mut listener = match subscribed(pool).await {
            Ok(listener) => listener,
            Err(sqlx::Error::PoolClosed) => return true,
            Err(e) => {
                tracing::warn!(error = %e, "cannot listen for events; retrying");
                tokio::time::sleep(RETRY).await;
                continue;
            }
        };
        // Whatever was committed while nobody listened is read now.
        signal.bump();
        loop {
            match listener.try_recv().await {
                Ok(Some(_)) => signal.bump(),
                // The connection was lost and made again: notifications may have been missed.
                Ok(None) => signal.bump(),
                Err(sqlx::Error::PoolClosed) => return true,
                Err(e) => {
                    tracing::warn!(error = %e, "lost the event listener; retrying");
                    tokio::time::sleep(RETRY).await;
                    break;
                }
            }
        }
    }
}

async fn subscribed(pool: &PgPool) -> Result<PgListener, sqlx::Error> {
    let mut listener = PgListener::connect_with(pool).await?;
    listener.listen(CHANNEL).await?;
    Ok(listener)
}
