//! Organisation and people pages: forms, validation messages, nothing half-saved, audit.

use crate::common::{attr_after, csrf, worlds};
use loft_domain::policy::{Action, Reach};
use loft_store::people::PeopleQuery;

#[tokio::test]
async fn unit_administration_through_the_pages() {
    for world in worlds().await {
        let server = world.login("region").await;
        let token = csrf(&server).await;
        let tinn =
            world.store().municipalities().await.expect("m").into_iter().find(|m| m.name == "Tinn").expect("tinn");
        let root = world.store().units(tinn.id).await.expect("units")[0].clone();

        let r = server
            .post("/units")
            .form(&[
                ("csrf_token", token.clone()),
                ("municipality", tinn.id.to_string()),
                ("parent", root.id.to_string()),
                ("name", "Digitalisering".into()),
                ("code", "DIG".into()),
            ])
            .await;
        assert_eq!(r.status_code(), 303);
        let new_path = r.header("location").to_str().expect("ascii").to_string();
        let page = server.get(&new_path).await;
        assert!(page.text().contains("Digitalisering"));

        // A duplicate code re-shows the form with the reason, in Norwegian, and saves nothing.
        let before = world.store().units(tinn.id).await.expect("units").len();
        let dup = server
            .post("/units")
            .form(&[
                ("csrf_token", token.clone()),
                ("municipality", tinn.id.to_string()),
                ("parent", root.id.to_string()),
                ("name", "Kopi".into()),
                ("code", "DIG".into()),
            ])
            .await;
        assert_eq!(dup.status_code(), 422);
        assert!(dup.text().contains("Enhetskoden er allerede i bruk"), "{}", dup.text());
        assert_eq!(world.store().units(tinn.id).await.expect("units").len(), before);

        // Moving a unit under itself is refused with a message.
        let id = new_path.trim_start_matches("/units/");
        let r = server
            .post(&format!("{new_path}/move"))
            .form(&[("csrf_token", token.clone()), ("parent", id.to_string())])
            .await;
        assert_eq!(r.status_code(), 422);
        assert!(r.text().contains("kan ikke flyttes inn under seg selv"));

        let r = server
            .post(&format!("{new_path}/rename"))
            .form(&[("csrf_token", token.clone()), ("name", "Digitalisering og IKT".into())])
            .await;
        assert_eq!(r.status_code(), 303);
        let r = server.post(&format!("{new_path}/close")).form(&[("csrf_token", token.clone())]).await;
        assert_eq!(r.status_code(), 303);
        let history = server.get(&new_path).await.text();
        for word in ["Opprettet", "Nytt navn", "Lagt ned"] {
            assert!(history.contains(word), "history lacks {word}");
        }
        // All of it is in the audit log, with the actor's name.
        let audit = server.get("/audit").await.text();
        assert!(audit.contains("unit.create") && audit.contains("unit.rename") && audit.contains("unit.close"));
        world.drop().await;
    }
}

