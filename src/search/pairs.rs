//! Every place a query of two bytes (`zh`, `li`, `wa`: the queries that
//! match half the book) stands in the key arena. A general substring
//! searcher stops at each hit and starts again after it; these queries
//! hit every hundred bytes or so, so the arena is instead compared with
//! both bytes thirty-two places at a time and every hit of the block is
//! handed on at once, with where its field starts (the block is compared
//! with the fields' separator too), which the hit's score needs.

/// Calls `f` with every position `p` of `pair` in `hay`, in order, and
/// the position of the last `sep` before `p` (`None` when there is none).
pub(super) fn each(hay: &[u8], pair: [u8; 2], sep: u8, mut f: impl FnMut(usize, Option<usize>)) {
    #[cfg(target_arch = "x86_64")]
    if std::arch::is_x86_feature_detected!("avx2") {
        // SAFETY: the processor has AVX2, asked just now.
        unsafe { each_avx2(hay, pair, sep, &mut f) };
        return;
    }
    each_plain(hay, pair, sep, f);
}

/// [`each`] on any processor: a substring search for the pair and a
/// backward search for the separator at each hit.
fn each_plain(hay: &[u8], pair: [u8; 2], sep: u8, mut f: impl FnMut(usize, Option<usize>)) {
    // Overlapping hits too (`zz` twice in `zzz`), as the above finds them.
    let finder = memchr::memmem::Finder::new(&pair);
    let mut at = 0;
    while let Some(q) = finder.find(&hay[at..]) {
        let p = at + q;
        f(p, memchr::memrchr(sep, &hay[..p]));
        at = p + 1;
    }
}

/// [`each`] with AVX2: the bytes at `i..i + 32` are compared with the
/// first byte and with `sep`, those at `i + 1..i + 33` with the second,
/// and the hits of the block read from the two comparisons' common bits.
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2")]
fn each_avx2(hay: &[u8], [a, b]: [u8; 2], sep: u8, f: &mut impl FnMut(usize, Option<usize>)) {
    use std::arch::x86_64::{
        __m256i, _mm256_and_si256, _mm256_cmpeq_epi8, _mm256_loadu_si256, _mm256_movemask_epi8, _mm256_set1_epi8,
    };
    let (va, vb, vs) = (
        _mm256_set1_epi8(a as i8),
        _mm256_set1_epi8(b as i8),
        _mm256_set1_epi8(sep as i8),
    );
    // The last separator before the block.
    let mut last = None;
    let mut i = 0;
    while i + 33 <= hay.len() {
        // SAFETY: both loads read 32 bytes from `i` and `i + 1`, which end
        // at `i + 33` at the latest, within `hay`; unaligned loads are
        // allowed.
        let (c0, c1) = unsafe {
            (
                _mm256_loadu_si256(hay.as_ptr().add(i).cast::<__m256i>()),
                _mm256_loadu_si256(hay.as_ptr().add(i + 1).cast::<__m256i>()),
            )
        };
        let both = _mm256_and_si256(_mm256_cmpeq_epi8(c0, va), _mm256_cmpeq_epi8(c1, vb));
        let mut m = _mm256_movemask_epi8(both) as u32;
        let seps = _mm256_movemask_epi8(_mm256_cmpeq_epi8(c0, vs)) as u32;
        while m != 0 {
            let t = m.trailing_zeros();
            // The separators of the block before the hit, the last of them.
            let before = seps & ((1u32 << t) - 1);
            let field = if before == 0 {
                last
            } else {
                Some(i + 31 - before.leading_zeros() as usize)
            };
            f(i + t as usize, field);
            m &= m - 1;
        }
        if seps != 0 {
            last = Some(i + 31 - seps.leading_zeros() as usize);
        }
        i += 32;
    }
    for p in i..hay.len() {
        if p + 1 < hay.len() && hay[p] == a && hay[p + 1] == b {
            f(p, last);
        }
        if hay[p] == sep {
            last = Some(p);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What [`each`] calls with a hit.
    type Hit<'a> = dyn FnMut(usize, Option<usize>) + 'a;

    /// What `each` (AVX2 where the processor has it) finds, checked
    /// against what the plain search finds on any processor.
    fn found(hay: &[u8], pair: [u8; 2]) -> Vec<usize> {
        let seen = |way: &dyn Fn(&mut Hit)| {
            let mut v = Vec::new();
            way(&mut |p, sep| {
                assert_eq!(sep, memchr::memrchr(0x1f, &hay[..p]), "the separator before {p}");
                v.push(p);
            });
            v
        };
        let fast = seen(&|f| each(hay, pair, 0x1f, f));
        assert_eq!(fast, seen(&|f| each_plain(hay, pair, 0x1f, f)), "{pair:?}");
        fast
    }

    fn long_with_seps() -> Vec<u8> {
        let mut t = vec![b'h'; 130];
        for p in [0, 31, 32, 33, 63, 64, 95, 127] {
            t[p] = 0x1f;
        }
        for p in [1, 30, 34, 65, 96, 128] {
            t[p] = b'z';
        }
        t
    }

    #[test]
    fn every_place_of_the_pair_is_found_as_a_substring_search_finds_it() {
        // Hits at block edges (31, 32, 63/64), overlapping (`zzz`), at the
        // very end, in Chinese bytes, and a text shorter than a block.
        let mut texts: Vec<Vec<u8>> = vec![b"".to_vec(), b"z".to_vec(), b"zh".to_vec(), b"azhzzzh".to_vec()];
        let mut long = vec![b'a'; 200];
        for p in [0, 30, 31, 32, 62, 63, 64, 100, 101, 198] {
            long[p] = b'z';
            long[p + 1] = b'h';
        }
        texts.push(long);
        texts.push("张zh伟 zzhh zhzh\u{1f}\u{5}zh".repeat(9).into_bytes());
        // Separators at block edges, and right before hits.
        texts.push(long_with_seps());
        let mut x: u32 = 7;
        let mut pick = |from: &[u8]| {
            x = x.wrapping_mul(1_103_515_245).wrapping_add(12_345);
            from[(x >> 16) as usize % from.len()]
        };
        texts.push((0..5000).map(|_| pick(b"zhz\x1f")).collect());
        for t in &texts {
            for pair in [*b"zh", *b"zz", *b"hz", [0xe5, 0xbc]] {
                for from in 0..3.min(t.len() + 1) {
                    let hay = &t[from..];
                    let want: Vec<usize> = memchr::memmem::find_iter(hay, &pair).collect();
                    let overlapping: Vec<usize> = hay
                        .windows(2)
                        .enumerate()
                        .filter(|(_, w)| *w == pair)
                        .map(|(p, _)| p)
                        .collect();
                    assert_eq!(
                        found(hay, pair),
                        overlapping,
                        "{pair:?} in {:?}",
                        String::from_utf8_lossy(hay)
                    );
                    // memmem skips overlapping hits (`zz` in `zzz`); where
                    // none overlap, the two agree.
                    if pair[0] != pair[1] {
                        assert_eq!(found(hay, pair), want);
                    }
                }
            }
        }
    }
}
