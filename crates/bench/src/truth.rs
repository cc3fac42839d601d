//! `truth.json`: what a careful clerk knows about a generated corpus, so that
//! ratsdoc's linking and report-status verdicts can be scored at any size.
//!
//! The generator writes it next to the corpus; the bench harness reads it back
//! and compares it with `links.yaml` and `ratsdoc status --json`.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// Bumped whenever the generator writes other bytes or another truth for
/// the same parameters.
pub const GENERATOR_VERSION: u32 = 3;

/// The whole ground truth of one generated corpus.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Truth {
    /// [`GENERATOR_VERSION`] of the generator that wrote the corpus: a
    /// corpus of another version is regenerated, never measured against a
    /// newer truth.
    #[serde(default)]
    pub generator: u32,
    /// Generator parameters, so a corpus can be recognised and regenerated.
    pub seed: u64,
    pub papers: usize,
    pub pdf_share: f64,
    /// The date the expected statuses are judged on (`--as-of`).
    pub as_of: NaiveDate,
    /// Every file, in path order.
    pub files: Vec<TruthFile>,
    /// Every answer → motion link that exists, and no other.
    pub links: Vec<TruthLink>,
    /// Every motion with its report request and the expected verdict.
    pub motions: Vec<TruthMotion>,
    /// Papers built to tempt a linker into a wrong link, with the motion
    /// they imitate.
    pub decoys: Vec<TruthDecoy>,
}

/// One generated file.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct TruthFile {
    /// Path relative to the corpus directory.
    pub path: String,
    /// Canonical paper number, or `None` for a non-paper.
    pub id: Option<String>,
    /// `beschlussantrag`, `informationsvorlage`, …, or `other`.
    pub kind: String,
    /// `txt`, `md` or `pdf`.
    pub format: String,
    /// Pages, for PDFs.
    pub pages: Option<u32>,
    pub bytes: u64,
}

/// An answer that really is the report a motion asked for.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq, PartialOrd, Ord)]
pub struct TruthLink {
    pub motion: String,
    pub answer: String,
    /// How the answer shows it: `number_in_title`, `opening_sentence` or
    /// `title_only`.
    pub evidence: String,
}

/// A motion and what its clerk should be told.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct TruthMotion {
    pub id: String,
    pub title: String,
    /// The deadline phrase as written, if a report was requested.
    pub phrase: Option<String>,
    /// The due date the phrase resolves to (`None` for recurring or vague).
    pub due: Option<NaiveDate>,
    pub recurring: bool,
    pub answered_by: Option<String>,
    /// First presentation of the answer.
    pub answered_on: Option<NaiveDate>,
    /// Expected `status` at `as_of`; `None` where the contract leaves the
    /// verdict open (recurring requests, a vague deadline that was answered).
    pub status: Option<String>,
    /// Days late, overdue or left, by status.
    pub days: Option<i64>,
}

/// A paper that must not be linked to `imitates`.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct TruthDecoy {
    /// The decoy's id (or its path for a non-paper).
    pub id: String,
    /// `near_title`, `number_in_passing`, `press_release` or `early_opinion`.
    pub trap: String,
    pub imitates: String,
}
