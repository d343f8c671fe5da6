//! HR import in the database: the current state the domain's diff compares with, saved column mappings, the
//! import records, and applying an import in one transaction.
//!
//! The pure rules (decoding, mapping, row parsing, the diff) live in `loft_domain::hr`. This module owns how a
//! person's HR data is stored: the person row, their *current employment* (the employment row with the highest
//! id; the import updates it in place) and their manager grant (a `role_grant` row with role `manager`, the unit
//! of that employment and source `hr-import`; grants from any other source are never touched).

use crate::audit::{Change, record};
use crate::org::insert_unit;
use crate::sql::{Sql, Val, insert_batch};
use crate::{Result, Store, now};
use loft_domain::DomainError;
use loft_domain::collation::sort_key;
use loft_domain::hr::{
    ColumnMapping, CurrentPerson, DecodeError, Encoding, Field, Format, HrRecord, ImportPlan, MappingError, ParsedRows,
    Percent, PlanSummary, RowError, UnitRef, decode, diff, parse_rows,
};
use loft_domain::ids::{MunicipalityId, PersonId, RegionId, UnitId};
use loft_domain::org::UnitPath;
use loft_domain::person::{Email, EmployeeNumber, RoleGroup};
use loft_domain::policy::Role;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use sqlx::{AnyConnection, Row};
use std::collections::{BTreeSet, HashMap, HashSet};

const GRANT_SOURCE: &str = "hr-import";

/// How a file names units: by the HR system's unit code or by the path of unit names from the root.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UnitKind {
    Code,
    Path,
}

impl UnitKind {
    pub fn of(mapping: &ColumnMapping) -> UnitKind {
        if mapping.unit_field() == Some(Field::UnitPath) { UnitKind::Path } else { UnitKind::Code }
    }
}

/// The counts of an import, as shown in the preview and kept with the record.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportSummary {
    /// Data rows in the file.
    pub rows: usize,
    /// Rows with errors (`RowError`s from parsing; rejected rows are counted in `plan.rejected`).
    pub invalid_rows: usize,
    #[serde(flatten)]
    pub plan: PlanSummary,
}

/// A recorded preview: what applying `import_id` would do, as of now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Preview {
    pub import_id: i64,
    pub format: Format,
    pub encoding: Option<Encoding>,
    pub mapping: ColumnMapping,
    /// Every invalid row, by line.
    pub errors: Vec<RowError>,
    pub plan: ImportPlan,
    pub summary: ImportSummary,
}

/// Why a file was not previewed at all. Nothing is recorded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Rejected {
    Decode(DecodeError),
    /// The mapping (saved, given or guessed) does not fit the file's headers.
    Mapping {
        mapping: ColumnMapping,
        headers: Vec<String>,
        errors: Vec<MappingError>,
    },
}

/// One import as listed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ImportRecord {
    pub id: i64,
    pub municipality_id: MunicipalityId,
    pub actor_person_id: Option<PersonId>,
    pub created_at: i64,
    pub file_name: String,
    pub file_sha256: String,
    pub format: String,
    /// `previewed`, `applied` or `undone`.
    pub status: String,
    pub summary: ImportSummary,
    pub applied_at: Option<i64>,
    pub undone_at: Option<i64>,
}

/// One import with its plan as stored (JSON, for display and download).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ImportDetail {
    pub record: ImportRecord,
    pub plan_json: String,
}

/// The current state, with what the apply needs besides what the diff compares.
struct State {
    people: Vec<CurrentPerson>,
    units: BTreeSet<UnitRef>,
    /// Open units by the file's way of naming them (the lowest id wins for a duplicate name).
    unit_ids: HashMap<UnitRef, (UnitId, UnitPath)>,
    /// Each person's current employment row.
    employment: HashMap<PersonId, i64>,
    /// (person, unit) of the import's manager grants.
    grants: HashSet<(i64, i64)>,
    /// Each person's stored values, kept with an applied import so that it can be undone.
    snapshots: HashMap<PersonId, Snapshot>,
}

