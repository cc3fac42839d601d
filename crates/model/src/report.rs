//! `<DATA>/report.json`: what the last run did with every input file.
//!
//! Cron reads this (and the exit code) instead of scraping logs, so every
//! input file appears exactly once with exactly one outcome.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct RunReport {
    /// ratsdoc version that wrote the report.
    pub version: String,
    /// RFC 3339 time the run started.
    pub started: String,
    pub totals: Totals,
    pub timings: Timings,
    /// One entry per file met in the corpus (hidden ones aside) and per
    /// file gone since the last run, sorted by path.
    pub files: Vec<FileOutcome>,
    /// Where two files of the same paper disagree on a field.
    #[serde(default)]
    pub disagreements: Vec<String>,
    /// Whether the whole index was rebuilt (first run, or analyser upgrade).
    #[serde(default)]
    pub full_rebuild: bool,
    /// What the run found broken in the data directory and repaired (a
    /// record deleted by hand, a damaged index, a killed last run), one
    /// sentence each.
    #[serde(default)]
    pub repairs: Vec<String>,
}

/// How the entries of a run add up: `files` counts every file met (each has
/// one outcome), `files = added + changed + unchanged`, and the report has
/// `files + removed` entries. By outcome, `files` is the files that gave a
/// council paper plus `other`, `errors` and `skipped`; `records` counts
/// papers, and several files of one paper make one.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Totals {
    pub files: usize,
    /// Council papers (records that are not `other`).
    pub records: usize,
    pub other: usize,
    pub errors: usize,
    /// Files met but not read: another type, not a file, or a link out of
    /// the corpus. Not errors.
    #[serde(default)]
    pub skipped: usize,
    pub added: usize,
    pub changed: usize,
    pub removed: usize,
    pub unchanged: usize,
    pub links: usize,
}

/// Wall-clock milliseconds per stage.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Timings {
    pub total_ms: u64,
    pub scan_ms: u64,
    pub extract_parse_ms: u64,
    pub write_ms: u64,
    pub link_ms: u64,
    pub index_ms: u64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct FileOutcome {
    pub path: String,
    pub outcome: Outcome,
    /// The record id, for `record` and `other`; the first paper of a
    /// listing page.
    pub id: Option<String>,
    /// The further papers of a listing page that lists several, in the
    /// order the page lists them.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub other_ids: Vec<String>,
    /// Why: the error a clerk reads, or why the document is not a council paper.
    pub reason: Option<String>,
    /// Compared with the previous run.
    pub change: Change,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    Record,
    Other,
    Error,
    /// Not read, with the reason: not a file type ratsdoc reads, no file at
    /// all (a named pipe, a socket), or a symbolic link out of the corpus.
    Skipped,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Change {
    Added,
    Changed,
    Unchanged,
    Removed,
}
