//! The writing side: one [`IndexUpdater`] per build run applies what changed
//! in one commit, or writes a fresh generation when the index is missing or
//! was written by another analyser or record version.
//!
//! **Invariant:** a run that changes nothing writes nothing. Opening the
//! updater only reads; the tantivy writer (which takes a lock file) is created
//! in [`IndexUpdater::apply`], and only when there is work to do.

use std::path::{Path, PathBuf};

use tantivy::{Index, IndexWriter, Term};

use crate::generation::{self, IndexVersion};
use crate::schema::{Fields, build_schema};
use crate::{IndexDoc, IndexError, analysis};

/// Memory tantivy may use for indexing, in bytes (one thread).
const WRITER_MEMORY: usize = 50_000_000;

/// Applies one build run's changes to the index.
pub struct IndexUpdater {
    index_dir: PathBuf,
    /// The live generation, when it can be updated incrementally.
    live: Option<u64>,
    full_rebuild: bool,
}

impl IndexUpdater {
    /// Opens the live index under `index_dir`, or prepares a new one when there
    /// is none or it was written by another analyser version.
    ///
    /// Removes generations a killed rebuild left behind.
    pub fn open(index_dir: &Path) -> Result<IndexUpdater, IndexError> {
        let current = generation::current(index_dir)?;
        let usable = current.filter(|&n| {
            let dir = generation::generation_dir(index_dir, n);
            generation::read_version(&dir) == Some(IndexVersion::this_build())
                && Index::open_in_dir(&dir)
                    .ok()
                    .is_some_and(|index| Fields::resolve(&index.schema()).is_ok())
        });
        // Keep whatever CURRENT names, usable or not: it stays live (for
        // searchers already running) until a new generation replaces it.
        generation::remove_all_but(index_dir, current)?;
        Ok(IndexUpdater {
            index_dir: index_dir.to_path_buf(),
            live: usable,
            full_rebuild: usable.is_none(),
        })
    }

    /// Asks for a full rebuild even though the live index is current (after
    /// a dictionary edit, or `ratsdoc build --full`).
    pub fn force_full_rebuild(&mut self) {
        self.full_rebuild = true;
    }

    /// True when every record must be given to [`IndexUpdater::apply`].
    pub fn full_rebuild(&self) -> bool {
        self.full_rebuild
    }

    /// Deletes `deletes` and (re)adds `upserts` by id, in one commit. Does
    /// nothing at all when both are empty and no full rebuild is pending.
    ///
    /// On a full rebuild, `upserts` must hold every record; `deletes` is
    /// ignored, and the new generation replaces the old one atomically.
    pub fn apply(self, upserts: &[IndexDoc<'_>], deletes: &[String]) -> Result<(), IndexError> {
        match self.live {
            Some(n) if !self.full_rebuild => {
                if upserts.is_empty() && deletes.is_empty() {
                    return Ok(());
                }
                let dir = generation::generation_dir(&self.index_dir, n);
                let index = open_index(&dir)?;
                write(&index, upserts, deletes)
            }
            _ => self.rebuild(upserts),
        }
    }

    fn rebuild(self, docs: &[IndexDoc<'_>]) -> Result<(), IndexError> {
        let dir = &self.index_dir;
        std::fs::create_dir_all(dir).map_err(|e| IndexError::io(dir, e))?;
        let current = generation::current(dir)?;
        let next = generation::all(dir)?
            .into_iter()
            .chain(current)
            .max()
            .map_or(1, |n| n + 1);
        let gen_dir = generation::generation_dir(dir, next);
        std::fs::create_dir_all(&gen_dir).map_err(|e| IndexError::io(&gen_dir, e))?;
        let index = Index::create_in_dir(&gen_dir, build_schema())?;
        analysis::register(index.tokenizers());
        write(&index, docs, &[])?;
        drop(index);
        generation::write_version(&gen_dir, IndexVersion::this_build())?;
        generation::sync_dir(dir);
        generation::set_current(dir, next)?;
        // The old generation is no longer live; a searcher that still has it
        // open keeps its files until it reloads (POSIX unlink semantics).
        generation::remove_all_but(dir, Some(next))?;
        Ok(())
    }
}

fn open_index(dir: &Path) -> Result<Index, IndexError> {
    let index = Index::open_in_dir(dir)?;
    analysis::register(index.tokenizers());
    Ok(index)
}

/// Deletes by id and adds, then commits once and waits for merges, so that
/// the process can exit right after.
fn write(index: &Index, upserts: &[IndexDoc<'_>], deletes: &[String]) -> Result<(), IndexError> {
    let fields = Fields::resolve(&index.schema())?;
    let mut writer: IndexWriter = index.writer_with_num_threads(1, WRITER_MEMORY)?;
    for id in deletes {
        writer.delete_term(Term::from_field_text(fields.id, id));
    }
    for doc in upserts {
        writer.delete_term(Term::from_field_text(fields.id, &doc.record.id));
        writer.add_document(fields.document(doc))?;
    }
    writer.commit()?;
    writer.wait_merging_threads()?;
    Ok(())
}
