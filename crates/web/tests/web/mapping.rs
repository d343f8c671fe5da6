//! Competence mapping through the pages: creating a round, answering by login and by personal link, the own
//! profile, and the report under the anonymity rule.

use crate::common::{World, csrf, worlds};
use loft_domain::mapping::{Answer, Audience, PrivacyMode, Question, RoundWindow};
use loft_store::audit::Change;
use loft_store::mapping::{InvitationMail, NewRound};
use std::collections::BTreeMap;
use std::sync::Mutex;

const SYSTEM: Change = Change { actor: None, region: None, municipality: None };

fn today() -> jiff::civil::Date {
    jiff::Timestamp::now().in_tz("Europe/Oslo").expect("zone").date()
}

/// An open round asking two DigComp competences; everyone invited. Returns the round, its questions and the
/// personal links by person id.
async fn open_round(world: &World, privacy: PrivacyMode) -> (i64, Vec<Question>, BTreeMap<i64, String>) {
    let store = world.store();
    let digcomp = store.frameworks().await.expect("frameworks")[0].id;
    let questions = ["1.1", "4.2"].map(|c| Question { framework_id: digcomp, competence: c.into() }).to_vec();
    let new = NewRound {
        region: store.regions().await.expect("regions")[0].id,
        name: "Kartlegging høsten 2026".into(),
        privacy,
        window: RoundWindow::new(today(), today() + jiff::Span::new().days(14)).expect("window"),
        questions: questions.clone(),
        audience: Audience::default(),
        reminder_days: vec![7],
        copied_from: None,
        checks: vec![],
    };
    let round = store.create_round(SYSTEM, &new).await.expect("round");
    let links = Mutex::new(BTreeMap::new());
    let compose = |invitee: &loft_store::mapping::Invitee, token: &str| {
        links.lock().expect("lock").insert(invitee.person_id.0, token.to_string());
        invitee.email.clone().map(|to| InvitationMail { to, subject: "Kartlegging".into(), body: token.into() })
    };
    store.invite(SYSTEM, round, &compose).await.expect("invite");
    (round, questions, links.into_inner().expect("links"))
}

/// The invitees (person, token) in the order tests answer in: eleven employees of one unit of Kongsberg (the
/// demo employee's, with them, where it has 21), one person of Notodden, the unit's other employees, then
/// everyone else by person id. Twelve answers spread over twelve units would be
/// one person in each, and a reader who sees the total of 12 and which units answered could tell every one of
/// them (the rule then hides the total); this way the first twelve make groups large enough to show.
pub async fn answer_order(world: &World, links: &BTreeMap<i64, String>) -> Vec<(i64, String)> {
    let store = world.store();
    let everyone = loft_domain::policy::Reach { everything: true, ..Default::default() };
    let municipalities = store.municipalities().await.expect("municipalities");
    let id_of = |name: &str| municipalities.iter().find(|m| m.name == name).expect("municipality").id;
    // The invited among the people a query finds.
    let invited = async |q: loft_store::people::PeopleQuery| -> Vec<i64> {
        let page = store.people(&everyone, &q).await.expect("people");
        page.items.iter().map(|i| i.person.id.0).filter(|p| links.contains_key(p)).collect()
    };
    let mut first: Vec<i64> = Vec::new();
    let mut same_unit: Vec<i64> = Vec::new();
    // The demo employee's own unit first (tests have them answer too), else the deepest with eleven.
    let employee = store.credentials("ansatt").await.expect("q").expect("ansatt").person_id;
    let own = store.person(employee).await.expect("person").employments[0].unit_id;
    let mut units = store.units(id_of("Kongsberg")).await.expect("units");
    units.sort_by_key(|u| (u.id != own, std::cmp::Reverse(u.path.as_str().len()), u.id));
    for u in units {
        let q = loft_store::people::PeopleQuery {
            unit: Some(u.path.clone()),
            role_group: Some(loft_domain::person::RoleGroup::Ansatt),
            per_page: 50,
            page: 1,
            ..Default::default()
        };
        let ids = invited(q).await;
        if ids.len() >= 21 {
            // The employee among them if they work here.
            let mut ids: Vec<i64> = ids.into_iter().filter(|p| *p != employee.0).collect();
            if u.id == own && links.contains_key(&employee.0) {
                ids.insert(0, employee.0);
            }
            same_unit = ids;
            break;
        }
    }
    assert!(same_unit.len() >= 21, "a unit of Kongsberg with 21 invited employees");
    first.extend(&same_unit[..11]);
    let q = loft_store::people::PeopleQuery {
        municipality: Some(id_of("Notodden")),
        per_page: 50,
        page: 1,
        ..Default::default()
    };
    first.push(*invited(q).await.first().expect("someone of Notodden invited"));
    first.extend(&same_unit[11..]);
    let rest = links.keys().filter(|p| !first.contains(p)).copied().collect::<Vec<_>>();
    first.into_iter().chain(rest).map(|p| (p, links[&p].clone())).collect()
}

