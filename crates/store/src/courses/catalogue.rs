//! The catalogue read model (`domain::courses::catalogue`) kept in memory per region.
//!
//! Courses and sessions change seldom; seats change with every booking. So the two are kept apart:
//! - the courses with their sessions and search terms are loaded again when `catalogue_version` moved, which
//!   every course or session change bumps in its own transaction. This process notices its own changes at once
//!   (a local counter bumped after the commit); another process's (PostgreSQL scale-out) within a second, when
//!   the version is read again;
//! - the seats taken per session are counted again after a booking in this process, and at least every second
//!   otherwise, so another process's bookings show within a second. A card's free seats are a guide; the
//!   booking itself always decides on exact counts under the session's lock.

use super::CourseCard;
use crate::kept::FRESH_FOR;
use crate::{Result, Store, now};
use loft_domain::courses::catalogue::{Catalogue, Entry, Filter, Found, Slot};
use loft_domain::courses::{CourseId, Format, SessionId};
use loft_domain::ids::{MunicipalityId, RegionId};
use sqlx::{Any, Row, Transaction};
use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Instant;

/// Catalogue filters and the page (from 1); empty fields do not filter.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct CatalogueQuery {
    pub region: Option<RegionId>,
    pub filter: Filter,
    pub page: usize,
}

/// One page of cards and how many courses matched.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CataloguePage {
    pub cards: Vec<CourseCard>,
    pub total: usize,
}

/// One region's catalogue as loaded, with its seats.
struct Loaded {
    version: i64,
    catalogue: Catalogue,
    slot_of: HashMap<SessionId, usize>,
    seats: Mutex<Arc<Seats>>,
}

struct Seats {
    taken: Vec<i64>,
    counted_at: Instant,
    /// The local booking counter when counted.
    bookings: u64,
}

/// The per-process state shared by a store's clones.
#[derive(Default)]
pub(crate) struct CatalogueCache {
    regions: Mutex<HashMap<Option<RegionId>, Arc<Loaded>>>,
    /// The database version last read, and when.
    version: Mutex<Option<(i64, Instant)>>,
    /// Bumped after every course or session change this process committed.
    local_changes: AtomicU64,
    /// The local change counter when the version was last read.
    seen_changes: AtomicU64,
    /// A reader is reading the version because a second passed.
    checking: std::sync::atomic::AtomicBool,
    /// Bumped after every booking this process committed.
    local_bookings: AtomicU64,
    /// One load or count at a time; the others wait for its result.
    loading: tokio::sync::Mutex<()>,
}

impl std::fmt::Debug for CatalogueCache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CatalogueCache").field("regions", &lock(&self.regions).len()).finish_non_exhaustive()
    }
}

