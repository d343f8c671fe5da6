//! The database. The only crate that knows SQL: one query path for SQLite and
//! PostgreSQL through sqlx's `Any` driver, migrations per dialect, one module
//! per feature. Rows stay private here and leave as domain types.

pub mod accounts;
pub mod audit;
mod batch;
pub mod competence;
pub mod courses;
pub mod demo;
pub mod hr_import;
mod kept;
pub mod mapping;
mod mapping_checks;
mod mapping_demo;
pub mod mapping_release;
mod mapping_reminders;
pub mod org;
pub mod outbox;
pub mod people;
mod sql;
#[cfg(feature = "testing")]
pub mod testing;

use loft_domain::DomainError;
use sqlx::any::{AnyConnectOptions, AnyPoolOptions};
use sqlx::migrate::{Migration, MigrationType, Migrator};
use sqlx::{AnyPool, Executor};
use std::str::FromStr;
use std::time::Duration;

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// A rule of the domain was broken (bad input, unknown id, conflict).
    #[error(transparent)]
    Domain(#[from] DomainError),
    #[error("unsupported database URL scheme: {0} (use sqlite:// or postgres://)")]
    UnsupportedUrl(String),
    #[error("database error: {0}")]
    Database(#[from] sqlx::Error),
    #[error("migration error: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
}

pub type Result<T, E = StoreError> = std::result::Result<T, E>;

impl StoreError {
    /// Unique violations become a conflict on a named field, not a 500.
    fn on_unique(self, field: &'static str, code: &'static str) -> StoreError {
        match &self {
            StoreError::Database(sqlx::Error::Database(e)) if e.is_unique_violation() => {
                StoreError::Domain(DomainError::Conflict { field, code })
            }
            _ => self,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// The database handle shared by the whole application.
#[derive(Debug, Clone)]
pub struct Store {
    pub(crate) pool: AnyPool,
    backend: Backend,
    /// New people from which an HR import sets the bulk tables' secondary indexes aside while it inserts them
    /// (see `hr_import::bulk`).
    hr_bulk_from: usize,
    /// Parked anonymous answers a round's release moves per transaction (`mapping_release`).
    release_chunk: i64,
    /// On SQLite, write transactions that run often and concurrently (mapping submits) take this first, so
    /// they queue here and are woken in turn instead of sleeping in SQLite's busy handler (1, 2, 5 … 100 ms).
    pub(crate) writer: std::sync::Arc<tokio::sync::Mutex<()>>,
    /// The course catalogue held in memory (`courses::catalogue`).
    pub(crate) catalogue: std::sync::Arc<courses::catalogue::CatalogueCache>,
    /// Enrolments waiting to be booked together, per session (`courses::enrolment`).
    pub(crate) enrol_queues: std::sync::Arc<courses::enrolment::EnrolQueues>,
    /// Framework versions parsed once (`Store::frameworks`).
    pub(crate) frameworks: std::sync::Arc<kept::Kept<Vec<competence::StoredFramework>>>,
    /// The municipalities (`Store::municipalities`).
    pub(crate) municipalities: std::sync::Arc<kept::Kept<Vec<loft_domain::org::Municipality>>>,
    /// Who an API token stands for, by token hash (`Store::api_token_account`): a revoked token or a changed role
    /// stops counting at once in this process and within a second in another.
    pub(crate) token_identities: std::sync::Arc<kept::KeptMap<String, Option<accounts::AccountRef>>>,
    /// Token look-ups waiting to be read together (`Store::api_token_account`).
    pub(crate) token_reads: std::sync::Arc<accounts::TokenReads>,
    /// API tokens' last use, written a little later in one statement (`accounts::TokenUses`).
    pub(crate) token_uses: std::sync::Arc<accounts::TokenUses>,
    /// A session's course, region and audience (`Store::session_audience`), asked by every enrolment.
    pub(crate) session_audiences: std::sync::Arc<
        kept::KeptMap<
            i64,
            (loft_domain::courses::CourseId, loft_domain::ids::RegionId, loft_domain::courses::Visibility),
        >,
    >,
    /// A person's region and municipality (`Store::person_home`), asked on most requests.
    pub(crate) homes:
        std::sync::Arc<kept::KeptMap<i64, (loft_domain::ids::RegionId, loft_domain::ids::MunicipalityId)>>,
}

/// Today's date in Norway.
pub(crate) fn today_date() -> jiff::civil::Date {
    jiff::Timestamp::now().in_tz("Europe/Oslo").map(|z| z.date()).unwrap_or_default()
}

/// Today's date in Norway, as stored in date columns (`YYYY-MM-DD`).
pub(crate) fn today() -> String {
    today_date().to_string()
}

/// An employment is current until the end of its end date (fixed-term contracts end in the future).
pub(crate) const CURRENT_EMPLOYMENT: &str = "(e.end_date IS NULL OR e.end_date >= ";

pub(crate) fn now() -> i64 {
    jiff::Timestamp::now().as_second()
}

impl Store {
    /// On SQLite, the turn of a write transaction that runs often and concurrently ([`Store::writer`]); nothing
    /// on PostgreSQL, whose row locks order such writers.
    pub(crate) async fn sqlite_writer(&self) -> Option<tokio::sync::MutexGuard<'_, ()>> {
        match self.backend() {
            Backend::Sqlite => Some(self.writer.lock().await),
            Backend::Postgres => None,
        }
    }

    /// Connects to `sqlite://…` or `postgres://…`; creates a SQLite file if missing.
    pub async fn connect(url: &str) -> Result<Store> {
        sqlx::any::install_default_drivers();
        let backend = if url.starts_with("sqlite:") {
            Backend::Sqlite
        } else if url.starts_with("postgres:") || url.starts_with("postgresql:") {
            Backend::Postgres
        } else {
            let scheme = url.split(':').next().unwrap_or_default().to_string();
            return Err(StoreError::UnsupportedUrl(scheme));
        };
        let url = match backend {
            Backend::Sqlite if !url.contains("mode=") && !url.contains(":memory:") => {
                format!("{url}{}mode=rwc", if url.contains('?') { '&' } else { '?' })
            }
            _ => url.to_string(),
        };
        let options = AnyConnectOptions::from_str(&url)?;
        let pool = AnyPoolOptions::new()
            .max_connections(if backend == Backend::Sqlite { 8 } else { 16 })
            .acquire_timeout(Duration::from_secs(10))
            .after_connect(move |conn, _| {
                Box::pin(async move {
                    if backend == Backend::Sqlite {
                        // Foreign keys are off by default in SQLite; WAL lets readers run beside a writer.
                        conn.execute("PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 10000; PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL;")
                            .await?;
                    }
                    Ok(())
                })
            })
            .connect_with(options)
            .await?;
        Ok(Store {
            pool,
            backend,
            hr_bulk_from: hr_import::BULK_INSERT_FROM,
            release_chunk: mapping_release::MOVED_PER_CHUNK,
            writer: Default::default(),
            catalogue: Default::default(),
            enrol_queues: Default::default(),
            frameworks: Default::default(),
            municipalities: Default::default(),
            token_identities: Default::default(),
            token_uses: Default::default(),
            token_reads: Default::default(),
            session_audiences: Default::default(),
            homes: Default::default(),
        })
    }

    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// This store with another threshold for an HR import's bulk insert: from `people` new people in one import
    /// (and at least a quarter of the `person` table), the secondary indexes of the tables it fills are dropped
    /// before and rebuilt after inserting them, in the same transaction. For tests and tuning.
    pub fn with_hr_bulk_insert_from(self, people: usize) -> Store {
        Store { hr_bulk_from: people, ..self }
    }

    /// This store with another number of parked answers a round's release moves per transaction. For tests and
    /// tuning.
    pub fn with_release_chunk(self, answers: i64) -> Store {
        Store { release_chunk: answers.max(1), ..self }
    }

    /// Applies every pending migration for this backend.
    pub async fn migrate(&self) -> Result<()> {
        let sources: &[(i64, &str, &'static str)] = match self.backend {
            Backend::Sqlite => &[
                (1, "foundation", include_str!("../migrations/sqlite/0001_foundation.sql")),
                (2, "search indexes", include_str!("../migrations/sqlite/0002_search_indexes.sql")),
                (3, "hr import", include_str!("../migrations/sqlite/0003_hr_import.sql")),
                (5, "competence", include_str!("../migrations/sqlite/0005_competence.sql")),
                (6, "hr state version", include_str!("../migrations/sqlite/0006_hr_state_version.sql")),
                (7, "mapping features", include_str!("../migrations/sqlite/0007_mapping_features.sql")),
                (8, "mapping tally", include_str!("../migrations/sqlite/0008_mapping_tally.sql")),
                (10, "courses", include_str!("../migrations/sqlite/0010_courses.sql")),
                (11, "course calendar", include_str!("../migrations/sqlite/0011_course_calendar.sql")),
                (12, "course attendance", include_str!("../migrations/sqlite/0012_course_attendance.sql")),
                (13, "course certificates", include_str!("../migrations/sqlite/0013_course_certificates.sql")),
                (14, "course changes", include_str!("../migrations/sqlite/0014_course_changes.sql")),
                (15, "course evaluation", include_str!("../migrations/sqlite/0015_course_evaluation.sql")),
                (16, "course offers", include_str!("../migrations/sqlite/0016_course_offers.sql")),
                (17, "catalogue version", include_str!("../migrations/sqlite/0017_catalogue_version.sql")),
                (18, "seat reservations", include_str!("../migrations/sqlite/0018_seat_reservations.sql")),
                (19, "mapping release", include_str!("../migrations/sqlite/0019_mapping_release.sql")),
            ],
            Backend::Postgres => &[
                (1, "foundation", include_str!("../migrations/postgres/0001_foundation.sql")),
                (2, "search indexes", include_str!("../migrations/postgres/0002_search_indexes.sql")),
                (3, "hr import", include_str!("../migrations/postgres/0003_hr_import.sql")),
                (5, "competence", include_str!("../migrations/postgres/0005_competence.sql")),
                (6, "hr state version", include_str!("../migrations/postgres/0006_hr_state_version.sql")),
                (7, "mapping features", include_str!("../migrations/postgres/0007_mapping_features.sql")),
                (8, "mapping tally", include_str!("../migrations/postgres/0008_mapping_tally.sql")),
                (10, "courses", include_str!("../migrations/postgres/0010_courses.sql")),
                (11, "course calendar", include_str!("../migrations/postgres/0011_course_calendar.sql")),
                (12, "course attendance", include_str!("../migrations/postgres/0012_course_attendance.sql")),
                (13, "course certificates", include_str!("../migrations/postgres/0013_course_certificates.sql")),
                (14, "course changes", include_str!("../migrations/postgres/0014_course_changes.sql")),
                (15, "course evaluation", include_str!("../migrations/postgres/0015_course_evaluation.sql")),
                (16, "course offers", include_str!("../migrations/postgres/0016_course_offers.sql")),
                (17, "catalogue version", include_str!("../migrations/postgres/0017_catalogue_version.sql")),
                (18, "seat reservations", include_str!("../migrations/postgres/0018_seat_reservations.sql")),
                (19, "mapping release", include_str!("../migrations/postgres/0019_mapping_release.sql")),
            ],
        };
        let migrations = sources
            .iter()
            .map(|(v, d, sql)| {
                Migration::new(*v, (*d).into(), MigrationType::Simple, sqlx::SqlSafeStr::into_sql_str(*sql), false)
            })
            .collect();
        Migrator::with_migrations(migrations).run(&self.pool).await?;
        Ok(())
    }

    /// Whether the database answers (for `/healthz`).
    pub async fn ping(&self) -> bool {
        sqlx::query("SELECT 1").execute(&self.pool).await.is_ok()
    }

    /// A consistent online copy of a SQLite database (`VACUUM INTO`), safe while serving.
    pub async fn backup_sqlite(&self, target: &str) -> Result<()> {
        if self.backend != Backend::Sqlite {
            return Err(StoreError::UnsupportedUrl("backup of postgres: use pg_dump".into()));
        }
        if std::path::Path::new(target).exists() {
            return Err(DomainError::Conflict { field: "file", code: "file-exists" }.into());
        }
        sqlx::query("VACUUM INTO $1").bind(target.to_string()).execute(&self.pool).await?;
        Ok(())
    }

    pub async fn close(&self) {
        self.pool.close().await;
    }
}
