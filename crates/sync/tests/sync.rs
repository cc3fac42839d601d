//! The library against a real OParl server on 127.0.0.1 (the fixture
//! council of `ratsdoc-oparl-fixture`), with and without faults.

// A failed set-up step should fail the test loudly, with its location.
#![allow(clippy::unwrap_used)]

use std::path::{Path, PathBuf};
use std::time::Duration;

use ratsdoc_oparl_fixture::{Fault, FileBody, Server, Version, sample};
use ratsdoc_sync::names::short_hash;
use ratsdoc_sync::{HttpOptions, ModifiedSince, NoProgress, SyncError, SyncOptions, SyncReport};
use serde_json::Value;

fn server(v: Version) -> Server {
    Server::start(sample::site(v), 0).unwrap()
}

fn options(server: &Server, dir: &Path) -> SyncOptions {
    SyncOptions {
        endpoint: server.endpoint(),
        dir: dir.to_path_buf(),
        body: None,
        concurrency: 3,
        http: HttpOptions {
            json_timeout: Duration::from_secs(2),
            file_timeout: Duration::from_secs(2),
            backoff: Duration::from_millis(10),
            max_retry_wait: Duration::from_secs(1),
            max_file_bytes: 1_000_000,
            ..HttpOptions::default()
        },
    }
}

fn run(opts: &SyncOptions) -> SyncReport {
    ratsdoc_sync::sync(opts, &NoProgress).unwrap()
}

fn paper_json(dir: &Path, folder: &str) -> Value {
    let text = std::fs::read(dir.join(folder).join("oparl-paper.json")).unwrap();
    serde_json::from_slice(&text).unwrap()
}

/// Folder names in `dir`, hidden ones left out, sorted.
fn folders(dir: &Path) -> Vec<String> {
    let mut out: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| !n.starts_with('.'))
        .collect();
    out.sort();
    out
}

fn paper_url(server: &Server, n: u32) -> String {
    format!("{}/oparl/bodies/1/papers/{n}", server.base())
}

fn file_requests(server: &Server) -> Vec<String> {
    server
        .requests()
        .into_iter()
        .filter(|r| r.ends_with("/download"))
        .collect()
}

fn corpus() -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("corpus");
    (tmp, dir)
}

#[test]
fn first_sync_writes_every_paper_by_the_contract() {
    let server = server(Version::V1_1);
    let (tmp, dir) = corpus();
    let report = run(&options(&server, &dir));
    assert_eq!(
        (report.papers, report.new, report.deleted),
        (7, 6, 1),
        "{report:?}"
    );
    assert_eq!(
        (report.files_downloaded, report.files_failed),
        (6, 0),
        "{report:?}"
    );
    let p6 = format!("paper~{}", short_hash(&paper_url(&server, 6)));
    let p7 = format!("2021_1342_1~{}", short_hash(&paper_url(&server, 7)));
    let mut want = vec![
        "2021_1342".to_string(),
        "2021_1342_1".into(),
        "62_2007_1._Ergänzung".into(),
        "etc".into(),
        p6.clone(),
        p7,
    ];
    want.sort();
    assert_eq!(folders(&dir), want);
    // Nothing beside the sync folder.
    let beside: Vec<_> = std::fs::read_dir(tmp.path()).unwrap().collect();
    assert_eq!(beside.len(), 1);

    let p1 = paper_json(&dir, "2021_1342_1");
    assert_eq!(p1["format"], "ratsdoc-sync/1");
    assert_eq!(p1["endpoint"], server.endpoint());
    assert_eq!(p1["paper"]["id"], paper_url(&server, 1));
    let c = &p1["resolved"]["consultations"];
    assert_eq!(c[0]["meeting_date"], "2021-12-14");
    assert_eq!(c[0]["meeting_name"], "Gemeinderat, 14.12.2021");
    assert_eq!(c[0]["organizations"][0], "Gemeinderat");
    assert_eq!(c[0]["role"], "Entscheidung");
    assert_eq!(
        c[1]["meeting_name"],
        Value::Null,
        "an unknown meeting is not invented"
    );
    assert_eq!(
        p1["resolved"]["originator_organizations"][0],
        "CDU-Gemeinderats- fraktion"
    );
    assert_eq!(p1["resolved"]["originator_persons"][0], "Erika Mustermann");
    assert_eq!(p1["resolved"]["under_direction_of"][0], "Dezernat 4");
    let related = p1["resolved"]["related"].as_array().unwrap();
    assert_eq!(related[0]["relation"], "superordinated");
    assert_eq!(related[0]["reference"], "2021/1342");
    assert_eq!(related[1]["relation"], "related");
    assert_eq!(related[1]["reference"], Value::Null);

    let files = p1["files"].as_array().unwrap();
    assert_eq!(files[0]["slot"], "main");
    assert_eq!(files[0]["local"], "00000001.pdf");
    assert_eq!(files[1]["slot"], "auxiliary");
    assert_eq!(files[1]["name"], "Abstimmungsergebnis TOP 3");
    let bytes = std::fs::read(dir.join("2021_1342_1/00000002.txt")).unwrap();
    assert_eq!(bytes, sample::file_text(2).as_bytes());
    assert_eq!(files[1]["blake3"], blake3::hash(&bytes).to_hex().as_str());
    assert_eq!(files[1]["size"], bytes.len());
}

