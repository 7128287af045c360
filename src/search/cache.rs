//! A large book's search index kept in a file beside the book
//! (`<book>.index`, mode 0600), so a start reads it back in a fraction of
//! the time building it from every row takes, then brings it up to date
//! with what the book's change log (`storage::index_log`) says changed
//! since. The file is only ever a copy: deleting it costs one slow start.
//!
//! Layout, little-endian: the magic, the format and the header's length;
//! the header (key version, the cadence it was computed under, the log
//! marker, the highest customer id, the counts and sizes); then the key
//! arena, the spans, the masks, the id map, the name ranks, the four
//! orders and the entries. The header and each section are followed by
//! their own CRC-32, so `rapport find` reads and checks only the first
//! five sections (see [`super::quick`]). A file that is damaged, cut
//! short, of another format or version, or inconsistent in any way is not
//! used.

use std::fs::File;
use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use super::cache_io::{FORMAT, MAGIC, Out, SectionIn, bad, day, day_number, section, u32_at, u64_at};
use super::entry::{ReadEntry, Texts};
use super::matching::Masks;
use super::{Index, Slot, SortBy};
use crate::domain::cadence::{Cadence, Due};
use crate::domain::customer::{Grade, Status};
use crate::storage;
use crate::storage::index_log::{self, Changes, Marker};

/// Customers from which a book keeps its index in a file: below, building
/// it from the rows takes well under a second.
pub const CACHE_FROM: usize = 200_000;
/// The most changes brought in one by one (each costs a few milliseconds
/// in a large book); with more, the index is built from the rows.
pub(super) const MAX_CHANGES: usize = 500;
/// Changes after which the file is written again, so the next start has
/// fewer to bring in.
const REWRITE_AFTER: usize = 50;

/// Where a book's index is kept.
pub fn path_for(db: &Path) -> PathBuf {
    let mut p = db.as_os_str().to_owned();
    p.push(".index");
    PathBuf::from(p)
}

/// What a cached index was read at.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Stamp {
    pub marker: Marker,
    /// The highest customer id it holds.
    pub max_id: i64,
}

/// The index of the book at `db`: read from its file and brought up to
/// date when that is possible, else built from every row (and, for a book
/// of at least `cache_from` customers, written to the file for next time).
/// The book's log is written only while `may_write` says so (a book whose
/// check has not passed is not written to); the file is then not kept.
pub fn load(db: &Path, cadence: &Cadence, cache_from: usize, may_write: &dyn Fn() -> bool) -> storage::Result<Index> {
    let file = path_for(db);
    let fp = storage::cadence_fingerprint(cadence);
    // A book that no longer keeps a file drops it and its log (one that
    // cannot be written keeps its log as it is).
    let forget = || {
        if file.exists() {
            let _ = std::fs::remove_file(&file);
        }
        if may_write() {
            let _ = index_log::stop(db);
        }
    };
    if let Ok((index, stamp)) = read(&file, &fp)
        && let Some(mut index) = bring_up_to_date(db, &file, &fp, index, stamp, cadence, may_write)
    {
        // Made once the changes are in: an edit taking a customer off a
        // pair's first screen would leave the pair to a scan.
        index.screens = super::screens::Screens::build(&index);
        if index.len() < cache_from {
            forget();
        }
        return Ok(index);
    }
    if index_log::customer_count(db)? < cache_from {
        forget();
        return Index::load(db, cadence);
    }
    // The marker comes first: whatever changes while the rows are read is
    // after it, and is read again next time.
    let marker = may_write().then(|| index_log::place_marker(db).ok()).flatten();
    let index = Index::load(db, cadence)?;
    if let Some(marker) = marker {
        save(db, &file, &fp, &index, marker);
    }
    Ok(index)
}

/// Writes the file for `marker`, then drops the log before it.
fn save(db: &Path, file: &Path, fp: &str, index: &Index, marker: Marker) {
    remove_leftovers(file);
    let stamp = Stamp {
        marker,
        max_id: index.by_id.last().map_or(0, |&e| index.entries[e as usize].id),
    };
    if write(file, index, stamp, fp).is_ok() {
        let _ = index_log::prune(db, marker);
    }
}

