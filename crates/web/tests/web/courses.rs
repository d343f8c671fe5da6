//! Courses in the pages: the catalogue with word-form search, a course page, enrolling (seat, waitlist place,
//! double click, cancel with promotion), managers enrolling their people, and organisers' forms with errors.

use crate::common::{World, csrf, worlds};
use loft_domain::courses::session::{SessionInput, local_input};
use loft_domain::courses::{CourseId, CourseInput, SessionId};
use loft_domain::ids::RegionId;
use loft_store::Store;
use loft_store::audit::Change;

const SYSTEM: Change = Change { actor: None, region: None, municipality: None };

/// A course about information security with one open session of `capacity` seats a month ahead.
pub async fn course_with_session(store: &Store, region: RegionId, capacity: i64) -> (CourseId, SessionId) {
    let course = CourseInput {
        title: "Kursene i informasjonssikkerhet".into(),
        summary: "Dagskonferanse for ledere".into(),
        competences: "digcomp 4.2 3".into(),
        format: "conference".into(),
        organiser_kind: "region".into(),
        price_external: "1500".into(),
        ..Default::default()
    }
    .parse(region)
    .expect("course");
    let id = store.create_course(SYSTEM, &course).await.expect("create");
    let now = jiff::Timestamp::now().as_second();
    let day = loft_domain::courses::session::utc_to_local(now + 30 * 86_400).date();
    let session = SessionInput {
        days: format!("{day} 09:00-15:00"),
        venue: "Kongsberg rådhus".into(),
        online_link: "https://meet.example/sikkerhet".into(),
        capacity: capacity.to_string(),
        enrolment_opens: local_input(now - 86_400),
        enrolment_closes: local_input(now + 20 * 86_400),
        cancellation_deadline: local_input(now + 10 * 86_400),
        ..Default::default()
    }
    .parse()
    .expect("session");
    let s = store.create_sessions(SYSTEM, id, &[session]).await.expect("session")[0];
    (id, s)
}

async fn region(world: &World) -> RegionId {
    world.store().regions().await.expect("regions")[0].id
}

/// Fifty cards a page: the count is over all pages, the links keep the search, and a bad page number is refused.
#[tokio::test]
async fn the_catalogue_pages_keep_the_search() {
    for world in worlds().await {
        for _ in 0..51 {
            course_with_session(world.store(), region(&world).await, 5).await;
        }
        let ansatt = world.login("ansatt").await;
        let first = ansatt.get("/courses?q=kurs").await.text();
        assert!(first.contains("51 kurs funnet"), "the count over every page");
        assert!(first.contains("Side 1 av 2"));
        assert_eq!(first.matches("class=\"ds-card\"").count(), 50);
        assert!(first.contains("href=\"/courses?q=kurs&#38;page=2\" rel=\"next\""), "the next page keeps the search");
        let second = ansatt.get("/courses?q=kurs&page=2").await.text();
        assert_eq!(second.matches("class=\"ds-card\"").count(), 1);
        assert!(second.contains("rel=\"prev\"") && !second.contains("rel=\"next\""));
        assert_eq!(ansatt.get("/courses?page=0").await.status_code(), 422);
        assert_eq!(ansatt.get("/courses?page=to").await.status_code(), 422);
        world.drop().await;
    }
}

#[tokio::test]
async fn employees_find_enrol_wait_and_move_up() {
    for world in worlds().await {
        let (course, session) = course_with_session(world.store(), region(&world).await, 1).await;
        let ansatt = world.login("ansatt").await;
        // "kurs" finds "Kursene"; something else finds nothing.
        let found = ansatt.get("/courses?q=kurs").await;
        assert_eq!(found.status_code(), 200);
        assert!(found.text().contains(&format!("/courses/{course}")), "search by word form");
        assert!(!ansatt.get("/courses?q=fotball").await.text().contains(&format!("/courses/{course}\"")));
        assert_eq!(ansatt.get("/courses?format=lecture").await.status_code(), 422);
        let page = ansatt.get(&format!("/courses/{course}")).await;
        assert_eq!(page.status_code(), 200);
        assert!(!page.text().contains("meet.example"), "the online link is for enrolled participants only");
        // The manager takes the one seat; the employee waits as number 1 of 1.
        let leder = world.login("leder").await;
        let token = csrf(&leder).await;
        let r = leder.post(&format!("/courses/sessions/{session}/enrol")).form(&[("csrf_token", token.as_str())]).await;
        assert_eq!(r.status_code(), 200);
        assert!(r.text().contains("Du har plass."), "{}", r.text());
        assert!(r.text().contains("meet.example"), "confirmed participants see the link");
        let token = csrf(&ansatt).await;
        let enrol =
            || ansatt.post(&format!("/courses/sessions/{session}/enrol")).form(&[("csrf_token", token.as_str())]);
        let r = enrol().await;
        assert!(r.text().contains("du er nummer 1 av 1"), "{}", r.text());
        // A double click answers the same place and enrols once.
        let r = enrol().await;
        assert!(r.text().contains("Du var allerede påmeldt"));
        assert_eq!(world.store().participants(session).await.expect("list").len(), 2);
        // The manager cancels before the deadline: the employee moves up and is told by e-mail.
        let mails_before = world.store().due_mail(1000).await.expect("mail").len();
        let token = csrf(&leder).await;
        let r =
            leder.post(&format!("/courses/sessions/{session}/cancel")).form(&[("csrf_token", token.as_str())]).await;
        assert!(r.text().contains("Påmeldingen er avmeldt."));
        assert!(ansatt.get(&format!("/courses/{course}")).await.text().contains("Du har plass."));
        let mails = world.store().due_mail(1000).await.expect("mail");
        assert_eq!(mails.len(), mails_before + 1);
        assert!(mails.iter().any(|m| m.subject.contains("Du har fått plass")), "promotion e-mail queued");
        // The organiser cancels the session: the employee with the seat is told, with a cancelled calendar entry.
        let kurs = world.login("kurs").await;
        let token = csrf(&kurs).await;
        let r = kurs
            .post(&format!("/courses/sessions/{session}/cancel-session"))
            .form(&[("csrf_token", token.as_str())])
            .await;
        assert_eq!(r.status_code(), 303);
        let mails = world.store().due_mail(1000).await.expect("mail");
        let cancelled = mails.iter().find(|m| m.subject.contains("er avlyst")).expect("a cancellation e-mail");
        assert!(cancelled.attachments.iter().any(|a| a.content.contains("STATUS:CANCELLED")), "{cancelled:?}");
        // Enrolling in a cancelled session is refused with its message.
        let token = csrf(&leder).await;
        let r = leder.post(&format!("/courses/sessions/{session}/enrol")).form(&[("csrf_token", token.as_str())]).await;
        assert_eq!(r.status_code(), 409);
        assert!(r.text().contains("Samlingen er avlyst"));
        world.drop().await;
    }
}

