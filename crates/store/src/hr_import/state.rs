//! The municipality's HR people and units as the diff compares them, plus what an apply needs to write and undo.

use super::{GRANT_SOURCE, UnitKind};
use crate::Result;
use crate::sql::{IDS_PER_STATEMENT, Sql};
use futures_util::TryStreamExt;
use loft_domain::hr::{CurrentPerson, Percent, UnitRef};
use loft_domain::ids::{MunicipalityId, PersonId, UnitId};
use loft_domain::org::UnitPath;
use loft_domain::person::{Email, EmployeeNumber};
use loft_domain::policy::Role;
use serde::{Deserialize, Serialize};
use sqlx::{AnyConnection, Row};
use std::collections::{BTreeSet, HashMap, HashSet};

/// The current state, with what the apply needs besides what the diff compares.
pub(super) struct State {
    pub(super) people: Vec<CurrentPerson>,
    pub(super) units: BTreeSet<UnitRef>,
    /// Open units by the file's way of naming them (the lowest id wins for a duplicate name).
    pub(super) unit_ids: HashMap<UnitRef, (UnitId, UnitPath)>,
    /// Each person's current employment row.
    pub(super) employment: HashMap<PersonId, i64>,
    /// (person, unit) of the import's manager grants.
    pub(super) grants: HashSet<(i64, i64)>,
}

/// A person's HR values exactly as stored before an import touched them.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(super) struct Snapshot {
    pub(super) id: PersonId,
    pub(super) given_name: String,
    pub(super) family_name: String,
    pub(super) email: Option<String>,
    pub(super) mobile: Option<String>,
    pub(super) left_at: Option<i64>,
    pub(super) employment: Option<EmploymentSnapshot>,
    /// Units of the person's `hr-import` manager grants.
    pub(super) manager_of: Vec<i64>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub(super) struct EmploymentSnapshot {
    pub(super) id: i64,
    pub(super) unit_id: i64,
    pub(super) position_title: Option<String>,
    pub(super) position_code: Option<String>,
    pub(super) percent: Option<f64>,
    pub(super) start_date: Option<String>,
    pub(super) end_date: Option<String>,
}

pub(super) async fn read_state(
    conn: &mut AnyConnection,
    municipality: MunicipalityId,
    kind: UnitKind,
) -> Result<State> {
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
    let date = |s: &Option<String>| s.as_deref().and_then(|s| s.parse::<jiff::civil::Date>().ok());
    let mut people = Vec::new();
    let mut employment = HashMap::new();
    let mut add = |employee_number: &str, s: Snapshot| {
        let Ok(employee_number) = EmployeeNumber::parse(employee_number) else { return };
        let job = s.employment.as_ref();
        if let Some(job) = job {
            employment.insert(s.id, job.id);
        }
        let unit_id = job.map(|j| j.unit_id);
        people.push(CurrentPerson {
            id: s.id,
            employee_number,
            email: s.email.as_deref().and_then(|e| Email::parse(e).ok()),
            unit: unit_id.and_then(|u| unit_of_id.get(&u).cloned()),
            position_title: job.and_then(|j| j.position_title.clone()),
            position_code: job.and_then(|j| j.position_code.clone()),
            percent: job
                .and_then(|j| j.percent)
                .map(|p| Percent::from_hundredths((p * 100.0).round().clamp(0.0, 10_000.0) as u16)),
            is_manager: unit_id.is_some_and(|u| grants.contains(&(s.id.0, u))),
            start_date: job.and_then(|j| date(&j.start_date)),
            end_date: job.and_then(|j| date(&j.end_date)),
            left: s.left_at.is_some(),
            given_name: s.given_name,
            family_name: s.family_name,
            mobile: s.mobile,
        });
    };
    // Streamed, never held as rows and people at once. Each backend gets the query it runs fastest: SQLite
    // packs a thousand people into one JSON row (sqlx hands every row from its SQLite thread over a channel,
    // which cost 8 s for 550,000 rows against 0.5 s for the query itself); PostgreSQL finds each person's
    // current employment with a lateral look-up (its plan for the correlated MAX ran the subquery twice per row).
    if conn.backend_name() == <sqlx::Sqlite as sqlx::Database>::NAME {
        let mut rows = sqlx::query(
            "SELECT json_group_array(json_array(p.id, p.employee_number, p.given_name, p.family_name, p.email,
                    p.mobile, p.left_at, e.id, e.unit_id, e.position_title, e.position_code, e.percent,
                    e.start_date, e.end_date))
             FROM person p LEFT JOIN employment e
               ON e.id = (SELECT MAX(x.id) FROM employment x WHERE x.person_id = p.id)
             WHERE p.municipality_id = $1 AND p.employee_number IS NOT NULL GROUP BY p.id / 1000",
        )
        .bind(municipality.0)
        .fetch(&mut *conn);
        while let Some(r) = rows.try_next().await? {
            let chunk: Vec<PackedRow> =
                serde_json::from_str(&r.try_get::<String, _>(0)?).map_err(|e| sqlx::Error::Decode(Box::new(e)))?;
            for row in chunk {
                let (number, snapshot) = unpack(row);
                add(&number, snapshot);
            }
        }
    } else {
        let mut rows = sqlx::query(
            "SELECT p.id, p.employee_number, p.given_name, p.family_name, p.email, p.mobile, p.left_at,
                    e.id, e.unit_id, e.position_title, e.position_code, e.percent, e.start_date, e.end_date
             FROM person p LEFT JOIN LATERAL
               (SELECT * FROM employment x WHERE x.person_id = p.id ORDER BY x.id DESC LIMIT 1) e ON true
             WHERE p.municipality_id = $1 AND p.employee_number IS NOT NULL",
        )
        .bind(municipality.0)
        .fetch(&mut *conn);
        while let Some(r) = rows.try_next().await? {
            add(&r.try_get::<String, _>(1)?, snapshot_from(&r, Vec::new())?);
        }
    }
    people.sort_by_key(|p| p.id);
    let units = unit_ids.keys().cloned().collect();
    Ok(State { people, units, unit_ids, employment, grants })
}

