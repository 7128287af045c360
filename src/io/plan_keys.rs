//! The keys duplicate detection remembers (each phone, each name at its
//! company, each vCard UID) and who first had each. A million rows make
//! three million keys: they are remembered by a 64-bit hash and the
//! number of the record they came from, twelve bytes each instead of the
//! key's text, and compared whole only where two hashes meet. Two
//! different keys with one hash (about one import in ten million at a
//! million rows) are kept apart by a second table, by text.

use std::collections::HashMap;

use crate::domain::customer::Customer;
use crate::domain::fnv::FnvBuild;

/// A key's hash: FNV-1a, mixed so that every bit of it depends on every
/// byte (the table indexes by its low bits and tells slots apart by its
/// high ones).
pub(super) fn hash_of(key: &str) -> u64 {
    use std::hash::Hasher as _;
    let mut h = crate::domain::fnv::Fnv::default();
    h.write(key.as_bytes());
    // MurmurHash3's finaliser.
    let mut x = h.finish();
    x ^= x >> 33;
    x = x.wrapping_mul(0xff51_afd7_ed55_8ccd);
    x ^= x >> 33;
    x = x.wrapping_mul(0xc4ce_b9fe_1a85_ec53);
    x ^ (x >> 33)
}

/// A hasher for keys that are already hashes.
#[derive(Default)]
pub(super) struct Same(u64);

impl std::hash::Hasher for Same {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, _: &[u8]) {
        unreachable!("only u64 keys are hashed by Same")
    }

    fn write_u64(&mut self, n: u64) {
        self.0 = n;
    }
}

type ByHash = HashMap<u64, u32, std::hash::BuildHasherDefault<Same>>;

/// Why two records are the same person.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Because {
    Phone,
    NameCompany,
    /// The same vCard `UID`: the contact came back from a phone, and it
    /// updates its customer.
    Uid,
}

impl Because {
    /// Catalog key of the reason as the user reads it.
    pub fn key(self) -> &'static str {
        match self {
            Because::Phone => "io.because.phone",
            Because::NameCompany => "io.because.name",
            Because::Uid => "io.because.uid",
        }
    }
}

/// The keys one record is looked up and remembered by.
#[derive(Debug)]
pub(super) struct RowKeys {
    pub phones: Vec<String>,
    pub name: String,
    name_hash: u64,
}

impl RowKeys {
    pub fn of(name: &str, company: &str, phones: &[String]) -> RowKeys {
        let name = crate::domain::duplicates::name_key(name, company);
        RowKeys {
            phones: phones
                .iter()
                .map(|p| crate::domain::phone::normalize_phone(p))
                .collect(),
            name_hash: hash_of(&name),
            name,
        }
    }

    /// Every record's keys, computed on the machine's cores (they are
    /// most of the work of planning a large import); `parts` gives a
    /// record's name, company and phones.
    pub fn of_all<T: Sync>(rows: &[T], parts: impl Fn(&T) -> (&str, &str, &[String]) + Sync) -> Vec<RowKeys> {
        crate::par::filter_map(
            rows,
            || (),
            |_, r| {
                let (name, company, phones) = parts(r);
                Some(RowKeys::of(name, company, phones))
            },
        )
    }

    /// The phones long enough to tell a person by (five digits or more).
    fn telling_phones(&self) -> impl Iterator<Item = &String> {
        self.phones.iter().filter(|k| k.len() >= 5)
    }
}

/// One kind of key: by hash, and by text where two keys share a hash.
#[derive(Default)]
struct Table {
    by_hash: ByHash,
    clashes: HashMap<String, u32, FnvBuild>,
}

impl Table {
    fn with_capacity(n: usize) -> Table {
        Table {
            by_hash: ByHash::with_capacity_and_hasher(n, Default::default()),
            clashes: HashMap::default(),
        }
    }

    /// The record that first had `key`; `is(record)` tells whether that
    /// record has this very key.
    fn get(&self, key: &str, hash: u64, is: impl Fn(u32) -> bool) -> Option<u32> {
        let &first = self.by_hash.get(&hash)?;
        if is(first) {
            return Some(first);
        }
        self.clashes.get(key).copied()
    }

    /// Remembers that `record` has `key`, unless a record had it first.
    fn add(&mut self, key: &str, hash: u64, record: u32, is: impl Fn(u32) -> bool) {
        match self.by_hash.entry(hash) {
            std::collections::hash_map::Entry::Vacant(e) => {
                e.insert(record);
            }
            std::collections::hash_map::Entry::Occupied(e) => {
                if !is(*e.get()) {
                    self.clashes.entry(key.to_string()).or_insert(record);
                }
            }
        }
    }
}

