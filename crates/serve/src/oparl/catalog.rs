//! What the OParl routes need of one snapshot, computed once per build:
//! every paper's URL stem and times (the records of the build and the
//! removed papers the run history keeps), and on first use the directory
//! of organizations, persons and meetings, which reads every record.

use std::collections::HashMap;
use std::sync::OnceLock;

use ratsdoc_model::number::id_to_file_stem;
use ratsdoc_oparl_api::{Directory, Times};
use ratsdoc_store::DataDir;
use ratsdoc_store::history::History;

use crate::error::WebError;
use crate::snapshot::Snapshot;

/// One listed paper.
pub struct Row {
    pub id: String,
    pub stem: String,
    pub times: Times,
}

pub struct Catalog {
    /// Sorted by id: the stable order of the paper list.
    pub rows: Vec<Row>,
    by_stem: HashMap<String, usize>,
    /// Earliest `created`, latest `modified` of all papers: the times of
    /// the System and the Body.
    pub span: Times,
    directory: OnceLock<Result<Directory, WebError>>,
}

impl Catalog {
    /// From the snapshot's paper ids and the history, no record read.
    pub fn new(snapshot: &Snapshot) -> Catalog {
        let history = &snapshot.history;
        let linked = link_times(history);
        let mut rows: Vec<Row> = snapshot
            .ids()
            .map(|id| Row {
                id: id.to_string(),
                stem: id_to_file_stem(id),
                times: paper_times(history, &linked, id),
            })
            .collect();
        let removed = history
            .papers
            .iter()
            .filter(|(id, life)| life.deleted.is_some() && snapshot.paper(id).is_none());
        for (id, life) in removed {
            rows.push(Row {
                id: id.clone(),
                stem: id_to_file_stem(id),
                times: Times {
                    created: life.created,
                    modified: life.deleted.unwrap_or(life.modified),
                    deleted: true,
                },
            });
        }
        rows.sort_by(|a, b| a.id.cmp(&b.id));
        let by_stem = rows
            .iter()
            .enumerate()
            .map(|(i, r)| (r.stem.clone(), i))
            .collect();
        let span = Times {
            created: rows.iter().map(|r| r.times.created).min().unwrap_or(0),
            modified: rows.iter().map(|r| r.times.modified).max().unwrap_or(0),
            deleted: false,
        };
        Catalog {
            rows,
            by_stem,
            span,
            directory: OnceLock::new(),
        }
    }

    pub fn by_stem(&self, stem: &str) -> Option<&Row> {
        self.by_stem.get(stem).map(|&i| &self.rows[i])
    }

    /// The organizations, persons and meetings of every paper: one pass
    /// over all records, the first time a directory route is asked.
    pub fn directory(&self, data: &DataDir) -> Result<&Directory, WebError> {
        self.directory
            .get_or_init(|| {
                let mut directory = Directory::default();
                for row in self.rows.iter().filter(|r| !r.times.deleted) {
                    if let Some(record) = data.load_record(&row.id)? {
                        directory.add(&record, row.times);
                    }
                }
                Ok(directory)
            })
            .as_ref()
            .map_err(Clone::clone)
    }
}

/// Per paper, the time of the last run that found a link of it.
fn link_times(history: &History) -> HashMap<&str, i64> {
    let mut at: HashMap<&str, i64> = HashMap::new();
    for run in &history.runs {
        for (answer, motion) in &run.links {
            for id in [answer, motion] {
                let t = at.entry(id.as_str()).or_insert(run.at);
                *t = (*t).max(run.at);
            }
        }
    }
    at
}

/// A paper's `created` and `modified`: its record's life, moved on by a
/// new verdict or a new link, which change its OParl object too.
fn paper_times(history: &History, linked: &HashMap<&str, i64>, id: &str) -> Times {
    let Some(life) = history.papers.get(id) else {
        return Times::default();
    };
    let modified = life
        .modified
        .max(life.judged)
        .max(linked.get(id).copied().unwrap_or(0));
    Times {
        created: life.created,
        modified,
        deleted: false,
    }
}
