//! One error type for handlers. A handler returns `AppError`; the response
//! carries an [`ErrorInfo`] that the context middleware renders once, as an
//! HTML page or as an RFC 9457 problem document for the API, in the user's
//! language. Internal causes are logged here and never sent to the client.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use loft_domain::{DomainError, FieldError};
use loft_store::StoreError;

#[derive(Debug)]
pub enum AppError {
    Domain(DomainError),
    /// Not logged in (pages redirect to the login page; the API answers 401).
    Unauthenticated,
    /// The CSRF token was missing or wrong.
    Csrf,
    Internal(String),
}

/// What the renderer needs to describe an error; travels in response extensions.
#[derive(Debug, Clone)]
pub struct ErrorInfo {
    pub status: StatusCode,
    pub code: &'static str,
    pub fields: Vec<FieldError>,
}

impl AppError {
    pub fn status(&self) -> StatusCode {
        match self {
            AppError::Domain(DomainError::Invalid(_)) => StatusCode::UNPROCESSABLE_ENTITY,
            AppError::Domain(DomainError::NotFound) => StatusCode::NOT_FOUND,
            AppError::Domain(DomainError::Forbidden) => StatusCode::FORBIDDEN,
            AppError::Domain(DomainError::Conflict { .. }) => StatusCode::CONFLICT,
            AppError::Unauthenticated => StatusCode::UNAUTHORIZED,
            AppError::Csrf => StatusCode::FORBIDDEN,
            AppError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    pub fn info(&self) -> ErrorInfo {
        let (code, fields) = match self {
            AppError::Domain(DomainError::Invalid(f)) => ("invalid-input", f.clone()),
            AppError::Domain(DomainError::Conflict { field, code }) => (*code, vec![FieldError { field, code }]),
            AppError::Domain(e) => (e.code(), vec![]),
            AppError::Unauthenticated => ("unauthenticated", vec![]),
            AppError::Csrf => ("csrf", vec![]),
            AppError::Internal(_) => ("internal", vec![]),
        };
        ErrorInfo { status: self.status(), code, fields }
    }

    pub fn not_found() -> AppError {
        AppError::Domain(DomainError::NotFound)
    }
}

impl From<DomainError> for AppError {
    fn from(e: DomainError) -> Self {
        AppError::Domain(e)
    }
}

impl From<StoreError> for AppError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::Domain(d) => AppError::Domain(d),
            other => AppError::Internal(other.to_string()),
        }
    }
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        if let AppError::Internal(cause) = &self {
            tracing::error!(%cause, "internal error");
        }
        let info = self.info();
        let mut response = (info.status, info.code).into_response();
        response.extensions_mut().insert(info);
        response
    }
}

pub type AppResult<T> = Result<T, AppError>;

/// Turns a foreign or unknown resource into the same 404.
pub fn require(allowed: bool) -> AppResult<()> {
    if allowed { Ok(()) } else { Err(AppError::not_found()) }
}
