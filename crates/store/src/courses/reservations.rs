//! Seats reserved for a unit: a manager or coordinator holds a number of seats and names the people later.
//! Unnamed seats count as taken (capacity and the municipality's quota, in `booking::held_by_municipality`) until
//! they are named, given back, or released at their deadline; then they go to the waitlist like any freed seat.
//! Everything runs under the session's lock, as enrolment does.

use super::booking::{self as store_booking, pass_on_lapsed, promote, tell_handed};
use super::{EnrolOutcome, NoticeKind, Notify};
use crate::audit::{self, Change};
use crate::{Result, Store, now, today};
use loft_domain::DomainError;
use loft_domain::courses::booking::{self, EnrolmentState};
use loft_domain::courses::{EnrolmentId, ReservationId, SessionId};
use loft_domain::ids::{MunicipalityId, PersonId, UnitId};
use loft_domain::org::UnitPath;
use serde::Serialize;
use sqlx::Row;

/// One unit's reservation in a session, with the people named so far.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Reservation {
    pub id: ReservationId,
    pub session: SessionId,
    pub unit: UnitId,
    pub unit_name: String,
    pub unit_path: UnitPath,
    pub municipality: MunicipalityId,
    pub municipality_name: String,
    /// Reserved seats not yet named (0 once released or all given back).
    pub seats_left: i64,
    pub release_at: i64,
    pub released_at: Option<i64>,
    /// Confirmed people who took a reserved seat, by name.
    pub named: Vec<(PersonId, String)>,
}

#[derive(Serialize)]
struct Snapshot {
    session: SessionId,
    unit: UnitId,
    seats_left: i64,
    release_at: i64,
}

impl Store {
    /// Sets the unit's unnamed reserved seats in `session` to `seats`, released at `release_at` (unix seconds).
    /// More seats need free seats and room in the municipality's quota, and enrolment open; fewer go to the
    /// waitlist at once. Audited.
    pub async fn reserve_seats(
        &self,
        change: Change,
        session: SessionId,
        unit: UnitId,
        seats: i64,
        release_at: i64,
        notify: Notify<'_>,
    ) -> Result<ReservationId> {
        booking::check_reserved_seats(seats)?;
        let mut tx = self.pool.begin().await?;
        let locked = store_booking::lock_session(&mut tx, session, false).await?;
        let t = now();
        pass_on_lapsed(&mut tx, notify, session, &locked, t).await?;
        let unit_row = sqlx::query("SELECT municipality_id, closed_at FROM unit WHERE id = $1")
            .bind(unit.0)
            .fetch_optional(&mut *tx)
            .await?
            .ok_or(DomainError::NotFound)?;
        let municipality = MunicipalityId(unit_row.try_get(0)?);
        let (visibility, _) = store_booking::audience_and_approval(&mut tx, session).await?;
        booking::check_audience(visibility, municipality)?;
        let existing = sqlx::query(
            "SELECT id, seats_left, release_at FROM seat_reservation WHERE session_id = $1 AND unit_id = $2",
        )
        .bind(session.0)
        .bind(unit.0)
        .fetch_optional(&mut *tx)
        .await?;
        let (existing_id, before) = match &existing {
            Some(r) => (
                Some(r.try_get::<i64, _>(0)?),
                Some(Snapshot { session, unit, seats_left: r.try_get(1)?, release_at: r.try_get(2)? }),
            ),
            None => (None, None),
        };
        let current = before.as_ref().map_or(0, |b| b.seats_left);
        let more = seats - current;
        if more > 0 {
            if unit_row.try_get::<Option<i64>, _>(1)?.is_some() {
                return Err(DomainError::Conflict { field: "unit", code: "unit-closed" }.into());
            }
            booking::check_open(t, locked.opens_at, locked.closes_at, locked.cancelled)?;
            let seats_now = store_booking::seats_for(&mut tx, session, &locked, municipality).await?;
            booking::check_reserve(seats_now, more)?;
        }
        let moved_deadline = before.as_ref().is_none_or(|b| b.release_at != release_at);
        if seats > 0 && (more > 0 || moved_deadline) {
            booking::check_release_at(t, release_at, locked.closes_at)?;
        }
        let id: i64 = match existing_id {
            Some(id) => {
                sqlx::query(
                    "UPDATE seat_reservation SET seats_left = $2, release_at = $3,
                     released_at = CASE WHEN $2 > 0 THEN NULL ELSE released_at END WHERE id = $1",
                )
                .bind(id)
                .bind(seats)
                .bind(release_at)
                .execute(&mut *tx)
                .await?;
                id
            }
            None => {
                sqlx::query_scalar(
                    "INSERT INTO seat_reservation (session_id, unit_id, municipality_id, seats_left, release_at, reserved_by, reserved_at)
                     VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
                )
                .bind(session.0)
                .bind(unit.0)
                .bind(municipality.0)
                .bind(seats)
                .bind(release_at)
                .bind(change.actor.map(|a| a.0))
                .bind(t)
                .fetch_one(&mut *tx)
                .await?
            }
        };
        // Seats given back go to the waitlist at once.
        let handed = if more < 0 && !locked.cancelled {
            promote(&mut tx, session, locked.capacity, t).await?
        } else {
            Vec::new()
        };
        tell_handed(&mut tx, notify, session, &handed).await?;
        let after = Snapshot { session, unit, seats_left: seats, release_at };
        audit::record(&mut tx, change, "reserve-seats", "seat_reservation", id, before.as_ref(), Some(&after)).await?;
        tx.commit().await?;
        self.seats_changed();
        Ok(ReservationId(id))
    }

