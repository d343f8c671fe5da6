//! Booking under the session's lock: cancelling, offers, approvals, and the steps enrolment shares
//! (`courses::enrolment` books enrolments, many per transaction). Every booking transaction first writes the
//! session row (`lock_session`): on PostgreSQL that locks the row like `SELECT … FOR UPDATE`, so bookings of one
//! session run one at a time; on SQLite a transaction that writes first waits for the write lock (busy_timeout)
//! instead of failing with "database is locked" later (see the mapping submit). Everything after runs on exact
//! counts, and the answer is given only after the commit.
//!
//! A course may give freed seats as offers with an answer time (`course.offer_hours`): the seat is held for
//! the first waiting (status `offered`, counted as taken everywhere the rule counts seats) until they accept,
//! decline or the deadline passes; then it goes to the next. Offers past their deadline are lapsed here, after
//! the lock, by every booking transaction, and by the periodic job (`Store::pass_on_lapsed_offers`).

use super::{Mail, Notice, NoticeKind, Notify};
use crate::audit::{self, Change};
use crate::sql::Sql;
use crate::{Result, Store, now};
use loft_domain::DomainError;
use loft_domain::courses::booking::{self, EnrolmentState, Promotion, Seats, Waiting};
use loft_domain::courses::{CourseId, EnrolmentId, SessionId, Visibility};
use loft_domain::ids::{MunicipalityId, PersonId};
use serde::Serialize;
use sqlx::{Any, Row, Transaction};
use std::collections::{BTreeMap, HashMap};

/// Another session of the person's that overlaps in time (a warning, not a refusal).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Overlap {
    pub course: CourseId,
    pub title: String,
    pub session: SessionId,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct EnrolOutcome {
    pub enrolment: EnrolmentId,
    pub state: EnrolmentState,
    /// The person was already enrolled (a double click): nothing changed.
    pub already: bool,
    pub overlaps: Vec<Overlap>,
}

/// A request for a place that waits for a manager's or coordinator's decision.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PendingRequest {
    pub session: SessionId,
    pub course: CourseId,
    pub course_title: String,
    pub starts_at: i64,
    pub person: PersonId,
    pub name: String,
    pub municipality: String,
    pub requested_at: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CancelOutcome {
    pub state: EnrolmentState,
    /// People the freed seat went to from the waitlist (confirmed, or offered when the course gives an answer
    /// time), in order.
    pub promoted: Vec<PersonId>,
}

/// A seat handed on from the waitlist: confirmed at once, or offered until `offer` (unix seconds).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Handed {
    pub person: PersonId,
    pub offer: Option<i64>,
}

pub(super) struct Locked {
    pub arrival: i64,
    pub capacity: i64,
    pub cancelled: bool,
    pub opens_at: i64,
    pub closes_at: i64,
    deadline: i64,
    /// The earliest answer deadline of the session's offers and release time of its reserved seats, read with
    /// the lock so that a transaction with nothing due skips those updates. On PostgreSQL they come from the
    /// statement's snapshot, which may predate a transaction this one waited for; what that one added is not
    /// due yet (new deadlines lie ahead), and anything missed is passed on by the next booking or the job.
    next_offer_deadline: Option<i64>,
    next_release: Option<i64>,
}

/// Takes the session's lock (first statement of the transaction) and reads what the rule needs.
pub(super) async fn lock_session(tx: &mut Transaction<'_, Any>, session: SessionId, arrive: bool) -> Result<Locked> {
    let row = sqlx::query(
        "UPDATE course_session SET arrivals = arrivals + $2 WHERE id = $1
         RETURNING arrivals, capacity, status, enrolment_opens_at, enrolment_closes_at, cancellation_deadline,
           (SELECT MIN(offer_expires_at) FROM enrolment WHERE session_id = $1 AND status = 'offered'),
           (SELECT MIN(release_at) FROM seat_reservation WHERE session_id = $1 AND seats_left > 0)",
    )
    .bind(session.0)
    .bind(i64::from(arrive))
    .fetch_optional(&mut **tx)
    .await?
    .ok_or(DomainError::NotFound)?;
    Ok(Locked {
        arrival: row.try_get(0)?,
        capacity: row.try_get(1)?,
        cancelled: row.try_get::<String, _>(2)? == "cancelled",
        opens_at: row.try_get(3)?,
        closes_at: row.try_get(4)?,
        deadline: row.try_get(5)?,
        next_offer_deadline: row.try_get(6)?,
        next_release: row.try_get(7)?,
    })
}

