//! Reference data kept per process: lists that change seldom (municipalities, framework versions) are read from
//! the database at most once a second, and again at once after this process changed them. Another process's
//! change (several servers on PostgreSQL) shows within a second.

use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

/// How long another process's change may take to show in what this process keeps.
pub(crate) const FRESH_FOR: Duration = Duration::from_secs(1);

#[derive(Debug, Default)]
pub(crate) struct Kept<T> {
    /// The value, when it was read, and this process's change counter before the read.
    value: Mutex<Option<(Instant, u64, T)>>,
    changes: AtomicU64,
}

impl<T: Clone> Kept<T> {
    /// The kept value while it is fresh.
    pub(crate) fn fresh(&self) -> Option<T> {
        let changes = self.changes.load(Ordering::SeqCst);
        match &*self.value.lock().unwrap_or_else(std::sync::PoisonError::into_inner) {
            Some((read_at, seen, value)) if *seen == changes && read_at.elapsed() < FRESH_FOR => Some(value.clone()),
            _ => None,
        }
    }

    /// The counter to pass to [`Kept::keep`], taken before reading the database.
    pub(crate) fn before_read(&self) -> u64 {
        self.changes.load(Ordering::SeqCst)
    }

    /// Keeps a value read after [`Kept::before_read`] answered `seen`.
    pub(crate) fn keep(&self, seen: u64, value: T) {
        *self.value.lock().unwrap_or_else(std::sync::PoisonError::into_inner) = Some((Instant::now(), seen, value));
    }

    /// This process committed a change: the next reader reads the database.
    pub(crate) fn changed(&self) {
        self.changes.fetch_add(1, Ordering::SeqCst);
    }
}

/// Values per key kept for [`FRESH_FOR`] (an API token's identity, a person's home): read on nearly every
/// request, changed seldom. A change here drops every kept value; another process's change shows within a second.
#[derive(Debug)]
pub(crate) struct KeptMap<K, V> {
    values: Mutex<std::collections::HashMap<K, (Instant, u64, V)>>,
    changes: AtomicU64,
}

impl<K, V> Default for KeptMap<K, V> {
    fn default() -> Self {
        KeptMap { values: Mutex::new(std::collections::HashMap::new()), changes: AtomicU64::new(0) }
    }
}

/// Kept values per map at most; past it the map starts over (a second's worth of readers fits many times).
const KEPT_MAX: usize = 50_000;

impl<K: std::hash::Hash + Eq, V: Clone> KeptMap<K, V> {
    pub(crate) fn fresh(&self, key: &K) -> Option<V> {
        let changes = self.changes.load(Ordering::SeqCst);
        let values = self.values.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        match values.get(key) {
            Some((read_at, seen, value)) if *seen == changes && read_at.elapsed() < FRESH_FOR => Some(value.clone()),
            _ => None,
        }
    }

    pub(crate) fn before_read(&self) -> u64 {
        self.changes.load(Ordering::SeqCst)
    }

    pub(crate) fn keep(&self, seen: u64, key: K, value: V) {
        let mut values = self.values.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        if values.len() >= KEPT_MAX {
            values.clear();
        }
        values.insert(key, (Instant::now(), seen, value));
    }

    pub(crate) fn changed(&self) {
        self.changes.fetch_add(1, Ordering::SeqCst);
    }

    /// The kept value for `key` while it is fresh, else what `read` reads, kept.
    pub(crate) async fn get_or_read<E>(
        &self,
        key: K,
        read: impl std::future::Future<Output = Result<V, E>>,
    ) -> Result<V, E> {
        if let Some(value) = self.fresh(&key) {
            return Ok(value);
        }
        let seen = self.before_read();
        let value = read.await?;
        self.keep(seen, key, value.clone());
        Ok(value)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kept_values_per_key_go_stale_on_a_change_here_or_after_a_second() {
        let kept = KeptMap::<&str, u32>::default();
        assert_eq!(kept.fresh(&"a"), None);
        let seen = kept.before_read();
        kept.keep(seen, "a", 1);
        assert_eq!((kept.fresh(&"a"), kept.fresh(&"b")), (Some(1), None));
        kept.changed();
        assert_eq!(kept.fresh(&"a"), None, "changed here");
        let seen = kept.before_read();
        kept.changed();
        kept.keep(seen, "a", 2);
        assert_eq!(kept.fresh(&"a"), None, "read while a change was committed");
        let seen = kept.before_read();
        kept.keep(seen, "a", 3);
        kept.values.lock().expect("lock").insert("a", (Instant::now() - FRESH_FOR, seen, 3));
        assert_eq!(kept.fresh(&"a"), None, "a second old");
    }

    #[test]
    fn a_kept_value_is_fresh_until_a_change_here_or_a_second() {
        let kept = Kept::<u32>::default();
        assert_eq!(kept.fresh(), None);
        let seen = kept.before_read();
        kept.keep(seen, 7);
        assert_eq!(kept.fresh(), Some(7));
        kept.changed();
        assert_eq!(kept.fresh(), None, "changed here");
        // A value read while a change was committed is not kept as fresh.
        let seen = kept.before_read();
        kept.changed();
        kept.keep(seen, 8);
        assert_eq!(kept.fresh(), None);
        let seen = kept.before_read();
        kept.keep(seen, 9);
        *kept.value.lock().expect("lock") = Some((Instant::now() - FRESH_FOR, seen, 9));
        assert_eq!(kept.fresh(), None, "a second old");
    }
}
