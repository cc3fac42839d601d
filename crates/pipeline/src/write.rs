//! Stage 4: writing records. Each record file is replaced atomically, its
//! essentials digested for linking, and — unless it is a Beschlussantrag,
//! whose index entry waits for its verdict — handed to the index batch at
//! once, so a full build never holds every record in memory.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::Mutex;

use ratsdoc_index::{IndexBatch, IndexDoc};
use ratsdoc_link::Essentials;
use ratsdoc_model::{Kind, Record, yaml};
use ratsdoc_store::DataDir;
use ratsdoc_store::atomic::{self, Durability};
use ratsdoc_store::cache::{self, EssentialsDigest};
use ratsdoc_store::manifest::{FileStamp, Hash, Manifest};

use crate::BuildError;
use crate::hooks::{Stage, pause_at};
use crate::read::Read;

/// Writes records and feeds the index batch; shared by the rayon workers.
pub(crate) struct RecordWriter<'a> {
    pub data: &'a DataDir,
    pub old: &'a Manifest,
    pub batch: &'a IndexBatch,
    pub full_rebuild: bool,
}

/// What became of one affected paper.
pub(crate) struct Written {
    pub id: String,
    /// `None` when the paper is gone.
    pub paper: Option<WrittenPaper>,
    pub notes: Vec<String>,
    /// A Beschlussantrag waits here for its verdict before it is indexed;
    /// every other record went to the index at once and is gone.
    pub held: Option<Record>,
    pub indexed: bool,
}

/// A record as written: what linking reads of it, and what the manifest
/// keeps of its file.
pub(crate) struct WrittenPaper {
    pub essentials: Essentials,
    pub digest: EssentialsDigest,
    /// blake3 of the record file.
    pub record: Hash,
    /// The record file's size and modification time after the write.
    pub stamp: Option<FileStamp>,
}

impl RecordWriter<'_> {
    /// Writes one (merged) record, digests it for linking, and indexes it
    /// unless it is a Beschlussantrag, whose index entry carries a verdict
    /// that only linking everything can give.
    pub fn write(&self, record: Record, notes: Vec<String>) -> Result<Written, BuildError> {
        pause_at(Stage::Records);
        let path = self.data.record_path(&record.id);
        let text = yaml::to_string(&record)
            .map_err(|e| BuildError::corrupt(path.clone(), e.to_string()))?;
        atomic::write_if_changed_with(&path, text.as_bytes(), Durability::Deferred)?;
        let essentials = Essentials::of(&record);
        let paper = WrittenPaper {
            record: blake3::hash(text.as_bytes()).into(),
            digest: cache::digest(&essentials),
            essentials,
            stamp: FileStamp::read(&path),
        };
        let mut indexed = false;
        let held = if record.kind == Kind::Beschlussantrag {
            Some(record)
        } else {
            if self.full_rebuild || !self.old.index_holds(&record.id, paper.record, None) {
                self.batch.upsert(&IndexDoc {
                    record: &record,
                    status: None,
                })?;
                indexed = true;
            }
            None
        };
        Ok(Written {
            id: paper.essentials.id().to_string(),
            paper: Some(paper),
            notes,
            held,
            indexed,
        })
    }

    /// The record file of a paper that no input yields any more goes.
    pub fn remove(&self, id: String) -> Result<Written, BuildError> {
        let path = self.data.record_path(&id);
        match std::fs::remove_file(&path) {
            Ok(()) => {}
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => return Err(BuildError::io(path, e)),
        }
        Ok(Written {
            id,
            paper: None,
            notes: Vec::new(),
            held: None,
            indexed: false,
        })
    }
}

/// Takes a paper's id for the file at `index`; false when another file of
/// this run has it already.
pub(crate) fn claim(claims: &Mutex<HashMap<String, usize>>, id: &str, index: usize) -> bool {
    let mut claims = claims.lock().unwrap_or_else(|e| e.into_inner());
    if claims.contains_key(id) {
        false
    } else {
        claims.insert(id.to_string(), index);
        true
    }
}

/// Papers written while parsing, and the parsed records of the affected
/// papers still to be merged and written, grouped by id.
pub(crate) struct Pending {
    pub written: Vec<Result<Written, BuildError>>,
    /// Affected ids without any record left (their files were removed or
    /// failed) get an empty group: their record file is deleted.
    pub groups: Vec<(String, Vec<Record>)>,
}

/// Moves the parsed records of the affected papers out of `reads`, grouped
/// by id (a paper may come as several files), and the records written
/// during parsing.
pub(crate) fn take_records(reads: &mut [Read], affected: &BTreeSet<String>) -> Pending {
    let mut written = Vec::new();
    let mut done = BTreeSet::new();
    for read in reads.iter_mut() {
        for w in std::mem::take(&mut read.written) {
            if let Ok(w) = &w {
                done.insert(w.id.clone());
            }
            written.push(w);
        }
    }
    let mut by_id: BTreeMap<String, Vec<Record>> = affected
        .iter()
        .filter(|id| !done.contains(*id))
        .map(|id| (id.clone(), Vec::new()))
        .collect();
    for read in reads.iter_mut() {
        for record in std::mem::take(&mut read.records) {
            if let Some(group) = by_id.get_mut(&record.id) {
                group.push(record);
            }
        }
    }
    Pending {
        written,
        groups: by_id.into_iter().collect(),
    }
}
