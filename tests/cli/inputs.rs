//! What a corpus folder can hold besides papers, and what a nightly run
//! must survive: a vanished or emptied corpus never deletes papers, every
//! file met gets one outcome (odd names, links, pipes, other file types),
//! and the data directory never lands in the wrong place.

use std::collections::BTreeMap;
use std::os::unix::ffi::OsStrExt;
use std::path::Path;

use crate::util::*;

/// Every file below `dir` (but the lock, whose note a refused run may
/// rewrite) with its bytes and modification time: equal before and after
/// proves that a run changed nothing.
fn contents(dir: &Path) -> BTreeMap<String, (Vec<u8>, std::time::SystemTime)> {
    snapshot(dir)
        .into_iter()
        .filter(|(path, _, _)| !path.ends_with("/.lock"))
        .map(|(path, _, mtime)| {
            let bytes = std::fs::read(&path).unwrap();
            (path, (bytes, mtime))
        })
        .collect()
}

fn paper(number: &str, subject: &str) -> String {
    format!(
        "Beschlussantrag\n{number}\nEinreicher: Fraktion DIE LINKE\nBetreff: {subject}\n\n\
         Beschlussvorschlag:\nDer Stadtrat beschließt, {subject} zu prüfen.\n"
    )
}

/// The report's entry for the path ending in `name`.
fn entry<'a>(report: &'a serde_json::Value, name: &str) -> &'a serde_json::Value {
    let files = report["files"].as_array().unwrap();
    match files
        .iter()
        .find(|f| f["path"].as_str().unwrap().ends_with(name))
    {
        Some(f) => f,
        None => panic!("no entry for {name} in {files:#?}"),
    }
}

/// The totals add up: every file met has one outcome and one change.
fn assert_totals_add_up(report: &serde_json::Value) {
    let t = &report["totals"];
    let n = |k: &str| t[k].as_u64().unwrap();
    let files = report["files"].as_array().unwrap();
    let outcome = |o: &str| {
        files
            .iter()
            .filter(|f| f["outcome"] == o && f["change"] != "removed")
            .count() as u64
    };
    assert_eq!(
        n("files"),
        n("added") + n("changed") + n("unchanged"),
        "{t}"
    );
    assert_eq!(files.len() as u64, n("files") + n("removed"), "{t}");
    assert_eq!(
        n("files"),
        outcome("record") + n("other") + n("errors") + n("skipped"),
        "{t}"
    );
}

#[test]
fn a_missing_corpus_stops_the_run_and_deletes_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let corpus = copy_text_corpus(tmp.path());
    let data = tmp.path().join("data");
    assert_eq!(code(&build(&corpus, &data, &[])), 0);
    let before = contents(&data);
    std::fs::rename(&corpus, tmp.path().join("corpus.away")).unwrap();
    let o = build(&corpus, &data, &[]);
    assert_eq!(code(&o), 2, "{}{}", stdout(&o), stderr(&o));
    let err = stderr(&o);
    assert!(err.contains("no such file or directory"), "{err}");
    assert!(err.contains("nothing was removed or written"), "{err}");
    assert!(stdout(&o).is_empty(), "no summary line: {}", stdout(&o));
    assert_eq!(contents(&data), before, "the data directory is untouched");
    // The flag does not make a missing folder mean "delete everything".
    let o = build(&corpus, &data, &["--allow-mass-removal"]);
    assert_eq!(code(&o), 2, "{}", stderr(&o));
    assert_eq!(contents(&data), before);
}

