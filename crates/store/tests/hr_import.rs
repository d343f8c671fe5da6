//! HR import against every backend: preview, apply, re-apply and managers, on a seeded Rollag whose current state
//! is exported as a Visma-like semicolon file and then edited.

use loft_domain::demo::kongsbergregionen;
use loft_domain::hr::CurrentPerson;
use loft_domain::hr::WrongMunicipality;
use loft_domain::ids::MunicipalityId;
use loft_domain::policy::{Reach, Role, Scope};
use loft_store::audit::Change;
use loft_store::hr_import::{Preview, Rejected, UnitKind};
use loft_store::testing::backends;
use loft_store::{Store, StoreError};

const HEADER: &str = "Ansattnr;Fornavn;Etternavn;E-post;Mobil;Enhetskode;Stilling;Stillingskode;Stillingsprosent;Leder;Startdato;Sluttdato";

async fn seed_rollag(store: &Store) -> MunicipalityId {
    let seeds: Vec<_> = kongsbergregionen().into_iter().filter(|s| s.number.to_string() == "3336").collect();
    store.seed("Testregionen", &seeds, false, "not-a-real-hash").await.expect("seed");
    let number = loft_domain::org::MunicipalityNumber::parse("3336").expect("number");
    store.municipality_by_number(number).await.expect("Rollag").id
}

fn change() -> Change {
    Change { actor: None, region: None, municipality: None }
}

/// One file line per active person with a unit, as an HR system would export them.
fn export(people: &[CurrentPerson]) -> Vec<Vec<String>> {
    let text = |o: &Option<String>| o.clone().unwrap_or_default();
    people
        .iter()
        .filter(|p| !p.left && p.unit.is_some())
        .map(|p| {
            vec![
                p.employee_number.as_str().to_string(),
                p.given_name.clone(),
                p.family_name.clone(),
                p.email.as_ref().map(|e| e.as_str().to_string()).unwrap_or_default(),
                text(&p.mobile),
                p.unit.as_ref().map(ToString::to_string).unwrap_or_default(),
                text(&p.position_title),
                text(&p.position_code),
                p.percent.map(|p| p.to_string().replace('.', ",")).unwrap_or_default(),
                if p.is_manager { "Ja" } else { "Nei" }.to_string(),
                p.start_date.map(|d| d.strftime("%d.%m.%Y").to_string()).unwrap_or_default(),
                p.end_date.map(|d| d.to_string()).unwrap_or_default(),
            ]
        })
        .collect()
}

fn file(rows: &[Vec<String>]) -> Vec<u8> {
    let mut out = String::from(HEADER);
    for row in rows {
        out.push_str("\r\n");
        out.push_str(&row.join(";"));
    }
    out.into_bytes()
}

async fn preview(store: &Store, m: MunicipalityId, bytes: &[u8]) -> Preview {
    store
        .preview_hr_import(change(), m, "ansatte.csv", bytes, 10 << 20, None)
        .await
        .expect("preview")
        .expect("a readable file")
}

async fn state(store: &Store, m: MunicipalityId) -> Vec<CurrentPerson> {
    store.hr_current_state(m, UnitKind::Code).await.expect("state").0
}

#[tokio::test]
async fn an_unchanged_export_changes_nothing() {
    for db in backends().await {
        let m = seed_rollag(&db.store).await;
        let before = state(&db.store, m).await;
        let rows = export(&before);
        assert!(rows.len() > 100, "{}", rows.len());
        let p = preview(&db.store, m, &file(&rows)).await;
        assert!(p.errors.is_empty(), "{:?}", &p.errors[..p.errors.len().min(3)]);
        assert!(p.plan.changes_nothing(), "{:?}", p.summary);
        assert_eq!(p.summary.plan.unchanged, rows.len());
        let summary = db.store.apply_hr_import(change(), p.import_id, false).await.expect("apply");
        assert_eq!(summary, p.summary);
        assert_eq!(state(&db.store, m).await, before, "{:?}", db.store.backend());
        let imports = db.store.hr_imports(m).await.expect("list");
        assert_eq!(imports.len(), 1);
        assert_eq!(imports[0].status, "applied");
        assert_eq!(imports[0].file_sha256.len(), 64);
        // Applying the same record twice is refused: its file is gone once applied.
        let again = db.store.apply_hr_import(change(), p.import_id, false).await;
        assert!(matches!(again, Err(StoreError::Domain(_))), "{again:?}");
        db.drop_db().await;
    }
}

