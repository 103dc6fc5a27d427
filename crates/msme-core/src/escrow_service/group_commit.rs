//! Group commit of escrow moves: concurrent moves are written together, one transaction and
//! one flush to disk for all that are waiting, as databases commit concurrent transactions
//! together. Each move keeps its own outcome (the store applies a batch move by move, each
//! rolled back alone if it does not apply), and is answered only after its commit.
//!
//! One task per platform drains the queue: it takes every move waiting (up to [`MAX_BATCH`])
//! and hands them to [`LedgerStore::update_escrows`]; a move alone goes through
//! [`LedgerStore::update_escrow`]. If the batch fails as a whole (nothing written), each move
//! is written alone, so one move's storage error is not another's. The task starts with the
//! first move, on the runtime of its caller, and ends when the platform is dropped.

use std::sync::{Arc, OnceLock};

use tokio::sync::{mpsc, oneshot};

use crate::error::StoreError;
use crate::ledger::{EscrowWrite, IdempotentOutcome};
use crate::ports::{Store, StoreResult};

/// At most this many moves per transaction.
pub const MAX_BATCH: usize = 64;

type Job = (EscrowWrite, oneshot::Sender<StoreResult<IdempotentOutcome>>);

/// The queue of moves waiting to be written, and the task that writes them.
#[derive(Default)]
pub(crate) struct GroupCommit {
    queue: OnceLock<mpsc::UnboundedSender<Job>>,
}

impl GroupCommit {
    /// Writes `w` as [`LedgerStore::update_escrow`] would, together with the moves waiting
    /// beside it.
    pub(crate) async fn update_escrow(
        &self,
        store: &Arc<dyn Store>,
        w: EscrowWrite,
    ) -> StoreResult<IdempotentOutcome> {
        let queue = self.queue.get_or_init(|| {
            let (tx, rx) = mpsc::unbounded_channel();
            tokio::spawn(drain(store.clone(), rx));
            tx
        });
        let (reply, answer) = oneshot::channel();
        if let Err(mpsc::error::SendError((w, _))) = queue.send((w, reply)) {
            // The task is gone (its runtime shut down): write alone.
            return alone(store, w).await;
        }
        answer
            .await
            .unwrap_or_else(|_| Err(StoreError::backend("the group commit task stopped")))
    }
}

async fn alone(store: &Arc<dyn Store>, w: EscrowWrite) -> StoreResult<IdempotentOutcome> {
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

async fn drain(store: Arc<dyn Store>, mut rx: mpsc::UnboundedReceiver<Job>) {
    while let Some(first) = rx.recv().await {
        let mut jobs = vec![first];
        while jobs.len() < MAX_BATCH {
            match rx.try_recv() {
                Ok(job) => jobs.push(job),
                Err(_) => break,
            }
        }
        commit(&store, jobs).await;
    }
}

async fn commit(store: &Arc<dyn Store>, mut jobs: Vec<Job>) {
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
