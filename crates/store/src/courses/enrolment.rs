//! Enrolment by group commit. Requests for one session that arrive while its booking transaction runs wait in
//! the session's queue and are booked together in the next transaction: one after another in arrival order,
//! by the booking rule over counts held in memory under the session's lock, with multi-row writes and one
//! commit. Each request is answered after that commit, so a confirmed answer is never lost. A rush of 2,000
//! requests for one session costs a handful of transactions instead of 2,000 (BENCHMARKS.md, issue 5).
//!
//! The transactions run in their own task, so a client that goes away mid-rush does not abort the others'
//! booking. If a whole batch fails (a database error), each of its requests is tried again alone, so one bad
//! request cannot fail the rest.

use super::booking::{
    EnrolOutcome, Overlap, Recipient, audience_and_approval, enqueue_mails, held_by_municipality, lock_session,
    overlaps_of, pass_on_lapsed, quotas, session_for_mail, waitlist_place, write_notices,
};
use super::{Mail, Notice, NoticeKind, Notify};
use crate::audit::{self, Change};
use crate::sql::Sql;
use crate::{Result, Store, StoreError, now};
use loft_domain::DomainError;
use loft_domain::courses::booking::{self, EnrolmentState, Placement, Seats};
use loft_domain::courses::{EnrolmentId, SessionId};
use loft_domain::ids::{MunicipalityId, PersonId};
use sqlx::Row;
use std::collections::HashMap;
use std::sync::Arc;
use tokio::sync::oneshot;

/// Requests booked in one transaction at most; more wait for the next (bounds the statements' sizes).
const MOST_PER_TRANSACTION: usize = 2000;

/// Writes the e-mail for a booking event; owned, since the booking runs in its own task.
type SharedNotify = Arc<dyn Fn(&Notice) -> Option<Mail> + Send + Sync>;

pub(crate) struct Request {
    change: Change,
    person: PersonId,
    notify: SharedNotify,
    answer: oneshot::Sender<Result<EnrolOutcome>>,
}

/// Enrolments waiting to be booked, per session.
pub(crate) type EnrolQueues = crate::batch::Queues<SessionId, Request>;

/// One request of a batch as the rule sees it.
struct Asked {
    change: Change,
    person: PersonId,
    notify: SharedNotify,
}

/// Where someone stands in the session while a batch is decided.
#[derive(Clone, Copy)]
struct Place {
    /// `None` while the row is still to be inserted by this batch.
    id: Option<EnrolmentId>,
    state: EnrolmentState,
    /// Waitlist place at the start of the batch (stored places) or when placed (this batch's); `of` is counted
    /// when answering.
    position: i64,
}

/// A row this batch writes for a person: a new enrolment, or a waiting request that is decided.
struct Write {
    person: PersonId,
    municipality: MunicipalityId,
    status: &'static str,
    arrival: i64,
    confirmed_at: Option<i64>,
    request: Option<EnrolmentId>,
    change: Change,
}

enum Answer {
    Placed { person: PersonId, state: EnrolmentState },
    Already { person: PersonId, id: Option<EnrolmentId>, state: EnrolmentState },
    Refused(StoreError),
}

impl Store {
    /// Enrols `person` in `session`: confirmed while seats (and the municipality's quota) last, else waitlisted
    /// in arrival order; a person's own request for a course that needs approval waits as a request, and
    /// enrolling someone whose request waits approves it. A second request for someone already enrolled
    /// answers the existing place. `notify` writes the e-mail queued with the booking.
    pub async fn enrol(
        &self,
        change: Change,
        session: SessionId,
        person: PersonId,
        notify: impl Fn(&Notice) -> Option<Mail> + Send + Sync + 'static,
    ) -> Result<EnrolOutcome> {
        let (answer, answered) = oneshot::channel();
        let request = Request { change, person, notify: Arc::new(notify), answer };
        if self.enrol_queues.push(session, request) {
            let store = self.clone();
            tokio::spawn(async move { store.book_queued(session).await });
        }
        // No answer means the booking task stopped (a panic, or the runtime shutting down) before it committed.
        answered.await.map_err(|_| StoreError::Database(sqlx::Error::WorkerCrashed))?
    }

