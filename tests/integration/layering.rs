//! The module layering of `src/`, checked from the source text: data flows one way
//! (docs/design.md, "Module order"), so a top-level module may import only modules that stand
//! before it in [`ORDER`], and no two modules may import each other, however indirectly.
//!
//! The check reads every `.rs` file, strips comments and string literals, and collects the
//! first segment of every `crate::` path (`use crate::a::b`, `crate::a::f()` in expressions and
//! types, and each item of `use crate::{a, b::c}`). `super::` never leaves a module, so it is
//! not an edge. `lib.rs` and `main.rs` are the root, which may name every module.

use std::collections::{BTreeMap, BTreeSet, VecDeque};
use std::path::{Path, PathBuf};

/// The data flow, lowest first: a module may import only modules before it. A module with no
/// files under `src/` is fine (modules are added by planned work before they exist).
const ORDER: &[&str] = &[
    "exit", "text", "rules", "phone", "input", "history", "report", "audit", "cli", "commands", "fuzzing",
];

/// One `crate::` path found in a file: the top-level module it names, and where.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Import {
    target: String,
    line: usize,
}

/// An edge between top-level modules, with the first place that makes it.
#[derive(Debug, Clone)]
struct Edge {
    file: String,
    line: usize,
}

/// Edges `from -> to` (self-edges dropped), each with its first evidence.
type Graph = BTreeMap<String, BTreeMap<String, Edge>>;

#[test]
fn no_cycle_between_top_level_modules() {
    let graph = graph();
    let cycles = cycles(&graph);
    assert!(
        cycles.is_empty(),
        "cycles between top-level modules (each must be broken: the data flows one way):\n{}",
        cycles.join("\n")
    );
}

#[test]
fn modules_import_only_modules_before_them() {
    let graph = graph();
    let mut problems = Vec::new();
    let modules: BTreeSet<&String> = graph.keys().chain(graph.values().flat_map(BTreeMap::keys)).collect();
    for module in modules {
        if !ORDER.contains(&module.as_str()) {
            problems.push(format!(
                "  module `{module}` is not in the order: place it in ORDER in tests/integration/layering.rs \
                 (and in docs/design.md, \"Module order\")"
            ));
        }
    }
    for (from, targets) in &graph {
        for (to, edge) in targets {
            if let (Some(f), Some(t)) = (rank(from), rank(to))
                && t > f
            {
                problems.push(format!(
                    "  {from} imports {to} ({}:{}), but {to} stands later in the data flow",
                    edge.file, edge.line
                ));
            }
        }
    }
    assert!(
        problems.is_empty(),
        "layering violations (allowed order, lowest first: {}):\n{}",
        ORDER.join(", "),
        problems.join("\n")
    );
}

fn rank(module: &str) -> Option<usize> {
    ORDER.iter().position(|m| *m == module)
}

/// The import graph of `src/`.
fn graph() -> Graph {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut graph = Graph::new();
    for path in rust_files(&src) {
        let rel = path.strip_prefix(&src).unwrap();
        let Some(module) = module_of(rel) else { continue };
        let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let node = graph.entry(module.clone()).or_default();
        for import in imports(&text) {
            if import.target != module {
                let file = format!("src/{}", rel.display());
                node.entry(import.target).or_insert(Edge {
                    file,
                    line: import.line,
                });
            }
        }
    }
    graph
}

/// Every `.rs` file under `dir`, sorted so messages are stable.
fn rust_files(dir: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(dir) = pending.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                pending.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                files.push(path);
            }
        }
    }
    files.sort();
    files
}

/// The top-level module a file under `src/` belongs to; `None` for the root files.
fn module_of(rel: &Path) -> Option<String> {
    let mut parts = rel.components();
    let first = parts.next()?.as_os_str().to_str()?;
    if parts.next().is_some() {
        return Some(first.to_string());
    }
    match first {
        "lib.rs" | "main.rs" => None,
        file => Some(file.strip_suffix(".rs")?.to_string()),
    }
}

/// The top-level modules named by `crate::` paths in `source`, in order, with their lines.
fn imports(source: &str) -> Vec<Import> {
    let code = strip(source);
    let bytes = code.as_bytes();
    let mut found = Vec::new();
    let mut from = 0;
    while let Some(at) = code[from..].find("crate::").map(|i| i + from) {
        from = at + "crate::".len();
        let preceded = at > 0 && (bytes[at - 1].is_ascii_alphanumeric() || bytes[at - 1] == b'_');
        if preceded {
            continue;
        }
        let line = code[..at].matches('\n').count() + 1;
        let rest = code[from..].trim_start();
        let targets = match rest.strip_prefix('{') {
            Some(group) => group_heads(group),
            None => ident(rest).into_iter().collect(),
        };
        for target in targets.into_iter().filter(|t| t != "self") {
            found.push(Import { target, line });
        }
    }
    found
}

