//! Comparing a file's valid records with a municipality's current people and units: the [`ImportPlan`] that the
//! preview shows and the store applies.
//!
//! Owns the rules of synchronisation: people are matched by employee number only; someone active who is not in
//! the file is leaving (marked as left, never deleted); someone marked as left who is in the file again is
//! returning; fields the file has no column for are left alone; an unknown unit *path* is created (with any
//! missing parents) while an unknown unit *code* rejects the row (`unknown-unit`), because a code alone does not
//! say where in the tree a unit belongs.

use super::rows::{HrRecord, ParsedRows, Percent, UnitRef};
use super::{Field, RowError};
use crate::ids::PersonId;
use crate::person::{Email, EmployeeNumber};
use jiff::civil::Date;
use serde::{Deserialize, Serialize};
use std::borrow::Cow;
use std::collections::{BTreeSet, HashMap, HashSet};

/// A person imported from HR before (`source = hr`), as the store holds them. `unit` must be the same kind of
/// [`UnitRef`] the file uses (code or path), or `None` when the person has no unit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CurrentPerson {
    pub id: PersonId,
    pub employee_number: EmployeeNumber,
    pub given_name: String,
    pub family_name: String,
    pub email: Option<Email>,
    pub mobile: Option<String>,
    pub unit: Option<UnitRef>,
    pub position_title: Option<String>,
    pub position_code: Option<String>,
    pub percent: Option<Percent>,
    pub is_manager: bool,
    pub start_date: Option<Date>,
    pub end_date: Option<Date>,
    pub left: bool,
}

/// One field's old and new value as display text (dates ISO, percent as a number, flags `true`/`false`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FieldChange {
    pub field: Field,
    pub old: Option<String>,
    pub new: Option<String>,
}

/// An existing person to update from `record`: the fields in `changes` (never the unit; see [`UnitMove`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PersonUpdate {
    pub id: PersonId,
    pub record: HrRecord,
    pub changes: Vec<FieldChange>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct UnitMove {
    pub id: PersonId,
    pub employee_number: EmployeeNumber,
    pub from: Option<UnitRef>,
    pub to: UnitRef,
}

/// An active person no longer in the file. The store marks them as left and sets an end date; it never deletes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Leaving {
    pub id: PersonId,
    pub employee_number: EmployeeNumber,
}

/// Everything an import would change. Every list is sorted by employee number (units by path), so the same
/// inputs always give the same plan. One person can be both in `changed` (or `returning`) and in `moved`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ImportPlan {
    pub new: Vec<HrRecord>,
    pub changed: Vec<PersonUpdate>,
    pub moved: Vec<UnitMove>,
    pub leaving: Vec<Leaving>,
    /// People marked as left who are in the file again: the store clears `left` and applies `changes`.
    pub returning: Vec<PersonUpdate>,
    /// Active people in the file with nothing to change.
    pub unchanged: usize,
    /// Unit paths to create, parents before children.
    pub units_to_create: Vec<UnitRef>,
    /// Valid rows that still cannot be imported (`unknown-unit`), sorted by line. Their people are left alone.
    pub rejected: Vec<RowError>,
    /// The fields the file has columns for: the only ones the store may write.
    pub fields: BTreeSet<Field>,
}

/// Counts for the preview and the import record.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlanSummary {
    pub new: usize,
    pub changed: usize,
    pub moved: usize,
    pub leaving: usize,
    pub returning: usize,
    pub unchanged: usize,
    pub units_to_create: usize,
    pub rejected: usize,
}

impl ImportPlan {
    pub fn summary(&self) -> PlanSummary {
        PlanSummary {
            new: self.new.len(),
            changed: self.changed.len(),
            moved: self.moved.len(),
            leaving: self.leaving.len(),
            returning: self.returning.len(),
            unchanged: self.unchanged,
            units_to_create: self.units_to_create.len(),
            rejected: self.rejected.len(),
        }
    }

