//! Loads generated demo or benchmark data (see `loft_domain::demo`).

use crate::people::{GrantScope, insert_grant};
use crate::sql::{Val, insert_batch};
use crate::{Backend, Result, Store, now};
use loft_domain::collation::sort_key;
use loft_domain::demo::{DemoMunicipality, MunicipalitySeed, generate_municipality};
use loft_domain::ids::{PersonId, RegionId, UnitId};
use loft_domain::org::UnitPath;
use loft_domain::person::{Email, EmployeeNumber};
use loft_domain::policy::Role;

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SeedReport {
    pub municipalities: usize,
    pub units: usize,
    pub people: usize,
    /// (username, role, person's name, municipality) for the demo accounts.
    pub logins: Vec<(String, Role, String, String)>,
}

impl Store {
    /// After a bulk load (the benchmarks'): fresh planner statistics, and on PostgreSQL a vacuum of the whole
    /// database, so that autovacuum does not start on the new tables while the load is measured. Not for the
    /// seed: tests share one PostgreSQL database, and a database-wide vacuum per test would be slow.
    pub async fn refresh_statistics(&self) -> Result<()> {
        let sql = if self.backend() == Backend::Postgres { "VACUUM ANALYZE" } else { "ANALYZE" };
        sqlx::query(sql).execute(&self.pool).await?;
        Ok(())
    }

    /// Whether any municipality exists (the demo seeds only an empty database).
    pub async fn is_empty(&self) -> Result<bool> {
        let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM municipality").fetch_one(&self.pool).await?;
        Ok(n == 0)
    }

    /// Generates and stores a region with `seeds` as members, one transaction
    /// per municipality. Demo accounts get `password_hash` when `with_logins`.
    pub async fn seed(
        &self,
        region_name: &str,
        seeds: &[MunicipalitySeed],
        with_logins: bool,
        password_hash: &str,
    ) -> Result<SeedReport> {
        let region = self.create_region(region_name).await?;
        let mut report = SeedReport::default();
        for seed in seeds {
            let m = generate_municipality(seed, with_logins);
            self.seed_municipality(region, &m, password_hash, &mut report).await?;
        }
        // Every region starts with the shipped competence frameworks and suggested targets.
        self.install_builtin_frameworks().await?;
        // Fresh statistics, so the planners pick the search indexes on a freshly filled database.
        sqlx::query("ANALYZE").execute(&self.pool).await?;
        if self.backend() == Backend::Postgres {
            // Ids were given explicitly: move the sequences past them.
            for table in ["unit", "person"] {
                sqlx::query(sqlx::AssertSqlSafe(format!(
                    "SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT COALESCE(MAX(id), 1) FROM {table}))"
                )))
                .execute(&self.pool)
                .await?;
            }
        }
        Ok(report)
    }

