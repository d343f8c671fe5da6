//! People: the searchable list, a person's page, hand registration, role
//! groups and role grants. Every list is filtered by the caller's policy reach.

use crate::audit::{Change, record};
use crate::sql::Sql;
use crate::{CURRENT_EMPLOYMENT, Result, Store, StoreError, now, today};
use loft_domain::DomainError;
use loft_domain::collation::sort_key;
use loft_domain::ids::{MunicipalityId, PersonId, RegionId, UnitId};
use loft_domain::org::UnitPath;
use loft_domain::person::{Employment, NewPerson, PersonSummary, RoleGroup};
use loft_domain::policy::{Reach, Role, Scope};
use serde::Serialize;
use sqlx::Row;
use sqlx::any::AnyRow;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Status {
    #[default]
    Active,
    Left,
    All,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SortBy {
    #[default]
    Name,
    Municipality,
    EmployeeNumber,
}

#[derive(Debug, Clone, Default)]
pub struct PeopleQuery {
    pub search: Option<String>,
    pub municipality: Option<MunicipalityId>,
    /// A unit and everything under it.
    pub unit: Option<UnitPath>,
    pub role_group: Option<RoleGroup>,
    pub status: Status,
    pub sort: SortBy,
    pub page: i64,
    pub per_page: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PersonListItem {
    #[serde(flatten)]
    pub person: PersonSummary,
    pub municipality_name: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PeoplePage {
    pub items: Vec<PersonListItem>,
    /// Matches counted, up to [`COUNT_CAP`] (or the end of the requested page) per part of the search.
    pub total: i64,
    /// The count stopped at the cap: there are at least `total` matches.
    pub total_is_lower_bound: bool,
}

/// A role a person holds, described for display.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct GrantView {
    pub id: i64,
    pub role: Role,
    pub scope_name: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PersonDetail {
    pub person: PersonSummary,
    pub region_id: RegionId,
    pub municipality_name: String,
    pub employments: Vec<Employment>,
    /// Paths of the units the person currently works in (for policy checks).
    pub unit_paths: Vec<UnitPath>,
    pub role_groups: Vec<RoleGroup>,
    pub grants: Vec<GrantView>,
    pub username: Option<String>,
}

/// The smallest string greater than every string starting with `prefix`
/// (under byte order, which both databases use for these columns).
fn prefix_end(prefix: &str) -> Option<String> {
    let mut chars: Vec<char> = prefix.chars().collect();
    while let Some(last) = chars.pop() {
        if let Some(next) = char::from_u32(last as u32 + 1) {
            chars.push(next);
            return Some(chars.into_iter().collect());
        }
    }
    None
}

fn push_prefix(q: &mut Sql, column: &str, prefix: String) {
    q.push(format!("({column} >= ")).push_bind(prefix.clone());
    if let Some(end) = prefix_end(&prefix) {
        q.push(format!(" AND {column} < ")).push_bind(end);
    }
    q.push(")");
}

/// `WHERE` conditions limiting people to what `reach` covers.
pub(crate) fn push_reach(q: &mut Sql, reach: &Reach) {
    if reach.everything {
        q.push("1 = 1");
        return;
    }
    q.push("(1 = 0");
    for r in &reach.regions {
        q.push(" OR m.region_id = ").push_bind(r.0);
    }
    for m in &reach.municipalities {
        q.push(" OR p.municipality_id = ").push_bind(m.0);
    }
    for s in &reach.subtrees {
        q.push(" OR EXISTS (SELECT 1 FROM employment e JOIN unit u ON u.id = e.unit_id WHERE e.person_id = p.id AND ")
            .push(CURRENT_EMPLOYMENT)
            .push_bind(today())
            .push(") AND u.path LIKE ")
            .push_bind(format!("{}%", s.as_str()))
            .push(")");
    }
    if let Some(own) = reach.own {
        q.push(" OR p.id = ").push_bind(own.0);
    }
    q.push(")");
}

/// Filters other than the search text.
fn push_filters(q: &mut Sql, query: &PeopleQuery) {
    if let Some(m) = query.municipality {
        q.push(" AND p.municipality_id = ").push_bind(m.0);
    }
    if let Some(unit) = &query.unit {
        q.push(" AND EXISTS (SELECT 1 FROM employment e JOIN unit u ON u.id = e.unit_id WHERE e.person_id = p.id AND ")
            .push(CURRENT_EMPLOYMENT)
            .push_bind(today())
            .push(") AND u.path LIKE ")
            .push_bind(format!("{}%", unit.as_str()))
            .push(")");
    }
    if let Some(g) = query.role_group {
        q.push(" AND EXISTS (SELECT 1 FROM person_role_group g WHERE g.person_id = p.id AND g.role_group = ")
            .push_bind(g.code().to_string())
            .push(")");
    }
    match query.status {
        Status::Active => {
            q.push(" AND p.left_at IS NULL");
        }
        Status::Left => {
            q.push(" AND p.left_at IS NOT NULL");
        }
        Status::All => {}
    }
}

/// A search is answered as consecutive parts, each a range in its own index, so
/// that a page never sorts every match: exact employee number first, then family
/// names, then given names, then e-mail addresses, each part without the rows of
/// the parts before it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Part {
    Number,
    Family,
    Given,
    Email,
    /// Any of the above, for orders other than by name.
    AnyMatch,
    /// No search text.
    Everyone,
}

struct Search {
    text: String,
    key: String,
    email: String,
}

fn push_part(q: &mut Sql, part: Part, search: Option<&Search>) {
    let Some(s) = search else { return };
    let not_number = |q: &mut Sql| {
        q.push(" AND (p.employee_number IS NULL OR p.employee_number <> ").push_bind(s.text.clone()).push(")");
    };
    match part {
        Part::Number => {
            q.push(" AND p.employee_number = ").push_bind(s.text.clone());
        }
        Part::Family => {
            q.push(" AND ");
            push_prefix(q, "p.name_sort", s.key.clone());
            not_number(q);
        }
        Part::Given => {
            q.push(" AND ");
            push_prefix(q, "p.given_sort", s.key.clone());
            q.push(" AND NOT ");
            push_prefix(q, "p.name_sort", s.key.clone());
            not_number(q);
        }
        Part::Email => {
            q.push(" AND ");
            push_prefix(q, "p.email", s.email.clone());
            q.push(" AND NOT ");
            push_prefix(q, "p.name_sort", s.key.clone());
            q.push(" AND NOT ");
            push_prefix(q, "p.given_sort", s.key.clone());
            not_number(q);
        }
        Part::AnyMatch => {
            q.push(" AND (");
            push_prefix(q, "p.name_sort", s.key.clone());
            q.push(" OR ");
            push_prefix(q, "p.given_sort", s.key.clone());
            if s.text.contains(['@', '.']) {
                q.push(" OR ");
                push_prefix(q, "p.email", s.email.clone());
            }
            q.push(" OR p.employee_number = ").push_bind(s.text.clone()).push(")");
        }
        Part::Everyone => {}
    }
}

fn part_order(part: Part, sort: SortBy) -> &'static str {
    match (part, sort) {
        (Part::Number, _) => " ORDER BY p.id",
        (Part::Family, _) => " ORDER BY p.name_sort, p.id",
        (Part::Given, _) => " ORDER BY p.given_sort, p.id",
        (Part::Email, _) => " ORDER BY p.email, p.id",
        (_, SortBy::Name) => " ORDER BY p.name_sort, p.id",
        (_, SortBy::Municipality) => " ORDER BY m.name_sort, p.name_sort, p.id",
        (_, SortBy::EmployeeNumber) => " ORDER BY p.employee_number, p.id",
    }
}

/// Counts stop here: "more than 1 000" is as useful to a reader as the exact figure, and far cheaper.
pub const COUNT_CAP: i64 = 1000;

const PERSON_COLUMNS: &str =
    "p.id, p.municipality_id, p.given_name, p.family_name, p.email, p.employee_number, p.left_at, m.name";

fn list_item_from(r: &AnyRow) -> Result<PersonListItem> {
    let left_at: Option<i64> = r.try_get(6)?;
    Ok(PersonListItem {
        person: PersonSummary {
            id: PersonId(r.try_get(0)?),
            municipality_id: MunicipalityId(r.try_get(1)?),
            given_name: r.try_get(2)?,
            family_name: r.try_get(3)?,
            email: r.try_get(4)?,
            employee_number: r.try_get(5)?,
            active: left_at.is_none(),
        },
        municipality_name: r.try_get(7)?,
    })
}

impl Store {
    /// One page of the people the reach covers, filtered, searched and sorted.
    pub async fn people(&self, reach: &Reach, query: &PeopleQuery) -> Result<PeoplePage> {
        if reach.is_empty() {
            return Ok(PeoplePage { items: vec![], total: 0, total_is_lower_bound: false });
        }
        let per_page = query.per_page.clamp(1, 200);
        let offset = (query.page.max(1) - 1) * per_page;
        let search = query.search.as_deref().map(str::trim).filter(|t| !t.is_empty()).map(|t| Search {
            text: t.to_string(),
            key: sort_key(t),
            email: t.to_lowercase(),
        });
        // Employee numbers hold a digit and e-mail searches an "@" or a "."; skipping the parts that cannot
        // match keeps a name search from walking every "kari.…@" address only to exclude it.
        let looks_like = |pred: fn(char) -> bool| search.as_ref().is_some_and(|s| s.text.chars().any(pred));
        let parts: Vec<Part> = match (&search, query.sort) {
            (None, _) => vec![Part::Everyone],
            (Some(_), SortBy::Name) => [
                looks_like(|c| c.is_ascii_digit()).then_some(Part::Number),
                Some(Part::Family),
                Some(Part::Given),
                looks_like(|c| c == '@' || c == '.').then_some(Part::Email),
            ]
            .into_iter()
            .flatten()
            .collect(),
            (Some(_), _) => vec![Part::AnyMatch],
        };
        let cap = COUNT_CAP.max(offset + per_page + 1);
        let (mut skip, mut want) = (offset, per_page);
        let (mut total, mut capped) = (0, false);
        let mut items = Vec::new();
        for part in parts {
            let mut count = Sql::new(
                "SELECT COUNT(*) FROM (SELECT 1 FROM person p JOIN municipality m ON m.id = p.municipality_id WHERE ",
            );
            push_reach(&mut count, reach);
            push_filters(&mut count, query);
            push_part(&mut count, part, search.as_ref());
            count.push(" LIMIT ").push_bind(cap).push(") c");
            let n: i64 = count.query_scalar()?.fetch_one(&self.pool).await?;
            total += n;
            capped |= n >= cap;
            if want == 0 {
                continue;
            }
            if n <= skip {
                skip -= n;
                continue;
            }
            let mut q = Sql::new(format!(
                "SELECT {PERSON_COLUMNS} FROM person p JOIN municipality m ON m.id = p.municipality_id WHERE "
            ));
            push_reach(&mut q, reach);
            push_filters(&mut q, query);
            push_part(&mut q, part, search.as_ref());
            q.push(part_order(part, query.sort));
            q.push(" LIMIT ").push_bind(want).push(" OFFSET ").push_bind(skip);
            let rows = q.query()?.fetch_all(&self.pool).await?;
            want -= rows.len() as i64;
            skip = 0;
            for r in &rows {
                items.push(list_item_from(r)?);
            }
        }
        Ok(PeoplePage { items, total, total_is_lower_bound: capped })
    }

    /// Active people per municipality (a count, not personal data).
    pub async fn people_counts(&self) -> Result<std::collections::HashMap<MunicipalityId, i64>> {
        let rows =
            sqlx::query("SELECT municipality_id, COUNT(*) FROM person WHERE left_at IS NULL GROUP BY municipality_id")
                .fetch_all(&self.pool)
                .await?;
        rows.iter().map(|r| Ok((MunicipalityId(r.try_get(0)?), r.try_get(1)?))).collect()
    }

    /// Active people working in a unit or anywhere under it.
    pub async fn staff_count(&self, unit: &UnitPath) -> Result<i64> {
        let n = sqlx::query_scalar(
            "SELECT COUNT(DISTINCT e.person_id) FROM employment e JOIN unit u ON u.id = e.unit_id
             JOIN person p ON p.id = e.person_id
             WHERE (e.end_date IS NULL OR e.end_date >= $1) AND p.left_at IS NULL AND u.path LIKE $2",
        )
        .bind(today())
        .bind(format!("{}%", unit.as_str()))
        .fetch_one(&self.pool)
        .await?;
        Ok(n)
    }

    /// The region and municipality a person belongs to: one small query for checks made on every request.
    pub async fn person_home(&self, id: PersonId) -> Result<(RegionId, MunicipalityId)> {
        // Kept for a second: asked on most requests, and a person's municipality does not change in practice.
        self.homes.get_or_read(id.0, self.read_person_home(id)).await
    }

    async fn read_person_home(&self, id: PersonId) -> Result<(RegionId, MunicipalityId)> {
        let row = sqlx::query(
            "SELECT m.region_id, p.municipality_id FROM person p JOIN municipality m ON m.id = p.municipality_id
             WHERE p.id = $1",
        )
        .bind(id.0)
        .fetch_optional(&self.pool)
        .await?
        .ok_or(DomainError::NotFound)?;
        Ok((RegionId(row.try_get(0)?), MunicipalityId(row.try_get(1)?)))
    }

    /// A person with units, position, role groups and roles. `NotFound` for
    /// unknown ids; callers check the policy before showing it.
    pub async fn person(&self, id: PersonId) -> Result<PersonDetail> {
        let row = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT {PERSON_COLUMNS}, m.region_id FROM person p JOIN municipality m ON m.id = p.municipality_id WHERE p.id = $1"
        )))
        .bind(id.0)
        .fetch_optional(&self.pool)
        .await?
        .ok_or(DomainError::NotFound)?;
        let item = list_item_from(&row)?;
        let region_id = RegionId(row.try_get(8)?);

        let rows = sqlx::query(
            "SELECT e.unit_id, u.name, e.position_title, e.percent, e.start_date, e.end_date, u.path
             FROM employment e JOIN unit u ON u.id = e.unit_id WHERE e.person_id = $1 ORDER BY e.end_date IS NOT NULL, e.start_date DESC, e.id",
        )
        .bind(id.0)
        .fetch_all(&self.pool)
        .await?;
        let date = |s: Option<String>| s.and_then(|s| s.parse::<jiff::civil::Date>().ok());
        let mut employments = Vec::new();
        let mut unit_paths = Vec::new();
        let today = date(Some(today()));
        for r in &rows {
            let end_date = date(r.try_get(5)?);
            if end_date.is_none_or(|end| Some(end) >= today) {
                unit_paths.push(UnitPath::from_stored(r.try_get(6)?));
            }
            employments.push(Employment {
                unit_id: UnitId(r.try_get(0)?),
                unit_name: r.try_get(1)?,
                position_title: r.try_get(2)?,
                percent: r.try_get(3)?,
                start_date: date(r.try_get(4)?),
                end_date,
            });
        }
        let role_groups = self.role_groups(id).await?;
        let (_, grants) = self.roles_summary(id).await?;
        let username: Option<String> = sqlx::query_scalar("SELECT username FROM account WHERE person_id = $1")
            .bind(id.0)
            .fetch_optional(&self.pool)
            .await?;
        Ok(PersonDetail {
            person: item.person,
            region_id,
            municipality_name: item.municipality_name,
            employments,
            unit_paths,
            role_groups,
            grants,
            username,
        })
    }

    pub async fn role_groups(&self, id: PersonId) -> Result<Vec<RoleGroup>> {
        let codes: Vec<String> = sqlx::query_scalar("SELECT role_group FROM person_role_group WHERE person_id = $1")
            .bind(id.0)
            .fetch_all(&self.pool)
            .await?;
        let mut groups: Vec<RoleGroup> = codes.iter().filter_map(|c| RoleGroup::parse(c).ok()).collect();
        groups.sort();
        Ok(groups)
    }

    /// The person's municipality and roles with the names of their scopes, in one query (the start page).
    pub async fn roles_summary(&self, id: PersonId) -> Result<(String, Vec<GrantView>)> {
        let rows = sqlx::query(
            "SELECT m.name, g.id, g.role, r.name, gm.name, u.name FROM person p JOIN municipality m ON m.id = p.municipality_id
             LEFT JOIN role_grant g ON g.person_id = p.id LEFT JOIN region r ON r.id = g.region_id
             LEFT JOIN municipality gm ON gm.id = g.municipality_id LEFT JOIN unit u ON u.id = g.unit_id
             WHERE p.id = $1 ORDER BY g.id",
        )
        .bind(id.0)
        .fetch_all(&self.pool)
        .await?;
        let municipality: String = rows.first().ok_or(DomainError::NotFound)?.try_get(0)?;
        let mut grants = Vec::new();
        for r in &rows {
            let (Some(grant_id), Some(code)) = (r.try_get::<Option<i64>, _>(1)?, r.try_get::<Option<String>, _>(2)?)
            else {
                continue;
            };
            let Some(role) = Role::parse(&code) else { continue };
            let names: [Option<String>; 3] = [r.try_get(3)?, r.try_get(4)?, r.try_get(5)?];
            grants.push(GrantView { id: grant_id, role, scope_name: names.into_iter().flatten().last() });
        }
        Ok((municipality, grants))
    }

    /// Registers a person by hand (elected officials, union representatives).
    pub async fn create_person(&self, change: Change, new: &NewPerson) -> Result<PersonId> {
        let mut tx = self.pool.begin().await?;
        let id = insert_person(&mut tx, new, "manual").await?;
        record(&mut tx, change, "person.create", "person", id.0, None::<&()>, Some(&serde_json::json!({
            "given_name": new.given_name, "family_name": new.family_name,
            "email": new.email.as_ref().map(|e| e.as_str()), "employee_number": new.employee_number.as_ref().map(|e| e.as_str()),
            "role_groups": new.role_groups,
        })))
        .await?;
        tx.commit().await?;
        Ok(id)
    }

    /// Corrects a person's name and e-mail.
    pub async fn update_person(
        &self,
        change: Change,
        id: PersonId,
        edit: &loft_domain::person::PersonEdit,
    ) -> Result<()> {
        let before = self.person(id).await?.person;
        let mut tx = self.pool.begin().await?;
        sqlx::query("UPDATE person SET given_name = $1, family_name = $2, name_sort = $3, given_sort = $4, email = $5 WHERE id = $6")
            .bind(edit.given_name.clone())
            .bind(edit.family_name.clone())
            .bind(sort_key(&format!("{} {}", edit.family_name, edit.given_name)))
            .bind(sort_key(&format!("{} {}", edit.given_name, edit.family_name)))
            .bind(edit.email.as_ref().map(|e| e.as_str().to_string()))
            .bind(id.0)
            .execute(&mut *tx)
            .await?;
        record(&mut tx, change, "person.update", "person", id.0, Some(&before), Some(edit)).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Marks a person as left (never deleted: their history stays) or back again.
    pub async fn set_person_left(&self, change: Change, id: PersonId, left: bool) -> Result<()> {
        let before = self.person(id).await?.person;
        if before.active != left {
            return Ok(());
        }
        let mut tx = self.pool.begin().await?;
        sqlx::query("UPDATE person SET left_at = $1 WHERE id = $2")
            .bind(left.then(now))
            .bind(id.0)
            .execute(&mut *tx)
            .await?;
        let action = if left { "person.left" } else { "person.returned" };
        record(&mut tx, change, action, "person", id.0, Some(&before), None::<&()>).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Replaces a person's role groups.
    pub async fn set_role_groups(&self, change: Change, id: PersonId, groups: &[RoleGroup]) -> Result<()> {
        let before = self.role_groups(id).await?;
        let mut tx = self.pool.begin().await?;
        sqlx::query("DELETE FROM person_role_group WHERE person_id = $1").bind(id.0).execute(&mut *tx).await?;
        for g in groups {
            sqlx::query("INSERT INTO person_role_group (person_id, role_group) VALUES ($1, $2)")
                .bind(id.0)
                .bind(g.code())
                .execute(&mut *tx)
                .await?;
        }
        record(&mut tx, change, "person.role-groups", "person", id.0, Some(&before), Some(&groups)).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Gives a role at a scope. The caller has checked `GrantRole` for it.
    pub async fn grant_role(&self, change: Change, id: PersonId, role: Role, scope: &GrantScope) -> Result<i64> {
        let mut tx = self.pool.begin().await?;
        let grant_id = insert_grant(&mut tx, id, role, scope, "manual").await?;
        record(
            &mut tx,
            change,
            "role.grant",
            "person",
            id.0,
            None::<&()>,
            Some(&serde_json::json!({"role": role, "scope": scope})),
        )
        .await?;
        tx.commit().await?;
        self.token_identities.changed();
        Ok(grant_id)
    }

    pub async fn revoke_role(&self, change: Change, person: PersonId, grant_id: i64) -> Result<()> {
        let mut tx = self.pool.begin().await?;
        let role: Option<String> = sqlx::query_scalar("SELECT role FROM role_grant WHERE id = $1 AND person_id = $2")
            .bind(grant_id)
            .bind(person.0)
            .fetch_optional(&mut *tx)
            .await?;
        let role = role.ok_or(DomainError::NotFound)?;
        sqlx::query("DELETE FROM role_grant WHERE id = $1").bind(grant_id).execute(&mut *tx).await?;
        record(
            &mut tx,
            change,
            "role.revoke",
            "person",
            person.0,
            Some(&serde_json::json!({"grant": grant_id, "role": role})),
            None::<&()>,
        )
        .await?;
        tx.commit().await?;
        self.token_identities.changed();
        Ok(())
    }

    /// The grants a person holds, as policy scopes.
    pub async fn grants(&self, id: PersonId) -> Result<Vec<loft_domain::policy::Grant>> {
        let rows = sqlx::query(
            "SELECT g.role, g.region_id, g.municipality_id, u.path FROM role_grant g LEFT JOIN unit u ON u.id = g.unit_id WHERE g.person_id = $1",
        )
        .bind(id.0)
        .fetch_all(&self.pool)
        .await?;
        let mut grants = Vec::new();
        for r in &rows {
            grants.extend(grant_from(r.try_get(0)?, r.try_get(1)?, r.try_get(2)?, r.try_get(3)?));
        }
        Ok(grants)
    }
}

/// A stored grant as a policy grant: role code, region, municipality and unit path columns.
pub(crate) fn grant_from(
    role: Option<String>,
    region: Option<i64>,
    municipality: Option<i64>,
    path: Option<String>,
) -> Option<loft_domain::policy::Grant> {
    let role = Role::parse(&role?)?;
    let scope = match (region, municipality, path) {
        (_, _, Some(p)) => Scope::Subtree(UnitPath::from_stored(p)),
        (_, Some(m), None) => Scope::Municipality(MunicipalityId(m)),
        (Some(r), None, None) => Scope::Region(RegionId(r)),
        (None, None, None) if role == Role::SystemAdmin => Scope::System,
        _ => return None, // a grant without a scope is not a grant of everything
    };
    Some(loft_domain::policy::Grant { role, scope })
}

/// Where a granted role applies, as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub enum GrantScope {
    System,
    Region(RegionId),
    Municipality(MunicipalityId),
    Unit(UnitId),
}

pub(crate) async fn insert_person(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    new: &NewPerson,
    source: &str,
) -> Result<PersonId> {
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO person (municipality_id, given_name, family_name, name_sort, given_sort, email, employee_number, source, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
    )
    .bind(new.municipality_id.0)
    .bind(new.given_name.clone())
    .bind(new.family_name.clone())
    .bind(sort_key(&format!("{} {}", new.family_name, new.given_name)))
    .bind(sort_key(&format!("{} {}", new.given_name, new.family_name)))
    .bind(new.email.as_ref().map(|e| e.as_str().to_string()))
    .bind(new.employee_number.as_ref().map(|e| e.as_str().to_string()))
    .bind(source.to_string())
    .bind(now())
    .fetch_one(&mut **tx)
    .await
    .map_err(|e| StoreError::from(e).on_unique("employee_number", "employee-number-exists"))?;
    for g in &new.role_groups {
        sqlx::query("INSERT INTO person_role_group (person_id, role_group) VALUES ($1, $2)")
            .bind(id)
            .bind(g.code())
            .execute(&mut **tx)
            .await?;
    }
    Ok(PersonId(id))
}

pub(crate) async fn insert_grant(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    person: PersonId,
    role: Role,
    scope: &GrantScope,
    source: &str,
) -> Result<i64> {
    let (region, municipality, unit) = match scope {
        GrantScope::System => (None, None, None),
        GrantScope::Region(r) => (Some(r.0), None, None),
        GrantScope::Municipality(m) => (None, Some(m.0), None),
        GrantScope::Unit(u) => (None, None, Some(u.0)),
    };
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO role_grant (person_id, role, region_id, municipality_id, unit_id, source, granted_at) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
    )
    .bind(person.0)
    .bind(role.code())
    .bind(region)
    .bind(municipality)
    .bind(unit)
    .bind(source.to_string())
    .bind(now())
    .fetch_one(&mut **tx)
    .await?;
    Ok(id)
}

#[cfg(test)]
mod tests {
    use super::prefix_end;

    #[test]
    fn prefix_end_bounds_every_extension() {
        assert_eq!(prefix_end("1219").as_deref(), Some("121:"));
        assert!("1219999" < "121:");
        assert_eq!(prefix_end("kari").as_deref(), Some("karj"));
        assert_eq!(prefix_end(""), None);
    }
}
