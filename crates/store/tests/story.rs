//! One storage story, run against every backend (SQLite always, PostgreSQL
//! when LOFT_TEST_POSTGRES_URL is set).

use loft_domain::DomainError;
use loft_domain::demo::kongsbergregionen;
use loft_domain::ids::{MunicipalityId, PersonId};
use loft_domain::person::{NewPerson, RoleGroup};
use loft_domain::policy::{Action, Actor, Role, reach};
use loft_store::accounts::SessionPolicy;
use loft_store::audit::Change;
use loft_store::people::{PeopleQuery, SortBy, Status};
use loft_store::testing::{TestDb, backends};
use loft_store::{Backend, Store, StoreError};

/// Rollag and Hjartdal: the two smallest members, quick to seed.
async fn seed_small(store: &Store) -> loft_store::demo::SeedReport {
    let seeds: Vec<_> =
        kongsbergregionen().into_iter().filter(|s| ["3336", "4024"].contains(&s.number.to_string().as_str())).collect();
    store.seed("Testregionen", &seeds, true, "not-a-real-hash").await.expect("seed")
}

async fn actor_of(store: &Store, person: PersonId) -> Actor {
    Actor::new(person, store.grants(person).await.expect("grants"))
}

#[tokio::test]
async fn migrations_run_twice_and_seed_is_complete() {
    for db in backends().await {
        db.store.migrate().await.expect("second migrate is a no-op");
        let report = seed_small(&db.store).await;
        assert_eq!(report.municipalities, 2);
        assert!(report.people > 250, "{}", report.people);
        assert!(!db.store.is_empty().await.expect("count"));
        let names: Vec<String> = db.store.municipalities().await.expect("list").into_iter().map(|m| m.name).collect();
        assert_eq!(names, ["Hjartdal", "Rollag"]);
        db.drop_db().await;
    }
}

#[tokio::test]
async fn people_are_sorted_norwegian_and_searchable() {
    for db in backends().await {
        seed_small(&db.store).await;
        let all = loft_domain::policy::Reach { everything: true, ..Default::default() };
        let page =
            db.store.people(&all, &PeopleQuery { per_page: 200, page: 1, ..Default::default() }).await.expect("people");
        assert!(page.total > 250);
        let keys: Vec<String> = page
            .items
            .iter()
            .map(|i| loft_domain::collation::sort_key(&format!("{} {}", i.person.family_name, i.person.given_name)))
            .collect();
        let mut sorted = keys.clone();
        sorted.sort();
        assert_eq!(keys, sorted, "{:?}", db.store.backend());

        // Search finds by family name prefix (with ø), given name, e-mail and employee number.
        let first = &page.items[0].person;
        for term in [
            &first.family_name[..first.family_name.len().min(3)],
            &first.given_name,
            first.email.as_deref().unwrap_or("x"),
        ] {
            let found = db
                .store
                .people(
                    &all,
                    &PeopleQuery { search: Some(term.to_string()), per_page: 200, page: 1, ..Default::default() },
                )
                .await
                .expect("search");
            assert!(found.items.iter().any(|i| i.person.id == first.id), "term {term} on {:?}", db.store.backend());
        }
        let by_number = page.items.iter().find_map(|i| i.person.employee_number.clone()).expect("an employee number");
        let found = db
            .store
            .people(&all, &PeopleQuery { search: Some(by_number.clone()), per_page: 10, page: 1, ..Default::default() })
            .await
            .expect("search");
        // Employee numbers are unique per municipality, so two municipalities may share one.
        assert!(found.total >= 1);
        assert!(found.items.iter().all(|i| i.person.employee_number.as_deref() == Some(by_number.as_str())));

        // Paging and filters add up.
        let rollag =
            db.store.municipalities().await.expect("m").into_iter().find(|m| m.name == "Rollag").expect("rollag");
        let only = db
            .store
            .people(
                &all,
                &PeopleQuery {
                    municipality: Some(rollag.id),
                    per_page: 50,
                    page: 2,
                    sort: SortBy::EmployeeNumber,
                    ..Default::default()
                },
            )
            .await
            .expect("filter");
        assert!(only.items.iter().all(|i| i.person.municipality_id == rollag.id));
        assert_eq!(only.items.len(), 50);
        let officials = db
            .store
            .people(
                &all,
                &PeopleQuery { role_group: Some(RoleGroup::Folkevalgt), per_page: 200, page: 1, ..Default::default() },
            )
            .await
            .expect("officials");
        assert!(officials.total >= 10, "{}", officials.total);
        let left = db
            .store
            .people(&all, &PeopleQuery { status: Status::Left, per_page: 10, page: 1, ..Default::default() })
            .await
            .expect("left");
        assert_eq!(left.total, 0);
        db.drop_db().await;
    }
}

