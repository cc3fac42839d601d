//! Index generations: how a full rebuild replaces the live index without ever
//! leaving it unsearchable.
//!
//! ```text
//! <DATA>/index/CURRENT          "gen-7\n": the live generation
//! <DATA>/index/gen-7/           a complete tantivy index
//! <DATA>/index/gen-7/ratsdoc-index.json   analyser and record version
//! <DATA>/index/gen-8/           a rebuild under way (or killed midway)
//! ```
//!
//! A rebuild writes a new generation next to the live one, commits it, writes
//! its version file, and only then flips `CURRENT` (temp file + rename, which
//! is atomic). A kill before the flip leaves the old generation live and an
//! incomplete new one that the next [`crate::IndexUpdater::open`] removes; a
//! kill after it leaves the new one live and the old one to be removed.
//! Incremental updates commit into the live generation, which tantivy makes
//! atomic on its own (its `meta.json` is replaced by rename).
//!
//! **Invariant:** nothing but the updater writes here, and the updater only
//! runs under the build lock of the data directory.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::{ANALYZER_VERSION, IndexError};

/// The file naming the live generation.
pub const CURRENT: &str = "CURRENT";
const CURRENT_TMP: &str = "CURRENT.tmp";
/// The version file inside a generation.
pub const VERSION_FILE: &str = "ratsdoc-index.json";
const PREFIX: &str = "gen-";

/// What a generation was written with.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct IndexVersion {
    pub analyzer_version: u32,
    pub record_version: u32,
}

impl IndexVersion {
    /// The version this build of ratsdoc writes and reads.
    pub fn this_build() -> IndexVersion {
        IndexVersion {
            analyzer_version: ANALYZER_VERSION,
            record_version: ratsdoc_model::RECORD_VERSION,
        }
    }
}

/// The directory of generation `n`.
pub fn generation_dir(index_dir: &Path, n: u64) -> PathBuf {
    index_dir.join(format!("{PREFIX}{n}"))
}

fn parse_generation(name: &str) -> Option<u64> {
    name.strip_prefix(PREFIX)?.parse().ok()
}

/// The live generation named by `CURRENT`, if there is one.
pub fn current(index_dir: &Path) -> Result<Option<u64>, IndexError> {
    let path = index_dir.join(CURRENT);
    match fs::read_to_string(&path) {
        Ok(text) => Ok(parse_generation(text.trim())),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(IndexError::io(&path, e)),
    }
}

/// Every generation directory present, live or not.
pub fn all(index_dir: &Path) -> Result<Vec<u64>, IndexError> {
    let entries = match fs::read_dir(index_dir) {
        Ok(entries) => entries,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(IndexError::io(index_dir, e)),
    };
    let mut found = Vec::new();
    for entry in entries {
        let entry = entry.map_err(|e| IndexError::io(index_dir, e))?;
        if let Some(n) = entry.file_name().to_str().and_then(parse_generation) {
            found.push(n);
        }
    }
    found.sort_unstable();
    Ok(found)
}

/// The version a generation was written with; `None` when its version file
/// is missing or unreadable (an incomplete or foreign generation).
pub fn read_version(gen_dir: &Path) -> Option<IndexVersion> {
    let text = fs::read_to_string(gen_dir.join(VERSION_FILE)).ok()?;
    serde_json::from_str(&text).ok()
}

/// Writes the version file of a finished generation, durably.
pub fn write_version(gen_dir: &Path, version: IndexVersion) -> Result<(), IndexError> {
    let text = serde_json::to_string_pretty(&version)
        .map_err(|e| IndexError::Other(format!("version file: {e}")))?;
    write_atomic(gen_dir, VERSION_FILE, &format!("{text}\n"))
}

/// Makes generation `n` the live one: the atomic flip.
pub fn set_current(index_dir: &Path, n: u64) -> Result<(), IndexError> {
    write_atomic(index_dir, CURRENT, &format!("{PREFIX}{n}\n"))
}

/// Removes every generation but `keep`, and a temp file a killed flip left.
/// Failures are ignored: a leftover directory costs disk space, nothing else,
/// and the next open tries again.
pub fn remove_all_but(index_dir: &Path, keep: Option<u64>) -> Result<(), IndexError> {
    for n in all(index_dir)? {
        if Some(n) != keep {
            let _ = fs::remove_dir_all(generation_dir(index_dir, n));
        }
    }
    let tmp = index_dir.join(CURRENT_TMP);
    if tmp.exists() {
        let _ = fs::remove_file(tmp);
    }
    Ok(())
}

/// Temp file, fsync, rename, fsync of the directory.
fn write_atomic(dir: &Path, name: &str, text: &str) -> Result<(), IndexError> {
    let tmp = dir.join(format!("{name}.tmp"));
    let target = dir.join(name);
    let mut file = fs::File::create(&tmp).map_err(|e| IndexError::io(&tmp, e))?;
    file.write_all(text.as_bytes())
        .and_then(|()| file.sync_all())
        .map_err(|e| IndexError::io(&tmp, e))?;
    drop(file);
    fs::rename(&tmp, &target).map_err(|e| IndexError::io(&target, e))?;
    sync_dir(dir);
    Ok(())
}

/// Makes a rename durable. Best effort: not every platform can open a
/// directory for syncing.
pub fn sync_dir(dir: &Path) {
    if let Ok(d) = fs::File::open(dir) {
        let _ = d.sync_all();
    }
}
