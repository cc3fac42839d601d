//! One sync from start to end: lock, state, system, body, paper list,
//! the papers' files and metadata, deletions, state again.

use std::collections::{HashMap, HashSet};
use std::fs::{File, TryLockError};
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use serde::Deserialize;
use serde_json::Value;
use serde_json::value::RawValue;

use crate::http::Client;
use crate::names::{self, PAPER_JSON};
use crate::paper::{self, Ctx, Done, Job};
use crate::resolve::Lookups;
use crate::state::{PaperState, State};
use crate::walk::{self, walk_list};
use crate::{META_DIR, ModifiedSince, Progress, SyncError, SyncOptions, SyncReport};

/// Below this many papers to fetch, meetings, organizations and persons
/// are asked for one by one instead of reading their whole lists.
const WHOLE_LISTS_FROM: usize = 100;

/// How much earlier than the last walk's start `modified_since` asks: the
/// server's clock and its time zone handling may be off.
const SINCE_MARGIN: chrono::TimeDelta = chrono::TimeDelta::days(1);

/// The state is saved at least this often while papers arrive.
const SAVE_EVERY: Duration = Duration::from_secs(5);

/// The paths of sync's own files in the sync folder.
struct Meta {
    state: PathBuf,
    partial: PathBuf,
    _lock: File,
}

/// The body chosen and the lists it offers.
struct Body {
    id: String,
    name: Option<String>,
    papers: String,
    lists: Vec<String>,
}

/// What the paper list says of one paper.
#[derive(Deserialize)]
struct Head {
    id: String,
    modified: Option<String>,
    #[serde(default)]
    deleted: bool,
    reference: Option<String>,
}

/// The listing, classified against the state.
#[derive(Default)]
struct Listing {
    todo: Vec<(Head, Box<RawValue>)>,
    deleted: Vec<Head>,
    references: HashMap<String, String>,
    problems: Vec<String>,
    older_than_asked: bool,
    complete: bool,
}

pub fn sync(opts: &SyncOptions, progress: &dyn Progress) -> Result<SyncReport, SyncError> {
    let started = Instant::now();
    let walk_started = chrono::Utc::now();
    let meta = prepare(&opts.dir)?;
    let mut state = State::load(&meta.state).unwrap_or_else(|| rebuild_state(opts));
    if state.endpoint != opts.endpoint {
        return Err(SyncError::OtherSource {
            dir: opts.dir.clone(),
            theirs: state.endpoint,
            ours: opts.endpoint.clone(),
        });
    }
    let client = Client::new(opts.http.clone());
    progress.stage("endpoint");
    let body = choose_body(&client, opts, state.body.as_deref())?;
    if state.body.as_deref().is_some_and(|b| b != body.id) {
        return Err(SyncError::OtherSource {
            dir: opts.dir.clone(),
            theirs: state.body.clone().unwrap_or_default(),
            ours: body.id,
        });
    }
    state.body = Some(body.id.clone());
    let since = since(&state);
    progress.stage("paper list");
    let listing = list_papers(&client, &body.papers, since.as_ref(), &state)?;
    let mut report = report_for(&body, &listing, since.is_some());
    let lookups = Lookups::new(&client);
    if listing.todo.len() >= WHOLE_LISTS_FROM {
        progress.stage("names");
        load_lists(&client, &body, &lookups, &mut report.problems);
    }
    let (jobs, counts) = assign_folders(&opts.dir, &state, listing.todo);
    report.new = counts.new;
    report.changed = counts.changed;
    let references = merged_references(&state, listing.references);
    progress.start(jobs.len() as u64);
    progress.stage("papers");
    let synced = walk_started.to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
    let ctx = Ctx {
        client: &client,
        lookups: &lookups,
        reference_of: &|id: &str| references.get(id).cloned(),
        dir: &opts.dir,
        partial: &meta.partial,
        endpoint: &opts.endpoint,
        synced: &synced,
    };
    run_jobs(
        &ctx,
        jobs,
        opts.concurrency,
        &mut state,
        &meta,
        &mut report,
        progress,
    )?;
    report.deleted = remove_deleted(&opts.dir, &mut state, listing.deleted);
    if listing.complete {
        state.last_walk_started = Some(synced);
        if since.is_some() {
            state.modified_since_honoured = Some(!listing.older_than_asked);
        }
    }
    state.save(&meta.state, &meta.partial)?;
    report.papers = state.papers.len() as u64;
    report.unchanged = report
        .papers
        .saturating_sub(report.new + report.changed + report.deleted);
    report.elapsed_ms = started.elapsed().as_millis() as u64;
    Ok(report)
}