#[tokio::test]
async fn reach_limits_lists_to_scope() {
    for db in backends().await {
        seed_small(&db.store).await;
        let municipalities = db.store.municipalities().await.expect("m");
        let hjartdal = municipalities.iter().find(|m| m.name == "Hjartdal").expect("h");
        let all = loft_domain::policy::Reach { everything: true, ..Default::default() };
        let everyone =
            db.store.people(&all, &PeopleQuery { per_page: 200, page: 1, ..Default::default() }).await.expect("all");

        // A manager of a school sees that school's staff and nobody outside it.
        let school = db
            .store
            .units(hjartdal.id)
            .await
            .expect("units")
            .into_iter()
            .find(|u| u.code.as_deref() == Some("OPP-S01"))
            .expect("school");
        let manager = db
            .store
            .people(
                &all,
                &PeopleQuery { unit: Some(school.path.clone()), per_page: 200, page: 1, ..Default::default() },
            )
            .await
            .expect("staff");
        let head = manager.items.iter().find(|i| !i.person.given_name.is_empty()).expect("someone");
        let mut found_manager = None;
        for item in &manager.items {
            let actor = actor_of(&db.store, item.person.id).await;
            if actor.has_role(Role::Manager) {
                found_manager = Some(actor);
            }
        }
        let actor = found_manager.expect("the school has a manager");
        let visible = db
            .store
            .people(&reach(&actor, Action::ViewPerson), &PeopleQuery { per_page: 200, page: 1, ..Default::default() })
            .await
            .expect("visible");
        assert_eq!(visible.total, manager.total);
        assert!(visible.total < everyone.total);
        assert!(visible.items.iter().any(|i| i.person.id == head.person.id));

        // An ordinary employee sees only themself.
        let employee = manager.items.iter().map(|i| i.person.id).find(|id| *id != actor.person_id).expect("employee");
        let me = actor_of(&db.store, employee).await;
        let visible = db
            .store
            .people(&reach(&me, Action::ViewPerson), &PeopleQuery { per_page: 10, page: 1, ..Default::default() })
            .await
            .expect("me");
        assert_eq!(visible.items.iter().map(|i| i.person.id).collect::<Vec<_>>(), vec![employee]);
        db.drop_db().await;
    }
}

#[tokio::test]
async fn unit_changes_keep_history_audit_and_tree() {
    for db in backends().await {
        seed_small(&db.store).await;
        let m = db.store.municipalities().await.expect("m")[0].clone();
        let units = db.store.units(m.id).await.expect("units");
        let root = &units[0];
        assert!(root.parent_id.is_none());
        let change = Change { actor: None, region: Some(m.region_id), municipality: Some(m.id) };
        let a = db
            .store
            .create_unit(change, m.id, Some(root.id), "Digitaliseringsenheten", Some("DIG"))
            .await
            .expect("create");
        let b = db.store.create_unit(change, m.id, Some(a), "Prosjektkontor", None).await.expect("create child");
        db.store.rename_unit(change, a, "Digitalisering og innovasjon").await.expect("rename");

        // Moving a unit into its own subtree is refused and changes nothing.
        let err = db.store.move_unit(change, a, b).await.expect_err("cycle");
        assert!(matches!(err, StoreError::Domain(DomainError::Invalid(_))), "{err:?}");
        // Moving it under another sector rewrites the paths of its subtree.
        let teknisk = units.iter().find(|u| u.code.as_deref() == Some("TEK")).expect("tek");
        db.store.move_unit(change, a, teknisk.id).await.expect("move");
        let moved_child = db.store.unit(b).await.expect("b");
        assert_eq!(moved_child.path.ids(), vec![root.id, teknisk.id, a, b]);

        // A unit with open children cannot close; a leaf can.
        assert!(db.store.close_unit(change, a).await.is_err());
        db.store.close_unit(change, b).await.expect("close leaf");
        assert!(db.store.unit(b).await.expect("b").closed);
        let history: Vec<String> =
            db.store.unit_history(a).await.expect("history").into_iter().map(|e| e.change).collect();
        assert_eq!(history, ["moved", "renamed", "created"]);

        // Duplicate unit codes are a conflict on the code field.
        let dup = db.store.create_unit(change, m.id, Some(root.id), "Kopi", Some("DIG")).await.expect_err("duplicate");
        assert!(matches!(dup, StoreError::Domain(DomainError::Conflict { field: "code", .. })), "{dup:?}");

        // Every change is in the audit log, visible in the municipality's scope only.
        let mine = loft_domain::policy::Reach { municipalities: vec![m.id], ..Default::default() };
        let actions: Vec<String> =
            db.store.audit_entries(&mine, None, 50).await.expect("audit").into_iter().map(|e| e.action).collect();
        assert_eq!(actions, ["unit.close", "unit.move", "unit.rename", "unit.create", "unit.create"]);
        let other =
            loft_domain::policy::Reach { municipalities: vec![MunicipalityId(m.id.0 + 1000)], ..Default::default() };
        assert!(db.store.audit_entries(&other, None, 50).await.expect("audit").is_empty());
        db.drop_db().await;
    }
}