#[test]
fn an_emptied_corpus_folder_stops_the_run_unless_removal_is_allowed() {
    let tmp = tempfile::tempdir().unwrap();
    let corpus = copy_text_corpus(tmp.path());
    let data = tmp.path().join("data");
    assert_eq!(code(&build(&corpus, &data, &[])), 0);
    let before = contents(&data);
    // An unmounted share leaves its empty mount point (and maybe a README).
    std::fs::rename(&corpus, tmp.path().join("corpus.away")).unwrap();
    std::fs::create_dir(&corpus).unwrap();
    std::fs::write(corpus.join("README"), b"mount point").unwrap();
    let o = build(&corpus, &data, &[]);
    assert_eq!(code(&o), 2, "{}{}", stdout(&o), stderr(&o));
    let err = stderr(&o);
    assert!(
        err.contains("gave 5 paper files last run and none now"),
        "{err}"
    );
    assert!(err.contains("--allow-mass-removal"), "{err}");
    assert_eq!(contents(&data), before, "the data directory is untouched");

    let o = build(&corpus, &data, &["--allow-mass-removal"]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert!(stdout(&o).contains("5 removed"), "{}", stdout(&o));
    let left: Vec<_> = std::fs::read_dir(data.join("records")).unwrap().collect();
    assert!(left.is_empty(), "{left:?}");
}

#[test]
fn names_that_differ_only_in_non_utf8_bytes_are_two_papers() {
    let tmp = tempfile::tempdir().unwrap();
    let corpus = tmp.path().join("corpus");
    std::fs::create_dir(&corpus).unwrap();
    let name = |b: &[u8]| corpus.join(std::ffi::OsStr::from_bytes(b));
    std::fs::write(name(b"a\xff.txt"), paper("BA-201/2021", "Radwege")).unwrap();
    std::fs::write(name(b"a\xfe.txt"), paper("BA-202/2021", "Parkbänke")).unwrap();
    std::fs::write(corpus.join("b.txt"), paper("BA-203/2021", "Brunnen")).unwrap();
    let data = tmp.path().join("data");
    let o = build(&corpus, &data, &[]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert!(stdout(&o).contains("3 files: 3 papers"), "{}", stdout(&o));
    for id in ["BA-201-2021", "BA-202-2021", "BA-203-2021"] {
        assert!(data.join(format!("records/{id}.yaml")).is_file(), "{id}");
    }
    let report = report(&data);
    assert_eq!(entry(&report, "/a\\xFF.txt")["id"], "BA-201/2021");
    assert_eq!(entry(&report, "/a\\xFE.txt")["id"], "BA-202/2021");
    assert!(
        entry(&report, "/b.txt")["path"]
            .as_str()
            .unwrap()
            .ends_with("corpus/b.txt"),
        "a UTF-8 name is shown as it is"
    );
    let o = build(&corpus, &data, &[]);
    assert!(
        stdout(&o).contains("0 added, 0 changed, 0 removed, 3 unchanged"),
        "{}",
        stdout(&o)
    );
}

#[test]
fn a_link_loop_is_reported_once_then_unchanged() {
    let tmp = tempfile::tempdir().unwrap();
    let corpus = copy_text_corpus(tmp.path());
    std::fs::create_dir(corpus.join("a")).unwrap();
    std::os::unix::fs::symlink(&corpus, corpus.join("a/back")).unwrap();
    let data = tmp.path().join("data");
    let o = build(&corpus, &data, &[]);
    assert_eq!(code(&o), 1, "an error outcome: {}", stderr(&o));
    assert!(stdout(&o).contains("6 added"), "{}", stdout(&o));
    let o = build(&corpus, &data, &[]);
    // Still an error (cron keeps seeing exit 1 until the link is fixed), but
    // nothing changed.
    assert_eq!(code(&o), 1, "{}", stderr(&o));
    assert!(stderr(&o).contains("a/back"), "{}", stderr(&o));
    assert!(
        stdout(&o).contains("0 added, 0 changed, 0 removed, 6 unchanged"),
        "{}",
        stdout(&o)
    );
    let report = report(&data);
    assert_eq!(entry(&report, "a/back")["change"], "unchanged");
    assert_eq!(entry(&report, "a/back")["outcome"], "error");
}

#[test]
fn links_out_of_the_corpus_are_skipped_and_never_indexed() {
    let tmp = tempfile::tempdir().unwrap();
    let corpus = copy_text_corpus(tmp.path());
    let outside = tmp.path().join("outside");
    std::fs::create_dir(&outside).unwrap();
    std::fs::write(
        outside.join("secret.txt"),
        paper("BA-301/2021", "Geheimnis"),
    )
    .unwrap();
    std::os::unix::fs::symlink(outside.join("secret.txt"), corpus.join("secret.txt")).unwrap();
    std::os::unix::fs::symlink(&outside, corpus.join("elsewhere")).unwrap();
    std::os::unix::fs::symlink(
        corpus.join("000_e399952ef18a924d.txt"),
        corpus.join("inside.txt"),
    )
    .unwrap();
    let data = tmp.path().join("data");
    let o = build(&corpus, &data, &[]);
    assert_eq!(code(&o), 0, "skipped is not an error: {}", stderr(&o));
    assert!(!data.join("records/BA-301-2021.yaml").exists());
    assert!(search_ids(&data, "Geheimnis").is_empty());
    let report = report(&data);
    for name in ["/secret.txt", "/elsewhere"] {
        let f = entry(&report, name);
        assert_eq!(f["outcome"], "skipped", "{f}");
        assert_eq!(f["reason"], "symbolic link leads outside the corpus", "{f}");
    }
    assert_ne!(entry(&report, "/inside.txt")["outcome"], "skipped");
    assert_totals_add_up(&report);
}

#[test]
fn pipes_sockets_and_other_file_types_are_skipped_not_errors() {
    let tmp = tempfile::tempdir().unwrap();
    let corpus = copy_text_corpus(tmp.path());
    std::fs::write(corpus.join("old.doc"), b"\xd0\xcf\x11\xe0").unwrap();
    std::fs::write(corpus.join("README"), b"papers of the council").unwrap();
    std::fs::write(corpus.join(".DS_Store"), b"\0\0\0\x01Bud1").unwrap();
    let mkfifo = std::process::Command::new("mkfifo")
        .arg(corpus.join("pipe.txt"))
        .status()
        .unwrap();
    assert!(mkfifo.success());
    let _socket = std::os::unix::net::UnixListener::bind(corpus.join("sock")).unwrap();
    let data = tmp.path().join("data");
    let o = build(&corpus, &data, &[]);
    assert_eq!(code(&o), 0, "{}{}", stdout(&o), stderr(&o));
    assert!(
        stdout(&o).contains("9 files: 2 papers, 3 other, 0 errors, 4 skipped; 9 added"),
        "{}",
        stdout(&o)
    );
    let report = report(&data);
    for (name, why) in [
        ("/old.doc", "not a supported type"),
        ("/README", "not a supported type"),
        ("/pipe.txt", "named pipe"),
        ("/sock", "socket"),
    ] {
        let f = entry(&report, name);
        assert_eq!(f["outcome"], "skipped", "{f}");
        assert!(f["reason"].as_str().unwrap().contains(why), "{f}");
    }
    let files = report["files"].as_array().unwrap();
    assert!(
        !files
            .iter()
            .any(|f| f["path"].as_str().unwrap().contains(".DS_Store")),
        "hidden files stay silent"
    );
    assert_totals_add_up(&report);
    let o = build(&corpus, &data, &[]);
    assert_eq!(code(&o), 0);
    assert!(
        stdout(&o).contains("0 added, 0 changed, 0 removed, 9 unchanged"),
        "{}",
        stdout(&o)
    );
}

#[test]
fn a_data_directory_in_the_corpus_or_the_home_is_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let corpus = copy_text_corpus(tmp.path());
    let home = tmp.path().join("home");
    std::fs::create_dir(&home).unwrap();
    for (data, why) in [
        (corpus.join("data"), "inside the corpus path"),
        (corpus.clone(), "also a corpus path"),
        (tmp.path().to_path_buf(), "contains the corpus path"),
        (home.clone(), "home directory"),
    ] {
        let mut cmd = ratsdoc();
        cmd.env("HOME", &home)
            .args(["build", "--quiet", "--data"])
            .arg(&data)
            .arg(&corpus);
        let o = cmd.output().unwrap();
        assert_eq!(code(&o), 2, "{}: {}", data.display(), stderr(&o));
        assert!(stderr(&o).contains(why), "{}", stderr(&o));
        assert!(
            !data.join("records").exists(),
            "nothing created in {data:?}"
        );
        assert!(!data.join("manifest.bin").exists());
    }
}
