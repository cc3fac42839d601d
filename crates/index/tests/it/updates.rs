//! The writing side: one commit per run, nothing written when nothing
//! changed, rebuild on a version change, and a generation flip that a kill
//! cannot break.

use std::fs;
use std::process::{Command, Stdio};
use std::time::Duration;

use ratsdoc_index::{
    CURRENT, IndexDoc, IndexUpdater, IndexVersion, SearchRequest, Searcher, VERSION_FILE,
};
use ratsdoc_model::Kind;

use crate::common::*;

fn live_generation_dir(fx: &Fixture) -> std::path::PathBuf {
    let name = fs::read_to_string(fx.index_dir.join(CURRENT)).expect("CURRENT");
    fx.index_dir.join(name.trim())
}

#[test]
fn fresh_index_is_built_and_searchable() {
    let fx = Fixture::new();
    fx.build(&council());
    assert_eq!(fx.searcher().num_docs(), 7);
    assert_eq!(fx.searcher().generation(), 1);
    let version: IndexVersion = serde_json::from_str(
        &fs::read_to_string(live_generation_dir(&fx).join(VERSION_FILE)).expect("version"),
    )
    .expect("json");
    assert_eq!(version, IndexVersion::this_build());
}

#[test]
fn missing_index_is_a_clear_error() {
    let fx = Fixture::new();
    let err = Searcher::open(&fx.index_dir).err().expect("no index");
    assert!(err.to_string().contains("ratsdoc build"), "{err}");
}

/// Truncated files of the live generation (a full disk, a copy cut short):
/// the error names the index and the command that rebuilds it, not
/// tantivy's "Footer magic byte mismatch".
#[test]
fn a_damaged_index_says_what_it_is_and_how_to_rebuild() {
    let fx = Fixture::new();
    fx.build(&council());
    let mut cut = 0;
    for entry in fs::read_dir(live_generation_dir(&fx)).expect("generation") {
        let path = entry.expect("entry").path();
        if path.extension().is_some_and(|e| e == "term") {
            let len = fs::metadata(&path).expect("meta").len();
            fs::File::options()
                .write(true)
                .open(&path)
                .and_then(|f| f.set_len(len / 2))
                .expect("truncate");
            cut += 1;
        }
    }
    assert!(cut > 0, "no .term file in the live generation");
    let err = Searcher::open(&fx.index_dir)
        .and_then(|s| s.search(&SearchRequest::new("Prävention")))
        .expect_err("a damaged index is an error");
    let data_dir = fx
        .index_dir
        .parent()
        .expect("data dir")
        .display()
        .to_string();
    let message = err.to_string();
    assert!(
        matches!(err, ratsdoc_index::IndexError::Damaged { .. }),
        "{err:?}"
    );
    assert!(message.contains("damaged or incomplete"), "{message}");
    assert!(
        message.contains(&format!("ratsdoc build <CORPUS> --data {data_dir}")),
        "{message}"
    );
}

#[test]
fn nothing_to_do_writes_nothing() {
    let fx = Fixture::new();
    fx.build(&council());
    let before = snapshot(&fx.index_dir);
    let updater = IndexUpdater::open(&fx.index_dir).expect("open");
    assert!(!updater.full_rebuild());
    updater.apply(&[], &[]).expect("apply");
    assert_eq!(
        snapshot(&fx.index_dir),
        before,
        "a no-op run touched the index"
    );
    // Searching does not write either.
    let _ = fx.search("Prävention");
    assert_eq!(
        snapshot(&fx.index_dir),
        before,
        "a search touched the index"
    );
}

