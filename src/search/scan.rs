//! Finding a query as typed in every key at once: one substring search
//! over the whole key arena (split across the cores at key boundaries),
//! each hit given to the key it falls in. Searching each key on its own
//! pays the substring searcher's setup a million times over keys of a
//! hundred bytes; the arena is read in one stream instead, at memory
//! speed.

use memchr::memmem::Finder;
use memchr::memrchr;

use super::Index;
use super::matching::Query;
use super::place::{SEP_BYTE, TOP, score_in_field};

/// Below this share of the book, a query's matches as typed are looked for
/// key by key among an earlier query's; above it, in the whole arena at
/// once (see [`super::scan`]). Each key is asked for a few keys ahead of
/// its reading, so key by key pays up to an eighth of the book (`zhan`
/// after `zha`, `li na`'s words together: 1–3 ms less at 1M than with a
/// thirty-second, in alternated runs).
pub(super) const NARROW_BELOW: usize = 8;

/// `(entry, best score as typed)` of every entry whose key holds the query
/// as typed. The same answer as [`Query::typed`] on every key (a test
/// compares them); in the arena's order.
pub(super) fn typed_everywhere(index: &Index, query: &Query) -> Vec<(u32, i32)> {
    let mut parts = in_parts(index, query, b"", |scan| {
        let mut v = Vec::new();
        scan(&mut |i, s, _| v.push((i, s)));
        v
    })
    .into_iter();
    let mut out = parts.next().unwrap_or_default();
    for part in parts {
        out.extend(part);
    }
    out
}

/// Calls `f` with [`typed_everywhere`]'s every `(entry, score)`, on each
/// core as it finds them: no list of them is made.
pub(super) fn typed_each(index: &Index, query: &Query, f: impl Fn(u32, i32) + Sync) {
    in_parts(index, query, b"", |scan| scan(&mut |i, s, _| f(i, s)));
}

/// [`typed_each`] for the last word of a query of several, which also
/// tells where the words appear together (`lina` while looking for `na`
/// in `li na`): each `(entry, score)` of the word comes with the best score
/// of `before` (the earlier words) and the word as typed in the same key,
/// when they are there. One scan instead of two: the words together are
/// the word with `before` just before it.
pub(super) fn typed_each_after(index: &Index, query: &Query, before: &[u8], f: impl Fn(u32, i32, Option<i32>) + Sync) {
    in_parts(index, query, before, |scan| scan(&mut |i, s, t| f(i, s, t)));
}

/// A scan of a part of the arena: it calls the function given with each
/// hit.
type PartScan<'a> = &'a dyn Fn(&mut dyn FnMut(u32, i32, Option<i32>));

/// Parts of the arena each core takes one at a time: a core the system
/// runs late (or slower for the part's longer keys) leaves its share to the
/// other, instead of holding the whole up.
const PARTS_PER_CORE: usize = 8;

/// Runs `part` on each part of the arena (split at key boundaries), on
/// every core; what each returns, in the arena's order.
fn in_parts<R: Send>(index: &Index, query: &Query, before: &[u8], part: impl Fn(PartScan<'_>) -> R + Sync) -> Vec<R> {
    let items = &index.by_start;
    let parts = if items.len() < 8192 {
        1
    } else {
        crate::par::threads() * PARTS_PER_CORE
    };
    let len = query.text().len();
    let bounds: Vec<usize> = (0..=parts).map(|k| k * items.len() / parts).collect();
    let run = |k: usize| {
        let (a, b) = (bounds[k], bounds[k + 1]);
        let end = items
            .get(b)
            .map_or(index.keys.len(), |&x| index.spans[x as usize].0 as usize);
        let scan = |emit: &mut dyn FnMut(u32, i32, Option<i32>)| {
            let look = Look {
                finder: query.finder(),
                len,
                several: query.several(),
                before,
            };
            scan_part(index, &items[a..b], end, &look, emit);
        };
        part(&scan)
    };
    if parts == 1 {
        return vec![run(0)];
    }
    crate::par::parts(parts, run)
}

/// What a scan looks for: a query as typed, and the text that may come
/// just before it (empty when nothing is asked of it).
struct Look<'a> {
    finder: &'a Finder<'a>,
    len: usize,
    several: bool,
    before: &'a [u8],
}

/// No score (`Look::before` is not before the query in the key).
const NONE: i64 = i64::MIN;