/// Every key remembered so far, each with the first record that had it.
/// Records are numbered in the order they are added; their keys stay in
/// `records`, where a hash that matches is checked against the text.
pub(super) struct Keys<'a> {
    records: Vec<&'a RowKeys>,
    phone: Table,
    name: Table,
    uid: HashMap<&'a str, u32, FnvBuild>,
}

impl<'a> Keys<'a> {
    pub fn with_capacity(n: usize) -> Keys<'a> {
        Keys {
            records: Vec::with_capacity(n),
            phone: Table::with_capacity(n + n / 4),
            name: Table::with_capacity(n),
            uid: HashMap::default(),
        }
    }

    /// Remembers a record's keys (`uid` its vCard UID, or empty); its
    /// number.
    pub fn add(&mut self, uid: &'a str, keys: &'a RowKeys) -> u32 {
        let record = self.records.len() as u32;
        self.records.push(keys);
        if !uid.is_empty() {
            self.uid.entry(uid).or_insert(record);
        }
        let records = &self.records;
        for k in keys.telling_phones() {
            let has = |r: u32| records[r as usize].phones.iter().any(|p| p == k);
            self.phone.add(k, hash_of(k), record, has);
        }
        let has = |r: u32| records[r as usize].name == keys.name;
        self.name.add(&keys.name, keys.name_hash, record, has);
        record
    }

    /// The first record that shares a key with `c` (`keys` its keys), and
    /// why: the same UID, then a phone, then the name at the company.
    pub fn find(&self, c: &Customer, keys: &RowKeys) -> Option<(u32, Because)> {
        if let Some(&r) = self.uid.get(c.uid.as_str()).filter(|_| !c.uid.is_empty()) {
            return Some((r, Because::Uid));
        }
        let records = &self.records;
        keys.phones
            .iter()
            .find_map(|k| {
                let has = |r: u32| records[r as usize].phones.iter().any(|p| p == k);
                self.phone.get(k, hash_of(k), has).map(|r| (r, Because::Phone))
            })
            .or_else(|| {
                let has = |r: u32| records[r as usize].name == keys.name;
                (self.name.get(&keys.name, keys.name_hash, has)).map(|r| (r, Because::NameCompany))
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys(name: &str, company: &str, phones: &[&str]) -> RowKeys {
        let phones: Vec<String> = phones.iter().map(|p| p.to_string()).collect();
        RowKeys::of(name, company, &phones)
    }

    #[test]
    fn two_keys_with_one_hash_are_told_apart_by_their_text() {
        // Force every key into one hash: only the text can tell them apart.
        let mut t = Table::default();
        let texts = ["13800138000", "13900139000", "13700137000"];
        let has = |r: u32, k: &str| texts[r as usize] == k;
        for (r, k) in texts.iter().enumerate() {
            t.add(k, 42, r as u32, |x| has(x, k));
        }
        // A second record with a key already there keeps the first.
        t.add(texts[1], 42, 7, |x| has(x, texts[1]));
        for (r, k) in texts.iter().enumerate() {
            assert_eq!(t.get(k, 42, |x| has(x, k)), Some(r as u32), "{k}");
        }
        assert_eq!(t.get("13600136000", 42, |x| has(x, "13600136000")), None);
        assert_eq!(t.get(texts[0], 43, |x| has(x, texts[0])), None);
    }

    #[test]
    fn the_first_record_with_a_key_is_the_twin_whichever_key_matches() {
        let a = keys("王伟", "华联", &["+86 138 0013 8000"]);
        let b = keys("Wang Wei", "Hualian", &["1234"]);
        let same_phone = keys("Someone", "Else", &["13800138000"]);
        let same_name = keys("王伟", " 华联 ", &[]);
        let mut k = Keys::with_capacity(4);
        assert_eq!(k.add("", &a), 0);
        assert_eq!(k.add("", &b), 1);
        let c = Customer::new("x", Default::default());
        assert_eq!(k.find(&c, &same_phone), Some((0, Because::Phone)));
        assert_eq!(k.find(&c, &same_name), Some((0, Because::NameCompany)));
        // A phone of four digits tells no one apart.
        assert_eq!(k.find(&c, &keys("Other", "Firm", &["1234"])), None);
        assert_eq!(hash_of("a"), hash_of("a"));
        assert_ne!(hash_of("a"), hash_of("b"));
    }
}