/// A person's HR values exactly as stored before an import touched them.
#[derive(Debug, Clone, Serialize, Deserialize)]
struct Snapshot {
    id: PersonId,
    given_name: String,
    family_name: String,
    email: Option<String>,
    mobile: Option<String>,
    left_at: Option<i64>,
    employment: Option<EmploymentSnapshot>,
    /// Units of the person's `hr-import` manager grants.
    manager_of: Vec<i64>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
struct EmploymentSnapshot {
    id: i64,
    unit_id: i64,
    position_title: Option<String>,
    position_code: Option<String>,
    percent: Option<f64>,
    start_date: Option<String>,
    end_date: Option<String>,
}

async fn read_state(conn: &mut AnyConnection, municipality: MunicipalityId, kind: UnitKind) -> Result<State> {
    let rows = sqlx::query(
        "SELECT id, parent_id, name, code, path FROM unit WHERE municipality_id = $1 AND closed_at IS NULL ORDER BY id",
    )
    .bind(municipality.0)
    .fetch_all(&mut *conn)
    .await?;
    let mut tree: HashMap<i64, (Option<i64>, String, Option<String>, String)> = HashMap::new();
    for r in &rows {
        tree.insert(r.try_get(0)?, (r.try_get(1)?, r.try_get(2)?, r.try_get(3)?, r.try_get(4)?));
    }
    let mut unit_ids = HashMap::new();
    let mut unit_of_id: HashMap<i64, UnitRef> = HashMap::new();
    for r in &rows {
        let id: i64 = r.try_get(0)?;
        let (_, _, code, path) = &tree[&id];
        let unit = match kind {
            UnitKind::Code => match code {
                Some(code) => UnitRef::Code(code.clone()),
                None => continue,
            },
            UnitKind::Path => {
                let mut names = Vec::new();
                let mut at = Some(id);
                // A closed parent ends the path early; depth is bounded by the tree to guard against cycles.
                while let Some(node) = at.and_then(|a| tree.get(&a)).filter(|_| names.len() <= tree.len()) {
                    names.push(node.1.clone());
                    at = node.0;
                }
                names.reverse();
                UnitRef::Path(names)
            }
        };
        unit_of_id.insert(id, unit.clone());
        unit_ids.entry(unit).or_insert((UnitId(id), UnitPath::from_stored(path.clone())));
    }
    let grant_rows = sqlx::query(
        "SELECT g.person_id, g.unit_id FROM role_grant g JOIN person p ON p.id = g.person_id
         WHERE p.municipality_id = $1 AND g.role = $2 AND g.source = $3 AND g.unit_id IS NOT NULL",
    )
    .bind(municipality.0)
    .bind(Role::Manager.code())
    .bind(GRANT_SOURCE)
    .fetch_all(&mut *conn)
    .await?;
    let mut grants = HashSet::new();
    for r in &grant_rows {
        grants.insert((r.try_get::<i64, _>(0)?, r.try_get::<i64, _>(1)?));
    }
    let rows = sqlx::query(
        "SELECT p.id, p.employee_number, p.given_name, p.family_name, p.email, p.mobile, p.left_at,
                e.id, e.unit_id, e.position_title, e.position_code, e.percent, e.start_date, e.end_date
         FROM person p LEFT JOIN employment e ON e.id = (SELECT MAX(x.id) FROM employment x WHERE x.person_id = p.id)
         WHERE p.municipality_id = $1 AND p.employee_number IS NOT NULL ORDER BY p.id",
    )
    .bind(municipality.0)
    .fetch_all(&mut *conn)
    .await?;
    let date = |s: Option<String>| s.and_then(|s| s.parse::<jiff::civil::Date>().ok());
    let mut manager_of: HashMap<i64, Vec<i64>> = HashMap::new();
    for (person, unit) in &grants {
        manager_of.entry(*person).or_default().push(*unit);
    }
    let mut people = Vec::with_capacity(rows.len());
    let mut employment = HashMap::new();
    let mut snapshots = HashMap::with_capacity(rows.len());
    for r in &rows {
        let id = PersonId(r.try_get(0)?);
        let Ok(employee_number) = EmployeeNumber::parse(&r.try_get::<String, _>(1)?) else { continue };
        let job = match r.try_get::<Option<i64>, _>(7)? {
            Some(job_id) => Some(EmploymentSnapshot {
                id: job_id,
                unit_id: r.try_get(8)?,
                position_title: r.try_get(9)?,
                position_code: r.try_get(10)?,
                percent: r.try_get(11)?,
                start_date: r.try_get(12)?,
                end_date: r.try_get(13)?,
            }),
            None => None,
        };
        let snapshot = Snapshot {
            id,
            given_name: r.try_get(2)?,
            family_name: r.try_get(3)?,
            email: r.try_get(4)?,
            mobile: r.try_get(5)?,
            left_at: r.try_get(6)?,
            employment: job,
            manager_of: manager_of.remove(&id.0).unwrap_or_default(),
        };
        let job = snapshot.employment.as_ref();
        if let Some(job) = job {
            employment.insert(id, job.id);
        }
        let unit_id = job.map(|j| j.unit_id);
        people.push(CurrentPerson {
            id,
            employee_number,
            given_name: snapshot.given_name.clone(),
            family_name: snapshot.family_name.clone(),
            email: snapshot.email.as_deref().and_then(|e| Email::parse(e).ok()),
            mobile: snapshot.mobile.clone(),
            unit: unit_id.and_then(|u| unit_of_id.get(&u).cloned()),
            position_title: job.and_then(|j| j.position_title.clone()),
            position_code: job.and_then(|j| j.position_code.clone()),
            percent: job
                .and_then(|j| j.percent)
                .map(|p| Percent::from_hundredths((p * 100.0).round().clamp(0.0, 10_000.0) as u16)),
            is_manager: unit_id.is_some_and(|u| grants.contains(&(id.0, u))),
            start_date: date(job.and_then(|j| j.start_date.clone())),
            end_date: date(job.and_then(|j| j.end_date.clone())),
            left: snapshot.left_at.is_some(),
        });
        snapshots.insert(id, snapshot);
    }
    let units = unit_ids.keys().cloned().collect();
    Ok(State { people, units, unit_ids, employment, grants, snapshots })
}

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

/// What undoing an applied import needs, saved in its plan.
#[derive(Debug, Default, Serialize, Deserialize)]
struct UndoData {
    /// Every existing person the import changed, as stored before.
    snapshots: Vec<Snapshot>,
    created_units: Vec<UnitId>,
    created_people: Vec<PersonId>,
    /// Employments the import gave people who had none.
    created_employments: Vec<i64>,
    /// Employments ended because their person left: (id, end date before).
    ended_employments: Vec<(i64, Option<String>)>,
}

#[derive(Serialize)]
struct Previewed<'a> {
    plan: &'a ImportPlan,
    errors: &'a [RowError],
}

