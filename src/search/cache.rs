//! A large book's search index kept in a file beside the book
//! (`<book>.index`, mode 0600), so a start reads it back in a fraction of
//! the time building it from every row takes, then brings it up to date
//! with what the book's change log (`storage::index_log`) says changed
//! since. The file is only ever a copy: deleting it costs one slow start.
//!
//! Layout, little-endian: a header (magic, format, key version, the
//! cadence it was computed under, the log marker, the highest customer id,
//! the counts), the entries, the key arena, the spans and masks, the four
//! orders, the name ranks, the id map, then a CRC-32 of everything before
//! it. A file that is damaged, cut short, of another format or version,
//! or inconsistent in any way is not used.

use std::fs::File;
use std::io::{self, BufReader, BufWriter, Read, Write};
use std::path::{Path, PathBuf};

use chrono::NaiveDate;

use super::matching::Masks;
use super::{Entry, Index, SortBy};
use crate::domain::cadence::{Cadence, Due};
use crate::domain::customer::{Grade, Status};
use crate::storage;
use crate::storage::index_log::{self, Changes, Marker};

/// Customers from which a book keeps its index in a file: below, building
/// it from the rows takes well under a second.
pub const CACHE_FROM: usize = 200_000;
/// The most changes brought in one by one (each costs a few milliseconds
/// in a large book); with more, the index is built from the rows.
const MAX_CHANGES: usize = 500;
/// Changes after which the file is written again, so the next start has
/// fewer to bring in.
const REWRITE_AFTER: usize = 50;

const MAGIC: &[u8; 16] = b"RAPPORT-INDEX\0\0\x01";
const FORMAT: u32 = 1;

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
        && let Some(index) = bring_up_to_date(db, &file, &fp, index, stamp, cadence, may_write)
    {
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
        max_id: index.by_id.last().map_or(0, |&(id, _)| id),
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

/// Computes the CRC of the bytes that pass through it, a buffer at a time.
struct Hashing<T> {
    inner: T,
    crc: crc32fast::Hasher,
}

impl<T> Hashing<T> {
    fn new(inner: T) -> Hashing<T> {
        Hashing {
            inner,
            crc: crc32fast::Hasher::new(),
        }
    }
}

impl<W: Write> Write for Hashing<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let n = self.inner.write(buf)?;
        self.crc.update(&buf[..n]);
        Ok(n)
    }
    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }
}

impl<R: Read> Read for Hashing<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.crc.update(&buf[..n]);
        Ok(n)
    }
}

struct Out<W: Write> {
    w: W,
}

impl<W: Write> Out<W> {
    fn bytes(&mut self, b: &[u8]) -> io::Result<()> {
        self.w.write_all(b)
    }
    fn u32(&mut self, v: u32) -> io::Result<()> {
        self.bytes(&v.to_le_bytes())
    }
    fn u64(&mut self, v: u64) -> io::Result<()> {
        self.bytes(&v.to_le_bytes())
    }
    fn i64(&mut self, v: i64) -> io::Result<()> {
        self.bytes(&v.to_le_bytes())
    }
    fn text(&mut self, s: &str) -> io::Result<()> {
        self.u32(s.len() as u32)?;
        self.bytes(s.as_bytes())
    }
}

fn bad(what: &str) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidData, what.to_string())
}

struct In<R: Read> {
    r: R,
    /// Bytes the file may still hold: no count read from it asks for more.
    left: u64,
}

