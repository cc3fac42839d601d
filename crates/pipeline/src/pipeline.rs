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
use std::sync::Mutex;
use std::time::{Duration, Instant};

use chrono::NaiveDate;
use ratsdoc_extract::{Extractor, ExtractorConfig};
use ratsdoc_index::{IndexBatch, IndexDoc, IndexUpdater};
use ratsdoc_link::Essentials;
use ratsdoc_model::{
    Change, FileOutcome, Kind, Outcome, RECORD_VERSION, Record, RunReport, Source, StatusKind,
    Timings, Totals, yaml,
};
use rayon::prelude::*;

use ratsdoc_store::DataDir;
use ratsdoc_store::atomic::{self, Durability};
use ratsdoc_store::cache::{self, EssentialsDigest, LinkCache};
use ratsdoc_store::lock::BuildLock;
use ratsdoc_store::manifest::{FileEntry, Hash, Manifest, PaperState};

use crate::guard;
use crate::hooks::{Stage, pause_at};
use crate::scan::{self, Input, Seen, scan};
use crate::{BuildError, merge::merge};

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
    /// Parse every file again, as if the data directory were new
    /// (`ratsdoc build --full`): writes record files damaged or deleted by
    /// hand again from their sources. The index and the links still get
    /// only what differs.
    pub full: bool,
    /// Let the run remove papers even when the corpus looks gone rather
    /// than emptied (`--allow-mass-removal`; see `guard.rs`).
    pub allow_mass_removal: bool,
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
    /// The record, when the file was (re-)parsed and yielded one and it is
    /// still to be merged and written.
    record: Option<Record>,
    /// The record, already written (and indexed unless it is a motion)
    /// while the other files were still being parsed.
    written: Option<Result<Written, BuildError>>,
}

