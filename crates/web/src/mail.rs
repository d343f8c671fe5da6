//! Delivers the e-mail outbox through SMTP, with retries and backoff kept in
//! the outbox table (see `loft_store::outbox`).

use lettre::message::Mailbox;
use lettre::transport::smtp::client::{Tls, TlsParameters};
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use loft_store::Store;
use std::time::Duration;

#[derive(Debug, Clone)]
pub struct SmtpConfig {
    pub host: String,
    pub port: u16,
    /// `none` (local relays and tests), `starttls` or `tls`.
    pub tls: String,
    pub username: Option<String>,
    pub password: Option<String>,
    pub from: String,
}

pub struct MailSender {
    transport: AsyncSmtpTransport<Tokio1Executor>,
    from: Mailbox,
}

impl MailSender {
    pub fn new(cfg: &SmtpConfig) -> anyhow::Result<MailSender> {
        let mut builder = AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(&cfg.host).port(cfg.port);
        builder = match cfg.tls.as_str() {
            "none" => builder.tls(Tls::None),
            "starttls" => builder.tls(Tls::Required(TlsParameters::new(cfg.host.clone())?)),
            "tls" => builder.tls(Tls::Wrapper(TlsParameters::new(cfg.host.clone())?)),
            other => anyhow::bail!("unknown smtp tls mode {other:?} (use none, starttls or tls)"),
        };
        if let (Some(u), Some(p)) = (&cfg.username, &cfg.password) {
            builder =
                builder.credentials(lettre::transport::smtp::authentication::Credentials::new(u.clone(), p.clone()));
        }
        Ok(MailSender { transport: builder.timeout(Some(Duration::from_secs(20))).build(), from: cfg.from.parse()? })
    }

    /// Sends what is due once; returns (sent, failed).
    pub async fn deliver_due(&self, store: &Store) -> anyhow::Result<(usize, usize)> {
        let (mut sent, mut failed) = (0, 0);
        for mail in store.due_mail(50).await? {
            let result = async {
                let builder = Message::builder()
                    .from(self.from.clone())
                    .to(mail.to_address.parse()?)
                    .subject(mail.subject.clone());
                let message = if mail.attachments.is_empty() {
                    builder.body(mail.body_text.clone())?
                } else {
                    use lettre::message::{Attachment, MultiPart, SinglePart, header::ContentType};
                    let mut parts = MultiPart::mixed().singlepart(SinglePart::plain(mail.body_text.clone()));
                    for a in &mail.attachments {
                        let kind = ContentType::parse(&a.content_type)?;
                        parts = parts.singlepart(Attachment::new(a.file_name.clone()).body(a.content.clone(), kind));
                    }
                    builder.multipart(parts)?
                };
                self.transport.send(message).await?;
                anyhow::Ok(())
            }
            .await;
            match result {
                Ok(()) => {
                    store.mark_mail_sent(mail.id).await?;
                    sent += 1;
                }
                Err(e) => {
                    tracing::warn!(mail = mail.id, error = %e, "mail delivery failed; will retry");
                    store.mark_mail_failed(mail.id, mail.attempts, &e.to_string()).await?;
                    failed += 1;
                }
            }
        }
        Ok((sent, failed))
    }

    /// Runs until `shutdown` resolves, polling the outbox every few seconds.
    pub async fn run(self, store: Store, mut shutdown: tokio::sync::watch::Receiver<bool>) {
        loop {
            if let Err(e) = self.deliver_due(&store).await {
                tracing::error!(error = %e, "outbox pass failed");
            }
            tokio::select! {
                _ = tokio::time::sleep(Duration::from_secs(5)) => {}
                _ = shutdown.changed() => break,
            }
        }
    }
}