fn field(q: &Question) -> String {
    format!("q-{}-{}", q.framework_id, q.competence)
}

#[tokio::test]
async fn an_employee_answers_saves_submits_once_and_sees_their_profile() {
    for world in worlds().await {
        let (round, questions, _) = open_round(&world, PrivacyMode::Confidential).await;
        let server = world.login("ansatt").await;
        let list = server.get("/mapping").await.text();
        assert!(list.contains(&format!("/mapping/{round}/answer")), "the open round is offered");
        let page = server.get(&format!("/mapping/{round}/answer")).await;
        assert_eq!(page.status_code(), 200);
        let html = page.text();
        assert!(html.contains("Jeg kan utføre enkle oppgaver med veiledning."), "level statements in bokmål");
        assert!(html.contains("Ikke relevant for mitt arbeid"));
        let token = csrf(&server).await;
        let url = format!("/mapping/{round}/answer");

        // Saved half-way, resumed later with the choice kept.
        let saved = server
            .post(&url)
            .form(&[("csrf_token", token.as_str()), (&field(&questions[0]), "3"), ("action", "save")])
            .await;
        assert_eq!(saved.status_code(), 200);
        assert!(saved.text().contains("Svarene er lagret"));
        let resumed = server.get(&url).await.text();
        assert!(resumed.contains(&format!(
            r#"id="{}-3" name="{}" value="3" checked"#,
            field(&questions[0]),
            field(&questions[0])
        )));

        // Submitting with a question open is refused with a message, and nothing is stored.
        let incomplete = server
            .post(&url)
            .form(&[("csrf_token", token.as_str()), (&field(&questions[0]), "3"), ("action", "submit")])
            .await;
        assert_eq!(incomplete.status_code(), 422);
        assert!(incomplete.text().contains("Svar på alle spørsmålene"));
        // A level that is not on the scale is refused too.
        let tampered = server
            .post(&url)
            .form(&[
                ("csrf_token", token.as_str()),
                (&field(&questions[0]), "9"),
                (&field(&questions[1]), "2"),
                ("action", "submit"),
            ])
            .await;
        assert_eq!(tampered.status_code(), 422);
        assert!(tampered.text().contains("Nivået finnes ikke på skalaen"));

        let done = server
            .post(&url)
            .form(&[
                ("csrf_token", token.as_str()),
                (&field(&questions[0]), "3"),
                (&field(&questions[1]), "na"),
                ("action", "submit"),
            ])
            .await;
        assert_eq!(done.status_code(), 200);
        let profile = done.text();
        assert!(profile.contains("Din kompetanseprofil"));
        assert!(profile.contains("<td class=\"num\">3 / 8</td>"), "own level on the scale");
        assert!(profile.contains("Ikke relevant for mitt arbeid"));
        // A second submit (a double click) stores nothing more.
        let again = server
            .post(&url)
            .form(&[
                ("csrf_token", token.as_str()),
                (&field(&questions[0]), "5"),
                (&field(&questions[1]), "5"),
                ("action", "submit"),
            ])
            .await;
        assert_eq!(again.status_code(), 422);
        assert!(again.text().contains("allerede sendt inn"));
        let person = world.store().credentials("ansatt").await.expect("q").expect("ansatt").person_id;
        let own = world.store().own_answers(round, person).await.expect("own").expect("kept");
        assert_eq!(own[&questions[0]], Answer::Level(3));
        assert_eq!(own[&questions[1]], Answer::NotRelevant);

        // The profile again, and as CSV that Excel reads.
        assert!(server.get(&format!("/mapping/{round}/profile")).await.text().contains("Din kompetanseprofil"));
        let csv = server.get(&format!("/mapping/{round}/profile.csv")).await;
        assert_eq!(csv.status_code(), 200);
        let body = csv.text();
        assert!(body.starts_with('\u{feff}') && body.contains("\"3\";"), "{body}");
        world.drop().await;
    }
}

