//! Competence frameworks and target levels. A framework version is stored whole (its exported JSON) and never
//! changed afterwards; a new version is another row.

use crate::audit::{Change, record};
use crate::sql::{Val, insert_batch};
use crate::{Result, Store, StoreError, now};
use loft_domain::DomainError;
use loft_domain::competence::{Framework, LevelNumber, TargetLevel, check_municipal_target, suggested_targets};
use loft_domain::ids::{MunicipalityId, RegionId};
use loft_domain::person::RoleGroup;
use sqlx::Row;

/// A stored framework version.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredFramework {
    pub id: i64,
    pub framework: Framework,
    pub published_at: i64,
}

/// A target as stored: regional, or a municipality's raise.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredTarget {
    pub target: TargetLevel,
    pub framework_id: i64,
    pub municipality: Option<MunicipalityId>,
}

impl Store {
    /// Publishes a framework version. A key and version that exist already are refused: a published version is
    /// never changed, so rounds that asked it keep meaning what they meant.
    pub async fn publish_framework(&self, change: Change, framework: &Framework) -> Result<i64> {
        framework.check()?;
        let mut tx = self.pool.begin().await?;
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO framework (key, version, title_nb, levels, content_json, published_at)
             VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
        )
        .bind(framework.key.clone())
        .bind(framework.version.clone())
        .bind(framework.title.nb.clone())
        .bind(i64::from(framework.top_level()))
        .bind(framework.to_json())
        .bind(now())
        .fetch_one(&mut *tx)
        .await
        .map_err(|e| StoreError::from(e).on_unique("version", "framework-version-exists"))?;
        let summary = serde_json::json!({ "key": framework.key, "version": framework.version });
        record(&mut tx, change, "framework.publish", "framework", id, None::<&()>, Some(&summary)).await?;
        tx.commit().await?;
        self.frameworks.changed();
        Ok(id)
    }

    /// Publishes the shipped frameworks that are not there yet (idempotent; `loft migrate --frameworks`, demo),
    /// and gives every region the suggested targets for frameworks it has none for.
    pub async fn install_builtin_frameworks(&self) -> Result<usize> {
        let mut added = 0;
        for framework in loft_domain::competence::builtin() {
            let exists: Option<i64> = sqlx::query_scalar("SELECT id FROM framework WHERE key = $1 AND version = $2")
                .bind(framework.key.clone())
                .bind(framework.version.clone())
                .fetch_optional(&self.pool)
                .await?;
            let id = match exists {
                Some(id) => id,
                None => {
                    added += 1;
                    let change = Change { actor: None, region: None, municipality: None };
                    self.publish_framework(change, &framework).await?
                }
            };
            for region in self.regions().await? {
                let has: i64 =
                    sqlx::query_scalar("SELECT COUNT(*) FROM target_level WHERE framework_id = $1 AND region_id = $2")
                        .bind(id)
                        .bind(region.id.0)
                        .fetch_one(&self.pool)
                        .await?;
                if has == 0 {
                    let change = Change { actor: None, region: Some(region.id), municipality: None };
                    self.set_targets(change, id, region.id, None, &suggested_targets(&framework)).await?;
                }
            }
        }
        self.install_builtin_checks().await?;
        Ok(added)
    }

    /// Every framework version, parsed: kept per process (see `kept`), since versions are only ever added.
    pub async fn frameworks(&self) -> Result<Vec<StoredFramework>> {
        if let Some(list) = self.frameworks.fresh() {
            return Ok(list);
        }
        let seen = self.frameworks.before_read();
        let rows = sqlx::query("SELECT id, content_json, published_at FROM framework ORDER BY key, published_at, id")
            .fetch_all(&self.pool)
            .await?;
        let list: Vec<StoredFramework> = rows.iter().map(framework_from).collect::<Result<_>>()?;
        self.frameworks.keep(seen, list.clone());
        Ok(list)
    }

    pub async fn framework(&self, id: i64) -> Result<StoredFramework> {
        let row = sqlx::query("SELECT id, content_json, published_at FROM framework WHERE id = $1")
            .bind(id)
            .fetch_optional(&self.pool)
            .await?
            .ok_or(DomainError::NotFound)?;
        framework_from(&row)
    }

    /// Replaces the targets of one scope (the region's when `municipality` is `None`) for the competences given.
    /// A municipality may only raise the regional target.
    pub async fn set_targets(
        &self,
        change: Change,
        framework_id: i64,
        region: RegionId,
        municipality: Option<MunicipalityId>,
        targets: &[TargetLevel],
    ) -> Result<()> {
        let framework = self.framework(framework_id).await?.framework;
        for t in targets {
            framework.level(i64::from(t.level))?;
            if framework.competence(&t.competence).is_none() {
                return Err(DomainError::invalid("competence", "unknown-competence").into());
            }
        }
        let regional = if municipality.is_some() { self.targets(region, None).await? } else { vec![] };
        for t in targets {
            let r = regional
                .iter()
                .find(|s| {
                    s.framework_id == framework_id
                        && s.target.competence == t.competence
                        && s.target.role_group == t.role_group
                })
                .map(|s| s.target.level);
            check_municipal_target(r, t.level)?;
        }
        let mut tx = self.pool.begin().await?;
        for t in targets {
            sqlx::query(
                "DELETE FROM target_level WHERE region_id = $1 AND framework_id = $2 AND competence = $3 AND role_group = $4
                 AND COALESCE(municipality_id, 0) = $5",
            )
            .bind(region.0)
            .bind(framework_id)
            .bind(t.competence.clone())
            .bind(t.role_group.code())
            .bind(municipality.map_or(0, |m| m.0))
            .execute(&mut *tx)
            .await?;
            sqlx::query(
                "INSERT INTO target_level (framework_id, competence, role_group, region_id, municipality_id, level)
                 VALUES ($1, $2, $3, $4, $5, $6)",
            )
            .bind(framework_id)
            .bind(t.competence.clone())
            .bind(t.role_group.code())
            .bind(region.0)
            .bind(municipality.map(|m| m.0))
            .bind(i64::from(t.level))
            .execute(&mut *tx)
            .await?;
        }
        let after = serde_json::json!({ "framework_id": framework_id, "targets": targets });
        record(&mut tx, change, "targets.set", "framework", framework_id, None::<&()>, Some(&after)).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Replaces every target of one scope for one framework (the region's when `municipality` is `None`, else that
    /// municipality's raises; a competence and role group left out has no target, or no raise). Every broken rule
    /// is reported at once; the change is audited with the targets before and after, in the same transaction.
    pub async fn replace_targets(
        &self,
        change: Change,
        framework_id: i64,
        region: RegionId,
        municipality: Option<MunicipalityId>,
        targets: &[TargetLevel],
    ) -> Result<()> {
        let framework = self.framework(framework_id).await?.framework;
        let all = self.targets(region, municipality).await?;
        let regional: Vec<&StoredTarget> =
            all.iter().filter(|t| t.framework_id == framework_id && t.municipality.is_none()).collect();
        let lookup = |code: &str, group: RoleGroup| {
            regional
                .iter()
                .find(|t| t.target.competence == code && t.target.role_group == group)
                .map(|t| t.target.level)
        };
        let check: Option<loft_domain::competence::RegionalTarget<'_>> =
            if municipality.is_some() { Some(&lookup) } else { None };
        loft_domain::competence::check_targets(&framework, targets, check)?;
        let before: Vec<&TargetLevel> = all
            .iter()
            .filter(|t| t.framework_id == framework_id && t.municipality == municipality)
            .map(|t| &t.target)
            .collect();
        let mut tx = self.pool.begin().await?;
        sqlx::query(
            "DELETE FROM target_level WHERE region_id = $1 AND framework_id = $2 AND COALESCE(municipality_id, 0) = $3",
        )
        .bind(region.0)
        .bind(framework_id)
        .bind(municipality.map_or(0, |m| m.0))
        .execute(&mut *tx)
        .await?;
        let rows = targets
            .iter()
            .map(|t| {
                vec![
                    Val::Int(Some(framework_id)),
                    Val::Text(Some(t.competence.clone())),
                    Val::Text(Some(t.role_group.code().to_string())),
                    Val::Int(Some(region.0)),
                    Val::Int(municipality.map(|m| m.0)),
                    Val::Int(Some(i64::from(t.level))),
                ]
            })
            .collect();
        insert_batch(
            &mut tx,
            "target_level",
            &["framework_id", "competence", "role_group", "region_id", "municipality_id", "level"],
            rows,
        )
        .await?;
        let scope = |t: &[&TargetLevel]| serde_json::json!({ "framework_id": framework_id, "targets": t });
        let after: Vec<&TargetLevel> = targets.iter().collect();
        let change = Change { region: Some(region), municipality, ..change };
        record(
            &mut tx,
            change,
            "targets.replace",
            "framework",
            framework_id,
            Some(&scope(&before)),
            Some(&scope(&after)),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// The targets of a region, and a municipality's raises when asked for.
    pub async fn targets(&self, region: RegionId, municipality: Option<MunicipalityId>) -> Result<Vec<StoredTarget>> {
        let rows = sqlx::query(
            "SELECT framework_id, competence, role_group, municipality_id, level FROM target_level
             WHERE region_id = $1 AND (municipality_id IS NULL OR municipality_id = $2)
             ORDER BY framework_id, competence, role_group",
        )
        .bind(region.0)
        .bind(municipality.map_or(0, |m| m.0))
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                Ok(StoredTarget {
                    framework_id: r.try_get(0)?,
                    target: TargetLevel {
                        competence: r.try_get(1)?,
                        role_group: RoleGroup::parse(&r.try_get::<String, _>(2)?)?,
                        level: level_from(r.try_get(4)?),
                    },
                    municipality: r.try_get::<Option<i64>, _>(3)?.map(MunicipalityId),
                })
            })
            .collect()
    }
}

pub(crate) fn level_from(n: i64) -> LevelNumber {
    LevelNumber::try_from(n).unwrap_or(0)
}

fn framework_from(row: &sqlx::any::AnyRow) -> Result<StoredFramework> {
    let json: String = row.try_get(1)?;
    Ok(StoredFramework { id: row.try_get(0)?, framework: Framework::from_json(&json)?, published_at: row.try_get(2)? })
}