/// Removes the partial files of writes a process did not finish (it was
/// quit or killed while writing): any older than ten minutes, when a
/// write takes seconds.
fn remove_leftovers(file: &Path) {
    let (Some(dir), Some(name)) = (file.parent(), file.file_name()) else {
        return;
    };
    let prefix = format!(".{}.", name.to_string_lossy());
    let dir = if dir.as_os_str().is_empty() {
        Path::new(".")
    } else {
        dir
    };
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        let old = entry
            .metadata()
            .and_then(|m| m.modified())
            .ok()
            .and_then(|t| t.elapsed().ok())
            .is_some_and(|age| age > std::time::Duration::from_secs(600));
        if name.starts_with(&prefix) && name.ends_with(".part") && old {
            let _ = std::fs::remove_file(entry.path());
        }
    }
}

/// The cached index with the book's changes since it was written brought
/// in; `None` when the log cannot tell them or they are too many.
fn bring_up_to_date(
    db: &Path,
    file: &Path,
    fp: &str,
    mut index: Index,
    stamp: Stamp,
    cadence: &Cadence,
    may_write: &dyn Fn() -> bool,
) -> Option<Index> {
    let changes = |stamp: Stamp| match index_log::changes_since(db, stamp.marker, stamp.max_id, MAX_CHANGES) {
        Ok(Changes::Rows(rows)) => Some(rows),
        _ => None,
    };
    let mut rows = changes(stamp)?;
    // Written again after many changes, under a marker placed before they
    // are read.
    let fresh = if rows.len() > REWRITE_AFTER && may_write() {
        let marker = index_log::place_marker(db).ok();
        if marker.is_some() {
            rows = changes(stamp)?;
        }
        marker
    } else {
        None
    };
    for (id, row) in rows {
        match row {
            Some(row) => index.upsert(row, cadence),
            None => {
                index.remove(id);
            }
        }
    }
    if let Some(marker) = fresh {
        save(db, file, fp, &index, marker);
    }
    Some(index)
}

/// What the header of a file says: its stamp and the sizes of its
/// sections (in this order: the key arena, the spans, the masks, the id
/// map, the name ranks, the name order, the entries; each followed by its
/// CRC).
pub(super) struct Header {
    pub(super) stamp: Stamp,
    /// Where the first section starts.
    pub(super) start: u64,
    pub(super) n: usize,
    pub(super) keys_len: u64,
    pub(super) stale: u64,
    pub(super) entries_len: u64,
    pub(super) companies: u64,
    pub(super) companies_len: u64,
}

/// An entry's bytes in the file besides its text.
const ENTRY_BYTES: u64 = 8 + 4 + 12 + 4 + 3 + 8 + 8;

impl Header {
    pub(super) fn section_lens(&self) -> [u64; 8] {
        let n = self.n as u64;
        [
            self.keys_len,
            8 * n,
            32 * n,
            12 * n,
            4 * n,
            4 * n,
            self.companies_len,
            self.entries_len,
        ]
    }
}

/// Reads a file's header, when the file is of this format and key version,
/// computed under `cadence`, and exactly as long as its sections: the file
/// is then left at its first section.
pub(super) fn read_header(f: &mut File, cadence: &str) -> io::Result<Header> {
    let len = f.metadata()?.len();
    let mut fixed = [0u8; 24];
    f.read_exact(&mut fixed)?;
    let header_len = u64::from(u32::from_le_bytes([fixed[20], fixed[21], fixed[22], fixed[23]]));
    if &fixed[..16] != MAGIC || fixed[16..20] != FORMAT.to_le_bytes() || header_len + 28 > len {
        return Err(bad("format"));
    }
    let header = section(f, header_len, |input| {
        if i64::from(input.u32()?) != crate::domain::searchkey::KEY_VERSION || input.text()? != cadence {
            return Err(bad("version or cadence"));
        }
        let marker = Marker {
            seq: input.i64()?,
            token: input.i64()?,
        };
        let max_id = input.i64()?;
        let n = input.u64()?;
        Ok(Header {
            stamp: Stamp { marker, max_id },
            start: 28 + header_len,
            // Bounded by the file's length below.
            n: usize::try_from(n.min(len)).map_err(|_| bad("count"))?,
            keys_len: input.u64()?,
            stale: input.u64()?,
            entries_len: input.u64()?,
            companies: input.u64()?,
            companies_len: input.u64()?,
        })
    })?;
    let mut total = Some(28 + header_len);
    for l in header.section_lens() {
        total = total.and_then(|t| t.checked_add(l)?.checked_add(4));
    }
    if total != Some(len) || header.stale > header.keys_len {
        return Err(bad("length"));
    }
    Ok(header)
}

