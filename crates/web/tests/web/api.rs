//! The JSON API: tokens, problem documents, and the OpenAPI document.

use crate::common::{csrf, worlds};

pub async fn token_for(world: &crate::common::World, user: &str) -> String {
    let server = world.login(user).await;
    let csrf = csrf(&server).await;
    let page =
        server.post("/account/tokens").form(&[("csrf_token", csrf.as_str()), ("name", "integrasjon")]).await.text();
    crate::common::attr_after(&page, r#"<code class="token" id="new-token">"#)
        .map(|t| t.split('<').next().unwrap_or_default().to_string())
        .expect("the new token is shown once")
}

#[tokio::test]
async fn tokens_authenticate_and_revoke() {
    for world in worlds().await {
        let token = token_for(&world, "region").await;
        assert!(token.starts_with("loft_"));
        let api = world.anonymous().await;
        let me = api.get("/api/v1/me").authorization_bearer(&token).await;
        assert_eq!(me.status_code(), 200);
        assert!(me.json::<serde_json::Value>()["roles"].to_string().contains("regional-coordinator"));
        // Token requests need no CSRF token: no cookie is involved.
        let created = api.post("/api/v1/units").authorization_bearer(&token).json(&serde_json::json!({
            "municipality_id": world.store().municipalities().await.expect("m")[0].id.0, "name": "Fra API", "code": "API1"
        })).await;
        assert_eq!(created.status_code(), 201, "{}", created.text());

        let account = world.store().credentials("region").await.expect("q").expect("r").account_id;
        let listed = world.store().api_tokens(account).await.expect("tokens");
        world.store().revoke_api_token(account, listed[0].id).await.expect("revoke");
        let r = api.get("/api/v1/me").authorization_bearer(&token).await;
        assert_eq!(r.status_code(), 401);
        assert_eq!(r.header("content-type"), "application/problem+json");
        assert_eq!(r.json::<serde_json::Value>()["code"], "unauthenticated");
        world.drop().await;
    }
}

#[tokio::test]
async fn bad_input_gets_a_problem_document_in_the_users_language() {
    for world in worlds().await {
        let token = token_for(&world, "admin").await;
        let api = world.anonymous().await;
        let m = world.store().municipalities().await.expect("m")[0].id.0;
        let r = api
            .post("/api/v1/people")
            .authorization_bearer(&token)
            .add_header("accept-language", "nb")
            .json(&serde_json::json!({"municipality_id": m, "given_name": "", "family_name": "X", "email": "nei"}))
            .await;
        assert_eq!(r.status_code(), 422);
        let problem: serde_json::Value = r.json();
        assert_eq!(problem["status"], 422);
        assert_eq!(problem["code"], "invalid-input");
        let fields: Vec<&str> =
            problem["errors"].as_array().expect("errors").iter().filter_map(|e| e["field"].as_str()).collect();
        assert_eq!(fields, ["given_name", "email"]);
        assert_eq!(problem["errors"][1]["message"], "E-postadressen er ikke gyldig.");

        let r = api
            .post("/api/v1/people")
            .authorization_bearer(&token)
            .content_type("application/json")
            .text("{not json")
            .await;
        assert_eq!(r.status_code(), 422);
        assert_eq!(r.json::<serde_json::Value>()["code"], "invalid-input");
        let r = api.get("/api/v1/people/424242").authorization_bearer(&token).await;
        assert_eq!(r.status_code(), 404);
        assert_eq!(r.json::<serde_json::Value>()["code"], "not-found");
        let dup = serde_json::json!({"municipality_id": m, "given_name": "A", "family_name": "B", "employee_number": "100001"});
        let r = api.post("/api/v1/people").authorization_bearer(&token).json(&dup).await;
        assert_eq!(r.status_code(), 409);
        assert_eq!(r.json::<serde_json::Value>()["errors"][0]["field"], "employee_number");
        world.drop().await;
    }
}

#[tokio::test]
async fn openapi_documents_every_api_route() {
    let doc = loft_web::routes::openapi_doc::document();
    assert_eq!(doc["openapi"], "3.1.0");
    for (spec, _) in loft_web::routes::table() {
        if let Some(path) = spec.path.strip_prefix("").filter(|p| p.starts_with("/api/")) {
            let method = spec.method.to_lowercase();
            assert!(
                doc["paths"][path][&method].is_object(),
                "{} {} is not in the OpenAPI document",
                spec.method,
                spec.path
            );
        }
    }
}

#[tokio::test]
async fn units_and_people_change_through_the_api_one_change_at_a_time() {
    for world in worlds().await {
        let token = token_for(&world, "kommune").await;
        let api = world.anonymous().await;
        let notodden =
            world.store().municipalities().await.expect("m").into_iter().find(|m| m.name == "Notodden").expect("n");
        let units = world.store().units(notodden.id).await.expect("units");
        let (root, it) = (&units[0], units.iter().find(|u| u.code.as_deref() == Some("ADM-IKT")).expect("ikt"));

        let r = api
            .patch(&format!("/api/v1/units/{}", it.id))
            .authorization_bearer(&token)
            .json(&serde_json::json!({"name": "Digitalisering og IKT"}))
            .await;
        assert_eq!(r.status_code(), 200, "{}", r.text());
        assert_eq!(r.json::<serde_json::Value>()["unit"]["name"], "Digitalisering og IKT");
        let r = api
            .patch(&format!("/api/v1/units/{}", it.id))
            .authorization_bearer(&token)
            .json(&serde_json::json!({"parent_id": root.id.0}))
            .await;
        assert_eq!(r.status_code(), 200);
        let both = api
            .patch(&format!("/api/v1/units/{}", it.id))
            .authorization_bearer(&token)
            .json(&serde_json::json!({"name": "X", "closed": true}))
            .await;
        assert_eq!(both.status_code(), 422);
        assert_eq!(both.json::<serde_json::Value>()["errors"][0]["code"], "one-change-at-a-time");
        let shown: serde_json::Value =
            api.get(&format!("/api/v1/units/{}", it.id)).authorization_bearer(&token).await.json();
        let changes: Vec<&str> =
            shown["history"].as_array().expect("history").iter().filter_map(|e| e["change"].as_str()).collect();
        assert_eq!(changes, ["moved", "renamed"]);

        let person = world
            .store()
            .people(
                &loft_domain::policy::Reach { municipalities: vec![notodden.id], ..Default::default() },
                &loft_store::people::PeopleQuery { per_page: 1, page: 1, ..Default::default() },
            )
            .await
            .expect("p")
            .items[0]
            .person
            .id;
        let r = api
            .patch(&format!("/api/v1/people/{person}"))
            .authorization_bearer(&token)
            .json(&serde_json::json!({"email": "ny.adresse@notodden.kommune.no"}))
            .await;
        assert_eq!(r.status_code(), 200, "{}", r.text());
        assert_eq!(r.json::<serde_json::Value>()["person"]["email"], "ny.adresse@notodden.kommune.no");
        let r = api
            .patch(&format!("/api/v1/people/{person}"))
            .authorization_bearer(&token)
            .json(&serde_json::json!({"active": false}))
            .await;
        assert_eq!(r.json::<serde_json::Value>()["person"]["active"], false);
        let unknown_field = api
            .patch(&format!("/api/v1/people/{person}"))
            .authorization_bearer(&token)
            .json(&serde_json::json!({"salary": 1}))
            .await;
        assert_eq!(unknown_field.status_code(), 422);
        world.drop().await;
    }
}
