use super::booking::*;
use super::search::*;
use super::session::*;
use super::*;
use std::collections::BTreeMap;

fn session_input() -> SessionInput {
    SessionInput {
        days: "2027-03-25 09:00-15:00\n2027-03-30 09:00-12:00".into(),
        venue: "Kongsberg rådhus".into(),
        capacity: "20".into(),
        enrolment_opens: "2027-01-01T08:00".into(),
        enrolment_closes: "2027-03-20T23:59".into(),
        cancellation_deadline: "2027-03-18T12:00".into(),
        ..Default::default()
    }
}

#[test]
fn kroner_parse_to_ore() {
    let p = |t| Ore::parse_kroner("price", t).map(|o| o.0);
    assert_eq!(p("1250"), Ok(125_000));
    assert_eq!(p("1 250,5"), Ok(125_050));
    assert_eq!(p("kr 1 250,-"), Ok(125_000));
    assert_eq!(p(""), Ok(0));
    assert!(p("12,345").is_err());
    assert!(p("-5").is_err());
    assert!(p("tolv").is_err());
    assert_eq!(Ore(125_050).format_kroner(crate::locale::Locale::Bokmal), "1\u{a0}250,50");
}

#[test]
fn course_input_reports_every_field() {
    let input = CourseInput { format: "lecture".into(), contact_email: "nope".into(), ..Default::default() };
    let Err(DomainError::Invalid(fields)) = input.parse(RegionId(1)) else { panic!("should fail") };
    let codes: Vec<_> = fields.iter().map(|f| (f.field, f.code)).collect();
    assert!(codes.contains(&("title", "required")));
    assert!(codes.contains(&("format", "unknown-format")));
    assert!(codes.contains(&("contact_email", "invalid-email")));
    assert!(codes.contains(&("organiser_kind", "required")));
}

#[test]
fn course_input_parses_competences_and_prices() {
    let input = CourseInput {
        title: "Informasjonssikkerhet i kommunen".into(),
        summary: "Dagskonferanse".into(),
        competences: "digcomp 4.1 3\n\ndigcomp 4.2 2\n".into(),
        target_groups: vec!["leder".into(), "ansatt".into()],
        format: "conference".into(),
        organiser_kind: "region".into(),
        price_internal: "0".into(),
        price_external: "1 500".into(),
        ..Default::default()
    };
    let c = input.parse(RegionId(1)).expect("valid");
    assert_eq!(c.competences.len(), 2);
    assert_eq!(c.competences[0].level, 3);
    assert_eq!(c.target_groups, vec![RoleGroup::Ansatt, RoleGroup::Leder]);
    assert_eq!(c.price_external, Ore(150_000));
    assert_eq!(c.language, "nb");
    assert!(parse_competence_lines("digcomp 4.1").is_err());
}

#[test]
fn session_times_are_oslo_across_daylight_saving() {
    let s = session_input().parse().expect("valid");
    // 25 March 2027 is winter time (UTC+1); 30 March is summer time (UTC+2).
    let utc = |t: &str| t.parse::<jiff::Timestamp>().expect("ts").as_second();
    assert_eq!(s.days[0].starts_at, utc("2027-03-25T08:00:00Z"));
    assert_eq!(s.days[1].starts_at, utc("2027-03-30T07:00:00Z"));
    assert_eq!(day_line(&s.days[1]), "2027-03-30 09:00-12:00");
}

#[test]
fn session_errors_have_codes() {
    let codes = |i: SessionInput| match i.parse() {
        Err(DomainError::Invalid(f)) => f.iter().map(|f| f.code).collect::<Vec<_>>(),
        other => panic!("expected errors, got {other:?}"),
    };
    let mut i = session_input();
    i.days = "2027-03-25 15:00-09:00".into();
    assert_eq!(codes(i), vec!["ends-before-starts"]);
    let mut i = session_input();
    i.enrolment_closes = "2026-12-01T00:00".into();
    assert_eq!(codes(i), vec!["closes-before-opens"]);
    let mut i = session_input();
    i.enrolment_closes = "2027-03-26T00:00".into();
    i.cancellation_deadline = "2027-03-26T00:00".into();
    assert_eq!(codes(i), vec!["closes-after-start", "deadline-after-start"]);
    let mut i = session_input();
    i.capacity = "0".into();
    i.online_link = "teams.example".into();
    i.quotas = vec![(3, "x".into())];
    assert_eq!(codes(i), vec!["invalid-capacity", "invalid-quota", "invalid-link"]);
    let mut i = session_input();
    i.quotas = vec![(3, "21".into())];
    assert_eq!(codes(i), vec!["quota-above-capacity"]);
    let mut i = session_input();
    i.days = "2027-03-25 09:00-15:00\n2027-03-25 14:00-16:00".into();
    assert_eq!(codes(i), vec!["days-overlap"]);
}