/// Writes `index` to `file` (complete or not at all).
pub fn write(file: &Path, index: &Index, stamp: Stamp, cadence: &str) -> io::Result<()> {
    crate::io::file::write_atomic(file, |w| {
        let mut out = Out::new(w);
        write_to(&mut out, index, stamp, cadence)?;
        out.finish()
    })
}

fn write_to<W: Write>(out: &mut Out<W>, index: &Index, stamp: Stamp, cadence: &str) -> io::Result<()> {
    let entries_len: u64 = (0..index.len() as u32)
        .map(|i| ENTRY_BYTES + index.entry(i).person().0.len() as u64)
        .sum();
    let (number, companies) = index.texts.named(&index.entries);
    let companies_len: u64 = companies.iter().map(|c| 4 + c.len() as u64).sum();
    let mut header = Out::new(Vec::new());
    header.u32(crate::domain::searchkey::KEY_VERSION as u32)?;
    header.text(cadence)?;
    header.i64(stamp.marker.seq)?;
    header.i64(stamp.marker.token)?;
    header.i64(stamp.max_id)?;
    header.u64(index.entries.len() as u64)?;
    header.u64(index.keys.len() as u64)?;
    header.u64(index.stale as u64)?;
    header.u64(entries_len)?;
    header.u64(companies.len() as u64)?;
    header.u64(companies_len)?;
    let header = header.into_inner()?;
    out.bytes(MAGIC)?;
    out.u32(FORMAT)?;
    out.u32(header.len() as u32)?;
    out.start_section()?;
    out.bytes(&header)?;
    out.end_section()?;
    out.bytes(index.keys.as_bytes())?;
    out.end_section()?;
    for &(start, len) in &index.spans {
        out.u32(start)?;
        out.u32(len)?;
    }
    out.end_section()?;
    for m in &index.masks {
        for w in m.words() {
            out.u64(w)?;
        }
    }
    out.end_section()?;
    for &e in &index.by_id {
        out.i64(index.entries[e as usize].id)?;
        out.u32(e)?;
    }
    out.end_section()?;
    for &r in &index.name_rank {
        out.u32(r)?;
    }
    out.end_section()?;
    for &i in index.order(SortBy::Name) {
        out.u32(i)?;
    }
    out.end_section()?;
    for c in companies {
        out.text(c)?;
    }
    out.end_section()?;
    for i in 0..index.len() as u32 {
        let e = index.entry(i);
        let (person, sort_end, name_start, name_end) = e.person();
        out.i64(e.id)?;
        out.text(person)?;
        out.u32(sort_end)?;
        out.u32(name_start)?;
        out.u32(name_end)?;
        out.u32(number[e.company_number() as usize])?;
        let grade = Grade::ALL.iter().position(|g| *g == e.grade).unwrap_or(0);
        let status = Status::ALL.iter().position(|s| *s == e.status).unwrap_or(0);
        out.bytes(&[grade as u8, status as u8, u8::from(e.next_is_visit())])?;
        out.i64(e.last_contact.map_or(i64::MIN, day_number))?;
        let due = match e.next_due() {
            Due::Now => i64::MIN,
            Due::Never => i64::MAX,
            Due::On(d) => day_number(d),
        };
        out.i64(due)?;
    }
    out.end_section()
}

/// Reads the index kept in `file`, when it is whole, of this format and
/// key version, computed under `cadence`, and consistent; its table of
/// first screens is left to the caller (see [`load`]).
pub fn read(file: &Path, cadence: &str) -> io::Result<(Index, Stamp)> {
    let mut f = File::open(file)?;
    let header = read_header(&mut f, cadence)?;
    let [
        keys_len,
        spans_len,
        masks_len,
        ids_len,
        rank_len,
        orders_len,
        companies_len,
        entries_len,
    ] = header.section_lens();
    let n = header.n;
    let mut index = Index {
        keys: section(&mut f, keys_len, |input| {
            String::from_utf8(input.vec(keys_len)?).map_err(|_| bad("keys"))
        })?,
        stale: header.stale as usize,
        spans: section(&mut f, spans_len, |input| read_spans(input, n))?,
        masks: section(&mut f, masks_len, |input| read_masks(input, n))?,
        by_id: section(&mut f, ids_len, |input| read_by_id(input, n))?,
        name_rank: section(&mut f, rank_len, |input| input.u32s(n))?,
        orders: [
            OnceLock::from(section(&mut f, orders_len, |input| input.u32s(n))?),
            OnceLock::new(),
            OnceLock::new(),
            OnceLock::new(),
        ],
        ..Index::default()
    };
    section(&mut f, companies_len, |input| {
        let mut buf = Vec::new();
        for _ in 0..header.companies {
            index.texts.push_company(input.text_in(&mut buf)?);
        }
        Ok(())
    })?;
    index.entries = section(&mut f, entries_len, |input| read_entries(input, n, &mut index.texts))?;
    if f.read(&mut [0u8; 1])? != 0 {
        return Err(bad("trailing bytes"));
    }
    check(&index)?;
    index.list_starts();
    if !index.keys_apart() {
        return Err(bad("keys overlap"));
    }
    Ok((index, header.stamp))
}