fn report_for(body: &Body, listing: &Listing, asked: bool) -> SyncReport {
    SyncReport {
        body: body.id.clone(),
        body_name: body.name.clone(),
        papers: 0,
        new: 0,
        changed: 0,
        deleted: 0,
        unchanged: 0,
        files_downloaded: 0,
        files_failed: 0,
        failures: Vec::new(),
        problems: listing.problems.clone(),
        modified_since: match (asked, listing.older_than_asked) {
            (false, _) => ModifiedSince::NotAsked,
            (true, false) => ModifiedSince::Honoured,
            (true, true) => ModifiedSince::Ignored,
        },
        elapsed_ms: 0,
    }
}

/// Creates the sync folder and its hidden part, takes the lock, and
/// removes what a killed sync left in `partial/`.
fn prepare(dir: &Path) -> Result<Meta, SyncError> {
    let meta = dir.join(META_DIR);
    let partial = meta.join("partial");
    let err = |p: &Path| {
        let path = p.to_path_buf();
        move |source| SyncError::Dir { path, source }
    };
    std::fs::create_dir_all(&partial).map_err(err(&partial))?;
    let lock_path = meta.join("lock");
    let lock = File::create(&lock_path).map_err(err(&lock_path))?;
    match lock.try_lock() {
        Ok(()) => {}
        Err(TryLockError::WouldBlock) => {
            return Err(SyncError::Locked {
                dir: dir.to_path_buf(),
            });
        }
        Err(TryLockError::Error(e)) => return Err(err(&lock_path)(e)),
    }
    for entry in std::fs::read_dir(&partial)
        .map_err(err(&partial))?
        .flatten()
    {
        let _ = std::fs::remove_file(entry.path());
    }
    Ok(Meta {
        state: meta.join("state.json"),
        partial,
        _lock: lock,
    })
}

/// A state from the paper folders' own `oparl-paper.json`, when state.json
/// is missing or damaged: what they hold is not downloaded again.
fn rebuild_state(opts: &SyncOptions) -> State {
    let mut state = State::new(&opts.endpoint);
    let Ok(entries) = std::fs::read_dir(&opts.dir) else {
        return state;
    };
    for entry in entries.flatten() {
        let folder = entry.file_name().to_string_lossy().into_owned();
        if folder.starts_with('.') {
            continue;
        }
        let Ok(text) = std::fs::read(entry.path().join(PAPER_JSON)) else {
            continue;
        };
        let Ok(v) = serde_json::from_slice::<Value>(&text) else {
            continue;
        };
        if v.get("endpoint").and_then(Value::as_str) != Some(&opts.endpoint) {
            continue;
        }
        let field = |k: &str| {
            v.pointer(&format!("/paper/{k}"))
                .and_then(Value::as_str)
                .map(str::to_string)
        };
        let Some(id) = field("id") else { continue };
        let files = v
            .get("files")
            .and_then(|f| serde_json::from_value::<Vec<crate::state::FileState>>(f.clone()).ok())
            .unwrap_or_default();
        let complete = files.iter().all(|f| f.error.is_none());
        let paper = PaperState {
            modified: field("modified"),
            folder: Some(folder),
            reference: field("reference"),
            deleted: false,
            complete,
            files,
        };
        state.papers.insert(id, paper);
    }
    state
}

