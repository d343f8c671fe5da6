//! Who is asking: passwords, login throttling, and the logged-in user that
//! handlers receive. Handlers only see [`CurrentUser`]; how it was established
//! (password session, API token, later OpenID Connect) is decided here and in
//! the context middleware, so a new login method does not touch handlers.

use crate::AppState;
use crate::error::AppError;
use argon2::Argon2;
use argon2::password_hash::phc::PasswordHash;
use argon2::password_hash::{PasswordHasher, PasswordVerifier};
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use loft_domain::locale::Locale;
use loft_domain::policy::{Action, Actor, Reach, Target, can, reach};
use std::collections::HashMap;
use std::sync::Mutex;

/// How the request was authenticated.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AuthMethod {
    Session,
    ApiToken,
}

/// The logged-in user, with their roles resolved into a policy actor.
#[derive(Debug, Clone)]
pub struct CurrentUser {
    pub account_id: i64,
    pub name: String,
    pub actor: Actor,
    pub locale: Option<Locale>,
    pub method: AuthMethod,
}

impl CurrentUser {
    pub fn can(&self, action: Action, target: &Target) -> bool {
        can(&self.actor, action, target)
    }
    pub fn reach(&self, action: Action) -> Reach {
        reach(&self.actor, action)
    }
}

impl FromRequestParts<AppState> for CurrentUser {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, _state: &AppState) -> Result<Self, Self::Rejection> {
        parts.extensions.get::<CurrentUser>().cloned().ok_or(AppError::Unauthenticated)
    }
}

pub fn hash_password(password: &str) -> Result<String, AppError> {
    Argon2::default()
        .hash_password(password.as_bytes())
        .map(|h| h.to_string())
        .map_err(|e| AppError::Internal(format!("password hash: {e}")))
}

/// A hash of a random password, verified against when the user name is
/// unknown so that a wrong name takes as long as a wrong password.
static DUMMY_HASH: std::sync::LazyLock<String> =
    std::sync::LazyLock::new(|| hash_password("no-such-user-ever").unwrap_or_default());

pub fn verify_password(password: &str, hash: Option<&str>) -> bool {
    let hash = hash.unwrap_or(DUMMY_HASH.as_str());
    let Ok(parsed) = PasswordHash::new(hash) else {
        let _ = PasswordHash::new(DUMMY_HASH.as_str()).map(|h| Argon2::default().verify_password(b"x", &h));
        return false;
    };
    Argon2::default().verify_password(password.as_bytes(), &parsed).is_ok()
}

/// Counts failed logins per user name (and per client address) in a sliding
/// window. In memory: a restart forgets, which only resets the wait.
#[derive(Debug, Default)]
pub struct LoginThrottle {
    failures: Mutex<HashMap<String, (u32, i64)>>,
}

impl LoginThrottle {
    fn key(username: &str) -> String {
        username.trim().to_lowercase()
    }

    pub fn is_locked(&self, username: &str, max: u32, window: i64, now: i64) -> bool {
        let map = self.failures.lock().unwrap_or_else(|e| e.into_inner());
        map.get(&Self::key(username)).is_some_and(|(n, since)| *n >= max && now - since < window)
    }

    pub fn record_failure(&self, username: &str, window: i64, now: i64) {
        let mut map = self.failures.lock().unwrap_or_else(|e| e.into_inner());
        if map.len() > 100_000 {
            map.retain(|_, (_, since)| now - *since < window); // bound memory under a spray of names
        }
        let entry = map.entry(Self::key(username)).or_insert((0, now));
        if now - entry.1 >= window {
            *entry = (0, now);
        }
        entry.0 += 1;
    }

    pub fn clear(&self, username: &str) {
        let mut map = self.failures.lock().unwrap_or_else(|e| e.into_inner());
        map.remove(&Self::key(username));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_verify_only_with_the_right_password() {
        let hash = hash_password("riktig passord").expect("hash");
        assert!(hash.starts_with("$argon2id$"));
        assert!(verify_password("riktig passord", Some(&hash)));
        assert!(!verify_password("feil", Some(&hash)));
        assert!(!verify_password("riktig passord", None));
        assert!(!verify_password("x", Some("not a hash")));
    }

    #[test]
    fn throttle_locks_after_max_failures_within_window() {
        let t = LoginThrottle::default();
        for i in 0..5 {
            assert!(!t.is_locked("Kari", 5, 900, 1000 + i));
            t.record_failure("kari", 900, 1000 + i);
        }
        assert!(t.is_locked("KARI", 5, 900, 1010));
        assert!(!t.is_locked("kari", 5, 900, 1000 + 900), "the window passes");
        t.clear("kari");
        assert!(!t.is_locked("kari", 5, 900, 1010));
    }
}
