//! The anonymous course evaluation (issue 5 item 10): what a participant answers after completing a session,
//! and what the organiser may see of the answers. Which figures are shown is decided by the one anonymity rule,
//! `crate::disclosure`: the course is the root, its sessions the children, so a session with fewer than *k*
//! answers is hidden and so is whatever would let it be worked out from the course's total.

use crate::disclosure::{Breakdown, CellCount, Disclosure, GroupRef, MinGroupSize, Slice, Visibility};
use crate::error::{DomainError, FieldError};
use serde::Serialize;

/// Both questions are answered on a five-point scale (1 = not at all, 5 = to a very great extent).
pub const SCALE: usize = 5;
/// A comment is free text; longer ones are refused rather than cut.
pub const MAX_COMMENT: usize = 2000;

/// What a participant answers. Nothing in it says who.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Evaluation {
    /// How good the session was, 1–5.
    pub overall: i64,
    /// How useful it is for the person's work, 1–5.
    pub relevance: i64,
    pub comment: String,
}

/// The form as sent.
#[derive(Debug, Clone, Default)]
pub struct EvaluationInput {
    pub overall: String,
    pub relevance: String,
    pub comment: String,
}

impl EvaluationInput {
    pub fn parse(&self) -> Result<Evaluation, DomainError> {
        let mut errors = Vec::new();
        let mut score = |field: &'static str, text: &str| match text.trim().parse::<i64>() {
            Ok(v) if (1..=SCALE as i64).contains(&v) => v,
            Err(_) if text.trim().is_empty() => {
                errors.push(FieldError { field, code: "required" });
                0
            }
            _ => {
                errors.push(FieldError { field, code: "score-off-scale" });
                0
            }
        };
        let overall = score("overall", &self.overall);
        let relevance = score("relevance", &self.relevance);
        let comment = self.comment.trim().to_string();
        if comment.chars().count() > MAX_COMMENT {
            errors.push(FieldError { field: "comment", code: "too-long" });
        }
        if errors.is_empty() {
            Ok(Evaluation { overall, relevance, comment })
        } else {
            Err(DomainError::Invalid(errors))
        }
    }
}

/// Answers of one session, counted per score (index 0 is score 1).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SessionTally {
    pub session: i64,
    pub overall: [u64; SCALE],
    pub relevance: [u64; SCALE],
}

impl SessionTally {
    pub fn respondents(&self) -> u64 {
        self.overall.iter().sum()
    }
}

/// What is shown of a group of answers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Figures {
    pub respondents: u64,
    pub overall: [u64; SCALE],
    pub relevance: [u64; SCALE],
    /// Means in tenths (42 = 4.2), `None` without answers.
    pub overall_mean: Option<u64>,
    pub relevance_mean: Option<u64>,
}

fn mean_tenths(counts: &[u64; SCALE]) -> Option<u64> {
    let n: u64 = counts.iter().sum();
    let sum: u64 = counts.iter().enumerate().map(|(i, c)| (i as u64 + 1) * c).sum();
    // Rounded half up: (10 × sum + n/2) / n.
    (n > 0).then(|| (10 * sum + n / 2) / n)
}

fn figures(overall: [u64; SCALE], relevance: [u64; SCALE]) -> Figures {
    Figures {
        respondents: overall.iter().sum(),
        overall_mean: mean_tenths(&overall),
        relevance_mean: mean_tenths(&relevance),
        overall,
        relevance,
    }
}

/// The organiser's view: the course as a whole and each session, `None` where the rule hides it; the comments
/// only with the course's figures, in an order that says nothing about when or by whom.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct EvaluationReport {
    pub course: Option<Figures>,
    pub sessions: Vec<(i64, Option<Figures>)>,
    pub comments: Vec<String>,
    pub k: u32,
}