/// Runs the whole build. Errors of single files end up in the report; an
/// `Err` means the run as a whole could not be done (lock held, data
/// directory unwritable, index broken).
pub fn build(opts: &BuildOptions, progress: &dyn Progress) -> Result<RunReport, BuildError> {
    let t_start = Instant::now();
    let started = chrono::Local::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
    let data = DataDir::new(&opts.data);
    // guard: refused runs leave <DATA> untouched, so check before creating it.
    guard::before_any_write(&opts.data, &opts.inputs)?;
    std::fs::create_dir_all(data.records_dir())
        .map_err(|e| BuildError::io(data.records_dir(), e))?;
    let lock = BuildLock::acquire(&data.lock_path())?;
    // Listing 100,000 record files costs tens of milliseconds; only a killed
    // run leaves temporary files behind.
    if lock.previous_run_unfinished() {
        timed("clean leftovers", || {
            atomic::clean_leftovers(data.root());
            atomic::clean_leftovers(&data.records_dir());
        });
    }

    // 2. Scan and compare with the manifest.
    // The manifest and the walk are read at the same time: together they
    // are most of a nightly run that has little to do.
    let (mut old, scanned) = rayon::join(
        || timed("load manifest", || Manifest::load(data.root())),
        || timed("scan", || scan(&opts.inputs)),
    );
    // guard: stop before anything is written when removals look like a lost corpus.
    guard::removals(&old.files, &scanned, opts.allow_mass_removal)?;
    let inputs = scanned.inputs;
    let reparse_all = opts.full || old.record_version != RECORD_VERSION;
    // When papers may have come or gone, or verdicts are due on another
    // date, the run links again whatever it parses: the link cache is read
    // while the files are parsed. Otherwise it is read only if a changed
    // paper turns out to change what linking reads.
    let links_stale = reparse_all
        || old.as_of != Some(opts.as_of)
        || old.link_cache.is_none()
        || inputs.len() != old.files.len()
        || inputs.iter().any(|i| !old.files.contains_key(i.display()));
    let cache_load = if links_stale {
        CacheLoad::start(&data, &old)
    } else {
        CacheLoad::Later
    };
    let t_scan = t_start.elapsed();
    progress.start(inputs.len() as u64);

    // 3. Extract and parse what changed, and write and index each new
    // record right away, so that a full build never holds every record in
    // memory. Only a paper's first file is handled so; a second file of the
    // same paper, and papers that had several files before, wait for the
    // merge below.
    let updater = timed("open index", || IndexUpdater::open(&data.index_dir()))?;
    let full_rebuild = updater.full_rebuild();
    let batch = timed("begin index batch", || updater.begin())?;
    let mut old_files_of: HashMap<&str, Vec<&str>> = HashMap::new();
    for (path, entry) in &old.files {
        if let Some(id) = &entry.id {
            old_files_of.entry(id).or_default().push(path);
        }
    }
    let claims: Mutex<HashMap<String, usize>> = Mutex::new(HashMap::new());
    let extractor = Extractor::new(opts.extractor.clone());
    let writer = RecordWriter {
        data: &data,
        old: &old,
        batch: &batch,
        full_rebuild,
    };
    pause_at(Stage::Extract);
    let t_read = Instant::now();
    let reads: Vec<Read> = inputs
        .par_iter()
        .enumerate()
        .map(|(i, input)| {
            let mut read = read_input(input, &old, reparse_all, &extractor);
            if let Some(record) = read.record.take() {
                let alone = old_files_of
                    .get(record.id.as_str())
                    .is_none_or(|paths| paths.iter().all(|p| *p == read.display));
                if alone && claim(&claims, &record.id, i) {
                    read.written = Some(writer.write(record, Vec::new()));
                } else {
                    read.record = Some(record);
                }
            }
            progress.file_done();
            read
        })
        .collect();
    tracing::debug!(ms = t_read.elapsed().as_secs_f64() * 1e3, "read inputs");
    let mut reads = reads;
    // A paper whose other file turned up after its first was written (its
    // id was taken while another file kept its record for the merge): the
    // first is parsed again below and all are merged.
    let claims = claims.into_inner().unwrap_or_else(|e| e.into_inner());
    let firsts: Vec<usize> = reads
        .iter()
        .filter_map(|r| r.record.as_ref())
        .filter_map(|record| claims.get(&record.id).copied())
        .collect();
    for first in firsts {
        reads[first].written = None;
    }

    // Papers that arrive as several files: when one of them changed, the
    // others are needed again for the merge.
    let mut affected: BTreeSet<String> = BTreeSet::new();
    let current_paths: BTreeSet<&str> = reads.iter().map(|r| r.display.as_str()).collect();
    for read in &reads {
        if read.change != Change::Unchanged || reparse_all {
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
    let unchanged_run = !reparse_all
        && affected.is_empty()
        && removed.is_empty()
        && reads.iter().all(|r| r.change == Change::Unchanged)
        && old.as_of == Some(opts.as_of);
    let derived = if unchanged_run && !full_rebuild {
        // Links, verdicts and the index are exactly what the last run left
        // (the cron job's common case: no record is read).
        tracing::info!(
            "nothing changed since the last run on {}: links and index kept",
            opts.as_of
        );
        let t_extract = t_start.elapsed();
        Derived {
            records: old.records,
            links: old.links,
            link_cache: old.link_cache.clone(),
            papers: std::mem::take(&mut old.papers),
            full_rebuild: false,
            disagreements: Vec::new(),
            t_extract,
            t_write: t_extract,
            t_link: t_extract,
            t_index: t_extract,
        }
    } else if !links_stale
        && !full_rebuild
        && let Some(kept) = links_kept(&mut reads, &affected, &old)
    {
        // Every changed paper kept what linking reads of it: links and
        // verdicts are the last run's, and the link cache is not opened.
        tracing::info!("the changed papers kept what linking reads: links and verdicts kept");
        let t_extract = t_start.elapsed();
        progress.stage("indexing");
        let papers = std::mem::take(&mut old.papers);
        let (papers, disagreements) = index_kept(&data, &batch, papers, kept)?;
        let t_link = t_start.elapsed();
        Derived {
            records: old.records,
            links: old.links,
            link_cache: old.link_cache.clone(),
            papers,
            full_rebuild: false,
            disagreements,
            t_extract,
            t_write: t_link,
            t_link,
            t_index: t_link,
        }
    } else {
        let cache = cache_load.finish(&data, &old);
        // Papers the cache does not know are read from their record files;
        // where that file is gone, the paper is parsed again from its
        // sources.
        let mut unknown = BTreeSet::new();
        for id in reads.iter().filter_map(|r| r.entry.id.as_ref()) {
            if affected.contains(id) || cache.entries.contains_key(id) {
                continue;
            }
            if data.record_path(id).is_file() {
                unknown.insert(id.clone());
            } else {
                affected.insert(id.clone());
            }
        }
        reparse_affected(&mut reads, &inputs, &affected, &extractor);
        let t_extract = t_start.elapsed();
        progress.stage("writing records");
        let (groups, written) = take_records(&mut reads, &affected);
        write_link_and_index(
            &writer,
            Pass {
                groups,
                written,
                affected: &affected,
                present: reads.iter().filter_map(|r| r.entry.id.clone()).collect(),
                unknown: &unknown,
                cache,
                as_of: opts.as_of,
                t_start,
                t_extract,
            },
            progress,
        )?
    };
    drop(extractor);
    let mut derived = derived;
    if !unchanged_run || full_rebuild {
        batch.commit()?;
    }
    derived.t_index = t_start.elapsed();

    // 7. Remember what is done, then report.
    pause_at(Stage::Manifest);
    let manifest = Manifest {
        record_version: RECORD_VERSION,
        files: reads
            .iter()
            .map(|r| (r.display.clone(), r.entry.clone()))
            .collect(),
        as_of: Some(opts.as_of),
        records: derived.records,
        links: derived.links,
        link_cache: derived.link_cache,
        papers: derived.papers,
    };
    timed("save manifest", || manifest.save(data.root()))?;
    data.remove_other_link_caches(manifest.link_cache.as_deref());

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
        skipped: count(&|r| r.entry.outcome == Outcome::Skipped),
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
        extract_parse_ms: ms(derived.t_extract - t_scan),
        write_ms: ms(derived.t_write - derived.t_extract),
        link_ms: ms(derived.t_link - derived.t_write),
        index_ms: ms(derived.t_index - derived.t_link),
    };
    let report = RunReport {
        version: env!("CARGO_PKG_VERSION").to_string(),
        started,
        totals,
        timings,
        files,
        disagreements: derived.disagreements,
        full_rebuild: derived.full_rebuild,
    };
    let json = serde_json::to_vec_pretty(&report)
        .map_err(|e| BuildError::corrupt(data.report_path(), e.to_string()))?;
    timed("save report", || atomic::write(&data.report_path(), &json))?;
    Ok(report)
}

/// What stages 4–6 leave for the manifest and the report.
struct Derived {
    /// Council papers (not `other`) among the records.
    records: usize,
    links: usize,
    link_cache: Option<String>,
    /// Per record id, what the index now holds and what linking saw.
    papers: BTreeMap<String, PaperState>,
    full_rebuild: bool,
    disagreements: Vec<String>,
    /// When each stage ended, counted from the start of the run.
    t_extract: Duration,
    t_write: Duration,
    t_link: Duration,
    t_index: Duration,
}

/// Parses again the unchanged files of papers that must be merged anew
/// (another file of the same paper changed, or its record file is gone).
fn reparse_affected(
    reads: &mut [Read],
    inputs: &[Input],
    affected: &BTreeSet<String>,
    extractor: &Extractor,
) {
    let again: Vec<usize> = reads
        .iter()
        .enumerate()
        .filter(|(_, r)| {
            r.record.is_none()
                && r.written.is_none()
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
                extract_and_parse(extractor, path, &reads[i].display, &bytes, &hash, *format).ok()
            });
            (i, record)
        })
        .collect();
    for (i, record) in reparsed {
        reads[i].record = record;
    }
}

