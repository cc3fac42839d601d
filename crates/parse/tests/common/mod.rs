//! Shared helpers of the parse tests: read a file the way `ratsdoc build`
//! does (extractor, then parser), and compare a record with a hand-written
//! expectation that lists only the keys it asserts.

#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::time::Duration;

use ratsdoc_extract::{Extractor, ExtractorConfig};
use ratsdoc_model::{Record, Source, SourceFormat};
use serde_json::Value;

/// The workspace root (two levels above this crate).
pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// The seed file whose name starts with `prefix` ("000_") in `corpus/`.
pub fn seed(prefix: &str) -> PathBuf {
    let dir = root().join("corpus");
    let mut names: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("corpus/ is readable")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            p.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.starts_with(prefix))
        })
        .collect();
    names.sort();
    names.into_iter().next().expect("seed file exists")
}

/// Extracts and parses one file, as the build pipeline does (PDF workers off).
pub fn read(path: &Path) -> Record {
    read_with(path, ratsdoc_parse::Profile::chemnitz())
}

/// Reads a test file as a paper of the council `profile` describes.
pub fn read_with(path: &Path, profile: &ratsdoc_parse::Profile) -> Record {
    let (text, source) = extract(path);
    ratsdoc_parse::parse_with(&text, source, profile)
}

/// Reads a test file that may list several papers, as `parse_all` does.
pub fn read_all_with(path: &Path, profile: &ratsdoc_parse::Profile) -> Vec<Record> {
    let (text, source) = extract(path);
    ratsdoc_parse::parse_all(&text, source, profile)
}

/// A test file's clean text and its source, as the build pipeline makes
/// them (PDF workers off).
pub fn extract(path: &Path) -> (String, Source) {
    let bytes = std::fs::read(path).expect("test file is readable");
    let format = SourceFormat::from_path(path).unwrap_or(SourceFormat::Txt);
    let extractor = Extractor::new(ExtractorConfig {
        worker_exe: None,
        worker_args: Vec::new(),
        workers: 1,
        timeout: Duration::from_secs(30),
        memory_limit: 1 << 30,
    });
    let extracted = extractor
        .extract(path, &bytes, format)
        .expect("test file has text");
    let display = path
        .strip_prefix(root())
        .unwrap_or(path)
        .to_string_lossy()
        .replace('\\', "/");
    let source = Source {
        path: display,
        format,
        hash: blake3::hash(&bytes).to_hex().to_string(),
        pages: extracted.pages,
        extractor: Some(extracted.extractor),
        encoding: extracted.encoding,
    };
    (extracted.text, source)
}

/// Asserts that `actual` contains `expected`: objects by the keys
/// `expected` lists (a missing actual key counts as null), arrays element
/// by element with equal length, scalars by equality. Returns the paths of
/// all differences.
pub fn subset_diff(expected: &Value, actual: &Value, path: &str, out: &mut Vec<String>) {
    match (expected, actual) {
        (Value::Object(e), Value::Object(a)) => {
            for (k, ev) in e {
                let av = a.get(k).unwrap_or(&Value::Null);
                subset_diff(ev, av, &format!("{path}.{k}"), out);
            }
        }
        (Value::Object(e), Value::Null) if e.is_empty() => {}
        (Value::Array(e), Value::Array(a)) => {
            if e.len() != a.len() {
                out.push(format!(
                    "{path}: expected {} items, got {}: {}",
                    e.len(),
                    a.len(),
                    actual
                ));
                return;
            }
            for (i, (ev, av)) in e.iter().zip(a).enumerate() {
                subset_diff(ev, av, &format!("{path}[{i}]"), out);
            }
        }
        (Value::Array(e), Value::Null) if e.is_empty() => {}
        _ => {
            if expected != actual {
                out.push(format!("{path}: expected {expected}, got {actual}"));
            }
        }
    }
}

/// A golden case's expectation: its name, its `expected.yaml` (which must
/// open with a `# quirk: …` line that says what the case is about) and the
/// council profile its `# council: …` line names, else the default.
pub fn expectation(case: &Path) -> (String, Value, ratsdoc_parse::Profile) {
    let name = case
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or("?")
        .to_string();
    let text =
        std::fs::read_to_string(case.join("expected.yaml")).expect("expected.yaml is readable");
    assert!(
        text.starts_with("# quirk: "),
        "{name}: expected.yaml must open with a '# quirk: …' line"
    );
    let expected: Value =
        ratsdoc_model::yaml::from_str(&text).expect("expected.yaml is valid YAML");
    let council = text
        .lines()
        .find_map(|l| l.strip_prefix("# council: "))
        .unwrap_or(ratsdoc_parse::DEFAULT_PROFILE);
    let profile = match ratsdoc_parse::Profile::load(council.trim()) {
        Ok(profile) => profile,
        Err(e) => panic!("{name}: {e}"),
    };
    (name, expected, profile)
}