    /// Gives one of the reservation's unnamed seats to `person`, who must work in the reserved unit or under it:
    /// a confirmed seat (from the waitlist or a waiting request too), with the confirmation e-mail. Audited.
    pub async fn name_reserved_seat(
        &self,
        change: Change,
        reservation: ReservationId,
        person: PersonId,
        notify: Notify<'_>,
    ) -> Result<EnrolOutcome> {
        let session = self.reservation_session(reservation).await?;
        let mut tx = self.pool.begin().await?;
        let locked = store_booking::lock_session(&mut tx, session, true).await?;
        let t = now();
        pass_on_lapsed(&mut tx, notify, session, &locked, t).await?;
        if locked.cancelled {
            return Err(DomainError::Conflict { field: "session", code: "session-cancelled" }.into());
        }
        let row = sqlx::query(
            "SELECT r.seats_left, r.released_at, r.municipality_id, u.path FROM seat_reservation r
             JOIN unit u ON u.id = r.unit_id WHERE r.id = $1",
        )
        .bind(reservation.0)
        .fetch_one(&mut *tx)
        .await?;
        if row.try_get::<i64, _>(0)? <= 0 {
            let code =
                if row.try_get::<Option<i64>, _>(1)?.is_some() { "reservation-released" } else { "reservation-full" };
            return Err(DomainError::Conflict { field: "reservation", code }.into());
        }
        let municipality: i64 = row.try_get(2)?;
        let path: String = row.try_get(3)?;
        // A current employment in the unit or under it (as `CURRENT_EMPLOYMENT` counts one).
        let employments: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM person p JOIN employment e ON e.person_id = p.id JOIN unit u ON u.id = e.unit_id
             WHERE p.id = $1 AND p.left_at IS NULL AND p.municipality_id = $2
               AND (e.end_date IS NULL OR e.end_date >= $3) AND u.path LIKE $4",
        )
        .bind(person.0)
        .bind(municipality)
        .bind(today())
        .bind(format!("{path}%"))
        .fetch_one(&mut *tx)
        .await?;
        if employments == 0 {
            return Err(DomainError::Conflict { field: "person", code: "not-in-reserved-unit" }.into());
        }
        let existing = sqlx::query(
            "SELECT id, status FROM enrolment
             WHERE session_id = $1 AND person_id = $2 AND status IN ('confirmed', 'offered', 'waitlisted', 'pending')",
        )
        .bind(session.0)
        .bind(person.0)
        .fetch_optional(&mut *tx)
        .await?;
        let id: i64 = match existing {
            Some(r) if matches!(r.try_get::<String, _>(1)?.as_str(), "confirmed" | "offered") => {
                return Err(DomainError::Conflict { field: "person", code: "already-has-seat" }.into());
            }
            // Off the waitlist (or out of the approval queue) into the reserved seat.
            Some(r) => {
                let id: i64 = r.try_get(0)?;
                sqlx::query(
                    "UPDATE enrolment SET status = 'confirmed', confirmed_at = $2, decided_by = $3, reservation_id = $4
                     WHERE id = $1",
                )
                .bind(id)
                .bind(t)
                .bind(change.actor.map(|a| a.0))
                .bind(reservation.0)
                .execute(&mut *tx)
                .await?;
                id
            }
            None => sqlx::query_scalar(
                "INSERT INTO enrolment (session_id, person_id, municipality_id, status, arrival, enrolled_by, enrolled_at,
                                        confirmed_at, reservation_id)
                 VALUES ($1, $2, $3, 'confirmed', $4, $5, $6, $6, $7) RETURNING id",
            )
            .bind(session.0)
            .bind(person.0)
            .bind(municipality)
            .bind(locked.arrival)
            .bind(change.actor.map(|a| a.0))
            .bind(t)
            .bind(reservation.0)
            .fetch_one(&mut *tx)
            .await
            .map_err(|e| crate::StoreError::from(e).on_unique("session", "already-enrolled"))?,
        };
        sqlx::query("UPDATE seat_reservation SET seats_left = seats_left - 1 WHERE id = $1")
            .bind(reservation.0)
            .execute(&mut *tx)
            .await?;
        let state = EnrolmentState::Confirmed;
        let after =
            serde_json::json!({ "session": session, "person": person, "reservation": reservation, "state": state });
        audit::record(&mut tx, change, "name-reserved-seat", "enrolment", id, None::<&()>, Some(&after)).await?;
        super::booking::queue_notice(&mut tx, notify, NoticeKind::Confirmed, session, person).await?;
        let overlaps = store_booking::overlaps(&mut tx, session, person).await?;
        tx.commit().await?;
        self.seats_changed();
        Ok(EnrolOutcome { enrolment: EnrolmentId(id), state, already: false, overlaps })
    }

    /// The session's reservations, by municipality and unit name, with the people named. The caller shows only
    /// those whose unit the user's reach covers.
    pub async fn reservations(&self, session: SessionId) -> Result<Vec<Reservation>> {
        let rows = sqlx::query(
            "SELECT r.id, r.unit_id, u.name, u.path, r.municipality_id, m.name, r.seats_left, r.release_at, r.released_at
             FROM seat_reservation r JOIN unit u ON u.id = r.unit_id JOIN municipality m ON m.id = r.municipality_id
             WHERE r.session_id = $1 ORDER BY m.name_sort, u.name_sort, r.id",
        )
        .bind(session.0)
        .fetch_all(&self.pool)
        .await?;
        let named = sqlx::query(
            "SELECT e.reservation_id, p.id, p.given_name, p.family_name FROM enrolment e JOIN person p ON p.id = e.person_id
             WHERE e.session_id = $1 AND e.reservation_id IS NOT NULL AND e.status = 'confirmed'
             ORDER BY p.name_sort, p.id",
        )
        .bind(session.0)
        .fetch_all(&self.pool)
        .await?;
        let mut out = Vec::with_capacity(rows.len());
        for r in &rows {
            let id: i64 = r.try_get(0)?;
            let mut people = Vec::new();
            for n in named.iter().filter(|n| n.try_get::<i64, _>(0).is_ok_and(|rid| rid == id)) {
                people.push((
                    PersonId(n.try_get(1)?),
                    format!("{} {}", n.try_get::<String, _>(2)?, n.try_get::<String, _>(3)?),
                ));
            }
            out.push(Reservation {
                id: ReservationId(id),
                session,
                unit: UnitId(r.try_get(1)?),
                unit_name: r.try_get(2)?,
                unit_path: UnitPath::from_stored(r.try_get(3)?),
                municipality: MunicipalityId(r.try_get(4)?),
                municipality_name: r.try_get(5)?,
                seats_left: r.try_get(6)?,
                release_at: r.try_get(7)?,
                released_at: r.try_get(8)?,
                named: people,
            });
        }
        Ok(out)
    }

    /// The session a reservation belongs to (`NotFound` for an unknown id).
    pub async fn reservation_session(&self, reservation: ReservationId) -> Result<SessionId> {
        let session: Option<i64> = sqlx::query_scalar("SELECT session_id FROM seat_reservation WHERE id = $1")
            .bind(reservation.0)
            .fetch_optional(&self.pool)
            .await?;
        Ok(SessionId(session.ok_or(DomainError::NotFound)?))
    }
}
