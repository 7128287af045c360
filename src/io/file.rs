//! Writing a file so that it is either complete or not there: the bytes go
//! to a private temporary file in the same directory (mode 0600), which is
//! synced and then renamed over the target. A path that cannot be written
//! fails with the reason and leaves no partial file behind.

use std::fs::{File, OpenOptions};
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};

/// Creates `path` new, readable and writable by the owner only (0600,
/// whatever the umask).
pub fn create_private(path: &Path) -> io::Result<File> {
    let mut opts = OpenOptions::new();
    opts.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        opts.mode(0o600);
    }
    let f = opts.open(path)?;
    private_mode(&f)?;
    Ok(f)
}

/// Copies `from` to `to`, a new private file (see [`create_private`]).
pub fn copy_private(from: &Path, to: &Path) -> io::Result<()> {
    let mut out = create_private(to)?;
    io::copy(&mut File::open(from)?, &mut out)?;
    Ok(())
}

/// Sets an open file to mode 0600 (the umask can only take bits away from
/// the mode a file is created with; this puts back exactly 0600).
pub fn private_mode(f: &File) -> io::Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        f.set_permissions(std::fs::Permissions::from_mode(0o600))?;
    }
    #[cfg(not(unix))]
    let _ = f;
    Ok(())
}

/// Sets the file at `path` to mode 0600 if it exists.
pub fn make_private(path: &Path) -> io::Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        match std::fs::metadata(path) {
            Ok(m) if m.permissions().mode() & 0o777 != 0o600 => {
                std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600))?
            }
            _ => {}
        }
    }
    #[cfg(not(unix))]
    let _ = path;
    Ok(())
}

/// Creates the folder `dir` and any missing parents, each readable by the
/// owner only (0700, whatever the umask). Folders that exist are left as
/// they are.
pub fn create_private_dir(dir: &Path) -> io::Result<()> {
    if dir.is_dir() {
        return Ok(());
    }
    if let Some(parent) = dir.parent().filter(|p| !p.as_os_str().is_empty()) {
        create_private_dir(parent)?;
    }
    match std::fs::create_dir(dir) {
        Ok(()) => {}
        Err(e) if e.kind() == io::ErrorKind::AlreadyExists && dir.is_dir() => return Ok(()),
        Err(e) => return Err(e),
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o700))?;
    }
    Ok(())
}

/// A temporary name next to `path` that does not exist yet.
fn temp_path(path: &Path) -> PathBuf {
    use std::sync::atomic::{AtomicU64, Ordering};
    static N: AtomicU64 = AtomicU64::new(0);
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "export".into());
    let n = N.fetch_add(1, Ordering::Relaxed);
    path.with_file_name(format!(".{name}.{}-{n}.part", std::process::id()))
}

