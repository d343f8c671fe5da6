//! The booking rule: who gets a seat, who waits, who is promoted when a seat
//! is freed, and when a cancellation is late. The store calls these inside
//! the one transaction that holds the session's lock
//! (`store::courses::enrol`), so the counts it passes are exact.

use super::EnrolmentId;
use super::session::MeetingDay;
use crate::error::DomainError;
use crate::ids::MunicipalityId;
use serde::Serialize;
use std::collections::BTreeMap;

/// A person's place in a session.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(tag = "state", rename_all = "kebab-case")]
pub enum EnrolmentState {
    Confirmed,
    /// Place `position` (1-based, in arrival order) of `of` waiting.
    Waitlisted {
        position: i64,
        of: i64,
    },
    /// Cancelled by or for the person; `late` when after the cancellation deadline.
    Cancelled {
        late: bool,
    },
    /// Took themself off the waitlist.
    LeftWaitlist,
    /// Asked for a place in a course that needs a manager's approval; holds no seat and no waitlist place yet.
    Pending,
    /// A manager or coordinator declined the request.
    Rejected,
    /// A freed seat is held for the person until `expires_at` (unix seconds): they accept or decline it.
    Offered {
        expires_at: i64,
    },
    /// The person declined an offered seat; it went to the next waiting.
    OfferDeclined,
    /// An offered seat was not accepted in time; it went to the next waiting.
    OfferLapsed,
}

impl EnrolmentState {
    pub fn code(&self) -> &'static str {
        match self {
            EnrolmentState::Confirmed => "confirmed",
            EnrolmentState::Waitlisted { .. } => "waitlisted",
            EnrolmentState::Cancelled { late: false } => "cancelled",
            EnrolmentState::Cancelled { late: true } => "cancelled-late",
            EnrolmentState::LeftWaitlist => "left-waitlist",
            EnrolmentState::Pending => "pending",
            EnrolmentState::Rejected => "rejected",
            EnrolmentState::Offered { .. } => "offered",
            EnrolmentState::OfferDeclined => "offer-declined",
            EnrolmentState::OfferLapsed => "offer-lapsed",
        }
    }
    /// Holds a seat, an offered seat, a waitlist place or an open request (what a person can cancel).
    pub fn is_active(&self) -> bool {
        matches!(
            self,
            EnrolmentState::Confirmed
                | EnrolmentState::Offered { .. }
                | EnrolmentState::Waitlisted { .. }
                | EnrolmentState::Pending
        )
    }
}

/// The seats of a session as counted under its lock. A seat offered from the waitlist is held until it is
/// answered, so `confirmed` counts confirmed and offered seats alike (as the quota count does).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Seats {
    pub capacity: i64,
    pub confirmed: i64,
    /// The quota of the enrolling person's municipality, if it has one.
    pub quota: Option<i64>,
    pub confirmed_in_municipality: i64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Placement {
    Confirmed,
    Waitlisted,
}

/// Whether `n` more seats fit: within capacity and the municipality's quota.
fn room_for(seats: Seats, n: i64) -> bool {
    seats.confirmed + n <= seats.capacity && seats.quota.is_none_or(|q| seats.confirmed_in_municipality + n <= q)
}

/// A new enrolment is confirmed when a seat is free and the municipality's quota allows, else it waits.
pub fn place(seats: Seats) -> Placement {
    if room_for(seats, 1) { Placement::Confirmed } else { Placement::Waitlisted }
}

/// Whether enrolment is possible at `now`, with the reason when it is not.
pub fn check_open(now: i64, opens_at: i64, closes_at: i64, session_cancelled: bool) -> Result<(), DomainError> {
    let refuse = |code| Err(DomainError::Conflict { field: "session", code });
    if session_cancelled {
        refuse("session-cancelled")
    } else if now < opens_at {
        refuse("enrolment-not-open")
    } else if now > closes_at {
        refuse("enrolment-closed")
    } else {
        Ok(())
    }
}

/// A cancellation after the deadline is late (kept for the invoicing basis); the seat is freed all the same.
pub fn is_late(now: i64, cancellation_deadline: i64) -> bool {
    now > cancellation_deadline
}

/// Someone on the waitlist, in arrival order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Waiting {
    pub id: EnrolmentId,
    pub municipality: MunicipalityId,
}