#[test]
fn upsert_and_delete_in_one_commit() {
    let fx = Fixture::new();
    let mut records = council();
    fx.build(&records);
    let meta = live_generation_dir(&fx).join("meta.json");
    let opstamp = |text: &str| -> u64 {
        let v: serde_json::Value = serde_json::from_str(text).expect("meta.json");
        v["opstamp"].as_u64().expect("opstamp")
    };
    let before = opstamp(&fs::read_to_string(&meta).expect("meta"));

    // BA-010/2021 changes its title; the press release disappears.
    records[2].0.title = "Sanierung der Bolzplätze am Sonnenberg".into();
    let changed = [IndexDoc {
        record: &records[2].0,
        status: records[2].1,
    }];
    let updater = IndexUpdater::open(&fx.index_dir).expect("open");
    assert!(!updater.full_rebuild());
    updater
        .apply(&changed, &["other-0123456789abcdef".to_string()])
        .expect("apply");

    let after = opstamp(&fs::read_to_string(&meta).expect("meta"));
    assert!(after > before);
    let searcher = fx.searcher();
    assert_eq!(
        searcher.generation(),
        1,
        "an update stays in its generation"
    );
    assert_eq!(searcher.num_docs(), 6);
    assert_eq!(
        ids(&searcher
            .search(&SearchRequest::new("Bolzplätze"))
            .expect("s")),
        ["BA-010/2021"]
    );
    assert!(fx.ids("Kaßberg").is_empty(), "the old title is gone");
    assert!(fx.ids("Pressemitteilung Innenminister").is_empty());
}

#[test]
fn the_same_id_twice_keeps_the_last() {
    let fx = Fixture::new();
    fx.build(&council());
    let a = record(
        "BA-099/2022",
        Kind::Beschlussantrag,
        "Erste Fassung",
        "Text",
    );
    let b = record(
        "BA-099/2022",
        Kind::Beschlussantrag,
        "Zweite Fassung",
        "Text",
    );
    let updater = IndexUpdater::open(&fx.index_dir).expect("open");
    updater
        .apply(
            &[
                IndexDoc {
                    record: &a,
                    status: None,
                },
                IndexDoc {
                    record: &b,
                    status: None,
                },
            ],
            &[],
        )
        .expect("apply");
    let results = fx.search("BA-099/2022");
    assert_eq!(results.total, 1);
    assert_eq!(results.hits[0].title, "Zweite Fassung");
}

#[test]
fn another_version_means_full_rebuild() {
    let fx = Fixture::new();
    let records = council();
    fx.build(&records);
    let version_file = live_generation_dir(&fx).join(VERSION_FILE);
    fs::write(
        &version_file,
        r#"{"analyzer_version": 0, "record_version": 1}"#,
    )
    .expect("write");

    let err = Searcher::open(&fx.index_dir).err().expect("outdated");
    assert!(err.to_string().contains("another ratsdoc version"), "{err}");

    let updater = IndexUpdater::open(&fx.index_dir).expect("open");
    assert!(updater.full_rebuild());
    updater.apply(&docs(&records), &[]).expect("apply");
    let searcher = fx.searcher();
    assert_eq!(searcher.generation(), 2);
    assert_eq!(searcher.num_docs(), 7);
    assert!(
        !fx.index_dir.join("gen-1").exists(),
        "old generation removed"
    );
}

#[test]
fn leftover_incomplete_generation_does_not_break_anything() {
    let fx = Fixture::new();
    let records = council();
    fx.build(&records);
    // A rebuild killed before its flip: a half-written generation without a
    // version file, and a temp file of CURRENT.
    let stale = fx.index_dir.join("gen-2");
    fs::create_dir_all(&stale).expect("mkdir");
    fs::write(stale.join("meta.json"), "{ truncated").expect("write");
    fs::write(stale.join("0123.idx"), [0u8; 100]).expect("write");
    fs::write(fx.index_dir.join("CURRENT.tmp"), "gen-2\n").expect("write");

    let searcher = fx.searcher();
    assert_eq!(searcher.generation(), 1);
    assert!(fx.ids("Prävention").contains(&"BA-044/2020".to_string()));

    let updater = IndexUpdater::open(&fx.index_dir).expect("open");
    assert!(!updater.full_rebuild(), "the live generation is fine");
    assert!(!stale.exists(), "the stale generation is cleaned up");
    assert!(!fx.index_dir.join("CURRENT.tmp").exists());
}

#[test]
fn killed_after_flip_leaves_new_generation_live() {
    let fx = Fixture::new();
    let records = council();
    fx.build(&records);
    // Copy gen-1 to gen-2 and flip, as a rebuild that died before removing
    // the old generation would leave it.
    let gen2 = fx.index_dir.join("gen-2");
    fs::create_dir_all(&gen2).expect("mkdir");
    for entry in fs::read_dir(fx.index_dir.join("gen-1")).expect("read") {
        let entry = entry.expect("entry");
        fs::copy(entry.path(), gen2.join(entry.file_name())).expect("copy");
    }
    fs::write(fx.index_dir.join(CURRENT), "gen-2\n").expect("flip");
    assert_eq!(fx.searcher().generation(), 2);
    let updater = IndexUpdater::open(&fx.index_dir).expect("open");
    assert!(!updater.full_rebuild());
    assert!(!fx.index_dir.join("gen-1").exists());
}