#[test]
fn capacity_cannot_drop_below_confirmed() {
    let by = BTreeMap::from([(MunicipalityId(1), 4)]);
    assert!(check_capacity_change(10, &[], 10, &by).is_ok());
    let Err(DomainError::Invalid(f)) = check_capacity_change(9, &[(MunicipalityId(1), 3)], 10, &by) else {
        panic!("should refuse")
    };
    assert_eq!(f.iter().map(|f| f.code).collect::<Vec<_>>(), vec!["capacity-below-confirmed", "quota-below-confirmed"]);
}

#[test]
fn series_keeps_local_time_over_the_clock_change() {
    let mut i = session_input();
    i.days = "2027-03-22 09:00-15:00".into();
    i.enrolment_closes = "2027-03-20T12:00".into();
    let first = i.parse().expect("valid");
    let all = series(&first, 1, 3).expect("series");
    let lines: Vec<_> = all.iter().map(|s| day_line(&s.days[0])).collect();
    assert_eq!(lines, vec!["2027-03-22 09:00-15:00", "2027-03-29 09:00-15:00", "2027-04-05 09:00-15:00"]);
    assert_eq!(all[1].days[0].starts_at - all[0].days[0].starts_at, 7 * 86_400 - 3_600);
    assert!(series(&first, 1, 0).is_err());
}

#[test]
fn placement_respects_capacity_and_quota() {
    let s = |confirmed, quota, mine| Seats { capacity: 3, confirmed, quota, confirmed_in_municipality: mine };
    assert_eq!(place(s(2, None, 0)), Placement::Confirmed);
    assert_eq!(place(s(3, None, 0)), Placement::Waitlisted);
    assert_eq!(place(s(1, Some(1), 1)), Placement::Waitlisted);
    assert_eq!(place(s(1, Some(2), 1)), Placement::Confirmed);
}

#[test]
fn enrolment_window_outcomes() {
    let code = |r: Result<(), DomainError>| r.map_err(|e| e.code());
    assert_eq!(code(check_open(5, 1, 10, false)), Ok(()));
    assert_eq!(code(check_open(0, 1, 10, false)), Err("enrolment-not-open"));
    assert_eq!(code(check_open(11, 1, 10, false)), Err("enrolment-closed"));
    assert_eq!(code(check_open(5, 1, 10, true)), Err("session-cancelled"));
    assert!(is_late(11, 10));
    assert!(!is_late(10, 10));
}

#[test]
fn promotion_goes_to_the_first_waiting_the_quota_allows() {
    let (a, b) = (MunicipalityId(1), MunicipalityId(2));
    let w = |id, m| Waiting { id: EnrolmentId(id), municipality: m };
    let waitlist = [w(7, a), w(8, b), w(9, a)];
    let quotas = BTreeMap::from([(a, 1)]);
    // a is at its quota: the seat goes to the first from b.
    let confirmed = BTreeMap::from([(a, 1), (b, 1)]);
    assert_eq!(next_to_promote(3, &quotas, &confirmed, &waitlist), Some(EnrolmentId(8)));
    // Without quota room for a and nobody else waiting, the seat stays free.
    assert_eq!(next_to_promote(3, &quotas, &confirmed, &waitlist[..1]), None);
    // Full session: nobody moves.
    assert_eq!(next_to_promote(2, &BTreeMap::new(), &confirmed, &waitlist), None);
    assert_eq!(next_to_promote(3, &BTreeMap::new(), &confirmed, &waitlist), Some(EnrolmentId(7)));
}

#[test]
fn a_freed_seat_is_offered_until_the_answer_time_but_never_past_the_start() {
    let hour = 3600;
    // No answer time (or 0): the seat is given at once, as before.
    assert_eq!(promotion(0, None, 100 * hour), Promotion::Confirm);
    assert_eq!(promotion(0, Some(0), 100 * hour), Promotion::Confirm);
    assert_eq!(promotion(0, Some(24), 100 * hour), Promotion::Offer { expires_at: 24 * hour });
    // The deadline stops at the session's start.
    assert_eq!(promotion(90 * hour, Some(24), 100 * hour), Promotion::Offer { expires_at: 100 * hour });
    // Freed once the session has started: no time to answer, so it is confirmed.
    assert_eq!(promotion(100 * hour, Some(24), 100 * hour), Promotion::Confirm);
    assert_eq!(promotion(101 * hour, Some(24), 100 * hour), Promotion::Confirm);
}