/// Who gets a free seat: the first waiting whose municipality's quota still has room, or nobody when
/// the session is full. Called once per freed seat until it answers `None`. The counts are of seats held
/// (confirmed and offered), so an outstanding offer is never given twice.
pub fn next_to_promote(
    capacity: i64,
    quotas: &BTreeMap<MunicipalityId, i64>,
    confirmed_by_municipality: &BTreeMap<MunicipalityId, i64>,
    waitlist: &[Waiting],
) -> Option<EnrolmentId> {
    let confirmed: i64 = confirmed_by_municipality.values().sum();
    if confirmed >= capacity {
        return None;
    }
    waitlist
        .iter()
        .find(|w| {
            quotas
                .get(&w.municipality)
                .is_none_or(|q| confirmed_by_municipality.get(&w.municipality).copied().unwrap_or(0) < *q)
        })
        .map(|w| w.id)
}

/// How a freed seat goes to the person `next_to_promote` chose.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Promotion {
    /// Confirmed at once (the course has no answer time).
    Confirm,
    /// Held for them until `expires_at`; they accept or decline, else it passes on.
    Offer { expires_at: i64 },
}

/// The most hours a course may give people to answer an offered seat (30 days).
pub const MAX_OFFER_HOURS: i64 = 720;

/// With an answer time of `offer_hours` (none or 0: promote at once), a seat freed at `now` is offered until
/// `now + offer_hours`, but never past the session's start; a seat freed once the session has started is
/// confirmed at once, since there is no time left to answer.
pub fn promotion(now: i64, offer_hours: Option<i64>, starts_at: i64) -> Promotion {
    match offer_hours.filter(|h| *h > 0) {
        None => Promotion::Confirm,
        Some(h) => {
            let expires_at = now.saturating_add(h.saturating_mul(3600)).min(starts_at);
            if expires_at > now { Promotion::Offer { expires_at } } else { Promotion::Confirm }
        }
    }
}

/// An offer lapses at its deadline: from `expires_at` on it can no longer be accepted.
pub fn offer_lapsed(now: i64, expires_at: i64) -> bool {
    now >= expires_at
}

/// Accepting an offer is possible until its deadline.
pub fn check_accept(now: i64, expires_at: i64) -> Result<(), DomainError> {
    if offer_lapsed(now, expires_at) {
        Err(DomainError::Conflict { field: "session", code: "offer-expired" })
    } else {
        Ok(())
    }
}

/// The most seats one reservation may hold: more than any session has, so the capacity check decides.
pub const MAX_RESERVED_SEATS: i64 = 10_000;

/// A manager or coordinator reserves seats for a unit and names the people later. Reserving `more` seats on top
/// of what is held (`seats`, reservations counted as held) needs that many free seats and room in the
/// municipality's quota; a reservation never waits.
pub fn check_reserve(seats: Seats, more: i64) -> Result<(), DomainError> {
    if more > 0 && !room_for(seats, more) {
        Err(DomainError::Conflict { field: "seats", code: "not-enough-free-seats" })
    } else {
        Ok(())
    }
}

/// The number of unnamed seats asked for: from 0 (give them all back) to [`MAX_RESERVED_SEATS`].
pub fn check_reserved_seats(seats: i64) -> Result<(), DomainError> {
    if (0..=MAX_RESERVED_SEATS).contains(&seats) {
        Ok(())
    } else {
        Err(DomainError::invalid("seats", "reserved-seats-out-of-range"))
    }
}

/// Unnamed reserved seats are released at `release_at`: it must lie ahead, and no later than enrolment closes
/// (so that the waitlist and others can still take the seats).
pub fn check_release_at(now: i64, release_at: i64, enrolment_closes_at: i64) -> Result<(), DomainError> {
    if release_at <= now {
        Err(DomainError::invalid("release_at", "release-in-past"))
    } else if release_at > enrolment_closes_at {
        Err(DomainError::invalid("release_at", "release-after-closing"))
    } else {
        Ok(())
    }
}

/// Whether two sessions' meeting days overlap in time (enrolling in both gives a warning, not a refusal).
pub fn sessions_overlap(a: &[MeetingDay], b: &[MeetingDay]) -> bool {
    a.iter().any(|x| b.iter().any(|y| x.overlaps(y)))
}

/// A course for one municipality takes only that municipality's people.
pub fn check_audience(visibility: super::Visibility, municipality: MunicipalityId) -> Result<(), DomainError> {
    match visibility {
        super::Visibility::Municipality(m) if m != municipality => {
            Err(DomainError::Conflict { field: "session", code: "not-in-audience" })
        }
        _ => Ok(()),
    }
}

/// The course's completion rule: every meeting day attended (days not yet marked count as not attended).
pub fn is_complete(all_days_rule: bool, days: usize, present: usize) -> bool {
    if all_days_rule { days > 0 && present >= days } else { present > 0 }
}
