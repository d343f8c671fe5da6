//! Løft's domain: pure rules and types, no I/O and no async.
//!
//! Every other crate speaks in these types. Parsing happens at the edges
//! (`Email::parse`, `MunicipalityNumber::parse`, …) so that a value held in a
//! domain type is known to be valid.

pub mod collation;
pub mod competence;
pub mod courses;
pub mod demo;
pub mod disclosure;
pub mod error;
pub mod hr;
pub mod ids;
pub mod locale;
pub mod mapping;
pub mod org;
pub mod person;
pub mod policy;

pub use error::{DomainError, FieldError};