#[test]
fn an_offer_can_be_accepted_until_its_deadline_only() {
    let code = |r: Result<(), DomainError>| r.map_err(|e| e.code());
    assert!(check_accept(99, 100).is_ok());
    assert_eq!(code(check_accept(100, 100)), Err("offer-expired"));
    assert_eq!(code(check_accept(101, 100)), Err("offer-expired"));
    assert!(!offer_lapsed(99, 100));
    assert!(offer_lapsed(100, 100));
}

#[test]
fn an_outstanding_offer_holds_its_seat_and_its_quota_place() {
    let (a, b) = (MunicipalityId(1), MunicipalityId(2));
    let w = |id, m| Waiting { id: EnrolmentId(id), municipality: m };
    let quotas = BTreeMap::from([(a, 1)]);
    // Capacity 2: one confirmed from b and one seat offered to a: the session is full, nobody else is offered.
    let held = BTreeMap::from([(a, 1), (b, 1)]);
    assert_eq!(next_to_promote(2, &quotas, &held, &[w(7, b)]), None);
    // Capacity 3: a's offered seat fills a's quota, so the next seat skips a's waiting people.
    assert_eq!(next_to_promote(3, &quotas, &held, &[w(7, a), w(8, b)]), Some(EnrolmentId(8)));
    // A new arrival sees the offered seat as taken.
    let seats = Seats { capacity: 2, confirmed: 2, quota: None, confirmed_in_municipality: 0 };
    assert_eq!(place(seats), Placement::Waitlisted);
    // An offered seat is active: the person can decline it, and cannot enrol twice.
    assert!(EnrolmentState::Offered { expires_at: 1 }.is_active());
    assert!(!EnrolmentState::OfferLapsed.is_active());
    assert!(!EnrolmentState::OfferDeclined.is_active());
}

#[test]
fn answer_time_for_offers_is_whole_hours_up_to_thirty_days() {
    let base = CourseInput {
        title: "Kurs".into(),
        summary: "Om kurset".into(),
        format: "classroom".into(),
        organiser_kind: "region".into(),
        ..Default::default()
    };
    let parse = |h: &str| CourseInput { offer_hours: h.into(), ..base.clone() }.parse(crate::ids::RegionId(1));
    assert_eq!(parse("").expect("empty").offer_hours, None);
    assert_eq!(parse("0").expect("zero").offer_hours, None);
    assert_eq!(parse(" 48 ").expect("48").offer_hours, Some(48));
    assert_eq!(parse("720").expect("720").offer_hours, Some(720));
    for bad in ["721", "-1", "1,5", "to"] {
        match parse(bad) {
            Err(DomainError::Invalid(f)) => {
                assert_eq!(f, vec![FieldError { field: "offer_hours", code: "invalid-offer-hours" }], "{bad}")
            }
            other => panic!("{bad}: {other:?}"),
        }
    }
}

#[test]
fn overlapping_sessions() {
    let d = |s, e| MeetingDay { starts_at: s, ends_at: e };
    assert!(sessions_overlap(&[d(0, 10)], &[d(20, 30), d(5, 6)]));
    assert!(!sessions_overlap(&[d(0, 10)], &[d(10, 20)]));
}

#[test]
fn norwegian_word_forms_meet() {
    let kursene = index_stems("Kursene i regionen");
    for q in ["kurs", "kursene", "Kurset"] {
        let stems = query_stems(q);
        assert!(
            stems.iter().all(|s| kursene.iter().any(|i| i.starts_with(s.as_str()))),
            "{q} → {stems:?} should find {kursene:?}"
        );
    }
    assert!(query_stems("konferanse").iter().all(|s| !kursene.iter().any(|i| i.starts_with(s.as_str()))));
    assert_eq!(words("Personvern/GDPR, æøå!").collect::<Vec<_>>(), vec!["personvern", "gdpr", "æøå"]);
}

#[test]
fn calendar_has_one_utc_event_per_day() {
    let s = session_input().parse().expect("valid");
    let entry = super::calendar::CalendarSession {
        session_id: 7,
        title: "Informasjonssikkerhet".into(),
        description: "Dagskonferanse".into(),
        location: "Kongsberg rådhus".into(),
        url: "https://loft.example/courses/3".into(),
        days: s.days.clone(),
        dropped_days: vec![],
        cancelled: false,
        sequence: 0,
    };
    let text = super::calendar::ics("Løft", &[entry], 0);
    assert!(text.starts_with("BEGIN:VCALENDAR\r\n"));
    assert_eq!(text.matches("BEGIN:VEVENT").count(), 2);
    // Winter time on 25 March (UTC+1), summer time on 30 March (UTC+2): 09:00 in Oslo both days.
    assert!(text.contains("DTSTART:20270325T080000Z"), "{text}");
    assert!(text.contains("DTSTART:20270330T070000Z"), "{text}");
    assert!(text.contains("UID:loft-session-7-day-2@loft"));
}