/// Builds the report from the sessions' tallies (every session of the course, answered or not) and the comments
/// (already in an order unrelated to time, e.g. by a random id).
pub fn report(tallies: &[SessionTally], comments: Vec<String>, k: MinGroupSize) -> EvaluationReport {
    let parents: Vec<Option<usize>> = std::iter::once(None).chain(tallies.iter().map(|_| Some(0))).collect();
    // One slice: every answer belongs to the one group "participants".
    let breakdown = Breakdown::new(parents, 1).expect("the course comes before its sessions");
    let cells: Vec<CellCount> =
        tallies.iter().enumerate().map(|(i, t)| CellCount { node: i + 1, group: 0, count: t.respondents() }).collect();
    let decision = Disclosure::decide(&breakdown, &cells, k);
    let shown = |node: usize| matches!(decision.visibility(GroupRef { node, slice: Slice::All }), Visibility::Shown(_));
    let sum = |pick: fn(&SessionTally) -> &[u64; SCALE]| {
        let mut out = [0u64; SCALE];
        for t in tallies {
            for (o, c) in out.iter_mut().zip(pick(t)) {
                *o += c;
            }
        }
        out
    };
    let course = shown(0).then(|| figures(sum(|t| &t.overall), sum(|t| &t.relevance)));
    let sessions = tallies
        .iter()
        .enumerate()
        .map(|(i, t)| (t.session, shown(i + 1).then(|| figures(t.overall, t.relevance))))
        .collect();
    let comments = if course.as_ref().is_some_and(|c| c.respondents > 0) { comments } else { Vec::new() };
    EvaluationReport { course, sessions, comments, k: k.get() }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tally(session: i64, answers: &[(usize, usize)]) -> SessionTally {
        let mut t = SessionTally { session, ..Default::default() };
        for (o, r) in answers {
            t.overall[o - 1] += 1;
            t.relevance[r - 1] += 1;
        }
        t
    }

    #[test]
    fn answers_are_checked() {
        let ok = EvaluationInput { overall: "5".into(), relevance: " 3 ".into(), comment: " Bra ".into() };
        assert_eq!(ok.parse().expect("valid"), Evaluation { overall: 5, relevance: 3, comment: "Bra".into() });
        let bad = EvaluationInput { overall: "6".into(), relevance: String::new(), comment: "x".repeat(2001) };
        let DomainError::Invalid(errors) = bad.parse().expect_err("invalid") else { panic!("field errors") };
        let codes: Vec<(&str, &str)> = errors.iter().map(|e| (e.field, e.code)).collect();
        assert_eq!(codes, vec![("overall", "score-off-scale"), ("relevance", "required"), ("comment", "too-long")]);
    }

    #[test]
    fn fewer_than_k_answers_show_nothing_and_comments_stay_hidden() {
        let four = tally(1, &[(5, 5), (4, 4), (4, 3), (3, 3)]);
        let r = report(&[four], vec!["Lærerikt".into()], MinGroupSize::DEFAULT);
        assert_eq!(r.course, None);
        assert_eq!(r.sessions, vec![(1, None)]);
        assert!(r.comments.is_empty());
    }

    #[test]
    fn five_answers_are_shown_with_means() {
        let five = tally(1, &[(5, 5), (4, 4), (4, 3), (3, 3), (5, 2)]);
        let r = report(&[five], vec!["Lærerikt".into()], MinGroupSize::DEFAULT);
        let course = r.course.expect("shown");
        assert_eq!(course.respondents, 5);
        assert_eq!(course.overall, [0, 0, 1, 2, 2]);
        assert_eq!(course.overall_mean, Some(42), "21 / 5 = 4.2");
        assert_eq!(course.relevance_mean, Some(34), "17 / 5 = 3.4");
        assert_eq!(r.comments, vec!["Lærerikt".to_string()]);
    }

    #[test]
    fn a_small_session_cannot_be_worked_out_from_the_course_total() {
        // Sessions of 6 and 2 answers: the course (8) is fine, but showing it and the 6 gives away the 2.
        let big = tally(1, &[(5, 5); 6]);
        let small = tally(2, &[(1, 1), (2, 1)]);
        let r = report(&[big, small], vec![], MinGroupSize::DEFAULT);
        assert_eq!(r.sessions[1], (2, None), "too few");
        // The total and the other session together would reveal the small one: the rule hides the session.
        assert_eq!(r.sessions[0], (1, None));
        assert_eq!(r.course.map(|c| c.respondents), Some(8));
    }

    #[test]
    fn sessions_without_answers_are_shown_as_empty() {
        let r = report(&[tally(1, &[(4, 4); 5]), tally(2, &[])], vec![], MinGroupSize::DEFAULT);
        assert_eq!(r.sessions[1].1.as_ref().map(|f| f.respondents), Some(0));
        assert_eq!(r.sessions[0].1.as_ref().map(|f| f.respondents), Some(5));
        assert_eq!(r.course.map(|f| f.respondents), Some(5));
    }
}
