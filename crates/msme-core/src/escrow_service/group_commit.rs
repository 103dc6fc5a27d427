//! Group commit of escrow moves: concurrent moves are written together, one transaction and
//! one flush to disk for all that are waiting, as databases commit concurrent transactions
//! together. Each move keeps its own outcome (the store applies a batch move by move, each
//! rolled back alone if it does not apply), and is answered only after its commit.
//!
//! No task runs it: the first caller to find no batch in flight becomes the leader. It takes
//! every move waiting (up to [`MAX_BATCH`]) and hands them to [`LedgerStore::update_escrows`]
//! (a move alone goes through [`LedgerStore::update_escrow`]), again until its own move is
//! answered; then it hands leadership to a waiting caller, so no caller works for others for
//! long. If a batch fails as a whole (nothing written), each move is written alone, so one
//! move's storage error is not another's. A leader dropped half-way (its caller gave up)
//! answers nobody: the moves it held are written again by their own callers, and their
//! idempotency keys make a move that did commit a replay.
//!
//! [`LedgerStore::update_escrows`]: crate::ledger::LedgerStore::update_escrows
//! [`LedgerStore::update_escrow`]: crate::ledger::LedgerStore::update_escrow

use std::collections::VecDeque;
use std::sync::Mutex;

use tokio::sync::{oneshot, Notify};

use crate::error::StoreResult;
use crate::ledger::LedgerStore;
use crate::ledger::{EscrowWrite, IdempotentOutcome};

/// At most this many moves per transaction.
pub const MAX_BATCH: usize = 64;

type Job = (EscrowWrite, oneshot::Sender<StoreResult<IdempotentOutcome>>);

/// The moves waiting to be written, and whether a leader is writing.
#[derive(Default)]
pub(crate) struct GroupCommit {
    state: Mutex<Queue>,
    /// Wakes a waiting caller to lead when a leader steps down with moves still queued.
    handover: Notify,
}

#[derive(Default)]
struct Queue {
    waiting: VecDeque<Job>,
    leading: bool,
}

/// Steps down on drop, so a leader whose caller gave up does not leave the queue leaderless.
struct Leadership<'a>(&'a GroupCommit);

impl Drop for Leadership<'_> {
    fn drop(&mut self) {
        let more = {
            let mut q = self.0.lock();
            q.leading = false;
            !q.waiting.is_empty()
        };
        if more {
            self.0.handover.notify_one();
        }
    }
}

impl GroupCommit {
    fn lock(&self) -> std::sync::MutexGuard<'_, Queue> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Writes `w` as [`LedgerStore::update_escrow`] would, together with the moves waiting
    /// beside it.
    ///
    /// [`LedgerStore::update_escrow`]: crate::ledger::LedgerStore::update_escrow
    pub(crate) async fn update_escrow(
        &self,
        store: &dyn LedgerStore,
        w: EscrowWrite,
    ) -> StoreResult<IdempotentOutcome> {
        let (reply, mut answer) = oneshot::channel();
        self.lock().waiting.push_back((w.clone(), reply));
        loop {
            if let Some(leader) = self.lead() {
                while let Some(batch) = self.take() {
                    commit(store, batch).await;
                    if let Ok(outcome) = answer.try_recv() {
                        return outcome;
                    }
                }
                drop(leader);
            }
            tokio::select! {
                outcome = &mut answer => {
                    // A leader dropped half-way answers nobody: write alone.
                    return match outcome {
                        Ok(outcome) => outcome,
                        Err(_) => alone(store, w).await,
                    };
                }
                _ = self.handover.notified() => {}
            }
        }
    }

    /// Leadership, if nobody leads and moves wait.
    fn lead(&self) -> Option<Leadership<'_>> {
        let mut q = self.lock();
        if q.leading || q.waiting.is_empty() {
            return None;
        }
        q.leading = true;
        Some(Leadership(self))
    }

    /// The next batch, if moves wait.
    fn take(&self) -> Option<Vec<Job>> {
        let mut q = self.lock();
        let n = q.waiting.len().min(MAX_BATCH);
        (n > 0).then(|| q.waiting.drain(..n).collect())
    }
}

async fn alone(store: &dyn LedgerStore, w: EscrowWrite) -> StoreResult<IdempotentOutcome> {
    store
        .update_escrow(
            &w.escrow,
            w.expected_version,
            &w.entries,
            w.idempotency,
            w.audit,
        )
        .await
}

async fn commit(store: &dyn LedgerStore, mut jobs: Vec<Job>) {
    if jobs.len() == 1 {
        let (w, reply) = jobs.pop().expect("one job");
        let _ = reply.send(alone(store, w).await);
        return;
    }
    let writes: Vec<EscrowWrite> = jobs.iter().map(|(w, _)| w.clone()).collect();
    match store.update_escrows(&writes).await {
        Ok(outcomes) if outcomes.len() == jobs.len() => {
            for ((_, reply), outcome) in jobs.into_iter().zip(outcomes) {
                let _ = reply.send(Ok(outcome));
            }
        }
        _ => {
            for (w, reply) in jobs {
                let _ = reply.send(alone(store, w).await);
            }
        }
    }
}
