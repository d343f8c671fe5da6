//! Work that arrives together is done together: requests join a queue per key, and one task per key takes
//! them in batches until the queue is empty (group commit for enrolments, one query for many API tokens).
//! The task is spawned, so a caller that goes away does not cancel the others' work; callers wait for their
//! answer on a channel.

use std::collections::HashMap;
use std::hash::Hash;
use std::sync::Mutex;

/// Waiting requests per key; a key is in the map while a task works for it.
pub(crate) struct Queues<K, R> {
    waiting: Mutex<HashMap<K, Vec<R>>>,
}

impl<K, R> Default for Queues<K, R> {
    fn default() -> Self {
        Queues { waiting: Mutex::new(HashMap::new()) }
    }
}

impl<K, R> std::fmt::Debug for Queues<K, R> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Queues")
    }
}

impl<K: Hash + Eq + Copy, R> Queues<K, R> {
    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<K, Vec<R>>> {
        // A panic while the lock is held leaves plain data behind; the queues stay usable.
        self.waiting.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Queues the request; true when no task works for the key yet, so the caller must start one (and give
    /// it a [`Worker`]).
    pub(crate) fn push(&self, key: K, request: R) -> bool {
        let mut waiting = self.lock();
        match waiting.get_mut(&key) {
            Some(queue) => {
                queue.push(request);
                false
            }
            None => {
                waiting.insert(key, vec![request]);
                true
            }
        }
    }

    /// Up to `most` of the oldest requests; `None` (and the key leaves the map, so the next request starts a
    /// new task) when none wait.
    pub(crate) fn next_batch(&self, key: K, most: usize) -> Option<Vec<R>> {
        let mut waiting = self.lock();
        let queue = waiting.get_mut(&key)?;
        if queue.is_empty() {
            waiting.remove(&key);
            return None;
        }
        let rest = queue.split_off(queue.len().min(most));
        Some(std::mem::replace(queue, rest))
    }
}

/// Held by the task working for a key. If the task stops before its queue is empty (a panic, or the task
/// dropped at an await when the runtime shuts down), the key leaves the map, so later requests start a new
/// task; those still waiting are dropped, and their callers see the channel closed.
pub(crate) struct Worker<'a, K: Hash + Eq + Copy, R> {
    queues: &'a Queues<K, R>,
    key: K,
    /// The queue was found empty and the key left the map then (a new worker may hold it now).
    done: bool,
}

impl<'a, K: Hash + Eq + Copy, R> Worker<'a, K, R> {
    pub(crate) fn new(queues: &'a Queues<K, R>, key: K) -> Self {
        Worker { queues, key, done: false }
    }

    /// The next batch, as [`Queues::next_batch`].
    pub(crate) fn next_batch(&mut self, most: usize) -> Option<Vec<R>> {
        let batch = self.queues.next_batch(self.key, most);
        self.done = batch.is_none();
        batch
    }
}

impl<K: Hash + Eq + Copy, R> Drop for Worker<'_, K, R> {
    fn drop(&mut self) {
        if !self.done {
            self.queues.lock().remove(&self.key);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_first_request_starts_the_work_and_batches_take_the_oldest_first() {
        let queues = Queues::<u8, u32>::default();
        assert!(queues.push(1, 10), "nobody works for key 1 yet");
        assert!(!queues.push(1, 11));
        assert!(!queues.push(1, 12));
        assert!(queues.push(2, 20), "keys are apart");
        assert_eq!(queues.next_batch(1, 2), Some(vec![10, 11]));
        assert!(!queues.push(1, 13), "the worker is still at it");
        assert_eq!(queues.next_batch(1, 2), Some(vec![12, 13]));
        assert_eq!(queues.next_batch(1, 2), None, "empty: the worker stops");
        assert!(queues.push(1, 14), "the next request starts a new worker");
    }

    #[test]
    fn a_worker_that_panics_lets_the_next_request_start_another() {
        let queues = std::sync::Arc::new(Queues::<u8, u32>::default());
        assert!(queues.push(1, 10));
        let q = queues.clone();
        let died = std::thread::spawn(move || {
            let mut worker = Worker::new(&*q, 1);
            let _ = worker.next_batch(10);
            q.push(1, 11);
            panic!("booking failed");
        })
        .join();
        assert!(died.is_err());
        assert!(queues.push(1, 12), "the key was freed");
        assert_eq!(queues.next_batch(1, 10), Some(vec![12]), "what waited on the dead worker was dropped");
    }

    #[test]
    fn a_worker_dropped_midway_frees_the_key_and_one_that_finished_leaves_the_next_alone() {
        let queues = Queues::<u8, u32>::default();
        assert!(queues.push(1, 10));
        {
            let mut worker = Worker::new(&queues, 1);
            assert_eq!(worker.next_batch(10), Some(vec![10]));
            queues.push(1, 11);
            // Dropped here with work left (a task cancelled at an await).
        }
        assert!(queues.push(1, 12), "the key was freed");
        {
            let mut worker = Worker::new(&queues, 1);
            assert_eq!(worker.next_batch(10), Some(vec![12]));
            assert_eq!(worker.next_batch(10), None);
            assert!(queues.push(1, 13), "a new worker is due");
        }
        assert!(!queues.push(1, 14), "the finished worker's drop left the new worker's queue alone");
    }
}
