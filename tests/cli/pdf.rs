//! PDF is a first-class input: each seed PDF (LibreOffice, fpdf2) gives the
//! same record as the text seed, and a text and two PDFs of one paper merge
//! into one record that lists every source.

use std::path::Path;

use ratsdoc_model::{Record, yaml};

use crate::util::*;

fn build_one(tmp: &Path, file: &str) -> Record {
    let data = tmp.join(format!("data-{file}"));
    let input = corpus_dir().join(file);
    let o = build(&input, &data, &[]);
    assert_eq!(code(&o), 0, "{file}: {}", stderr(&o));
    let report = report(&data);
    let id = report["files"][0]["id"].as_str().unwrap().to_string();
    let stem = ratsdoc_model::number::id_to_file_stem(&id);
    yaml::from_str(&std::fs::read_to_string(data.join(format!("records/{stem}.yaml"))).unwrap())
        .unwrap()
}

/// Titles up to dash style and spacing: LibreOffice turns " - " into " – ".
fn title_key(s: &str) -> String {
    s.replace(['\u{2013}', '\u{2014}'], "-")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

fn assert_same_paper(text: &Record, pdf: &Record, label: &str) {
    assert_eq!(pdf.id, text.id, "{label}");
    assert_eq!(pdf.kind, text.kind, "{label}");
    assert_eq!(title_key(&pdf.title), title_key(&text.title), "{label}");
    assert_eq!(pdf.submitters, text.submitters, "{label}");
    assert_eq!(pdf.consultations, text.consultations, "{label}");
    let req = |r: &Record| {
        r.report_requests
            .iter()
            .map(|q| (q.phrase.clone(), q.due, q.addressee.clone()))
            .collect::<Vec<_>>()
    };
    assert_eq!(req(pdf), req(text), "{label}");
    let mut a = pdf.references.clone();
    let mut b = text.references.clone();
    a.sort();
    b.sort();
    assert_eq!(a, b, "{label}");
    assert_eq!(
        pdf.source.format,
        ratsdoc_model::SourceFormat::Pdf,
        "{label}"
    );
    assert!(pdf.source.pages.is_some_and(|p| p >= 1), "{label}");
}

#[test]
fn seed_pdfs_give_the_same_records_as_the_text_seeds() {
    let tmp = tempfile::tempdir().unwrap();
    let ba = build_one(tmp.path(), "000_e399952ef18a924d.txt");
    let info = build_one(tmp.path(), "001_510c93239a0bebc6.txt");
    for (pdf, text) in [
        ("BA-044-2020_libreoffice.pdf", &ba),
        ("BA-044-2020_fpdf2-dejavu.pdf", &ba),
        ("I-051-2020_libreoffice.pdf", &info),
        ("I-051-2020_fpdf2-dejavu.pdf", &info),
    ] {
        let record = build_one(tmp.path(), pdf);
        assert_same_paper(text, &record, pdf);
    }
}

#[test]
fn one_paper_from_several_files_is_one_record_listing_all_sources() {
    let tmp = tempfile::tempdir().unwrap();
    let corpus = tmp.path().join("corpus");
    std::fs::create_dir_all(&corpus).unwrap();
    for f in [
        "000_e399952ef18a924d.txt",
        "BA-044-2020_libreoffice.pdf",
        "BA-044-2020_fpdf2-dejavu.pdf",
    ] {
        std::fs::copy(corpus_dir().join(f), corpus.join(f)).unwrap();
    }
    let data = tmp.path().join("data");
    let o = build(&corpus, &data, &[]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let records: Vec<_> = std::fs::read_dir(data.join("records")).unwrap().collect();
    assert_eq!(records.len(), 1);
    let record: Record =
        yaml::from_str(&std::fs::read_to_string(data.join("records/BA-044-2020.yaml")).unwrap())
            .unwrap();
    let mut paths: Vec<&str> = std::iter::once(record.source.path.as_str())
        .chain(record.other_sources.iter().map(|s| s.path.as_str()))
        .collect();
    paths.sort();
    assert_eq!(paths.len(), 3, "{paths:?}");
    assert!(paths.iter().all(|p| p.contains("corpus/")), "{paths:?}");
    assert_eq!(record.consultations.len(), 1);
    let report = report(&data);
    assert!(
        report["disagreements"].as_array().unwrap().is_empty(),
        "{:#}",
        report["disagreements"]
    );
    // The first file was written and indexed before the others turned up;
    // the merged record replaced it, in the index too.
    assert_eq!(search_ids(&data, "BA-044/2020"), ["BA-044/2020"]);

    // One of the three files changes: the paper is merged again from all.
    let text = corpus.join("000_e399952ef18a924d.txt");
    let mut changed = std::fs::read_to_string(&text).unwrap();
    changed.push_str("\nNachtrag zur Allianz.\n");
    std::fs::write(&text, changed).unwrap();
    let o = build(&corpus, &data, &[]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert!(stdout(&o).contains("1 changed"), "{}", stdout(&o));
    let again: Record =
        yaml::from_str(&std::fs::read_to_string(data.join("records/BA-044-2020.yaml")).unwrap())
            .unwrap();
    assert_eq!(again.other_sources.len(), 2);
    assert_eq!(search_ids(&data, "BA-044/2020"), ["BA-044/2020"]);
}

#[test]
fn broken_pdfs_cost_one_file_each_and_the_run_goes_on() {
    let tmp = tempfile::tempdir().unwrap();
    let corpus = copy_text_corpus(tmp.path());
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures/pdf");
    let mut broken = 0;
    for entry in std::fs::read_dir(&fixtures).unwrap() {
        let p = entry.unwrap().path();
        if p.extension().is_some_and(|e| e == "pdf") {
            std::fs::copy(&p, corpus.join(p.file_name().unwrap())).unwrap();
            broken += 1;
        }
    }
    let data = tmp.path().join("data");
    let started = std::time::Instant::now();
    let o = build(&corpus, &data, &["--pdf-timeout", "10"]);
    assert!(
        started.elapsed() < std::time::Duration::from_secs(300),
        "the run ends within a bound"
    );
    assert_eq!(code(&o), 1, "{}", stderr(&o));
    let report = report(&data);
    let files = report["files"].as_array().unwrap();
    assert_eq!(files.len(), 5 + broken, "every file exactly once");
    assert!(data.join("records/BA-044-2020.yaml").is_file());
    assert!(data.join("records/I-051-2020.yaml").is_file());
    let reason_of = |name: &str| {
        files
            .iter()
            .find(|f| f["path"].as_str().unwrap().ends_with(name))
            .map(|f| {
                (
                    f["outcome"].as_str().unwrap().to_string(),
                    f["reason"].as_str().unwrap_or("").to_string(),
                )
            })
            .unwrap()
    };
    assert_eq!(reason_of("empty.pdf").0, "error");
    assert!(
        reason_of("enc_aes256_userpw.pdf").1.contains("password"),
        "{:?}",
        reason_of("enc_aes256_userpw.pdf")
    );
    assert!(
        reason_of("trunc60_lo_ba000.pdf")
            .1
            .contains("not a PDF or truncated")
    );
    assert!(reason_of("crafted_parent_cycle.pdf").0 == "error");
    assert_ne!(
        reason_of("enc_aes256_owneronly.pdf").0,
        "error",
        "owner-password-only PDFs are readable"
    );
}

#[test]
fn a_new_file_of_a_paper_whose_only_file_changed_is_merged_with_it() {
    let tmp = tempfile::tempdir().unwrap();
    let corpus = tmp.path().join("corpus");
    std::fs::create_dir_all(&corpus).unwrap();
    let seed = corpus_dir().join("000_e399952ef18a924d.txt");
    let first = corpus.join("ba.txt");
    std::fs::copy(&seed, &first).unwrap();
    let data = tmp.path().join("data");
    assert_eq!(code(&build(&corpus, &data, &[])), 0);

    // The known file changes and a second file of the same paper arrives in
    // the same run: both must end up in the one record.
    let mut changed = std::fs::read_to_string(&first).unwrap();
    changed.push_str("\nNachtrag zur Allianz.\n");
    std::fs::write(&first, changed).unwrap();
    std::fs::copy(&seed, corpus.join("ba-copy.txt")).unwrap();
    let o = build(&corpus, &data, &[]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let record: Record =
        yaml::from_str(&std::fs::read_to_string(data.join("records/BA-044-2020.yaml")).unwrap())
            .unwrap();
    assert_eq!(record.other_sources.len(), 1, "{:?}", record.source.path);
    assert_eq!(search_ids(&data, "BA-044/2020"), ["BA-044/2020"]);
}
