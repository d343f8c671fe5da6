//! After the session: attendance per meeting day, completion by the course's rule, and the competence evidence
//! a completion gives (person, framework key, competence code, level, date, source = the enrolment). Marking
//! again recomputes completion, so evidence follows the list: an enrolment that is no longer complete loses it.

use crate::audit::{self, Change};
use crate::{Result, Store, now};
use loft_domain::DomainError;
use loft_domain::courses::SessionId;
use loft_domain::courses::booking::is_complete;
use loft_domain::courses::session::utc_to_local;
use loft_domain::ids::PersonId;
use serde::Serialize;
use sqlx::{Any, Row, Transaction};

/// One confirmed participant on one day's list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AttendanceRow {
    pub person: PersonId,
    pub name: String,
    pub municipality: String,
    /// `None` until marked.
    pub present: Option<bool>,
    pub completed: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AttendanceDay {
    pub day_id: i64,
    pub starts_at: i64,
    pub ends_at: i64,
    pub rows: Vec<AttendanceRow>,
}

/// Competence shown by a person, with its source.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Evidence {
    pub framework_key: String,
    pub competence: String,
    pub level: i64,
    /// `YYYY-MM-DD` (Oslo), the last meeting day.
    pub achieved_on: String,
    pub source: String,
    pub source_id: i64,
    /// What the source was, for people to read: the course's title for a completed course.
    pub source_title: String,
    /// The course a completion came from.
    pub course: Option<loft_domain::courses::CourseId>,
}

/// Recomputes one enrolment's completion and its evidence inside the transaction.
async fn settle(tx: &mut Transaction<'_, Any>, enrolment: i64) -> Result<()> {
    let r = sqlx::query(
        "SELECT e.person_id, c.id, c.completion_all_days, s.id,
                (SELECT COUNT(*) FROM session_day d WHERE d.session_id = s.id),
                (SELECT COUNT(*) FROM attendance a WHERE a.enrolment_id = e.id AND a.present = 1),
                (SELECT MAX(d.ends_at) FROM session_day d WHERE d.session_id = s.id)
         FROM enrolment e JOIN course_session s ON s.id = e.session_id JOIN course c ON c.id = s.course_id
         WHERE e.id = $1",
    )
    .bind(enrolment)
    .fetch_one(&mut **tx)
    .await?;
    let person: i64 = r.try_get(0)?;
    let course: i64 = r.try_get(1)?;
    let rule: i64 = r.try_get(2)?;
    let days: i64 = r.try_get(4)?;
    let present: i64 = r.try_get(5)?;
    let last_end: Option<i64> = r.try_get(6)?;
    let complete = is_complete(rule != 0, days as usize, present as usize);
    sqlx::query("DELETE FROM competence_evidence WHERE source = 'course-enrolment' AND source_id = $1")
        .bind(enrolment)
        .execute(&mut **tx)
        .await?;
    if complete {
        sqlx::query("UPDATE enrolment SET completed_at = COALESCE(completed_at, $1) WHERE id = $2")
            .bind(now())
            .bind(enrolment)
            .execute(&mut **tx)
            .await?;
        let on = utc_to_local(last_end.unwrap_or_else(now)).date().to_string();
        sqlx::query(
            "INSERT INTO competence_evidence (person_id, framework_key, competence, level, achieved_on, source, source_id)
             SELECT $1, framework_key, competence, level, $2, 'course-enrolment', $3 FROM course_competence WHERE course_id = $4",
        )
        .bind(person)
        .bind(on)
        .bind(enrolment)
        .bind(course)
        .execute(&mut **tx)
        .await?;
    } else {
        sqlx::query("UPDATE enrolment SET completed_at = NULL WHERE id = $1")
            .bind(enrolment)
            .execute(&mut **tx)
            .await?;
    }
    Ok(())
}