    async fn seed_municipality(
        &self,
        region: RegionId,
        m: &DemoMunicipality,
        password_hash: &str,
        report: &mut SeedReport,
    ) -> Result<()> {
        let s = &m.seed;
        let municipality =
            self.create_municipality(region, s.number, &s.name, &s.county, &s.language_form, s.population).await?;
        let mut tx = self.pool.begin().await?;
        // Ids are handed out here so that rows can go in as a few multi-row statements;
        // seeding runs on an empty database with no other writer.
        let first_unit = next_id(&mut tx, "unit").await?;
        let first_person = next_id(&mut tx, "person").await?;
        let t = now();

        let mut unit_ids: Vec<(UnitId, UnitPath)> = Vec::with_capacity(m.units.len());
        let mut unit_rows = Vec::with_capacity(m.units.len());
        for (i, unit) in m.units.iter().enumerate() {
            let id = UnitId(first_unit + i as i64);
            let parent = unit.parent.map(|p| unit_ids[p].clone());
            let path = match &parent {
                Some((_, p)) => p.child(id),
                None => UnitPath::root(id),
            };
            unit_rows.push(vec![
                Val::Int(Some(id.0)),
                Val::Int(Some(municipality.0)),
                Val::Int(parent.as_ref().map(|p| p.0.0)),
                Val::Text(Some(unit.name.clone())),
                Val::Text(Some(sort_key(&unit.name))),
                Val::Text(Some(unit.code.clone())),
                Val::Text(Some(path.as_str().to_string())),
                Val::Int(Some(t)),
            ]);
            unit_ids.push((id, path));
        }
        insert_batch(
            &mut tx,
            "unit",
            &["id", "municipality_id", "parent_id", "name", "name_sort", "code", "path", "created_at"],
            unit_rows,
        )
        .await?;

        let today = jiff::ZonedDateTime::now().date().to_string();
        let (mut people, mut groups, mut jobs, mut grants) = (Vec::new(), Vec::new(), Vec::new(), Vec::new());
        for (i, p) in m.people.iter().enumerate() {
            let person = first_person + i as i64;
            people.push(vec![
                Val::Int(Some(person)),
                Val::Int(Some(municipality.0)),
                Val::Text(Some(p.given_name.clone())),
                Val::Text(Some(p.family_name.clone())),
                Val::Text(Some(sort_key(&format!("{} {}", p.family_name, p.given_name)))),
                Val::Text(Some(sort_key(&format!("{} {}", p.given_name, p.family_name)))),
                Val::Text(Email::parse(&p.email).ok().map(|e| e.as_str().to_string())),
                Val::Text(
                    p.employee_number
                        .as_deref()
                        .and_then(|n| EmployeeNumber::parse(n).ok())
                        .map(|n| n.as_str().to_string()),
                ),
                Val::Text(Some("demo".into())),
                Val::Int(Some(t)),
            ]);
            for g in &p.role_groups {
                groups.push(vec![Val::Int(Some(person)), Val::Text(Some(g.code().to_string()))]);
            }
            if let Some(u) = p.unit {
                let start = p.start_year.map(|y| format!("{y:04}-08-01")).filter(|d| *d <= today);
                jobs.push(vec![
                    Val::Int(Some(person)),
                    Val::Int(Some(unit_ids[u].0.0)),
                    Val::Text(p.position_title.clone()),
                    Val::Real(p.percent),
                    Val::Text(start),
                ]);
            }
            if let Some(u) = p.manages {
                grants.push(vec![
                    Val::Int(Some(person)),
                    Val::Text(Some(Role::Manager.code().into())),
                    Val::Int(Some(unit_ids[u].0.0)),
                    Val::Text(Some("demo".into())),
                    Val::Int(Some(t)),
                ]);
            }
        }
        let person_columns = [
            "id",
            "municipality_id",
            "given_name",
            "family_name",
            "name_sort",
            "given_sort",
            "email",
            "employee_number",
            "source",
            "created_at",
        ];
        insert_batch(&mut tx, "person", &person_columns, people).await?;
        insert_batch(&mut tx, "person_role_group", &["person_id", "role_group"], groups).await?;
        let job_columns = ["person_id", "unit_id", "position_title", "percent", "start_date"];
        insert_batch(&mut tx, "employment", &job_columns, jobs).await?;
        let grant_columns = ["person_id", "role", "unit_id", "source", "granted_at"];
        insert_batch(&mut tx, "role_grant", &grant_columns, grants).await?;

        for (i, p) in m.people.iter().enumerate() {
            let person = PersonId(first_person + i as i64);
            if let Some(login) = p.login {
                let scope = match login.role {
                    Role::SystemAdmin => Some(GrantScope::System),
                    Role::RegionalCoordinator | Role::CourseOrganiser | Role::SteeringGroupMember => {
                        Some(GrantScope::Region(region))
                    }
                    Role::MunicipalCoordinator => Some(GrantScope::Municipality(municipality)),
                    Role::Manager | Role::Employee => None, // managers already lead their unit
                };
                if let Some(scope) = scope {
                    insert_grant(&mut tx, person, login.role, &scope, "demo").await?;
                }
                sqlx::query(
                    "INSERT INTO account (person_id, username, password_hash, created_at) VALUES ($1, $2, $3, $4)",
                )
                .bind(person.0)
                .bind(login.username)
                .bind(password_hash.to_string())
                .bind(now())
                .execute(&mut *tx)
                .await?;
                report.logins.push((
                    login.username.to_string(),
                    login.role,
                    format!("{} {}", p.given_name, p.family_name),
                    s.name.clone(),
                ));
            }
        }
        tx.commit().await?;
        report.municipalities += 1;
        report.units += m.units.len();
        report.people += m.people.len();
        Ok(())
    }
}

async fn next_id(tx: &mut sqlx::Transaction<'_, sqlx::Any>, table: &str) -> Result<i64> {
    let max: i64 = sqlx::query_scalar(sqlx::AssertSqlSafe(format!("SELECT COALESCE(MAX(id), 0) FROM {table}")))
        .fetch_one(&mut **tx)
        .await?;
    Ok(max + 1)
}
