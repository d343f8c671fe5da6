//! Throwaway databases for tests: a SQLite file per test, and, when
//! `LOFT_TEST_POSTGRES_URL` is set, a PostgreSQL schema per test. Tests run
//! their story against every backend that [`backends`] returns.

use crate::Store;
use std::sync::atomic::{AtomicU64, Ordering};

static COUNTER: AtomicU64 = AtomicU64::new(0);

fn unique_name() -> String {
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    let r: u32 = rand::random();
    format!("loft_t_{}_{}_{:08x}", std::process::id(), n, r)
}

/// A migrated, empty database and how to remove it again.
pub struct TestDb {
    pub store: Store,
    pub url: String,
    cleanup: Cleanup,
}

enum Cleanup {
    File(std::path::PathBuf),
    Schema { admin_url: String, schema: String },
}

impl TestDb {
    pub async fn sqlite() -> TestDb {
        let path = std::env::temp_dir().join(format!("{}.db", unique_name()));
        let url = format!("sqlite://{}", path.display());
        let store = Store::connect(&url).await.expect("open sqlite");
        store.migrate().await.expect("migrate sqlite");
        TestDb { store, url, cleanup: Cleanup::File(path) }
    }

    pub async fn postgres(admin_url: &str) -> TestDb {
        let schema = unique_name();
        let admin = Store::connect(admin_url).await.expect("connect postgres");
        sqlx::query(sqlx::AssertSqlSafe(format!("CREATE SCHEMA {schema}")))
            .execute(&admin.pool)
            .await
            .expect("create schema");
        admin.close().await;
        let sep = if admin_url.contains('?') { '&' } else { '?' };
        let url = format!("{admin_url}{sep}options=-c%20search_path%3D{schema}");
        let store = Store::connect(&url).await.expect("connect schema");
        store.migrate().await.expect("migrate postgres");
        TestDb { store, url, cleanup: Cleanup::Schema { admin_url: admin_url.to_string(), schema } }
    }

    /// Closes the pool and removes the database.
    pub async fn drop_db(self) {
        self.store.close().await;
        match self.cleanup {
            Cleanup::File(path) => {
                for suffix in ["", "-wal", "-shm"] {
                    let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
                }
            }
            Cleanup::Schema { admin_url, schema } => {
                if let Ok(admin) = Store::connect(&admin_url).await {
                    let _ = sqlx::query(sqlx::AssertSqlSafe(format!("DROP SCHEMA {schema} CASCADE")))
                        .execute(&admin.pool)
                        .await;
                    admin.close().await;
                }
            }
        }
    }
}

/// The PostgreSQL URL tests use, if any.
pub fn postgres_url() -> Option<String> {
    std::env::var("LOFT_TEST_POSTGRES_URL").ok().filter(|u| !u.is_empty())
}

/// A fresh database on SQLite, and on PostgreSQL when configured.
pub async fn backends() -> Vec<TestDb> {
    let mut dbs = vec![TestDb::sqlite().await];
    if let Some(url) = postgres_url() {
        dbs.push(TestDb::postgres(&url).await);
    }
    dbs
}

/// The plain (non-unique) indexes of `table`, sorted: each one's definition as the catalogue gives it and its
/// identity (SQLite's root page, PostgreSQL's oid), which changes when an index is dropped and built again.
pub async fn plain_indexes(store: &Store, table: &str) -> Vec<(String, i64)> {
    let query = match store.backend() {
        crate::Backend::Sqlite => {
            "SELECT sql, rootpage FROM sqlite_master
             WHERE type = 'index' AND tbl_name = $1 AND sql IS NOT NULL AND sql NOT LIKE 'CREATE UNIQUE%'"
        }
        crate::Backend::Postgres => {
            "SELECT pg_get_indexdef(x.indexrelid), x.indexrelid::bigint FROM pg_index x
             WHERE x.indrelid = to_regclass($1) AND NOT x.indisunique AND NOT x.indisprimary"
        }
    };
    definitions(store, query, table).await
}

