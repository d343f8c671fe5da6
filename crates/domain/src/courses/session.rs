//! Sessions of a course: meeting days entered in Norwegian local time and kept
//! as UTC seconds, capacity, quotas, enrolment window and cancellation deadline.

use crate::error::{DomainError, FieldError};
use crate::ids::MunicipalityId;
use jiff::civil::{Date, DateTime, Time};
use jiff::tz::TimeZone;
use serde::Serialize;

/// The time zone every date and time in the portal is entered and shown in.
pub fn oslo() -> TimeZone {
    TimeZone::get("Europe/Oslo").unwrap_or(TimeZone::UTC)
}

/// Unix seconds of a local Oslo date and time (in the autumn's repeated hour, the first; in the spring gap, later).
pub fn local_to_utc(at: DateTime) -> Option<i64> {
    at.to_zoned_datetime(oslo()).ok().map(|z| z.timestamp().as_second())
}

/// An Oslo wall-clock view of unix seconds.
pub fn utc_to_local(seconds: i64) -> DateTime {
    jiff::Timestamp::from_second(seconds).map(|t| t.to_zoned_datetime(oslo()).datetime()).unwrap_or_default()
}

/// One meeting day: start and end in unix seconds (UTC).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct MeetingDay {
    pub starts_at: i64,
    pub ends_at: i64,
}

impl MeetingDay {
    pub fn overlaps(&self, other: &MeetingDay) -> bool {
        self.starts_at < other.ends_at && other.starts_at < self.ends_at
    }
}

/// A session as entered, parsed and valid.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SessionDraft {
    pub days: Vec<MeetingDay>,
    pub venue: String,
    pub room: String,
    pub online_link: String,
    pub capacity: i64,
    /// At most this many confirmed seats for people of the municipality; municipalities not named have no cap.
    pub quotas: Vec<(MunicipalityId, i64)>,
    pub enrolment_opens_at: i64,
    pub enrolment_closes_at: i64,
    pub cancellation_deadline: i64,
    pub instructors: Vec<String>,
}

/// The raw form of a session.
#[derive(Debug, Clone, Default)]
pub struct SessionInput {
    /// One meeting day per line: `2027-02-03 09:00-15:30` (Oslo time).
    pub days: String,
    pub venue: String,
    pub room: String,
    pub online_link: String,
    pub capacity: String,
    /// (municipality id, seats) as typed; empty seats means no quota.
    pub quotas: Vec<(i64, String)>,
    /// `YYYY-MM-DDTHH:MM` (an HTML `datetime-local`) or `YYYY-MM-DD HH:MM`, Oslo time.
    pub enrolment_opens: String,
    pub enrolment_closes: String,
    pub cancellation_deadline: String,
    /// One name per line.
    pub instructors: String,
}

/// Parses `2027-02-03 09:00-15:30`.
pub fn parse_day_line(line: &str) -> Result<MeetingDay, &'static str> {
    let (date, times) = line.trim().split_once(char::is_whitespace).ok_or("invalid-day")?;
    let (start, end) = times.trim().split_once('-').ok_or("invalid-day")?;
    let date: Date = date.trim().parse().map_err(|_| "invalid-day")?;
    let time = |t: &str| -> Result<Time, &'static str> { t.trim().parse::<Time>().map_err(|_| "invalid-day") };
    let starts_at = local_to_utc(date.to_datetime(time(start)?)).ok_or("invalid-day")?;
    let ends_at = local_to_utc(date.to_datetime(time(end)?)).ok_or("invalid-day")?;
    if ends_at <= starts_at {
        return Err("ends-before-starts");
    }
    Ok(MeetingDay { starts_at, ends_at })
}

/// Parses a local date-time as typed in a form (`T` or space between date and time).
pub fn parse_local(text: &str) -> Option<i64> {
    let t = text.trim().replacen(' ', "T", 1);
    local_to_utc(t.parse::<DateTime>().ok()?)
}

/// Formats a day line back for the form: `2027-02-03 09:00-15:30`.
pub fn day_line(day: &MeetingDay) -> String {
    let s = utc_to_local(day.starts_at);
    let e = utc_to_local(day.ends_at);
    format!("{} {:02}:{:02}-{:02}:{:02}", s.date(), s.hour(), s.minute(), e.hour(), e.minute())
}

/// Formats unix seconds for a `datetime-local` input.
pub fn local_input(seconds: i64) -> String {
    let d = utc_to_local(seconds);
    format!("{}T{:02}:{:02}", d.date(), d.hour(), d.minute())
}

