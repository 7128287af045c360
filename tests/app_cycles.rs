//! The modules of `src/app` import in one direction: no ring.
//!
//! Reads the sources, takes every path a file names through `super::`,
//! `super::super::` or `crate::app::` (grouped `use` lists included, test
//! modules left out), resolves names the root re-exports (`Action`,
//! `Change`, ...) to the module that defines them, and fails on any
//! strongly connected group of two or more modules. The root (`mod.rs`,
//! which holds `App` and the list of panes) is where everything meets and
//! is not a node.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// Each file of `src/app` but the root: the top-level module it belongs
/// to, the path prefix that names the root from inside it (`super::` or
/// `super::super::`), and its text.
fn files(root: &Path) -> Vec<(String, String, String)> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(root).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_stem().unwrap().to_string_lossy().to_string();
        if path.is_dir() {
            for f in walk(&path) {
                // `x/mod.rs` is the module itself; `x/y.rs` its child.
                let depth = f.strip_prefix(&path).unwrap().components().count() - 1
                    + usize::from(f.file_stem().is_some_and(|s| s != "mod"));
                let text = without_tests(&std::fs::read_to_string(&f).unwrap());
                out.push((name.clone(), "super::".repeat(depth + 1), text));
            }
        } else if name != "mod" && path.extension().is_some_and(|e| e == "rs") {
            let text = without_tests(&std::fs::read_to_string(&path).unwrap());
            out.push((name, "super::".to_string(), text));
        }
    }
    out
}

fn walk(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut files = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let p = entry.unwrap().path();
        if p.is_dir() {
            files.extend(walk(&p));
        } else if p.extension().is_some_and(|e| e == "rs") {
            files.push(p);
        }
    }
    files
}

/// The file without its test module and comments.
fn without_tests(text: &str) -> String {
    let code = match text.find("#[cfg(test)]") {
        Some(i) => &text[..i],
        None => text,
    };
    code.lines()
        .filter(|l| !l.trim_start().starts_with("//"))
        .collect::<Vec<_>>()
        .join("\n")
}

/// Names the root module re-exports or imports, and the module each comes from.
fn reexports(mod_rs: &str) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    for line in mod_rs.lines() {
        let l = line.trim();
        let Some(rest) = l.strip_prefix("pub use ").or_else(|| l.strip_prefix("use ")) else {
            continue;
        };
        let Some((module, names)) = rest.trim_end_matches(';').split_once("::") else {
            continue;
        };
        if module == "crate" || module == "std" || module == "chrono" || module == "super" {
            continue;
        }
        for n in names.trim_matches(|c| c == '{' || c == '}').split(',') {
            let n = n.trim();
            if !n.is_empty() {
                out.insert(n.to_string(), module.to_string());
            }
        }
    }
    out
}

/// The first identifier of each item of a path tail: `agenda::x` gives
/// `agenda`; `{Action, form::Form}` gives `Action` and `form`.
fn heads(tail: &str) -> Vec<String> {
    let tail = tail.trim_start();
    if let Some(inner) = tail.strip_prefix('{') {
        let mut depth = 1;
        let mut end = inner.len();
        for (i, c) in inner.char_indices() {
            match c {
                '{' => depth += 1,
                '}' => {
                    depth -= 1;
                    if depth == 0 {
                        end = i;
                        break;
                    }
                }
                _ => {}
            }
        }
        let mut out = Vec::new();
        let mut depth = 0;
        let mut item = String::new();
        for c in inner[..end].chars() {
            match c {
                '{' => depth += 1,
                '}' => depth -= 1,
                ',' if depth == 0 => {
                    out.extend(heads(&item));
                    item.clear();
                    continue;
                }
                _ => {}
            }
            item.push(c);
        }
        out.extend(heads(&item));
        return out;
    }
    let id: String = tail.chars().take_while(|c| c.is_alphanumeric() || *c == '_').collect();
    if id.is_empty() { vec![] } else { vec![id] }
}

