//! Applying a previewed import in one transaction: units, new people, moves, field updates, leavers and manager
//! grants, with what undo needs recorded in the import's plan.

use super::state::{State, read_state};
use super::undo::UndoData;
use super::{GRANT_SOURCE, ImportSummary, UnitKind, invalid, invalid_rows, lock_for_import, save_mapping, today};
use crate::audit::{Change, record};
use crate::org::insert_unit;
use crate::sql::{Sql, Val, insert_batch};
use crate::{Result, Store, now};
use loft_domain::DomainError;
use loft_domain::collation::sort_key;
use loft_domain::hr::{
    ColumnMapping, CurrentPerson, Field, HrRecord, ImportPlan, Percent, RowError, UnitRef, decode, diff, parse_rows,
};
use loft_domain::ids::{MunicipalityId, PersonId, RegionId, UnitId};
use loft_domain::org::UnitPath;
use loft_domain::person::RoleGroup;
use loft_domain::policy::Role;
use serde::Serialize;
use sqlx::Row;
use std::collections::{BTreeSet, HashMap, HashSet};

/// What the apply saves in the plan so that the import can be shown afterwards and undone: the plan, and each
/// touched person's values before it.
#[derive(Serialize)]
struct Applied<'a> {
    plan: &'a ImportPlan,
    errors: &'a [RowError],
    before: Vec<&'a CurrentPerson>,
    #[serde(flatten)]
    undo: UndoData,
}

/// How far an apply has come: people written out of those the plan changes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Progress {
    pub done: usize,
    pub total: usize,
}

impl Store {
    /// Applies a previewed import in one transaction. The file is read again and compared with the state *now*,
    /// so a preview that has gone stale cannot write stale values. Refused while the file has invalid rows unless
    /// `skip_invalid`; then those rows' people are left as they are. The mapping becomes the municipality's saved
    /// mapping.
    pub async fn apply_hr_import(&self, change: Change, import_id: i64, skip_invalid: bool) -> Result<ImportSummary> {
        self.apply_hr_import_with_progress(change, import_id, skip_invalid, &|_| {}).await
    }

