//! Knowledge checks: the question bank, the checks a round asks, saved and submitted check answers, and the
//! tested levels reports and profiles read. Scoring is `loft_domain::mapping::checks`; this module stores.

use crate::sql::{Val, insert_batch};
use crate::{Result, Store, StoreError};
use loft_domain::DomainError;
use loft_domain::competence::LevelNumber;
use loft_domain::ids::PersonId;
use loft_domain::mapping::checks::{Check, RoundCheck, builtin_banks, check_choices, tested_levels};
use loft_domain::mapping::report::{Node, NodeKey, Tally};
use loft_domain::mapping::{Answer, Question};
use loft_domain::person::RoleGroup;
use sqlx::Row;
use std::collections::{BTreeMap, HashMap};

use crate::competence::level_from;
use crate::mapping::{Invitation, Round};

impl Store {
    /// Puts the shipped question banks into the bank of their framework version, once (idempotent).
    pub async fn install_builtin_checks(&self) -> Result<usize> {
        let mut added = 0;
        for bank in builtin_banks() {
            let framework: Option<i64> = sqlx::query_scalar("SELECT id FROM framework WHERE key = $1 AND version = $2")
                .bind(bank.framework.clone())
                .bind(bank.version.clone())
                .fetch_optional(&self.pool)
                .await?;
            let Some(framework_id) = framework else { continue };
            let stored = self.framework(framework_id).await?.framework;
            let mut position: HashMap<String, i64> = HashMap::new();
            for check in &bank.checks {
                check.check(&stored)?;
                let n = position.entry(check.competence.clone()).or_default();
                *n += 1;
                added += sqlx::query(
                    "INSERT INTO knowledge_check (framework_id, competence, position, content_json) VALUES ($1, $2, $3, $4)
                     ON CONFLICT (framework_id, competence, position) DO NOTHING",
                )
                .bind(framework_id)
                .bind(check.competence.clone())
                .bind(*n)
                .bind(serde_json::to_string(check).unwrap_or_default())
                .execute(&self.pool)
                .await?
                .rows_affected() as usize;
            }
        }
        Ok(added)
    }

    /// The bank: every check, by framework version and competence.
    pub async fn knowledge_checks(&self) -> Result<Vec<RoundCheck>> {
        let rows = sqlx::query(
            "SELECT id, framework_id, content_json FROM knowledge_check ORDER BY framework_id, competence, position",
        )
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(check_from).collect()
    }

    /// The checks a round asks, in the order of its questions.
    pub async fn round_checks(&self, round: &Round) -> Result<Vec<RoundCheck>> {
        if round.checks.is_empty() {
            return Ok(vec![]);
        }
        let rows = sqlx::query(
            "SELECT k.id, k.framework_id, k.content_json FROM round_check r JOIN knowledge_check k ON k.id = r.check_id
             WHERE r.round_id = $1 ORDER BY k.position, k.id",
        )
        .bind(round.id)
        .fetch_all(&self.pool)
        .await?;
        let mut checks = rows.iter().map(check_from).collect::<Result<Vec<_>>>()?;
        checks.sort_by_key(|c| round.questions.iter().position(|q| *q == c.question()));
        Ok(checks)
    }

    /// Refuses checks that are not in the bank or not about a question the round asks.
    pub(crate) async fn check_round_checks(&self, questions: &[Question], checks: &[i64]) -> Result<()> {
        if checks.is_empty() {
            return Ok(());
        }
        let bank = self.knowledge_checks().await?;
        for id in checks {
            let known = bank.iter().find(|c| c.id == *id);
            if !known.is_some_and(|c| questions.contains(&c.question())) {
                return Err(DomainError::invalid("checks", "question-not-in-round").into());
            }
        }
        Ok(())
    }

    /// The saved check answers of a draft, as form values.
    pub async fn check_draft(&self, invitation: &Invitation) -> Result<BTreeMap<i64, String>> {
        let rows = sqlx::query("SELECT check_id, choice FROM round_check_draft WHERE invitation_id = $1")
            .bind(invitation.id)
            .fetch_all(&self.pool)
            .await?;
        rows.iter().map(|r| Ok((r.try_get(0)?, r.try_get::<i64, _>(1)?.to_string()))).collect()
    }

