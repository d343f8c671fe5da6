//! HR imports beyond the first preview (which `pages` covers): applying in the background and the status page,
//! undo with its confirmation, the mapping editor, a file for another municipality, and the same through the API.

use crate::api::token_for;
use crate::common::{World, csrf, worlds};
use axum_test::TestServer;
use axum_test::multipart::{MultipartForm, Part};
use loft_domain::org::Municipality;
use loft_store::hr_import::{Progress, UnitKind};
use serde_json::{Value, json};
use std::time::Duration;

async fn notodden(world: &World) -> Municipality {
    world.store().municipalities().await.expect("m").into_iter().find(|m| m.name == "Notodden").expect("Notodden")
}

/// Notodden's people as its HR system would export them, plus `extra` lines.
async fn export(world: &World, m: &Municipality, extra: &[&str]) -> String {
    let (people, _) = world.store().hr_current_state(m.id, UnitKind::Code).await.expect("state");
    let mut csv = String::from("Ansattnr;Fornavn;Etternavn;E-post;Enhetskode\r\n");
    for p in people.iter().filter(|p| !p.left) {
        let unit = p.unit.as_ref().map(|u| u.to_string()).unwrap_or_default();
        let email = p.email.as_ref().map(|e| e.as_str().to_string()).unwrap_or_default();
        let (number, given, family) = (p.employee_number.as_str(), &p.given_name, &p.family_name);
        csv.push_str(&format!("{number};{given};{family};{email};{unit}\r\n"));
    }
    for line in extra {
        csv.push_str(line);
        csv.push_str("\r\n");
    }
    csv
}

fn file_form(name: &str, bytes: Vec<u8>) -> MultipartForm {
    MultipartForm::new().add_part("file", Part::bytes(bytes).file_name(name).mime_type("text/csv"))
}

/// Uploads through the page and returns the preview's import id.
async fn upload(server: &TestServer, token: &str, m: &Municipality, form: MultipartForm) -> i64 {
    let r = server.post(&format!("/municipalities/{}/imports?csrf_token={token}", m.id)).multipart(form).await;
    assert_eq!(r.status_code(), 303, "{}", r.text());
    let location = r.header("location").to_str().expect("ascii").to_string();
    location.trim_start_matches("/imports/").parse().expect("import id")
}

