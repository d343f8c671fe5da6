//! Regions, municipalities and unit trees, with the unit history.

use crate::audit::{Change, record};
use crate::{Result, Store, StoreError, now};
use loft_domain::DomainError;
use loft_domain::collation::sort_key;
use loft_domain::ids::{MunicipalityId, RegionId, UnitId};
use loft_domain::org::{Municipality, MunicipalityNumber, Region, Unit, UnitPath, check_move, parse_unit_name};
use serde::Serialize;
use sqlx::any::AnyRow;
use sqlx::{Any, Row, Transaction};

const UNIT_COLUMNS: &str = "id, municipality_id, parent_id, name, code, path, closed_at";

fn unit_from(r: &AnyRow) -> Result<Unit> {
    let closed_at: Option<i64> = r.try_get(6)?;
    Ok(Unit {
        id: UnitId(r.try_get(0)?),
        municipality_id: MunicipalityId(r.try_get(1)?),
        parent_id: r.try_get::<Option<i64>, _>(2)?.map(UnitId),
        name: r.try_get(3)?,
        code: r.try_get(4)?,
        path: UnitPath::from_stored(r.try_get(5)?),
        closed: closed_at.is_some(),
    })
}

fn municipality_from(r: &AnyRow) -> Result<Municipality> {
    let number: String = r.try_get(2)?;
    Ok(Municipality {
        id: MunicipalityId(r.try_get(0)?),
        region_id: RegionId(r.try_get(1)?),
        number: MunicipalityNumber::parse(&number)?,
        name: r.try_get(3)?,
        language_form: r.try_get(4)?,
        population: r.try_get(5)?,
    })
}

/// One event in a unit's life, for its history list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct UnitEvent {
    pub at: i64,
    pub change: String,
    pub old_value: Option<String>,
    pub new_value: Option<String>,
}

impl Store {
    pub async fn create_region(&self, name: &str) -> Result<RegionId> {
        let id: i64 = sqlx::query_scalar("INSERT INTO region (name) VALUES ($1) RETURNING id")
            .bind(name.to_string())
            .fetch_one(&self.pool)
            .await
            .map_err(|e| StoreError::from(e).on_unique("name", "region-exists"))?;
        Ok(RegionId(id))
    }

    pub async fn regions(&self) -> Result<Vec<Region>> {
        let rows = sqlx::query("SELECT id, name FROM region ORDER BY id").fetch_all(&self.pool).await?;
        rows.iter().map(|r| Ok(Region { id: RegionId(r.try_get(0)?), name: r.try_get(1)? })).collect()
    }

    /// Adds a municipality without an audit entry (seeding and `loft init-region`).
    pub async fn create_municipality(
        &self,
        region: RegionId,
        number: MunicipalityNumber,
        name: &str,
        county: &str,
        language_form: &str,
        population: i64,
    ) -> Result<MunicipalityId> {
        let mut tx = self.pool.begin().await?;
        let id = insert_municipality(&mut tx, region, number, name, county, language_form, population).await?;
        tx.commit().await?;
        self.municipalities.changed();
        Ok(id)
    }

    /// Registers a municipality in a region, recorded in the audit log.
    pub async fn add_municipality(
        &self,
        change: Change,
        region: RegionId,
        number: MunicipalityNumber,
        name: &str,
        language_form: &str,
        population: i64,
    ) -> Result<MunicipalityId> {
        let name = parse_unit_name(name)?;
        if !["bokmål", "nynorsk", "neutral"].contains(&language_form) {
            return Err(DomainError::invalid("language_form", "invalid-language-form").into());
        }
        if population < 0 {
            return Err(DomainError::invalid("population", "invalid-number").into());
        }
        let mut tx = self.pool.begin().await?;
        let id = insert_municipality(&mut tx, region, number, &name, "", language_form, population).await?;
        let after = serde_json::json!({"number": number, "name": name, "language_form": language_form, "population": population});
        record(
            &mut tx,
            Change { municipality: Some(id), ..change },
            "municipality.create",
            "municipality",
            id.0,
            None::<&()>,
            Some(&after),
        )
        .await?;
        tx.commit().await?;
        self.municipalities.changed();
        Ok(id)
    }

