//! Data safety through the real binary: backups across time zones,
//! exports into devices and pipes, bounded agenda, refused URIs, file
//! modes, leftover partial files.

use std::path::Path;
use std::process::{Command, Output};

fn rapport(db: &Path) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_rapport"));
    c.arg("--db").arg(db).args(["--config", "/nonexistent/config.toml"]);
    c.env("LANG", "C").env_remove("LC_ALL").env_remove("LC_MESSAGES");
    c
}

fn run(db: &Path, args: &[&str]) -> Output {
    rapport(db).args(args).output().unwrap()
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn names(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    v.sort();
    v
}

#[test]
fn a_backup_taken_after_a_time_zone_change_is_the_one_kept() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("book.db");
    assert!(run(&db, &["demo", "--customers", "5"]).status.success());
    let bk = dir.path().join("bk");
    let first = rapport(&db)
        .env("TZ", "Asia/Shanghai")
        .args(["backup", bk.to_str().unwrap(), "--keep", "1"])
        .output()
        .unwrap();
    assert!(first.status.success(), "{}", stderr(&first));
    std::thread::sleep(std::time::Duration::from_millis(1100));
    let second = rapport(&db)
        .env("TZ", "UTC")
        .args(["backup", bk.to_str().unwrap(), "--keep", "1"])
        .output()
        .unwrap();
    assert!(second.status.success(), "{}", stderr(&second));
    let left = names(&bk);
    assert_eq!(left.len(), 1, "{left:?}");
    assert!(
        stdout(&second).contains(&left[0]),
        "the fresh backup is kept: {left:?} / {}",
        stdout(&second)
    );
    assert!(left[0].ends_with("Z.db"), "named in UTC: {left:?}");
}