#[tokio::test]
async fn a_personal_link_answers_without_login_and_an_altered_one_is_refused() {
    for world in worlds().await {
        let (round, questions, links) = open_round(&world, PrivacyMode::Anonymous).await;
        let (person, token) = links.iter().next().map(|(p, t)| (*p, t.clone())).expect("someone invited");
        let server = world.anonymous().await;
        let page = server.get(&format!("/answer/{token}")).await;
        assert_eq!(page.status_code(), 200);
        assert!(page.text().contains("uten navn og uten tidspunkt"), "the respondent is told what anonymous means");
        let altered = server.get(&format!("/answer/{}x", &token[..token.len() - 1])).await;
        assert_eq!(altered.status_code(), 404);
        let csrf_token = csrf(&server).await;
        let done = server
            .post(&format!("/answer/{token}"))
            .form(&[
                ("csrf_token", csrf_token.as_str()),
                (&field(&questions[0]), "2"),
                (&field(&questions[1]), "4"),
                ("action", "submit"),
            ])
            .await;
        assert_eq!(done.status_code(), 200);
        assert!(done.text().contains("Din kompetanseprofil"), "the profile is shown right after submitting");
        // Anonymous: nothing links the answers to the person afterwards.
        assert_eq!(world.store().own_answers(round, loft_domain::ids::PersonId(person)).await.expect("own"), None);
        let closed = server.get(&format!("/answer/{token}")).await.text();
        assert!(closed.contains("allerede sendt inn"));
        world.drop().await;
    }
}

#[tokio::test]
async fn the_report_shows_large_groups_hides_small_ones_and_stays_in_scope() {
    for world in worlds().await {
        let (round, questions, links) = open_round(&world, PrivacyMode::Anonymous).await;
        // Twelve people answer level 4 on both questions.
        for (_, token) in answer_order(&world, &links).await.iter().take(12) {
            let inv = world.store().invitation_by_token(token).await.expect("inv");
            let answers: BTreeMap<_, _> = questions.iter().map(|q| (q.clone(), Answer::Level(4))).collect();
            world.store().submit_answers(&inv, &answers).await.expect("submit");
        }
        let region = world.login("region").await;
        // While the round runs: response rates, and no figures.
        let early = region.get(&format!("/mapping/{round}/report")).await;
        assert_eq!(early.status_code(), 409);
        assert!(early.text().contains("Resultatene vises når runden er avsluttet"), "{}", early.text());
        let results_from = today() + jiff::Span::new().days(15);
        let round_page = region.get(&format!("/mapping/{round}")).await.text();
        let said = format!("Resultater fra {}.", results_from.day());
        assert!(round_page.contains(&said) && !round_page.contains("/report\""), "the day after closing: {said}");
        loft_store::testing::move_round_window(world.store(), round, false).await;
        let page = region.get(&format!("/mapping/{round}/report")).await;
        assert_eq!(page.status_code(), 200);
        let html = page.text();
        assert!(html.contains("Kongsbergregionen"));
        assert!(html.contains("<td class=\"num\">12</td>"), "twelve answers in the region: {html}");
        assert!(html.contains("Skjult: færre enn 5 svar"), "small groups are withheld, not shown");
        assert!(html.contains("Over tid") && html.contains("Kartlegging høsten 2026"), "rounds over time");
        let csv = region.get(&format!("/mapping/{round}/report?format=csv")).await.text();
        assert!(csv.contains("\"12\""));

        // A filter on a role group nobody answered as shows zero, not a hidden figure.
        let nobody = region.get(&format!("/mapping/{round}/report?group=folkevalgt")).await.text();
        assert!(nobody.contains("<td class=\"num\">0</td>"));

        // The Notodden coordinator starts at Notodden and cannot open Kongsberg's figures.
        let kommune = world.login("kommune").await;
        let own = kommune.get(&format!("/mapping/{round}/report")).await;
        assert_eq!(own.status_code(), 200);
        assert!(own.text().contains("Rapport: Notodden"));
        let kongsberg =
            world.store().municipalities().await.expect("m").into_iter().find(|m| m.name == "Kongsberg").expect("k");
        let foreign = kommune.get(&format!("/mapping/{round}/report?node=m{}", kongsberg.id)).await;
        assert_eq!(foreign.status_code(), 404);
        let regional = kommune
            .get(&format!("/mapping/{round}/report?node=r{}", world.store().regions().await.expect("r")[0].id))
            .await;
        assert_eq!(regional.status_code(), 404);
        // Employees read no reports at all.
        assert_eq!(world.login("ansatt").await.get(&format!("/mapping/{round}/report")).await.status_code(), 403);
        world.drop().await;
    }
}

