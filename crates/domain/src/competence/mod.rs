//! Competence frameworks: versioned data of areas → competences → proficiency levels, with every text in
//! bokmål, nynorsk and English, and target levels per role group.
//!
//! A framework is identified by `key` and `version` ("digcomp" 2.2; a DigComp 3.0 is another version of the same
//! key with its own levels). A published version is never changed: rounds refer to the version they asked, and a
//! new version is imported beside it. The JSON form ([`Framework::from_json`], [`Framework::to_json`]) is the
//! export and import format; the two shipped frameworks are stored in it.

#[cfg(test)]
mod tests;

use crate::error::{DomainError, FieldError};
use crate::locale::Locale;
use crate::person::RoleGroup;
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;

/// A text in the three UI languages.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Text {
    pub nb: String,
    pub nn: String,
    pub en: String,
}

impl Text {
    pub fn get(&self, locale: Locale) -> &str {
        match locale {
            Locale::Bokmal => &self.nb,
            Locale::Nynorsk => &self.nn,
            Locale::English => &self.en,
        }
    }

    fn is_complete(&self) -> bool {
        [&self.nb, &self.nn, &self.en].iter().all(|t| !t.trim().is_empty())
    }
}

/// One step of a framework's proficiency scale, with its "I can …" statement.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Level {
    pub number: u8,
    pub title: Text,
    pub descriptor: Text,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Competence {
    /// Stable within the framework key across versions (DigComp keeps "1.1" … "5.4").
    pub code: String,
    pub title: Text,
    pub description: Text,
    /// Competences of other frameworks this one draws on, as `key:code` (e.g. `digcomp:5.2`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub related: Vec<String>,
    /// The role groups the competence mainly concerns (a hint for target profiles and round audiences).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub role_groups: Vec<RoleGroup>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Area {
    pub code: String,
    pub title: Text,
    pub competences: Vec<Competence>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Framework {
    pub key: String,
    pub version: String,
    pub title: Text,
    /// Where the content comes from (publication, licence, who translated).
    #[serde(default)]
    pub source: String,
    /// Numbered 1 … n without gaps.
    pub levels: Vec<Level>,
    pub areas: Vec<Area>,
}

/// A level on a framework's scale, known to exist there.
pub type LevelNumber = u8;

impl Framework {
    /// Parses and checks an exported framework.
    pub fn from_json(text: &str) -> Result<Framework, DomainError> {
        let framework: Framework =
            serde_json::from_str(text).map_err(|_| DomainError::invalid("framework", "framework-not-json"))?;
        framework.check()?;
        Ok(framework)
    }

    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_default()
    }

    /// Every rule a framework must satisfy, all broken ones at once.
    pub fn check(&self) -> Result<(), DomainError> {
        let mut errors = Vec::new();
        let mut fail = |field: &'static str, code: &'static str| {
            let e = FieldError { field, code };
            if !errors.contains(&e) {
                errors.push(e);
            }
        };
        let token = |s: &str| {
            !s.is_empty() && s.len() <= 40 && s.chars().all(|c| c.is_ascii_alphanumeric() || "-_.".contains(c))
        };
        if !token(&self.key) {
            fail("key", "framework-key-invalid");
        }
        if !token(&self.version) {
            fail("version", "framework-version-invalid");
        }
        if !self.title.is_complete() {
            fail("title", "framework-text-missing");
        }
        if self.levels.is_empty() || self.levels.len() > 20 {
            fail("levels", "framework-levels-invalid");
        }
        for (i, level) in self.levels.iter().enumerate() {
            if usize::from(level.number) != i + 1 {
                fail("levels", "framework-levels-invalid");
            }
            if !level.title.is_complete() || !level.descriptor.is_complete() {
                fail("levels", "framework-text-missing");
            }
        }
        if self.competences().next().is_none() {
            fail("areas", "framework-empty");
        }
        let mut codes = BTreeSet::new();
        for area in &self.areas {
            if !token(&area.code) || !codes.insert(format!("area:{}", area.code)) {
                fail("areas", "framework-code-invalid");
            }
            if !area.title.is_complete() {
                fail("areas", "framework-text-missing");
            }
            for c in &area.competences {
                if !token(&c.code) || !codes.insert(c.code.clone()) {
                    fail("competences", "framework-code-invalid");
                }
                if !c.title.is_complete() || !c.description.is_complete() {
                    fail("competences", "framework-text-missing");
                }
            }
        }
        if errors.is_empty() { Ok(()) } else { Err(DomainError::Invalid(errors)) }
    }

    pub fn competences(&self) -> impl Iterator<Item = (&Area, &Competence)> {
        self.areas.iter().flat_map(|a| a.competences.iter().map(move |c| (a, c)))
    }

    pub fn competence(&self, code: &str) -> Option<&Competence> {
        self.competences().map(|(_, c)| c).find(|c| c.code == code)
    }

    pub fn top_level(&self) -> LevelNumber {
        self.levels.len() as LevelNumber
    }

    /// A level number that exists on this framework's scale.
    pub fn level(&self, number: i64) -> Result<LevelNumber, DomainError> {
        if number >= 1 && number <= i64::from(self.top_level()) {
            Ok(number as LevelNumber)
        } else {
            Err(DomainError::invalid("level", "level-out-of-scale"))
        }
    }
}

