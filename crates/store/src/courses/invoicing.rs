//! What the invoicing basis needs (`domain::courses::invoicing`): the enrolments that may be charged in the
//! sessions of a region's courses whose first meeting day falls in a period, with prices and attendance.

use crate::{Result, Store};
use loft_domain::courses::Ore;
use loft_domain::courses::invoicing::EnrolmentFact;
use loft_domain::ids::{MunicipalityId, RegionId};
use sqlx::Row;

impl Store {
    /// Confirmed enrolments and late cancellations of sessions starting in `[from, to)` (unix seconds) of the
    /// region's courses, optionally only one municipality's people (the domain puts them in order).
    pub async fn invoicing_facts(
        &self,
        region: RegionId,
        from: i64,
        to: i64,
        municipality: Option<MunicipalityId>,
    ) -> Result<Vec<EnrolmentFact>> {
        let rows = sqlx::query(
            "SELECT m.id, m.name, CAST(CASE WHEN m.region_id = c.region_id THEN 1 ELSE 0 END AS BIGINT), s.id, c.title,
                    s.first_starts_at, s.last_ends_at, s.status, c.price_internal_ore, c.price_external_ore,
                    p.given_name, p.family_name, e.status, e.late,
                    (SELECT COUNT(*) FROM attendance a WHERE a.enrolment_id = e.id AND a.present = 1),
                    (SELECT COUNT(*) FROM attendance a WHERE a.enrolment_id = e.id AND a.present = 0)
             FROM enrolment e
             JOIN course_session s ON s.id = e.session_id
             JOIN course c ON c.id = s.course_id
             JOIN municipality m ON m.id = e.municipality_id
             JOIN person p ON p.id = e.person_id
             WHERE c.region_id = $1 AND s.first_starts_at >= $2 AND s.first_starts_at < $3
               AND (e.status = 'confirmed' OR (e.status = 'cancelled' AND e.late = 1))
               AND ($4 = 0 OR e.municipality_id = $4)
             ORDER BY e.id",
        )
        .bind(region.0)
        .bind(from)
        .bind(to)
        .bind(municipality.map_or(0, |m| m.0))
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                Ok(EnrolmentFact {
                    municipality: MunicipalityId(r.try_get(0)?),
                    municipality_name: r.try_get(1)?,
                    internal: r.try_get::<i64, _>(2)? != 0,
                    session: r.try_get(3)?,
                    course_title: r.try_get(4)?,
                    starts_at: r.try_get(5)?,
                    ends_at: r.try_get(6)?,
                    session_cancelled: r.try_get::<String, _>(7)? == "cancelled",
                    price_internal: Ore(r.try_get(8)?),
                    price_external: Ore(r.try_get(9)?),
                    person_name: format!("{} {}", r.try_get::<String, _>(10)?, r.try_get::<String, _>(11)?),
                    person_sort_name: format!("{} {}", r.try_get::<String, _>(11)?, r.try_get::<String, _>(10)?),
                    status: r.try_get(12)?,
                    late: r.try_get::<i64, _>(13)? != 0,
                    days_present: r.try_get(14)?,
                    days_absent: r.try_get(15)?,
                })
            })
            .collect()
    }
}
