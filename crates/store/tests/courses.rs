//! Courses and enrolment on every backend: the catalogue story, the booking rule under a rush of
//! simultaneous requests, double clicks, cancellations with promotion, and a property test over random
//! interleavings of enrolments and cancellations.

use loft_domain::DomainError;
use loft_domain::courses::booking::EnrolmentState;
use loft_domain::courses::catalogue::Filter;
use loft_domain::courses::session::{SessionDraft, SessionInput};
use loft_domain::courses::{CourseDraft, CourseId, CourseInput, Format, SessionId};
use loft_domain::demo::kongsbergregionen;
use loft_domain::ids::{MunicipalityId, PersonId, RegionId};
use loft_domain::policy::Reach;
use loft_store::audit::Change;
use loft_store::courses::{CatalogueQuery, no_mail};
use loft_store::people::PeopleQuery;
use loft_store::testing::backends;
use loft_store::{Store, StoreError};
use std::collections::BTreeMap;

const SYSTEM: Change = Change { actor: None, region: None, municipality: None };

async fn seed_small(store: &Store) -> RegionId {
    let seeds: Vec<_> =
        kongsbergregionen().into_iter().filter(|s| ["3336", "4024"].contains(&s.number.to_string().as_str())).collect();
    store.seed("Testregionen", &seeds, true, "not-a-real-hash").await.expect("seed");
    store.regions().await.expect("regions")[0].id
}

/// Up to `n` active people of each municipality, with their municipality.
async fn people(store: &Store, n: i64) -> Vec<(PersonId, MunicipalityId)> {
    let mut out = Vec::new();
    for m in store.municipalities().await.expect("m") {
        let q = PeopleQuery { municipality: Some(m.id), per_page: n, page: 1, ..Default::default() };
        let page = store.people(&Reach { everything: true, ..Default::default() }, &q).await.expect("people");
        out.extend(page.items.iter().map(|p| (p.person.id, m.id)));
    }
    out
}

fn code(e: StoreError) -> &'static str {
    match e {
        StoreError::Domain(DomainError::Invalid(fields)) => fields.first().map_or("invalid-input", |f| f.code),
        StoreError::Domain(d) => d.code(),
        other => panic!("expected a domain error, got {other:?}"),
    }
}

fn course_draft(region: RegionId, title: &str) -> CourseDraft {
    CourseInput {
        title: title.into(),
        summary: "Regional dagskonferanse om informasjonssikkerhet".into(),
        description: "Kursene gir ledere innsikt i personvern og risiko.".into(),
        competences: "digcomp 4.2 3".into(),
        target_groups: vec!["leder".into()],
        format: "conference".into(),
        organiser_kind: "region".into(),
        price_internal: "0".into(),
        price_external: "1500".into(),
        ..Default::default()
    }
    .parse(region)
    .expect("valid course")
}

fn local(seconds: i64) -> String {
    loft_domain::courses::session::local_input(seconds)
}

/// A session with a day a month ahead, enrolment open now, deadline `deadline_offset` seconds from now.
fn session_draft(capacity: i64, quotas: Vec<(i64, String)>, deadline_offset: i64) -> SessionDraft {
    let now = jiff::Timestamp::now().as_second();
    let day = loft_domain::courses::session::utc_to_local(now + 30 * 86_400).date();
    SessionInput {
        days: format!("{day} 09:00-15:00"),
        venue: "Kongsberg rådhus".into(),
        capacity: capacity.to_string(),
        quotas,
        enrolment_opens: local(now - 86_400),
        enrolment_closes: local(now + 20 * 86_400),
        cancellation_deadline: local(now + deadline_offset),
        ..Default::default()
    }
    .parse()
    .expect("valid session")
}

async fn course_with_session(store: &Store, region: RegionId, s: &SessionDraft) -> (CourseId, SessionId) {
    let course = store.create_course(SYSTEM, &course_draft(region, "Informasjonssikkerhet")).await.expect("course");
    let session = store.create_sessions(SYSTEM, course, std::slice::from_ref(s)).await.expect("session")[0];
    (course, session)
}

#[tokio::test]
async fn catalogue_story() {
    for db in backends().await {
        let store = &db.store;
        let region = seed_small(store).await;
        let mut bad = course_draft(region, "X");
        bad.competences[0].competence = "9.9".into();
        assert_eq!(store.create_course(SYSTEM, &bad).await.map_err(code), Err("unknown-competence"));
        let id = store.create_course(SYSTEM, &course_draft(region, "Kursene om sikkerhet")).await.expect("create");
        let other = store.create_course(SYSTEM, &course_draft(region, "Teams for rådmenn")).await.expect("create");
        let mut webinar = course_draft(region, "Teams for rådmenn");
        webinar.format = Format::Webinar;
        webinar.summary = "Samhandling på nett".into();
        webinar.description = String::new();
        store.update_course(SYSTEM, other, &webinar).await.expect("update");
        let stored = store.course(id).await.expect("read");
        assert_eq!(stored.draft, course_draft(region, "Kursene om sikkerhet"));
        let copy = store.copy_course(SYSTEM, id).await.expect("copy");
        assert_eq!(store.course(copy).await.expect("copy").copied_from, Some(id));
        // Word forms meet: "kurs" finds "Kursene"; "samhandlingen" finds "Samhandling".
        let search = |text: &str| CatalogueQuery {
            region: Some(region),
            filter: Filter { text: text.into(), ..Default::default() },
            page: 1,
        };
        let ids = |cards: Vec<loft_store::courses::CourseCard>| cards.into_iter().map(|c| c.id).collect::<Vec<_>>();
        let found = ids(store.catalogue(&search("kurs")).await.expect("search"));
        assert!(found.contains(&id) && found.contains(&copy) && !found.contains(&other), "{found:?}");
        assert_eq!(ids(store.catalogue(&search("samhandlingen")).await.expect("search")), vec![other]);
        assert!(store.catalogue(&search("fotball")).await.expect("search").is_empty());
        // Compound words: "konferansen" finds "dagskonferanse" (the summary), the webinar has no such word.
        let parts = ids(store.catalogue(&search("konferansen")).await.expect("search"));
        assert!(parts.contains(&id) && parts.contains(&copy) && !parts.contains(&other), "{parts:?}");
        let filtered = |filter: Filter| CatalogueQuery { filter, ..search("") };
        let webinars = filtered(Filter { format: Some(Format::Webinar), ..Default::default() });
        assert_eq!(ids(store.catalogue(&webinars).await.expect("search")), vec![other]);
        let competence = filtered(Filter { competence: Some(("digcomp".into(), "4.2".into())), ..Default::default() });
        assert_eq!(store.catalogue(&competence).await.expect("search").len(), 3);
        // Sessions: only courses with a free seat in an upcoming session.
        let s = store.create_sessions(SYSTEM, id, &[session_draft(1, vec![], 86_400)]).await.expect("session")[0];
        let free = filtered(Filter { free_seats_only: true, ..Default::default() });
        assert_eq!(ids(store.catalogue(&free).await.expect("search")), vec![id]);
        let person = people(store, 1).await[0].0;
        store.enrol(SYSTEM, s, person, no_mail).await.expect("enrol");
        assert!(store.catalogue(&free).await.expect("search").is_empty());
        // Capacity cannot drop below those confirmed.
        let mut smaller = store.session(s).await.expect("session").draft;
        smaller.capacity = 0;
        assert_eq!(
            store.update_session(SYSTEM, s, &smaller, &no_mail).await.map_err(code),
            Err("capacity-below-confirmed")
        );
        let audit =
            store.audit_entries(&Reach { everything: true, ..Default::default() }, None, 100).await.expect("audit");
        assert!(audit.iter().any(|e| e.entity == "course" && e.action == "copy"));
        assert!(audit.iter().any(|e| e.entity == "course_session" && e.action == "create"));
        assert!(audit.iter().any(|e| e.entity == "enrolment" && e.action == "enrol"), "enrolled by someone else");
        db.drop_db().await;
    }
}