#[tokio::test]
async fn registering_a_person_validates_every_field_and_saves_nothing_on_error() {
    for world in worlds().await {
        let server = world.login("kommune").await;
        let token = csrf(&server).await;
        let notodden =
            world.store().municipalities().await.expect("m").into_iter().find(|m| m.name == "Notodden").expect("n");
        let all = Reach { everything: true, ..Default::default() };
        let _ = &all;
        let count = || async { world.store().people_counts().await.expect("counts").values().sum::<i64>() };
        let before = count().await;

        let bad = server
            .post("/people")
            .form(&[
                ("csrf_token", token.as_str()),
                ("municipality", &notodden.id.to_string()),
                ("given_name", ""),
                ("family_name", "Øyen"),
                ("email", "ikke en adresse"),
                ("group", "folkevalgt"),
            ])
            .await;
        assert_eq!(bad.status_code(), 422);
        let html = bad.text();
        assert!(html.contains("Fornavn: Feltet må fylles ut."), "{html}");
        assert!(html.contains("E-post: E-postadressen er ikke gyldig."));
        assert!(html.contains(r#"value="Øyen""#), "what the user typed is kept");
        assert!(html.contains(r#"aria-invalid="true""#));
        assert_eq!(count().await, before);

        let ok = server
            .post("/people")
            .form(&[
                ("csrf_token", token.as_str()),
                ("municipality", &notodden.id.to_string()),
                ("given_name", "Åse"),
                ("family_name", "Øyen"),
                ("email", "ase.oyen@example.no"),
                ("group", "folkevalgt"),
                ("group", "tillitsvalgt"),
            ])
            .await;
        assert_eq!(ok.status_code(), 303);
        let page = server.get(ok.header("location").to_str().expect("ascii")).await.text();
        assert!(page.contains("Åse Øyen") && page.contains("Folkevalgt") && page.contains("Tillitsvalgt"));
        assert_eq!(count().await, before + 1);
        world.drop().await;
    }
}

#[tokio::test]
async fn roles_are_granted_and_revoked_within_scope() {
    for world in worlds().await {
        let admin = world.login("admin").await;
        let token = csrf(&admin).await;
        let ansatt = world.store().credentials("ansatt").await.expect("q").expect("a").person_id;
        let r = admin
            .post(&format!("/people/{ansatt}/roles"))
            .form(&[("csrf_token", token.as_str()), ("role", "course-organiser")])
            .await;
        assert_eq!(r.status_code(), 303);
        let page = admin.get(&format!("/people/{ansatt}")).await.text();
        assert!(page.contains("Kursarrangør – Kongsbergregionen"), "{page}");
        let grant = attr_after(&page, &format!("/people/{ansatt}/roles/")).expect("a revoke form");
        let grant_id = grant.trim_end_matches("/revoke");

        // The municipal coordinator of Notodden cannot touch a Kongsberg employee's roles.
        let other = world.login("kommune").await;
        let other_token = csrf(&other).await;
        let r = other
            .post(&format!("/people/{ansatt}/roles/{grant_id}/revoke"))
            .form(&[("csrf_token", other_token.as_str())])
            .await;
        assert_eq!(r.status_code(), 404);
        // The employee now has the role, effective at the next request.
        let employee = world.login("ansatt").await;
        assert_eq!(employee.get("/municipalities").await.status_code(), 200);

        let r = admin
            .post(&format!("/people/{ansatt}/roles/{grant_id}/revoke"))
            .form(&[("csrf_token", token.as_str())])
            .await;
        assert_eq!(r.status_code(), 303);
        assert_eq!(employee.get("/municipalities").await.status_code(), 403);
        let audit = admin.get("/audit").await.text();
        assert!(audit.contains("role.grant") && audit.contains("role.revoke"));
        world.drop().await;
    }
}

#[tokio::test]
async fn people_list_searches_pages_and_formats_numbers() {
    for world in worlds().await {
        let server = world.login("admin").await;
        let page = server.get("/people").await.text();
        // Over a thousand matches are counted as "at least 1 000", in Norwegian number format.
        assert!(page.contains("Minst 1\u{a0}000 personer"), "{page}");
        assert!(page.contains(r#"rel="next""#));
        let total: i64 = world.store().people_counts().await.expect("counts").values().sum();
        let tinn = world.store().municipalities().await.expect("m").into_iter().find(|m| m.name == "Tinn").expect("t");
        let exact = server.get(&format!("/people?municipality={}", tinn.id)).await.text();
        let in_tinn = world.store().people_counts().await.expect("counts")[&tinn.id];
        assert!(in_tinn < 1000);
        let formatted = loft_domain::locale::Locale::Bokmal.format_integer(in_tinn);
        assert!(exact.contains(&format!(">{formatted} personer<")), "exact count {formatted}");
        let search = server.get("/people?q=%C3%98deg").await.text(); // "Ødeg"
        assert!(search.contains("Ødegård") || search.contains("Ødegaard"), "Ø-names are found");
        assert!(!search.contains("Hansen, "), "only matches are listed");
        assert_eq!(server.get("/people?status=bogus").await.status_code(), 422);
        assert_eq!(server.get("/people?page=0").await.status_code(), 422);
        // A manager's list is their subtree only.
        let leder = world.login("leder").await;
        let subtree = leder.get("/api/v1/people").await.json::<serde_json::Value>();
        let reach = world.state.store.credentials("leder").await.expect("q").expect("l").person_id;
        let actor = loft_domain::policy::Actor::new(reach, world.store().grants(reach).await.expect("g"));
        let expected = world
            .store()
            .people(
                &loft_domain::policy::reach(&actor, Action::ViewPerson),
                &PeopleQuery { per_page: 1, page: 1, ..Default::default() },
            )
            .await
            .expect("p")
            .total;
        assert_eq!(subtree["total"], expected);
        assert!(expected < total / 10);
        world.drop().await;
    }
}

#[tokio::test]
async fn unknown_and_foreign_ids_look_the_same() {
    for world in worlds().await {
        let server = world.login("kommune").await;
        let kongsberg_person = world.store().credentials("ansatt").await.expect("q").expect("a").person_id;
        let foreign = server.get(&format!("/people/{kongsberg_person}")).await;
        let unknown = server.get("/people/99999999").await;
        let garbage = server.get("/people/abc").await;
        assert_eq!(foreign.status_code(), 404);
        assert_eq!(unknown.status_code(), 404);
        assert_eq!(garbage.status_code(), 404);
        // Identical apart from the page's own address in the language form.
        let main = |html: String| html.split("<main").nth(1).map(String::from).unwrap_or_default();
        assert_eq!(main(foreign.text()), main(unknown.text()));
        world.drop().await;
    }
}

#[tokio::test]
async fn operations_endpoints_answer() {
    for world in worlds().await {
        let server = world.anonymous().await;
        let health: serde_json::Value = server.get("/healthz").await.json();
        assert_eq!(health["status"], "ok");
        server.get("/login").await;
        let metrics = server.get("/metrics").await.text();
        assert!(metrics.contains("loft_http_requests_total{"), "{metrics}");
        assert!(metrics.contains(r#"route="/login""#));
        assert!(metrics.contains("loft_outbox_messages"));
        let css = server.get("/assets/ds/src/index.css").await;
        assert_eq!(css.status_code(), 200, "Designsystemet is served from node_modules (run npm ci)");
        world.drop().await;
    }
}

#[tokio::test]
async fn municipalities_and_people_are_corrected_with_clear_messages() {
    for world in worlds().await {
        let server = world.login("region").await;
        let token = csrf(&server).await;
        let region = world.store().regions().await.expect("r")[0].id.to_string();
        let bad = server
            .post("/municipalities")
            .form(&[
                ("csrf_token", token.as_str()),
                ("region", &region),
                ("number", "33a"),
                ("name", "Ny"),
                ("population", "10"),
                ("language_form", "nynorsk"),
            ])
            .await;
        assert_eq!(bad.status_code(), 422);
        assert!(bad.text().contains("Kommunenummer: Kommunenummeret må ha fire sifre."), "{}", bad.text());
        let dup = server
            .post("/municipalities")
            .form(&[
                ("csrf_token", token.as_str()),
                ("region", &region),
                ("number", "3303"),
                ("name", "Kopi"),
                ("population", "10"),
                ("language_form", "bokmål"),
            ])
            .await;
        assert_eq!(dup.status_code(), 422, "a duplicate number is a field error on the form");
        assert!(dup.text().contains("Kommunen finnes allerede."));
        let ok = server
            .post("/municipalities")
            .form(&[
                ("csrf_token", token.as_str()),
                ("region", &region),
                ("number", "3332"),
                ("name", "Sigdal"),
                ("population", "3 500"),
                ("language_form", "bokmål"),
            ])
            .await;
        assert_eq!(ok.status_code(), 303, "{}", ok.text());
        assert!(server.get("/municipalities").await.text().contains("Sigdal"));

        // Correcting a person, then marking them as left: kept, not deleted, and listed under "left".
        let ansatt = world.store().credentials("ansatt").await.expect("q").expect("a").person_id;
        let bad = server
            .post(&format!("/people/{ansatt}/edit"))
            .form(&[("csrf_token", token.as_str()), ("given_name", ""), ("family_name", "Ødegård"), ("email", "x")])
            .await;
        assert_eq!(bad.status_code(), 422);
        assert!(bad.text().contains(r#"value="Ødegård""#));
        let ok = server
            .post(&format!("/people/{ansatt}/edit"))
            .form(&[
                ("csrf_token", token.as_str()),
                ("given_name", "Åsmund"),
                ("family_name", "Ødegård"),
                ("email", "asmund@example.no"),
            ])
            .await;
        assert_eq!(ok.status_code(), 303);
        let r = server
            .post(&format!("/people/{ansatt}/status"))
            .form(&[("csrf_token", token.as_str()), ("status", "left")])
            .await;
        assert_eq!(r.status_code(), 303);
        let left = server.get("/people?status=left").await.text();
        assert!(left.contains("Ødegård, Åsmund"), "{left}");
        let audit = server.get("/audit").await.text();
        assert!(
            audit.contains("person.update") && audit.contains("person.left") && audit.contains("municipality.create")
        );
        world.drop().await;
    }
}

#[tokio::test]
async fn hr_file_is_previewed_then_applied_through_the_pages() {
    for world in worlds().await {
        let server = world.login("kommune").await;
        let token = csrf(&server).await;
        let notodden =
            world.store().municipalities().await.expect("m").into_iter().find(|m| m.name == "Notodden").expect("n");
        let page = server.get(&format!("/municipalities/{}/imports", notodden.id)).await;
        assert_eq!(page.status_code(), 200);

        // Today's people of Notodden as the HR system would export them, in Windows-1252 with semicolons,
        // plus one new employee and one row with a broken e-mail address.
        let (people, _) =
            world.store().hr_current_state(notodden.id, loft_store::hr_import::UnitKind::Code).await.expect("state");
        let mut csv = String::from("Ansattnr;Fornavn;Etternavn;E-post;Enhetskode\r\n");
        for p in people.iter().filter(|p| !p.left) {
            let unit = p.unit.as_ref().map(|u| u.to_string()).unwrap_or_default();
            let email = p.email.as_ref().map(|e| e.as_str().to_string()).unwrap_or_default();
            csv.push_str(&format!(
                "{};{};{};{};{}\r\n",
                p.employee_number.as_str(),
                p.given_name,
                p.family_name,
                email,
                unit
            ));
        }
        csv.push_str("777001;Åsmund;Ødegård;asmund@notodden.kommune.no;OPP-S01\r\n");
        csv.push_str("777002;Feil;Adresse;ikke-gyldig;OPP-S01\r\n");
        let (bytes, _, _) = encoding_rs::WINDOWS_1252.encode(&csv);
        let form = axum_test::multipart::MultipartForm::new().add_part(
            "file",
            axum_test::multipart::Part::bytes(bytes.to_vec()).file_name("notodden.csv").mime_type("text/csv"),
        );
        let r =
            server.post(&format!("/municipalities/{}/imports?csrf_token={token}", notodden.id)).multipart(form).await;
        assert_eq!(r.status_code(), 303, "{}", r.text());
        let preview_url = r.header("location").to_str().expect("ascii").to_string();
        let preview = server.get(&preview_url).await.text();
        assert!(preview.contains("Ødegård"), "new person listed with æøå intact");
        assert!(preview.contains("E-postadressen er ikke gyldig."), "invalid row explained in Norwegian");
        assert!(preview.contains("Forhåndsvist"));

        // Without "skip invalid rows" nothing happens; with it, the valid rows are applied.
        let r = server.post(&format!("{preview_url}/apply")).form(&[("csrf_token", token.as_str())]).await;
        assert_eq!(r.status_code(), 422);
        assert!(r.text().contains("Filen har ugyldige rader"));
        let r = server
            .post(&format!("{preview_url}/apply"))
            .form(&[("csrf_token", token.as_str()), ("skip_invalid", "on")])
            .await;
        assert_eq!(r.status_code(), 303);
        // The apply runs in the background; its status page stops reloading itself when it is done.
        let status = r.header("location").to_str().expect("ascii").to_string();
        assert_eq!(status, format!("{preview_url}/status"));
        for _ in 0..200 {
            if server.get(&status).await.maybe_header("refresh").is_none() {
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        }
        assert!(server.get(&preview_url).await.text().contains("Gjennomført"));
        let found = server.get("/people?q=777001").await.text();
        assert!(found.contains("Ødegård, Åsmund"), "{found}");
        // An upload without the CSRF token in the action is refused.
        let form = axum_test::multipart::MultipartForm::new()
            .add_part("file", axum_test::multipart::Part::bytes(b"x;y\n1;2\n".to_vec()).file_name("x.csv"));
        let r = server.post(&format!("/municipalities/{}/imports", notodden.id)).multipart(form).await;
        assert_eq!(r.status_code(), 403);
        // A file that is not a table is explained and nothing is recorded.
        let form = axum_test::multipart::MultipartForm::new().add_part(
            "file",
            axum_test::multipart::Part::bytes(b"\x89PNG\r\n\x1a\n\0\0".to_vec()).file_name("bilde.png"),
        );
        let r =
            server.post(&format!("/municipalities/{}/imports?csrf_token={token}", notodden.id)).multipart(form).await;
        assert_eq!(r.status_code(), 422);
        assert!(r.text().contains("Filen er ikke en CSV- eller Excel-fil."));
        world.drop().await;
    }
}
