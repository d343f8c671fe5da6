//! The route table walked for every role. Each route's expected outcome per
//! role is written out by hand here; the test also fails when a route is
//! added to the table without a row.

use crate::common::{World, csrf, worlds};
use axum_test::TestServer;
use loft_domain::policy::Role;

/// Allowed (the handler ran: 2xx, a redirect elsewhere than login, or a 422 or 409 on the
/// deliberately incomplete input or an import in the wrong state), Denied (403 or 404), or Login required (401 or
/// a redirect to the login page).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Outcome {
    A,
    D,
    L,
}

const USERS: [&str; 8] = ["", "admin", "region", "kommune", "leder", "ansatt", "kurs", "styring"];

/// (method, path pattern, expected for: anonymous, admin, region, kommune, leder, ansatt, kurs, styring).
/// Ids are Kongsberg's: `kommune` (Notodden's coordinator) is the user of another municipality.
const MATRIX: &[(&str, &str, &str)] = &[
    ("GET", "/healthz", "AAAAAAAA"),
    ("GET", "/metrics", "AAAAAAAA"),
    ("GET", "/assets/app.css", "AAAAAAAA"),
    ("GET", "/login", "AAAAAAAA"),
    ("POST", "/language", "AAAAAAAA"),
    ("GET", "/", "LAAAAAAA"),
    ("GET", "/municipalities", "LAAAADAA"),
    ("POST", "/municipalities", "LAADDDDD"),
    ("GET", "/municipalities/{id}", "LAADDDAA"),
    ("GET", "/municipalities/{id}/imports", "LAADDDDD"),
    ("POST", "/municipalities/{id}/imports", "LAADDDDD"),
    // A token that names no upload: 404 for everyone allowed this far (followed in imports.rs).
    ("GET", "/municipalities/{id}/imports/pending/{token}", "LDDDDDDD"),
    ("GET", "/imports/{id}", "LAADDDDD"),
    // The previewed file has an invalid row: applying without "skip invalid" is refused and changes nothing.
    ("POST", "/imports/{id}/apply", "LAADDDDD"),
    ("GET", "/imports/{id}/status", "LAADDDDD"),
    ("GET", "/imports/{id}/undo", "LAADDDDD"),
    // The import is only previewed: undoing it is refused (409) and changes nothing.
    ("POST", "/imports/{id}/undo", "LAADDDDD"),
    ("GET", "/imports/{id}/mapping", "LAADDDDD"),
    // No column chosen: the mapping does not fit (422) and nothing is recorded.
    ("POST", "/imports/{id}/mapping", "LAADDDDD"),
    ("GET", "/imports/{id}/plan.json", "LAADDDDD"),
    ("GET", "/units/{id}", "LAADADAA"),
    ("POST", "/units", "LAADDDDD"),
    ("POST", "/units/{id}/rename", "LAADDDDD"),
    ("POST", "/units/{id}/move", "LAADDDDD"),
    ("POST", "/units/{id}/close", "LAADDDDD"),
    ("GET", "/people", "LAAAADDD"),
    ("GET", "/people/new", "LAAADDDD"),
    ("POST", "/people", "LAADDDDD"),
    ("GET", "/people/{id}", "LAADAADD"),
    ("POST", "/people/{id}/edit", "LAADDDDD"),
    ("POST", "/people/{id}/status", "LAADDDDD"),
    ("POST", "/people/{id}/role-groups", "LAADDDDD"),
    ("POST", "/people/{id}/roles", "LAADDDDD"),
    // A grant id that does not exist: 404 for everyone allowed this far (revoking is tested in pages).
    ("POST", "/people/{id}/roles/{grant}/revoke", "LDDDDDDD"),
    ("GET", "/audit", "LAAADDDD"),
    ("GET", "/competence", "LAAAAAAA"),
    ("GET", "/competence/frameworks/{id}", "LAAAAAAA"),
    ("GET", "/competence/frameworks/{id}/export.json", "LAAAAAAA"),
    ("GET", "/competence/import", "LAADDDDD"),
    // Not a multipart upload: 422, nothing published.
    ("POST", "/competence/import", "LAADDDDD"),
    // The region's targets for its coordinators; a municipal coordinator lands on their own municipality's raises.
    ("GET", "/competence/frameworks/{id}/targets", "LAAADDDD"),
    // No cells: the region's form is refused (422, every target is required); the municipality clears its raises.
    ("POST", "/competence/frameworks/{id}/targets", "LAAADDDD"),
    ("GET", "/mapping", "LAAAAAAA"),
    ("GET", "/mapping/new", "LAADDDDD"),
    // The form lacks a name and questions: 422 and nothing is created.
    ("POST", "/mapping", "LAADDDDD"),
    // Coordinators and report readers see a round; employees and course organisers do not.
    ("GET", "/mapping/{id}", "LAAAADDA"),
    // The matrix's round is closed: inviting is refused (409) and nothing is sent.
    ("POST", "/mapping/{id}/invite", "LAADDDDD"),
    ("GET", "/mapping/{id}/preview", "LAADDDDD"),
    // Nobody is invited to the matrix's round, so there is no questionnaire or profile to see.
    ("GET", "/mapping/{id}/answer", "LDDDDDDD"),
    ("POST", "/mapping/{id}/answer", "LDDDDDDD"),
    ("GET", "/mapping/{id}/profile", "LDDDDDDD"),
    ("GET", "/mapping/{id}/profile.csv", "LDDDDDDD"),
    ("GET", "/mapping/{id}/report", "LAAAADDA"),
    // A personal link that does not exist.
    ("GET", "/answer/{token}", "DDDDDDDD"),
    ("POST", "/answer/{token}", "DDDDDDDD"),
    ("GET", "/courses", "LAAAAAAA"),
    ("GET", "/courses/new", "LAADDDAD"),
    // The invoicing basis: the region's managers and coordinators see all; `kommune` sees Notodden's only.
    ("GET", "/courses/invoicing", "LAAADDAD"),
    ("GET", "/courses/invoicing.csv", "LAAADDAD"),
    ("GET", "/courses/invoicing.xlsx", "LAAADDAD"),
    // The participation report: the same readers as the invoicing basis.
    ("GET", "/courses/reports", "LAAADDAD"),
    ("GET", "/courses/reports.csv", "LAAADDAD"),
    // Empty course and session forms: 422 and nothing is created.
    ("POST", "/courses", "LAADDDAD"),
    ("GET", "/courses/{id}", "LAAAAAAA"),
    ("GET", "/courses/{id}/edit", "LAADDDAD"),
    ("POST", "/courses/{id}/edit", "LAADDDAD"),
    // Copying has no input to leave out: each allowed role makes a copy (303 to its edit page).
    ("POST", "/courses/{id}/copy", "LAADDDAD"),
    ("GET", "/courses/{id}/sessions/new", "LAADDDAD"),
    ("POST", "/courses/{id}/sessions", "LAADDDAD"),
    ("GET", "/courses/sessions/{id}/edit", "LAADDDAD"),
    ("POST", "/courses/sessions/{id}/edit", "LAADDDAD"),
    // The first allowed role cancels the session (303); the next are told it is cancelled (409).
    ("POST", "/courses/sessions/{id}/cancel-session", "LAADDDAD"),
    ("GET", "/courses/sessions/{id}/participants", "LAADDDAD"),
    ("GET", "/courses/sessions/{id}/attendance", "LAADDDAD"),
    // No day given: 422 and nothing is marked.
    ("POST", "/courses/sessions/{id}/attendance", "LAADDDAD"),
    // Everyone may enrol themself (here refused with 409: the session is cancelled by then) and cancel (409).
    ("POST", "/courses/sessions/{id}/enrol", "LAAAAAAA"),
    ("POST", "/courses/sessions/{id}/cancel", "LAAAAAAA"),
    // Answering an offered seat: anyone logged in reaches it, and is refused with 409 without an offer.
    ("POST", "/courses/sessions/{id}/accept-offer", "LAAAAAAA"),
    ("POST", "/courses/sessions/{id}/decline-offer", "LAAAAAAA"),
    // Enrolling others: coordinators and managers; not employees, course organisers or the steering group.
    ("GET", "/courses/sessions/{id}/enrol-others", "LAAAADDD"),
    // Requests that wait for approval: the same people; no person given is a 422.
    ("GET", "/courses/approvals", "LAAAADDD"),
    // Seats reserved for a unit: the same people; no unit given is a 422 and nothing is reserved.
    ("GET", "/courses/sessions/{id}/reservations", "LAAAADDD"),
    ("POST", "/courses/sessions/{id}/reservations", "LAAAADDD"),
    // A reservation id that does not exist: 404 for everyone allowed this far (naming is tested in courses.rs).
    ("POST", "/courses/reservations/{id}/people", "LDDDDDDD"),
    ("POST", "/courses/sessions/{id}/approve", "LAAAADDD"),
    ("POST", "/courses/sessions/{id}/reject", "LAAAADDD"),
    // The evaluation: anyone logged in reaches it, and is refused with 409 without a completed enrolment.
    ("GET", "/courses/sessions/{id}/evaluation", "LAAAAAAA"),
    ("POST", "/courses/sessions/{id}/evaluation", "LAAAAAAA"),
    // Its results: course organisers (the region's course managers).
    ("GET", "/courses/{id}/evaluations", "LAADDDAD"),
    ("GET", "/courses/sessions/{id}/calendar.ics", "LAAAAAAA"),
    // Nobody in the matrix has completed the session: no certificate for anyone (404 with an explanation).
    ("GET", "/courses/sessions/{id}/certificate.pdf", "LDDDDDDD"),
    // An enrolment that does not exist: 404 for organisers, 403 for the rest.
    ("GET", "/courses/enrolments/{id}/certificate.pdf", "LDDDDDDD"),
    // Everyone logged in may make their own calendar link (shown once).
    ("POST", "/courses/calendar-feed", "LAAAAAAA"),
    // A feed token that does not exist.
    ("GET", "/calendar/{token}", "DDDDDDDD"),
    // Certificate verification is public; a malformed code is a 404 with its message.
    ("GET", "/verify", "AAAAAAAA"),
    ("GET", "/verify/{code}", "DDDDDDDD"),
    ("GET", "/account", "LAAAAAAA"),
    ("POST", "/account/tokens", "LAAAAAAA"),
    ("POST", "/account/tokens/{id}/revoke", "LDDDDDDD"),
    ("GET", "/api/v1/openapi.json", "AAAAAAAA"),
    ("GET", "/api/v1/me", "LAAAAAAA"),
    ("GET", "/api/v1/courses", "LAAAAAAA"),
    ("GET", "/api/v1/courses/{id}", "LAAAAAAA"),
    ("POST", "/api/v1/sessions/{id}/enrolments", "LAAAAAAA"),
    ("DELETE", "/api/v1/sessions/{id}/enrolments/{person_id}", "LAADAADD"),
    // Nobody holds an offer here: 409 `no-offer` for those who may act for the employee.
    ("POST", "/api/v1/sessions/{id}/enrolments/{person_id}/accept", "LAADAADD"),
    ("POST", "/api/v1/sessions/{id}/enrolments/{person_id}/decline", "LAADAADD"),
    ("GET", "/api/v1/municipalities", "LAAAADAA"),
    ("GET", "/api/v1/municipalities/{id}/units", "LAADDDAA"),
    ("POST", "/api/v1/units", "LAADDDDD"),
    ("GET", "/api/v1/units/{id}", "LAADADAA"),
    ("PATCH", "/api/v1/units/{id}", "LAADDDDD"),
    ("GET", "/api/v1/people", "LAAAADDD"),
    ("POST", "/api/v1/people", "LAADDDDD"),
    ("GET", "/api/v1/people/{id}", "LAADAADD"),
    ("PATCH", "/api/v1/people/{id}", "LAADDDDD"),
    ("GET", "/api/v1/audit", "LAAADDDD"),
    ("GET", "/api/v1/municipalities/{id}/imports", "LAADDDDD"),
    // A JSON body without file_name: 422, nothing recorded.
    ("POST", "/api/v1/municipalities/{id}/imports", "LAADDDDD"),
    ("GET", "/api/v1/imports/{id}", "LAADDDDD"),
    // Unknown fields in the body: 422; the import is not applied.
    ("POST", "/api/v1/imports/{id}/apply", "LAADDDDD"),
    ("POST", "/api/v1/imports/{id}/undo", "LAADDDDD"),
    ("GET", "/api/v1/mapping/rounds", "LAAAAAAA"),
    ("GET", "/api/v1/mapping/rounds/{id}", "LAAAADDA"),
    ("GET", "/api/v1/mapping/rounds/{id}/response-rates", "LAAAADDA"),
    ("GET", "/api/v1/mapping/rounds/{id}/report", "LAAAADDA"),
    // Nobody is invited to the matrix's round: no own profile.
    ("GET", "/api/v1/mapping/rounds/{id}/profile", "LDDDDDDD"),
];