#[tokio::test]
async fn new_changed_moved_leaving_returning_and_rejected_rows() {
    for db in backends().await {
        let store = &db.store;
        let m = seed_rollag(store).await;
        let current = state(store, m).await;
        let mut rows = export(&current);
        let number = |i: usize, rows: &[Vec<String>]| rows[i][0].clone();
        let person = |n: &str, people: &[CurrentPerson]| {
            people.iter().find(|p| p.employee_number.as_str() == n).cloned().expect("person")
        };
        let (changed, moved, gone, back, unknown, broken) = (
            number(0, &rows),
            number(1, &rows),
            number(2, &rows),
            number(3, &rows),
            number(4, &rows),
            number(5, &rows),
        );
        // Someone who left earlier and is in the file again.
        store.set_person_left(change(), person(&back, &current).id, true).await.expect("left");

        rows[0][3] = "ny.adresse@rollag.kommune.no".into();
        let other_unit = rows.iter().map(|r| r[5].clone()).find(|u| *u != rows[1][5]).expect("another unit");
        rows[1][5] = other_unit.clone();
        rows[4][5] = "UKJENT-99".into();
        rows[5][3] = "ikke en e-post".into();
        let mut new_row = rows[0].clone();
        new_row[..4].clone_from_slice(&[
            "999001".into(),
            "Åse".into(),
            "Nybakk".into(),
            "ase.nybakk@rollag.kommune.no".into(),
        ]);
        rows.push(new_row);
        rows.remove(2);
        let bytes = file(&rows);

        let p = preview(store, m, &bytes).await;
        let s = p.summary.plan;
        assert_eq!((s.new, s.changed, s.moved, s.leaving, s.returning, s.rejected), (1, 1, 1, 1, 1, 1), "{s:?}");
        assert_eq!(p.summary.invalid_rows, 1);
        assert_eq!(s.unchanged, rows.len() - 6);
        assert_eq!(p.errors[0].code, "invalid-email");
        assert_eq!(p.errors[0].column.as_deref(), Some("E-post"));
        assert_eq!(p.plan.rejected[0].code, "unknown-unit");

        // Invalid rows stop the import unless they are to be skipped; nothing is written.
        let before = state(store, m).await;
        let refused = store.apply_hr_import(change(), p.import_id, false).await;
        assert!(matches!(refused, Err(StoreError::Domain(_))), "{refused:?}");
        assert_eq!(state(store, m).await, before);

        let summary = store.apply_hr_import(change(), p.import_id, true).await.expect("apply");
        assert_eq!(summary, p.summary);
        let after = state(store, m).await;
        assert_eq!(
            person(&changed, &after).email.map(|e| e.as_str().to_string()).as_deref(),
            Some("ny.adresse@rollag.kommune.no")
        );
        assert_eq!(person(&moved, &after).unit.map(|u| u.to_string()), Some(other_unit));
        assert!(person(&gone, &after).left);
        assert!(!person(&back, &after).left);
        assert_eq!(person(&unknown, &after), person(&unknown, &before), "a rejected row changes nothing");
        assert_eq!(person(&broken, &after), person(&broken, &before), "an invalid row changes nothing");
        let new = person("999001", &after);
        assert_eq!((new.given_name.as_str(), new.unit.is_some()), ("Åse", true));
        let detail = store.person(new.id).await.expect("new person");
        assert_eq!(detail.employments.len(), 1);
        let everything = Reach { everything: true, ..Default::default() };
        let audit = store.audit_entries(&everything, None, 10).await.expect("audit");
        assert!(audit.iter().any(|a| a.action == "hr.import" && a.entity_id == p.import_id.to_string()), "{audit:?}");

        // The same file again: nothing left to do.
        let again = preview(store, m, &bytes).await;
        assert!(again.plan.changes_nothing(), "{:?}", again.summary);
        store.apply_hr_import(change(), again.import_id, true).await.expect("re-apply");
        assert_eq!(state(store, m).await, after);
        let statuses: Vec<String> = store.hr_imports(m).await.expect("list").into_iter().map(|i| i.status).collect();
        assert_eq!(statuses, ["applied", "applied"]);
        let detail = store.hr_import(p.import_id).await.expect("detail");
        assert!(detail.plan_json.contains("\"before\""));
        assert!(store.hr_mapping(m).await.expect("mapping").is_some(), "an applied mapping is saved");

        // Undo, newest first: the older import cannot be undone while a later one stands.
        let refused = store.undo_hr_import(change(), p.import_id).await;
        assert!(matches!(refused, Err(StoreError::Domain(_))), "{refused:?}");
        store.undo_hr_import(change(), again.import_id).await.expect("undo the no-op");
        store.undo_hr_import(change(), p.import_id).await.expect("undo");
        let undone = state(store, m).await;
        assert!(person("999001", &undone).left, "a created person is marked as left, not deleted");
        let without_new: Vec<CurrentPerson> =
            undone.into_iter().filter(|p| p.employee_number.as_str() != "999001").collect();
        assert_eq!(without_new, before, "{:?}", store.backend());
        assert_eq!(store.hr_import(p.import_id).await.expect("detail").record.status, "undone");
        db.drop_db().await;
    }
}

