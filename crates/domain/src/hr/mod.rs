//! HR import: the pure core that turns an HR system's export into a plan of changes.
//!
//! The pipeline, one module per step, none of them doing I/O:
//!
//! 1. [`mod@decode`]: raw upload bytes → [`Table`] of text cells (CSV in any of the encodings and separators
//!    municipalities export, or the first sheet of an XLSX workbook).
//! 2. [`mapping`]: which header holds which [`Field`]; guessed from Norwegian and English header names and saved
//!    per municipality as a [`ColumnMapping`].
//! 3. [`rows`]: each row → an [`HrRecord`] of parsed domain values, or [`RowError`]s naming line, column and a
//!    stable code. Every bad cell of every row is reported, not just the first.
//! 4. [`mod@diff`]: records against the municipality's current people and units → an [`ImportPlan`] (new, changed,
//!    moved, leaving, returning, unchanged; units to create). Applying the plan is the store's job.
//!
//! Beside the pipeline, [`municipality`] decides whether a file belongs to the municipality at all.
//!
//! Stamdata3 XML (Unit4 / Tietoevry ERP Kommune) is read by [`stamdata3`] into the same [`Table`] as a CSV file,
//! following the structure public examples show (no official schema is published).

mod apply;
pub mod decode;
pub mod diff;
pub mod mapping;
pub mod municipality;
pub mod rows;
pub mod stamdata3;
mod values;
mod xlsx;

pub use decode::{Cells, DecodeError, Encoding, Format, Row, Table, decode};
pub use diff::{
    CurrentPerson, FieldChange, ImportPlan, Leaving, PersonUpdate, PlanSummary, UnitMove, diff, diff_taking,
};
pub use mapping::{ColumnMapping, MappingError};
pub use municipality::{WrongMunicipality, check_named, check_overlap};
pub use rows::{HrRecord, ParsedRows, Percent, UnitRef, parse_rows};

use serde::{Deserialize, Serialize};

/// A field of an HR record that a file column can be mapped to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Field {
    EmployeeNumber,
    GivenName,
    FamilyName,
    Email,
    Mobile,
    UnitCode,
    UnitPath,
    PositionTitle,
    PositionCode,
    Percent,
    IsManager,
    StartDate,
    EndDate,
}

impl Field {
    pub const ALL: [Field; 13] = [
        Field::EmployeeNumber,
        Field::GivenName,
        Field::FamilyName,
        Field::Email,
        Field::Mobile,
        Field::UnitCode,
        Field::UnitPath,
        Field::PositionTitle,
        Field::PositionCode,
        Field::Percent,
        Field::IsManager,
        Field::StartDate,
        Field::EndDate,
    ];

    /// Fields every file must have a column for. A unit column is also required: exactly one of
    /// [`Field::UnitCode`] and [`Field::UnitPath`] (see [`ColumnMapping::validate`]).
    pub const REQUIRED: [Field; 3] = [Field::EmployeeNumber, Field::GivenName, Field::FamilyName];

    /// Stable snake_case name, as serialised and as used in message ids (`hr-field-<name>`).
    pub fn name(self) -> &'static str {
        match self {
            Field::EmployeeNumber => "employee_number",
            Field::GivenName => "given_name",
            Field::FamilyName => "family_name",
            Field::Email => "email",
            Field::Mobile => "mobile",
            Field::UnitCode => "unit_code",
            Field::UnitPath => "unit_path",
            Field::PositionTitle => "position_title",
            Field::PositionCode => "position_code",
            Field::Percent => "percent",
            Field::IsManager => "is_manager",
            Field::StartDate => "start_date",
            Field::EndDate => "end_date",
        }
    }
}

/// One problem with one row (and usually one cell) of the file, shown in the preview.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RowError {
    /// 1-based line in the file (the header is line 1 when it is the first line), or the XLSX row number.
    pub line: u64,
    /// The header of the offending column as the file spells it; `None` for whole-row problems.
    pub column: Option<String>,
    /// Stable kebab-case code, translated by the UI: `required`, `invalid-email`, `invalid-date`,
    /// `invalid-percent`, `invalid-mobile`, `invalid-boolean`, `invalid-employee-number`, `invalid-unit-path`,
    /// `too-long`, `end-before-start`, `wrong-column-count`, `duplicate-employee-number`, `unknown-unit`.
    pub code: &'static str,
    /// The cell's text as found (trimmed), so the user can find it.
    pub value: String,
}

#[cfg(test)]
mod tests;