#[test]
fn a_shortened_session_cancels_the_days_it_lost_under_their_uids() {
    let s = session_input().parse().expect("valid");
    let entry = super::calendar::CalendarSession {
        session_id: 7,
        title: "Informasjonssikkerhet".into(),
        description: String::new(),
        location: String::new(),
        url: "https://loft.example/courses/3".into(),
        days: s.days[..1].to_vec(),
        dropped_days: s.days[1..].to_vec(),
        cancelled: false,
        sequence: 3,
    };
    let text = super::calendar::ics("Løft", &[entry], 0);
    let events: Vec<&str> = text.split("BEGIN:VEVENT").skip(1).collect();
    assert_eq!(events.len(), 2);
    assert!(events[0].contains("UID:loft-session-7-day-1@loft") && events[0].contains("STATUS:CONFIRMED"));
    assert!(events[1].contains("UID:loft-session-7-day-2@loft") && events[1].contains("STATUS:CANCELLED"));
    assert!(events.iter().all(|e| e.contains("SEQUENCE:3")), "{text}");
}

#[test]
fn completion_needs_every_day() {
    assert!(is_complete(true, 2, 2));
    assert!(!is_complete(true, 2, 1));
    assert!(!is_complete(true, 0, 0));
    assert!(is_complete(false, 3, 1));
}

#[test]
fn target_groups_guide_but_an_empty_list_is_for_everyone() {
    use crate::person::RoleGroup;
    let mut course = CourseInput {
        title: "Lederutvikling".into(),
        summary: "For ledere".into(),
        format: "classroom".into(),
        organiser_kind: "region".into(),
        ..Default::default()
    }
    .parse(crate::ids::RegionId(1))
    .expect("valid");
    assert!(course.is_for(&[RoleGroup::Ansatt]));
    course.target_groups = vec![RoleGroup::Leder, RoleGroup::Radmann];
    assert!(course.is_for(&[RoleGroup::Ansatt, RoleGroup::Leder]));
    assert!(!course.is_for(&[RoleGroup::Ansatt]));
    assert!(!course.is_for(&[]));
}

#[test]
fn compound_words_are_found_by_their_parts_but_short_words_match_whole_words_only() {
    let terms = index_terms("Informasjonssikkerhet i kommunene; ekskursjon til rådhuset");
    let finds = |q: &str| {
        query_stems(q).iter().all(|s| {
            terms.iter().any(|t| t.starts_with(s.as_str()))
                || (searches_parts(s) && terms.iter().any(|t| t.starts_with(&format!("{PART}{s}"))))
        })
    };
    assert!(finds("sikkerhet"), "{terms:?}");
    assert!(finds("informasjonssikkerheten"));
    assert!(finds("sikkerheten"));
    assert!(!finds("huset"), "the stem \"hus\" is too short to search inside rådhuset");
    assert!(!finds("kurs"), "a short stem does not search inside ekskursjon");
    assert!(!finds("fotball"));
    // Parts are marked and sort after every plain stem.
    assert!(terms.iter().filter(|t| t.starts_with(PART)).all(|t| t.chars().count() > MIN_PART));
}

#[test]
fn a_reservation_takes_only_free_seats_within_the_quota() {
    let seats = |confirmed, quota, in_municipality| Seats {
        capacity: 10,
        confirmed,
        quota,
        confirmed_in_municipality: in_municipality,
    };
    assert!(check_reserve(seats(6, None, 0), 4).is_ok(), "exactly the free seats");
    let refused = check_reserve(seats(6, None, 0), 5).expect_err("one too many");
    assert!(matches!(refused, DomainError::Conflict { code: "not-enough-free-seats", .. }));
    assert!(check_reserve(seats(2, Some(3), 1), 3).is_err(), "the municipality's quota holds");
    assert!(check_reserve(seats(2, Some(3), 1), 2).is_ok());
    assert!(check_reserve(seats(10, None, 10), 0).is_ok(), "giving seats back needs no room");
    assert!(check_reserved_seats(-1).is_err() && check_reserved_seats(MAX_RESERVED_SEATS + 1).is_err());
}

#[test]
fn unnamed_seats_are_released_at_a_deadline_before_enrolment_closes() {
    assert!(check_release_at(100, 150, 200).is_ok());
    assert!(check_release_at(100, 200, 200).is_ok(), "at the closing itself");
    assert!(check_release_at(100, 201, 200).is_err());
    assert!(check_release_at(100, 100, 200).is_err(), "not now or before");
}
