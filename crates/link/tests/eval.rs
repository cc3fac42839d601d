//! The evaluation set: papers written in the style of the seeds
//! (tests/eval/papers/), read through the real extractor and parser, linked
//! and judged, and compared with what a clerk reads out of them
//! (tests/eval/truth.yaml). Prints link precision and recall and status
//! accuracy; fails below precision 1.0, recall 0.95, status accuracy 1.0.
//!
//! Also checks the Done-when of the seeds in corpus/: BA-044/2020 is
//! answered 70 days late by I-051/2020.

use std::collections::{BTreeMap, BTreeSet};
use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};
use std::time::Duration;

use chrono::NaiveDate;
use ratsdoc_extract::{Extractor, ExtractorConfig};
use ratsdoc_model::{Kind, Record, Source, SourceFormat, StatusKind};
use serde::Deserialize;

#[derive(Debug, Deserialize)]
struct Truth {
    as_of: NaiveDate,
    links: Vec<TruthLink>,
    #[serde(default)]
    ambiguous: Vec<TruthAmbiguous>,
    #[serde(default)]
    not_answers: Vec<String>,
    status: BTreeMap<String, TruthStatus>,
}

#[derive(Debug, Deserialize)]
struct TruthLink {
    motion: String,
    answer: String,
}

#[derive(Debug, Deserialize)]
struct TruthAmbiguous {
    answer: String,
    candidates: Vec<String>,
}

#[derive(Debug, Deserialize)]
struct TruthStatus {
    status: StatusKind,
    #[serde(default)]
    due: Option<NaiveDate>,
    #[serde(default)]
    answered_by: Option<String>,
    #[serde(default)]
    days: Option<i64>,
}

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// Reads every paper of a directory the way the build does: extract, then
/// parse. The hash only has to be stable, not cryptographic.
fn read_papers(dir: &Path) -> Vec<Record> {
    let extractor = Extractor::new(ExtractorConfig {
        worker_exe: None,
        worker_args: vec![],
        workers: 1,
        timeout: Duration::from_secs(30),
        memory_limit: 1 << 30,
    });
    let mut paths: Vec<PathBuf> = match std::fs::read_dir(dir) {
        Ok(entries) => entries.flatten().map(|e| e.path()).collect(),
        Err(e) => panic!("cannot read {}: {e}", dir.display()),
    };
    paths.sort();
    let mut records = Vec::new();
    for path in paths {
        // PDFs are the extractor's business (tested there and end to end);
        // without a worker they would depend on pdftotext being installed.
        let Some(format) = SourceFormat::from_path(&path).filter(|f| *f != SourceFormat::Pdf)
        else {
            continue;
        };
        let bytes = match std::fs::read(&path) {
            Ok(b) => b,
            Err(e) => panic!("cannot read {}: {e}", path.display()),
        };
        let text = match extractor.extract(&path, &bytes, format) {
            Ok(x) => x.text,
            Err(e) => panic!("cannot extract {}: {e}", path.display()),
        };
        let mut h = std::collections::hash_map::DefaultHasher::new();
        bytes.hash(&mut h);
        let hash = format!("{:016x}", h.finish()).repeat(4);
        let source = Source {
            path: path.display().to_string(),
            format,
            hash,
            pages: None,
            extractor: None,
            encoding: None,
        };
        records.push(ratsdoc_parse::parse(&text, source));
    }
    records
}

fn canon(id: &str) -> String {
    id.parse::<ratsdoc_model::PaperNumber>()
        .map(|n| n.to_string())
        .unwrap_or_else(|_| id.to_string())
}

/// What the parser read, for a failure message that tells a linker miss
/// from a parser gap.
fn describe(records: &[Record], id: &str) -> String {
    match records.iter().find(|r| canon(&r.id) == canon(id)) {
        None => format!("    {id}: no record with this id (parser did not read the number)"),
        Some(r) => format!(
            "    {id}: kind {:?}, title {:?}, date {:?}, consultations {:?}, requests {:?}, mentions {:?}",
            r.kind,
            r.title,
            r.date,
            r.consultations
                .iter()
                .map(|c| format!("{} {:?} {:?}", c.body, c.date, c.result))
                .collect::<Vec<_>>(),
            r.report_requests
                .iter()
                .map(|q| format!(
                    "{:?} due {:?} recurring {} {:?} form {:?} to {:?}",
                    q.phrase, q.due, q.recurring, q.period, q.form, q.addressee
                ))
                .collect::<Vec<_>>(),
            r.mentions
                .iter()
                .map(|m| format!("{} @{}", m.id, m.place))
                .collect::<Vec<_>>(),
        ),
    }
}

