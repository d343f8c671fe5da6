//! Reminders to invitees who have not answered, on the round's schedule (`loft_domain::mapping::reminders`).
//! Each reminder goes once per invitation: its row is inserted with `ON CONFLICT DO NOTHING` in the same
//! transaction as the e-mail is queued, so a restart or a second server finds it sent and queues nothing.

use crate::accounts::{new_token, token_hash};
use crate::mapping::{InvitationMail, Invitee, Round};
use crate::{Result, Store};
use loft_domain::ids::PersonId;
use loft_domain::mapping::reminders::due;
use sqlx::Row;

impl Store {
    /// Queues the reminders due on `today` for every open round: one e-mail per unanswered invitation of someone
    /// who has not left, written by `compose(invitee, round, token)` with a new personal link. Returns how many
    /// were queued.
    pub async fn send_due_reminders(
        &self,
        today: jiff::civil::Date,
        compose: &(dyn Fn(&Invitee, &Round, &str) -> Option<InvitationMail> + Sync),
    ) -> Result<usize> {
        let day = today.to_string();
        let ids: Vec<i64> = sqlx::query_scalar(
            "SELECT id FROM mapping_round WHERE opens_on <= $1 AND closes_on >= $1 AND reminder_days <> '' ORDER BY id",
        )
        .bind(day)
        .fetch_all(&self.pool)
        .await?;
        let mut queued = 0;
        for id in ids {
            let round = self.round(id).await?;
            let due = due(&round.window, &round.reminder_days, today);
            let Some(&latest) = due.first() else { continue };
            queued += self.remind_round(&round, &due, latest, compose).await?;
        }
        Ok(queued)
    }

    async fn remind_round(
        &self,
        round: &Round,
        due: &[u16],
        latest: u16,
        compose: &(dyn Fn(&Invitee, &Round, &str) -> Option<InvitationMail> + Sync),
    ) -> Result<usize> {
        let rows = sqlx::query(
            "SELECT i.id, p.id, p.given_name, p.email, a.locale FROM round_invitation i
             JOIN person p ON p.id = i.person_id LEFT JOIN account a ON a.person_id = p.id
             WHERE i.round_id = $1 AND i.answered = 0 AND p.left_at IS NULL
               AND NOT EXISTS (SELECT 1 FROM round_reminder r WHERE r.invitation_id = i.id AND r.days_before = $2)
             ORDER BY i.id",
        )
        .bind(round.id)
        .bind(i64::from(latest))
        .fetch_all(&self.pool)
        .await?;
        if rows.is_empty() {
            return Ok(0);
        }
        let mut tx = self.pool.begin().await?;
        let mut queued = 0;
        for r in rows {
            let invitation: i64 = r.try_get(0)?;
            let token = new_token();
            // The latest reminder carries the link; earlier ones due at the same time count as sent without one.
            let won = sqlx::query(
                "INSERT INTO round_reminder (invitation_id, days_before, token_hash) VALUES ($1, $2, $3)
                 ON CONFLICT (invitation_id, days_before) DO NOTHING",
            )
            .bind(invitation)
            .bind(i64::from(latest))
            .bind(token_hash(&token))
            .execute(&mut *tx)
            .await?
            .rows_affected();
            for d in due.iter().filter(|&&d| d != latest) {
                sqlx::query(
                    "INSERT INTO round_reminder (invitation_id, days_before) VALUES ($1, $2)
                     ON CONFLICT (invitation_id, days_before) DO NOTHING",
                )
                .bind(invitation)
                .bind(i64::from(*d))
                .execute(&mut *tx)
                .await?;
            }
            if won == 0 {
                continue;
            }
            let invitee = Invitee {
                person_id: PersonId(r.try_get(1)?),
                given_name: r.try_get(2)?,
                email: r.try_get(3)?,
                locale: r.try_get(4)?,
            };
            if let Some(mail) = compose(&invitee, round, &token) {
                crate::outbox::enqueue_in(&mut tx, &mail.to, &mail.subject, &mail.body).await?;
                queued += 1;
            }
        }
        tx.commit().await?;
        Ok(queued)
    }

    /// The invitation a reminder's personal link belongs to (the first link is looked up in the invitation).
    pub(crate) async fn invitation_id_by_reminder_token(&self, token: &str) -> Result<Option<i64>> {
        Ok(sqlx::query_scalar("SELECT invitation_id FROM round_reminder WHERE token_hash = $1")
            .bind(token_hash(token))
            .fetch_optional(&self.pool)
            .await?)
    }
}