    /// All municipalities in Norwegian alphabetical order.
    /// Every municipality in Norwegian order; kept per process for a second (see `kept`).
    pub async fn municipalities(&self) -> Result<Vec<Municipality>> {
        if let Some(list) = self.municipalities.fresh() {
            return Ok(list);
        }
        let seen = self.municipalities.before_read();
        let rows = sqlx::query(
            "SELECT id, region_id, number, name, language_form, population FROM municipality ORDER BY name_sort",
        )
        .fetch_all(&self.pool)
        .await?;
        let list: Vec<Municipality> = rows.iter().map(municipality_from).collect::<Result<_>>()?;
        self.municipalities.keep(seen, list.clone());
        Ok(list)
    }

    pub async fn municipality(&self, id: MunicipalityId) -> Result<Municipality> {
        let row = sqlx::query(
            "SELECT id, region_id, number, name, language_form, population FROM municipality WHERE id = $1",
        )
        .bind(id.0)
        .fetch_optional(&self.pool)
        .await?
        .ok_or(DomainError::NotFound)?;
        municipality_from(&row)
    }

    pub async fn municipality_by_number(&self, number: MunicipalityNumber) -> Result<Municipality> {
        let row = sqlx::query(
            "SELECT id, region_id, number, name, language_form, population FROM municipality WHERE number = $1",
        )
        .bind(number.to_string())
        .fetch_optional(&self.pool)
        .await?
        .ok_or(DomainError::NotFound)?;
        municipality_from(&row)
    }