/// The (definition, identity) rows `query` answers for `table`, sorted.
async fn definitions(store: &Store, query: &'static str, table: &str) -> Vec<(String, i64)> {
    let rows = sqlx::query(query).bind(table.to_string()).fetch_all(&store.pool).await.expect("catalogue");
    let mut found: Vec<(String, i64)> = rows
        .iter()
        .map(|r| {
            use sqlx::Row;
            (r.try_get(0).expect("definition"), r.try_get(1).expect("identity"))
        })
        .collect();
    found.sort();
    found
}

/// A table's foreign keys as their definitions with the constraint's identity (PostgreSQL; on SQLite the rows of
/// `pragma_foreign_key_list`, with no identity), sorted.
pub async fn foreign_keys(store: &Store, table: &str) -> Vec<(String, i64)> {
    let query = match store.backend() {
        crate::Backend::Sqlite => {
            "SELECT \"table\" || '(' || \"to\" || ') from ' || \"from\", 0 FROM pragma_foreign_key_list($1)"
        }
        crate::Backend::Postgres => {
            "SELECT conname || ' ' || pg_get_constraintdef(oid), oid::bigint FROM pg_constraint
             WHERE conrelid = to_regclass($1) AND contype = 'f'"
        }
    };
    definitions(store, query, table).await
}

/// Moves the deadline of every open offer in a session to `expires_at` (unix seconds), so tests can let offers
/// lapse without waiting for the clock.
pub async fn set_offer_deadlines(store: &Store, session: loft_domain::courses::SessionId, expires_at: i64) {
    sqlx::query("UPDATE enrolment SET offer_expires_at = $2 WHERE session_id = $1 AND status = 'offered'")
        .bind(session.0)
        .bind(expires_at)
        .execute(&store.pool)
        .await
        .expect("set offer deadlines");
}

/// Moves the release deadline of every reservation in a session to `release_at` (unix seconds), so tests can
/// let reserved seats fall due without waiting for the clock.
pub async fn set_release_deadlines(store: &Store, session: loft_domain::courses::SessionId, release_at: i64) {
    sqlx::query("UPDATE seat_reservation SET release_at = $2 WHERE session_id = $1")
        .bind(session.0)
        .bind(release_at)
        .execute(&store.pool)
        .await
        .expect("set release deadlines");
}

/// Moves a mapping round's window so that it closed yesterday (opened the day before), or, with `open`, so that
/// it is open today: tests answer a round and then read its results, which are released only after it closed.
pub async fn move_round_window(store: &Store, round_id: i64, open: bool) {
    let today = jiff::Timestamp::now().in_tz("Europe/Oslo").expect("zone").date();
    let day = |n: i64| (today + jiff::Span::new().days(n)).to_string();
    let (opens, closes) = if open { (day(0), day(14)) } else { (day(-2), day(-1)) };
    sqlx::query("UPDATE mapping_round SET opens_on = $2, closes_on = $3 WHERE id = $1")
        .bind(round_id)
        .bind(opens)
        .bind(closes)
        .execute(&store.pool)
        .await
        .expect("move the round's window");
}

/// How many responses a round has stored (parked anonymous answers not counted until the release moves them).
pub async fn response_total(store: &Store, round_id: i64) -> i64 {
    sqlx::query_scalar("SELECT COUNT(*) FROM mapping_response WHERE round_id = $1")
        .bind(round_id)
        .fetch_one(&store.pool)
        .await
        .expect("response total")
}

/// The region's report tree as it is now, and the round's tallies placed in it.
pub async fn round_tallies(
    store: &Store,
    round_id: i64,
) -> (Vec<loft_domain::mapping::report::Node>, Vec<loft_domain::mapping::report::Tally>) {
    let round = store.round(round_id).await.expect("round");
    let nodes = store.report_nodes(round.region).await.expect("report tree");
    let tallies = store.tallies_over(round_id, &nodes).await.expect("tallies");
    (nodes, tallies)
}

/// The store's pool, for tests that check what is stored beside what the store's functions say.
pub fn pool(store: &Store) -> &sqlx::AnyPool {
    &store.pool
}