impl<R: Read> In<R> {
    fn fill(&mut self, buf: &mut [u8]) -> io::Result<()> {
        self.r.read_exact(buf)?;
        self.left = self.left.saturating_sub(buf.len() as u64);
        Ok(())
    }
    fn array<const N: usize>(&mut self) -> io::Result<[u8; N]> {
        let mut b = [0u8; N];
        self.fill(&mut b)?;
        Ok(b)
    }
    fn u8(&mut self) -> io::Result<u8> {
        Ok(self.array::<1>()?[0])
    }
    fn u32(&mut self) -> io::Result<u32> {
        Ok(u32::from_le_bytes(self.array()?))
    }
    fn u64(&mut self) -> io::Result<u64> {
        Ok(u64::from_le_bytes(self.array()?))
    }
    fn i64(&mut self) -> io::Result<i64> {
        Ok(i64::from_le_bytes(self.array()?))
    }
    /// `n` items of `size` bytes: refused when the file cannot hold them.
    fn room(&self, n: u64, size: u64) -> io::Result<usize> {
        match n.checked_mul(size) {
            Some(b) if b <= self.left => Ok(n as usize),
            _ => Err(bad("count beyond the file")),
        }
    }
    fn vec(&mut self, len: u64) -> io::Result<Vec<u8>> {
        let n = self.room(len, 1)?;
        let mut v = vec![0u8; n];
        self.fill(&mut v)?;
        Ok(v)
    }
    fn text(&mut self) -> io::Result<String> {
        let len = self.u32()?;
        String::from_utf8(self.vec(u64::from(len))?).map_err(|_| bad("text"))
    }
    fn u32s(&mut self, n: usize) -> io::Result<Vec<u32>> {
        self.room(n as u64, 4)?;
        let mut v = Vec::with_capacity(n);
        let mut buf = vec![0u8; 4 * 8192];
        while v.len() < n {
            let take = (n - v.len()).min(8192);
            self.fill(&mut buf[..4 * take])?;
            v.extend(
                buf[..4 * take]
                    .chunks_exact(4)
                    .map(|c| u32::from_le_bytes([c[0], c[1], c[2], c[3]])),
            );
        }
        Ok(v)
    }
}

fn day_number(d: NaiveDate) -> i64 {
    i64::from(chrono::Datelike::num_days_from_ce(&d))
}

fn day(n: i64) -> io::Result<NaiveDate> {
    i32::try_from(n)
        .ok()
        .and_then(NaiveDate::from_num_days_from_ce_opt)
        .ok_or_else(|| bad("date"))
}

/// Writes `index` to `file` (complete or not at all).
pub fn write(file: &Path, index: &Index, stamp: Stamp, cadence: &str) -> io::Result<()> {
    crate::io::file::write_atomic(file, |w| {
        let mut out = Out {
            w: BufWriter::with_capacity(1 << 16, Hashing::new(w)),
        };
        write_to(&mut out, index, stamp, cadence)?;
        let hashed = out.w.into_inner().map_err(|e| e.into_error())?;
        let crc = hashed.crc.finalize();
        hashed.inner.write_all(&crc.to_le_bytes())
    })
}

fn write_to<W: Write>(out: &mut Out<W>, index: &Index, stamp: Stamp, cadence: &str) -> io::Result<()> {
    out.bytes(MAGIC)?;
    out.u32(FORMAT)?;
    out.u32(crate::domain::searchkey::KEY_VERSION as u32)?;
    out.text(cadence)?;
    out.i64(stamp.marker.seq)?;
    out.i64(stamp.marker.token)?;
    out.i64(stamp.max_id)?;
    out.u64(index.entries.len() as u64)?;
    for e in &index.entries {
        out.i64(e.id)?;
        out.text(&e.text)?;
        out.u32(e.sort_end)?;
        out.u32(e.name_start)?;
        out.u32(e.name_end)?;
        let grade = Grade::ALL.iter().position(|g| *g == e.grade).unwrap_or(0);
        let status = Status::ALL.iter().position(|s| *s == e.status).unwrap_or(0);
        out.bytes(&[grade as u8, status as u8, u8::from(e.next_is_visit)])?;
        out.i64(e.last_contact.map_or(i64::MIN, day_number))?;
        let due = match e.next_due {
            Due::Now => i64::MIN,
            Due::Never => i64::MAX,
            Due::On(d) => day_number(d),
        };
        out.i64(due)?;
    }
    out.u64(index.keys.len() as u64)?;
    out.bytes(index.keys.as_bytes())?;
    out.u64(index.stale as u64)?;
    for &(start, len) in &index.spans {
        out.u32(start)?;
        out.u32(len)?;
    }
    for m in &index.masks {
        for w in m.words() {
            out.u64(w)?;
        }
    }
    for order in &index.orders {
        for &i in order {
            out.u32(i)?;
        }
    }
    for &r in &index.name_rank {
        out.u32(r)?;
    }
    for &(id, e) in &index.by_id {
        out.i64(id)?;
        out.u32(e)?;
    }
    Ok(())
}