#[tokio::test]
async fn a_rush_never_overbooks_and_keeps_arrival_order() {
    for db in backends().await {
        let store = db.store.clone();
        let region = seed_small(&store).await;
        let (_, session) = course_with_session(&store, region, &session_draft(20, vec![], 86_400)).await;
        let everyone = people(&store, 100).await;
        assert!(everyone.len() >= 200, "{} people", everyone.len());
        let tasks: Vec<_> = everyone[..200]
            .iter()
            .map(|&(p, _)| {
                let store = store.clone();
                tokio::spawn(async move {
                    let change = Change { actor: Some(p), region: None, municipality: None };
                    store.enrol(change, session, p, no_mail).await.map(|o| (p, o))
                })
            })
            .collect();
        let mut outcomes = Vec::new();
        for t in tasks {
            outcomes.push(t.await.expect("join").expect("no errors under the rush"));
        }
        let confirmed = outcomes.iter().filter(|(_, o)| o.state == EnrolmentState::Confirmed).count();
        assert_eq!(confirmed, 20);
        // Each waiting request was told a distinct place at the moment it committed; the list now is in arrival order.
        let list = store.participants(session).await.expect("participants");
        assert_eq!(list.iter().filter(|p| p.state == EnrolmentState::Confirmed).count(), 20);
        let waiting: Vec<_> = list.iter().filter(|p| matches!(p.state, EnrolmentState::Waitlisted { .. })).collect();
        assert_eq!(waiting.len(), 180);
        assert!(waiting.windows(2).all(|w| w[0].arrival < w[1].arrival));
        for (i, w) in waiting.iter().enumerate() {
            assert_eq!(w.state, EnrolmentState::Waitlisted { position: i as i64 + 1, of: 180 });
        }
        // Every confirmed arrival came before every waiting one (seats go in arrival order).
        let last_confirmed = list.iter().filter(|p| p.state == EnrolmentState::Confirmed).map(|p| p.arrival).max();
        assert!(last_confirmed < waiting.first().map(|w| w.arrival));
        let view = store.session(session).await.expect("session");
        assert_eq!((view.confirmed, view.waitlisted), (20, 180));
        db.drop_db().await;
    }
}

#[tokio::test]
async fn a_double_click_enrols_once() {
    for db in backends().await {
        let store = db.store.clone();
        let region = seed_small(&store).await;
        let (_, session) = course_with_session(&store, region, &session_draft(5, vec![], 86_400)).await;
        let person = people(&store, 1).await[0].0;
        let clicks: Vec<_> = (0..10)
            .map(|_| {
                let store = store.clone();
                tokio::spawn(async move { store.enrol(SYSTEM, session, person, no_mail).await })
            })
            .collect();
        let mut ids = Vec::new();
        let mut fresh = 0;
        for c in clicks {
            let o = c.await.expect("join").expect("every click answered");
            assert_eq!(o.state, EnrolmentState::Confirmed);
            fresh += usize::from(!o.already);
            ids.push(o.enrolment);
        }
        assert_eq!(fresh, 1, "one click enrolled, the others saw it");
        ids.dedup();
        assert_eq!(ids.len(), 1);
        assert_eq!(store.participants(session).await.expect("list").len(), 1);
        db.drop_db().await;
    }
}

/// Requests that arrive together are booked together (group commit): each is still answered on its own, a
/// refused one does not fail the others, a double click in the same batch enrols once, and every e-mail
/// queued in one multi-row insert keeps its own attachment.
#[tokio::test]
async fn requests_booked_together_are_answered_each_with_their_own_mail() {
    use loft_store::courses::{Mail, Notice};
    use loft_store::outbox::Attachment;
    for db in backends().await {
        let store = db.store.clone();
        let region = seed_small(&store).await;
        let (_, session) = course_with_session(&store, region, &session_draft(10, vec![], 86_400)).await;
        let everyone: Vec<PersonId> = people(&store, 30).await.into_iter().map(|(p, _)| p).take(40).collect();
        assert_eq!(everyone.len(), 40);
        let unknown = PersonId(9_999_999);
        let mail = |n: &Notice| {
            Some(Mail {
                to: format!("p{}@example.org", n.person.0),
                subject: format!("{} {:?}", n.person.0, n.kind),
                body: String::new(),
                attachment: Some(Attachment {
                    file_name: "kurs.ics".into(),
                    content_type: "text/calendar".into(),
                    content: format!("person {}", n.person.0),
                }),
            })
        };
        // Everyone twice (a double click), and someone unknown in the middle.
        let asked: Vec<PersonId> = everyone.iter().chain([unknown].iter()).chain(everyone.iter()).copied().collect();
        let tasks: Vec<_> = asked
            .iter()
            .map(|&p| {
                let store = store.clone();
                tokio::spawn(async move { (p, store.enrol(SYSTEM, session, p, mail).await) })
            })
            .collect();
        let mut fresh = BTreeMap::new();
        for t in tasks {
            let (p, answer) = t.await.expect("join");
            if p == unknown {
                assert_eq!(answer.map_err(code), Err("not-found"));
                continue;
            }
            let o = answer.expect("answered");
            if !o.already {
                assert!(fresh.insert(p, o.enrolment).is_none(), "{p:?} enrolled twice");
            }
        }
        assert_eq!(fresh.len(), 40, "each person enrolled once");
        let list = store.participants(session).await.expect("list");
        assert_eq!(list.len(), 40);
        assert_eq!(list.iter().filter(|p| p.state == EnrolmentState::Confirmed).count(), 10);
        let arrivals: Vec<i64> = {
            let mut a: Vec<i64> = list.iter().map(|p| p.arrival).collect();
            a.sort();
            a
        };
        assert_eq!(arrivals, (1..=40).collect::<Vec<_>>(), "arrival numbers without gaps");
        let mails = store.due_mail(1000).await.expect("mail");
        let mut told = std::collections::BTreeSet::new();
        for m in &mails {
            let person = m.subject.split(' ').next().expect("person");
            assert_eq!(m.to_address, format!("p{person}@example.org"));
            assert_eq!(m.attachments.len(), 1);
            assert_eq!(m.attachments[0].content, format!("person {person}"), "the attachment of {}", m.subject);
            assert!(told.insert(person.parse::<i64>().expect("id")), "{person} told twice");
        }
        // Everyone placed who has an address is told once (people without one get no e-mail).
        let mut with_address = std::collections::BTreeSet::new();
        for p in &everyone {
            if store.person(*p).await.expect("person").person.email.is_some() {
                with_address.insert(p.0);
            }
        }
        assert!(with_address.len() >= 10, "{} with an address", with_address.len());
        assert_eq!(told, with_address);
        db.drop_db().await;
    }
}

#[tokio::test]
async fn cancelling_promotes_and_refusals_have_codes() {
    for db in backends().await {
        let store = db.store.clone();
        let region = seed_small(&store).await;
        let (course, session) = course_with_session(&store, region, &session_draft(2, vec![], 86_400)).await;
        let p: Vec<PersonId> = people(&store, 3).await.into_iter().map(|(p, _)| p).collect();
        for &x in &p[..4] {
            store.enrol(SYSTEM, session, x, no_mail).await.expect("enrol");
        }
        assert_eq!(
            store.enrolment_state(session, p[3]).await.expect("state"),
            Some(EnrolmentState::Waitlisted { position: 2, of: 2 })
        );
        // Before the deadline: the seat goes to the first waiting, in the same transaction.
        let out = store.cancel_enrolment(SYSTEM, session, p[0], &no_mail).await.expect("cancel");
        assert_eq!(out.state, EnrolmentState::Cancelled { late: false });
        assert_eq!(out.promoted, vec![p[2]]);
        assert_eq!(
            store.enrolment_state(session, p[3]).await.expect("state"),
            Some(EnrolmentState::Waitlisted { position: 1, of: 1 })
        );
        // Leaving the waitlist.
        let out = store.cancel_enrolment(SYSTEM, session, p[3], &no_mail).await.expect("leave");
        assert_eq!(out.state, EnrolmentState::LeftWaitlist);
        assert_eq!(store.cancel_enrolment(SYSTEM, session, p[3], &no_mail).await.map_err(code), Err("not-enrolled"));
        // Enrolling again after cancelling is a new arrival.
        let again = store.enrol(SYSTEM, session, p[0], no_mail).await.expect("again");
        assert_eq!(again.state, EnrolmentState::Waitlisted { position: 1, of: 1 });
        // After the deadline a cancellation is late; the seat still goes on.
        let (_, late_session) = course_with_session(&store, region, &session_draft(1, vec![], -60)).await;
        store.enrol(SYSTEM, late_session, p[4], no_mail).await.expect("enrol");
        store.enrol(SYSTEM, late_session, p[5], no_mail).await.expect("wait");
        let out = store.cancel_enrolment(SYSTEM, late_session, p[4], &no_mail).await.expect("late");
        assert_eq!(out.state, EnrolmentState::Cancelled { late: true });
        assert_eq!(out.promoted, vec![p[5]]);
        // Overlapping sessions: a warning naming the other course, not a refusal.
        let (_, same_day) = course_with_session(&store, region, &session_draft(5, vec![], 86_400)).await;
        let o = store.enrol(SYSTEM, same_day, p[1], no_mail).await.expect("overlap is allowed");
        assert_eq!(o.state, EnrolmentState::Confirmed);
        assert_eq!(o.overlaps.iter().map(|x| (x.course, x.session)).collect::<Vec<_>>(), vec![(course, session)]);
        // A cancelled session and a closed enrolment refuse with their codes.
        store.cancel_session(SYSTEM, same_day, &no_mail).await.expect("cancel session");
        assert_eq!(store.enrol(SYSTEM, same_day, p[2], no_mail).await.map_err(code), Err("session-cancelled"));
        let mut closed = session_draft(5, vec![], -7200);
        closed.enrolment_closes_at = jiff::Timestamp::now().as_second() - 3600;
        let (_, closed) = course_with_session(&store, region, &closed).await;
        assert_eq!(store.enrol(SYSTEM, closed, p[2], no_mail).await.map_err(code), Err("enrolment-closed"));
        assert_eq!(store.enrol(SYSTEM, SessionId(999_999), p[2], no_mail).await.map_err(code), Err("not-found"));
        // A larger session takes people from the waitlist at once.
        let mut bigger = store.session(session).await.expect("s").draft;
        bigger.capacity = 3;
        assert_eq!(store.update_session(SYSTEM, session, &bigger, &no_mail).await.expect("resize"), vec![p[0]]);
        db.drop_db().await;
    }
}

