//! Indexing throughput on real records: reads every YAML record of a data
//! directory (not timed), then times a full rebuild through
//! [`IndexUpdater::begin`], [`IndexBatch::upsert`] from one thread per core
//! (as the build's parser workers call it) and [`IndexBatch::commit`].
//!
//! ```sh
//! cargo run --release -p ratsdoc-index --example index_records -- \
//!     /tmp/ratsdoc-bench/100000/data/records /tmp/index-work/idx
//! /usr/bin/time -f "%e s %M KB" target/release/examples/index_records RECORDS OUT
//! ```
//!
//! `OUT` is an index directory (as `<DATA>/index`); an index already there is
//! replaced by a new generation, as a full rebuild would. A third argument,
//! the output of `ratsdoc status --json --as-of …` saved to a file, gives the
//! motions their report status (so that status filters find them).
//!
//! [`IndexBatch::upsert`]: ratsdoc_index::IndexBatch::upsert
//! [`IndexBatch::commit`]: ratsdoc_index::IndexBatch::commit

use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Instant;

use std::collections::HashMap;

use ratsdoc_index::{IndexDoc, IndexUpdater};
use ratsdoc_model::{Record, StatusKind, yaml};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args_os().skip(1);
    let (Some(records_dir), Some(index_dir)) = (args.next(), args.next()) else {
        return Err("usage: index_records <records dir> <index dir>".into());
    };
    let statuses = match args.next() {
        Some(verdicts) => statuses(Path::new(&verdicts))?,
        None => HashMap::new(),
    };
    let threads = std::thread::available_parallelism().map_or(1, usize::from);

    // Step 1: read all records, in parallel (not timed).
    let t = Instant::now();
    let paths = yaml_files(Path::new(&records_dir))?;
    let records = read_all(&paths, threads)?;
    let bytes: usize = records
        .iter()
        .map(|r| r.title.len() + r.body.as_deref().map_or(0, str::len))
        .sum();
    println!(
        "read {} records ({:.0} MB title+body) in {:.1} s; peak RSS so far {}",
        records.len(),
        bytes as f64 / 1e6,
        t.elapsed().as_secs_f64(),
        peak_rss()
    );

    // Step 2: a full rebuild, fed from one thread per core.
    let t = Instant::now();
    let mut updater = IndexUpdater::open(Path::new(&index_dir))?;
    updater.force_full_rebuild();
    let batch = updater.begin()?;
    let next = AtomicUsize::new(0);
    let failure = Mutex::new(None);
    std::thread::scope(|s| {
        for _ in 0..threads {
            s.spawn(|| {
                while let Some(record) = records.get(next.fetch_add(1, Ordering::Relaxed)) {
                    let doc = IndexDoc {
                        record,
                        status: statuses.get(&record.id).copied(),
                    };
                    if let Err(e) = batch.upsert(&doc) {
                        if let Ok(mut f) = failure.lock() {
                            f.get_or_insert(e);
                        }
                        return;
                    }
                }
            });
        }
    });
    if let Some(e) = failure.into_inner().ok().flatten() {
        return Err(e.into());
    }
    let fed = t.elapsed().as_secs_f64();
    batch.commit()?;
    let secs = t.elapsed().as_secs_f64();
    println!(
        "indexed {} records in {secs:.2} s ({:.0} docs/s; all upserted after {fed:.2} s, \
         commit and merges {:.2} s) on {threads} feeding threads; peak RSS {}",
        records.len(),
        records.len() as f64 / secs,
        secs - fed,
        peak_rss()
    );
    Ok(())
}

/// The report status per id from `ratsdoc status --json` (the interface
/// contract's array, not the build's private manifest).
fn statuses(verdicts: &Path) -> Result<HashMap<String, StatusKind>, Box<dyn std::error::Error>> {
    let list: Vec<ratsdoc_model::MotionStatus> =
        serde_json::from_str(&std::fs::read_to_string(verdicts)?)?;
    Ok(list.into_iter().map(|v| (v.id, v.status)).collect())
}

/// The process's peak resident memory as the kernel counts it (Linux), so
/// that the indexing's own share is the final peak minus this.
fn peak_rss() -> String {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find_map(|l| l.strip_prefix("VmHWM:"))
                .map(|v| v.trim().to_string())
        })
        .unwrap_or_else(|| "unknown".into())
}

fn yaml_files(dir: &Path) -> Result<Vec<PathBuf>, Box<dyn std::error::Error>> {
    let mut paths = Vec::new();
    for entry in std::fs::read_dir(dir)? {
        let path = entry?.path();
        if path.extension().is_some_and(|e| e == "yaml") {
            paths.push(path);
        }
    }
    paths.sort();
    Ok(paths)
}

fn read_all(paths: &[PathBuf], threads: usize) -> Result<Vec<Record>, Box<dyn std::error::Error>> {
    let chunk = paths.len().div_ceil(threads).max(1);
    let parts: Vec<Result<Vec<Record>, String>> = std::thread::scope(|s| {
        let handles: Vec<_> = paths
            .chunks(chunk)
            .map(|chunk| {
                s.spawn(move || {
                    chunk
                        .iter()
                        .map(|p| {
                            let text = std::fs::read_to_string(p)
                                .map_err(|e| format!("{}: {e}", p.display()))?;
                            yaml::from_str::<Record>(&text)
                                .map_err(|e| format!("{}: {e}", p.display()))
                        })
                        .collect()
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().unwrap_or_else(|_| Err("reader panicked".into())))
            .collect()
    });
    let mut records = Vec::with_capacity(paths.len());
    for part in parts {
        records.extend(part?);
    }
    Ok(records)
}