/// Seats held per municipality: confirmed and offered (an offered seat is taken until it is answered), and
/// reserved seats not yet named or released.
pub(super) async fn held_by_municipality(
    tx: &mut Transaction<'_, Any>,
    session: SessionId,
) -> Result<BTreeMap<MunicipalityId, i64>> {
    let rows = sqlx::query(
        "SELECT municipality_id, COUNT(*) FROM enrolment WHERE session_id = $1 AND status IN ('confirmed', 'offered')
         GROUP BY municipality_id
         UNION ALL
         SELECT municipality_id, seats_left FROM seat_reservation WHERE session_id = $1 AND seats_left > 0",
    )
    .bind(session.0)
    .fetch_all(&mut **tx)
    .await?;
    let mut held = BTreeMap::new();
    for r in &rows {
        *held.entry(MunicipalityId(r.try_get(0)?)).or_insert(0) += r.try_get::<i64, _>(1)?;
    }
    Ok(held)
}

/// Who the session's course is for, and whether a person's own enrolment waits for a manager's approval.
pub(super) async fn audience_and_approval(
    tx: &mut Transaction<'_, Any>,
    session: SessionId,
) -> Result<(Visibility, bool)> {
    let course = sqlx::query(
        "SELECT c.visibility_municipality_id, c.requires_approval FROM course_session s
         JOIN course c ON c.id = s.course_id WHERE s.id = $1",
    )
    .bind(session.0)
    .fetch_one(&mut **tx)
    .await?;
    let visibility = course
        .try_get::<Option<i64>, _>(0)?
        .map_or(Visibility::Region, |m| Visibility::Municipality(MunicipalityId(m)));
    Ok((visibility, course.try_get::<i64, _>(1)? != 0))
}

/// The session's seats as the booking rule sees them for someone of `municipality` (under the session's lock).
pub(super) async fn seats_for(
    tx: &mut Transaction<'_, Any>,
    session: SessionId,
    locked: &Locked,
    municipality: MunicipalityId,
) -> Result<Seats> {
    let held = held_by_municipality(tx, session).await?;
    Ok(Seats {
        capacity: locked.capacity,
        confirmed: held.values().sum(),
        quota: quotas(tx, session).await?.get(&municipality).copied(),
        confirmed_in_municipality: held.get(&municipality).copied().unwrap_or(0),
    })
}

pub(super) async fn quotas(tx: &mut Transaction<'_, Any>, session: SessionId) -> Result<BTreeMap<MunicipalityId, i64>> {
    let rows = sqlx::query("SELECT municipality_id, seats FROM session_quota WHERE session_id = $1")
        .bind(session.0)
        .fetch_all(&mut **tx)
        .await?;
    rows.iter().map(|r| Ok((MunicipalityId(r.try_get(0)?), r.try_get(1)?))).collect()
}

/// Place `position` of `of` on the waitlist for an enrolment with this arrival number.
pub(super) async fn waitlist_place(
    tx: &mut Transaction<'_, Any>,
    session: SessionId,
    arrival: i64,
) -> Result<EnrolmentState> {
    let row = sqlx::query(
        "SELECT COALESCE(SUM(CASE WHEN arrival <= $2 THEN 1 ELSE 0 END), 0), COUNT(*)
         FROM enrolment WHERE session_id = $1 AND status = 'waitlisted'",
    )
    .bind(session.0)
    .bind(arrival)
    .fetch_one(&mut **tx)
    .await?;
    Ok(EnrolmentState::Waitlisted { position: row.try_get(0)?, of: row.try_get(1)? })
}

/// The state a stored status stands for (a waitlist place without its position).
pub(super) fn state_of(status: &str, late: i64, offer_expires_at: Option<i64>) -> EnrolmentState {
    match status {
        "confirmed" => EnrolmentState::Confirmed,
        "waitlisted" => EnrolmentState::Waitlisted { position: 0, of: 0 },
        "left" => EnrolmentState::LeftWaitlist,
        "pending" => EnrolmentState::Pending,
        "rejected" => EnrolmentState::Rejected,
        "offered" => EnrolmentState::Offered { expires_at: offer_expires_at.unwrap_or(0) },
        "declined" => EnrolmentState::OfferDeclined,
        "lapsed" => EnrolmentState::OfferLapsed,
        _ => EnrolmentState::Cancelled { late: late != 0 },
    }
}

