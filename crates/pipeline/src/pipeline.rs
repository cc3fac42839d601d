//! `ratsdoc build` as one readable sequence: look at `<DATA>` and the
//! inputs, plan ([`crate::plan`]), then execute the plan's stages —
//!
//! 1. lock the data directory;
//! 2. scan the inputs, load the manifest, check the record files and the
//!    index; plan;
//! 3. extract and parse what is new or changed (in parallel);
//! 4. merge the files of each paper and write the records that changed;
//! 5. link answers to motions and judge report status (global, cheap);
//! 6. update the index in one commit (only what changed);
//! 7. write the manifest, remove stray record files, write the report.
//!
//! The order is what makes a `kill -9` harmless: records are replaced one by
//! one atomically, the index changes in a single commit, and the manifest —
//! the memory of what is done — is written only after the commit. A run
//! killed midway leaves its note in the lock file; the next run then parses
//! everything again and rebuilds the index, so records, links, index and
//! manifest agree again whatever the killed run had written.

use std::collections::{BTreeSet, HashMap};
use std::ffi::OsString;
use std::path::PathBuf;
use std::sync::Mutex;
use std::time::Instant;

use chrono::NaiveDate;
use ratsdoc_extract::{Extractor, ExtractorConfig};
use ratsdoc_index::IndexUpdater;
use ratsdoc_model::{Change, FileOutcome, Outcome, RECORD_VERSION, RunReport, Totals};
use ratsdoc_parse::Profile;
use ratsdoc_store::DataDir;
use ratsdoc_store::atomic;
use ratsdoc_store::check::{RecordsCheck, check_records};
use ratsdoc_store::lock::BuildLock;
use ratsdoc_store::manifest::{FileStamp, Manifest, ManifestSource};
use rayon::prelude::*;

use crate::BuildError;
use crate::clock::{Clock, Mark};
use crate::derive::{self, CacheLoad, Derived, Pass};
use crate::guard;
use crate::history;
use crate::hooks::{Stage, pause_at};
use crate::plan::{self, Facts, LinkPass, ParseFindings, Plan};
use crate::read::{Read, read_input, reparse_affected};
use crate::scan::{Input, scan};
use crate::write::{RecordWriter, Written, claim, take_records};

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
    /// The council whose papers the corpus holds (`--council`).
    pub council: Profile,
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

/// What the run found before it changed anything.
struct Observed {
    old: Manifest,
    source: ManifestSource,
    inputs: Vec<Input>,
    records: RecordsCheck,
}

/// Runs the whole build. Errors of single files end up in the report; an
/// `Err` means the run as a whole could not be done (lock held, data
/// directory unwritable, index broken).
pub fn build(opts: &BuildOptions, progress: &dyn Progress) -> Result<RunReport, BuildError> {
    let clock = Clock::start();
    let started = chrono::Local::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
    let started_at = chrono::Utc::now().timestamp();
    let data = DataDir::new(&opts.data);
    // A refused run leaves <DATA> untouched, so this comes before creating it.
    guard::before_any_write(&opts.data, &opts.inputs)?;
    std::fs::create_dir_all(data.records_dir())
        .map_err(|e| BuildError::io(data.records_dir(), e))?;
    let lock = BuildLock::acquire(&data.lock_path())?;
    let killed = lock.previous_run_unfinished();
    if killed {
        timed("clean leftovers", || {
            atomic::clean_leftovers(data.root());
            atomic::clean_leftovers(&data.records_dir());
        });
    }
    let (mut seen, mut updater) = observe(&data, opts)?;
    let plan = plan::plan(&Facts {
        old: &seen.old,
        manifest: seen.source,
        inputs: &seen.inputs,
        full: opts.full,
        as_of: opts.as_of,
        previous_run_killed: killed,
        index_unusable: updater.unusable_reason(),
        links_file: FileStamp::read(&data.links_path()),
        records: &seen.records,
    });
    for repair in &plan.repairs {
        tracing::info!("{repair}");
    }
    if plan.rebuild_index && !updater.full_rebuild() {
        updater.force_full_rebuild();
    }
    clock.mark(Mark::Scanned);
    let (reads, derived, pass) = execute(&data, opts, &plan, &mut seen, updater, progress, &clock)?;
    clock.mark(Mark::Indexed);
    finish(
        &data,
        opts,
        Run {
            plan,
            reads,
            derived,
            old_files: seen.old.files,
            started,
            clock,
            history: (pass != LinkPass::Nothing).then_some((started_at, seen.source)),
        },
    )
}