    async fn book_queued(&self, session: SessionId) {
        let mut booking = crate::batch::Worker::new(&*self.enrol_queues, session);
        while let Some(batch) = booking.next_batch(MOST_PER_TRANSACTION) {
            let (senders, asked): (Vec<_>, Vec<_>) = batch
                .into_iter()
                .map(|r| (r.answer, Asked { change: r.change, person: r.person, notify: r.notify }))
                .unzip();
            let started = std::time::Instant::now();
            let booked = self.enrol_together(session, &asked).await;
            tracing::debug!(session = session.0, requests = asked.len(), took = ?started.elapsed(), "enrolments booked together");
            match booked {
                Ok(answers) => {
                    for (sender, answer) in senders.into_iter().zip(answers) {
                        // The client may have gone away; its booking stands.
                        let _ = sender.send(answer);
                    }
                }
                Err(e) if asked.len() == 1 => {
                    let _ = senders.into_iter().next().map(|s| s.send(Err(e)));
                }
                Err(_) => {
                    for (sender, one) in senders.into_iter().zip(&asked) {
                        let answer = match self.enrol_together(session, std::slice::from_ref(one)).await {
                            Ok(mut answers) => answers.pop().unwrap_or(Err(DomainError::NotFound.into())),
                            Err(e) => Err(e),
                        };
                        let _ = sender.send(answer);
                    }
                }
            }
        }
    }

