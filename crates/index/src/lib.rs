//! The full-text index. Only this crate knows tantivy. (Stub: being written.)

use std::collections::BTreeMap;
use std::path::Path;

use chrono::NaiveDate;
use ratsdoc_model::{Kind, Record, StatusKind};
use serde::Serialize;

/// Bumped whenever the analysers or the schema change: an index written with
/// another version is rebuilt from scratch by the next build.
pub const ANALYZER_VERSION: u32 = 1;

#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum IndexError {
    /// No index under the data directory yet.
    #[error("no search index at {0}: run `ratsdoc build` first")]
    Missing(String),
    /// Anything tantivy or the file system reports.
    #[error("search index: {0}")]
    Other(String),
}

/// One record as the index sees it, with what the global pass derived.
pub struct IndexDoc<'a> {
    pub record: &'a Record,
    /// Report status of a motion, as of the build.
    pub status: Option<StatusKind>,
}

/// The writing side; only `ratsdoc build` opens one.
pub struct IndexUpdater {
    full_rebuild: bool,
}

impl IndexUpdater {
    /// Opens the live index under `index_dir`, or prepares a new one when there
    /// is none or it was written by another analyser version.
    pub fn open(_index_dir: &Path) -> Result<IndexUpdater, IndexError> {
        Ok(IndexUpdater { full_rebuild: true })
    }

    /// True when every record must be given to [`IndexUpdater::apply`].
    pub fn full_rebuild(&self) -> bool {
        self.full_rebuild
    }

    /// Deletes `deletes` and (re)adds `upserts` by id, in one commit. Does
    /// nothing at all when both are empty and no full rebuild is pending.
    pub fn apply(self, _upserts: &[IndexDoc<'_>], _deletes: &[String]) -> Result<(), IndexError> {
        Ok(())
    }
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SortOrder {
    #[default]
    Relevance,
    DateDesc,
    DateAsc,
}

/// What a researcher asked for.
#[derive(Debug, Clone, Default)]
pub struct SearchRequest {
    /// User text; never an error, whatever it contains.
    pub text: String,
    pub kinds: Vec<Kind>,
    /// Canonical group name or submitter name.
    pub submitter: Option<String>,
    pub year: Option<i32>,
    pub date_from: Option<NaiveDate>,
    pub date_to: Option<NaiveDate>,
    pub status: Option<StatusKind>,
    pub sort: SortOrder,
    pub limit: usize,
    pub offset: usize,
}

/// `search --json`, per the interface contract.
#[derive(Debug, Clone, Default, Serialize)]
pub struct SearchResults {
    pub total: usize,
    pub hits: Vec<Hit>,
    pub facets: Facets,
}

#[derive(Debug, Clone, Serialize)]
pub struct Hit {
    pub id: String,
    pub kind: Kind,
    pub title: String,
    pub date: Option<NaiveDate>,
    pub score: f32,
    /// Plain text around the best match.
    pub snippet: String,
    /// Byte ranges of `snippet` that matched, for highlighting.
    pub highlights: Vec<(usize, usize)>,
    pub submitters: Vec<String>,
    pub status: Option<StatusKind>,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct Facets {
    pub kind: BTreeMap<String, u64>,
    pub submitter: BTreeMap<String, u64>,
    pub year: BTreeMap<String, u64>,
}

/// The reading side: never opens a writer.
pub struct Searcher {}

impl Searcher {
    pub fn open(index_dir: &Path) -> Result<Searcher, IndexError> {
        Err(IndexError::Missing(index_dir.display().to_string()))
    }

    pub fn search(&self, _request: &SearchRequest) -> Result<SearchResults, IndexError> {
        Ok(SearchResults::default())
    }
}