    /// True when applying the plan would change no person and no unit (rejected rows change nothing either).
    pub fn changes_nothing(&self) -> bool {
        self.new.is_empty()
            && self.changed.is_empty()
            && self.moved.is_empty()
            && self.leaving.is_empty()
            && self.returning.is_empty()
            && self.units_to_create.is_empty()
    }
}

/// Plans the import of `parsed` into a municipality whose HR people are `current` and whose units are
/// `known_units` (all of them, as codes or as paths like the file). People held back by row errors are neither
/// updated nor treated as leaving. Employee numbers are assumed unique in `current` (the store's constraint).
pub fn diff(current: &[CurrentPerson], known_units: &BTreeSet<UnitRef>, parsed: &ParsedRows) -> ImportPlan {
    plan(current, known_units, parsed, parsed.records.iter().map(Cow::Borrowed).collect())
}

/// [`diff()`], moving the records out of `parsed` into the plan instead of copying them (`parsed.records` is
/// left empty): for a large file the records are otherwise held twice.
pub fn diff_taking(current: &[CurrentPerson], known_units: &BTreeSet<UnitRef>, parsed: &mut ParsedRows) -> ImportPlan {
    let records = std::mem::take(&mut parsed.records);
    plan(current, known_units, parsed, records.into_iter().map(Cow::Owned).collect())
}

fn plan(
    current: &[CurrentPerson],
    known_units: &BTreeSet<UnitRef>,
    parsed: &ParsedRows,
    mut records: Vec<Cow<'_, HrRecord>>,
) -> ImportPlan {
    let by_number: HashMap<&str, &CurrentPerson> = current.iter().map(|p| (p.employee_number.as_str(), p)).collect();
    records.sort_by(|a, b| a.employee_number.as_str().cmp(b.employee_number.as_str()));
    // The current people's numbers that the file has (borrowed from `current`: the records move into the plan).
    let mut in_file: HashSet<&str> = HashSet::with_capacity(records.len().min(current.len()));
    let mut plan = ImportPlan {
        new: Vec::new(),
        changed: Vec::new(),
        moved: Vec::new(),
        leaving: Vec::new(),
        returning: Vec::new(),
        unchanged: 0,
        units_to_create: Vec::new(),
        rejected: Vec::new(),
        fields: parsed.fields.clone(),
    };
    let mut units_to_create = BTreeSet::new();
    for record in records {
        let person = by_number.get(record.employee_number.as_str());
        if let Some(person) = person {
            in_file.insert(person.employee_number.as_str());
        }
        if !known_units.contains(&record.unit) {
            if let UnitRef::Code(code) = &record.unit {
                let column = Some(parsed.unit_column.clone());
                plan.rejected.push(RowError { line: record.line, column, code: "unknown-unit", value: code.clone() });
                continue;
            }
            let mut missing = Some(record.unit.clone());
            while let Some(unit) = missing.take().filter(|u| !known_units.contains(u)) {
                missing = unit.parent();
                units_to_create.insert(unit);
            }
        }
        let Some(person) = person else {
            plan.new.push(record.into_owned());
            continue;
        };
        let changes = changes(&parsed.fields, person, &record);
        let moved = person.unit.as_ref() != Some(&record.unit);
        if moved {
            plan.moved.push(UnitMove {
                id: person.id,
                employee_number: record.employee_number.clone(),
                from: person.unit.clone(),
                to: record.unit.clone(),
            });
        }
        if person.left || !changes.is_empty() {
            let update = PersonUpdate { id: person.id, record: record.into_owned(), changes };
            let list = if person.left { &mut plan.returning } else { &mut plan.changed };
            list.push(update);
        } else if !moved {
            plan.unchanged += 1;
        }
    }
    let mut leaving: Vec<&CurrentPerson> = current
        .iter()
        .filter(|p| !p.left && !in_file.contains(p.employee_number.as_str()))
        .filter(|p| !parsed.held_back.contains(&p.employee_number))
        .collect();
    leaving.sort_by(|a, b| a.employee_number.as_str().cmp(b.employee_number.as_str()));
    plan.leaving =
        leaving.into_iter().map(|p| Leaving { id: p.id, employee_number: p.employee_number.clone() }).collect();
    plan.units_to_create = units_to_create.into_iter().collect();
    plan.rejected.sort_by_key(|e| e.line);
    plan
}

