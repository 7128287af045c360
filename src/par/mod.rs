//! Work split across the machine's cores: the search's scan of the keys
//! and the import's duplicate keys. The calling thread works too, beside
//! helper threads kept for the life of the process (see [`pool`]).

mod pool;

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Mutex, MutexGuard, PoisonError};

/// Items handed out to a thread at a time.
const SHARE: usize = 2048;

/// The threads to split work across: the cores this process may use, at
/// most 8. Asked of the system once: the answer reads files under /proc
/// and /sys each time, a cost a keystroke's few splits would pay each.
pub fn threads() -> usize {
    static THREADS: std::sync::OnceLock<usize> = std::sync::OnceLock::new();
    *THREADS.get_or_init(|| std::thread::available_parallelism().map_or(1, |n| n.get()).min(8))
}

/// Runs `f` on every item, on the machine's cores when there are enough of
/// them, keeping what it returns, in the items' order. Each thread makes
/// its own state with `init` (a matcher, say). The threads (this one among
/// them) take shares of the items as they finish the last one, so a thread
/// the system runs late leaves its share to the others instead of holding
/// the whole up. A panic in `f` is a bug: it is passed on, never turned
/// into missing results.
pub fn filter_map<T: Sync, S, R: Send>(
    items: &[T],
    init: impl Fn() -> S + Sync,
    f: impl Fn(&S, &T) -> Option<R> + Sync,
) -> Vec<R> {
    in_shares(items.len(), init, |state, r| {
        items[r].iter().filter_map(|x| f(state, x)).collect()
    })
}

/// [`filter_map`], with `ask` called on each item [`AHEAD`] items before
/// `f` is: to ask for the memory `f` will read (a key read where it lies
/// costs a wait for memory; a few asked for at once cost about one).
pub fn filter_map_ahead<T: Sync, S, R: Send>(
    items: &[T],
    init: impl Fn() -> S + Sync,
    ask: impl Fn(&T) + Sync,
    f: impl Fn(&S, &T) -> Option<R> + Sync,
) -> Vec<R> {
    in_shares(items.len(), init, |state, r| {
        asking_ahead(&items[r], &ask, |x| f(state, x))
    })
}

/// How many items ahead of the one worked on [`asking_ahead`] asks for.
const AHEAD: usize = 6;

/// `f` on each of `items` in order, keeping what it returns, with `ask`
/// called on each item [`AHEAD`] items before `f` is.
pub fn asking_ahead<T, R>(items: &[T], ask: impl Fn(&T), mut f: impl FnMut(&T) -> Option<R>) -> Vec<R> {
    items.iter().take(AHEAD).for_each(&ask);
    let mut out = Vec::new();
    for (n, x) in items.iter().enumerate() {
        if let Some(a) = items.get(n + AHEAD) {
            ask(a);
        }
        if let Some(r) = f(x) {
            out.push(r);
        }
    }
    out
}

/// [`filter_map`] over the numbers `0..n` (no list of them is made).
pub fn filter_map_range<S, R: Send>(
    n: u32,
    init: impl Fn() -> S + Sync,
    f: impl Fn(&S, u32) -> Option<R> + Sync,
) -> Vec<R> {
    in_shares(n as usize, init, |state, r| {
        r.filter_map(|i| f(state, i as u32)).collect()
    })
}

/// Runs `part` on every share of `0..n`, the outputs in order.
pub fn in_shares<S, R: Send>(
    n: usize,
    init: impl Fn() -> S + Sync,
    part: impl Fn(&S, std::ops::Range<usize>) -> Vec<R> + Sync,
) -> Vec<R> {
    if threads() < 2 || n < 2 * SHARE {
        return part(&init(), 0..n);
    }
    let parts = parts_with(n.div_ceil(SHARE), init, |state, k| {
        part(state, k * SHARE..((k + 1) * SHARE).min(n))
    });
    let mut out = Vec::with_capacity(parts.iter().map(Vec::len).sum());
    for part in parts {
        out.extend(part);
    }
    out
}

/// `run(k)` for each `k` of `0..n`, the results in that order, shared out
/// part by part among this thread and the [helpers](pool) free to help.
pub fn parts<R: Send>(n: usize, run: impl Fn(usize) -> R + Sync) -> Vec<R> {
    parts_with(n, || (), |_, k| run(k))
}

