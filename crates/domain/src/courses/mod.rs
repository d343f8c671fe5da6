//! Courses and events across municipal borders: the catalogue's types, the
//! validation of what organisers enter, and the booking rule
//! ([`booking`]). No I/O: the store keeps these, the web shows them.

pub mod booking;
pub mod calendar;
pub mod catalogue;
pub mod certificate;
pub mod evaluation;
pub mod invoicing;
pub mod participation;
pub mod search;
pub mod session;
#[cfg(test)]
mod tests;

use crate::error::{DomainError, FieldError};
use crate::ids::{MunicipalityId, RegionId};
use crate::person::RoleGroup;
use serde::{Deserialize, Serialize};

macro_rules! course_id {
    ($($(#[$doc:meta])* $name:ident),* $(,)?) => {$(
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(pub i64);

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                self.0.fmt(f)
            }
        }
    )*};
}

course_id!(
    /// A course in the catalogue (its URL `/courses/{id}` is stable and shareable).
    CourseId,
    /// One run of a course: one or more meeting days with a capacity.
    SessionId,
    /// A person's place in a session (confirmed, waitlisted or cancelled).
    EnrolmentId,
    /// Seats of a session held for a unit, whose people are named later.
    ReservationId,
);

/// How a course is held.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Format {
    Classroom,
    Webinar,
    ELearning,
    Conference,
    NetworkMeeting,
}

impl Format {
    pub const ALL: [Format; 5] =
        [Format::Classroom, Format::Webinar, Format::ELearning, Format::Conference, Format::NetworkMeeting];
    pub fn code(self) -> &'static str {
        match self {
            Format::Classroom => "classroom",
            Format::Webinar => "webinar",
            Format::ELearning => "e-learning",
            Format::Conference => "conference",
            Format::NetworkMeeting => "network-meeting",
        }
    }
    pub fn parse(code: &str) -> Result<Format, DomainError> {
        Format::ALL
            .into_iter()
            .find(|f| f.code() == code)
            .ok_or_else(|| DomainError::invalid("format", "unknown-format"))
    }
}

/// Who runs a course: a municipality, the region itself, or an external provider.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub enum Organiser {
    Region,
    Municipality(MunicipalityId),
    External(String),
}

impl Organiser {
    pub fn kind(&self) -> &'static str {
        match self {
            Organiser::Region => "region",
            Organiser::Municipality(_) => "municipality",
            Organiser::External(_) => "external",
        }
    }
}

/// Who sees a course in the catalogue.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Visibility {
    Region,
    Municipality(MunicipalityId),
}

/// An amount of Norwegian money in øre, so sums never round.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Default, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Ore(pub i64);

impl Ore {
    /// Parses kroner as people write them: `1250`, `1 250`, `1250,50`, `1250.5`, `kr 1 250,-`. Empty is 0.
    pub fn parse_kroner(field: &'static str, text: &str) -> Result<Ore, DomainError> {
        let cleaned: String = text
            .trim()
            .trim_start_matches("kr")
            .trim_end_matches(",-")
            .chars()
            .filter(|c| !c.is_whitespace() && *c != '\u{a0}')
            .collect();
        if cleaned.is_empty() {
            return Ok(Ore(0));
        }
        let bad = || DomainError::invalid(field, "invalid-amount");
        let (whole, frac) = match cleaned.split_once([',', '.']) {
            Some((w, f)) => (w, f),
            None => (cleaned.as_str(), ""),
        };
        if whole.is_empty() || !whole.bytes().all(|b| b.is_ascii_digit()) || frac.len() > 2 {
            return Err(bad());
        }
        if !frac.bytes().all(|b| b.is_ascii_digit()) {
            return Err(bad());
        }
        let kroner: i64 = whole.parse().map_err(|_| bad())?;
        let ore: i64 = if frac.is_empty() { 0 } else { format!("{frac:0<2}").parse().map_err(|_| bad())? };
        kroner
            .checked_mul(100)
            .and_then(|k| k.checked_add(ore))
            .filter(|v| *v <= 10_000_000_000)
            .map(Ore)
            .ok_or_else(bad)
    }

