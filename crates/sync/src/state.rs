//! `.ratsdoc-sync/state.json`: what the last sync saw, so the next one
//! fetches only what changed. Rewritten atomically (temp file, fsync,
//! rename), so a `kill -9` leaves the old or the new state, never half.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::SyncError;

pub const STATE_FORMAT: &str = "ratsdoc-sync-state/1";

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct State {
    pub format: String,
    pub endpoint: String,
    pub body: Option<String>,
    /// When the last walk that read the whole paper list began (UTC,
    /// RFC 3339): the next walk asks for `modified_since` this time.
    pub last_walk_started: Option<String>,
    /// Whether the server filtered by `modified_since` the last time it was
    /// asked (`None`: not asked yet).
    pub modified_since_honoured: Option<bool>,
    pub papers: BTreeMap<String, PaperState>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct PaperState {
    pub modified: Option<String>,
    pub folder: Option<String>,
    pub reference: Option<String>,
    #[serde(default)]
    pub deleted: bool,
    /// False while a file of the paper failed for a reason that may pass
    /// (404, 5xx, timeout): the next sync tries the paper again.
    #[serde(default)]
    pub complete: bool,
    #[serde(default)]
    pub files: Vec<FileState>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct FileState {
    pub id: String,
    pub modified: Option<String>,
    pub local: Option<String>,
    pub size: Option<u64>,
    pub blake3: Option<String>,
    #[serde(default)]
    pub error: Option<String>,
}

impl State {
    pub fn new(endpoint: &str) -> State {
        State {
            format: STATE_FORMAT.to_string(),
            endpoint: endpoint.to_string(),
            ..State::default()
        }
    }

    /// Reads the state; a missing or unreadable one gives `None` (the
    /// caller then rebuilds it from the paper folders).
    pub fn load(path: &Path) -> Option<State> {
        let text = std::fs::read(path).ok()?;
        match serde_json::from_slice::<State>(&text) {
            Ok(s) if s.format == STATE_FORMAT => Some(s),
            Ok(_) | Err(_) => {
                tracing::warn!(
                    "{} is damaged; rebuilding it from the paper folders",
                    path.display()
                );
                None
            }
        }
    }

    pub fn save(&self, path: &Path, partial_dir: &Path) -> Result<(), SyncError> {
        let bytes = serde_json::to_vec(self).map_err(|e| SyncError::Dir {
            path: path.to_path_buf(),
            source: std::io::Error::other(e),
        })?;
        write_atomically(path, &bytes, partial_dir)
    }
}

/// Writes `bytes` to a temp file in `partial_dir`, fsyncs it and renames it
/// to `path` (same filesystem), then fsyncs the folder of `path`.
pub fn write_atomically(path: &Path, bytes: &[u8], partial_dir: &Path) -> Result<(), SyncError> {
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("file");
    let tmp: PathBuf = partial_dir.join(format!(
        "{}.{}.{:?}.tmp",
        name,
        std::process::id(),
        std::thread::current().id()
    ));
    let err = |p: &Path| {
        let p = p.to_path_buf();
        move |source| SyncError::Dir { path: p, source }
    };
    let mut file = std::fs::File::create(&tmp).map_err(err(&tmp))?;
    file.write_all(bytes).map_err(err(&tmp))?;
    file.sync_all().map_err(err(&tmp))?;
    drop(file);
    std::fs::rename(&tmp, path).map_err(err(path))?;
    if let Some(parent) = path.parent()
        && let Ok(dir) = std::fs::File::open(parent)
    {
        let _ = dir.sync_all();
    }
    Ok(())
}