impl Store {
    /// Marks present or absent on one meeting day for confirmed participants; completion and evidence follow.
    pub async fn mark_attendance(
        &self,
        change: Change,
        session: SessionId,
        day_id: i64,
        marks: &[(PersonId, bool)],
    ) -> Result<()> {
        let mut tx = self.pool.begin().await?;
        let day_session: Option<i64> = sqlx::query_scalar("SELECT session_id FROM session_day WHERE id = $1")
            .bind(day_id)
            .fetch_optional(&mut *tx)
            .await?;
        if day_session != Some(session.0) {
            return Err(DomainError::NotFound.into());
        }
        for (person, present) in marks {
            let enrolment: Option<i64> = sqlx::query_scalar(
                "SELECT id FROM enrolment WHERE session_id = $1 AND person_id = $2 AND status = 'confirmed'",
            )
            .bind(session.0)
            .bind(person.0)
            .fetch_optional(&mut *tx)
            .await?;
            let Some(enrolment) = enrolment else {
                return Err(DomainError::invalid("person", "not-a-participant").into());
            };
            sqlx::query(
                "INSERT INTO attendance (enrolment_id, day_id, present, marked_by, marked_at) VALUES ($1, $2, $3, $4, $5)
                 ON CONFLICT (enrolment_id, day_id) DO UPDATE SET present = excluded.present, marked_by = excluded.marked_by,
                     marked_at = excluded.marked_at",
            )
            .bind(enrolment)
            .bind(day_id)
            .bind(i64::from(*present))
            .bind(change.actor.map(|a| a.0))
            .bind(now())
            .execute(&mut *tx)
            .await?;
            settle(&mut tx, enrolment).await?;
        }
        let after = serde_json::json!({ "session": session, "day": day_id, "marks": marks });
        audit::record(&mut tx, change, "attendance", "session_day", day_id, None::<&()>, Some(&after)).await?;
        tx.commit().await?;
        Ok(())
    }

    /// The attendance list per meeting day: confirmed participants in name order with their marks.
    pub async fn attendance(&self, session: SessionId) -> Result<Vec<AttendanceDay>> {
        let days =
            sqlx::query("SELECT id, starts_at, ends_at FROM session_day WHERE session_id = $1 ORDER BY starts_at")
                .bind(session.0)
                .fetch_all(&self.pool)
                .await?;
        let mut out = Vec::with_capacity(days.len());
        for d in &days {
            let day_id: i64 = d.try_get(0)?;
            let rows = sqlx::query(
                "SELECT p.id, p.given_name, p.family_name, m.name, a.present, e.completed_at FROM enrolment e
                 JOIN person p ON p.id = e.person_id JOIN municipality m ON m.id = e.municipality_id
                 LEFT JOIN attendance a ON a.enrolment_id = e.id AND a.day_id = $2
                 WHERE e.session_id = $1 AND e.status = 'confirmed' ORDER BY p.name_sort, p.id",
            )
            .bind(session.0)
            .bind(day_id)
            .fetch_all(&self.pool)
            .await?
            .iter()
            .map(|r| {
                Ok(AttendanceRow {
                    person: PersonId(r.try_get(0)?),
                    name: format!("{} {}", r.try_get::<String, _>(1)?, r.try_get::<String, _>(2)?),
                    municipality: r.try_get(3)?,
                    present: r.try_get::<Option<i64>, _>(4)?.map(|p| p != 0),
                    completed: r.try_get::<Option<i64>, _>(5)?.is_some(),
                })
            })
            .collect::<Result<Vec<_>>>()?;
            out.push(AttendanceDay { day_id, starts_at: d.try_get(1)?, ends_at: d.try_get(2)?, rows });
        }
        Ok(out)
    }

    /// A person's competence evidence, for profiles and the training plan.
    pub async fn competence_evidence(&self, person: PersonId) -> Result<Vec<Evidence>> {
        let rows = sqlx::query(
            "SELECT v.framework_key, v.competence, v.level, v.achieved_on, v.source, v.source_id, c.id, c.title
             FROM competence_evidence v
             LEFT JOIN enrolment e ON v.source = 'course-enrolment' AND e.id = v.source_id
             LEFT JOIN course_session s ON s.id = e.session_id
             LEFT JOIN course c ON c.id = s.course_id
             WHERE v.person_id = $1 ORDER BY v.achieved_on, v.framework_key, v.competence",
        )
        .bind(person.0)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                Ok(Evidence {
                    framework_key: r.try_get(0)?,
                    competence: r.try_get(1)?,
                    level: r.try_get(2)?,
                    achieved_on: r.try_get(3)?,
                    source: r.try_get(4)?,
                    source_id: r.try_get(5)?,
                    course: r.try_get::<Option<i64>, _>(6)?.map(loft_domain::courses::CourseId),
                    source_title: r.try_get::<Option<String>, _>(7)?.unwrap_or_default(),
                })
            })
            .collect()
    }
}