#[tokio::test]
async fn managers_enrol_their_people_and_nobody_else() {
    for world in worlds().await {
        let (course, session) = course_with_session(world.store(), region(&world).await, 5).await;
        let employee = world.store().credentials("ansatt").await.expect("q").expect("ansatt").person_id;
        let outsider = world.store().credentials("kommune").await.expect("q").expect("kommune").person_id;
        let leder = world.login("leder").await;
        let found = leder.get(&format!("/courses/sessions/{session}/enrol-others?q=")).await;
        assert_eq!(found.status_code(), 200);
        let token = csrf(&leder).await;
        let url = format!("/courses/sessions/{session}/enrol");
        let r = leder.post(&url).form(&[("csrf_token", token.as_str()), ("person", &employee.0.to_string())]).await;
        assert_eq!(r.status_code(), 200, "{}", r.text());
        assert!(r.text().contains("er meldt på"));
        let r = leder.post(&url).form(&[("csrf_token", token.as_str()), ("person", &outsider.0.to_string())]).await;
        assert_eq!(r.status_code(), 404, "someone outside the manager's units");
        let list = world.store().participants(session).await.expect("list");
        assert_eq!(list.iter().map(|p| p.person).collect::<Vec<_>>(), vec![employee]);
        // Enrolling someone else is an admin change in the audit log.
        let audit = world.login("admin").await.get("/audit").await.text();
        assert!(audit.contains("enrolment"));
        let ansatt = world.login("ansatt").await;
        assert_eq!(ansatt.get(&format!("/courses/sessions/{session}/enrol-others")).await.status_code(), 403);
        assert!(ansatt.get(&format!("/courses/{course}")).await.text().contains("Du har plass."));
        world.drop().await;
    }
}

#[tokio::test]
async fn organisers_create_courses_and_series_with_clear_errors() {
    for world in worlds().await {
        let kurs = world.login("kurs").await;
        let token = csrf(&kurs).await;
        assert_eq!(kurs.get("/courses/new").await.status_code(), 200);
        let bad = kurs
            .post("/courses")
            .form(&[
                ("csrf_token", token.as_str()),
                ("title", ""),
                ("format", "classroom"),
                ("organiser_kind", "region"),
                ("price_internal", "tolv"),
            ])
            .await;
        assert_eq!(bad.status_code(), 422);
        assert!(bad.text().contains("Feltet må fylles ut.") && bad.text().contains("Skriv beløpet i kroner"));
        let good = kurs
            .post("/courses")
            .form(&[
                ("csrf_token", token.as_str()),
                ("title", "Samhandling med Teams"),
                ("summary", "Webinar for rådmenn"),
                ("format", "webinar"),
                ("organiser_kind", "external"),
                ("organiser_name", "KS"),
                ("competences", "digcomp 2.4 2"),
                ("target_groups", "radmann"),
                ("price_internal", "1 250,50"),
            ])
            .await;
        assert_eq!(good.status_code(), 303, "{}", good.text());
        let location = good.header("location").to_str().expect("location").to_string();
        let id: i64 = location.trim_start_matches("/courses/").parse().expect("course id");
        let stored = world.store().course(CourseId(id)).await.expect("course");
        assert_eq!(stored.draft.price_internal.0, 125_050);
        let page = kurs.get(&location).await.text();
        assert!(page.contains("kr 1\u{a0}250,50") && page.contains("KS"));
        // A session whose day ends before it starts is refused with the reason; a series of three is made.
        let now = jiff::Timestamp::now().as_second();
        let day = loft_domain::courses::session::utc_to_local(now + 30 * 86_400).date();
        let session_form = |days: String, count: &'static str| {
            vec![
                ("csrf_token", token.clone()),
                ("days", days),
                ("capacity", "12".to_string()),
                ("enrolment_opens", local_input(now)),
                ("enrolment_closes", local_input(now + 20 * 86_400)),
                ("cancellation_deadline", local_input(now + 10 * 86_400)),
                ("series_count", count.to_string()),
                ("series_weeks", "1".to_string()),
            ]
        };
        let r =
            kurs.post(&format!("/courses/{id}/sessions")).form(&session_form(format!("{day} 15:00-09:00"), "1")).await;
        assert_eq!(r.status_code(), 422);
        assert!(r.text().contains("Slutten er før starten."));
        let r =
            kurs.post(&format!("/courses/{id}/sessions")).form(&session_form(format!("{day} 09:00-11:00"), "3")).await;
        assert_eq!(r.status_code(), 303, "{}", r.text());
        let sessions = world.store().sessions(CourseId(id)).await.expect("sessions");
        assert_eq!(sessions.len(), 3);
        // Capacity below those confirmed is refused on the edit form.
        let employee = world.store().credentials("ansatt").await.expect("q").expect("ansatt").person_id;
        let manager = world.store().credentials("leder").await.expect("q").expect("leder").person_id;
        for p in [employee, manager] {
            world.store().enrol(SYSTEM, sessions[0].id, p, loft_store::courses::no_mail).await.expect("enrol");
        }
        let mut edit = session_form(format!("{day} 09:00-11:00"), "1");
        edit.retain(|(k, _)| *k != "capacity");
        edit.push(("capacity", "1".into()));
        let r = kurs.post(&format!("/courses/sessions/{}/edit", sessions[0].id)).form(&edit).await;
        assert_eq!(r.status_code(), 422);
        assert!(r.text().contains("Antall plasser kan ikke settes lavere enn antallet som allerede har plass."));
        assert_eq!(world.store().session(sessions[0].id).await.expect("s").draft.capacity, 12);
        // Copying makes a new course to edit.
        let r = kurs.post(&format!("/courses/{id}/copy")).form(&[("csrf_token", token.as_str())]).await;
        assert_eq!(r.status_code(), 303);
        world.drop().await;
    }
}

/// Parses an iCalendar text with Python's `icalendar` package (a real third-party parser) and lists each event
/// as "UID start-in-Oslo end-in-Oslo STATUS SUMMARY"; `None` when python3 is missing.
fn parse_with_python(ics: &str) -> Option<Vec<String>> {
    let script = r#"
import sys, icalendar, zoneinfo
cal = icalendar.Calendar.from_ical(sys.stdin.buffer.read())
assert str(cal.get('VERSION')) == '2.0' and cal.get('PRODID'), 'VERSION and PRODID are required'
oslo = zoneinfo.ZoneInfo('Europe/Oslo')
for ev in cal.walk('VEVENT'):
    assert ev.get('DTSTAMP') and ev.get('UID'), 'DTSTAMP and UID are required'
    s, e = ev.decoded('DTSTART'), ev.decoded('DTEND')
    assert s.utcoffset() is not None, 'times are absolute'
    print(ev.get('UID'), s.astimezone(oslo).strftime('%Y-%m-%d %H:%M'), e.astimezone(oslo).strftime('%H:%M'), ev.get('STATUS'), ev.get('SUMMARY'))
"#;
    use std::io::Write;
    let mut child = match std::process::Command::new("python3")
        .args(["-c", script])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
    {
        Ok(c) => c,
        Err(_) => {
            eprintln!("python3 is missing: the iCalendar check is skipped");
            return None;
        }
    };
    child.stdin.take().expect("stdin").write_all(ics.as_bytes()).expect("write");
    let out = child.wait_with_output().expect("python3");
    assert!(out.status.success(), "the iCalendar parser refused the file: {}", String::from_utf8_lossy(&out.stderr));
    Some(String::from_utf8(out.stdout).expect("utf-8").lines().map(str::to_string).collect())
}

