//! `ratsdoc build` on corpus/: records, report, incremental runs.

use std::path::Path;

use crate::util::*;

#[test]
fn corpus_build_writes_seed_records_and_marks_the_rest_other() {
    let tmp = tempfile::tempdir().unwrap();
    let corpus = copy_text_corpus(tmp.path());
    let data = tmp.path().join("data");
    let o = build(&corpus, &data, &[]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let line = stdout(&o);
    assert!(
        line.starts_with("ratsdoc build: 5 files: 2 papers, 3 other, 0 errors"),
        "{line}"
    );
    assert!(data.join("records/BA-044-2020.yaml").is_file());
    assert!(data.join("records/I-051-2020.yaml").is_file());
    let report = report(&data);
    let files = report["files"].as_array().unwrap();
    assert_eq!(files.len(), 5);
    let outcomes: Vec<&str> = files
        .iter()
        .map(|f| f["outcome"].as_str().unwrap())
        .collect();
    assert_eq!(outcomes, ["record", "record", "other", "other", "other"]);
    assert_eq!(files[0]["id"], "BA-044/2020");
    assert_eq!(files[1]["id"], "I-051/2020");

    let shown = run(
        &["show", "BA 44/2020", "--data", data.to_str().unwrap()],
        tmp.path(),
    );
    assert_eq!(code(&shown), 0, "{}", stderr(&shown));
    assert!(stdout(&shown).contains("id: BA-044/2020"));
    let missing = run(
        &["show", "BA-999/2020", "--data", data.to_str().unwrap()],
        tmp.path(),
    );
    assert_eq!(code(&missing), 2);
    assert!(stderr(&missing).contains("BA-999/2020"));
}

#[test]
fn every_record_validates_against_the_checked_in_schema() {
    let tmp = tempfile::tempdir().unwrap();
    let corpus = copy_text_corpus(tmp.path());
    let data = tmp.path().join("data");
    let o = build(&corpus, &data, &[]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let schema_text = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../schemas/record.schema.json"),
    )
    .unwrap();
    let schema: serde_json::Value = serde_json::from_str(&schema_text).unwrap();
    let validator = jsonschema::validator_for(&schema).unwrap();
    let mut n = 0;
    for entry in std::fs::read_dir(data.join("records")).unwrap() {
        let path = entry.unwrap().path();
        let text = std::fs::read_to_string(&path).unwrap();
        let record: ratsdoc_model::Record = ratsdoc_model::yaml::from_str(&text).unwrap();
        let value = serde_json::to_value(&record).unwrap();
        let errors: Vec<String> = validator
            .iter_errors(&value)
            .map(|e| e.to_string())
            .collect();
        assert!(errors.is_empty(), "{}: {errors:?}", path.display());
        n += 1;
    }
    assert_eq!(n, 5);
}

#[test]
fn rebuild_is_incremental_and_deterministic() {
    let tmp = tempfile::tempdir().unwrap();
    let corpus = copy_text_corpus(tmp.path());
    let data = tmp.path().join("data");
    assert_eq!(code(&build(&corpus, &data, &[])), 0);
    let records_before = snapshot(&data.join("records"));
    let index_before = snapshot(&data.join("index"));
    let links_before = std::fs::read(data.join("links.yaml")).unwrap();

    // Nothing changed: nothing parsed, nothing written to records or index.
    let o = build(&corpus, &data, &[]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert!(
        stdout(&o).contains("0 added, 0 changed, 0 removed, 5 unchanged"),
        "{}",
        stdout(&o)
    );
    assert_eq!(snapshot(&data.join("records")), records_before);
    assert_eq!(snapshot(&data.join("index")), index_before);
    assert_eq!(
        std::fs::read(data.join("links.yaml")).unwrap(),
        links_before
    );

    // Touching a file without changing it re-hashes but does not re-parse.
    let seed = corpus.join("000_e399952ef18a924d.txt");
    let bytes = std::fs::read(&seed).unwrap();
    std::fs::write(&seed, &bytes).unwrap();
    let o = build(&corpus, &data, &[]);
    assert!(stdout(&o).contains("5 unchanged"), "{}", stdout(&o));
    assert_eq!(snapshot(&data.join("records")), records_before);

    // One changed file, one removed, one added.
    let mut changed = String::from_utf8(bytes).unwrap();
    changed.push_str("\nNachtrag: Die Allianz wird im Ausschuss erneut beraten.\n");
    std::fs::write(&seed, changed).unwrap();
    std::fs::remove_file(corpus.join("002_665ba588ecc49418.txt")).unwrap();
    std::fs::write(
        corpus.join("new.md"),
        "# Pressemitteilung\n\nDie Stadt lädt zum Spielplatzfest ein.\n",
    )
    .unwrap();
    let o = build(&corpus, &data, &[]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert!(
        stdout(&o).contains("1 added, 1 changed, 1 removed, 3 unchanged"),
        "{}",
        stdout(&o)
    );
    let report = report(&data);
    let removed: Vec<&serde_json::Value> = report["files"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["change"] == "removed")
        .collect();
    assert_eq!(removed.len(), 1);
    let removed_id = removed[0]["id"].as_str().unwrap();
    let stem = ratsdoc_model::number::id_to_file_stem(removed_id);
    assert!(
        !data.join(format!("records/{stem}.yaml")).exists(),
        "record of a removed file is gone"
    );

    // A second, fresh build of the same inputs gives byte-identical records.
    let data2 = tmp.path().join("data2");
    assert_eq!(code(&build(&corpus, &data2, &[])), 0);
    for entry in std::fs::read_dir(data.join("records")).unwrap() {
        let p = entry.unwrap().path();
        let twin = data2.join("records").join(p.file_name().unwrap());
        assert_eq!(
            std::fs::read(&p).unwrap(),
            std::fs::read(&twin).unwrap(),
            "{}",
            p.display()
        );
    }
}

#[test]
fn json_and_quiet_summaries_for_cron() {
    let tmp = tempfile::tempdir().unwrap();
    let corpus = copy_text_corpus(tmp.path());
    let data = tmp.path().join("data");
    let o = build(&corpus, &data, &["--json", "--quiet"]);
    assert_eq!(code(&o), 0);
    let v: serde_json::Value = serde_json::from_str(stdout(&o).trim()).unwrap();
    assert_eq!(v["totals"]["files"], 5);
    assert_eq!(v["totals"]["errors"], 0);
    assert_eq!(
        stderr(&o),
        "",
        "quiet run with no errors prints nothing on stderr"
    );
}

#[test]
fn usage_errors_exit_2() {
    let tmp = tempfile::tempdir().unwrap();
    assert_eq!(code(&run(&["build"], tmp.path())), 2);
    assert_eq!(code(&run(&["frobnicate"], tmp.path())), 2);
    assert_eq!(
        code(&run(
            &["show", "BA-1/2020", "--data", "nowhere"],
            tmp.path()
        )),
        2
    );
}

/// Nothing changed but the date: the verdicts are judged again and reach the
/// index (a pending report turns overdue overnight without any new file).
#[test]
fn a_later_as_of_date_rejudges_without_any_changed_file() {
    let tmp = tempfile::tempdir().unwrap();
    let corpus = copy_text_corpus(tmp.path());
    let data = tmp.path().join("data");
    let status_of = |data: &std::path::Path| {
        let o = run(
            &[
                "search",
                "BA-044/2020",
                "--data",
                data.to_str().unwrap(),
                "--json",
            ],
            tmp.path(),
        );
        let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
        v["hits"][0]["status"]
            .as_str()
            .unwrap_or("none")
            .to_string()
    };
    assert_eq!(code(&build(&corpus, &data, &["--as-of", "2020-08-01"])), 0);
    assert_eq!(status_of(&data), "pending");
    let index_before = snapshot(&data.join("index"));
    let o = build(&corpus, &data, &["--as-of", "2020-08-01"]);
    assert!(stdout(&o).contains("9 unchanged") || stdout(&o).contains("5 unchanged"));
    assert_eq!(
        snapshot(&data.join("index")),
        index_before,
        "same day, nothing to do"
    );
    assert_eq!(code(&build(&corpus, &data, &["--as-of", "2021-01-01"])), 0);
    assert_eq!(status_of(&data), "answered_late");
}

#[test]
fn a_damaged_record_is_named_with_its_repair_and_full_writes_it_again() {
    let tmp = tempfile::tempdir().unwrap();
    let corpus = copy_text_corpus(tmp.path());
    let data = tmp.path().join("data");
    assert_eq!(code(&build(&corpus, &data, &[])), 0);
    let path = data.join("records/BA-044-2020.yaml");
    let good = std::fs::read(&path).unwrap();
    std::fs::write(&path, "id: [BA-044/2020\n").unwrap();

    let shown = run(
        &["show", "BA-044/2020", "--data", data.to_str().unwrap()],
        Path::new("."),
    );
    assert_ne!(code(&shown), 0);
    let message = stderr(&shown);
    assert!(message.contains("BA-044-2020.yaml"), "{message}");
    assert!(message.contains("ratsdoc build --full"), "{message}");

    let o = build(&corpus, &data, &["--full"]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    // Every file was parsed again, and every file is what it was.
    assert!(
        stdout(&o).contains("0 added, 0 changed, 0 removed, 5 unchanged"),
        "{}",
        stdout(&o)
    );
    assert_eq!(std::fs::read(&path).unwrap(), good);
    let shown = run(
        &["show", "BA-044/2020", "--data", data.to_str().unwrap()],
        Path::new("."),
    );
    assert_eq!(code(&shown), 0, "{}", stderr(&shown));
}