fn endpoint_error(url: &str, reason: impl ToString) -> SyncError {
    SyncError::Endpoint {
        url: url.to_string(),
        reason: reason.to_string(),
    }
}

/// System → its body list → the body asked for, an earlier sync's, or the
/// first one.
fn choose_body(
    client: &Client,
    opts: &SyncOptions,
    earlier: Option<&str>,
) -> Result<Body, SyncError> {
    let system = client
        .get_json(&opts.endpoint)
        .map_err(|e| endpoint_error(&opts.endpoint, e))?;
    let list_url = system.get("body").and_then(Value::as_str).ok_or_else(|| {
        endpoint_error(
            &opts.endpoint,
            "it is not an OParl System object (no `body` list)",
        )
    })?;
    let mut bodies = Vec::new();
    let (_, err) = walk_list(client, list_url, |items| bodies.extend(items));
    if let Some(e) = err.filter(|_| bodies.is_empty()) {
        return Err(endpoint_error(&opts.endpoint, e));
    }
    let bodies: Vec<Value> = bodies
        .iter()
        .filter_map(|b| serde_json::from_str::<Value>(b.get()).ok())
        .filter(|b| b.get("id").and_then(Value::as_str).is_some())
        .collect();
    let wanted = opts.body.as_deref().or(earlier);
    let chosen = match wanted {
        Some(w) => bodies.iter().find(|b| body_matches(b, w)),
        None => bodies.first(),
    };
    let Some(chosen) = chosen else {
        let known: Vec<&str> = bodies
            .iter()
            .filter_map(|b| b.get("id").and_then(Value::as_str))
            .collect();
        let reason = match wanted {
            Some(w) => format!("it has no body {w:?} (bodies: {})", known.join(", ")),
            None => "it lists no body".to_string(),
        };
        return Err(endpoint_error(&opts.endpoint, reason));
    };
    let text = |k: &str| chosen.get(k).and_then(Value::as_str).map(str::to_string);
    let papers = text("paper")
        .ok_or_else(|| endpoint_error(&opts.endpoint, "the body has no paper list"))?;
    Ok(Body {
        id: text("id").unwrap_or_default(),
        name: text("name").map(|n| names::normalise(&n)),
        papers,
        lists: ["meeting", "organization", "person"]
            .iter()
            .filter_map(|k| text(k))
            .collect(),
    })
}

fn body_matches(body: &Value, wanted: &str) -> bool {
    let text = |k: &str| body.get(k).and_then(Value::as_str).unwrap_or("");
    let id = text("id");
    id == wanted
        || id.trim_end_matches('/').rsplit('/').next() == Some(wanted)
        || text("shortName") == wanted
}

/// `modified_since` for this walk: the start of the last complete one,
/// less a margin.
fn since(state: &State) -> Option<chrono::DateTime<chrono::Utc>> {
    let last = state.last_walk_started.as_deref()?;
    let last = chrono::DateTime::parse_from_rfc3339(last).ok()?;
    Some(last.with_timezone(&chrono::Utc) - SINCE_MARGIN)
}

fn parse_time(s: &str) -> Option<chrono::DateTime<chrono::Utc>> {
    chrono::DateTime::parse_from_rfc3339(s)
        .ok()
        .map(|t| t.with_timezone(&chrono::Utc))
}

/// Reads the paper list and keeps only papers that are new, changed or
/// were left incomplete (with their JSON as sent), and deleted ones.
fn list_papers(
    client: &Client,
    url: &str,
    since: Option<&chrono::DateTime<chrono::Utc>>,
    state: &State,
) -> Result<Listing, SyncError> {
    let list_url = match since {
        Some(t) => {
            walk::with_modified_since(url, &t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true))
        }
        None => url.to_string(),
    };
    let mut listing = Listing::default();
    let mut seen = HashSet::new();
    let (pages, err) = walk_list(client, &list_url, |items| {
        for raw in items {
            take_entry(&mut listing, &mut seen, raw, since, state);
        }
    });
    match err {
        Some(e) if pages == 0 => return Err(endpoint_error(url, e)),
        Some(e) => listing.problems.push(format!("paper list incomplete: {e}")),
        None => listing.complete = true,
    }
    retry_incomplete(client, state, &mut listing, &mut seen);
    Ok(listing)
}

