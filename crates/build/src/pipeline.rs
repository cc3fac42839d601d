//! `ratsdoc build` as one readable sequence of stages:
//!
//! 1. lock the data directory;
//! 2. scan the inputs and compare them with the manifest;
//! 3. extract and parse what is new or changed (in parallel);
//! 4. merge the files of each paper and write the records that changed;
//! 5. link answers to motions and judge report status (global, cheap);
//! 6. update the index in one commit (only what changed);
//! 7. write the manifest and the run report.
//!
//! The order is what makes a `kill -9` harmless: records are replaced one by
//! one atomically, the index changes in a single commit, and the manifest —
//! the memory of what is done — is written only after the commit. A killed
//! run therefore leaves the previous index searchable and the next run
//! redoes whatever the killed one did not finish.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::PathBuf;
use std::time::{Instant, UNIX_EPOCH};

use chrono::NaiveDate;
use ratsdoc_extract::{Extractor, ExtractorConfig};
use ratsdoc_index::{IndexDoc, IndexUpdater};
use ratsdoc_model::number::id_to_file_stem;
use ratsdoc_model::{
    Change, FileOutcome, Kind, Outcome, RECORD_VERSION, Record, RunReport, Source, StatusKind,
    Timings, Totals, yaml,
};
use rayon::prelude::*;

use crate::atomic::Durability;
use crate::manifest::{FileEntry, Manifest};
use crate::scan::{Input, scan};
use crate::{BuildError, DataDir, atomic, lock::BuildLock, merge::merge};

/// What to build, and where.
#[derive(Debug, Clone)]
pub struct BuildOptions {
    /// Files and directories to read.
    pub inputs: Vec<PathBuf>,
    /// The data directory (`<DATA>`).
    pub data: PathBuf,
    /// The date report status is judged on for the index's status filter.
    pub as_of: NaiveDate,
    pub extractor: ExtractorConfig,
}

/// Told about progress; the binary draws a bar on a terminal.
pub trait Progress: Sync {
    fn start(&self, _files: u64) {}
    fn file_done(&self) {}
    fn stage(&self, _name: &str) {}
}

/// For callers that want no progress.
pub struct NoProgress;
impl Progress for NoProgress {}

/// The result of reading one input file in this run.
struct Read {
    display: String,
    entry: FileEntry,
    change: Change,
    /// The record, when the file was (re-)parsed and yielded one.
    record: Option<Record>,
}

