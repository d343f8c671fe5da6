//! Undoing an applied import from the values its plan kept.

use super::apply::remove_import_grants;
use super::state::Snapshot;
use super::{GRANT_SOURCE, lock_for_import, today};
use crate::audit::{Change, record};
use crate::{Result, Store, now};
use loft_domain::DomainError;
use loft_domain::collation::sort_key;
use loft_domain::ids::{MunicipalityId, PersonId, RegionId, UnitId};
use loft_domain::policy::Role;
use serde::{Deserialize, Serialize};
use sqlx::Row;

/// What undoing an applied import needs, saved in its plan.
#[derive(Debug, Default, Serialize, Deserialize)]
pub(super) struct UndoData {
    /// Every existing person the import changed, as stored before.
    pub(super) snapshots: Vec<Snapshot>,
    pub(super) created_units: Vec<UnitId>,
    pub(super) created_people: Vec<PersonId>,
    /// Employments the import gave people who had none.
    pub(super) created_employments: Vec<i64>,
    /// Employments ended because their person left: (id, end date before).
    pub(super) ended_employments: Vec<(i64, Option<String>)>,
}

impl Store {
    /// Undoes an applied import while no later import of the municipality is applied, in one transaction: the
    /// people it changed get their stored values (and manager grants) back, employments it ended are open again,
    /// people and units it created are marked as left and closed rather than deleted (they may be referred to by
    /// now). Hand edits made since to the same people are overwritten.
    pub async fn undo_hr_import(&self, change: Change, import_id: i64) -> Result<()> {
        let mut tx = self.pool.begin().await?;
        lock_for_import(&mut tx, import_id).await?;
        let row = sqlx::query(
            "SELECT i.municipality_id, i.status, i.plan_json, m.region_id
             FROM hr_import i JOIN municipality m ON m.id = i.municipality_id WHERE i.id = $1",
        )
        .bind(import_id)
        .fetch_optional(&mut *tx)
        .await?
        .ok_or(DomainError::NotFound)?;
        let municipality = MunicipalityId(row.try_get(0)?);
        let change = Change { region: Some(RegionId(row.try_get(3)?)), municipality: Some(municipality), ..change };
        if row.try_get::<String, _>(1)? != "applied" {
            return Err(DomainError::Conflict { field: "import", code: "import-not-applied" }.into());
        }
        let later: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM hr_import WHERE municipality_id = $1 AND id > $2 AND status = 'applied'",
        )
        .bind(municipality.0)
        .bind(import_id)
        .fetch_one(&mut *tx)
        .await?;
        if later > 0 {
            return Err(DomainError::Conflict { field: "import", code: "import-superseded" }.into());
        }
        let undo: UndoData = serde_json::from_str(&row.try_get::<String, _>(2)?)
            .map_err(|_| DomainError::Conflict { field: "import", code: "import-not-undoable" })?;
        let (t, today) = (now(), today());
        for id in &undo.created_people {
            sqlx::query("UPDATE person SET left_at = $1 WHERE id = $2 AND left_at IS NULL")
                .bind(t)
                .bind(id.0)
                .execute(&mut *tx)
                .await?;
            sqlx::query("UPDATE employment SET end_date = $1 WHERE person_id = $2 AND end_date IS NULL")
                .bind(today.clone())
                .bind(id.0)
                .execute(&mut *tx)
                .await?;
            remove_import_grants(&mut tx, *id).await?;
        }
        for id in &undo.created_employments {
            sqlx::query("DELETE FROM employment WHERE id = $1").bind(*id).execute(&mut *tx).await?;
        }
        for (id, end_date) in &undo.ended_employments {
            sqlx::query("UPDATE employment SET end_date = $1 WHERE id = $2")
                .bind(end_date.clone())
                .bind(*id)
                .execute(&mut *tx)
                .await?;
        }
        for s in &undo.snapshots {
            sqlx::query(
                "UPDATE person SET given_name = $1, family_name = $2, name_sort = $3, given_sort = $4, email = $5,
                 mobile = $6, left_at = $7 WHERE id = $8",
            )
            .bind(s.given_name.clone())
            .bind(s.family_name.clone())
            .bind(sort_key(&format!("{} {}", s.family_name, s.given_name)))
            .bind(sort_key(&format!("{} {}", s.given_name, s.family_name)))
            .bind(s.email.clone())
            .bind(s.mobile.clone())
            .bind(s.left_at)
            .bind(s.id.0)
            .execute(&mut *tx)
            .await?;
            if let Some(e) = &s.employment {
                sqlx::query(
                    "UPDATE employment SET unit_id = $1, position_title = $2, position_code = $3, percent = $4,
                     start_date = $5, end_date = $6 WHERE id = $7",
                )
                .bind(e.unit_id)
                .bind(e.position_title.clone())
                .bind(e.position_code.clone())
                .bind(e.percent)
                .bind(e.start_date.clone())
                .bind(e.end_date.clone())
                .bind(e.id)
                .execute(&mut *tx)
                .await?;
            }
            remove_import_grants(&mut tx, s.id).await?;
            for unit in &s.manager_of {
                sqlx::query(
                    "INSERT INTO role_grant (person_id, role, unit_id, source, granted_at) VALUES ($1, $2, $3, $4, $5)",
                )
                .bind(s.id.0)
                .bind(Role::Manager.code())
                .bind(*unit)
                .bind(GRANT_SOURCE)
                .bind(t)
                .execute(&mut *tx)
                .await?;
            }
        }
        for unit in &undo.created_units {
            sqlx::query("UPDATE unit SET closed_at = $1 WHERE id = $2 AND closed_at IS NULL")
                .bind(t)
                .bind(unit.0)
                .execute(&mut *tx)
                .await?;
        }
        sqlx::query("UPDATE hr_import SET status = 'undone', undone_at = $1 WHERE id = $2")
            .bind(t)
            .bind(import_id)
            .execute(&mut *tx)
            .await?;
        record(&mut tx, change, "hr.import.undo", "hr_import", import_id, None::<&()>, None::<&()>).await?;
        tx.commit().await?;
        Ok(())
    }
}