/// Papers whose files failed last time for a passing reason are fetched
/// again even when `modified_since` leaves them out of the list.
fn retry_incomplete(
    client: &Client,
    state: &State,
    listing: &mut Listing,
    seen: &mut HashSet<String>,
) {
    let missing: Vec<&String> = state
        .papers
        .iter()
        .filter(|(id, p)| !p.deleted && !p.complete && !seen.contains(*id))
        .map(|(id, _)| id)
        .collect();
    for id in missing {
        match client.get_raw(id) {
            Ok(raw) => take_entry(listing, seen, raw, None, state),
            Err(e) => tracing::info!("cannot fetch the paper again: {e}"),
        }
    }
}

fn take_entry(
    listing: &mut Listing,
    seen: &mut HashSet<String>,
    raw: Box<RawValue>,
    since: Option<&chrono::DateTime<chrono::Utc>>,
    state: &State,
) {
    let head = match serde_json::from_str::<Head>(raw.get()) {
        Ok(h) if !h.id.is_empty() => h,
        _ => {
            let start: String = raw.get().chars().take(80).collect();
            listing.problems.push(format!(
                "passed over a paper list entry without an id: {start}"
            ));
            return;
        }
    };
    if !seen.insert(head.id.clone()) {
        return;
    }
    let older = since.is_some_and(|t| {
        head.modified
            .as_deref()
            .and_then(parse_time)
            .is_some_and(|m| m < *t)
    });
    listing.older_than_asked |= older;
    if let Some(r) = &head.reference {
        listing.references.insert(head.id.clone(), r.clone());
    }
    let known = state.papers.get(&head.id);
    if head.deleted {
        if known.is_none_or(|k| !k.deleted) {
            listing.deleted.push(head);
        }
        return;
    }
    let unchanged = known.is_some_and(|k| !k.deleted && k.complete && k.modified == head.modified);
    if !unchanged {
        listing.todo.push((head, raw));
    }
}

/// Reads the body's meeting, organization and person lists; a list that
/// fails leaves its objects to single requests.
fn load_lists(client: &Client, body: &Body, lookups: &Lookups<'_>, problems: &mut Vec<String>) {
    for url in &body.lists {
        let (_, err) = walk_list(client, url, |items| lookups.add_page(items));
        if let Some(e) = err {
            tracing::warn!("list not read to its end, asking for single objects instead: {e}");
            problems.push(format!("list incomplete: {e}"));
        }
    }
}

/// How many of the papers to fetch are new and how many changed; the rest
/// are tried again for files that failed last time.
#[derive(Default)]
struct Counts {
    new: u64,
    changed: u64,
}

/// Folders for the papers to fetch, in list order: the state's for papers
/// known, [`names::folder_name`] for new ones.
fn assign_folders(
    dir: &Path,
    state: &State,
    todo: Vec<(Head, Box<RawValue>)>,
) -> (Vec<Job>, Counts) {
    let mut taken: HashSet<String> = state
        .papers
        .values()
        .filter(|p| !p.deleted)
        .filter_map(|p| p.folder.clone())
        .collect();
    let mut jobs = Vec::with_capacity(todo.len());
    let mut counts = Counts::default();
    for (head, raw) in todo {
        let previous = state.papers.get(&head.id).filter(|p| !p.deleted).cloned();
        match &previous {
            None => counts.new += 1,
            Some(p) if p.modified != head.modified => counts.changed += 1,
            Some(_) => {}
        }
        let folder = match previous.as_ref().and_then(|p| p.folder.clone()) {
            Some(f) if plain_folder(&f) => f,
            _ => {
                let mut f = names::folder_name(head.reference.as_deref(), &head.id, &taken);
                if held_by_other(dir, &f, &head.id) {
                    taken.insert(f);
                    f = names::folder_name(head.reference.as_deref(), &head.id, &taken);
                }
                f
            }
        };
        taken.insert(folder.clone());
        jobs.push(Job {
            id: head.id,
            raw,
            folder,
            previous,
        });
    }
    (jobs, counts)
}

