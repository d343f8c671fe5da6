//! Courses and events: the catalogue (courses, sessions, meeting days, quotas),
//! its search by Norwegian word stems, and enrolment ([`booking`], the one
//! place that decides confirmed or waitlisted). Organisers' writes are audited
//! in the same transaction.

pub mod attendance;
pub mod booking;
pub mod catalogue;
pub mod certificates;
mod demo;
pub(crate) mod enrolment;
pub mod evaluation;
pub mod invoicing;
pub mod participation;
pub mod reservations;

pub use booking::{CancelOutcome, EnrolOutcome, Overlap, PendingRequest};
pub use catalogue::{CataloguePage, CatalogueQuery};
pub use reservations::Reservation;

use crate::audit::{self, Change};
use crate::sql::Sql;
use crate::{Result, Store, now};
use loft_domain::DomainError;
use loft_domain::competence::Framework;
use loft_domain::courses::booking::EnrolmentState;
use loft_domain::courses::session::{MeetingDay, SessionDraft};
use loft_domain::courses::{
    CompetenceRef, CourseDraft, CourseId, EnrolmentId, Format, Ore, Organiser, SessionId, Visibility, search,
};
use loft_domain::ids::{MunicipalityId, PersonId, RegionId};
use loft_domain::person::RoleGroup;
use serde::Serialize;
use sqlx::{Any, Row, Transaction};

/// What happened to someone's booking, for the e-mail the caller writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NoticeKind {
    Confirmed,
    Waitlisted {
        position: i64,
        of: i64,
    },
    /// Moved up from the waitlist to a confirmed seat.
    Promoted,
    /// The organiser cancelled the session.
    SessionCancelled,
    /// The organiser moved the session or changed where it is held.
    SessionChanged,
    /// The person asked for a place in a course that needs approval.
    Requested,
    /// A manager or coordinator declined the request.
    Rejected,
    /// The session is near (the reminder before it).
    Reminder,
    /// A freed seat is held for the person until `expires_at` (unix seconds): accept or decline on the course page.
    Offered {
        expires_at: i64,
    },
    /// The person did not answer an offered seat in time; it went to the next waiting.
    OfferLapsed,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Notice {
    pub kind: NoticeKind,
    pub email: String,
    pub given_name: String,
    pub locale: Option<String>,
    pub course: CourseId,
    pub course_title: String,
    pub session: SessionId,
    pub person: PersonId,
    /// The session as it is now, for a calendar attachment.
    pub days: Vec<MeetingDay>,
    pub venue: String,
    pub room: String,
    /// The session's revision: the calendar entries' SEQUENCE, so an update replaces what a calendar holds.
    pub revision: i64,
    /// Meeting days a change removed (they were after the last day that remains), to be cancelled in calendars.
    pub dropped_days: Vec<MeetingDay>,
}

/// An e-mail written by the caller (who knows the language and the site's address).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mail {
    pub to: String,
    pub subject: String,
    pub body: String,
    pub attachment: Option<crate::outbox::Attachment>,
}

/// Writes the e-mail for a booking event, or `None` to send nothing.
pub type Notify<'a> = &'a (dyn Fn(&Notice) -> Option<Mail> + Sync);

