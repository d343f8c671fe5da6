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
//! On PostgreSQL the foreign keys of those tables are set aside too and added again after the insert: each new row
//! otherwise runs a look-up of the row it refers to (and locks it), two million of them for a national first
//! import, where adding the constraint again checks every row with one join. `ADD CONSTRAINT` checks all rows, so
//! nothing is let through. (SQLite's foreign-key checks are index look-ups inside the engine, and stay.)
//!
//! On PostgreSQL `DROP INDEX` locks the table against readers until the import commits, and dropping and adding a
//! foreign key also locks the table it refers to against writers; a first import of this size is a one-off (a
//! national roll-out), not something done during opening hours.

use crate::Result;
use sqlx::{Any, Row, Transaction};

/// Tables a first import fills with a row per new person (`role_grant` only gets the managers).
pub(super) const BULK_TABLES: [&str; 3] = ["person", "person_role_group", "employment"];

/// Dropped indexes and foreign keys, with the statements that make them again.
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
        for table in tables {
            let keys = sqlx::query(
                "SELECT conname::text, pg_get_constraintdef(oid) FROM pg_constraint
                 WHERE conrelid = to_regclass($1) AND contype = 'f' ORDER BY conname",
            )
            .bind(table.to_string())
            .fetch_all(&mut **tx)
            .await?;
            for key in keys {
                let (name, definition): (String, String) = (key.try_get(0)?, key.try_get(1)?);
                let name = format!("\"{}\"", name.replace('"', "\"\""));
                sqlx::query(sqlx::AssertSqlSafe(format!("ALTER TABLE {table} DROP CONSTRAINT {name}")))
                    .execute(&mut **tx)
                    .await?;
                definitions.push(format!("ALTER TABLE {table} ADD CONSTRAINT {name} {definition}"));
            }
        }
        // Room to sort a national table's index in memory (the default is 64 MB; 1 GB built them about a second
        // faster than 256 MB on the national first import); for this transaction only.
        sqlx::query("SET LOCAL maintenance_work_mem = '1GB'").execute(&mut **tx).await?;
    }
    Ok(SetAside { definitions })
}

/// Builds the indexes and adds the foreign keys [`set_aside`] dropped, as they were defined.
pub(super) async fn rebuild(tx: &mut Transaction<'_, Any>, set_aside: SetAside) -> Result<()> {
    for definition in set_aside.definitions {
        sqlx::query(sqlx::AssertSqlSafe(definition)).execute(&mut **tx).await?;
    }
    Ok(())
}
