//! The per-request context, established once in middleware: who is asking
//! (session cookie or API token), in which language, the CSRF token; and on
//! the way out, the rendering of errors as a page or a problem document.

use crate::AppState;
use crate::auth::{AuthMethod, CurrentUser};
use crate::error::{AppError, ErrorInfo};
use crate::i18n::Tr;
use crate::views;
use axum::body::Body;
use axum::extract::{FromRequestParts, Request, State};
use axum::http::header::{ACCEPT_LANGUAGE, AUTHORIZATION, CONTENT_TYPE, COOKIE, SET_COOKIE};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};
use axum_extra::extract::cookie::{Cookie, SameSite};
use loft_domain::locale::Locale;
use loft_domain::policy::Actor;

pub const SESSION_COOKIE: &str = "loft_session";
pub const CSRF_COOKIE: &str = "loft_csrf";
pub const LANG_COOKIE: &str = "loft_lang";
pub const CSRF_FIELD: &str = "csrf_token";
/// Largest form body the CSRF check reads; file uploads send the token in a header.
const MAX_FORM_BYTES: usize = 1024 * 1024;

/// What every handler and template may know about the request.
#[derive(Debug, Clone)]
pub struct Ctx {
    pub tr: Tr,
    pub user: Option<CurrentUser>,
    pub csrf: String,
    pub path: String,
    pub query: String,
}

impl Ctx {
    pub fn t(&self, key: &str) -> String {
        self.tr.t(key)
    }
}

impl FromRequestParts<AppState> for Ctx {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, _state: &AppState) -> Result<Self, Self::Rejection> {
        parts.extensions.get::<Ctx>().cloned().ok_or_else(|| AppError::Internal("context middleware missing".into()))
    }
}

pub fn cookie_value(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| Cookie::split_parse(v.to_string()).flatten())
        .find(|c| c.name() == name)
        .map(|c| c.value().to_string())
}

pub fn cookie_header(
    name: &str,
    value: String,
    secure: bool,
    http_only: bool,
    max_age_secs: Option<i64>,
) -> HeaderValue {
    let c =
        Cookie::build((name.to_string(), value)).path("/").http_only(http_only).secure(secure).same_site(SameSite::Lax);
    let mut text = c.build().to_string();
    if let Some(age) = max_age_secs {
        text.push_str(&format!("; Max-Age={age}"));
    }
    HeaderValue::from_str(&text).unwrap_or_else(|_| HeaderValue::from_static(""))
}

async fn authenticate(state: &AppState, headers: &HeaderMap) -> Result<Option<CurrentUser>, AppError> {
    let bearer =
        headers.get(AUTHORIZATION).and_then(|v| v.to_str().ok()).and_then(|v| v.strip_prefix("Bearer ")).map(str::trim);
    let (account, method) = if let Some(token) = bearer {
        // A wrong token is an error, not an anonymous request: the client meant to log in.
        let account = state.store.api_token_account(token).await?.ok_or(AppError::Unauthenticated)?;
        (account, AuthMethod::ApiToken)
    } else if let Some(token) = cookie_value(headers, SESSION_COOKIE) {
        match state.store.session_account(&token, state.config.session).await? {
            Some(account) => (account, AuthMethod::Session),
            None => return Ok(None),
        }
    } else {
        return Ok(None);
    };
    Ok(Some(CurrentUser {
        account_id: account.account_id,
        name: account.name,
        actor: Actor::new(account.person_id, account.grants),
        locale: account.locale,
        method,
    }))
}

fn choose_locale(user: Option<&CurrentUser>, headers: &HeaderMap) -> Locale {
    user.and_then(|u| u.locale)
        .or_else(|| cookie_value(headers, LANG_COOKIE).and_then(|c| Locale::parse(&c)))
        .unwrap_or_else(|| {
            Locale::negotiate(headers.get(ACCEPT_LANGUAGE).and_then(|v| v.to_str().ok()).unwrap_or_default())
        })
}

fn is_api(path: &str) -> bool {
    path.starts_with("/api/")
}