#[test]
fn quirks_of_references_names_and_vendors_stay_inside_the_folder() {
    let server = server(Version::V1_1);
    let (_tmp, dir) = corpus();
    run(&options(&server, &dir));
    // `../../etc` with a file named `../../passwd`.
    let etc = paper_json(&dir, "etc");
    assert_eq!(etc["files"][0]["local"], "passwd.txt");
    assert!(dir.join("etc/passwd.txt").is_file());
    // Vendor field and swapped coordinates kept verbatim; no files.
    let p4 = paper_json(&dir, "62_2007_1._Ergänzung");
    assert_eq!(p4["paper"]["STERNBERG:RIMVersion"], "5.2.1");
    assert_eq!(
        p4["paper"]["location"][0]["geojson"]["coordinates"][0],
        49.0094
    );
    assert_eq!(p4["files"].as_array().unwrap().len(), 0);
    // No reference, and a file only at accessUrl, named from its name.
    let p6 = format!("paper~{}", short_hash(&paper_url(&server, 6)));
    let p6 = paper_json(&dir, &p6);
    assert_eq!(p6["files"][0]["local"], "Anlage_1.txt");
    assert_eq!(p6["files"][0]["error"], Value::Null);
}

#[test]
fn oparl_1_0_consultations_given_as_urls_are_fetched() {
    let server = server(Version::V1_0);
    let (_tmp, dir) = corpus();
    let report = run(&options(&server, &dir));
    assert_eq!(report.files_failed, 0, "{report:?}");
    let p1 = paper_json(&dir, "2021_1342_1");
    assert_eq!(
        p1["resolved"]["consultations"][0]["meeting_date"],
        "2021-12-14"
    );
    assert_eq!(
        p1["resolved"]["consultations"][0]["organizations"][0],
        "Gemeinderat"
    );
}

#[test]
fn second_sync_asks_modified_since_and_downloads_nothing() {
    let server = server(Version::V1_1);
    let (_tmp, dir) = corpus();
    let opts = options(&server, &dir);
    run(&opts);
    server.clear_requests();
    let report = run(&opts);
    assert_eq!(
        (report.new, report.changed, report.deleted, report.unchanged),
        (0, 0, 0, 7),
        "{report:?}"
    );
    assert_eq!(report.files_downloaded, 0);
    assert_eq!(report.modified_since, ModifiedSince::Honoured);
    assert!(
        server
            .requests()
            .iter()
            .any(|r| r.contains("modified_since=")),
        "{:?}",
        server.requests()
    );
    assert_eq!(file_requests(&server), Vec::<String>::new());
    let agents = server.user_agents();
    assert!(
        !agents.is_empty()
            && agents
                .iter()
                .all(|a| a.starts_with("ratsdoc/") && a.contains("(+")),
        "{agents:?}"
    );
}

#[test]
fn a_server_ignoring_modified_since_is_compared_with_the_state() {
    let server = server(Version::V1_1);
    server.edit(|s| s.honour_modified_since = false);
    let (_tmp, dir) = corpus();
    let opts = options(&server, &dir);
    run(&opts);
    server.clear_requests();
    let report = run(&opts);
    assert_eq!(report.modified_since, ModifiedSince::Ignored);
    assert_eq!(
        (report.new, report.changed, report.files_downloaded),
        (0, 0, 0)
    );
    assert_eq!(file_requests(&server), Vec::<String>::new());
}

