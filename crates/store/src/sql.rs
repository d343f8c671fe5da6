//! A small builder for dynamic SQL with numbered `$n` placeholders.
//!
//! sqlx's `QueryBuilder<Any>` writes `?` placeholders, which PostgreSQL
//! rejects; `$n` is understood by both engines.

use sqlx::any::{Any, AnyArguments};
use sqlx::error::BoxDynError;
use sqlx::{Arguments, Encode, Type};
use std::fmt::Write;

pub(crate) struct Sql {
    text: String,
    args: Result<AnyArguments, BoxDynError>,
    count: usize,
}

impl Sql {
    pub fn new(text: impl Into<String>) -> Sql {
        Sql { text: text.into(), args: Ok(AnyArguments::default()), count: 0 }
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
        let _ = write!(self.text, "${}", self.count);
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

/// Inserts many rows with few statements (multi-row `VALUES`), in the caller's transaction.
pub(crate) async fn insert_batch(
    tx: &mut sqlx::Transaction<'_, Any>,
    table: &str,
    columns: &[&str],
    rows: Vec<Vec<Val>>,
) -> Result<(), sqlx::Error> {
    let per_statement = (MAX_BINDS / columns.len().max(1)).clamp(1, 1000);
    let mut rows = rows.into_iter().peekable();
    while rows.peek().is_some() {
        let mut sql = Sql::new(format!("INSERT INTO {table} ({}) VALUES ", columns.join(", ")));
        for (i, row) in rows.by_ref().take(per_statement).enumerate() {
            sql.push(if i == 0 { "(" } else { ", (" });
            for (j, value) in row.into_iter().enumerate() {
                if j > 0 {
                    sql.push(", ");
                }
                match value {
                    Val::Int(v) => sql.push_bind(v),
                    Val::Text(v) => sql.push_bind(v),
                    Val::Real(v) => sql.push_bind(v),
                };
            }
            sql.push(")");
        }
        sql.query()?.execute(&mut **tx).await?;
    }
    Ok(())
}
