//! The e-mail outbox. A message is a row before it is a send: features write
//! it in their own transaction, and the sender delivers it later with retries,
//! so a message is never lost to a mail server being down.

use crate::sql::Sql;
use crate::{Result, Store, now};
use sqlx::Row;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutgoingMail {
    pub id: i64,
    pub to_address: String,
    pub subject: String,
    pub body_text: String,
    pub attempts: i64,
    pub attachments: Vec<Attachment>,
}

/// A file sent with an e-mail (text content, e.g. an iCalendar file).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attachment {
    pub file_name: String,
    pub content_type: String,
    pub content: String,
}

/// Give up after this many failed attempts (the message stays, marked failed).
pub const MAX_ATTEMPTS: i64 = 8;

impl Store {
    pub async fn enqueue_mail(&self, to: &str, subject: &str, body: &str) -> Result<i64> {
        let mut tx = self.pool.begin().await?;
        let id = enqueue_in(&mut tx, to, subject, body).await?;
        tx.commit().await?;
        Ok(id)
    }

    /// Messages whose next attempt is due.
    pub async fn due_mail(&self, limit: i64) -> Result<Vec<OutgoingMail>> {
        let rows = sqlx::query(
            "SELECT id, to_address, subject, body_text, attempts FROM outbox
             WHERE sent_at IS NULL AND attempts < $1 AND next_attempt_at <= $2 ORDER BY id LIMIT $3",
        )
        .bind(MAX_ATTEMPTS)
        .bind(now())
        .bind(limit)
        .fetch_all(&self.pool)
        .await?;
        let mut out = Vec::with_capacity(rows.len());
        for r in &rows {
            let id: i64 = r.try_get(0)?;
            let attachments = sqlx::query(
                "SELECT file_name, content_type, content FROM outbox_attachment WHERE outbox_id = $1 ORDER BY id",
            )
            .bind(id)
            .fetch_all(&self.pool)
            .await?
            .iter()
            .map(|a| Ok(Attachment { file_name: a.try_get(0)?, content_type: a.try_get(1)?, content: a.try_get(2)? }))
            .collect::<Result<Vec<_>>>()?;
            out.push(OutgoingMail {
                id,
                to_address: r.try_get(1)?,
                subject: r.try_get(2)?,
                body_text: r.try_get(3)?,
                attempts: r.try_get(4)?,
                attachments,
            });
        }
        Ok(out)
    }

    pub async fn mark_mail_sent(&self, id: i64) -> Result<()> {
        sqlx::query("UPDATE outbox SET sent_at = $1, attempts = attempts + 1, last_error = NULL WHERE id = $2")
            .bind(now())
            .bind(id)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// Records a failed attempt and schedules the next with exponential backoff (1 min, 2, 4, …).
    pub async fn mark_mail_failed(&self, id: i64, attempts_before: i64, error: &str) -> Result<()> {
        let delay = 60i64 << attempts_before.clamp(0, 10);
        sqlx::query("UPDATE outbox SET attempts = attempts + 1, last_error = $1, next_attempt_at = $2 WHERE id = $3")
            .bind(error.chars().take(500).collect::<String>())
            .bind(now() + delay)
            .bind(id)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// Makes a waiting message due at once (an operator's "retry now", and tests).
    pub async fn make_mail_due_now(&self, id: i64) -> Result<()> {
        sqlx::query("UPDATE outbox SET next_attempt_at = $1 WHERE id = $2 AND sent_at IS NULL")
            .bind(now())
            .bind(id)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// (pending, sent, failed) counts, for metrics.
    pub async fn outbox_counts(&self) -> Result<(i64, i64, i64)> {
        let row = sqlx::query(
            "SELECT
               COALESCE(SUM(CASE WHEN sent_at IS NULL AND attempts < $1 THEN 1 ELSE 0 END), 0),
               COALESCE(SUM(CASE WHEN sent_at IS NOT NULL THEN 1 ELSE 0 END), 0),
               COALESCE(SUM(CASE WHEN sent_at IS NULL AND attempts >= $1 THEN 1 ELSE 0 END), 0)
             FROM outbox",
        )
        .bind(MAX_ATTEMPTS)
        .fetch_one(&self.pool)
        .await?;
        Ok((row.try_get(0)?, row.try_get(1)?, row.try_get(2)?))
    }
}

/// Queues a message inside the caller's transaction, so it exists exactly when the change that sends it does.
pub(crate) async fn enqueue_in(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    to: &str,
    subject: &str,
    body: &str,
) -> Result<i64> {
    let t = now();
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO outbox (created_at, to_address, subject, body_text, next_attempt_at) VALUES ($1, $2, $3, $4, $5) RETURNING id",
    )
    .bind(t)
    .bind(to.to_string())
    .bind(subject.to_string())
    .bind(body.to_string())
    .bind(t)
    .fetch_one(&mut **tx)
    .await?;
    Ok(id)
}

/// A message to queue with [`enqueue_all_in`].
pub(crate) struct Queued<'a> {
    pub to: &'a str,
    pub subject: &'a str,
    pub body: &'a str,
    pub attachment: Option<&'a Attachment>,
}

/// Messages per multi-row insert (bodies are a few kilobytes each).
const MAILS_PER_STATEMENT: usize = 1000;

/// Queues many messages with their attachments in the caller's transaction, with multi-row inserts.
pub(crate) async fn enqueue_all_in(tx: &mut sqlx::Transaction<'_, sqlx::Any>, mails: &[Queued<'_>]) -> Result<()> {
    let t = now();
    for chunk in mails.chunks(MAILS_PER_STATEMENT) {
        let mut q = Sql::for_conn(
            tx,
            "INSERT INTO outbox (created_at, to_address, subject, body_text, next_attempt_at) VALUES ",
        );
        for (i, m) in chunk.iter().enumerate() {
            q.push(if i == 0 { "(" } else { ", (" });
            q.push_bind(t).push(", ").push_bind(m.to.to_string()).push(", ").push_bind(m.subject.to_string());
            q.push(", ").push_bind(m.body.to_string()).push(", ").push_bind(t).push(")");
        }
        q.push(" RETURNING id");
        let mut ids: Vec<i64> = q.query_scalar()?.fetch_all(&mut **tx).await?;
        // Both databases insert a VALUES list in order and give each row a larger id than the one before (a
        // sequence on PostgreSQL, the next rowid on SQLite), so the sorted ids pair with the messages in order.
        ids.sort_unstable();
        let attached: Vec<(i64, &Attachment)> =
            ids.iter().zip(chunk).filter_map(|(id, m)| m.attachment.map(|a| (*id, a))).collect();
        if attached.is_empty() {
            continue;
        }
        let mut q =
            Sql::for_conn(tx, "INSERT INTO outbox_attachment (outbox_id, file_name, content_type, content) VALUES ");
        for (i, (id, a)) in attached.iter().enumerate() {
            q.push(if i == 0 { "(" } else { ", (" });
            q.push_bind(*id).push(", ").push_bind(a.file_name.clone()).push(", ").push_bind(a.content_type.clone());
            q.push(", ").push_bind(a.content.clone()).push(")");
        }
        q.query()?.execute(&mut **tx).await?;
    }
    Ok(())
}
