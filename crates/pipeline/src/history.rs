//! Stage 7's note in the run history (`ratsdoc_store::history`): what this
//! run changed, for the feeds, the calendar and `ratsdoc digest`. Written
//! after the index commit and before the manifest, so a run killed between
//! the two is redone by the next run without listing its changes twice,
//! and a run that finds nothing to do (whose manifest says the last run
//! completed) can leave the history alone.

use chrono::NaiveDate;
use ratsdoc_store::DataDir;
use ratsdoc_store::history::{Found, History, Observation};
use ratsdoc_store::manifest::{Manifest, ManifestSource};

use crate::BuildError;
use crate::pipeline::timed;

/// What the history needs to know of the run besides the new manifest.
pub(crate) struct Note<'a> {
    /// When the run started, Unix seconds.
    pub at: i64,
    pub as_of: NaiveDate,
    /// How the last run's manifest was found: with one, a missing history
    /// starts from this run's state instead of calling every paper new.
    pub old_manifest: ManifestSource,
    pub links: Option<&'a [(String, String)]>,
}

/// Takes this run's changes into the history; returns a repair sentence
/// when the history file was damaged.
pub(crate) fn record(
    data: &DataDir,
    manifest: &Manifest,
    note: Note<'_>,
) -> Result<Option<String>, BuildError> {
    let (mut history, found) = timed("load history", || History::load(data.root()));
    let baseline = found != Found::Read && note.old_manifest != ManifestSource::Missing;
    let seen = Observation {
        at: note.at,
        as_of: note.as_of,
        papers: manifest
            .papers
            .iter()
            .map(|(id, state)| (id.as_str(), &state.record, state.status)),
        links: note.links,
    };
    if history.record(seen, baseline) {
        timed("save history", || history.save(data.root()))?;
    }
    Ok((found == Found::Damaged).then(|| {
        format!(
            "{} was damaged: the run history starts again from this run",
            ratsdoc_store::history::FILE
        )
    }))
}
