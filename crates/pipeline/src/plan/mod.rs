//! What a run will do, decided before it reads a single input: a pure
//! function of the last complete run (the manifest), what the scan found,
//! what the check of `<DATA>` found, and the options. `pipeline.rs`
//! carries the plan out. The tests below hold one case per kind of change
//! and never touch a file.
//!
//! A second, smaller decision waits until the changed files are parsed:
//! whether links and verdicts can be kept ([`link_pass`]), because only
//! parsing tells whether a changed paper changed what linking reads.

use std::collections::BTreeSet;
use std::ffi::OsString;

use chrono::NaiveDate;
use ratsdoc_model::RECORD_VERSION;
use ratsdoc_store::check::{Damage, RecordsCheck};
use ratsdoc_store::manifest::{FileStamp, Manifest, ManifestSource};

use crate::scan::{Input, Seen};

/// Everything a plan depends on.
pub struct Facts<'a> {
    pub old: &'a Manifest,
    pub manifest: ManifestSource,
    pub inputs: &'a [Input],
    /// `ratsdoc build --full`.
    pub full: bool,
    pub as_of: NaiveDate,
    /// The lock file still named a run: that run was killed.
    pub previous_run_killed: bool,
    /// Why the live index cannot be updated (none, another version,
    /// damaged); `None` when it can.
    pub index_unusable: Option<&'a str>,
    /// `links.yaml` as it is now; `None` when it is gone.
    pub links_file: Option<FileStamp>,
    pub records: &'a RecordsCheck,
}

/// How to look at one input file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Look {
    /// Same size and modification time as in the last run: its entry is
    /// taken from the manifest and the file is not read.
    Keep,
    /// Read and hashed; parsed only when its bytes changed.
    IfChanged,
    /// Parsed whatever its bytes.
    Parse,
}

/// What a run will do.
#[derive(Debug, Clone, PartialEq)]
pub struct Plan {
    /// One per input, in the scan's order.
    pub looks: Vec<Look>,
    /// Input paths of the last run that no input yields any more.
    pub removed: Vec<String>,
    /// Every file is parsed again (`--full`, a new record version, or
    /// recovering from a killed run).
    pub reparse_all: bool,
    /// Links and verdicts are computed again whatever the parse finds.
    pub relink: bool,
    /// A new index generation gets every paper.
    pub rebuild_index: bool,
    /// Papers whose record file was deleted or changed by hand: parsed
    /// again from their sources and written again.
    pub rewrite: BTreeSet<String>,
    /// `links.yaml` is written even when the links did not change.
    pub rewrite_links_file: bool,
    /// Record files no paper of the last run owns, deleted at the end of
    /// the run unless the run writes a paper of that name (the report names
    /// each one deleted).
    pub stray: Vec<OsString>,
    /// The data directory is exactly what the last run left and nothing
    /// forces work: with no changed input, the run does nothing.
    pub settled: bool,
    /// What the run repairs, one sentence each, for the log and the report.
    pub repairs: Vec<String>,
}

/// Plans a run.
pub fn plan(facts: &Facts<'_>) -> Plan {
    let old = facts.old;
    let killed = facts.previous_run_killed;
    // Without its memory of the last run, a run cannot tell which index
    // entries are stale: the index is rebuilt whenever the manifest is gone.
    let manifest_lost = matches!(
        facts.manifest,
        ManifestSource::Missing | ManifestSource::Unreadable
    );
    let reparse_all = facts.full || killed || old.record_version != RECORD_VERSION;
    let rebuild_index = killed || manifest_lost || facts.index_unusable.is_some();
    let rewrite: BTreeSet<String> = facts.records.damaged.keys().cloned().collect();
    let rewrite_links_file = old.link_cache.is_some() && facts.links_file != old.links_stamp;
    let repairs = repairs(facts, rewrite_links_file);

    let looks = facts
        .inputs
        .iter()
        .map(|input| look(input, old, reparse_all))
        .collect();
    let yielded: BTreeSet<&str> = facts.inputs.iter().map(Input::display).collect();
    let removed: Vec<String> = old
        .files
        .keys()
        .filter(|path| !yielded.contains(path.as_str()))
        .cloned()
        .collect();
    let papers_may_come_or_go = facts.inputs.len() != old.files.len() || !removed.is_empty();
    let relink = reparse_all
        || rebuild_index
        || old.as_of != Some(facts.as_of)
        || old.link_cache.is_none()
        || papers_may_come_or_go
        || !rewrite.is_empty()
        || rewrite_links_file;
    let settled = !reparse_all
        && !rebuild_index
        && old.as_of == Some(facts.as_of)
        && rewrite.is_empty()
        && !rewrite_links_file;
    Plan {
        looks,
        removed,
        reparse_all,
        relink,
        rebuild_index,
        rewrite,
        rewrite_links_file,
        stray: facts.records.stray.clone(),
        settled,
        repairs,
    }
}

