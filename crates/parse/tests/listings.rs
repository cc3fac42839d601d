//! Listing pages, `parse_all`'s side: the hand-written pages under
//! `tests/listings/<case>/` each hold an `input.txt` that lists several
//! papers and an `expected.yaml`, a list of the records it must give in
//! page order, whose first line names the real-world shape it covers. Each
//! record lists only the keys it asserts (see `common::subset_diff`); a line
//! `# council: NAME` reads the page with that council profile.
//!
//! And the other side: every single paper the other tests read (the test
//! papers, the evaluation set, the seeds) gives exactly `parse_with`'s
//! record, and no soup of listing lines makes `parse_all` panic or return
//! nothing.

mod common;

use std::path::{Path, PathBuf};

use proptest::prelude::*;
use ratsdoc_model::{PaperNumber, Record, Source, SourceFormat};

fn dirs(under: &str) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = std::fs::read_dir(common::root().join(under))
        .expect("test directory is readable")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .collect();
    out.sort();
    out
}

#[test]
fn every_listing_gives_its_records() {
    let cases: Vec<PathBuf> = dirs("tests/listings")
        .into_iter()
        .filter(|p| p.join("expected.yaml").is_file())
        .collect();
    assert!(
        cases.len() >= 4,
        "at least four listing pages, found {}",
        cases.len()
    );
    let mut failures = Vec::new();
    for case in &cases {
        let (name, expected, profile) = common::expectation(case);
        let records = common::read_all_with(&case.join("input.txt"), &profile);
        let input = records.first().map(|r| r.source.clone());
        assert!(
            records.iter().all(|r| Some(&r.source) == input.as_ref()),
            "{name}: every record keeps the page's source"
        );
        let actual = serde_json::to_value(&records).expect("records serialise");
        common::subset_diff(&expected, &actual, &name, &mut failures);
    }
    assert!(failures.is_empty(), "\n{}", failures.join("\n"));
}

/// Every input file of the single-paper tests, with the profile to read it.
fn single_papers() -> Vec<(PathBuf, ratsdoc_parse::Profile)> {
    let mut out = Vec::new();
    for case in dirs("tests/papers") {
        let (_, _, profile) = common::expectation(&case);
        for input in dirs(&format!("tests/papers/{}", name(&case))) {
            let file = name(&input);
            if file != "expected.yaml" && !file.starts_with("README") {
                out.push((input, profile.clone()));
            }
        }
    }
    for dir in ["tests/eval/papers", "corpus"] {
        for input in dirs(dir) {
            out.push((input, ratsdoc_parse::Profile::chemnitz().clone()));
        }
    }
    out
}

fn name(path: &Path) -> String {
    path.file_name()
        .and_then(|n| n.to_str())
        .unwrap_or("?")
        .to_string()
}

#[test]
fn a_single_paper_gives_exactly_parse_with_s_record() {
    let papers = single_papers();
    assert!(papers.len() >= 100, "found {} papers", papers.len());
    let mut split = Vec::new();
    for (path, profile) in &papers {
        let (text, source) = common::extract(path);
        let one = ratsdoc_parse::parse_with(&text, source.clone(), profile);
        let all = ratsdoc_parse::parse_all(&text, source, profile);
        if all != vec![one] {
            split.push(format!("{}: {} records", path.display(), all.len()));
        }
    }
    assert!(split.is_empty(), "\n{}", split.join("\n"));
}

/// Lines of every listing shape and of ordinary papers, to stir.
const PIECES: &[&str] = &[
    "• RA-180/2022: Zuschüsse",
    "RA-180/2022: Zuschüsse",
    "RA 547/2019: Zustand der Räume",
    "IA-075/2023 – Grundsteuer",
    "Schachturnier (RA-148/2018)",
    "vom 6. März 2018",
    "Sehr geehrter Herr Beispielmann,",
    "zu Ihrer Ratsanfrage teile ich Ihnen Folgendes mit:",
    "Wie viele Bänke gibt es?",
    "ich bitte um die Beantwortung folgender Fragen:",
    "Antwort:",
    "RA-046/2024 WegPDF-Datei (205,36 KB)",
    "Antwort_IA-059_2024PDF-Datei (1 KB)",
    "Anlage 1 zu IA-059/2024 ListePDF-Datei (1 MB)",
    "RA-472_2017_Antwort_Kosten",
    "Anfrage: Streusalz",
    "2024",
    "Hier finden Sie die Antworten.",
    "Weiterlesen",
    "(mehr …)",
    "Freundliche Grüße",
    "Erika Muster",
    "Beschlussantrag Nr. BA-044/2020",
    "Einreicher:",
    "Gegenstand:",
    "Pressemitteilung",
    "BA-044/2020: Mehr Bänke",
    "•",
    "",
];

fn source() -> Source {
    Source {
        path: "soup.txt".into(),
        format: SourceFormat::Txt,
        hash: "0000000000000000000000".into(),
        pages: None,
        extractor: None,
        encoding: None,
    }
}

fn check_soup(text: &str) -> Result<(), TestCaseError> {
    let profile = ratsdoc_parse::Profile::chemnitz();
    let records: Vec<Record> = ratsdoc_parse::parse_all(text, source(), profile);
    prop_assert!(!records.is_empty());
    prop_assert!(records.iter().all(|r| r.source == source()));
    if records.len() == 1 {
        prop_assert_eq!(
            &records[0],
            &ratsdoc_parse::parse_with(text, source(), profile)
        );
    } else {
        for r in &records {
            prop_assert!(r.id.parse::<PaperNumber>().is_ok(), "{}", r.id);
            prop_assert!(
                r.diagnostics
                    .iter()
                    .any(|d| d.contains("listed on this page")),
                "{:?}",
                r.diagnostics
            );
        }
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn line_soups_never_panic_and_give_a_record(
        lines in prop::collection::vec((prop::sample::select(PIECES), "\\PC{0,12}", prop::bool::weighted(0.8)), 0..40)
    ) {
        let mut text = String::new();
        for (piece, noise, clean) in &lines {
            text.push_str(piece);
            if !clean {
                text.push_str(noise);
            }
            text.push('\n');
        }
        check_soup(&text)?;
    }

    #[test]
    fn arbitrary_text_never_panics(s in "\\PC*") {
        check_soup(&s)?;
    }
}
