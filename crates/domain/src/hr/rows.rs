//! Turning a [`Table`]'s rows into [`HrRecord`]s of domain values, with every invalid cell of every row reported.
//!
//! Owns the per-row rules: which cells are required, how each is parsed (through the person newtypes and the
//! private `values` module), and duplicate employee numbers. A row with any error yields no record; its employee
//! number, when readable, is *held back* so that the diff neither updates that person nor marks them as left.

use super::decode::{Row, Table};
use super::mapping::{ColumnMapping, Columns, MappingError};
use super::{Field, RowError, values};
use crate::error::DomainError;
use crate::person::{Email, EmployeeNumber, parse_name};
use jiff::civil::Date;
use serde::{Deserialize, Serialize, Serializer};
use std::collections::{BTreeSet, HashMap, HashSet};

/// Share of a full-time position, 0–100 %, held in hundredths of a percent so it compares exactly.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Percent(u16);

impl Percent {
    /// Values above 100 % are capped.
    pub fn from_hundredths(hundredths: u16) -> Self {
        Percent(hundredths.min(10_000))
    }
    pub fn hundredths(self) -> u16 {
        self.0
    }
    pub fn as_f64(self) -> f64 {
        f64::from(self.0) / 100.0
    }
}

impl std::fmt::Display for Percent {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.as_f64().fmt(f)
    }
}

impl Serialize for Percent {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_f64(self.as_f64())
    }
}

/// A unit as an HR file names it. A file uses one kind throughout (one unit column, see
/// [`ColumnMapping::validate`]), and the current state given to [`super::diff()`] must use the same kind.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum UnitRef {
    /// The HR system's unit code, matched against `Unit::code`. An unknown code is an error.
    Code(String),
    /// Unit names from the top of the tree down. Missing units on the way are created.
    Path(Vec<String>),
}

impl UnitRef {
    /// The path one level up, for a path of two or more segments.
    pub fn parent(&self) -> Option<UnitRef> {
        match self {
            UnitRef::Path(segments) if segments.len() > 1 => {
                Some(UnitRef::Path(segments[..segments.len() - 1].to_vec()))
            }
            _ => None,
        }
    }
}

impl std::fmt::Display for UnitRef {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            UnitRef::Code(code) => f.write_str(code),
            UnitRef::Path(segments) => f.write_str(&segments.join(" / ")),
        }
    }
}

/// One valid row: an employee as the HR system describes them. Optional values are `None` when the cell is blank
/// (or its column is not mapped; [`ParsedRows::fields`] tells which).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct HrRecord {
    pub line: u64,
    pub employee_number: EmployeeNumber,
    pub given_name: String,
    pub family_name: String,
    pub email: Option<Email>,
    /// Normalised, e.g. `+4791234567`.
    pub mobile: Option<String>,
    pub unit: UnitRef,
    pub position_title: Option<String>,
    pub position_code: Option<String>,
    pub percent: Option<Percent>,
    pub is_manager: bool,
    pub start_date: Option<Date>,
    pub end_date: Option<Date>,
}

/// The outcome of reading all rows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParsedRows {
    /// Valid rows, in file order.
    pub records: Vec<HrRecord>,
    /// Every problem found, by line.
    pub errors: Vec<RowError>,
    /// Employee numbers of rows that had errors (including every occurrence of a duplicate). The diff leaves
    /// these people as they are rather than treating them as gone from the file.
    pub held_back: HashSet<EmployeeNumber>,
    /// The fields the file has columns for. Fields without a column are neither compared nor changed.
    pub fields: BTreeSet<Field>,
    /// The file's header for the unit column, for errors the diff finds (`unknown-unit`).
    pub unit_column: String,
}

/// Reads every row of `table` with `mapping`. A mapping that does not fit the headers stops here; row problems
/// are collected in [`ParsedRows::errors`].
///
/// An employee number that occurs more than once makes *every* occurrence an error (`duplicate-employee-number`):
/// the file does not say which row is right, so that person is held back until the file is corrected.
pub fn parse_rows(table: Table, mapping: &ColumnMapping) -> Result<ParsedRows, Vec<MappingError>> {
    let columns = mapping.validate(&table.headers)?;
    let unit_field = mapping.unit_field().unwrap_or(Field::UnitCode);
    let mut errors = Vec::new();
    let mut parsed = Vec::with_capacity(table.rows.len());
    let mut seen: HashMap<EmployeeNumber, u32> = HashMap::new();
    // Rows are consumed one by one, so their text is freed while records are built.
    for row in table.rows {
        let (number, record) = parse_row(&row, &columns, unit_field, &mut errors);
        if let Some(number) = &number {
            *seen.entry(number.clone()).or_default() += 1;
        }
        parsed.push((row.line, number, record));
    }
    let mut held_back = HashSet::new();
    // Collected in place (the same allocation), so a large file's records are not held twice here.
    let records = parsed
        .into_iter()
        .filter_map(|(line, number, record)| {
            let number = number?;
            if seen.get(&number).is_some_and(|n| *n > 1) {
                errors.push(RowError {
                    line,
                    column: columns.header(Field::EmployeeNumber).map(str::to_owned),
                    code: "duplicate-employee-number",
                    value: number.as_str().to_owned(),
                });
                held_back.insert(number);
                None
            } else if record.is_none() {
                held_back.insert(number);
                None
            } else {
                record
            }
        })
        .collect();
    errors.sort_by_key(|e| e.line);
    Ok(ParsedRows {
        records,
        errors,
        held_back,
        fields: mapping.iter().map(|(field, _)| field).collect(),
        unit_column: columns.header(unit_field).unwrap_or_default().to_owned(),
    })
}