/// One person as SQLite's JSON packs them: the columns of [`SNAPSHOT_SELECT`] in order.
type PackedRow = (
    i64,
    String,
    String,
    String,
    Option<String>,
    Option<String>,
    Option<i64>,
    Option<i64>,
    Option<i64>,
    Option<String>,
    Option<String>,
    Option<f64>,
    Option<String>,
    Option<String>,
);

fn unpack(r: PackedRow) -> (String, Snapshot) {
    let (id, number, given_name, family_name, email, mobile, left_at, job, unit_id, title, code, percent, start, end) =
        r;
    let employment = job.zip(unit_id).map(|(id, unit_id)| EmploymentSnapshot {
        id,
        unit_id,
        position_title: title,
        position_code: code,
        percent,
        start_date: start,
        end_date: end,
    });
    let snapshot =
        Snapshot { id: PersonId(id), given_name, family_name, email, mobile, left_at, employment, manager_of: vec![] };
    (number, snapshot)
}

/// A person row with their current employment, as [`snapshot_from`] reads it.
const SNAPSHOT_SELECT: &str =
    "SELECT p.id, p.employee_number, p.given_name, p.family_name, p.email, p.mobile, p.left_at,
        e.id, e.unit_id, e.position_title, e.position_code, e.percent, e.start_date, e.end_date
 FROM person p LEFT JOIN employment e ON e.id = (SELECT MAX(x.id) FROM employment x WHERE x.person_id = p.id)";

fn snapshot_from(r: &sqlx::any::AnyRow, manager_of: Vec<i64>) -> Result<Snapshot> {
    let employment = match r.try_get::<Option<i64>, _>(7)? {
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
    Ok(Snapshot {
        id: PersonId(r.try_get(0)?),
        given_name: r.try_get(2)?,
        family_name: r.try_get(3)?,
        email: r.try_get(4)?,
        mobile: r.try_get(5)?,
        left_at: r.try_get(6)?,
        employment,
        manager_of,
    })
}

/// The stored values of the people `ids` (in that order), read before an apply writes, for its undo. Only the
/// people an import touches are read, so a large unchanged file costs nothing here.
pub(super) async fn snapshots(
    conn: &mut AnyConnection,
    ids: &[PersonId],
    grants: &HashSet<(i64, i64)>,
) -> Result<Vec<Snapshot>> {
    let mut manager_of: HashMap<i64, Vec<i64>> = HashMap::new();
    for (person, unit) in grants {
        manager_of.entry(*person).or_default().push(*unit);
    }
    let mut found: HashMap<PersonId, Snapshot> = HashMap::with_capacity(ids.len());
    for chunk in ids.chunks(IDS_PER_STATEMENT) {
        let mut q = Sql::for_conn(&*conn, format!("{SNAPSHOT_SELECT} WHERE p.id IN "));
        q.push_id_list(&chunk.iter().map(|id| id.0).collect::<Vec<_>>());
        for r in q.query()?.fetch_all(&mut *conn).await? {
            let id: i64 = r.try_get(0)?;
            let s = snapshot_from(&r, manager_of.remove(&id).unwrap_or_default())?;
            found.insert(s.id, s);
        }
    }
    Ok(ids.iter().filter_map(|id| found.remove(id)).collect())
}
