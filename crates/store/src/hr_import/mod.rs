//! HR import in the database: the current state the domain's diff compares with, saved column mappings, the
//! import records, and applying an import in one transaction.
//!
//! The pure rules (decoding, mapping, row parsing, the diff) live in `loft_domain::hr`. This module owns how a
//! person's HR data is stored: the person row, their *current employment* (the employment row with the highest
//! id; the import updates it in place) and their manager grant (a `role_grant` row with role `manager`, the unit
//! of that employment and source `hr-import`; grants from any other source are never touched).
//!
//! Here: previews, import records and mappings. `state` reads what the diff compares with, `apply` writes an
//! import in one transaction, `undo` reverses the newest one.

mod apply;
mod bulk;
mod state;
mod undo;

use crate::audit::Change;
use crate::{Result, Store, now};
use loft_domain::DomainError;
use loft_domain::hr::{
    ColumnMapping, CurrentPerson, DecodeError, Encoding, Field, Format, ImportPlan, MappingError, ParsedRows,
    PlanSummary, RowError, UnitRef, WrongMunicipality, check_named, check_overlap, decode, diff_taking, parse_rows,
};
use loft_domain::ids::{MunicipalityId, PersonId};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use sqlx::Row;
use state::read_state;

pub use apply::Progress;
use std::collections::BTreeSet;

const GRANT_SOURCE: &str = "hr-import";

/// New people in one import from which its insert sets the bulk tables' indexes aside ([`bulk`]); the default of
/// [`Store::with_hr_bulk_insert_from`].
pub const BULK_INSERT_FROM: usize = 100_000;

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
    /// The file is about another municipality (see `loft_domain::hr::municipality`).
    WrongMunicipality(WrongMunicipality),
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

/// An uploaded file kept with its import until it is applied.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredFile {
    pub file_name: String,
    pub content: Vec<u8>,
    pub mapping: ColumnMapping,
}

/// One import with its plan as stored (JSON, for display and download).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ImportDetail {
    pub record: ImportRecord,
    pub plan_json: String,
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
        Format::Stamdata3 => "stamdata3",
    }
}

/// Serialises `value` into a string allocated once at its exact size (counted in a first pass): a national-scale
/// plan is about 170 MB, and growing a string to that by doubling briefly holds up to three times as much.
fn json_exact<T: Serialize>(value: &T) -> Result<String> {
    struct Count(usize);
    impl std::io::Write for Count {
        fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
            self.0 += bytes.len();
            Ok(bytes.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }
    let mut count = Count(0);
    serde_json::to_writer(&mut count, value).map_err(|_| invalid("plan-not-stored"))?;
    let mut out = Vec::with_capacity(count.0);
    serde_json::to_writer(&mut out, value).map_err(|_| invalid("plan-not-stored"))?;
    String::from_utf8(out).map_err(|_| invalid("plan-not-stored"))
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

    /// The municipality's HR state version: raised by every write to its people, their employments and role
    /// grants, and its units (triggers of migration 0006); a preview records it, and an apply of a preview that
    /// changed nothing writes nothing while it is the same.
    pub async fn hr_state_version(&self, municipality: MunicipalityId) -> Result<i64> {
        state_version(&mut *self.pool.acquire().await?, municipality).await
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

    /// Reads a file with `mapping` (else the saved mapping if it fits the headers, else a guess from them),
    /// compares it with the current state and records the preview. Nothing but the import record is written;
    /// a file that cannot be read, does not fit the mapping or is about another municipality is not recorded.
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
        let number = self.municipality(municipality).await?.number;
        if let Err(wrong) = check_named(&table, number) {
            return Ok(Err(Rejected::WrongMunicipality(wrong)));
        }
        let mapping = match mapping {
            Some(m) => m,
            // A saved mapping that no longer fits this file's headers gives way to a fresh guess.
            None => match self.hr_mapping(municipality).await? {
                Some(saved) if saved.validate(&table.headers).is_ok() => saved,
                _ => ColumnMapping::guess(&table.headers),
            },
        };
        let (format, encoding, headers, rows) = (table.format, table.encoding, table.headers.clone(), table.rows.len());
        let mut parsed = match parse_rows(table, &mapping) {
            Ok(parsed) => parsed,
            Err(errors) => return Ok(Err(Rejected::Mapping { mapping, headers, errors })),
        };
        // Read before the state: a change committed after this read makes the apply compare afresh.
        let version = state_version(&mut *self.pool.acquire().await?, municipality).await?;
        let (people, units) = self.hr_current_state(municipality, UnitKind::of(&mapping)).await?;
        if let Err(wrong) = check_overlap(&people, &units, &parsed) {
            return Ok(Err(Rejected::WrongMunicipality(wrong)));
        }
        let plan = diff_taking(&people, &units, &mut parsed);
        drop((people, units));
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
                version,
            )
            .await?;
        Ok(Ok(Preview { import_id, format, encoding, mapping, errors: parsed.errors, plan, summary }))
    }

    /// Stores a previewed import: the file (until it is applied), its hash, the mapping, the counts, the plan and
    /// the municipality's HR state version (`hr_state_version`) read before the state the plan was made from.
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
        state_version: i64,
    ) -> Result<i64> {
        let plan_json = json_exact(&Previewed { plan, errors })?;
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO hr_import (municipality_id, actor_person_id, created_at, file_name, file_sha256, format, status,
                                    mapping_json, content, summary_json, plan_json, state_version)
             VALUES ($1, $2, $3, $4, $5, $6, 'previewed', $7, $8, $9, $10, $11) RETURNING id",
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
        .bind(state_version)
        .fetch_one(&self.pool)
        .await?;
        Ok(id)
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

    /// The uploaded file of an import not yet applied (applying drops it) and the mapping it was read with, so
    /// that it can be previewed again with another mapping. `None` once applied.
    pub async fn hr_import_file(&self, id: i64) -> Result<Option<StoredFile>> {
        let row = sqlx::query("SELECT file_name, content, mapping_json FROM hr_import WHERE id = $1")
            .bind(id)
            .fetch_optional(&self.pool)
            .await?
            .ok_or(DomainError::NotFound)?;
        let Some(content) = row.try_get::<Option<Vec<u8>>, _>(1)? else { return Ok(None) };
        let mapping = serde_json::from_str(&row.try_get::<String, _>(2)?).unwrap_or_default();
        Ok(Some(StoredFile { file_name: row.try_get(0)?, content, mapping }))
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

/// Serialises the applies and undos of one municipality: as the first write of their transaction this locks the
/// municipality's row (PostgreSQL) or the database (SQLite), so the state and status they then read cannot change
/// under them, and a second apply of the same import finds it applied.
async fn lock_for_import(tx: &mut sqlx::Transaction<'_, sqlx::Any>, import_id: i64) -> Result<()> {
    sqlx::query("UPDATE municipality SET name = name WHERE id = (SELECT municipality_id FROM hr_import WHERE id = $1)")
        .bind(import_id)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// The municipality's HR state version: a counter that triggers (migration 0006) raise with every write to its
/// people, their employments and role grants, and its units. 0 before the first such write.
async fn state_version(conn: &mut sqlx::AnyConnection, municipality: MunicipalityId) -> Result<i64> {
    let version: Option<i64> = sqlx::query_scalar("SELECT version FROM hr_state_version WHERE municipality_id = $1")
        .bind(municipality.0)
        .fetch_optional(&mut *conn)
        .await?;
    Ok(version.unwrap_or(0))
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
