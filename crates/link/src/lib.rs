//! Links answers to the motions that asked for them, and judges whether each
//! requested report came on time. Both are pure functions of all records:
//! the build calls [`link`] once over everything it has, `status` calls
//! [`status`] with the stored links and an as-of date. Both digest each
//! record into its [`Essentials`] first; a build that keeps those in a cache
//! calls [`link_essentials`] and [`status_essentials`] instead and gets the
//! same answers.
//!
//! Linking weighs evidence the way a clerk does — a number named in an
//! answering sentence, a title repeated after normalisation, the time
//! order, the addressee — and never trusts a number mentioned in passing.
//! Each link keeps its evidence, in German, so `show`, `status` and the web
//! page can say *why*.
//!
//! ```
//! use chrono::NaiveDate;
//! let records = Vec::new(); // records read from <DATA>/records
//! let links = ratsdoc_link::link(&records);
//! let verdicts = ratsdoc_link::status(&records, &links, NaiveDate::MIN);
//! assert!(verdicts.is_empty());
//! ```
//!
//! **Architecture Invariant:** this crate reads records only; it knows
//! nothing about files, parsing or the index.

mod amendments;
mod essentials;
mod linker;
mod text;
mod verdict;

#[cfg(test)]
mod tests;

use chrono::NaiveDate;
use ratsdoc_model::{Links, MotionStatus, Record};

pub use essentials::{Essentials, quote_phrase};
pub use linker::{ACCEPT, MARGIN, de as german_date, report_date};
pub use verdict::{days as days_in_words, urgency_order};

/// Finds, for every answer paper, the motion it reports on. Sorted by motion
/// then answer; competing candidates too close to call go to
/// `Links::ambiguous`.
///
/// Ids are expected to be unique (the build merges the files of one paper
/// into one record); should a caller pass the same id twice, only the first
/// record counts, so a paper can never compete with its own copy.
pub fn link(records: &[Record]) -> Links {
    link_essentials(&digest(records))
}

/// The report-status verdict of every Beschlussantrag, judged as of `as_of`,
/// sorted by id. Answers dated after `as_of` do not count.
pub fn status(records: &[Record], links: &Links, as_of: NaiveDate) -> Vec<MotionStatus> {
    status_essentials(&digest(records), links, as_of)
}

/// [`link`] on records digested by [`Essentials::of`], e.g. read from a
/// cache: the same links by construction.
pub fn link_essentials(items: &[Essentials]) -> Links {
    let items = unique(items);
    let mut links = linker::link(&items);
    (links.amendments, links.related) = amendments::relate(&items);
    links
}

/// [`status`] on records digested by [`Essentials::of`].
pub fn status_essentials(
    items: &[Essentials],
    links: &Links,
    as_of: NaiveDate,
) -> Vec<MotionStatus> {
    verdict::status(&unique(items), links, as_of)
}

/// The subject of a title as linking compares titles: its content tokens,
/// sorted, with framing words ("Sachstandsbericht", "– Sachstand der
/// Umsetzung"), function words and paper numbers left out. A paper whose
/// title has a motion's key reads, to a clerk, like that motion's report;
/// the corpus generator keeps papers that answer nothing off these keys.
pub fn subject_key(title: &str) -> String {
    text::title_tokens(title).join(" ")
}

fn digest(records: &[Record]) -> Vec<Essentials> {
    use rayon::prelude::*;
    records.par_iter().map(Essentials::of).collect()
}

/// The items with the first of each id, borrowing when all are unique.
fn unique(items: &[Essentials]) -> std::borrow::Cow<'_, [Essentials]> {
    let mut seen = rustc_hash::FxHashSet::default();
    seen.reserve(items.len());
    if items.iter().all(|r| seen.insert(r.id.as_str())) {
        return std::borrow::Cow::Borrowed(items);
    }
    let mut seen = rustc_hash::FxHashSet::default();
    std::borrow::Cow::Owned(
        items
            .iter()
            .filter(|r| seen.insert(r.id.as_str()))
            .cloned()
            .collect(),
    )
}