#[tokio::test]
async fn quotas_hold_under_a_rush() {
    for db in backends().await {
        let store = db.store.clone();
        let region = seed_small(&store).await;
        let everyone = people(&store, 30).await;
        let first_m = everyone[0].1;
        let (_, session) =
            course_with_session(&store, region, &session_draft(10, vec![(first_m.0, "3".into())], 86_400)).await;
        let tasks: Vec<_> = everyone
            .iter()
            .map(|&(p, _)| {
                let store = store.clone();
                tokio::spawn(async move { store.enrol(SYSTEM, session, p, no_mail).await })
            })
            .collect();
        for t in tasks {
            t.await.expect("join").expect("no errors");
        }
        let municipality_of: BTreeMap<_, _> = everyone.iter().copied().collect();
        let list = store.participants(session).await.expect("list");
        let confirmed: Vec<_> = list.iter().filter(|p| p.state == EnrolmentState::Confirmed).collect();
        assert_eq!(confirmed.len(), 10);
        assert_eq!(confirmed.iter().filter(|p| municipality_of[&p.person] == first_m).count(), 3);
        db.drop_db().await;
    }
}

mod interleavings {
    //! Random sequences of enrolments and cancellations, run in random concurrent batches; after each batch the
    //! invariants hold, and a cancellation run alone hands its seat to the first waiting the quota allows.
    use super::*;
    use loft_store::courses::Participant;
    use proptest::prelude::*;

    #[derive(Debug, Clone)]
    enum Op {
        Enrol(usize),
        Cancel(usize),
    }

    fn ops() -> impl Strategy<Value = Vec<Vec<Op>>> {
        let op = prop_oneof![3 => (0usize..12).prop_map(Op::Enrol), 2 => (0usize..12).prop_map(Op::Cancel)];
        proptest::collection::vec(proptest::collection::vec(op, 1..5), 1..12)
    }

    fn check(
        list: &[Participant],
        capacity: i64,
        quota: (MunicipalityId, i64),
        municipality_of: &BTreeMap<PersonId, MunicipalityId>,
    ) {
        let confirmed: Vec<_> = list.iter().filter(|p| p.state == EnrolmentState::Confirmed).collect();
        let waiting: Vec<_> = list.iter().filter(|p| matches!(p.state, EnrolmentState::Waitlisted { .. })).collect();
        assert!(confirmed.len() as i64 <= capacity, "over capacity");
        let in_quota = confirmed.iter().filter(|p| municipality_of[&p.person] == quota.0).count() as i64;
        assert!(in_quota <= quota.1, "quota broken");
        assert!(waiting.windows(2).all(|w| w[0].arrival < w[1].arrival), "waitlist out of arrival order");
        // No seat stays free while someone the quota allows is waiting.
        if (confirmed.len() as i64) < capacity {
            assert!(
                waiting.iter().all(|w| municipality_of[&w.person] == quota.0 && in_quota >= quota.1),
                "a free seat and an eligible person waiting"
            );
        }
    }

    /// Who should get a seat freed now: the first waiting the quota allows.
    fn first_eligible(
        list: &[Participant],
        quota: (MunicipalityId, i64),
        m: &BTreeMap<PersonId, MunicipalityId>,
    ) -> Option<PersonId> {
        let in_quota =
            list.iter().filter(|p| p.state == EnrolmentState::Confirmed && m[&p.person] == quota.0).count() as i64;
        list.iter()
            .filter(|p| matches!(p.state, EnrolmentState::Waitlisted { .. }))
            .find(|p| m[&p.person] != quota.0 || in_quota < quota.1)
            .map(|p| p.person)
    }

    async fn run(store: &Store, region: RegionId, everyone: &[(PersonId, MunicipalityId)], batches: Vec<Vec<Op>>) {
        let quota = (everyone[0].1, 2);
        let capacity = 4;
        let (_, session) =
            course_with_session(store, region, &session_draft(capacity, vec![(quota.0.0, "2".into())], 86_400)).await;
        let m: BTreeMap<_, _> = everyone.iter().copied().collect();
        for batch in batches {
            let before = store.participants(session).await.expect("list");
            let single = batch.len() == 1;
            let tasks: Vec<_> = batch
                .into_iter()
                .map(|op| {
                    let store = store.clone();
                    let (op, person) = match op {
                        Op::Enrol(i) => (true, everyone[i].0),
                        Op::Cancel(i) => (false, everyone[i].0),
                    };
                    tokio::spawn(async move {
                        if op {
                            store.enrol(SYSTEM, session, person, no_mail).await.map(|_| None)
                        } else {
                            match store.cancel_enrolment(SYSTEM, session, person, &no_mail).await {
                                Ok(out) => Ok(Some((person, out))),
                                Err(StoreError::Domain(DomainError::Conflict { code: "not-enrolled", .. })) => Ok(None),
                                Err(e) => Err(e),
                            }
                        }
                    })
                })
                .collect();
            for t in tasks {
                let done = t.await.expect("join").expect("no errors");
                if let (true, Some((person, out))) = (single, done) {
                    let was_confirmed =
                        before.iter().any(|p| p.person == person && p.state == EnrolmentState::Confirmed);
                    if was_confirmed {
                        let rest: Vec<_> = before.iter().filter(|p| p.person != person).cloned().collect();
                        assert_eq!(
                            out.promoted.first().copied(),
                            first_eligible(&rest, quota, &m),
                            "freed seat to the first waiting"
                        );
                    } else {
                        assert!(out.promoted.is_empty());
                    }
                }
            }
            check(&store.participants(session).await.expect("list"), capacity, quota, &m);
        }
    }

    #[test]
    fn random_interleavings_keep_the_invariants() {
        let rt = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().expect("runtime");
        let dbs = rt.block_on(backends());
        for db in dbs {
            let store = db.store.clone();
            let region = rt.block_on(seed_small(&store));
            let all = rt.block_on(people(&store, 6));
            let everyone: Vec<_> = all.into_iter().take(12).collect();
            assert_eq!(everyone.len(), 12);
            let config = ProptestConfig { cases: 24, failure_persistence: None, ..ProptestConfig::default() };
            proptest!(config, |(batches in ops())| {
                rt.block_on(run(&store, region, &everyone, batches));
            });
            rt.block_on(db.drop_db());
        }
    }
}

/// The catalogue is held in memory per process: this process's changes show at once, another process's (a second
/// store on the same database, as with several servers on PostgreSQL) within a second.
#[tokio::test]
async fn the_catalogue_in_memory_follows_changes_here_at_once_and_elsewhere_within_a_second() {
    for db in backends().await {
        let here = &db.store;
        let region = seed_small(here).await;
        let elsewhere = Store::connect(&db.url).await.expect("second process");
        let all = CatalogueQuery { region: Some(region), page: 1, ..Default::default() };
        let titles =
            |cards: Vec<loft_store::courses::CourseCard>| cards.into_iter().map(|c| c.title).collect::<Vec<_>>();
        assert!(here.catalogue(&all).await.expect("empty").is_empty());
        assert!(elsewhere.catalogue(&all).await.expect("empty").is_empty());
        let (course, session) = course_with_session(here, region, &session_draft(1, vec![], 86_400)).await;
        assert_eq!(titles(here.catalogue(&all).await.expect("here")), vec!["Informasjonssikkerhet"]);
        let mut renamed = course_draft(region, "Personvern i praksis");
        renamed.summary = "Om taushetsplikt".into();
        here.update_course(SYSTEM, course, &renamed).await.expect("rename");
        let search =
            |text: &str| CatalogueQuery { filter: Filter { text: text.into(), ..Default::default() }, ..all.clone() };
        assert_eq!(
            titles(here.catalogue(&search("taushetsplikten")).await.expect("here")),
            vec!["Personvern i praksis"]
        );
        assert!(here.catalogue(&search("informasjonssikkerhet")).await.expect("here").is_empty());
        // A seat taken here shows here at once.
        let free = CatalogueQuery { filter: Filter { free_seats_only: true, ..Default::default() }, ..all.clone() };
        assert_eq!(here.catalogue(&all).await.expect("here")[0].free_seats, 1);
        here.enrol(SYSTEM, session, people(here, 1).await[0].0, no_mail).await.expect("enrol");
        assert_eq!(here.catalogue(&all).await.expect("here")[0].free_seats, 0);
        assert!(here.catalogue(&free).await.expect("here").is_empty());
        // The other process catches up within a second, with the course and the seat.
        tokio::time::sleep(std::time::Duration::from_millis(1_100)).await;
        let there = elsewhere.catalogue(&all).await.expect("elsewhere");
        assert_eq!((there[0].title.as_str(), there[0].free_seats), ("Personvern i praksis", 0));
        // A cancelled session leaves the catalogue's upcoming sessions.
        here.cancel_session(SYSTEM, session, &no_mail).await.expect("cancel");
        assert_eq!(here.catalogue(&all).await.expect("here")[0].next_starts_at, None);
        db.drop_db().await;
    }
}

