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
        }
    }
    /// Holds a seat, a waitlist place or an open request (what a person can cancel).
    pub fn is_active(&self) -> bool {
        matches!(self, EnrolmentState::Confirmed | EnrolmentState::Waitlisted { .. } | EnrolmentState::Pending)
    }
}

/// The seats of a session as counted under its lock.
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

/// A new enrolment is confirmed when a seat is free and the municipality's quota allows, else it waits.
pub fn place(seats: Seats) -> Placement {
    let quota_allows = seats.quota.is_none_or(|q| seats.confirmed_in_municipality < q);
    if seats.confirmed < seats.capacity && quota_allows { Placement::Confirmed } else { Placement::Waitlisted }
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
/// the session is full. Called once per freed seat until it answers `None`.
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
