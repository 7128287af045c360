//! Work split across the machine's cores: the search's scan of the keys
//! and the import's duplicate keys.

use std::sync::atomic::{AtomicUsize, Ordering};

/// Items handed out to a thread at a time.
const SHARE: usize = 2048;

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
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get()).min(8);
    if threads < 2 || n < 2 * SHARE {
        return part(&init(), 0..n);
    }
    let next = AtomicUsize::new(0);
    let shares = n.div_ceil(SHARE);
    let work = || -> Vec<(usize, Vec<R>)> {
        let state = init();
        let mut done = Vec::new();
        loop {
            let k = next.fetch_add(1, Ordering::Relaxed);
            if k >= shares {
                return done;
            }
            done.push((k, part(&state, k * SHARE..((k + 1) * SHARE).min(n))));
        }
    };
    let work = &work;
    let mut parts = std::thread::scope(|s| {
        let handles: Vec<_> = (1..threads).map(|_| s.spawn(work)).collect();
        let mut parts = work();
        for h in handles {
            parts.extend(h.join().unwrap_or_else(|e| std::panic::resume_unwind(e)));
        }
        parts
    });
    parts.sort_unstable_by_key(|p| p.0);
    let mut out = Vec::with_capacity(parts.iter().map(|p| p.1.len()).sum());
    for (_, part) in parts {
        out.extend(part);
    }
    out
}

/// [`filter_map`] for a `keep` cheap enough to run twice: what it keeps
/// is counted first, then mapped straight into a list of that length, each
/// core filling its own part of it, so no share's output is copied into
/// the whole (a third of a million rows may be kept).
pub fn map_kept<T: Sync, R: Send + Copy + Default>(
    items: &[T],
    keep: impl Fn(&T) -> bool + Sync,
    map: impl Fn(&T) -> R + Sync,
) -> Vec<R> {
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get()).min(8);
    if threads < 2 || items.len() < 2 * SHARE {
        return items.iter().filter(|x| keep(x)).map(&map).collect();
    }
    let parts: Vec<&[T]> = items.chunks(items.len().div_ceil(threads)).collect();
    let (keep, map) = (&keep, &map);
    let counts: Vec<usize> = std::thread::scope(|s| {
        let handles: Vec<_> = parts[1..]
            .iter()
            .map(|p| s.spawn(move || p.iter().filter(|x| keep(x)).count()))
            .collect();
        let first = parts[0].iter().filter(|x| keep(x)).count();
        std::iter::once(first)
            .chain(
                handles
                    .into_iter()
                    .map(|h| h.join().unwrap_or_else(|e| std::panic::resume_unwind(e))),
            )
            .collect()
    });
    let mut out = vec![R::default(); counts.iter().sum()];
    let mut rest = out.as_mut_slice();
    let mut outs = Vec::with_capacity(parts.len());
    for &n in &counts {
        let (head, tail) = rest.split_at_mut(n);
        outs.push(head);
        rest = tail;
    }
    std::thread::scope(|s| {
        let mut work = parts.iter().zip(outs);
        let (p0, o0) = work.next().expect("one part at least");
        let handles: Vec<_> = work.map(|(p, o)| s.spawn(move || fill(p, o, keep, map))).collect();
        fill(p0, o0, keep, map);
        for h in handles {
            h.join().unwrap_or_else(|e| std::panic::resume_unwind(e));
        }
    });
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