/// The modules each module names.
fn edges(files: &[(String, String, String)], names: &BTreeMap<String, String>) -> BTreeMap<String, BTreeSet<String>> {
    let mods: BTreeSet<&str> = files.iter().map(|(m, _, _)| m.as_str()).collect();
    let mut out: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for (m, up, text) in files {
        let set = out.entry(m.clone()).or_default();
        for prefix in ["crate::app::", up.as_str()] {
            let mut rest = text.as_str();
            while let Some(i) = rest.find(prefix) {
                let before = &rest[..i];
                rest = &rest[i + prefix.len()..];
                // Only this exact number of `super::`.
                if prefix.starts_with("super") && (before.ends_with("super::") || rest.starts_with("super::")) {
                    continue;
                }
                for head in heads(rest) {
                    let target = if mods.contains(head.as_str()) {
                        Some(head)
                    } else {
                        names.get(&head).cloned()
                    };
                    if let Some(t) = target.filter(|t| t != m && mods.contains(t.as_str())) {
                        set.insert(t);
                    }
                }
            }
        }
    }
    out
}

/// Strongly connected groups of two or more modules (Tarjan).
fn rings(g: &BTreeMap<String, BTreeSet<String>>) -> Vec<Vec<String>> {
    struct T<'a> {
        g: &'a BTreeMap<String, BTreeSet<String>>,
        index: BTreeMap<&'a str, usize>,
        low: BTreeMap<&'a str, usize>,
        stack: Vec<&'a str>,
        on: BTreeSet<&'a str>,
        next: usize,
        out: Vec<Vec<String>>,
    }
    fn visit<'a>(t: &mut T<'a>, v: &'a str) {
        t.index.insert(v, t.next);
        t.low.insert(v, t.next);
        t.next += 1;
        t.stack.push(v);
        t.on.insert(v);
        for w in t.g.get(v).into_iter().flatten() {
            let w = w.as_str();
            if !t.index.contains_key(w) {
                visit(t, w);
                let lw = t.low[w];
                let lv = t.low.get_mut(v).unwrap();
                *lv = (*lv).min(lw);
            } else if t.on.contains(w) {
                let iw = t.index[w];
                let lv = t.low.get_mut(v).unwrap();
                *lv = (*lv).min(iw);
            }
        }
        if t.low[v] == t.index[v] {
            let mut group = Vec::new();
            loop {
                let w = t.stack.pop().unwrap();
                t.on.remove(w);
                group.push(w.to_string());
                if w == v {
                    break;
                }
            }
            if group.len() > 1 {
                group.sort();
                t.out.push(group);
            }
        }
    }
    let mut t = T {
        g,
        index: BTreeMap::new(),
        low: BTreeMap::new(),
        stack: Vec::new(),
        on: BTreeSet::new(),
        next: 0,
        out: Vec::new(),
    };
    for v in g.keys() {
        if !t.index.contains_key(v.as_str()) {
            visit(&mut t, v);
        }
    }
    t.out
}

#[test]
fn the_modules_of_app_import_in_one_direction() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/app");
    let names = reexports(&std::fs::read_to_string(root.join("mod.rs")).unwrap());
    let g = edges(&files(&root), &names);
    let found = rings(&g);
    let detail: Vec<String> = found
        .iter()
        .map(|group| {
            let inner: Vec<String> = group
                .iter()
                .map(|m| {
                    let to: Vec<&str> = g[m].iter().filter(|t| group.contains(t)).map(|s| s.as_str()).collect();
                    format!("{m} -> {}", to.join(", "))
                })
                .collect();
            inner.join("; ")
        })
        .collect();
    assert!(found.is_empty(), "import rings in src/app:\n{}", detail.join("\n"));
}

#[test]
fn the_checker_sees_a_ring() {
    let file = |m: &str, up: &str, text: &str| (m.to_string(), up.to_string(), text.to_string());
    let files = [
        file("a", "super::", "use super::b::X;"),
        file("b", "super::", "use super::{Thing, c};"),
        file("c", "super::", "fn f() { crate::app::Action::Quit; }"),
        // A child of `d` naming its own parent's sibling, and its sibling.
        file("d", "super::super::", "use super::super::a; use super::b::Y;"),
        file("action", "super::", "use super::b::Cmd;"),
    ];
    let names = reexports("pub use action::Action;\nuse form::Form;");
    let g = edges(&files, &names);
    assert_eq!(rings(&g), vec![vec!["action", "b", "c"]]);
    assert_eq!(g["d"], BTreeSet::from(["a".to_string()]));
}
