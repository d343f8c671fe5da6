//! People and the values that describe them.

use crate::error::DomainError;
use crate::ids::{MunicipalityId, PersonId, UnitId};
use serde::{Deserialize, Serialize};

/// The groups a competence target or a report is cut by. A person can be in several.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum RoleGroup {
    Ansatt,
    Leder,
    Folkevalgt,
    Tillitsvalgt,
    Radmann,
    Innkjoper,
}

impl RoleGroup {
    pub const ALL: [RoleGroup; 6] = [
        RoleGroup::Ansatt,
        RoleGroup::Leder,
        RoleGroup::Folkevalgt,
        RoleGroup::Tillitsvalgt,
        RoleGroup::Radmann,
        RoleGroup::Innkjoper,
    ];
    /// Stable code stored in the database and used in URLs and message ids.
    pub fn code(self) -> &'static str {
        match self {
            RoleGroup::Ansatt => "ansatt",
            RoleGroup::Leder => "leder",
            RoleGroup::Folkevalgt => "folkevalgt",
            RoleGroup::Tillitsvalgt => "tillitsvalgt",
            RoleGroup::Radmann => "radmann",
            RoleGroup::Innkjoper => "innkjoper",
        }
    }
    pub fn parse(code: &str) -> Result<Self, DomainError> {
        Self::ALL
            .into_iter()
            .find(|g| g.code() == code)
            .ok_or_else(|| DomainError::invalid("role_group", "unknown-role-group"))
    }
}

/// An e-mail address, lower-cased, with one `@` and a dotted domain.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
#[serde(transparent)]
pub struct Email(String);

impl Email {
    pub fn parse(text: &str) -> Result<Self, DomainError> {
        let t = text.trim().to_lowercase();
        let bad = || DomainError::invalid("email", "invalid-email");
        let (local, domain) = t.split_once('@').ok_or_else(bad)?;
        let ok = !local.is_empty()
            && local.len() <= 64
            && t.len() <= 254
            && !domain.contains('@')
            && domain.contains('.')
            && !domain.starts_with('.')
            && !domain.ends_with('.')
            && !t.chars().any(|c| c.is_whitespace() || c.is_control());
        if ok { Ok(Email(t)) } else { Err(bad()) }
    }
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// An employee number as the HR system gives it (letters, digits, `-`), 1–32 long.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
#[serde(transparent)]
pub struct EmployeeNumber(String);

impl EmployeeNumber {
    pub fn parse(text: &str) -> Result<Self, DomainError> {
        let t = text.trim();
        if !t.is_empty() && t.len() <= 32 && t.chars().all(|c| c.is_ascii_alphanumeric() || c == '-') {
            Ok(EmployeeNumber(t.to_string()))
        } else {
            Err(DomainError::invalid("employee_number", "invalid-employee-number"))
        }
    }
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A person's given or family name: trimmed, 1–100 characters.
pub fn parse_name(field: &'static str, text: &str) -> Result<String, DomainError> {
    let t = text.trim();
    if t.is_empty() {
        Err(DomainError::invalid(field, "required"))
    } else if t.chars().count() > 100 {
        Err(DomainError::invalid(field, "too-long"))
    } else {
        Ok(t.to_string())
    }
}

/// A person registered by hand (elected officials and union representatives
/// who are in no HR system), parsed from a form or an API body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewPerson {
    pub municipality_id: MunicipalityId,
    pub given_name: String,
    pub family_name: String,
    pub email: Option<Email>,
    pub employee_number: Option<EmployeeNumber>,
    pub role_groups: Vec<RoleGroup>,
}

impl NewPerson {
    /// Parses every field and reports all invalid fields at once.
    pub fn parse(
        municipality_id: MunicipalityId,
        given_name: &str,
        family_name: &str,
        email: &str,
        employee_number: &str,
        role_groups: &[String],
    ) -> Result<Self, DomainError> {
        let mut errors = Vec::new();
        let given = keep_ok(&mut errors, parse_name("given_name", given_name));
        let family = keep_ok(&mut errors, parse_name("family_name", family_name));
        let email =
            if email.trim().is_empty() { Some(None) } else { keep_ok(&mut errors, Email::parse(email).map(Some)) };
        let number = if employee_number.trim().is_empty() {
            Some(None)
        } else {
            keep_ok(&mut errors, EmployeeNumber::parse(employee_number).map(Some))
        };
        let groups: Option<Vec<RoleGroup>> =
            role_groups.iter().map(|g| keep_ok(&mut errors, RoleGroup::parse(g))).collect();
        match (given, family, email, number, groups) {
            (Some(given_name), Some(family_name), Some(email), Some(employee_number), Some(mut role_groups))
                if errors.is_empty() =>
            {
                role_groups.sort();
                role_groups.dedup();
                Ok(NewPerson { municipality_id, given_name, family_name, email, employee_number, role_groups })
            }
            _ => Err(DomainError::Invalid(errors)),
        }
    }
}

/// A correction of a person's name and e-mail, parsed from a form or API body.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PersonEdit {
    pub given_name: String,
    pub family_name: String,
    pub email: Option<Email>,
}