struct Ids {
    import: i64,
    framework: i64,
    round: i64,
    region: i64,
    kongsberg: i64,
    school: i64,
    employee: i64,
    course: i64,
    session: i64,
}

async fn ids(world: &World) -> Ids {
    let store = world.store();
    let kongsberg =
        store.municipalities().await.expect("m").into_iter().find(|m| m.name == "Kongsberg").expect("kongsberg").id;
    let school = store
        .units(kongsberg)
        .await
        .expect("units")
        .into_iter()
        .find(|u| u.code.as_deref() == Some("OPP-S01"))
        .expect("school");
    let employee = store.credentials("ansatt").await.expect("q").expect("ansatt").person_id;
    let region = store.regions().await.expect("regions")[0].id.0;
    let file = "Ansattnr;Fornavn;Etternavn;E-post;Enhetskode\n999001;Ny;Person;ikke-en-adresse;OPP-S01\n";
    let change = loft_store::audit::Change { actor: None, region: None, municipality: Some(kongsberg) };
    let preview = store
        .preview_hr_import(change, kongsberg, "hr.csv", file.as_bytes(), 1 << 20, None)
        .await
        .expect("preview")
        .expect("readable file");
    assert_eq!(preview.summary.invalid_rows, 1);
    let framework = store.frameworks().await.expect("frameworks")[0].id;
    let past = |days| jiff::Timestamp::now().in_tz("Europe/Oslo").expect("zone").date() - jiff::Span::new().days(days);
    let window = loft_domain::mapping::RoundWindow::new(past(60), past(30)).expect("window");
    let question = loft_domain::mapping::Question { framework_id: framework, competence: "1.1".into() };
    let new = loft_store::mapping::NewRound {
        region: loft_domain::ids::RegionId(region),
        name: "Kartlegging 2014".into(),
        privacy: loft_domain::mapping::PrivacyMode::Anonymous,
        window,
        questions: vec![question],
        audience: Default::default(),
        reminder_days: vec![],
        copied_from: None,
        checks: vec![],
    };
    let round = store.create_round(change, &new).await.expect("round");
    let (course, session) = crate::courses::course_with_session(store, loft_domain::ids::RegionId(region), 20).await;
    Ids {
        course: course.0,
        session: session.0,
        import: preview.import_id,
        framework,
        round,
        region,
        kongsberg: kongsberg.0,
        school: school.id.0,
        employee: employee.0,
    }
}

