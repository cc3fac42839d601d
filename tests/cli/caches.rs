//! The build's own derived files (`manifest.bin`, `link-cache-<hash>.bin`):
//! losing or damaging them costs time, never correctness.

use std::path::{Path, PathBuf};

use crate::util::*;

/// The one link cache the last run left.
fn link_cache(data: &Path) -> PathBuf {
    let caches: Vec<PathBuf> = std::fs::read_dir(data)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| {
            p.file_name()
                .unwrap()
                .to_string_lossy()
                .starts_with("link-cache")
        })
        .collect();
    assert_eq!(caches.len(), 1, "{caches:?}");
    caches.into_iter().next().unwrap()
}

fn status_json(data: &Path) -> String {
    let o = run(
        &[
            "status",
            "--data",
            data.to_str().unwrap(),
            "--as-of",
            "2021-01-01",
            "--json",
        ],
        Path::new("."),
    );
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    stdout(&o)
}

#[test]
fn status_reads_the_cache_and_falls_back_to_the_records() {
    let tmp = tempfile::tempdir().unwrap();
    let corpus = copy_text_corpus(tmp.path());
    let data = tmp.path().join("data");
    assert_eq!(code(&build(&corpus, &data, &[])), 0);
    let cache = link_cache(&data);
    assert!(data.join("manifest.bin").is_file());

    let from_cache = status_json(&data);
    let verdicts: serde_json::Value = serde_json::from_str(&from_cache).unwrap();
    assert_eq!(verdicts[0]["id"], "BA-044/2020");
    assert_eq!(verdicts[0]["status"], "answered_late");
    assert_eq!(verdicts[0]["answered_by"], "I-051/2020");

    // Damaged: one byte flipped in the payload.
    let mut bytes = std::fs::read(&cache).unwrap();
    let last = bytes.len() - 1;
    bytes[last] ^= 0x01;
    std::fs::write(&cache, &bytes).unwrap();
    assert_eq!(status_json(&data), from_cache);

    // Not the last complete run's cache (a killed run wrote another one):
    // a valid file whose hash the manifest does not name.
    let other = tmp.path().join("other");
    let corpus_other = tmp.path().join("corpus-other");
    std::fs::create_dir_all(&corpus_other).unwrap();
    std::fs::copy(
        corpus.join("000_e399952ef18a924d.txt"),
        corpus_other.join("ba.txt"),
    )
    .unwrap();
    assert_eq!(code(&build(&corpus_other, &other, &[])), 0);
    std::fs::copy(link_cache(&other), &cache).unwrap();
    assert_eq!(status_json(&data), from_cache);

    // Gone.
    std::fs::remove_file(&cache).unwrap();
    assert_eq!(status_json(&data), from_cache);
    let shown = run(
        &[
            "show",
            "BA-044/2020",
            "--data",
            data.to_str().unwrap(),
            "--json",
        ],
        Path::new("."),
    );
    assert_eq!(code(&shown), 0, "{}", stderr(&shown));
    let shown: serde_json::Value = serde_json::from_str(&stdout(&shown)).unwrap();
    assert_eq!(shown["answered_by"][0]["answer"], "I-051/2020");
}

#[test]
fn a_lost_cache_and_a_lost_record_are_rebuilt_on_the_next_change() {
    let tmp = tempfile::tempdir().unwrap();
    let corpus = copy_text_corpus(tmp.path());
    let data = tmp.path().join("data");
    assert_eq!(code(&build(&corpus, &data, &[])), 0);
    let links = std::fs::read(data.join("links.yaml")).unwrap();
    let motion = std::fs::read(data.join("records/BA-044-2020.yaml")).unwrap();

    std::fs::remove_file(link_cache(&data)).unwrap();
    std::fs::remove_file(data.join("records/BA-044-2020.yaml")).unwrap();
    // Another file changes, so the run links again: it must read what the
    // cache lacked from the records, and parse the paper whose record is gone.
    let press = std::fs::read_dir(&corpus)
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| !std::fs::read_to_string(p).unwrap().contains("BA-044/2020"))
        .unwrap();
    let mut text = std::fs::read_to_string(&press).unwrap();
    text.push_str("\nNachtrag.\n");
    std::fs::write(&press, text).unwrap();
    let o = build(&corpus, &data, &[]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert!(stdout(&o).contains("1 changed"), "{}", stdout(&o));
    assert_eq!(
        std::fs::read(data.join("records/BA-044-2020.yaml")).unwrap(),
        motion
    );
    assert_eq!(std::fs::read(data.join("links.yaml")).unwrap(), links);
    link_cache(&data);
    let verdicts: serde_json::Value = serde_json::from_str(&status_json(&data)).unwrap();
    assert_eq!(verdicts[0]["status"], "answered_late");
}