/// Pages of fifty (sessions on the same day: by title), with the total over all pages.
#[tokio::test]
async fn the_catalogue_comes_in_pages_of_fifty() {
    for db in backends().await {
        let store = &db.store;
        let region = seed_small(store).await;
        for i in 0..55 {
            let course =
                store.create_course(SYSTEM, &course_draft(region, &format!("Kurs {i:02}"))).await.expect("course");
            store.create_sessions(SYSTEM, course, &[session_draft(10, vec![], 86_400)]).await.expect("session");
        }
        let page = |page| CatalogueQuery { region: Some(region), page, ..Default::default() };
        let first = store.catalogue_page(&page(1)).await.expect("first");
        assert_eq!((first.cards.len(), first.total), (50, 55));
        assert_eq!(first.cards[0].title, "Kurs 00");
        let second = store.catalogue_page(&page(2)).await.expect("second");
        let titles: Vec<_> = second.cards.iter().map(|c| c.title.as_str()).collect();
        assert_eq!(titles, ["Kurs 50", "Kurs 51", "Kurs 52", "Kurs 53", "Kurs 54"]);
        assert!(store.catalogue_page(&page(3)).await.expect("past the end").cards.is_empty());
        db.drop_db().await;
    }
}

#[tokio::test]
async fn the_demo_catalogue_has_full_sessions_and_waitlists() {
    for db in backends().await {
        let region = seed_small(&db.store).await;
        assert_eq!(db.store.seed_demo_courses(region).await.expect("demo"), 6);
        let cards =
            db.store.catalogue(&CatalogueQuery { region: Some(region), ..Default::default() }).await.expect("cards");
        assert_eq!(cards.len(), 6);
        let mut waiting = 0;
        for c in &cards {
            for s in db.store.sessions(c.id).await.expect("sessions") {
                assert!(s.confirmed <= s.draft.capacity);
                waiting += s.waitlisted;
            }
        }
        assert_eq!(waiting, 8, "two sessions are full with four waiting each");
        db.drop_db().await;
    }
}

#[tokio::test]
async fn attendance_on_every_day_completes_and_gives_competence_evidence() {
    for db in backends().await {
        let store = &db.store;
        let region = seed_small(store).await;
        let mut two_days = session_draft(5, vec![], 86_400);
        let first = two_days.days[0];
        two_days.days.push(loft_domain::courses::session::MeetingDay {
            starts_at: first.starts_at + 86_400,
            ends_at: first.ends_at + 86_400,
        });
        let (_, session) = course_with_session(store, region, &two_days).await;
        let p: Vec<PersonId> = people(store, 2).await.into_iter().map(|(p, _)| p).collect();
        for &x in &p[..2] {
            store.enrol(SYSTEM, session, x, no_mail).await.expect("enrol");
        }
        let days = store.attendance(session).await.expect("sheet");
        assert_eq!(days.len(), 2);
        assert!(days[0].rows.iter().all(|r| r.present.is_none()));
        let (d1, d2) = (days[0].day_id, days[1].day_id);
        store.mark_attendance(SYSTEM, session, d1, &[(p[0], true), (p[1], true)]).await.expect("day 1");
        store.mark_attendance(SYSTEM, session, d2, &[(p[0], true), (p[1], false)]).await.expect("day 2");
        let evidence = store.competence_evidence(p[0]).await.expect("evidence");
        assert_eq!(evidence.len(), 1);
        assert_eq!(
            (evidence[0].framework_key.as_str(), evidence[0].competence.as_str(), evidence[0].level),
            ("digcomp", "4.2", 3)
        );
        assert_eq!(evidence[0].source, "course-enrolment");
        let last_day = loft_domain::courses::session::utc_to_local(first.ends_at + 86_400).date().to_string();
        assert_eq!(evidence[0].achieved_on, last_day);
        assert!(store.competence_evidence(p[1]).await.expect("evidence").is_empty(), "one day missed");
        let sheet = store.attendance(session).await.expect("sheet");
        assert!(sheet[1].rows.iter().any(|r| r.person == p[0] && r.completed && r.present == Some(true)));
        // Correcting the list takes the completion back.
        store.mark_attendance(SYSTEM, session, d2, &[(p[0], false)]).await.expect("correct");
        assert!(store.competence_evidence(p[0]).await.expect("evidence").is_empty());
        // Only confirmed participants, and only this session's days.
        assert_eq!(
            store.mark_attendance(SYSTEM, session, d1, &[(p[2], true)]).await.map_err(code),
            Err("not-a-participant")
        );
        assert_eq!(store.mark_attendance(SYSTEM, SessionId(999_999), d1, &[]).await.map_err(code), Err("not-found"));
        db.drop_db().await;
    }
}

/// Moving a session: attendance stays with its day, everyone with a seat or on the waitlist is told with the new
/// days and a higher revision, the promoted get their confirmation instead, and a day with attendance cannot
/// be dropped.
#[tokio::test]
async fn moving_a_session_keeps_attendance_and_tells_everyone() {
    use loft_store::courses::{Mail, Notice, NoticeKind};
    for db in backends().await {
        let store = &db.store;
        let region = seed_small(store).await;
        let p: Vec<PersonId> = people(store, 2).await.into_iter().map(|(p, _)| p).collect();
        let draft = session_draft(2, vec![], 86_400);
        let (_, session) = course_with_session(store, region, &draft).await;
        for person in &p[..3] {
            store.enrol(SYSTEM, session, *person, no_mail).await.expect("enrol");
        }
        let first_day = store.attendance(session).await.expect("sheet")[0].day_id;
        store.mark_attendance(SYSTEM, session, first_day, &[(p[0], true)]).await.expect("mark");
        assert_eq!(store.session(session).await.expect("session").revision, 0);

        let told = std::sync::Mutex::new(Vec::<Notice>::new());
        let record = |n: &Notice| -> Option<Mail> {
            told.lock().expect("lock").push(n.clone());
            None
        };
        // Nothing that reaches a calendar changed: nobody is told.
        let mut same = draft.clone();
        same.instructors = vec!["Kari Nordmann".into()];
        store.update_session(SYSTEM, session, &same, &record).await.expect("update");
        assert!(told.lock().expect("lock").is_empty());
        assert_eq!(store.session(session).await.expect("session").revision, 0);

        // A day later, another room, a second day, and a third seat (the waitlisted moves up).
        let mut moved = draft.clone();
        let shift =
            |d: &loft_domain::courses::session::MeetingDay, days: i64| loft_domain::courses::session::MeetingDay {
                starts_at: d.starts_at + days * 86_400,
                ends_at: d.ends_at + days * 86_400,
            };
        moved.days = vec![shift(&draft.days[0], 1), shift(&draft.days[0], 2)];
        moved.room = "Store sal".into();
        moved.capacity = 3;
        assert_eq!(store.update_session(SYSTEM, session, &moved, &record).await.expect("move"), vec![p[2]]);
        let notices = std::mem::take(&mut *told.lock().expect("lock"));
        let kinds: Vec<(PersonId, NoticeKind)> = notices.iter().map(|n| (n.person, n.kind)).collect();
        assert_eq!(
            kinds,
            vec![(p[2], NoticeKind::Promoted), (p[0], NoticeKind::SessionChanged), (p[1], NoticeKind::SessionChanged)]
        );
        assert!(notices.iter().all(|n| n.days == moved.days && n.revision == 1 && n.room == "Store sal"));
        let view = store.session(session).await.expect("session");
        assert_eq!((view.revision, view.draft.days.clone()), (1, moved.days.clone()));
        // The mark made before the move is still on the (moved) first day.
        let sheet = store.attendance(session).await.expect("sheet");
        assert_eq!(sheet[0].day_id, first_day);
        let present = |day: &loft_store::courses::attendance::AttendanceDay, who: PersonId| {
            day.rows.iter().find(|r| r.person == who).and_then(|r| r.present)
        };
        assert_eq!(present(&sheet[0], p[0]), Some(true));

        // Dropping the second day tells everyone which day went; dropping a day with attendance is refused.
        store.mark_attendance(SYSTEM, session, sheet[1].day_id, &[(p[1], false)]).await.expect("mark");
        let mut shorter = moved.clone();
        shorter.days.truncate(1);
        assert_eq!(
            store.update_session(SYSTEM, session, &shorter, &record).await.map_err(code),
            Err("day-has-attendance")
        );
        assert!(told.lock().expect("lock").is_empty(), "a refused change tells nobody");
        assert_eq!(store.session(session).await.expect("session").draft.days.len(), 2, "and changes nothing");
        db.drop_db().await;
    }
}