#[test]
fn a_changed_paper_downloads_only_its_changed_file_and_deleted_papers_go() {
    let server = server(Version::V1_1);
    let (_tmp, dir) = corpus();
    let opts = options(&server, &dir);
    run(&opts);
    server.edit(|s| {
        s.papers[0]["modified"] = "2030-01-01T10:00:00+01:00".into();
        s.papers[0]["auxiliaryFile"][0]["modified"] = "2030-01-01T10:00:00+01:00".into();
        s.files.insert(
            sample::file_path(2),
            FileBody::Bytes(b"neu".to_vec(), "text/plain"),
        );
        s.papers[1]["deleted"] = true.into();
        s.papers[1]["modified"] = "2030-01-01T10:00:00+01:00".into();
    });
    server.clear_requests();
    let report = run(&opts);
    assert_eq!(
        (report.changed, report.deleted, report.files_downloaded),
        (1, 1, 1),
        "{report:?}"
    );
    assert_eq!(
        file_requests(&server),
        vec![format!("{}", sample::file_path(2))]
    );
    assert_eq!(
        std::fs::read(dir.join("2021_1342_1/00000002.txt")).unwrap(),
        b"neu"
    );
    assert!(
        !dir.join("2021_1342").exists(),
        "the deleted paper's folder"
    );
}

#[test]
fn a_lost_state_is_rebuilt_from_the_folders_without_downloads() {
    let server = server(Version::V1_1);
    let (_tmp, dir) = corpus();
    let opts = options(&server, &dir);
    run(&opts);
    std::fs::write(dir.join(".ratsdoc-sync/state.json"), "{ damaged").unwrap();
    server.clear_requests();
    let report = run(&opts);
    assert_eq!(report.files_downloaded, 0, "{report:?}");
    assert_eq!(file_requests(&server), Vec::<String>::new());
}

#[test]
fn retries_after_500_and_429_with_retry_after() {
    let server = server(Version::V1_1);
    server.add_fault(Fault::Status {
        path: "/oparl/system".into(),
        status: 500,
        times: 2,
        retry_after: None,
    });
    server.add_fault(Fault::Status {
        path: sample::file_path(1),
        status: 429,
        times: 1,
        retry_after: Some(1),
    });
    server.add_fault(Fault::Status {
        path: sample::file_path(3),
        status: 503,
        times: 1,
        retry_after: Some(3600),
    });
    let (_tmp, dir) = corpus();
    let report = run(&options(&server, &dir));
    assert_eq!(
        (report.files_downloaded, report.files_failed),
        (6, 0),
        "{report:?}"
    );
    let system = server
        .requests()
        .iter()
        .filter(|r| *r == "/oparl/system")
        .count();
    assert_eq!(system, 3);
}

#[test]
fn an_unusable_endpoint_is_one_fatal_line_and_writes_no_paper() {
    let faults: Vec<(Fault, &str)> = vec![
        (
            Fault::Html {
                path: "/oparl/system".into(),
            },
            "web page",
        ),
        (
            Fault::InvalidJson {
                path: "/oparl/system".into(),
            },
            "invalid JSON",
        ),
        (
            Fault::Status {
                path: "/oparl/system".into(),
                status: 500,
                times: 100,
                retry_after: None,
            },
            "HTTP 500",
        ),
        (
            Fault::Hang {
                path: "/oparl/system".into(),
            },
            "no answer",
        ),
        (
            Fault::Html {
                path: "/oparl/bodies/1/papers".into(),
            },
            "web page",
        ),
    ];
    for (fault, reason) in faults {
        let server = server(Version::V1_1);
        server.add_fault(fault.clone());
        let (_tmp, dir) = corpus();
        let err = ratsdoc_sync::sync(&options(&server, &dir), &NoProgress).unwrap_err();
        assert!(
            matches!(err, SyncError::Endpoint { .. }),
            "{fault:?}: {err}"
        );
        let line = err.to_string();
        assert!(
            line.contains(reason) && !line.contains('\n'),
            "{fault:?}: {line}"
        );
        assert_eq!(folders(&dir), Vec::<String>::new());
    }
}

#[test]
fn a_pagination_loop_ends_with_a_reason_and_the_papers_read() {
    let server = server(Version::V1_1);
    server.add_fault(Fault::PaginationLoop);
    let (_tmp, dir) = corpus();
    let report = run(&options(&server, &dir));
    assert_eq!(report.problems.len(), 1, "{report:?}");
    assert!(report.problems[0].contains("loop"), "{:?}", report.problems);
    assert_eq!(folders(&dir).len(), 6);
}

