//! The layout of a data directory (`<DATA>`), and reading it back.
//!
//! ```text
//! <DATA>/records/<ID>.yaml   one record per paper
//! <DATA>/links.yaml          answer → motion links
//! <DATA>/report.json         the last run's report
//! <DATA>/manifest.bin        content hashes of the inputs (incremental builds)
//! <DATA>/history.bin         what each build changed (feeds, digest)
//! <DATA>/link-cache-<H>.bin  what linking needs of every record (derived)
//! <DATA>/index/              the tantivy index
//! <DATA>/.lock               the OS file lock of a running build
//! ```

use std::path::{Path, PathBuf};

use ratsdoc_model::{Links, Record, RunReport, number::id_to_file_stem, yaml};

use ratsdoc_link::Essentials;

use crate::StoreError;
use crate::cache::LinkCache;
use crate::manifest::Manifest;

const LINK_CACHE_PREFIX: &str = "link-cache-";

/// A data directory, for reading.
#[derive(Debug, Clone)]
pub struct DataDir {
    root: PathBuf,
}

impl DataDir {
    pub fn new(root: impl Into<PathBuf>) -> DataDir {
        DataDir { root: root.into() }
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    pub fn records_dir(&self) -> PathBuf {
        self.root.join("records")
    }

    pub fn record_path(&self, id: &str) -> PathBuf {
        self.records_dir()
            .join(format!("{}.yaml", id_to_file_stem(id)))
    }

    pub fn links_path(&self) -> PathBuf {
        self.root.join("links.yaml")
    }

    /// What linking needs of every record, kept by the build (see
    /// `cache.rs`) under the blake3 of its content, which the manifest
    /// names; a derived file that may be deleted at any time.
    pub fn link_cache_path(&self, hash: &str) -> PathBuf {
        let short = hash.get(..32).unwrap_or(hash);
        self.root.join(format!("{LINK_CACHE_PREFIX}{short}.bin"))
    }

    /// Removes link caches other than the one named `keep` (those of
    /// earlier runs, and the single-file caches of earlier versions).
    pub fn remove_other_link_caches(&self, keep: Option<&str>) {
        let keep = keep.map(|hash| self.link_cache_path(hash));
        let Ok(entries) = std::fs::read_dir(&self.root) else {
            return;
        };
        for entry in entries.flatten() {
            let name = entry.file_name();
            let name = name.to_string_lossy();
            let cache = name.starts_with(LINK_CACHE_PREFIX)
                || name == "link-cache.bin"
                || name == "link-cache.json";
            if cache && Some(entry.path()) != keep {
                let _ = std::fs::remove_file(entry.path());
            }
        }
    }

    pub fn report_path(&self) -> PathBuf {
        self.root.join("report.json")
    }

    pub fn manifest_path(&self) -> PathBuf {
        self.root.join(crate::manifest::FILE)
    }

    pub fn index_dir(&self) -> PathBuf {
        self.root.join("index")
    }

    pub fn lock_path(&self) -> PathBuf {
        self.root.join(".lock")
    }

    fn require_built(&self) -> Result<(), StoreError> {
        if self.records_dir().is_dir() {
            Ok(())
        } else {
            Err(StoreError::NoData(self.root.display().to_string()))
        }
    }

    /// One record by any spelling of its id; `Ok(None)` when there is none.
    pub fn load_record(&self, id: &str) -> Result<Option<Record>, StoreError> {
        self.require_built()?;
        let path = self.record_path(id);
        match std::fs::read(&path) {
            Ok(bytes) => read_record_bytes(&path, &bytes).map(Some),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(StoreError::io(path, e)),
        }
    }

    /// Every record, sorted by id.
    pub fn load_records(&self) -> Result<Vec<Record>, StoreError> {
        self.require_built()?;
        let dir = self.records_dir();
        let entries = std::fs::read_dir(&dir).map_err(|e| StoreError::io(&dir, e))?;
        let mut records = Vec::new();
        for entry in entries {
            let path = entry.map_err(|e| StoreError::io(&dir, e))?.path();
            if path.extension().is_some_and(|e| e == "yaml") {
                let bytes = std::fs::read(&path).map_err(|e| StoreError::io(&path, e))?;
                records.push(read_record_bytes(&path, &bytes)?);
            }
        }
        records.sort_by(|a, b| a.id.cmp(&b.id));
        Ok(records)
    }

    /// The links of the last build; empty when it found none.
    pub fn load_links(&self) -> Result<Links, StoreError> {
        self.require_built()?;
        let path = self.links_path();
        match std::fs::read_to_string(&path) {
            Ok(text) => yaml::from_str(&text).map_err(|e| StoreError::Corrupt {
                path,
                message: e.to_string(),
            }),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Links::default()),
            Err(e) => Err(StoreError::io(path, e)),
        }
    }

    /// What `status` and `show` judge by: every record's [`Essentials`],
    /// sorted by id, and the links of the last build. From the link cache
    /// the last complete build left (milliseconds at 100,000 papers); when
    /// there is none that can be trusted, from the records and `links.yaml`.
    pub fn load_link_state(&self) -> Result<(Vec<Essentials>, Links), StoreError> {
        self.require_built()?;
        if let Some(expected) = Manifest::link_cache_of(self.root())
            && let Some(cache) = LinkCache::load(&self.link_cache_path(&expected), &expected)
        {
            let essentials = cache.entries.into_values().collect();
            return Ok((essentials, cache.links));
        }
        let records = self.load_records()?;
        // Without links.yaml (an older or interrupted build) the links are
        // recomputed: a pure function of the records, the same verdicts.
        let links = if self.links_path().exists() {
            self.load_links()?
        } else {
            ratsdoc_link::link(&records)
        };
        Ok((records.iter().map(Essentials::of).collect(), links))
    }

    /// The last run's report, if any.
    pub fn load_report(&self) -> Result<Option<RunReport>, StoreError> {
        let path = self.report_path();
        match std::fs::read_to_string(&path) {
            Ok(text) => serde_json::from_str(&text)
                .map(Some)
                .map_err(|e| StoreError::Corrupt {
                    path,
                    message: e.to_string(),
                }),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(StoreError::io(path, e)),
        }
    }
}

/// A record file's bytes as a record: text that is not UTF-8 is damage
/// like any other, with the same advice.
fn read_record_bytes(path: &Path, bytes: &[u8]) -> Result<Record, StoreError> {
    match std::str::from_utf8(bytes) {
        Ok(text) => read_record(path, text),
        Err(e) => Err(StoreError::Corrupt {
            path: path.to_path_buf(),
            message: format!("not UTF-8 text ({e}): {REPAIR}"),
        }),
    }
}

/// What repairs a damaged record file.
const REPAIR: &str = "the next `ratsdoc build` writes it again from its source; \
                      `ratsdoc build --full` also parses every other file again";

/// A record file's text as a record; a damaged file's error says how to
/// repair it.
pub fn read_record(path: &Path, text: &str) -> Result<Record, StoreError> {
    yaml::from_str(text).map_err(|e| StoreError::Corrupt {
        path: path.to_path_buf(),
        message: format!("{e} ({REPAIR})"),
    })
}
