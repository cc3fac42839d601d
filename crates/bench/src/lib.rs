//! Scale tooling for ratsdoc: a deterministic generator of realistic council
//! papers with their ground truth, and the pieces of the benchmark harness.
//!
//! The generator exists because real archives are too small to show how
//! ratsdoc grows (Chemnitz writes ~1,500 papers a year) and too unlabelled
//! to score linking at scale. It plans a corpus first ([`plan`]), then
//! renders each paper as plain text, Markdown or a real PDF ([`content`],
//! [`doc`], [`pdf`]) and writes `truth.json` ([`truth`]): every answer →
//! motion link, every due date and the status each motion should get.
//!
//! Code map:
//! - [`vocab`]: a few hundred civic words and names.
//! - [`plan`]: which papers exist, their numbers, dates and relations.
//! - [`content`]: the words of each paper, in the seeds' layouts.
//! - [`doc`]: layout blocks and their plain-text and Markdown renderings.
//! - [`pdf`]: the PDF producer (embedded, subsetted TrueType font).
//! - [`generate`]: plan + render + write, in parallel, byte-reproducible.
//! - [`stats`]: percentiles and the other small sums the harness needs.
//!
//! ```no_run
//! use ratsdoc_bench::generate::{generate, Params};
//! # fn main() -> anyhow::Result<()> {
//! let truth = generate(Params { papers: 1000, seed: 7, pdf_share: 0.1 }, "/tmp/corpus".as_ref())?;
//! println!("{} links to find", truth.links.len());
//! # Ok(()) }
//! ```

pub mod content;
pub mod doc;
pub mod generate;
pub mod pdf;
pub mod plan;
pub mod stats;
pub mod truth;
pub mod vocab;