/// The row's employee number if readable, and its record if the whole row is valid.
fn parse_row(
    row: &Row,
    columns: &Columns,
    unit_field: Field,
    errors: &mut Vec<RowError>,
) -> (Option<EmployeeNumber>, Option<HrRecord>) {
    let mut cells = Cells { row, columns, errors: Vec::new() };
    let width = columns.header_count();
    let extra_filled = row.cells.iter().skip(width).any(|c| !c.trim().is_empty());
    if row.cells.len() < width || extra_filled {
        let number = cells.text(Field::EmployeeNumber).and_then(|t| EmployeeNumber::parse(t).ok());
        errors.push(RowError {
            line: row.line,
            column: None,
            code: "wrong-column-count",
            value: row.cells.len().to_string(),
        });
        return (number, None);
    }
    let number = cells.required(Field::EmployeeNumber, |t| EmployeeNumber::parse(t).map_err(field_code));
    let given_name = cells.required(Field::GivenName, |t| parse_name("given_name", t).map_err(field_code));
    let family_name = cells.required(Field::FamilyName, |t| parse_name("family_name", t).map_err(field_code));
    let unit = match unit_field {
        Field::UnitPath => cells.required(unit_field, |t| values::unit_path(t).map(UnitRef::Path)),
        _ => cells.required(unit_field, |t| bounded(t, 50).map(UnitRef::Code)),
    };
    let email = cells.optional(Field::Email, |t| Email::parse(t).map_err(field_code));
    let mobile = cells.optional(Field::Mobile, values::mobile);
    let position_title = cells.optional(Field::PositionTitle, |t| bounded(t, 200));
    let position_code = cells.optional(Field::PositionCode, |t| bounded(t, 50));
    let percent = cells.optional(Field::Percent, values::percent);
    let is_manager = cells.optional(Field::IsManager, values::flag).map(|f| f.unwrap_or(false));
    let start_date = cells.optional(Field::StartDate, values::date);
    let mut end_date = cells.optional(Field::EndDate, values::date);
    if let (Some(Some(start)), Some(Some(end))) = (start_date, end_date)
        && end < start
    {
        cells.fail(Field::EndDate, "end-before-start");
        end_date = None;
    }
    if !cells.errors.is_empty() {
        errors.append(&mut cells.errors);
        return (number, None);
    }
    // Without errors every parser returned a value, so each `?` below succeeds.
    let record = (|| {
        Some(HrRecord {
            line: row.line,
            employee_number: number.clone()?,
            given_name: given_name?,
            family_name: family_name?,
            email: email?,
            mobile: mobile?,
            unit: unit?,
            position_title: position_title?,
            position_code: position_code?,
            percent: percent?,
            is_manager: is_manager?,
            start_date: start_date?,
            end_date: end_date?,
        })
    })();
    (number, record)
}

/// One row's cells, addressed by field, collecting that row's errors.
struct Cells<'a> {
    row: &'a Row,
    columns: &'a Columns,
    errors: Vec<RowError>,
}

impl Cells<'_> {
    /// The trimmed cell, `None` when the field is not mapped or the cell is blank.
    fn text(&self, field: Field) -> Option<&str> {
        let cell = self.row.cells.get(self.columns.index(field)?)?.trim();
        (!cell.is_empty()).then_some(cell)
    }

    fn fail(&mut self, field: Field, code: &'static str) {
        let value = self.text(field).unwrap_or_default().to_owned();
        let column = self.columns.header(field).map(str::to_owned);
        self.errors.push(RowError { line: self.row.line, column, code, value });
    }

    fn required<T>(&mut self, field: Field, parse: impl Fn(&str) -> Result<T, &'static str>) -> Option<T> {
        match self.text(field).map(parse) {
            Some(Ok(value)) => Some(value),
            Some(Err(code)) => {
                self.fail(field, code);
                None
            }
            None => {
                self.fail(field, "required");
                None
            }
        }
    }

    /// `Some(None)` for a blank cell, `None` when the cell is invalid.
    fn optional<T>(&mut self, field: Field, parse: impl Fn(&str) -> Result<T, &'static str>) -> Option<Option<T>> {
        match self.text(field).map(parse) {
            None => Some(None),
            Some(Ok(value)) => Some(Some(value)),
            Some(Err(code)) => {
                self.fail(field, code);
                None
            }
        }
    }
}

fn bounded(text: &str, max_chars: usize) -> Result<String, &'static str> {
    if text.chars().count() > max_chars { Err("too-long") } else { Ok(text.to_owned()) }
}

/// The code of a newtype's field error (`invalid-email`, `required`, …).
fn field_code(error: DomainError) -> &'static str {
    match error {
        DomainError::Invalid(fields) => fields.first().map_or("invalid", |f| f.code),
        other => other.code(),
    }
}
