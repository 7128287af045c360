//! Remembering the answers of pure, costly functions of a date: the lunar
//! calendar's conversions (each a few hundred microseconds) are asked for
//! the same days at every load of the agenda.

use std::collections::HashMap;
use std::hash::Hash;
use std::sync::{Mutex, OnceLock};

/// Answers kept per process; forgotten all at once past this many.
const KEPT: usize = 4096;

/// The answer of `f` for `key`, computed once per process.
pub(crate) fn cached<K: Eq + Hash + Copy, V: Clone>(
    cache: &OnceLock<Mutex<HashMap<K, V>>>,
    key: K,
    f: impl FnOnce() -> V,
) -> V {
    let cache = cache.get_or_init(Default::default);
    if let Some(v) = cache.lock().ok().and_then(|c| c.get(&key).cloned()) {
        return v;
    }
    let v = f();
    if let Ok(mut c) = cache.lock() {
        if c.len() >= KEPT {
            c.clear();
        }
        c.insert(key, v.clone());
    }
    v
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_answer_is_computed_once_and_then_remembered() {
        static CACHE: OnceLock<Mutex<HashMap<u32, u32>>> = OnceLock::new();
        let mut calls = 0;
        for _ in 0..3 {
            assert_eq!(
                cached(&CACHE, 7, || {
                    calls += 1;
                    49
                }),
                49
            );
        }
        assert_eq!(calls, 1);
        assert_eq!(cached(&CACHE, 8, || 64), 64);
    }
}