/// [`parts`], each thread with its own state made by `init`.
fn parts_with<S, R: Send>(n: usize, init: impl Fn() -> S + Sync, run: impl Fn(&S, usize) -> R + Sync) -> Vec<R> {
    let threads = threads();
    if n < 2 || threads < 2 {
        let state = init();
        return (0..n).map(|k| run(&state, k)).collect();
    }
    let next = AtomicUsize::new(0);
    let done = Mutex::new(Vec::with_capacity(n));
    let work = || {
        let state = init();
        let mut mine = Vec::new();
        loop {
            let k = next.fetch_add(1, Ordering::Relaxed);
            if k >= n {
                break;
            }
            mine.push((k, run(&state, k)));
        }
        lock(&done).extend(mine);
    };
    pool::with_helpers((threads - 1).min(n - 1), &work);
    let mut done = done.into_inner().unwrap_or_else(PoisonError::into_inner);
    done.sort_unstable_by_key(|d| d.0);
    done.into_iter().map(|d| d.1).collect()
}

/// `run(k, chunk)` on each of `chunks` (parts of one list, each written by
/// one run), shared out as [`parts`] does; the results in order.
pub fn each_mut<T: Send, R: Send>(chunks: Vec<&mut [T]>, run: impl Fn(usize, &mut [T]) -> R + Sync) -> Vec<R> {
    let chunks: Vec<Mutex<&mut [T]>> = chunks.into_iter().map(Mutex::new).collect();
    parts(chunks.len(), |k| run(k, &mut lock(&chunks[k])))
}

/// A lock, whether or not a thread panicked holding it: a panic in the
/// work is passed on to the caller, so nothing it left half-done is used.
fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(PoisonError::into_inner)
}

/// [`filter_map`] for a `keep` cheap enough to run twice: what it keeps
/// is counted first, then mapped straight into a list of that length, each
/// part of the items filling its own part of it, so no share's output is
/// copied into the whole (a third of a million rows may be kept).
pub fn map_kept<T: Sync, R: Send + Copy + Default>(
    items: &[T],
    keep: impl Fn(&T) -> bool + Sync,
    map: impl Fn(&T) -> R + Sync,
) -> Vec<R> {
    let threads = threads();
    if threads < 2 || items.len() < 2 * SHARE {
        return items.iter().filter(|x| keep(x)).map(&map).collect();
    }
    let parts_of: Vec<&[T]> = items.chunks(SHARE.max(items.len().div_ceil(4 * threads))).collect();
    let counts = parts(parts_of.len(), |k| parts_of[k].iter().filter(|x| keep(x)).count());
    let mut out = vec![R::default(); counts.iter().sum()];
    let mut rest = out.as_mut_slice();
    let mut outs = Vec::with_capacity(parts_of.len());
    for &n in &counts {
        let (head, tail) = std::mem::take(&mut rest).split_at_mut(n);
        outs.push(head);
        rest = tail;
    }
    each_mut(outs, |k, o| fill(parts_of[k], o, &keep, &map));
    out
}

/// Writes what `keep` keeps of `items`, mapped, into `out` (as long).
fn fill<T, R>(items: &[T], out: &mut [R], keep: impl Fn(&T) -> bool, map: impl Fn(&T) -> R) {
    for (slot, x) in out.iter_mut().zip(items.iter().filter(|x| keep(x))) {
        *slot = map(x);
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn asking_ahead_asks_for_each_item_once_before_working_on_it() {
        let items: Vec<u32> = (0..100).collect();
        let asked = std::cell::RefCell::new(Vec::new());
        let out = super::asking_ahead(
            &items,
            |&x| asked.borrow_mut().push(x),
            |&x| {
                assert!(asked.borrow().contains(&x), "{x} worked on before it was asked for");
                (x % 2 == 0).then_some(x)
            },
        );
        assert_eq!(out, (0..100).step_by(2).collect::<Vec<u32>>());
        assert_eq!(*asked.borrow(), items);
        let many: Vec<u32> = (0..50_000).collect();
        let ahead = super::filter_map_ahead(&many, || 7, |_| {}, |m, &x| (x % *m == 0).then_some(x));
        assert_eq!(
            ahead,
            super::filter_map(&many, || 7, |m, &x| (x % *m == 0).then_some(x))
        );
    }

    #[test]
    fn every_item_once_in_order_whichever_thread_took_it() {
        let items: Vec<u32> = (0..50_000).collect();
        let out = super::filter_map(&items, || 3, |m, &x| (x % *m == 0).then_some(x * 2));
        let want: Vec<u32> = items.iter().filter(|&&x| x % 3 == 0).map(|x| x * 2).collect();
        assert_eq!(out, want);
    }

    #[test]
    fn what_is_kept_is_mapped_in_order_once() {
        for n in [0, 10, 4096, 50_001] {
            let items: Vec<u32> = (0..n).collect();
            let out = super::map_kept(&items, |&x| x % 3 != 1, |&x| u64::from(x) * 2);
            let want: Vec<u64> = items
                .iter()
                .filter(|&&x| x % 3 != 1)
                .map(|&x| u64::from(x) * 2)
                .collect();
            assert_eq!(out, want, "{n} items");
        }
    }
}