/// Moves the parsed records of the affected papers out of `reads`, grouped by
/// id (a paper may come as several files), and the records written during
/// parsing. Affected ids without any record left (their files were removed
/// or failed) get an empty group: their record file is deleted.
#[allow(clippy::type_complexity)]
fn take_records(
    reads: &mut [Read],
    affected: &BTreeSet<String>,
) -> (Vec<(String, Vec<Record>)>, Vec<Result<Written, BuildError>>) {
    let mut written = Vec::new();
    let mut done = BTreeSet::new();
    for read in reads.iter_mut() {
        if let Some(w) = read.written.take() {
            if let Ok(w) = &w {
                done.insert(w.id.clone());
            }
            written.push(w);
        }
    }
    let mut by_id: BTreeMap<String, Vec<Record>> = affected
        .iter()
        .filter(|id| !done.contains(*id))
        .map(|id| (id.clone(), Vec::new()))
        .collect();
    for read in reads.iter_mut() {
        if let Some(record) = read.record.take()
            && let Some(group) = by_id.get_mut(&record.id)
        {
            group.push(record);
        }
    }
    (by_id.into_iter().collect(), written)
}

/// Takes a paper's id for the file at `index`; false when another file of
/// this run has it already.
fn claim(claims: &Mutex<HashMap<String, usize>>, id: &str, index: usize) -> bool {
    let mut claims = claims.lock().unwrap_or_else(|e| e.into_inner());
    if claims.contains_key(id) {
        false
    } else {
        claims.insert(id.to_string(), index);
        true
    }
}

