//! One paper: its files downloaded (or kept), then `oparl-paper.json`
//! written last, atomically. A `kill -9` at any point leaves only whole
//! files in the paper folder; the half download stays in `partial/`.

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

use serde::Serialize;
use serde_json::Value;
use serde_json::value::RawValue;

use crate::http::{Client, FetchError};
use crate::names::{self, FileNaming, PAPER_JSON};
use crate::resolve::{self, Lookups, Resolved};
use crate::state::{FileState, PaperState, write_atomically};
use crate::{FORMAT, SyncError};

/// What every paper of one sync shares.
pub struct Ctx<'a> {
    pub client: &'a Client,
    pub lookups: &'a Lookups<'a>,
    pub reference_of: &'a (dyn Fn(&str) -> Option<String> + Sync),
    pub dir: &'a Path,
    pub partial: &'a Path,
    pub endpoint: &'a str,
    pub synced: &'a str,
}

pub struct Job {
    pub id: String,
    pub raw: Box<RawValue>,
    pub folder: String,
    pub previous: Option<PaperState>,
}

pub struct Done {
    pub id: String,
    pub state: PaperState,
    pub downloaded: u64,
    /// One line per file that could not be fetched.
    pub failures: Vec<String>,
}

/// One entry of `files` in `oparl-paper.json`.
#[derive(Debug, Serialize)]
struct FileEntry {
    id: String,
    slot: &'static str,
    name: Option<String>,
    #[serde(rename = "fileName")]
    file_name: Option<String>,
    #[serde(rename = "mimeType")]
    mime_type: Option<String>,
    date: Option<String>,
    modified: Option<String>,
    local: Option<String>,
    size: Option<u64>,
    blake3: Option<String>,
    error: Option<String>,
}

#[derive(Serialize)]
struct PaperJson<'a> {
    format: &'static str,
    endpoint: &'a str,
    synced: &'a str,
    paper: &'a RawValue,
    resolved: Resolved,
    files: &'a [FileEntry],
}

/// A File object of the paper, in its slot, with the reason when even the
/// object could not be had (a 1.0 server may give only its URL).
struct Slotted {
    slot: &'static str,
    object: Result<Value, (String, String)>,
}

pub fn process(ctx: &Ctx<'_>, job: Job) -> Result<Done, SyncError> {
    let paper: Value = serde_json::from_str(job.raw.get()).unwrap_or(Value::Null);
    let folder = ctx.dir.join(&job.folder);
    let previous = job
        .previous
        .as_ref()
        .filter(|p| !p.files.is_empty())
        .map(|p| p.files.clone())
        .unwrap_or_else(|| files_in_folder(&folder, &job.id));
    let slotted = files_of(&paper, ctx.client);
    let mut entries = plan(&slotted, &previous, &folder);
    let mut downloaded = 0;
    let mut failures = Vec::new();
    let mut complete = true;
    for entry in entries
        .iter_mut()
        .filter(|e| e.entry.local.is_none() && e.entry.error.is_none())
    {
        let Some(url) = download_url(&slotted, &entry.entry.id) else {
            entry.entry.error = Some("the file has neither downloadUrl nor accessUrl".into());
            continue;
        };
        match fetch_into(ctx, &url, &entry.entry.id, &folder, &entry.planned) {
            Ok((size, hash)) => {
                downloaded += 1;
                entry.entry.size = Some(size);
                entry.entry.blake3 = Some(hash);
                entry.entry.local = Some(entry.planned.clone());
            }
            Err(Fatal(e)) => return Err(e),
            Err(Failed(e)) => {
                complete &= matches!(e, FetchError::TooLarge { .. });
                entry.entry.error = Some(e.to_string());
            }
        }
    }
    for e in &entries {
        if let Some(err) = &e.entry.error {
            failures.push(err.clone());
        }
    }
    remove_stale(&folder, &previous, &entries);
    create_dir(&folder)?;
    crate::hooks::pause_at(crate::hooks::Stage::PaperJson);
    let reference_of = |id: &str| (ctx.reference_of)(id);
    let resolved = resolve::resolve(&paper, ctx.lookups, ctx.client, &reference_of);
    let files: Vec<FileEntry> = entries.into_iter().map(|e| e.entry).collect();
    let json = PaperJson {
        format: FORMAT,
        endpoint: ctx.endpoint,
        synced: ctx.synced,
        paper: &job.raw,
        resolved,
        files: &files,
    };
    let bytes = serde_json::to_vec_pretty(&json).map_err(|e| SyncError::Dir {
        path: folder.clone(),
        source: std::io::Error::other(e),
    })?;
    write_atomically(&folder.join(PAPER_JSON), &bytes, ctx.partial)?;
    let state = PaperState {
        modified: str_field(&paper, "modified"),
        folder: Some(job.folder),
        reference: str_field(&paper, "reference"),
        deleted: false,
        complete,
        files: files.iter().map(file_state).collect(),
    };
    Ok(Done {
        id: job.id,
        state,
        downloaded,
        failures,
    })
}

