//! `ratsdoc search` on the edges: a query with nothing to search for exits
//! 64 with a sentence instead of listing every paper, `*` lists them all,
//! and a damaged index exits 2 with the command that rebuilds it.

use std::path::Path;

use crate::util::*;

fn search(data: &Path, query: &str) -> std::process::Output {
    run(
        &["search", query, "--data", data.to_str().unwrap(), "--json"],
        Path::new("."),
    )
}

#[test]
fn nothing_to_search_for_exits_64_and_star_lists_every_paper() {
    let tmp = tempfile::tempdir().unwrap();
    let corpus = copy_text_corpus(tmp.path());
    let data = tmp.path().join("data");
    assert_eq!(code(&build(&corpus, &data, &["--quiet"])), 0);

    for query in ["", "und", "der die das", "🙂", "?!"] {
        let o = search(&data, query);
        assert_eq!(code(&o), 64, "{query:?}: {}", stdout(&o));
        assert_eq!(stdout(&o), "", "{query:?}");
        assert!(
            stderr(&o).contains("nothing to search for"),
            "{query:?}: {}",
            stderr(&o)
        );
    }
    let o = search(&data, "*");
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    let records = std::fs::read_dir(data.join("records")).unwrap().count();
    assert_eq!(v["total"].as_u64(), Some(records as u64));
}

#[test]
fn a_damaged_index_exits_2_and_says_how_to_rebuild() {
    let tmp = tempfile::tempdir().unwrap();
    let corpus = copy_text_corpus(tmp.path());
    let data = tmp.path().join("data");
    assert_eq!(code(&build(&corpus, &data, &["--quiet"])), 0);
    let index = data.join("index");
    let live = std::fs::read_to_string(index.join("CURRENT")).unwrap();
    for entry in std::fs::read_dir(index.join(live.trim())).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "term") {
            std::fs::write(&path, b"cut short").unwrap();
        }
    }
    let o = search(&data, "Prävention");
    assert_eq!(code(&o), 2);
    let message = stderr(&o);
    assert!(message.contains("damaged or incomplete"), "{message}");
    assert!(
        message.contains(&format!("ratsdoc build <CORPUS> --data {}", data.display())),
        "{message}"
    );
}

#[test]
fn the_result_filter_and_a_void_request_end_to_end() {
    let tmp = tempfile::tempdir().unwrap();
    let corpus = tmp.path().join("corpus");
    std::fs::create_dir_all(&corpus).unwrap();
    let papers = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/papers");
    for case in ["decision_minutes_excerpt", "decision_result_columns"] {
        std::fs::copy(
            papers.join(case).join("input.txt"),
            corpus.join(format!("{case}.txt")),
        )
        .unwrap();
    }
    let data = tmp.path().join("data");
    assert_eq!(code(&build(&corpus, &data, &["--quiet"])), 0);
    let d = data.to_str().unwrap();
    let ids = |result: &str| search_ids_with(&data, "*", &["--result", result]);
    assert_eq!(ids("abgelehnt"), ["BA-052/2021"]);
    assert_eq!(ids("beschlossen"), ["BA-031/2021"]);
    assert!(ids("vertagt").is_empty());
    let bad = run(
        &["search", "*", "--data", d, "--result", "gewonnen"],
        Path::new("."),
    );
    assert_ne!(code(&bad), 0);
    assert!(stderr(&bad).contains("unknown result"), "{}", stderr(&bad));

    // The rejected motion asked for a report in the IV. Quartal 2021: as of
    // 2022 it is void, not overdue.
    let o = run(
        &[
            "status",
            "BA-052/2021",
            "--data",
            d,
            "--as-of",
            "2022-06-01",
            "--json",
        ],
        Path::new("."),
    );
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    let verdict = if v.is_array() { v[0].clone() } else { v };
    assert_eq!(verdict["status"], "void", "{verdict}");
    assert_eq!(verdict["days"], serde_json::Value::Null);
}