/// Writes records and feeds the index batch; shared by the rayon workers.
struct RecordWriter<'a> {
    data: &'a DataDir,
    old: &'a Manifest,
    batch: &'a IndexBatch,
    full_rebuild: bool,
}

impl RecordWriter<'_> {
    /// Writes one (merged) record, digests it for linking, and indexes it
    /// unless it is a Beschlussantrag, whose index entry carries a verdict
    /// that only linking everything can give.
    fn write(&self, record: Record, notes: Vec<String>) -> Result<Written, BuildError> {
        pause_at(Stage::Records);
        let path = self.data.record_path(&record.id);
        let text = yaml::to_string(&record)
            .map_err(|e| BuildError::corrupt(path.clone(), e.to_string()))?;
        atomic::write_if_changed_with(&path, text.as_bytes(), Durability::Deferred)?;
        let essentials = Essentials::of(&record);
        let paper = WrittenPaper {
            record: blake3::hash(text.as_bytes()).into(),
            digest: cache::digest(&essentials),
            essentials,
        };
        let mut indexed = false;
        let held = if record.kind == Kind::Beschlussantrag {
            Some(record)
        } else {
            if self.full_rebuild || !self.old.index_holds(&record.id, paper.record, None) {
                self.batch.upsert(&IndexDoc {
                    record: &record,
                    status: None,
                })?;
                indexed = true;
            }
            None
        };
        Ok(Written {
            id: paper.essentials.id().to_string(),
            paper: Some(paper),
            notes,
            held,
            indexed,
        })
    }

    /// The record file of a paper that no input yields any more goes.
    fn remove(&self, id: String) -> Result<Written, BuildError> {
        let path = self.data.record_path(&id);
        match std::fs::remove_file(&path) {
            Ok(()) => {}
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => return Err(BuildError::io(path, e)),
        }
        Ok(Written {
            id,
            paper: None,
            notes: Vec::new(),
            held: None,
            indexed: false,
        })
    }
}

/// The inputs of stages 4–6.
struct Pass<'a> {
    /// Affected papers not written yet, with their parsed files.
    groups: Vec<(String, Vec<Record>)>,
    /// Papers written while parsing.
    written: Vec<Result<Written, BuildError>>,
    affected: &'a BTreeSet<String>,
    /// Every paper some input still yields.
    present: BTreeSet<String>,
    /// Unchanged papers missing from the link cache.
    unknown: &'a BTreeSet<String>,
    cache: LinkCache,
    as_of: NaiveDate,
    t_start: Instant,
    t_extract: Duration,
}

/// What became of one affected paper.
struct Written {
    id: String,
    /// `None` when the paper is gone.
    paper: Option<WrittenPaper>,
    notes: Vec<String>,
    /// A Beschlussantrag waits here for its verdict before it is indexed;
    /// every other record went to the index at once and is gone.
    held: Option<Record>,
    indexed: bool,
}

/// A record as written: what linking reads of it, and the hashes the
/// manifest keeps.
struct WrittenPaper {
    essentials: Essentials,
    digest: EssentialsDigest,
    /// blake3 of the record file.
    record: Hash,
}