fn str_field(v: &Value, key: &str) -> Option<String> {
    v.get(key).and_then(Value::as_str).map(str::to_string)
}

fn create_dir(folder: &Path) -> Result<(), SyncError> {
    std::fs::create_dir_all(folder).map_err(|source| SyncError::Dir {
        path: folder.to_path_buf(),
        source,
    })
}

fn file_state(e: &FileEntry) -> FileState {
    FileState {
        id: e.id.clone(),
        modified: e.modified.clone(),
        local: e.local.clone(),
        size: e.size,
        blake3: e.blake3.clone(),
        error: e.error.clone(),
    }
}

/// mainFile first, then auxiliaryFile in order; a URL instead of an object
/// is fetched. Duplicate ids count once.
fn files_of(paper: &Value, client: &Client) -> Vec<Slotted> {
    let mut out = Vec::new();
    let mut seen = HashSet::new();
    let main = paper.get("mainFile").into_iter().map(|v| ("main", v));
    let aux = paper
        .get("auxiliaryFile")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .map(|v| ("auxiliary", v));
    for (slot, v) in main.chain(aux) {
        let object = match v {
            Value::Object(_) => Ok(v.clone()),
            Value::String(url) => client
                .get_json(url)
                .ok()
                .filter(Value::is_object)
                .ok_or_else(|| (url.clone(), format!("cannot read the File object at {url}"))),
            _ => continue,
        };
        let id = match &object {
            Ok(o) => o
                .get("id")
                .and_then(Value::as_str)
                .unwrap_or("")
                .to_string(),
            Err((url, _)) => url.clone(),
        };
        if !id.is_empty() && seen.insert(id) {
            out.push(Slotted { slot, object });
        }
    }
    out
}

fn download_url(slotted: &[Slotted], id: &str) -> Option<String> {
    slotted.iter().find_map(|s| {
        let o = s.object.as_ref().ok()?;
        (o.get("id").and_then(Value::as_str) == Some(id))
            .then(|| str_field(o, "downloadUrl").or_else(|| str_field(o, "accessUrl")))?
    })
}

/// A file entry while the paper is processed: the local name it will get.
struct FileEntryPlan {
    entry: FileEntry,
    planned: String,
}

/// Entries for every file: kept ones (same id and `modified` as before and
/// the local copy still has its hash) get `local` at once and their names
/// first, so a new file never takes the name of a kept one.
fn plan(slotted: &[Slotted], previous: &[FileState], folder: &Path) -> Vec<FileEntryPlan> {
    let mut taken = HashSet::new();
    let kept: Vec<Option<&FileState>> = slotted
        .iter()
        .map(|s| {
            let o = s.object.as_ref().ok()?;
            let id = o.get("id").and_then(Value::as_str)?;
            let prev = previous.iter().find(|p| p.id == id)?;
            let same = prev.modified == str_field(o, "modified");
            (same && still_there(prev, folder)).then_some(prev)
        })
        .collect();
    for prev in kept.iter().flatten() {
        if let Some(local) = &prev.local {
            taken.insert(local.clone());
        }
    }
    slotted
        .iter()
        .zip(kept)
        .map(|(s, prev)| plan_one(s, prev, &mut taken))
        .collect()
}

