//! What an import will do before it does it: which customers are new,
//! which are duplicates (the same phone, or the same name at the same
//! company — of someone already in the book or of an earlier row), and
//! which rows are rejected. Duplicates are skipped, merged or asked about;
//! they are never silently added twice. The counts always add up:
//! read = imported + duplicates + rejected.

use super::convert::{Converted, Incoming};
pub use super::plan_keys::Because;
use super::plan_keys::{Keys, RowKeys};
use super::reject::Reject;
use crate::domain::customer::Customer;

/// What to do with duplicates.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum DupPolicy {
    #[default]
    Skip,
    Merge,
    Ask,
}

impl DupPolicy {
    pub const ALL: [DupPolicy; 3] = [DupPolicy::Skip, DupPolicy::Merge, DupPolicy::Ask];

    pub fn parse(s: &str) -> Option<DupPolicy> {
        match s.trim().to_ascii_lowercase().as_str() {
            "skip" => Some(DupPolicy::Skip),
            "merge" => Some(DupPolicy::Merge),
            "ask" => Some(DupPolicy::Ask),
            _ => None,
        }
    }

    pub fn key(self) -> &'static str {
        match self {
            DupPolicy::Skip => "io.dup.skip",
            DupPolicy::Merge => "io.dup.merge",
            DupPolicy::Ask => "io.dup.ask",
        }
    }

    pub fn next(self) -> DupPolicy {
        let i = DupPolicy::ALL.iter().position(|p| *p == self).unwrap_or(0);
        DupPolicy::ALL[(i + 1) % DupPolicy::ALL.len()]
    }
}

/// The decision about one duplicate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decision {
    /// Not decided yet (the user is being asked).
    Undecided,
    Skip,
    /// Fill the other record's empty fields, add phones and tags.
    Merge,
    /// Add it anyway, as a separate customer (only when the user says so).
    Keep,
}

/// A customer already in the book, as duplicate detection needs it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Known {
    pub id: i64,
    pub name: String,
    pub company: String,
    pub phones: Vec<String>,
    /// The customer's stable UID (what an exported vCard carries).
    pub uid: String,
}

/// Whom a duplicate duplicates.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Twin {
    /// A customer in the book.
    Existing(i64),
    /// An earlier row of the same file (index into `Plan::fresh`).
    Earlier(usize),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Duplicate {
    pub incoming: Incoming,
    pub twin: Twin,
    pub because: Because,
    pub decision: Decision,
}

/// The import, decided up to the duplicates.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Plan {
    pub fresh: Vec<Incoming>,
    pub duplicates: Vec<Duplicate>,
    pub rejects: Vec<Reject>,
    /// The highest id among the known customers the plan was made
    /// against: customers added after it (by another import running at
    /// the same time) are checked again under the write lock.
    pub known_max: i64,
}

/// What an import did (or would do): read = imported + duplicates + rejected.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Summary {
    pub read: usize,
    pub imported: usize,
    pub merged: usize,
    pub skipped: usize,
    pub rejected: usize,
}

impl Summary {
    pub fn duplicates(&self) -> usize {
        self.merged + self.skipped
    }

    /// The counts in words: catalog entry `key` (`io.summary`,
    /// `io.summary_dry`) filled in.
    pub fn text(&self, lang: crate::i18n::Lang, key: &str) -> String {
        crate::i18n::tf(
            lang,
            key,
            &[
                ("read", &self.read),
                ("imported", &self.imported),
                ("duplicates", &self.duplicates()),
                ("merged", &self.merged),
                ("skipped", &self.skipped),
                ("rejected", &self.rejected),
            ],
        )
    }
}

/// One phone number however it is spelled (`+86 138-0013-8000` and
/// `13800138000` are the same phone): the domain's normalisation.
pub fn phone_key(p: &str) -> String {
    crate::domain::phone::normalize_phone(p)
}

pub use crate::domain::duplicates::name_key;

pub(crate) use crate::domain::fnv::FnvBuild;