/// Stages 4–6: merge and write the papers that were not written while
/// parsing, refresh the link cache, link and judge everything, and give the
/// index the rest. The caller commits.
fn write_link_and_index(
    writer: &RecordWriter<'_>,
    pass: Pass<'_>,
    progress: &dyn Progress,
) -> Result<Derived, BuildError> {
    let Pass {
        groups,
        mut written,
        affected,
        present,
        unknown,
        mut cache,
        as_of,
        t_start,
        t_extract,
    } = pass;
    let data = writer.data;
    let old = writer.old;

    // 4. Merge and write.
    written.par_extend(
        groups
            .into_par_iter()
            .map(|(id, group)| match merge(group) {
                Some((record, notes)) => writer.write(record, notes),
                None => writer.remove(id),
            }),
    );
    let from_disk: Vec<Result<(String, WrittenPaper), BuildError>> = unknown
        .par_iter()
        .map(|id| {
            let (record, hash) = read_record_file(&data.record_path(id))?;
            let essentials = Essentials::of(&record);
            let paper = WrittenPaper {
                digest: cache::digest(&essentials),
                essentials,
                record: hash,
            };
            Ok((id.clone(), paper))
        })
        .collect();

    let mut disagreements = Vec::new();
    let mut held: HashMap<String, Record> = HashMap::new();
    let mut upserted: BTreeSet<String> = BTreeSet::new();
    // The hashes of the papers written or read in this run; the others'
    // come from the manifest.
    let mut fresh: HashMap<String, (Hash, EssentialsDigest)> = HashMap::new();
    for item in written {
        let w = item?;
        disagreements.extend(w.notes);
        match w.paper {
            Some(paper) => {
                fresh.insert(w.id.clone(), (paper.record, paper.digest));
                cache.entries.insert(w.id.clone(), paper.essentials)
            }
            None => cache.entries.remove(&w.id),
        };
        if w.indexed {
            upserted.insert(w.id.clone());
        }
        if let Some(record) = w.held {
            held.insert(w.id, record);
        }
    }
    disagreements.sort();
    for item in from_disk {
        let (id, paper) = item?;
        fresh.insert(id.clone(), (paper.record, paper.digest));
        cache.entries.insert(id, paper.essentials);
    }
    // Only papers that still have a source stay (this also drops entries of
    // a stale cache).
    cache.entries.retain(|id, _| present.contains(id));
    if !affected.is_empty() {
        // Records must be on disk before the cache, the index and the
        // manifest refer to them; one sync for all of them.
        atomic::sync_filesystem(&data.records_dir())?;
    }
    let t_write = t_start.elapsed();

    // 5. Link and judge, over everything.
    progress.stage("linking");
    let previous_links = std::mem::take(&mut cache.links);
    let parts = cache.into_parts();
    let links = timed("link", || ratsdoc_link::link_essentials(&parts.essentials));
    // The YAML of 10,000 links takes a while to write; most runs leave the
    // links as they were.
    if links != previous_links || !data.links_path().is_file() {
        let links_yaml = timed("links.yaml", || yaml::to_string(&links))
            .map_err(|e| BuildError::corrupt(data.links_path(), e.to_string()))?;
        atomic::write_if_changed(&data.links_path(), links_yaml.as_bytes())?;
    }
    let statuses: HashMap<String, StatusKind> = timed("judge", || {
        ratsdoc_link::status_essentials(&parts.essentials, &links, as_of)
    })
    .into_iter()
    .map(|s| (s.id, s.status))
    .collect();
    let link_cache = timed("save link cache", || parts.save(data, &links))?;
    let records = parts
        .essentials
        .iter()
        .filter(|e| e.kind() != Kind::Other)
        .count();
    let t_link = t_start.elapsed();

    // 6. Index what still differs from what the index holds.
    pause_at(Stage::Index);
    progress.stage("indexing");
    let mut papers = BTreeMap::new();
    // Papers to give the index: id, verdict, digest, and whether the record
    // hash is still unknown (neither written nor read in this run, and not
    // in the manifest: a data directory changed by hand), so that it comes
    // from the file read for the index.
    let mut wanted: Vec<(&str, Option<StatusKind>, EssentialsDigest, bool)> = Vec::new();
    for (id, essentials) in parts.ids.iter().zip(&parts.essentials) {
        let status = statuses.get(id).copied();
        let (record, digest) = match (fresh.get(id), old.papers.get(id)) {
            (Some(&(record, digest)), _) => (Some(record), Some(digest)),
            (None, Some(state)) => (Some(state.record), state.essentials),
            (None, None) => (None, None),
        };
        let digest = digest.unwrap_or_else(|| cache::digest(essentials));
        let in_index = upserted.contains(id)
            || (!writer.full_rebuild
                && record.is_some_and(|record| old.index_holds(id, record, status)));
        if !in_index {
            wanted.push((id, status, digest, record.is_none()));
        }
        if let Some(record) = record {
            let state = PaperState {
                record,
                status,
                essentials: Some(digest),
            };
            papers.insert(id.clone(), state);
        }
    }
    let given = timed("index", || {
        wanted
            .par_iter()
            .map(|&(id, status, digest, hash_unknown)| {
                let (record, hash) = match held.get(id) {
                    Some(record) => (std::borrow::Cow::Borrowed(record), None),
                    None => {
                        let (record, hash) = read_record_file(&data.record_path(id))?;
                        (std::borrow::Cow::Owned(record), Some(hash))
                    }
                };
                writer.batch.upsert(&IndexDoc {
                    record: &record,
                    status,
                })?;
                let state = hash.filter(|_| hash_unknown).map(|record| PaperState {
                    record,
                    status,
                    essentials: Some(digest),
                });
                Ok((id, state))
            })
            .collect::<Result<Vec<_>, BuildError>>()
    })?;
    for (id, state) in given {
        if let Some(state) = state {
            papers.insert(id.to_string(), state);
        }
    }
    drop(held);
    if !writer.full_rebuild {
        for id in old.papers.keys().filter(|id| !papers.contains_key(*id)) {
            writer.batch.delete(id)?;
        }
    }
    tracing::info!(
        upserts = upserted.len() + wanted.len(),
        full_rebuild = writer.full_rebuild,
        "index update"
    );
    Ok(Derived {
        records,
        links: links.links.len(),
        link_cache: Some(link_cache),
        papers,
        full_rebuild: writer.full_rebuild,
        disagreements,
        t_extract,
        t_write,
        t_link,
        t_index: t_link,
    })
}