/// A course that needs approval: a person's own enrolment waits without a seat; someone enrolling them approves
/// it and it is placed then, in the order of approvals; a declined person is told and may ask again.
#[tokio::test]
async fn requests_wait_for_approval_and_are_placed_when_approved() {
    use loft_store::courses::{Mail, Notice, NoticeKind};
    for db in backends().await {
        let store = &db.store;
        let region = seed_small(store).await;
        let p: Vec<PersonId> = people(store, 2).await.into_iter().map(|(p, _)| p).collect();
        let (asker, second, third, manager) = (p[0], p[1], p[2], p[3]);
        let own = |person: PersonId| Change { actor: Some(person), region: None, municipality: None };
        let by_manager = own(manager);
        let mut course = course_draft(region, "Lederutvikling");
        course.requires_approval = true;
        let course = store.create_course(SYSTEM, &course).await.expect("course");
        assert!(store.course(course).await.expect("course").draft.requires_approval);
        let session = store.create_sessions(SYSTEM, course, &[session_draft(1, vec![], 86_400)]).await.expect("s")[0];

        let told = std::sync::Arc::new(std::sync::Mutex::new(Vec::<(PersonId, NoticeKind)>::new()));
        let record = {
            let told = told.clone();
            move |n: &Notice| -> Option<Mail> {
                told.lock().expect("lock").push((n.person, n.kind));
                None
            }
        };
        let asked = store.enrol(own(asker), session, asker, record.clone()).await.expect("request");
        assert_eq!((asked.state, asked.already), (EnrolmentState::Pending, false));
        let again = store.enrol(own(asker), session, asker, record.clone()).await.expect("double click");
        assert_eq!((again.state, again.already), (EnrolmentState::Pending, true));
        store.enrol(own(second), session, second, record.clone()).await.expect("request");
        let view = store.session(session).await.expect("session");
        assert_eq!((view.confirmed, view.waitlisted), (0, 0), "a request holds no seat");
        let everyone = Reach { everything: true, ..Default::default() };
        let waiting: Vec<PersonId> =
            store.pending_requests(&everyone).await.expect("pending").iter().map(|r| r.person).collect();
        assert_eq!(waiting, vec![asker, second]);

        // Approvals place people in the order they are given.
        assert_eq!(
            store.enrol(by_manager, session, second, record.clone()).await.expect("approve").state,
            EnrolmentState::Confirmed
        );
        assert_eq!(
            store.enrol(by_manager, session, asker, record.clone()).await.expect("approve").state,
            EnrolmentState::Waitlisted { position: 1, of: 1 }
        );
        assert!(store.pending_requests(&everyone).await.expect("pending").is_empty());

        // Declined: told, not pending any more, and may ask again (and withdraw).
        store.enrol(own(third), session, third, record.clone()).await.expect("request");
        store.reject_request(by_manager, session, third, &record).await.expect("reject");
        assert_eq!(store.enrolment_state(session, third).await.expect("state"), Some(EnrolmentState::Rejected));
        assert_eq!(
            store.reject_request(by_manager, session, third, &record).await.map_err(code),
            Err("no-pending-request")
        );
        assert_eq!(
            store.enrol(own(third), session, third, record.clone()).await.expect("again").state,
            EnrolmentState::Pending
        );
        let withdrawn = store.cancel_enrolment(own(third), session, third, &record).await.expect("withdraw");
        assert_eq!(withdrawn.state, EnrolmentState::Cancelled { late: false });
        assert!(store.pending_requests(&everyone).await.expect("pending").is_empty());

        let told = told.lock().expect("lock").clone();
        assert_eq!(
            told,
            vec![
                (asker, NoticeKind::Requested),
                (second, NoticeKind::Requested),
                (second, NoticeKind::Confirmed),
                (asker, NoticeKind::Waitlisted { position: 1, of: 1 }),
                (third, NoticeKind::Requested),
                (third, NoticeKind::Rejected),
                (third, NoticeKind::Requested),
            ]
        );
        // Enrolled by someone else at once (a coordinator's enrolment is the approval): no request step.
        let fourth = people(store, 3).await.into_iter().map(|(p, _)| p).find(|x| !p.contains(x)).expect("another");
        assert_eq!(
            store.enrol(by_manager, session, fourth, no_mail).await.expect("enrol").state,
            EnrolmentState::Waitlisted { position: 2, of: 2 }
        );
        db.drop_db().await;
    }
}

/// The reminder before a session: once per confirmed seat, only within the window, not for the waitlist, not for
/// a cancelled session, and not for someone confirmed inside the window (their confirmation is recent).
#[tokio::test]
async fn reminders_go_once_to_confirmed_seats_before_the_session() {
    use loft_store::courses::{Mail, Notice, NoticeKind};
    for db in backends().await {
        let store = &db.store;
        let region = seed_small(store).await;
        let p: Vec<PersonId> = people(store, 2).await.into_iter().map(|(p, _)| p).collect();
        let draft = session_draft(1, vec![], 86_400);
        let starts = draft.days[0].starts_at;
        let (course, session) = course_with_session(store, region, &draft).await;
        store.enrol(SYSTEM, session, p[0], no_mail).await.expect("seat");
        store.enrol(SYSTEM, session, p[1], no_mail).await.expect("waitlist");
        let cancelled = store.create_sessions(SYSTEM, course, std::slice::from_ref(&draft)).await.expect("s")[0];
        store.enrol(SYSTEM, cancelled, p[2], no_mail).await.expect("seat");
        store.cancel_session(SYSTEM, cancelled, &no_mail).await.expect("cancel");

        let told = std::sync::Mutex::new(Vec::<(PersonId, NoticeKind)>::new());
        let record = |n: &Notice| -> Option<Mail> {
            told.lock().expect("lock").push((n.person, n.kind));
            None
        };
        // Three days ahead with a two-day window: not yet.
        assert_eq!(store.queue_course_reminders(starts - 3 * 86_400, 2, &record).await.expect("q"), 0);
        // A day ahead: the confirmed seat only, once.
        assert_eq!(store.queue_course_reminders(starts - 86_400, 2, &record).await.expect("q"), 1);
        assert_eq!(store.queue_course_reminders(starts - 86_399, 2, &record).await.expect("q"), 0);
        assert_eq!(*told.lock().expect("lock"), vec![(p[0], NoticeKind::Reminder)]);
        // Turned off: nothing.
        assert_eq!(store.queue_course_reminders(starts - 86_400, 0, &record).await.expect("q"), 0);
        // Confirmed only now, inside a 40-day window: the confirmation was the reminder.
        let late = store.create_sessions(SYSTEM, course, std::slice::from_ref(&draft)).await.expect("s")[0];
        store.enrol(SYSTEM, late, p[3], no_mail).await.expect("seat");
        let now = jiff::Timestamp::now().as_second();
        assert_eq!(store.queue_course_reminders(now, 40, &record).await.expect("q"), 0);
        db.drop_db().await;
    }
}

/// The anonymous evaluation: only a completed participant answers, once; nothing is shown below k answers.
#[tokio::test]
async fn evaluations_are_anonymous_once_per_participant_and_hidden_below_k() {
    use loft_domain::courses::evaluation::{Evaluation, report};
    use loft_domain::disclosure::MinGroupSize;
    use loft_store::courses::evaluation::EvaluationState;
    for db in backends().await {
        let store = &db.store;
        let region = seed_small(store).await;
        let (course, session) = course_with_session(store, region, &session_draft(10, vec![], 86_400)).await;
        let p: Vec<PersonId> = people(store, 4).await.into_iter().map(|(p, _)| p).collect();
        for &x in &p[..6] {
            store.enrol(SYSTEM, session, x, no_mail).await.expect("enrol");
        }
        let day = store.attendance(session).await.expect("sheet")[0].day_id;
        let marks: Vec<(PersonId, bool)> = p[..6].iter().map(|x| (*x, true)).collect();
        store.mark_attendance(SYSTEM, session, day, &marks).await.expect("all came");
        let answer = |o: i64| Evaluation { overall: o, relevance: 4, comment: format!("Svar {o}") };

        assert_eq!(store.evaluation_state(session, p[6]).await.expect("state"), EvaluationState::NotCompleted);
        assert_eq!(store.submit_evaluation(session, p[6], &answer(5)).await.map_err(code), Err("not-completed"));
        for (i, x) in p[..4].iter().enumerate() {
            assert_eq!(store.evaluation_state(session, *x).await.expect("state"), EvaluationState::Open);
            store.submit_evaluation(session, *x, &answer(i as i64 + 2)).await.expect("answer");
        }
        assert_eq!(store.submit_evaluation(session, p[0], &answer(1)).await.map_err(code), Err("already-evaluated"));
        assert_eq!(store.evaluation_state(session, p[0]).await.expect("state"), EvaluationState::Answered);
        let (tallies, comments) = store.evaluation_tallies(course).await.expect("tallies");
        let four = report(&tallies, comments, MinGroupSize::DEFAULT);
        assert!(four.course.is_none() && four.comments.is_empty(), "4 answers: nothing shown");

        store.submit_evaluation(session, p[4], &answer(5)).await.expect("fifth");
        let (tallies, comments) = store.evaluation_tallies(course).await.expect("tallies");
        let five = report(&tallies, comments, MinGroupSize::DEFAULT);
        let shown = five.course.expect("5 answers are shown");
        assert_eq!((shown.respondents, shown.overall), (5, [0, 1, 1, 1, 2]));
        assert_eq!(shown.overall_mean, Some(38), "(2+3+4+5+5)/5 = 3.8");
        let mut sorted = five.comments.clone();
        sorted.sort();
        assert_eq!(sorted, vec!["Svar 2", "Svar 3", "Svar 4", "Svar 5", "Svar 5"]);
        db.drop_db().await;
    }
}