/// Reads the index kept in `file`, when it is whole, of this format and
/// key version, computed under `cadence`, and consistent.
pub fn read(file: &Path, cadence: &str) -> io::Result<(Index, Stamp)> {
    let f = File::open(file)?;
    let len = f.metadata()?.len();
    let body = len.checked_sub(4).ok_or_else(|| bad("short"))?;
    let mut input = In {
        r: BufReader::with_capacity(1 << 16, Hashing::new(f.take(body))),
        left: body,
    };
    let (mut index, stamp) = read_from(&mut input, cadence)?;
    if input.r.read(&mut [0u8; 1])? != 0 {
        return Err(bad("trailing bytes"));
    }
    let hashed = input.r.into_inner();
    let want = hashed.crc.finalize();
    let mut f = hashed.inner.into_inner();
    let mut crc = [0u8; 4];
    f.read_exact(&mut crc)?;
    if u32::from_le_bytes(crc) != want || f.read(&mut [0u8; 1])? != 0 {
        return Err(bad("checksum"));
    }
    check(&index)?;
    index.list_starts();
    if !index.keys_apart() {
        return Err(bad("keys overlap"));
    }
    Ok((index, stamp))
}

fn read_from<R: Read>(input: &mut In<R>, cadence: &str) -> io::Result<(Index, Stamp)> {
    if &input.array::<16>()? != MAGIC
        || input.u32()? != FORMAT
        || i64::from(input.u32()?) != crate::domain::searchkey::KEY_VERSION
    {
        return Err(bad("format"));
    }
    if input.text()? != cadence {
        return Err(bad("cadence"));
    }
    let marker = Marker {
        seq: input.i64()?,
        token: input.i64()?,
    };
    let stamp = Stamp {
        marker,
        max_id: input.i64()?,
    };
    // An entry takes at least 43 bytes in the file.
    let n = input.u64()?;
    let n = input.room(n, 43)?;
    let mut index = Index::default();
    index.entries.reserve_exact(n);
    for _ in 0..n {
        let id = input.i64()?;
        let text = input.text()?.into_boxed_str();
        let (sort_end, name_start, name_end) = (input.u32()?, input.u32()?, input.u32()?);
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
        let on_char = |at: u32| text.is_char_boundary(at as usize);
        if !(on_char(sort_end) && on_char(name_start) && on_char(name_end) && name_start <= name_end) {
            return Err(bad("entry"));
        }
        index.entries.push(Entry {
            id,
            text,
            sort_end,
            name_start,
            name_end,
            grade,
            status,
            last_contact,
            next_due,
            next_is_visit,
        });
    }
    let keys_len = input.u64()?;
    index.keys = String::from_utf8(input.vec(keys_len)?).map_err(|_| bad("keys"))?;
    index.stale = input.u64()? as usize;
    input.room(n as u64, 8 + 32 + 16 + 4 + 12)?;
    index.spans = input.u32s(2 * n)?.chunks_exact(2).map(|s| (s[0], s[1])).collect();
    index.masks.reserve_exact(n);
    for _ in 0..n {
        let w = [input.u64()?, input.u64()?, input.u64()?, input.u64()?];
        index.masks.push(Masks::from_words(w));
    }
    for by in SortBy::ALL {
        index.orders[by as usize] = input.u32s(n)?;
    }
    index.name_rank = input.u32s(n)?;
    index.by_id.reserve_exact(n);
    for _ in 0..n {
        index.by_id.push((input.i64()?, input.u32()?));
    }
    Ok((index, stamp))
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
    // Read only once every order is known to hold each entry once.
    let ranks = || {
        index.name_rank.len() == n
            && index.orders[SortBy::Name as usize]
                .iter()
                .enumerate()
                .all(|(pos, &i)| index.name_rank[i as usize] as usize == pos)
    };
    let ids = || {
        index.by_id.len() == n
            && index.by_id.windows(2).all(|w| w[0].0 < w[1].0)
            && index
                .by_id
                .iter()
                .all(|&(id, e)| index.entries.get(e as usize).is_some_and(|x| x.id == id))
    };
    if sizes && spans() && index.orders.iter().all(|o| permutation(o)) && ranks() && ids() {
        Ok(())
    } else {
        Err(bad("inconsistent"))
    }
}

#[cfg(test)]
#[path = "cache_tests.rs"]
mod tests;