#[test]
fn reload_follows_commits_and_generations() {
    let fx = Fixture::new();
    let records = council();
    fx.build(&records);
    let mut searcher = fx.searcher();
    let extra = record(
        "BA-100/2022",
        Kind::Beschlussantrag,
        "Neue Radwege am Kaßberg",
        "Text",
    );
    IndexUpdater::open(&fx.index_dir)
        .expect("open")
        .apply(
            &[IndexDoc {
                record: &extra,
                status: None,
            }],
            &[],
        )
        .expect("apply");
    assert_eq!(searcher.num_docs(), 7, "no reload yet");
    searcher.reload().expect("reload");
    assert_eq!(searcher.num_docs(), 8);

    fs::write(live_generation_dir(&fx).join(VERSION_FILE), "{}").expect("write");
    IndexUpdater::open(&fx.index_dir)
        .expect("open")
        .apply(&docs(&records), &[])
        .expect("rebuild");
    searcher.reload().expect("reload");
    assert_eq!(searcher.generation(), 2);
    assert_eq!(searcher.num_docs(), 7);
}

/// Papers the child writes per rebuild: few enough that a debug build
/// rebuilds several times a second, so kills land in every phase.
const CHILD_DOCS: u64 = 60;

/// The child side of [`kill_during_rebuild_keeps_index_searchable`]: rebuilds
/// over and over until killed.
#[test]
fn kill_child_rebuild_loop() {
    let Ok(dir) = std::env::var("RATSDOC_INDEX_KILL_CHILD") else {
        return;
    };
    let index_dir = std::path::PathBuf::from(dir);
    let mut records = Vec::new();
    for round in 0..CHILD_DOCS {
        let mut r = record(
            &format!("BA-{round:03}/2023"),
            Kind::Beschlussantrag,
            "Kriminalprävention im Stadtgebiet",
            &"Die Präventionsstrukturen der Stadt werden gestärkt. ".repeat(50),
        );
        r.date = date(2023, 1, 1);
        records.push((r, None));
    }
    loop {
        let mut updater = IndexUpdater::open(&index_dir).expect("open");
        updater.force_full_rebuild();
        updater.apply(&docs(&records), &[]).expect("apply");
    }
}

#[test]
fn kill_during_rebuild_keeps_index_searchable() {
    let fx = Fixture::new();
    let records = council();
    fx.build(&records);
    let exe = std::env::current_exe().expect("test binary");
    let mut saw_new_generation = false;
    for delay_ms in [150u64, 450, 800, 1300, 2100, 4000] {
        let mut child = Command::new(&exe)
            .args([
                "--exact",
                "updates::kill_child_rebuild_loop",
                "--nocapture",
                "--test-threads=1",
            ])
            .env("RATSDOC_INDEX_KILL_CHILD", &fx.index_dir)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("spawn child");
        std::thread::sleep(Duration::from_millis(delay_ms));
        child.kill().expect("kill -9");
        let _ = child.wait();
        // Whatever the moment of the kill: the old state or the new one.
        let searcher = Searcher::open(&fx.index_dir)
            .unwrap_or_else(|e| panic!("index broken after kill at {delay_ms} ms: {e}"));
        let n = searcher.num_docs();
        eprintln!(
            "killed after {delay_ms} ms: generation {}, {n} documents",
            searcher.generation()
        );
        assert!(n == 7 || n == CHILD_DOCS, "unexpected document count {n}");
        saw_new_generation |= n == CHILD_DOCS;
        let results = searcher
            .search(&SearchRequest::new("Prävention"))
            .expect("search");
        assert!(results.total > 0);
        // The next run completes the work.
        let updater = IndexUpdater::open(&fx.index_dir).expect("open after kill");
        if updater.full_rebuild() {
            updater
                .apply(&docs(&records), &[])
                .expect("rebuild after kill");
        }
        let searcher = fx.searcher();
        assert!(searcher.num_docs() == 7 || searcher.num_docs() == CHILD_DOCS);
        let gens = generations(&fx.index_dir);
        assert_eq!(gens, 1, "exactly the live generation remains");
    }
    assert!(
        saw_new_generation,
        "no child rebuild ever finished: the test proved nothing"
    );
}