#[tokio::test]
async fn people_registration_and_roles() {
    for db in backends().await {
        seed_small(&db.store).await;
        let m = db.store.municipalities().await.expect("m")[1].clone();
        let change = Change { actor: None, region: Some(m.region_id), municipality: Some(m.id) };
        let new = NewPerson::parse(m.id, "Åshild", "Ørnes", "ashild@example.no", "X-1", &["folkevalgt".into()])
            .expect("valid");
        let id = db.store.create_person(change, &new).await.expect("create");
        let dup = NewPerson::parse(m.id, "Other", "Person", "", "X-1", &[]).expect("valid");
        assert!(matches!(
            db.store.create_person(change, &dup).await,
            Err(StoreError::Domain(DomainError::Conflict { field: "employee_number", .. }))
        ));

        db.store.set_role_groups(change, id, &[RoleGroup::Folkevalgt, RoleGroup::Leder]).await.expect("groups");
        let grant = db
            .store
            .grant_role(change, id, Role::MunicipalCoordinator, &loft_store::people::GrantScope::Municipality(m.id))
            .await
            .expect("grant");
        let detail = db.store.person(id).await.expect("detail");
        assert_eq!(detail.role_groups, vec![RoleGroup::Leder, RoleGroup::Folkevalgt]);
        assert_eq!(detail.grants.len(), 1);
        assert_eq!(detail.grants[0].scope_name.as_deref(), Some(m.name.as_str()));
        let actor = actor_of(&db.store, id).await;
        assert!(actor.has_role(Role::MunicipalCoordinator));
        db.store.revoke_role(change, id, grant).await.expect("revoke");
        assert!(matches!(
            db.store.revoke_role(change, id, grant).await,
            Err(StoreError::Domain(DomainError::NotFound))
        ));
        assert!(matches!(db.store.person(PersonId(9_999_999)).await, Err(StoreError::Domain(DomainError::NotFound))));
        db.drop_db().await;
    }
}

