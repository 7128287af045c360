//! Completion scripts and manual pages, generated from the CLI definition:
//! the bash script loads in bash and completes the commands, the pages
//! render with `man -l`, `--version` answers.

use std::process::{Command, Output, Stdio};

fn rapport(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_rapport"))
        .args(args)
        .env("LANG", "C")
        .output()
        .unwrap()
}

fn has(program: &str) -> bool {
    Command::new("sh")
        .args(["-c", &format!("command -v {program}")])
        .stdout(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

#[test]
fn the_bash_completion_loads_and_completes_commands() {
    let dir = tempfile::tempdir().unwrap();
    let o = rapport(&["completions", "bash"]);
    assert!(o.status.success());
    let script = dir.path().join("rapport.bash");
    std::fs::write(&script, &o.stdout).unwrap();
    // Load it, then ask for the completions of `rapport im` and `rapport log --k`.
    let probe = format!(
        "source {}; complete -p rapport; \
         COMP_WORDS=(rapport im); COMP_CWORD=1; COMP_LINE='rapport im'; COMP_POINT=10; \
         _rapport rapport im rapport; echo \"words: ${{COMPREPLY[*]}}\"; \
         COMP_WORDS=(rapport log --k); COMP_CWORD=2; COMP_LINE='rapport log --k'; COMP_POINT=15; \
         _rapport rapport --k log; echo \"flags: ${{COMPREPLY[*]}}\"",
        script.display()
    );
    let out = Command::new("bash").args(["--norc", "-c", &probe]).output().unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(text.contains("-F _rapport rapport"), "{text}");
    assert!(text.contains("words: import"), "{text}");
    assert!(text.contains("--kind"), "{text}");
}

#[test]
fn every_shell_gets_a_script() {
    for (shell, mark) in [
        ("zsh", "#compdef rapport"),
        ("fish", "complete -c rapport"),
        ("powershell", "Register-ArgumentCompleter"),
    ] {
        let o = rapport(&["completions", shell]);
        assert!(o.status.success(), "{shell}");
        let text = String::from_utf8_lossy(&o.stdout);
        assert!(text.contains(mark), "{shell}: {text}");
        assert!(text.contains("agenda") && text.contains("notify"), "{shell}");
    }
    let o = rapport(&["completions", "tcsh"]);
    assert_eq!(o.status.code(), Some(2));
    for (shell, check) in [("zsh", "-n"), ("fish", "--no-execute")] {
        if has(shell) {
            let dir = tempfile::tempdir().unwrap();
            let f = dir.path().join("script");
            std::fs::write(&f, rapport(&["completions", shell]).stdout).unwrap();
            let ok = Command::new(shell).arg(check).arg(&f).status().unwrap();
            assert!(ok.success(), "{shell} refuses its script");
        }
    }
}

#[test]
fn the_manual_renders_with_man_and_covers_every_command() {
    let o = rapport(&["man"]);
    assert!(o.status.success());
    let roff = String::from_utf8_lossy(&o.stdout).into_owned();
    for cmd in [
        "import",
        "export",
        "agenda",
        "add",
        "edit",
        "log",
        "backup",
        "completions",
    ] {
        assert!(roff.contains(&format!(".TH rapport-{cmd} 1")), "{cmd}");
    }
    let dir = tempfile::tempdir().unwrap();
    let o = Command::new(env!("CARGO_BIN_EXE_rapport"))
        .args(["--config", "/nonexistent/config.toml", "man", "--dir"])
        .arg(dir.path().join("man1"))
        .env("LANG", "C")
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let page = dir.path().join("man1/rapport-log.1");
    assert!(page.exists());
    if !has("man") {
        // Straight to stderr: the test harness would swallow eprintln!.
        use std::io::Write;
        let _ = writeln!(
            std::io::stderr(),
            "shell: 1 check skipped: `man` is not installed, the page was not rendered"
        );
        return;
    }
    let out = Command::new("man")
        .arg("-l")
        .arg(&page)
        .env("MANPAGER", "cat")
        .env("MANWIDTH", "80")
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(text.contains("NAME") && text.contains("rapport-log"), "{text}");
    assert!(text.contains("--next"), "{text}");
}

#[test]
fn version_answers() {
    let o = rapport(&["--version"]);
    assert!(o.status.success());
    assert_eq!(
        String::from_utf8_lossy(&o.stdout).trim(),
        format!("rapport {}", env!("CARGO_PKG_VERSION"))
    );
}
