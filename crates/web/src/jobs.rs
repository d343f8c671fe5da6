//! HR imports being previewed or applied in the background. Only what is in flight lives here (how far an
//! apply has come, or why it failed; how an upload's preview ended); the outcome of a finished apply is the
//! import record in the database, so closing the tab loses nothing and a restart loses only the progress of an
//! apply that then rolls back. A finished preview is an import record too; only a refused file's reasons are
//! kept here alone (for an hour), as refused files are not recorded.

use crate::error::{AppError, ErrorInfo};
use loft_domain::hr::ColumnMapping;
use loft_domain::ids::MunicipalityId;
use loft_store::Store;
use loft_store::audit::Change;
use loft_store::hr_import::{Preview, Progress, Rejected};
use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

/// How long a finished upload's outcome is kept for its page.
const PREVIEW_KEPT: Duration = Duration::from_secs(60 * 60);

/// The state of one background apply.
#[derive(Debug, Clone)]
pub enum Job {
    /// People written so far of those the plan changes (`total` is 0 until the plan is known).
    Running(Progress),
    /// The apply was refused or failed and its transaction rolled back: nothing was changed.
    Failed(ErrorInfo),
}

/// Where the preview of one upload stands.
#[derive(Debug, Clone)]
pub enum PreviewJob {
    Running,
    /// Previewed and recorded as this import.
    Previewed(i64),
    /// The file was refused; nothing was recorded.
    Rejected(Rejected),
    Failed(ErrorInfo),
}

/// One upload being (or having been) previewed.
#[derive(Debug, Clone)]
pub struct PendingPreview {
    pub municipality: MunicipalityId,
    pub file_name: String,
    pub state: PreviewJob,
    finished: Option<Instant>,
}

/// What an upload's preview needs.
pub struct PreviewRequest {
    pub change: Change,
    pub municipality: MunicipalityId,
    pub file_name: String,
    pub bytes: Vec<u8>,
    pub max_bytes: usize,
    pub mapping: Option<ColumnMapping>,
}

pub type PreviewOutcome = Result<Result<Preview, Rejected>, ErrorInfo>;

#[derive(Debug, Default)]
pub struct ImportJobs {
    jobs: Mutex<HashMap<i64, Job>>,
    previews: Mutex<HashMap<String, PendingPreview>>,
}

impl ImportJobs {
    fn with<T>(&self, f: impl FnOnce(&mut HashMap<i64, Job>) -> T) -> T {
        // A panic while holding the lock leaves only a progress figure half-written; go on with it.
        f(&mut self.jobs.lock().unwrap_or_else(PoisonError::into_inner))
    }

    fn with_previews<T>(&self, f: impl FnOnce(&mut HashMap<String, PendingPreview>) -> T) -> T {
        f(&mut self.previews.lock().unwrap_or_else(PoisonError::into_inner))
    }

    /// The upload `token` names, if it is still known.
    pub fn preview(&self, token: &str) -> Option<PendingPreview> {
        self.with_previews(|p| p.get(token).cloned())
    }

    /// Starts previewing an upload on the runtime. Returns the upload's token (for its page) and the task, which
    /// the caller may wait for; dropping it leaves the preview running.
    pub fn start_preview(
        self: &Arc<Self>,
        store: Store,
        request: PreviewRequest,
    ) -> (String, tokio::task::JoinHandle<PreviewOutcome>) {
        let token = loft_store::accounts::new_token();
        let pending = PendingPreview {
            municipality: request.municipality,
            file_name: request.file_name.clone(),
            state: PreviewJob::Running,
            finished: None,
        };
        self.with_previews(|p| {
            p.retain(|_, old| old.finished.is_none_or(|at| at.elapsed() < PREVIEW_KEPT));
            p.insert(token.clone(), pending);
        });
        let jobs = Arc::clone(self);
        let key = token.clone();
        let task = tokio::spawn(async move {
            let r = request;
            let outcome = store
                .preview_hr_import(r.change, r.municipality, &r.file_name, &r.bytes, r.max_bytes, r.mapping)
                .await
                .map_err(|e| {
                    let error = AppError::from(e);
                    if let AppError::Internal(cause) = &error {
                        tracing::error!(%cause, "background HR preview failed");
                    }
                    error.info()
                });
            let state = match &outcome {
                Ok(Ok(preview)) => PreviewJob::Previewed(preview.import_id),
                Ok(Err(rejected)) => PreviewJob::Rejected(rejected.clone()),
                Err(info) => PreviewJob::Failed(info.clone()),
            };
            jobs.with_previews(|p| {
                if let Some(pending) = p.get_mut(&key) {
                    pending.state = state;
                    pending.finished = Some(Instant::now());
                }
            });
            outcome
        });
        (token, task)
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
