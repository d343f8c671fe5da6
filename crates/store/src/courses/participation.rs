//! What the participation report needs (`domain::courses::participation`): per session of the region's courses
//! whose first day falls in a period, per municipality of the region, and per competence.

use crate::{Result, Store};
use loft_domain::courses::participation::{MunicipalityFact, SessionFact};
use loft_domain::ids::{MunicipalityId, RegionId};
use sqlx::Row;

/// The period's sessions, municipalities and competences, counted.
pub struct ParticipationFacts {
    pub sessions: Vec<SessionFact>,
    pub municipalities: Vec<MunicipalityFact>,
    /// (framework key, competence code, distinct people who completed a course building it).
    pub competences: Vec<(String, String, u64)>,
}

/// The sessions of the report: the region's courses, first day in `[$2, $3)`, not cancelled.
const IN_PERIOD: &str =
    "c.region_id = $1 AND s.first_starts_at >= $2 AND s.first_starts_at < $3 AND s.status <> 'cancelled'";

impl Store {
    /// Every figure is counted over the whole region, whoever asks: the anonymity rule decides once for all
    /// readers, and the page then shows a municipal coordinator their own municipality's line.
    pub async fn participation_facts(&self, region: RegionId, from: i64, to: i64) -> Result<ParticipationFacts> {
        // Every statement takes the region and the period as $1, $2, $3; only constants are formatted into the SQL
        // (no input), hence `AssertSqlSafe`.
        let fetch = |sql: String| {
            sqlx::query(sqlx::AssertSqlSafe(sql)).bind(region.0).bind(from).bind(to).fetch_all(&self.pool)
        };
        let sessions = fetch(format!(
            "SELECT s.id, c.id, c.title, s.first_starts_at, s.last_ends_at, s.capacity,
                (SELECT COUNT(*) FROM enrolment e WHERE e.session_id = s.id AND e.status = 'confirmed'),
                (SELECT COUNT(*) FROM enrolment e WHERE e.session_id = s.id AND e.status = 'waitlisted'),
                (SELECT COUNT(*) FROM enrolment e WHERE e.session_id = s.id AND e.status = 'confirmed'
                    AND EXISTS (SELECT 1 FROM attendance a WHERE a.enrolment_id = e.id AND a.present = 1)),
                (SELECT COUNT(*) FROM enrolment e WHERE e.session_id = s.id AND e.status = 'confirmed'
                    AND EXISTS (SELECT 1 FROM attendance a WHERE a.enrolment_id = e.id AND a.present = 0)
                    AND NOT EXISTS (SELECT 1 FROM attendance a WHERE a.enrolment_id = e.id AND a.present = 1)),
                (SELECT COUNT(*) FROM enrolment e WHERE e.session_id = s.id AND e.status = 'confirmed'
                    AND e.completed_at IS NOT NULL),
                (SELECT COUNT(*) FROM enrolment e WHERE e.session_id = s.id AND e.status = 'offered')
             FROM course_session s JOIN course c ON c.id = s.course_id WHERE {IN_PERIOD}
             ORDER BY s.first_starts_at, s.id"
        ))
        .await?
        .iter()
        .map(|r| {
            Ok(SessionFact {
                session: r.try_get(0)?,
                course: r.try_get(1)?,
                course_title: r.try_get(2)?,
                starts_at: r.try_get(3)?,
                ends_at: r.try_get(4)?,
                capacity: r.try_get(5)?,
                confirmed: r.try_get(6)?,
                waitlisted: r.try_get(7)?,
                present: r.try_get(8)?,
                no_shows: r.try_get(9)?,
                completed: r.try_get(10)?,
                offered: r.try_get(11)?,
            })
        })
        .collect::<Result<Vec<_>>>()?;
        let people = |extra: &str| {
            format!(
                "(SELECT COUNT(DISTINCT e.person_id) FROM enrolment e JOIN course_session s ON s.id = e.session_id
                  JOIN course c ON c.id = s.course_id
                  WHERE e.municipality_id = m.id AND e.status = 'confirmed' {extra} AND {IN_PERIOD})"
            )
        };
        let municipalities = fetch(format!(
            "SELECT m.id, m.name, {}, {} FROM municipality m WHERE m.region_id = $1 ORDER BY m.id",
            people(""),
            people("AND e.completed_at IS NOT NULL")
        ))
        .await?
        .iter()
        .map(|r| {
            Ok(MunicipalityFact {
                municipality: MunicipalityId(r.try_get(0)?),
                name: r.try_get(1)?,
                participants: r.try_get::<i64, _>(2)? as u64,
                completed: r.try_get::<i64, _>(3)? as u64,
            })
        })
        .collect::<Result<Vec<_>>>()?;
        let competences = fetch(format!(
            "SELECT v.framework_key, v.competence, COUNT(DISTINCT v.person_id) FROM competence_evidence v
             JOIN enrolment e ON v.source = 'course-enrolment' AND e.id = v.source_id
             JOIN course_session s ON s.id = e.session_id JOIN course c ON c.id = s.course_id
             WHERE {IN_PERIOD} GROUP BY v.framework_key, v.competence"
        ))
        .await?
        .iter()
        .map(|r| Ok((r.try_get(0)?, r.try_get(1)?, r.try_get::<i64, _>(2)? as u64)))
        .collect::<Result<Vec<_>>>()?;
        Ok(ParticipationFacts { sessions, municipalities, competences })
    }
}
