//! `ratsdoc sync`: mirrors the papers of one body of an OParl endpoint
//! (1.0 or 1.1) into a sync folder that `ratsdoc build` reads. The folder's
//! layout is the contract in `docs/sync-folder.md`.
//!
//! Invariants: nothing is written outside the folder the user named (every
//! path component comes from [`names::safe`]); a paper folder holds only
//! whole files (downloads go to `.ratsdoc-sync/partial/` and are renamed
//! into place, `oparl-paper.json` last); `state.json` is replaced
//! atomically; an unchanged file is never downloaded again.

mod hooks;
pub mod http;
pub mod names;
mod paper;
pub mod resolve;
mod run;
pub mod state;
pub mod walk;

use std::path::PathBuf;

use serde::Serialize;

pub use http::HttpOptions;
pub use run::sync;

/// The `format` of every `oparl-paper.json` this version writes.
pub const FORMAT: &str = "ratsdoc-sync/1";

/// Hidden folder of sync's own files inside the sync folder.
pub const META_DIR: &str = ".ratsdoc-sync";

#[derive(Debug, Clone)]
pub struct SyncOptions {
    /// URL of the OParl System object.
    pub endpoint: String,
    /// The sync folder.
    pub dir: PathBuf,
    /// Id (URL), last path segment or short name of the body to mirror;
    /// `None`: the one of an earlier sync, else the first one listed.
    pub body: Option<String>,
    /// Requests at a time.
    pub concurrency: usize,
    pub http: HttpOptions,
}

/// What a terminal shows while a sync runs.
pub trait Progress: Sync {
    fn stage(&self, _name: &str) {}
    fn start(&self, _papers: u64) {}
    fn paper_done(&self) {}
}

/// Shows nothing.
pub struct NoProgress;
impl Progress for NoProgress {}

/// Whether the server filtered the paper list by `modified_since`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ModifiedSince {
    /// First sync, or the last walk did not finish: the whole list was read.
    NotAsked,
    Honoured,
    /// The server sent papers older than asked: compared with the state.
    Ignored,
}

#[derive(Debug, Clone, Serialize)]
pub struct SyncReport {
    pub body: String,
    pub body_name: Option<String>,
    /// Papers known after the sync (deleted ones included).
    pub papers: u64,
    pub new: u64,
    pub changed: u64,
    pub deleted: u64,
    pub unchanged: u64,
    pub files_downloaded: u64,
    pub files_failed: u64,
    /// One line per file that could not be fetched.
    pub failures: Vec<String>,
    /// One line per list that could not be read to its end, or entry that
    /// was passed over.
    pub problems: Vec<String>,
    pub modified_since: ModifiedSince,
    pub elapsed_ms: u64,
}

/// Errors that stop a sync: one line each, for the clerk.
#[derive(Debug, thiserror::Error)]
pub enum SyncError {
    #[error("the endpoint {url} is not usable: {reason}")]
    Endpoint { url: String, reason: String },
    #[error("cannot write {path}: {source}")]
    Dir {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("another sync is running on {dir}")]
    Locked { dir: PathBuf },
    #[error("{dir} holds a sync of {theirs}, not of {ours}; use another folder")]
    OtherSource {
        dir: PathBuf,
        theirs: String,
        ours: String,
    },
}