/// Waits for the background apply of `id` to end, as a user reloading the status page would.
async fn wait_until_done(server: &TestServer, id: i64) -> String {
    for _ in 0..200 {
        let page = server.get(&format!("/imports/{id}/status")).await;
        if page.maybe_header("refresh").is_none() {
            return page.text();
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("import {id} did not finish");
}

#[tokio::test]
async fn apply_runs_in_the_background_once_and_the_status_page_follows_it() {
    for world in worlds().await {
        let server = world.login("kommune").await;
        let token = csrf(&server).await;
        let m = notodden(&world).await;
        let csv = export(&world, &m, &["777001;Åsmund;Ødegård;asmund@notodden.kommune.no;OPP-S01"]).await;
        let id = upload(&server, &token, &m, file_form("notodden.csv", csv.into_bytes())).await;

        // A running apply as the status page shows it: a progress bar with its figure in words, reloading itself
        // until the user turns that off.
        world.state.import_jobs.report(id, Progress { done: 3, total: 12 });
        let page = server.get(&format!("/imports/{id}/status")).await;
        assert_eq!(page.header("refresh"), "2");
        let html = page.text();
        assert!(
            html.contains(
                r#"<progress id="apply-progress" class="import-progress" max="12" value="3">25 %</progress>"#
            ),
            "{html}"
        );
        assert!(html.contains("3 av 12 personer oppdatert (25 %)."), "{html}");
        assert!(html.contains(r#"<label class="ds-label" for="apply-progress">"#));
        assert!(server.get(&format!("/imports/{id}/status?auto=0")).await.maybe_header("refresh").is_none());
        let detail = server.get(&format!("/imports/{id}")).await.text();
        assert!(detail.contains("Følg framdriften"), "{detail}");
        let coordinator = world.store().credentials("kommune").await.expect("q").expect("kommune").person_id;
        let name = world.store().person(coordinator).await.expect("person").person;
        assert!(detail.contains(&format!("lastet opp av {} {}", name.given_name, name.family_name)), "{detail}");
        // While it runs, another click on apply starts nothing and lands on the status page.
        let r = server.post(&format!("/imports/{id}/apply")).form(&[("csrf_token", token.as_str())]).await;
        assert_eq!(r.status_code(), 303);
        assert_eq!(r.header("location"), format!("/imports/{id}/status"));
        assert!(world.store().hr_import(id).await.expect("import").record.status == "previewed");

        // An apply that is not running (here: never started; after a restart: rolled back) is shown as such.
        let other =
            upload(&server, &token, &m, file_form("igjen.csv", export(&world, &m, &[]).await.into_bytes())).await;
        let idle = server.get(&format!("/imports/{other}/status")).await;
        assert!(idle.maybe_header("refresh").is_none());
        assert!(idle.text().contains("ikke gjennomført og kjører ikke nå"), "{}", idle.text());

        // The real apply, clicked twice: applied once, the outcome read from the record.
        let fresh = upload(
            &server,
            &token,
            &m,
            file_form("ny.csv", export(&world, &m, &["777002;Siv;Berg;;OPP-S01"]).await.into_bytes()),
        )
        .await;
        for _ in 0..2 {
            let r = server.post(&format!("/imports/{fresh}/apply")).form(&[("csrf_token", token.as_str())]).await;
            assert_eq!(r.status_code(), 303);
            assert_eq!(r.header("location"), format!("/imports/{fresh}/status"));
        }
        let done = wait_until_done(&server, fresh).await;
        assert!(done.contains("Importen er gjennomført."), "{done}");
        assert!(done.contains("Nye: 1"), "{done}");
        let record = world.store().hr_import(fresh).await.expect("import").record;
        assert_eq!(record.status, "applied");
        let applies = world
            .store()
            .audit_entries(&loft_domain::policy::Reach { everything: true, ..Default::default() }, None, 500)
            .await
            .expect("audit")
            .into_iter()
            .filter(|e| e.action == "hr.import" && e.entity_id == fresh.to_string())
            .count();
        assert_eq!(applies, 1, "applied once");
        // Later visits (a closed tab) read the result from the record; applying again just shows it.
        let r = server.post(&format!("/imports/{fresh}/apply")).form(&[("csrf_token", token.as_str())]).await;
        assert_eq!(r.header("location"), format!("/imports/{fresh}/status"));
        assert!(server.get(&format!("/imports/{fresh}/status")).await.text().contains("Importen er gjennomført."));
        world.drop().await;
    }
}

#[tokio::test]
async fn a_failed_background_apply_says_why_and_changes_nothing() {
    for world in worlds().await {
        let server = world.login("kommune").await;
        let token = csrf(&server).await;
        let m = notodden(&world).await;
        let change = loft_store::audit::Change { actor: None, region: Some(m.region_id), municipality: Some(m.id) };
        let root = world.store().units(m.id).await.expect("units")[0].id;
        let unit = world.store().create_unit(change, m.id, Some(root), "Ny enhet", Some("NY-1")).await.expect("unit");
        let csv = export(&world, &m, &["777003;Ny;Person;;NY-1"]).await;
        let id = upload(&server, &token, &m, file_form("a.csv", csv.into_bytes())).await;
        // The unit is closed between preview and apply: the apply compares again and finds the row's unit unknown.
        world.store().close_unit(change, unit).await.expect("close");
        let r = server.post(&format!("/imports/{id}/apply")).form(&[("csrf_token", token.as_str())]).await;
        assert_eq!(r.status_code(), 303);
        let page = wait_until_done(&server, id).await;
        assert!(page.contains("Importen ble ikke gjennomført. Ingenting er endret."), "{page}");
        assert!(page.contains("Filen har ugyldige rader"), "{page}");
        assert_eq!(world.store().hr_import(id).await.expect("import").record.status, "previewed");
        assert!(
            world
                .store()
                .hr_current_state(m.id, UnitKind::Code)
                .await
                .expect("state")
                .0
                .iter()
                .all(|p| p.employee_number.as_str() != "777003")
        );
        world.drop().await;
    }
}

#[tokio::test]
async fn an_applied_import_is_undone_after_confirmation_unless_a_newer_one_is_applied() {
    for world in worlds().await {
        let server = world.login("kommune").await;
        let token = csrf(&server).await;
        let m = notodden(&world).await;
        let apply = |id: i64| {
            let (server, token) = (&server, token.clone());
            async move {
                let form = [("csrf_token", token.as_str()), ("skip_invalid", "on")];
                assert_eq!(server.post(&format!("/imports/{id}/apply")).form(&form).await.status_code(), 303);
                wait_until_done(server, id).await
            }
        };
        let first = upload(
            &server,
            &token,
            &m,
            file_form("a.csv", export(&world, &m, &["777010;Ola;Li;;OPP-S01"]).await.into_bytes()),
        )
        .await;
        apply(first).await;
        let detail = server.get(&format!("/imports/{first}")).await.text();
        assert!(detail.contains(&format!(r#"href="/imports/{first}/undo">Angre importen</a>"#)), "{detail}");
        let confirm = server.get(&format!("/imports/{first}/undo")).await.text();
        assert!(confirm.contains("Ja, angre importen") && confirm.contains("ingenting slettes"), "{confirm}");

        // A newer applied import of the municipality blocks the undo; the page says so and nothing changes.
        let second = upload(
            &server,
            &token,
            &m,
            file_form("b.csv", export(&world, &m, &["777011;Kari;Li;;OPP-S01"]).await.into_bytes()),
        )
        .await;
        apply(second).await;
        let r = server.post(&format!("/imports/{first}/undo")).form(&[("csrf_token", token.as_str())]).await;
        assert_eq!(r.status_code(), 409);
        assert!(r.text().contains("En nyere import har endret de samme personene. Angre den først."), "{}", r.text());
        assert_eq!(world.store().hr_import(first).await.expect("i").record.status, "applied");

        // Without the CSRF token nothing happens; with it, newest first, both are undone.
        assert_eq!(server.post(&format!("/imports/{second}/undo")).form(&[("x", "y")]).await.status_code(), 403);
        for id in [second, first] {
            let r = server.post(&format!("/imports/{id}/undo")).form(&[("csrf_token", token.as_str())]).await;
            assert_eq!(r.status_code(), 303, "{}", r.text());
            assert!(server.get(&format!("/imports/{id}")).await.text().contains("Angret"));
        }
        let (people, _) = world.store().hr_current_state(m.id, UnitKind::Code).await.expect("state");
        assert!(people.iter().filter(|p| p.employee_number.as_str().starts_with("7770")).all(|p| p.left));
        let again = server.post(&format!("/imports/{first}/undo")).form(&[("csrf_token", token.as_str())]).await;
        assert_eq!(again.status_code(), 409);
        assert!(again.text().contains("Importen er ikke gjennomført, så den kan ikke angres."));
        world.drop().await;
    }
}

#[tokio::test]
async fn the_mapping_editor_maps_unknown_headers_and_the_mapping_is_saved_when_applied() {
    for world in worlds().await {
        let server = world.login("kommune").await;
        let token = csrf(&server).await;
        let m = notodden(&world).await;
        // Headers no guess knows: the upload page offers the editor with the file's headers.
        let csv = export(&world, &m, &["777020;Åse;Vik;;OPP-S01"]).await.replacen(
            "Ansattnr;Fornavn;Etternavn;E-post;Enhetskode",
            "Nr;Navn1;Navn2;Adresse;Sted",
            1,
        );
        let r = server
            .post(&format!("/municipalities/{}/imports?csrf_token={token}", m.id))
            .multipart(file_form("rar.csv", csv.clone().into_bytes()))
            .await;
        assert_eq!(r.status_code(), 422);
        let html = r.text();
        assert!(
            html.contains(r#"<select class="ds-input" id="map_employee_number" name="map_employee_number">"#),
            "{html}"
        );
        assert!(html.contains(r#"<option value="Navn2">Navn2</option>"#), "{html}");
        assert!(html.contains("En påkrevd kolonne mangler i filen."));
        assert!(world.store().hr_imports(m.id).await.expect("list").is_empty(), "nothing recorded");

        // The file chosen again with the columns mapped: a preview.
        let chosen = [
            ("map_employee_number", "Nr"),
            ("map_given_name", "Navn1"),
            ("map_family_name", "Navn2"),
            ("map_email", "Adresse"),
            ("map_unit_code", "Sted"),
            ("map_mobile", ""),
        ];
        let mut form = file_form("rar.csv", csv.into_bytes());
        for (k, v) in chosen {
            form = form.add_text(k, v);
        }
        let id = upload(&server, &token, &m, form).await;
        let preview = server.get(&format!("/imports/{id}")).await.text();
        assert!(preview.contains("Åse Vik"), "{preview}");

        // From the preview the mapping can be changed again: the stored file is read with it into a new preview.
        let editor = server.get(&format!("/imports/{id}/mapping")).await.text();
        assert!(editor.contains(r#"<option value="Navn1" selected>Navn1</option>"#), "{editor}");
        let mut swapped: Vec<(&str, &str)> = chosen.to_vec();
        swapped[1] = ("map_given_name", "Navn2");
        swapped[2] = ("map_family_name", "Navn1");
        swapped.push(("csrf_token", token.as_str()));
        let r = server.post(&format!("/imports/{id}/mapping")).form(&swapped).await;
        assert_eq!(r.status_code(), 303, "{}", r.text());
        let newer: i64 =
            r.header("location").to_str().expect("ascii").trim_start_matches("/imports/").parse().expect("id");
        assert_ne!(newer, id);
        assert!(server.get(&format!("/imports/{newer}")).await.text().contains("Vik Åse"));
        // A mapping without the required columns is explained on the editor and records nothing.
        let before = world.store().hr_imports(m.id).await.expect("list").len();
        let r = server
            .post(&format!("/imports/{id}/mapping"))
            .form(&[("csrf_token", token.as_str()), ("map_employee_number", "Nr")])
            .await;
        assert_eq!(r.status_code(), 422);
        assert!(r.text().contains("Filen må ha en kolonne for enhet (kode eller sti)."));
        assert_eq!(world.store().hr_imports(m.id).await.expect("list").len(), before);

        // Applying the first preview saves its mapping for the municipality.
        let r = server.post(&format!("/imports/{id}/apply")).form(&[("csrf_token", token.as_str())]).await;
        assert_eq!(r.status_code(), 303);
        wait_until_done(&server, id).await;
        let saved = world.store().hr_mapping(m.id).await.expect("mapping").expect("saved");
        assert_eq!(saved.get(loft_domain::hr::Field::GivenName), Some("Navn1"));
        assert_eq!(saved.get(loft_domain::hr::Field::UnitCode), Some("Sted"));
        // An applied import has no file left to map again.
        assert_eq!(server.get(&format!("/imports/{id}/mapping")).await.status_code(), 409);
        world.drop().await;
    }
}

#[tokio::test]
async fn a_file_for_another_municipality_is_refused_in_the_page() {
    for world in worlds().await {
        let server = world.login("kommune").await;
        let token = csrf(&server).await;
        let m = notodden(&world).await;
        let csv = "Ansattnr;Fornavn;Etternavn;Enhetskode;Kommunenr\r\n777030;Per;Dal;OPP-S01;3303\r\n";
        let r = server
            .post(&format!("/municipalities/{}/imports?csrf_token={token}", m.id))
            .multipart(file_form("kongsberg.csv", csv.as_bytes().to_vec()))
            .await;
        assert_eq!(r.status_code(), 422);
        let html = r.text();
        assert!(
            html.contains("Filen gjelder en annen kommune enn den du importerer til. Ingenting er endret."),
            "{html}"
        );
        assert!(
            html.contains(&format!(
                "Kolonnen «Kommunenr» har kommunenummer 3303 (1), men du importerer til {} Notodden.",
                m.number
            )),
            "{html}"
        );
        assert!(world.store().hr_imports(m.id).await.expect("list").is_empty());
        world.drop().await;
    }
}

#[tokio::test]
async fn imports_through_the_api_preview_apply_follow_and_undo() {
    for world in worlds().await {
        let token = token_for(&world, "kommune").await;
        let api = world.anonymous().await;
        let m = notodden(&world).await;
        let csv = export(
            &world,
            &m,
            &["777040;Åsmund;Ødegård;asmund@notodden.kommune.no;OPP-S01", "777041;Feil;Adresse;ikke-gyldig;OPP-S01"],
        )
        .await;
        let url = format!("/api/v1/municipalities/{}/imports", m.id);

        // The raw file as the body, named in the query.
        let r = api
            .post(&format!("{url}?file_name=notodden.csv"))
            .authorization_bearer(&token)
            .content_type("text/csv")
            .bytes(csv.clone().into())
            .await;
        assert_eq!(r.status_code(), 201, "{}", r.text());
        let preview: Value = r.json();
        let id = preview["import_id"].as_i64().expect("id");
        assert_eq!(r.header("location"), format!("/api/v1/imports/{id}"));
        assert_eq!(preview["summary"]["new"], 1);
        assert_eq!(preview["summary"]["invalid_rows"], 1);
        let error = &preview["errors"][0];
        assert_eq!((error["column"].as_str(), error["code"].as_str()), (Some("E-post"), Some("invalid-email")));
        assert_eq!(error["message"], "E-postadressen er ikke gyldig.");
        assert!(error["line"].as_u64().is_some_and(|l| l > 2));
        assert_eq!(preview["plan"]["new"][0]["employee_number"], "777040");

        // Refusals are problem documents with stable codes; nothing is recorded.
        let problem = |r: axum_test::TestResponse| {
            assert_eq!(r.status_code(), 422, "{}", r.text());
            assert_eq!(r.header("content-type"), "application/problem+json");
            r.json::<Value>()
        };
        let p = problem(api.post(&url).authorization_bearer(&token).bytes(csv.clone().into()).await);
        assert_eq!(p["errors"][0]["field"], "file_name");
        let p = problem(
            api.post(&format!("{url}?file_name=bilde.png"))
                .authorization_bearer(&token)
                .bytes(b"\x89PNG\r\n\x1a\n\0\0".to_vec().into())
                .await,
        );
        assert_eq!(p["code"], "not-tabular");
        let foreign = "Ansattnr;Fornavn;Etternavn;Enhetskode;Kommunenr\n1;A;B;OPP-S01;3303\n";
        let p = problem(
            api.post(&format!("{url}?file_name=k.csv"))
                .authorization_bearer(&token)
                .bytes(foreign.as_bytes().to_vec().into())
                .await,
        );
        assert_eq!(p["code"], "wrong-municipality");
        assert_eq!(p["municipality_check"]["found"][0][0], "3303");
        let odd = "Nr;Navn1;Navn2;Sted\n1;A;B;OPP-S01\n";
        let p = problem(
            api.post(&format!("{url}?file_name=o.csv"))
                .authorization_bearer(&token)
                .bytes(odd.as_bytes().to_vec().into())
                .await,
        );
        assert_eq!(p["code"], "mapping-invalid");
        assert_eq!(p["headers"], json!(["Nr", "Navn1", "Navn2", "Sted"]));
        // The same file with a mapping, as multipart.
        let mapping =
            json!({"employee_number": "Nr", "given_name": "Navn1", "family_name": "Navn2", "unit_code": "Sted"})
                .to_string();
        let form = file_form("o.csv", odd.as_bytes().to_vec()).add_text("mapping", mapping);
        let r = api.post(&url).authorization_bearer(&token).multipart(form).await;
        assert_eq!(r.status_code(), 201, "{}", r.text());
        assert_eq!(world.store().hr_imports(m.id).await.expect("list").len(), 2, "only the two previews are recorded");

        // Apply: refused while rows are invalid, then in the background with skip_invalid.
        let apply = format!("/api/v1/imports/{id}/apply");
        let r = api.post(&apply).authorization_bearer(&token).await;
        assert_eq!(r.status_code(), 422);
        assert_eq!(r.json::<Value>()["errors"][0]["code"], "import-has-invalid-rows");
        let r = api.post(&apply).authorization_bearer(&token).json(&json!({"skip_invalid": true})).await;
        assert_eq!(r.status_code(), 202, "{}", r.text());
        let mut shown = Value::Null;
        for _ in 0..200 {
            shown = api.get(&format!("/api/v1/imports/{id}")).authorization_bearer(&token).await.json();
            if shown["import"]["status"] == "applied" && shown["job"].is_null() {
                break;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        assert_eq!(shown["import"]["status"], "applied", "{shown}");
        assert!(shown["plan"]["before"].is_array(), "the applied plan keeps the values before");
        let r = api.post(&apply).authorization_bearer(&token).json(&json!({"skip_invalid": true})).await;
        assert_eq!(r.status_code(), 409);
        assert_eq!(r.json::<Value>()["code"], "import-not-previewed");
        let list: Value = api.get(&url).authorization_bearer(&token).await.json();
        assert_eq!(list["items"][1]["id"], id);

        // Undo, once.
        let r = api.post(&format!("/api/v1/imports/{id}/undo")).authorization_bearer(&token).await;
        assert_eq!(r.status_code(), 200, "{}", r.text());
        assert_eq!(r.json::<Value>()["import"]["status"], "undone");
        let r = api.post(&format!("/api/v1/imports/{id}/undo")).authorization_bearer(&token).await;
        assert_eq!(r.status_code(), 409);
        assert_eq!(r.json::<Value>()["code"], "import-not-applied");

        // Another municipality's imports are as unknown as missing ones.
        let kongsberg =
            world.store().municipalities().await.expect("m").into_iter().find(|m| m.name == "Kongsberg").expect("k");
        let r = api.get(&format!("/api/v1/municipalities/{}/imports", kongsberg.id)).authorization_bearer(&token).await;
        assert_eq!(r.status_code(), 404);
        world.drop().await;
    }
}

#[tokio::test]
async fn a_stamdata3_export_is_previewed_like_a_table() {
    for world in worlds().await {
        let server = world.login("kommune").await;
        let token = csrf(&server).await;
        let m = notodden(&world).await;
        let xml = r#"<?xml version="1.0" encoding="utf-8"?>
<ExportInfo><Resources><Resource>
  <Employments><Employment><MainPosition>true</MainPosition><Percentage>100</Percentage>
    <PostCodeDescription>Lærer</PostCodeDescription>
    <Relations><Relation ElementType="ORGANIZATIONAL_UNIT"><Value>OPP-S01</Value></Relation></Relations>
    <DateFrom>2020-08-01</DateFrom><DateTo>2099-12-31</DateTo></Employment></Employments>
  <ResourceId>777050</ResourceId><FirstName>Tuva</FirstName><Surname>Bråten</Surname>
</Resource></Resources></ExportInfo>"#;
        let form = MultipartForm::new()
            .add_part("file", Part::bytes(xml.as_bytes().to_vec()).file_name("Stamdata3.xml").mime_type("text/xml"));
        let id = upload(&server, &token, &m, form).await;
        let preview = server.get(&format!("/imports/{id}")).await.text();
        assert!(preview.contains("Tuva Bråten"), "{preview}");
        assert_eq!(world.store().hr_import(id).await.expect("import").record.format, "stamdata3");
        world.drop().await;
    }
}

#[tokio::test]
async fn a_slow_preview_is_followed_on_its_own_page_until_it_is_recorded_or_refused() {
    for mut world in worlds().await {
        // No waiting at all: every upload goes to the page that follows its preview.
        let config = loft_web::WebConfig { preview_wait: Duration::ZERO, ..crate::common::test_config() };
        world.state = loft_web::AppState::new(world.store().clone(), config);
        let server = world.login("kommune").await;
        let token = csrf(&server).await;
        let m = notodden(&world).await;
        let follow = |form: MultipartForm| {
            let (server, token, m) = (&server, token.clone(), m.clone());
            async move {
                let r =
                    server.post(&format!("/municipalities/{}/imports?csrf_token={token}", m.id)).multipart(form).await;
                assert_eq!(r.status_code(), 303, "{}", r.text());
                let pending = r.header("location").to_str().expect("ascii").to_string();
                assert!(pending.starts_with(&format!("/municipalities/{}/imports/pending/", m.id)), "{pending}");
                for _ in 0..200 {
                    let page = server.get(&pending).await;
                    if page.maybe_header("refresh").is_none() {
                        return (pending, page);
                    }
                    assert!(
                        page.text().contains(r#"<progress id="preview-progress" class="import-progress"></progress>"#)
                    );
                    tokio::time::sleep(Duration::from_millis(20)).await;
                }
                panic!("the preview did not finish");
            }
        };
        let csv = export(&world, &m, &["777060;Eli;Haug;;OPP-S01"]).await;
        let (pending, done) = follow(file_form("stor.csv", csv.into_bytes())).await;
        assert_eq!(done.status_code(), 303);
        let import = done.header("location").to_str().expect("ascii").to_string();
        assert!(server.get(&import).await.text().contains("Eli Haug"));
        // The regional coordinator may follow it too; under another municipality, or made up, it is unknown.
        let region = world.login("region").await;
        assert_eq!(region.get(&pending).await.status_code(), 303);
        let kongsberg =
            world.store().municipalities().await.expect("m").into_iter().find(|m| m.name == "Kongsberg").expect("k");
        let foreign =
            pending.replacen(&format!("/municipalities/{}/", m.id), &format!("/municipalities/{}/", kongsberg.id), 1);
        assert_eq!(region.get(&foreign).await.status_code(), 404);
        assert_eq!(server.get(&format!("/municipalities/{}/imports/pending/nope", m.id)).await.status_code(), 404);

        // A refused file is explained on the upload page, with the mapping editor, as when answered at once.
        let (_, refused) = follow(file_form("rar.csv", b"Nr;Navn\n1;A\n".to_vec())).await;
        assert_eq!(refused.status_code(), 422);
        assert!(refused.text().contains(r#"name="map_employee_number""#), "{}", refused.text());
        world.drop().await;
    }
}
