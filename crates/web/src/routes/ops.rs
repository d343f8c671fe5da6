//! Operations: health, metrics, static assets, the fallback 404.

use crate::AppState;
use crate::error::AppError;
use crate::metrics::OutboxLabels;
use axum::extract::State;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use tower_http::services::ServeDir;
use tower_http::set_header::SetResponseHeader;

pub async fn healthz(State(state): State<AppState>) -> Response {
    if state.store.ping().await {
        (StatusCode::OK, axum::Json(serde_json::json!({"status": "ok"}))).into_response()
    } else {
        (StatusCode::SERVICE_UNAVAILABLE, axum::Json(serde_json::json!({"status": "database unavailable"})))
            .into_response()
    }
}

pub async fn metrics(State(state): State<AppState>) -> Response {
    if let Ok((pending, sent, failed)) = state.store.outbox_counts().await {
        for (label, n) in [("pending", pending), ("sent", sent), ("failed", failed)] {
            state.metrics.outbox.get_or_create(&OutboxLabels { state: label }).set(n);
        }
    }
    ([(header::CONTENT_TYPE, "application/openmetrics-text; version=1.0.0; charset=utf-8")], state.metrics.render())
        .into_response()
}

pub async fn app_css() -> Response {
    (
        [(header::CONTENT_TYPE, "text/css; charset=utf-8"), (header::CACHE_CONTROL, "public, max-age=3600")],
        include_str!("../../static/app.css"),
    )
        .into_response()
}

/// Front-end packages (Designsystemet's CSS, the Inter font), served from `node_modules` as npm installed them.
pub fn cached(dir: ServeDir) -> SetResponseHeader<ServeDir, HeaderValue> {
    SetResponseHeader::overriding(dir, header::CACHE_CONTROL, HeaderValue::from_static("public, max-age=86400"))
}

pub async fn not_found() -> AppError {
    AppError::not_found()
}