fn today() -> String {
    let now = jiff::Timestamp::now();
    now.in_tz("Europe/Oslo")
        .map(|z| z.date())
        .unwrap_or_else(|_| jiff::tz::TimeZone::UTC.to_datetime(now).date())
        .to_string()
}

fn format_name(format: Format) -> &'static str {
    match format {
        Format::Csv { .. } => "csv",
        Format::Xlsx => "xlsx",
    }
}

fn invalid(code: &'static str) -> crate::StoreError {
    DomainError::invalid("file", code).into()
}

impl Store {
    /// The municipality's people with an employee number (any source) and its open units, named as `kind` says:
    /// what [`loft_domain::hr::diff`] compares a file with.
    pub async fn hr_current_state(
        &self,
        municipality: MunicipalityId,
        kind: UnitKind,
    ) -> Result<(Vec<CurrentPerson>, BTreeSet<UnitRef>)> {
        let mut conn = self.pool.acquire().await?;
        let state = read_state(&mut conn, municipality, kind).await?;
        Ok((state.people, state.units))
    }

    /// The column mapping confirmed by the municipality's last applied import (or saved by hand).
    pub async fn hr_mapping(&self, municipality: MunicipalityId) -> Result<Option<ColumnMapping>> {
        let json: Option<String> =
            sqlx::query_scalar("SELECT mapping_json FROM hr_column_mapping WHERE municipality_id = $1")
                .bind(municipality.0)
                .fetch_optional(&self.pool)
                .await?;
        Ok(json.and_then(|j| serde_json::from_str(&j).ok()))
    }

