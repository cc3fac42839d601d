//! `ratsdoc sync` end to end: the real binary against the fixture OParl
//! server on 127.0.0.1, its summary line and exit codes, and a `kill -9`
//! in the middle of a sync.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Output, Stdio};

use ratsdoc_oparl_fixture::{Fault, Server, Version, sample};

use crate::util::*;

fn fixture() -> Server {
    Server::start(sample::site(Version::V1_1), 0).unwrap()
}

fn sync(server: &Server, dir: &Path) -> Output {
    run(
        &[
            "sync",
            &server.endpoint(),
            "--corpus",
            dir.to_str().unwrap(),
            "--timeout",
            "2",
            "--max-retry-wait",
            "1",
        ],
        Path::new("."),
    )
}

#[test]
fn sync_prints_one_summary_line_and_a_second_sync_downloads_nothing() {
    let server = fixture();
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("corpus");
    let o = sync(&server, &dir);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let out = stdout(&o);
    assert_eq!(out.lines().count(), 1, "{out}");
    assert!(out.starts_with("ratsdoc sync: 7 papers: 6 new, 0 changed, 1 deleted, 0 unchanged; 6 files downloaded, 0 failed; "), "{out}");
    let o = sync(&server, &dir);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert!(stdout(&o).starts_with("ratsdoc sync: 7 papers: 0 new, 0 changed, 0 deleted, 7 unchanged; 0 files downloaded, 0 failed; "), "{}", stdout(&o));
}

#[test]
fn a_failed_download_exits_1_and_an_unusable_endpoint_or_folder_exits_2() {
    let server = fixture();
    server.edit(|s| {
        s.files.remove(&sample::file_path(3));
    });
    let tmp = tempfile::tempdir().unwrap();
    let o = sync(&server, &tmp.path().join("a"));
    assert_eq!(code(&o), 1, "{}", stderr(&o));
    assert!(
        stderr(&o).contains(&format!(
            "error: HTTP 404 from {}",
            server.url(&format!(
                "{}{}",
                ratsdoc_oparl_fixture::BASE,
                sample::file_path(3)
            ))
        )),
        "{}",
        stderr(&o)
    );
    assert!(
        stdout(&o).contains("5 files downloaded, 1 failed"),
        "{}",
        stdout(&o)
    );

    server.add_fault(Fault::Html {
        path: "/oparl/system".into(),
    });
    let o = sync(&server, &tmp.path().join("b"));
    assert_eq!(code(&o), 2);
    let err = stderr(&o);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(
        err.starts_with("ratsdoc: sync failed: the endpoint ") && err.contains("web page"),
        "{err}"
    );

    server.clear_faults();
    let file = tmp.path().join("not-a-folder");
    std::fs::write(&file, "x").unwrap();
    let o = sync(&server, &file);
    assert_eq!(code(&o), 2);
    assert!(stderr(&o).contains("cannot write"), "{}", stderr(&o));
}

#[test]
fn a_second_sync_on_the_same_folder_exits_75() {
    let server = fixture();
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("corpus");
    let mut first = start_paused(&server, &dir, "sync-paper-json");
    let o = sync(&server, &dir);
    assert_eq!(code(&o), 75, "{}", stderr(&o));
    first.kill().unwrap();
    first.wait().unwrap();
}

fn start_paused(server: &Server, dir: &Path, stage: &str) -> Child {
    let mut child = ratsdoc()
        .args([
            "sync",
            &server.endpoint(),
            "--corpus",
            dir.to_str().unwrap(),
            "--concurrency",
            "1",
        ])
        .env("RATSDOC_PAUSE_AT", stage)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let stderr = child.stderr.take().unwrap();
    let mut lines = BufReader::new(stderr).lines();
    loop {
        match lines.next() {
            Some(Ok(line)) if line.contains(&format!("paused at {stage}")) => break,
            Some(Ok(_)) => continue,
            _ => panic!("sync ended before reaching {stage}: {:?}", child.wait()),
        }
    }
    std::thread::spawn(move || for _ in lines {});
    child
}

/// Every file below `dir` but sync's own, with its content; the `synced`
/// time of `oparl-paper.json` blanked.
fn tree(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap().flatten() {
            let p = e.path();
            if e.file_name() == ".ratsdoc-sync" {
                continue;
            }
            if p.is_dir() {
                stack.push(p);
                continue;
            }
            let mut bytes = std::fs::read(&p).unwrap();
            if e.file_name() == "oparl-paper.json" {
                let mut v: serde_json::Value = serde_json::from_slice(&bytes).unwrap();
                v["synced"] = serde_json::Value::Null;
                bytes = serde_json::to_vec(&v).unwrap();
            }
            out.push((p.strip_prefix(dir).unwrap().to_path_buf(), bytes));
        }
    }
    out.sort();
    out
}

#[test]
fn kill_9_in_a_download_or_before_the_metadata_then_a_resumed_sync_equals_an_uninterrupted_one() {
    let server = fixture();
    let tmp = tempfile::tempdir().unwrap();
    let whole = tmp.path().join("whole");
    assert_eq!(code(&sync(&server, &whole)), 0);
    let expected = tree(&whole);
    for stage in ["sync-download", "sync-paper-json"] {
        let dir = tmp.path().join(stage);
        let mut child = start_paused(&server, &dir, stage);
        child.kill().unwrap();
        child.wait().unwrap();
        // Only whole files in the paper folders: each is the one served.
        for (path, bytes) in tree(&dir) {
            let want = expected.iter().find(|(p, _)| *p == path);
            assert!(
                want.is_some_and(|(_, b)| path.ends_with("oparl-paper.json") || *b == bytes),
                "{stage}: {}",
                path.display()
            );
        }
        let partial = std::fs::read_dir(dir.join(".ratsdoc-sync/partial"))
            .unwrap()
            .count();
        if stage == "sync-download" {
            assert_eq!(partial, 1, "the killed download's partial file");
        }
        let o = sync(&server, &dir);
        assert_eq!(code(&o), 0, "{stage}: {}", stderr(&o));
        assert_eq!(tree(&dir), expected, "{stage}");
        assert_eq!(
            std::fs::read_dir(dir.join(".ratsdoc-sync/partial"))
                .unwrap()
                .count(),
            0,
            "{stage}"
        );
    }
}