/// Stage 2: manifest and record check beside the scan (together they are
/// most of a nightly run that has little to do), then the index.
fn observe(data: &DataDir, opts: &BuildOptions) -> Result<(Observed, IndexUpdater), BuildError> {
    let ((old, source, records), scanned) = rayon::join(
        || {
            let (mut old, source) = timed("load manifest", || Manifest::load_checked(data.root()));
            let records = timed("check records", || check_records(&data.records_dir(), &old));
            // Stamps learnt by hash (a manifest from before stamps) are the
            // last run's from here on: every later stage reads them there.
            for (id, stamp) in &records.stamped {
                if let Some(state) = old.papers.get_mut(id) {
                    state.stamp = Some(*stamp);
                }
            }
            (old, source, records)
        },
        || timed("scan", || scan(&opts.inputs)),
    );
    // Removals that look like a lost corpus stop the run before anything is
    // written.
    guard::removals(&old.files, &scanned, opts.allow_mass_removal)?;
    let inputs = scanned.inputs;
    let updater = timed("open index", || IndexUpdater::open(&data.index_dir()))?;
    let seen = Observed {
        old,
        source,
        inputs,
        records,
    };
    Ok((seen, updater))
}

/// Stages 3–6 as planned; the index is committed when anything changed.
fn execute(
    data: &DataDir,
    opts: &BuildOptions,
    plan: &Plan,
    seen: &mut Observed,
    updater: IndexUpdater,
    progress: &dyn Progress,
    clock: &Clock,
) -> Result<(Vec<Read>, Derived, LinkPass), BuildError> {
    let full_rebuild = updater.full_rebuild();
    let batch = timed("begin index batch", || updater.begin())?;
    // When papers may have come or gone, or verdicts are due on another
    // date, the link cache is read while the files are parsed.
    let cache_load = if plan.relink {
        CacheLoad::start(data, &seen.old)
    } else {
        CacheLoad::Later
    };
    progress.start(seen.inputs.len() as u64);
    let extractor = Extractor::new(opts.extractor.clone());
    let writer = RecordWriter {
        data,
        old: &seen.old,
        batch: &batch,
        full_rebuild,
    };
    pause_at(Stage::Extract);
    let mut reads = read_all(
        &seen.inputs,
        plan,
        &writer,
        (&extractor, &opts.council),
        progress,
    );
    let mut affected = affected_papers(&reads, plan, &seen.old);
    let found = ParseFindings {
        anything_changed: !affected.is_empty()
            || !plan.removed.is_empty()
            || reads.iter().any(|r| r.change != Change::Unchanged),
        essentials_kept: essentials_kept(&reads, &affected, &seen.old),
    };
    let pass = plan::link_pass(plan, found);
    let derived = match pass {
        LinkPass::Nothing => {
            tracing::info!(
                "nothing changed since the last run on {}: links and index kept",
                opts.as_of
            );
            clock.mark(Mark::Extracted);
            derive::nothing(&mut seen.old)
        }
        LinkPass::KeepLinks => {
            tracing::info!("the changed papers kept what linking reads: links and verdicts kept");
            clock.mark(Mark::Extracted);
            progress.stage("indexing");
            let kept = take_written(&mut reads);
            derive::keep_links(data, &batch, &mut seen.old, kept)?
        }
        LinkPass::Relink => {
            let cache = cache_load.finish(data, &seen.old);
            // Without the last run's cache its links are unknown: links.yaml
            // is written whatever the new links are.
            let rewrite_links_file = plan.rewrite_links_file || cache.is_none();
            let cache = cache.unwrap_or_default();
            let unknown = unknown_papers(data, &reads, &cache, &mut affected);
            reparse_affected(
                &mut reads,
                &seen.inputs,
                &affected,
                &extractor,
                &opts.council,
            );
            clock.mark(Mark::Extracted);
            progress.stage("writing records");
            let pass = Pass {
                pending: take_records(&mut reads, &affected),
                affected: &affected,
                present: reads
                    .iter()
                    .flat_map(|r| r.entry.ids.iter().cloned())
                    .collect(),
                unknown: &unknown,
                cache,
                as_of: opts.as_of,
                rewrite_links_file,
            };
            derive::relink(&writer, pass, progress, clock)?
        }
    };
    drop(extractor);
    if pass != LinkPass::Nothing {
        batch.commit()?;
    }
    Ok((reads, derived, pass))
}

