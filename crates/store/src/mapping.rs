//! Mapping rounds: questions, invitations with personal links, saved drafts, all-or-nothing submissions, and
//! the tallies reports are built from. Anonymous rounds keep no person and no time with a response, and their
//! answers wait apart until the round's release (`mapping_release`); confidential ones keep both, for the
//! respondent's own profile.

use crate::accounts::{new_token, token_hash};
use crate::audit::{Change, record};
use crate::competence::level_from;
use crate::sql::{Sql, Val, insert_batch};
use crate::{CURRENT_EMPLOYMENT, Result, Store, StoreError, now, today, today_date};
use loft_domain::DomainError;
use loft_domain::disclosure::MinGroupSize;
use loft_domain::ids::{MunicipalityId, PersonId, RegionId, UnitId};
use loft_domain::mapping::report::{Node, NodeKey, Tally};
use loft_domain::mapping::{Answer, Audience, PrivacyMode, Question, RoundWindow};
use loft_domain::person::RoleGroup;
use sqlx::Row;
use std::collections::{BTreeMap, HashMap};

/// What a coordinator fills in to create a round.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewRound {
    pub region: RegionId,
    pub name: String,
    pub privacy: PrivacyMode,
    pub window: RoundWindow,
    pub questions: Vec<Question>,
    pub audience: Audience,
    pub reminder_days: Vec<u16>,
    pub copied_from: Option<i64>,
    /// Knowledge checks asked beside the self-assessment (ids in the question bank).
    pub checks: Vec<i64>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Round {
    pub id: i64,
    pub region: RegionId,
    pub name: String,
    pub privacy: PrivacyMode,
    pub window: RoundWindow,
    pub questions: Vec<Question>,
    pub audience: Audience,
    pub reminder_days: Vec<u16>,
    pub copied_from: Option<i64>,
    /// Knowledge checks asked beside the self-assessment (ids in the question bank).
    pub checks: Vec<i64>,
}

/// One person's invitation to a round, with the group attributes their answers will carry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Invitation {
    pub id: i64,
    pub round_id: i64,
    pub person_id: PersonId,
    pub municipality: MunicipalityId,
    pub unit: Option<UnitId>,
    pub role_group: RoleGroup,
    pub answered: bool,
}

/// Someone to invite, as the caller needs them to write the e-mail.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Invitee {
    pub person_id: PersonId,
    pub given_name: String,
    pub email: Option<String>,
    pub locale: Option<String>,
}

/// The e-mail with a personal link, written by the caller (who knows the language and the site's address).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InvitationMail {
    pub to: String,
    pub subject: String,
    pub body: String,
}

/// Invited and answered per municipality and unit (not yet checked by the anonymity rule).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResponseCount {
    pub municipality: MunicipalityId,
    pub unit: Option<UnitId>,
    pub role_group: RoleGroup,
    pub invited: u64,
    pub answered: u64,
}

const MIN_GROUP_SIZE_KEY: &str = "min_group_size";

/// The role group a person answers as: the first of theirs the audience asks for, in this order.
const ANSWERS_AS: [RoleGroup; 6] = [
    RoleGroup::Radmann,
    RoleGroup::Leder,
    RoleGroup::Folkevalgt,
    RoleGroup::Tillitsvalgt,
    RoleGroup::Innkjoper,
    RoleGroup::Ansatt,
];

impl Store {
    pub async fn create_round(&self, change: Change, new: &NewRound) -> Result<i64> {
        let name = new.name.trim();
        if name.is_empty() || name.chars().count() > 200 {
            return Err(DomainError::invalid("name", "required").into());
        }
        if new.questions.is_empty() {
            return Err(DomainError::invalid("questions", "round-without-questions").into());
        }
        for q in &new.questions {
            let f = self.framework(q.framework_id).await?.framework;
            if f.competence(&q.competence).is_none() {
                return Err(DomainError::invalid("questions", "unknown-competence").into());
            }
        }
        self.check_round_checks(&new.questions, &new.checks).await?;
        self.check_audience(new.region, &new.audience).await?;
        let audience = serde_json::to_string(&new.audience).unwrap_or_default();
        let reminders = new.reminder_days.iter().map(u16::to_string).collect::<Vec<_>>().join(",");
        let mut tx = self.pool.begin().await?;
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO mapping_round (region_id, name, privacy, opens_on, closes_on, audience_json, reminder_days, copied_from, created_by, created_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id",
        )
        .bind(new.region.0)
        .bind(name.to_string())
        .bind(new.privacy.code())
        .bind(new.window.opens.to_string())
        .bind(new.window.closes.to_string())
        .bind(audience)
        .bind(reminders)
        .bind(new.copied_from)
        .bind(change.actor.map(|p| p.0))
        .bind(now())
        .fetch_one(&mut *tx)
        .await?;
        let rows = new
            .questions
            .iter()
            .enumerate()
            .map(|(i, q)| {
                vec![
                    Val::Int(Some(id)),
                    Val::Int(Some(i as i64)),
                    Val::Int(Some(q.framework_id)),
                    Val::Text(Some(q.competence.clone())),
                ]
            })
            .collect();
        insert_batch(&mut tx, "round_question", &["round_id", "position", "framework_id", "competence"], rows).await?;
        let checks = new.checks.iter().map(|c| vec![Val::Int(Some(id)), Val::Int(Some(*c))]).collect();
        insert_batch(&mut tx, "round_check", &["round_id", "check_id"], checks).await?;
        let after = serde_json::json!({
            "name": name, "privacy": new.privacy.code(), "questions": new.questions.len(), "checks": new.checks.len()
        });
        record(
            &mut tx,
            Change { region: Some(new.region), ..change },
            "round.create",
            "mapping_round",
            id,
            None::<&()>,
            Some(&after),
        )
        .await?;
        tx.commit().await?;
        Ok(id)
    }