/// Marks the catalogue changed, inside the transaction that changes a course or its sessions.
pub(crate) async fn bump_version(tx: &mut Transaction<'_, Any>) -> Result<()> {
    sqlx::query("UPDATE catalogue_version SET version = version + 1 WHERE id = 1").execute(&mut **tx).await?;
    Ok(())
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    // A panic while holding one of these leaves consistent data behind (plain assignments).
    m.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

impl Store {
    /// Tells this process's catalogue that a committed change touched courses or sessions.
    pub(crate) fn catalogue_changed(&self) {
        self.catalogue.local_changes.fetch_add(1, Ordering::SeqCst);
        self.session_audiences.changed();
    }

    /// Tells this process's catalogue that a committed booking changed the seats taken.
    pub(crate) fn seats_changed(&self) {
        self.catalogue.local_bookings.fetch_add(1, Ordering::SeqCst);
    }

    /// The catalogue: courses matching every filter, soonest session first; one page of them.
    pub async fn catalogue_page(&self, q: &CatalogueQuery) -> Result<CataloguePage> {
        let loaded = self.loaded_catalogue(q.region).await?;
        let seats = self.counted_seats(&loaded).await?;
        let Found { hits, total } = loaded.catalogue.search(&q.filter, now(), &seats.taken, q.page);
        let cards = hits
            .into_iter()
            .map(|h| {
                let e = loaded.catalogue.entry(h.entry);
                CourseCard {
                    id: e.id,
                    title: e.title.clone(),
                    summary: e.summary.clone(),
                    format: e.format,
                    organiser: e.organiser.clone(),
                    next_starts_at: h.next_starts_at,
                    free_seats: h.free_seats,
                }
            })
            .collect();
        Ok(CataloguePage { cards, total })
    }

    /// The first page of the catalogue.
    pub async fn catalogue(&self, q: &CatalogueQuery) -> Result<Vec<CourseCard>> {
        Ok(self.catalogue_page(q).await?.cards)
    }

    /// The database's catalogue version, read again when this process changed something or a second passed.
    async fn catalogue_version(&self) -> Result<i64> {
        let cache = &self.catalogue;
        let changes = cache.local_changes.load(Ordering::SeqCst);
        let known = *lock(&cache.version);
        if let Some((version, read_at)) = known
            && changes == cache.seen_changes.load(Ordering::SeqCst)
            && (read_at.elapsed() < FRESH_FOR || cache.checking.swap(true, Ordering::SeqCst))
        {
            // Fresh, or only the second has passed and another reader is already asking the database.
            return Ok(version);
        }
        // Cleared however this ends, also when the request is dropped while it waits for the database.
        struct Checked<'a>(&'a std::sync::atomic::AtomicBool);
        impl Drop for Checked<'_> {
            fn drop(&mut self) {
                self.0.store(false, Ordering::SeqCst);
            }
        }
        let _checked = Checked(&cache.checking);
        let version: i64 =
            sqlx::query_scalar("SELECT version FROM catalogue_version WHERE id = 1").fetch_one(&self.pool).await?;
        *lock(&cache.version) = Some((version, Instant::now()));
        cache.seen_changes.store(changes, Ordering::SeqCst);
        Ok(version)
    }

    async fn loaded_catalogue(&self, region: Option<RegionId>) -> Result<Arc<Loaded>> {
        let version = self.catalogue_version().await?;
        let current =
            |cache: &CatalogueCache| lock(&cache.regions).get(&region).filter(|l| l.version >= version).cloned();
        if let Some(loaded) = current(&self.catalogue) {
            return Ok(loaded);
        }
        let _loading = self.catalogue.loading.lock().await;
        if let Some(loaded) = current(&self.catalogue) {
            return Ok(loaded);
        }
        let loaded = Arc::new(self.load_catalogue(region, version).await?);
        lock(&self.catalogue.regions).insert(region, loaded.clone());
        Ok(loaded)
    }

    /// Reads a region's courses (all regions' for `None`) with their sessions, competences and search terms.
    async fn load_catalogue(&self, region: Option<RegionId>, version: i64) -> Result<Loaded> {
        let region = region.map_or(-1, |r| r.0);
        let in_region = "($1 < 0 OR c.region_id = $1)";
        let courses = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT c.id, c.title, c.summary, c.format, c.organiser_kind, c.organiser_name, m.name,
                    c.organiser_municipality_id, c.visibility_municipality_id
             FROM course c LEFT JOIN municipality m ON m.id = c.organiser_municipality_id WHERE {in_region} ORDER BY c.id"
        )))
        .bind(region)
        .fetch_all(&self.pool)
        .await?;
        let mut entries = Vec::with_capacity(courses.len());
        let mut index = HashMap::with_capacity(courses.len());
        for r in &courses {
            let kind: String = r.try_get(4)?;
            let organiser = match kind.as_str() {
                "municipality" => r.try_get(6)?,
                "external" => Some(r.try_get(5)?),
                _ => None,
            };
            let id = CourseId(r.try_get(0)?);
            index.insert(id, entries.len());
            entries.push(Entry {
                id,
                title: r.try_get(1)?,
                summary: r.try_get(2)?,
                format: Format::parse(&r.try_get::<String, _>(3)?)?,
                organiser_kind: kind,
                organiser_municipality: r.try_get::<Option<i64>, _>(7)?.map(MunicipalityId),
                organiser,
                visible_to: r.try_get::<Option<i64>, _>(8)?.map(MunicipalityId),
                competences: Vec::new(),
                sessions: Vec::new(),
                terms: Vec::new(),
            });
        }
        let mut slot_of = HashMap::new();
        for r in sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT s.course_id, s.id, s.first_starts_at, s.status, s.capacity
             FROM course_session s JOIN course c ON c.id = s.course_id WHERE {in_region} ORDER BY s.id"
        )))
        .bind(region)
        .fetch_all(&self.pool)
        .await?
        {
            let Some(&i) = index.get(&CourseId(r.try_get(0)?)) else { continue };
            let session = SessionId(r.try_get(1)?);
            let slot = slot_of.len();
            slot_of.insert(session, slot);
            entries[i].sessions.push(Slot {
                session,
                slot,
                first_starts_at: r.try_get(2)?,
                planned: r.try_get::<String, _>(3)? == "planned",
                capacity: r.try_get(4)?,
            });
        }
        for r in sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT cc.course_id, cc.framework_key, cc.competence
             FROM course_competence cc JOIN course c ON c.id = cc.course_id WHERE {in_region}"
        )))
        .bind(region)
        .fetch_all(&self.pool)
        .await?
        {
            if let Some(&i) = index.get(&CourseId(r.try_get(0)?)) {
                entries[i].competences.push((r.try_get(1)?, r.try_get(2)?));
            }
        }
        for r in sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT w.course_id, w.stem FROM course_word w JOIN course c ON c.id = w.course_id WHERE {in_region}"
        )))
        .bind(region)
        .fetch_all(&self.pool)
        .await?
        {
            if let Some(&i) = index.get(&CourseId(r.try_get(0)?)) {
                entries[i].terms.push(r.try_get(1)?);
            }
        }
        let seats = Mutex::new(Arc::new(Seats { taken: Vec::new(), counted_at: Instant::now(), bookings: u64::MAX }));
        Ok(Loaded { version, catalogue: Catalogue::new(entries), slot_of, seats })
    }

    /// The seats taken per session of a loaded catalogue, counted again after a local booking or a second.
    /// After a local booking the reader waits for the count (they may have just booked); when only the second has
    /// passed, one reader counts and the others meanwhile use the count of a second ago.
    async fn counted_seats(&self, loaded: &Loaded) -> Result<Arc<Seats>> {
        let fresh = |loaded: &Loaded| {
            let seats = lock(&loaded.seats).clone();
            (seats.bookings == self.catalogue.local_bookings.load(Ordering::SeqCst)
                && seats.counted_at.elapsed() < FRESH_FOR)
                .then_some(seats)
        };
        if let Some(seats) = fresh(loaded) {
            return Ok(seats);
        }
        let current = lock(&loaded.seats).clone();
        let _counting = if current.bookings == self.catalogue.local_bookings.load(Ordering::SeqCst) {
            match self.catalogue.loading.try_lock() {
                Ok(guard) => guard,
                Err(_) => return Ok(current),
            }
        } else {
            self.catalogue.loading.lock().await
        };
        if let Some(seats) = fresh(loaded) {
            return Ok(seats);
        }
        // Read the counter first: a booking committed during the count is counted again next time.
        let bookings = self.catalogue.local_bookings.load(Ordering::SeqCst);
        let mut taken = vec![0; loaded.catalogue.slots()];
        if !loaded.slot_of.is_empty() {
            // Only sessions still to start matter to the catalogue.
            let rows = sqlx::query(
                "SELECT e.session_id, COUNT(*) FROM enrolment e JOIN course_session s ON s.id = e.session_id
                 WHERE s.first_starts_at >= $1 AND s.status = 'planned' AND e.status IN ('confirmed', 'offered')
                 GROUP BY e.session_id
                 UNION ALL
                 SELECT r.session_id, r.seats_left FROM seat_reservation r JOIN course_session s ON s.id = r.session_id
                 WHERE s.first_starts_at >= $1 AND s.status = 'planned' AND r.seats_left > 0",
            )
            .bind(now() - 60)
            .fetch_all(&self.pool)
            .await?;
            // Reserved seats not yet named are taken too.
            for r in rows {
                if let Some(&slot) = loaded.slot_of.get(&SessionId(r.try_get(0)?)) {
                    taken[slot] += r.try_get::<i64, _>(1)?;
                }
            }
        }
        let seats = Arc::new(Seats { taken, counted_at: Instant::now(), bookings });
        *lock(&loaded.seats) = seats.clone();
        Ok(seats)
    }
}
