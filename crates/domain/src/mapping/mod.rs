//! Competence mapping (kartlegging): rounds of self-assessment, what a respondent may submit, and the one
//! scoring rule that turns answers into levels.
//!
//! **Scoring rule.** A respondent reads every level's "I can …" statement for a competence and chooses the
//! highest one that holds for their work; that level *is* the self-assessed level. "Not relevant for my work" is
//! an answer too: it counts as answered and is left out of every figure for that competence. Knowledge checks,
//! when a round has them, give a separate tested level that is reported beside, never averaged with, this one.

pub mod checks;
pub mod rates;
pub mod reminders;
pub mod report;
#[cfg(test)]
mod tests;

use crate::competence::{Framework, LevelNumber};
use crate::error::{DomainError, FieldError};
use crate::person::RoleGroup;
use jiff::civil::Date;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// How answers are kept.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum PrivacyMode {
    /// Answers are linked to the person and shown only to them; everyone else sees aggregates.
    Confidential,
    /// Only the group attributes (municipality, unit, role group) are stored with the answers, without a time;
    /// nothing links them to the person.
    Anonymous,
}

impl PrivacyMode {
    pub fn code(self) -> &'static str {
        match self {
            PrivacyMode::Confidential => "confidential",
            PrivacyMode::Anonymous => "anonymous",
        }
    }
    pub fn parse(code: &str) -> Result<Self, DomainError> {
        match code {
            "confidential" => Ok(PrivacyMode::Confidential),
            "anonymous" => Ok(PrivacyMode::Anonymous),
            _ => Err(DomainError::invalid("privacy", "unknown-privacy-mode")),
        }
    }
}

/// The days a round takes answers, both included (Norwegian dates).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct RoundWindow {
    pub opens: Date,
    pub closes: Date,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum RoundPhase {
    NotOpen,
    Open,
    Closed,
}

impl RoundWindow {
    pub fn new(opens: Date, closes: Date) -> Result<Self, DomainError> {
        if closes < opens {
            Err(DomainError::invalid("closes", "round-closes-before-opens"))
        } else {
            Ok(RoundWindow { opens, closes })
        }
    }

    pub fn phase(&self, today: Date) -> RoundPhase {
        if today < self.opens {
            RoundPhase::NotOpen
        } else if today > self.closes {
            RoundPhase::Closed
        } else {
            RoundPhase::Open
        }
    }

    /// The first day the round's results are shown: the day after it closes, once no more answers can come.
    pub fn results_from(&self) -> Date {
        self.closes.tomorrow().unwrap_or(self.closes)
    }

    /// Refuses an answer outside the window, saying which side.
    pub fn check_open(&self, today: Date) -> Result<(), DomainError> {
        match self.phase(today) {
            RoundPhase::Open => Ok(()),
            RoundPhase::NotOpen => Err(DomainError::Conflict { field: "round", code: "round-not-open" }),
            RoundPhase::Closed => Err(DomainError::Conflict { field: "round", code: "round-closed" }),
        }
    }
}

/// A competence asked in a round: which framework version, which competence.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Question {
    pub framework_id: i64,
    pub competence: String,
}

/// One answer to one question.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Answer {
    Level(LevelNumber),
    NotRelevant,
}

impl Answer {
    /// The form value: a level number, or `na` for "not relevant".
    pub fn parse(value: &str, framework: &Framework) -> Result<Answer, DomainError> {
        match value.trim() {
            "na" => Ok(Answer::NotRelevant),
            v => {
                let n = v.parse::<i64>().map_err(|_| DomainError::invalid("level", "level-out-of-scale"))?;
                framework.level(n).map(Answer::Level)
            }
        }
    }

    pub fn form_value(self) -> String {
        match self {
            Answer::Level(l) => l.to_string(),
            Answer::NotRelevant => "na".into(),
        }
    }

    pub fn level(self) -> Option<LevelNumber> {
        match self {
            Answer::Level(l) => Some(l),
            Answer::NotRelevant => None,
        }
    }
}

/// Raw answers as submitted (question → form value), checked against the round's questions.
///
/// A *draft* may leave questions open; a *submission* must answer every question. Every bad value is reported,
/// by question, and nothing is accepted if any is bad (a submit is all or nothing).
pub fn check_answers<'f>(
    questions: &[Question],
    framework_of: impl Fn(i64) -> Option<&'f Framework>,
    raw: &BTreeMap<Question, String>,
    complete: bool,
) -> Result<BTreeMap<Question, Answer>, DomainError> {
    let mut answers = BTreeMap::new();
    let mut errors = Vec::new();
    for (question, value) in raw {
        if !questions.contains(question) {
            errors.push(FieldError { field: "question", code: "question-not-in-round" });
            continue;
        }
        if value.trim().is_empty() {
            continue;
        }
        let parsed =
            framework_of(question.framework_id).ok_or(DomainError::NotFound).and_then(|f| Answer::parse(value, f));
        match parsed {
            Ok(answer) => {
                answers.insert(question.clone(), answer);
            }
            Err(_) => errors.push(FieldError { field: "level", code: "level-out-of-scale" }),
        }
    }
    let given = |q: &Question| raw.get(q).is_some_and(|v| !v.trim().is_empty());
    if complete && questions.iter().any(|q| !given(q)) {
        errors.push(FieldError { field: "answers", code: "answers-incomplete" });
    }
    errors.dedup();
    if errors.is_empty() { Ok(answers) } else { Err(DomainError::Invalid(errors)) }
}

/// Who a round asks: municipalities, units (with their subtrees) and role groups; empty means "all".
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Audience {
    pub municipalities: Vec<i64>,
    pub units: Vec<i64>,
    pub role_groups: Vec<RoleGroup>,
}

/// A respondent's own result for one competence, beside the target for their role group.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ProfileLine {
    pub question: Question,
    pub answer: Answer,
    pub target: Option<LevelNumber>,
    /// The level from the round's knowledge checks, shown beside the self-assessed one (never averaged).
    pub tested: Option<LevelNumber>,
}

impl ProfileLine {
    /// Levels short of the target (0 when met or exceeded; `None` when not relevant or without a target).
    pub fn gap(&self) -> Option<u8> {
        Some(self.target?.saturating_sub(self.answer.level()?))
    }
}
