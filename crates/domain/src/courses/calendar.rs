//! iCalendar (RFC 5545) for sessions, built with the `icalendar` crate. Every meeting day is one VEVENT with
//! a stable UID (so an updated file replaces the entry); times are written in UTC (`…Z`), computed from the
//! Oslo wall-clock times with the bundled tz database, so no VTIMEZONE is needed and daylight-saving changes
//! cannot shift an entry. A cancelled session's events say `STATUS:CANCELLED`.

use super::session::MeetingDay;
use icalendar::{Calendar, Component, Event, EventLike, EventStatus};

/// One session as a calendar shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CalendarSession {
    pub session_id: i64,
    pub title: String,
    pub description: String,
    pub location: String,
    /// The course page.
    pub url: String,
    pub days: Vec<MeetingDay>,
    /// Days a change removed from the end: written as cancelled events under the UIDs they had.
    pub dropped_days: Vec<MeetingDay>,
    pub cancelled: bool,
    /// The session's revision, bumped by every change that reaches calendars (RFC 5545 SEQUENCE).
    pub sequence: u32,
}

/// Where a session is held, as calendars and e-mails write it: "venue, room", either part left out when empty.
pub fn location(venue: &str, room: &str) -> String {
    [venue, room].into_iter().filter(|p| !p.is_empty()).collect::<Vec<_>>().join(", ")
}

fn utc(seconds: i64) -> chrono::DateTime<chrono::Utc> {
    chrono::DateTime::from_timestamp(seconds, 0).unwrap_or_default()
}

/// A calendar of the sessions' meeting days; `stamp` is the DTSTAMP (now, in unix seconds).
pub fn ics(name: &str, sessions: &[CalendarSession], stamp: i64) -> String {
    let mut calendar = Calendar::new();
    calendar.name(name);
    for s in sessions {
        let dropped = s.dropped_days.iter().map(|d| (d, true));
        for (n, (day, gone)) in s.days.iter().map(|d| (d, s.cancelled)).chain(dropped).enumerate() {
            let mut event = Event::new();
            event
                .uid(&format!("loft-session-{}-day-{}@loft", s.session_id, n + 1))
                .timestamp(utc(stamp))
                .sequence(s.sequence)
                .summary(&s.title)
                .description(&s.description)
                .starts(utc(day.starts_at))
                .ends(utc(day.ends_at))
                .url(&s.url)
                .status(if gone { EventStatus::Cancelled } else { EventStatus::Confirmed });
            if !s.location.is_empty() {
                event.location(&s.location);
            }
            calendar.push(event.done());
        }
    }
    calendar.done().to_string()
}
