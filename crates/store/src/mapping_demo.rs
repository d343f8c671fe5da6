//! Demo mapping data for Kongsbergregionen: the 2014 and 2016 rounds answered (anonymous, closed), and an open
//! round this autumn (confidential) that every demo user is invited to. Levels are generated deterministically,
//! a little higher in 2016 than in 2014 and higher for managers, so reports and comparisons have something to show.

use crate::audit::Change;
use crate::mapping::NewRound;
use crate::sql::{Val, insert_batch};
use crate::{CURRENT_EMPLOYMENT, Result, Store, today, today_date};
use loft_domain::DomainError;
use loft_domain::ids::RegionId;
use loft_domain::mapping::{Audience, PrivacyMode, Question, RoundWindow};
use loft_domain::person::RoleGroup;
use sqlx::Row;

const SYSTEM: Change = Change { actor: None, region: None, municipality: None };

impl Store {
    /// Seeds the demo rounds into `region` (frameworks are installed first). Returns the open round's id.
    pub async fn seed_demo_mapping(&self, region: RegionId) -> Result<i64> {
        self.install_builtin_frameworks().await?;
        let questions: Vec<Question> = self
            .frameworks()
            .await?
            .iter()
            .flat_map(|f| {
                f.framework
                    .competences()
                    .map(|(_, c)| Question { framework_id: f.id, competence: c.code.clone() })
                    .collect::<Vec<_>>()
            })
            .collect();
        // Every check in the bank is asked (they are all about DigComp competences the rounds ask).
        let checks: Vec<i64> = self.knowledge_checks().await?.iter().map(|c| c.id).collect();
        let round = |name: &str, privacy, window| NewRound {
            region,
            name: name.into(),
            privacy,
            window,
            questions: questions.clone(),
            audience: Audience::default(),
            reminder_days: vec![7, 2],
            copied_from: None,
            checks: checks.clone(),
        };
        let window = |opens: &str, closes: &str| -> Result<RoundWindow> {
            let date = |s: &str| s.parse().map_err(|_| DomainError::invalid("date", "invalid-date"));
            Ok(RoundWindow::new(date(opens)?, date(closes)?)?)
        };
        let first = self
            .create_round(
                SYSTEM,
                &round("Kartlegging 2014", PrivacyMode::Anonymous, window("2014-09-15", "2014-10-31")?),
            )
            .await?;
        let second = self.copy_round(SYSTEM, first, "Kartlegging 2016", window("2016-09-12", "2016-10-28")?).await?;
        for (round_id, uplift) in [(first, 0), (second, 1)] {
            self.seed_demo_answers(round_id, &questions, uplift).await?;
        }
        let today = today_date();
        let open = RoundWindow::new(today - jiff::Span::new().days(7), today + jiff::Span::new().days(30))?;
        let open_id = self.create_round(SYSTEM, &round("Kartlegging 2026", PrivacyMode::Confidential, open)).await?;
        self.invite(SYSTEM, open_id, &|_, _| None).await?;
        Ok(open_id)
    }

    /// About two thirds of the region's people answer every question of a closed round.
    async fn seed_demo_answers(&self, round_id: i64, questions: &[Question], uplift: i64) -> Result<()> {
        let round = self.round(round_id).await?;
        let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT p.id, p.municipality_id,
                    (SELECT e.unit_id FROM employment e WHERE e.person_id = p.id AND {CURRENT_EMPLOYMENT}$1) ORDER BY e.id DESC LIMIT 1),
                    (SELECT MIN(g.role_group) FROM person_role_group g WHERE g.person_id = p.id AND g.role_group = 'leder')
             FROM person p JOIN municipality m ON m.id = p.municipality_id WHERE m.region_id = $2 ORDER BY p.id"
        )))
        .bind(today())
        .bind(round.region.0)
        .fetch_all(&self.pool)
        .await?;
        let tops: std::collections::HashMap<i64, i64> =
            self.frameworks().await?.iter().map(|f| (f.id, i64::from(f.framework.top_level()))).collect();
        let mut tx = self.pool.begin().await?;
        let checked: std::collections::BTreeSet<Question> =
            self.round_checks(&round).await?.iter().map(|c| c.question()).collect();
        let mut responses = Vec::new();
        let mut answers = Vec::new();
        let mut tested = Vec::new();
        for r in rows {
            let person: i64 = r.try_get(0)?;
            if mix(person as u64, round_id as u64).is_multiple_of(3) {
                continue;
            }
            let leader = r.try_get::<Option<String>, _>(3)?.is_some();
            let group = if leader { RoleGroup::Leder } else { RoleGroup::Ansatt };
            let id = format!("demo-{round_id}-{person}");
            responses.push(vec![
                Val::Text(Some(id.clone())),
                Val::Int(Some(round_id)),
                Val::Int(Some(r.try_get(1)?)),
                Val::Int(r.try_get(2)?),
                Val::Text(Some(group.code().into())),
            ]);
            for (i, q) in questions.iter().enumerate() {
                let top = tops.get(&q.framework_id).copied().unwrap_or(4);
                let roll = mix(person as u64, (round_id as u64) << 8 | i as u64);
                let level = if roll.is_multiple_of(17) {
                    None
                } else {
                    let base = 1 + (roll % (top as u64 / 2 + 1)) as i64 + uplift + i64::from(leader);
                    Some(base.min(top))
                };
                // A tested level near the self-assessed one, sometimes lower, sometimes higher.
                if let (Some(level), true) = (level, checked.contains(q)) {
                    let shift = (mix(roll, 7) % 5) as i64 - 2;
                    tested.push(vec![
                        Val::Text(Some(id.clone())),
                        Val::Int(Some(q.framework_id)),
                        Val::Text(Some(q.competence.clone())),
                        Val::Int(Some((level + shift).clamp(1, top))),
                    ]);
                }
                answers.push(vec![
                    Val::Text(Some(id.clone())),
                    Val::Int(Some(q.framework_id)),
                    Val::Text(Some(q.competence.clone())),
                    Val::Int(level),
                ]);
            }
        }
        insert_batch(
            &mut tx,
            "mapping_response",
            &["id", "round_id", "municipality_id", "unit_id", "role_group"],
            responses,
        )
        .await?;
        insert_batch(&mut tx, "mapping_answer", &["response_id", "framework_id", "competence", "level"], answers)
            .await?;
        insert_batch(&mut tx, "mapping_tested", &["response_id", "framework_id", "competence", "level"], tested)
            .await?;
        crate::mapping::tally_round(&mut tx, round_id).await?;
        tx.commit().await?;
        Ok(())
    }
}

/// A small deterministic mixer (splitmix64), so demo answers are the same on every run.
fn mix(a: u64, b: u64) -> u64 {
    let mut z = a.wrapping_mul(0x9E37_79B9_7F4A_7C15) ^ b;
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}