impl Plan {
    /// Sorts converted rows into new customers and duplicates of `known`
    /// customers or of earlier rows; decisions follow `policy` (`Ask`
    /// leaves them undecided).
    pub fn new(converted: Converted, known: &[Known], policy: DupPolicy) -> Plan {
        let known_keys = RowKeys::of_all(known, |k| (&k.name, &k.company, &k.phones));
        let row_keys = RowKeys::of_all(&converted.incoming, |r| {
            (&r.customer.name, &r.customer.company, &r.customer.phones)
        });
        let decision = match policy {
            DupPolicy::Skip => Decision::Skip,
            DupPolicy::Merge => Decision::Merge,
            DupPolicy::Ask => Decision::Undecided,
        };
        let mut plan = Plan {
            rejects: converted.rejects,
            known_max: known.iter().map(|k| k.id).max().unwrap_or(0),
            ..Plan::default()
        };
        // Each row's twin, when it has one; the new rows are then left
        // where they are (a million records are not moved to another list)
        // and the duplicates taken out. The records remembered are the
        // known customers, then each new row in turn.
        let twins: Vec<Option<(Twin, Because)>> = {
            let mut keys = Keys::with_capacity(known.len() + converted.incoming.len());
            for (k, row) in known.iter().zip(&known_keys) {
                keys.add(&k.uid, row);
            }
            let twin = |record: u32| match known.get(record as usize) {
                Some(k) => Twin::Existing(k.id),
                None => Twin::Earlier(record as usize - known.len()),
            };
            (converted.incoming.iter().zip(&row_keys))
                .map(|(inc, row)| {
                    let found = keys.find(&inc.customer, row);
                    if found.is_none() {
                        keys.add(&inc.customer.uid, row);
                    }
                    found.map(|(record, because)| (twin(record), because))
                })
                .collect()
        };
        // Two keys per row to free: on another core, while the import goes on.
        if row_keys.len() > 10_000 {
            std::thread::spawn(move || drop((row_keys, known_keys)));
        }
        let mut incoming = converted.incoming;
        // Called once for each row, in order.
        let mut row = twins.iter();
        let taken: Vec<Incoming> = incoming
            .extract_if(.., |_| row.next().is_some_and(Option::is_some))
            .collect();
        for (inc, (twin, because)) in taken.into_iter().zip(twins.iter().flatten().copied()) {
            plan.duplicates.push(Duplicate {
                incoming: inc,
                twin,
                because,
                // A contact back from the phone updates its customer.
                decision: match (because, twin) {
                    (Because::Uid, Twin::Existing(_)) => Decision::Merge,
                    _ => decision,
                },
            });
        }
        plan.fresh = incoming;
        plan.rejects.sort_by_key(|r| r.line);
        plan
    }

    pub fn read(&self) -> usize {
        self.fresh.len() + self.duplicates.len() + self.rejects.len()
    }

    /// The first duplicate still to be decided.
    pub fn undecided(&self) -> Option<usize> {
        self.duplicates.iter().position(|d| d.decision == Decision::Undecided)
    }

    /// Decides every undecided duplicate the same way.
    pub fn decide_rest(&mut self, decision: Decision) {
        for d in self.duplicates.iter_mut().filter(|d| d.decision == Decision::Undecided) {
            d.decision = decision;
        }
    }

    /// The counts as they will be once imported.
    pub fn summary(&self) -> Summary {
        let count = |want: Decision| self.duplicates.iter().filter(|d| d.decision == want).count();
        Summary {
            read: self.read(),
            imported: self.fresh.len() + count(Decision::Keep),
            merged: count(Decision::Merge),
            skipped: count(Decision::Skip) + count(Decision::Undecided),
            rejected: self.rejects.len(),
        }
    }

    /// Gives every customer read what `d` says where its row is silent.
    pub fn apply_defaults(&mut self, d: &super::defaults::Defaults) {
        let dups = self.duplicates.iter_mut().map(|x| &mut x.incoming);
        for i in self.fresh.iter_mut().chain(dups) {
            d.apply(&mut i.customer, i.given);
        }
    }