#[tokio::test]
async fn certificates_only_for_completed_enrolments_frozen_and_verifiable() {
    use loft_domain::courses::certificate::CertificateCode;
    for db in backends().await {
        let store = &db.store;
        let region = seed_small(store).await;
        // Two seats: the fourth person cancels a seat, the third waits.
        let draft = session_draft(2, vec![], 86_400);
        let (course, session) = course_with_session(store, region, &draft).await;
        let p: Vec<PersonId> = people(store, 2).await.into_iter().map(|(p, _)| p).collect();
        store.enrol(SYSTEM, session, p[3], no_mail).await.expect("enrol");
        store.cancel_enrolment(SYSTEM, session, p[3], &no_mail).await.expect("cancel");
        for &x in &p[..3] {
            store.enrol(SYSTEM, session, x, no_mail).await.expect("enrol");
        }
        assert_eq!(
            store.enrolment_state(session, p[3]).await.expect("state"),
            Some(EnrolmentState::Cancelled { late: false })
        );
        assert!(matches!(
            store.enrolment_state(session, p[2]).await.expect("state"),
            Some(EnrolmentState::Waitlisted { .. })
        ));
        let day = store.attendance(session).await.expect("sheet")[0].day_id;
        store.mark_attendance(SYSTEM, session, day, &[(p[0], true), (p[1], false)]).await.expect("mark");
        let enrolment = |x: PersonId| async move { store.enrolment_in(session, x).await.expect("enrolment") };
        // Refused: confirmed but not completed, waitlisted, cancelled.
        for x in [p[1], p[2], p[3]] {
            assert_eq!(
                store.certificate_for(enrolment(x).await).await.map_err(code),
                Err("certificate-not-completed"),
                "{x:?}"
            );
        }
        assert_eq!(
            store.certificate_for(loft_domain::courses::EnrolmentId(999_999)).await.map_err(code),
            Err("not-found")
        );
        // Issued once: a second request gives the same certificate.
        let first = store.certificate_for(enrolment(p[0]).await).await.expect("issue");
        let again = store.certificate_for(enrolment(p[0]).await).await.expect("again");
        assert_eq!(first, again);
        assert!(first.valid);
        let person = store.person(p[0]).await.expect("person").person;
        assert_eq!(first.facts.person_name, person.display_name());
        assert_eq!(first.facts.course_title, "Informasjonssikkerhet");
        assert_eq!(first.facts.organiser, "Testregionen", "a regional course names the region");
        let day_one = loft_domain::courses::session::utc_to_local(draft.days[0].starts_at).date();
        assert_eq!((first.facts.first_day, first.facts.last_day), (day_one, day_one));
        assert_eq!(first.facts.competences.len(), 1);
        let c = &first.facts.competences[0];
        assert_eq!((c.framework_key.as_str(), c.competence.as_str(), c.level), ("digcomp", "4.2", 3));
        assert!(c.title.as_ref().is_some_and(|t| !t.nb.is_empty()), "the title is frozen in every language");
        assert!(store.has_completed(session, p[0]).await.expect("completed"));
        assert!(!store.has_completed(session, p[1]).await.expect("not completed"));
        // The facts are frozen: renaming the course changes nothing on the certificate.
        let mut renamed = store.course(course).await.expect("course").draft;
        renamed.title = "Nytt navn på kurset".into();
        store.update_course(SYSTEM, course, &renamed).await.expect("rename");
        // Verification reads the code as typed: case, dashes, spaces, O for 0 and I/L for 1.
        let typed = first.code.grouped().to_lowercase().replace('0', "o").replace('1', "l").replace('-', " ");
        let found = store.verify_certificate(&CertificateCode::parse(&typed).expect("parse")).await.expect("verify");
        assert_eq!(found, first);
        assert_eq!(found.facts.course_title, "Informasjonssikkerhet");
        let other = CertificateCode::from_random(u64::from_str_radix(&"1".repeat(15), 16).expect("hex"));
        assert_ne!(other, first.code);
        assert_eq!(store.verify_certificate(&other).await.map_err(code), Err("not-found"));
        // Completion taken back: the certificate is no longer valid, and no PDF is issued; restored when corrected.
        store.mark_attendance(SYSTEM, session, day, &[(p[0], false)]).await.expect("correct");
        assert!(!store.verify_certificate(&first.code).await.expect("verify").valid);
        assert_eq!(store.certificate_for(enrolment(p[0]).await).await.map_err(code), Err("certificate-not-completed"));
        store.mark_attendance(SYSTEM, session, day, &[(p[0], true)]).await.expect("correct back");
        let restored = store.certificate_for(enrolment(p[0]).await).await.expect("restored");
        assert_eq!((restored.code.clone(), restored.valid), (first.code.clone(), true));
        // Participants carry their enrolment and completion for the organiser's links.
        let list = store.participants(session).await.expect("participants");
        assert!(list.iter().any(|x| x.person == p[0] && x.completed && x.enrolment == first.enrolment));
        assert!(list.iter().filter(|x| x.person != p[0]).all(|x| !x.completed));
        db.drop_db().await;
    }
}

mod offers {
    //! Waitlist offers with an answer deadline: a freed seat is held for the first waiting (quota rules as for a
    //! promotion) until they accept, decline or let it lapse, and then passes on; an offered seat is taken
    //! everywhere seats are counted, so nothing is ever overbooked.
    use super::*;
    use loft_store::courses::{Mail, Notice, NoticeKind};
    use loft_store::testing::set_offer_deadlines;
    use std::sync::Mutex;

    fn now() -> i64 {
        jiff::Timestamp::now().as_second()
    }

    async fn offering_session(store: &Store, region: RegionId, hours: i64, s: &SessionDraft) -> (CourseId, SessionId) {
        let mut draft = course_draft(region, "Førstehjelp");
        draft.offer_hours = Some(hours);
        let course = store.create_course(SYSTEM, &draft).await.expect("course");
        let session = store.create_sessions(SYSTEM, course, std::slice::from_ref(s)).await.expect("session")[0];
        (course, session)
    }

    fn offered(state: Option<EnrolmentState>) -> Option<i64> {
        match state {
            Some(EnrolmentState::Offered { expires_at }) => Some(expires_at),
            _ => None,
        }
    }

