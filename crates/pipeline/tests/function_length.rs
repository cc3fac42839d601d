//! Keeps the driver readable: no function in `crates/pipeline/src` may
//! grow past [`LIMIT`] lines. A function is measured from its `fn` line to
//! the line that closes its body, found by counting braces outside string
//! and char literals and comments (enough for this crate's code; the test
//! fails loudly if a body never closes).

use std::path::{Path, PathBuf};

const LIMIT: usize = 100;

fn sources(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        panic!("cannot list {}", dir.display());
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            sources(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// Net braces a line opens, ignoring those in strings, chars and comments.
fn braces(line: &str) -> i64 {
    let mut depth = 0;
    let mut chars = line.chars().peekable();
    let mut in_string = false;
    while let Some(c) = chars.next() {
        match c {
            '\\' if in_string => {
                chars.next();
            }
            '"' => in_string = !in_string,
            '/' if !in_string && chars.peek() == Some(&'/') => break,
            '\'' if !in_string => {
                // A char literal ('{', '\n'); a lifetime has no closing quote
                // within three characters.
                let ahead: String = chars.clone().take(3).collect();
                if let Some(end) = ahead.find('\'') {
                    for _ in 0..=end {
                        chars.next();
                    }
                }
            }
            '{' if !in_string => depth += 1,
            '}' if !in_string => depth -= 1,
            _ => {}
        }
    }
    depth
}

fn is_fn_start(line: &str) -> bool {
    let t = line.trim_start();
    let t = t
        .strip_prefix("pub(crate) ")
        .or_else(|| t.strip_prefix("pub "))
        .unwrap_or(t);
    t.starts_with("fn ") && !t.trim_end().ends_with(';')
}

/// `(name, first line, length)` of every function in `text`.
fn functions(text: &str) -> Vec<(String, usize, usize)> {
    let lines: Vec<&str> = text.lines().collect();
    let mut found = Vec::new();
    for (start, line) in lines.iter().enumerate() {
        if !is_fn_start(line) {
            continue;
        }
        let name = line
            .trim_start()
            .split("fn ")
            .nth(1)
            .unwrap_or("")
            .split(['(', '<'])
            .next()
            .unwrap_or("")
            .to_string();
        let mut depth = 0;
        let mut opened = false;
        let mut end = None;
        for (i, l) in lines.iter().enumerate().skip(start) {
            depth += braces(l);
            opened |= l.contains('{');
            if opened && depth <= 0 {
                end = Some(i);
                break;
            }
        }
        let Some(end) = end else {
            panic!("the body of fn {name} at line {} never closes", start + 1);
        };
        found.push((name, start + 1, end - start + 1));
    }
    found
}

#[test]
fn no_driver_function_is_longer_than_the_limit() {
    let mut files = Vec::new();
    sources(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("src"),
        &mut files,
    );
    files.sort();
    assert!(!files.is_empty());
    let mut too_long = Vec::new();
    for file in &files {
        let text = std::fs::read_to_string(file).unwrap_or_default();
        for (name, line, len) in functions(&text) {
            if len > LIMIT {
                too_long.push(format!("{}:{line} fn {name}: {len} lines", file.display()));
            }
        }
    }
    assert!(
        too_long.is_empty(),
        "over {LIMIT} lines:\n{}",
        too_long.join("\n")
    );
}

#[test]
fn the_measure_counts_a_body_and_ignores_braces_in_literals() {
    let text = "fn a() {\n    let s = \"{{\";\n    let c = '{';\n    // {\n}\nfn b<'x>(v: &'x str) -> &'x str {\n    v\n}\n";
    assert_eq!(
        functions(text),
        [("a".to_string(), 1, 5), ("b".to_string(), 6, 3)]
    );
}
