//! The full-text index of ratsdoc: German analysis, incremental and
//! crash-safe updates, and search with filters, facets and snippets.
//!
//! **Architecture Invariant:** only this crate knows tantivy. Other crates
//! hand in [`IndexDoc`]s and [`SearchRequest`]s and get [`SearchResults`]
//! back.
//!
//! Code map:
//! - [`analysis`]: the German analysers — umlaut folding, stop words,
//!   Snowball stemming, and our own compound splitter over a civic
//!   dictionary (`data/compound_words.txt`).
//! - `schema`: fields, and how a record becomes a document.
//! - `generation`: `index/CURRENT` and `index/gen-<n>/`, the atomic flip of
//!   a full rebuild.
//! - `updater`: [`IndexUpdater`], the writing side (only `ratsdoc build`),
//!   and [`IndexBatch`], one run's changes fed from many threads and made
//!   live by one commit.
//! - [`query`]: lenient reading of user text; never an error.
//! - `searcher`: [`Searcher`], the reading side; never opens a writer.
//!
//! ```no_run
//! use ratsdoc_index::{SearchRequest, Searcher};
//! # fn main() -> Result<(), ratsdoc_index::IndexError> {
//! let searcher = Searcher::open("data/index".as_ref())?;
//! let results = searcher.search(&SearchRequest::new("Kriminalprävention seit 2019"))?;
//! for hit in results.hits {
//!     println!("{} {} — {}", hit.id, hit.title, hit.snippet);
//! }
//! # Ok(()) }
//! ```

pub mod analysis;
mod error;
mod generation;
pub mod query;
mod schema;
mod searcher;
mod updater;

use std::collections::BTreeMap;

use chrono::NaiveDate;
use ratsdoc_model::{ConsultationResult, Kind, Record, StatusKind};
use serde::Serialize;

pub use error::IndexError;
pub use generation::{CURRENT, IndexVersion, VERSION_FILE};
pub use searcher::Searcher;
pub use updater::{IndexBatch, IndexUpdater};

/// Bumped whenever the analysers or the schema change: an index written with
/// another version is rebuilt from scratch by the next build.
pub const ANALYZER_VERSION: u32 = 8;

/// One record as the index sees it, with what the global pass derived.
#[derive(Debug, Clone, Copy)]
pub struct IndexDoc<'a> {
    pub record: &'a Record,
    /// Report status of a motion, as of the build.
    pub status: Option<StatusKind>,
}

/// How hits are ordered.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SortOrder {
    /// Best match first; for an empty query, newest first.
    #[default]
    Relevance,
    /// Newest first; papers without a date last.
    DateDesc,
    /// Oldest first.
    DateAsc,
}

impl std::str::FromStr for SortOrder {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_lowercase().as_str() {
            "relevance" | "score" | "relevanz" => Ok(SortOrder::Relevance),
            "date" | "date_desc" | "newest" | "datum" => Ok(SortOrder::DateDesc),
            "date_asc" | "oldest" => Ok(SortOrder::DateAsc),
            _ => Err(format!(
                "unknown sort order {s:?}: expected relevance, date (newest first) or date_asc"
            )),
        }
    }
}

/// What a researcher asked for.
#[derive(Debug, Clone, Default)]
pub struct SearchRequest {
    /// User text; never an error, whatever it contains.
    pub text: String,
    /// Only these kinds (any of them); empty = all.
    pub kinds: Vec<Kind>,
    /// Canonical group name or submitter name, in any case; else papers whose
    /// submitters contain all of its words.
    pub submitter: Option<String>,
    pub year: Option<i32>,
    /// Papers dated on or after this day.
    pub date_from: Option<NaiveDate>,
    /// Papers dated on or before this day.
    pub date_to: Option<NaiveDate>,
    pub status: Option<StatusKind>,
    /// Only papers whose consultations came to this result (what became of
    /// the paper, see [`ratsdoc_model::outcome`]).
    pub result: Option<ConsultationResult>,
    pub sort: SortOrder,
    /// Hits per page; 0 returns only `total` and `facets`.
    pub limit: usize,
    pub offset: usize,
}

impl SearchRequest {
    /// A request for `text` with the first 10 hits.
    pub fn new(text: impl Into<String>) -> SearchRequest {
        SearchRequest {
            text: text.into(),
            limit: 10,
            ..SearchRequest::default()
        }
    }
}

/// `search --json`, per the interface contract.
#[derive(Debug, Clone, Default, Serialize)]
pub struct SearchResults {
    /// Papers that matched (all pages).
    pub total: usize,
    pub hits: Vec<Hit>,
    /// Counts over all papers that matched, not only this page.
    pub facets: Facets,
}

/// One paper found.
#[derive(Debug, Clone, Serialize)]
pub struct Hit {
    pub id: String,
    pub kind: Kind,
    pub title: String,
    pub date: Option<NaiveDate>,
    pub score: f32,
    /// Plain text around the best match (the start of the body when the
    /// match was only in the title or the number).
    pub snippet: String,
    /// Byte ranges of `snippet` that matched, for highlighting.
    pub highlights: Vec<(usize, usize)>,
    pub submitters: Vec<String>,
    pub status: Option<StatusKind>,
    /// What became of the paper, where its consultations say.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub result: Option<ConsultationResult>,
}

/// Counts per value, over the whole result set.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Facets {
    pub kind: BTreeMap<String, u64>,
    pub submitter: BTreeMap<String, u64>,
    pub year: BTreeMap<String, u64>,
}
