//! The bytes of the index file (see [`super::cache`]): little-endian
//! numbers and texts, grouped in sections that are each followed by their
//! own CRC-32, so a reader that needs only some sections (`rapport find`,
//! see [`super::quick`]) reads and checks only those.

use std::fs::File;
use std::io::{self, BufReader, BufWriter, Read, Take, Write};

use chrono::NaiveDate;

pub(super) const MAGIC: &[u8; 16] = b"RAPPORT-INDEX\0\0\x01";
/// 2: sections, each with its CRC (1: one CRC at the end).
pub(super) const FORMAT: u32 = 3;

/// Computes the CRC of the bytes that pass through it, a buffer at a time.
pub(super) struct Hashing<T> {
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

/// Writes numbers and texts; [`Out::end_section`] puts each section's CRC
/// after it.
pub(super) struct Out<W: Write> {
    w: BufWriter<Hashing<W>>,
}

impl<W: Write> Out<W> {
    pub(super) fn new(w: W) -> Out<W> {
        Out {
            w: BufWriter::with_capacity(1 << 16, Hashing::new(w)),
        }
    }
    pub(super) fn bytes(&mut self, b: &[u8]) -> io::Result<()> {
        self.w.write_all(b)
    }
    pub(super) fn u32(&mut self, v: u32) -> io::Result<()> {
        self.bytes(&v.to_le_bytes())
    }
    pub(super) fn u64(&mut self, v: u64) -> io::Result<()> {
        self.bytes(&v.to_le_bytes())
    }
    pub(super) fn i64(&mut self, v: i64) -> io::Result<()> {
        self.bytes(&v.to_le_bytes())
    }
    pub(super) fn text(&mut self, s: &str) -> io::Result<()> {
        self.u32(s.len() as u32)?;
        self.bytes(s.as_bytes())
    }
    /// Writes the CRC of what was written since the last section ended.
    pub(super) fn end_section(&mut self) -> io::Result<()> {
        self.w.flush()?;
        let hashing = self.w.get_mut();
        let crc = std::mem::replace(&mut hashing.crc, crc32fast::Hasher::new()).finalize();
        hashing.inner.write_all(&crc.to_le_bytes())
    }
    /// Starts a section without a CRC after what came before it.
    pub(super) fn start_section(&mut self) -> io::Result<()> {
        self.w.flush()?;
        self.w.get_mut().crc = crc32fast::Hasher::new();
        Ok(())
    }
    pub(super) fn finish(mut self) -> io::Result<()> {
        self.w.flush()
    }
    pub(super) fn into_inner(self) -> io::Result<W> {
        Ok(self.w.into_inner().map_err(|e| e.into_error())?.inner)
    }
}

pub(super) fn bad(what: &str) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidData, what.to_string())
}

/// Reads numbers and texts from one section.
pub(super) struct In<R: Read> {
    r: R,
    /// Bytes the section still holds: no count read from it asks for more.
    left: u64,
}

/// How a section is read.
pub(super) type SectionIn<'f> = In<BufReader<Hashing<Take<&'f mut File>>>>;

impl<R: Read> In<R> {
    fn fill(&mut self, buf: &mut [u8]) -> io::Result<()> {
        if buf.len() as u64 > self.left {
            return Err(bad("past the section"));
        }
        self.r.read_exact(buf)?;
        self.left -= buf.len() as u64;
        Ok(())
    }
    pub(super) fn array<const N: usize>(&mut self) -> io::Result<[u8; N]> {
        let mut b = [0u8; N];
        self.fill(&mut b)?;
        Ok(b)
    }
    pub(super) fn u8(&mut self) -> io::Result<u8> {
        Ok(self.array::<1>()?[0])
    }
    pub(super) fn u32(&mut self) -> io::Result<u32> {
        Ok(u32::from_le_bytes(self.array()?))
    }
    pub(super) fn u64(&mut self) -> io::Result<u64> {
        Ok(u64::from_le_bytes(self.array()?))
    }
    pub(super) fn i64(&mut self) -> io::Result<i64> {
        Ok(i64::from_le_bytes(self.array()?))
    }
    /// `len` bytes (refused when the section does not hold them).
    pub(super) fn vec(&mut self, len: u64) -> io::Result<Vec<u8>> {
        if len > self.left {
            return Err(bad("past the section"));
        }
        let mut v = vec![0u8; len as usize];
        self.fill(&mut v)?;
        Ok(v)
    }
    pub(super) fn text(&mut self) -> io::Result<String> {
        let len = self.u32()?;
        String::from_utf8(self.vec(u64::from(len))?).map_err(|_| bad("text"))
    }
    /// A text, read into `buf` (one buffer for many texts).
    pub(super) fn text_in<'b>(&mut self, buf: &'b mut Vec<u8>) -> io::Result<&'b str> {
        let len = u64::from(self.u32()?);
        if len > self.left {
            return Err(bad("past the section"));
        }
        buf.clear();
        buf.resize(len as usize, 0);
        self.fill(buf)?;
        std::str::from_utf8(buf).map_err(|_| bad("text"))
    }
    /// `n` items of `N` bytes each, as `item` makes them from their bytes.
    pub(super) fn items<const N: usize, T>(&mut self, n: usize, item: impl Fn([u8; N]) -> T) -> io::Result<Vec<T>> {
        if (n as u64).checked_mul(N as u64).is_none_or(|b| b > self.left) {
            return Err(bad("past the section"));
        }
        let mut v = Vec::with_capacity(n);
        let mut buf = vec![0u8; N * 8192];
        while v.len() < n {
            let take = (n - v.len()).min(8192);
            self.fill(&mut buf[..N * take])?;
            v.extend(buf[..N * take].chunks_exact(N).map(|c| {
                let mut b = [0u8; N];
                b.copy_from_slice(c);
                item(b)
            }));
        }
        Ok(v)
    }
    pub(super) fn u32s(&mut self, n: usize) -> io::Result<Vec<u32>> {
        self.items(n, u32::from_le_bytes)
    }
}

/// Reads the next section of `file`, `len` bytes, with `parse`, which must
/// read all of it; then checks the CRC that follows it.
pub(super) fn section<T>(
    file: &mut File,
    len: u64,
    parse: impl FnOnce(&mut SectionIn<'_>) -> io::Result<T>,
) -> io::Result<T> {
    let mut input = In {
        r: BufReader::with_capacity(1 << 16, Hashing::new(file.take(len))),
        left: len,
    };
    let value = parse(&mut input)?;
    if input.left != 0 {
        return Err(bad("section not read whole"));
    }
    let want = input.r.into_inner().crc.finalize();
    let mut crc = [0u8; 4];
    file.read_exact(&mut crc)?;
    if u32::from_le_bytes(crc) != want {
        return Err(bad("checksum"));
    }
    Ok(value)
}

/// The little-endian numbers at `at` in `b`.
pub(super) fn u32_at(b: &[u8], at: usize) -> u32 {
    u32::from_le_bytes(b[at..at + 4].try_into().unwrap_or_default())
}

pub(super) fn u64_at(b: &[u8], at: usize) -> u64 {
    u64::from_le_bytes(b[at..at + 8].try_into().unwrap_or_default())
}

pub(super) fn day_number(d: NaiveDate) -> i64 {
    i64::from(chrono::Datelike::num_days_from_ce(&d))
}

pub(super) fn day(n: i64) -> io::Result<NaiveDate> {
    i32::try_from(n)
        .ok()
        .and_then(NaiveDate::from_num_days_from_ce_opt)
        .ok_or_else(|| bad("date"))
}
