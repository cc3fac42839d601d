//! The hand-written test papers under `tests/papers/<case>/`: each holds one
//! input file (any name, so a case can test the number-from-file-name rule)
//! and an `expected.yaml` whose first line names the real-world quirk it
//! covers. The expectation lists only the keys it asserts; inside lists,
//! each item lists only its asserted keys (see `common::subset_diff`). A
//! line `# council: NAME` reads the paper with that council profile
//! instead of the default.

mod common;

use std::path::PathBuf;

fn cases() -> Vec<PathBuf> {
    let dir = common::root().join("tests/papers");
    let mut out: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("tests/papers is readable")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.join("expected.yaml").is_file())
        .collect();
    out.sort();
    out
}

fn input_of(case: &std::path::Path) -> PathBuf {
    let mut inputs: Vec<PathBuf> = std::fs::read_dir(case)
        .expect("case dir is readable")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            let name = p.file_name().and_then(|n| n.to_str()).unwrap_or("");
            name != "expected.yaml" && !name.starts_with("README")
        })
        .collect();
    inputs.sort();
    assert_eq!(
        inputs.len(),
        1,
        "{}: exactly one input file",
        case.display()
    );
    inputs.remove(0)
}

#[test]
fn every_test_paper_matches_its_expectation() {
    let cases = cases();
    assert!(
        cases.len() >= 12,
        "at least twelve test papers, found {}",
        cases.len()
    );
    let mut failures = Vec::new();
    for case in &cases {
        let (name, expected, profile) = common::expectation(case);
        let record = common::read_with(&input_of(case), &profile);
        let actual = serde_json::to_value(&record).expect("record serialises");
        let mut diffs = Vec::new();
        common::subset_diff(&expected, &actual, &name, &mut diffs);
        failures.extend(diffs);
    }
    assert!(failures.is_empty(), "\n{}", failures.join("\n"));
}
