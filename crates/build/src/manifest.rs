//! The manifest: what the last completed run saw and indexed.
//!
//! It is written last, after the index commit. A run killed before that
//! point leaves the previous manifest, so the next run redoes the work; and
//! because `indexed` records what the index holds (not what `records/`
//! holds), redone work reaches the index even when the record files were
//! already written.

use std::collections::BTreeMap;
use std::path::Path;

use ratsdoc_model::Outcome;
use serde::{Deserialize, Serialize};

use crate::BuildError;

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Manifest {
    /// `RECORD_VERSION` of the ratsdoc that wrote it; another version means
    /// every file is parsed again.
    pub record_version: u32,
    /// Per input path.
    pub files: BTreeMap<String, FileEntry>,
    /// Per record id: the fingerprint of what the index holds for it.
    pub indexed: BTreeMap<String, String>,
    /// The date report status was judged on; a later run on another date
    /// judges again even when no file changed (pending turns overdue).
    #[serde(default)]
    pub as_of: Option<chrono::NaiveDate>,
    /// Council papers and links of that run, for the report of a run that
    /// changes nothing.
    #[serde(default)]
    pub records: usize,
    #[serde(default)]
    pub links: usize,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FileEntry {
    /// blake3 of the file's bytes, hex.
    pub hash: String,
    /// Size and modification time: when both are unchanged the file is not
    /// even read again.
    pub size: u64,
    pub mtime_ns: i128,
    pub outcome: Outcome,
    /// The record id the file contributed to, if any.
    pub id: Option<String>,
    pub reason: Option<String>,
}

impl Manifest {
    /// The manifest at `path`; empty when there is none. A damaged manifest
    /// is not fatal: the run simply starts over (and says so in the log).
    pub fn load(path: &Path) -> Manifest {
        match std::fs::read(path) {
            Ok(bytes) => match serde_json::from_slice(&bytes) {
                Ok(m) => m,
                Err(e) => {
                    tracing::warn!(
                        "{}: unreadable manifest ({e}); rebuilding everything",
                        path.display()
                    );
                    Manifest::default()
                }
            },
            Err(_) => Manifest::default(),
        }
    }

    pub fn to_json(&self) -> Result<Vec<u8>, BuildError> {
        serde_json::to_vec_pretty(self).map_err(|e| BuildError::Corrupt {
            path: "manifest.json".into(),
            message: e.to_string(),
        })
    }
}