impl PersonEdit {
    pub fn parse(given_name: &str, family_name: &str, email: &str) -> Result<Self, DomainError> {
        let mut errors = Vec::new();
        let given = keep_ok(&mut errors, parse_name("given_name", given_name));
        let family = keep_ok(&mut errors, parse_name("family_name", family_name));
        let email =
            if email.trim().is_empty() { Some(None) } else { keep_ok(&mut errors, Email::parse(email).map(Some)) };
        match (given, family, email) {
            (Some(given_name), Some(family_name), Some(email)) if errors.is_empty() => {
                Ok(PersonEdit { given_name, family_name, email })
            }
            _ => Err(DomainError::Invalid(errors)),
        }
    }
}

/// Moves field errors into `errors` so a form can report every bad field at once.
fn keep_ok<T>(errors: &mut Vec<crate::FieldError>, result: Result<T, DomainError>) -> Option<T> {
    match result {
        Ok(v) => Some(v),
        Err(DomainError::Invalid(mut e)) => {
            errors.append(&mut e);
            None
        }
        Err(_) => None,
    }
}

/// A person as lists and pages show them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PersonSummary {
    pub id: PersonId,
    pub municipality_id: MunicipalityId,
    pub given_name: String,
    pub family_name: String,
    pub email: Option<String>,
    pub employee_number: Option<String>,
    pub active: bool,
}

impl PersonSummary {
    pub fn display_name(&self) -> String {
        format!("{} {}", self.given_name, self.family_name)
    }
}

/// A person's position in a unit.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Employment {
    pub unit_id: UnitId,
    pub unit_name: String,
    pub position_title: Option<String>,
    pub percent: Option<f64>,
    pub start_date: Option<jiff::civil::Date>,
    pub end_date: Option<jiff::civil::Date>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emails_are_normalised_and_checked() {
        assert_eq!(Email::parse(" Kari@Kongsberg.Kommune.NO ").map(|e| e.0), Ok("kari@kongsberg.kommune.no".into()));
        for bad in ["", "kari", "kari@", "@x.no", "kari@no", "kari@x.no.", "ka ri@x.no", "a@b@c.no"] {
            assert!(Email::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn new_person_reports_every_bad_field() {
        let err = NewPerson::parse(MunicipalityId(1), "", "Nordmann", "ikke-epost", "", &["ukjent".into()])
            .expect_err("invalid");
        let DomainError::Invalid(fields) = err else { panic!("expected field errors") };
        let names: Vec<_> = fields.iter().map(|f| f.field).collect();
        assert_eq!(names, ["given_name", "email", "role_group"]);
    }

    #[test]
    fn person_edit_reports_all_fields() {
        let DomainError::Invalid(f) = PersonEdit::parse(" ", "", "x@").expect_err("invalid") else { panic!() };
        assert_eq!(f.iter().map(|f| f.field).collect::<Vec<_>>(), ["given_name", "family_name", "email"]);
        assert_eq!(PersonEdit::parse("Ola", "Nordmann", "").map(|e| e.email), Ok(None));
    }

    #[test]
    fn new_person_accepts_optional_fields_empty() {
        let p =
            NewPerson::parse(MunicipalityId(1), "Ola", "Nordmann", "", "", &["folkevalgt".into(), "folkevalgt".into()])
                .expect("valid");
        assert_eq!(p.email, None);
        assert_eq!(p.role_groups, vec![RoleGroup::Folkevalgt]);
    }
}