#[test]
fn a_broken_page_midway_keeps_the_pages_before() {
    let server = server(Version::V1_1);
    server.add_fault(Fault::InvalidJson {
        path: "/oparl/bodies/1/papers?page=3".into(),
    });
    let (_tmp, dir) = corpus();
    let report = run(&options(&server, &dir));
    assert!(
        report.problems[0].contains("invalid JSON"),
        "{:?}",
        report.problems
    );
    assert_eq!(
        folders(&dir),
        vec!["2021_1342", "2021_1342_1", "62_2007_1._Ergänzung", "etc"]
    );
}

#[test]
fn files_that_404_hang_or_exceed_the_cap_are_recorded_and_the_paper_kept() {
    let server = server(Version::V1_1);
    server.edit(|s| {
        s.files.remove(&sample::file_path(2));
        s.files
            .insert(sample::file_path(3), FileBody::Endless(50_000_000));
    });
    server.add_fault(Fault::Hang {
        path: sample::file_path(6),
    });
    let (_tmp, dir) = corpus();
    let opts = options(&server, &dir);
    let report = run(&opts);
    assert_eq!(report.files_failed, 3, "{report:?}");
    let p1 = paper_json(&dir, "2021_1342_1");
    assert_eq!(p1["files"][0]["error"], Value::Null);
    let err = p1["files"][1]["error"].as_str().unwrap();
    assert!(err.starts_with("HTTP 404 from "), "{err}");
    assert_eq!(p1["files"][1]["local"], Value::Null);
    let p2 = paper_json(&dir, "2021_1342");
    assert!(
        p2["files"][0]["error"]
            .as_str()
            .unwrap()
            .contains("is larger than the limit of 1 MB; not kept"),
        "{p2}"
    );
    let p7 = format!("2021_1342_1~{}", short_hash(&paper_url(&server, 7)));
    assert!(
        paper_json(&dir, &p7)["files"][0]["error"]
            .as_str()
            .unwrap()
            .contains("no answer")
    );
    let partial: Vec<_> = std::fs::read_dir(dir.join(".ratsdoc-sync/partial"))
        .unwrap()
        .collect();
    assert!(partial.is_empty(), "no partial file left");
    assert_eq!(
        std::fs::read_dir(dir.join("2021_1342")).unwrap().count(),
        1,
        "only oparl-paper.json"
    );

    // The next sync tries the 404 and the timeout again, not the file too large.
    server.clear_faults();
    server.edit(|s| {
        s.files.insert(
            sample::file_path(2),
            FileBody::Bytes(b"da".to_vec(), "text/plain"),
        );
    });
    server.clear_requests();
    let report = run(&opts);
    assert_eq!(
        (report.files_downloaded, report.files_failed),
        (2, 0),
        "{report:?}"
    );
    assert!(!file_requests(&server).contains(&sample::file_path(3)));
}

#[test]
fn a_body_that_does_not_exist_is_fatal_and_one_that_does_is_taken() {
    let server = server(Version::V1_1);
    let (_tmp, dir) = corpus();
    let mut opts = options(&server, &dir);
    opts.body = Some("7".into());
    let err = ratsdoc_sync::sync(&opts, &NoProgress).unwrap_err();
    assert!(err.to_string().contains("no body \"7\""), "{err}");
    opts.body = Some("1".into());
    let report = run(&opts);
    assert_eq!(report.body, format!("{}/oparl/bodies/1", server.base()));
}

#[test]
fn a_file_announced_larger_than_the_cap_is_refused_and_not_kept() {
    let server = server(Version::V1_1);
    server.edit(|s| {
        let big = vec![b'x'; 1_500_000];
        s.files.insert(
            sample::file_path(1),
            FileBody::Bytes(big, "application/pdf"),
        );
    });
    let (_tmp, dir) = corpus();
    let report = run(&options(&server, &dir));
    assert_eq!(report.files_failed, 1, "{report:?}");
    let p1 = paper_json(&dir, "2021_1342_1");
    let err = p1["files"][0]["error"].as_str().unwrap();
    assert!(
        err.ends_with("is larger than the limit of 1 MB; not kept"),
        "{err}"
    );
    assert!(!dir.join("2021_1342_1/00000001.pdf").exists());
    assert!(dir.join("2021_1342_1/00000002.txt").exists());
}