/// Runs the whole build. Errors of single files end up in the report; an
/// `Err` means the run as a whole could not be done (lock held, data
/// directory unwritable, index broken).
pub fn build(opts: &BuildOptions, progress: &dyn Progress) -> Result<RunReport, BuildError> {
    let t_start = Instant::now();
    let started = chrono::Local::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
    let data = DataDir::new(&opts.data);
    std::fs::create_dir_all(data.records_dir())
        .map_err(|e| BuildError::io(data.records_dir(), e))?;
    let _lock = BuildLock::acquire(&data.lock_path())?;
    atomic::clean_leftovers(data.root());
    atomic::clean_leftovers(&data.records_dir());

    // 2. Scan and compare with the manifest.
    let old = Manifest::load(&data.manifest_path());
    let reparse_all = old.record_version != RECORD_VERSION;
    let inputs = scan(&opts.inputs);
    let t_scan = t_start.elapsed();
    progress.start(inputs.len() as u64);

    // 3. Extract and parse what changed.
    let extractor = Extractor::new(opts.extractor.clone());
    pause_point("extract");
    let reads: Vec<Read> = inputs
        .par_iter()
        .map(|input| {
            let read = read_input(input, &old, reparse_all, &extractor);
            progress.file_done();
            read
        })
        .collect();

    // Papers that arrive as several files: when one of them changed, the
    // others are needed again for the merge.
    let mut affected: BTreeSet<String> = BTreeSet::new();
    let current_paths: BTreeSet<&str> = reads.iter().map(|r| r.display.as_str()).collect();
    for read in &reads {
        if read.change != Change::Unchanged {
            affected.extend(read.entry.id.clone());
            if let Some(prev) = old.files.get(&read.display) {
                affected.extend(prev.id.clone());
            }
        }
    }
    let removed: Vec<(&String, &FileEntry)> = old
        .files
        .iter()
        .filter(|(path, _)| !current_paths.contains(path.as_str()))
        .collect();
    for (_, entry) in &removed {
        affected.extend(entry.id.clone());
    }
    let mut reads = reads;
    let again: Vec<usize> = reads
        .iter()
        .enumerate()
        .filter(|(_, r)| {
            r.record.is_none()
                && r.entry.outcome != Outcome::Error
                && r.entry.id.as_ref().is_some_and(|id| affected.contains(id))
        })
        .map(|(i, _)| i)
        .collect();
    let reparsed: Vec<(usize, Option<Record>)> = again
        .par_iter()
        .map(|&i| {
            let Input::File { path, format, .. } = &inputs[i] else {
                return (i, None);
            };
            let record = std::fs::read(path).ok().and_then(|bytes| {
                let hash = blake3::hash(&bytes).to_hex().to_string();
                extract_and_parse(&extractor, path, &reads[i].display, &bytes, &hash, *format).ok()
            });
            (i, record)
        })
        .collect();
    for (i, record) in reparsed {
        reads[i].record = record;
    }
    drop(extractor);
    let t_extract = t_start.elapsed();

    // 4. Merge per paper and write the records that changed.
    pause_point("records");
    progress.stage("writing records");
    let mut by_id: BTreeMap<String, Vec<Record>> = BTreeMap::new();
    for read in &reads {
        if let Some(record) = &read.record
            && affected.contains(&record.id)
        {
            by_id
                .entry(record.id.clone())
                .or_default()
                .push(record.clone());
        }
    }
    let mut disagreements = Vec::new();
    for id in &affected {
        let path = data.record_path(id);
        match by_id.remove(id).and_then(merge) {
            Some((record, notes)) => {
                disagreements.extend(notes);
                let text = yaml::to_string(&record).map_err(|e| BuildError::Corrupt {
                    path: path.clone(),
                    message: e.to_string(),
                })?;
                atomic::write_if_changed_with(&path, text.as_bytes(), Durability::Deferred)?;
            }
            None => match std::fs::remove_file(&path) {
                Ok(()) => {}
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
                Err(e) => return Err(BuildError::io(path, e)),
            },
        }
    }
    if !affected.is_empty() {
        // Records must be on disk before the index and the manifest refer
        // to them; one sync for all of them.
        atomic::sync_filesystem(&data.records_dir())?;
    }
    let t_write = t_start.elapsed();

    // 5 + 6. Link, judge and index — unless nothing changed since a run on
    // the same as-of date, when links, verdicts and the index are exactly
    // what the last run left (the cron job's common case: no record is read).
    let unchanged_run = !reparse_all
        && affected.is_empty()
        && removed.is_empty()
        && reads.iter().all(|r| r.change == Change::Unchanged)
        && old.as_of == Some(opts.as_of);
    let updater = IndexUpdater::open(&data.index_dir())?;
    let derived = if unchanged_run && !updater.full_rebuild() {
        tracing::info!(
            "nothing changed since the last run on {}: links and index kept",
            opts.as_of
        );
        Derived {
            records: old.records,
            links: old.links,
            indexed: old.indexed.clone(),
            full_rebuild: false,
            link_time: std::time::Duration::ZERO,
            index_time: std::time::Duration::ZERO,
        }
    } else {
        progress.stage("linking");
        link_and_index(&data, &old, &affected, opts.as_of, updater)?
    };

    // 7. Remember what is done, then report.
    pause_point("manifest");
    let manifest = Manifest {
        record_version: RECORD_VERSION,
        files: reads
            .iter()
            .map(|r| (r.display.clone(), r.entry.clone()))
            .collect(),
        indexed: derived.indexed,
        as_of: Some(opts.as_of),
        records: derived.records,
        links: derived.links,
    };
    atomic::write(&data.manifest_path(), &manifest.to_json()?)?;

    let mut files: Vec<FileOutcome> = reads
        .iter()
        .map(|r| FileOutcome {
            path: r.display.clone(),
            outcome: r.entry.outcome,
            id: r.entry.id.clone(),
            reason: r.entry.reason.clone(),
            change: r.change,
        })
        .collect();
    files.extend(removed.iter().map(|(path, entry)| FileOutcome {
        path: (*path).clone(),
        outcome: entry.outcome,
        id: entry.id.clone(),
        reason: entry.reason.clone(),
        change: Change::Removed,
    }));
    files.sort_by(|a, b| a.path.cmp(&b.path));
    let count = |f: &dyn Fn(&Read) -> bool| reads.iter().filter(|r| f(r)).count();
    let totals = Totals {
        files: reads.len(),
        records: derived.records,
        other: count(&|r| r.entry.outcome == Outcome::Other),
        errors: count(&|r| r.entry.outcome == Outcome::Error),
        added: count(&|r| r.change == Change::Added),
        changed: count(&|r| r.change == Change::Changed),
        removed: removed.len(),
        unchanged: count(&|r| r.change == Change::Unchanged),
        links: derived.links,
    };
    let ms = |d: std::time::Duration| d.as_millis() as u64;
    let timings = Timings {
        total_ms: ms(t_start.elapsed()),
        scan_ms: ms(t_scan),
        extract_parse_ms: ms(t_extract - t_scan),
        write_ms: ms(t_write - t_extract),
        link_ms: ms(derived.link_time),
        index_ms: ms(derived.index_time),
    };
    let report = RunReport {
        version: env!("CARGO_PKG_VERSION").to_string(),
        started,
        totals,
        timings,
        files,
        disagreements,
        full_rebuild: derived.full_rebuild,
    };
    let json = serde_json::to_vec_pretty(&report).map_err(|e| BuildError::Corrupt {
        path: data.report_path(),
        message: e.to_string(),
    })?;
    atomic::write(&data.report_path(), &json)?;
    Ok(report)
}