    /// [`Store::apply_hr_import`], calling `progress` after each person written (new people count at once, as
    /// they go in as batches).
    pub async fn apply_hr_import_with_progress(
        &self,
        change: Change,
        import_id: i64,
        skip_invalid: bool,
        progress: &(dyn Fn(Progress) + Sync),
    ) -> Result<ImportSummary> {
        let mut tx = self.pool.begin().await?;
        lock_for_import(&mut tx, import_id).await?;
        let row = sqlx::query(
            "SELECT i.municipality_id, i.status, i.file_name, i.mapping_json, i.content, m.region_id
             FROM hr_import i JOIN municipality m ON m.id = i.municipality_id WHERE i.id = $1",
        )
        .bind(import_id)
        .fetch_optional(&mut *tx)
        .await?
        .ok_or(DomainError::NotFound)?;
        let municipality = MunicipalityId(row.try_get(0)?);
        let status: String = row.try_get(1)?;
        let file_name: String = row.try_get(2)?;
        let mapping: ColumnMapping =
            serde_json::from_str(&row.try_get::<String, _>(3)?).map_err(|_| invalid("mapping-invalid"))?;
        let content: Option<Vec<u8>> = row.try_get(4)?;
        let change = Change { region: Some(RegionId(row.try_get(5)?)), municipality: Some(municipality), ..change };
        let (Some(content), "previewed") = (content, status.as_str()) else {
            return Err(DomainError::Conflict { field: "import", code: "import-not-previewed" }.into());
        };
        let table = decode(&content, &file_name, usize::MAX).map_err(|e| invalid(e.code()))?;
        let rows = table.rows.len();
        let parsed = parse_rows(table, &mapping).map_err(|_| invalid("mapping-invalid"))?;
        let kind = UnitKind::of(&mapping);
        let mut state = read_state(&mut tx, municipality, kind).await?;
        let plan = diff(&state.people, &state.units, &parsed);
        if !skip_invalid && (!parsed.errors.is_empty() || !plan.rejected.is_empty()) {
            return Err(invalid("import-has-invalid-rows"));
        }
        let summary = ImportSummary { rows, invalid_rows: invalid_rows(&parsed), plan: plan.summary() };
        let mut writer = Writer {
            tx: &mut tx,
            municipality,
            fields: &plan.fields,
            today: today(),
            now: now(),
            created_employments: Vec::new(),
            ended_employments: Vec::new(),
        };
        let created_units = writer.create_units(&plan.units_to_create, &mut state).await?;
        let created_people = writer.insert_new(&plan.new, &mut state).await?;
        let total = plan.new.len() + plan.moved.len() + plan.changed.len() + plan.returning.len() + plan.leaving.len();
        let mut done = plan.new.len();
        progress(Progress { done, total });
        let mut step = || {
            done += 1;
            progress(Progress { done, total });
        };
        let before: HashMap<PersonId, &CurrentPerson> = state.people.iter().map(|p| (p.id, p)).collect();
        let mut touched = Vec::new();
        for movement in &plan.moved {
            let (unit, _) = state.unit_ids.get(&movement.to).cloned().ok_or(DomainError::NotFound)?;
            let employment = writer.move_person(movement.id, unit, state.employment.get(&movement.id).copied()).await?;
            state.employment.insert(movement.id, employment);
            touched.push(movement.id);
            step();
        }
        for (update, returning) in
            plan.changed.iter().map(|u| (u, false)).chain(plan.returning.iter().map(|u| (u, true)))
        {
            writer
                .update_person(&update.record, update.id, state.employment.get(&update.id).copied(), returning)
                .await?;
            touched.push(update.id);
            step();
        }
        // Manager grants follow the file (or, without a manager column, the person's earlier state) to the unit.
        let records: HashMap<&str, &HrRecord> =
            parsed.records.iter().map(|r| (r.employee_number.as_str(), r)).collect();
        touched.sort();
        touched.dedup();
        for id in &touched {
            let Some(person) = before.get(id) else { continue };
            let Some(record) = records.get(person.employee_number.as_str()) else { continue };
            let manager = if plan.fields.contains(&Field::IsManager) { record.is_manager } else { person.is_manager };
            let unit = state.unit_ids.get(&record.unit).map(|(u, _)| *u);
            writer.set_manager(*id, manager.then_some(unit).flatten(), &state.grants).await?;
        }
        for leaving in &plan.leaving {
            writer.leave(leaving.id).await?;
            writer.set_manager(leaving.id, None, &state.grants).await?;
            step();
        }
        let (created_employments, ended_employments) = (writer.created_employments, writer.ended_employments);
        let changed_ids = touched.iter().chain(plan.leaving.iter().map(|l| &l.id));
        let snapshots = changed_ids.clone().filter_map(|id| state.snapshots.get(id).cloned()).collect();
        let applied = Applied {
            plan: &plan,
            errors: &parsed.errors,
            before: changed_ids.filter_map(|id| before.get(id).copied()).collect(),
            undo: UndoData { snapshots, created_units, created_people, created_employments, ended_employments },
        };
        let plan_json = serde_json::to_string(&applied).map_err(|_| invalid("plan-not-stored"))?;
        save_mapping(&mut tx, municipality, &mapping).await?;
        sqlx::query(
            "UPDATE hr_import SET status = 'applied', applied_at = $1, content = NULL, summary_json = $2, plan_json = $3 WHERE id = $4",
        )
        .bind(now())
        .bind(serde_json::to_string(&summary).unwrap_or_default())
        .bind(plan_json)
        .bind(import_id)
        .execute(&mut *tx)
        .await?;
        record(&mut tx, change, "hr.import", "hr_import", import_id, None::<&()>, Some(&summary)).await?;
        tx.commit().await?;
        Ok(summary)
    }
}

