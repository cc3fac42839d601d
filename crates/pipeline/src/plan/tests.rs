//! One case per kind of change a nightly run meets, without files: the
//! facts are built by hand and the plan is read back.

use std::path::PathBuf;

use ratsdoc_model::{Outcome, SourceFormat};
use ratsdoc_store::manifest::{FileEntry, PaperState};

use super::*;

const SIZE: u64 = 100;
const MTIME: i128 = 1_700_000_000_000_000_000;

fn as_of() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 12, 1).unwrap_or_default()
}

fn input(name: &str, size: u64) -> Input {
    Input::File {
        path: PathBuf::from(name),
        display: name.to_string(),
        format: SourceFormat::Txt,
        seen: Some(Seen {
            size,
            mtime_ns: MTIME,
        }),
    }
}

/// The manifest a complete run over `a.txt` (BA-001/2020) and `b.txt`
/// (I-001/2020) leaves.
fn last_run() -> Manifest {
    let mut m = Manifest {
        record_version: RECORD_VERSION,
        link_cache: Some("cache".into()),
        as_of: Some(as_of()),
        links_stamp: Some(stamp()),
        ..Manifest::default()
    };
    for (file, id) in [("a.txt", "BA-001/2020"), ("b.txt", "I-001/2020")] {
        let entry = FileEntry {
            hash: [1; 32],
            size: SIZE,
            mtime_ns: MTIME,
            outcome: Outcome::Record,
            ids: vec![id.into()],
            reason: None,
        };
        m.files.insert(file.into(), entry);
        let state = PaperState {
            record: [2; 32],
            status: None,
            essentials: Some([3; 16]),
            stamp: Some(stamp()),
        };
        m.papers.insert(id.into(), state);
    }
    m
}

fn stamp() -> FileStamp {
    FileStamp {
        size: 42,
        mtime_ns: MTIME,
    }
}

struct Case {
    old: Manifest,
    source: ManifestSource,
    inputs: Vec<Input>,
    full: bool,
    as_of: NaiveDate,
    killed: bool,
    index_unusable: Option<&'static str>,
    links_file: Option<FileStamp>,
    records: RecordsCheck,
}

impl Case {
    /// Nothing changed since [`last_run`].
    fn quiet() -> Case {
        Case {
            old: last_run(),
            source: ManifestSource::Current,
            inputs: vec![input("a.txt", SIZE), input("b.txt", SIZE)],
            full: false,
            as_of: as_of(),
            killed: false,
            index_unusable: None,
            links_file: Some(stamp()),
            records: RecordsCheck::default(),
        }
    }

    fn plan(&self) -> Plan {
        plan(&Facts {
            old: &self.old,
            manifest: self.source,
            inputs: &self.inputs,
            full: self.full,
            as_of: self.as_of,
            previous_run_killed: self.killed,
            index_unusable: self.index_unusable,
            links_file: self.links_file,
            records: &self.records,
        })
    }
}

fn changed() -> ParseFindings {
    ParseFindings {
        anything_changed: true,
        essentials_kept: false,
    }
}

fn nothing() -> ParseFindings {
    ParseFindings {
        anything_changed: false,
        essentials_kept: true,
    }
}

#[test]
fn nothing_changed_reads_nothing_and_keeps_everything() {
    let p = Case::quiet().plan();
    assert_eq!(p.looks, [Look::Keep, Look::Keep]);
    assert!(p.removed.is_empty() && p.rewrite.is_empty() && p.repairs.is_empty());
    assert!(p.settled && !p.relink && !p.rebuild_index && !p.reparse_all);
    assert_eq!(link_pass(&p, nothing()), LinkPass::Nothing);
}

#[test]
fn a_changed_file_that_keeps_its_essentials_keeps_links() {
    let mut case = Case::quiet();
    case.inputs[0] = input("a.txt", SIZE + 7);
    let p = case.plan();
    assert_eq!(p.looks, [Look::IfChanged, Look::Keep]);
    assert!(!p.relink);
    let kept = ParseFindings {
        anything_changed: true,
        essentials_kept: true,
    };
    assert_eq!(link_pass(&p, kept), LinkPass::KeepLinks);
    assert_eq!(link_pass(&p, changed()), LinkPass::Relink);
}

#[test]
fn a_touched_file_with_the_same_bytes_changes_nothing() {
    let mut case = Case::quiet();
    case.inputs[1] = Input::File {
        path: PathBuf::from("b.txt"),
        display: "b.txt".into(),
        format: SourceFormat::Txt,
        seen: Some(Seen {
            size: SIZE,
            mtime_ns: MTIME + 1,
        }),
    };
    let p = case.plan();
    assert_eq!(p.looks, [Look::Keep, Look::IfChanged]);
    assert_eq!(link_pass(&p, nothing()), LinkPass::Nothing);
}

#[test]
fn an_added_paper_links_everything() {
    let mut case = Case::quiet();
    case.inputs.push(input("c.txt", SIZE));
    let p = case.plan();
    assert_eq!(p.looks, [Look::Keep, Look::Keep, Look::IfChanged]);
    assert!(p.relink);
    assert_eq!(link_pass(&p, changed()), LinkPass::Relink);
}

#[test]
fn a_removed_file_is_named_and_links_everything() {
    let mut case = Case::quiet();
    case.inputs.truncate(1);
    let p = case.plan();
    assert_eq!(p.removed, ["b.txt"]);
    assert!(p.relink);
    assert_eq!(link_pass(&p, changed()), LinkPass::Relink);
}