/// What the global pass leaves for the manifest and the report.
struct Derived {
    /// Council papers (not `other`) among the records.
    records: usize,
    links: usize,
    /// Per record id, the fingerprint of what the index now holds.
    indexed: BTreeMap<String, String>,
    full_rebuild: bool,
    link_time: std::time::Duration,
    index_time: std::time::Duration,
}

/// Links answers to motions, judges report status as of `as_of`, writes
/// `links.yaml`, and gives the index what differs from what it holds.
fn link_and_index(
    data: &DataDir,
    old: &Manifest,
    affected: &BTreeSet<String>,
    as_of: NaiveDate,
    updater: IndexUpdater,
) -> Result<Derived, BuildError> {
    let t_start = Instant::now();
    let (records, fingerprints, mut full) = load_essentials(data, affected)?;
    let links = ratsdoc_link::link(&records);
    let links_yaml = yaml::to_string(&links).map_err(|e| BuildError::Corrupt {
        path: data.links_path(),
        message: e.to_string(),
    })?;
    atomic::write_if_changed(&data.links_path(), links_yaml.as_bytes())?;
    let statuses: HashMap<String, StatusKind> = ratsdoc_link::status(&records, &links, as_of)
        .into_iter()
        .map(|s| (s.id, s.status))
        .collect();

    let link_time = t_start.elapsed();
    pause_point("index");
    let full_rebuild = updater.full_rebuild();
    let mut indexed = BTreeMap::new();
    let mut wanted = Vec::new();
    for (record, file_hash) in records.iter().zip(&fingerprints) {
        let status = statuses.get(&record.id).copied();
        let fp = format!(
            "{file_hash}:{}",
            status.map(StatusKind::as_str).unwrap_or("-")
        );
        if full_rebuild || old.indexed.get(&record.id) != Some(&fp) {
            wanted.push((record.id.clone(), status));
        }
        indexed.insert(record.id.clone(), fp);
    }
    // The index gets whole records; those not read this run come from disk.
    for (id, _) in &wanted {
        if !full.contains_key(id) {
            let path = data.record_path(id);
            let text = std::fs::read_to_string(&path).map_err(|e| BuildError::io(&path, e))?;
            full.insert(id.clone(), read_record_text(&path, &text)?);
        }
    }
    let upserts: Vec<IndexDoc<'_>> = wanted
        .iter()
        .filter_map(|(id, status)| {
            full.get(id).map(|record| IndexDoc {
                record,
                status: *status,
            })
        })
        .collect();
    let deletes: Vec<String> = if full_rebuild {
        Vec::new()
    } else {
        old.indexed
            .keys()
            .filter(|id| !indexed.contains_key(*id))
            .cloned()
            .collect()
    };
    tracing::info!(
        upserts = upserts.len(),
        deletes = deletes.len(),
        full_rebuild,
        "index update"
    );
    updater.apply(&upserts, &deletes)?;
    Ok(Derived {
        records: records.iter().filter(|r| r.kind != Kind::Other).count(),
        links: links.links.len(),
        indexed,
        full_rebuild,
        link_time,
        index_time: t_start.elapsed() - link_time,
    })
}

