//! Undoing an applied import from the values its plan kept.

use super::apply::remove_import_grants;
use super::state::Snapshot;
use super::{GRANT_SOURCE, lock_for_import, today};
use crate::audit::{Change, record};
use crate::sql::{IDS_PER_STATEMENT, Sql, Val, insert_batch, update_batch};
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
        let created: Vec<i64> = undo.created_people.iter().map(|p| p.0).collect();
        for ids in created.chunks(IDS_PER_STATEMENT) {
            let mut q = Sql::for_conn(&tx, "UPDATE person SET left_at = ");
            q.push_bind(t).push(" WHERE left_at IS NULL AND id IN ").push_id_list(ids);
            q.query()?.execute(&mut *tx).await?;
            let mut q = Sql::for_conn(&tx, "UPDATE employment SET end_date = ");
            q.push_bind(today.clone()).push(" WHERE end_date IS NULL AND person_id IN ").push_id_list(ids);
            q.query()?.execute(&mut *tx).await?;
        }
        remove_import_grants(&mut tx, &created).await?;
        for ids in undo.created_employments.chunks(IDS_PER_STATEMENT) {
            let mut q = Sql::for_conn(&tx, "DELETE FROM employment WHERE id IN ");
            q.push_id_list(ids);
            q.query()?.execute(&mut *tx).await?;
        }
        let ended = undo.ended_employments.iter().map(|(id, end)| vec![Val::Int(Some(*id)), Val::Text(end.clone())]);
        update_batch(&mut tx, "employment", &["id", "end_date"], "end_date = v.end_date", ended.collect()).await?;
        let (mut people, mut jobs, mut grants) = (Vec::new(), Vec::new(), Vec::new());
        for s in &undo.snapshots {
            people.push(vec![
                Val::Int(Some(s.id.0)),
                Val::Text(Some(s.given_name.clone())),
                Val::Text(Some(s.family_name.clone())),
                Val::Text(Some(sort_key(&format!("{} {}", s.family_name, s.given_name)))),
                Val::Text(Some(sort_key(&format!("{} {}", s.given_name, s.family_name)))),
                Val::Text(s.email.clone()),
                Val::Text(s.mobile.clone()),
                Val::Int(s.left_at),
            ]);
            if let Some(e) = &s.employment {
                jobs.push(vec![
                    Val::Int(Some(e.id)),
                    Val::Int(Some(e.unit_id)),
                    Val::Text(e.position_title.clone()),
                    Val::Text(e.position_code.clone()),
                    Val::Real(e.percent),
                    Val::Text(e.start_date.clone()),
                    Val::Text(e.end_date.clone()),
                ]);
            }
            for unit in &s.manager_of {
                grants.push(vec![
                    Val::Int(Some(s.id.0)),
                    Val::Text(Some(Role::Manager.code().into())),
                    Val::Int(Some(*unit)),
                    Val::Text(Some(GRANT_SOURCE.into())),
                    Val::Int(Some(t)),
                ]);
            }
        }
        let columns = ["id", "given_name", "family_name", "name_sort", "given_sort", "email", "mobile", "left_at"];
        let set = "given_name = v.given_name, family_name = v.family_name, name_sort = v.name_sort, \
                   given_sort = v.given_sort, email = v.email, mobile = v.mobile, left_at = v.left_at";
        update_batch(&mut tx, "person", &columns, set, people).await?;
        let columns = ["id", "unit_id", "position_title", "position_code", "percent", "start_date", "end_date"];
        let set = "unit_id = v.unit_id, position_title = v.position_title, position_code = v.position_code, \
                   percent = v.percent, start_date = v.start_date, end_date = v.end_date";
        update_batch(&mut tx, "employment", &columns, set, jobs).await?;
        let restored: Vec<i64> = undo.snapshots.iter().map(|s| s.id.0).collect();
        remove_import_grants(&mut tx, &restored).await?;
        insert_batch(&mut tx, "role_grant", &["person_id", "role", "unit_id", "source", "granted_at"], grants).await?;
        let units: Vec<i64> = undo.created_units.iter().map(|u| u.0).collect();
        for ids in units.chunks(IDS_PER_STATEMENT) {
            let mut q = Sql::for_conn(&tx, "UPDATE unit SET closed_at = ");
            q.push_bind(t).push(" WHERE closed_at IS NULL AND id IN ").push_id_list(ids);
            q.query()?.execute(&mut *tx).await?;
        }
        sqlx::query("UPDATE hr_import SET status = 'undone', undone_at = $1 WHERE id = $2")
            .bind(t)
            .bind(import_id)
            .execute(&mut *tx)
            .await?;
        record(&mut tx, change, "hr.import.undo", "hr_import", import_id, None::<&()>, None::<&()>).await?;
        tx.commit().await?;
        // Managers' roles may have changed back.
        self.token_identities.changed();
        Ok(())
    }
}
