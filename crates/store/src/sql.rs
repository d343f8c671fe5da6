//! A small builder for dynamic SQL with numbered `$n` placeholders.
//!
//! sqlx's `QueryBuilder<Any>` writes `?` placeholders, which PostgreSQL
//! rejects; `$n` is understood by both engines. Statements with many binds (batches) are built with
//! [`Sql::for_conn`], which writes anonymous `?` on SQLite: sqlx-sqlite asks SQLite for every parameter's name,
//! and SQLite finds a numbered name by a linear scan, so `$n` makes binding quadratic in the number of binds
//! (three quarters of a 1,000-row insert's time went there).

use sqlx::AnyConnection;
use sqlx::any::{Any, AnyArguments};
use sqlx::error::BoxDynError;
use sqlx::{Arguments, Encode, Type};
use std::fmt::Write;

pub(crate) struct Sql {
    text: String,
    args: Result<AnyArguments, BoxDynError>,
    count: usize,
    /// `?` instead of `$n` (SQLite only; binds are always pushed in text order).
    anonymous: bool,
}

impl Sql {
    pub fn new(text: impl Into<String>) -> Sql {
        Sql { text: text.into(), args: Ok(AnyArguments::default()), count: 0, anonymous: false }
    }

    /// A builder whose placeholders suit `conn`'s database best; for statements with many binds.
    pub fn for_conn(conn: &AnyConnection, text: impl Into<String>) -> Sql {
        Sql { anonymous: conn.backend_name() == <sqlx::Sqlite as sqlx::Database>::NAME, ..Sql::new(text) }
    }

    pub fn push(&mut self, text: impl AsRef<str>) -> &mut Sql {
        self.text.push_str(text.as_ref());
        self
    }

    pub fn push_bind<T>(&mut self, value: T) -> &mut Sql
    where
        T: for<'t> Encode<'t, Any> + Type<Any>,
    {
        self.count += 1;
        if self.anonymous {
            self.text.push('?');
        } else {
            let _ = write!(self.text, "${}", self.count);
        }
        if let Ok(args) = &mut self.args
            && let Err(e) = args.add(value)
        {
            self.args = Err(e);
        }
        self
    }

    pub fn query(self) -> Result<sqlx::query::Query<'static, Any, AnyArguments>, sqlx::Error> {
        let args = self.args.map_err(sqlx::Error::Encode)?;
        Ok(sqlx::query_with(sqlx::AssertSqlSafe(self.text), args))
    }

    pub fn query_scalar<O>(self) -> Result<sqlx::query::QueryScalar<'static, Any, O, AnyArguments>, sqlx::Error>
    where
        (O,): for<'r> sqlx::FromRow<'r, sqlx::any::AnyRow>,
    {
        let args = self.args.map_err(sqlx::Error::Encode)?;
        Ok(sqlx::query_scalar_with(sqlx::AssertSqlSafe(self.text), args))
    }
}

/// One value of a row in a batch insert.
pub(crate) enum Val {
    Int(Option<i64>),
    Text(Option<String>),
    Real(Option<f64>),
}

/// Bind variables per statement: below SQLite's limit of 32,766 and kind to PostgreSQL's 65,535.
const MAX_BINDS: usize = 30_000;

/// Rows of `columns` values per multi-row statement on `conn`'s database: up to 1,000 on SQLite (larger
/// statements were not faster), up to 6,000 on PostgreSQL, where each statement is a round trip to the server
/// and a 511,000-person first import spent as long between its 1,000-row statements as in them.
pub(crate) fn rows_per_statement(conn: &AnyConnection, columns: usize) -> usize {
    if conn.backend_name() == <sqlx::Sqlite as sqlx::Database>::NAME {
        (MAX_BINDS / columns.max(1)).clamp(1, 1000)
    } else {
        (60_000 / columns.max(1)).clamp(1, 6000)
    }
}

/// Rows per statement of [`insert_bulk`]: as [`rows_per_statement`] on SQLite; 20,000 on PostgreSQL, where the
/// rows travel as one JSON parameter and no bind limit applies.
pub(crate) fn bulk_rows_per_statement(conn: &AnyConnection, columns: usize) -> usize {
    if conn.backend_name() == <sqlx::Sqlite as sqlx::Database>::NAME {
        rows_per_statement(conn, columns)
    } else {
        20_000
    }
}