/// The frameworks Løft ships: EU DigComp 2.2 and Kongsbergregionen's own competence goals.
pub fn builtin() -> Vec<Framework> {
    [
        include_str!("../../data/frameworks/digcomp-2.2.json"),
        include_str!("../../data/frameworks/regionale-mal-2016.json"),
    ]
    .into_iter()
    .filter_map(|json| Framework::from_json(json).ok())
    .collect()
}

/// The expected level of one competence for one role group.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TargetLevel {
    pub competence: String,
    pub role_group: RoleGroup,
    pub level: LevelNumber,
}

/// The target that applies: the region sets it; a municipality may raise it, never lower it.
pub fn effective_target(regional: Option<LevelNumber>, municipal: Option<LevelNumber>) -> Option<LevelNumber> {
    match (regional, municipal) {
        (Some(r), Some(m)) => Some(r.max(m)),
        (r, m) => r.or(m),
    }
}

/// A municipal target below the regional one is refused rather than silently ignored.
pub fn check_municipal_target(regional: Option<LevelNumber>, municipal: LevelNumber) -> Result<(), DomainError> {
    match regional {
        Some(r) if municipal < r => Err(DomainError::invalid("level", "target-below-regional")),
        _ => Ok(()),
    }
}

/// Suggested regional targets for a framework, used to seed a new region: the middle of the scale for the
/// role groups a competence names (or everyone when it names none), one step lower for everyone else. The
/// region changes them afterwards.
pub fn suggested_targets(framework: &Framework) -> Vec<TargetLevel> {
    let top = framework.top_level();
    let middle = top.div_ceil(2).max(1);
    let mut out = Vec::new();
    for (_, c) in framework.competences() {
        for group in RoleGroup::ALL {
            let named = c.role_groups.is_empty() || c.role_groups.contains(&group);
            let level = if named { middle } else { middle.saturating_sub(1).max(1) };
            out.push(TargetLevel { competence: c.code.clone(), role_group: group, level });
        }
    }
    out
}

/// The region's target for a competence and role group, as a municipality's raise is checked against it.
pub type RegionalTarget<'a> = &'a dyn Fn(&str, RoleGroup) -> Option<LevelNumber>;

/// Every broken rule of a set of targets for one scope at once: a competence the framework lacks, a level off its
/// scale, the same competence and role group twice, and (for a municipality) a target below the region's.
pub fn check_targets(
    framework: &Framework,
    targets: &[TargetLevel],
    regional: Option<RegionalTarget<'_>>,
) -> Result<(), DomainError> {
    let mut errors = Vec::new();
    let mut seen = BTreeSet::new();
    for t in targets {
        let mut fail = |field: &'static str, code: &'static str| {
            let e = FieldError { field, code };
            if !errors.contains(&e) {
                errors.push(e);
            }
        };
        if framework.competence(&t.competence).is_none() {
            fail("competence", "unknown-competence");
        }
        if framework.level(i64::from(t.level)).is_err() {
            fail("level", "level-out-of-scale");
        }
        if !seen.insert((t.competence.clone(), t.role_group.code())) {
            fail("competence", "target-twice");
        }
        if let Some(regional) = regional
            && check_municipal_target(regional(&t.competence, t.role_group), t.level).is_err()
        {
            fail("level", "target-below-regional");
        }
    }
    if errors.is_empty() { Ok(()) } else { Err(DomainError::Invalid(errors)) }
}
