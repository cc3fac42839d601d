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

use crate::{BuildError, atomic, binfile};

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
    /// blake3 of the `link-cache.bin` this run left, so that readers never
    /// trust a cache a killed run wrote after the last complete one.
    #[serde(default)]
    pub link_cache: Option<String>,
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

const MAGIC: &[u8] = b"ratsdoc manifest\n";
/// Bumped when [`Manifest`] changes shape.
const VERSION: u64 = 1;

impl Manifest {
    /// The manifest in `dir`; empty when there is none. A damaged manifest
    /// is not fatal: the run simply starts over (and says so in the log).
    ///
    /// `manifest.json`, written by ratsdoc before the binary manifest, is
    /// read when there is no `manifest.bin`, so an existing data directory
    /// stays incremental across the upgrade.
    pub fn load(dir: &Path) -> Manifest {
        let path = dir.join(FILE);
        match std::fs::read(&path) {
            Ok(bytes) => binfile::decode(MAGIC, VERSION, &bytes).unwrap_or_else(|| {
                tracing::warn!(
                    "{}: unreadable manifest; rebuilding everything",
                    path.display()
                );
                Manifest::default()
            }),
            Err(_) => Self::load_json(&dir.join(OLD_FILE)),
        }
    }

    fn load_json(path: &Path) -> Manifest {
        std::fs::read(path)
            .ok()
            .and_then(|bytes| serde_json::from_slice(&bytes).ok())
            .unwrap_or_default()
    }

    /// Replaces the manifest in `dir` atomically (synced: it is the last
    /// word of a run) and removes a `manifest.json` of an older version.
    pub fn save(&self, dir: &Path) -> Result<(), BuildError> {
        let path = dir.join(FILE);
        let bytes =
            binfile::encode(MAGIC, VERSION, self).map_err(|message| BuildError::Corrupt {
                path: path.clone(),
                message,
            })?;
        atomic::write(&path, &bytes)?;
        match std::fs::remove_file(dir.join(OLD_FILE)) {
            Ok(()) => {}
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => return Err(BuildError::io(dir.join(OLD_FILE), e)),
        }
        Ok(())
    }
}

/// The manifest's file name in the data directory.
pub const FILE: &str = "manifest.bin";
const OLD_FILE: &str = "manifest.json";

#[cfg(test)]
mod tests {
    use super::*;

    fn manifest() -> Manifest {
        let mut m = Manifest {
            record_version: 1,
            as_of: chrono::NaiveDate::from_ymd_opt(2025, 6, 30),
            records: 1,
            links: 0,
            ..Manifest::default()
        };
        m.files.insert(
            "corpus/ba.txt".into(),
            FileEntry {
                hash: "ab".into(),
                size: 10,
                mtime_ns: 1_795_300_620_497_686_755,
                outcome: Outcome::Record,
                id: Some("BA-044/2020".into()),
                reason: None,
            },
        );
        m.indexed.insert("BA-044/2020".into(), "cd:overdue".into());
        m
    }

    #[test]
    fn saves_loads_and_replaces_the_json_manifest() {
        let dir = tempfile::tempdir().unwrap();
        let m = manifest();
        std::fs::write(dir.path().join(OLD_FILE), serde_json::to_vec(&m).unwrap()).unwrap();
        assert_eq!(
            Manifest::load(dir.path()),
            m,
            "the old JSON manifest is read"
        );
        m.save(dir.path()).unwrap();
        assert!(!dir.path().join(OLD_FILE).exists());
        assert_eq!(Manifest::load(dir.path()), m);
        std::fs::write(dir.path().join(FILE), b"garbage").unwrap();
        assert_eq!(Manifest::load(dir.path()), Manifest::default());
    }
}
