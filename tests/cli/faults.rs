//! Faults a nightly job meets: a `kill -9` at any stage (with the inputs
//! changed or put back in between), a full disk, and damaged or deleted
//! files in the data directory. After each, the next build gives exactly
//! what a fresh build gives, or stops with exit 2 and a clear message
//! having changed nothing.

use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, Stdio};

use crate::differential::{Rng, files_below, generated};
use crate::fresh::{Observed, assert_equals_fresh, compare_with_fresh, fresh};
use crate::util::*;

// The suites swap whole corpora on purpose, so every build allows mass
// removal; the guard against a lost corpus is tested in inputs.rs.
const AS_OF: &str = "2025-06-30";
const STAGES: [&str; 4] = ["extract", "records", "index", "manifest"];

/// Replaces the files of `corpus` by those of `from`.
fn put_inputs(corpus: &Path, from: &Path) {
    let _ = std::fs::remove_dir_all(corpus);
    for rel in files_below(from) {
        let to = corpus.join(&rel);
        std::fs::create_dir_all(to.parent().unwrap()).unwrap();
        std::fs::copy(from.join(&rel), to).unwrap();
    }
}

/// Starts a build as of [`AS_OF`] that stops at `stage`; `None` when the
/// build ended before reaching it (it had nothing to do there).
fn start_paused(corpus: &Path, data: &Path, stage: &str) -> Option<Child> {
    let mut child = ratsdoc()
        .args(["build", corpus.to_str().unwrap(), "--data"])
        .arg(data)
        .args(["--quiet", "--allow-mass-removal", "--as-of", AS_OF])
        .env("RATSDOC_PAUSE_AT", stage)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stderr.take().unwrap()).lines();
    let reached = lines
        .by_ref()
        .map_while(Result::ok)
        .any(|line| line.contains(&format!("paused at {stage}")));
    if !reached {
        child.wait().unwrap();
        return None;
    }
    std::thread::spawn(move || for _ in lines {});
    Some(child)
}

/// Starts a build that stops at `stage` and kills it there with SIGKILL;
/// says what happened, for the failure message.
fn kill_at(corpus: &Path, data: &Path, stage: &str) -> String {
    match start_paused(corpus, data, stage) {
        Some(mut child) => {
            child.kill().unwrap();
            child.wait().unwrap();
            format!("killed at {stage}")
        }
        None => format!("ended before {stage}"),
    }
}

fn build_as_of(corpus: &Path, data: &Path) -> i32 {
    let o = build(
        corpus,
        data,
        &["--quiet", "--allow-mass-removal", "--as-of", AS_OF],
    );
    let c = code(&o);
    assert!(c == 0 || c == 1, "build failed ({c}): {}", stderr(&o));
    c
}

/// Two generated corpora, the second with more papers, below `dir`.
fn corpora(dir: &Path) -> (PathBuf, PathBuf) {
    let (a, b) = (dir.join("inputs-a"), dir.join("inputs-b"));
    generated(120, 5, &a);
    generated(160, 5, &b);
    (a, b)
}

