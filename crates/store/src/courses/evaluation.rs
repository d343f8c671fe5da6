//! Anonymous course evaluations: stored without the person (`domain::courses::evaluation` decides what the
//! organiser sees). Answering once is guarded by the enrolment's `evaluated` flag, flipped in the same
//! transaction as the answer is stored.

use crate::{Result, Store};
use loft_domain::DomainError;
use loft_domain::courses::evaluation::{Evaluation, SCALE, SessionTally};
use loft_domain::courses::{CourseId, SessionId};
use loft_domain::ids::PersonId;
use sqlx::Row;

/// Whether a person may evaluate a session.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EvaluationState {
    /// No completed enrolment in the session.
    NotCompleted,
    Open,
    Answered,
}

impl Store {
    pub async fn evaluation_state(&self, session: SessionId, person: PersonId) -> Result<EvaluationState> {
        let evaluated: Option<i64> = sqlx::query_scalar(
            "SELECT evaluated FROM enrolment WHERE session_id = $1 AND person_id = $2 AND status = 'confirmed'
               AND completed_at IS NOT NULL",
        )
        .bind(session.0)
        .bind(person.0)
        .fetch_optional(&self.pool)
        .await?;
        Ok(match evaluated {
            None => EvaluationState::NotCompleted,
            Some(0) => EvaluationState::Open,
            Some(_) => EvaluationState::Answered,
        })
    }

    /// Stores a completed participant's answer, once. Refused with `not-completed` or `already-evaluated`.
    pub async fn submit_evaluation(&self, session: SessionId, person: PersonId, answer: &Evaluation) -> Result<()> {
        let mut tx = self.pool.begin().await?;
        let claimed = sqlx::query(
            "UPDATE enrolment SET evaluated = 1 WHERE session_id = $1 AND person_id = $2 AND status = 'confirmed'
               AND completed_at IS NOT NULL AND evaluated = 0",
        )
        .bind(session.0)
        .bind(person.0)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        if claimed != 1 {
            tx.rollback().await?;
            let code = match self.evaluation_state(session, person).await? {
                EvaluationState::Answered => "already-evaluated",
                _ => "not-completed",
            };
            return Err(DomainError::Conflict { field: "session", code }.into());
        }
        let id: [u8; 16] = rand::random();
        let id: String = id.iter().map(|b| format!("{b:02x}")).collect();
        sqlx::query(
            "INSERT INTO course_evaluation (id, session_id, overall, relevance, comment) VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(id)
        .bind(session.0)
        .bind(answer.overall)
        .bind(answer.relevance)
        .bind(answer.comment.clone())
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Every session of the course (oldest first) with its answers counted per score, and the comments ordered
    /// by their random key.
    pub async fn evaluation_tallies(&self, course: CourseId) -> Result<(Vec<SessionTally>, Vec<String>)> {
        let sessions: Vec<i64> =
            sqlx::query_scalar("SELECT id FROM course_session WHERE course_id = $1 ORDER BY first_starts_at, id")
                .bind(course.0)
                .fetch_all(&self.pool)
                .await?;
        let mut tallies: Vec<SessionTally> =
            sessions.iter().map(|s| SessionTally { session: *s, ..Default::default() }).collect();
        let rows = sqlx::query(
            "SELECT v.session_id, v.overall, v.relevance, COUNT(*) FROM course_evaluation v
             JOIN course_session s ON s.id = v.session_id WHERE s.course_id = $1
             GROUP BY v.session_id, v.overall, v.relevance",
        )
        .bind(course.0)
        .fetch_all(&self.pool)
        .await?;
        for r in &rows {
            let session: i64 = r.try_get(0)?;
            let (overall, relevance, n): (i64, i64, i64) = (r.try_get(1)?, r.try_get(2)?, r.try_get(3)?);
            let Some(t) = tallies.iter_mut().find(|t| t.session == session) else { continue };
            let slot = |v: i64| usize::try_from(v - 1).ok().filter(|i| *i < SCALE);
            if let (Some(o), Some(rel)) = (slot(overall), slot(relevance)) {
                t.overall[o] += n as u64;
                t.relevance[rel] += n as u64;
            }
        }
        let comments: Vec<String> = sqlx::query_scalar(
            "SELECT v.comment FROM course_evaluation v JOIN course_session s ON s.id = v.session_id
             WHERE s.course_id = $1 AND v.comment <> '' ORDER BY v.id",
        )
        .bind(course.0)
        .fetch_all(&self.pool)
        .await?;
        Ok((tallies, comments))
    }
}
