//! No import rings among the modules of a layer: within `src/storage` (and
//! any directory listed in `CHECKED`), no module imports one that imports
//! it back, directly or through others. A shared helper goes into its own
//! small module that both sides import.
//!
//! The check reads the source: every path through `super::` or `crate::`
//! that lands on a sibling module of the checked directory is an edge from
//! the module the file belongs to (a file in a subdirectory or a
//! `#[path]` test file belongs to the module that declares it). Test
//! modules are left out: they may use any helper. Adding a layer is one
//! line in `CHECKED`.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// The directories checked, with their module path from the crate root.
const CHECKED: &[(&str, &str)] = &[("src/storage", "storage")];

/// Module edges of one layer: module -> modules it imports.
type Graph = BTreeMap<String, BTreeSet<String>>;

/// The files of `dir` (recursively) with their module path segments below
/// the layer, e.g. `agenda.rs` -> `["agenda"]`, `io/backup.rs` ->
/// `["io", "backup"]`, `complaints_tests.rs` declared by `#[path]` in
/// `complaints.rs` -> `["complaints", "tests"]`.
fn files(dir: &Path) -> Vec<(PathBuf, Vec<String>)> {
    let mut out = Vec::new();
    walk(dir, &[], &mut out);
    // `#[path = "x.rs"] mod name;` moves x.rs under the declaring module.
    let mut moved: BTreeMap<PathBuf, Vec<String>> = BTreeMap::new();
    for (file, module) in &out {
        let text = std::fs::read_to_string(file).unwrap();
        let lines: Vec<&str> = text.lines().collect();
        for (i, line) in lines.iter().enumerate() {
            let Some(rest) = line.trim().strip_prefix("#[path = \"") else {
                continue;
            };
            let target = rest.split('"').next().unwrap();
            let name = lines
                .get(i + 1)
                .and_then(|l| l.trim().strip_prefix("mod "))
                .map(|l| l.trim_end_matches(';').trim().to_string())
                .unwrap_or_else(|| "tests".into());
            let mut m = module.clone();
            m.push(name);
            moved.insert(file.parent().unwrap().join(target), m);
        }
    }
    for (file, module) in &mut out {
        if let Some(m) = moved.get(file) {
            *module = m.clone();
        }
    }
    out
}

fn walk(dir: &Path, prefix: &[String], out: &mut Vec<(PathBuf, Vec<String>)>) {
    let mut entries: Vec<_> = std::fs::read_dir(dir).unwrap().map(|e| e.unwrap().path()).collect();
    entries.sort();
    for path in entries {
        let stem = path.file_stem().unwrap().to_string_lossy().to_string();
        let mut module = prefix.to_vec();
        if path.is_dir() {
            module.push(stem);
            walk(&path, &module, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            if stem != "mod" {
                module.push(stem);
            }
            out.push((path, module));
        }
    }
}

/// The first segments of every path the source names after `super::` or
/// `crate::`, resolved to absolute module paths (`["storage", "agenda"]`).
fn imported_paths(text: &str, module: &[String], layer: &str) -> Vec<Vec<String>> {
    let mut found = Vec::new();
    let code: String = text
        .lines()
        .map(|l| match l.find("//") {
            Some(i) => &l[..i],
            None => l,
        })
        .collect::<Vec<_>>()
        .join("\n");
    let bytes = code.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        let rest = &code[i..];
        let boundary =
            i == 0 || !(bytes[i - 1].is_ascii_alphanumeric() || bytes[i - 1] == b'_' || bytes[i - 1] == b':');
        if boundary && (rest.starts_with("super::") || rest.starts_with("crate::")) {
            let mut base: Vec<String> = std::iter::once(layer.to_string())
                .chain(module.iter().cloned())
                .collect();
            let mut j = i;
            if code[j..].starts_with("crate::") {
                base.clear();
                j += "crate::".len();
            } else {
                while code[j..].starts_with("super::") {
                    base.pop();
                    j += "super::".len();
                }
            }
            for tail in path_tails(&code[j..]) {
                let mut p = base.clone();
                p.extend(tail);
                found.push(p);
            }
            i = j;
        } else {
            i += rest.chars().next().map_or(1, char::len_utf8);
        }
    }
    found
}

/// The module paths named at the start of `s`: `a::b::C` -> `[[a, b, C]]`,
/// `{a, b::{c, d}}` -> `[[a], [b, c], [b, d]]` (enough segments to find the
/// module each names).
fn path_tails(s: &str) -> Vec<Vec<String>> {
    let s = s.trim_start();
    if let Some(inner) = s.strip_prefix('{') {
        let mut depth = 0;
        let mut end = inner.len();
        for (k, c) in inner.char_indices() {
            match c {
                '{' => depth += 1,
                '}' if depth == 0 => {
                    end = k;
                    break;
                }
                '}' => depth -= 1,
                _ => {}
            }
        }
        return split_top(&inner[..end]).into_iter().flat_map(path_tails).collect();
    }
    let mut segs = Vec::new();
    let mut rest = s;
    loop {
        let ident: String = rest.chars().take_while(|c| c.is_alphanumeric() || *c == '_').collect();
        if ident.is_empty() {
            break;
        }
        rest = &rest[ident.len()..];
        segs.push(ident);
        match rest.strip_prefix("::") {
            Some(r) if r.starts_with('{') => {
                return path_tails(r)
                    .into_iter()
                    .map(|t| segs.iter().cloned().chain(t).collect())
                    .collect();
            }
            Some(r) => rest = r,
            None => break,
        }
    }
    if segs.is_empty() { Vec::new() } else { vec![segs] }
}