    pub async fn save_hr_mapping(&self, municipality: MunicipalityId, mapping: &ColumnMapping) -> Result<()> {
        let mut tx = self.pool.begin().await?;
        save_mapping(&mut tx, municipality, mapping).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Reads a file with `mapping` (else the saved mapping, else a guess from its headers), compares it with the
    /// current state and records the preview. Nothing but the import record is written.
    #[allow(clippy::too_many_arguments)]
    pub async fn preview_hr_import(
        &self,
        change: Change,
        municipality: MunicipalityId,
        file_name: &str,
        bytes: &[u8],
        max_bytes: usize,
        mapping: Option<ColumnMapping>,
    ) -> Result<std::result::Result<Preview, Rejected>> {
        let table = match decode(bytes, file_name, max_bytes) {
            Ok(table) => table,
            Err(e) => return Ok(Err(Rejected::Decode(e))),
        };
        let mapping = match mapping {
            Some(m) => m,
            None => self.hr_mapping(municipality).await?.unwrap_or_else(|| ColumnMapping::guess(&table.headers)),
        };
        let (format, encoding, headers, rows) = (table.format, table.encoding, table.headers.clone(), table.rows.len());
        let parsed = match parse_rows(table, &mapping) {
            Ok(parsed) => parsed,
            Err(errors) => return Ok(Err(Rejected::Mapping { mapping, headers, errors })),
        };
        let (people, units) = self.hr_current_state(municipality, UnitKind::of(&mapping)).await?;
        let plan = diff(&people, &units, &parsed);
        let summary = ImportSummary { rows, invalid_rows: invalid_rows(&parsed), plan: plan.summary() };
        let import_id = self
            .record_hr_preview(
                change,
                municipality,
                file_name,
                bytes,
                format,
                &mapping,
                &summary,
                &plan,
                &parsed.errors,
            )
            .await?;
        Ok(Ok(Preview { import_id, format, encoding, mapping, errors: parsed.errors, plan, summary }))
    }

    /// Stores a previewed import: the file (until it is applied), its hash, the mapping, the counts and the plan.
    #[allow(clippy::too_many_arguments)]
    pub async fn record_hr_preview(
        &self,
        change: Change,
        municipality: MunicipalityId,
        file_name: &str,
        bytes: &[u8],
        format: Format,
        mapping: &ColumnMapping,
        summary: &ImportSummary,
        plan: &ImportPlan,
        errors: &[RowError],
    ) -> Result<i64> {
        let plan_json = serde_json::to_string(&Previewed { plan, errors }).map_err(|_| invalid("plan-not-stored"))?;
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO hr_import (municipality_id, actor_person_id, created_at, file_name, file_sha256, format, status,
                                    mapping_json, content, summary_json, plan_json)
             VALUES ($1, $2, $3, $4, $5, $6, 'previewed', $7, $8, $9, $10) RETURNING id",
        )
        .bind(municipality.0)
        .bind(change.actor.map(|p| p.0))
        .bind(now())
        .bind(file_name.to_string())
        .bind(hex::encode(Sha256::digest(bytes)))
        .bind(format_name(format))
        .bind(serde_json::to_string(mapping).unwrap_or_default())
        .bind(bytes.to_vec())
        .bind(serde_json::to_string(summary).unwrap_or_default())
        .bind(plan_json)
        .fetch_one(&self.pool)
        .await?;
        Ok(id)
    }