/// The first path segment of each item of a `{...}` group (its opening brace already
/// consumed): `a::b, c, d::{e, f}}` gives a, c, d.
fn group_heads(group: &str) -> Vec<String> {
    let mut heads = Vec::new();
    let mut depth = 0usize;
    let mut item_start = true;
    for (i, c) in group.char_indices() {
        match c {
            '{' => depth += 1,
            '}' if depth == 0 => break,
            '}' => depth -= 1,
            ',' if depth == 0 => item_start = true,
            c if item_start && !c.is_whitespace() => {
                item_start = false;
                heads.extend(ident(&group[i..]));
            }
            _ => {}
        }
    }
    heads
}

/// The identifier `text` starts with, if any.
fn ident(text: &str) -> Option<String> {
    let end = text
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .unwrap_or(text.len());
    let word = &text[..end];
    (!word.is_empty() && !word.starts_with(|c: char| c.is_ascii_digit())).then(|| word.to_string())
}

/// `source` with comments, string literals and char literals blanked out (newlines kept, so
/// line numbers hold). Rough on purpose: it only has to keep prose from counting as imports.
fn strip(source: &str) -> String {
    let chars: Vec<char> = source.chars().collect();
    let mut out = String::with_capacity(source.len());
    let mut i = 0;
    while i < chars.len() {
        let skip = match (chars[i], chars.get(i + 1).copied()) {
            ('/', Some('/')) => Some(line_comment(&chars, i)),
            ('/', Some('*')) => Some(block_comment(&chars, i)),
            ('"', _) => Some(string_end(&chars, i + 1)),
            ('r', Some('"' | '#')) if starts_word(&chars, i) => raw_string(&chars, i),
            ('b', Some('"')) if starts_word(&chars, i) => Some(string_end(&chars, i + 2)),
            ('\'', _) => char_literal(&chars, i),
            _ => None,
        };
        if let Some(end) = skip {
            for &c in &chars[i..end] {
                out.push(if c == '\n' { '\n' } else { ' ' });
            }
            i = end;
        } else {
            out.push(chars[i]);
            i += 1;
        }
    }
    out
}

fn starts_word(chars: &[char], i: usize) -> bool {
    i == 0 || !(chars[i - 1].is_alphanumeric() || chars[i - 1] == '_')
}

fn line_comment(chars: &[char], i: usize) -> usize {
    chars[i..]
        .iter()
        .position(|&c| c == '\n')
        .map_or(chars.len(), |p| i + p)
}

fn block_comment(chars: &[char], i: usize) -> usize {
    let mut depth = 0usize;
    let mut j = i;
    while j + 1 < chars.len() {
        match (chars[j], chars[j + 1]) {
            ('/', '*') => {
                depth += 1;
                j += 2;
            }
            ('*', '/') => {
                depth -= 1;
                j += 2;
                if depth == 0 {
                    return j;
                }
            }
            _ => j += 1,
        }
    }
    chars.len()
}

/// The end of an ordinary string whose body starts at `i` (backslash escapes honoured).
fn string_end(chars: &[char], mut i: usize) -> usize {
    while i < chars.len() {
        match chars[i] {
            '\\' => i += 2,
            '"' => return i + 1,
            _ => i += 1,
        }
    }
    chars.len()
}

fn raw_string(chars: &[char], i: usize) -> Option<usize> {
    let hashes = chars[i + 1..].iter().take_while(|&&c| c == '#').count();
    if chars.get(i + 1 + hashes) != Some(&'"') {
        return None; // `r#ident`, not a string
    }
    let body = i + 2 + hashes;
    let close = (body..chars.len())
        .find(|&j| chars[j] == '"' && chars[j + 1..].iter().take(hashes).filter(|&&c| c == '#').count() == hashes);
    Some(close.map_or(chars.len(), |j| j + 1 + hashes))
}

/// A char literal (`'"'`, `'\n'`, `'\''`); `None` for a lifetime (`'a`).
fn char_literal(chars: &[char], i: usize) -> Option<usize> {
    match (chars.get(i + 1), chars.get(i + 2), chars.get(i + 3)) {
        (Some('\\'), _, _) => (i + 3..chars.len().min(i + 12))
            .find(|&j| chars[j] == '\'')
            .map(|j| j + 1),
        (Some(_), Some('\''), _) => Some(i + 3),
        _ => None,
    }
}

