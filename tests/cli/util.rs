//! Shared helpers: run the binary, copy the corpus, read what it wrote.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

pub fn ratsdoc() -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_ratsdoc"));
    cmd.env_remove("RATSDOC_PAUSE_AT").env_remove("RATSDOC_LOG");
    cmd
}

pub fn corpus_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../corpus")
}

/// Runs to the end and returns the output; panics with both streams on a
/// crash of the test harness's own expectations only.
pub fn run(args: &[&str], cwd: &Path) -> Output {
    match ratsdoc().args(args).current_dir(cwd).output() {
        Ok(o) => o,
        Err(e) => panic!("cannot start ratsdoc: {e}"),
    }
}

/// `ratsdoc build <input> --data <data> [extra…]`, run from the input's
/// directory's parent.
pub fn build(input: &Path, data: &Path, extra: &[&str]) -> Output {
    let mut args = vec![
        "build",
        input.to_str().unwrap(),
        "--data",
        data.to_str().unwrap(),
    ];
    args.extend_from_slice(extra);
    run(&args, input.parent().unwrap_or(Path::new(".")))
}

pub fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

pub fn code(o: &Output) -> i32 {
    o.status.code().unwrap_or(-1)
}

/// Copies the text seeds (not the PDFs) into `dir/corpus`.
pub fn copy_text_corpus(dir: &Path) -> PathBuf {
    let to = dir.join("corpus");
    std::fs::create_dir_all(&to).unwrap();
    for entry in std::fs::read_dir(corpus_dir()).unwrap() {
        let p = entry.unwrap().path();
        if p.extension().is_some_and(|e| e == "txt" || e == "md") {
            std::fs::copy(&p, to.join(p.file_name().unwrap())).unwrap();
        }
    }
    to
}

pub fn report(data: &Path) -> serde_json::Value {
    let text = std::fs::read_to_string(data.join("report.json")).unwrap();
    serde_json::from_str(&text).unwrap()
}

/// Every file below `dir` with its length and modification time, to prove
/// that a run wrote nothing.
pub fn snapshot(dir: &Path) -> Vec<(String, u64, std::time::SystemTime)> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&d) else {
            continue;
        };
        for e in entries.flatten() {
            let p = e.path();
            let m = e.metadata().unwrap();
            if m.is_dir() {
                stack.push(p);
            } else {
                out.push((p.display().to_string(), m.len(), m.modified().unwrap()));
            }
        }
    }
    out.sort();
    out
}

/// `ratsdoc search --json` and the ids it returns, in rank order.
pub fn search_ids(data: &Path, query: &str) -> Vec<String> {
    search_ids_with(data, query, &[])
}

/// `ratsdoc search <query> --json --limit <limit>` with more options.
pub fn search_json(data: &Path, query: &str, limit: usize, options: &[&str]) -> Output {
    let limit = limit.to_string();
    let mut args = vec![
        "search",
        query,
        "--data",
        data.to_str().unwrap(),
        "--json",
        "--limit",
        &limit,
    ];
    args.extend_from_slice(options);
    run(&args, Path::new("."))
}

/// [`search_ids`] with more options (filters).
pub fn search_ids_with(data: &Path, query: &str, options: &[&str]) -> Vec<String> {
    let o = search_json(data, query, 50, options);
    assert_eq!(code(&o), 0, "search {query:?} failed: {}", stderr(&o));
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    v["hits"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["id"].as_str().unwrap().to_string())
        .collect()
}
