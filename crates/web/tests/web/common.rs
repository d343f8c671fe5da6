//! Shared set-up: a seeded Kongsbergregionen per backend and logged-in clients.

use axum_test::TestServer;
use loft_domain::demo::kongsbergregionen;
use loft_store::Store;
use loft_store::testing::{TestDb, backends};
use loft_web::{AppState, WebConfig, app};
use std::sync::LazyLock;

pub static DEMO_HASH: LazyLock<String> = LazyLock::new(|| loft_web::auth::hash_password("demo").expect("hash"));

pub struct World {
    pub db: TestDb,
    pub state: AppState,
}

impl World {
    pub fn store(&self) -> &Store {
        &self.db.store
    }

    /// A client with its own cookie jar, not logged in.
    pub async fn anonymous(&self) -> TestServer {
        let server = TestServer::builder().save_cookies().build(app(self.state.clone()));
        // Visiting any page hands out the CSRF cookie.
        server.get("/login").await;
        server
    }

    /// A client logged in as a demo user.
    pub async fn login(&self, username: &str) -> TestServer {
        let server = self.anonymous().await;
        let csrf = csrf(&server).await;
        let r = server
            .post("/login")
            .form(&[("csrf_token", csrf.as_str()), ("username", username), ("password", "demo"), ("next", "/")])
            .await;
        assert_eq!(r.status_code(), 303, "login as {username}: {}", r.text());
        server
    }

    pub async fn drop(self) {
        self.db.drop_db().await;
    }
}

/// The client's CSRF token, as the forms on its pages carry it.
pub async fn csrf(server: &TestServer) -> String {
    let mut r = server.get("/login").await;
    if r.status_code() == 303 {
        r = server.get("/account").await;
    }
    attr_after(&r.text(), r#"name="csrf_token" value=""#).expect("a form with a CSRF token")
}

/// Seeds Kongsbergregionen (with demo logins) into every backend.
pub async fn worlds() -> Vec<World> {
    let mut out = Vec::new();
    for db in backends().await {
        db.store.seed("Kongsbergregionen", &kongsbergregionen(), true, &DEMO_HASH).await.expect("seed");
        let state = AppState::new(db.store.clone(), test_config());
        out.push(World { db, state });
    }
    out
}

pub fn test_config() -> WebConfig {
    let node_modules = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../node_modules");
    WebConfig { node_modules, ..WebConfig::default() }
}

/// Finds a value in the HTML between `before` and the next `"`.
pub fn attr_after(html: &str, before: &str) -> Option<String> {
    let start = html.find(before)? + before.len();
    Some(html[start..].split('"').next()?.to_string())
}