/// The mapped fields whose value differs, in [`Field`] order.
fn changes(fields: &BTreeSet<Field>, person: &CurrentPerson, record: &HrRecord) -> Vec<FieldChange> {
    let (old, new) = (View::from(person), View::from(record));
    fields
        .iter()
        .filter_map(|&field| {
            let (old, new) = (old.get(field), new.get(field));
            (old != new).then(|| FieldChange { field, old: old.text(), new: new.text() })
        })
        .collect()
}

/// The comparable fields of either side, borrowed.
struct View<'a> {
    given_name: &'a str,
    family_name: &'a str,
    email: Option<&'a Email>,
    mobile: Option<&'a str>,
    position_title: Option<&'a str>,
    position_code: Option<&'a str>,
    percent: Option<Percent>,
    is_manager: bool,
    start_date: Option<Date>,
    end_date: Option<Date>,
}

impl<'a> From<&'a CurrentPerson> for View<'a> {
    fn from(p: &'a CurrentPerson) -> Self {
        View {
            given_name: &p.given_name,
            family_name: &p.family_name,
            email: p.email.as_ref(),
            mobile: p.mobile.as_deref(),
            position_title: p.position_title.as_deref(),
            position_code: p.position_code.as_deref(),
            percent: p.percent,
            is_manager: p.is_manager,
            start_date: p.start_date,
            end_date: p.end_date,
        }
    }
}

impl<'a> From<&'a HrRecord> for View<'a> {
    fn from(r: &'a HrRecord) -> Self {
        View {
            given_name: &r.given_name,
            family_name: &r.family_name,
            email: r.email.as_ref(),
            mobile: r.mobile.as_deref(),
            position_title: r.position_title.as_deref(),
            position_code: r.position_code.as_deref(),
            percent: r.percent,
            is_manager: r.is_manager,
            start_date: r.start_date,
            end_date: r.end_date,
        }
    }
}

impl<'a> View<'a> {
    fn get(&self, field: Field) -> Value<'a> {
        match field {
            Field::GivenName => Value::Text(Some(self.given_name)),
            Field::FamilyName => Value::Text(Some(self.family_name)),
            Field::Email => Value::Text(self.email.map(Email::as_str)),
            Field::Mobile => Value::Text(self.mobile),
            Field::PositionTitle => Value::Text(self.position_title),
            Field::PositionCode => Value::Text(self.position_code),
            Field::Percent => Value::Percent(self.percent),
            Field::IsManager => Value::Flag(self.is_manager),
            Field::StartDate => Value::Date(self.start_date),
            Field::EndDate => Value::Date(self.end_date),
            // The key, and the unit, which is a move rather than a field change.
            Field::EmployeeNumber | Field::UnitCode | Field::UnitPath => Value::Ignored,
        }
    }
}

/// One field's value, compared without allocating.
#[derive(PartialEq)]
enum Value<'a> {
    Text(Option<&'a str>),
    Date(Option<Date>),
    Percent(Option<Percent>),
    Flag(bool),
    Ignored,
}

impl Value<'_> {
    fn text(&self) -> Option<String> {
        match self {
            Value::Text(t) => t.map(str::to_owned),
            Value::Date(d) => d.map(|d| d.to_string()),
            Value::Percent(p) => p.map(|p| p.to_string()),
            Value::Flag(f) => Some(f.to_string()),
            Value::Ignored => None,
        }
    }
}
