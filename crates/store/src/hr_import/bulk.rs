//! Bulk inserts of a first import: for a file that creates very many people, the secondary indexes of the tables
//! the import fills are dropped before the insert and built again after it, in the import's transaction. Building
//! an index sorts its rows once; keeping it while inserting puts each row into every index one by one, which made
//! a 511,000-person first import spend most of its time in index B-trees (SQLite) and index maintenance in the
//! server (PostgreSQL: the multi-row inserts into `person` alone took 22 s).
//!
//! Only plain indexes are set aside: primary keys and unique indexes (which enforce `(municipality_id,
//! employee_number)` and are used to find the new ids) stay. The definitions are read from the catalogue, so
//! indexes added by later migrations are rebuilt as they were defined. If anything fails the transaction rolls
//! back, indexes included.
//!
//! On PostgreSQL `DROP INDEX` locks the table against readers until the import commits; a first import of this
//! size is a one-off (a national roll-out), not something done during opening hours.

use crate::Result;
use sqlx::{Any, Row, Transaction};

/// Tables a first import fills with a row per new person (`role_grant` only gets the managers).
pub(super) const BULK_TABLES: [&str; 3] = ["person", "person_role_group", "employment"];

/// Dropped indexes, with the statements that build them again.
pub(super) struct SetAside {
    definitions: Vec<String>,
}

/// Whether an insert of `new` people into a `person` table of `existing` rows should set indexes aside: from
/// `from` people and at least a quarter of the table (rebuilding sorts the whole table, not only the new rows).
pub(super) fn worth_it(new: usize, existing: i64, from: usize) -> bool {
    new >= from && (new as i64).saturating_mul(4) >= existing
}

/// Drops the plain secondary indexes of `tables`.
pub(super) async fn set_aside(tx: &mut Transaction<'_, Any>, tables: &[&str]) -> Result<SetAside> {
    let sqlite = tx.backend_name() == <sqlx::Sqlite as sqlx::Database>::NAME;
    let mut definitions = Vec::new();
    for table in tables {
        let rows = if sqlite {
            sqlx::query(
                "SELECT '\"' || name || '\"', sql FROM sqlite_master
                 WHERE type = 'index' AND tbl_name = $1 AND sql IS NOT NULL AND sql NOT LIKE 'CREATE UNIQUE%'",
            )
        } else {
            sqlx::query(
                "SELECT x.indexrelid::regclass::text, pg_get_indexdef(x.indexrelid)
                 FROM pg_index x
                 WHERE x.indrelid = to_regclass($1) AND NOT x.indisunique AND NOT x.indisprimary
                   AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = x.indexrelid)",
            )
        }
        .bind(table.to_string())
        .fetch_all(&mut **tx)
        .await?;
        for row in rows {
            let (name, definition): (String, String) = (row.try_get(0)?, row.try_get(1)?);
            sqlx::query(sqlx::AssertSqlSafe(format!("DROP INDEX {name}"))).execute(&mut **tx).await?;
            definitions.push(definition);
        }
    }
    if !sqlite {
        // Room to sort a national table's index in memory (the default is 64 MB); for this transaction only.
        sqlx::query("SET LOCAL maintenance_work_mem = '256MB'").execute(&mut **tx).await?;
    }
    Ok(SetAside { definitions })
}

/// Builds the indexes [`set_aside`] dropped, as they were defined.
pub(super) async fn rebuild(tx: &mut Transaction<'_, Any>, set_aside: SetAside) -> Result<()> {
    for definition in set_aside.definitions {
        sqlx::query(sqlx::AssertSqlSafe(definition)).execute(&mut **tx).await?;
    }
    Ok(())
}
