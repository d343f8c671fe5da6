//! The report's exports: XLSX and a print-ready page carry the same figures and the same withheld cells as the
//! page, with the date and the anonymity note.

use crate::common::worlds;
use calamine::{Data, Reader, Xlsx};
use loft_domain::mapping::{Answer, Audience, PrivacyMode, Question, RoundWindow};
use loft_store::audit::Change;
use loft_store::mapping::NewRound;
use std::collections::BTreeMap;
use std::io::Cursor;
use std::sync::Mutex;

const SYSTEM: Change = Change { actor: None, region: None, municipality: None };

fn today() -> jiff::civil::Date {
    jiff::Timestamp::now().in_tz("Europe/Oslo").expect("zone").date()
}

fn text(d: &Data) -> String {
    match d {
        Data::String(s) => s.clone(),
        Data::Float(f) => f.to_string(),
        Data::Int(i) => i.to_string(),
        Data::Empty => String::new(),
        other => format!("{other:?}"),
    }
}

#[tokio::test]
async fn xlsx_and_print_show_what_the_page_shows_and_hide_what_it_hides() {
    for world in worlds().await {
        let store = world.store();
        let digcomp = store.frameworks().await.expect("frameworks")[0].id;
        let questions = ["1.1", "4.2"].map(|c| Question { framework_id: digcomp, competence: c.into() }).to_vec();
        let new = NewRound {
            region: store.regions().await.expect("regions")[0].id,
            name: "Kartlegging for eksport".into(),
            privacy: PrivacyMode::Anonymous,
            window: RoundWindow::new(today(), today() + jiff::Span::new().days(14)).expect("window"),
            questions: questions.clone(),
            audience: Audience::default(),
            reminder_days: vec![],
            copied_from: None,
            checks: vec![],
        };
        let round = store.create_round(SYSTEM, &new).await.expect("round");
        let links = Mutex::new(BTreeMap::new());
        store
            .invite(SYSTEM, round, &|invitee: &loft_store::mapping::Invitee, t: &str| {
                links.lock().expect("lock").insert(invitee.person_id.0, t.to_string());
                None
            })
            .await
            .expect("invite");
        let links = links.into_inner().expect("links");
        for (_, token) in crate::mapping::answer_order(&world, &links).await.iter().take(12) {
            let inv = store.invitation_by_token(token).await.expect("inv");
            let answers: BTreeMap<_, _> = questions.iter().map(|q| (q.clone(), Answer::Level(4))).collect();
            store.submit_answers(&inv, &answers).await.expect("submit");
        }
        loft_store::testing::move_round_window(store, round, false).await;
        let region = world.login("region").await;
        let page = region.get(&format!("/mapping/{round}/report")).await.text();
        assert!(page.contains("format=xlsx") && page.contains("format=print"), "the page links its exports");
        let hidden_on_page = page.matches("Skjult: færre enn 5 svar").count();
        assert!(hidden_on_page > 0, "the page withholds small groups");

        let xlsx = region.get(&format!("/mapping/{round}/report?format=xlsx")).await;
        assert_eq!(xlsx.status_code(), 200);
        assert!(xlsx.header("content-type").to_str().expect("type").contains("spreadsheetml"));
        let mut book: Xlsx<_> = calamine::open_workbook_from_rs(Cursor::new(xlsx.as_bytes().to_vec())).expect("xlsx");
        assert_eq!(book.sheet_names(), ["Oversikt", "Enheter", "Rollegrupper", "Over tid"]);
        let mut hidden_in_book = 0;
        let mut cells = Vec::new();
        for name in book.sheet_names() {
            let range = book.worksheet_range(&name).expect("sheet");
            let rows: Vec<Vec<String>> = range.rows().map(|r| r.iter().map(text).collect()).collect();
            assert!(rows[3][0].starts_with("Laget "), "the date on every sheet");
            assert!(rows[4][0].contains("minst 5 svar"), "the anonymity note on every sheet");
            hidden_in_book += rows.iter().flatten().filter(|c| c.starts_with("Skjult: færre enn 5 svar")).count();
            cells.push(rows);
        }
        assert_eq!(hidden_in_book, hidden_on_page, "the same cells are withheld as on the page");
        let overview = &cells[0];
        let first = overview.iter().find(|r| r[0].starts_with("1.1 ")).expect("1.1 row");
        assert_eq!((first[1].as_str(), first[2].as_str()), ("12", "4"), "respondents and median as numbers");

        let print = region.get(&format!("/mapping/{round}/report?format=print")).await;
        assert_eq!(print.status_code(), 200);
        let html = print.text();
        assert!(html.contains("Laget ") && html.contains("Tall vises bare for grupper med minst 5 svar"));
        assert!(html.contains("Oversikt per kompetanse") && html.contains("Fordelt på enheter"));
        assert_eq!(html.matches("Skjult: færre enn 5 svar").count(), hidden_on_page);
        let css = region.get("/assets/app.css").await.text();
        assert!(css.contains("@page { size: A4"), "laid out for A4");
        // Exports are reports: the same scope rule as the page.
        assert_eq!(
            world.login("ansatt").await.get(&format!("/mapping/{round}/report?format=xlsx")).await.status_code(),
            403
        );
        let kommune = world.login("kommune").await;
        let r = store.regions().await.expect("r")[0].id.0;
        assert_eq!(kommune.get(&format!("/mapping/{round}/report?node=r{r}&format=xlsx")).await.status_code(), 404);
        world.drop().await;
    }
}

