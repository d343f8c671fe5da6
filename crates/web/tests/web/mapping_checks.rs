//! Knowledge checks through the pages: chosen for a round, answered in the questionnaire, the tested level on the
//! respondent's profile beside the self-assessed one, and in the report under the anonymity rule.

use crate::common::{World, csrf, worlds};
use loft_domain::mapping::checks::{CheckKind, RoundCheck};
use loft_domain::mapping::{Answer, Audience, PrivacyMode, Question, RoundWindow};
use loft_store::audit::Change;
use loft_store::mapping::NewRound;
use std::collections::BTreeMap;
use std::sync::Mutex;

const SYSTEM: Change = Change { actor: None, region: None, municipality: None };

fn today() -> jiff::civil::Date {
    jiff::Timestamp::now().in_tz("Europe/Oslo").expect("zone").date()
}

/// An open round asking DigComp 1.1 and 4.2 with every bank check about them; everyone invited.
async fn round_with_checks(
    world: &World,
    privacy: PrivacyMode,
) -> (i64, Vec<Question>, Vec<RoundCheck>, BTreeMap<i64, String>) {
    let store = world.store();
    let digcomp = store.frameworks().await.expect("frameworks")[0].id;
    let questions = ["1.1", "4.2"].map(|c| Question { framework_id: digcomp, competence: c.into() }).to_vec();
    let checks: Vec<RoundCheck> = store
        .knowledge_checks()
        .await
        .expect("bank")
        .into_iter()
        .filter(|c| questions.contains(&c.question()))
        .collect();
    assert_eq!(checks.len(), 4, "the shipped bank has two checks each for 1.1 and 4.2");
    let new = NewRound {
        region: store.regions().await.expect("regions")[0].id,
        name: "Kartlegging med kunnskapssjekk".into(),
        privacy,
        window: RoundWindow::new(today(), today() + jiff::Span::new().days(14)).expect("window"),
        questions: questions.clone(),
        audience: Audience::default(),
        reminder_days: vec![],
        copied_from: None,
        checks: checks.iter().map(|c| c.id).collect(),
    };
    let round = store.create_round(SYSTEM, &new).await.expect("round");
    let links = Mutex::new(BTreeMap::new());
    let compose = |invitee: &loft_store::mapping::Invitee, token: &str| {
        links.lock().expect("lock").insert(invitee.person_id.0, token.to_string());
        None
    };
    store.invite(SYSTEM, round, &compose).await.expect("invite");
    (round, questions, checks, links.into_inner().expect("links"))
}

fn field(q: &Question) -> String {
    format!("q-{}-{}", q.framework_id, q.competence)
}

/// The right choice for a check, and a wrong one.
fn right(c: &RoundCheck) -> u8 {
    match &c.check.kind {
        CheckKind::TrueFalse { correct } => u8::from(!*correct),
        CheckKind::MultipleChoice { correct, .. } => *correct,
    }
}
fn wrong(c: &RoundCheck) -> u8 {
    (right(c) + 1) % c.check.option_count()
}

