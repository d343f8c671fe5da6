//! Loads generated demo or benchmark data (see `loft_domain::demo`).

use crate::org::insert_unit;
use crate::people::{GrantScope, insert_grant, insert_person};
use crate::{Result, Store, now};
use loft_domain::demo::{DemoMunicipality, MunicipalitySeed, generate_municipality};
use loft_domain::ids::{PersonId, RegionId, UnitId};
use loft_domain::org::UnitPath;
use loft_domain::person::{Email, EmployeeNumber, NewPerson};
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
        let mut unit_ids: Vec<(UnitId, UnitPath)> = Vec::with_capacity(m.units.len());
        for unit in &m.units {
            let parent = unit.parent.map(|p| &unit_ids[p]);
            let id = insert_unit(
                &mut tx,
                municipality,
                parent.map(|p| p.0),
                parent.map(|p| &p.1),
                &unit.name,
                Some(&unit.code),
            )
            .await?;
            let path = match parent {
                Some((_, p)) => p.child(id),
                None => UnitPath::root(id),
            };
            unit_ids.push((id, path));
        }
        let today = jiff::ZonedDateTime::now().date();
        for p in &m.people {
            let new = NewPerson {
                municipality_id: municipality,
                given_name: p.given_name.clone(),
                family_name: p.family_name.clone(),
                email: Email::parse(&p.email).ok(),
                employee_number: p.employee_number.as_deref().and_then(|n| EmployeeNumber::parse(n).ok()),
                role_groups: p.role_groups.clone(),
            };
            let person: PersonId = insert_person(&mut tx, &new, "demo").await?;
            if let Some(u) = p.unit {
                let start = p.start_year.map(|y| format!("{y:04}-08-01"));
                sqlx::query("INSERT INTO employment (person_id, unit_id, position_title, percent, start_date) VALUES ($1, $2, $3, $4, $5)")
                    .bind(person.0)
                    .bind(unit_ids[u].0.0)
                    .bind(p.position_title.clone())
                    .bind(p.percent)
                    .bind(start.filter(|s| s.as_str() <= today.to_string().as_str()))
                    .execute(&mut *tx)
                    .await?;
            }
            if let Some(u) = p.manages {
                insert_grant(&mut tx, person, Role::Manager, &GrantScope::Unit(unit_ids[u].0), "demo").await?;
            }
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
