//! `rapport completions SHELL` and `rapport man`: the completion scripts
//! and the manual pages, generated from the same clap definition that
//! parses the arguments, so they never drift from the commands.

use std::io::Write;
use std::path::Path;
use std::process::ExitCode;

use clap::CommandFactory;

use super::Cli;

/// The shells `rapport completions` writes a script for.
pub use clap_complete::Shell;

/// Prints the completion script for `shell` to standard output.
pub fn completions(shell: Shell) -> ExitCode {
    let mut cmd = Cli::command();
    let mut out = Vec::new();
    clap_complete::generate(shell, &mut cmd, "rapport", &mut out);
    emit(&out)
}

/// Every manual page: `rapport(1)` first, then one per command
/// (`rapport-import(1)` …), as (file name, roff source).
pub fn man_pages() -> std::io::Result<Vec<(String, Vec<u8>)>> {
    let mut cmd = Cli::command();
    cmd.build();
    let mut pages = Vec::new();
    let mut top = Vec::new();
    clap_mangen::Man::new(cmd.clone()).render(&mut top)?;
    pages.push(("rapport.1".to_string(), top));
    for sub in cmd.get_subcommands().filter(|s| !s.is_hide_set()) {
        // clap names are static; the process prints the pages and ends.
        let name: &'static str = Box::leak(format!("rapport-{}", sub.get_name()).into_boxed_str());
        let sub = sub.clone().name(name).display_name(name);
        let mut page = Vec::new();
        clap_mangen::Man::new(sub).render(&mut page)?;
        pages.push((format!("{name}.1"), page));
    }
    Ok(pages)
}

/// `rapport man`: every page to standard output (one roff stream that
/// `man -l -` shows page after page), or each page as a file in `dir`.
pub fn man(dir: Option<&Path>, lang: crate::i18n::Lang) -> ExitCode {
    let pages = match man_pages() {
        Ok(p) => p,
        Err(e) => return super::fail(e),
    };
    let Some(dir) = dir else {
        let all: Vec<u8> = pages.into_iter().flat_map(|(_, p)| p).collect();
        return emit(&all);
    };
    if let Err(e) = std::fs::create_dir_all(dir) {
        return super::fail(crate::i18n::tf(
            lang,
            "io.err.write",
            &[("path", &dir.display()), ("error", &e)],
        ));
    }
    for (name, page) in &pages {
        let path = dir.join(name);
        if let Err(e) = std::fs::write(&path, page) {
            return super::fail(crate::i18n::tf(
                lang,
                "io.err.write",
                &[("path", &path.display()), ("error", &e)],
            ));
        }
    }
    super::print(&crate::i18n::tf(
        lang,
        "tools.man_written",
        &[("n", &pages.len()), ("path", &dir.display())],
    ));
    ExitCode::SUCCESS
}

fn emit(bytes: &[u8]) -> ExitCode {
    let mut out = std::io::stdout().lock();
    // A closed pipe (`rapport man | head`) ends the output quietly.
    let _ = out.write_all(bytes).and_then(|_| out.flush());
    ExitCode::SUCCESS
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_page_for_the_program_and_for_every_command() {
        let pages = man_pages().unwrap();
        let names: Vec<&str> = pages.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(names[0], "rapport.1");
        for cmd in ["import", "export", "agenda", "add", "edit", "log", "completions", "man"] {
            assert!(names.contains(&format!("rapport-{cmd}.1").as_str()), "{names:?}");
        }
        let top = String::from_utf8(pages[0].1.clone()).unwrap();
        assert!(top.starts_with(".ie") || top.contains(".TH rapport 1"), "{top}");
        let log = &pages.iter().find(|(n, _)| n == "rapport-log.1").unwrap().1;
        let log = String::from_utf8_lossy(log);
        assert!(log.contains("\\-\\-next"), "{log}");
    }
}