/// What a run with these facts repairs, one sentence each. A new data
/// directory repairs nothing; a gone manifest beside a usable index, a
/// damaged index or a file of `<DATA>` changed by hand is news.
fn repairs(facts: &Facts<'_>, rewrite_links_file: bool) -> Vec<String> {
    let mut said = Vec::new();
    let killed = facts.previous_run_killed;
    if killed {
        said.push(
            "the last run was killed: every file is parsed again and the index rebuilt, \
             so records, links and index agree again"
                .to_string(),
        );
    }
    match facts.manifest {
        ManifestSource::Unreadable => {
            said.push("manifest.bin was unreadable: everything is built again".to_string());
        }
        ManifestSource::Missing if facts.index_unusable.is_none() => said.push(
            "manifest.bin was missing: everything is built again and the index rebuilt".to_string(),
        ),
        _ => {}
    }
    if let Some(reason) = facts.index_unusable
        && facts.manifest != ManifestSource::Missing
        && !killed
    {
        said.push(format!("the search index is rebuilt: {reason}"));
    }
    said.extend(facts.records.damaged.iter().map(|(id, damage)| {
        let what = match damage {
            Damage::Missing => "was deleted",
            Damage::Changed => "was changed or damaged",
        };
        format!("the record of {id} {what} by hand: written again from its sources")
    }));
    if rewrite_links_file && facts.old.links_stamp.is_some() {
        said.push("links.yaml was changed or deleted by hand: written again".to_string());
    }
    said
}

fn look(input: &Input, old: &Manifest, reparse_all: bool) -> Look {
    if reparse_all {
        return Look::Parse;
    }
    match input {
        Input::File {
            display,
            seen: Some(Seen { size, mtime_ns }),
            ..
        } if old
            .files
            .get(display)
            .is_some_and(|prev| prev.size == *size && prev.mtime_ns == *mtime_ns) =>
        {
            Look::Keep
        }
        _ => Look::IfChanged,
    }
}

/// What the parse found, as far as linking cares.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ParseFindings {
    /// Some input was added, changed, removed or failed, or some paper must
    /// be written again.
    pub anything_changed: bool,
    /// Every changed paper was written on its own while parsing and kept
    /// the essentials digest the manifest holds.
    pub essentials_kept: bool,
}

/// How links, verdicts and the index are brought up to date.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LinkPass {
    /// Nothing changed: links, verdicts and the index stay as they are.
    Nothing,
    /// The changed papers kept what linking reads: the last run's links and
    /// verdicts stand, the link cache is not opened.
    KeepLinks,
    /// Every paper is linked and judged again from the link cache.
    Relink,
}

/// The decision that waits for the parse.
pub fn link_pass(plan: &Plan, found: ParseFindings) -> LinkPass {
    if plan.settled && !found.anything_changed {
        LinkPass::Nothing
    } else if !plan.relink && found.essentials_kept {
        LinkPass::KeepLinks
    } else {
        LinkPass::Relink
    }
}

#[cfg(test)]
mod tests;
