//! The layers of ARCHITECTURE.md, checked on the source: no file refers to a layer above
//! its own, and no two files refer to each other through `crate::`/`super::` paths, even
//! indirectly (a cycle would mean two concerns that cannot be read, or changed, apart).

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// The layers, bottom first: each top-level module of `src/` and the layer it belongs to.
const LAYERS: &[(&str, &[&str])] = &[
    (
        "core",
        &[
            "counter",
            "lock",
            "queue",
            "pool",
            "error",
            "pause",
            "step",
            "sync",
            "data_race",
            "words",
        ],
    ),
    ("check", &["check"]),
    ("teaching", &["checked", "teach"]),
    ("presentation", &["render", "measure"]),
];

/// A module path (`["check", "rt", "engine"]`) and the file that holds it.
type Modules = BTreeMap<Vec<String>, PathBuf>;

fn modules() -> Modules {
    fn walk(dir: &Path, prefix: &[String], out: &mut Modules) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            let name = path.file_stem().unwrap().to_str().unwrap().to_string();
            if path.is_dir() {
                let mut p = prefix.to_vec();
                p.push(name);
                walk(&path, &p, out);
            } else if path.extension().is_some_and(|e| e == "rs") {
                let mut p = prefix.to_vec();
                if name != "mod" && name != "lib" {
                    p.push(name);
                }
                out.insert(p, path);
            }
        }
    }
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut out = Modules::new();
    walk(&src, &[], &mut out);
    // The binary's modules are not part of the library.
    out.retain(|m, _| m.first().is_none_or(|top| top != "cli" && top != "main"));
    out
}