#[test]
fn evaluation_set_meets_its_thresholds() {
    let root = workspace().join("tests/eval");
    let truth_text = match std::fs::read_to_string(root.join("truth.yaml")) {
        Ok(t) => t,
        Err(e) => panic!("cannot read truth.yaml: {e}"),
    };
    let truth: Truth = match ratsdoc_model::yaml::from_str(&truth_text) {
        Ok(t) => t,
        Err(e) => panic!("truth.yaml: {e}"),
    };
    let records = read_papers(&root.join("papers"));
    let links = ratsdoc_link::link(&records);
    let verdicts = ratsdoc_link::status(&records, &links, truth.as_of);

    let expected: BTreeSet<(String, String)> = truth
        .links
        .iter()
        .map(|l| (canon(&l.motion), canon(&l.answer)))
        .collect();
    let found: BTreeSet<(String, String)> = links
        .links
        .iter()
        .map(|l| (canon(&l.motion), canon(&l.answer)))
        .collect();
    let correct = expected.intersection(&found).count();
    let precision = if found.is_empty() {
        1.0
    } else {
        correct as f64 / found.len() as f64
    };
    let recall = correct as f64 / expected.len().max(1) as f64;

    let mut problems = Vec::new();
    for (m, a) in found.difference(&expected) {
        let ev = links
            .links
            .iter()
            .find(|l| canon(&l.motion) == *m && canon(&l.answer) == *a)
            .map(|l| format!("{:?}", l.evidence))
            .unwrap_or_default();
        problems.push(format!("wrong link {m} <- {a}: {ev}"));
        problems.push(describe(&records, m));
        problems.push(describe(&records, a));
    }
    for (m, a) in expected.difference(&found) {
        problems.push(format!("missed link {m} <- {a}"));
        problems.push(describe(&records, m));
        problems.push(describe(&records, a));
    }
    for amb in &truth.ambiguous {
        let want: BTreeSet<String> = amb.candidates.iter().map(|c| canon(c)).collect();
        let got = links
            .ambiguous
            .iter()
            .find(|u| canon(&u.answer) == canon(&amb.answer));
        match got {
            Some(u)
                if u.candidates
                    .iter()
                    .map(|c| canon(&c.motion))
                    .collect::<BTreeSet<_>>()
                    == want => {}
            other => problems.push(format!(
                "expected {} ambiguous between {want:?}, got {other:?}",
                amb.answer
            )),
        }
    }
    for a in &truth.not_answers {
        if links.links.iter().any(|l| canon(&l.answer) == canon(a)) {
            problems.push(format!("{a} must answer nothing"));
        }
    }
    for id in &truth.not_answers {
        if !records.iter().any(|r| canon(&r.id) == canon(id)) {
            problems.push(format!("{id}: not read as a paper"));
        }
    }
    if records
        .iter()
        .filter(|r| r.kind == Kind::Other)
        .any(|r| links.links.iter().any(|l| l.answer == r.id))
    {
        problems.push("a non-paper answers a motion".into());
    }

    let mut right = 0;
    for (id, want) in &truth.status {
        let Some(got) = verdicts.iter().find(|v| canon(&v.id) == canon(id)) else {
            problems.push(format!("no verdict for {id}"));
            problems.push(describe(&records, id));
            continue;
        };
        let answered = got.answered_by.as_deref().map(canon);
        let ok = got.status == want.status
            && (want.due.is_none() || got.due == want.due)
            && answered == want.answered_by.as_deref().map(canon)
            && (want.days.is_none() || got.days == want.days);
        if ok {
            right += 1;
        } else {
            problems.push(format!(
                "status {id}: want {:?} due {:?} by {:?} days {:?}; got {:?} due {:?} by {:?} days {:?}\n      evidence: {:?}",
                want.status, want.due, want.answered_by, want.days,
                got.status, got.due, got.answered_by, got.days, got.evidence
            ));
            problems.push(describe(&records, id));
        }
    }
    let accuracy = right as f64 / truth.status.len().max(1) as f64;

    println!(
        "eval: {} papers, {} motions; links: {} expected, {} found, {} correct; precision {precision:.3}, recall {recall:.3}; status accuracy {accuracy:.3} ({right}/{})",
        records.len(),
        truth.status.len(),
        expected.len(),
        found.len(),
        correct,
        truth.status.len()
    );
    for p in &problems {
        println!("{p}");
    }
    assert!(
        truth.status.len() >= 30,
        "the evaluation set needs at least 30 motions"
    );
    assert!(
        precision >= 1.0 && recall >= 0.95 && accuracy >= 1.0 && problems.is_empty(),
        "evaluation below thresholds: precision {precision:.3} (≥ 1.0), recall {recall:.3} (≥ 0.95), status accuracy {accuracy:.3} (= 1.0); {} problem(s) printed above",
        problems.len()
    );
}

