//! The run history (`<DATA>/history.bin`): what each build changed — papers
//! added, changed and removed, links found, verdicts that moved — so the
//! feeds, the calendar and `ratsdoc digest` can say what is *new* without
//! a second build to compare with.
//!
//! Besides the list of runs the history keeps one line per paper: when
//! ratsdoc first saw it, when its record last changed, when it went away,
//! and the record fingerprint and verdict it had. A run diffs against that
//! table, not against the manifest, so the history is right even when a
//! run was killed between writing the manifest and writing the history (the
//! next run reports the change), and it is what an OParl endpoint would
//! read for a paper's `created`, `modified` and `deleted` times.
//!
//! **Bounded:** at most [`MAX_RUNS`] runs and [`MAX_LISTED`] listed changes
//! are kept (older runs go first; a run with more changes than that lists
//! the first ones and counts the rest), and at most [`MAX_DELETED`] removed
//! papers. **Crash-safe:** the file is replaced atomically behind a magic
//! line, a version and a blake3 checksum, like the manifest; a damaged or
//! truncated file is never fatal — the next build starts the history again
//! from what it sees and says so in `report.json`'s `repairs`.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use chrono::NaiveDate;
use ratsdoc_model::StatusKind;
use serde::{Deserialize, Serialize};

use crate::manifest::Hash;
use crate::{StoreError, atomic, binfile};

pub const FILE: &str = "history.bin";
const MAGIC: &[u8] = b"ratsdoc history\n";
const VERSION: u64 = 1;

/// Runs kept: a nightly build's last three months.
pub const MAX_RUNS: usize = 100;
/// Changes listed over all kept runs.
pub const MAX_LISTED: usize = 20_000;
/// Removed papers whose removal time is kept.
pub const MAX_DELETED: usize = 10_000;
/// The time of a paper the history found already there when it started
/// (a data directory built before the history, or a damaged history).
pub const UNKNOWN: i64 = 0;

/// An answer → motion link, as `(answer, motion)`.
pub type LinkPair = (String, String);

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct History {
    /// Oldest first.
    pub runs: Vec<RunChanges>,
    /// Per record id, what the last run that changed anything left.
    pub papers: BTreeMap<String, PaperLife>,
    /// The links that run left.
    pub links: BTreeSet<LinkPair>,
}

/// What one build changed. Ids in each list are sorted.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RunChanges {
    /// Counts up by one per recorded run.
    pub seq: u64,
    /// When the run started, in seconds since the Unix epoch (UTC).
    pub at: i64,
    /// The date the run judged report status on.
    pub as_of: NaiveDate,
    pub added: Vec<String>,
    pub changed: Vec<String>,
    pub removed: Vec<String>,
    /// Links this run found that the last one did not have.
    pub links: Vec<LinkPair>,
    /// Verdicts of papers the last run knew that are different now.
    pub verdicts: Vec<VerdictChange>,
    /// Changes not listed because of [`MAX_LISTED`].
    pub unlisted: u64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct VerdictChange {
    pub id: String,
    pub from: Option<StatusKind>,
    pub to: Option<StatusKind>,
}

/// One paper's life as the history saw it (times in Unix seconds, UTC;
/// [`UNKNOWN`] for what happened before the history started).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct PaperLife {
    pub created: i64,
    pub modified: i64,
    pub deleted: Option<i64>,
    /// When its verdict last changed (Beschlussanträge; else `created`).
    pub judged: i64,
    /// The first eight bytes of the record file's blake3.
    pub record: u64,
    pub status: Option<StatusKind>,
}

/// What a finished build leaves, for [`History::record`].
pub struct Observation<'a, I> {
    pub at: i64,
    pub as_of: NaiveDate,
    /// Every paper: id, blake3 of its record file, verdict.
    pub papers: I,
    /// Every link, when the run linked; `None` when the links are the last
    /// run's.
    pub links: Option<&'a [LinkPair]>,
}

/// How [`History::load`] found the file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Found {
    Missing,
    Read,
    Damaged,
}

impl RunChanges {
    /// Whether the run changed nothing the history keeps.
    pub fn is_empty(&self) -> bool {
        self.added.is_empty()
            && self.changed.is_empty()
            && self.removed.is_empty()
            && self.links.is_empty()
            && self.verdicts.is_empty()
            && self.unlisted == 0
    }

    fn listed(&self) -> usize {
        self.added.len()
            + self.changed.len()
            + self.removed.len()
            + self.links.len()
            + self.verdicts.len()
    }
}

impl History {
    pub fn path(dir: &Path) -> std::path::PathBuf {
        dir.join(FILE)
    }

    /// The history in `dir`; empty when it is missing or damaged (never an
    /// error: it is derived, and the feeds then have less to say).
    pub fn load(dir: &Path) -> (History, Found) {
        match std::fs::read(History::path(dir)) {
            Ok(bytes) => match binfile::decode(MAGIC, VERSION, &bytes) {
                Some(h) => (h, Found::Read),
                None => (History::default(), Found::Damaged),
            },
            Err(_) => (History::default(), Found::Missing),
        }
    }