/// Splits a `use` group at its top-level commas.
fn split_top(s: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let (mut depth, mut start) = (0, 0);
    for (k, c) in s.char_indices() {
        match c {
            '{' => depth += 1,
            '}' => depth -= 1,
            ',' if depth == 0 => {
                out.push(&s[start..k]);
                start = k + 1;
            }
            _ => {}
        }
    }
    out.push(&s[start..]);
    out
}

/// The import graph among the top-level modules of `dir`, the layer
/// `layer` of the crate.
fn graph(dir: &Path, layer: &str) -> Graph {
    let files = files(dir);
    let tops: BTreeSet<String> = files.iter().filter_map(|(_, m)| m.first().cloned()).collect();
    let mut g: Graph = tops.iter().map(|t| (t.clone(), BTreeSet::new())).collect();
    for (file, module) in &files {
        // Test modules may reach for any helper (the migration tests build
        // every earlier schema); the layering is that of the code that runs.
        if module.iter().any(|m| m == "tests") {
            continue;
        }
        let Some(from) = module.first() else { continue };
        let text = std::fs::read_to_string(file).unwrap();
        for p in imported_paths(&text, module, layer) {
            if p.first().map(String::as_str) != Some(layer) {
                continue;
            }
            if let Some(to) = p.get(1).filter(|to| tops.contains(*to) && *to != from) {
                g.get_mut(from).unwrap().insert(to.clone());
            }
        }
    }
    g
}

/// Every ring of the graph, each as the modules on it (one per strongly
/// connected component of more than one module).
fn rings(g: &Graph) -> Vec<Vec<String>> {
    let reach = |from: &str| {
        let mut seen = BTreeSet::new();
        let mut stack = vec![from.to_string()];
        while let Some(m) = stack.pop() {
            for n in g.get(&m).into_iter().flatten() {
                if seen.insert(n.clone()) {
                    stack.push(n.clone());
                }
            }
        }
        seen
    };
    let reached: BTreeMap<&String, BTreeSet<String>> = g.keys().map(|m| (m, reach(m))).collect();
    let mut out: Vec<Vec<String>> = Vec::new();
    for m in g.keys() {
        let ring: Vec<String> = g
            .keys()
            .filter(|n| reached[m].contains(*n) && reached[*n].contains(m))
            .cloned()
            .collect();
        if ring.len() > 1 && !out.contains(&ring) {
            out.push(ring);
        }
    }
    out
}

/// The edges of a ring, to say where it closes.
fn describe(g: &Graph, ring: &[String]) -> String {
    let mut lines = Vec::new();
    for m in ring {
        for n in &g[m] {
            if ring.contains(n) {
                lines.push(format!("{m} -> {n}"));
            }
        }
    }
    lines.join(", ")
}

#[test]
fn no_import_rings_among_the_modules_of_each_layer() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    for (dir, layer) in CHECKED {
        let g = graph(&root.join(dir), layer);
        assert!(g.len() > 3, "{dir}: found only {:?}", g.keys());
        let found = rings(&g);
        assert!(
            found.is_empty(),
            "{dir}: modules import each other in a ring: {}",
            found.iter().map(|r| describe(&g, r)).collect::<Vec<_>>().join("; ")
        );
    }
}

#[test]
fn the_check_finds_a_ring_and_reads_grouped_and_nested_imports() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::create_dir(d.join("sub")).unwrap();
    std::fs::write(d.join("mod.rs"), "mod a;\nmod b;\nmod c;\nmod sub;\nuse a::X;\n").unwrap();
    std::fs::write(d.join("a.rs"), "use super::{Store, b::{Y, Z}};\n").unwrap();
    std::fs::write(
        d.join("b.rs"),
        "// super::a is only named in a comment\nfn f() { super::c::g() }\n",
    )
    .unwrap();
    std::fs::write(d.join("c.rs"), "use crate::layer::sub::inner::W;\n").unwrap();
    std::fs::write(d.join("sub/mod.rs"), "mod inner;\n").unwrap();
    std::fs::write(
        d.join("sub/inner.rs"),
        "use super::super::Store;\n#[path = \"inner_more.rs\"]\nmod more;\n\
         #[cfg(test)]\n#[path = \"inner_tests.rs\"]\nmod tests;\n",
    )
    .unwrap();
    // A `#[path]` file is one level deeper than its place says.
    std::fs::write(d.join("sub/inner_more.rs"), "use super::super::super::a::X;\n").unwrap();
    // Test modules do not count.
    std::fs::write(d.join("sub/inner_tests.rs"), "use super::super::super::b::Y;\n").unwrap();
    let g = graph(d, "layer");
    let edges: Vec<(String, String)> = g
        .iter()
        .flat_map(|(m, ns)| ns.iter().map(move |n| (m.clone(), n.clone())))
        .collect();
    let e = |a: &str, b: &str| (a.to_string(), b.to_string());
    assert_eq!(edges, vec![e("a", "b"), e("b", "c"), e("c", "sub"), e("sub", "a")]);
    let found = rings(&g);
    assert_eq!(found, vec![vec!["a", "b", "c", "sub"]]);
    assert!(describe(&g, &found[0]).contains("sub -> a"));

    // Without the edge back to `a` there is no ring.
    std::fs::write(d.join("sub/inner_more.rs"), "use super::super::super::Store;\n").unwrap();
    assert!(rings(&graph(d, "layer")).is_empty());
}