fn plan_one(s: &Slotted, prev: Option<&FileState>, taken: &mut HashSet<String>) -> FileEntryPlan {
    let (o, error, id) = match &s.object {
        Ok(o) => (o.clone(), None, str_field(o, "id").unwrap_or_default()),
        Err((url, why)) => (Value::Null, Some(why.clone()), url.clone()),
    };
    let planned = match prev.and_then(|p| p.local.clone()) {
        Some(local) => local,
        None => names::file_name(
            &FileNaming {
                id: &id,
                file_name: o.get("fileName").and_then(Value::as_str),
                name: o.get("name").and_then(Value::as_str),
                mime_type: o.get("mimeType").and_then(Value::as_str),
            },
            taken,
        ),
    };
    let entry = FileEntry {
        id,
        slot: s.slot,
        name: str_field(&o, "name").map(|n| names::normalise(&n)),
        file_name: str_field(&o, "fileName"),
        mime_type: str_field(&o, "mimeType"),
        date: str_field(&o, "date"),
        modified: str_field(&o, "modified"),
        local: prev.and_then(|p| p.local.clone()),
        size: prev.and_then(|p| p.size),
        blake3: prev.and_then(|p| p.blake3.clone()),
        error,
    };
    FileEntryPlan { entry, planned }
}

/// The local copy has the size and blake3 the state remembers.
fn still_there(prev: &FileState, folder: &Path) -> bool {
    let (Some(local), Some(size), Some(hash)) = (&prev.local, prev.size, &prev.blake3) else {
        return false;
    };
    if !plain_name(local) {
        return false;
    }
    let path = folder.join(local);
    if std::fs::metadata(&path).map(|m| m.len()).ok() != Some(size) {
        return false;
    }
    let mut hasher = blake3::Hasher::new();
    let hashed = std::fs::File::open(&path).and_then(|mut f| std::io::copy(&mut f, &mut hasher));
    hashed.is_ok() && hasher.finalize().to_hex().as_str() == hash
}

enum FetchOutcome {
    Fatal(SyncError),
    Failed(FetchError),
}
use FetchOutcome::{Failed, Fatal};

/// Downloads into `partial/`, then renames into the paper folder.
fn fetch_into(
    ctx: &Ctx<'_>,
    url: &str,
    id: &str,
    folder: &Path,
    local: &str,
) -> Result<(u64, String), FetchOutcome> {
    // Two papers may list the same file; each download has its own name.
    static NEXT: AtomicU64 = AtomicU64::new(0);
    let n = NEXT.fetch_add(1, Ordering::Relaxed);
    let hash = blake3::hash(id.as_bytes()).to_hex();
    let tmp: PathBuf = ctx.partial.join(format!("{}-{n}.part", &hash[..16]));
    let got = ctx.client.download(url, &tmp);
    let got = match got {
        Ok(got) => got,
        Err(FetchError::Write { path, source }) => {
            let _ = std::fs::remove_file(&tmp);
            return Err(Fatal(SyncError::Dir {
                path: path.into(),
                source,
            }));
        }
        Err(e) => {
            let _ = std::fs::remove_file(&tmp);
            return Err(Failed(e));
        }
    };
    create_dir(folder).map_err(Fatal)?;
    let target = folder.join(local);
    std::fs::rename(&tmp, &target).map_err(|source| {
        Fatal(SyncError::Dir {
            path: target.clone(),
            source,
        })
    })?;
    Ok((got.size, got.blake3))
}

/// Files the paper had before and has no more (or under another name).
fn remove_stale(folder: &Path, previous: &[FileState], entries: &[FileEntryPlan]) {
    let now: HashSet<&str> = entries
        .iter()
        .filter_map(|e| e.entry.local.as_deref())
        .collect();
    for prev in previous {
        if let Some(local) = &prev.local
            && !now.contains(local.as_str())
            && plain_name(local)
            && local != PAPER_JSON
        {
            let _ = std::fs::remove_file(folder.join(local));
        }
    }
}

/// The files an earlier, interrupted sync left with their metadata, when
/// the state does not know them yet: read from the folder's own
/// `oparl-paper.json` if it is this paper's.
fn files_in_folder(folder: &Path, id: &str) -> Vec<FileState> {
    let Ok(text) = std::fs::read(folder.join(PAPER_JSON)) else {
        return Vec::new();
    };
    let Ok(v) = serde_json::from_slice::<Value>(&text) else {
        return Vec::new();
    };
    if v.pointer("/paper/id").and_then(Value::as_str) != Some(id) {
        return Vec::new();
    }
    v.get("files")
        .and_then(|f| serde_json::from_value::<Vec<FileState>>(f.clone()).ok())
        .unwrap_or_default()
}

/// A name from state.json or an old `oparl-paper.json` (which a hand may
/// have edited) is used as a path only when it is a plain name in the
/// folder: no separator, not hidden, not `.` or `..`.
fn plain_name(local: &str) -> bool {
    !local.is_empty() && !local.contains(['/', '\\']) && !local.starts_with('.')
}
