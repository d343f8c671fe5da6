//! The outbox sender against a real SMTP server: Python's aiosmtpd, writing
//! what it receives to a Maildir.

use loft_store::testing::backends;
use loft_web::mail::{MailSender, SmtpConfig};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

struct SmtpSink {
    child: Child,
    dir: std::path::PathBuf,
    port: u16,
}

impl Drop for SmtpSink {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").and_then(|l| l.local_addr()).map(|a| a.port()).expect("a free port")
}

async fn start_sink() -> SmtpSink {
    let port = free_port();
    let dir = std::env::temp_dir().join(format!("loft-smtp-{}-{port}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("dir");
    let child = Command::new("python3")
        .args(["-m", "aiosmtpd", "-n", "-l", &format!("127.0.0.1:{port}"), "-c", "aiosmtpd.handlers.Mailbox"])
        .arg(dir.join("Maildir"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("python3 -m aiosmtpd (pip install aiosmtpd)");
    for _ in 0..100 {
        if tokio::net::TcpStream::connect(("127.0.0.1", port)).await.is_ok() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    SmtpSink { child, dir, port }
}

fn config(port: u16) -> SmtpConfig {
    SmtpConfig {
        host: "127.0.0.1".into(),
        port,
        tls: "none".into(),
        username: None,
        password: None,
        from: "Løft <loft@example.no>".into(),
    }
}

fn delivered(sink: &SmtpSink) -> Vec<String> {
    let new = sink.dir.join("Maildir/new");
    std::fs::read_dir(new)
        .map(|d| d.filter_map(|e| e.ok()).filter_map(|e| std::fs::read_to_string(e.path()).ok()).collect())
        .unwrap_or_default()
}

#[tokio::test]
async fn outbox_is_delivered_and_retried_after_failure() {
    let sink = start_sink().await;
    for db in backends().await {
        let store = &db.store;
        let id = store
            .enqueue_mail("kari@example.no", "Påmelding bekreftet – Kurs i Teams", "Hei Kari,\nDu er påmeldt.\n")
            .await
            .expect("enqueue");

        // First the server is unreachable: the message stays, with the error, for a later attempt.
        let down = MailSender::new(&config(free_port())).expect("sender");
        assert_eq!(down.deliver_due(store).await.expect("pass"), (0, 1));
        assert_eq!(store.outbox_counts().await.expect("counts"), (1, 0, 0));
        assert!(store.due_mail(10).await.expect("due").is_empty(), "backed off");

        // Make it due again (as time would) and deliver to the real server.
        let sender = MailSender::new(&config(sink.port)).expect("sender");
        store.make_mail_due_now(id).await.expect("due now");
        assert_eq!(sender.deliver_due(store).await.expect("pass"), (1, 0));
        assert_eq!(store.outbox_counts().await.expect("counts"), (0, 1, 0));
        assert_eq!(sender.deliver_due(store).await.expect("pass"), (0, 0), "sent once, never twice");
        db.drop_db().await;
    }
    let mails = delivered(&sink);
    assert!(!mails.is_empty());
    let mail = &mails[0];
    assert!(mail.contains("To: kari@example.no"), "{mail}");
    // Non-ASCII subjects are encoded (RFC 2047), bodies keep their text.
    assert!(mail.contains("Subject: =?utf-8?"), "{mail}");
    assert!(mail.contains("Du er p"), "{mail}");
}

#[tokio::test]
async fn a_course_confirmation_arrives_with_its_calendar_attachment() {
    let sink = start_sink().await;
    for db in backends().await {
        let store = &db.store;
        let seeds: Vec<_> =
            loft_domain::demo::kongsbergregionen().into_iter().filter(|s| s.number.to_string() == "3336").collect();
        store.seed("Testregionen", &seeds, true, "not-a-real-hash").await.expect("seed");
        let region = store.regions().await.expect("regions")[0].id;
        let (_, session) = crate::courses::course_with_session(store, region, 5).await;
        let reach = loft_domain::policy::Reach { everything: true, ..Default::default() };
        let query = loft_store::people::PeopleQuery { per_page: 50, page: 1, ..Default::default() };
        let people = store.people(&reach, &query).await.expect("people").items;
        let person = people.iter().find(|p| p.person.email.is_some()).expect("someone with e-mail").person.id;
        let compose = |n: &loft_store::courses::Notice| {
            Some(loft_store::courses::Mail {
                to: n.email.clone(),
                subject: format!("Du har plass på «{}»", n.course_title),
                body: "Velkommen.\n".into(),
                attachment: Some(loft_store::outbox::Attachment {
                    file_name: "kurs.ics".into(),
                    content_type: "text/calendar; charset=utf-8; method=PUBLISH".into(),
                    content: "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:loft\r\nEND:VCALENDAR\r\n".into(),
                }),
            })
        };
        let change = loft_store::audit::Change { actor: Some(person), region: None, municipality: None };
        store.enrol(change, session, person, compose).await.expect("enrol");
        let sender = MailSender::new(&config(sink.port)).expect("sender");
        assert_eq!(sender.deliver_due(store).await.expect("pass"), (1, 0));
        db.drop_db().await;
    }
    let mails = delivered(&sink);
    let mail = mails.iter().find(|m| m.contains("kurs.ics")).expect("the confirmation with its attachment");
    assert!(mail.contains("multipart/mixed"), "{mail}");
    assert!(mail.contains("Content-Type: text/calendar"), "{mail}");
    assert!(mail.contains("Content-Disposition: attachment; filename=\"kurs.ics\""), "{mail}");
    assert!(mail.contains("BEGIN:VCALENDAR") || mail.contains("QkVHSU46VkNBTEVOREFS"), "{mail}");
}