/// Looks at one input: unchanged files are answered from the manifest
/// without reading (same size and mtime) or without parsing (same hash).
fn read_input(input: &Input, old: &Manifest, reparse_all: bool, extractor: &Extractor) -> Read {
    let (path, display, format) = match input {
        Input::File {
            path,
            display,
            format,
        } => (path, display, *format),
        Input::Unreadable { display, reason } => {
            return error_read(display, reason.clone(), old);
        }
    };
    let prev = old.files.get(display);
    let meta = match std::fs::metadata(path) {
        Ok(m) => m,
        Err(e) => return error_read(display, format!("cannot read: {e}"), old),
    };
    let size = meta.len();
    let mtime_ns = meta
        .modified()
        .ok()
        .and_then(|t| t.duration_since(UNIX_EPOCH).ok())
        .map(|d| d.as_nanos() as i128)
        .unwrap_or(0);
    if let Some(prev) = prev
        && !reparse_all
        && prev.size == size
        && prev.mtime_ns == mtime_ns
    {
        return Read {
            display: display.clone(),
            entry: prev.clone(),
            change: Change::Unchanged,
            record: None,
        };
    }
    let bytes = match std::fs::read(path) {
        Ok(b) => b,
        Err(e) => return error_read(display, format!("cannot read: {e}"), old),
    };
    let hash = blake3::hash(&bytes).to_hex().to_string();
    if let Some(prev) = prev
        && !reparse_all
        && prev.hash == hash
    {
        let entry = FileEntry {
            size,
            mtime_ns,
            ..prev.clone()
        };
        return Read {
            display: display.clone(),
            entry,
            change: Change::Unchanged,
            record: None,
        };
    }
    let change = if prev.is_some() {
        Change::Changed
    } else {
        Change::Added
    };
    let (outcome, id, reason, record) =
        match extract_and_parse(extractor, path, display, &bytes, &hash, format) {
            Ok(record) => {
                let outcome = if record.kind == Kind::Other {
                    Outcome::Other
                } else {
                    Outcome::Record
                };
                (
                    outcome,
                    Some(record.id.clone()),
                    record.other_reason.clone(),
                    Some(record),
                )
            }
            Err(reason) => (Outcome::Error, None, Some(reason), None),
        };
    let entry = FileEntry {
        hash,
        size,
        mtime_ns,
        outcome,
        id,
        reason,
    };
    Read {
        display: display.clone(),
        entry,
        change,
        record,
    }
}

fn error_read(display: &str, reason: String, old: &Manifest) -> Read {
    let change = if old.files.contains_key(display) {
        Change::Changed
    } else {
        Change::Added
    };
    let entry = FileEntry {
        hash: String::new(),
        size: 0,
        mtime_ns: 0,
        outcome: Outcome::Error,
        id: None,
        reason: Some(reason),
    };
    Read {
        display: display.to_string(),
        entry,
        change,
        record: None,
    }
}

/// Bytes to record. The parser never fails; only extraction can.
fn extract_and_parse(
    extractor: &Extractor,
    path: &std::path::Path,
    display: &str,
    bytes: &[u8],
    hash: &str,
    format: ratsdoc_model::SourceFormat,
) -> Result<Record, String> {
    let extracted = extractor
        .extract(path, bytes, format)
        .map_err(|e| e.to_string())?;
    let source = Source {
        path: display.to_string(),
        format,
        hash: hash.to_string(),
        pages: extracted.pages,
        extractor: Some(extracted.extractor.clone()),
        encoding: extracted.encoding.clone(),
    };
    let mut record = ratsdoc_parse::parse(&extracted.text, source);
    record.diagnostics.extend(extracted.notes);
    Ok(record)
}