impl SessionInput {
    pub fn parse(&self) -> Result<SessionDraft, DomainError> {
        let mut errors: Vec<FieldError> = Vec::new();
        let mut push = |field: &'static str, code: &'static str| {
            let e = FieldError { field, code };
            if !errors.contains(&e) {
                errors.push(e);
            }
        };
        let mut days = Vec::new();
        for line in self.days.lines().filter(|l| !l.trim().is_empty()) {
            match parse_day_line(line) {
                Ok(d) => days.push(d),
                Err(code) => push("days", code),
            }
        }
        if days.is_empty() && self.days.trim().is_empty() {
            push("days", "required");
        }
        days.sort();
        if days.windows(2).any(|w| w[0].overlaps(&w[1])) {
            push("days", "days-overlap");
        }
        let capacity = match self.capacity.trim().parse::<i64>() {
            Ok(c) if (1..=100_000).contains(&c) => c,
            _ => {
                push("capacity", "invalid-capacity");
                0
            }
        };
        let mut quotas = Vec::new();
        for (m, seats) in &self.quotas {
            if seats.trim().is_empty() {
                continue;
            }
            match seats.trim().parse::<i64>() {
                Ok(q) if q >= 0 && (capacity == 0 || q <= capacity) => quotas.push((MunicipalityId(*m), q)),
                Ok(q) if q > capacity => push("quotas", "quota-above-capacity"),
                _ => push("quotas", "invalid-quota"),
            }
        }
        let mut time = |field: &'static str, text: &str| match parse_local(text) {
            Some(t) => t,
            None => {
                push(field, if text.trim().is_empty() { "required" } else { "invalid-datetime" });
                0
            }
        };
        let enrolment_opens_at = time("enrolment_opens", &self.enrolment_opens);
        let enrolment_closes_at = time("enrolment_closes", &self.enrolment_closes);
        let cancellation_deadline = time("cancellation_deadline", &self.cancellation_deadline);
        if enrolment_opens_at != 0 && enrolment_closes_at != 0 && enrolment_closes_at <= enrolment_opens_at {
            push("enrolment_closes", "closes-before-opens");
        }
        if let Some(first) = days.first() {
            if enrolment_closes_at > first.starts_at {
                push("enrolment_closes", "closes-after-start");
            }
            if cancellation_deadline > first.starts_at {
                push("cancellation_deadline", "deadline-after-start");
            }
        }
        let online_link = self.online_link.trim().to_string();
        let link_ok =
            online_link.is_empty() || online_link.starts_with("https://") || online_link.starts_with("http://");
        if !link_ok {
            push("online_link", "invalid-link");
        }
        let instructors =
            self.instructors.lines().map(str::trim).filter(|l| !l.is_empty()).map(str::to_string).collect();
        if !errors.is_empty() {
            return Err(DomainError::Invalid(errors));
        }
        Ok(SessionDraft {
            days,
            venue: self.venue.trim().to_string(),
            room: self.room.trim().to_string(),
            online_link,
            capacity,
            quotas,
            enrolment_opens_at,
            enrolment_closes_at,
            cancellation_deadline,
            instructors,
        })
    }
}

/// A change of capacity or quotas may not push out people already confirmed.
pub fn check_capacity_change(
    capacity: i64,
    quotas: &[(MunicipalityId, i64)],
    confirmed: i64,
    confirmed_by_municipality: &std::collections::BTreeMap<MunicipalityId, i64>,
) -> Result<(), DomainError> {
    let mut errors = Vec::new();
    if capacity < confirmed {
        errors.push(FieldError { field: "capacity", code: "capacity-below-confirmed" });
    }
    if quotas.iter().any(|(m, q)| *q < confirmed_by_municipality.get(m).copied().unwrap_or(0)) {
        errors.push(FieldError { field: "quotas", code: "quota-below-confirmed" });
    }
    if errors.is_empty() { Ok(()) } else { Err(DomainError::Invalid(errors)) }
}

/// A series of sessions: the same days shifted by whole weeks (`every_weeks` apart, `count` sessions in all),
/// keeping the local wall-clock times across daylight-saving changes.
pub fn series(first: &SessionDraft, every_weeks: i64, count: i64) -> Result<Vec<SessionDraft>, DomainError> {
    if !(1..=52).contains(&count) || !(1..=52).contains(&every_weeks) {
        return Err(DomainError::invalid("series", "invalid-series"));
    }
    let shift = |seconds: i64, weeks: i64| -> Option<i64> {
        let local = utc_to_local(seconds);
        local_to_utc(local.checked_add(jiff::Span::new().weeks(weeks)).ok()?)
    };
    (0..count)
        .map(|i| {
            let w = i * every_weeks;
            let s = |t| shift(t, w).ok_or(DomainError::invalid("series", "invalid-series"));
            Ok(SessionDraft {
                days: first
                    .days
                    .iter()
                    .map(|d| Ok(MeetingDay { starts_at: s(d.starts_at)?, ends_at: s(d.ends_at)? }))
                    .collect::<Result<_, DomainError>>()?,
                enrolment_opens_at: s(first.enrolment_opens_at)?,
                enrolment_closes_at: s(first.enrolment_closes_at)?,
                cancellation_deadline: s(first.cancellation_deadline)?,
                ..first.clone()
            })
        })
        .collect()
}
