//! The core's architecture invariants, read off its source: the top-level modules import each
//! other without a circle, nothing imports back up into the wiring (`platform`) or the
//! backends' facade (`ports`), and the core starts no task.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};

fn src() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src")
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in fs::read_dir(dir).expect("read src") {
        let path = entry.expect("dir entry").path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The code without its unit tests (a test may reach anywhere) and without comments (a doc
/// link is not an import).
fn non_test(text: &str) -> String {
    let code = text.split("#[cfg(test)]").next().unwrap_or(text);
    code.lines()
        .filter(|line| !line.trim_start().starts_with("//"))
        .collect::<Vec<_>>()
        .join("\n")
}

/// `crate::NAME` references, with `crate::{A, B}` groups opened.
fn referenced(text: &str) -> BTreeSet<String> {
    let mut names = BTreeSet::new();
    let mut rest = text;
    while let Some(at) = rest.find("crate::") {
        rest = &rest[at + "crate::".len()..];
        if let Some(group) = rest.strip_prefix('{') {
            let inner = &group[..group.find('}').unwrap_or(group.len())];
            for part in inner.split(',') {
                let name: String = part
                    .trim()
                    .chars()
                    .take_while(|c| c.is_alphanumeric() || *c == '_')
                    .collect();
                names.insert(name);
            }
        } else {
            let name: String = rest
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_')
                .collect();
            names.insert(name);
        }
    }
    names
}

/// Top-level module of a file (`search/matching/x.rs` -> `search`), `None` for `lib.rs`.
fn top_module(file: &Path) -> Option<String> {
    let rel = file.strip_prefix(src()).expect("under src");
    let first = rel
        .components()
        .next()?
        .as_os_str()
        .to_string_lossy()
        .into_owned();
    let name = first.trim_end_matches(".rs").to_string();
    (name != "lib").then_some(name)
}

/// `pub use a::{b, c};` / `pub use a::b;` at the crate root: root names standing for a module.
fn root_aliases(lib: &str, modules: &BTreeSet<String>) -> BTreeMap<String, String> {
    let mut aliases = BTreeMap::new();
    for line in lib.lines() {
        let Some(rest) = line.trim().strip_prefix("pub use ") else {
            continue;
        };
        let Some((head, tail)) = rest.trim_end_matches(';').split_once("::") else {
            continue;
        };
        if !modules.contains(head) {
            continue;
        }
        for name in tail.trim_matches(|c| c == '{' || c == '}').split(',') {
            aliases.insert(name.trim().to_string(), head.to_string());
        }
    }
    aliases
}

fn module_graph() -> BTreeMap<String, BTreeSet<String>> {
    let mut files = Vec::new();
    rust_files(&src(), &mut files);
    let modules: BTreeSet<String> = files.iter().filter_map(|f| top_module(f)).collect();
    let lib = fs::read_to_string(src().join("lib.rs")).expect("lib.rs");
    let aliases = root_aliases(&lib, &modules);
    let mut graph: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for file in &files {
        let Some(from) = top_module(file) else {
            continue;
        };
        let text = fs::read_to_string(file).expect("read");
        for name in referenced(&non_test(&text)) {
            let to = aliases.get(&name).cloned().unwrap_or(name);
            if to != from && modules.contains(&to) {
                graph.entry(from.clone()).or_default().insert(to);
            }
        }
    }
    graph
}

/// A path from `from` back to itself, if there is one.
fn circle_through(graph: &BTreeMap<String, BTreeSet<String>>, from: &str) -> Option<Vec<String>> {
    let mut stack = vec![vec![from.to_string()]];
    let mut seen = BTreeSet::new();
    while let Some(path) = stack.pop() {
        let last = path.last().expect("non-empty").clone();
        for next in graph.get(&last).into_iter().flatten() {
            if next == from {
                return Some([path.clone(), vec![next.clone()]].concat());
            }
            if seen.insert(next.clone()) {
                stack.push([path.clone(), vec![next.clone()]].concat());
            }
        }
    }
    None
}

#[test]
fn the_module_graph_has_no_circle() {
    let graph = module_graph();
    assert!(
        graph
            .get("search")
            .is_some_and(|to| to.contains("marketplace")),
        "the reader sees the imports: {graph:?}"
    );
    let circles: Vec<_> = graph
        .keys()
        .filter_map(|m| circle_through(&graph, m))
        .collect();
    assert!(circles.is_empty(), "module circles: {circles:?}");
}

#[test]
fn nothing_imports_the_wiring_or_the_backends_facade() {
    let graph = module_graph();
    for (from, to) in &graph {
        if from != "platform" {
            assert!(!to.contains("platform"), "{from} imports platform");
            assert!(
                !to.contains("ports"),
                "{from} imports ports (import from the owning context)"
            );
        }
    }
}

#[test]
fn the_core_starts_no_task() {
    let mut files = Vec::new();
    rust_files(&src(), &mut files);
    for file in files {
        let text = fs::read_to_string(&file).expect("read");
        for banned in [
            // `spawn_blocking`, awaited where it is called, keeps CPU work off the async
            // threads and is not a task that outlives its caller.
            "tokio::spawn(",
            "task::spawn(",
            "std::thread::spawn",
            "thread::spawn(",
        ] {
            assert!(
                !non_test(&text).contains(banned),
                "{} calls {banned}",
                file.display()
            );
        }
    }
}
