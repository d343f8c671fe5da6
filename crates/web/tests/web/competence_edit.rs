//! Frameworks imported from JSON and target levels edited in the UI: every broken rule reported, a published
//! version never changed, a municipality's raise never below the region's, each change audited.

use crate::common::{csrf, worlds};
use axum_test::multipart::{MultipartForm, Part};
use loft_domain::competence::builtin;
use loft_domain::policy::Reach;

fn json_form(bytes: Vec<u8>) -> MultipartForm {
    MultipartForm::new().add_part("file", Part::bytes(bytes).file_name("rammeverk.json").mime_type("application/json"))
}

#[tokio::test]
async fn a_coordinator_imports_a_framework_version_and_broken_files_are_explained() {
    for world in worlds().await {
        let server = world.login("region").await;
        let form = server.get("/competence/import").await;
        assert_eq!(form.status_code(), 200);
        let token = csrf(&server).await;
        let url = format!("/competence/import?csrf_token={token}");

        // Not JSON at all.
        let junk = server.post(&url).multipart(json_form(b"levels: 4".to_vec())).await;
        assert_eq!(junk.status_code(), 422);
        assert!(junk.text().contains("ikke et rammeverk i JSON-format"));
        // JSON without a required field: where reading stopped is named.
        let mut value: serde_json::Value = serde_json::from_str(&builtin().remove(0).to_json()).expect("json");
        value.as_object_mut().expect("object").remove("levels");
        let text = serde_json::to_string_pretty(&value).expect("json");
        let lines = text.lines().count();
        let missing = server.post(&url).multipart(json_form(text.into_bytes())).await;
        assert_eq!(missing.status_code(), 422);
        assert!(missing.text().contains(&format!("fra linje {lines}, tegn 1")), "{}", missing.text());
        // Valid JSON breaking several rules: every one is listed.
        let mut broken = builtin().remove(0);
        broken.version = "3.0 beta".into();
        broken.levels[1].number = 7;
        broken.areas[0].competences[0].title.nn = String::new();
        let r = server.post(&url).multipart(json_form(broken.to_json().into_bytes())).await;
        assert_eq!(r.status_code(), 422);
        let html = r.text();
        assert!(html.contains("Versjonen kan bare inneholde"), "{html}");
        assert!(html.contains("Nivåene må være nummerert"));
        assert!(html.contains("En tekst mangler"));
        // A published key and version is never changed.
        let same = server.post(&url).multipart(json_form(builtin().remove(0).to_json().into_bytes())).await;
        assert_eq!(same.status_code(), 422);
        assert!(same.text().contains("Denne versjonen finnes allerede"));
        // A new version goes in beside the old one.
        let mut next = builtin().remove(0);
        next.version = "3.0".into();
        next.levels.truncate(4);
        let made = server.post(&url).multipart(json_form(next.to_json().into_bytes())).await;
        assert_eq!(made.status_code(), 303);
        let frameworks = world.store().frameworks().await.expect("frameworks");
        assert!(frameworks.iter().any(|f| f.framework.key == "digcomp" && f.framework.version == "3.0"));
        assert_eq!(
            frameworks.iter().find(|f| f.framework.version == "2.2").map(|f| f.framework.clone()),
            Some(builtin().remove(0)),
            "the published version is unchanged"
        );
        let audit = world.store().audit_entries(&Reach { everything: true, ..Reach::default() }, None, 50).await;
        assert!(audit.expect("audit").iter().any(|e| e.action == "framework.publish" && e.actor_name.is_some()));
        // Only those who manage competence may import.
        assert_eq!(world.login("kommune").await.get("/competence/import").await.status_code(), 403);
        world.drop().await;
    }
}