/// Double-submit check: the token in the form (or `X-CSRF-Token`) must match the cookie.
async fn check_csrf(request: Request, cookie_token: Option<&str>) -> Result<Request, AppError> {
    let Some(expected) = cookie_token.filter(|t| !t.is_empty()) else {
        return Err(AppError::Csrf);
    };
    if let Some(header) = request.headers().get("x-csrf-token").and_then(|v| v.to_str().ok()) {
        return if header == expected { Ok(request) } else { Err(AppError::Csrf) };
    }
    let content_type = request.headers().get(CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or_default();
    if content_type.starts_with("multipart/form-data") {
        // File uploads carry the token in the form's action URL: reading it from the body would mean
        // buffering the whole upload here. Referrer-Policy keeps the URL on this site.
        let query = request.uri().query().unwrap_or_default();
        let fields: Vec<(String, String)> = serde_urlencoded::from_str(query).unwrap_or_default();
        let submitted = fields.iter().find(|(k, _)| k == CSRF_FIELD).map(|(_, v)| v.as_str());
        return if submitted == Some(expected) { Ok(request) } else { Err(AppError::Csrf) };
    }
    let is_form = request
        .headers()
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/x-www-form-urlencoded"));
    if !is_form {
        return Err(AppError::Csrf);
    }
    let (parts, body) = request.into_parts();
    let bytes = axum::body::to_bytes(body, MAX_FORM_BYTES)
        .await
        .map_err(|_| AppError::Domain(loft_domain::DomainError::invalid("body", "body-too-large")))?;
    let fields: Vec<(String, String)> = serde_urlencoded::from_bytes(&bytes).unwrap_or_default();
    let submitted = fields.iter().find(|(k, _)| k == CSRF_FIELD).map(|(_, v)| v.as_str());
    if submitted != Some(expected) {
        return Err(AppError::Csrf);
    }
    Ok(Request::from_parts(parts, Body::from(bytes)))
}

/// The middleware around every route.
pub async fn context(State(state): State<AppState>, mut request: Request, next: Next) -> Response {
    let path = request.uri().path().to_string();
    let query = request.uri().query().unwrap_or_default().to_string();
    let headers = request.headers().clone();
    let user = match authenticate(&state, &headers).await {
        Ok(user) => user,
        Err(e) => {
            return render_error(&state, Tr::new(choose_locale(None, &headers)), &path, e.info(), None);
        }
    };
    let tr = Tr::new(choose_locale(user.as_ref(), &headers));
    let cookie_token = cookie_value(&headers, CSRF_COOKIE);
    let csrf = cookie_token.clone().unwrap_or_else(loft_store::accounts::new_token);

    let unsafe_method = !matches!(*request.method(), Method::GET | Method::HEAD | Method::OPTIONS);
    let token_auth = user.as_ref().is_some_and(|u| u.method == AuthMethod::ApiToken);
    if unsafe_method && !token_auth {
        request = match check_csrf(request, cookie_token.as_deref()).await {
            Ok(r) => r,
            Err(e) => return render_error(&state, tr, &path, e.info(), None),
        };
    }

    let ctx = Ctx { tr, user: user.clone(), csrf: csrf.clone(), path: path.clone(), query };
    request.extensions_mut().insert(ctx.clone());
    if let Some(u) = user {
        request.extensions_mut().insert(u);
    }
    let mut response = next.run(request).await;
    if let Some(info) = response.extensions().get::<ErrorInfo>().cloned() {
        response = render_error(&state, tr, &path, info, Some(&ctx));
    }
    response.headers_mut().insert("referrer-policy", HeaderValue::from_static("same-origin"));
    if cookie_token.is_none() && !is_api(&path) {
        response
            .headers_mut()
            .append(SET_COOKIE, cookie_header(CSRF_COOKIE, csrf, state.config.secure_cookies, true, None));
    }
    response
}

fn render_error(state: &AppState, tr: Tr, path: &str, info: ErrorInfo, ctx: Option<&Ctx>) -> Response {
    let _ = state;
    if is_api(path) {
        let fields: Vec<serde_json::Value> = info
            .fields
            .iter()
            .map(|f| serde_json::json!({"field": f.field, "code": f.code, "message": tr.t(&format!("error-{}", f.code))}))
            .collect();
        let body = serde_json::json!({
            "type": format!("/problems/{}", info.code),
            "title": tr.t(&format!("error-{}", info.code)),
            "status": info.status.as_u16(),
            "code": info.code,
            "errors": fields,
        });
        let mut r = (info.status, axum::Json(body)).into_response();
        r.headers_mut().insert(CONTENT_TYPE, HeaderValue::from_static("application/problem+json"));
        if info.status == StatusCode::UNAUTHORIZED {
            r.headers_mut().insert("www-authenticate", HeaderValue::from_static("Bearer"));
        }
        return r;
    }
    if info.status == StatusCode::UNAUTHORIZED {
        let next = url_escape(path);
        return Redirect::to(&format!("/login?next={next}")).into_response();
    }
    let ctx = ctx.cloned().unwrap_or_else(|| Ctx {
        tr,
        user: None,
        csrf: String::new(),
        path: path.to_string(),
        query: String::new(),
    });
    (info.status, views::ErrorPage::new(ctx, &info)).into_response()
}

pub fn url_escape(text: &str) -> String {
    serde_urlencoded::to_string([("x", text)]).map(|s| s[2..].to_string()).unwrap_or_default()
}