#[tokio::test]
async fn sessions_expire_and_tokens_revoke() {
    for db in backends().await {
        seed_small(&db.store).await;
        let creds = db.store.credentials("leder").await.expect("q");
        assert!(creds.is_none(), "the demo manager lives in Kongsberg, which is not seeded here");
        let m = db.store.municipalities().await.expect("m")[0].clone();
        let new = NewPerson::parse(m.id, "Test", "Testesen", "", "", &[]).expect("valid");
        let person = db
            .store
            .create_person(Change { actor: None, region: Some(m.region_id), municipality: Some(m.id) }, &new)
            .await
            .expect("person");
        db.store.create_account(person, "Testesen", Some("hash")).await.expect("account");
        assert!(db.store.create_account(person, "testesen", None).await.is_err(), "usernames are unique, any case");
        let creds = db.store.credentials("TESTESEN").await.expect("q").expect("account");
        let policy = SessionPolicy { idle_secs: 3600, absolute_secs: 86_400 };
        db.store.create_session(creds.account_id, "cookie-value", policy).await.expect("session");
        let who = db.store.session_account("cookie-value", policy).await.expect("q").expect("live");
        assert_eq!(who.person_id, creds.person_id);
        assert!(db.store.session_account("other", policy).await.expect("q").is_none());
        let expired = SessionPolicy { idle_secs: -1, absolute_secs: 86_400 };
        assert!(db.store.session_account("cookie-value", expired).await.expect("q").is_none());
        db.store.delete_session("cookie-value").await.expect("logout");
        assert!(db.store.session_account("cookie-value", policy).await.expect("q").is_none());

        let token = db.store.create_api_token(creds.account_id, "rapport").await.expect("token");
        assert!(db.store.api_token_account(&token).await.expect("q").is_some());
        let mut listed = db.store.api_tokens(creds.account_id).await.expect("list");
        assert_eq!(listed.len(), 1);
        // Its use is written a moment later, with the other tokens used meanwhile.
        for _ in 0..50 {
            if listed[0].last_used_at.is_some() {
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
            listed = db.store.api_tokens(creds.account_id).await.expect("list");
        }
        assert!(listed[0].last_used_at.is_some(), "last use written");
        db.store.revoke_api_token(creds.account_id, listed[0].id).await.expect("revoke");
        assert!(db.store.api_token_account(&token).await.expect("q").is_none());
        assert!(db.store.revoke_api_token(creds.account_id + 1, listed[0].id).await.is_err());
        db.drop_db().await;
    }
}

#[tokio::test]
async fn outbox_retries_with_backoff() {
    for db in backends().await {
        let id = db.store.enqueue_mail("kari@example.no", "Emne", "Tekst").await.expect("enqueue");
        let due = db.store.due_mail(10).await.expect("due");
        assert_eq!(due.iter().map(|m| m.id).collect::<Vec<_>>(), vec![id]);
        db.store.mark_mail_failed(id, 0, "connection refused").await.expect("fail");
        assert!(db.store.due_mail(10).await.expect("due").is_empty(), "backoff hides it for a minute");
        assert_eq!(db.store.outbox_counts().await.expect("counts"), (1, 0, 0));
        db.store.mark_mail_sent(id).await.expect("sent");
        assert_eq!(db.store.outbox_counts().await.expect("counts"), (0, 1, 0));
        db.drop_db().await;
    }
}

#[tokio::test]
async fn sqlite_backup_is_a_usable_copy() {
    let db = TestDb::sqlite().await;
    assert_eq!(db.store.backend(), Backend::Sqlite);
    seed_small(&db.store).await;
    let target = std::env::temp_dir().join(format!("loft-backup-{}.db", std::process::id()));
    let _ = std::fs::remove_file(&target);
    db.store.backup_sqlite(&target.display().to_string()).await.expect("backup");
    assert!(db.store.backup_sqlite(&target.display().to_string()).await.is_err(), "never overwrites");
    let copy = Store::connect(&format!("sqlite://{}", target.display())).await.expect("open copy");
    assert_eq!(copy.municipalities().await.expect("m").len(), 2);
    copy.close().await;
    let _ = std::fs::remove_file(&target);
    db.drop_db().await;
}

#[tokio::test]
async fn unknown_url_scheme_is_a_clear_error() {
    let err = Store::connect("mysql://localhost/x").await.expect_err("unsupported");
    assert!(err.to_string().contains("mysql"), "{err}");
}

/// Paging through a search visits every match exactly once, in the order of the
/// parts (employee number, family name, given name, e-mail), whatever the page size.
#[tokio::test]
async fn search_pages_cover_every_match_once() {
    for db in backends().await {
        seed_small(&db.store).await;
        let all = loft_domain::policy::Reach { everything: true, ..Default::default() };
        let everyone = db
            .store
            .people(&all, &PeopleQuery { per_page: 200, page: 1, status: Status::All, ..Default::default() })
            .await
            .expect("all");
        let mut every = Vec::new();
        for page in 1.. {
            let p = db
                .store
                .people(&all, &PeopleQuery { per_page: 200, page, status: Status::All, ..Default::default() })
                .await
                .expect("page");
            if p.items.is_empty() {
                break;
            }
            every.extend(p.items);
        }
        assert_eq!(every.len() as i64, everyone.total);
        for term in ["h", "Ø", "an", "100001", "ola.", "kå"] {
            let key = loft_domain::collation::sort_key(term);
            let lower = term.to_lowercase();
            let mut expected: Vec<_> = every
                .iter()
                .filter(|i| {
                    let p = &i.person;
                    p.employee_number.as_deref() == Some(term)
                        || loft_domain::collation::sort_key(&format!("{} {}", p.family_name, p.given_name))
                            .starts_with(&key)
                        || loft_domain::collation::sort_key(&format!("{} {}", p.given_name, p.family_name))
                            .starts_with(&key)
                        || (term.contains(['@', '.']) && p.email.as_deref().is_some_and(|e| e.starts_with(&lower)))
                })
                .map(|i| i.person.id)
                .collect();
            for per_page in [7, 50] {
                let mut seen = Vec::new();
                for page in 1.. {
                    let q = PeopleQuery {
                        search: Some(term.into()),
                        per_page,
                        page,
                        status: Status::All,
                        ..Default::default()
                    };
                    let p = db.store.people(&all, &q).await.expect("search");
                    if page == 1 && !p.total_is_lower_bound {
                        assert_eq!(p.total as usize, expected.len(), "count for {term:?}");
                    }
                    if p.items.is_empty() {
                        break;
                    }
                    seen.extend(p.items.iter().map(|i| i.person.id));
                }
                let mut sorted_seen = seen.clone();
                sorted_seen.sort();
                sorted_seen.dedup();
                assert_eq!(sorted_seen.len(), seen.len(), "no match twice for {term:?} at {per_page} per page");
                expected.sort();
                assert_eq!(
                    sorted_seen,
                    expected,
                    "every match for {term:?} at {per_page} per page ({:?})",
                    db.store.backend()
                );
            }
        }
        db.drop_db().await;
    }
}
