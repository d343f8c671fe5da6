//! Mapping reminders as the sender writes them: through the outbox, in the invitee's language, with a personal
//! link that opens their questionnaire.

use crate::common::worlds;
use loft_domain::locale::Locale;
use loft_domain::mapping::{Audience, PrivacyMode, Question, RoundWindow};
use loft_store::audit::Change;
use loft_store::mapping::NewRound;

const SYSTEM: Change = Change { actor: None, region: None, municipality: None };

fn today() -> jiff::civil::Date {
    jiff::Timestamp::now().in_tz("Europe/Oslo").expect("zone").date()
}

#[tokio::test]
async fn a_reminder_is_written_in_the_invitees_language_with_a_working_link() {
    for world in worlds().await {
        let store = world.store();
        let digcomp = store.frameworks().await.expect("frameworks")[0].id;
        let closes = today() + jiff::Span::new().days(10);
        let new = NewRound {
            region: store.regions().await.expect("regions")[0].id,
            name: "Kartlegging våren".into(),
            privacy: PrivacyMode::Anonymous,
            window: RoundWindow::new(today(), closes).expect("window"),
            questions: vec![Question { framework_id: digcomp, competence: "1.1".into() }],
            audience: Audience::default(),
            reminder_days: vec![3],
            copied_from: None,
            checks: vec![],
        };
        let round = store.create_round(SYSTEM, &new).await.expect("round");
        store.invite(SYSTEM, round, &|_, _| None).await.expect("invite");
        let ansatt = store.credentials("ansatt").await.expect("q").expect("ansatt");
        store.set_locale(ansatt.account_id, Locale::English).await.expect("locale");
        let email = store.person(ansatt.person_id).await.expect("person").person.email.expect("an address");

        let public_url = "https://loft.example.no";
        assert_eq!(loft_web::reminders::send_due(store, public_url, today()).await.expect("send"), 0, "not due yet");
        let queued = loft_web::reminders::send_due(store, public_url, closes - jiff::Span::new().days(3)).await;
        assert!(queued.expect("send") > 1);
        let mails = store.due_mail(10_000).await.expect("outbox");
        let mail = mails.iter().find(|m| m.to_address.as_str() == email.as_str()).expect("a reminder to ansatt");
        assert_eq!(mail.subject, "Reminder: Kartlegging våren");
        assert!(mail.body_text.contains("which closes on"), "{}", mail.body_text);
        let others = mails.iter().filter(|m| m.subject.starts_with("Påminnelse: ")).count();
        assert!(others > 0, "people without a language set get bokmål");
        // The link opens the questionnaire without a login.
        let link = mail.body_text.lines().find_map(|l| l.trim().strip_prefix("Answer here: ")).expect("link");
        let path = link.strip_prefix(public_url).expect("the site's address");
        let page = world.anonymous().await.get(path).await;
        assert_eq!(page.status_code(), 200);
        assert!(page.text().contains("Kartlegging våren"));
        world.drop().await;
    }
}

/// Collects everything the log writes.
#[derive(Clone, Default)]
struct Captured(std::sync::Arc<std::sync::Mutex<Vec<u8>>>);

impl std::io::Write for Captured {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().expect("lock").extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[tokio::test]
async fn an_anonymous_submission_leaves_no_token_and_no_time_in_the_log_or_the_metrics() {
    for world in worlds().await {
        let store = world.store();
        let digcomp = store.frameworks().await.expect("frameworks")[0].id;
        let question = Question { framework_id: digcomp, competence: "1.1".into() };
        let new = NewRound {
            region: store.regions().await.expect("regions")[0].id,
            name: "Anonym runde".into(),
            privacy: PrivacyMode::Anonymous,
            window: RoundWindow::new(today(), today() + jiff::Span::new().days(5)).expect("window"),
            questions: vec![question.clone()],
            audience: Audience::default(),
            reminder_days: vec![],
            copied_from: None,
            checks: vec![],
        };
        let round = store.create_round(SYSTEM, &new).await.expect("round");
        let token = std::sync::Mutex::new(String::new());
        store
            .invite(SYSTEM, round, &|_, t: &str| {
                *token.lock().expect("lock") = t.to_string();
                None
            })
            .await
            .expect("invite");
        let token = token.into_inner().expect("token");
        let server = world.anonymous().await;

        // Everything at debug level, as an operator chasing a problem would turn it on.
        let log = Captured::default();
        let writer = log.clone();
        let subscriber = tracing_subscriber::fmt()
            .with_env_filter(tracing_subscriber::EnvFilter::new("debug"))
            .with_writer(move || writer.clone())
            .with_ansi(false)
            .finish();
        let guard = tracing::subscriber::set_default(subscriber);
        let page = server.get(&format!("/answer/{token}")).await;
        assert_eq!(page.status_code(), 200);
        let csrf = crate::common::csrf(&server).await;
        let field = format!("q-{digcomp}-1.1");
        let done = server
            .post(&format!("/answer/{token}"))
            .form(&[("csrf_token", csrf.as_str()), (field.as_str(), "3"), ("action", "submit")])
            .await;
        assert_eq!(done.status_code(), 200);
        drop(guard);
        let log = String::from_utf8(log.0.lock().expect("lock").clone()).expect("utf-8");
        assert!(log.contains("/answer/{token}"), "the questionnaire's page view is logged, redacted: {log}");
        assert!(!log.contains(&token), "the personal link never reaches the log");
        assert!(!log.contains("method=POST"), "the submission has no request log line: {log}");

        let metrics = server.get("/metrics").await.text();
        assert!(!metrics.contains(&token), "nor the metrics");
        assert!(metrics.contains(r#"route="/answer/{token}""#), "metrics name the route pattern");
        // The invitation keeps a flag without a time; the response neither person nor day.
        let inv = store.invitation_by_token(&token).await.expect("inv");
        assert!(inv.answered);
        assert_eq!(store.own_answers(round, inv.person_id).await.expect("own"), None);
        world.drop().await;
    }
}