    /// Replaces the file atomically (synced).
    pub fn save(&self, dir: &Path) -> Result<(), StoreError> {
        let path = History::path(dir);
        let bytes =
            binfile::encode(MAGIC, VERSION, self).map_err(|message| StoreError::Corrupt {
                path: path.clone(),
                message,
            })?;
        atomic::write(&path, &bytes)
    }

    /// Runs at or after `since` (Unix seconds), oldest first.
    pub fn runs_since(&self, since: i64) -> impl Iterator<Item = &RunChanges> {
        self.runs.iter().filter(move |r| r.at >= since)
    }

    /// The time of the newest run, if any.
    pub fn last_run(&self) -> Option<i64> {
        self.runs.last().map(|r| r.at)
    }

    /// Takes in what a finished build left. Returns whether anything
    /// changed (and so whether the file must be written). With
    /// `baseline`, the table is filled without listing a run: a data
    /// directory whose history started after its first build does not claim
    /// every paper is new.
    pub fn record<'p, I>(&mut self, seen: Observation<'_, I>, baseline: bool) -> bool
    where
        I: Iterator<Item = (&'p str, &'p Hash, Option<StatusKind>)>,
    {
        let mut run = RunChanges {
            seq: self.runs.last().map_or(1, |r| r.seq + 1),
            // A baseline does not know when its papers came.
            at: if baseline { UNKNOWN } else { seen.at },
            as_of: seen.as_of,
            added: Vec::new(),
            changed: Vec::new(),
            removed: Vec::new(),
            links: Vec::new(),
            verdicts: Vec::new(),
            unlisted: 0,
        };
        let present = self.diff_papers(seen.papers, &mut run);
        self.note_removed(&present, &mut run);
        let mut links_moved = false;
        if let Some(links) = seen.links {
            let now: BTreeSet<LinkPair> = links.iter().cloned().collect();
            run.links = now.difference(&self.links).cloned().collect();
            links_moved = now != self.links;
            self.links = now;
        }
        let changed = !run.is_empty() || links_moved || baseline;
        if !baseline && !run.is_empty() {
            self.push(run);
        }
        changed
    }

    /// Compares every paper with the table and updates it; returns the ids
    /// seen.
    fn diff_papers<'p, I>(&mut self, papers: I, run: &mut RunChanges) -> BTreeSet<&'p str>
    where
        I: Iterator<Item = (&'p str, &'p Hash, Option<StatusKind>)>,
    {
        let at = run.at;
        let mut present = BTreeSet::new();
        for (id, hash, status) in papers {
            present.insert(id);
            let record = fingerprint(hash);
            match self.papers.get_mut(id) {
                Some(life) if life.deleted.is_none() => {
                    if life.record != record {
                        run.changed.push(id.to_string());
                        life.record = record;
                        life.modified = at;
                    }
                    if life.status != status {
                        run.verdicts.push(VerdictChange {
                            id: id.to_string(),
                            from: life.status,
                            to: status,
                        });
                        life.status = status;
                        life.judged = at;
                    }
                }
                Some(life) => {
                    run.added.push(id.to_string());
                    *life = PaperLife {
                        created: life.created,
                        modified: at,
                        deleted: None,
                        judged: at,
                        record,
                        status,
                    };
                }
                None => {
                    run.added.push(id.to_string());
                    let life = PaperLife {
                        created: at,
                        modified: at,
                        deleted: None,
                        judged: at,
                        record,
                        status,
                    };
                    self.papers.insert(id.to_string(), life);
                }
            }
        }
        present
    }

    /// Marks the papers that are gone, and forgets the oldest removals
    /// beyond [`MAX_DELETED`].
    fn note_removed(&mut self, present: &BTreeSet<&str>, run: &mut RunChanges) {
        for (id, life) in self.papers.iter_mut() {
            if life.deleted.is_none() && !present.contains(id.as_str()) {
                life.deleted = Some(run.at);
                life.modified = run.at;
                run.removed.push(id.clone());
            }
        }
        let mut deleted: Vec<(i64, String)> = self
            .papers
            .iter()
            .filter_map(|(id, l)| l.deleted.map(|d| (d, id.clone())))
            .collect();
        if deleted.len() > MAX_DELETED {
            deleted.sort();
            for (_, id) in &deleted[..deleted.len() - MAX_DELETED] {
                self.papers.remove(id);
            }
        }
    }

    /// Appends `run` and drops the oldest runs beyond the bounds.
    fn push(&mut self, mut run: RunChanges) {
        trim(&mut run, MAX_LISTED);
        self.runs.push(run);
        let mut listed: usize = self.runs.iter().map(RunChanges::listed).sum();
        while self.runs.len() > MAX_RUNS || (listed > MAX_LISTED && self.runs.len() > 1) {
            listed -= self.runs[0].listed();
            self.runs.remove(0);
        }
    }
}

