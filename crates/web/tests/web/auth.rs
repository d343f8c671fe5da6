//! Login, sessions, CSRF, throttling and language.

use crate::common::{World, csrf, worlds};

async fn try_login(world: &World, username: &str, password: &str) -> axum_test::TestResponse {
    let server = world.anonymous().await;
    let token = csrf(&server).await;
    server
        .post("/login")
        .form(&[("csrf_token", token.as_str()), ("username", username), ("password", password), ("next", "/")])
        .await
}

#[tokio::test]
async fn wrong_user_and_wrong_password_look_the_same() {
    for world in worlds().await {
        let unknown = try_login(&world, "ingen-slik", "demo").await;
        let wrong = try_login(&world, "admin", "feil").await;
        assert_eq!(unknown.status_code(), 401);
        assert_eq!(wrong.status_code(), 401);
        assert!(unknown.text().contains("Feil brukernavn eller passord."));
        assert!(wrong.text().contains("Feil brukernavn eller passord."));
        assert!(unknown.maybe_cookie("loft_session").is_none());
        world.drop().await;
    }
}

#[tokio::test]
async fn session_cookie_is_protected_and_logout_ends_it() {
    for world in worlds().await {
        let server = world.anonymous().await;
        let token = csrf(&server).await;
        let r = server
            .post("/login")
            .form(&[("csrf_token", token.as_str()), ("username", "Admin"), ("password", "demo"), ("next", "/people")])
            .await;
        assert_eq!(r.status_code(), 303);
        assert_eq!(r.header("location"), "/people", "returns to where the user was going");
        let set_cookie: Vec<String> =
            r.iter_headers_by_name("set-cookie").filter_map(|v| v.to_str().ok().map(String::from)).collect();
        let session = set_cookie.iter().find(|c| c.starts_with("loft_session=")).expect("session cookie");
        assert!(
            session.contains("HttpOnly") && session.contains("SameSite=Lax") && session.contains("Path=/"),
            "{session}"
        );
        let cookie_value = session.trim_start_matches("loft_session=").split(';').next().expect("value").to_string();

        assert_eq!(server.get("/").await.status_code(), 200);
        let r = server.post("/logout").form(&[("csrf_token", token.as_str())]).await;
        assert_eq!(r.status_code(), 303);
        // The old cookie is dead on the server, not only forgotten by this browser.
        let replay = world.anonymous().await;
        let r = replay.get("/").add_header("cookie", format!("loft_session={cookie_value}")).await;
        assert_eq!(r.status_code(), 303);
        assert!(r.header("location").to_str().expect("ascii").starts_with("/login"));
        world.drop().await;
    }
}

#[tokio::test]
async fn an_open_redirect_is_refused() {
    for world in worlds().await {
        let server = world.anonymous().await;
        let token = csrf(&server).await;
        let r = server
            .post("/login")
            .form(&[
                ("csrf_token", token.as_str()),
                ("username", "admin"),
                ("password", "demo"),
                ("next", "//evil.example"),
            ])
            .await;
        assert_eq!(r.header("location"), "/");
        world.drop().await;
    }
}

#[tokio::test]
async fn login_is_throttled_after_repeated_failures() {
    for world in worlds().await {
        for _ in 0..5 {
            assert_eq!(try_login(&world, "region", "feil").await.status_code(), 401);
        }
        // Even the right password is refused while the user name is locked.
        let r = try_login(&world, "region", "demo").await;
        assert_eq!(r.status_code(), 401);
        assert!(r.text().contains("For mange mislykkede forsøk"), "{}", r.text());
        // Another user is not affected.
        assert_eq!(try_login(&world, "admin", "demo").await.status_code(), 303);
        world.drop().await;
    }
}

#[tokio::test]
async fn forms_without_the_csrf_token_are_refused() {
    for world in worlds().await {
        let server = world.login("admin").await;
        let kongsberg = world.store().municipalities().await.expect("m")[0].id;
        let missing =
            server.post("/units").form(&[("municipality", kongsberg.to_string()), ("name", "Ny".to_string())]).await;
        assert_eq!(missing.status_code(), 403);
        let wrong = server
            .post("/units")
            .form(&[
                ("csrf_token", "feil".to_string()),
                ("municipality", kongsberg.to_string()),
                ("name", "Ny".to_string()),
            ])
            .await;
        assert_eq!(wrong.status_code(), 403);
        assert!(wrong.text().contains("Skjemaet var utløpt"));
        let json =
            server.post("/api/v1/units").json(&serde_json::json!({"municipality_id": kongsberg.0, "name": "Ny"})).await;
        assert_eq!(json.status_code(), 403, "a cookie-authenticated API call needs the CSRF header");
        assert_eq!(world.store().units(kongsberg).await.expect("units").iter().filter(|u| u.name == "Ny").count(), 0);
        world.drop().await;
    }
}

#[tokio::test]
async fn language_follows_accept_language_then_cookie_then_account() {
    for world in worlds().await {
        let anon = world.anonymous().await;
        let nn = anon.get("/login").add_header("accept-language", "nn-NO,nn;q=0.9").await.text();
        assert!(nn.contains(r#"<html lang="nn""#) && nn.contains("Brukarnamn"));
        let en = anon.get("/login").add_header("accept-language", "en-GB,en;q=0.8").await.text();
        assert!(en.contains(r#"<html lang="en""#) && en.contains("User name"));
        assert!(anon.get("/login").await.text().contains(r#"<html lang="nb""#), "bokmål by default");

        // Chosen per user and remembered on the account, across sessions.
        let server = world.login("leder").await;
        let token = csrf(&server).await;
        let r = server
            .post("/language")
            .form(&[("csrf_token", token.as_str()), ("lang", "en"), ("next", "/account")])
            .await;
        assert_eq!(r.status_code(), 303);
        assert_eq!(r.header("location"), "/account");
        let again = world.login("leder").await;
        let home = again.get("/").add_header("accept-language", "nb").await.text();
        assert!(home.contains(r#"<html lang="en""#) && home.contains("Welcome to Løft"), "{home}");
        let bad = server.post("/language").form(&[("csrf_token", token.as_str()), ("lang", "de")]).await;
        assert_eq!(bad.status_code(), 422);
        world.drop().await;
    }
}