/// The concrete request for a route pattern, with input that is incomplete on
/// purpose so that an allowed POST answers 422 and changes nothing.
fn concrete(path: &str, ids: &Ids) -> (String, Vec<(&'static str, String)>, serde_json::Value) {
    let k = ids.kongsberg.to_string();
    let unit_paths = path.starts_with("/units") || path.starts_with("/api/v1/units");
    let person_paths = path.starts_with("/people") || path.starts_with("/api/v1/people");
    let id = if path.starts_with("/courses/enrolments") || path.starts_with("/courses/reservations") {
        "999999".into()
    } else if path.starts_with("/courses/sessions") {
        ids.session.to_string()
    } else if path.starts_with("/courses") || path.starts_with("/api/v1/courses") {
        ids.course.to_string()
    } else if path.starts_with("/api/v1/sessions") {
        ids.session.to_string()
    } else if path.starts_with("/competence") {
        ids.framework.to_string()
    } else if path.starts_with("/mapping") || path.starts_with("/api/v1/mapping") {
        ids.round.to_string()
    } else if path.starts_with("/imports") || path.starts_with("/api/v1/imports") {
        ids.import.to_string()
    } else if path.starts_with("/municipalities") || path.starts_with("/api/v1/municipalities") {
        k.clone()
    } else if unit_paths {
        ids.school.to_string()
    } else if person_paths {
        ids.employee.to_string()
    } else {
        "999999".into()
    };
    let url = path
        .replace("{id}", &id)
        .replace("{grant}", "999999")
        .replace("{person_id}", &ids.employee.to_string())
        .replace("{token}", "no-such-upload")
        .replace("{code}", "no-such-code");
    let form: Vec<(&'static str, String)> = match path {
        "/language" => vec![("lang", "nb".into()), ("next", "/".into())],
        "/municipalities" => vec![("region", ids.region.to_string()), ("number", "12".into()), ("name", "X".into())],
        "/units" => vec![("municipality", k.clone()), ("name", String::new())],
        "/people/{id}/edit" => vec![("given_name", String::new()), ("family_name", "X".into())],
        "/people/{id}/status" => vec![("status", "bogus".into())],
        "/units/{id}/rename" => vec![("name", String::new())],
        "/units/{id}/move" => vec![("parent", ids.school.to_string())],
        "/people" => vec![("municipality", k.clone()), ("given_name", String::new()), ("family_name", String::new())],
        "/people/{id}/role-groups" => vec![("group", "no-such-group".into())],
        "/people/{id}/roles" => vec![("role", "no-such-role".into())],
        "/account/tokens" => vec![("name", String::new())],
        _ => vec![],
    };
    let json = serde_json::json!({"municipality_id": ids.kongsberg, "name": "", "given_name": "", "family_name": ""});
    (url, form, json)
}

fn classify(status: u16, location: Option<&str>) -> Outcome {
    match status {
        401 => Outcome::L,
        303 | 302 | 307 if location.is_some_and(|l| l.starts_with("/login")) => Outcome::L,
        403 | 404 => Outcome::D,
        200..=399 | 409 | 422 => Outcome::A,
        other => panic!("unexpected status {other}"),
    }
}

async fn request(
    server: &TestServer,
    token: &str,
    method: &str,
    url: &str,
    form: &[(&'static str, String)],
    json: &serde_json::Value,
) -> (u16, Option<String>) {
    let r = if method == "GET" {
        server.get(url).await
    } else if method == "PATCH" {
        let body = if url.contains("/people/") {
            serde_json::json!({"given_name": ""})
        } else {
            serde_json::json!({"name": ""})
        };
        server.patch(url).add_header("x-csrf-token", token).json(&body).await
    } else if method == "DELETE" {
        server.delete(url).add_header("x-csrf-token", token).await
    } else if url.starts_with("/api/") {
        server.post(url).add_header("x-csrf-token", token).json(json).await
    } else {
        let mut body: Vec<(&str, &str)> = vec![("csrf_token", token)];
        body.extend(form.iter().map(|(k, v)| (*k, v.as_str())));
        server.post(url).form(&body).await
    };
    let location = r.maybe_header("location").and_then(|l| l.to_str().ok().map(str::to_string));
    (r.status_code().as_u16(), location)
}

#[tokio::test]
async fn every_route_against_every_role() {
    // The matrix names every route in the table, and nothing else.
    let table: Vec<(String, String)> =
        loft_web::routes::table().iter().map(|(s, _)| (s.method.to_string(), s.path.to_string())).collect();
    let skipped = [("POST", "/login"), ("POST", "/logout")]; // tested in auth.rs: they change the session itself
    for (m, p) in &table {
        let covered =
            MATRIX.iter().any(|(mm, pp, _)| mm == m && pp == p) || skipped.iter().any(|(mm, pp)| mm == m && pp == p);
        assert!(covered, "route {m} {p} has no row in the access matrix");
    }
    assert_eq!(MATRIX.len() + skipped.len(), table.len(), "the matrix has rows for routes that do not exist");
    assert_eq!(USERS.len(), 1 + Role::ALL.len(), "one demo user per role, plus anonymous");

    for world in worlds().await {
        let ids = ids(&world).await;
        let mut failures = Vec::new();
        for (column, user) in USERS.iter().enumerate() {
            let server = if user.is_empty() { world.anonymous().await } else { world.login(user).await };
            let token = csrf(&server).await;
            for (method, path, expected) in MATRIX {
                let want = match expected.as_bytes()[column] {
                    b'A' => Outcome::A,
                    b'D' => Outcome::D,
                    _ => Outcome::L,
                };
                let (url, form, json) = concrete(path, &ids);
                let (status, location) = request(&server, &token, method, &url, &form, &json).await;
                let got = classify(status, location.as_deref());
                if got != want {
                    failures.push(format!(
                        "{:?} {user:>8} {method} {url}: expected {want:?}, got {got:?} ({status})",
                        world.store().backend()
                    ));
                }
            }
        }
        assert!(failures.is_empty(), "access matrix mismatches:\n{}", failures.join("\n"));
        // The incomplete POSTs changed nothing: the school still exists and is open, the import is not applied.
        let school = world.store().unit(loft_domain::ids::UnitId(ids.school)).await.expect("school");
        assert!(!school.closed);
        let import = world.store().hr_import(ids.import).await.expect("import").record;
        assert_eq!(import.status, "previewed");
        assert!(world.state.import_jobs.get(ids.import).is_none(), "no apply was started");
        world.drop().await;
    }
}

#[tokio::test]
async fn coordinator_sees_own_municipality_people_only() {
    for world in worlds().await {
        let server = world.login("kommune").await;
        let page = server.get("/people?q=").await;
        assert_eq!(page.status_code(), 200);
        let text = page.text();
        assert!(text.contains("Notodden"));
        assert!(!text.contains(">Kongsberg<"), "another municipality's people are listed");
        let api: serde_json::Value = server.get("/api/v1/people").await.json();
        let items = api["items"].as_array().expect("items");
        assert!(!items.is_empty());
        assert!(items.iter().all(|i| i["municipality_name"] == "Notodden"), "{api}");
        // Filtering on a foreign municipality gives nothing rather than its people.
        let kongsberg =
            world.store().municipalities().await.expect("m").into_iter().find(|m| m.name == "Kongsberg").expect("k");
        let foreign: serde_json::Value =
            server.get(&format!("/api/v1/people?municipality={}", kongsberg.id)).await.json();
        assert_eq!(foreign["total"], 0);
        world.drop().await;
    }
}