/// Fills free seats from the waitlist, first come first served within the quotas, at time `t`: confirmed at
/// once, or offered until a deadline when the course gives an answer time; returns who got a seat, in order.
pub(super) async fn promote(
    tx: &mut Transaction<'_, Any>,
    session: SessionId,
    capacity: i64,
    t: i64,
) -> Result<Vec<Handed>> {
    let quotas = quotas(tx, session).await?;
    let mut confirmed = held_by_municipality(tx, session).await?;
    let course = sqlx::query(
        "SELECT c.offer_hours, s.first_starts_at FROM course_session s JOIN course c ON c.id = s.course_id WHERE s.id = $1",
    )
    .bind(session.0)
    .fetch_one(&mut **tx)
    .await?;
    let offer_hours = Some(course.try_get::<i64, _>(0)?);
    let starts_at: i64 = course.try_get(1)?;
    let rows = sqlx::query(
        "SELECT id, municipality_id, person_id FROM enrolment WHERE session_id = $1 AND status = 'waitlisted' ORDER BY arrival",
    )
    .bind(session.0)
    .fetch_all(&mut **tx)
    .await?;
    let mut waiting = Vec::with_capacity(rows.len());
    let mut people = BTreeMap::new();
    for r in &rows {
        let id = EnrolmentId(r.try_get(0)?);
        waiting.push(Waiting { id, municipality: MunicipalityId(r.try_get(1)?) });
        people.insert(id, PersonId(r.try_get(2)?));
    }
    let mut promoted = Vec::new();
    while let Some(id) = booking::next_to_promote(capacity, &quotas, &confirmed, &waiting) {
        let Some(pos) = waiting.iter().position(|w| w.id == id) else { break };
        let w = waiting.remove(pos);
        let offer = match booking::promotion(t, offer_hours, starts_at) {
            Promotion::Confirm => {
                sqlx::query("UPDATE enrolment SET status = 'confirmed', confirmed_at = $1 WHERE id = $2")
                    .bind(t)
                    .bind(id.0)
                    .execute(&mut **tx)
                    .await?;
                None
            }
            Promotion::Offer { expires_at } => {
                sqlx::query("UPDATE enrolment SET status = 'offered', offer_expires_at = $1 WHERE id = $2")
                    .bind(expires_at)
                    .bind(id.0)
                    .execute(&mut **tx)
                    .await?;
                Some(expires_at)
            }
        };
        *confirmed.entry(w.municipality).or_insert(0) += 1;
        promoted.push(Handed { person: people[&id], offer });
    }
    Ok(promoted)
}

/// Tells those a seat was handed to: a confirmation with the calendar entry, or the offer with its deadline.
pub(super) async fn tell_handed(
    tx: &mut Transaction<'_, Any>,
    notify: Notify<'_>,
    session: SessionId,
    handed: &[Handed],
) -> Result<()> {
    let told: Vec<_> = handed
        .iter()
        .map(|h| match h.offer {
            None => (h.person, NoticeKind::Promoted, notify),
            Some(expires_at) => (h.person, NoticeKind::Offered { expires_at }, notify),
        })
        .collect();
    queue_notices(tx, session, &told, &[]).await
}

/// Lapses the session's offers whose deadline has passed at `t` (the caller holds the session's lock) and tells
/// those people; the caller hands the seats on. Returns whose offer lapsed. A cancelled session's offers stay.
async fn lapse(
    tx: &mut Transaction<'_, Any>,
    notify: Notify<'_>,
    session: SessionId,
    locked: &Locked,
    t: i64,
) -> Result<Vec<PersonId>> {
    if locked.cancelled || locked.next_offer_deadline.is_none_or(|d| d > t) {
        return Ok(Vec::new());
    }
    let lapsed: Vec<PersonId> = sqlx::query_scalar(
        "UPDATE enrolment SET status = 'lapsed', ended_at = $2
         WHERE session_id = $1 AND status = 'offered' AND offer_expires_at <= $2 RETURNING person_id",
    )
    .bind(session.0)
    .bind(t)
    .fetch_all(&mut **tx)
    .await?
    .into_iter()
    .map(PersonId)
    .collect();
    let told: Vec<_> = lapsed.iter().map(|p| (*p, NoticeKind::OfferLapsed, notify)).collect();
    queue_notices(tx, session, &told, &[]).await?;
    Ok(lapsed)
}