pub(super) async fn remove_import_grants(tx: &mut sqlx::Transaction<'_, sqlx::Any>, person: PersonId) -> Result<()> {
    sqlx::query("DELETE FROM role_grant WHERE person_id = $1 AND role = $2 AND source = $3")
        .bind(person.0)
        .bind(Role::Manager.code())
        .bind(GRANT_SOURCE)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// The writes of one apply, in its transaction. Only fields the file has columns for are written.
struct Writer<'t, 'c> {
    tx: &'t mut sqlx::Transaction<'c, sqlx::Any>,
    municipality: MunicipalityId,
    fields: &'t BTreeSet<Field>,
    today: String,
    now: i64,
    created_employments: Vec<i64>,
    ended_employments: Vec<(i64, Option<String>)>,
}

fn percent_value(p: Option<Percent>) -> Option<f64> {
    p.map(Percent::as_f64)
}

impl Writer<'_, '_> {
    fn has(&self, field: Field) -> bool {
        self.fields.contains(&field)
    }

    /// Creates unit paths, parents first (the plan lists them so), without codes.
    async fn create_units(&mut self, paths: &[UnitRef], state: &mut State) -> Result<Vec<UnitId>> {
        let mut created = Vec::new();
        for unit in paths {
            let UnitRef::Path(names) = unit else { continue };
            let Some(name) = names.last() else { continue };
            let parent = unit.parent().and_then(|p| state.unit_ids.get(&p).cloned());
            let id = insert_unit(
                self.tx,
                self.municipality,
                parent.as_ref().map(|p| p.0),
                parent.as_ref().map(|p| &p.1),
                name,
                None,
            )
            .await?;
            let path: String =
                sqlx::query_scalar("SELECT path FROM unit WHERE id = $1").bind(id.0).fetch_one(&mut **self.tx).await?;
            state.unit_ids.insert(unit.clone(), (id, UnitPath::from_stored(path)));
            created.push(id);
        }
        Ok(created)
    }

    /// New people (`source = hr`, role group `ansatt`) with their employment and manager grant, in batches.
    async fn insert_new(&mut self, new: &[HrRecord], state: &mut State) -> Result<Vec<PersonId>> {
        if new.is_empty() {
            return Ok(Vec::new());
        }
        let people = new
            .iter()
            .map(|r| {
                vec![
                    Val::Int(Some(self.municipality.0)),
                    Val::Text(Some(r.given_name.clone())),
                    Val::Text(Some(r.family_name.clone())),
                    Val::Text(Some(sort_key(&format!("{} {}", r.family_name, r.given_name)))),
                    Val::Text(Some(sort_key(&format!("{} {}", r.given_name, r.family_name)))),
                    Val::Text(r.email.as_ref().map(|e| e.as_str().to_string())),
                    Val::Text(r.mobile.clone()),
                    Val::Text(Some(r.employee_number.as_str().to_string())),
                    Val::Text(Some("hr".into())),
                    Val::Int(Some(self.now)),
                ]
            })
            .collect();
        let columns = [
            "municipality_id",
            "given_name",
            "family_name",
            "name_sort",
            "given_sort",
            "email",
            "mobile",
            "employee_number",
            "source",
            "created_at",
        ];
        insert_batch(self.tx, "person", &columns, people).await?;
        let rows = sqlx::query(
            "SELECT id, employee_number FROM person WHERE municipality_id = $1 AND employee_number IS NOT NULL",
        )
        .bind(self.municipality.0)
        .fetch_all(&mut **self.tx)
        .await?;
        let mut ids = HashMap::with_capacity(rows.len());
        for r in &rows {
            ids.insert(r.try_get::<String, _>(1)?, PersonId(r.try_get(0)?));
        }
        let (mut created, mut groups, mut jobs, mut grants) = (Vec::new(), Vec::new(), Vec::new(), Vec::new());
        for r in new {
            let id = *ids.get(r.employee_number.as_str()).ok_or(DomainError::NotFound)?;
            let (unit, _) = state.unit_ids.get(&r.unit).cloned().ok_or(DomainError::NotFound)?;
            created.push(id);
            groups.push(vec![Val::Int(Some(id.0)), Val::Text(Some(RoleGroup::Ansatt.code().to_string()))]);
            jobs.push(vec![
                Val::Int(Some(id.0)),
                Val::Int(Some(unit.0)),
                Val::Text(r.position_title.clone()),
                Val::Text(r.position_code.clone()),
                Val::Real(percent_value(r.percent)),
                Val::Text(r.start_date.map(|d| d.to_string())),
                Val::Text(r.end_date.map(|d| d.to_string())),
            ]);
            if r.is_manager {
                grants.push(vec![
                    Val::Int(Some(id.0)),
                    Val::Text(Some(Role::Manager.code().into())),
                    Val::Int(Some(unit.0)),
                    Val::Text(Some(GRANT_SOURCE.into())),
                    Val::Int(Some(self.now)),
                ]);
            }
        }
        insert_batch(self.tx, "person_role_group", &["person_id", "role_group"], groups).await?;
        let job_columns =
            ["person_id", "unit_id", "position_title", "position_code", "percent", "start_date", "end_date"];
        insert_batch(self.tx, "employment", &job_columns, jobs).await?;
        insert_batch(self.tx, "role_grant", &["person_id", "role", "unit_id", "source", "granted_at"], grants).await?;
        Ok(created)
    }

    /// Moves the current employment to `unit` (in place; the import record keeps where it was), or gives a person
    /// without one an employment there. Returns the employment's id.
    async fn move_person(&mut self, person: PersonId, unit: UnitId, employment: Option<i64>) -> Result<i64> {
        if let Some(employment) = employment {
            sqlx::query("UPDATE employment SET unit_id = $1 WHERE id = $2")
                .bind(unit.0)
                .bind(employment)
                .execute(&mut **self.tx)
                .await?;
            return Ok(employment);
        }
        let id: i64 = sqlx::query_scalar("INSERT INTO employment (person_id, unit_id) VALUES ($1, $2) RETURNING id")
            .bind(person.0)
            .bind(unit.0)
            .fetch_one(&mut **self.tx)
            .await?;
        self.created_employments.push(id);
        Ok(id)
    }

    /// Writes the mapped fields of `record`; a returning person is active again and their employment open (unless
    /// the file gives an end date).
    async fn update_person(
        &mut self,
        record: &HrRecord,
        id: PersonId,
        employment: Option<i64>,
        returning: bool,
    ) -> Result<()> {
        let mut q = Sql::new("UPDATE person SET given_name = ");
        q.push_bind(record.given_name.clone()).push(", family_name = ").push_bind(record.family_name.clone());
        q.push(", name_sort = ").push_bind(sort_key(&format!("{} {}", record.family_name, record.given_name)));
        q.push(", given_sort = ").push_bind(sort_key(&format!("{} {}", record.given_name, record.family_name)));
        if self.has(Field::Email) {
            q.push(", email = ").push_bind(record.email.as_ref().map(|e| e.as_str().to_string()));
        }
        if self.has(Field::Mobile) {
            q.push(", mobile = ").push_bind(record.mobile.clone());
        }
        if returning {
            q.push(", left_at = NULL");
        }
        q.push(" WHERE id = ").push_bind(id.0);
        q.query()?.execute(&mut **self.tx).await?;

        let Some(employment) = employment else { return Ok(()) };
        let mut q = Sql::new("UPDATE employment SET id = id");
        if self.has(Field::PositionTitle) {
            q.push(", position_title = ").push_bind(record.position_title.clone());
        }
        if self.has(Field::PositionCode) {
            q.push(", position_code = ").push_bind(record.position_code.clone());
        }
        if self.has(Field::Percent) {
            q.push(", percent = ").push_bind(percent_value(record.percent));
        }
        if self.has(Field::StartDate) {
            q.push(", start_date = ").push_bind(record.start_date.map(|d| d.to_string()));
        }
        if self.has(Field::EndDate) {
            q.push(", end_date = ").push_bind(record.end_date.map(|d| d.to_string()));
        } else if returning {
            q.push(", end_date = NULL");
        }
        q.push(" WHERE id = ").push_bind(employment);
        q.query()?.execute(&mut **self.tx).await?;
        Ok(())
    }

    /// Marks a person as left and ends their open employments today. Nothing is deleted.
    async fn leave(&mut self, id: PersonId) -> Result<()> {
        sqlx::query("UPDATE person SET left_at = $1 WHERE id = $2")
            .bind(self.now)
            .bind(id.0)
            .execute(&mut **self.tx)
            .await?;
        let open = sqlx::query(
            "SELECT id, end_date FROM employment WHERE person_id = $1 AND (end_date IS NULL OR end_date > $2)",
        )
        .bind(id.0)
        .bind(self.today.clone())
        .fetch_all(&mut **self.tx)
        .await?;
        for r in &open {
            let employment: i64 = r.try_get(0)?;
            self.ended_employments.push((employment, r.try_get(1)?));
            sqlx::query("UPDATE employment SET end_date = $1 WHERE id = $2")
                .bind(self.today.clone())
                .bind(employment)
                .execute(&mut **self.tx)
                .await?;
        }
        Ok(())
    }

    /// Makes the person's import-sourced manager grants exactly `unit` (or none).
    async fn set_manager(
        &mut self,
        person: PersonId,
        unit: Option<UnitId>,
        grants: &HashSet<(i64, i64)>,
    ) -> Result<()> {
        let mut q = Sql::new("DELETE FROM role_grant WHERE person_id = ");
        q.push_bind(person.0)
            .push(" AND role = ")
            .push_bind(Role::Manager.code().to_string())
            .push(" AND source = ")
            .push_bind(GRANT_SOURCE.to_string());
        if let Some(unit) = unit {
            q.push(" AND unit_id <> ").push_bind(unit.0);
        }
        q.query()?.execute(&mut **self.tx).await?;
        if let Some(unit) = unit.filter(|u| !grants.contains(&(person.0, u.0))) {
            sqlx::query(
                "INSERT INTO role_grant (person_id, role, unit_id, source, granted_at) VALUES ($1, $2, $3, $4, $5)",
            )
            .bind(person.0)
            .bind(Role::Manager.code())
            .bind(unit.0)
            .bind(GRANT_SOURCE)
            .bind(self.now)
            .execute(&mut **self.tx)
            .await?;
        }
        Ok(())
    }
}