/// The build's parser workers hold one batch together.
#[test]
fn a_batch_is_shared_between_threads() {
    fn shared<T: Send + Sync>() {}
    shared::<ratsdoc_index::IndexBatch>();

    let fx = Fixture::new();
    let records: Vec<_> = (0..200)
        .map(|i| {
            record(
                &format!("BA-{i:03}/2023"),
                Kind::Beschlussantrag,
                &format!("Antrag {i} zur Kriminalprävention"),
                "Die Präventionsstrukturen werden gestärkt.",
            )
        })
        .collect();
    let batch = IndexUpdater::open(&fx.index_dir)
        .expect("open")
        .begin()
        .expect("begin");
    std::thread::scope(|s| {
        for chunk in records.chunks(50) {
            let batch = &batch;
            s.spawn(move || {
                for record in chunk {
                    batch
                        .upsert(&IndexDoc {
                            record,
                            status: None,
                        })
                        .expect("upsert");
                }
            });
        }
    });
    batch.commit().expect("commit");
    assert_eq!(fx.searcher().num_docs(), 200);
    assert_eq!(fx.search("Prävention").total, 200);
    assert_eq!(fx.ids("BA-117/2023"), ["BA-117/2023"]);
}

#[test]
fn a_batch_without_changes_writes_nothing() {
    let fx = Fixture::new();
    fx.build(&council());
    let before = snapshot(&fx.index_dir);
    let batch = IndexUpdater::open(&fx.index_dir)
        .expect("open")
        .begin()
        .expect("begin");
    batch.commit().expect("commit");
    assert_eq!(snapshot(&fx.index_dir), before, "an empty batch wrote");
}

#[test]
fn a_dropped_batch_changes_nothing_searchable() {
    let fx = Fixture::new();
    let records = council();
    fx.build(&records);
    let generation = fx.searcher().generation();
    let extra = record(
        "BA-500/2024",
        Kind::Beschlussantrag,
        "Neue Turnhalle am Kaßberg",
        "Text",
    );

    // Incremental: upserts and a delete, then no commit.
    let batch = IndexUpdater::open(&fx.index_dir)
        .expect("open")
        .begin()
        .expect("begin");
    batch
        .upsert(&IndexDoc {
            record: &extra,
            status: None,
        })
        .expect("upsert");
    batch.delete("BA-044/2020").expect("delete");
    drop(batch);
    assert_eq!(fx.searcher().num_docs(), 7);
    assert!(fx.ids("BA-500/2024").is_empty());
    assert_eq!(
        fx.ids("BA-044/2020").first().map(String::as_str),
        Some("BA-044/2020")
    );

    // Full rebuild: the new generation is removed, the old one stays live.
    let mut updater = IndexUpdater::open(&fx.index_dir).expect("open");
    updater.force_full_rebuild();
    let batch = updater.begin().expect("begin");
    batch
        .upsert(&IndexDoc {
            record: &extra,
            status: None,
        })
        .expect("upsert");
    drop(batch);
    let searcher = fx.searcher();
    assert_eq!(searcher.generation(), generation);
    assert_eq!(searcher.num_docs(), 7);
    let gens = generations(&fx.index_dir);
    assert_eq!(gens, 1, "the unfinished generation is gone");

    // And the next run still works.
    let updater = IndexUpdater::open(&fx.index_dir).expect("open");
    assert!(!updater.full_rebuild());
    updater
        .apply(
            &[IndexDoc {
                record: &extra,
                status: None,
            }],
            &[],
        )
        .expect("apply");
    assert_eq!(fx.searcher().num_docs(), 8);
}

/// How many `gen-*` directories the index directory holds.
fn generations(index_dir: &std::path::Path) -> usize {
    fs::read_dir(index_dir)
        .expect("read")
        .filter(|e| {
            e.as_ref()
                .is_ok_and(|e| e.file_name().to_string_lossy().starts_with("gen-"))
        })
        .count()
}
