//! A small private log (mode 0600) for errors and panics. It never holds
//! customer names, phones or birthdays: only what went wrong and where.

use std::io::Write;
use std::path::Path;

pub fn append(path: &Path, line: &str) {
    if let Some(dir) = path.parent() {
        let _ = crate::io::file::create_private_dir(dir);
    }
    let mut opts = std::fs::OpenOptions::new();
    opts.create(true).append(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        opts.mode(0o600);
    }
    if let Ok(mut f) = opts.open(path) {
        let _ = crate::io::file::private_mode(&f);
        let now = chrono::Local::now().format("%Y-%m-%d %H:%M:%S");
        let clean = crate::domain::text::clean(line);
        let _ = writeln!(f, "{now} {clean}");
    }
}