/// Writes `path` through `fill`, atomically, mode 0600.
pub fn write_atomic(path: &Path, fill: impl FnOnce(&mut dyn Write) -> io::Result<()>) -> io::Result<()> {
    if path.is_dir() {
        return Err(io::Error::new(io::ErrorKind::IsADirectory, "is a directory"));
    }
    let tmp = temp_path(path);
    let result = (|| {
        let file = create_private(&tmp)?;
        let mut w = BufWriter::new(file);
        fill(&mut w)?;
        let file = w.into_inner().map_err(|e| e.into_error())?;
        file.sync_all()?;
        std::fs::rename(&tmp, path)?;
        // The rename itself survives a crash once the directory is synced.
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            let _ = File::open(dir).and_then(|d| d.sync_all());
        }
        Ok(())
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result
}

/// The process id in the name of a partial file Rapport writes
/// (`.<name>.<pid>[-n][.what].part`, with SQLite's `-journal`, `-wal`,
/// `-shm` beside it).
fn partial_pid(file: &str) -> Option<u32> {
    let mut core = file.strip_prefix('.')?;
    for suffix in ["-journal", "-wal", "-shm"] {
        core = core.strip_suffix(suffix).unwrap_or(core);
    }
    let core = core.strip_suffix(".part")?;
    let mut parts = core.rsplit('.');
    let pid_of = |s: &str| -> Option<u32> { s.split('-').next()?.parse().ok() };
    let last = parts.next()?;
    pid_of(last).or_else(|| pid_of(parts.next()?))
}

/// Whether process `pid` is running (unknown: assumed running).
fn alive(pid: u32) -> bool {
    if Path::new("/proc/self").exists() {
        Path::new(&format!("/proc/{pid}")).exists()
    } else {
        true
    }
}

/// Removes the partial files left in `dir` by a backup, restore, export
/// or check that was killed before it could clean up (its process is
/// gone); returns how many.
pub fn clean_partials(dir: &Path) -> usize {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return 0;
    };
    let mut n = 0;
    for e in entries.flatten() {
        let Ok(name) = e.file_name().into_string() else {
            continue;
        };
        let stale = match partial_pid(&name) {
            Some(pid) => pid != std::process::id() && !alive(pid),
            None => false,
        };
        if stale && e.file_type().is_ok_and(|t| t.is_file()) && std::fs::remove_file(e.path()).is_ok() {
            n += 1;
        }
    }
    n
}

/// The file a path names once its symbolic links are followed (a link
/// that points nowhere yet names the file it would create), so that a
/// file written through a link replaces the link's target and the link
/// stays. Gives up after 40 links (a loop), keeping the last one.
pub fn through_links(path: &Path) -> PathBuf {
    let mut p = path.to_path_buf();
    for _ in 0..40 {
        if !std::fs::symlink_metadata(&p).is_ok_and(|m| m.file_type().is_symlink()) {
            return p;
        }
        let Ok(to) = std::fs::read_link(&p) else {
            return p;
        };
        p = match p.parent() {
            Some(dir) if to.is_relative() => dir.join(to),
            _ => to,
        };
    }
    p
}

/// Where an output goes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    /// Standard output (`-`, `/dev/stdout`).
    Stdout,
    /// Something that is written to as a stream: a device, a named pipe,
    /// a socket, anything under /dev or /proc.
    Stream(PathBuf),
    /// A regular file (or a new one): replaced whole, atomically.
    File(PathBuf),
}

impl Target {
    pub fn of(path: &Path) -> Target {
        let s = path.to_string_lossy();
        if s == "-" || s == "/dev/stdout" || s == "/dev/fd/1" || s == "/proc/self/fd/1" {
            return Target::Stdout;
        }
        let special = s.starts_with("/dev/") || s.starts_with("/proc/");
        match std::fs::metadata(path) {
            Ok(m) if !m.is_file() && !m.is_dir() => Target::Stream(path.to_path_buf()),
            _ if special => Target::Stream(path.to_path_buf()),
            _ => Target::File(through_links(path)),
        }
    }

    /// Whether the output is the terminal's or a pipe's standard output
    /// (so no message may be printed there).
    pub fn is_stdout(&self) -> bool {
        *self == Target::Stdout
    }
}

/// Writes through `fill` into `target`: a regular file atomically (mode
/// 0600); standard output, a device or a pipe as a stream, never replaced
/// by a file. Every write error is an error (a reader that closed a pipe
/// early, `| head`, ends the output quietly).
pub fn write_to(target: &Target, fill: impl FnOnce(&mut dyn Write) -> io::Result<()>) -> io::Result<()> {
    let stream = |w: &mut dyn Write, fill: &mut dyn FnMut(&mut dyn Write) -> io::Result<()>| {
        let mut b = BufWriter::new(w);
        fill(&mut b)?;
        b.flush()
    };
    let mut fill = Some(fill);
    let mut call = |w: &mut dyn Write| fill.take().map_or(Ok(()), |f| f(w));
    match target {
        Target::File(p) => {
            if let Some(dir) = p.parent().filter(|d| !d.as_os_str().is_empty()) {
                clean_partials(dir);
            }
            write_atomic(p, call)
        }
        Target::Stdout => match stream(&mut io::stdout().lock(), &mut call) {
            Err(e) if e.kind() == io::ErrorKind::BrokenPipe => Ok(()),
            other => other,
        },
        Target::Stream(p) => {
            let mut f = OpenOptions::new().write(true).open(p)?;
            stream(&mut f, &mut call)
        }
    }
}