    /// Cancel → offer; accept; decline passes on; a lapsed offer passes on lazily (accepting too late is refused)
    /// and through the periodic job; the held seat is taken for new arrivals, the session view and the catalogue.
    #[tokio::test]
    async fn a_freed_seat_is_offered_accepted_declined_and_lapses_on() {
        for db in backends().await {
            let store = &db.store;
            let region = seed_small(store).await;
            let p: Vec<PersonId> = people(store, 4).await.into_iter().map(|(p, _)| p).collect();
            let (course, session) = offering_session(store, region, 24, &session_draft(2, vec![], 86_400)).await;
            assert_eq!(store.course(course).await.expect("course").draft.offer_hours, Some(24));
            let told = Mutex::new(Vec::<(PersonId, NoticeKind)>::new());
            let record = |n: &Notice| -> Option<Mail> {
                told.lock().expect("lock").push((n.person, n.kind));
                None
            };
            for &x in &p[..5] {
                store.enrol(SYSTEM, session, x, no_mail).await.expect("enrol");
            }
            // A cancellation offers the seat to the first waiting, with the answer time as deadline.
            let before = now();
            let out = store.cancel_enrolment(SYSTEM, session, p[0], &record).await.expect("cancel");
            assert_eq!(out.promoted, vec![p[2]]);
            let deadline = offered(store.enrolment_state(session, p[2]).await.expect("state")).expect("offered");
            assert!((before + 24 * 3600..=now() + 24 * 3600).contains(&deadline), "{deadline}");
            // The offered seat is taken: no free seat for the session, the catalogue or a new arrival.
            let view = store.session(session).await.expect("session");
            assert_eq!((view.confirmed, view.offered, view.waitlisted, view.free_seats()), (1, 1, 2, 0));
            let all = CatalogueQuery { region: Some(region), ..Default::default() };
            let free_seats = |cards: Vec<loft_store::courses::CourseCard>| {
                cards.into_iter().find(|c| c.id == course).map(|c| c.free_seats).expect("listed")
            };
            assert_eq!(free_seats(store.catalogue(&all).await.expect("catalogue")), 0);
            let free = CatalogueQuery { filter: Filter { free_seats_only: true, ..Default::default() }, ..all.clone() };
            assert!(store.catalogue(&free).await.expect("catalogue").iter().all(|c| c.id != course));
            assert_eq!(
                store.enrol(SYSTEM, session, p[5], no_mail).await.expect("newcomer").state,
                EnrolmentState::Waitlisted { position: 3, of: 3 }
            );
            // A double click on enrol answers the offer; the participant list shows it after the confirmed.
            let again = store.enrol(SYSTEM, session, p[2], no_mail).await.expect("again");
            assert!(again.already && offered(Some(again.state)) == Some(deadline));
            let list = store.participants(session).await.expect("list");
            assert_eq!(list.iter().map(|x| x.person).take(2).collect::<Vec<_>>(), vec![p[1], p[2]]);
            // Accepting confirms, with the confirmation (and calendar entry) of a promotion.
            let own = Change { actor: Some(p[2]), region: None, municipality: None };
            assert_eq!(
                store.accept_offer(own, session, p[2], &record).await.expect("accept"),
                EnrolmentState::Confirmed
            );
            assert_eq!(store.decline_offer(own, session, p[2], &no_mail).await.map_err(code), Err("no-offer"));
            assert_eq!(store.accept_offer(own, session, p[3], &no_mail).await.map_err(code), Err("no-offer"));
            // Declining passes the seat on to the next waiting.
            store.cancel_enrolment(SYSTEM, session, p[1], &record).await.expect("cancel");
            let declined = store.decline_offer(SYSTEM, session, p[3], &record).await.expect("decline");
            assert_eq!((declined.state, declined.promoted), (EnrolmentState::OfferDeclined, vec![p[4]]));
            assert_eq!(store.enrolment_state(session, p[3]).await.expect("state"), Some(EnrolmentState::OfferDeclined));
            // Past the deadline, accepting is refused, and the seat goes on to the next in the same transaction.
            set_offer_deadlines(store, session, now() - 1).await;
            let late = Change { actor: Some(p[4]), region: None, municipality: None };
            assert_eq!(store.accept_offer(late, session, p[4], &record).await.map_err(code), Err("offer-expired"));
            assert_eq!(store.enrolment_state(session, p[4]).await.expect("state"), Some(EnrolmentState::OfferLapsed));
            assert!(offered(store.enrolment_state(session, p[5]).await.expect("state")).is_some());
            assert_eq!(store.accept_offer(late, session, p[4], &no_mail).await.map_err(code), Err("offer-expired"));
            // The periodic job lets offers lapse when nobody touches the session; with nobody left waiting the
            // seat is free again.
            assert_eq!(store.pass_on_lapsed_offers(now(), &record).await.expect("job"), 0, "nothing due yet");
            assert_eq!(store.pass_on_lapsed_offers(now() + 25 * 3600, &record).await.expect("job"), 1);
            assert_eq!(store.enrolment_state(session, p[5]).await.expect("state"), Some(EnrolmentState::OfferLapsed));
            assert_eq!(store.pass_on_lapsed_offers(now() + 25 * 3600, &record).await.expect("job"), 0, "once");
            let view = store.session(session).await.expect("session");
            assert_eq!((view.confirmed, view.offered, view.waitlisted, view.free_seats()), (1, 0, 0, 1));
            assert_eq!(free_seats(store.catalogue(&all).await.expect("catalogue")), 1, "the catalogue sees it at once");
            // Everyone concerned was told: offers carry their deadline, lapses and acceptances have their own e-mail.
            let told = told.lock().expect("lock").clone();
            assert!(
                told.iter().all(|(_, k)| !matches!(k, NoticeKind::Offered { expires_at } if *expires_at <= before))
            );
            let plain: Vec<_> = told
                .iter()
                .map(|(w, k)| match k {
                    NoticeKind::Offered { .. } => (*w, NoticeKind::Offered { expires_at: 0 }),
                    other => (*w, *other),
                })
                .collect();
            assert_eq!(
                plain,
                vec![
                    (p[2], NoticeKind::Offered { expires_at: 0 }),
                    (p[2], NoticeKind::Promoted),
                    (p[3], NoticeKind::Offered { expires_at: 0 }),
                    (p[4], NoticeKind::Offered { expires_at: 0 }),
                    (p[4], NoticeKind::OfferLapsed),
                    (p[5], NoticeKind::Offered { expires_at: 0 }),
                    (p[5], NoticeKind::OfferLapsed),
                ]
            );
            db.drop_db().await;
        }
    }

    /// An enrolment (or cancellation) sees a clean state: an offer past its deadline lapses first, inside the
    /// same transaction after the lock, and its seat goes to the next waiting before the newcomer is placed.
    #[tokio::test]
    async fn lapsed_offers_pass_on_lazily_before_a_booking() {
        for db in backends().await {
            let store = &db.store;
            let region = seed_small(store).await;
            let p: Vec<PersonId> = people(store, 3).await.into_iter().map(|(p, _)| p).collect();
            let (_, session) = offering_session(store, region, 2, &session_draft(1, vec![], 86_400)).await;
            for &x in &p[..3] {
                store.enrol(SYSTEM, session, x, no_mail).await.expect("enrol");
            }
            store.cancel_enrolment(SYSTEM, session, p[0], &no_mail).await.expect("cancel");
            assert!(offered(store.enrolment_state(session, p[1]).await.expect("state")).is_some());
            set_offer_deadlines(store, session, now() - 1).await;
            let newcomer = store.enrol(SYSTEM, session, p[3], no_mail).await.expect("newcomer");
            assert_eq!(newcomer.state, EnrolmentState::Waitlisted { position: 1, of: 1 });
            assert_eq!(store.enrolment_state(session, p[1]).await.expect("state"), Some(EnrolmentState::OfferLapsed));
            assert!(offered(store.enrolment_state(session, p[2]).await.expect("state")).is_some());
            // The same when the next booking is a cancellation of somebody else's waitlist place.
            set_offer_deadlines(store, session, now() - 1).await;
            store.cancel_enrolment(SYSTEM, session, p[4], &no_mail).await.map_err(code).expect_err("not enrolled");
            let left = store.cancel_enrolment(SYSTEM, session, p[3], &no_mail).await.expect("leave");
            assert_eq!(left.state, EnrolmentState::LeftWaitlist);
            assert_eq!(store.enrolment_state(session, p[2]).await.expect("state"), Some(EnrolmentState::OfferLapsed));
            assert_eq!(store.session(session).await.expect("session").free_seats(), 1, "nobody left to offer it");
            db.drop_db().await;
        }
    }

    /// A course that needs approval: the waitlisted person was approved when placed on the list, so a freed seat
    /// is offered straight to them.
    #[tokio::test]
    async fn an_approved_person_on_the_waitlist_is_offered_without_a_new_approval() {
        for db in backends().await {
            let store = &db.store;
            let region = seed_small(store).await;
            let p: Vec<PersonId> = people(store, 2).await.into_iter().map(|(p, _)| p).collect();
            let mut draft = course_draft(region, "Lederutvikling");
            draft.requires_approval = true;
            draft.offer_hours = Some(48);
            let course = store.create_course(SYSTEM, &draft).await.expect("course");
            let session =
                store.create_sessions(SYSTEM, course, &[session_draft(1, vec![], 86_400)]).await.expect("s")[0];
            let own = |x: PersonId| Change { actor: Some(x), region: None, municipality: None };
            let manager = own(p[3]);
            store.enrol(manager, session, p[0], no_mail).await.expect("enrol");
            assert_eq!(
                store.enrol(own(p[1]), session, p[1], no_mail).await.expect("ask").state,
                EnrolmentState::Pending
            );
            assert_eq!(
                store.enrol(manager, session, p[1], no_mail).await.expect("approve").state,
                EnrolmentState::Waitlisted { position: 1, of: 1 }
            );
            store.cancel_enrolment(SYSTEM, session, p[0], &no_mail).await.expect("cancel");
            assert!(offered(store.enrolment_state(session, p[1]).await.expect("state")).is_some());
            assert_eq!(
                store.accept_offer(own(p[1]), session, p[1], &no_mail).await.expect("accept"),
                EnrolmentState::Confirmed
            );
            db.drop_db().await;
        }
    }