    /// A new round asking what `from` asked, of the same audience, in the same mode.
    pub async fn copy_round(&self, change: Change, from: i64, name: &str, window: RoundWindow) -> Result<i64> {
        let old = self.round(from).await?;
        let new = NewRound { name: name.to_string(), window, copied_from: Some(from), ..NewRound::from(old) };
        self.create_round(change, &new).await
    }

    pub async fn round(&self, id: i64) -> Result<Round> {
        let row = sqlx::query(
            "SELECT id, region_id, name, privacy, opens_on, closes_on, audience_json, reminder_days, copied_from
             FROM mapping_round WHERE id = $1",
        )
        .bind(id)
        .fetch_optional(&self.pool)
        .await?
        .ok_or(DomainError::NotFound)?;
        let questions =
            sqlx::query("SELECT framework_id, competence FROM round_question WHERE round_id = $1 ORDER BY position")
                .bind(id)
                .fetch_all(&self.pool)
                .await?
                .iter()
                .map(|r| Ok(Question { framework_id: r.try_get(0)?, competence: r.try_get(1)? }))
                .collect::<Result<Vec<_>>>()?;
        let checks = sqlx::query_scalar("SELECT check_id FROM round_check WHERE round_id = $1 ORDER BY check_id")
            .bind(id)
            .fetch_all(&self.pool)
            .await?;
        round_from(&row, questions, checks)
    }

    /// The rounds of a region, newest first.
    pub async fn rounds(&self, region: RegionId) -> Result<Vec<Round>> {
        let ids: Vec<i64> =
            sqlx::query_scalar("SELECT id FROM mapping_round WHERE region_id = $1 ORDER BY opens_on DESC, id DESC")
                .bind(region.0)
                .fetch_all(&self.pool)
                .await?;
        let mut out = Vec::with_capacity(ids.len());
        for id in ids {
            out.push(self.round(id).await?);
        }
        Ok(out)
    }