    /// What to write: new customers (merges into earlier rows applied), and
    /// per existing customer the incoming records to merge into it, in
    /// file order. Takes the plan apart (take the rejects first).
    pub fn resolve(self) -> (Vec<Customer>, Vec<(i64, Vec<Customer>)>) {
        let mut new: Vec<Customer> = self.fresh.into_iter().map(|i| i.customer).collect();
        let mut merges: Vec<(i64, Vec<Customer>)> = Vec::new();
        for d in self.duplicates {
            match (d.decision, d.twin) {
                // Kept as a separate customer: a new identity of its own.
                (Decision::Keep, _) => new.push(Customer {
                    uid: String::new(),
                    ..d.incoming.customer
                }),
                (Decision::Merge, Twin::Earlier(i)) => {
                    merge(&mut new[i], &d.incoming.customer);
                }
                (Decision::Merge, Twin::Existing(id)) => match merges.iter_mut().find(|(m, _)| *m == id) {
                    Some((_, list)) => list.push(d.incoming.customer),
                    None => merges.push((id, vec![d.incoming.customer])),
                },
                _ => {}
            }
        }
        (new, merges)
    }
}

/// Merges `from` into `into`: empty fields are filled, phones and tags
/// added, a different note appended. Nothing already recorded is
/// overwritten (name, grade, status stay). Returns whether anything changed.
/// A record with the same UID (a contact back from the phone) updates
/// instead: see [`update`].
pub fn merge(into: &mut Customer, from: &Customer) -> bool {
    if !from.uid.is_empty() && from.uid == into.uid {
        return update(into, from);
    }
    let before = into.clone();
    for (dst, src) in [
        (&mut into.company, &from.company),
        (&mut into.role, &from.role),
        (&mut into.wechat, &from.wechat),
        (&mut into.email, &from.email),
        (&mut into.city, &from.city),
        (&mut into.hobbies, &from.hobbies),
        (&mut into.family, &from.family),
    ] {
        if dst.trim().is_empty() && !src.trim().is_empty() {
            dst.clone_from(src);
        }
    }
    for p in &from.phones {
        if !into.phones.iter().any(|q| phone_key(q) == phone_key(p)) {
            into.phones.push(p.clone());
        }
    }
    for t in &from.tags {
        if !into.tags.contains(t) {
            into.tags.push(t.clone());
        }
    }
    if into.birthday.is_none() {
        into.birthday = from.birthday;
    }
    if into.personality.is_none() {
        into.personality = from.personality;
    }
    let note = from.notes.trim();
    if !note.is_empty() && !into.notes.contains(note) {
        if !into.notes.is_empty() {
            into.notes.push('\n');
        }
        into.notes.push_str(note);
    }
    *into != before
}

/// Updates `into` with what a contact card carries: every field the card
/// has replaces the customer's (the phone's edit wins); a field the card
/// does not carry is kept, and so is everything a card never holds
/// (grade, status, hobbies …). Returns whether anything changed.
pub fn update(into: &mut Customer, from: &Customer) -> bool {
    let before = into.clone();
    for (dst, src) in [
        (&mut into.name, &from.name),
        (&mut into.company, &from.company),
        (&mut into.role, &from.role),
        (&mut into.wechat, &from.wechat),
        (&mut into.email, &from.email),
        (&mut into.city, &from.city),
        (&mut into.notes, &from.notes),
    ] {
        if !src.trim().is_empty() {
            dst.clone_from(src);
        }
    }
    let same_phones = from.phones.len() == into.phones.len()
        && from
            .phones
            .iter()
            .zip(&into.phones)
            .all(|(a, b)| phone_key(a) == phone_key(b));
    if !from.phones.is_empty() && !same_phones {
        into.phones.clone_from(&from.phones);
    }
    if !from.tags.is_empty() {
        into.tags.clone_from(&from.tags);
    }
    if from.birthday.is_some() {
        into.birthday = from.birthday;
    }
    *into != before
}

#[cfg(test)]
#[path = "plan_tests.rs"]
mod tests;