/// The code of a file without its comments (line comments and doc comments).
fn code(path: &Path) -> String {
    std::fs::read_to_string(path)
        .unwrap()
        .lines()
        .map(|l| match l.find("//") {
            Some(i) => &l[..i],
            None => l,
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// Every module a file refers to with a `crate::`, `super::` or `self::` path (a `{...}`
/// group counts each of its items).
fn references(module: &[String], text: &str, all: &Modules) -> BTreeSet<Vec<String>> {
    let mut out = BTreeSet::new();
    let bytes = text.as_bytes();
    for start in ["crate::", "super::", "self::"] {
        let mut from = 0;
        while let Some(i) = text[from..].find(start) {
            let at = from + i;
            from = at + start.len();
            if at > 0 && (bytes[at - 1].is_ascii_alphanumeric() || bytes[at - 1] == b'_') {
                continue;
            }
            // The path: identifiers and `::`, then maybe a `{...}` group.
            let rest = &text[at..];
            let end = rest
                .find(|c: char| !(c.is_alphanumeric() || c == '_' || c == ':'))
                .unwrap_or(rest.len());
            let path: Vec<&str> = rest[..end].split("::").filter(|s| !s.is_empty()).collect();
            let mut base: Vec<String> = match path[0] {
                "crate" => Vec::new(),
                "self" => module.to_vec(),
                // `super` of a mod.rs is the parent of its directory's module, as elsewhere.
                _ => module[..module.len().saturating_sub(1)].to_vec(),
            };
            let mut parts = &path[1..];
            while parts.first() == Some(&"super") {
                base.pop();
                parts = &parts[1..];
            }
            let mut targets =
                vec![[base.clone(), parts.iter().map(|s| s.to_string()).collect()].concat()];
            if rest[end..].starts_with('{') {
                let group = &rest[end + 1..rest[end..].find('}').map_or(end + 1, |j| end + j)];
                for item in group.split(',') {
                    let item = item.trim().split([' ', ':']).next().unwrap_or("");
                    if !item.is_empty() && item != "self" {
                        let mut t = targets[0].clone();
                        t.push(item.to_string());
                        targets.push(t);
                    }
                }
            }
            for t in targets {
                // The longest prefix that is a module file.
                for k in (1..=t.len()).rev() {
                    if all.contains_key(&t[..k]) {
                        if t[..k] != *module {
                            out.insert(t[..k].to_vec());
                        }
                        break;
                    }
                }
            }
        }
    }
    out
}

fn layer(module: &[String]) -> usize {
    let top = module.first().map_or("", String::as_str);
    LAYERS
        .iter()
        .position(|(_, tops)| tops.contains(&top))
        .unwrap_or_else(|| panic!("src/{top}: not in any layer of tests/check/architecture.rs"))
}

fn graph() -> BTreeMap<Vec<String>, BTreeSet<Vec<String>>> {
    let all = modules();
    all.iter()
        .filter(|(m, _)| !m.is_empty())
        .map(|(m, path)| (m.clone(), references(m, &code(path), &all)))
        .collect()
}

#[test]
fn no_file_refers_to_a_layer_above_its_own() {
    let mut wrong = Vec::new();
    for (from, tos) in graph() {
        for to in tos {
            if layer(&to) > layer(&from) {
                wrong.push(format!(
                    "src/{} ({}) refers to crate::{} ({})",
                    from.join("/"),
                    LAYERS[layer(&from)].0,
                    to.join("::"),
                    LAYERS[layer(&to)].0
                ));
            }
        }
    }
    assert!(wrong.is_empty(), "upward references:\n{}", wrong.join("\n"));
}

#[test]
fn no_two_files_refer_to_each_other() {
    // Tarjan's strongly connected components.
    let g = graph();
    let names: Vec<&Vec<String>> = g.keys().collect();
    let index_of: BTreeMap<&Vec<String>, usize> =
        names.iter().enumerate().map(|(i, m)| (*m, i)).collect();
    let edges: Vec<Vec<usize>> = names
        .iter()
        .map(|m| {
            g[*m]
                .iter()
                .filter_map(|t| index_of.get(t).copied())
                .collect()
        })
        .collect();
    struct State {
        index: Vec<Option<usize>>,
        low: Vec<usize>,
        on: Vec<bool>,
        stack: Vec<usize>,
        next: usize,
        cycles: Vec<Vec<usize>>,
    }
    fn strong(v: usize, edges: &[Vec<usize>], s: &mut State) {
        s.index[v] = Some(s.next);
        s.low[v] = s.next;
        s.next += 1;
        s.stack.push(v);
        s.on[v] = true;
        for &w in &edges[v] {
            match s.index[w] {
                None => {
                    strong(w, edges, s);
                    s.low[v] = s.low[v].min(s.low[w]);
                }
                Some(i) if s.on[w] => s.low[v] = s.low[v].min(i),
                Some(_) => {}
            }
        }
        if Some(s.low[v]) == s.index[v] {
            let mut component = Vec::new();
            loop {
                let w = s.stack.pop().unwrap();
                s.on[w] = false;
                component.push(w);
                if w == v {
                    break;
                }
            }
            if component.len() > 1 {
                s.cycles.push(component);
            }
        }
    }
    let n = names.len();
    let mut s = State {
        index: vec![None; n],
        low: vec![0; n],
        on: vec![false; n],
        stack: Vec::new(),
        next: 0,
        cycles: Vec::new(),
    };
    for v in 0..n {
        if s.index[v].is_none() {
            strong(v, &edges, &mut s);
        }
    }
    let cycles: Vec<String> = s
        .cycles
        .iter()
        .map(|c| {
            c.iter()
                .map(|&i| format!("src/{}", names[i].join("/")))
                .collect::<Vec<_>>()
                .join(" <-> ")
        })
        .collect();
    assert!(
        cycles.is_empty(),
        "files that refer to each other:\n{}",
        cycles.join("\n")
    );
}

/// The checks above see the references they are meant to see.
#[test]
fn references_are_found_in_paths_and_groups() {
    let all = modules();
    let m = |s: &str| s.split('/').map(String::from).collect::<Vec<_>>();
    let found = references(
        &m("check/rt/engine"),
        "use super::graph::{Graph, label::Label};\nuse crate::words::group;\nlet _ = crate::check::rt::in_execution();",
        &all,
    );
    assert!(found.contains(&m("check/rt/graph")), "{found:?}");
    assert!(found.contains(&m("words")), "{found:?}");
    assert!(found.contains(&m("check/rt")), "{found:?}");
    assert_eq!(layer(&m("teach/explore")), 2);
}