    /// Invites everyone in the audience who is not invited yet and has not left: one invitation each with a
    /// personal link, and the e-mail `compose(invitee, token)` writes, in the same transaction. Returns how many
    /// were invited.
    pub async fn invite(
        &self,
        change: Change,
        round_id: i64,
        compose: &(dyn Fn(&Invitee, &str) -> Option<InvitationMail> + Sync),
    ) -> Result<usize> {
        let round = self.round(round_id).await?;
        if round.window.phase(today_date()) == loft_domain::mapping::RoundPhase::Closed {
            return Err(DomainError::Conflict { field: "round", code: "round-closed" }.into());
        }
        let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT p.id, p.given_name, p.email, p.municipality_id, m.region_id,
                    (SELECT e.unit_id FROM employment e WHERE e.person_id = p.id AND {CURRENT_EMPLOYMENT}$1) ORDER BY e.id DESC LIMIT 1),
                    (SELECT u.path FROM employment e JOIN unit u ON u.id = e.unit_id WHERE e.person_id = p.id AND {CURRENT_EMPLOYMENT}$1) ORDER BY e.id DESC LIMIT 1),
                    a.locale
             FROM person p JOIN municipality m ON m.id = p.municipality_id
             LEFT JOIN account a ON a.person_id = p.id
             WHERE m.region_id = $2 AND p.left_at IS NULL
               AND NOT EXISTS (SELECT 1 FROM round_invitation i WHERE i.round_id = $3 AND i.person_id = p.id)
             ORDER BY p.id"
        )))
        .bind(today())
        .bind(round.region.0)
        .bind(round_id)
        .fetch_all(&self.pool)
        .await?;
        let groups = self.role_groups_in_region(round.region).await?;
        let unit_paths = self.unit_ids_by_path(&round.audience.units).await?;
        let mut tx = self.pool.begin().await?;
        let mut invited = 0;
        let invited_at = now();
        let (mut invitations, mut mails) = (Vec::new(), Vec::new());
        for r in rows {
            let person = PersonId(r.try_get(0)?);
            let municipality: i64 = r.try_get(3)?;
            let unit: Option<i64> = r.try_get(5)?;
            let path: Option<String> = r.try_get(6)?;
            let a = &round.audience;
            if !a.municipalities.is_empty() && !a.municipalities.contains(&municipality) {
                continue;
            }
            if !unit_paths.is_empty()
                && !path.as_deref().is_some_and(|p| unit_paths.iter().any(|u| p.starts_with(u.as_str())))
            {
                continue;
            }
            let mine = groups.get(&person).cloned().unwrap_or_else(|| vec![RoleGroup::Ansatt]);
            let Some(role_group) = ANSWERS_AS
                .into_iter()
                .find(|g| mine.contains(g) && (a.role_groups.is_empty() || a.role_groups.contains(g)))
            else {
                continue;
            };
            let token = new_token();
            invitations.push(vec![
                Val::Int(Some(round_id)),
                Val::Int(Some(person.0)),
                Val::Text(Some(token_hash(&token))),
                Val::Int(Some(municipality)),
                Val::Int(unit),
                Val::Text(Some(role_group.code().to_string())),
                Val::Int(Some(invited_at)),
            ]);
            let invitee =
                Invitee { person_id: person, given_name: r.try_get(1)?, email: r.try_get(2)?, locale: r.try_get(7)? };
            if let Some(mail) = compose(&invitee, &token) {
                mails.push(vec![
                    Val::Int(Some(invited_at)),
                    Val::Text(Some(mail.to)),
                    Val::Text(Some(mail.subject)),
                    Val::Text(Some(mail.body)),
                    Val::Int(Some(invited_at)),
                ]);
            }
            invited += 1;
        }
        // In batches: a national round is 557,205 invitations (and as many e-mails), one statement each took minutes.
        insert_batch(
            &mut tx,
            "round_invitation",
            &["round_id", "person_id", "token_hash", "municipality_id", "unit_id", "role_group", "invited_at"],
            invitations,
        )
        .await?;
        insert_batch(
            &mut tx,
            "outbox",
            &["created_at", "to_address", "subject", "body_text", "next_attempt_at"],
            mails,
        )
        .await?;
        let after = serde_json::json!({ "invited": invited });
        record(
            &mut tx,
            Change { region: Some(round.region), ..change },
            "round.invite",
            "mapping_round",
            round_id,
            None::<&()>,
            Some(&after),
        )
        .await?;
        tx.commit().await?;
        Ok(invited)
    }

    pub async fn invitation_by_token(&self, token: &str) -> Result<Invitation> {
        let row = sqlx::query(sqlx::AssertSqlSafe(format!("{INVITATION_COLUMNS} WHERE token_hash = $1")))
            .bind(token_hash(token))
            .fetch_optional(&self.pool)
            .await?;
        if let Some(row) = row {
            return invitation_from(&row);
        }
        // A reminder's link: the same invitation under a newer token.
        let id = self.invitation_id_by_reminder_token(token).await?.ok_or(DomainError::NotFound)?;
        let row = sqlx::query(sqlx::AssertSqlSafe(format!("{INVITATION_COLUMNS} WHERE id = $1")))
            .bind(id)
            .fetch_one(&self.pool)
            .await?;
        invitation_from(&row)
    }

    pub async fn invitation_for(&self, round_id: i64, person: PersonId) -> Result<Invitation> {
        let row =
            sqlx::query(sqlx::AssertSqlSafe(format!("{INVITATION_COLUMNS} WHERE round_id = $1 AND person_id = $2")))
                .bind(round_id)
                .bind(person.0)
                .fetch_optional(&self.pool)
                .await?;
        invitation_from(row.as_ref().ok_or(DomainError::NotFound)?)
    }

    /// The rounds a person is invited to, with whether they have answered.
    pub async fn invitations_of(&self, person: PersonId) -> Result<Vec<(Round, Invitation)>> {
        let ids: Vec<i64> =
            sqlx::query_scalar("SELECT round_id FROM round_invitation WHERE person_id = $1 ORDER BY round_id DESC")
                .bind(person.0)
                .fetch_all(&self.pool)
                .await?;
        let mut out = Vec::new();
        for id in ids {
            out.push((self.round(id).await?, self.invitation_for(id, person).await?));
        }
        Ok(out)
    }

    /// Saves unsubmitted answers (replacing the earlier draft), so a respondent can come back later.
    pub async fn save_draft(
        &self,
        invitation: &Invitation,
        answers: &BTreeMap<Question, Answer>,
        checks: &BTreeMap<i64, u8>,
    ) -> Result<()> {
        if invitation.answered {
            return Err(DomainError::Conflict { field: "round", code: "already-submitted" }.into());
        }
        let mut tx = self.pool.begin().await?;
        sqlx::query("DELETE FROM round_draft WHERE invitation_id = $1").bind(invitation.id).execute(&mut *tx).await?;
        let rows = answers
            .iter()
            .map(|(q, a)| {
                vec![
                    Val::Int(Some(invitation.id)),
                    Val::Int(Some(q.framework_id)),
                    Val::Text(Some(q.competence.clone())),
                    Val::Text(Some(a.form_value())),
                ]
            })
            .collect();
        insert_batch(&mut tx, "round_draft", &["invitation_id", "framework_id", "competence", "answer"], rows).await?;
        crate::mapping_checks::save_check_draft(&mut tx, invitation.id, checks).await?;
        tx.commit().await?;
        Ok(())
    }

    /// The saved draft, as form values.
    pub async fn draft(&self, invitation: &Invitation) -> Result<BTreeMap<Question, String>> {
        let rows = sqlx::query("SELECT framework_id, competence, answer FROM round_draft WHERE invitation_id = $1")
            .bind(invitation.id)
            .fetch_all(&self.pool)
            .await?;
        rows.iter()
            .map(|r| Ok((Question { framework_id: r.try_get(0)?, competence: r.try_get(1)? }, r.try_get(2)?)))
            .collect()
    }

    /// Submits a complete questionnaire, all or nothing. Refused when the round is not open, when this
    /// invitation has answered already (a double submit stores one response), and when the person has left.
    pub async fn submit_answers(&self, invitation: &Invitation, answers: &BTreeMap<Question, Answer>) -> Result<()> {
        self.submit_with_checks(invitation, answers, &BTreeMap::new()).await
    }

    /// [`Store::submit_answers`] with the answers to the round's knowledge checks (check id → choice), which give
    /// the tested levels stored beside the self-assessed ones, in the same transaction.
    pub async fn submit_with_checks(
        &self,
        invitation: &Invitation,
        answers: &BTreeMap<Question, Answer>,
        choices: &BTreeMap<i64, u8>,
    ) -> Result<()> {
        let round = self.round(invitation.round_id).await?;
        self.submit_answers_to(&round, invitation, answers, choices).await
    }

    /// [`Store::submit_with_checks`] for a caller that has just read the invitation's round (the answer page
    /// does), so that a submit reads it once.
    pub async fn submit_answers_to(
        &self,
        round: &Round,
        invitation: &Invitation,
        answers: &BTreeMap<Question, Answer>,
        choices: &BTreeMap<i64, u8>,
    ) -> Result<()> {
        if round.id != invitation.round_id {
            return Err(DomainError::NotFound.into());
        }
        round.window.check_open(today_date())?;
        if round.questions.iter().any(|q| !answers.contains_key(q))
            || answers.keys().any(|q| !round.questions.contains(q))
        {
            return Err(DomainError::invalid("answers", "answers-incomplete").into());
        }
        let tested = self.tested_for(round, answers, choices).await?;
        let _writing = self.sqlite_writer().await;
        let mut tx = self.pool.begin().await?;
        // The guard against a double submit: only one transaction can flip the flag. It is the transaction's
        // first statement on purpose: on SQLite a transaction that reads first and writes later cannot wait for
        // the write lock (another writer committed since its read fails it at once with SQLITE_BUSY), while one
        // that writes first waits for the lock (busy_timeout). Returning an error below rolls the flip back.
        let flipped = sqlx::query("UPDATE round_invitation SET answered = 1 WHERE id = $1 AND answered = 0")
            .bind(invitation.id)
            .execute(&mut *tx)
            .await?
            .rows_affected();
        if flipped == 0 {
            return Err(DomainError::Conflict { field: "round", code: "already-submitted" }.into());
        }
        let left: Option<i64> = sqlx::query_scalar("SELECT left_at FROM person WHERE id = $1")
            .bind(invitation.person_id.0)
            .fetch_one(&mut *tx)
            .await?;
        if left.is_some() {
            return Err(DomainError::Conflict { field: "round", code: "respondent-left" }.into());
        }
        for drafts in ["round_draft", "round_check_draft"] {
            sqlx::query(sqlx::AssertSqlSafe(format!("DELETE FROM {drafts} WHERE invitation_id = $1")))
                .bind(invitation.id)
                .execute(&mut *tx)
                .await?;
        }
        let content = ResponseContent {
            answers: answers
                .iter()
                .map(|(q, a)| (q.framework_id, q.competence.clone(), a.level().map_or(0, i64::from)))
                .collect(),
            // Choices count only in rounds that ask checks.
            choices: if round.checks.is_empty() { vec![] } else { choices.iter().map(|(id, c)| (*id, *c)).collect() },
            tested: tested.iter().map(|(q, l)| (q.framework_id, q.competence.clone(), i64::from(*l))).collect(),
        };
        if round.privacy == PrivacyMode::Anonymous {
            // Parked until the release, which moves them apart from this transaction (mapping_release).
            crate::mapping_release::park(&mut tx, round.id, invitation, &content).await?;
        } else {
            let response = StoredResponse {
                municipality: invitation.municipality.0,
                unit: invitation.unit.map(|u| u.0),
                role_group: invitation.role_group.code().to_string(),
                person: Some((invitation.person_id.0, today())),
                content,
            };
            store_responses(&mut tx, round.id, vec![response]).await?;
        }
        crate::mapping_release::refuse_if_released(&mut tx, round.id).await?;
        tx.commit().await?;
        Ok(())
    }

    /// A person's own answers in a confidential round (anonymous rounds keep nothing that could find them).
    pub async fn own_answers(&self, round_id: i64, person: PersonId) -> Result<Option<BTreeMap<Question, Answer>>> {
        let rows = sqlx::query(
            "SELECT a.framework_id, a.competence, a.level FROM mapping_response r JOIN mapping_answer a ON a.response_id = r.id
             WHERE r.round_id = $1 AND r.person_id = $2",
        )
        .bind(round_id)
        .bind(person.0)
        .fetch_all(&self.pool)
        .await?;
        if rows.is_empty() {
            return Ok(None);
        }
        let answers = rows
            .iter()
            .map(|r| {
                let level: Option<i64> = r.try_get(2)?;
                let answer = level.map_or(Answer::NotRelevant, |l| Answer::Level(level_from(l)));
                Ok((Question { framework_id: r.try_get(0)?, competence: r.try_get(1)? }, answer))
            })
            .collect::<Result<_>>()?;
        Ok(Some(answers))
    }

    /// Invited and answered per municipality, unit and role group.
    pub async fn response_counts(&self, round_id: i64) -> Result<Vec<ResponseCount>> {
        let rows = sqlx::query(
            "SELECT municipality_id, unit_id, role_group, COUNT(*), COUNT(CASE WHEN answered = 1 THEN 1 END) FROM round_invitation WHERE round_id = $1
             GROUP BY municipality_id, unit_id, role_group",
        )
        .bind(round_id)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                Ok(ResponseCount {
                    municipality: MunicipalityId(r.try_get(0)?),
                    unit: r.try_get::<Option<i64>, _>(1)?.map(UnitId),
                    role_group: RoleGroup::parse(&r.try_get::<String, _>(2)?)?,
                    invited: r.try_get::<i64, _>(3)? as u64,
                    answered: r.try_get::<i64, _>(4)? as u64,
                })
            })
            .collect()
    }

    /// The round's answers counted per node of the given report tree (a released round's, fixed at its release),
    /// role group, question and answer: the running tallies that every submit or release adds to.
    pub async fn tallies_over(&self, round_id: i64, nodes: &[Node]) -> Result<Vec<Tally>> {
        let index: HashMap<NodeKey, usize> = nodes.iter().enumerate().map(|(i, n)| (n.key, i)).collect();
        // One row per place and role group, its tallies packed as "framework level count competence" items
        // separated by U+001F: a national round has 1.9 million tallies, and handing each over as a row of its own
        // costs far more than the query (on SQLite each row crosses a channel from sqlx's worker thread).
        let agg = match self.backend() {
            crate::Backend::Sqlite => {
                "group_concat(framework_id || ' ' || level || ' ' || count || ' ' || competence, char(31))"
            }
            crate::Backend::Postgres => {
                "string_agg(framework_id || ' ' || level || ' ' || count || ' ' || competence, chr(31))"
            }
        };
        let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT municipality_id, unit_id, role_group, {agg} FROM mapping_tally WHERE round_id = $1 AND count > 0
             GROUP BY municipality_id, unit_id, role_group"
        )))
        .bind(round_id)
        .fetch_all(&self.pool)
        .await?;
        let bad = || StoreError::Database(sqlx::Error::Decode("mapping_tally: an unreadable packed tally".into()));
        let mut tallies = Vec::new();
        for r in rows {
            let unit: i64 = r.try_get(1)?;
            let key = if unit == 0 { NodeKey::Municipality(r.try_get(0)?) } else { NodeKey::Unit(unit) };
            let Some(&node) = index.get(&key) else { continue };
            let role_group = RoleGroup::parse(&r.try_get::<String, _>(2)?)?;
            let packed: String = r.try_get(3)?;
            for item in packed.split('\u{1f}') {
                let mut parts = item.splitn(4, ' ');
                let mut number = || parts.next().and_then(|p| p.parse::<i64>().ok()).ok_or_else(bad);
                let (framework_id, level, count) = (number()?, number()?, number()?);
                let competence = parts.next().ok_or_else(bad)?.to_string();
                tallies.push(Tally {
                    node,
                    role_group,
                    question: Question { framework_id, competence },
                    answer: if level == 0 { Answer::NotRelevant } else { Answer::Level(level_from(level)) },
                    count: u64::try_from(count).map_err(|_| bad())?,
                });
            }
        }
        Ok(tallies)
    }

    /// Region, then its municipalities, then their units: every parent before its children.
    pub async fn report_nodes(&self, region: RegionId) -> Result<Vec<Node>> {
        let region_name: String = sqlx::query_scalar("SELECT name FROM region WHERE id = $1")
            .bind(region.0)
            .fetch_optional(&self.pool)
            .await?
            .ok_or(DomainError::NotFound)?;
        let mut nodes = vec![Node { key: NodeKey::Region(region.0), parent: None, name: region_name }];
        let mut index: HashMap<NodeKey, usize> = HashMap::new();
        for m in self.municipalities().await?.into_iter().filter(|m| m.region_id == region) {
            index.insert(NodeKey::Municipality(m.id.0), nodes.len());
            nodes.push(Node { key: NodeKey::Municipality(m.id.0), parent: Some(0), name: m.name });
        }
        // Parents have shorter paths than their children, so ordering by depth puts parents first.
        let rows = sqlx::query(
            "SELECT u.id, u.municipality_id, u.parent_id, u.name, u.path FROM unit u JOIN municipality m ON m.id = u.municipality_id
             WHERE m.region_id = $1",
        )
        .bind(region.0)
        .fetch_all(&self.pool)
        .await?;
        let mut units = rows
            .iter()
            .map(|r| {
                let path: String = r.try_get(4)?;
                Ok((
                    path.matches('/').count(),
                    r.try_get::<i64, _>(0)?,
                    r.try_get::<i64, _>(1)?,
                    r.try_get::<Option<i64>, _>(2)?,
                    r.try_get::<String, _>(3)?,
                ))
            })
            .collect::<Result<Vec<_>>>()?;
        units.sort();
        for (_, id, municipality, parent, name) in units {
            let parent_key = parent.map_or(NodeKey::Municipality(municipality), NodeKey::Unit);
            let Some(&p) = index.get(&parent_key) else { continue };
            index.insert(NodeKey::Unit(id), nodes.len());
            nodes.push(Node { key: NodeKey::Unit(id), parent: Some(p), name });
        }
        Ok(nodes)
    }

    /// *k*: the smallest group any figure may come from.
    pub async fn min_group_size(&self) -> Result<MinGroupSize> {
        let value: Option<String> = sqlx::query_scalar("SELECT value FROM setting WHERE key = $1")
            .bind(MIN_GROUP_SIZE_KEY)
            .fetch_optional(&self.pool)
            .await?;
        Ok(value.and_then(|v| v.parse().ok()).and_then(|k| MinGroupSize::new(k).ok()).unwrap_or_default())
    }

    pub async fn set_min_group_size(&self, change: Change, k: MinGroupSize) -> Result<()> {
        let before = self.min_group_size().await?.get();
        let mut tx = self.pool.begin().await?;
        sqlx::query("DELETE FROM setting WHERE key = $1").bind(MIN_GROUP_SIZE_KEY).execute(&mut *tx).await?;
        sqlx::query("INSERT INTO setting (key, value) VALUES ($1, $2)")
            .bind(MIN_GROUP_SIZE_KEY)
            .bind(k.get().to_string())
            .execute(&mut *tx)
            .await?;
        record(&mut tx, change, "setting.min_group_size", "setting", 0, Some(&before), Some(&k.get())).await?;
        tx.commit().await?;
        Ok(())
    }

    async fn role_groups_in_region(&self, region: RegionId) -> Result<HashMap<PersonId, Vec<RoleGroup>>> {
        let rows = sqlx::query(
            "SELECT g.person_id, g.role_group FROM person_role_group g JOIN person p ON p.id = g.person_id
             JOIN municipality m ON m.id = p.municipality_id WHERE m.region_id = $1",
        )
        .bind(region.0)
        .fetch_all(&self.pool)
        .await?;
        let mut out: HashMap<PersonId, Vec<RoleGroup>> = HashMap::new();
        for r in rows {
            if let Ok(g) = RoleGroup::parse(&r.try_get::<String, _>(1)?) {
                out.entry(PersonId(r.try_get(0)?)).or_default().push(g);
            }
        }
        Ok(out)
    }

    /// Refuses an audience naming a municipality or unit outside the round's region.
    async fn check_audience(&self, region: RegionId, audience: &Audience) -> Result<()> {
        for m in &audience.municipalities {
            let found = self.municipality(MunicipalityId(*m)).await;
            if !found.is_ok_and(|m| m.region_id == region) {
                return Err(DomainError::invalid("municipality", "invalid-id").into());
            }
        }
        for u in &audience.units {
            let Ok(unit) = self.unit(UnitId(*u)).await else {
                return Err(DomainError::invalid("units", "invalid-id").into());
            };
            if self.municipality(unit.municipality_id).await?.region_id != region {
                return Err(DomainError::invalid("units", "invalid-id").into());
            }
        }
        Ok(())
    }

    async fn unit_ids_by_path(&self, units: &[i64]) -> Result<Vec<String>> {
        let mut out = Vec::new();
        for id in units {
            out.push(self.unit(UnitId(*id)).await?.path.as_str().to_string());
        }
        Ok(out)
    }
}