/// Inserts very many rows, in the caller's transaction: on SQLite as [`insert_batch`]; on PostgreSQL as one
/// `INSERT … SELECT … FROM jsonb_array_elements($1)` with the rows as a single JSON parameter, each column cast
/// to the type of its first row's value (bigint, text or double precision, as the binds of `insert_batch` are
/// typed). A 511,000-person first import spent more time building, sending and binding 10,000 parameters per
/// statement than the server spent inserting them. A non-finite `Real` is stored as NULL (JSON has no NaN).
pub(crate) async fn insert_bulk(
    tx: &mut sqlx::Transaction<'_, Any>,
    table: &str,
    columns: &[&str],
    rows: Vec<Vec<Val>>,
) -> Result<(), sqlx::Error> {
    if tx.backend_name() == <sqlx::Sqlite as sqlx::Database>::NAME {
        return insert_batch(tx, table, columns, rows).await;
    }
    let Some(first) = rows.first() else { return Ok(()) };
    let select: Vec<String> = first
        .iter()
        .enumerate()
        .map(|(i, value)| match value {
            Val::Int(_) => format!("(e->>{i})::bigint"),
            Val::Text(_) => format!("e->>{i}"),
            Val::Real(_) => format!("(e->>{i})::double precision"),
        })
        .collect();
    let statement = format!(
        "INSERT INTO {table} ({}) SELECT {} FROM jsonb_array_elements($1::jsonb) AS e",
        columns.join(", "),
        select.join(", ")
    );
    let mut json: Vec<u8> = Vec::with_capacity(rows.len() * 16 * columns.len());
    json.push(b'[');
    for (r, row) in rows.into_iter().enumerate() {
        json.extend_from_slice(if r == 0 { b"[" } else { b",[" });
        for (i, value) in row.into_iter().enumerate() {
            if i > 0 {
                json.push(b',');
            }
            match value {
                Val::Int(Some(n)) => json.extend_from_slice(n.to_string().as_bytes()),
                Val::Real(Some(x)) if x.is_finite() => json.extend_from_slice(x.to_string().as_bytes()),
                Val::Text(Some(text)) => {
                    serde_json::to_writer(&mut json, &text).map_err(|e| sqlx::Error::Encode(Box::new(e)))?
                }
                _ => json.extend_from_slice(b"null"),
            }
        }
        json.push(b']');
    }
    json.push(b']');
    let json = String::from_utf8(json).map_err(|e| sqlx::Error::Encode(Box::new(e)))?;
    sqlx::query(sqlx::AssertSqlSafe(statement)).bind(json).execute(&mut **tx).await?;
    Ok(())
}

/// Inserts many rows with few statements (multi-row `VALUES`), in the caller's transaction.
pub(crate) async fn insert_batch(
    tx: &mut sqlx::Transaction<'_, Any>,
    table: &str,
    columns: &[&str],
    rows: Vec<Vec<Val>>,
) -> Result<(), sqlx::Error> {
    let per_statement = rows_per_statement(tx, columns.len());
    let mut rows = rows.into_iter().peekable();
    while rows.peek().is_some() {
        let mut sql = Sql::for_conn(tx, format!("INSERT INTO {table} ({}) VALUES ", columns.join(", ")));
        for (i, row) in rows.by_ref().take(per_statement).enumerate() {
            sql.push(if i == 0 { "(" } else { ", (" });
            sql.push_values(row);
            sql.push(")");
        }
        sql.query()?.execute(&mut **tx).await?;
    }
    Ok(())
}

impl Sql {
    /// Binds `values`, separated by commas.
    pub fn push_values(&mut self, values: Vec<Val>) -> &mut Sql {
        for (j, value) in values.into_iter().enumerate() {
            if j > 0 {
                self.push(", ");
            }
            match value {
                Val::Int(v) => self.push_bind(v),
                Val::Text(v) => self.push_bind(v),
                Val::Real(v) => self.push_bind(v),
            };
        }
        self
    }

    /// Binds `ids` as a parenthesised list, for `… IN (…)`.
    pub fn push_id_list(&mut self, ids: &[i64]) -> &mut Sql {
        self.push("(");
        for (i, id) in ids.iter().enumerate() {
            if i > 0 {
                self.push(", ");
            }
            self.push_bind(*id);
        }
        self.push(")")
    }
}

/// Ids per `IN (…)` list in a batched statement.
pub(crate) const IDS_PER_STATEMENT: usize = 1000;

/// Updates many rows with few statements, in the caller's transaction: each row of `rows` is a value for each of
/// `columns` (the first being the key `on`), and `set` is the `SET` list written against them as `v.<column>`,
/// e.g. `unit_id = v.unit_id`. Runs `WITH v (columns) AS (VALUES …) UPDATE table SET … FROM v WHERE table.on =
/// v.on` (SQLite 3.33+ and PostgreSQL alike).
pub(crate) async fn update_batch(
    tx: &mut sqlx::Transaction<'_, Any>,
    table: &str,
    columns: &[&str],
    set: &str,
    rows: Vec<Vec<Val>>,
) -> Result<(), sqlx::Error> {
    let key = columns.first().copied().unwrap_or("id");
    let per_statement = (MAX_BINDS / columns.len().max(1)).clamp(1, 1000);
    let mut rows = rows.into_iter().peekable();
    while rows.peek().is_some() {
        let mut sql = Sql::for_conn(tx, format!("WITH v ({}) AS (VALUES ", columns.join(", ")));
        for (i, row) in rows.by_ref().take(per_statement).enumerate() {
            sql.push(if i == 0 { "(" } else { ", (" });
            sql.push_values(row);
            sql.push(")");
        }
        sql.push(format!(") UPDATE {table} SET {set} FROM v WHERE {table}.{key} = v.{key}"));
        sql.query()?.execute(&mut **tx).await?;
    }
    Ok(())
}