#[tokio::test]
async fn managers_in_the_file_lead_their_unit() {
    for db in backends().await {
        let store = &db.store;
        let m = seed_rollag(store).await;
        let current = state(store, m).await;
        let mut rows = export(&current);
        let target = current.iter().find(|p| p.employee_number.as_str() == rows[0][0]).expect("person").clone();
        let grants_before = store.grants(target.id).await.expect("grants");
        rows[0][9] = "Ja".into();
        let p = preview(store, m, &file(&rows)).await;
        assert_eq!(p.summary.plan.changed, 1);
        store.apply_hr_import(change(), p.import_id, false).await.expect("apply");
        let grants = store.grants(target.id).await.expect("grants");
        assert_eq!(grants.len(), grants_before.len() + 1);
        let unit_path = store.person(target.id).await.expect("person").unit_paths[0].clone();
        assert!(grants.iter().any(|g| g.role == Role::Manager && g.scope == Scope::Subtree(unit_path.clone())));
        assert!(state(store, m).await.iter().any(|p| p.id == target.id && p.is_manager));

        // No longer a manager in the next file: the import's grant goes, any other grant stays.
        rows[0][9] = "Nei".into();
        let p = preview(store, m, &file(&rows)).await;
        store.apply_hr_import(change(), p.import_id, false).await.expect("apply");
        assert_eq!(store.grants(target.id).await.expect("grants"), grants_before);

        store.undo_hr_import(change(), p.import_id).await.expect("undo");
        assert_eq!(store.grants(target.id).await.expect("grants"), grants, "the import's grant is back");
        db.drop_db().await;
    }
}

#[tokio::test]
async fn a_stale_preview_is_compared_again_when_applied() {
    for db in backends().await {
        let store = &db.store;
        let m = seed_rollag(store).await;
        let mut rows = export(&state(store, m).await);
        let original = rows[1][3].clone();
        rows[0][3] = "forste@rollag.kommune.no".into();
        let stale = preview(store, m, &file(&rows)).await;
        rows[1][3] = "andre@rollag.kommune.no".into();
        let newer = preview(store, m, &file(&rows)).await;
        assert_eq!(newer.summary.plan.changed, 2);
        store.apply_hr_import(change(), newer.import_id, false).await.expect("apply the newer");
        // The stale file still says the old address for row 1: applying it now changes exactly that.
        let summary = store.apply_hr_import(change(), stale.import_id, false).await.expect("apply the stale");
        assert_eq!((stale.summary.plan.changed, summary.plan.changed), (1, 1));
        let number = rows[1][0].clone();
        let after = state(store, m).await;
        let second = after.iter().find(|p| p.employee_number.as_str() == number).expect("person");
        assert_eq!(second.email.as_ref().map(|e| e.as_str().to_string()), Some(original));
        db.drop_db().await;
    }
}