/// Gives `emit` the hits in the arena from the first of `items` up to
/// `end`: each entry whose key holds the query, its best score, and the
/// best of `before` with the query.
fn scan_part(index: &Index, items: &[u32], end: usize, look: &Look, emit: &mut dyn FnMut(u32, i32, Option<i32>)) {
    let Some(&first) = items.first() else {
        return;
    };
    let (len, before) = (look.len, look.before);
    let keys = index.keys.as_bytes();
    let start_of = |cur: usize| index.spans[items[cur] as usize].0 as usize;
    let from = index.spans[first as usize].0 as usize;
    // The item the last hit fell in, its key's bounds, and its best scores
    // so far (alone, and with `before`).
    let mut cur = 0;
    let key_of = |cur: usize| {
        let (start, len) = index.spans[items[cur] as usize];
        (start as usize, start as usize + len as usize)
    };
    let (mut start, mut key_end) = key_of(0);
    let mut best: Option<(usize, i64, i64)> = None;
    let mut emit_best = |best: Option<(usize, i64, i64)>| {
        if let Some((at, s, t)) = best {
            emit(items[at], s as i32, (t != NONE).then_some(t as i32));
        }
    };
    // A hit at `p` of the part, and the last separator before it when
    // known.
    let mut hit = |p: usize, sep: Option<Option<usize>>| {
        let p = from + p;
        if p >= key_end {
            while cur + 1 < items.len() && start_of(cur + 1) <= p {
                cur += 1;
            }
            (start, key_end) = key_of(cur);
        }
        // Bytes an edit left behind belong to no key.
        if p < start || p + len > key_end {
            return;
        }
        if before.is_empty() && best.is_some_and(|(at, score, _)| at == cur && score == TOP) {
            return;
        }
        let key = &keys[start..key_end];
        let kind_at = match sep {
            Some(sep) => sep
                .map(|s| from + s)
                .filter(|&s| s >= start)
                .map_or(0, |s| s + 1 - start),
            None => memrchr(SEP_BYTE, &key[..p - start]).map_or(0, |s| s + 1),
        };
        let score = score_in_field(key, kind_at, p - start, len, look.several);
        // Together: `before` ends where the hit starts, in the same field
        // (it holds no separator).
        let at = p - start;
        let together = if !before.is_empty() && at >= before.len() && key[at - before.len()..at] == *before {
            score_in_field(key, kind_at, at - before.len(), before.len() + len, true)
        } else {
            NONE
        };
        match &mut best {
            Some((at, s, t)) if *at == cur => {
                *s = (*s).max(score);
                *t = (*t).max(together);
            }
            _ => {
                emit_best(best);
                best = Some((cur, score, together));
            }
        }
    };
    let part = &keys[from..end];
    match *look.finder.needle() {
        [a, b] => super::pairs::each(part, [a, b], SEP_BYTE, |p, sep| hit(p, Some(sep))),
        _ if before.is_empty() => look.finder.find_iter(part).for_each(|p| hit(p, None)),
        // Overlapping hits too (`aaa` twice in `aaaa`): the words together
        // may start at either.
        _ => {
            let mut at = 0;
            while let Some(p) = look.finder.find(&part[at..]) {
                hit(at + p, None);
                at += p + 1;
            }
        }
    }
    emit_best(best);
}

/// Each entry's [class](super::matching::Masks::class) for a single letter
/// or digit (its bit), [`NO_CLASS`] where it is absent, and how many
/// entries each class holds: the masks read once, on each core.
pub(super) fn classes(index: &Index, bit: u64) -> (Vec<u8>, [usize; 4]) {
    let n = index.masks.len();
    let mut classes = vec![NO_CLASS; n];
    // A few parts a core: one busy elsewhere leaves its parts to the other.
    let share = n.div_ceil(4 * crate::par::threads()).max(1);
    let fill = |out: &mut [u8], from: usize| {
        let mut counts = [0usize; 4];
        for (c, m) in out.iter_mut().zip(&index.masks[from..]) {
            if let Some(k) = m.class(bit) {
                *c = k;
                counts[k as usize] += 1;
            }
        }
        counts
    };
    if n < 8192 {
        let counts = fill(&mut classes, 0);
        return (classes, counts);
    }
    let parts = crate::par::each_mut(classes.chunks_mut(share).collect(), |k, out| fill(out, k * share));
    let mut counts = [0usize; 4];
    for part in parts {
        for (c, p) in counts.iter_mut().zip(part) {
            *c += p;
        }
    }
    (classes, counts)
}

/// No class: the entry lacks the letter.
pub(super) const NO_CLASS: u8 = u8::MAX;

#[cfg(test)]
#[path = "scan_tests.rs"]
pub(super) mod tests;