#[tokio::test]
async fn the_mapping_api_returns_only_what_the_rule_and_the_scope_allow() {
    for world in worlds().await {
        let store = world.store();
        let digcomp = store.frameworks().await.expect("frameworks")[0].id;
        let questions = ["1.1", "4.2"].map(|c| Question { framework_id: digcomp, competence: c.into() }).to_vec();
        let new = NewRound {
            region: store.regions().await.expect("regions")[0].id,
            name: "Kartlegging i API-et".into(),
            privacy: PrivacyMode::Confidential,
            window: RoundWindow::new(today(), today() + jiff::Span::new().days(14)).expect("window"),
            questions: questions.clone(),
            audience: Audience::default(),
            reminder_days: vec![7],
            copied_from: None,
            checks: vec![],
        };
        let round = store.create_round(SYSTEM, &new).await.expect("round");
        let links = Mutex::new(BTreeMap::new());
        store
            .invite(SYSTEM, round, &|i: &loft_store::mapping::Invitee, t: &str| {
                links.lock().expect("lock").insert(i.person_id.0, t.to_string());
                None
            })
            .await
            .expect("invite");
        let links = links.into_inner().expect("links");
        let ansatt = store.credentials("ansatt").await.expect("q").expect("ansatt").person_id;
        let mut answered = 0;
        for (person, token) in &crate::mapping::answer_order(&world, &links).await {
            if answered >= 12 && *person != ansatt.0 {
                continue;
            }
            let inv = store.invitation_by_token(token).await.expect("inv");
            let answers: BTreeMap<_, _> = questions.iter().map(|q| (q.clone(), Answer::Level(4))).collect();
            store.submit_answers(&inv, &answers).await.expect("submit");
            answered += 1;
        }
        let api = world.anonymous().await;
        let region = crate::api::token_for(&world, "region").await;
        let list: serde_json::Value = api.get("/api/v1/mapping/rounds").authorization_bearer(&region).await.json();
        assert!(list["items"].as_array().expect("items").iter().any(|r| r["id"] == round));
        let one = api.get(&format!("/api/v1/mapping/rounds/{round}")).authorization_bearer(&region).await;
        assert_eq!(one.status_code(), 200);
        assert_eq!(one.json::<serde_json::Value>()["privacy"], "confidential");

        let rates: serde_json::Value = api
            .get(&format!("/api/v1/mapping/rounds/{round}/response-rates"))
            .authorization_bearer(&region)
            .await
            .json();
        let all_rows: Vec<&serde_json::Value> = rates["municipalities"]
            .as_array()
            .expect("m")
            .iter()
            .chain(rates["units"].as_array().expect("u"))
            .collect();
        assert!(all_rows.iter().any(|r| r["status"] == "shown"));
        for r in &all_rows {
            if r["status"] == "hidden" {
                assert!(r.get("invited").is_none() && r.get("answered").is_none(), "a hidden node has no numbers: {r}");
            } else {
                assert!(r["invited"].as_u64().expect("invited") >= 5);
            }
        }

        // While the round runs there are no figures, only response rates.
        let early = api.get(&format!("/api/v1/mapping/rounds/{round}/report")).authorization_bearer(&region).await;
        assert_eq!(early.status_code(), 409);
        assert_eq!(early.json::<serde_json::Value>()["code"], "results-not-released", "the reason, as a code");
        loft_store::testing::move_round_window(store, round, false).await;
        let report = api.get(&format!("/api/v1/mapping/rounds/{round}/report")).authorization_bearer(&region).await;
        assert_eq!(report.status_code(), 200);
        let report: serde_json::Value = report.json();
        assert_eq!(report["competences"][0]["self_assessed"]["status"], "shown");
        assert_eq!(report["competences"][0]["self_assessed"]["figures"]["respondents"], answered);
        assert!(report["competences"][0]["tested"].is_null(), "no checks in this round");
        for child in report["children"].as_array().expect("children") {
            for c in child["competences"].as_array().expect("c") {
                let n = c["self_assessed"]["figures"]["respondents"].as_u64();
                assert!(n.is_none_or(|n| n == 0 || n >= 5), "no shown figure from fewer than k: {c}");
            }
        }
        // A released round keeps the k it was released with: a new k would decide the same answers a second way.
        store.set_min_group_size(SYSTEM, loft_domain::disclosure::MinGroupSize::new(50).expect("k")).await.expect("k");
        let again: serde_json::Value =
            api.get(&format!("/api/v1/mapping/rounds/{round}/report")).authorization_bearer(&region).await.json();
        assert_eq!(again["min_group_size"], 5);
        assert_eq!(again["competences"], report["competences"], "the same figures");
        store.set_min_group_size(SYSTEM, loft_domain::disclosure::MinGroupSize::DEFAULT).await.expect("k");
        // The Notodden coordinator cannot read the region's node, and employees read no reports.
        let kommune = crate::api::token_for(&world, "kommune").await;
        let r = store.regions().await.expect("r")[0].id.0;
        let foreign =
            api.get(&format!("/api/v1/mapping/rounds/{round}/report?node=r{r}")).authorization_bearer(&kommune).await;
        assert_eq!(foreign.status_code(), 404);
        let employee = crate::api::token_for(&world, "ansatt").await;
        assert_eq!(
            api.get(&format!("/api/v1/mapping/rounds/{round}/report"))
                .authorization_bearer(&employee)
                .await
                .status_code(),
            403
        );
        // The employee's own profile, and the round among those they are invited to.
        let mine: serde_json::Value = api.get("/api/v1/mapping/rounds").authorization_bearer(&employee).await.json();
        assert!(mine["items"].as_array().expect("items").is_empty(), "employees see no rounds as coordinators do");
        assert!(
            mine["invited"]
                .as_array()
                .expect("invited")
                .iter()
                .any(|r| r["round_id"] == round && r["answered"] == true)
        );
        let profile = api.get(&format!("/api/v1/mapping/rounds/{round}/profile")).authorization_bearer(&employee).await;
        assert_eq!(profile.status_code(), 200);
        let profile: serde_json::Value = profile.json();
        assert_eq!(profile["items"][0]["level"], 4);
        assert_eq!(profile["items"][0]["competence"], "1.1");
        // The OpenAPI document describes the mapping routes.
        let doc: serde_json::Value = api.get("/api/v1/openapi.json").await.json();
        assert!(doc["paths"]["/api/v1/mapping/rounds/{id}/report"]["get"].is_object());
        world.drop().await;
    }
}
