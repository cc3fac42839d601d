//! The snapshot comes from the build's link cache, not from the records: a
//! real build of the hand-written papers (the seeds, the golden cases, the
//! linking evaluation set) is served once with its link cache and once
//! without it, and every page and JSON route answers byte for byte the
//! same. A paper page that names a paper whose title the cache does not
//! keep (a mentioned Ratsanfrage) still shows that title.

use std::path::{Path, PathBuf};
use std::time::Duration;

// Each test file uses part of it.
#[allow(dead_code)]
#[path = "../../crates/serve/tests/common/mod.rs"]
mod common;
use common::{Reply, get};

use axum::http::StatusCode;
use chrono::NaiveDate;
use ratsdoc_extract::ExtractorConfig;
use ratsdoc_pipeline::{BuildOptions, NoProgress};
use ratsdoc_serve::AppState;
use ratsdoc_store::DataDir;

fn today() -> Option<NaiveDate> {
    NaiveDate::from_ymd_opt(2026, 5, 1)
}

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn copy(from: &Path, to: &Path) {
    std::fs::copy(from, to).unwrap_or_else(|e| panic!("copy {}: {e}", from.display()));
}

/// Every text paper of the repository in one folder, plus the Ratsanfrage
/// RA-033/2020 that the golden case `several_factions` mentions (the golden
/// Anfrage with that number).
fn corpus(dir: &Path) {
    std::fs::create_dir_all(dir).unwrap_or_else(|e| panic!("mkdir: {e}"));
    let root = workspace();
    let listed = |d: PathBuf| -> Vec<PathBuf> {
        let mut all: Vec<PathBuf> = std::fs::read_dir(&d)
            .unwrap_or_else(|e| panic!("{}: {e}", d.display()))
            .flatten()
            .map(|e| e.path())
            .collect();
        all.sort();
        all
    };
    for f in listed(root.join("corpus")) {
        if f.extension().is_some_and(|e| e == "txt") {
            copy(&f, &dir.join(f.file_name().unwrap_or_default()));
        }
    }
    for f in listed(root.join("tests/eval/papers")) {
        copy(&f, &dir.join(f.file_name().unwrap_or_default()));
    }
    for case in listed(root.join("tests/papers")) {
        let input = case.join("input.txt");
        if input.is_file() {
            let name = case.file_name().unwrap_or_default().to_string_lossy();
            copy(&input, &dir.join(format!("golden_{name}.txt")));
        }
    }
    let anfrage = std::fs::read_to_string(root.join("tests/papers/anfrage/input.txt"))
        .unwrap_or_else(|e| panic!("anfrage: {e}"));
    std::fs::write(
        dir.join("anfrage_ra_033.txt"),
        anfrage.replace("RA-012/2021", "RA-033/2020"),
    )
    .unwrap_or_else(|e| panic!("write: {e}"));
}

/// Builds the corpus into `data` as `ratsdoc build` does (text only).
fn build(corpus: &Path, data: &Path) {
    let opts = BuildOptions {
        inputs: vec![corpus.to_path_buf()],
        data: data.to_path_buf(),
        as_of: today().unwrap_or_default(),
        extractor: ExtractorConfig {
            worker_exe: None,
            worker_args: Vec::new(),
            workers: 1,
            timeout: Duration::from_secs(60),
            memory_limit: 1 << 30,
        },
        full: false,
        allow_mass_removal: false,
        council: ratsdoc_pipeline::Profile::chemnitz().clone(),
    };
    let report =
        ratsdoc_pipeline::build(&opts, &NoProgress).unwrap_or_else(|e| panic!("build: {e}"));
    assert_eq!(report.totals.errors, 0, "build errors");
}

fn link_caches(data: &Path) -> Vec<PathBuf> {
    std::fs::read_dir(data)
        .unwrap_or_else(|e| panic!("{}: {e}", data.display()))
        .flatten()
        .map(|e| e.path())
        .filter(|p| {
            p.file_name()
                .is_some_and(|n| n.to_string_lossy().starts_with("link-cache"))
        })
        .collect()
}

/// A copy of `data` without its link cache: what an older build, or a
/// cache someone deleted, leaves.
fn without_cache(data: &Path, to: &Path) {
    let mut stack = vec![(data.to_path_buf(), to.to_path_buf())];
    while let Some((from, into)) = stack.pop() {
        std::fs::create_dir_all(&into).unwrap_or_else(|e| panic!("mkdir: {e}"));
        for entry in std::fs::read_dir(&from).into_iter().flatten().flatten() {
            let path = entry.path();
            let target = into.join(entry.file_name());
            if path.is_dir() {
                stack.push((path, target));
            } else {
                copy(&path, &target);
            }
        }
    }
    for cache in link_caches(to) {
        std::fs::remove_file(&cache).unwrap_or_else(|e| panic!("rm: {e}"));
    }
}