    /// Every unit of a municipality, parents before children, siblings in Norwegian order.
    pub async fn units(&self, municipality: MunicipalityId) -> Result<Vec<Unit>> {
        let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT {UNIT_COLUMNS} FROM unit WHERE municipality_id = $1 ORDER BY name_sort, id"
        )))
        .bind(municipality.0)
        .fetch_all(&self.pool)
        .await?;
        let units: Vec<Unit> = rows.iter().map(unit_from).collect::<Result<_>>()?;
        Ok(tree_order(units))
    }

    pub async fn unit(&self, id: UnitId) -> Result<Unit> {
        let row = sqlx::query(sqlx::AssertSqlSafe(format!("SELECT {UNIT_COLUMNS} FROM unit WHERE id = $1")))
            .bind(id.0)
            .fetch_optional(&self.pool)
            .await?
            .ok_or(DomainError::NotFound)?;
        unit_from(&row)
    }

    pub async fn unit_history(&self, id: UnitId) -> Result<Vec<UnitEvent>> {
        let rows = sqlx::query(
            "SELECT at, change, old_value, new_value FROM unit_history WHERE unit_id = $1 ORDER BY at DESC, id DESC",
        )
        .bind(id.0)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                Ok(UnitEvent {
                    at: r.try_get(0)?,
                    change: r.try_get(1)?,
                    old_value: r.try_get(2)?,
                    new_value: r.try_get(3)?,
                })
            })
            .collect()
    }

    /// Creates a unit under `parent` (or as a root) and records it.
    pub async fn create_unit(
        &self,
        change: Change,
        municipality: MunicipalityId,
        parent: Option<UnitId>,
        name: &str,
        code: Option<&str>,
    ) -> Result<UnitId> {
        let name = parse_unit_name(name)?;
        let code = code.map(str::trim).filter(|c| !c.is_empty()).map(str::to_string);
        let mut tx = self.pool.begin().await?;
        let parent_path = match parent {
            Some(p) => {
                let parent = unit_in(&mut tx, p).await?;
                if parent.municipality_id != municipality {
                    return Err(DomainError::invalid("parent", "parent-other-municipality").into());
                }
                if parent.closed {
                    return Err(DomainError::invalid("parent", "parent-closed").into());
                }
                Some(parent.path)
            }
            None => None,
        };
        let id = insert_unit(&mut tx, municipality, parent, parent_path.as_ref(), &name, code.as_deref()).await?;
        history(&mut tx, id, change, "created", None, Some(&name)).await?;
        record(
            &mut tx,
            change,
            "unit.create",
            "unit",
            id.0,
            None::<&()>,
            Some(&serde_json::json!({"name": name, "code": code, "parent": parent})),
        )
        .await?;
        tx.commit().await?;
        Ok(id)
    }

    pub async fn rename_unit(&self, change: Change, id: UnitId, name: &str) -> Result<()> {
        let name = parse_unit_name(name)?;
        let mut tx = self.pool.begin().await?;
        let unit = unit_in(&mut tx, id).await?;
        if unit.name == name {
            return Ok(());
        }
        sqlx::query("UPDATE unit SET name = $1, name_sort = $2 WHERE id = $3")
            .bind(name.clone())
            .bind(sort_key(&name))
            .bind(id.0)
            .execute(&mut *tx)
            .await?;
        history(&mut tx, id, change, "renamed", Some(&unit.name), Some(&name)).await?;
        record(&mut tx, change, "unit.rename", "unit", id.0, Some(&unit), Some(&serde_json::json!({"name": name})))
            .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Moves a unit (and its subtree) under a new parent in the same municipality.
    pub async fn move_unit(&self, change: Change, id: UnitId, new_parent: UnitId) -> Result<()> {
        let mut tx = self.pool.begin().await?;
        let unit = unit_in(&mut tx, id).await?;
        let parent = unit_in(&mut tx, new_parent).await?;
        check_move(&unit, &parent)?;
        if unit.parent_id == Some(new_parent) {
            return Ok(());
        }
        let new_path = parent.path.child(id);
        // Rewrite the prefix of every path in the subtree in one statement.
        sqlx::query("UPDATE unit SET path = $1 || substr(path, CAST($2 AS INTEGER)) WHERE path LIKE $3")
            .bind(new_path.as_str().to_string())
            .bind(unit.path.as_str().len() as i64 + 1)
            .bind(format!("{}%", unit.path.as_str()))
            .execute(&mut *tx)
            .await?;
        sqlx::query("UPDATE unit SET parent_id = $1 WHERE id = $2")
            .bind(new_parent.0)
            .bind(id.0)
            .execute(&mut *tx)
            .await?;
        let old_parent = unit.parent_id.map(|p| p.0.to_string());
        history(&mut tx, id, change, "moved", old_parent.as_deref(), Some(&new_parent.0.to_string())).await?;
        record(
            &mut tx,
            change,
            "unit.move",
            "unit",
            id.0,
            Some(&unit),
            Some(&serde_json::json!({"parent": new_parent})),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Closes a unit. Refused while open units lie under it or people work in it.
    pub async fn close_unit(&self, change: Change, id: UnitId) -> Result<()> {
        let mut tx = self.pool.begin().await?;
        let unit = unit_in(&mut tx, id).await?;
        if unit.closed {
            return Ok(());
        }
        let open_children: i64 =
            sqlx::query_scalar("SELECT COUNT(*) FROM unit WHERE parent_id = $1 AND closed_at IS NULL")
                .bind(id.0)
                .fetch_one(&mut *tx)
                .await?;
        if open_children > 0 {
            return Err(DomainError::invalid("unit", "unit-has-open-children").into());
        }
        let staff: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM employment WHERE unit_id = $1 AND (end_date IS NULL OR end_date >= $2)",
        )
        .bind(id.0)
        .bind(crate::today())
        .fetch_one(&mut *tx)
        .await?;
        if staff > 0 {
            return Err(DomainError::invalid("unit", "unit-has-people").into());
        }
        sqlx::query("UPDATE unit SET closed_at = $1 WHERE id = $2").bind(now()).bind(id.0).execute(&mut *tx).await?;
        history(&mut tx, id, change, "closed", None, None).await?;
        record(&mut tx, change, "unit.close", "unit", id.0, Some(&unit), None::<&()>).await?;
        tx.commit().await?;
        Ok(())
    }
}

/// Sorts units so that each parent comes before its children (depth-first),
/// keeping the incoming sibling order.
fn tree_order(units: Vec<Unit>) -> Vec<Unit> {
    let mut out = Vec::with_capacity(units.len());
    let ids: std::collections::HashSet<UnitId> = units.iter().map(|u| u.id).collect();
    fn visit(parent: Option<UnitId>, units: &[Unit], ids: &std::collections::HashSet<UnitId>, out: &mut Vec<Unit>) {
        for u in units.iter().filter(|u| match parent {
            None => u.parent_id.is_none_or(|p| !ids.contains(&p)),
            Some(p) => u.parent_id == Some(p),
        }) {
            out.push(u.clone());
            visit(Some(u.id), units, ids, out);
        }
    }
    visit(None, &units, &ids, &mut out);
    out
}

async fn insert_municipality(
    tx: &mut Transaction<'_, Any>,
    region: RegionId,
    number: MunicipalityNumber,
    name: &str,
    county: &str,
    language_form: &str,
    population: i64,
) -> Result<MunicipalityId> {
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO municipality (region_id, number, name, name_sort, county, language_form, population)
         VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
    )
    .bind(region.0)
    .bind(number.to_string())
    .bind(name.to_string())
    .bind(sort_key(name))
    .bind(county.to_string())
    .bind(language_form.to_string())
    .bind(population)
    .fetch_one(&mut **tx)
    .await
    .map_err(|e| StoreError::from(e).on_unique("number", "municipality-exists"))?;
    Ok(MunicipalityId(id))
}

