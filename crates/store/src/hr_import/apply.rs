//! Applying a previewed import in one transaction: units, new people, moves, field updates, leavers and manager
//! grants, with what undo needs recorded in the import's plan.

use super::bulk;
use super::state::{State, read_state, snapshots};
use super::undo::UndoData;
use super::{
    GRANT_SOURCE, ImportSummary, UnitKind, invalid, invalid_rows, json_exact, lock_for_import, save_mapping,
    state_version, today,
};
use crate::audit::{Change, record};
use crate::org::insert_unit;
use crate::sql::{IDS_PER_STATEMENT, Sql, Val, bulk_rows_per_statement, insert_batch, insert_bulk, update_batch};
use crate::{Result, Store, now};
use futures_util::TryStreamExt;
use loft_domain::DomainError;
use loft_domain::collation::sort_key;
use loft_domain::hr::{
    ColumnMapping, CurrentPerson, Field, HrRecord, ImportPlan, Percent, PersonUpdate, PlanSummary, RowError, UnitMove,
    UnitRef, decode, diff_taking, parse_rows,
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

    /// [`Store::apply_hr_import`], calling `progress` after each batch of people written (new people count at
    /// once).
    pub async fn apply_hr_import_with_progress(
        &self,
        change: Change,
        import_id: i64,
        skip_invalid: bool,
        progress: &(dyn Fn(Progress) + Sync),
    ) -> Result<ImportSummary> {
        let mut conn = self.pool.acquire().await?;
        // SQLite's default page cache (2 MB) makes a national-scale transaction spill and rewrite the same index
        // pages over and over (1.6 GB written for 510,000 new people); a larger cache for this transaction only.
        let sqlite = conn.backend_name() == <sqlx::Sqlite as sqlx::Database>::NAME;
        let cache: Option<i64> = if sqlite {
            let cache = sqlx::query_scalar("PRAGMA cache_size").fetch_one(&mut *conn).await?;
            sqlx::query("PRAGMA cache_size = -131072").execute(&mut *conn).await?;
            Some(cache)
        } else {
            None
        };
        let result = self.apply_on(&mut conn, change, import_id, skip_invalid, progress).await;
        if let Some(cache) = cache {
            sqlx::query(sqlx::AssertSqlSafe(format!("PRAGMA cache_size = {cache}"))).execute(&mut *conn).await?;
        }
        result
    }

    async fn apply_on(
        &self,
        conn: &mut sqlx::AnyConnection,
        change: Change,
        import_id: i64,
        skip_invalid: bool,
        progress: &(dyn Fn(Progress) + Sync),
    ) -> Result<ImportSummary> {
        let mut tx = sqlx::Connection::begin(conn).await?;
        lock_for_import(&mut tx, import_id).await?;
        let row = sqlx::query(
            "SELECT i.municipality_id, i.status, i.file_name, i.mapping_json,
                    CAST(CASE WHEN i.content IS NULL THEN 0 ELSE 1 END AS BIGINT), m.region_id,
                    i.state_version, i.summary_json
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
        let has_content = row.try_get::<i64, _>(4)? == 1;
        let change = Change { region: Some(RegionId(row.try_get(5)?)), municipality: Some(municipality), ..change };
        let (true, "previewed") = (has_content, status.as_str()) else {
            return Err(DomainError::Conflict { field: "import", code: "import-not-previewed" }.into());
        };
        let previewed_at: Option<i64> = row.try_get(6)?;
        let previewed: Option<ImportSummary> = serde_json::from_str(&row.try_get::<String, _>(7)?).ok();
        drop(row);
        // The preview changed nothing and nothing HR-related in the municipality has been written since it read
        // the state (the counter is read under the municipality's lock): the same file, mapping and state give
        // the same plan, so there is nothing to compare again and nothing to write.
        if let Some(summary) = previewed.filter(|s| changes_nothing(&s.plan))
            && previewed_at.is_some()
            && previewed_at == Some(state_version(&mut tx, municipality).await?)
        {
            if !skip_invalid && (summary.invalid_rows > 0 || summary.plan.rejected > 0) {
                return Err(invalid("import-has-invalid-rows"));
            }
            progress(Progress { done: 0, total: 0 });
            let plan_json = applied_unchanged(&mut tx, import_id).await?;
            finish(tx, change, import_id, &mapping, &summary, plan_json).await?;
            return Ok(summary);
        }
        let content: Vec<u8> = sqlx::query_scalar("SELECT content FROM hr_import WHERE id = $1")
            .bind(import_id)
            .fetch_one(&mut *tx)
            .await?;
        let table = decode(&content, &file_name, usize::MAX).map_err(|e| invalid(e.code()))?;
        drop(content);
        let rows = table.rows.len();
        let mut parsed = parse_rows(table, &mapping).map_err(|_| invalid("mapping-invalid"))?;
        let kind = UnitKind::of(&mapping);
        let mut state = read_state(&mut tx, municipality, kind).await?;
        let plan = diff_taking(&state.people, &state.units, &mut parsed);
        if !skip_invalid && (!parsed.errors.is_empty() || !plan.rejected.is_empty()) {
            return Err(invalid("import-has-invalid-rows"));
        }
        let summary = ImportSummary { rows, invalid_rows: invalid_rows(&parsed), plan: plan.summary() };
        // Everyone the import changes, as stored before (for undo), read before anything is written.
        let mut touched: Vec<PersonId> =
            plan.moved.iter().map(|m| m.id).chain(plan.changed.iter().chain(&plan.returning).map(|u| u.id)).collect();
        touched.sort();
        touched.dedup();
        let changed_ids: Vec<PersonId> = touched.iter().copied().chain(plan.leaving.iter().map(|l| l.id)).collect();
        let snapshots = snapshots(&mut tx, &changed_ids, &state.grants).await?;
        let mut writer = Writer {
            tx: &mut tx,
            municipality,
            fields: &plan.fields,
            today: today(),
            now: now(),
            created_employments: Vec::new(),
            ended_employments: Vec::new(),
            bulk_from: self.hr_bulk_from,
        };
        let created_units = writer.create_units(&plan.units_to_create, &mut state).await?;
        let created_people = writer.insert_new(&plan.new, &mut state).await?;
        let total = plan.new.len() + plan.moved.len() + plan.changed.len() + plan.returning.len() + plan.leaving.len();
        let mut done = plan.new.len();
        progress(Progress { done, total });
        let mut step = |n: usize| {
            done += n;
            progress(Progress { done, total });
        };
        writer.move_people(&plan.moved, &mut state, &mut step).await?;
        writer.update_people(&plan.changed, false, &state.employment, &mut step).await?;
        writer.update_people(&plan.returning, true, &state.employment, &mut step).await?;
        // Manager grants follow the file (or, without a manager column, the person's earlier state) to the unit.
        let before: HashMap<PersonId, &CurrentPerson> = state.people.iter().map(|p| (p.id, p)).collect();
        // A person only moved has the same manager flag in the file as stored (else they would be changed too).
        let updated: HashMap<PersonId, &HrRecord> =
            plan.changed.iter().chain(&plan.returning).map(|u| (u.id, &u.record)).collect();
        let moved: HashMap<PersonId, &UnitRef> = plan.moved.iter().map(|m| (m.id, &m.to)).collect();
        let mut managers = Vec::with_capacity(touched.len() + plan.leaving.len());
        for id in &touched {
            let Some(person) = before.get(id) else { continue };
            let (in_file, unit) = match (updated.get(id), moved.get(id)) {
                (Some(record), _) => (record.is_manager, &record.unit),
                (None, Some(to)) => (person.is_manager, *to),
                (None, None) => continue,
            };
            let manager = if plan.fields.contains(&Field::IsManager) { in_file } else { person.is_manager };
            let unit = state.unit_ids.get(unit).map(|(u, _)| *u);
            managers.push((*id, manager.then_some(unit).flatten()));
        }
        let leaving: Vec<PersonId> = plan.leaving.iter().map(|l| l.id).collect();
        writer.leave(&leaving).await?;
        managers.extend(leaving.iter().map(|id| (*id, None)));
        writer.set_managers(&managers, &state.grants).await?;
        step(leaving.len());
        let (created_employments, ended_employments) = (writer.created_employments, writer.ended_employments);
        let applied = Applied {
            plan: &plan,
            errors: &parsed.errors,
            before: changed_ids.iter().filter_map(|id| before.get(id).copied()).collect(),
            undo: UndoData { snapshots, created_units, created_people, created_employments, ended_employments },
        };
        let plan_json = json_exact(&applied)?;
        // Only the stored text is needed now: free the plan and the state before the driver copies the text.
        drop((applied, before, updated, moved));
        drop((plan, state, parsed));
        finish(tx, change, import_id, &mapping, &summary, plan_json).await?;
        // Managers' roles may have changed.
        self.token_identities.changed();
        Ok(summary)
    }
}

/// Marks the import applied with `plan_json` (the plan and what undo needs), drops its file, saves its mapping
/// as the municipality's, writes the audit entry and commits.
async fn finish(
    mut tx: sqlx::Transaction<'_, sqlx::Any>,
    change: Change,
    import_id: i64,
    mapping: &ColumnMapping,
    summary: &ImportSummary,
    plan_json: String,
) -> Result<()> {
    let municipality = change.municipality.ok_or(DomainError::NotFound)?;
    save_mapping(&mut tx, municipality, mapping).await?;
    sqlx::query(
        "UPDATE hr_import SET status = 'applied', applied_at = $1, content = NULL, summary_json = $2, plan_json = $3 WHERE id = $4",
    )
    .bind(now())
    .bind(serde_json::to_string(summary).unwrap_or_default())
    .bind(plan_json)
    .bind(import_id)
    .execute(&mut *tx)
    .await?;
    record(&mut tx, change, "hr.import", "hr_import", import_id, None::<&()>, Some(summary)).await?;
    tx.commit().await?;
    Ok(())
}

/// Whether a plan with these counts writes nothing (as [`ImportPlan::changes_nothing`]).
fn changes_nothing(plan: &PlanSummary) -> bool {
    plan.new == 0
        && plan.changed == 0
        && plan.moved == 0
        && plan.leaving == 0
        && plan.returning == 0
        && plan.units_to_create == 0
}

/// The applied plan of an import whose preview changed nothing: the preview's plan and errors as stored (small:
/// an unchanged person is only counted), with the empty lists of what undo would need, as a full apply of the
/// same plan would store it.
async fn applied_unchanged(tx: &mut sqlx::Transaction<'_, sqlx::Any>, import_id: i64) -> Result<String> {
    let stored: String = sqlx::query_scalar("SELECT plan_json FROM hr_import WHERE id = $1")
        .bind(import_id)
        .fetch_one(&mut **tx)
        .await?;
    let mut applied: serde_json::Map<String, serde_json::Value> =
        serde_json::from_str(&stored).map_err(|_| invalid("plan-not-stored"))?;
    applied.insert("before".into(), serde_json::Value::Array(Vec::new()));
    if let Ok(serde_json::Value::Object(undo)) = serde_json::to_value(UndoData::default()) {
        applied.extend(undo);
    }
    serde_json::to_string(&applied).map_err(|_| invalid("plan-not-stored"))
}

/// Removes the import-sourced manager grants of `people`.
pub(super) async fn remove_import_grants(tx: &mut sqlx::Transaction<'_, sqlx::Any>, people: &[i64]) -> Result<()> {
    for ids in people.chunks(IDS_PER_STATEMENT) {
        let mut q = Sql::for_conn(tx, "DELETE FROM role_grant WHERE role = ");
        q.push_bind(Role::Manager.code().to_string()).push(" AND source = ").push_bind(GRANT_SOURCE.to_string());
        q.push(" AND person_id IN ").push_id_list(ids);
        q.query()?.execute(&mut **tx).await?;
    }
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
    /// New people from which `insert_new` sets indexes aside ([`bulk`]).
    bulk_from: usize,
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

    /// New people (`source = hr`, role group `ansatt`) with their employment and manager grant, table by table
    /// in batches (one table at a time keeps SQLite's page cache on one set of indexes: interleaving the four
    /// tables per batch made a 511,000-person first import a third slower). Each batch's rows are built only
    /// when it is written, so a national-scale first import is not held as rows twice. Very many new people are
    /// inserted with the tables' secondary indexes set aside and rebuilt afterwards ([`bulk`]).
    async fn insert_new(&mut self, new: &[HrRecord], state: &mut State) -> Result<Vec<PersonId>> {
        if new.is_empty() {
            return Ok(Vec::new());
        }
        let set_aside = if new.len() >= self.bulk_from {
            let existing: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM person").fetch_one(&mut **self.tx).await?;
            match bulk::worth_it(new.len(), existing, self.bulk_from) {
                true => Some(bulk::set_aside(self.tx, &bulk::BULK_TABLES).await?),
                false => None,
            }
        } else {
            None
        };
        let created = self.insert_new_rows(new, state).await?;
        if let Some(set_aside) = set_aside {
            bulk::rebuild(self.tx, set_aside).await?;
        }
        Ok(created)
    }

    async fn insert_new_rows(&mut self, new: &[HrRecord], state: &mut State) -> Result<Vec<PersonId>> {
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
        for chunk in new.chunks(bulk_rows_per_statement(self.tx, columns.len())) {
            let people = chunk
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
            insert_bulk(self.tx, "person", &columns, people).await?;
        }
        let mut ids = HashMap::with_capacity(new.len());
        // On SQLite a thousand ids per row, as in `read_state` (each row crosses a channel from sqlx's thread).
        if self.tx.backend_name() == <sqlx::Sqlite as sqlx::Database>::NAME {
            let mut rows = sqlx::query(
                "SELECT json_group_array(json_array(id, employee_number)) FROM person
                 WHERE municipality_id = $1 AND employee_number IS NOT NULL GROUP BY id / 1000",
            )
            .bind(self.municipality.0)
            .fetch(&mut **self.tx);
            while let Some(r) = rows.try_next().await? {
                let chunk: Vec<(i64, String)> =
                    serde_json::from_str(&r.try_get::<String, _>(0)?).map_err(|e| sqlx::Error::Decode(Box::new(e)))?;
                ids.extend(chunk.into_iter().map(|(id, number)| (number, PersonId(id))));
            }
        } else {
            let mut rows = sqlx::query(
                "SELECT id, employee_number FROM person WHERE municipality_id = $1 AND employee_number IS NOT NULL",
            )
            .bind(self.municipality.0)
            .fetch(&mut **self.tx);
            while let Some(r) = rows.try_next().await? {
                ids.insert(r.try_get::<String, _>(1)?, PersonId(r.try_get(0)?));
            }
        }
        let mut created = Vec::with_capacity(new.len());
        let mut units = Vec::with_capacity(new.len());
        for r in new {
            created.push(*ids.get(r.employee_number.as_str()).ok_or(DomainError::NotFound)?);
            units.push(state.unit_ids.get(&r.unit).map(|(u, _)| *u).ok_or(DomainError::NotFound)?);
        }
        drop(ids);
        for ids in created.chunks(bulk_rows_per_statement(self.tx, 2)) {
            let groups =
                ids.iter().map(|id| vec![Val::Int(Some(id.0)), Val::Text(Some(RoleGroup::Ansatt.code().into()))]);
            insert_bulk(self.tx, "person_role_group", &["person_id", "role_group"], groups.collect()).await?;
        }
        let job_columns =
            ["person_id", "unit_id", "position_title", "position_code", "percent", "start_date", "end_date"];
        let all = new.iter().zip(created.iter().zip(&units));
        let chunks: Vec<Vec<_>> = {
            let mut out = Vec::new();
            let mut all = all.peekable();
            while all.peek().is_some() {
                out.push(all.by_ref().take(bulk_rows_per_statement(self.tx, job_columns.len())).collect());
            }
            out
        };
        for chunk in &chunks {
            let jobs = chunk
                .iter()
                .map(|(r, (id, unit))| {
                    vec![
                        Val::Int(Some(id.0)),
                        Val::Int(Some(unit.0)),
                        Val::Text(r.position_title.clone()),
                        Val::Text(r.position_code.clone()),
                        Val::Real(percent_value(r.percent)),
                        Val::Text(r.start_date.map(|d| d.to_string())),
                        Val::Text(r.end_date.map(|d| d.to_string())),
                    ]
                })
                .collect();
            insert_bulk(self.tx, "employment", &job_columns, jobs).await?;
        }
        let grants = chunks
            .iter()
            .flatten()
            .filter(|(r, _)| r.is_manager)
            .map(|(_, (id, unit))| {
                vec![
                    Val::Int(Some(id.0)),
                    Val::Text(Some(Role::Manager.code().into())),
                    Val::Int(Some(unit.0)),
                    Val::Text(Some(GRANT_SOURCE.into())),
                    Val::Int(Some(self.now)),
                ]
            })
            .collect();
        insert_batch(self.tx, "role_grant", &["person_id", "role", "unit_id", "source", "granted_at"], grants).await?;
        Ok(created)
    }

    /// Moves the current employments to the plan's units (in place; the import record keeps where they were), or
    /// gives a person without one an employment there.
    async fn move_people(
        &mut self,
        moves: &[UnitMove],
        state: &mut State,
        step: &mut (dyn FnMut(usize) + Send),
    ) -> Result<()> {
        let mut rows = Vec::with_capacity(moves.len());
        for movement in moves {
            let (unit, _) = state.unit_ids.get(&movement.to).cloned().ok_or(DomainError::NotFound)?;
            if let Some(employment) = state.employment.get(&movement.id) {
                rows.push(vec![Val::Int(Some(*employment)), Val::Int(Some(unit.0))]);
                continue;
            }
            let id: i64 =
                sqlx::query_scalar("INSERT INTO employment (person_id, unit_id) VALUES ($1, $2) RETURNING id")
                    .bind(movement.id.0)
                    .bind(unit.0)
                    .fetch_one(&mut **self.tx)
                    .await?;
            self.created_employments.push(id);
            state.employment.insert(movement.id, id);
        }
        update_batch(self.tx, "employment", &["id", "unit_id"], "unit_id = v.unit_id", rows).await?;
        step(moves.len());
        Ok(())
    }

    /// Writes the mapped fields of each update's record; returning people are active again and their employment
    /// open (unless the file gives an end date).
    async fn update_people(
        &mut self,
        updates: &[PersonUpdate],
        returning: bool,
        employment: &HashMap<PersonId, i64>,
        step: &mut (dyn FnMut(usize) + Send),
    ) -> Result<()> {
        let mut columns = vec!["id", "given_name", "family_name", "name_sort", "given_sort"];
        let mut set = vec![
            "given_name = v.given_name",
            "family_name = v.family_name",
            "name_sort = v.name_sort",
            "given_sort = v.given_sort",
        ];
        let (email, mobile) = (self.has(Field::Email), self.has(Field::Mobile));
        if email {
            columns.push("email");
            set.push("email = v.email");
        }
        if mobile {
            columns.push("mobile");
            set.push("mobile = v.mobile");
        }
        if returning {
            set.push("left_at = NULL");
        }
        let mut job_columns = vec!["id"];
        let mut job_set = Vec::new();
        let job_fields = [
            (Field::PositionTitle, "position_title"),
            (Field::PositionCode, "position_code"),
            (Field::Percent, "percent"),
            (Field::StartDate, "start_date"),
            (Field::EndDate, "end_date"),
        ];
        let job_fields: Vec<(Field, &str)> = job_fields.into_iter().filter(|(f, _)| self.has(*f)).collect();
        for (_, column) in &job_fields {
            job_columns.push(column);
            job_set.push(format!("{column} = v.{column}"));
        }
        if returning && !self.has(Field::EndDate) {
            job_set.push("end_date = NULL".into());
        }
        for chunk in updates.chunks(IDS_PER_STATEMENT) {
            let mut people = Vec::with_capacity(chunk.len());
            let mut jobs = Vec::with_capacity(chunk.len());
            for update in chunk {
                let r = &update.record;
                let mut row = vec![
                    Val::Int(Some(update.id.0)),
                    Val::Text(Some(r.given_name.clone())),
                    Val::Text(Some(r.family_name.clone())),
                    Val::Text(Some(sort_key(&format!("{} {}", r.family_name, r.given_name)))),
                    Val::Text(Some(sort_key(&format!("{} {}", r.given_name, r.family_name)))),
                ];
                if email {
                    row.push(Val::Text(r.email.as_ref().map(|e| e.as_str().to_string())));
                }
                if mobile {
                    row.push(Val::Text(r.mobile.clone()));
                }
                people.push(row);
                let Some(job) = employment.get(&update.id) else { continue };
                let mut row = vec![Val::Int(Some(*job))];
                for (field, _) in &job_fields {
                    row.push(match field {
                        Field::PositionTitle => Val::Text(r.position_title.clone()),
                        Field::PositionCode => Val::Text(r.position_code.clone()),
                        Field::Percent => Val::Real(percent_value(r.percent)),
                        Field::StartDate => Val::Text(r.start_date.map(|d| d.to_string())),
                        _ => Val::Text(r.end_date.map(|d| d.to_string())),
                    });
                }
                jobs.push(row);
            }
            update_batch(self.tx, "person", &columns, &set.join(", "), people).await?;
            if !job_set.is_empty() {
                update_batch(self.tx, "employment", &job_columns, &job_set.join(", "), jobs).await?;
            }
            step(chunk.len());
        }
        Ok(())
    }

    /// Marks people as left and ends their open employments today. Nothing is deleted.
    async fn leave(&mut self, ids: &[PersonId]) -> Result<()> {
        for chunk in ids.chunks(IDS_PER_STATEMENT) {
            let ids: Vec<i64> = chunk.iter().map(|id| id.0).collect();
            let mut q = Sql::for_conn(self.tx, "UPDATE person SET left_at = ");
            q.push_bind(self.now).push(" WHERE id IN ").push_id_list(&ids);
            q.query()?.execute(&mut **self.tx).await?;
            let mut q = Sql::for_conn(self.tx, "SELECT id, end_date FROM employment WHERE person_id IN ");
            q.push_id_list(&ids).push(" AND (end_date IS NULL OR end_date > ").push_bind(self.today.clone()).push(")");
            let open = q.query()?.fetch_all(&mut **self.tx).await?;
            let mut ended = Vec::with_capacity(open.len());
            for r in &open {
                let employment: i64 = r.try_get(0)?;
                self.ended_employments.push((employment, r.try_get(1)?));
                ended.push(employment);
            }
            for ended in ended.chunks(IDS_PER_STATEMENT) {
                let mut q = Sql::for_conn(self.tx, "UPDATE employment SET end_date = ");
                q.push_bind(self.today.clone()).push(" WHERE id IN ").push_id_list(ended);
                q.query()?.execute(&mut **self.tx).await?;
            }
        }
        Ok(())
    }

    /// Makes each person's import-sourced manager grants exactly the unit given (or none). `grants` are all of
    /// the municipality's import-sourced manager grants as read before the apply.
    async fn set_managers(
        &mut self,
        managers: &[(PersonId, Option<UnitId>)],
        grants: &HashSet<(i64, i64)>,
    ) -> Result<()> {
        let mut held: HashMap<i64, Vec<i64>> = HashMap::new();
        for (person, unit) in grants {
            held.entry(*person).or_default().push(*unit);
        }
        let (mut none, mut stale, mut missing) = (Vec::new(), Vec::new(), Vec::new());
        for (person, unit) in managers {
            let Some(unit) = unit else {
                none.push(person.0);
                continue;
            };
            for held in held.get(&person.0).into_iter().flatten().filter(|u| **u != unit.0) {
                stale.push(vec![Val::Int(Some(person.0)), Val::Int(Some(*held))]);
            }
            if !grants.contains(&(person.0, unit.0)) {
                missing.push(vec![
                    Val::Int(Some(person.0)),
                    Val::Text(Some(Role::Manager.code().into())),
                    Val::Int(Some(unit.0)),
                    Val::Text(Some(GRANT_SOURCE.into())),
                    Val::Int(Some(self.now)),
                ]);
            }
        }
        remove_import_grants(self.tx, &none).await?;
        let mut stale = stale.into_iter().peekable();
        while stale.peek().is_some() {
            let mut q = Sql::for_conn(self.tx, "DELETE FROM role_grant WHERE role = ");
            q.push_bind(Role::Manager.code().to_string()).push(" AND source = ").push_bind(GRANT_SOURCE.to_string());
            q.push(" AND (person_id, unit_id) IN (VALUES ");
            for (i, pair) in stale.by_ref().take(IDS_PER_STATEMENT).enumerate() {
                q.push(if i == 0 { "(" } else { ", (" }).push_values(pair).push(")");
            }
            q.push(")");
            q.query()?.execute(&mut **self.tx).await?;
        }
        insert_batch(self.tx, "role_grant", &["person_id", "role", "unit_id", "source", "granted_at"], missing).await?;
        Ok(())
    }
}