    /// `1 250,50` (Norwegian grouping and decimal comma; whole kroner without decimals).
    pub fn format_kroner(self, locale: crate::locale::Locale) -> String {
        let kroner = locale.format_integer(self.0 / 100);
        match self.0 % 100 {
            0 => kroner,
            ore => format!("{kroner},{ore:02}"),
        }
    }
}

/// A competence a course builds, referring to a published framework by key and competence code.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct CompetenceRef {
    pub framework_key: String,
    pub competence: String,
    pub level: i64,
}

/// A course as an organiser describes it, parsed and valid.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CourseDraft {
    pub region: RegionId,
    pub title: String,
    pub summary: String,
    pub description: String,
    pub competences: Vec<CompetenceRef>,
    pub target_groups: Vec<RoleGroup>,
    pub format: Format,
    pub organiser: Organiser,
    pub contact_name: String,
    pub contact_email: String,
    pub price_internal: Ore,
    pub price_external: Ore,
    /// `nb`, `nn`, `en` or another language code.
    pub language: String,
    pub visibility: Visibility,
    /// Completion rule: every meeting day attended (the only rule so far).
    pub completion_all_days: bool,
    /// A person's own enrolment waits for a manager or coordinator to enrol them (issue 5 item 4).
    pub requires_approval: bool,
    /// Hours someone on the waitlist has to accept a freed seat before it passes on; `None` gives the seat at
    /// once (issue 5 item 4). At most [`booking::MAX_OFFER_HOURS`].
    pub offer_hours: Option<i64>,
}

impl CourseDraft {
    /// Whether someone in these role groups is among those the course is made for. Target groups guide, they do
    /// not refuse: enrolling someone outside them gives a warning (issue 5 items 1 and 4).
    pub fn is_for(&self, groups: &[RoleGroup]) -> bool {
        self.target_groups.is_empty() || self.target_groups.iter().any(|g| groups.contains(g))
    }
}

/// The raw form of a course (text as typed); [`CourseInput::parse`] turns it into a [`CourseDraft`].
#[derive(Debug, Clone, Default, Deserialize)]
pub struct CourseInput {
    pub title: String,
    pub summary: String,
    pub description: String,
    /// One per line: `framework-key competence-code level`, e.g. `digcomp 1.1 2`.
    pub competences: String,
    pub target_groups: Vec<String>,
    pub format: String,
    /// `region`, `municipality` or `external`.
    pub organiser_kind: String,
    pub organiser_municipality: Option<i64>,
    pub organiser_name: String,
    pub contact_name: String,
    pub contact_email: String,
    pub price_internal: String,
    pub price_external: String,
    pub language: String,
    /// Empty for the whole region, else a municipality id.
    pub visibility_municipality: Option<i64>,
    /// The form's checkbox: present (any value) when ticked.
    #[serde(default)]
    pub requires_approval: bool,
    /// Answer time for offered seats in whole hours; empty or 0 gives freed seats at once.
    #[serde(default)]
    pub offer_hours: String,
}

fn required(field: &'static str, text: &str, max: usize, errors: &mut Vec<FieldError>) -> String {
    let t = text.trim();
    if t.is_empty() {
        errors.push(FieldError { field, code: "required" });
    } else if t.chars().count() > max {
        errors.push(FieldError { field, code: "too-long" });
    }
    t.to_string()
}