/// Every cycle, one line each (`a -> b -> a`), with the place each step is made.
fn cycles(graph: &Graph) -> Vec<String> {
    let mut seen: BTreeSet<BTreeSet<String>> = BTreeSet::new();
    let mut lines = Vec::new();
    for start in graph.keys() {
        let Some(path) = shortest_cycle(graph, start) else {
            continue;
        };
        let members: BTreeSet<String> = path.iter().cloned().collect();
        if !seen.insert(members) {
            continue;
        }
        let steps: Vec<String> = path
            .windows(2)
            .map(|w| {
                let edge = &graph[&w[0]][&w[1]];
                format!("{} -> {} ({}:{})", w[0], w[1], edge.file, edge.line)
            })
            .collect();
        lines.push(format!("  {}\n      {}", path.join(" -> "), steps.join("\n      ")));
    }
    lines
}

/// The shortest path `start -> ... -> start`, by breadth-first search.
fn shortest_cycle(graph: &Graph, start: &str) -> Option<Vec<String>> {
    let mut parent: BTreeMap<String, String> = BTreeMap::new();
    let mut queue: VecDeque<String> = VecDeque::from([start.to_string()]);
    while let Some(node) = queue.pop_front() {
        for next in graph.get(&node).into_iter().flat_map(BTreeMap::keys) {
            if next == start {
                // Walk back from `node` to `start` (the one node without a parent).
                let mut path = vec![node.clone()];
                while let Some(p) = parent.get(path.last().unwrap()) {
                    path.push(p.clone());
                }
                path.reverse();
                path.push(start.to_string());
                return Some(path);
            }
            if !parent.contains_key(next) && next != start {
                parent.insert(next.clone(), node.clone());
                queue.push_back(next.clone());
            }
        }
    }
    None
}

/// The checker's own parser and cycle search, on small inputs.
mod parser {
    use super::*;

    fn targets(source: &str) -> Vec<String> {
        imports(source).into_iter().map(|i| i.target).collect()
    }

    #[test]
    fn groups_yield_the_head_of_every_item() {
        assert_eq!(targets("use crate::{a::b, c};"), ["a", "c"]);
        assert_eq!(
            targets("use crate::{\n    a::{b, c::d},\n    self,\n    e,\n};"),
            ["a", "e"]
        );
    }

    #[test]
    fn paths_in_expressions_and_types_count() {
        let source = "fn f(x: &crate::audit::Outcome) -> u8 { crate::exit::ExitStatus::Success.code() }";
        assert_eq!(targets(source), ["audit", "exit"]);
        assert_eq!(targets("use crate::phone::Lang;\nuse super::x;"), ["phone"]);
        assert_eq!(imports("\n\nuse crate::rules;")[0].line, 3);
    }

    #[test]
    fn comments_strings_and_lookalikes_do_not_count() {
        let source = r##"
//! see crate::audit for more
/// Uses crate::report.
// crate::history
/* crate::input /* nested crate::cli */ */
let s = "crate::commands";
let r = r#"crate::phone "quoted" "#;
let c = '"'; let q = '\''; use crate::exit;
pub(crate) fn x<'a>(v: &'a str) {}
let y = mycrate::text;
"##;
        assert_eq!(targets(source), ["exit"]);
    }

    #[test]
    fn files_belong_to_their_top_level_module() {
        assert_eq!(module_of(Path::new("audit/x.rs")).as_deref(), Some("audit"));
        assert_eq!(module_of(Path::new("exit.rs")).as_deref(), Some("exit"));
        assert_eq!(module_of(Path::new("lib.rs")), None);
        assert_eq!(module_of(Path::new("main.rs")), None);
    }

    #[test]
    fn cycles_are_found_and_printed_once() {
        let edge = || Edge {
            file: "src/x.rs".into(),
            line: 1,
        };
        let mut graph = Graph::new();
        graph.entry("a".into()).or_default().insert("b".into(), edge());
        graph.entry("b".into()).or_default().insert("c".into(), edge());
        graph.entry("c".into()).or_default().insert("a".into(), edge());
        graph.entry("d".into()).or_default().insert("a".into(), edge());
        let found = cycles(&graph);
        assert_eq!(found.len(), 1, "{found:?}");
        assert!(found[0].starts_with("  a -> b -> c -> a\n"), "{}", found[0]);
    }
}