#[tokio::test]
async fn concurrent_applies_of_one_import_apply_it_once() {
    for db in backends().await {
        let store = &db.store;
        let m = seed_rollag(store).await;
        let mut rows = export(&state(store, m).await);
        let mut new_row = rows[0].clone();
        new_row[0] = "999002".into();
        rows.push(new_row);
        let p = preview(store, m, &file(&rows)).await;
        let (a, b) = tokio::join!(
            store.apply_hr_import(change(), p.import_id, false),
            store.apply_hr_import(change(), p.import_id, false)
        );
        assert_eq!(usize::from(a.is_ok()) + usize::from(b.is_ok()), 1, "{a:?} {b:?} on {:?}", store.backend());
        let refused = if a.is_ok() { b } else { a };
        assert!(matches!(refused, Err(StoreError::Domain(_))), "{refused:?}");
        db.drop_db().await;
    }
}

#[tokio::test]
async fn unit_paths_match_the_tree_and_missing_units_are_created() {
    for db in backends().await {
        let store = &db.store;
        let m = seed_rollag(store).await;
        let current = store.hr_current_state(m, UnitKind::Path).await.expect("state").0;
        let mut rows = export(&current);
        let header = HEADER.replace("Enhetskode", "Enhet");
        let as_file = |rows: &[Vec<String>]| {
            let lines: Vec<String> = rows.iter().map(|r| r.join(";")).collect();
            format!("{header}\n{}\n", lines.join("\n")).into_bytes()
        };
        let p = preview(store, m, &as_file(&rows)).await;
        assert!(p.errors.is_empty(), "{:?}", &p.errors[..p.errors.len().min(3)]);
        assert!(p.plan.changes_nothing(), "{:?}", p.summary);

        let root = rows[0][5].split(" / ").next().expect("root").to_string();
        rows[0][5] = format!("{root} / Ny avdeling / Team 1");
        let p = preview(store, m, &as_file(&rows)).await;
        assert_eq!((p.summary.plan.units_to_create, p.summary.plan.moved), (2, 1), "{:?}", p.summary);
        store.apply_hr_import(change(), p.import_id, false).await.expect("apply");
        let units = store.units(m).await.expect("units");
        let team = units.iter().find(|u| u.name == "Team 1").expect("created");
        let parent = units.iter().find(|u| Some(u.id) == team.parent_id).expect("parent");
        assert_eq!(parent.name, "Ny avdeling");
        assert!(preview(store, m, &as_file(&rows)).await.plan.changes_nothing());

        store.undo_hr_import(change(), p.import_id).await.expect("undo");
        let units = store.units(m).await.expect("units");
        assert!(units.iter().filter(|u| u.name == "Team 1" || u.name == "Ny avdeling").all(|u| u.closed));
        let after = store.hr_current_state(m, UnitKind::Path).await.expect("state").0;
        assert_eq!(after, current, "{:?}", store.backend());
        db.drop_db().await;
    }
}

