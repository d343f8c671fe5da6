//! Logging in and out with a local account, and choosing the language.
//! A successful login of any kind ends in [`start_session`], so an OpenID
//! Connect callback can reuse it.

use super::{FormFields, safe_next};
use crate::AppState;
use crate::auth::verify_password;
use crate::context::{Ctx, LANG_COOKIE, SESSION_COOKIE, cookie_header, cookie_value};
use crate::error::AppResult;
use crate::views::LoginPage;
use axum::extract::{Query, State};
use axum::http::HeaderMap;
use axum::http::header::SET_COOKIE;
use axum::response::{IntoResponse, Redirect, Response};
use loft_domain::locale::Locale;
use loft_store::accounts::new_token;
use std::collections::HashMap;

pub async fn page(ctx: Ctx, Query(q): Query<HashMap<String, String>>) -> Response {
    if ctx.user.is_some() {
        return Redirect::to("/").into_response();
    }
    let next = safe_next(q.get("next").map(String::as_str).unwrap_or("/"));
    LoginPage { ctx, username: String::new(), next, error: None }.into_response()
}

/// Creates a session for an authenticated account and sets its cookie.
pub async fn start_session(state: &AppState, account_id: i64, redirect_to: &str) -> AppResult<Response> {
    let token = new_token();
    state.store.create_session(account_id, &token, state.config.session).await?;
    let mut response = Redirect::to(redirect_to).into_response();
    let cookie = cookie_header(SESSION_COOKIE, token, state.config.secure_cookies, true, None);
    response.headers_mut().append(SET_COOKIE, cookie);
    Ok(response)
}

pub async fn submit(State(state): State<AppState>, ctx: Ctx, form: FormFields) -> AppResult<Response> {
    let username = form.get("username").trim().to_string();
    let password = form.get("password");
    let next = safe_next(form.get("next"));
    let now = jiff::Timestamp::now().as_second();
    let cfg = &state.config;
    let fail = |ctx: Ctx, key: &str| {
        let error = Some(ctx.t(key));
        (axum::http::StatusCode::UNAUTHORIZED, LoginPage { ctx, username: username.clone(), next: next.clone(), error })
            .into_response()
    };
    if state.throttle.is_locked(&username, cfg.max_failed_logins, cfg.throttle_window_secs, now) {
        tracing::warn!(username = %username, "login throttled");
        return Ok(fail(ctx, "login-throttled"));
    }
    let creds = state.store.credentials(&username).await?;
    // Verify even when the user is unknown, so timing does not tell which part was wrong.
    let ok = verify_password(password, creds.as_ref().and_then(|c| c.password_hash.as_deref()));
    match creds {
        Some(c) if ok && !c.disabled => {
            state.throttle.clear(&username);
            tracing::info!(account = c.account_id, "login");
            start_session(&state, c.account_id, &next).await
        }
        _ => {
            state.throttle.record_failure(&username, cfg.throttle_window_secs, now);
            Ok(fail(ctx, "login-failed"))
        }
    }
}

pub async fn logout(State(state): State<AppState>, headers: HeaderMap) -> AppResult<Response> {
    if let Some(token) = cookie_value(&headers, SESSION_COOKIE) {
        state.store.delete_session(&token).await?;
    }
    let mut response = Redirect::to("/login").into_response();
    let cleared = cookie_header(SESSION_COOKIE, String::new(), state.config.secure_cookies, true, Some(0));
    response.headers_mut().append(SET_COOKIE, cleared);
    Ok(response)
}

/// Sets the language: remembered on the account when logged in, and in a cookie always.
pub async fn language(State(state): State<AppState>, ctx: Ctx, form: FormFields) -> AppResult<Response> {
    let locale =
        Locale::parse(form.get("lang")).ok_or_else(|| loft_domain::DomainError::invalid("lang", "unknown-language"))?;
    if let Some(user) = &ctx.user {
        state.store.set_locale(user.account_id, locale).await?;
    }
    let mut response = Redirect::to(&safe_next(form.get("next"))).into_response();
    let year = 365 * 24 * 3600;
    let cookie = cookie_header(LANG_COOKIE, locale.tag().to_string(), state.config.secure_cookies, false, Some(year));
    response.headers_mut().append(SET_COOKIE, cookie);
    Ok(response)
}
