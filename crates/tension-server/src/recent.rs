//! The answers to the last few questions asked, each computed once however many ask it at the
//! same time: the first asker computes, the others wait for its answer (single flight). When
//! both sides open the meeting page together, the planner runs once, not once per person.
//!
//! An asker that goes away (a closed browser tab drops its request) leaves the question
//! unanswered, and the next one waiting takes over. Answers are kept whatever they are,
//! refusals included: the same inputs give the same answer.

use std::collections::VecDeque;
use std::sync::{Arc, Mutex};

use tokio::sync::OnceCell;

/// The answers to the last `capacity` questions; the oldest question is forgotten first.
#[derive(Debug)]
pub(crate) struct Recent<K, V> {
    capacity: usize,
    slots: Mutex<VecDeque<(K, Arc<OnceCell<V>>)>>,
}

impl<K: PartialEq, V: Clone> Recent<K, V> {
    pub(crate) const fn new(capacity: usize) -> Recent<K, V> {
        Recent {
            capacity,
            slots: Mutex::new(VecDeque::new()),
        }
    }

    /// The answer to `key`: a kept one, the one being computed for another asker, or else
    /// `run`'s.
    pub(crate) async fn get_or_run<F, Fut>(&self, key: K, run: F) -> V
    where
        F: FnOnce() -> Fut,
        Fut: Future<Output = V>,
    {
        self.slot(key).get_or_init(run).await.clone()
    }

    fn slot(&self, key: K) -> Arc<OnceCell<V>> {
        // A panic elsewhere while the list was held leaves it poisoned: answer without keeping.
        let Ok(mut slots) = self.slots.lock() else {
            return Arc::default();
        };
        if let Some((_, slot)) = slots.iter().find(|(k, _)| *k == key) {
            return slot.clone();
        }
        let slot = Arc::new(OnceCell::new());
        if slots.len() >= self.capacity {
            slots.pop_front();
        }
        slots.push_back((key, slot.clone()));
        slot
    }
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::time::Duration;

    use tokio::sync::Semaphore;

    use super::*;

    #[tokio::test]
    async fn askers_at_the_same_time_share_one_run() {
        let recent = Recent::new(4);
        let runs = AtomicUsize::new(0);
        // Each run waits at the gate, so all three askers are waiting before any answer exists;
        // a cache that only kept finished answers would run three times.
        let gate = Semaphore::new(0);
        let ask = || {
            recent.get_or_run("plan", || async {
                runs.fetch_add(1, Ordering::SeqCst);
                let _open = gate.acquire().await;
                42
            })
        };
        let open = async {
            for _ in 0..10 {
                tokio::task::yield_now().await;
            }
            gate.add_permits(3);
        };
        let answers = tokio::time::timeout(Duration::from_secs(10), async {
            tokio::join!(ask(), ask(), ask(), open)
        })
        .await;
        assert_eq!(answers, Ok((42, 42, 42, ())));
        assert_eq!(runs.load(Ordering::SeqCst), 1);
        // And later askers get the kept answer.
        assert_eq!(recent.get_or_run("plan", || async { 0 }).await, 42);
        assert_eq!(runs.load(Ordering::SeqCst), 1);
    }

    #[tokio::test]
    async fn other_questions_run_and_the_oldest_is_forgotten() {
        let recent = Recent::new(2);
        let runs = AtomicUsize::new(0);
        let answer = |key: &'static str| {
            let runs = &runs;
            let recent = &recent;
            async move {
                recent
                    .get_or_run(key, || async move {
                        runs.fetch_add(1, Ordering::SeqCst);
                        key.len()
                    })
                    .await
            }
        };
        assert_eq!(answer("a").await, 1);
        assert_eq!(answer("bb").await, 2);
        assert_eq!(answer("a").await, 1);
        assert_eq!(runs.load(Ordering::SeqCst), 2);
        // A third question pushes out the oldest, "a", which then runs again.
        assert_eq!(answer("ccc").await, 3);
        assert_eq!(answer("a").await, 1);
        assert_eq!(runs.load(Ordering::SeqCst), 4);
    }

    #[tokio::test]
    async fn an_asker_who_leaves_is_taken_over() {
        let recent = Recent::new(4);
        // The first asker's run never finishes, and the asker goes away.
        let gone = tokio::time::timeout(
            Duration::from_millis(10),
            recent.get_or_run("plan", std::future::pending::<i32>),
        )
        .await;
        assert!(gone.is_err(), "the first run cannot have finished");
        // The next asker does not wait for it forever: it runs, and its answer is kept.
        let answer = tokio::time::timeout(
            Duration::from_secs(10),
            recent.get_or_run("plan", || async { 7 }),
        )
        .await;
        assert_eq!(answer, Ok(7));
        assert_eq!(recent.get_or_run("plan", || async { 0 }).await, 7);
    }
}