/// The link cache of the last complete run, read on another thread while
/// the files are parsed when the run will surely need it.
enum CacheLoad {
    /// Read only when needed.
    Later,
    Started(std::thread::JoinHandle<Option<LinkCache>>),
}

impl CacheLoad {
    fn start(data: &DataDir, old: &Manifest) -> CacheLoad {
        let Some(hash) = old.link_cache.clone() else {
            return CacheLoad::Later;
        };
        let path = data.link_cache_path(&hash);
        std::thread::Builder::new()
            .name("link-cache".into())
            .spawn(move || timed("load link cache", || LinkCache::load(&path, &hash)))
            .map_or(CacheLoad::Later, CacheLoad::Started)
    }

    /// Only the cache the last complete run wrote counts: one a killed run
    /// or a power cut left may not match the records. Without it, every
    /// record is read.
    fn finish(self, data: &DataDir, old: &Manifest) -> LinkCache {
        let cache = match self {
            CacheLoad::Started(handle) => handle.join().ok().flatten(),
            CacheLoad::Later => old.link_cache.as_deref().and_then(|hash| {
                timed("load link cache", || {
                    LinkCache::load(&data.link_cache_path(hash), hash)
                })
            }),
        };
        cache.unwrap_or_default()
    }
}

/// The papers of a run that changed no link or verdict, taken out of
/// `reads`; `None` when the run must link again. That is so when a changed
/// file's paper was not written on its own while parsing (it merges several
/// files, or it is gone, or its file failed), or when what linking reads of
/// it differs from what the last run linked.
fn links_kept(
    reads: &mut [Read],
    affected: &BTreeSet<String>,
    old: &Manifest,
) -> Option<Vec<Written>> {
    let ready = |r: &Read| match &r.written {
        Some(Ok(w)) => w.paper.as_ref().is_some_and(|paper| {
            old.papers
                .get(&w.id)
                .is_some_and(|state| state.essentials == Some(paper.digest))
        }),
        _ => false,
    };
    let written: BTreeSet<&str> = reads
        .iter()
        .filter_map(|r| match &r.written {
            Some(Ok(w)) => Some(w.id.as_str()),
            _ => None,
        })
        .collect();
    let all_written = affected.iter().all(|id| written.contains(id.as_str()));
    if !all_written || !reads.iter().filter(|r| r.written.is_some()).all(ready) {
        return None;
    }
    Some(
        reads
            .iter_mut()
            .filter_map(|r| r.written.take().and_then(Result::ok))
            .collect(),
    )
}

