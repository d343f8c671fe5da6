//! The domain's error type. Each variant has a stable code that the web layer
//! translates (`error-<code>` in the message files) and maps to a status.

use thiserror::Error;

/// One invalid input field, named by its form/API field name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldError {
    pub field: &'static str,
    /// Stable message code, translated by the UI (e.g. `invalid-email`).
    pub code: &'static str,
}

#[derive(Debug, Error, Clone, PartialEq, Eq)]
pub enum DomainError {
    #[error("invalid input")]
    Invalid(Vec<FieldError>),
    /// Unknown, or not visible to the asking user: the two are never told apart.
    #[error("not found")]
    NotFound,
    #[error("forbidden")]
    Forbidden,
    #[error("conflict on {field}")]
    Conflict { field: &'static str, code: &'static str },
}

impl DomainError {
    pub fn invalid(field: &'static str, code: &'static str) -> Self {
        DomainError::Invalid(vec![FieldError { field, code }])
    }

    /// Stable code for problem documents and message lookup.
    pub fn code(&self) -> &'static str {
        match self {
            DomainError::Invalid(_) => "invalid-input",
            DomainError::NotFound => "not-found",
            DomainError::Forbidden => "forbidden",
            DomainError::Conflict { code, .. } => code,
        }
    }
}