#[test]
fn a_damaged_manifest_means_a_full_rebuild_not_a_failure() {
    let tmp = tempfile::tempdir().unwrap();
    let corpus = copy_text_corpus(tmp.path());
    let data = tmp.path().join("data");
    assert_eq!(code(&build(&corpus, &data, &[])), 0);
    let records = snapshot(&data.join("records"));
    std::fs::write(data.join("manifest.bin"), b"ratsdoc manifest\n\x01").unwrap();
    let o = build(&corpus, &data, &[]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert!(stdout(&o).contains("5 added"), "{}", stdout(&o));
    // Same records, byte for byte: nothing rewritten that did not change.
    assert_eq!(snapshot(&data.join("records")), records);
    assert_eq!(search_ids(&data, "Prävention")[0], "I-051/2020");
}

/// Ids found for `query` among motions of report status `status`.
fn search_with_status(data: &Path, query: &str, status: &str) -> Vec<String> {
    search_ids_with(data, query, &["--status", status])
}

fn edit(path: &Path, f: impl FnOnce(String) -> String) {
    let text = std::fs::read_to_string(path).unwrap();
    std::fs::write(path, f(text)).unwrap();
}

/// A build that logs what it decided.
fn build_logged(corpus: &Path, data: &Path) -> std::process::Output {
    ratsdoc()
        .args([
            "build",
            corpus.to_str().unwrap(),
            "--data",
            data.to_str().unwrap(),
        ])
        .env("RATSDOC_LOG", "ratsdoc_pipeline=info")
        .output()
        .unwrap()
}

const MOTION: &str = "000_e399952ef18a924d.txt";

#[test]
fn a_change_that_leaves_what_linking_reads_keeps_links_verdicts_and_cache() {
    let tmp = tempfile::tempdir().unwrap();
    let corpus = copy_text_corpus(tmp.path());
    let data = tmp.path().join("data");
    assert_eq!(code(&build(&corpus, &data, &[])), 0);
    let cache = link_cache(&data);
    let cache_written = std::fs::metadata(&cache).unwrap().modified().unwrap();
    let links = std::fs::read(data.join("links.yaml")).unwrap();
    let verdicts = status_json(&data);

    // A sentence added at the end of the motion: no number, date, title or
    // deadline of it changes.
    edit(&corpus.join(MOTION), |text| {
        text + "\nDie Einreicher bitten um Beachtung der Stellungnahme des Seniorenbeirates.\n"
    });
    let o = build_logged(&corpus, &data);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert!(stdout(&o).contains("1 changed"), "{}", stdout(&o));
    assert!(
        stderr(&o).contains("links and verdicts kept"),
        "{}",
        stderr(&o)
    );

    let record = std::fs::read_to_string(data.join("records/BA-044-2020.yaml")).unwrap();
    assert!(record.contains("Seniorenbeirates"), "the record is new");
    assert_eq!(link_cache(&data), cache, "the same cache is named");
    assert_eq!(
        std::fs::metadata(&cache).unwrap().modified().unwrap(),
        cache_written,
        "and not written again"
    );
    assert_eq!(std::fs::read(data.join("links.yaml")).unwrap(), links);
    assert_eq!(status_json(&data), verdicts);
    // The index has the new text, with the verdict the motion had.
    assert_eq!(
        search_with_status(&data, "Seniorenbeirat", "answered_late"),
        ["BA-044/2020"]
    );
}

#[test]
fn a_change_of_what_linking_reads_links_and_judges_again() {
    let tmp = tempfile::tempdir().unwrap();
    let corpus = copy_text_corpus(tmp.path());
    let data = tmp.path().join("data");
    assert_eq!(code(&build(&corpus, &data, &[])), 0);
    let cache = link_cache(&data);

    // The answer names the motion's subject; a motion on another subject
    // is not answered by it any more.
    edit(&corpus.join(MOTION), |text| {
        text.replace(
            "Ein Jahr Allianz Sichere Sächsische Kommunen (ASSKomm) - Bilanz für Chemnitz",
            "Radverkehrskonzept für den Stadtteil Kaßberg",
        )
    });
    let o = build_logged(&corpus, &data);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert!(stdout(&o).contains("0 links"), "{}", stdout(&o));
    assert!(
        !stderr(&o).contains("links and verdicts kept"),
        "{}",
        stderr(&o)
    );
    assert_ne!(link_cache(&data), cache, "a new cache");
    let verdicts: serde_json::Value = serde_json::from_str(&status_json(&data)).unwrap();
    assert_eq!(verdicts[0]["id"], "BA-044/2020");
    assert_eq!(verdicts[0]["status"], "overdue");
    assert_eq!(
        search_with_status(&data, "Radverkehrskonzept", "overdue"),
        ["BA-044/2020"]
    );
}