#[tokio::test]
async fn the_region_sets_targets_and_a_municipality_raises_but_never_lowers_them() {
    for world in worlds().await {
        let digcomp = world.store().frameworks().await.expect("f")[0].id;
        let url = format!("/competence/frameworks/{digcomp}/targets");
        let region = world.login("region").await;
        let page = region.get(&url).await;
        assert_eq!(page.status_code(), 200);
        assert!(page.text().contains(r#"name="t-1.1-ansatt""#));
        let token = csrf(&region).await;
        let all_cells = |level: &str| -> Vec<(String, String)> {
            let mut cells = vec![("csrf_token".to_string(), token.clone()), ("municipality".into(), String::new())];
            for f in builtin().remove(0).competences() {
                for g in loft_domain::person::RoleGroup::ALL {
                    cells.push((format!("t-{}-{}", f.1.code, g.code()), level.to_string()));
                }
            }
            cells
        };
        // Every cell must be a level on the scale, and the region fills every one.
        let mut bad = all_cells("4");
        bad[2].1 = "9".into();
        bad[3].1 = String::new();
        let refused = region.post(&url).form(&bad).await;
        assert_eq!(refused.status_code(), 422);
        let html = refused.text();
        assert!(html.contains("Nivået finnes ikke på skalaen") && html.contains("Regionen må sette et mål"));
        let saved = region.post(&url).form(&all_cells("4")).await;
        assert_eq!(saved.status_code(), 200);
        assert!(saved.text().contains("Målnivåene er lagret"));
        let r = world.store().regions().await.expect("r")[0].id;
        let targets = world.store().targets(r, None).await.expect("targets");
        assert!(targets.iter().filter(|t| t.framework_id == digcomp).all(|t| t.target.level == 4));

        // Notodden's coordinator raises 1.1 for employees; lowering is refused with a message and nothing saved.
        let kommune = world.login("kommune").await;
        let own = kommune.get(&url).await;
        assert_eq!(own.status_code(), 200);
        assert!(own.text().contains("Notodden"));
        let notodden =
            world.store().municipalities().await.expect("m").into_iter().find(|m| m.name == "Notodden").expect("n");
        let token = csrf(&kommune).await;
        let m = notodden.id.0.to_string();
        let lower = [("csrf_token", token.as_str()), ("municipality", m.as_str()), ("t-1.1-ansatt", "3")];
        let refused = kommune.post(&url).form(&lower).await;
        assert_eq!(refused.status_code(), 422);
        assert!(refused.text().contains("ikke sette det lavere enn regionens"));
        let raise = [("csrf_token", token.as_str()), ("municipality", m.as_str()), ("t-1.1-ansatt", "6")];
        assert_eq!(kommune.post(&url).form(&raise).await.status_code(), 200);
        let raised = world.store().targets(r, Some(notodden.id)).await.expect("targets");
        let mine: Vec<_> = raised.iter().filter(|t| t.municipality == Some(notodden.id)).collect();
        assert_eq!(mine.len(), 1);
        assert_eq!((mine[0].target.competence.as_str(), mine[0].target.level), ("1.1", 6));
        // Another municipality's targets are not theirs to raise (as unknown to them as a missing one).
        let kongsberg =
            world.store().municipalities().await.expect("m").into_iter().find(|m| m.name == "Kongsberg").expect("k");
        let other = kommune.get(&format!("{url}?municipality={}", kongsberg.id.0)).await;
        assert_eq!(other.status_code(), 404);
        let forged =
            [("csrf_token", token.as_str()), ("municipality", &*kongsberg.id.0.to_string()), ("t-1.1-ansatt", "8")];
        assert_eq!(kommune.post(&url).form(&forged).await.status_code(), 404);
        // Employees edit nothing.
        assert_eq!(world.login("ansatt").await.get(&url).await.status_code(), 403);
        // Both changes are audited with before and after.
        let audit = world.store().audit_entries(&Reach { everything: true, ..Reach::default() }, None, 50).await;
        let entries: Vec<_> = audit.expect("audit").into_iter().filter(|e| e.action == "targets.replace").collect();
        assert_eq!(entries.len(), 2);
        assert!(entries.iter().all(|e| e.before_json.is_some() && e.after_json.is_some()));
        world.drop().await;
    }
}
