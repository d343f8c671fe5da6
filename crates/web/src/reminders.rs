//! The reminder sender: a background task (started by `loft serve`, like the outbox sender) that queues the
//! reminders due today: mapping rounds' reminders and the reminder before a course session. It also passes on
//! waitlist offers whose answer time has run out, so a seat moves on even when nobody opens the session. What is due and that each goes once is decided in the domain and the store
//! (`Store::send_due_reminders`); this module writes the e-mail in the invitee's language with their link.

use crate::i18n::Tr;
use fluent_templates::fluent_bundle::FluentValue;
use loft_domain::locale::Locale;
use loft_store::Store;
use loft_store::mapping::{InvitationMail, Invitee, Round};

/// The reminder e-mail: in the invitee's account language (else bokmål), with their personal link.
pub fn compose(public_url: &str, invitee: &Invitee, round: &Round, token: &str) -> Option<InvitationMail> {
    let to = invitee.email.clone()?;
    let locale = invitee.locale.as_deref().and_then(Locale::parse).unwrap_or_default();
    let tr = Tr::new(locale);
    let args = [
        ("name", FluentValue::from(invitee.given_name.clone())),
        ("round", FluentValue::from(round.name.clone())),
        ("closes", FluentValue::from(tr.date(round.window.closes))),
        ("link", FluentValue::from(format!("{public_url}/answer/{token}"))),
    ];
    Some(InvitationMail {
        to,
        subject: tr.t1("mail-reminder-subject", "round", &round.name),
        body: tr.t_args("mail-reminder-body", &args),
    })
}

/// Queues the reminders due on `today` (Norwegian date); returns how many.
pub async fn send_due(store: &Store, public_url: &str, today: jiff::civil::Date) -> loft_store::Result<usize> {
    let write = |invitee: &Invitee, round: &Round, token: &str| compose(public_url, invitee, round, token);
    store.send_due_reminders(today, &write).await
}

/// Queues the course reminders due at `now` (unix seconds), `days_before` days ahead of each session; returns
/// how many. The e-mail is the course module's, with the calendar entry.
pub async fn send_course_due(store: &Store, public_url: &str, now: i64, days_before: i64) -> loft_store::Result<usize> {
    let notify = crate::routes::courses_enrol::mailer(public_url);
    store.queue_course_reminders(now, days_before, &notify).await
}

/// Lapses the waitlist offers past their deadline at `now` (unix seconds) and offers the seats to the next
/// waiting; returns how many lapsed. Those concerned get the course module's e-mails.
pub async fn pass_on_lapsed_offers(store: &Store, public_url: &str, now: i64) -> loft_store::Result<usize> {
    let notify = crate::routes::courses_enrol::mailer(public_url);
    store.pass_on_lapsed_offers(now, &notify).await
}

/// Checks for due reminders (mapping rounds and courses), lapsed offers and closed mapping rounds to release now
/// and then every `every` until `shutdown` changes.
pub async fn run(
    store: Store,
    public_url: String,
    course_reminder_days: i64,
    every: std::time::Duration,
    mut shutdown: tokio::sync::watch::Receiver<bool>,
) {
    loop {
        match send_due(&store, &public_url, crate::routes::mapping::today()).await {
            Ok(0) => {}
            Ok(n) => tracing::info!(queued = n, "mapping reminders queued"),
            Err(e) => tracing::warn!(error = %e, "mapping reminders failed"),
        }
        let now = jiff::Timestamp::now().as_second();
        match send_course_due(&store, &public_url, now, course_reminder_days).await {
            Ok(0) => {}
            Ok(n) => tracing::info!(queued = n, "course reminders queued"),
            Err(e) => tracing::warn!(error = %e, "course reminders failed"),
        }
        match pass_on_lapsed_offers(&store, &public_url, now).await {
            Ok(0) => {}
            Ok(n) => tracing::info!(lapsed = n, "lapsed course offers passed on"),
            Err(e) => tracing::warn!(error = %e, "passing on lapsed course offers failed"),
        }
        // Closed rounds' parked anonymous answers are moved without waiting for a first reader of the report.
        match store.release_closed_rounds().await {
            Ok(0) => {}
            Ok(n) => tracing::info!(rounds = n, "closed mapping rounds released"),
            Err(e) => tracing::warn!(error = %e, "releasing closed mapping rounds failed"),
        }
        tokio::select! {
            _ = tokio::time::sleep(every) => {}
            _ = shutdown.changed() => break,
        }
    }
}