/// Parses `digcomp 1.1 2` lines. Whether the framework and code exist is checked by the store.
pub fn parse_competence_lines(text: &str) -> Result<Vec<CompetenceRef>, DomainError> {
    let mut out = Vec::new();
    for line in text.lines().map(str::trim).filter(|l| !l.is_empty()) {
        let parts: Vec<&str> = line.split_whitespace().collect();
        let [key, code, level] = parts.as_slice() else {
            return Err(DomainError::invalid("competences", "invalid-competence-line"));
        };
        let level: i64 = level
            .parse()
            .ok()
            .filter(|l| *l >= 1)
            .ok_or(DomainError::invalid("competences", "invalid-competence-line"))?;
        let r = CompetenceRef { framework_key: key.to_string(), competence: code.to_string(), level };
        if !out.contains(&r) {
            out.push(r);
        }
    }
    Ok(out)
}

impl CourseInput {
    pub fn parse(&self, region: RegionId) -> Result<CourseDraft, DomainError> {
        let mut errors = Vec::new();
        let title = required("title", &self.title, 200, &mut errors);
        let summary = required("summary", &self.summary, 500, &mut errors);
        let description = self.description.trim().to_string();
        let competences = parse_competence_lines(&self.competences).unwrap_or_else(|e| {
            if let DomainError::Invalid(f) = e {
                errors.extend(f);
            }
            Vec::new()
        });
        let mut target_groups = Vec::new();
        for g in &self.target_groups {
            match RoleGroup::parse(g) {
                Ok(g) if !target_groups.contains(&g) => target_groups.push(g),
                Ok(_) => {}
                Err(_) => errors.push(FieldError { field: "target_groups", code: "unknown-role-group" }),
            }
        }
        target_groups.sort();
        let format = Format::parse(&self.format).unwrap_or_else(|_| {
            errors.push(FieldError { field: "format", code: "unknown-format" });
            Format::Classroom
        });
        let organiser = match (self.organiser_kind.as_str(), self.organiser_municipality) {
            ("region", _) => Organiser::Region,
            ("municipality", Some(m)) => Organiser::Municipality(MunicipalityId(m)),
            ("external", _) => Organiser::External(required("organiser_name", &self.organiser_name, 200, &mut errors)),
            _ => {
                errors.push(FieldError { field: "organiser_kind", code: "required" });
                Organiser::Region
            }
        };
        let contact_name = self.contact_name.trim().to_string();
        let contact_email = match self.contact_email.trim() {
            "" => String::new(),
            e => crate::person::Email::parse(e).map(|e| e.as_str().to_string()).unwrap_or_else(|_| {
                errors.push(FieldError { field: "contact_email", code: "invalid-email" });
                String::new()
            }),
        };
        let mut price = |field, text: &str| {
            Ore::parse_kroner(field, text).unwrap_or_else(|_| {
                errors.push(FieldError { field, code: "invalid-amount" });
                Ore(0)
            })
        };
        let price_internal = price("price_internal", &self.price_internal);
        let price_external = price("price_external", &self.price_external);
        let language = match self.language.trim() {
            "" => "nb".to_string(),
            l if l.len() <= 8 && l.chars().all(|c| c.is_ascii_alphabetic() || c == '-') => l.to_ascii_lowercase(),
            _ => {
                errors.push(FieldError { field: "language", code: "invalid-language" });
                String::new()
            }
        };
        let offer_hours = match self.offer_hours.trim() {
            "" => None,
            h => match h.parse::<i64>() {
                Ok(0) => None,
                Ok(h) if (1..=booking::MAX_OFFER_HOURS).contains(&h) => Some(h),
                _ => {
                    errors.push(FieldError { field: "offer_hours", code: "invalid-offer-hours" });
                    None
                }
            },
        };
        let visibility =
            self.visibility_municipality.map_or(Visibility::Region, |m| Visibility::Municipality(MunicipalityId(m)));
        if !errors.is_empty() {
            return Err(DomainError::Invalid(errors));
        }
        Ok(CourseDraft {
            region,
            title,
            summary,
            description,
            competences,
            target_groups,
            format,
            organiser,
            contact_name,
            contact_email,
            price_internal,
            price_external,
            language,
            visibility,
            completion_all_days: true,
            requires_approval: self.requires_approval,
            offer_hours,
        })
    }
}
