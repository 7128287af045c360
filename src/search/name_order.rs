//! The name order of a million entries without a second copy of the book
//! beside it: entries are placed by the first two bytes of their sort keys
//! (a count of each, then each entry in its place: 4 bytes an entry), and
//! each such group is sorted on its own by the whole comparison, the
//! groups shared between the cores. Sorting every entry at once took an
//! entry's eight-byte prefix and number side by side, 16 MB at a million,
//! on top of the whole index, when it is built from the book's rows.

use std::cmp::Ordering;

/// Entries `0..n` in the order of `prefix` (the first eight bytes of an
/// entry's sort key, big-endian, zero-padded), then of `tie` where the
/// prefixes are equal: what one sort of every entry by that comparison
/// gives.
pub(super) fn sorted(
    n: u32,
    prefix: impl Fn(u32) -> u64 + Sync,
    tie: impl Fn(u32, u32) -> Ordering + Sync,
) -> Vec<u32> {
    const GROUPS: usize = 1 << 16;
    let group = |p: u64| (p >> 48) as usize;
    // Where each group starts in the order.
    let mut starts = vec![0u32; GROUPS + 1];
    for i in 0..n {
        starts[group(prefix(i)) + 1] += 1;
    }
    for g in 0..GROUPS {
        starts[g + 1] += starts[g];
    }
    let mut order = vec![0u32; n as usize];
    let mut next = starts.clone();
    for i in 0..n {
        let g = group(prefix(i));
        order[next[g] as usize] = i;
        next[g] += 1;
    }
    drop(next);
    // Each group sorted by the whole comparison, its prefixes beside it
    // only while it is sorted.
    let sort_groups = |groups: std::ops::Range<usize>, part: &mut [u32], from: u32| {
        let mut keyed: Vec<(u64, u32)> = Vec::new();
        for g in groups {
            let (a, b) = ((starts[g] - from) as usize, (starts[g + 1] - from) as usize);
            if b - a < 2 {
                continue;
            }
            keyed.clear();
            keyed.extend(part[a..b].iter().map(|&i| (prefix(i), i)));
            keyed.sort_unstable_by(|x, y| x.0.cmp(&y.0).then_with(|| tie(x.1, y.1)));
            for (slot, &(_, i)) in part[a..b].iter_mut().zip(&keyed) {
                *slot = i;
            }
        }
    };
    // The groups split where about half the entries lie before.
    let half = starts.partition_point(|&s| s < n / 2).min(GROUPS);
    let split = starts[half];
    let (low, high) = order.split_at_mut(split as usize);
    std::thread::scope(|s| {
        let other = s.spawn(|| sort_groups(half..GROUPS, high, split));
        sort_groups(0..half, low, 0);
        other.join().unwrap_or_else(|e| std::panic::resume_unwind(e));
    });
    order
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_order_by_groups_is_that_of_one_sort_of_every_entry() {
        let mut seed = 7u64;
        let mut next = |m: u64| {
            seed = seed
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            (seed >> 33) % m
        };
        // Short keys, empty ones, keys alike in their first eight bytes and
        // more: a small alphabet makes many ties; one group holds most of
        // the entries, so the cores' split falls inside it.
        for n in [0u32, 1, 2, 5, 300, 5000] {
            let keys: Vec<Vec<u8>> = (0..n)
                .map(|_| {
                    let len = next(13) as usize;
                    let lead: &[u8] = if next(3) == 0 { b"zhangwei" } else { b"" };
                    let mut k = lead.to_vec();
                    k.extend((0..len).map(|_| [0u8, 1, b'a', b'b', 0xe5, 0xff][next(6) as usize]));
                    k
                })
                .collect();
            let prefix = |i: u32| {
                let k = &keys[i as usize];
                let mut b = [0u8; 8];
                let len = k.len().min(8);
                b[..len].copy_from_slice(&k[..len]);
                u64::from_be_bytes(b)
            };
            let tie = |a: u32, b: u32| keys[a as usize].cmp(&keys[b as usize]).then(a.cmp(&b));
            let mut plain: Vec<u32> = (0..n).collect();
            plain.sort_by(|&a, &b| prefix(a).cmp(&prefix(b)).then_with(|| tie(a, b)));
            assert_eq!(sorted(n, prefix, tie), plain, "{n} entries");
        }
    }
}