#[tokio::test]
async fn calendars_parse_and_keep_oslo_time_over_daylight_saving() {
    for world in worlds().await {
        let store = world.store();
        let region = region(&world).await;
        let (course, _) = course_with_session(store, region, 5).await;
        // A two-day session across the spring change: 09:00 Oslo time both days (UTC+1, then UTC+2).
        let now = jiff::Timestamp::now().as_second();
        // Next year's change (the last Sunday of March): the Friday before and the Monday after.
        let year = loft_domain::courses::session::utc_to_local(now).year() + 1;
        let change = (25..=31)
            .map(|d| jiff::civil::date(year, 3, d))
            .find(|d| d.weekday() == jiff::civil::Weekday::Sunday)
            .expect("a last Sunday in March");
        let (friday, monday) = (change - jiff::Span::new().days(2), change + jiff::Span::new().days(1));
        let session = SessionInput {
            days: format!("{friday} 09:00-15:00\n{monday} 09:00-12:00"),
            venue: "Notodden rådhus".into(),
            capacity: "5".into(),
            enrolment_opens: local_input(now - 86_400),
            enrolment_closes: local_input(now + 86_400),
            cancellation_deadline: local_input(now + 86_400),
            ..Default::default()
        }
        .parse()
        .expect("session");
        let session = store.create_sessions(SYSTEM, course, &[session]).await.expect("session")[0];
        let ansatt = world.login("ansatt").await;
        let token = csrf(&ansatt).await;
        let r =
            ansatt.post(&format!("/courses/sessions/{session}/enrol")).form(&[("csrf_token", token.as_str())]).await;
        assert_eq!(r.status_code(), 200);
        let ics = ansatt.get(&format!("/courses/sessions/{session}/calendar.ics")).await;
        assert_eq!(ics.status_code(), 200);
        assert!(ics.header("content-type").to_str().expect("type").starts_with("text/calendar"));
        if let Some(events) = parse_with_python(&ics.text()) {
            assert_eq!(events.len(), 2, "{events:?}");
            assert!(
                events[0]
                    .starts_with(&format!("loft-session-{session}-day-1@loft {friday} 09:00 15:00 CONFIRMED Kursene")),
                "{events:?}"
            );
            assert!(
                events[1].starts_with(&format!("loft-session-{session}-day-2@loft {monday} 09:00 12:00 CONFIRMED")),
                "{events:?}"
            );
        }
        // The confirmation e-mail carries the same entry as an attachment.
        let mail = store
            .due_mail(1000)
            .await
            .expect("mail")
            .into_iter()
            .rev()
            .find(|m| m.subject.contains("Du har plass"))
            .expect("mail");
        let attachment = mail.attachments.first().expect("an .ics attachment");
        assert!(attachment.content_type.starts_with("text/calendar"));
        if let Some(events) = parse_with_python(&attachment.content) {
            assert_eq!(events.len(), 2);
        }
        // The personal feed: a secret address shown once; an altered one is a 404.
        let token = csrf(&ansatt).await;
        let page = ansatt.post("/courses/calendar-feed").form(&[("csrf_token", token.as_str())]).await.text();
        let url = crate::common::attr_after(&page, r#"id="feed-url" readonly value=""#).expect("feed url");
        let path = url.trim_start_matches("http://127.0.0.1:8080").to_string();
        let anonymous = world.anonymous().await;
        let feed = anonymous.get(&path).await;
        assert_eq!(feed.status_code(), 200);
        if let Some(events) = parse_with_python(&feed.text()) {
            assert_eq!(events.len(), 2, "the feed lists the confirmed session's days: {events:?}");
        }
        let mut altered = path.clone();
        let last = altered.pop().expect("char");
        altered.push(if last == '0' { '1' } else { '0' });
        assert_eq!(anonymous.get(&altered).await.status_code(), 404);
        assert_eq!(anonymous.get("/calendar/not-a-token").await.status_code(), 404);
        // The organiser moves Monday's meeting to Tuesday from the edit form: the participant is told, with an
        // entry under the same UIDs and a higher SEQUENCE, and the feed shows the new day.
        let tuesday = monday + jiff::Span::new().days(1);
        let organiser = world.login("kurs").await;
        let token_o = csrf(&organiser).await;
        let moved = organiser
            .post(&format!("/courses/sessions/{session}/edit"))
            .form(&[
                ("csrf_token", token_o),
                ("days", format!("{friday} 09:00-15:00\n{tuesday} 10:00-12:00")),
                ("venue", "Notodden rådhus".into()),
                ("room", "Bystyresalen".into()),
                ("capacity", "5".into()),
                ("enrolment_opens", local_input(now - 86_400)),
                ("enrolment_closes", local_input(now + 86_400)),
                ("cancellation_deadline", local_input(now + 86_400)),
            ])
            .await;
        assert_eq!(moved.status_code(), 303, "{}", moved.text());
        let mail = store
            .due_mail(1000)
            .await
            .expect("mail")
            .into_iter()
            .find(|m| m.subject.contains("er endret"))
            .expect("a change e-mail");
        assert!(mail.body_text.contains("Notodden rådhus, Bystyresalen"), "{}", mail.body_text);
        let attachment = mail.attachments.first().expect("an updated .ics");
        assert!(attachment.content.contains("SEQUENCE:1"), "{}", attachment.content);
        if let Some(events) = parse_with_python(&attachment.content) {
            assert!(
                events[1].starts_with(&format!("loft-session-{session}-day-2@loft {tuesday} 10:00 12:00 CONFIRMED")),
                "{events:?}"
            );
        }
        if let Some(events) = parse_with_python(&anonymous.get(&path).await.text()) {
            assert!(events[1].contains(&format!("{tuesday} 10:00 12:00")), "{events:?}");
        }
        // A cancelled session stays in the feed as cancelled, so calendars drop it.
        store.cancel_session(SYSTEM, session, &loft_store::courses::no_mail).await.expect("cancel");
        if let Some(events) = parse_with_python(&anonymous.get(&path).await.text()) {
            assert!(events.iter().all(|e| e.contains(" CANCELLED ")), "{events:?}");
        }
        // A new link replaces the old one.
        ansatt.post("/courses/calendar-feed").form(&[("csrf_token", token.as_str())]).await;
        assert_eq!(anonymous.get(&path).await.status_code(), 404);
        world.drop().await;
    }
}

#[tokio::test]
async fn organisers_mark_attendance_and_completion_becomes_evidence() {
    for world in worlds().await {
        let store = world.store();
        let (_, session) = course_with_session(store, region(&world).await, 5).await;
        let employee = store.credentials("ansatt").await.expect("q").expect("ansatt").person_id;
        store.enrol(SYSTEM, session, employee, loft_store::courses::no_mail).await.expect("enrol");
        let kurs = world.login("kurs").await;
        let page = kurs.get(&format!("/courses/sessions/{session}/attendance")).await;
        assert_eq!(page.status_code(), 200);
        let day = store.attendance(session).await.expect("sheet")[0].day_id;
        let token = csrf(&kurs).await;
        let r = kurs
            .post(&format!("/courses/sessions/{session}/attendance"))
            .form(&[
                ("csrf_token".to_string(), token.clone()),
                ("day".to_string(), day.to_string()),
                (format!("present_{}", employee.0), "1".to_string()),
            ])
            .await;
        assert_eq!(r.status_code(), 200, "{}", r.text());
        assert!(r.text().contains("Oppmøtet er lagret.") && r.text().contains("fullført"));
        let evidence = store.competence_evidence(employee).await.expect("evidence");
        assert_eq!(evidence.len(), 1, "the course's one competence, from the completed enrolment");
        // The person's page lists it with the course it came from.
        let profile = world.login("ansatt").await.get(&format!("/people/{}", employee.0)).await.text();
        assert!(
            profile.contains("Dokumentert kompetanse") && profile.contains("Kurs: Kursene i informasjonssikkerhet")
        );
        assert!(profile.contains("4.2 "), "the competence's code and title: {profile}");
        // Someone without a seat cannot be marked.
        let outsider = store.credentials("leder").await.expect("q").expect("leder").person_id;
        let r = kurs
            .post(&format!("/courses/sessions/{session}/attendance"))
            .form(&[
                ("csrf_token".to_string(), token.clone()),
                ("day".to_string(), day.to_string()),
                (format!("present_{}", outsider.0), "1".to_string()),
            ])
            .await;
        assert_eq!(r.status_code(), 422);
        assert!(r.text().contains("Personen har ikke plass på samlingen."));
        assert_eq!(
            world.login("ansatt").await.get(&format!("/courses/sessions/{session}/attendance")).await.status_code(),
            403
        );
        world.drop().await;
    }
}

/// A course at kr 1 250 (internal) with one session a month ahead whose cancellation deadline has passed.
async fn invoiced_session(store: &Store, region: RegionId) -> SessionId {
    let course = CourseInput {
        title: "Fakturerbart kurs".into(),
        summary: "Kurs med pris".into(),
        format: "conference".into(),
        organiser_kind: "region".into(),
        price_internal: "1 250".into(),
        price_external: "2000".into(),
        ..Default::default()
    }
    .parse(region)
    .expect("course");
    let id = store.create_course(SYSTEM, &course).await.expect("create");
    let now = jiff::Timestamp::now().as_second();
    let day = loft_domain::courses::session::utc_to_local(now + 30 * 86_400).date();
    let session = SessionInput {
        days: format!("{day} 09:00-15:00"),
        capacity: "10".into(),
        enrolment_opens: local_input(now - 86_400),
        enrolment_closes: local_input(now + 20 * 86_400),
        cancellation_deadline: local_input(now - 3_600),
        ..Default::default()
    }
    .parse()
    .expect("session");
    store.create_sessions(SYSTEM, id, &[session]).await.expect("session")[0]
}

#[tokio::test]
async fn invoicing_basis_charges_by_the_rule_and_keeps_municipalities_apart() {
    for world in worlds().await {
        let store = world.store();
        let session = invoiced_session(store, region(&world).await).await;
        let person = |u: &'static str| async move { store.credentials(u).await.expect("q").expect(u).person_id };
        let (ansatt, leder, kurs, kommune) =
            (person("ansatt").await, person("leder").await, person("kurs").await, person("kommune").await);
        for p in [ansatt, leder, kurs, kommune] {
            store.enrol(SYSTEM, session, p, loft_store::courses::no_mail).await.expect("enrol");
        }
        // Kongsberg: one attended, one did not show up, one cancelled after the deadline. Notodden: one attended.
        let cancelled = store.cancel_enrolment(SYSTEM, session, kurs, &loft_store::courses::no_mail).await;
        assert!(matches!(
            cancelled.expect("cancel").state,
            loft_domain::courses::booking::EnrolmentState::Cancelled { late: true }
        ));
        let day = store.attendance(session).await.expect("sheet")[0].day_id;
        store
            .mark_attendance(SYSTEM, session, day, &[(ansatt, true), (leder, false), (kommune, true)])
            .await
            .expect("mark");
        let now = jiff::Timestamp::now().as_second();
        let today = loft_domain::courses::session::utc_to_local(now).date();
        let period = format!(
            "from={}&to={}",
            today.saturating_sub(jiff::Span::new().days(30)),
            today.saturating_add(jiff::Span::new().days(60))
        );
        let url = format!("/courses/invoicing?{period}");

        // While the session is still to come, only the late cancellation is charged; the rest are listed.
        let ahead = world.login("region").await.get(&url).await.text();
        assert!(ahead.contains("ikke holdt ennå") && !ahead.contains("møtte ikke"), "{ahead}");
        assert!(ahead.contains("kr 1\u{a0}250,00") && !ahead.contains("kr 3\u{a0}750,00"), "{ahead}");

        // The organiser moves it to three days ago (attendance stays with the day): now it has been held.
        let past = loft_domain::courses::session::utc_to_local(now - 3 * 86_400).date();
        let held = SessionInput {
            days: format!("{past} 09:00-15:00"),
            capacity: "10".into(),
            enrolment_opens: local_input(now - 20 * 86_400),
            enrolment_closes: local_input(now - 5 * 86_400),
            cancellation_deadline: local_input(now - 5 * 86_400),
            ..Default::default()
        }
        .parse()
        .expect("session");
        store.update_session(SYSTEM, session, &held, &loft_store::courses::no_mail).await.expect("move");

        assert!(world.login("kommune").await.get("/courses").await.text().contains("href=\"/courses/invoicing\""));
        assert!(!world.login("ansatt").await.get("/courses").await.text().contains("/courses/invoicing"));
        let region_page = world.login("region").await.get(&url).await;
        assert_eq!(region_page.status_code(), 200);
        let html = region_page.text();
        assert!(html.contains("kr 3\u{a0}750,00"), "Kongsberg: 3 charged × kr 1 250: {html}");
        assert!(html.contains("kr 1\u{a0}250,00"), "the price and Notodden's amount");
        assert!(html.contains("kr 5\u{a0}000,00"), "grand total");
        assert!(html.contains("sen avmelding") && html.contains("møtte ikke"));

        // Notodden's coordinator sees Notodden only, and asking for Kongsberg is the same 404 as an unknown id.
        let coordinator = world.login("kommune").await;
        let own = coordinator.get(&url).await;
        assert_eq!(own.status_code(), 200);
        let own = own.text();
        assert!(own.contains("kr 1\u{a0}250,00"));
        assert!(!own.contains("kr 3\u{a0}750,00") && !own.contains("sen avmelding"), "no Kongsberg lines: {own}");
        let kongsberg = store.person(ansatt).await.expect("person").person.municipality_id;
        assert_eq!(coordinator.get(&format!("{url}&municipality={}", kongsberg.0)).await.status_code(), 404);
        let csv = coordinator.get(&format!("/courses/invoicing.csv?{period}")).await;
        assert_eq!(csv.status_code(), 200);
        let csv = csv.text();
        assert!(csv.starts_with('\u{feff}') && csv.contains(';'));
        assert!(csv.contains("\"kr 1\u{a0}250,00\"") && !csv.contains("3\u{a0}750"), "{csv}");

        // The region's CSV and XLSX carry the same lines.
        let region = world.login("region").await;
        let csv = region.get(&format!("/courses/invoicing.csv?{period}")).await.text();
        assert!(csv.contains("\"kr 3\u{a0}750,00\"") && csv.contains("\"kr 5\u{a0}000,00\""), "{csv}");
        let xlsx = region.get(&format!("/courses/invoicing.xlsx?{period}")).await;
        assert_eq!(xlsx.status_code(), 200);
        assert!(xlsx.as_bytes().starts_with(b"PK"), "an XLSX (zip) file");

        // Bad input is a clear error.
        let bad = region.get("/courses/invoicing?from=2027-02-30").await;
        assert_eq!(bad.status_code(), 422);
        let reversed = region.get("/courses/invoicing?from=2027-03-01&to=2027-02-01").await;
        assert_eq!(reversed.status_code(), 422);
        assert!(reversed.text().contains("Til-datoen kan ikke være før fra-datoen."));
        world.drop().await;
    }
}

/// A course that needs approval: the employee's own enrolment is a request; their manager sees it on the
/// approvals page and approves it (a seat), another municipality's coordinator cannot touch it, and a declined
/// request is told by e-mail.
#[tokio::test]
async fn managers_approve_requests_for_courses_that_need_it() {
    for world in worlds().await {
        let store = world.store();
        let (course, session) = course_with_session(store, region(&world).await, 5).await;
        let mut draft = store.course(course).await.expect("course").draft;
        draft.requires_approval = true;
        // Made for elected officials: the employee may still ask, with a warning.
        draft.target_groups = vec![loft_domain::person::RoleGroup::Folkevalgt];
        store.update_course(SYSTEM, course, &draft).await.expect("needs approval");
        let employee = store.credentials("ansatt").await.expect("q").expect("ansatt").person_id;
        let name = store.person(employee).await.expect("person").person.display_name();

        let ansatt = world.login("ansatt").await;
        let page = ansatt.get(&format!("/courses/{course}")).await.text();
        assert!(page.contains("Be om plass") && page.contains("Lederen din må godkjenne"), "{page}");
        let token = csrf(&ansatt).await;
        let asked =
            ansatt.post(&format!("/courses/sessions/{session}/enrol")).form(&[("csrf_token", token.as_str())]).await;
        assert_eq!(asked.status_code(), 200);
        assert!(asked.text().contains("venter på godkjenning") && asked.text().contains("Trekk forespørselen"));
        assert!(asked.text().contains("Kurset er laget for andre målgrupper"), "{}", asked.text());
        assert_eq!(store.session(session).await.expect("session").confirmed, 0);
        assert!(store.due_mail(1000).await.expect("mail").iter().any(|m| m.subject.contains("Du har bedt om plass")));

        // Another municipality's coordinator neither sees nor decides it.
        let outsider = world.login("kommune").await;
        assert!(!outsider.get("/courses/approvals").await.text().contains(&name));
        let token_x = csrf(&outsider).await;
        let person = employee.0.to_string();
        let form = |t: &str| vec![("csrf_token", t.to_string()), ("person", person.clone())];
        let refused = outsider.post(&format!("/courses/sessions/{session}/approve")).form(&form(&token_x)).await;
        assert_eq!(refused.status_code(), 404);

        let leder = world.login("leder").await;
        let list = leder.get("/courses/approvals").await;
        assert_eq!(list.status_code(), 200);
        assert!(list.text().contains(&name), "{}", list.text());
        let token_l = csrf(&leder).await;
        let approved = leder.post(&format!("/courses/sessions/{session}/approve")).form(&form(&token_l)).await;
        assert_eq!(approved.status_code(), 200, "{}", approved.text());
        assert!(approved.text().contains("Ingen forespørsler venter."));
        assert_eq!(
            store.enrolment_state(session, employee).await.expect("state"),
            Some(loft_domain::courses::booking::EnrolmentState::Confirmed)
        );

        // A second request (another session) declined: the employee is told.
        let (_, other) = course_with_session(store, region(&world).await, 5).await;
        let mut draft = store.course(store.session(other).await.expect("s").course).await.expect("c").draft;
        draft.requires_approval = true;
        store.update_course(SYSTEM, store.session(other).await.expect("s").course, &draft).await.expect("approval");
        ansatt.post(&format!("/courses/sessions/{other}/enrol")).form(&[("csrf_token", token.as_str())]).await;
        let declined = leder.post(&format!("/courses/sessions/{other}/reject")).form(&form(&token_l)).await;
        assert_eq!(declined.status_code(), 200);
        assert!(declined.text().contains("er avslått"));
        assert!(store.due_mail(1000).await.expect("mail").iter().any(|m| m.subject.contains("er avslått")));
        let again = leder.post(&format!("/courses/sessions/{other}/reject")).form(&form(&token_l)).await;
        assert_eq!(again.status_code(), 409);
        world.drop().await;
    }
}

/// The reminder e-mail before a session: in the participant's language, with the time, place and calendar entry.
#[tokio::test]
async fn the_reminder_before_a_session_says_when_and_where() {
    for world in worlds().await {
        let store = world.store();
        let (_, session) = course_with_session(store, region(&world).await, 5).await;
        let employee = store.credentials("ansatt").await.expect("q").expect("ansatt").person_id;
        store.enrol(SYSTEM, session, employee, loft_store::courses::no_mail).await.expect("enrol");
        let starts = store.session(session).await.expect("session").draft.days[0].starts_at;
        let queued = loft_web::reminders::send_course_due(store, "https://loft.example/", starts - 86_400, 2).await;
        assert_eq!(queued.expect("queue"), 1);
        let mail = store
            .due_mail(1000)
            .await
            .expect("mail")
            .into_iter()
            .find(|m| m.subject.starts_with("Påminnelse: «Kursene i informasjonssikkerhet»"))
            .expect("a reminder");
        assert!(mail.body_text.contains("Sted: Kongsberg rådhus"), "{}", mail.body_text);
        assert!(mail.body_text.contains("https://loft.example/courses/"), "{}", mail.body_text);
        assert!(mail.attachments.first().is_some_and(|a| a.content.contains("BEGIN:VEVENT")));
        world.drop().await;
    }
}

/// The evaluation as a participant and an organiser meet it: only after completing, once, with clear errors;
/// the organiser sees nothing until k have answered.
#[tokio::test]
async fn participants_evaluate_once_and_organisers_see_only_groups_of_k() {
    for world in worlds().await {
        let store = world.store();
        let (course, session) = course_with_session(store, region(&world).await, 10).await;
        let employee = store.credentials("ansatt").await.expect("q").expect("ansatt").person_id;
        let ansatt = world.login("ansatt").await;
        let token = csrf(&ansatt).await;
        let url = format!("/courses/sessions/{session}/evaluation");
        let early = ansatt.get(&url).await;
        assert_eq!(early.status_code(), 409);
        assert!(early.text().contains("Du kan evaluere når du har fullført kurset."));

        store.enrol(SYSTEM, session, employee, loft_store::courses::no_mail).await.expect("enrol");
        let day = store.attendance(session).await.expect("sheet")[0].day_id;
        store.mark_attendance(SYSTEM, session, day, &[(employee, true)]).await.expect("came");
        assert!(ansatt.get(&format!("/courses/{course}")).await.text().contains(&url), "a link to the evaluation");
        let form = ansatt.get(&url).await;
        assert_eq!(form.status_code(), 200);
        assert!(form.text().contains("Evalueringen er anonym"));
        let bad = ansatt
            .post(&url)
            .form(&[("csrf_token", token.as_str()), ("overall", "7"), ("relevance", ""), ("comment", "")])
            .await;
        assert_eq!(bad.status_code(), 422);
        assert!(bad.text().contains("Velg et tall fra 1 til 5.") && bad.text().contains("Feltet må fylles ut."));
        let sent = ansatt
            .post(&url)
            .form(&[("csrf_token", token.as_str()), ("overall", "5"), ("relevance", "4"), ("comment", "Nyttig dag")])
            .await;
        assert_eq!(sent.status_code(), 200);
        assert!(sent.text().contains("Takk! Svaret ditt er lagret uten navnet ditt."));
        let again = ansatt
            .post(&url)
            .form(&[("csrf_token", token.as_str()), ("overall", "1"), ("relevance", "1"), ("comment", "")])
            .await;
        assert_eq!(again.status_code(), 409);

        // One answer: the organiser sees that figures are hidden, and not the comment.
        let results = world.login("kurs").await.get(&format!("/courses/{course}/evaluations")).await;
        assert_eq!(results.status_code(), 200);
        let html = results.text();
        assert!(html.contains("Skjult: for få svar") && !html.contains("Nyttig dag"), "{html}");
        assert_eq!(ansatt.get(&format!("/courses/{course}/evaluations")).await.status_code(), 403);
        world.drop().await;
    }
}

/// The participation report: a municipality with fewer than k participants is hidden (and cannot be worked out
/// from the region's total), Notodden's coordinator sees Notodden only, and only organisers see the sessions.
#[tokio::test]
async fn participation_report_hides_small_groups_and_keeps_municipalities_apart() {
    for world in worlds().await {
        let store = world.store();
        let (_, session) = course_with_session(store, region(&world).await, 20).await;
        let reach = loft_domain::policy::Reach { everything: true, ..Default::default() };
        // People of one unit per municipality (its deepest unit with at least eight), so that a municipality's
        // figure does not spread over units of one person each (which would pin every one of them).
        let mut by_municipality = std::collections::BTreeMap::<String, Vec<loft_domain::ids::PersonId>>::new();
        for m in store.municipalities().await.expect("municipalities") {
            let mut units = store.units(m.id).await.expect("units");
            units.sort_by_key(|u| std::cmp::Reverse(u.path.as_str().len()));
            for u in units {
                let q = loft_store::people::PeopleQuery {
                    unit: Some(u.path.clone()),
                    per_page: 8,
                    page: 1,
                    ..Default::default()
                };
                let ids: Vec<_> =
                    store.people(&reach, &q).await.expect("people").items.iter().map(|i| i.person.id).collect();
                if ids.len() == 8 {
                    by_municipality.insert(m.name.clone(), ids);
                    break;
                }
            }
        }
        let kongsberg = &by_municipality["Kongsberg"][..6];
        let notodden = &by_municipality["Notodden"][..1];
        let flesberg = &by_municipality["Flesberg"][..5];
        for p in kongsberg.iter().chain(notodden).chain(flesberg) {
            store.enrol(SYSTEM, session, *p, loft_store::courses::no_mail).await.expect("enrol");
        }
        let day = store.attendance(session).await.expect("sheet")[0].day_id;
        let marks: Vec<_> = kongsberg.iter().chain(notodden).chain(flesberg).map(|p| (*p, true)).collect();
        store.mark_attendance(SYSTEM, session, day, &marks).await.expect("everyone came");
        let now = jiff::Timestamp::now().as_second();
        let today = loft_domain::courses::session::utc_to_local(now).date();
        let period = format!("from={}&to={}", today, today.saturating_add(jiff::Span::new().days(60)));

        let organiser = world.login("kurs").await.get(&format!("/courses/reports?{period}")).await;
        assert_eq!(organiser.status_code(), 200);
        let html = organiser.text();
        assert!(html.contains("Fyllingsgrad") && html.contains("60\u{a0}%"), "12 of 20 seats: {html}");
        let row = |html: &str, name: &str| {
            html.split(&format!("<th scope=\"row\">{name}</th>"))
                .nth(1)
                .map(|r| r.split("</tr>").next().unwrap_or("").to_string())
        };
        let notodden_row = row(&html, "Notodden").expect("Notodden's row");
        assert!(notodden_row.contains("skjult") && !notodden_row.contains(">1<"), "{notodden_row}");
        // 12 = 6 + 5 + 1: with the total and both others shown, Notodden's 1 could be worked out, so the rule
        // hides one of the others too: Flesberg, the smaller, with its units. Kongsberg's 6 can be read off its one
        // unit, so it is shown.
        let kongsberg_row = row(&html, "Kongsberg").expect("Kongsberg's row");
        assert!(kongsberg_row.contains(">6<"), "{kongsberg_row}");
        let flesberg_row = row(&html, "Flesberg").expect("Flesberg's row");
        assert!(flesberg_row.contains("skjult"), "{flesberg_row}");
        let total = row(&html, "Hele regionen").expect("the total");
        assert!(total.contains(">12<"), "{total}");
        assert!(
            row(&html, "4.2 Beskytte personopplysninger og personvern").is_some_and(|r| r.contains(">12<")),
            "{html}"
        );

        assert!(html.contains("Velg en kommune for å se tallene per enhet."), "units one municipality at a time");
        // Kongsberg's units: the six people work in one unit, shown with its parents; no unit shows 1 to 4.
        let kongsberg_id =
            store.municipalities().await.expect("m").into_iter().find(|m| m.name == "Kongsberg").expect("Kongsberg").id;
        let units =
            world.login("kurs").await.get(&format!("/courses/reports?{period}&municipality={kongsberg_id}")).await;
        assert_eq!(units.status_code(), 200);
        let units = units.text();
        let table = units.split("Enheter i Kongsberg (med underenheter)").nth(1).expect("the unit table");
        let table = table.split("</table>").next().unwrap_or_default();
        let figures: Vec<&str> =
            table.split("<td class=\"num\">").skip(1).filter_map(|c| c.split("</td>").next()).collect();
        assert!(figures.contains(&"6"), "{table}");
        for f in &figures {
            assert!(*f == "skjult" || f.parse::<u64>().is_ok_and(|n| n == 0 || n >= 5), "{f} in {table}");
        }
        assert!(row(&units, "Notodden").is_none(), "one municipality's lines");

        let coordinator = world.login("kommune").await;
        let other = coordinator.get(&format!("/courses/reports?{period}&municipality={kongsberg_id}")).await;
        assert_eq!(other.status_code(), 404, "another municipality's units are not Notodden's to see");
        let own = coordinator.get(&format!("/courses/reports?{period}")).await.text();
        assert!(own.contains("Enheter i Notodden"), "a municipal coordinator sees their own units");
        assert!(row(&own, "Notodden").is_some() && row(&own, "Kongsberg").is_none(), "{own}");
        assert!(!own.contains("Fyllingsgrad"), "sessions are for organisers");
        let csv = coordinator.get(&format!("/courses/reports.csv?{period}")).await;
        assert_eq!(csv.status_code(), 200);
        assert!(
            csv.text().starts_with('\u{feff}') && csv.text().contains("Notodden") && !csv.text().contains("Kongsberg")
        );
        world.drop().await;
    }
}

/// The course API: the catalogue and a course as JSON, enrolling (seat, waitlist place, a repeat changes nothing)
/// and cancelling with promotion, by the same rules as the pages.
#[tokio::test]
async fn the_course_api_finds_enrols_waitlists_and_cancels() {
    use serde_json::{Value, json};
    for world in worlds().await {
        let (course, session) = course_with_session(world.store(), region(&world).await, 1).await;
        let ansatt = crate::api::token_for(&world, "ansatt").await;
        let leder = crate::api::token_for(&world, "leder").await;
        let api = world.anonymous().await;
        let list: Value = api.get("/api/v1/courses?q=sikkerheten").authorization_bearer(&ansatt).await.json();
        assert_eq!((list["total"].as_i64(), list["items"][0]["id"].as_i64()), (Some(1), Some(course.0)));
        assert_eq!(list["items"][0]["free_seats"], 1);
        assert!(list["items"][0]["next_starts_at"].as_str().is_some_and(|t| t.ends_with('Z')), "RFC 3339 in UTC");
        let bad = api.get("/api/v1/courses?format=lecture").authorization_bearer(&ansatt).await;
        assert_eq!(bad.status_code(), 422);
        let shown: Value = api.get(&format!("/api/v1/courses/{course}")).authorization_bearer(&ansatt).await.json();
        assert_eq!(shown["sessions"][0]["capacity"], 1);
        assert!(!shown.to_string().contains("meet.example"), "the online link is for participants only");

        let enrol = format!("/api/v1/sessions/{session}/enrolments");
        let first = api.post(&enrol).authorization_bearer(&leder).json(&json!({})).await;
        assert_eq!(first.status_code(), 201);
        assert_eq!(first.json::<Value>()["state"], "confirmed");
        let second = api.post(&enrol).authorization_bearer(&ansatt).json(&json!({})).await;
        assert_eq!(second.status_code(), 201);
        let waiting: Value = second.json();
        assert_eq!(
            (waiting["state"].as_str(), waiting["position"].as_i64(), waiting["of"].as_i64()),
            (Some("waitlisted"), Some(1), Some(1))
        );
        let again = api.post(&enrol).authorization_bearer(&ansatt).json(&json!({})).await;
        assert_eq!(again.status_code(), 200, "a repeated request changes nothing");
        assert_eq!(again.json::<Value>()["already"], true);
        let list: Value = api.get("/api/v1/courses").authorization_bearer(&ansatt).await.json();
        assert_eq!(list["items"][0]["free_seats"], 0);

        let leder_id = world.store().credentials("leder").await.expect("q").expect("leder").person_id;
        let cancel = format!("/api/v1/sessions/{session}/enrolments/{leder_id}");
        assert_eq!(api.delete(&cancel).authorization_bearer(&ansatt).await.status_code(), 404, "not someone else's");
        let cancelled: Value = api.delete(&cancel).authorization_bearer(&leder).await.json();
        assert_eq!((cancelled["state"].as_str(), cancelled["promoted"].as_i64()), (Some("cancelled"), Some(1)));
        let view = world.store().session(session).await.expect("session");
        assert_eq!((view.confirmed, view.waitlisted), (1, 0), "the first waiting has the seat");
        world.drop().await;
    }
}

/// A course whose one-seat session offers a freed seat with a day to answer.
async fn course_offering_seats(world: &World) -> (CourseId, SessionId) {
    let store = world.store();
    let (course, session) = course_with_session(store, region(world).await, 1).await;
    let mut draft = store.course(course).await.expect("course").draft;
    draft.offer_hours = Some(24);
    store.update_course(SYSTEM, course, &draft).await.expect("answer time");
    (course, session)
}

/// A course with an answer time: a freed seat is offered on the course page with accept and decline buttons (POST
/// forms with the CSRF token); declining passes it on, accepting confirms with the calendar entry, and accepting
/// after the deadline is refused with the message in the user's language.
#[tokio::test]
async fn waitlist_offers_are_accepted_or_declined_on_the_course_page() {
    for world in worlds().await {
        let store = world.store();
        let (course, session) = course_offering_seats(&world).await;
        let (leder, ansatt, kommune) =
            (world.login("leder").await, world.login("ansatt").await, world.login("kommune").await);
        async fn answer(client: &axum_test::TestServer, session: SessionId, action: &str) -> axum_test::TestResponse {
            let token = csrf(client).await;
            client.post(&format!("/courses/sessions/{session}/{action}")).form(&[("csrf_token", token.as_str())]).await
        }
        let post = |client, action| answer(client, session, action);
        for client in [&leder, &ansatt, &kommune] {
            assert_eq!(post(client, "enrol").await.status_code(), 200);
        }
        // The seat freed by the manager is offered to the first waiting, told by e-mail with the deadline.
        assert!(post(&leder, "cancel").await.text().contains("Påmeldingen er avmeldt."));
        let page = ansatt.get(&format!("/courses/{course}")).await.text();
        assert!(page.contains("Du har fått tilbud om en ledig plass. Svar innen"), "{page}");
        assert!(page.contains(&format!(r#"action="/courses/sessions/{session}/accept-offer""#)), "{page}");
        assert!(page.contains(&format!(r#"action="/courses/sessions/{session}/decline-offer""#)), "{page}");
        assert!(page.contains("Takk ja til plassen") && page.contains("Takk nei"));
        // The deadline reads the same (Oslo time, Norwegian format) on the page and in the e-mail.
        let deadline = page.split("Svar innen ").nth(1).and_then(|t| t.split(", ellers").next()).expect("deadline");
        let mails = store.due_mail(1000).await.expect("mail");
        let offer = mails.iter().find(|m| m.subject.starts_with("Ledig plass på")).expect("an offer e-mail");
        assert!(offer.subject.contains(&format!("svar innen {deadline}")), "{offer:?}");
        assert!(offer.body_text.contains(&format!("holdes av for deg til {deadline}")) && offer.attachments.is_empty());
        // The API shows the held seat as taken, and a repeated enrolment answers the offer with its deadline.
        let token = crate::api::token_for(&world, "ansatt").await;
        let api = world.anonymous().await;
        let shown: serde_json::Value =
            api.get(&format!("/api/v1/courses/{course}")).authorization_bearer(&token).await.json();
        assert_eq!(
            (shown["sessions"][0]["offered"].as_i64(), shown["sessions"][0]["free_seats"].as_i64()),
            (Some(1), Some(0))
        );
        let again = api
            .post(&format!("/api/v1/sessions/{session}/enrolments"))
            .authorization_bearer(&token)
            .json(&serde_json::json!({}))
            .await;
        assert_eq!(again.status_code(), 200);
        let again: serde_json::Value = again.json();
        assert_eq!((again["state"].as_str(), again["already"].as_bool()), (Some("offered"), Some(true)));
        assert!(again["expires_at"].as_str().is_some_and(|t| t.ends_with('Z')), "{again}");
        // Without the CSRF token the answer is refused.
        let forged = ansatt.post(&format!("/courses/sessions/{session}/accept-offer")).await;
        assert_eq!(forged.status_code(), 403);
        // Declining passes the seat on to the next waiting.
        let r = post(&ansatt, "decline-offer").await;
        assert_eq!(r.status_code(), 200);
        assert!(r.text().contains("Du har takket nei til plassen"), "{}", r.text());
        assert!(kommune.get(&format!("/courses/{course}")).await.text().contains("Takk ja til plassen"));
        // Accepting confirms, with the confirmation e-mail and its calendar entry.
        let r = post(&kommune, "accept-offer").await;
        assert_eq!(r.status_code(), 200);
        assert!(r.text().contains("Du har takket ja. Du har plass."), "{}", r.text());
        let mails = store.due_mail(1000).await.expect("mail");
        let seat = mails.iter().find(|m| m.subject.contains("Du har fått plass")).expect("a confirmation");
        assert!(seat.attachments.iter().any(|a| a.content.contains("BEGIN:VEVENT")), "{seat:?}");
        // Nobody answers: the periodic job lets the offer lapse and offers the seat to the next, both told.
        assert_eq!(post(&leder, "enrol").await.status_code(), 200);
        assert_eq!(post(&ansatt, "enrol").await.status_code(), 200);
        assert!(post(&kommune, "cancel").await.text().contains("Påmeldingen er avmeldt."));
        assert!(leder.get(&format!("/courses/{course}")).await.text().contains("Takk ja til plassen"));
        let later = jiff::Timestamp::now().as_second() + 25 * 3600;
        let lapsed = loft_web::reminders::pass_on_lapsed_offers(store, "https://loft.example/", later).await;
        assert_eq!(lapsed.expect("job"), 1);
        let page = leder.get(&format!("/courses/{course}")).await.text();
        assert!(page.contains("Tilbudet om plass gikk ut uten svar") && !page.contains("Takk ja til plassen"));
        let mails = store.due_mail(1000).await.expect("mail");
        assert!(mails.iter().any(|m| m.subject.contains("har gått ut")), "a lapse e-mail");
        assert_eq!(
            mails.iter().filter(|m| m.subject.starts_with("Ledig plass på")).count(),
            4,
            "ansatt, kommune, leder, ansatt"
        );
        // An offer answered too late: refused with the message in the user's language, and gone from the page.
        assert!(ansatt.get(&format!("/courses/{course}")).await.text().contains("Takk ja til plassen"));
        loft_store::testing::set_offer_deadlines(store, session, jiff::Timestamp::now().as_second() - 1).await;
        let r = post(&ansatt, "accept-offer").await;
        assert_eq!(r.status_code(), 409);
        assert!(r.text().contains("Fristen for å svare på tilbudet har gått ut"), "{}", r.text());
        assert!(ansatt.get(&format!("/courses/{course}")).await.text().contains("Tilbudet om plass gikk ut uten svar"));
        world.drop().await;
    }
}

/// The answer time is a field of the course form, checked (whole hours, 0–720) and saved through the audited
/// course update.
#[tokio::test]
async fn organisers_set_the_answer_time_for_offers_on_the_course_form() {
    for world in worlds().await {
        let (course, _) = course_with_session(world.store(), region(&world).await, 1).await;
        let kurs = world.login("kurs").await;
        let form = kurs.get(&format!("/courses/{course}/edit")).await.text();
        assert!(form.contains(r#"id="offer_hours""#) && form.contains("Svarfrist for ledige plasser"), "{form}");
        let token = csrf(&kurs).await;
        let edit = |hours: &'static str| {
            kurs.post(&format!("/courses/{course}/edit")).form(&[
                ("csrf_token", token.as_str()),
                ("title", "Kursene i informasjonssikkerhet"),
                ("summary", "Dagskonferanse for ledere"),
                ("competences", "digcomp 4.2 3"),
                ("format", "conference"),
                ("organiser_kind", "region"),
                ("price_external", "1500"),
                ("offer_hours", hours),
            ])
        };
        let bad = edit("721").await;
        assert_eq!(bad.status_code(), 422);
        assert!(bad.text().contains("Skriv et helt antall timer fra 0 til 720."), "{}", bad.text());
        assert_eq!(edit("48").await.status_code(), 303);
        assert_eq!(world.store().course(course).await.expect("course").draft.offer_hours, Some(48));
        assert!(kurs.get(&format!("/courses/{course}/edit")).await.text().contains(r#"value="48""#));
        let everything = loft_domain::policy::Reach { everything: true, ..Default::default() };
        let audit = world.store().audit_entries(&everything, None, 5).await.expect("audit");
        let entry = audit.iter().find(|e| e.entity == "course" && e.action == "update").expect("an audited update");
        assert!(entry.after_json.as_deref().is_some_and(|j| j.contains(r#""offer_hours":48"#)), "{entry:?}");
        assert!(entry.before_json.as_deref().is_some_and(|j| j.contains(r#""offer_hours":null"#)), "{entry:?}");
        world.drop().await;
    }
}

/// A seat offered from the waitlist is answered through the API as on the course page.
#[tokio::test]
async fn offers_are_answered_through_the_api_too() {
    use serde_json::{Value, json};
    for world in worlds().await {
        let store = world.store();
        let (_, session) = course_offering_seats(&world).await;
        let api = world.anonymous().await;
        let mut tokens = Vec::new();
        for user in ["leder", "ansatt", "kommune"] {
            let token = crate::api::token_for(&world, user).await;
            let r = api
                .post(&format!("/api/v1/sessions/{session}/enrolments"))
                .authorization_bearer(&token)
                .json(&json!({}))
                .await;
            assert_eq!(r.status_code(), 201);
            let person = world.store().credentials(user).await.expect("q").expect("user").person_id;
            tokens.push((token, format!("/api/v1/sessions/{session}/enrolments/{person}")));
        }
        let [(leder, leder_path), (ansatt, ansatt_path), (kommune, kommune_path)] = &tokens[..] else { unreachable!() };
        assert_eq!(api.delete(leder_path).authorization_bearer(leder).await.status_code(), 200);
        // The first waiting turns the seat down; it is offered to the next, who takes it.
        let declined = api.post(&format!("{ansatt_path}/decline")).authorization_bearer(ansatt).await;
        assert_eq!(declined.status_code(), 200, "{}", declined.text());
        assert_eq!(declined.json::<Value>()["state"], "offer-declined");
        let accepted = api.post(&format!("{kommune_path}/accept")).authorization_bearer(kommune).await;
        assert_eq!(accepted.status_code(), 200, "{}", accepted.text());
        assert_eq!(accepted.json::<Value>()["state"], "confirmed");
        // Nothing is offered any more: answering again is refused.
        assert_eq!(api.post(&format!("{ansatt_path}/accept")).authorization_bearer(ansatt).await.status_code(), 409);
        assert_eq!(api.post(&format!("{ansatt_path}/decline")).authorization_bearer(ansatt).await.status_code(), 409);
        let view = store.session(session).await.expect("session");
        assert_eq!((view.confirmed, view.waitlisted), (1, 0));
        world.drop().await;
    }
}

/// A manager holds seats for their unit, names one of their people later, and sees only their own units'
/// reservations; a unit outside their reach is refused and the page of another municipality's coordinator
/// does not show them.
#[tokio::test]
async fn managers_reserve_seats_for_their_unit_and_name_people_later() {
    for world in worlds().await {
        let store = world.store();
        let (_, session) = course_with_session(store, region(&world).await, 5).await;
        let employee = store.credentials("ansatt").await.expect("q").expect("ansatt").person_id;
        let unit = store.person(employee).await.expect("person").employments[0].unit_id;
        let elsewhere = store.credentials("kommune").await.expect("q").expect("kommune").person_id;
        let other_unit = store.person(elsewhere).await.expect("person").employments[0].unit_id;
        let url = format!("/courses/sessions/{session}/reservations");
        let leder = world.login("leder").await;
        let page = leder.get(&url).await;
        assert_eq!(page.status_code(), 200);
        assert!(page.text().contains(&format!(r#"<option value="{unit}">"#)), "the manager's unit is offered");
        assert!(!page.text().contains(&format!(r#"<option value="{other_unit}">"#)), "another municipality's is not");
        let token = csrf(&leder).await;
        let release = local_input(jiff::Timestamp::now().as_second() + 15 * 86_400);
        let form = |unit: String, seats: &str| {
            vec![
                ("csrf_token".to_string(), token.clone()),
                ("unit".to_string(), unit),
                ("seats".to_string(), seats.to_string()),
                ("release_at".to_string(), release.clone()),
            ]
        };
        // More seats than the session has: the page says so and nothing is held.
        let r = leder.post(&url).form(&form(unit.to_string(), "6")).await;
        assert_eq!(r.status_code(), 409, "{}", r.text());
        assert!(r.text().contains("Det er ikke nok ledige plasser"));
        assert!(store.reservations(session).await.expect("list").is_empty());
        let r = leder.post(&url).form(&form(unit.to_string(), "2")).await;
        assert_eq!(r.status_code(), 200, "{}", r.text());
        assert!(r.text().contains("Reservasjonen er lagret: 2 plasser uten navn."), "{}", r.text());
        assert!(r.text().contains("Ledige plasser nå: 3"));
        let r = leder.post(&url).form(&form(other_unit.to_string(), "1")).await;
        assert_eq!(r.status_code(), 403, "a unit outside the manager's reach");
        let reservation = store.reservations(session).await.expect("list")[0].id;
        // Naming: the employee takes one of the two seats and is told by e-mail.
        let search = leder.get(&format!("{url}?name_for={reservation}&q=")).await.text();
        assert!(search.contains("Søk etter personer i"), "{search}");
        let r = leder
            .post(&format!("/courses/reservations/{reservation}/people"))
            .form(&[("csrf_token", token.as_str()), ("person", &employee.0.to_string())])
            .await;
        assert_eq!(r.status_code(), 200, "{}", r.text());
        assert!(r.text().contains("har fått en reservert plass"));
        let listed = store.reservations(session).await.expect("list");
        assert_eq!((listed[0].seats_left, listed[0].named.len()), (1, 1));
        assert_eq!(
            store.enrolment_state(session, employee).await.expect("state"),
            Some(loft_domain::courses::booking::EnrolmentState::Confirmed)
        );
        // Someone outside the unit cannot take the seat.
        let r = leder
            .post(&format!("/courses/reservations/{reservation}/people"))
            .form(&[("csrf_token", token.as_str()), ("person", &elsewhere.0.to_string())])
            .await;
        assert_eq!(r.status_code(), 404, "a person outside the manager's reach");
        // Notodden's coordinator does not see Kongsberg's reservation.
        let other = world.login("kommune").await.get(&url).await.text();
        assert!(other.contains("Ingen reserverte plasser"), "{other}");
        world.drop().await;
    }
}
