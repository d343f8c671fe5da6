//! The audit log: who changed what, when, with the value before and after.
//! Every administrative write in this crate records its entry in the same
//! transaction as the change, so a change without an entry cannot happen.

use crate::sql::Sql;
use crate::{Result, now};
use loft_domain::ids::{MunicipalityId, PersonId, RegionId};
use loft_domain::policy::Reach;
use serde::Serialize;
use sqlx::{Any, Row, Transaction};

/// Who is making a change, and for which part of the organisation.
#[derive(Debug, Clone, Copy)]
pub struct Change {
    pub actor: Option<PersonId>,
    pub region: Option<RegionId>,
    pub municipality: Option<MunicipalityId>,
}

pub(crate) async fn record<B: Serialize, A: Serialize>(
    tx: &mut Transaction<'_, Any>,
    change: Change,
    action: &str,
    entity: &str,
    entity_id: i64,
    before: Option<&B>,
    after: Option<&A>,
) -> Result<()> {
    let before = before.and_then(|b| serde_json::to_string(b).ok());
    let after = after.and_then(|a| serde_json::to_string(a).ok());
    sqlx::query(
        "INSERT INTO audit_log (at, actor_person_id, action, entity, entity_id, region_id, municipality_id, before_json, after_json)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
    )
    .bind(now())
    .bind(change.actor.map(|p| p.0))
    .bind(action.to_string())
    .bind(entity.to_string())
    .bind(entity_id.to_string())
    .bind(change.region.map(|r| r.0))
    .bind(change.municipality.map(|m| m.0))
    .bind(before)
    .bind(after)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AuditEntry {
    pub id: i64,
    pub at: i64,
    pub actor_name: Option<String>,
    pub action: String,
    pub entity: String,
    pub entity_id: String,
    pub municipality_name: Option<String>,
    pub before_json: Option<String>,
    pub after_json: Option<String>,
}

impl crate::Store {
    /// The newest entries the reach covers (`ViewAudit`), `limit` at a time before `before_id`.
    pub async fn audit_entries(&self, reach: &Reach, before_id: Option<i64>, limit: i64) -> Result<Vec<AuditEntry>> {
        if reach.is_empty() {
            return Ok(vec![]);
        }
        let mut q = Sql::new(
            "SELECT a.id, a.at, p.given_name, p.family_name, a.action, a.entity, a.entity_id, m.name, a.before_json, a.after_json
             FROM audit_log a LEFT JOIN person p ON p.id = a.actor_person_id
             LEFT JOIN municipality m ON m.id = a.municipality_id WHERE (",
        );
        if reach.everything {
            q.push("1 = 1");
        } else {
            q.push("1 = 0");
            for r in &reach.regions {
                q.push(" OR a.region_id = ").push_bind(r.0);
            }
            for m in &reach.municipalities {
                q.push(" OR a.municipality_id = ").push_bind(m.0);
            }
        }
        q.push(")");
        if let Some(id) = before_id {
            q.push(" AND a.id < ").push_bind(id);
        }
        q.push(" ORDER BY a.id DESC LIMIT ").push_bind(limit);
        let rows = q.query()?.fetch_all(&self.pool).await?;
        rows.iter()
            .map(|r| {
                let given: Option<String> = r.try_get(2)?;
                let family: Option<String> = r.try_get(3)?;
                Ok(AuditEntry {
                    id: r.try_get(0)?,
                    at: r.try_get(1)?,
                    actor_name: given.zip(family).map(|(g, f)| format!("{g} {f}")),
                    action: r.try_get(4)?,
                    entity: r.try_get(5)?,
                    entity_id: r.try_get(6)?,
                    municipality_name: r.try_get(7)?,
                    before_json: r.try_get(8)?,
                    after_json: r.try_get(9)?,
                })
            })
            .collect()
    }
}