/// Releases the unnamed seats of the session's reservations due at `t` (the caller holds the session's lock and
/// hands the seats on); returns how many reservations that released. A cancelled session's reservations stay.
async fn release_due(tx: &mut Transaction<'_, Any>, session: SessionId, locked: &Locked, t: i64) -> Result<i64> {
    if locked.cancelled || locked.next_release.is_none_or(|r| r > t) {
        return Ok(0);
    }
    let released: Vec<i64> = sqlx::query_scalar(
        "UPDATE seat_reservation SET seats_left = 0, released_at = $2
         WHERE session_id = $1 AND seats_left > 0 AND release_at <= $2 RETURNING id",
    )
    .bind(session.0)
    .bind(t)
    .fetch_all(&mut **tx)
    .await?;
    Ok(released.len() as i64)
}

/// Lapses the offers past their deadline and releases reserved seats past theirs, and hands those seats on at
/// once, everyone concerned told. Returns whose offer lapsed.
pub(super) async fn pass_on_lapsed(
    tx: &mut Transaction<'_, Any>,
    notify: Notify<'_>,
    session: SessionId,
    locked: &Locked,
    t: i64,
) -> Result<Vec<PersonId>> {
    let lapsed = lapse(tx, notify, session, locked, t).await?;
    let released = release_due(tx, session, locked, t).await?;
    if !lapsed.is_empty() || released > 0 {
        let handed = promote(tx, session, locked.capacity, t).await?;
        tell_handed(tx, notify, session, &handed).await?;
    }
    Ok(lapsed)
}

/// Sessions of the person's, other than this one, whose meeting days overlap this one's.
pub(super) async fn overlaps(
    tx: &mut Transaction<'_, Any>,
    session: SessionId,
    person: PersonId,
) -> Result<Vec<Overlap>> {
    Ok(overlaps_of(tx, session, &[person.0]).await?.remove(&person).unwrap_or_default())
}

/// As [`overlaps`], for each of `people` (ids) at once.
pub(super) async fn overlaps_of(
    tx: &mut Transaction<'_, Any>,
    session: SessionId,
    people: &[i64],
) -> Result<HashMap<PersonId, Vec<Overlap>>> {
    let mut found: HashMap<PersonId, Vec<Overlap>> = HashMap::new();
    if people.is_empty() {
        return Ok(found);
    }
    let mut q = Sql::for_conn(
        tx,
        "SELECT DISTINCT e.person_id, c.id, c.title, s.id FROM enrolment e
         JOIN course_session s ON s.id = e.session_id
         JOIN course c ON c.id = s.course_id
         JOIN session_day theirs ON theirs.session_id = s.id
         JOIN session_day mine ON mine.session_id = ",
    );
    q.push_bind(session.0);
    q.push(" WHERE e.status IN ('confirmed', 'offered', 'waitlisted') AND e.session_id <> ");
    q.push_bind(session.0);
    q.push(
        " AND s.status <> 'cancelled' AND theirs.starts_at < mine.ends_at AND mine.starts_at < theirs.ends_at
         AND e.person_id IN ",
    );
    q.push_id_list(people);
    q.push(" ORDER BY e.person_id, s.id");
    for r in q.query()?.fetch_all(&mut **tx).await? {
        found.entry(PersonId(r.try_get(0)?)).or_default().push(Overlap {
            course: CourseId(r.try_get(1)?),
            title: r.try_get(2)?,
            session: SessionId(r.try_get(3)?),
        });
    }
    Ok(found)
}

/// Queues the e-mail for a booking event in the same transaction, if the caller writes one.
pub(super) async fn queue_notice(
    tx: &mut Transaction<'_, Any>,
    notify: Notify<'_>,
    kind: NoticeKind,
    session: SessionId,
    person: PersonId,
) -> Result<()> {
    queue_notice_with(tx, notify, kind, session, person, &[]).await
}

/// As `queue_notice`, telling also which meeting days a change removed.
pub(super) async fn queue_notice_with(
    tx: &mut Transaction<'_, Any>,
    notify: Notify<'_>,
    kind: NoticeKind,
    session: SessionId,
    person: PersonId,
    dropped_days: &[loft_domain::courses::session::MeetingDay],
) -> Result<()> {
    queue_notices(tx, session, &[(person, kind, notify)], dropped_days).await
}

