//! What the participation report needs (`domain::courses::participation`): per session of the region's courses
//! whose first day falls in a period, per municipality and unit of the region, and per competence.

use crate::{Result, Store, today};
use loft_domain::courses::participation::{PeopleCount, SessionFact};
use loft_domain::ids::RegionId;
use loft_domain::mapping::report::{Node, NodeKey};
use sqlx::Row;
use std::collections::HashMap;

/// The period's sessions, municipalities and competences, counted.
pub struct ParticipationFacts {
    pub sessions: Vec<SessionFact>,
    /// The region, its municipalities and their units (`Store::report_nodes`, the mapping report's tree).
    pub nodes: Vec<Node>,
    pub people: Vec<PeopleCount>,
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
        // Each person once per municipality they took part for, placed in their main current unit there (the
        // largest share of full time, then the lowest id) or, with none, in the municipality itself.
        let counted = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT y.municipality_id, y.unit_id, COUNT(*), CAST(SUM(y.completed) AS BIGINT) FROM (
               SELECT x.municipality_id, x.completed,
                 (SELECT em.unit_id FROM employment em JOIN unit u ON u.id = em.unit_id
                  WHERE em.person_id = x.person_id AND u.municipality_id = x.municipality_id
                    AND (em.end_date IS NULL OR em.end_date >= $4)
                  ORDER BY COALESCE(em.percent, 0) DESC, em.unit_id LIMIT 1) AS unit_id
               FROM (SELECT e.municipality_id, e.person_id,
                       MAX(CASE WHEN e.completed_at IS NOT NULL THEN 1 ELSE 0 END) AS completed
                     FROM enrolment e JOIN course_session s ON s.id = e.session_id JOIN course c ON c.id = s.course_id
                     WHERE e.status = 'confirmed' AND {IN_PERIOD}
                     GROUP BY e.municipality_id, e.person_id) x) y
             GROUP BY y.municipality_id, y.unit_id"
        )))
        .bind(region.0)
        .bind(from)
        .bind(to)
        .bind(today())
        .fetch_all(&self.pool)
        .await?;
        let nodes = self.report_nodes(region).await?;
        let index: HashMap<NodeKey, usize> = nodes.iter().enumerate().map(|(i, n)| (n.key, i)).collect();
        let mut people = Vec::with_capacity(counted.len());
        for r in &counted {
            let municipality = NodeKey::Municipality(r.try_get(0)?);
            let unit = r.try_get::<Option<i64>, _>(1)?.map(NodeKey::Unit);
            // Someone who took part for a municipality outside the region is not in its tree.
            let Some(&node) = unit.and_then(|u| index.get(&u)).or_else(|| index.get(&municipality)) else { continue };
            people.push(PeopleCount {
                node,
                participants: r.try_get::<i64, _>(2)? as u64,
                completed: r.try_get::<i64, _>(3)? as u64,
            });
        }
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
        Ok(ParticipationFacts { sessions, nodes, people, competences })
    }
}