#[test]
fn a_killed_build_of_reverted_inputs_leaves_nothing_stale() {
    let mut failures = Vec::new();
    for stage in STAGES {
        let tmp = tempfile::tempdir().unwrap();
        let (a, b) = corpora(tmp.path());
        let corpus = tmp.path().join("corpus");
        let data = tmp.path().join("data");
        put_inputs(&corpus, &a);
        build_as_of(&corpus, &data);
        put_inputs(&corpus, &b);
        build_as_of(&corpus, &data);
        // The next night A is back, and the build dies midway.
        put_inputs(&corpus, &a);
        let killed = kill_at(&corpus, &data, stage);
        // B again: the run must not take the killed run's files for B's.
        put_inputs(&corpus, &b);
        let c = build_as_of(&corpus, &data);
        if let Err(d) = compare_with_fresh(&corpus, &data, c, tmp.path(), AS_OF) {
            failures.push(format!(
                "A, B, A {killed}, B: differs from a fresh build: {d}"
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

/// An input of `from` with one sentence more.
fn edited_copy(from: &Path, to: &Path, rng: &mut Rng) -> String {
    put_inputs(to, from);
    let files = files_below(to);
    let rel = rng.pick(&files).unwrap();
    let mut f = std::fs::OpenOptions::new()
        .append(true)
        .open(to.join(rel))
        .unwrap();
    writeln!(f, "\nDer Ortschaftsrat Grüna bittet um Beachtung.").unwrap();
    format!("edited {}", rel.display())
}

#[test]
fn kills_at_every_stage_with_inputs_changed_and_reverted_between() {
    let tmp = tempfile::tempdir().unwrap();
    let (a, b) = corpora(tmp.path());
    let edited = tmp.path().join("inputs-edited");
    let corpus = tmp.path().join("corpus");
    let data = tmp.path().join("data");
    let mut rng = Rng::new(11);
    put_inputs(&corpus, &a);
    build_as_of(&corpus, &data);
    let mut log = vec!["A built".to_string()];
    for round in 0..8 {
        // One or two killed runs, each on other inputs, then a complete one.
        for _ in 0..1 + rng.below(2) {
            let name = input_state(&mut rng, &a, &b, &edited, &corpus);
            let stage = STAGES[rng.below(STAGES.len())];
            log.push(format!("{name}: {}", kill_at(&corpus, &data, stage)));
        }
        let name = input_state(&mut rng, &a, &b, &edited, &corpus);
        let c = build_as_of(&corpus, &data);
        log.push(format!("{name}: built"));
        if let Err(d) = compare_with_fresh(&corpus, &data, c, tmp.path(), AS_OF) {
            panic!(
                "round {round}: the data dir differs from a fresh build: {d}\nsteps:\n{}",
                log.join("\n")
            );
        }
    }
}

/// Puts A, B or an edited B in place and names it.
fn input_state(rng: &mut Rng, a: &Path, b: &Path, edited: &Path, corpus: &Path) -> String {
    match rng.below(3) {
        0 => {
            put_inputs(corpus, a);
            "A".into()
        }
        1 => {
            put_inputs(corpus, b);
            "B".into()
        }
        _ => {
            let what = edited_copy(b, edited, rng);
            put_inputs(corpus, edited);
            format!("B {what}")
        }
    }
}

/// A tmpfs mounted for the life of the guard.
struct Tmpfs(PathBuf);

impl Tmpfs {
    /// Mounts `size` bytes at `at`; `Err` with the reason when this
    /// process may not mount.
    fn mount(at: &Path, size: u64) -> Result<Tmpfs, String> {
        // SAFETY: geteuid reads the process's user id and touches no memory.
        if unsafe { libc::geteuid() } != 0 {
            return Err("not running as root, cannot mount a tmpfs".into());
        }
        std::fs::create_dir_all(at).unwrap();
        let o = std::process::Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={size}"), "tmpfs"])
            .arg(at)
            .output()
            .map_err(|e| format!("cannot run mount: {e}"))?;
        if o.status.success() {
            Ok(Tmpfs(at.to_path_buf()))
        } else {
            Err(format!("mount failed: {}", stderr(&o)))
        }
    }
}

impl Drop for Tmpfs {
    fn drop(&mut self) {
        let ok = std::process::Command::new("umount")
            .arg(&self.0)
            .status()
            .is_ok_and(|s| s.success());
        if !ok {
            let _ = std::process::Command::new("umount")
                .arg("-l")
                .arg(&self.0)
                .status();
        }
    }
}

/// Fills the file system of `dir` up to `room` free bytes with one file.
fn fill(dir: &Path, room: u64) -> PathBuf {
    let path = dir.join("ballast");
    let mut f = std::fs::File::create(&path).unwrap();
    let chunk = vec![0u8; 64 * 1024];
    let mut len = 0u64;
    loop {
        match f.write(&chunk) {
            Ok(n) if n > 0 => len += n as u64,
            _ => break,
        }
    }
    f.set_len(len.saturating_sub(room)).unwrap();
    path
}

#[test]
fn a_full_disk_fails_with_exit_2_and_the_next_build_with_room_equals_fresh() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    let mount = match Tmpfs::mount(&data, 48 * 1024 * 1024) {
        Ok(m) => m,
        Err(why) => {
            println!("skipped: {why}");
            return;
        }
    };
    let (a, b) = corpora(tmp.path());
    let corpus = tmp.path().join("corpus");
    put_inputs(&corpus, &a);
    build_as_of(&corpus, &data);
    for (round, room) in [0u64, 16 << 10, 256 << 10, 2 << 20].into_iter().enumerate() {
        put_inputs(&corpus, if round % 2 == 0 { &b } else { &a });
        let ballast = fill(&data, room);
        let o = build(
            &corpus,
            &data,
            &["--quiet", "--allow-mass-removal", "--as-of", AS_OF],
        );
        let c = code(&o);
        let case = format!("round {round}, {room} bytes free");
        if room == 0 {
            assert_eq!(c, 2, "{case}: {}", stderr(&o));
        }
        if c == 2 {
            let msg = stderr(&o);
            assert!(
                msg.contains("ratsdoc: error:") && msg.to_lowercase().contains("space"),
                "{case}: not a clear message: {msg}"
            );
            // The previous state stays searchable.
            let s = run(
                &["search", "Stadtrat", "--data", data.to_str().unwrap()],
                tmp.path(),
            );
            assert_eq!(
                code(&s),
                0,
                "{case}: search after the failure: {}",
                stderr(&s)
            );
        } else {
            assert!(c == 0 || c == 1, "{case}: exit {c}: {}", stderr(&o));
        }
        std::fs::remove_file(ballast).unwrap();
        let c = build_as_of(&corpus, &data);
        assert_equals_fresh(&corpus, &data, c, AS_OF, &format!("{case}, then with room"));
    }
    drop(mount);
}

/// Damages (or deletes) one file of the data directory.
type Damage = fn(&Path);

fn live_index(data: &Path) -> PathBuf {
    let current = std::fs::read_to_string(data.join("index/CURRENT")).unwrap();
    data.join("index").join(current.trim())
}

fn truncate_terms(data: &Path) {
    for rel in files_below(&live_index(data)) {
        if rel.extension().is_some_and(|e| e == "term") {
            let f = std::fs::OpenOptions::new()
                .write(true)
                .open(live_index(data).join(rel))
                .unwrap();
            let len = f.metadata().unwrap().len();
            f.set_len(len / 3).unwrap();
        }
    }
}

fn delete_meta(data: &Path) {
    std::fs::remove_file(live_index(data).join("meta.json")).unwrap();
}

/// A motion's record: the paper others link to.
fn a_record(data: &Path) -> PathBuf {
    let records = files_below(&data.join("records"));
    let rel = records
        .iter()
        .find(|r| r.to_string_lossy().starts_with("BA-"))
        .unwrap_or(&records[0]);
    data.join("records").join(rel)
}

fn link_cache(data: &Path) -> PathBuf {
    std::fs::read_dir(data)
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| {
            p.file_name()
                .unwrap()
                .to_string_lossy()
                .starts_with("link-cache")
        })
        .unwrap()
}

fn garbage(path: &Path) {
    std::fs::write(path, b"\x00garbage: [unclosed\n\xff\xfe").unwrap();
}

fn truncate(path: &Path) {
    let f = std::fs::OpenOptions::new().write(true).open(path).unwrap();
    let len = f.metadata().unwrap().len();
    f.set_len(len / 2).unwrap();
}

fn delete(path: &Path) {
    std::fs::remove_file(path).unwrap();
}

const DAMAGES: &[(&str, Damage)] = &[
    ("index .term files truncated", truncate_terms),
    ("index meta.json deleted", delete_meta),
    ("record garbage", |d| garbage(&a_record(d))),
    ("record invalid UTF-8", |d| {
        std::fs::write(a_record(d), [b'i', b'd', b':', b' ', 0xc3, 0x28, 0xff]).unwrap();
    }),
    ("record deleted", |d| delete(&a_record(d))),
    ("links.yaml garbage", |d| garbage(&d.join("links.yaml"))),
    ("links.yaml deleted", |d| delete(&d.join("links.yaml"))),
    ("manifest.bin garbage", |d| garbage(&d.join("manifest.bin"))),
    ("manifest.bin truncated", |d| {
        truncate(&d.join("manifest.bin"))
    }),
    ("manifest.bin deleted", |d| delete(&d.join("manifest.bin"))),
    ("link cache garbage", |d| garbage(&link_cache(d))),
    ("link cache truncated", |d| truncate(&link_cache(d))),
    ("link cache deleted", |d| delete(&link_cache(d))),
    ("history.bin garbage", |d| garbage(&d.join("history.bin"))),
    ("history.bin truncated", |d| {
        truncate(&d.join("history.bin"))
    }),
    ("history.bin deleted", |d| delete(&d.join("history.bin"))),
];

#[test]
fn each_damaged_or_deleted_file_is_rebuilt_or_refused_with_a_clear_message() {
    let tmp = tempfile::tempdir().unwrap();
    let original = tmp.path().join("inputs");
    generated(80, 9, &original);
    let edited = tmp.path().join("inputs-edited");
    let what = edited_copy(&original, &edited, &mut Rng::new(3));
    let corpus = tmp.path().join("corpus");
    let mut failures = Vec::new();
    for (inputs, variant) in [(&original, "inputs unchanged"), (&edited, what.as_str())] {
        put_inputs(&corpus, inputs);
        let (fresh_code, want) = fresh(&corpus, tmp.path(), AS_OF);
        for (name, damage) in DAMAGES {
            let data = tmp.path().join("data");
            let _ = std::fs::remove_dir_all(&data);
            put_inputs(&corpus, &original);
            build_as_of(&corpus, &data);
            damage(&data);
            let before = snapshot(&data);
            put_inputs(&corpus, inputs);
            let o = build(
                &corpus,
                &data,
                &["--quiet", "--allow-mass-removal", "--as-of", AS_OF],
            );
            let c = code(&o);
            let case = format!("{name}, {variant}");
            if c == 2 {
                // The lock file names each run's process: not a change.
                let changed: Vec<String> = snapshot(&data)
                    .into_iter()
                    .filter(|f| !before.contains(f) && !f.0.ends_with(".lock"))
                    .map(|f| f.0)
                    .collect();
                if !changed.is_empty() || !stderr(&o).contains("ratsdoc: error:") {
                    failures.push(format!(
                        "{case}: exit 2, but wrote {changed:?}; message: {}",
                        stderr(&o)
                    ));
                }
                continue;
            }
            if c != fresh_code {
                failures.push(format!(
                    "{case}: exit {c}, fresh {fresh_code}: {}",
                    stderr(&o)
                ));
                continue;
            }
            if let Some(d) = Observed::of(&data, AS_OF).first_difference(&want) {
                failures.push(format!("{case}: differs from a fresh build: {d}"));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}
