//! Threads kept for the life of the process, one for each core but the
//! caller's, that help a thread through work split in parts. Starting a
//! thread for each piece of work cost a keystroke about 60 µs a split, and
//! a keystroke splits its work a few times; waking a waiting one costs a
//! fraction of that.
//!
//! A run asked of a helper that has not begun by the time the caller's own
//! run of the work returns is dropped, not waited for: the work is shared
//! out part by part among whichever runs take place, so the caller's run
//! alone would do it all. A caller therefore never waits for a helper busy
//! with other work (a large import's, say), only for a run already under
//! way, which ends with the part it is on.

use std::any::Any;
use std::collections::VecDeque;
use std::panic::{AssertUnwindSafe, catch_unwind, resume_unwind};
use std::sync::{Arc, Condvar, Mutex, OnceLock, PoisonError};

use super::lock;

/// A run of the work asked of a helper.
enum State {
    /// In the queue, not begun.
    Waiting,
    /// A helper is running it.
    Taken,
    /// The caller no longer wants it: it is never run.
    Dropped,
    /// Run, with its panic if it panicked.
    Finished(Option<Box<dyn Any + Send>>),
}

/// The work as a helper sees it. Its lifetime is erased: see [`help`] for
/// why it is never read once the caller has returned.
#[derive(Clone, Copy)]
struct Work(*const (dyn Fn() + Sync + 'static));

// SAFETY: the pointer is that of a `Sync` closure (so callable from any
// thread), and it is read only while the caller waits (see [`help`]).
unsafe impl Send for Work {}
unsafe impl Sync for Work {}

struct Ask {
    state: Mutex<State>,
    finished: Condvar,
    work: Work,
}

#[derive(Default)]
struct Pool {
    asks: Mutex<VecDeque<Arc<Ask>>>,
    ready: Condvar,
}

/// The pool, its helpers started at the first use (one at least, though a
/// machine of one core never asks it for help); `None` where no thread
/// could be started.
fn pool() -> Option<&'static Pool> {
    static POOL: OnceLock<Option<&'static Pool>> = OnceLock::new();
    *POOL.get_or_init(|| {
        let pool: &'static Pool = Box::leak(Box::default());
        let started = (1..super::threads().max(2))
            .filter(|k| {
                std::thread::Builder::new()
                    .name(format!("rapport-helper-{k}"))
                    .spawn(move || help(pool))
                    .is_ok()
            })
            .count();
        (started > 0).then_some(pool)
    })
}

/// A helper: takes each run asked for that its caller still wants, and
/// runs it.
fn help(pool: &'static Pool) {
    loop {
        let ask = {
            let mut asks = lock(&pool.asks);
            loop {
                match asks.pop_front() {
                    Some(a) => break a,
                    None => asks = pool.ready.wait(asks).unwrap_or_else(PoisonError::into_inner),
                }
            }
        };
        {
            let mut state = lock(&ask.state);
            if !matches!(*state, State::Waiting) {
                continue;
            }
            *state = State::Taken;
        }
        // SAFETY: the caller returns (and so frees the work) only after
        // its `Settle` either dropped this run while it was still waiting
        // or saw it finished; this run was taken while waiting, so the
        // caller waits until it is marked finished below.
        let work = unsafe { &*ask.work.0 };
        let panic = catch_unwind(AssertUnwindSafe(work)).err();
        *lock(&ask.state) = State::Finished(panic);
        ask.finished.notify_all();
    }
}

/// Settles the runs asked for when the caller's own run returns or
/// unwinds: each still waiting is dropped, each taken is waited for.
struct Settle<'a>(&'a [Arc<Ask>]);

impl Settle<'_> {
    /// The first panic of a helper's run.
    fn settle(&self) -> Option<Box<dyn Any + Send>> {
        let mut first = None;
        for ask in self.0 {
            let mut state = lock(&ask.state);
            if matches!(*state, State::Waiting) {
                *state = State::Dropped;
                continue;
            }
            while matches!(*state, State::Taken) {
                state = ask.finished.wait(state).unwrap_or_else(PoisonError::into_inner);
            }
            if let State::Finished(panic) = &mut *state
                && first.is_none()
            {
                first = panic.take();
            }
        }
        first
    }
}

impl Drop for Settle<'_> {
    fn drop(&mut self) {
        self.settle();
    }
}

