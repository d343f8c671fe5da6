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