/// For callers that send no e-mail (demo seeding, tests).
pub fn no_mail(_: &Notice) -> Option<Mail> {
    None
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Course {
    pub id: CourseId,
    pub draft: CourseDraft,
    /// The organising municipality's name, when a municipality organises it.
    pub organiser_municipality_name: Option<String>,
    pub copied_from: Option<CourseId>,
}

impl Course {
    /// The organiser as shown: the municipality's or provider's name, or `None` for the region.
    pub fn organiser_name(&self) -> Option<String> {
        match &self.draft.organiser {
            Organiser::Region => None,
            Organiser::Municipality(_) => self.organiser_municipality_name.clone(),
            Organiser::External(name) => Some(name.clone()),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SessionView {
    pub id: SessionId,
    pub course: CourseId,
    pub draft: SessionDraft,
    pub cancelled: bool,
    pub confirmed: i64,
    /// Seats offered from the waitlist and not yet answered: taken, but not (yet) participants.
    pub offered: i64,
    /// Seats reserved for units and not yet named or released: taken too.
    pub reserved: i64,
    pub waitlisted: i64,
    /// Bumped by every change that reaches calendars (the entries' SEQUENCE).
    pub revision: i64,
}

impl SessionView {
    pub fn free_seats(&self) -> i64 {
        (self.draft.capacity - self.confirmed - self.offered - self.reserved).max(0)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Participant {
    pub enrolment: EnrolmentId,
    pub person: PersonId,
    pub name: String,
    pub municipality: String,
    pub state: EnrolmentState,
    pub arrival: i64,
    /// Confirmed and completed by the course's rule (and so with a certificate to download).
    pub completed: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CourseCard {
    pub id: CourseId,
    pub title: String,
    pub summary: String,
    pub format: Format,
    pub organiser: Option<String>,
    /// The first upcoming (or matching) session's start.
    pub next_starts_at: Option<i64>,
    /// Free seats over the upcoming sessions that match.
    pub free_seats: i64,
}

async fn check_competences(tx: &mut Transaction<'_, Any>, refs: &[CompetenceRef]) -> Result<()> {
    for r in refs {
        let content: Option<String> = sqlx::query_scalar(
            "SELECT content_json FROM framework WHERE key = $1 ORDER BY published_at DESC, id DESC LIMIT 1",
        )
        .bind(r.framework_key.clone())
        .fetch_optional(&mut **tx)
        .await?;
        let ok = content
            .and_then(|c| Framework::from_json(&c).ok())
            .is_some_and(|f| f.competence(&r.competence).is_some() && f.level(r.level).is_ok());
        if !ok {
            return Err(DomainError::invalid("competences", "unknown-competence").into());
        }
    }
    Ok(())
}

async fn write_course_parts(tx: &mut Transaction<'_, Any>, id: CourseId, c: &CourseDraft) -> Result<()> {
    for table in ["course_competence", "course_target_group", "course_word"] {
        sqlx::query(sqlx::AssertSqlSafe(format!("DELETE FROM {table} WHERE course_id = $1")))
            .bind(id.0)
            .execute(&mut **tx)
            .await?;
    }
    for r in &c.competences {
        sqlx::query(
            "INSERT INTO course_competence (course_id, framework_key, competence, level) VALUES ($1, $2, $3, $4)",
        )
        .bind(id.0)
        .bind(r.framework_key.clone())
        .bind(r.competence.clone())
        .bind(r.level)
        .execute(&mut **tx)
        .await?;
    }
    for g in &c.target_groups {
        sqlx::query("INSERT INTO course_target_group (course_id, role_group) VALUES ($1, $2)")
            .bind(id.0)
            .bind(g.code())
            .execute(&mut **tx)
            .await?;
    }
    let stems = search::index_terms(&format!("{} {} {}", c.title, c.summary, c.description));
    for chunk in stems.chunks(300) {
        let mut sql = Sql::new("INSERT INTO course_word (stem, course_id) VALUES ");
        for (i, stem) in chunk.iter().enumerate() {
            sql.push(if i == 0 { "(" } else { ", (" }).push_bind(stem.clone()).push(", ").push_bind(id.0).push(")");
        }
        sql.query()?.execute(&mut **tx).await?;
    }
    Ok(())
}

fn organiser_columns(o: &Organiser) -> (&'static str, Option<i64>, String) {
    match o {
        Organiser::Region => ("region", None, String::new()),
        Organiser::Municipality(m) => ("municipality", Some(m.0), String::new()),
        Organiser::External(name) => ("external", None, name.clone()),
    }
}

fn visibility_column(v: Visibility) -> Option<i64> {
    match v {
        Visibility::Region => None,
        Visibility::Municipality(m) => Some(m.0),
    }
}

async fn insert_session(tx: &mut Transaction<'_, Any>, course: CourseId, s: &SessionDraft) -> Result<SessionId> {
    let first = s.days.first().map_or(0, |d| d.starts_at);
    let last = s.days.iter().map(|d| d.ends_at).max().unwrap_or(0);
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO course_session (course_id, venue, room, online_link, capacity, enrolment_opens_at, enrolment_closes_at,
             cancellation_deadline, instructors, first_starts_at, last_ends_at, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING id",
    )
    .bind(course.0)
    .bind(s.venue.clone())
    .bind(s.room.clone())
    .bind(s.online_link.clone())
    .bind(s.capacity)
    .bind(s.enrolment_opens_at)
    .bind(s.enrolment_closes_at)
    .bind(s.cancellation_deadline)
    .bind(s.instructors.join("\n"))
    .bind(first)
    .bind(last)
    .bind(now())
    .fetch_one(&mut **tx)
    .await?;
    write_days(tx, SessionId(id), &s.days).await?;
    for (m, seats) in &s.quotas {
        sqlx::query("INSERT INTO session_quota (session_id, municipality_id, seats) VALUES ($1, $2, $3)")
            .bind(id)
            .bind(m.0)
            .bind(*seats)
            .execute(&mut **tx)
            .await?;
    }
    Ok(SessionId(id))
}

/// Writes a session's meeting days in place, the n-th day onto the n-th stored one, so attendance marked for a
/// day stays with it when the session is moved. Returns the days removed from the end; a removed day that has
/// attendance marked is refused (`day-has-attendance`), since that would erase who came.
async fn write_days(tx: &mut Transaction<'_, Any>, session: SessionId, days: &[MeetingDay]) -> Result<Vec<MeetingDay>> {
    let stored: Vec<(i64, MeetingDay)> =
        sqlx::query("SELECT id, starts_at, ends_at FROM session_day WHERE session_id = $1 ORDER BY starts_at, id")
            .bind(session.0)
            .fetch_all(&mut **tx)
            .await?
            .iter()
            .map(|r| Ok((r.try_get(0)?, MeetingDay { starts_at: r.try_get(1)?, ends_at: r.try_get(2)? })))
            .collect::<Result<_>>()?;
    for (n, d) in days.iter().enumerate() {
        match stored.get(n) {
            Some((_, old)) if old == d => {}
            Some((id, _)) => {
                sqlx::query("UPDATE session_day SET starts_at = $2, ends_at = $3 WHERE id = $1")
                    .bind(*id)
                    .bind(d.starts_at)
                    .bind(d.ends_at)
                    .execute(&mut **tx)
                    .await?;
            }
            None => {
                sqlx::query("INSERT INTO session_day (session_id, starts_at, ends_at) VALUES ($1, $2, $3)")
                    .bind(session.0)
                    .bind(d.starts_at)
                    .bind(d.ends_at)
                    .execute(&mut **tx)
                    .await?;
            }
        }
    }
    let mut dropped = Vec::new();
    for (id, day) in stored.iter().skip(days.len()) {
        let marked: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM attendance WHERE day_id = $1")
            .bind(*id)
            .fetch_one(&mut **tx)
            .await?;
        if marked > 0 {
            return Err(DomainError::Conflict { field: "days", code: "day-has-attendance" }.into());
        }
        sqlx::query("DELETE FROM session_day WHERE id = $1").bind(*id).execute(&mut **tx).await?;
        dropped.push(*day);
    }
    Ok(dropped)
}

impl Store {
    /// Adds a course to the catalogue; its competences must name published frameworks' codes and levels.
    pub async fn create_course(&self, change: Change, c: &CourseDraft) -> Result<CourseId> {
        self.insert_course(change, c, None).await
    }

    async fn insert_course(&self, change: Change, c: &CourseDraft, copied_from: Option<CourseId>) -> Result<CourseId> {
        let mut tx = self.pool.begin().await?;
        let (kind, organiser_m, organiser_name) = organiser_columns(&c.organiser);
        let t = now();
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO course (region_id, title, summary, description, format, organiser_kind, organiser_municipality_id,
                 organiser_name, contact_name, contact_email, price_internal_ore, price_external_ore, language,
                 visibility_municipality_id, completion_all_days, copied_from, created_by, created_at, updated_at,
                 requires_approval, offer_hours)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $18, $19, $20)
             RETURNING id",
        )
        .bind(c.region.0)
        .bind(c.title.clone())
        .bind(c.summary.clone())
        .bind(c.description.clone())
        .bind(c.format.code())
        .bind(kind)
        .bind(organiser_m)
        .bind(organiser_name)
        .bind(c.contact_name.clone())
        .bind(c.contact_email.clone())
        .bind(c.price_internal.0)
        .bind(c.price_external.0)
        .bind(c.language.clone())
        .bind(visibility_column(c.visibility))
        .bind(i64::from(c.completion_all_days))
        .bind(copied_from.map(|c| c.0))
        .bind(change.actor.map(|p| p.0))
        .bind(t)
        .bind(i64::from(c.requires_approval))
        .bind(c.offer_hours.unwrap_or(0))
        .fetch_one(&mut *tx)
        .await?;
        // Written first, read after: on SQLite a transaction that reads and then writes fails at once
        // ("database is locked") if another connection committed in between; one that writes first waits its turn.
        check_competences(&mut tx, &c.competences).await?;
        write_course_parts(&mut tx, CourseId(id), c).await?;
        audit::record(
            &mut tx,
            change,
            if copied_from.is_some() { "copy" } else { "create" },
            "course",
            id,
            None::<&()>,
            Some(c),
        )
        .await?;
        catalogue::bump_version(&mut tx).await?;
        tx.commit().await?;
        self.catalogue_changed();
        Ok(CourseId(id))
    }

    pub async fn update_course(&self, change: Change, id: CourseId, c: &CourseDraft) -> Result<()> {
        let before = self.course(id).await?;
        let mut tx = self.pool.begin().await?;
        let (kind, organiser_m, organiser_name) = organiser_columns(&c.organiser);
        sqlx::query(
            "UPDATE course SET title = $2, summary = $3, description = $4, format = $5, organiser_kind = $6,
                 organiser_municipality_id = $7, organiser_name = $8, contact_name = $9, contact_email = $10,
                 price_internal_ore = $11, price_external_ore = $12, language = $13, visibility_municipality_id = $14,
                 updated_at = $15, requires_approval = $16, offer_hours = $17
             WHERE id = $1",
        )
        .bind(id.0)
        .bind(c.title.clone())
        .bind(c.summary.clone())
        .bind(c.description.clone())
        .bind(c.format.code())
        .bind(kind)
        .bind(organiser_m)
        .bind(organiser_name)
        .bind(c.contact_name.clone())
        .bind(c.contact_email.clone())
        .bind(c.price_internal.0)
        .bind(c.price_external.0)
        .bind(c.language.clone())
        .bind(visibility_column(c.visibility))
        .bind(now())
        .bind(i64::from(c.requires_approval))
        .bind(c.offer_hours.unwrap_or(0))
        .execute(&mut *tx)
        .await?;
        check_competences(&mut tx, &c.competences).await?;
        write_course_parts(&mut tx, id, c).await?;
        audit::record(&mut tx, change, "update", "course", id.0, Some(&before.draft), Some(c)).await?;
        catalogue::bump_version(&mut tx).await?;
        tx.commit().await?;
        self.catalogue_changed();
        Ok(())
    }

    /// A new course with the same description (no sessions), to be edited.
    pub async fn copy_course(&self, change: Change, id: CourseId) -> Result<CourseId> {
        let original = self.course(id).await?;
        self.insert_course(change, &original.draft, Some(id)).await
    }

    pub async fn course(&self, id: CourseId) -> Result<Course> {
        let r = sqlx::query(
            "SELECT c.region_id, c.title, c.summary, c.description, c.format, c.organiser_kind, c.organiser_municipality_id,
                    c.organiser_name, c.contact_name, c.contact_email, c.price_internal_ore, c.price_external_ore,
                    c.language, c.visibility_municipality_id, c.completion_all_days, c.copied_from, m.name,
                    c.requires_approval, c.offer_hours
             FROM course c LEFT JOIN municipality m ON m.id = c.organiser_municipality_id WHERE c.id = $1",
        )
        .bind(id.0)
        .fetch_optional(&self.pool)
        .await?
        .ok_or(DomainError::NotFound)?;
        let organiser = match (r.try_get::<String, _>(5)?.as_str(), r.try_get::<Option<i64>, _>(6)?) {
            ("municipality", Some(m)) => Organiser::Municipality(MunicipalityId(m)),
            ("external", _) => Organiser::External(r.try_get(7)?),
            _ => Organiser::Region,
        };
        let competences = sqlx::query(
            "SELECT framework_key, competence, level FROM course_competence WHERE course_id = $1 ORDER BY framework_key, competence",
        )
        .bind(id.0)
        .fetch_all(&self.pool)
        .await?
        .iter()
        .map(|r| Ok(CompetenceRef { framework_key: r.try_get(0)?, competence: r.try_get(1)?, level: r.try_get(2)? }))
        .collect::<Result<Vec<_>>>()?;
        let groups: Vec<String> =
            sqlx::query_scalar("SELECT role_group FROM course_target_group WHERE course_id = $1 ORDER BY role_group")
                .bind(id.0)
                .fetch_all(&self.pool)
                .await?;
        let mut target_groups: Vec<RoleGroup> = groups.iter().filter_map(|g| RoleGroup::parse(g).ok()).collect();
        target_groups.sort();
        let draft = CourseDraft {
            region: RegionId(r.try_get(0)?),
            title: r.try_get(1)?,
            summary: r.try_get(2)?,
            description: r.try_get(3)?,
            competences,
            target_groups,
            format: Format::parse(&r.try_get::<String, _>(4)?)?,
            organiser,
            contact_name: r.try_get(8)?,
            contact_email: r.try_get(9)?,
            price_internal: Ore(r.try_get(10)?),
            price_external: Ore(r.try_get(11)?),
            language: r.try_get(12)?,
            visibility: r
                .try_get::<Option<i64>, _>(13)?
                .map_or(Visibility::Region, |m| Visibility::Municipality(MunicipalityId(m))),
            completion_all_days: r.try_get::<i64, _>(14)? != 0,
            requires_approval: r.try_get::<i64, _>(17)? != 0,
            offer_hours: Some(r.try_get::<i64, _>(18)?).filter(|h| *h > 0),
        };
        Ok(Course {
            id,
            draft,
            copied_from: r.try_get::<Option<i64>, _>(15)?.map(CourseId),
            organiser_municipality_name: r.try_get(16)?,
        })
    }

    /// Adds one session, or a series (the caller builds it with `domain::courses::session::series`).
    pub async fn create_sessions(
        &self,
        change: Change,
        course: CourseId,
        sessions: &[SessionDraft],
    ) -> Result<Vec<SessionId>> {
        self.course(course).await?;
        let mut tx = self.pool.begin().await?;
        let mut ids = Vec::new();
        for s in sessions {
            let id = insert_session(&mut tx, course, s).await?;
            audit::record(&mut tx, change, "create", "course_session", id.0, None::<&()>, Some(s)).await?;
            ids.push(id);
        }
        catalogue::bump_version(&mut tx).await?;
        tx.commit().await?;
        self.catalogue_changed();
        Ok(ids)
    }

    /// Changes a session. Capacity and quotas may not drop below those confirmed; seats added go to the waitlist
    /// at once (returned, in order, and told). When the days, venue, room or online link change, the session's
    /// revision goes up and everyone with a seat or on the waitlist is told, with the updated calendar entry; all
    /// in the same transaction as the change.
    pub async fn update_session(
        &self,
        change: Change,
        id: SessionId,
        s: &SessionDraft,
        notify: Notify<'_>,
    ) -> Result<Vec<PersonId>> {
        let before = self.session(id).await?;
        let moved = before.draft.days != s.days
            || before.draft.venue != s.venue
            || before.draft.room != s.room
            || before.draft.online_link != s.online_link;
        let mut tx = self.pool.begin().await?;
        let promoted = booking::resize_in(&mut tx, id, s.capacity, &s.quotas, notify).await?;
        let first = s.days.first().map_or(0, |d| d.starts_at);
        let last = s.days.iter().map(|d| d.ends_at).max().unwrap_or(0);
        sqlx::query(
            "UPDATE course_session SET venue = $2, room = $3, online_link = $4, enrolment_opens_at = $5,
                 enrolment_closes_at = $6, cancellation_deadline = $7, instructors = $8, first_starts_at = $9, last_ends_at = $10
             WHERE id = $1",
        )
        .bind(id.0)
        .bind(s.venue.clone())
        .bind(s.room.clone())
        .bind(s.online_link.clone())
        .bind(s.enrolment_opens_at)
        .bind(s.enrolment_closes_at)
        .bind(s.cancellation_deadline)
        .bind(s.instructors.join("\n"))
        .bind(first)
        .bind(last)
        .execute(&mut *tx)
        .await?;
        let dropped = write_days(&mut tx, id, &s.days).await?;
        audit::record(&mut tx, change, "update", "course_session", id.0, Some(&before.draft), Some(s)).await?;
        if moved {
            sqlx::query("UPDATE course_session SET revision = revision + 1 WHERE id = $1")
                .bind(id.0)
                .execute(&mut *tx)
                .await?;
        }
        booking::tell_handed(&mut tx, notify, id, &promoted).await?;
        let promoted: Vec<PersonId> = promoted.into_iter().map(|h| h.person).collect();
        if moved {
            let affected: Vec<i64> = sqlx::query_scalar(
                "SELECT person_id FROM enrolment WHERE session_id = $1 AND status IN ('confirmed', 'offered', 'waitlisted')
                 ORDER BY arrival",
            )
            .bind(id.0)
            .fetch_all(&mut *tx)
            .await?;
            for person in affected.into_iter().map(PersonId) {
                // Those just promoted have their confirmation with the new times already.
                if !promoted.contains(&person) {
                    booking::queue_notice_with(&mut tx, notify, NoticeKind::SessionChanged, id, person, &dropped)
                        .await?;
                }
            }
        }
        catalogue::bump_version(&mut tx).await?;
        tx.commit().await?;
        self.catalogue_changed();
        self.seats_changed();
        Ok(promoted)
    }

    /// Cancels a session: nobody can enrol any more; enrolments stay as they are for the record, and everyone
    /// with a seat or on the waitlist is told (in the same transaction, through the outbox).
    pub async fn cancel_session(&self, change: Change, id: SessionId, notify: Notify<'_>) -> Result<()> {
        let mut tx = self.pool.begin().await?;
        let n = sqlx::query(
            "UPDATE course_session SET status = 'cancelled', revision = revision + 1 WHERE id = $1 AND status <> 'cancelled'",
        )
            .bind(id.0)
            .execute(&mut *tx)
            .await?
            .rows_affected();
        if n == 0 {
            return Err(DomainError::Conflict { field: "session", code: "session-cancelled" }.into());
        }
        audit::record(&mut tx, change, "cancel", "course_session", id.0, None::<&()>, Some(&"cancelled")).await?;
        let affected: Vec<i64> = sqlx::query_scalar(
            "SELECT person_id FROM enrolment WHERE session_id = $1 AND status IN ('confirmed', 'offered', 'waitlisted')
             ORDER BY arrival",
        )
        .bind(id.0)
        .fetch_all(&mut *tx)
        .await?;
        for person in affected {
            booking::queue_notice(&mut tx, notify, NoticeKind::SessionCancelled, id, PersonId(person)).await?;
        }
        catalogue::bump_version(&mut tx).await?;
        tx.commit().await?;
        self.catalogue_changed();
        Ok(())
    }

    /// Queues the reminder for every confirmed seat in a session that starts within `days_before` days of `now`
    /// (unix seconds), once per enrolment; those confirmed inside that window already had their confirmation
    /// and get none. Each reminder is marked and queued in one transaction, so two servers never send it twice.
    pub async fn queue_course_reminders(&self, now: i64, days_before: i64, notify: Notify<'_>) -> Result<usize> {
        if days_before <= 0 {
            return Ok(0);
        }
        let window = days_before * 86_400;
        let due: Vec<(i64, i64, i64)> = sqlx::query(
            "SELECT e.id, e.session_id, e.person_id FROM enrolment e JOIN course_session s ON s.id = e.session_id
             WHERE e.status = 'confirmed' AND e.reminded_at IS NULL AND s.status <> 'cancelled'
               AND s.first_starts_at > $1 AND s.first_starts_at <= $1 + $2
               AND COALESCE(e.confirmed_at, e.enrolled_at) < s.first_starts_at - $2
             ORDER BY s.first_starts_at, e.id",
        )
        .bind(now)
        .bind(window)
        .fetch_all(&self.pool)
        .await?
        .iter()
        .map(|r| Ok((r.try_get(0)?, r.try_get(1)?, r.try_get(2)?)))
        .collect::<Result<_>>()?;
        let mut queued = 0;
        for (enrolment, session, person) in due {
            let mut tx = self.pool.begin().await?;
            let claimed = sqlx::query(
                "UPDATE enrolment SET reminded_at = $2 WHERE id = $1 AND reminded_at IS NULL AND status = 'confirmed'",
            )
            .bind(enrolment)
            .bind(now)
            .execute(&mut *tx)
            .await?
            .rows_affected();
            if claimed == 1 {
                booking::queue_notice(&mut tx, notify, NoticeKind::Reminder, SessionId(session), PersonId(person))
                    .await?;
                queued += 1;
            }
            tx.commit().await?;
        }
        Ok(queued)
    }

    pub async fn sessions(&self, course: CourseId) -> Result<Vec<SessionView>> {
        let ids: Vec<i64> =
            sqlx::query_scalar("SELECT id FROM course_session WHERE course_id = $1 ORDER BY first_starts_at, id")
                .bind(course.0)
                .fetch_all(&self.pool)
                .await?;
        let mut out = Vec::with_capacity(ids.len());
        for id in ids {
            out.push(self.session(SessionId(id)).await?);
        }
        Ok(out)
    }

    /// Whose a session's course is, for a visibility check without reading the whole course: its id, region and
    /// audience.
    pub async fn session_audience(&self, id: SessionId) -> Result<(CourseId, RegionId, Visibility)> {
        // Kept for a second: every request of an enrolment rush asks it for the same session.
        self.session_audiences.get_or_read(id.0, self.read_session_audience(id)).await
    }

    async fn read_session_audience(&self, id: SessionId) -> Result<(CourseId, RegionId, Visibility)> {
        let r = sqlx::query(
            "SELECT c.id, c.region_id, c.visibility_municipality_id FROM course_session s
             JOIN course c ON c.id = s.course_id WHERE s.id = $1",
        )
        .bind(id.0)
        .fetch_optional(&self.pool)
        .await?
        .ok_or(DomainError::NotFound)?;
        let visibility =
            r.try_get::<Option<i64>, _>(2)?.map_or(Visibility::Region, |m| Visibility::Municipality(MunicipalityId(m)));
        Ok((CourseId(r.try_get(0)?), RegionId(r.try_get(1)?), visibility))
    }

    pub async fn session(&self, id: SessionId) -> Result<SessionView> {
        let r = sqlx::query(
            "SELECT course_id, venue, room, online_link, capacity, enrolment_opens_at, enrolment_closes_at,
                    cancellation_deadline, instructors, status,
                    (SELECT COUNT(*) FROM enrolment e WHERE e.session_id = s.id AND e.status = 'confirmed'),
                    (SELECT COUNT(*) FROM enrolment e WHERE e.session_id = s.id AND e.status = 'waitlisted'),
                    revision,
                    (SELECT COUNT(*) FROM enrolment e WHERE e.session_id = s.id AND e.status = 'offered'),
                    (SELECT CAST(COALESCE(SUM(r.seats_left), 0) AS BIGINT) FROM seat_reservation r WHERE r.session_id = s.id)
             FROM course_session s WHERE id = $1",
        )
        .bind(id.0)
        .fetch_optional(&self.pool)
        .await?
        .ok_or(DomainError::NotFound)?;
        let days = sqlx::query("SELECT starts_at, ends_at FROM session_day WHERE session_id = $1 ORDER BY starts_at")
            .bind(id.0)
            .fetch_all(&self.pool)
            .await?
            .iter()
            .map(|d| Ok(MeetingDay { starts_at: d.try_get(0)?, ends_at: d.try_get(1)? }))
            .collect::<Result<Vec<_>>>()?;
        let quotas = sqlx::query(
            "SELECT municipality_id, seats FROM session_quota WHERE session_id = $1 ORDER BY municipality_id",
        )
        .bind(id.0)
        .fetch_all(&self.pool)
        .await?
        .iter()
        .map(|q| Ok((MunicipalityId(q.try_get(0)?), q.try_get(1)?)))
        .collect::<Result<Vec<_>>>()?;
        let instructors: String = r.try_get(8)?;
        Ok(SessionView {
            id,
            course: CourseId(r.try_get(0)?),
            draft: SessionDraft {
                days,
                venue: r.try_get(1)?,
                room: r.try_get(2)?,
                online_link: r.try_get(3)?,
                capacity: r.try_get(4)?,
                quotas,
                enrolment_opens_at: r.try_get(5)?,
                enrolment_closes_at: r.try_get(6)?,
                cancellation_deadline: r.try_get(7)?,
                instructors: instructors.lines().map(str::to_string).collect(),
            },
            cancelled: r.try_get::<String, _>(9)? == "cancelled",
            confirmed: r.try_get(10)?,
            waitlisted: r.try_get(11)?,
            revision: r.try_get(12)?,
            offered: r.try_get(13)?,
            reserved: r.try_get(14)?,
        })
    }

    /// Everyone enrolled in a session, confirmed first, then open offers, then the waitlist in arrival order, then
    /// the ended ones.
    pub async fn participants(&self, session: SessionId) -> Result<Vec<Participant>> {
        let rows = sqlx::query(
            "SELECT p.id, p.given_name, p.family_name, m.name, e.status, e.late, e.arrival, e.id, e.completed_at,
                 e.offer_expires_at FROM enrolment e
             JOIN person p ON p.id = e.person_id JOIN municipality m ON m.id = e.municipality_id
             WHERE e.session_id = $1
             ORDER BY CASE e.status WHEN 'confirmed' THEN 0 WHEN 'offered' THEN 1 WHEN 'waitlisted' THEN 2
                 WHEN 'pending' THEN 3 ELSE 4 END,
                 e.arrival",
        )
        .bind(session.0)
        .fetch_all(&self.pool)
        .await?;
        let mut position = 0;
        let waiting = rows.iter().filter(|r| r.try_get::<String, _>(4).is_ok_and(|s| s == "waitlisted")).count() as i64;
        rows.iter()
            .map(|r| {
                let status: String = r.try_get(4)?;
                // The list is in arrival order, so the waitlist position is counted as it is read.
                let state = match booking::state_of(&status, r.try_get(5)?, r.try_get(9)?) {
                    EnrolmentState::Waitlisted { .. } => {
                        position += 1;
                        EnrolmentState::Waitlisted { position, of: waiting }
                    }
                    other => other,
                };
                Ok(Participant {
                    enrolment: EnrolmentId(r.try_get(7)?),
                    completed: status == "confirmed" && r.try_get::<Option<i64>, _>(8)?.is_some(),
                    person: PersonId(r.try_get(0)?),
                    name: format!("{} {}", r.try_get::<String, _>(1)?, r.try_get::<String, _>(2)?),
                    municipality: r.try_get(3)?,
                    state,
                    arrival: r.try_get(6)?,
                })
            })
            .collect()
    }
}

/// A person's sessions for their calendar: confirmed seats, with cancelled sessions kept so calendars drop them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CalendarItem {
    pub course: CourseId,
    pub title: String,
    pub session: SessionView,
}

impl Store {
    /// Makes (or replaces) the person's secret calendar-feed token; only its SHA-256 is stored.
    pub async fn renew_calendar_feed(&self, person: PersonId) -> Result<String> {
        let token = crate::accounts::new_token();
        let mut tx = self.pool.begin().await?;
        sqlx::query("DELETE FROM calendar_feed WHERE person_id = $1").bind(person.0).execute(&mut *tx).await?;
        sqlx::query("INSERT INTO calendar_feed (person_id, token_hash, created_at) VALUES ($1, $2, $3)")
            .bind(person.0)
            .bind(crate::accounts::token_hash(&token))
            .bind(now())
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(token)
    }

    /// Whose feed a token opens; an unknown or altered token is `NotFound`.
    pub async fn calendar_feed_person(&self, token: &str) -> Result<PersonId> {
        let id: Option<i64> = sqlx::query_scalar("SELECT person_id FROM calendar_feed WHERE token_hash = $1")
            .bind(crate::accounts::token_hash(token))
            .fetch_optional(&self.pool)
            .await?;
        id.map(PersonId).ok_or_else(|| DomainError::NotFound.into())
    }

    pub async fn has_calendar_feed(&self, person: PersonId) -> Result<bool> {
        let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM calendar_feed WHERE person_id = $1")
            .bind(person.0)
            .fetch_one(&self.pool)
            .await?;
        Ok(n > 0)
    }

    /// Sessions the person holds a confirmed seat in, soonest first.
    pub async fn calendar_items(&self, person: PersonId) -> Result<Vec<CalendarItem>> {
        let rows = sqlx::query(
            "SELECT s.id, c.id, c.title FROM enrolment e JOIN course_session s ON s.id = e.session_id
             JOIN course c ON c.id = s.course_id
             WHERE e.person_id = $1 AND e.status = 'confirmed' ORDER BY s.first_starts_at, s.id",
        )
        .bind(person.0)
        .fetch_all(&self.pool)
        .await?;
        let mut out = Vec::with_capacity(rows.len());
        for r in &rows {
            let session = self.session(SessionId(r.try_get(0)?)).await?;
            out.push(CalendarItem { course: CourseId(r.try_get(1)?), title: r.try_get(2)?, session });
        }
        Ok(out)
    }
}