    /// Offers outstanding never let a session or a municipality's quota hold more than its seats, whatever runs
    /// at the same time (enrolments, cancellations, declines, accepts and the periodic job).
    #[tokio::test]
    async fn offers_never_overbook_and_respect_quotas_under_a_rush() {
        for db in backends().await {
            let store = db.store.clone();
            let region = seed_small(&store).await;
            let everyone = people(&store, 8).await;
            let first_m = everyone[0].1;
            let m: BTreeMap<_, _> = everyone.iter().copied().collect();
            let capacity = 4;
            let (_, session) =
                offering_session(&store, region, 12, &session_draft(capacity, vec![(first_m.0, "2".into())], 86_400))
                    .await;
            let check = |list: &[loft_store::courses::Participant]| {
                let held: Vec<_> = list
                    .iter()
                    .filter(|x| matches!(x.state, EnrolmentState::Confirmed | EnrolmentState::Offered { .. }))
                    .collect();
                assert!(held.len() as i64 <= capacity, "over capacity: {}", held.len());
                assert!(held.iter().filter(|x| m[&x.person] == first_m).count() <= 2, "quota broken");
                held.len()
            };
            let rush = |ops: Vec<(u8, PersonId)>| {
                let tasks: Vec<_> = ops
                    .into_iter()
                    .map(|(op, person)| {
                        let store = store.clone();
                        tokio::spawn(async move {
                            let own = Change { actor: Some(person), region: None, municipality: None };
                            let r = match op {
                                0 => store.enrol(SYSTEM, session, person, no_mail).await.map(|_| ()),
                                1 => store.cancel_enrolment(SYSTEM, session, person, &no_mail).await.map(|_| ()),
                                2 => store.accept_offer(own, session, person, &no_mail).await.map(|_| ()),
                                3 => store.decline_offer(own, session, person, &no_mail).await.map(|_| ()),
                                _ => store.pass_on_lapsed_offers(now() + 13 * 3600, &no_mail).await.map(|_| ()),
                            };
                            match r {
                                Ok(()) | Err(StoreError::Domain(DomainError::Conflict { .. })) => {}
                                Err(e) => panic!("{e:?}"),
                            }
                        })
                    })
                    .collect();
                async move {
                    for t in tasks {
                        t.await.expect("join");
                    }
                }
            };
            rush(everyone.iter().map(|&(p, _)| (0, p)).collect()).await;
            assert_eq!(check(&store.participants(session).await.expect("list")), capacity as usize);
            for round in 0..4u8 {
                let list = store.participants(session).await.expect("list");
                // Everyone with a seat or an offer does something at once, with the job and newcomers beside.
                let ops: Vec<_> = list
                    .iter()
                    .filter(|x| x.state.is_active())
                    .enumerate()
                    .map(|(i, x)| ((i as u8 + round) % 5, x.person))
                    .collect();
                rush(ops).await;
                let list = store.participants(session).await.expect("list");
                let held = check(&list);
                let waiting = list.iter().filter(|x| matches!(x.state, EnrolmentState::Waitlisted { .. }));
                // No seat stays free while someone the quota allows waits.
                if (held as i64) < capacity {
                    let m_held = list
                        .iter()
                        .filter(|x| matches!(x.state, EnrolmentState::Confirmed | EnrolmentState::Offered { .. }))
                        .filter(|x| m[&x.person] == first_m)
                        .count();
                    assert!(waiting.clone().all(|w| m[&w.person] == first_m && m_held >= 2), "seat left free");
                }
            }
            db.drop_db().await;
        }
    }
}

mod reservations {
    //! Seats reserved for a unit: held against capacity, named later, given back to the waitlist, and released to
    //! it at their deadline (by the periodic job, or by the next booking of the session).
    use super::*;
    use loft_domain::org::Unit;
    use loft_store::testing::set_release_deadlines;

    /// A unit with at least `n` people working in it or under it, and (some of) those people.
    async fn unit_with_people(store: &Store, n: usize) -> (Unit, Vec<PersonId>) {
        let everyone = Reach { everything: true, ..Default::default() };
        for m in store.municipalities().await.expect("m") {
            for unit in store.units(m.id).await.expect("units") {
                let q = PeopleQuery { unit: Some(unit.path.clone()), per_page: 50, page: 1, ..Default::default() };
                let page = store.people(&everyone, &q).await.expect("people");
                if page.items.len() >= n {
                    return (unit, page.items.iter().map(|p| p.person.id).collect());
                }
            }
        }
        panic!("no unit with {n} people")
    }

    #[tokio::test]
    async fn reserved_seats_are_held_named_given_back_and_released_to_the_waitlist() {
        for db in backends().await {
            let store = &db.store;
            let region = seed_small(store).await;
            let now = jiff::Timestamp::now().as_second();
            let (_, session) = course_with_session(store, region, &session_draft(4, vec![], 86_400)).await;
            let (unit, staff) = unit_with_people(store, 3).await;
            // People of the other municipality, so certainly not in the unit.
            let others: Vec<PersonId> = people(store, 10)
                .await
                .into_iter()
                .filter(|(_, m)| *m != unit.municipality_id)
                .map(|(p, _)| p)
                .collect();
            let release = now + 10 * 86_400;
            assert_eq!(
                store.reserve_seats(SYSTEM, session, unit.id, 2, now + 25 * 86_400, &no_mail).await.map_err(code),
                Err("release-after-closing")
            );
            // Three of four seats held for the unit: one left for everyone else.
            let r = store.reserve_seats(SYSTEM, session, unit.id, 3, release, &no_mail).await.expect("reserve");
            assert_eq!(store.session(session).await.expect("s").free_seats(), 1);
            let state = |p| async move { store.enrolment_state(session, p).await.expect("state") };
            assert_eq!(
                store.enrol(SYSTEM, session, others[0], no_mail).await.expect("e").state,
                EnrolmentState::Confirmed
            );
            assert_eq!(
                store.enrol(SYSTEM, session, others[1], no_mail).await.expect("e").state,
                EnrolmentState::Waitlisted { position: 1, of: 1 }
            );
            assert_eq!(
                store.reserve_seats(SYSTEM, session, unit.id, 4, release, &no_mail).await.map_err(code),
                Err("not-enough-free-seats")
            );
            // Naming: only people of the unit, once each.
            assert_eq!(
                store.name_reserved_seat(SYSTEM, r, others[2], &no_mail).await.map_err(code),
                Err("not-in-reserved-unit")
            );
            let named = store.name_reserved_seat(SYSTEM, r, staff[0], &no_mail).await.expect("name");
            assert_eq!(named.state, EnrolmentState::Confirmed);
            assert_eq!(
                store.name_reserved_seat(SYSTEM, r, staff[0], &no_mail).await.map_err(code),
                Err("already-has-seat")
            );
            // Someone of the unit on the waitlist moves into a reserved seat.
            let (_, s2) = course_with_session(store, region, &session_draft(1, vec![], 86_400)).await;
            store.enrol(SYSTEM, s2, others[3], no_mail).await.expect("fills s2");
            assert!(matches!(
                store.enrol(SYSTEM, s2, staff[1], no_mail).await.expect("waits").state,
                EnrolmentState::Waitlisted { .. }
            ));
            assert_eq!(
                store.reserve_seats(SYSTEM, s2, unit.id, 1, release, &no_mail).await.map_err(code),
                Err("not-enough-free-seats"),
                "a full session has no seat to reserve"
            );
            // Giving a seat back hands it to the first waiting at once: 3 held → 1 (one named, one unnamed).
            store.reserve_seats(SYSTEM, session, unit.id, 1, release, &no_mail).await.expect("give back");
            assert_eq!(state(others[1]).await, Some(EnrolmentState::Confirmed));
            store.enrol(SYSTEM, session, others[2], no_mail).await.expect("waits");
            assert_eq!(state(others[2]).await, Some(EnrolmentState::Waitlisted { position: 1, of: 1 }));
            // At the deadline the unnamed seat goes to the waitlist (the periodic job) and can no longer be named.
            set_release_deadlines(store, session, now - 1).await;
            store.pass_on_lapsed_offers(now, &no_mail).await.expect("job");
            assert_eq!(state(others[2]).await, Some(EnrolmentState::Confirmed));
            assert_eq!(
                store.name_reserved_seat(SYSTEM, r, staff[1], &no_mail).await.map_err(code),
                Err("reservation-released")
            );
            let view = store.session(session).await.expect("s");
            assert_eq!((view.confirmed, view.reserved, view.free_seats()), (4, 0, 0), "never over capacity");
            let listed = store.reservations(session).await.expect("list");
            assert_eq!(listed.len(), 1);
            assert_eq!((listed[0].seats_left, listed[0].released_at.is_some()), (0, true));
            assert_eq!(listed[0].named.iter().map(|(p, _)| *p).collect::<Vec<_>>(), vec![staff[0]]);
            // Released lazily too: the next booking of the session hands a due seat to the first waiting.
            let (_, s3) = course_with_session(store, region, &session_draft(1, vec![], 86_400)).await;
            store.reserve_seats(SYSTEM, s3, unit.id, 1, release, &no_mail).await.expect("reserve all");
            store.enrol(SYSTEM, s3, others[4], no_mail).await.expect("waits");
            set_release_deadlines(store, s3, now - 1).await;
            store.enrol(SYSTEM, s3, others[5], no_mail).await.expect("second");
            assert_eq!(store.enrolment_state(s3, others[4]).await.expect("s"), Some(EnrolmentState::Confirmed));
            db.drop_db().await;
        }
    }
}
