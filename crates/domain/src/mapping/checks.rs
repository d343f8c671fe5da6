//! Knowledge checks: optional true/false or multiple-choice questions with a correct answer, per competence,
//! that give a *tested* level beside the self-assessed one (never averaged with it).
//!
//! **Scoring rule for the tested level.** For a competence the respondent did not mark "not relevant", every
//! check the round asks about it must be answered. With *c* of *n* checks right on a scale of *L* levels, the
//! tested level is ⌈*c*·*L* / *n*⌉, at least 1: the share right, banded evenly over the scale as the EU
//! self-assessment tools band item scores (all right is the top level; none right is level 1). A competence
//! marked "not relevant" gets no tested level, and its check answers are ignored.

use super::{Answer, Question};
use crate::competence::{Framework, LevelNumber, Text};
use crate::error::{DomainError, FieldError};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// What kind of question a check is, with its correct answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case", tag = "kind")]
pub enum CheckKind {
    /// Choice 0 is "true", choice 1 is "false".
    TrueFalse {
        correct: bool,
    },
    MultipleChoice {
        options: Vec<Text>,
        correct: u8,
    },
}

/// One knowledge-check question about one competence of a framework.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Check {
    pub competence: String,
    pub prompt: Text,
    #[serde(flatten)]
    pub kind: CheckKind,
}

impl Check {
    pub fn option_count(&self) -> u8 {
        match &self.kind {
            CheckKind::TrueFalse { .. } => 2,
            CheckKind::MultipleChoice { options, .. } => options.len().min(usize::from(u8::MAX)) as u8,
        }
    }

    pub fn is_correct(&self, choice: u8) -> bool {
        match &self.kind {
            CheckKind::TrueFalse { correct } => (choice == 0) == *correct,
            CheckKind::MultipleChoice { correct, .. } => choice == *correct,
        }
    }

    /// Every rule a check must satisfy against the framework it belongs to.
    pub fn check(&self, framework: &Framework) -> Result<(), DomainError> {
        let mut errors = Vec::new();
        if framework.competence(&self.competence).is_none() {
            errors.push(FieldError { field: "competence", code: "unknown-competence" });
        }
        let complete = |t: &Text| [&t.nb, &t.nn, &t.en].iter().all(|s| !s.trim().is_empty());
        if !complete(&self.prompt) {
            errors.push(FieldError { field: "prompt", code: "framework-text-missing" });
        }
        if let CheckKind::MultipleChoice { options, correct } = &self.kind {
            if options.len() < 2 || options.len() > 8 || usize::from(*correct) >= options.len() {
                errors.push(FieldError { field: "options", code: "check-options-invalid" });
            }
            if !options.iter().all(complete) {
                errors.push(FieldError { field: "options", code: "framework-text-missing" });
            }
        }
        if errors.is_empty() { Ok(()) } else { Err(DomainError::Invalid(errors)) }
    }
}

/// A check as a round asks it: its id and the question (framework version and competence) it belongs to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RoundCheck {
    pub id: i64,
    pub framework_id: i64,
    pub check: Check,
}

impl RoundCheck {
    pub fn question(&self) -> Question {
        Question { framework_id: self.framework_id, competence: self.check.competence.clone() }
    }
}

/// A shipped question bank: checks for competences of one framework key and version.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CheckBank {
    pub framework: String,
    pub version: String,
    pub checks: Vec<Check>,
}

/// The question banks Løft ships (a few DigComp 2.2 checks in bokmål, nynorsk and English).
pub fn builtin_banks() -> Vec<CheckBank> {
    [include_str!("../../data/checks/digcomp-2.2.json")]
        .into_iter()
        .filter_map(|json| serde_json::from_str(json).ok())
        .collect()
}

/// The tested level from how many of a competence's checks were right (see the module's scoring rule).
pub fn tested_level(right: usize, asked: usize, top: LevelNumber) -> Option<LevelNumber> {
    if asked == 0 {
        return None;
    }
    let level = (right.min(asked) * usize::from(top)).div_ceil(asked);
    Some(level.clamp(1, usize::from(top)) as LevelNumber)
}

/// Raw check answers (check id → form value) checked against the round's checks and the self-assessment.
///
/// A draft may leave checks open; a submission must answer every check of a competence that has a level.
/// Checks of a competence marked "not relevant" are dropped. Every bad value is reported.
pub fn check_choices(
    checks: &[RoundCheck],
    raw: &BTreeMap<i64, String>,
    answers: &BTreeMap<Question, Answer>,
    complete: bool,
) -> Result<BTreeMap<i64, u8>, DomainError> {
    let mut out = BTreeMap::new();
    let mut errors = Vec::new();
    for c in checks {
        let value = raw.get(&c.id).map(|v| v.trim()).unwrap_or_default();
        let relevant = !matches!(answers.get(&c.question()), Some(Answer::NotRelevant));
        if value.is_empty() {
            if complete && relevant {
                errors.push(FieldError { field: "checks", code: "checks-incomplete" });
            }
            continue;
        }
        match value.parse::<u8>() {
            Ok(choice) if choice < c.check.option_count() => {
                if relevant {
                    out.insert(c.id, choice);
                }
            }
            _ => errors.push(FieldError { field: "checks", code: "check-choice-invalid" }),
        }
    }
    if raw.keys().any(|id| !checks.iter().any(|c| c.id == *id)) {
        errors.push(FieldError { field: "checks", code: "question-not-in-round" });
    }
    errors.dedup();
    if errors.is_empty() { Ok(out) } else { Err(DomainError::Invalid(errors)) }
}

/// The tested level per competence that has a level answer and checks, by the one scoring rule.
pub fn tested_levels(
    checks: &[RoundCheck],
    choices: &BTreeMap<i64, u8>,
    answers: &BTreeMap<Question, Answer>,
    top: impl Fn(&Question) -> LevelNumber,
) -> BTreeMap<Question, LevelNumber> {
    let mut counts: BTreeMap<Question, (usize, usize)> = BTreeMap::new();
    for c in checks {
        let q = c.question();
        if !matches!(answers.get(&q), Some(Answer::Level(_))) {
            continue;
        }
        let entry = counts.entry(q).or_default();
        entry.1 += 1;
        if choices.get(&c.id).is_some_and(|&choice| c.check.is_correct(choice)) {
            entry.0 += 1;
        }
    }
    counts
        .into_iter()
        .filter_map(|(q, (right, asked))| Some((q.clone(), tested_level(right, asked, top(&q))?)))
        .collect()
}