    /// Books `asked` in one transaction under the session's lock, in order. The outer error fails the whole
    /// transaction (nothing written); an inner one refuses that request only.
    async fn enrol_together(&self, session: SessionId, asked: &[Asked]) -> Result<Vec<Result<EnrolOutcome>>> {
        let t = now();
        let mut tx = self.pool.begin().await?;
        let locked = lock_session(&mut tx, session, false).await?;
        pass_on_lapsed(&mut tx, &*asked[0].notify, session, &locked, t).await?;

        let mut people: Vec<i64> = asked.iter().map(|a| a.person.0).collect();
        people.sort_unstable();
        people.dedup();
        let mut places = stored_places(&mut tx, session, &people).await?;
        let (homes, recipients) = homes(&mut tx, &people).await?;
        let (visibility, requires_approval) = audience_and_approval(&mut tx, session).await?;
        let quotas = quotas(&mut tx, session).await?;
        let mut held = held_by_municipality(&mut tx, session).await?;
        let mut waitlisted: i64 =
            sqlx::query_scalar("SELECT COUNT(*) FROM enrolment WHERE session_id = $1 AND status = 'waitlisted'")
                .bind(session.0)
                .fetch_one(&mut *tx)
                .await?;
        let mut arrival = locked.arrival;
        let open = booking::check_open(t, locked.opens_at, locked.closes_at, locked.cancelled);

        let mut answers = Vec::with_capacity(asked.len());
        let mut writes: Vec<Write> = Vec::new();
        for a in asked {
            // Someone acting for the person (a manager, a coordinator) decides; the person's own request may wait.
            let on_own_behalf = a.change.actor == Some(a.person);
            let mut request = None;
            if let Some(place) = places.get(&a.person) {
                match place.state {
                    // Enrolling someone whose request waits is approving it: it is placed below like a new one.
                    EnrolmentState::Pending if !on_own_behalf => request = Some(place.id),
                    EnrolmentState::Waitlisted { .. } => {
                        let state = EnrolmentState::Waitlisted { position: place.position, of: waitlisted };
                        answers.push(Answer::Already { person: a.person, id: place.id, state });
                        continue;
                    }
                    state => {
                        answers.push(Answer::Already { person: a.person, id: place.id, state });
                        continue;
                    }
                }
            }
            let refusal = open.clone().err().map(StoreError::from).or_else(|| match homes.get(&a.person) {
                None => Some(DomainError::NotFound.into()),
                Some((_, true)) => Some(DomainError::Conflict { field: "person", code: "person-left" }.into()),
                Some((m, false)) => booking::check_audience(visibility, *m).err().map(StoreError::from),
            });
            if let Some(refusal) = refusal {
                answers.push(Answer::Refused(refusal));
                continue;
            }
            let municipality = homes[&a.person].0;
            arrival += 1;
            let (status, state) = if on_own_behalf && requires_approval {
                // A request: no seat and no waitlist place until someone approves it by enrolling the person.
                ("pending", EnrolmentState::Pending)
            } else {
                let seats = Seats {
                    capacity: locked.capacity,
                    confirmed: held.values().sum(),
                    quota: quotas.get(&municipality).copied(),
                    confirmed_in_municipality: held.get(&municipality).copied().unwrap_or(0),
                };
                match booking::place(seats) {
                    Placement::Confirmed => {
                        *held.entry(municipality).or_insert(0) += 1;
                        ("confirmed", EnrolmentState::Confirmed)
                    }
                    Placement::Waitlisted => {
                        waitlisted += 1;
                        ("waitlisted", EnrolmentState::Waitlisted { position: waitlisted, of: waitlisted })
                    }
                }
            };
            match request {
                // A request placed in this same batch is still to be inserted: it is inserted as decided now.
                Some(None) => {
                    if let Some(w) = writes.iter_mut().find(|w| w.person == a.person) {
                        (w.status, w.arrival, w.change) = (status, arrival, a.change);
                        w.confirmed_at = (status == "confirmed").then_some(t);
                    }
                }
                _ => writes.push(Write {
                    person: a.person,
                    municipality,
                    status,
                    arrival,
                    confirmed_at: (status == "confirmed").then_some(t),
                    request: request.flatten(),
                    change: a.change,
                }),
            }
            let position = if let EnrolmentState::Waitlisted { position, .. } = state { position } else { 0 };
            let id = request.flatten();
            places.insert(a.person, Place { id, state, position });
            answers.push(Answer::Placed { person: a.person, state });
        }

        // The e-mails are written on another thread while the enrolments are inserted (a rush's batch of 2,000
        // takes milliseconds to write), and queued in this transaction after.
        let told: Vec<(PersonId, NoticeKind, SharedNotify)> = asked
            .iter()
            .zip(&answers)
            .filter_map(|(a, answer)| match answer {
                Answer::Placed { person, state } => Some((*person, notice_kind(state), a.notify.clone())),
                _ => None,
            })
            .collect();
        let writing = if told.is_empty() {
            None
        } else {
            let about = session_for_mail(&mut tx, session).await?;
            Some(tokio::task::spawn_blocking(move || {
                let told: Vec<(PersonId, NoticeKind, Notify<'_>)> =
                    told.iter().map(|(person, kind, notify)| (*person, *kind, &**notify as Notify<'_>)).collect();
                write_notices(&about, &recipients, &told, &[])
            }))
        };
        let ids = write_enrolments(&mut tx, session, &writes, t).await?;
        if arrival != locked.arrival {
            sqlx::query("UPDATE course_session SET arrivals = $2 WHERE id = $1")
                .bind(session.0)
                .bind(arrival)
                .execute(&mut *tx)
                .await?;
        }
        for w in writes.iter().filter(|w| w.change.actor != Some(w.person)) {
            let state = places[&w.person].state;
            let after = serde_json::json!({ "session": session, "person": w.person, "state": state });
            audit::record(&mut tx, w.change, "enrol", "enrolment", ids[&w.person].0, None::<&()>, Some(&after)).await?;
        }
        if let Some(writing) = writing {
            let mails = match writing.await {
                Ok(mails) => mails?,
                Err(e) if e.is_panic() => std::panic::resume_unwind(e.into_panic()),
                Err(_) => return Err(StoreError::Database(sqlx::Error::WorkerCrashed)),
            };
            enqueue_mails(&mut tx, &mails).await?;
        }
        let answered: Vec<i64> = answers
            .iter()
            .filter_map(|a| match a {
                Answer::Placed { person, .. } | Answer::Already { person, .. } => Some(person.0),
                Answer::Refused(_) => None,
            })
            .collect();
        let overlaps = overlaps_of(&mut tx, session, &answered).await?;
        tx.commit().await?;
        self.seats_changed();

        Ok(answers
            .into_iter()
            .map(|answer| {
                let (person, id, state, already) = match answer {
                    Answer::Refused(e) => return Err(e),
                    Answer::Placed { person, state } => (person, None, state, false),
                    Answer::Already { person, id, state } => (person, id, state, true),
                };
                let enrolment = id.or_else(|| ids.get(&person).copied()).ok_or(DomainError::NotFound)?;
                // A double click is answered with the same warnings as the first request.
                let overlaps: Vec<Overlap> = overlaps.get(&person).cloned().unwrap_or_default();
                Ok(EnrolOutcome { enrolment, state, already, overlaps })
            })
            .collect())
    }
}

fn notice_kind(state: &EnrolmentState) -> NoticeKind {
    match *state {
        EnrolmentState::Waitlisted { position, of } => NoticeKind::Waitlisted { position, of },
        EnrolmentState::Pending => NoticeKind::Requested,
        _ => NoticeKind::Confirmed,
    }
}

/// The people's active places in the session (waitlist places counted), read under the session's lock.
async fn stored_places(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    session: SessionId,
    people: &[i64],
) -> Result<HashMap<PersonId, Place>> {
    let mut q =
        Sql::for_conn(tx, "SELECT id, person_id, status, arrival, offer_expires_at FROM enrolment WHERE session_id = ");
    q.push_bind(session.0);
    q.push(" AND status IN ('confirmed', 'offered', 'waitlisted', 'pending') AND person_id IN ");
    q.push_id_list(people);
    let rows = q.query()?.fetch_all(&mut **tx).await?;
    let mut places = HashMap::with_capacity(rows.len());
    for r in &rows {
        let status: String = r.try_get(2)?;
        let (state, position) = match status.as_str() {
            "confirmed" => (EnrolmentState::Confirmed, 0),
            "offered" => (EnrolmentState::Offered { expires_at: r.try_get(4)? }, 0),
            "pending" => (EnrolmentState::Pending, 0),
            _ => match waitlist_place(tx, session, r.try_get(3)?).await? {
                state @ EnrolmentState::Waitlisted { position, .. } => (state, position),
                state => (state, 0),
            },
        };
        places.insert(PersonId(r.try_get(1)?), Place { id: Some(EnrolmentId(r.try_get(0)?)), state, position });
    }
    Ok(places)
}

/// Each person's municipality and whether they have left; and whom their e-mail goes to (one read for both).
async fn homes(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    people: &[i64],
) -> Result<(HashMap<PersonId, (MunicipalityId, bool)>, HashMap<PersonId, Recipient>)> {
    let mut q = Sql::for_conn(
        tx,
        "SELECT p.id, p.municipality_id, p.left_at, p.email, p.given_name, a.locale
         FROM person p LEFT JOIN account a ON a.person_id = p.id WHERE p.id IN ",
    );
    q.push_id_list(people);
    let rows = q.query()?.fetch_all(&mut **tx).await?;
    let (mut homes, mut recipients) = (HashMap::with_capacity(rows.len()), HashMap::with_capacity(rows.len()));
    for r in &rows {
        let person = PersonId(r.try_get(0)?);
        homes.insert(person, (MunicipalityId(r.try_get(1)?), r.try_get::<Option<i64>, _>(2)?.is_some()));
        recipients.insert(person, Recipient::from_row(r, 3)?);
    }
    Ok((homes, recipients))
}

/// Writes the batch's enrolments: decided requests one by one, new ones with one multi-row insert (at most
/// one new row per person). Returns each written person's enrolment.
async fn write_enrolments(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    session: SessionId,
    writes: &[Write],
    t: i64,
) -> Result<HashMap<PersonId, EnrolmentId>> {
    let mut ids = HashMap::with_capacity(writes.len());
    for w in writes {
        if let Some(request) = w.request {
            // The approved request takes its place in arrival order now, when it enters the list.
            sqlx::query(
                "UPDATE enrolment SET status = $2, arrival = $3, confirmed_at = $4, decided_by = $5 WHERE id = $1",
            )
            .bind(request.0)
            .bind(w.status.to_string())
            .bind(w.arrival)
            .bind(w.confirmed_at)
            .bind(w.change.actor.map(|a| a.0))
            .execute(&mut **tx)
            .await?;
            ids.insert(w.person, request);
        }
    }
    let new: Vec<&Write> = writes.iter().filter(|w| w.request.is_none()).collect();
    if new.is_empty() {
        return Ok(ids);
    }
    let mut q = Sql::for_conn(
        tx,
        "INSERT INTO enrolment (session_id, person_id, municipality_id, status, arrival, enrolled_by, enrolled_at, confirmed_at) VALUES ",
    );
    for (i, w) in new.iter().enumerate() {
        q.push(if i == 0 { "(" } else { ", (" });
        q.push_bind(session.0).push(", ").push_bind(w.person.0).push(", ").push_bind(w.municipality.0).push(", ");
        q.push_bind(w.status.to_string())
            .push(", ")
            .push_bind(w.arrival)
            .push(", ")
            .push_bind(w.change.actor.map(|a| a.0));
        q.push(", ").push_bind(t).push(", ").push_bind(w.confirmed_at).push(")");
    }
    q.push(" RETURNING id, person_id");
    let rows = q
        .query()?
        .fetch_all(&mut **tx)
        .await
        .map_err(|e| StoreError::from(e).on_unique("session", "already-enrolled"))?;
    for r in &rows {
        ids.insert(PersonId(r.try_get(1)?), EnrolmentId(r.try_get(0)?));
    }
    Ok(ids)
}

#[cfg(test)]
mod tests {
    //! Requests in one batch, decided together (the integration tests reach batches only by timing).
    use super::*;
    use crate::courses::no_mail;
    use crate::testing::backends;
    use loft_domain::courses::CourseInput;
    use loft_domain::courses::session::{SessionInput, local_input, utc_to_local};
    use loft_domain::policy::Reach;

    const SYSTEM: Change = Change { actor: None, region: None, municipality: None };

    async fn approval_session(store: &Store, seats: i64) -> (SessionId, SessionId, Vec<PersonId>) {
        let seeds: Vec<_> =
            loft_domain::demo::kongsbergregionen().into_iter().filter(|s| s.number.to_string() == "3336").collect();
        store.seed("Testregionen", &seeds, true, "not-a-real-hash").await.expect("seed");
        let region = store.regions().await.expect("regions")[0].id;
        let mut course = CourseInput {
            title: "Lederutvikling".into(),
            summary: "Samling for ledere".into(),
            format: "classroom".into(),
            organiser_kind: "region".into(),
            ..Default::default()
        }
        .parse(region)
        .expect("course");
        course.requires_approval = true;
        let course = store.create_course(SYSTEM, &course).await.expect("course");
        let now = jiff::Timestamp::now().as_second();
        let session = SessionInput {
            days: format!("{} 09:00-15:00", utc_to_local(now + 30 * 86_400).date()),
            venue: "Rollag kommunehus".into(),
            capacity: seats.to_string(),
            enrolment_opens: local_input(now - 86_400),
            enrolment_closes: local_input(now + 20 * 86_400),
            cancellation_deadline: local_input(now + 86_400),
            ..Default::default()
        }
        .parse()
        .expect("session");
        // Two sessions on the same day: enrolling in one warns of the other.
        let sessions = store.create_sessions(SYSTEM, course, &[session.clone(), session]).await.expect("session");
        let query = crate::people::PeopleQuery { per_page: 4, page: 1, ..Default::default() };
        let people = store.people(&Reach { everything: true, ..Default::default() }, &query).await.expect("people");
        (sessions[0], sessions[1], people.items.iter().map(|p| p.person.id).collect())
    }

    #[tokio::test]
    async fn a_request_and_its_approval_in_one_batch_are_decided_in_order() {
        for db in backends().await {
            let store = &db.store;
            let (session, other, p) = approval_session(store, 1).await;
            store.enrol(SYSTEM, other, p[1], no_mail).await.expect("the other session");
            let everyone = Reach { everything: true, ..Default::default() };
            let audited = || async {
                let entries = store.audit_entries(&everyone, None, 50).await.expect("audit");
                entries.iter().filter(|e| e.entity == "enrolment").count()
            };
            let audited_before = audited().await;
            let own = |person: PersonId| Change { actor: Some(person), region: None, municipality: None };
            let manager = Change { actor: Some(p[3]), region: None, municipality: None };
            let asked = [
                Asked { change: own(p[0]), person: p[0], notify: Arc::new(no_mail) },
                Asked { change: own(p[0]), person: p[0], notify: Arc::new(no_mail) },
                Asked { change: manager, person: p[0], notify: Arc::new(no_mail) },
                Asked { change: SYSTEM, person: PersonId(9_999_999), notify: Arc::new(no_mail) },
                Asked { change: manager, person: p[1], notify: Arc::new(no_mail) },
                Asked { change: manager, person: p[1], notify: Arc::new(no_mail) },
            ];
            let answers = store.enrol_together(session, &asked).await.expect("one transaction");
            let states: Vec<_> =
                answers.iter().map(|a| a.as_ref().map(|o| (o.state, o.already)).map_err(|_| ())).collect();
            assert_eq!(
                states,
                vec![
                    Ok((EnrolmentState::Pending, false)),
                    Ok((EnrolmentState::Pending, true)),
                    Ok((EnrolmentState::Confirmed, false)),
                    Err(()),
                    Ok((EnrolmentState::Waitlisted { position: 1, of: 1 }, false)),
                    Ok((EnrolmentState::Waitlisted { position: 1, of: 1 }, true)),
                ]
            );
            let warned: Vec<usize> = answers.iter().filter_map(|a| a.as_ref().ok().map(|o| o.overlaps.len())).collect();
            assert_eq!(warned, vec![0, 0, 0, 1, 1], "both of p[1]'s requests are warned of the other session");
            let ids: Vec<_> = answers.iter().filter_map(|a| a.as_ref().ok().map(|o| o.enrolment)).collect();
            assert!(ids[..3].iter().all(|id| *id == ids[0]), "the request and its approval are one enrolment");
            assert!(ids[3..].iter().all(|id| *id == ids[3]) && ids[3] != ids[0]);
            let list = store.participants(session).await.expect("list");
            let stored: Vec<_> = list.iter().map(|e| (e.person, e.state)).collect();
            assert_eq!(
                stored,
                vec![(p[0], EnrolmentState::Confirmed), (p[1], EnrolmentState::Waitlisted { position: 1, of: 1 })]
            );
            // The approval took its place when it was given: after the request, before the next.
            assert!(list[0].arrival < list[1].arrival);
            assert_eq!(audited().await - audited_before, 2, "the manager's two decisions are audited, not the request");
            db.drop_db().await;
        }
    }
}