#[tokio::test]
async fn a_file_for_another_municipality_is_refused_and_not_recorded() {
    for db in backends().await {
        let store = &db.store;
        let m = seed_rollag(store).await;
        let rows = export(&state(store, m).await);
        let with_number = |number: &str| {
            let mut text = format!("{HEADER};Kommunenr");
            for row in &rows {
                text.push_str(&format!("\r\n{};{number}", row.join(";")));
            }
            text.into_bytes()
        };
        let refused = |bytes: Vec<u8>| async move {
            match store.preview_hr_import(change(), m, "ansatte.csv", &bytes, 10 << 20, None).await.expect("preview") {
                Err(Rejected::WrongMunicipality(wrong)) => wrong,
                other => panic!("expected a refusal, got {:?}", other.map(|p| p.summary)),
            }
        };
        let named = refused(with_number("3338")).await;
        assert_eq!(
            named,
            WrongMunicipality::Named { column: "Kommunenr".into(), found: vec![("3338".into(), rows.len())] }
        );
        // Another municipality's people and units, without a municipality column.
        let foreign: Vec<Vec<String>> = rows
            .iter()
            .map(|r| {
                let mut r = r.clone();
                r[0] = format!("N{}", r[0]);
                r[5] = "NOT-S01".into();
                r
            })
            .collect();
        assert!(matches!(refused(file(&foreign)).await, WrongMunicipality::Unrecognised { .. }));
        assert!(store.hr_imports(m).await.expect("list").is_empty(), "a refused file leaves no record");
        // The municipality's own number passes.
        let own = store.preview_hr_import(change(), m, "ansatte.csv", &with_number("3336"), 10 << 20, None).await;
        assert!(own.expect("preview").is_ok_and(|p| p.plan.changes_nothing()));
        db.drop_db().await;
    }
}

/// `rows` with `count` new employees added (numbers from 800000, units taken in turn from `rows`, every seventh
/// a manager).
fn with_new_people(mut rows: Vec<Vec<String>>, count: usize) -> Vec<Vec<String>> {
    let units: Vec<String> = rows.iter().map(|r| r[5].clone()).collect();
    for i in 0..count {
        rows.push(vec![
            format!("{}", 800_000 + i),
            format!("Ny{i}"),
            format!("Ansatt{}", count - i),
            format!("ny{i}@rollag.kommune.no"),
            format!("9{:07}", i),
            units[i % units.len()].clone(),
            "Miljøarbeider".into(),
            "7174".into(),
            "80".into(),
            if i % 7 == 0 { "Ja" } else { "Nei" }.into(),
            "01.08.2026".into(),
            String::new(),
        ]);
    }
    rows
}

/// The state without database ids, by employee number: what two databases seeded alike can be compared by.
async fn comparable_state(store: &Store, m: MunicipalityId) -> Vec<CurrentPerson> {
    let mut people = state(store, m).await;
    for p in &mut people {
        p.id = loft_domain::ids::PersonId(0);
    }
    people.sort_by(|a, b| a.employee_number.as_str().cmp(b.employee_number.as_str()));
    people
}

const BULK_TABLES: [&str; 3] = ["person", "person_role_group", "employment"];