#[test]
fn seeds_ba_044_2020_is_answered_70_days_late() {
    let records = read_papers(&workspace().join("corpus"));
    let links = ratsdoc_link::link(&records);
    let pairs: Vec<(String, String)> = links
        .links
        .iter()
        .map(|l| (l.motion.clone(), l.answer.clone()))
        .collect();
    assert!(
        !pairs.iter().any(|(m, _)| m == "BA-002/2019"),
        "I-051/2020 must not be linked to BA-002/2019: {pairs:?}"
    );
    let as_of = NaiveDate::from_ymd_opt(2021, 1, 1).unwrap_or(NaiveDate::MIN);
    let verdicts = ratsdoc_link::status(&records, &links, as_of);
    let Some(v) = verdicts.iter().find(|v| v.id == "BA-044/2020") else {
        panic!(
            "no verdict for BA-044/2020; records: {:?}",
            records.iter().map(|r| (&r.id, r.kind)).collect::<Vec<_>>()
        );
    };
    println!("{v:#?}");
    assert_eq!(v.status, StatusKind::AnsweredLate);
    assert_eq!(v.answered_by.as_deref(), Some("I-051/2020"));
    assert_eq!(v.due, NaiveDate::from_ymd_opt(2020, 9, 30));
    assert_eq!(v.answered_on, NaiveDate::from_ymd_opt(2020, 12, 9));
    assert_eq!(v.days, Some(70));
    assert_eq!(
        pairs,
        [("BA-044/2020".to_string(), "I-051/2020".to_string())]
    );
}

/// The build links from a cache of [`ratsdoc_link::Essentials`]; linking and
/// judging them must give exactly what the records give.
#[test]
fn link_essentials_equals_link_on_the_records() {
    let mut records = read_papers(&workspace().join("tests/eval/papers"));
    records.extend(read_papers(&workspace().join("corpus")));
    let items: Vec<_> = records.iter().map(ratsdoc_link::Essentials::of).collect();
    let links = ratsdoc_link::link(&records);
    assert!(links.links.len() >= 24, "{links:?}");
    assert_eq!(ratsdoc_link::link_essentials(&items), links);
    for day in [(2021, 1, 1), (2022, 10, 1), (2030, 1, 1)] {
        let as_of = NaiveDate::from_ymd_opt(day.0, day.1, day.2).unwrap_or(NaiveDate::MIN);
        assert_eq!(
            ratsdoc_link::status_essentials(&items, &links, as_of),
            ratsdoc_link::status(&records, &links, as_of)
        );
    }
}

/// The cache is postcard: what goes in comes out, links the same, and a
/// paper costs a few hundred bytes, not its text.
#[test]
fn essentials_round_trip_through_postcard() {
    let records = read_papers(&workspace().join("tests/eval/papers"));
    let items: Vec<_> = records.iter().map(ratsdoc_link::Essentials::of).collect();
    let bytes = postcard::to_allocvec(&items).unwrap();
    let back: Vec<ratsdoc_link::Essentials> = postcard::from_bytes(&bytes).unwrap();
    assert_eq!(back, items);
    assert_eq!(
        ratsdoc_link::link_essentials(&back),
        ratsdoc_link::link(&records)
    );
    let per_paper = bytes.len() / items.len();
    println!("{} papers, {per_paper} bytes each", items.len());
    assert!(per_paper < 500, "{per_paper} bytes per paper");
}
