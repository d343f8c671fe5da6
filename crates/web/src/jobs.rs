//! HR imports being applied in the background, by import id. Only what is in flight lives here (how far an
//! apply has come, or why it failed); the outcome of a finished apply is the import record in the database, so
//! closing the tab loses nothing and a restart loses only the progress of an apply that then rolls back.

use crate::error::{AppError, ErrorInfo};
use loft_store::Store;
use loft_store::audit::Change;
use loft_store::hr_import::Progress;
use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};

/// The state of one background apply.
#[derive(Debug, Clone)]
pub enum Job {
    /// People written so far of those the plan changes (`total` is 0 until the plan is known).
    Running(Progress),
    /// The apply was refused or failed and its transaction rolled back: nothing was changed.
    Failed(ErrorInfo),
}

#[derive(Debug, Default)]
pub struct ImportJobs {
    jobs: Mutex<HashMap<i64, Job>>,
}

impl ImportJobs {
    fn with<T>(&self, f: impl FnOnce(&mut HashMap<i64, Job>) -> T) -> T {
        // A panic while holding the lock leaves only a progress figure half-written; go on with it.
        f(&mut self.jobs.lock().unwrap_or_else(PoisonError::into_inner))
    }

    pub fn get(&self, import_id: i64) -> Option<Job> {
        self.with(|jobs| jobs.get(&import_id).cloned())
    }

    /// Claims the import for a new apply; `false` while one is already running (a double click, a second tab).
    fn claim(&self, import_id: i64) -> bool {
        self.with(|jobs| {
            if matches!(jobs.get(&import_id), Some(Job::Running(_))) {
                return false;
            }
            jobs.insert(import_id, Job::Running(Progress { done: 0, total: 0 }));
            true
        })
    }

    pub fn report(&self, import_id: i64, progress: Progress) {
        self.with(|jobs| jobs.insert(import_id, Job::Running(progress)));
    }

    fn finish(&self, import_id: i64, outcome: Result<(), ErrorInfo>) {
        self.with(|jobs| match outcome {
            // The record says it is applied; nothing needs keeping here.
            Ok(()) => jobs.remove(&import_id),
            Err(info) => jobs.insert(import_id, Job::Failed(info)),
        });
    }

    /// Starts applying `import_id` on the runtime unless an apply of it is already running. Returns whether
    /// this call started one. The store serialises applies of a municipality and refuses an applied import, so
    /// even two servers cannot apply it twice; this only keeps one server from trying.
    pub fn start(self: &Arc<Self>, store: Store, change: Change, import_id: i64, skip_invalid: bool) -> bool {
        if !self.claim(import_id) {
            return false;
        }
        let jobs = Arc::clone(self);
        let apply = tokio::spawn({
            let jobs = Arc::clone(self);
            async move {
                let report = |p: Progress| jobs.report(import_id, p);
                let outcome = store.apply_hr_import_with_progress(change, import_id, skip_invalid, &report).await;
                outcome.map(|_| ()).map_err(|e| {
                    let error = AppError::from(e);
                    if let AppError::Internal(cause) = &error {
                        tracing::error!(%cause, import_id, "background HR apply failed");
                    }
                    error.info()
                })
            }
        });
        // A panic in the apply must not leave the import looking as if it were still running.
        tokio::spawn(async move {
            let outcome = apply.await.unwrap_or_else(|_| Err(AppError::Internal("apply panicked".into()).info()));
            jobs.finish(import_id, outcome);
        });
        true
    }
}