impl From<Round> for NewRound {
    fn from(r: Round) -> NewRound {
        NewRound {
            region: r.region,
            name: r.name,
            privacy: r.privacy,
            window: r.window,
            questions: r.questions,
            audience: r.audience,
            reminder_days: r.reminder_days,
            copied_from: r.copied_from,
            checks: r.checks,
        }
    }
}

const INVITATION_COLUMNS: &str =
    "SELECT id, round_id, person_id, municipality_id, unit_id, role_group, answered FROM round_invitation";

fn invitation_from(r: &sqlx::any::AnyRow) -> Result<Invitation> {
    Ok(Invitation {
        id: r.try_get(0)?,
        round_id: r.try_get(1)?,
        person_id: PersonId(r.try_get(2)?),
        municipality: MunicipalityId(r.try_get(3)?),
        unit: r.try_get::<Option<i64>, _>(4)?.map(UnitId),
        role_group: RoleGroup::parse(&r.try_get::<String, _>(5)?)?,
        answered: r.try_get::<i64, _>(6)? != 0,
    })
}

fn round_from(row: &sqlx::any::AnyRow, questions: Vec<Question>, checks: Vec<i64>) -> Result<Round> {
    let date = |s: String| {
        s.parse::<jiff::civil::Date>().map_err(|_| StoreError::from(DomainError::invalid("date", "invalid-date")))
    };
    let reminders: String = row.try_get(7)?;
    Ok(Round {
        id: row.try_get(0)?,
        region: RegionId(row.try_get(1)?),
        name: row.try_get(2)?,
        privacy: PrivacyMode::parse(&row.try_get::<String, _>(3)?)?,
        window: RoundWindow::new(date(row.try_get(4)?)?, date(row.try_get(5)?)?)?,
        questions,
        audience: serde_json::from_str(&row.try_get::<String, _>(6)?).unwrap_or_default(),
        reminder_days: reminders.split(',').filter_map(|d| d.trim().parse().ok()).collect(),
        copied_from: row.try_get(8)?,
        checks,
    })
}