/// What the report must say about one competence for the whole region, worked out here from the raw answers:
/// the respondents with a level and the distribution over DigComp's eight levels, as the page writes them.
fn expected_row(answers: &[Answer]) -> (String, String) {
    let mut distribution = [0u64; 8];
    for level in answers.iter().filter_map(|a| a.level()) {
        distribution[usize::from(level) - 1] += 1;
    }
    let respondents: u64 = distribution.iter().sum();
    let text = distribution.iter().enumerate().map(|(i, n)| format!("{}: {n}", i + 1)).collect::<Vec<_>>().join(", ");
    (format!("<td class=\"num\">{respondents}</td>"), format!("<td class=\"muted\">{text}</td>"))
}

/// The region's overview row of a competence: from its title to the end of the row.
fn overview_row<'a>(html: &'a str, code: &str) -> &'a str {
    let overview = &html[html.find("report-overview").unwrap_or(0)..];
    let start = overview.find(&format!("<th scope=\"row\">{code} ")).expect("the competence's row");
    let row = &overview[start..];
    &row[..row.find("</tr>").expect("row end")]
}

#[tokio::test]
async fn the_results_come_once_after_the_round_closes_and_match_the_raw_answers() {
    for world in worlds().await {
        let (round, questions, links) = open_round(&world, PrivacyMode::Anonymous).await;
        // Everyone answers 1.1 at a level from 2 to 6; 4.2 at 3 or 7, every fifth "not relevant".
        let answer = |i: usize, q: usize| match q {
            0 => Answer::Level(2 + (i % 5) as u8),
            _ if i % 5 == 4 => Answer::NotRelevant,
            _ => Answer::Level(if i.is_multiple_of(3) { 7 } else { 3 }),
        };
        let mut given: Vec<Vec<Answer>> = vec![Vec::new(); questions.len()];
        let ordered = answer_order(&world, &links).await;
        let tokens: Vec<&String> = ordered.iter().map(|(_, t)| t).collect();
        let submit = async |from: usize, to: usize, given: &mut Vec<Vec<Answer>>| {
            for (i, token) in tokens.iter().enumerate().take(to).skip(from) {
                let inv = world.store().invitation_by_token(token).await.expect("inv");
                let answers: BTreeMap<_, _> =
                    questions.iter().enumerate().map(|(q, question)| (question.clone(), answer(i, q))).collect();
                world.store().submit_answers(&inv, &answers).await.expect("submit");
                for (q, list) in given.iter_mut().enumerate() {
                    list.push(answer(i, q));
                }
            }
        };
        let region = world.login("region").await;
        let url = format!("/mapping/{round}/report");
        let check = |html: &str, given: &[Vec<Answer>]| {
            for (question, answers) in questions.iter().zip(given) {
                let row = overview_row(html, &question.competence);
                let (respondents, distribution) = expected_row(answers);
                assert!(
                    row.contains(&respondents) && row.contains(&distribution),
                    "{row} ≠ {respondents} {distribution}"
                );
            }
        };

        submit(0, 22, &mut given).await;
        assert_eq!(region.get(&url).await.status_code(), 409, "no figures while the round runs");
        loft_store::testing::move_round_window(world.store(), round, false).await;
        let released = region.get(&url).await.text();
        assert!(released.contains("Tallene bygger på 22 svar."), "{released}");
        check(&released, &given);

        // Nothing can be added after the release, not even if the window opened again: the figures stay those
        // of the 22 answers for good.
        loft_store::testing::move_round_window(world.store(), round, true).await;
        let late = world.store().invitation_by_token(tokens[22]).await.expect("inv");
        let answers: BTreeMap<_, _> = questions.iter().map(|q| (q.clone(), Answer::Level(1))).collect();
        assert!(world.store().submit_answers(&late, &answers).await.is_err(), "refused after the release");
        let later = region.get(&url).await.text();
        assert!(later.contains("Tallene bygger på 22 svar."), "{later}");
        check(&later, &given);
        world.drop().await;
    }
}