pub(crate) async fn unit_in(tx: &mut Transaction<'_, Any>, id: UnitId) -> Result<Unit> {
    let row = sqlx::query(sqlx::AssertSqlSafe(format!("SELECT {UNIT_COLUMNS} FROM unit WHERE id = $1")))
        .bind(id.0)
        .fetch_optional(&mut **tx)
        .await?
        .ok_or(DomainError::NotFound)?;
    unit_from(&row)
}

pub(crate) async fn insert_unit(
    tx: &mut Transaction<'_, Any>,
    municipality: MunicipalityId,
    parent: Option<UnitId>,
    parent_path: Option<&UnitPath>,
    name: &str,
    code: Option<&str>,
) -> Result<UnitId> {
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO unit (municipality_id, parent_id, name, name_sort, code, created_at) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
    )
    .bind(municipality.0)
    .bind(parent.map(|p| p.0))
    .bind(name.to_string())
    .bind(sort_key(name))
    .bind(code.map(str::to_string))
    .bind(now())
    .fetch_one(&mut **tx)
    .await
    .map_err(|e| StoreError::from(e).on_unique("code", "unit-code-exists"))?;
    let id = UnitId(id);
    let path = match parent_path {
        Some(p) => p.child(id),
        None => UnitPath::root(id),
    };
    sqlx::query("UPDATE unit SET path = $1 WHERE id = $2")
        .bind(path.as_str().to_string())
        .bind(id.0)
        .execute(&mut **tx)
        .await?;
    Ok(id)
}

async fn history(
    tx: &mut Transaction<'_, Any>,
    unit: UnitId,
    change: Change,
    kind: &str,
    old: Option<&str>,
    new: Option<&str>,
) -> Result<()> {
    sqlx::query("INSERT INTO unit_history (unit_id, at, actor_person_id, change, old_value, new_value) VALUES ($1, $2, $3, $4, $5, $6)")
        .bind(unit.0)
        .bind(now())
        .bind(change.actor.map(|p| p.0))
        .bind(kind.to_string())
        .bind(old.map(str::to_string))
        .bind(new.map(str::to_string))
        .execute(&mut **tx)
        .await?;
    Ok(())
}