    /// The tested levels a submission gets, after checking its check answers are complete and valid.
    pub(crate) async fn tested_for(
        &self,
        round: &Round,
        answers: &BTreeMap<Question, Answer>,
        choices: &BTreeMap<i64, u8>,
    ) -> Result<BTreeMap<Question, LevelNumber>> {
        let checks = self.round_checks(round).await?;
        if checks.is_empty() {
            return Ok(BTreeMap::new());
        }
        let raw = choices.iter().map(|(id, c)| (*id, c.to_string())).collect();
        let choices = check_choices(&checks, &raw, answers, true)?;
        let mut tops = HashMap::new();
        for c in &checks {
            if let std::collections::hash_map::Entry::Vacant(slot) = tops.entry(c.framework_id) {
                slot.insert(self.framework(c.framework_id).await?.framework.top_level());
            }
        }
        Ok(tested_levels(&checks, &choices, answers, |q| tops.get(&q.framework_id).copied().unwrap_or(1)))
    }

    /// A person's own tested levels in a confidential round.
    pub async fn own_tested(&self, round_id: i64, person: PersonId) -> Result<BTreeMap<Question, LevelNumber>> {
        let rows = sqlx::query(
            "SELECT t.framework_id, t.competence, t.level FROM mapping_response r JOIN mapping_tested t ON t.response_id = r.id
             WHERE r.round_id = $1 AND r.person_id = $2",
        )
        .bind(round_id)
        .bind(person.0)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                let q = Question { framework_id: r.try_get(0)?, competence: r.try_get(1)? };
                Ok((q, level_from(r.try_get(2)?)))
            })
            .collect()
    }

    /// The round's tested levels counted per report node (of `nodes`), role group and question, like
    /// [`Store::tallies_over`] counts the self-assessed ones.
    pub async fn round_tested_tallies(&self, round_id: i64, nodes: &[Node]) -> Result<Vec<Tally>> {
        let index: HashMap<NodeKey, usize> = nodes.iter().enumerate().map(|(i, n)| (n.key, i)).collect();
        let rows = sqlx::query(
            "SELECT r.municipality_id, r.unit_id, r.role_group, t.framework_id, t.competence, t.level, COUNT(*)
             FROM mapping_response r JOIN mapping_tested t ON t.response_id = r.id WHERE r.round_id = $1
             GROUP BY r.municipality_id, r.unit_id, r.role_group, t.framework_id, t.competence, t.level",
        )
        .bind(round_id)
        .fetch_all(&self.pool)
        .await?;
        let mut tallies = Vec::with_capacity(rows.len());
        for r in rows {
            let unit: Option<i64> = r.try_get(1)?;
            let key = unit.map_or(NodeKey::Municipality(r.try_get(0)?), NodeKey::Unit);
            let Some(&node) = index.get(&key) else { continue };
            tallies.push(Tally {
                node,
                role_group: RoleGroup::parse(&r.try_get::<String, _>(2)?)?,
                question: Question { framework_id: r.try_get(3)?, competence: r.try_get(4)? },
                answer: Answer::Level(level_from(r.try_get(5)?)),
                count: r.try_get::<i64, _>(6)? as u64,
            });
        }
        Ok(tallies)
    }
}

/// Replaces a draft's check answers, in the caller's transaction.
pub(crate) async fn save_check_draft(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    invitation: i64,
    choices: &BTreeMap<i64, u8>,
) -> Result<()> {
    sqlx::query("DELETE FROM round_check_draft WHERE invitation_id = $1").bind(invitation).execute(&mut **tx).await?;
    let rows = choices
        .iter()
        .map(|(id, c)| vec![Val::Int(Some(invitation)), Val::Int(Some(*id)), Val::Int(Some(i64::from(*c)))])
        .collect();
    insert_batch(tx, "round_check_draft", &["invitation_id", "check_id", "choice"], rows).await?;
    Ok(())
}

fn check_from(r: &sqlx::any::AnyRow) -> Result<RoundCheck> {
    let check: Check = serde_json::from_str(&r.try_get::<String, _>(2)?)
        .map_err(|_| StoreError::from(DomainError::invalid("checks", "check-options-invalid")))?;
    Ok(RoundCheck { id: r.try_get(0)?, framework_id: r.try_get(1)?, check })
}
