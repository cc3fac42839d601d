//! Two real processes on one data directory: the second exits 75 and names
//! the holder; a lock left by a killed process does not block.

use std::io::{BufRead, BufReader};
use std::process::{Child, Stdio};

use crate::util::*;

/// Starts a build that stops at `stage` and waits until it says so.
pub fn start_paused(corpus: &std::path::Path, data: &std::path::Path, stage: &str) -> Child {
    let mut child = ratsdoc()
        .args([
            "build",
            corpus.to_str().unwrap(),
            "--data",
            data.to_str().unwrap(),
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
            _ => panic!("build ended before reaching {stage}: {:?}", child.wait()),
        }
    }
    // Keep draining so the child never blocks on a full pipe.
    std::thread::spawn(move || for _ in lines {});
    child
}

#[test]
fn a_second_build_exits_75_naming_the_holder_and_a_killed_holder_never_blocks() {
    let tmp = tempfile::tempdir().unwrap();
    let corpus = copy_text_corpus(tmp.path());
    let data = tmp.path().join("data");
    let mut first = start_paused(&corpus, &data, "extract");

    let second = build(&corpus, &data, &[]);
    assert_eq!(code(&second), 75, "{}", stderr(&second));
    let msg = stderr(&second);
    assert!(
        msg.contains(&format!("pid {}", first.id())),
        "holder not named: {msg}"
    );
    assert!(msg.contains("started"), "{msg}");

    first.kill().unwrap(); // SIGKILL: the lock file stays behind, the OS lock does not.
    first.wait().unwrap();
    assert!(data.join(".lock").exists());
    let third = build(&corpus, &data, &[]);
    assert_eq!(code(&third), 0, "{}", stderr(&third));
}
