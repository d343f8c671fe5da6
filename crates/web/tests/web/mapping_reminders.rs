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
