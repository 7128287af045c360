//! No import rings among the modules of a layer: within each directory of
//! `src` (`src/app`, `src/storage`, `src/domain`, `src/ui`, ...), no module
//! imports one that imports it back, directly or through others. A shared
//! helper goes into its own small module that both sides import.
//!
//! The check reads the source: every path through `super::` or `crate::`
//! that lands on a module of the checked directory is an edge from the
//! module the file belongs to (a file in a subdirectory or a `#[path]`
//! file belongs to the module that declares it). A name the directory's
//! root (`mod.rs`) re-exports or imports (`pub use action::Action;`) counts
//! as the module it comes from; the root itself, where everything meets,
//! is not a node. Test modules are left out: they may use any helper.
//! Every directory of `src` is checked; a new one is checked as it
//! appears.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// Layers whose modules still import each other in a ring, with the ring:
/// they are reported, not failed, until it is broken (and then the check
/// fails until the layer leaves this list, so it stays checked from then).
const KNOWN_RINGS: &[(&str, &str)] = &[("domain", "account -> customer -> account, qualification -> customer")];

/// The layers checked: every directory of `src`, with its module name.
fn layers(src: &Path) -> Vec<(PathBuf, String)> {
    let mut out: Vec<(PathBuf, String)> = std::fs::read_dir(src)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir())
        .map(|p| {
            let name = p.file_name().unwrap().to_string_lossy().to_string();
            (p, name)
        })
        .collect();
    out.sort();
    out
}

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

/// The source without its test items: each `#[cfg(test)]` item (a `mod
/// tests { ... }` block, a `mod tests;` line, a test-only function) is
/// left out.
fn without_tests(text: &str) -> String {
    let mut out = String::new();
    let mut rest = text;
    while let Some(i) = rest.find("#[cfg(test)]") {
        out.push_str(&rest[..i]);
        rest = &rest[i + "#[cfg(test)]".len()..];
        // The item ends at its first `;` or with its block.
        let semi = rest.find(';');
        let brace = rest.find('{');
        match (semi, brace) {
            (Some(s), Some(b)) if s < b => rest = &rest[s + 1..],
            (_, Some(b)) => {
                let mut depth = 0;
                let mut end = rest.len();
                for (k, c) in rest[b..].char_indices() {
                    match c {
                        '{' => depth += 1,
                        '}' => {
                            depth -= 1;
                            if depth == 0 {
                                end = b + k + 1;
                                break;
                            }
                        }
                        _ => {}
                    }
                }
                rest = &rest[end..];
            }
            (Some(s), None) => rest = &rest[s + 1..],
            (None, None) => rest = "",
        }
    }
    out.push_str(rest);
    out
}

/// Names a layer's root re-exports or imports from its own modules, and
/// the module each comes from: `pub use seam::{Change, Effect};` gives
/// `Change -> seam`, `Effect -> seam`.
fn reexports(root: &str) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    for line in root.lines() {
        let l = line.trim();
        let Some(rest) = l.strip_prefix("pub use ").or_else(|| l.strip_prefix("use ")) else {
            continue;
        };
        let Some((module, names)) = rest.trim_end_matches(';').split_once("::") else {
            continue;
        };
        if ["crate", "std", "super", "self"].contains(&module) {
            continue;
        }
        for n in names.trim_matches(|c| c == '{' || c == '}').split(',') {
            let n = n.trim();
            if !n.is_empty() && !n.contains("::") {
                out.insert(n.to_string(), module.to_string());
            }
        }
    }
    out
}

