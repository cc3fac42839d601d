//! The live search index as the server sees it: one read-only
//! [`Searcher`] shared by all requests, replaced when a build commits.
//!
//! Every request reads `index/CURRENT` and stats the live generation's
//! `meta.json` (tantivy replaces that file on every commit). Only when that
//! stamp changed is a new searcher opened, so the nightly build shows up
//! without a restart and an unchanged index costs two system calls.
//!
//! **Invariant:** nothing here opens an index writer or writes a file.

use std::path::{Path, PathBuf};
use std::sync::{Arc, RwLock};
use std::time::SystemTime;

use ratsdoc_index::{CURRENT, Searcher};

use crate::error::WebError;

/// What identifies one commit of the live index.
#[derive(Debug, Clone, PartialEq, Eq)]
struct IndexStamp {
    generation: String,
    meta: Option<(SystemTime, u64)>,
}

impl IndexStamp {
    fn read(index_dir: &Path) -> Option<IndexStamp> {
        let generation = std::fs::read_to_string(index_dir.join(CURRENT)).ok()?;
        let generation = generation.trim().to_string();
        // CURRENT is written by the build; still, never follow it anywhere
        // but to a sibling `gen-<n>` directory.
        let valid = generation
            .strip_prefix("gen-")
            .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()));
        if !valid {
            return None;
        }
        let meta = std::fs::metadata(index_dir.join(&generation).join("meta.json"))
            .ok()
            .and_then(|m| Some((m.modified().ok()?, m.len())));
        Some(IndexStamp { generation, meta })
    }
}

/// The searcher of the live index, reopened when a build committed.
pub struct LiveIndex {
    index_dir: PathBuf,
    current: RwLock<Option<(IndexStamp, Arc<Searcher>)>>,
}

impl LiveIndex {
    pub fn new(index_dir: PathBuf) -> LiveIndex {
        LiveIndex {
            index_dir,
            current: RwLock::new(None),
        }
    }

    /// The searcher for the index as it is now. Blocking: opening an index
    /// reads files, so call it from `spawn_blocking`.
    pub fn get(&self) -> Result<Arc<Searcher>, WebError> {
        let stamp = IndexStamp::read(&self.index_dir);
        if let Ok(slot) = self.current.read()
            && let (Some((have, searcher)), Some(now)) = (slot.as_ref(), stamp.as_ref())
            && have == now
        {
            return Ok(searcher.clone());
        }
        let searcher = Arc::new(Searcher::open(&self.index_dir)?);
        // A commit between reading the stamp and opening only means one more
        // reopen on the next request: the stamp stored is never newer than
        // the searcher.
        if let (Some(stamp), Ok(mut slot)) = (stamp, self.current.write()) {
            *slot = Some((stamp, searcher.clone()));
        }
        Ok(searcher)
    }
}