/// Writes `bytes` to `path`, atomically, mode 0600.
pub fn write_bytes(path: &Path, bytes: &[u8]) -> io::Result<()> {
    write_atomic(path, |w| w.write_all(bytes))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(unix)]
    #[test]
    fn devices_and_pipes_are_written_as_streams() {
        use std::os::unix::fs::FileTypeExt;
        assert_eq!(Target::of(Path::new("-")), Target::Stdout);
        assert_eq!(Target::of(Path::new("/dev/stdout")), Target::Stdout);
        assert_eq!(
            Target::of(Path::new("/dev/null")),
            Target::Stream(PathBuf::from("/dev/null"))
        );
        let full = write_to(&Target::of(Path::new("/dev/full")), |w| w.write_all(&[b'x'; 100_000]));
        assert!(full.is_err(), "a full device is an error");
        assert!(std::fs::metadata("/dev/full").unwrap().file_type().is_char_device());
        let dir = tempfile::tempdir().unwrap();
        let fifo = dir.path().join("pipe");
        assert!(
            std::process::Command::new("mkfifo")
                .arg(&fifo)
                .status()
                .unwrap()
                .success()
        );
        let reader = {
            let fifo = fifo.clone();
            std::thread::spawn(move || std::fs::read(&fifo).unwrap())
        };
        write_to(&Target::of(&fifo), |w| w.write_all(b"through the pipe")).unwrap();
        assert_eq!(reader.join().unwrap(), b"through the pipe");
        assert!(std::fs::metadata(&fifo).unwrap().file_type().is_fifo(), "still a pipe");
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1, "no file beside it");
    }

    #[test]
    fn partial_files_of_gone_processes_are_removed() {
        let dir = tempfile::tempdir().unwrap();
        // A pid that cannot be running (above the kernel's maximum).
        let gone = 4_194_305u32;
        let me = std::process::id();
        let names = [
            format!(".book-20261123-090000Z.db.{gone}.part"),
            format!(".book-20261123-090000Z.db.{gone}.part-journal"),
            format!(".book.db.{gone}.restore.part"),
            format!(".out.csv.{gone}-3.part"),
            format!(".book.db.{me}.restore.part"),
            "notes.part".to_string(),
            "book.db".to_string(),
        ];
        for n in &names {
            std::fs::write(dir.path().join(n), "x").unwrap();
        }
        assert_eq!(partial_pid(&names[0]), Some(gone));
        assert_eq!(partial_pid(&names[3]), Some(gone));
        assert_eq!(clean_partials(dir.path()), 4);
        let mut left: Vec<String> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .collect();
        left.sort();
        assert_eq!(
            left,
            vec![names[4].clone(), "book.db".to_string(), "notes.part".to_string()]
        );
    }

    #[test]
    fn complete_or_absent() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("out.csv");
        write_bytes(&p, b"hello").unwrap();
        assert_eq!(std::fs::read(&p).unwrap(), b"hello");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            assert_eq!(std::fs::metadata(&p).unwrap().permissions().mode() & 0o777, 0o600);
        }
        // A failure halfway leaves the old file and no temporary.
        let err = write_atomic(&p, |w| {
            w.write_all(b"half")?;
            Err(io::Error::other("disk full"))
        });
        assert!(err.is_err());
        assert_eq!(std::fs::read(&p).unwrap(), b"hello");
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
        // A directory that does not exist fails cleanly.
        assert!(write_bytes(&dir.path().join("no/such/dir.csv"), b"x").is_err());
        assert!(write_bytes(dir.path(), b"x").is_err());
    }
}