/// Every record on disk in its linking essentials (`ratsdoc_link::essentials`)
/// with the blake3 of its file — which stands for "what the index was given"
/// in the manifest — and the whole records that had to be read.
///
/// Unchanged records come from `<DATA>/link-cache.json`, so a nightly run
/// over 100,000 papers reads only the records of the files that changed. A
/// missing, damaged or outdated cache only costs time: everything is read.
#[allow(clippy::type_complexity)]
fn load_essentials(
    data: &DataDir,
    affected: &BTreeSet<String>,
) -> Result<(Vec<Record>, Vec<String>, HashMap<String, Record>), BuildError> {
    let cache_path = data.root().join("link-cache.json");
    let mut cache: LinkCache = std::fs::read(&cache_path)
        .ok()
        .and_then(|bytes| serde_json::from_slice::<LinkCache>(&bytes).ok())
        .filter(|c| c.record_version == RECORD_VERSION)
        .unwrap_or_default();
    let stale: BTreeSet<String> = affected.iter().map(|id| id_to_file_stem(id)).collect();
    let dir = data.records_dir();
    let mut stems: Vec<String> = std::fs::read_dir(&dir)
        .map_err(|e| BuildError::io(&dir, e))?
        .filter_map(|e| e.ok())
        .filter_map(|e| {
            e.file_name()
                .to_str()
                .and_then(|n| n.strip_suffix(".yaml"))
                .map(str::to_string)
        })
        .filter(|stem| !stem.starts_with('.'))
        .collect();
    stems.sort();
    let to_read: Vec<&String> = stems
        .iter()
        .filter(|stem| stale.contains(*stem) || !cache.entries.contains_key(*stem))
        .collect();
    let loaded: Vec<Result<(String, Record, String), BuildError>> = to_read
        .par_iter()
        .map(|stem| {
            let path = dir.join(format!("{stem}.yaml"));
            let bytes = std::fs::read(&path).map_err(|e| BuildError::io(&path, e))?;
            let record = read_record_text(&path, &String::from_utf8_lossy(&bytes))?;
            Ok((
                (*stem).clone(),
                record,
                blake3::hash(&bytes).to_hex().to_string(),
            ))
        })
        .collect();
    let mut full = HashMap::with_capacity(loaded.len());
    let changed = !loaded.is_empty() || cache.entries.len() != stems.len();
    for item in loaded {
        let (stem, record, hash) = item?;
        cache.entries.insert(
            stem,
            CacheEntry {
                hash,
                record: ratsdoc_link::essentials(&record),
            },
        );
        full.insert(record.id.clone(), record);
    }
    let present: BTreeSet<&String> = stems.iter().collect();
    cache.entries.retain(|stem, _| present.contains(stem));
    cache.record_version = RECORD_VERSION;
    if changed {
        let json = serde_json::to_vec(&cache).map_err(|e| BuildError::Corrupt {
            path: cache_path.clone(),
            message: e.to_string(),
        })?;
        atomic::write(&cache_path, &json)?;
    }
    let mut records = Vec::with_capacity(cache.entries.len());
    let mut hashes = Vec::with_capacity(cache.entries.len());
    for entry in cache.entries.into_values() {
        records.push(entry.record);
        hashes.push(entry.hash);
    }
    Ok((records, hashes, full))
}

/// `<DATA>/link-cache.json`: per record file stem, the record's essentials
/// and the hash of its file.
#[derive(Debug, Default, serde::Serialize, serde::Deserialize)]
struct LinkCache {
    record_version: u32,
    entries: BTreeMap<String, CacheEntry>,
}

#[derive(Debug, serde::Serialize, serde::Deserialize)]
struct CacheEntry {
    hash: String,
    record: Record,
}

fn read_record_text(path: &std::path::Path, text: &str) -> Result<Record, BuildError> {
    yaml::from_str(text).map_err(|e| BuildError::Corrupt {
        path: path.to_path_buf(),
        message: format!("{e} (delete the file and run the build again)"),
    })
}

/// Test hook for the crash tests: with `RATSDOC_PAUSE_AT=<stage>` the build
/// announces the stage on stderr and sleeps there, so a test can `kill -9`
/// it at a known point. Without the variable this does nothing.
fn pause_point(stage: &str) {
    if std::env::var("RATSDOC_PAUSE_AT").is_ok_and(|s| s == stage) {
        eprintln!("ratsdoc: paused at {stage}");
        std::thread::sleep(std::time::Duration::from_secs(600));
    }
}