#[tokio::test]
async fn a_first_import_with_indexes_set_aside_ends_as_the_ordinary_one() {
    let (ordinary, bulk) = (backends().await, backends().await);
    for (ordinary, bulk) in ordinary.into_iter().zip(bulk) {
        // The default threshold (100,000 new people) keeps the indexes for 400; a threshold of 1 sets them aside.
        let stores = [ordinary.store.clone(), bulk.store.clone().with_hr_bulk_insert_from(1)];
        let mut outcomes = Vec::new();
        for (i, store) in stores.iter().enumerate() {
            let m = seed_rollag(store).await;
            let bytes = file(&with_new_people(export(&state(store, m).await), 400));
            let mut indexes = Vec::new();
            let mut keys = Vec::new();
            for table in BULK_TABLES {
                indexes.push(loft_store::testing::plain_indexes(store, table).await);
                keys.push(loft_store::testing::foreign_keys(store, table).await);
            }
            let p = preview(store, m, &bytes).await;
            assert_eq!((p.summary.plan.new, p.summary.plan.changed), (400, 0), "{:?}", p.summary);
            let summary = store.apply_hr_import(change(), p.import_id, false).await.expect("apply");
            assert_eq!(summary, p.summary);
            let mut rebuilt = Vec::new();
            let mut keys_after = Vec::new();
            for table in BULK_TABLES {
                rebuilt.push(loft_store::testing::plain_indexes(store, table).await);
                keys_after.push(loft_store::testing::foreign_keys(store, table).await);
            }
            let definitions_of = |keys: &Vec<Vec<(String, i64)>>| -> Vec<Vec<String>> {
                keys.iter().map(|t| t.iter().map(|(d, _)| d.clone()).collect()).collect()
            };
            assert!(keys.iter().all(|t| !t.is_empty()), "every bulk table has foreign keys");
            assert_eq!(definitions_of(&keys), definitions_of(&keys_after), "the foreign keys are back as defined");
            if store.backend() == loft_store::Backend::Postgres && i == 1 {
                let renewed = keys.iter().flatten().zip(keys_after.iter().flatten()).all(|((_, a), (_, b))| a != b);
                assert!(renewed, "PostgreSQL's foreign keys were dropped and added again");
            }
            let people = state(store, m).await;
            let mut details = Vec::new();
            for person in people.iter().filter(|p| p.employee_number.as_str().starts_with('8')) {
                let detail = store.person(person.id).await.expect("new person");
                details.push((
                    person.employee_number.as_str().to_string(),
                    detail.role_groups,
                    detail.employments.len(),
                    store.grants(person.id).await.expect("grants").len(),
                ));
            }
            assert_eq!(details.len(), 400);
            outcomes.push((indexes, rebuilt, comparable_state(store, m).await, details, m, p.import_id));
        }
        let (ordinary_outcome, bulk_outcome) = (&outcomes[0], &outcomes[1]);
        let definitions = |indexes: &Vec<Vec<(String, i64)>>| -> Vec<Vec<String>> {
            indexes.iter().map(|t| t.iter().map(|(d, _)| d.clone()).collect()).collect()
        };
        let backend = stores[0].backend();
        assert!(ordinary_outcome.0.iter().all(|t| !t.is_empty()), "every bulk table has plain indexes");
        assert_eq!(ordinary_outcome.0, ordinary_outcome.1, "the ordinary path keeps its indexes ({backend:?})");
        assert_eq!(definitions(&bulk_outcome.0), definitions(&bulk_outcome.1), "rebuilt as defined ({backend:?})");
        for (before, after) in bulk_outcome.0.iter().zip(&bulk_outcome.1) {
            for ((_, a), (_, b)) in before.iter().zip(after) {
                assert_ne!(a, b, "each plain index was dropped and built again ({backend:?})");
            }
        }
        assert_eq!(ordinary_outcome.2, bulk_outcome.2, "the same people, employments and managers ({backend:?})");
        assert_eq!(ordinary_outcome.3, bulk_outcome.3, "the same role groups and grants ({backend:?})");
        assert!(bulk_outcome.3.iter().all(|(_, groups, jobs, _)| groups.len() == 1 && *jobs == 1));
        assert_eq!(bulk_outcome.3.iter().filter(|(_, _, _, grants)| *grants == 1).count(), 58);
        // And it is undone as any import is.
        let (bulk_store, m) = (&stores[1], bulk_outcome.4);
        bulk_store.undo_hr_import(change(), bulk_outcome.5).await.expect("undo");
        let undone = state(bulk_store, m).await;
        assert!(undone.iter().filter(|p| p.employee_number.as_str().starts_with('8')).all(|p| p.left));
        ordinary.drop_db().await;
        bulk.drop_db().await;
    }
}

/// Overwrites an import's stored file with bytes that cannot be read: the apply of a preview that changed
/// nothing, with nothing changed since, must not need the file.
async fn spoil_stored_file(db: &loft_store::testing::TestDb, import_id: i64) {
    let pool = sqlx::AnyPool::connect(&db.url).await.expect("connect");
    sqlx::query("UPDATE hr_import SET content = $1 WHERE id = $2")
        .bind(b"\xff\xfe not a table".to_vec())
        .bind(import_id)
        .execute(&pool)
        .await
        .expect("spoil");
    pool.close().await;
}