#[tokio::test]
async fn a_respondent_answers_the_checks_and_sees_the_tested_level_beside_their_own() {
    for world in worlds().await {
        let (round, questions, checks, _) = round_with_checks(&world, PrivacyMode::Confidential).await;
        let server = world.login("ansatt").await;
        let url = format!("/mapping/{round}/answer");
        let page = server.get(&url).await.text();
        assert!(page.contains("Kunnskapssjekk") && page.contains("Søketreffene øverst"), "checks in bokmål");
        let token = csrf(&server).await;
        let level_1 = field(&questions[0]);
        let level_2 = field(&questions[1]);

        // A draft keeps a check answer; submitting without the rest is refused with a message, nothing stored.
        let first = format!("k-{}", checks[0].id);
        let saved =
            server.post(&url).form(&[("csrf_token", token.as_str()), (first.as_str(), "1"), ("action", "save")]).await;
        assert_eq!(saved.status_code(), 200);
        let resumed = server.get(&url).await.text();
        assert!(resumed.contains(&format!(r#"id="{first}-1" name="{first}" value="1" checked"#)), "draft kept");
        let incomplete = server
            .post(&url)
            .form(&[
                ("csrf_token", token.as_str()),
                (level_1.as_str(), "5"),
                (level_2.as_str(), "na"),
                (first.as_str(), "1"),
                ("action", "submit"),
            ])
            .await;
        assert_eq!(incomplete.status_code(), 422);
        assert!(incomplete.text().contains("Svar på kunnskapsspørsmålene"));
        let person = world.store().credentials("ansatt").await.expect("q").expect("ansatt").person_id;
        assert_eq!(world.store().own_answers(round, person).await.expect("own"), None, "all or nothing");
        // An option that does not exist is refused.
        let mut form: Vec<(String, String)> = vec![
            ("csrf_token".into(), token.clone()),
            (level_1.clone(), "5".into()),
            (level_2.clone(), "na".into()),
            ("action".into(), "submit".into()),
        ];
        let for_1_1: Vec<&RoundCheck> = checks.iter().filter(|c| c.question() == questions[0]).collect();
        let bad = [form.clone(), vec![(format!("k-{}", for_1_1[0].id), "7".into())]].concat();
        let refused = server.post(&url).form(&bad).await;
        assert_eq!(refused.status_code(), 422);
        assert!(refused.text().contains("ikke blant alternativene"));

        // One of the two 1.1 checks right on an 8-level scale: tested level 4, beside the self-assessed 5. The
        // 4.2 checks are not needed: 4.2 is not relevant for this respondent.
        form.push((format!("k-{}", for_1_1[0].id), right(for_1_1[0]).to_string()));
        form.push((format!("k-{}", for_1_1[1].id), wrong(for_1_1[1]).to_string()));
        let done = server.post(&url).form(&form).await;
        assert_eq!(done.status_code(), 200);
        let profile = done.text();
        assert!(profile.contains("Testet nivå"), "the tested level has its own column");
        assert!(profile.contains("<td class=\"num\">5 / 8</td>") && profile.contains("<td class=\"num\">4 / 8</td>"));
        let tested = world.store().own_tested(round, person).await.expect("tested");
        assert_eq!(tested.get(&questions[0]), Some(&4));
        assert_eq!(tested.get(&questions[1]), None, "no tested level for a competence that is not relevant");
        assert_eq!(
            world.store().own_answers(round, person).await.expect("own").expect("kept")[&questions[0]],
            Answer::Level(5)
        );
        // The same on the profile later and in its CSV.
        assert!(server.get(&format!("/mapping/{round}/profile")).await.text().contains("<td class=\"num\">4 / 8</td>"));
        let csv = server.get(&format!("/mapping/{round}/profile.csv")).await.text();
        assert!(csv.contains("\"Testet nivå\"") && csv.contains("\"5\";\"4\";\"0\";\"4\""), "{csv}");
        world.drop().await;
    }
}

#[tokio::test]
async fn the_report_shows_tested_beside_self_assessed_under_the_same_rule() {
    for world in worlds().await {
        let (round, questions, checks, links) = round_with_checks(&world, PrivacyMode::Anonymous).await;
        // Twelve answer level 6 on both and get every check right: tested level 8, median 6 self-assessed.
        let ordered = crate::mapping::answer_order(&world, &links).await;
        for (_, token) in ordered.iter().take(12) {
            let inv = world.store().invitation_by_token(token).await.expect("inv");
            let answers: BTreeMap<_, _> = questions.iter().map(|q| (q.clone(), Answer::Level(6))).collect();
            let choices = checks.iter().map(|c| (c.id, right(c))).collect();
            world.store().submit_with_checks(&inv, &answers, &choices).await.expect("submit");
        }
        // The store refuses a submission that skips the checks of a relevant competence.
        let inv = world.store().invitation_by_token(&ordered[12].1).await.expect("inv");
        let answers: BTreeMap<_, _> = questions.iter().map(|q| (q.clone(), Answer::Level(2))).collect();
        assert!(world.store().submit_answers(&inv, &answers).await.is_err(), "checks are part of the submission");

        // The results come once the round has closed.
        loft_store::testing::move_round_window(world.store(), round, false).await;
        let region = world.login("region").await;
        let html = region.get(&format!("/mapping/{round}/report")).await.text().replace("\n  ", "");
        assert!(html.contains("Selvvurdert og testet nivå"));
        assert!(
            html.contains("<td class=\"num\">6,0</td><td class=\"num\">8,0</td>"),
            "side by side, not averaged: {html}"
        );
        assert!(!html.contains("7,0"), "never averaged");
        let csv = region.get(&format!("/mapping/{round}/report?format=csv")).await.text();
        assert!(
            csv.contains("\"Median, testet\"") && csv.contains("\"12\";\"6,0\";") && csv.contains(";\"0,0\";\"8,0\";"),
            "{csv}"
        );
        world.drop().await;
    }
}

#[tokio::test]
async fn a_coordinator_chooses_checks_and_a_copy_keeps_them() {
    for world in worlds().await {
        let server = world.login("region").await;
        let form = server.get("/mapping/new").await.text();
        assert!(form.contains("Kunnskapssjekk") && form.contains("1.1: Søketreffene"));
        let token = csrf(&server).await;
        let digcomp = world.store().frameworks().await.expect("f")[0].id;
        let bank = world.store().knowledge_checks().await.expect("bank");
        let about_1_1 = bank.iter().find(|c| c.check.competence == "1.1").expect("a 1.1 check").id.to_string();
        let about_4_1 = bank.iter().find(|c| c.check.competence == "4.1").expect("a 4.1 check").id.to_string();
        let question = format!("{digcomp}:1.1");
        let base = [
            ("csrf_token", token.as_str()),
            ("name", "Kartlegging 2027"),
            ("opens", "2027-02-01"),
            ("closes", "2027-03-01"),
            ("privacy", "anonymous"),
            ("question", question.as_str()),
        ];
        // A check about a competence the round does not ask is refused.
        let foreign = server.post("/mapping").form(&[&base[..], &[("check", about_4_1.as_str())]].concat()).await;
        assert_eq!(foreign.status_code(), 422);
        let made = server.post("/mapping").form(&[&base[..], &[("check", about_1_1.as_str())]].concat()).await;
        assert_eq!(made.status_code(), 303);
        let id: i64 = made.header("location").to_str().expect("l").trim_start_matches("/mapping/").parse().expect("id");
        assert_eq!(world.store().round(id).await.expect("round").checks, vec![about_1_1.parse::<i64>().expect("id")]);
        let copy = server
            .post("/mapping")
            .form(&[
                ("csrf_token", token.as_str()),
                ("name", "Kartlegging 2028"),
                ("opens", "2028-02-01"),
                ("closes", "2028-03-01"),
                ("privacy", "anonymous"),
                ("copy_from", id.to_string().as_str()),
            ])
            .await;
        assert_eq!(copy.status_code(), 303);
        let copied: i64 =
            copy.header("location").to_str().expect("l").trim_start_matches("/mapping/").parse().expect("id");
        assert_eq!(
            world.store().round(copied).await.expect("copy").checks,
            world.store().round(id).await.expect("r").checks
        );
        // The preview shows the checks as a respondent sees them.
        let preview = server.get(&format!("/mapping/{id}/preview?group=ansatt")).await.text();
        assert!(preview.contains("Søketreffene øverst") && preview.contains("Usant"));
        world.drop().await;
    }
}

#[tokio::test]
async fn a_round_for_one_unit_invites_its_subtree_and_shows_rates_per_unit() {
    for world in worlds().await {
        let server = world.login("region").await;
        let form = server.get("/mapping/new").await.text();
        assert!(form.contains(r#"<select class="ds-input" id="units" name="unit" multiple"#), "units in the form");
        let token = csrf(&server).await;
        let digcomp = world.store().frameworks().await.expect("f")[0].id;
        let question = format!("{digcomp}:1.1");
        // The largest top-level unit of the first municipality.
        let municipality = world.store().municipalities().await.expect("m")[0].id;
        let units = world.store().units(municipality).await.expect("units");
        let top = units.iter().find(|u| u.parent_id.is_none()).expect("a top unit").clone();
        let base = [
            ("csrf_token", token.as_str()),
            ("name", "Kartlegging for én enhet"),
            ("opens", "2026-01-01"),
            ("closes", "2099-12-31"),
            ("privacy", "anonymous"),
            ("question", question.as_str()),
        ];
        let unknown = server.post("/mapping").form(&[&base[..], &[("unit", "999999")]].concat()).await;
        assert_eq!(unknown.status_code(), 422, "a unit that does not exist is refused");
        let unit = top.id.0.to_string();
        let made = server.post("/mapping").form(&[&base[..], &[("unit", unit.as_str())]].concat()).await;
        assert_eq!(made.status_code(), 303);
        let id: i64 = made.header("location").to_str().expect("l").trim_start_matches("/mapping/").parse().expect("id");
        assert_eq!(world.store().round(id).await.expect("round").audience.units, vec![top.id.0]);
        let invited = server.post(&format!("/mapping/{id}/invite")).form(&[("csrf_token", token.as_str())]).await;
        assert_eq!(invited.status_code(), 200);
        let counts = world.store().response_counts(id).await.expect("counts");
        assert!(!counts.is_empty(), "someone in the unit is invited");
        let subtree: Vec<i64> =
            units.iter().filter(|u| u.path.as_str().starts_with(top.path.as_str())).map(|u| u.id.0).collect();
        assert!(counts.iter().all(|c| c.unit.is_some_and(|u| subtree.contains(&u.0))), "only the unit and its subtree");
        let total: u64 = counts.iter().map(|c| c.invited).sum();
        let page = server.get(&format!("/mapping/{id}")).await.text();
        assert!(total >= 5, "enough invited for a rate ({total})");
        assert!(page.contains("Svarprosent per enhet"), "{page}");
        assert!(page.contains(&format!(
            "<th scope=\"row\">{}</th><td class=\"num\">{total}</td><td class=\"num\">0</td>",
            top.name
        )));
        world.drop().await;
    }
}