/// Runs `work` on this thread and, at once, on up to `helpers` of the
/// pool's threads; returns once every run begun has returned. `work` must
/// do the whole of the job whatever number of its runs take place (each
/// takes parts of it until none is left): a helper not free by the time
/// this thread's run returns does not run it. A panic in any run is passed
/// on.
pub fn with_helpers(helpers: usize, work: &(dyn Fn() + Sync)) {
    let Some(pool) = pool().filter(|_| helpers > 0) else {
        return work();
    };
    // SAFETY: only the lifetime is changed; see `help` for why the work is
    // never read after this function returns.
    let erased: *const (dyn Fn() + Sync + 'static) =
        unsafe { std::mem::transmute::<&(dyn Fn() + Sync), &(dyn Fn() + Sync + 'static)>(work) };
    let asks: Vec<Arc<Ask>> = (0..helpers)
        .map(|_| {
            Arc::new(Ask {
                state: Mutex::new(State::Waiting),
                finished: Condvar::new(),
                work: Work(erased),
            })
        })
        .collect();
    lock(&pool.asks).extend(asks.iter().cloned());
    for _ in 0..helpers {
        pool.ready.notify_one();
    }
    // Settled even if this thread's run panics: the work lives in this
    // thread's frame.
    let settle = Settle(&asks);
    work();
    let panic = settle.settle();
    if let Some(panic) = panic {
        resume_unwind(panic);
    }
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering::SeqCst};
    use std::sync::mpsc;
    use std::time::Duration;

    use super::*;

    fn on_helper() -> bool {
        std::thread::current()
            .name()
            .is_some_and(|n| n.starts_with("rapport-helper"))
    }

    /// Waits (yielding) until `done`, failing after a minute.
    fn until(what: &str, done: impl Fn() -> bool) {
        let t0 = std::time::Instant::now();
        while !done() {
            assert!(t0.elapsed() < Duration::from_secs(60), "waited a minute for {what}");
            std::thread::yield_now();
        }
    }

    #[test]
    fn a_panic_in_a_helpers_run_reaches_the_caller() {
        assert!(pool().is_some());
        let helper_began = AtomicBool::new(false);
        let work = || {
            if on_helper() {
                helper_began.store(true, SeqCst);
                panic!("the helper's part failed");
            }
            // The caller's run returns only once a helper took one.
            until("a helper", || helper_began.load(SeqCst));
        };
        let caught = catch_unwind(AssertUnwindSafe(|| with_helpers(1, &work))).expect_err("the panic is passed on");
        assert_eq!(caught.downcast_ref::<&str>(), Some(&"the helper's part failed"));
        // The helper lives on and helps the next caller.
        let items: Vec<u64> = (0..100_000).collect();
        let sums = super::super::parts(16, |k| items[k * 6250..(k + 1) * 6250].iter().sum::<u64>());
        assert_eq!(sums.iter().sum::<u64>(), items.iter().sum::<u64>());
    }

    #[test]
    fn many_callers_at_once_and_work_within_work_each_get_every_part_once() {
        use super::super::parts;
        std::thread::scope(|s| {
            for t in 0..6u64 {
                s.spawn(move || {
                    for round in 0..50u64 {
                        // Each part itself split again (a search inside a
                        // load, say).
                        let got = parts(9, |k| {
                            let k = k as u64;
                            parts(5, |j| t * 1000 + round * 10 + k * 5 + j as u64)
                                .iter()
                                .sum::<u64>()
                        });
                        let want: Vec<u64> = (0..9)
                            .map(|k| (0..5).map(|j| t * 1000 + round * 10 + k * 5 + j).sum())
                            .collect();
                        assert_eq!(got, want, "caller {t}, round {round}");
                    }
                });
            }
        });
    }

    #[test]
    fn a_caller_does_not_wait_for_a_helper_busy_elsewhere() {
        assert!(pool().is_some());
        let helpers = super::super::threads() - 1;
        let (runs, release) = (AtomicUsize::new(0), AtomicBool::new(false));
        std::thread::scope(|s| {
            // Another thread's work holds every helper until released.
            s.spawn(|| {
                with_helpers(helpers, &|| {
                    runs.fetch_add(1, SeqCst);
                    until("the release", || release.load(SeqCst));
                })
            });
            until("every helper busy", || runs.load(SeqCst) == helpers + 1);
            // This thread's work is done by this thread alone, at once.
            let (tx, rx) = mpsc::channel();
            s.spawn(move || {
                let parts = super::super::parts(64, |k| (k, on_helper()));
                tx.send(parts).unwrap();
            });
            let parts = rx.recv_timeout(Duration::from_secs(60));
            release.store(true, SeqCst);
            let parts = parts.expect("the work was done without the busy helpers");
            assert_eq!(parts, (0..64).map(|k| (k, false)).collect::<Vec<_>>());
        });
    }
}