fn read_spans(input: &mut SectionIn<'_>, n: usize) -> io::Result<Vec<(u32, u32)>> {
    input.items(n, |b: [u8; 8]| (u32_at(&b, 0), u32_at(&b, 4)))
}

/// A key's masks as the file keeps them, at `at` in `b`.
pub(super) fn masks_at(b: &[u8], at: usize) -> Masks {
    let w = |k: usize| u64_at(b, at + 8 * k);
    Masks::from_words([w(0), w(1), w(2), w(3)])
}

fn read_masks(input: &mut SectionIn<'_>, n: usize) -> io::Result<Vec<Masks>> {
    input.items(n, |b: [u8; 32]| masks_at(&b, 0))
}

/// The id map's entries (its ids are `rapport find`'s: the app reads each
/// entry's own, and checks the map is in their order).
fn read_by_id(input: &mut SectionIn<'_>, n: usize) -> io::Result<Vec<u32>> {
    input.items(n, |b: [u8; 12]| u32_at(&b, 8))
}

fn read_entries(input: &mut SectionIn<'_>, n: usize, texts: &mut Texts) -> io::Result<Vec<Slot>> {
    let mut entries = Vec::new();
    entries.reserve_exact(n);
    let mut buf = Vec::new();
    for _ in 0..n {
        let id = input.i64()?;
        let person = input.text_in(&mut buf)?;
        let offsets = (input.u32()?, input.u32()?, input.u32()?);
        let company = input.u32()?;
        let grade = *Grade::ALL.get(usize::from(input.u8()?)).ok_or_else(|| bad("grade"))?;
        let status = *Status::ALL.get(usize::from(input.u8()?)).ok_or_else(|| bad("status"))?;
        let next_is_visit = input.u8()? != 0;
        let last_contact = match input.i64()? {
            i64::MIN => None,
            d => Some(day(d)?),
        };
        let next_due = match input.i64()? {
            i64::MIN => Due::Now,
            i64::MAX => Due::Never,
            d => Due::On(day(d)?),
        };
        let slot = texts.slot_read(ReadEntry {
            id,
            person,
            offsets,
            company,
            grade,
            status,
            last_contact,
            next_due,
            next_is_visit,
        });
        entries.push(slot.ok_or_else(|| bad("entry"))?);
    }
    texts.shrink();
    Ok(entries)
}

/// Whether every part of a read index agrees with the others, so nothing
/// read from a file can make a later lookup go out of bounds.
fn check(index: &Index) -> io::Result<()> {
    let n = index.entries.len();
    let keys = &index.keys;
    let sizes = index.spans.len() == n && index.masks.len() == n && index.stale <= keys.len();
    let spans = || {
        index.spans.iter().all(|&(start, len)| {
            let end = start as usize + len as usize;
            end <= keys.len() && keys.is_char_boundary(start as usize) && keys.is_char_boundary(end)
        })
    };
    let permutation = |order: &[u32]| {
        let mut seen = vec![false; n];
        order.len() == n
            && order
                .iter()
                .all(|&i| seen.get_mut(i as usize).is_some_and(|s| !std::mem::replace(s, true)))
    };
    let name = index.orders[SortBy::Name as usize].get().map_or(&[][..], Vec::as_slice);
    // Read only once the name order and the id map are known to hold each
    // entry once.
    let ranks = || {
        index.name_rank.len() == n
            && name
                .iter()
                .enumerate()
                .all(|(pos, &i)| index.name_rank[i as usize] as usize == pos)
    };
    let id = |e: u32| index.entries[e as usize].id;
    let ids = || index.by_id.windows(2).all(|w| id(w[0]) < id(w[1]));
    if sizes && spans() && permutation(name) && permutation(&index.by_id) && ranks() && ids() {
        Ok(())
    } else {
        Err(bad("inconsistent"))
    }
}

#[cfg(test)]
#[path = "cache_tests.rs"]
pub(super) mod tests;