/// The import graph among the top-level modules of `dir`, the layer
/// `layer` of the crate.
fn graph(dir: &Path, layer: &str) -> Graph {
    let files = files(dir);
    let names = match std::fs::read_to_string(dir.join("mod.rs")) {
        Ok(root) => reexports(&root),
        Err(_) => BTreeMap::new(),
    };
    let tops: BTreeSet<String> = files.iter().filter_map(|(_, m)| m.first().cloned()).collect();
    let mut g: Graph = tops.iter().map(|t| (t.clone(), BTreeSet::new())).collect();
    for (file, module) in &files {
        // Test modules may reach for any helper (the migration tests build
        // every earlier schema); the layering is that of the code that runs.
        if module.iter().any(|m| m == "tests") {
            continue;
        }
        let Some(from) = module.first() else { continue };
        let text = without_tests(&std::fs::read_to_string(file).unwrap());
        for p in imported_paths(&text, module, layer) {
            if p.first().map(String::as_str) != Some(layer) {
                continue;
            }
            let to = p.get(1).map(|n| names.get(n).unwrap_or(n));
            if let Some(to) = to.filter(|to| tops.contains(*to) && *to != from) {
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
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let checked = layers(&src);
    let names: Vec<&str> = checked.iter().map(|(_, l)| l.as_str()).collect();
    // The two layers with the most modules are among them.
    assert!(names.contains(&"app") && names.contains(&"storage"), "{names:?}");
    let mut failures = Vec::new();
    for (dir, layer) in &checked {
        let g = graph(dir, layer);
        if layer == "app" || layer == "storage" {
            assert!(g.len() > 10, "{layer}: found only {:?}", g.keys());
            // Names the root re-exports resolve to their module
            // (`super::Action` is `action`, `SCHEMA_VERSION` `migrations`).
            let via_root = if layer == "app" { "action" } else { "migrations" };
            assert!(g.values().flatten().any(|n| n == via_root), "{layer}: {g:?}");
        }
        let found = rings(&g);
        let known = KNOWN_RINGS.iter().any(|(l, _)| l == layer);
        if known && found.is_empty() {
            failures.push(format!("src/{layer}: no ring any more; remove it from KNOWN_RINGS"));
        } else if known {
            eprintln!("src/{layer}: known ring: {}", describe(&g, &found[0]));
        } else {
            for r in found {
                failures.push(format!("src/{layer}: {}", describe(&g, &r)));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "modules import each other in a ring:\n{}",
        failures.join("\n")
    );
}

/// The layers themselves: each top-level module of `src` (a directory or a
/// file) and the layers it names through `crate::`.
fn top_graph(src: &Path) -> Graph {
    let mut g = Graph::new();
    let mut entries: Vec<PathBuf> = std::fs::read_dir(src).unwrap().map(|e| e.unwrap().path()).collect();
    entries.sort();
    let tops: BTreeSet<String> = entries
        .iter()
        .filter(|p| p.is_dir() || p.extension().is_some_and(|e| e == "rs"))
        .map(|p| p.file_stem().unwrap().to_string_lossy().to_string())
        .filter(|n| n != "lib" && n != "main")
        .collect();
    for top in &tops {
        let dir = src.join(top);
        let files: Vec<PathBuf> = if dir.is_dir() {
            files(&dir).into_iter().map(|(f, _)| f).collect()
        } else {
            vec![src.join(format!("{top}.rs"))]
        };
        let set = g.entry(top.clone()).or_default();
        for f in files {
            if f.to_string_lossy().contains("tests") {
                continue;
            }
            // Only `crate::` paths cross layers (`super::` stays inside).
            let text = without_tests(&std::fs::read_to_string(&f).unwrap()).replace("super::", "_::");
            for p in imported_paths(&text, &[], "") {
                if let Some(to) = p.first().filter(|t| tops.contains(*t) && *t != top) {
                    set.insert(to.clone());
                }
            }
        }
    }
    g
}

/// A ring among the layers that is known and still to be broken: the
/// search index reads the store, and the store refreshes search keys.
const KNOWN_TOP_RINGS: &[&str] = &["search", "storage"];

#[test]
fn the_layers_import_in_one_direction() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let g = top_graph(&src);
    // The screen's layers: the UI reads the app, never the other way.
    assert!(g["ui"].contains("app"), "{:?}", g["ui"]);
    assert!(!g["app"].contains("ui"), "src/app imports src/ui: {:?}", g["app"]);
    let found = rings(&g);
    let unknown: Vec<String> = found
        .iter()
        .filter(|r| r.iter().any(|m| !KNOWN_TOP_RINGS.contains(&m.as_str())))
        .map(|r| describe(&g, r))
        .collect();
    assert!(
        unknown.is_empty(),
        "layers import each other in a ring: {}",
        unknown.join("; ")
    );
    assert!(
        !found.is_empty(),
        "no ring among the layers any more: empty KNOWN_TOP_RINGS"
    );
    for r in &found {
        eprintln!("src: known ring: {}", describe(&g, r));
    }
}

#[test]
fn the_check_finds_a_ring_and_reads_grouped_and_nested_imports() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::create_dir(d.join("sub")).unwrap();
    std::fs::write(
        d.join("mod.rs"),
        "mod a;\nmod b;\nmod c;\nmod sub;\nmod e;\nmod f;\nuse a::X;\npub use f::{Named, Other};\n",
    )
    .unwrap();
    // A name the root re-exports counts as its module; an inline test
    // module and a test-only item do not count.
    std::fs::write(
        d.join("e.rs"),
        "use super::Named;\n#[cfg(test)]\nfn helper() { super::a::X; }\n#[cfg(test)]\nmod tests {\n    use super::super::b::Y;\n    fn t() { if true { } }\n}\nfn after() { super::c::g() }\n",
    )
    .unwrap();
    std::fs::write(d.join("f.rs"), "pub struct Named;\n").unwrap();
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
    assert_eq!(
        edges,
        vec![
            e("a", "b"),
            e("b", "c"),
            e("c", "sub"),
            e("e", "c"),
            e("e", "f"),
            e("sub", "a")
        ]
    );
    let found = rings(&g);
    assert_eq!(found, vec![vec!["a", "b", "c", "sub"]]);
    assert!(describe(&g, &found[0]).contains("sub -> a"));

    // Without the edge back to `a` there is no ring.
    std::fs::write(d.join("sub/inner_more.rs"), "use super::super::super::Store;\n").unwrap();
    assert!(rings(&graph(d, "layer")).is_empty());
}