#[tokio::test]
async fn a_coordinator_creates_a_round_and_bad_dates_are_refused() {
    for world in worlds().await {
        let server = world.login("region").await;
        let form = server.get("/mapping/new").await;
        assert_eq!(form.status_code(), 200);
        let token = csrf(&server).await;
        let digcomp = world.store().frameworks().await.expect("f")[0].id;
        let question = format!("{digcomp}:1.1");
        let bad = server
            .post("/mapping")
            .form(&[
                ("csrf_token", token.as_str()),
                ("name", "Kartlegging 2027"),
                ("opens", "2027-03-01"),
                ("closes", "2027-02-01"),
                ("privacy", "anonymous"),
                ("question", question.as_str()),
            ])
            .await;
        assert_eq!(bad.status_code(), 422);
        assert!(bad.text().contains("Runden kan ikke stenge før den åpner"));
        let made = server
            .post("/mapping")
            .form(&[
                ("csrf_token", token.as_str()),
                ("name", "Kartlegging 2027"),
                ("opens", "2027-02-01"),
                ("closes", "2027-03-01"),
                ("privacy", "confidential"),
                ("question", question.as_str()),
                ("role_group", "leder"),
            ])
            .await;
        assert_eq!(made.status_code(), 303);
        let location = made.header("location").to_str().expect("location").to_string();
        let id: i64 = location.trim_start_matches("/mapping/").parse().expect("round id");
        let round = world.store().round(id).await.expect("round");
        assert_eq!(round.privacy, PrivacyMode::Confidential);
        assert_eq!(round.audience.role_groups, [loft_domain::person::RoleGroup::Leder]);
        // The coordinator previews it as a manager sees it; nothing can be sent from the preview.
        let preview = server.get(&format!("/mapping/{id}/preview?group=leder")).await;
        assert_eq!(preview.status_code(), 200);
        let preview = preview.text();
        assert!(preview.contains("Forhåndsvisning") && preview.contains("Leder"));
        assert!(!preview.contains(r#"value="submit""#), "no submit button in a preview");
        assert_eq!(world.login("kommune").await.get(&format!("/mapping/{id}/preview")).await.status_code(), 403);
        // Only managers are invited to it.
        let invited = server.post(&format!("/mapping/{id}/invite")).form(&[("csrf_token", token.as_str())]).await;
        assert_eq!(invited.status_code(), 200);
        let counts = world.store().response_counts(id).await.expect("counts");
        assert!(!counts.is_empty());
        assert!(counts.iter().all(|c| c.role_group == loft_domain::person::RoleGroup::Leder));
        world.drop().await;
    }
}