#[tokio::test]
async fn an_unchanged_reimport_with_nothing_changed_since_writes_nothing() {
    for db in backends().await {
        let store = &db.store;
        let m = seed_rollag(store).await;
        let before = state(store, m).await;
        let version = store.hr_state_version(m).await.expect("version");
        assert!(version > 0, "seeding the people counted");
        let p = preview(store, m, &file(&export(&before))).await;
        assert!(p.plan.changes_nothing(), "{:?}", p.summary);
        spoil_stored_file(&db, p.import_id).await;
        let summary = store.apply_hr_import(change(), p.import_id, false).await.expect("apply without the file");
        assert_eq!(summary, p.summary);
        assert_eq!(store.hr_state_version(m).await.expect("version"), version, "no HR row was written");
        assert_eq!(state(store, m).await, before);
        let detail = store.hr_import(p.import_id).await.expect("detail");
        assert_eq!(detail.record.status, "applied");
        assert!(detail.plan_json.len() < 2_000, "a small plan: {}", detail.plan_json);
        assert!(detail.plan_json.contains("\"before\":[]") && detail.plan_json.contains("\"snapshots\":[]"));
        assert!(store.hr_import_file(p.import_id).await.expect("file").is_none(), "the file is dropped");
        assert!(store.hr_mapping(m).await.expect("mapping").is_some(), "the mapping is saved");
        let everything = Reach { everything: true, ..Default::default() };
        let audit = store.audit_entries(&everything, None, 10).await.expect("audit");
        assert!(audit.iter().any(|a| a.action == "hr.import" && a.entity_id == p.import_id.to_string()));
        // Applied once only, and undone as any import.
        assert!(store.apply_hr_import(change(), p.import_id, false).await.is_err());
        store.undo_hr_import(change(), p.import_id).await.expect("undo");
        assert_eq!(store.hr_import(p.import_id).await.expect("detail").record.status, "undone");
        assert_eq!(state(store, m).await, before);
        db.drop_db().await;
    }
}

#[tokio::test]
async fn an_unchanged_reimport_is_compared_again_after_a_change_in_between() {
    for db in backends().await {
        let store = &db.store;
        let m = seed_rollag(store).await;
        let before = state(store, m).await;
        let rows = export(&before);
        let p = preview(store, m, &file(&rows)).await;
        assert!(p.plan.changes_nothing(), "{:?}", p.summary);
        // Someone in the file is marked as left by hand after the preview.
        let person = before.iter().find(|p| p.employee_number.as_str() == rows[0][0]).expect("person");
        let version = store.hr_state_version(m).await.expect("version");
        store.set_person_left(change(), person.id, true).await.expect("left");
        let after_edit = store.hr_state_version(m).await.expect("version");
        assert!(after_edit > version, "a person's update counts");
        // Compared again: the file brings them back.
        let summary = store.apply_hr_import(change(), p.import_id, false).await.expect("apply");
        assert_eq!(summary.plan.returning, 1, "{summary:?}");
        assert!(store.hr_state_version(m).await.expect("version") > after_edit, "the apply's writes count");
        assert_eq!(state(store, m).await, before);

        // A manual grant in between counts too, and a preview that is stale this way still reads its file.
        let p = preview(store, m, &file(&rows)).await;
        assert!(p.plan.changes_nothing(), "{:?}", p.summary);
        let version = store.hr_state_version(m).await.expect("version");
        let grant = loft_store::people::GrantScope::Municipality(m);
        store.grant_role(change(), person.id, Role::MunicipalCoordinator, &grant).await.expect("grant");
        assert!(store.hr_state_version(m).await.expect("version") > version, "a grant counts");
        spoil_stored_file(&db, p.import_id).await;
        let refused = store.apply_hr_import(change(), p.import_id, false).await;
        assert!(matches!(refused, Err(StoreError::Domain(_))), "the file is read again: {refused:?}");
        assert_eq!(store.hr_import(p.import_id).await.expect("detail").record.status, "previewed");
        db.drop_db().await;
    }
}
