//! The run history in `<DATA>/history.bin` as `ratsdoc digest` and
//! `ratsdoc status --due-within` show it: what a run changed, nothing for a
//! run that changed nothing, the same after `kill -9`, and a damaged file
//! repaired by the next build.

use crate::lock::start_paused;
use crate::util::*;

const NEW_MOTION: &str = "Beschlussantrag Nr. BA-101/2021\n\nEinreicher:\n\nSPD-Fraktion\n\nGegenstand:\n\nSpielplatzoffensive Kaßberg\n\nBeschlussvorschlag:\n\nDie Stadtverwaltung wird beauftragt, bis zum 31.12.2021 ein Konzept für neue Spielplätze vorzulegen.\n";

fn digest(data: &std::path::Path, format: &str) -> String {
    let o = run(
        &[
            "digest",
            "--data",
            data.to_str().unwrap(),
            "--since",
            "1d",
            "--format",
            format,
            "--as-of",
            "2021-12-20",
        ],
        data.parent().unwrap(),
    );
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    stdout(&o)
}

#[test]
fn digest_lists_what_the_runs_changed_and_a_quiet_night_adds_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let corpus = copy_text_corpus(tmp.path());
    let data = tmp.path().join("data");
    assert_eq!(code(&build(&corpus, &data, &["--as-of", "2021-01-01"])), 0);
    let text = digest(&data, "text");
    assert!(
        text.contains("Neue Dokumente (2; 0 geändert, 0 entfernt)"),
        "{text}"
    );
    assert!(
        text.contains("  - BA-044/2020 – Ein Jahr Allianz"),
        "{text}"
    );
    assert!(text.contains("Neue Verknüpfungen (1)"), "{text}");
    assert!(text.contains("I-051/2020 – Ein Jahr Allianz Sichere Sächsische Kommunen (ASSKOMM) - Bilanz für Chemnitz beantwortet BA-044/2020"), "{text}");

    let history = std::fs::read(data.join("history.bin")).unwrap();
    assert_eq!(code(&build(&corpus, &data, &["--as-of", "2021-01-01"])), 0);
    assert_eq!(
        std::fs::read(data.join("history.bin")).unwrap(),
        history,
        "a run that changed nothing adds nothing"
    );

    std::fs::write(corpus.join("BA-101-2021.txt"), NEW_MOTION).unwrap();
    assert_eq!(code(&build(&corpus, &data, &["--as-of", "2021-01-01"])), 0);
    let md = digest(&data, "markdown");
    assert!(
        md.contains("## Neue Dokumente (3; 0 geändert, 0 entfernt)"),
        "{md}"
    );
    assert!(
        md.contains("- BA-101/2021 – Spielplatzoffensive Kaßberg"),
        "{md}"
    );
    assert!(
        md.contains("## Fällig in den nächsten 14 Tagen (Stand 20.12.2021)"),
        "{md}"
    );
    assert!(
        md.contains("- BA-101/2021 fällig 31.12.2021 – Spielplatzoffensive Kaßberg"),
        "{md}"
    );
    let html = digest(&data, "html");
    assert!(
        html.contains("<li>BA-101/2021 – Spielplatzoffensive Kaßberg</li>"),
        "{html}"
    );

    // The as-of date passes the deadline: newly overdue.
    assert_eq!(code(&build(&corpus, &data, &["--as-of", "2022-01-03"])), 0);
    let text = digest(&data, "text");
    assert!(
        text.contains("Neu überfällig (1)\n  - BA-101/2021 – Spielplatzoffensive Kaßberg"),
        "{text}"
    );
}

#[test]
fn status_due_within_is_the_clerks_next_month() {
    let tmp = tempfile::tempdir().unwrap();
    let corpus = copy_text_corpus(tmp.path());
    let data = tmp.path().join("data");
    assert_eq!(code(&build(&corpus, &data, &[])), 0);
    let status = |days: &str| {
        let args = [
            "status",
            "--data",
            data.to_str().unwrap(),
            "--as-of",
            "2020-09-01",
            "--due-within",
            days,
            "--json",
        ];
        let o = run(&args, tmp.path());
        assert_eq!(code(&o), 0, "{}", stderr(&o));
        let rows: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
        rows.as_array()
            .unwrap()
            .iter()
            .map(|r| r["id"].as_str().unwrap().to_string())
            .collect::<Vec<_>>()
    };
    assert_eq!(status("29"), ["BA-044/2020"]);
    assert!(status("28").is_empty());
}

#[test]
fn a_killed_run_is_listed_once_and_a_damaged_history_is_repaired() {
    for stage in ["index", "manifest"] {
        let tmp = tempfile::tempdir().unwrap();
        let corpus = copy_text_corpus(tmp.path());
        let data = tmp.path().join("data");
        assert_eq!(code(&build(&corpus, &data, &[])), 0);
        std::fs::write(corpus.join("BA-101-2021.txt"), NEW_MOTION).unwrap();
        std::fs::remove_file(corpus.join("003_969153fde41f1de3.txt")).unwrap();
        let mut child = start_paused(&corpus, &data, stage);
        child.kill().unwrap();
        child.wait().unwrap();
        assert_eq!(code(&build(&corpus, &data, &[])), 0);
        assert_eq!(code(&build(&corpus, &data, &[])), 0);
        let text = digest(&data, "text");
        assert!(
            text.contains("Neue Dokumente (3; 0 geändert, 1 entfernt)"),
            "stage {stage}: {text}"
        );
        assert_eq!(
            text.matches("BA-101/2021 – Spielplatzoffensive").count(),
            1,
            "{text}"
        );
    }

    let tmp = tempfile::tempdir().unwrap();
    let corpus = copy_text_corpus(tmp.path());
    let data = tmp.path().join("data");
    assert_eq!(code(&build(&corpus, &data, &[])), 0);
    let file = data.join("history.bin");
    let bytes = std::fs::read(&file).unwrap();
    std::fs::write(&file, &bytes[..bytes.len() / 2]).unwrap();
    std::fs::write(corpus.join("BA-101-2021.txt"), NEW_MOTION).unwrap();
    let o = build(&corpus, &data, &[]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let repairs = report(&data)["repairs"].to_string();
    assert!(repairs.contains("history.bin was damaged"), "{repairs}");
    // Started again from this run: nothing is claimed new.
    let text = digest(&data, "text");
    assert!(
        text.contains("Neue Dokumente (0; 0 geändert, 0 entfernt)"),
        "{text}"
    );
}