/// Every route, and every paper's page and JSON.
fn uris(data: &Path) -> Vec<String> {
    let mut uris: Vec<String> = [
        "/",
        "/?q=*",
        "/?q=Bericht",
        "/?q=Pr%C3%A4vention",
        "/api/search?q=Bericht",
        "/status",
        "/status?stand=2021-01-01",
        "/status?jahr=2021",
        "/status.csv",
        "/api/status",
        "/api/status?stand=2022-06-30",
    ]
    .into_iter()
    .map(String::from)
    .collect();
    let records = DataDir::new(data).records_dir();
    let mut stems: Vec<String> = std::fs::read_dir(&records)
        .unwrap_or_else(|e| panic!("{}: {e}", records.display()))
        .flatten()
        .filter_map(|e| {
            let name = e.file_name().to_string_lossy().into_owned();
            name.strip_suffix(".yaml").map(String::from)
        })
        .collect();
    stems.sort();
    assert!(stems.len() > 60, "only {} records", stems.len());
    for stem in stems {
        uris.push(format!("/papers/{stem}"));
        uris.push(format!("/papers/{stem}?stand=2021-06-30"));
        uris.push(format!("/api/papers/{stem}"));
    }
    uris
}

#[tokio::test]
async fn pages_are_the_same_with_and_without_the_link_cache() {
    let work = tempfile::tempdir().unwrap_or_else(|e| panic!("tempdir: {e}"));
    let cached = work.path().join("data");
    let uncached = work.path().join("uncached");
    corpus(&work.path().join("corpus"));
    build(&work.path().join("corpus"), &cached);
    assert_eq!(
        link_caches(&cached).len(),
        1,
        "the build left no link cache"
    );
    without_cache(&cached, &uncached);

    let from_cache = AppState::with_today(&cached, today());
    let from_records = AppState::with_today(&uncached, today());
    for uri in uris(&cached) {
        let Reply { status, body, .. } = get(&from_cache, &uri).await;
        assert_eq!(status, StatusCode::OK, "{uri}");
        let Reply {
            status: status_records,
            body: body_records,
            ..
        } = get(&from_records, &uri).await;
        assert_eq!(status_records, StatusCode::OK, "{uri} without the cache");
        assert_eq!(body, body_records, "{uri}");
    }

    // What the comparison stands on: links, verdicts, linked titles and the
    // title of a mentioned paper that only its record has.
    let motion = get(&from_cache, "/papers/BA-044-2020").await.body;
    assert!(motion.contains("beantwortet durch"), "{motion}");
    assert!(motion.contains("70 Tage verspätet"), "{motion}");
    let answer = get(&from_cache, "/papers/I-051-2020").await.body;
    assert!(
        answer.contains("Ein Jahr Allianz Sichere Sächsische Kommunen (ASSKomm)"),
        "{answer}"
    );
    let mentioning = get(&from_cache, "/papers/BA-061-2021").await.body;
    let anfrage = DataDir::new(&cached)
        .load_record("RA-033/2020")
        .unwrap_or_else(|e| panic!("RA-033/2020: {e}"))
        .unwrap_or_else(|| panic!("RA-033/2020 not built"));
    assert!(!anfrage.title.is_empty());
    assert!(
        mentioning.contains(&format!("<span class=\"muted\">{}</span>", anfrage.title)),
        "title of RA-033/2020 missing:\n{mentioning}"
    );
}

#[tokio::test]
async fn the_clerks_table_comes_from_the_cache_without_parsing_records() {
    let work = tempfile::tempdir().unwrap_or_else(|e| panic!("tempdir: {e}"));
    let data = work.path().join("data");
    corpus(&work.path().join("corpus"));
    build(&work.path().join("corpus"), &data);
    let before = get(&AppState::with_today(&data, today()), "/api/status").await;
    assert_eq!(before.status, StatusCode::OK);

    // A record that no longer parses: reading every record would fail.
    let broken = DataDir::new(&data).record_path("BA-101/2021");
    assert!(broken.is_file());
    std::fs::write(&broken, "id: [kaputt").unwrap_or_else(|e| panic!("write: {e}"));

    let after = get(&AppState::with_today(&data, today()), "/api/status").await;
    assert_eq!(after, before);
    let uncached = work.path().join("uncached");
    without_cache(&data, &uncached);
    let status = get(&AppState::with_today(&uncached, today()), "/api/status")
        .await
        .status;
    assert_ne!(
        status,
        StatusCode::OK,
        "the records were not read without a cache"
    );
}