/// Shortens the lists of one run to `max` entries in all, counting the rest.
fn trim(run: &mut RunChanges, max: usize) {
    let mut room = max;
    let mut cut = |len: usize| -> usize {
        let keep = len.min(room);
        room -= keep;
        keep
    };
    let (a, c, r) = (
        cut(run.added.len()),
        cut(run.changed.len()),
        cut(run.removed.len()),
    );
    let (l, v) = (cut(run.links.len()), cut(run.verdicts.len()));
    let before = run.listed();
    run.added.truncate(a);
    run.changed.truncate(c);
    run.removed.truncate(r);
    run.links.truncate(l);
    run.verdicts.truncate(v);
    run.unlisted += (before - run.listed()) as u64;
}

fn fingerprint(hash: &Hash) -> u64 {
    let mut first = [0u8; 8];
    first.copy_from_slice(&hash[..8]);
    u64::from_le_bytes(first)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn h(n: u8) -> Hash {
        [n; 32]
    }

    fn seen<'a>(
        at: i64,
        papers: &'a [(&'a str, Hash, Option<StatusKind>)],
        links: Option<&'a [LinkPair]>,
    ) -> Observation<'a, impl Iterator<Item = (&'a str, &'a Hash, Option<StatusKind>)>> {
        Observation {
            at,
            as_of: NaiveDate::MIN,
            papers: papers.iter().map(|(id, hash, s)| (*id, hash, *s)),
            links,
        }
    }

    fn pair(a: &str, m: &str) -> LinkPair {
        (a.to_string(), m.to_string())
    }

    #[test]
    fn runs_list_what_changed_and_nothing_else() {
        let mut history = History::default();
        let first = [("BA-1/2020", h(1), Some(StatusKind::Pending))];
        assert!(history.record(seen(100, &first, Some(&[])), false));
        assert_eq!(history.runs[0].added, ["BA-1/2020"]);
        // The same again: nothing to write, no run listed.
        assert!(!history.record(seen(200, &first, Some(&[])), false));
        assert_eq!(history.runs.len(), 1);

        let links = [pair("I-1/2020", "BA-1/2020")];
        let second = [
            ("BA-1/2020", h(1), Some(StatusKind::AnsweredOnTime)),
            ("I-1/2020", h(2), None),
        ];
        assert!(history.record(seen(300, &second, Some(&links)), false));
        let run = &history.runs[1];
        assert_eq!((run.seq, run.at), (2, 300));
        assert_eq!(run.added, ["I-1/2020"]);
        assert_eq!(run.links, links);
        assert_eq!(run.verdicts[0].from, Some(StatusKind::Pending));
        assert_eq!(run.verdicts[0].to, Some(StatusKind::AnsweredOnTime));

        let third = [("I-1/2020", h(3), None)];
        assert!(history.record(seen(400, &third, None), false));
        let run = &history.runs[2];
        assert_eq!(
            (run.changed.as_slice(), run.removed.as_slice()),
            (
                &["I-1/2020".to_string()][..],
                &["BA-1/2020".to_string()][..]
            )
        );
        let life = history.papers["BA-1/2020"];
        assert_eq!((life.created, life.deleted), (100, Some(400)));
        assert_eq!(history.papers["I-1/2020"].modified, 400);
        assert_eq!(history.runs_since(300).count(), 2);
    }

    #[test]
    fn a_baseline_fills_the_table_without_a_run() {
        let mut history = History::default();
        let papers = [("BA-1/2020", h(1), None)];
        assert!(history.record(seen(100, &papers, None), true));
        assert!(history.runs.is_empty());
        assert_eq!(history.papers["BA-1/2020"].created, UNKNOWN);
    }

    #[test]
    fn the_history_stays_bounded() {
        let mut history = History::default();
        let ids: Vec<String> = (0..MAX_LISTED + 5).map(|i| format!("X-{i}/2020")).collect();
        let papers: Vec<(&str, Hash, Option<StatusKind>)> =
            ids.iter().map(|id| (id.as_str(), h(1), None)).collect();
        history.record(seen(1, &papers, None), false);
        assert_eq!(history.runs[0].added.len(), MAX_LISTED);
        assert_eq!(history.runs[0].unlisted, 5);
        for at in 2..(MAX_RUNS as i64 + 10) {
            let one = [(ids[0].as_str(), h(at as u8), None)];
            history.record(seen(at, &one, None), false);
        }
        assert_eq!(history.runs.len(), MAX_RUNS);
        assert!(history.runs.iter().all(|r| r.added.len() < MAX_LISTED));
        let deleted = history
            .papers
            .values()
            .filter(|l| l.deleted.is_some())
            .count();
        assert_eq!(deleted, MAX_DELETED);
    }

    #[test]
    fn a_damaged_file_reads_as_empty_never_as_an_error() {
        let dir = tempfile::tempdir().unwrap();
        let mut history = History::default();
        history.record(seen(7, &[("BA-1/2020", h(1), None)], None), false);
        history.save(dir.path()).unwrap();
        assert_eq!(History::load(dir.path()), (history, Found::Read));
        let path = History::path(dir.path());
        let bytes = std::fs::read(&path).unwrap();
        std::fs::write(&path, &bytes[..bytes.len() - 3]).unwrap();
        assert_eq!(
            History::load(dir.path()),
            (History::default(), Found::Damaged)
        );
        std::fs::remove_file(&path).unwrap();
        assert_eq!(History::load(dir.path()).1, Found::Missing);
    }
}
