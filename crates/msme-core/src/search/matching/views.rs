//! Views off the request path. A buyer reading a listing is a signal for the ranker, not a
//! change of state: it is kept in memory ([`ViewBuffer`]) and written in batches, without
//! audit entries, by the runtime's view flusher ([`VIEW_FLUSHER`]) every [`VIEW_FLUSH_INTERVAL`] (and once more
//! at shutdown). A crash loses at most the views of the last interval.

use std::collections::VecDeque;
use std::sync::Mutex;
use std::time::Duration;

use super::Interaction;

/// How often buffered views are written.
pub const VIEW_FLUSH_INTERVAL: Duration = Duration::from_millis(500);

/// The most views kept waiting (when the database is down for long); older ones are dropped.
pub const MAX_PENDING_VIEWS: usize = 100_000;

/// The runtime's name for the view flusher.
pub const VIEW_FLUSHER: &str = "views";

/// Views recorded in this process and not yet written.
#[derive(Debug, Default)]
pub struct ViewBuffer {
    pending: Mutex<VecDeque<Interaction>>,
}

impl ViewBuffer {
    pub(crate) fn push(&self, view: Interaction) {
        let mut pending = self.lock();
        if pending.len() >= MAX_PENDING_VIEWS {
            pending.pop_front();
        }
        pending.push_back(view);
    }

    /// Everything waiting, leaving the buffer empty.
    pub(crate) fn take(&self) -> Vec<Interaction> {
        std::mem::take(&mut *self.lock()).into()
    }

    /// Puts back views that could not be written, before any that came since; the oldest go
    /// past [`MAX_PENDING_VIEWS`].
    pub(crate) fn restore(&self, views: Vec<Interaction>) {
        let mut pending = self.lock();
        let mut all: VecDeque<Interaction> = views.into();
        all.append(&mut pending);
        let over = all.len().saturating_sub(MAX_PENDING_VIEWS);
        if over > 0 {
            tracing::warn!(
                dropped = over,
                "views waiting too long to be written were dropped"
            );
            all.drain(..over);
        }
        *pending = all;
    }

    /// How many views wait.
    pub fn len(&self) -> usize {
        self.lock().len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, VecDeque<Interaction>> {
        // A panic while holding the lock leaves a valid Vec: carry on with it.
        self.pending.lock().unwrap_or_else(|e| e.into_inner())
    }
}