/// What one response says: per question (framework, competence) the level, 0 for "not relevant"; the
/// knowledge-check choices (check id, choice); and the tested levels worked out from them. Parked anonymous
/// answers keep exactly this, as JSON.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub(crate) struct ResponseContent {
    pub answers: Vec<(i64, String, i64)>,
    pub choices: Vec<(i64, u8)>,
    pub tested: Vec<(i64, String, i64)>,
}

/// A response as the report tables keep it: where it counts, whose it is and on which day (confidential rounds
/// only), and what it says.
pub(crate) struct StoredResponse {
    pub municipality: i64,
    pub unit: Option<i64>,
    pub role_group: String,
    pub person: Option<(i64, String)>,
    pub content: ResponseContent,
}

/// Where a tally counts: municipality, unit (0: none), role group, framework, competence and level (0: not
/// relevant).
type TallyKey = (i64, i64, String, i64, String, i64);

/// Writes responses, each under a new random id (the response, its answers, check choices and tested levels),
/// and adds them to the round's running tallies: for a confidential submit, and for a release moving parked
/// answers. The tallies go last: on PostgreSQL their rows stay locked until the commit, and respondents of the
/// same unit and role group share them.
pub(crate) async fn store_responses(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    round_id: i64,
    responses: Vec<StoredResponse>,
) -> Result<()> {
    let (mut rows, mut answers, mut choices, mut tested) = (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    let mut tallies: BTreeMap<TallyKey, i64> = BTreeMap::new();
    let text = |s: &str| Val::Text(Some(s.to_string()));
    for r in responses {
        let id = new_token();
        rows.push(vec![
            text(&id),
            Val::Int(Some(round_id)),
            Val::Int(Some(r.municipality)),
            Val::Int(r.unit),
            text(&r.role_group),
            Val::Int(r.person.as_ref().map(|(p, _)| *p)),
            Val::Text(r.person.map(|(_, day)| day)),
        ]);
        for (framework, competence, level) in r.content.answers {
            let key = (r.municipality, r.unit.unwrap_or(0), r.role_group.clone(), framework, competence.clone(), level);
            *tallies.entry(key).or_default() += 1;
            answers.push(vec![
                text(&id),
                Val::Int(Some(framework)),
                text(&competence),
                Val::Int((level > 0).then_some(level)),
            ]);
        }
        for (check, choice) in r.content.choices {
            choices.push(vec![text(&id), Val::Int(Some(check)), Val::Int(Some(i64::from(choice)))]);
        }
        for (framework, competence, level) in r.content.tested {
            tested.push(vec![text(&id), Val::Int(Some(framework)), text(&competence), Val::Int(Some(level))]);
        }
    }
    let columns = ["id", "round_id", "municipality_id", "unit_id", "role_group", "person_id", "submitted_on"];
    insert_batch(tx, "mapping_response", &columns, rows).await?;
    insert_batch(tx, "mapping_answer", &["response_id", "framework_id", "competence", "level"], answers).await?;
    insert_batch(tx, "mapping_check_answer", &["response_id", "check_id", "choice"], choices).await?;
    insert_batch(tx, "mapping_tested", &["response_id", "framework_id", "competence", "level"], tested).await?;
    add_tallies(tx, round_id, &tallies).await
}

/// Adds counts to the round's running tallies. Rows go in the keys' (sorted) order, so two submits from the same
/// unit lock shared rows in the same order on PostgreSQL.
async fn add_tallies(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    round_id: i64,
    counts: &BTreeMap<TallyKey, i64>,
) -> Result<()> {
    let per_statement = crate::sql::rows_per_statement(tx, 8);
    let rows: Vec<_> = counts.iter().collect();
    for chunk in rows.chunks(per_statement) {
        let mut sql = Sql::for_conn(
            tx,
            "INSERT INTO mapping_tally (round_id, municipality_id, unit_id, role_group, framework_id, competence, level, count) VALUES ",
        );
        for (i, ((municipality, unit, group, framework, competence, level), count)) in chunk.iter().enumerate() {
            sql.push(if i == 0 { "(" } else { ", (" });
            sql.push_values(vec![
                Val::Int(Some(round_id)),
                Val::Int(Some(*municipality)),
                Val::Int(Some(*unit)),
                Val::Text(Some(group.clone())),
                Val::Int(Some(*framework)),
                Val::Text(Some(competence.clone())),
                Val::Int(Some(*level)),
                Val::Int(Some(**count)),
            ]);
            sql.push(")");
        }
        sql.push(
            " ON CONFLICT (round_id, municipality_id, unit_id, role_group, framework_id, competence, level)
             DO UPDATE SET count = mapping_tally.count + excluded.count",
        );
        sql.query()?.execute(&mut **tx).await?;
    }
    Ok(())
}

/// Counts a round's stored answers into its tallies (for answers written in bulk rather than by submits).
pub(crate) async fn tally_round(tx: &mut sqlx::Transaction<'_, sqlx::Any>, round_id: i64) -> Result<()> {
    sqlx::query("DELETE FROM mapping_tally WHERE round_id = $1").bind(round_id).execute(&mut **tx).await?;
    sqlx::query(
        "INSERT INTO mapping_tally (round_id, municipality_id, unit_id, role_group, framework_id, competence, level, count)
         SELECT r.round_id, r.municipality_id, COALESCE(r.unit_id, 0), r.role_group, a.framework_id, a.competence,
                COALESCE(a.level, 0), COUNT(*)
         FROM mapping_response r JOIN mapping_answer a ON a.response_id = r.id WHERE r.round_id = $1
         GROUP BY r.round_id, r.municipality_id, COALESCE(r.unit_id, 0), r.role_group, a.framework_id, a.competence,
                  COALESCE(a.level, 0)",
    )
    .bind(round_id)
    .execute(&mut **tx)
    .await?;
    Ok(())
}