/// Queues the e-mails for booking events of one session in the caller's transaction, each written by its own
/// `Notify`: the session and the people are read once, and the outbox rows are written with multi-row inserts.
pub(super) async fn queue_notices(
    tx: &mut Transaction<'_, Any>,
    session: SessionId,
    told: &[(PersonId, NoticeKind, Notify<'_>)],
    dropped_days: &[loft_domain::courses::session::MeetingDay],
) -> Result<()> {
    if told.is_empty() {
        return Ok(());
    }
    let about = session_for_mail(tx, session).await?;
    let mut people: Vec<i64> = told.iter().map(|(p, _, _)| p.0).collect();
    people.sort_unstable();
    people.dedup();
    let mut q = Sql::for_conn(
        tx,
        "SELECT p.id, p.email, p.given_name, a.locale FROM person p LEFT JOIN account a ON a.person_id = p.id WHERE p.id IN ",
    );
    q.push_id_list(&people);
    let mut recipients = HashMap::with_capacity(people.len());
    for r in q.query()?.fetch_all(&mut **tx).await? {
        recipients.insert(PersonId(r.try_get(0)?), Recipient::from_row(&r, 1)?);
    }
    let mails = write_notices(&about, &recipients, told, dropped_days)?;
    enqueue_mails(tx, &mails).await
}

/// What a booking e-mail says of the session, read once for all its notices.
#[derive(Debug, Clone)]
pub(super) struct SessionForMail {
    session: SessionId,
    course: CourseId,
    course_title: String,
    venue: String,
    room: String,
    revision: i64,
    days: Vec<loft_domain::courses::session::MeetingDay>,
}

pub(super) async fn session_for_mail(tx: &mut Transaction<'_, Any>, session: SessionId) -> Result<SessionForMail> {
    let course = sqlx::query(
        "SELECT c.id, c.title, s.venue, s.room, s.revision FROM course_session s
         JOIN course c ON c.id = s.course_id WHERE s.id = $1",
    )
    .bind(session.0)
    .fetch_one(&mut **tx)
    .await?;
    let days = sqlx::query("SELECT starts_at, ends_at FROM session_day WHERE session_id = $1 ORDER BY starts_at")
        .bind(session.0)
        .fetch_all(&mut **tx)
        .await?
        .iter()
        .map(|d| Ok(loft_domain::courses::session::MeetingDay { starts_at: d.try_get(0)?, ends_at: d.try_get(1)? }))
        .collect::<Result<Vec<_>>>()?;
    Ok(SessionForMail {
        session,
        course: CourseId(course.try_get(0)?),
        course_title: course.try_get(1)?,
        venue: course.try_get(2)?,
        room: course.try_get(3)?,
        revision: course.try_get(4)?,
        days,
    })
}

/// Whom a booking e-mail goes to: `email` is `None` for people without an address (no e-mail is written).
#[derive(Debug, Clone)]
pub(super) struct Recipient {
    pub email: Option<String>,
    pub given_name: String,
    pub locale: Option<String>,
}

impl Recipient {
    /// From `person.email`, `person.given_name` and `account.locale`, at column `first` onwards.
    pub(super) fn from_row(r: &sqlx::any::AnyRow, first: usize) -> Result<Recipient> {
        Ok(Recipient { email: r.try_get(first)?, given_name: r.try_get(first + 1)?, locale: r.try_get(first + 2)? })
    }
}

/// Writes the e-mails (no I/O, so a large batch can be written on another thread while the booking's statements
/// run). A person missing from `recipients` is an error: the caller read them in the same transaction.
pub(super) fn write_notices(
    about: &SessionForMail,
    recipients: &HashMap<PersonId, Recipient>,
    told: &[(PersonId, NoticeKind, Notify<'_>)],
    dropped_days: &[loft_domain::courses::session::MeetingDay],
) -> Result<Vec<Mail>> {
    let mut mails = Vec::with_capacity(told.len());
    for &(person, kind, notify) in told {
        let to = recipients.get(&person).ok_or(DomainError::NotFound)?;
        let Some(email) = &to.email else { continue };
        let notice = Notice {
            days: about.days.clone(),
            venue: about.venue.clone(),
            room: about.room.clone(),
            revision: about.revision,
            dropped_days: dropped_days.to_vec(),
            kind,
            email: email.clone(),
            given_name: to.given_name.clone(),
            locale: to.locale.clone(),
            course: about.course,
            course_title: about.course_title.clone(),
            session: about.session,
            person,
        };
        mails.extend(notify(&notice));
    }
    Ok(mails)
}

pub(super) async fn enqueue_mails(tx: &mut Transaction<'_, Any>, mails: &[Mail]) -> Result<()> {
    let queued: Vec<crate::outbox::Queued<'_>> = mails
        .iter()
        .map(|m| crate::outbox::Queued {
            to: &m.to,
            subject: &m.subject,
            body: &m.body,
            attachment: m.attachment.as_ref(),
        })
        .collect();
    crate::outbox::enqueue_all_in(tx, &queued).await
}

impl Store {
    /// Cancels a confirmed seat (late after the deadline; the seat is freed and goes to the first waiting),
    /// declines an offered seat (it goes to the next waiting), or takes the person off the waitlist.
    pub async fn cancel_enrolment(
        &self,
        change: Change,
        session: SessionId,
        person: PersonId,
        notify: Notify<'_>,
    ) -> Result<CancelOutcome> {
        self.end_enrolment(change, session, person, notify, false).await
    }

    /// Declines the seat offered to the person; it goes to the next waiting. Refused (`no-offer`) when the person
    /// holds no offer, so a stale page cannot cancel a seat already accepted.
    pub async fn decline_offer(
        &self,
        change: Change,
        session: SessionId,
        person: PersonId,
        notify: Notify<'_>,
    ) -> Result<CancelOutcome> {
        self.end_enrolment(change, session, person, notify, true).await
    }

    async fn end_enrolment(
        &self,
        change: Change,
        session: SessionId,
        person: PersonId,
        notify: Notify<'_>,
        only_offer: bool,
    ) -> Result<CancelOutcome> {
        let mut tx = self.pool.begin().await?;
        let locked = lock_session(&mut tx, session, false).await?;
        let t = now();
        // Offers past their deadline lapse first; their seats are handed on below with the one this frees, so
        // someone leaving the waitlist is not offered a seat on the way out.
        let lapsed = lapse(&mut tx, notify, session, &locked, t).await?;
        let released = release_due(&mut tx, session, &locked, t).await?;
        let row = sqlx::query(if only_offer {
            "SELECT id, status FROM enrolment WHERE session_id = $1 AND person_id = $2 AND status = 'offered'"
        } else {
            "SELECT id, status FROM enrolment
             WHERE session_id = $1 AND person_id = $2 AND status IN ('confirmed', 'offered', 'waitlisted', 'pending')"
        })
        .bind(session.0)
        .bind(person.0)
        .fetch_optional(&mut *tx)
        .await?
        .ok_or(DomainError::Conflict {
            field: "session",
            code: if only_offer { "no-offer" } else { "not-enrolled" },
        })?;
        let id: i64 = row.try_get(0)?;
        let status: String = row.try_get(1)?;
        let was_confirmed = status == "confirmed";
        let state = if status == "pending" {
            // A withdrawn request held nothing: it is simply no longer waiting for a decision.
            sqlx::query("UPDATE enrolment SET status = 'withdrawn', ended_at = $1 WHERE id = $2")
                .bind(t)
                .bind(id)
                .execute(&mut *tx)
                .await?;
            EnrolmentState::Cancelled { late: false }
        } else if was_confirmed {
            let late = booking::is_late(t, locked.deadline);
            sqlx::query("UPDATE enrolment SET status = 'cancelled', late = $1, ended_at = $2 WHERE id = $3")
                .bind(i64::from(late))
                .bind(t)
                .bind(id)
                .execute(&mut *tx)
                .await?;
            EnrolmentState::Cancelled { late }
        } else if status == "offered" {
            // Declining holds no charge and frees the held seat for the next waiting.
            sqlx::query("UPDATE enrolment SET status = 'declined', ended_at = $1 WHERE id = $2")
                .bind(t)
                .bind(id)
                .execute(&mut *tx)
                .await?;
            EnrolmentState::OfferDeclined
        } else {
            sqlx::query("UPDATE enrolment SET status = 'left', ended_at = $1 WHERE id = $2")
                .bind(t)
                .bind(id)
                .execute(&mut *tx)
                .await?;
            EnrolmentState::LeftWaitlist
        };
        // A seat freed (a cancelled or declined one, or a lapsed offer) goes to the first waiting.
        let freed = was_confirmed || status == "offered" || !lapsed.is_empty() || released > 0;
        let promoted =
            if freed && !locked.cancelled { promote(&mut tx, session, locked.capacity, t).await? } else { Vec::new() };
        if change.actor != Some(person) {
            let after = serde_json::json!({ "session": session, "person": person, "state": state });
            let action = if status == "offered" { "decline-offer" } else { "cancel" };
            audit::record(&mut tx, change, action, "enrolment", id, None::<&()>, Some(&after)).await?;
        }
        tell_handed(&mut tx, notify, session, &promoted).await?;
        tx.commit().await?;
        self.seats_changed();
        Ok(CancelOutcome { state, promoted: promoted.into_iter().map(|h| h.person).collect() })
    }

    /// Accepts the seat offered to the person: it becomes a confirmed seat and they get the confirmation with
    /// the calendar entry. After the deadline it is refused (`offer-expired`) and the seat goes to the next
    /// waiting in the same transaction, which is committed.
    pub async fn accept_offer(
        &self,
        change: Change,
        session: SessionId,
        person: PersonId,
        notify: Notify<'_>,
    ) -> Result<EnrolmentState> {
        let mut tx = self.pool.begin().await?;
        let locked = lock_session(&mut tx, session, false).await?;
        let t = now();
        let lapsed = pass_on_lapsed(&mut tx, notify, session, &locked, t).await?;
        let latest = sqlx::query(
            "SELECT id, status FROM enrolment WHERE session_id = $1 AND person_id = $2 ORDER BY id DESC LIMIT 1",
        )
        .bind(session.0)
        .bind(person.0)
        .fetch_optional(&mut *tx)
        .await?;
        let id = match latest {
            Some(r) if r.try_get::<String, _>(1)? == "offered" => r.try_get::<i64, _>(0)?,
            Some(r) if r.try_get::<String, _>(1)? == "lapsed" => {
                // Whether it lapsed just now or earlier, the answer came too late; what lapsed now is kept.
                if lapsed.is_empty() {
                    tx.rollback().await?;
                } else {
                    tx.commit().await?;
                    self.seats_changed();
                }
                return Err(DomainError::Conflict { field: "session", code: "offer-expired" }.into());
            }
            _ => return Err(DomainError::Conflict { field: "session", code: "no-offer" }.into()),
        };
        sqlx::query("UPDATE enrolment SET status = 'confirmed', confirmed_at = $1 WHERE id = $2")
            .bind(t)
            .bind(id)
            .execute(&mut *tx)
            .await?;
        let state = EnrolmentState::Confirmed;
        if change.actor != Some(person) {
            let after = serde_json::json!({ "session": session, "person": person, "state": state });
            audit::record(&mut tx, change, "accept-offer", "enrolment", id, None::<&()>, Some(&after)).await?;
        }
        queue_notice(&mut tx, notify, NoticeKind::Promoted, session, person).await?;
        tx.commit().await?;
        self.seats_changed();
        Ok(state)
    }

    /// Lapses every offer whose deadline has passed at `now` (unix seconds), releases reserved seats past their
    /// deadline, and hands the seats on, one session per transaction under its lock, so seats pass on even when
    /// nobody touches the session (the periodic job beside the course reminders). Returns how many offers lapsed.
    pub async fn pass_on_lapsed_offers(&self, now: i64, notify: Notify<'_>) -> Result<usize> {
        let sessions: Vec<i64> = sqlx::query_scalar(
            "SELECT e.session_id FROM enrolment e JOIN course_session s ON s.id = e.session_id
             WHERE e.status = 'offered' AND e.offer_expires_at <= $1 AND s.status <> 'cancelled'
             UNION
             SELECT r.session_id FROM seat_reservation r JOIN course_session s ON s.id = r.session_id
             WHERE r.seats_left > 0 AND r.release_at <= $1 AND s.status <> 'cancelled'
             ORDER BY 1",
        )
        .bind(now)
        .fetch_all(&self.pool)
        .await?;
        let mut lapsed = 0;
        for session in sessions.into_iter().map(SessionId) {
            let mut tx = self.pool.begin().await?;
            let locked = lock_session(&mut tx, session, false).await?;
            lapsed += pass_on_lapsed(&mut tx, notify, session, &locked, now).await?.len();
            tx.commit().await?;
        }
        if lapsed > 0 {
            self.seats_changed();
        }
        Ok(lapsed)
    }

    /// Declines a person's waiting request for a course that needs approval; they are told.
    pub async fn reject_request(
        &self,
        change: Change,
        session: SessionId,
        person: PersonId,
        notify: Notify<'_>,
    ) -> Result<()> {
        let mut tx = self.pool.begin().await?;
        lock_session(&mut tx, session, false).await?;
        let id: Option<i64> = sqlx::query_scalar(
            "UPDATE enrolment SET status = 'rejected', decided_by = $3, ended_at = $4
             WHERE session_id = $1 AND person_id = $2 AND status = 'pending' RETURNING id",
        )
        .bind(session.0)
        .bind(person.0)
        .bind(change.actor.map(|a| a.0))
        .bind(now())
        .fetch_optional(&mut *tx)
        .await?;
        let id = id.ok_or(DomainError::Conflict { field: "session", code: "no-pending-request" })?;
        let after = serde_json::json!({ "session": session, "person": person, "state": EnrolmentState::Rejected });
        audit::record(&mut tx, change, "reject", "enrolment", id, None::<&()>, Some(&after)).await?;
        queue_notice(&mut tx, notify, NoticeKind::Rejected, session, person).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Requests waiting for approval from people `reach` covers (the caller leaves the user's own out of the
    /// reach), oldest first.
    pub async fn pending_requests(&self, reach: &loft_domain::policy::Reach) -> Result<Vec<PendingRequest>> {
        let mut q = crate::sql::Sql::new(
            "SELECT e.session_id, c.id, c.title, s.first_starts_at, p.id, p.given_name, p.family_name, m.name, e.enrolled_at
             FROM enrolment e JOIN person p ON p.id = e.person_id JOIN municipality m ON m.id = p.municipality_id
             JOIN course_session s ON s.id = e.session_id JOIN course c ON c.id = s.course_id
             WHERE e.status = 'pending' AND ",
        );
        crate::people::push_reach(&mut q, reach);
        q.push(" ORDER BY e.enrolled_at, e.id");
        let rows = q.query()?.fetch_all(&self.pool).await?;
        rows.iter()
            .map(|r| {
                Ok(PendingRequest {
                    session: SessionId(r.try_get(0)?),
                    course: CourseId(r.try_get(1)?),
                    course_title: r.try_get(2)?,
                    starts_at: r.try_get(3)?,
                    person: PersonId(r.try_get(4)?),
                    name: format!("{} {}", r.try_get::<String, _>(5)?, r.try_get::<String, _>(6)?),
                    municipality: r.try_get(7)?,
                    requested_at: r.try_get(8)?,
                })
            })
            .collect()
    }

    /// The person's current place in a session, with their waitlist position (counted as `waitlist_place` does);
    /// `None` if never enrolled. One statement, so the place and the count it is "of" come from the same snapshot
    /// on both databases.
    pub async fn enrolment_state(&self, session: SessionId, person: PersonId) -> Result<Option<EnrolmentState>> {
        let row = sqlx::query(
            "SELECT e.status, e.late, e.offer_expires_at,
                 CASE WHEN e.status = 'waitlisted' THEN (SELECT COUNT(*) FROM enrolment w
                     WHERE w.session_id = e.session_id AND w.status = 'waitlisted' AND w.arrival <= e.arrival) END,
                 CASE WHEN e.status = 'waitlisted' THEN (SELECT COUNT(*) FROM enrolment w
                     WHERE w.session_id = e.session_id AND w.status = 'waitlisted') END
             FROM enrolment e WHERE e.session_id = $1 AND e.person_id = $2 ORDER BY e.id DESC LIMIT 1",
        )
        .bind(session.0)
        .bind(person.0)
        .fetch_optional(&self.pool)
        .await?;
        let Some(r) = row else { return Ok(None) };
        let status: String = r.try_get(0)?;
        Ok(Some(match (r.try_get::<Option<i64>, _>(3)?, r.try_get::<Option<i64>, _>(4)?) {
            (Some(position), Some(of)) => EnrolmentState::Waitlisted { position, of },
            _ => state_of(&status, r.try_get(1)?, r.try_get(2)?),
        }))
    }
}

/// Changes capacity and quotas under the session's lock: never below the seats held (confirmed and offered); a
/// larger session takes people from the waitlist at once (offers past their deadline lapse first).
pub(super) async fn resize_in(
    tx: &mut Transaction<'_, Any>,
    session: SessionId,
    capacity: i64,
    new_quotas: &[(MunicipalityId, i64)],
    notify: Notify<'_>,
) -> Result<Vec<Handed>> {
    let locked = lock_session(tx, session, false).await?;
    pass_on_lapsed(tx, notify, session, &locked, now()).await?;
    let by = held_by_municipality(tx, session).await?;
    loft_domain::courses::session::check_capacity_change(capacity, new_quotas, by.values().sum(), &by)?;
    sqlx::query("UPDATE course_session SET capacity = $1 WHERE id = $2")
        .bind(capacity)
        .bind(session.0)
        .execute(&mut **tx)
        .await?;
    sqlx::query("DELETE FROM session_quota WHERE session_id = $1").bind(session.0).execute(&mut **tx).await?;
    for (m, seats) in new_quotas {
        sqlx::query("INSERT INTO session_quota (session_id, municipality_id, seats) VALUES ($1, $2, $3)")
            .bind(session.0)
            .bind(m.0)
            .bind(*seats)
            .execute(&mut **tx)
            .await?;
    }
    promote(tx, session, capacity, now()).await
}