/// Stage 3: every input looked at as planned, in parallel. A paper's first
/// file is written (and indexed) at once; a second file of the same paper,
/// and papers that had several files before, wait for the merge.
fn read_all(
    inputs: &[Input],
    plan: &Plan,
    writer: &RecordWriter<'_>,
    (extractor, council): (&Extractor, &Profile),
    progress: &dyn Progress,
) -> Vec<Read> {
    let old = writer.old;
    let mut old_files_of: HashMap<&str, Vec<&str>> = HashMap::new();
    for (path, entry) in &old.files {
        for id in &entry.ids {
            old_files_of.entry(id).or_default().push(path);
        }
    }
    let claims: Mutex<HashMap<String, usize>> = Mutex::new(HashMap::new());
    let t_read = Instant::now();
    let mut reads: Vec<Read> = inputs
        .par_iter()
        .zip(&plan.looks)
        .enumerate()
        .map(|(i, (input, look))| {
            let mut read = read_input(input, *look, old, extractor, council);
            write_alone(&mut read, i, &old_files_of, &claims, writer);
            progress.file_done();
            read
        })
        .collect();
    tracing::debug!(ms = t_read.elapsed().as_secs_f64() * 1e3, "read inputs");
    // A paper whose other file turned up after its first was written (its
    // id was taken while another file kept its record for the merge): the
    // first is parsed again and all are merged.
    let claims = claims.into_inner().unwrap_or_else(|e| e.into_inner());
    let firsts: Vec<(usize, String)> = reads
        .iter()
        .flat_map(|r| &r.records)
        .filter_map(|record| Some((*claims.get(&record.id)?, record.id.clone())))
        .collect();
    for (first, id) in firsts {
        reads[first]
            .written
            .retain(|w| w.as_ref().map_or(true, |w| w.id != id));
    }
    reads
}

/// Writes (and indexes) at once each record of `read` that is its paper's
/// only source: no other file had it last run, no other file of this run
/// took it first, and the file does not list it twice. The others stay in
/// `read.records` for the merge.
fn write_alone(
    read: &mut Read,
    index: usize,
    old_files_of: &HashMap<&str, Vec<&str>>,
    claims: &Mutex<HashMap<String, usize>>,
    writer: &RecordWriter<'_>,
) {
    let records = std::mem::take(&mut read.records);
    let listed = |id: &str| records.iter().filter(|r| r.id == id).count();
    let once: Vec<bool> = records.iter().map(|r| listed(&r.id) == 1).collect();
    for (record, once) in records.into_iter().zip(once) {
        let alone = once
            && old_files_of
                .get(record.id.as_str())
                .is_none_or(|paths| paths.iter().all(|p| *p == read.display));
        if alone && claim(claims, &record.id, index) {
            read.written.push(writer.write(record, Vec::new()));
        } else {
            read.records.push(record);
        }
    }
}

/// Papers whose record must be made again: those of changed, added or
/// removed files (a paper in several files needs all of them for the
/// merge), and those whose record file was damaged or deleted by hand.
fn affected_papers(reads: &[Read], plan: &Plan, old: &Manifest) -> BTreeSet<String> {
    let mut affected: BTreeSet<String> = plan.rewrite.clone();
    for read in reads {
        if read.change != Change::Unchanged || plan.reparse_all {
            affected.extend(read.entry.ids.iter().cloned());
            if let Some(prev) = old.files.get(&read.display) {
                affected.extend(prev.ids.iter().cloned());
            }
        }
    }
    for path in &plan.removed {
        if let Some(entry) = old.files.get(path) {
            affected.extend(entry.ids.iter().cloned());
        }
    }
    affected
}

/// Whether the run may keep links and verdicts: every affected paper was
/// written on its own while parsing, and what linking reads of it equals
/// what the last run linked.
fn essentials_kept(reads: &[Read], affected: &BTreeSet<String>, old: &Manifest) -> bool {
    let ready = |w: &Result<Written, BuildError>| match w {
        Ok(w) => w.paper.as_ref().is_some_and(|paper| {
            old.papers
                .get(&w.id)
                .is_some_and(|state| state.essentials == Some(paper.digest))
        }),
        Err(_) => false,
    };
    let written: BTreeSet<&str> = reads
        .iter()
        .flat_map(|r| &r.written)
        .filter_map(|w| w.as_ref().ok().map(|w| w.id.as_str()))
        .collect();
    affected.iter().all(|id| written.contains(id.as_str()))
        && reads.iter().flat_map(|r| &r.written).all(ready)
}

fn take_written(reads: &mut [Read]) -> Vec<Written> {
    reads
        .iter_mut()
        .flat_map(|r| std::mem::take(&mut r.written))
        .filter_map(Result::ok)
        .collect()
}

/// Papers the link cache does not know are read from their record files;
/// where that file is gone, the paper is parsed again from its sources
/// (it joins `affected`).
fn unknown_papers(
    data: &DataDir,
    reads: &[Read],
    cache: &ratsdoc_store::cache::LinkCache,
    affected: &mut BTreeSet<String>,
) -> BTreeSet<String> {
    let mut unknown = BTreeSet::new();
    for id in reads.iter().flat_map(|r| &r.entry.ids) {
        if affected.contains(id) || cache.entries.contains_key(id) {
            continue;
        }
        if data.record_path(id).is_file() {
            unknown.insert(id.clone());
        } else {
            affected.insert(id.clone());
        }
    }
    unknown
}