    /// Applies a previewed import in one transaction. The file is read again and compared with the state *now*,
    /// so a preview that has gone stale cannot write stale values. Refused while the file has invalid rows unless
    /// `skip_invalid`; then those rows' people are left as they are. The mapping becomes the municipality's saved
    /// mapping.
    pub async fn apply_hr_import(&self, change: Change, import_id: i64, skip_invalid: bool) -> Result<ImportSummary> {
        let mut tx = self.pool.begin().await?;
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
        let before: HashMap<PersonId, &CurrentPerson> = state.people.iter().map(|p| (p.id, p)).collect();
        let mut touched = Vec::new();
        for movement in &plan.moved {
            let (unit, _) = state.unit_ids.get(&movement.to).cloned().ok_or(DomainError::NotFound)?;
            let employment = writer.move_person(movement.id, unit, state.employment.get(&movement.id).copied()).await?;
            state.employment.insert(movement.id, employment);
            touched.push(movement.id);
        }
        for (update, returning) in
            plan.changed.iter().map(|u| (u, false)).chain(plan.returning.iter().map(|u| (u, true)))
        {
            writer
                .update_person(&update.record, update.id, state.employment.get(&update.id).copied(), returning)
                .await?;
            touched.push(update.id);
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

    /// Undoes an applied import while no later import of the municipality is applied, in one transaction: the
    /// people it changed get their stored values (and manager grants) back, employments it ended are open again,
    /// people and units it created are marked as left and closed rather than deleted (they may be referred to by
    /// now). Hand edits made since to the same people are overwritten.
    pub async fn undo_hr_import(&self, change: Change, import_id: i64) -> Result<()> {
        let mut tx = self.pool.begin().await?;
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
        let undo: UndoData =
            serde_json::from_str(&row.try_get::<String, _>(2)?).map_err(|_| invalid("plan-not-stored"))?;
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

    /// The municipality's imports, newest first.
    pub async fn hr_imports(&self, municipality: MunicipalityId) -> Result<Vec<ImportRecord>> {
        let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT {IMPORT_COLUMNS} FROM hr_import WHERE municipality_id = $1 ORDER BY id DESC"
        )))
        .bind(municipality.0)
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(import_from).collect()
    }

    pub async fn hr_import(&self, id: i64) -> Result<ImportDetail> {
        let row = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT {IMPORT_COLUMNS}, plan_json FROM hr_import WHERE id = $1"
        )))
        .bind(id)
        .fetch_optional(&self.pool)
        .await?
        .ok_or(DomainError::NotFound)?;
        Ok(ImportDetail { record: import_from(&row)?, plan_json: row.try_get(11)? })
    }
}

const IMPORT_COLUMNS: &str = "id, municipality_id, actor_person_id, created_at, file_name, file_sha256, format, status, summary_json, applied_at, undone_at";

fn import_from(r: &sqlx::any::AnyRow) -> Result<ImportRecord> {
    let summary: String = r.try_get(8)?;
    Ok(ImportRecord {
        id: r.try_get(0)?,
        municipality_id: MunicipalityId(r.try_get(1)?),
        actor_person_id: r.try_get::<Option<i64>, _>(2)?.map(PersonId),
        created_at: r.try_get(3)?,
        file_name: r.try_get(4)?,
        file_sha256: r.try_get(5)?,
        format: r.try_get(6)?,
        status: r.try_get(7)?,
        summary: serde_json::from_str(&summary).unwrap_or_default(),
        applied_at: r.try_get(9)?,
        undone_at: r.try_get(10)?,
    })
}

/// Rows with at least one error.
fn invalid_rows(parsed: &ParsedRows) -> usize {
    let lines: BTreeSet<u64> = parsed.errors.iter().map(|e| e.line).collect();
    lines.len()
}

async fn save_mapping(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    municipality: MunicipalityId,
    mapping: &ColumnMapping,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO hr_column_mapping (municipality_id, mapping_json, updated_at) VALUES ($1, $2, $3)
         ON CONFLICT (municipality_id) DO UPDATE SET mapping_json = excluded.mapping_json, updated_at = excluded.updated_at",
    )
    .bind(municipality.0)
    .bind(serde_json::to_string(mapping).unwrap_or_default())
    .bind(now())
    .execute(&mut **tx)
    .await?;
    Ok(())
}

async fn remove_import_grants(tx: &mut sqlx::Transaction<'_, sqlx::Any>, person: PersonId) -> Result<()> {
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