fn plain_folder(f: &str) -> bool {
    !f.is_empty() && !f.contains(['/', '\\']) && !f.starts_with('.')
}

/// A folder on disk that another paper's `oparl-paper.json` claims.
fn held_by_other(dir: &Path, folder: &str, id: &str) -> bool {
    let Ok(text) = std::fs::read(dir.join(folder).join(PAPER_JSON)) else {
        return false;
    };
    let v: Value = serde_json::from_slice(&text).unwrap_or(Value::Null);
    v.pointer("/paper/id").and_then(Value::as_str) != Some(id)
}

fn merged_references(
    state: &State,
    mut listed: HashMap<String, String>,
) -> HashMap<String, String> {
    for (id, p) in &state.papers {
        if let Some(r) = &p.reference {
            listed.entry(id.clone()).or_insert_with(|| r.clone());
        }
    }
    listed
}

/// The papers on `concurrency` threads; results come back here, where the
/// state is updated and saved every few seconds.
fn run_jobs(
    ctx: &Ctx<'_>,
    jobs: Vec<Job>,
    concurrency: usize,
    state: &mut State,
    meta: &Meta,
    report: &mut SyncReport,
    progress: &dyn Progress,
) -> Result<(), SyncError> {
    let queue = Mutex::new(jobs.into_iter());
    let stop = AtomicBool::new(false);
    let (tx, rx) = mpsc::channel::<Result<Done, SyncError>>();
    std::thread::scope(|s| {
        for _ in 0..concurrency.max(1) {
            let tx = tx.clone();
            let (queue, stop) = (&queue, &stop);
            s.spawn(move || {
                while !stop.load(Ordering::Relaxed) {
                    let Some(job) = queue.lock().ok().and_then(|mut q| q.next()) else {
                        break;
                    };
                    if tx.send(paper::process(ctx, job)).is_err() {
                        break;
                    }
                }
            });
        }
        drop(tx);
        let mut saved = Instant::now();
        let mut fatal = None;
        for result in rx {
            match result {
                Ok(done) => take_done(done, state, report),
                Err(e) => {
                    stop.store(true, Ordering::Relaxed);
                    fatal.get_or_insert(e);
                }
            }
            progress.paper_done();
            if saved.elapsed() >= SAVE_EVERY {
                state.save(&meta.state, &meta.partial)?;
                saved = Instant::now();
            }
        }
        fatal.map_or(Ok(()), Err)
    })
}

fn take_done(done: Done, state: &mut State, report: &mut SyncReport) {
    report.files_downloaded += done.downloaded;
    report.files_failed += done.failures.len() as u64;
    report.failures.extend(done.failures);
    state.papers.insert(done.id, done.state);
}

/// Removes the folders of papers the endpoint lists as deleted; returns
/// how many papers were deleted (new tombstones included).
fn remove_deleted(dir: &Path, state: &mut State, deleted: Vec<Head>) -> u64 {
    let mut count = 0;
    for head in deleted {
        if let Some(folder) = state.papers.get(&head.id).and_then(|p| p.folder.clone())
            && plain_folder(&folder)
            && !held_by_other(dir, &folder, &head.id)
        {
            let _ = std::fs::remove_dir_all(dir.join(&folder));
        }
        let tombstone = PaperState {
            modified: head.modified,
            reference: head.reference,
            deleted: true,
            complete: true,
            ..PaperState::default()
        };
        state.papers.insert(head.id, tombstone);
        count += 1;
    }
    count
}