/// Stage 6 for a run whose changed papers kept their essentials: the
/// Beschlussanträge among them go to the index with the verdict they had;
/// every other paper's state is the last run's. Returns the papers' states
/// and the disagreements of the merged papers.
fn index_kept(
    data: &DataDir,
    batch: &IndexBatch,
    mut papers: BTreeMap<String, PaperState>,
    kept: Vec<Written>,
) -> Result<(BTreeMap<String, PaperState>, Vec<String>), BuildError> {
    if !kept.is_empty() {
        atomic::sync_filesystem(&data.records_dir())?;
    }
    let mut disagreements = Vec::new();
    for w in kept {
        disagreements.extend(w.notes);
        let (Some(paper), Some(state)) = (w.paper, papers.get_mut(&w.id)) else {
            continue;
        };
        let in_index = state.record == paper.record;
        state.record = paper.record;
        if let Some(record) = w.held
            && !in_index
        {
            batch.upsert(&IndexDoc {
                record: &record,
                status: state.status,
            })?;
        }
    }
    disagreements.sort();
    Ok((papers, disagreements))
}

/// Looks at one input: unchanged files are answered from the manifest
/// without reading (same size and mtime) or without parsing (same hash).
fn read_input(input: &Input, old: &Manifest, reparse_all: bool, extractor: &Extractor) -> Read {
    let (path, display, format, seen) = match input {
        Input::File {
            path,
            display,
            format,
            seen,
        } => (path, display, *format, *seen),
        Input::Unreadable { display, reason } => {
            return error_read(display, reason.clone(), old);
        }
        // scan: skipped files are remembered with their reason, never read.
        Input::Skipped { display, reason } => {
            return unread(display, Outcome::Skipped, reason.to_string(), old);
        }
    };
    let prev = old.files.get(display);
    let Seen { size, mtime_ns } = match seen {
        Some(seen) => seen,
        None => match std::fs::metadata(path) {
            Ok(m) => Seen::of(&m),
            Err(e) => return error_read(display, format!("cannot read: {e}"), old),
        },
    };
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
            written: None,
        };
    }
    let bytes = match std::fs::read(path) {
        Ok(b) => b,
        Err(e) => return error_read(display, format!("cannot read: {e}"), old),
    };
    let hash = blake3::hash(&bytes);
    let same = prev.is_some_and(|prev| prev.hash == *hash.as_bytes());
    if let Some(prev) = prev
        && same
        && !reparse_all
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
            written: None,
        };
    }
    // Parsed again only because every file is (`--full`, a new record
    // version): the file itself is unchanged.
    let change = if same {
        Change::Unchanged
    } else if prev.is_some() {
        Change::Changed
    } else {
        Change::Added
    };
    let (outcome, id, reason, record) = match extract_and_parse(
        extractor,
        path,
        display,
        &bytes,
        hash.to_hex().as_str(),
        format,
    ) {
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
        hash: hash.into(),
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
        written: None,
    }
}

fn error_read(display: &str, reason: String, old: &Manifest) -> Read {
    unread(display, Outcome::Error, reason, old)
}

/// An input that was not read: an error before reading, or a skipped file.
fn unread(display: &str, outcome: Outcome, reason: String, old: &Manifest) -> Read {
    // scan: the same outcome for the same reason as last run is unchanged.
    let change = scan::unread_change(old.files.get(display), outcome, &reason);
    let entry = FileEntry {
        hash: Hash::default(),
        size: 0,
        mtime_ns: 0,
        outcome,
        id: None,
        reason: Some(reason),
    };
    Read {
        display: display.to_string(),
        entry,
        change,
        record: None,
        written: None,
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

/// A record file and the blake3 of its bytes.
fn read_record_file(path: &std::path::Path) -> Result<(Record, Hash), BuildError> {
    let bytes = std::fs::read(path).map_err(|e| BuildError::io(path, e))?;
    let record = ratsdoc_store::read_record(path, &String::from_utf8_lossy(&bytes))?;
    Ok((record, blake3::hash(&bytes).into()))
}

/// Runs `f` and logs how long it took (`RATSDOC_LOG=ratsdoc_pipeline=debug`):
/// the report's stage timings are coarser than what one tunes by.
fn timed<T>(what: &str, f: impl FnOnce() -> T) -> T {
    let t = Instant::now();
    let value = f();
    tracing::debug!(ms = t.elapsed().as_secs_f64() * 1e3, "{what}");
    value
}