#[test]
fn a_renamed_file_is_one_removal_and_one_addition() {
    let mut case = Case::quiet();
    case.inputs[1] = input("b-renamed.txt", SIZE);
    let p = case.plan();
    assert_eq!(p.removed, ["b.txt"]);
    assert_eq!(p.looks, [Look::Keep, Look::IfChanged]);
    assert!(p.relink);
}

#[test]
fn another_as_of_date_judges_again_without_reading() {
    let mut case = Case::quiet();
    case.as_of = as_of().succ_opt().unwrap_or_default();
    let p = case.plan();
    assert_eq!(p.looks, [Look::Keep, Look::Keep]);
    assert!(p.relink && !p.settled);
    assert_eq!(link_pass(&p, nothing()), LinkPass::Relink);
}

#[test]
fn full_parses_every_file_but_keeps_the_index() {
    let mut case = Case::quiet();
    case.full = true;
    let p = case.plan();
    assert_eq!(p.looks, [Look::Parse, Look::Parse]);
    assert!(p.reparse_all && p.relink && !p.rebuild_index);
    assert_eq!(link_pass(&p, nothing()), LinkPass::Relink);
}

#[test]
fn a_new_record_version_parses_every_file() {
    let mut case = Case::quiet();
    case.old.record_version = RECORD_VERSION - 1;
    let p = case.plan();
    assert_eq!(p.looks, [Look::Parse, Look::Parse]);
    assert!(p.reparse_all && p.relink);
}

#[test]
fn a_paper_in_two_files_is_looked_at_per_file() {
    let mut case = Case::quiet();
    let second = FileEntry {
        ids: vec!["BA-001/2020".into()],
        ..case.old.files["a.txt"].clone()
    };
    case.old.files.insert("a.pdf".into(), second);
    case.inputs = vec![
        input("a.pdf", SIZE + 1),
        input("a.txt", SIZE),
        input("b.txt", SIZE),
    ];
    let p = case.plan();
    assert_eq!(p.looks, [Look::IfChanged, Look::Keep, Look::Keep]);
    assert!(
        !p.relink,
        "same files: a changed one may keep its essentials"
    );
}

#[test]
fn a_damaged_record_is_written_again_and_said() {
    let mut case = Case::quiet();
    case.records
        .damaged
        .insert("I-001/2020".into(), Damage::Missing);
    case.records
        .damaged
        .insert("BA-001/2020".into(), Damage::Changed);
    let p = case.plan();
    assert_eq!(
        p.rewrite.iter().collect::<Vec<_>>(),
        ["BA-001/2020", "I-001/2020"]
    );
    assert!(p.relink && !p.settled);
    assert_eq!(p.repairs.len(), 2);
    assert!(
        p.repairs[1].contains("I-001/2020 was deleted by hand"),
        "{:?}",
        p.repairs
    );
    assert_eq!(link_pass(&p, nothing()), LinkPass::Relink);
}

#[test]
fn a_stray_record_file_is_planned_for_removal() {
    let mut case = Case::quiet();
    case.records.stray.push("BA-999-2020.yaml".into());
    let p = case.plan();
    assert_eq!(p.stray, [OsString::from("BA-999-2020.yaml")]);
    assert_eq!(link_pass(&p, nothing()), LinkPass::Nothing);
}

#[test]
fn a_killed_run_is_followed_by_a_full_parse_and_a_new_index() {
    let mut case = Case::quiet();
    case.killed = true;
    let p = case.plan();
    assert_eq!(p.looks, [Look::Parse, Look::Parse]);
    assert!(p.reparse_all && p.rebuild_index && p.relink && !p.settled);
    assert!(p.repairs[0].contains("killed"));
}

#[test]
fn a_damaged_index_is_rebuilt_and_said() {
    let mut case = Case::quiet();
    case.index_unusable = Some("it is damaged (footer)");
    let p = case.plan();
    assert_eq!(p.looks, [Look::Keep, Look::Keep]);
    assert!(p.rebuild_index && !p.settled);
    assert!(p.repairs[0].contains("footer"));
    assert_eq!(link_pass(&p, nothing()), LinkPass::Relink);
}

#[test]
fn a_changed_or_deleted_links_file_is_written_again() {
    for now in [None, Some(FileStamp { size: 1, ..stamp() })] {
        let mut case = Case::quiet();
        case.links_file = now;
        let p = case.plan();
        assert!(p.rewrite_links_file && p.relink && !p.settled);
        assert!(p.repairs[0].contains("links.yaml"));
    }
}

#[test]
fn an_unreadable_manifest_builds_everything_and_a_new_index() {
    let mut case = Case::quiet();
    case.old = Manifest::default();
    case.source = ManifestSource::Unreadable;
    let p = case.plan();
    assert!(p.rebuild_index && p.reparse_all);
    assert!(p.repairs[0].contains("manifest.bin"));
}

#[test]
fn a_new_data_directory_builds_everything_without_repairs() {
    let mut case = Case::quiet();
    case.old = Manifest::default();
    case.source = ManifestSource::Missing;
    case.index_unusable = Some("there is no index yet");
    case.links_file = None;
    let p = case.plan();
    assert!(p.rebuild_index && p.relink);
    assert!(p.repairs.is_empty(), "{:?}", p.repairs);
}

#[test]
fn a_deleted_manifest_beside_a_usable_index_rebuilds_the_index() {
    let mut case = Case::quiet();
    case.old = Manifest::default();
    case.source = ManifestSource::Missing;
    let p = case.plan();
    assert!(p.rebuild_index && p.reparse_all && p.relink);
    assert!(
        p.repairs[0].contains("manifest.bin was missing"),
        "{:?}",
        p.repairs
    );
}
