//! The web layer: pages and the JSON API over the store, one router per
//! feature. `app(state)` builds everything, so tests drive it in process.

pub mod auth;
pub mod certificate_pdf;
pub mod context;
pub mod error;
pub mod i18n;
pub mod jobs;
pub mod mail;
pub mod metrics;
pub mod reminders;
pub mod request_log;
pub mod routes;
pub mod views;

use axum::Router;
use loft_store::Store;
use loft_store::accounts::SessionPolicy;
use std::path::PathBuf;
use std::sync::Arc;

/// Settings the web layer needs (the CLI reads them from file and environment).
#[derive(Debug, Clone)]
pub struct WebConfig {
    /// Send cookies with `Secure` (on for anything served over HTTPS).
    pub secure_cookies: bool,
    pub session: SessionPolicy,
    /// Where `npm ci` put front-end packages (`node_modules`).
    pub node_modules: PathBuf,
    /// Failed logins allowed per user name within `throttle_window_secs`.
    pub max_failed_logins: u32,
    pub throttle_window_secs: i64,
    /// Largest HR file accepted for import, in bytes.
    pub max_upload_bytes: usize,
    /// Where people reach Løft, without a trailing slash: the start of links in e-mails.
    pub public_url: String,
    /// How long an upload waits for its preview before sending the user to a page that follows it (zero: always
    /// send them there).
    pub preview_wait: std::time::Duration,
}

impl Default for WebConfig {
    fn default() -> Self {
        WebConfig {
            secure_cookies: false,
            session: SessionPolicy { idle_secs: 30 * 60, absolute_secs: 12 * 60 * 60 },
            node_modules: PathBuf::from("node_modules"),
            max_failed_logins: 5,
            throttle_window_secs: 15 * 60,
            // A national-scale export (550,000 rows) is about 60 MB.
            max_upload_bytes: 100 * 1024 * 1024,
            public_url: "http://127.0.0.1:8080".into(),
            preview_wait: std::time::Duration::from_secs(3),
        }
    }
}

/// Shared by every request: one pointer, so the clones axum makes for every request and middleware cost one
/// counter, not one per field (under a rush those counters were a tenth of the server's time).
#[derive(Clone)]
pub struct AppState(Arc<Shared>);

impl std::ops::Deref for AppState {
    type Target = Shared;
    fn deref(&self) -> &Shared {
        &self.0
    }
}

pub struct Shared {
    pub store: Store,
    pub config: Arc<WebConfig>,
    pub throttle: Arc<auth::LoginThrottle>,
    pub metrics: Arc<metrics::Metrics>,
    /// HR imports being applied in the background.
    pub import_jobs: Arc<jobs::ImportJobs>,
    /// Mapping reports already computed, per round (see `routes::mapping::report`).
    pub reports: Arc<routes::mapping::report::ReportCache>,
    /// Competence frameworks by id, read once: a published version never changes.
    pub frameworks: Arc<std::sync::Mutex<std::collections::HashMap<i64, Arc<loft_domain::competence::Framework>>>>,
}

impl AppState {
    pub fn new(store: Store, config: WebConfig) -> AppState {
        AppState(Arc::new(Shared {
            store,
            config: Arc::new(config),
            throttle: Arc::new(auth::LoginThrottle::default()),
            metrics: Arc::new(metrics::Metrics::default()),
            import_jobs: Arc::new(jobs::ImportJobs::default()),
            reports: Arc::new(routes::mapping::report::ReportCache::default()),
            frameworks: Arc::default(),
        }))
    }
}

/// The whole application.
pub fn app(state: AppState) -> Router {
    routes::router(state)
}

/// The application for `axum::serve`: each connection gets a clone of the one router. Serving the `Router`
/// itself rebuilds its whole route table for every connection (`Router::with_state` in axum's
/// `Service<IncomingStream>`), which a rush of 2,000 new connections felt.
pub fn make_service(state: AppState) -> axum::routing::IntoMakeService<Router> {
    app(state).into_make_service()
}