/// What stage 7 reports and remembers.
struct Run {
    plan: Plan,
    reads: Vec<Read>,
    derived: Derived,
    old_files: std::collections::BTreeMap<String, ratsdoc_store::manifest::FileEntry>,
    started: String,
    clock: Clock,
    /// Start time and the old manifest's source, for the run history;
    /// `None` when the run found nothing to do.
    history: Option<(i64, ManifestSource)>,
}

/// Stage 7: remember what is done, remove stray record files, report.
fn finish(data: &DataDir, opts: &BuildOptions, run: Run) -> Result<RunReport, BuildError> {
    pause_at(Stage::Manifest);
    let Run {
        plan,
        reads,
        derived,
        old_files,
        started,
        clock,
        history,
    } = run;
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
        links_stamp: FileStamp::read(&data.links_path()),
    };
    let mut repairs = plan.repairs;
    if let Some((at, old_manifest)) = history {
        let note = history::Note {
            at,
            as_of: opts.as_of,
            old_manifest,
            links: derived.link_pairs.as_deref(),
        };
        repairs.extend(history::record(data, &manifest, note)?);
    }
    timed("save manifest", || manifest.save(data.root()))?;
    data.remove_other_link_caches(manifest.link_cache.as_deref());
    repairs.extend(remove_stray(data, &plan.stray, &manifest));

    let files = file_outcomes(&reads, &plan.removed, &old_files);
    let count = |f: &dyn Fn(&Read) -> bool| reads.iter().filter(|r| f(r)).count();
    let totals = Totals {
        files: reads.len(),
        records: derived.records,
        other: count(&|r| r.entry.outcome == Outcome::Other),
        errors: count(&|r| r.entry.outcome == Outcome::Error),
        skipped: count(&|r| r.entry.outcome == Outcome::Skipped),
        added: count(&|r| r.change == Change::Added),
        changed: count(&|r| r.change == Change::Changed),
        removed: plan.removed.len(),
        unchanged: count(&|r| r.change == Change::Unchanged),
        links: derived.links,
    };
    let report = RunReport {
        version: env!("CARGO_PKG_VERSION").to_string(),
        started,
        totals,
        timings: clock.timings(),
        files,
        disagreements: derived.disagreements,
        full_rebuild: derived.full_rebuild,
        repairs,
    };
    let json = serde_json::to_vec_pretty(&report)
        .map_err(|e| BuildError::corrupt(data.report_path(), e.to_string()))?;
    timed("save report", || atomic::write(&data.report_path(), &json))?;
    Ok(report)
}

/// One outcome per file met, and one per file gone, sorted by path.
fn file_outcomes(
    reads: &[Read],
    removed: &[String],
    old_files: &std::collections::BTreeMap<String, ratsdoc_store::manifest::FileEntry>,
) -> Vec<FileOutcome> {
    let mut files: Vec<FileOutcome> = reads
        .iter()
        .map(|r| FileOutcome {
            path: r.display.clone(),
            outcome: r.entry.outcome,
            id: r.entry.ids.first().cloned(),
            other_ids: r.entry.ids.iter().skip(1).cloned().collect(),
            reason: r.entry.reason.clone(),
            change: r.change,
        })
        .collect();
    files.extend(removed.iter().filter_map(|path| {
        let entry = old_files.get(path)?;
        Some(FileOutcome {
            path: path.clone(),
            outcome: entry.outcome,
            id: entry.ids.first().cloned(),
            other_ids: entry.ids.iter().skip(1).cloned().collect(),
            reason: entry.reason.clone(),
            change: Change::Removed,
        })
    }));
    files.sort_by(|a, b| a.path.cmp(&b.path));
    files
}

/// Deletes the record files no paper owns (a killed run's, or put there by
/// hand); one sentence each for the report.
fn remove_stray(data: &DataDir, stray: &[OsString], manifest: &Manifest) -> Vec<String> {
    if stray.is_empty() {
        return Vec::new();
    }
    let owned: BTreeSet<PathBuf> = manifest
        .papers
        .keys()
        .map(|id| data.record_path(id))
        .collect();
    let mut said = Vec::new();
    for name in stray {
        let path = data.records_dir().join(name);
        if owned.contains(&path) {
            continue;
        }
        let shown = name.to_string_lossy();
        match std::fs::remove_file(&path) {
            Ok(()) => said.push(format!("records/{shown} belonged to no paper: removed")),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => said.push(format!(
                "records/{shown} belongs to no paper but stays: {e}"
            )),
        }
    }
    said
}

/// Runs `f` and logs how long it took (`RATSDOC_LOG=ratsdoc_pipeline=debug`):
/// the report's stage timings are coarser than what one tunes by.
pub(crate) fn timed<T>(what: &str, f: impl FnOnce() -> T) -> T {
    let t = Instant::now();
    let value = f();
    tracing::debug!(ms = t.elapsed().as_secs_f64() * 1e3, "{what}");
    value
}
