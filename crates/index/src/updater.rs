//! The writing side: one [`IndexUpdater`] per build run applies what changed
//! in one commit, or writes a fresh generation when the index is missing or
//! was written by another analyser or record version.
//!
//! Writing is streamed: [`IndexUpdater::begin`] gives an [`IndexBatch`] that
//! many threads feed at once (the build's parser workers, while other papers
//! are still being parsed), and [`IndexBatch::commit`] makes all of it live
//! at once. [`IndexUpdater::apply`] is the same for a slice in hand.
//!
//! **Invariant:** a run that changes nothing writes nothing. Opening the
//! updater and beginning a batch only read; the tantivy writer (which takes a
//! lock file) is created on the first upsert or delete, or at once for a full
//! rebuild, which always writes.
//!
//! **Invariant:** a batch that is dropped without commit leaves the live
//! index as it was: an incremental batch never committed, so tantivy's
//! `meta.json` still names the old segments; a rebuild wrote only into a
//! generation that `CURRENT` does not name, which the drop (or, after a
//! kill, the next [`IndexUpdater::open`]) removes.

use std::path::{Path, PathBuf};
use std::sync::{Mutex, OnceLock};

use tantivy::{Index, IndexWriter, Term};

use crate::generation::{self, IndexVersion};
use crate::schema::{Fields, build_schema};
use crate::{IndexDoc, IndexError, analysis};

/// Memory tantivy may use for indexing, in bytes, split over its threads.
/// Each indexing thread fills its own in-memory segment up to its share
/// before writing it out; the total is fixed so that more cores never mean
/// more memory, and keeps a full build of 100,000 papers well under its
/// 1 GiB target.
const WRITER_MEMORY: usize = 260_000_000;

/// Tantivy refuses smaller shares per thread.
const MIN_WRITER_MEMORY_PER_THREAD: usize = 15_000_000;

/// More indexing threads than this only add segments to merge: the analysis
/// is cheap enough that tantivy's posting writer is not starved.
const MAX_WRITER_THREADS: usize = 4;

/// Applies one build run's changes to the index.
pub struct IndexUpdater {
    index_dir: PathBuf,
    /// The live generation, when it can be updated incrementally.
    live: Option<u64>,
    full_rebuild: bool,
    unusable: Option<String>,
}

impl IndexUpdater {
    /// Opens the live index under `index_dir`, or prepares a new one when there
    /// is none or it was written by another analyser version.
    ///
    /// Removes generations a killed rebuild left behind.
    pub fn open(index_dir: &Path) -> Result<IndexUpdater, IndexError> {
        let current = generation::current(index_dir)?;
        let (live, unusable) = match current {
            None => (None, Some("there is no index yet".to_string())),
            Some(n) => match check_generation(&generation::generation_dir(index_dir, n)) {
                Ok(()) => (Some(n), None),
                Err(reason) => (None, Some(reason)),
            },
        };
        // Keep whatever CURRENT names, usable or not: it stays live (for
        // searchers already running) until a new generation replaces it.
        generation::remove_all_but(index_dir, current)?;
        Ok(IndexUpdater {
            index_dir: index_dir.to_path_buf(),
            live,
            full_rebuild: unusable.is_some(),
            unusable,
        })
    }

    /// Why the live index cannot be updated and is rebuilt: none yet,
    /// written by another version, or damaged. `None` when it is usable.
    pub fn unusable_reason(&self) -> Option<&str> {
        self.unusable.as_deref()
    }

    /// Asks for a full rebuild even though the live index is current (after
    /// a dictionary edit, or `ratsdoc build --full`).
    pub fn force_full_rebuild(&mut self) {
        self.full_rebuild = true;
    }

    /// True when every record must be given to the batch (or to
    /// [`IndexUpdater::apply`]).
    pub fn full_rebuild(&self) -> bool {
        self.full_rebuild
    }

    /// Starts the run's one batch of changes. For a full rebuild this creates
    /// the new generation (next to the live one, which stays searchable); for
    /// an incremental update it writes nothing yet.
    pub fn begin(self) -> Result<IndexBatch, IndexError> {
        match self.live {
            Some(n) if !self.full_rebuild => {
                let dir = generation::generation_dir(&self.index_dir, n);
                let index = open_index(&dir)?;
                let fields = Fields::resolve(&index.schema())?;
                Ok(IndexBatch {
                    index,
                    fields,
                    writer: OnceLock::new(),
                    writer_init: Mutex::new(()),
                    rebuild: None,
                })
            }
            _ => {
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
                let fields = Fields::resolve(&index.schema())?;
                let batch = IndexBatch {
                    index,
                    fields,
                    writer: OnceLock::new(),
                    writer_init: Mutex::new(()),
                    rebuild: Some(Rebuild {
                        index_dir: dir.clone(),
                        generation: next,
                    }),
                };
                // A rebuild always commits, even without documents: the new
                // generation must become live.
                batch.writer()?;
                Ok(batch)
            }
        }
    }

    /// Deletes `deletes` and (re)adds `upserts` by id, in one commit. Does
    /// nothing at all when both are empty and no full rebuild is pending.
    ///
    /// On a full rebuild, `upserts` must hold every record; `deletes` is
    /// ignored, and the new generation replaces the old one atomically.
    pub fn apply(self, upserts: &[IndexDoc<'_>], deletes: &[String]) -> Result<(), IndexError> {
        let full_rebuild = self.full_rebuild || self.live.is_none();
        let batch = self.begin()?;
        if !full_rebuild {
            for id in deletes {
                batch.delete(id)?;
            }
        }
        for doc in upserts {
            batch.upsert(doc)?;
        }
        batch.commit()
    }
}

/// One run's changes to the index, fed from many threads and made live by one
/// [`IndexBatch::commit`]. Dropping it without commit changes nothing that a
/// searcher sees.
pub struct IndexBatch {
    index: Index,
    fields: Fields,
    /// Created on first use, so that a batch without changes writes nothing.
    writer: OnceLock<IndexWriter>,
    /// Held while the writer is created, so that only one thread creates it
    /// (tantivy's lock file admits one writer).
    writer_init: Mutex<()>,
    /// Set for a full rebuild: the generation being written.
    rebuild: Option<Rebuild>,
}

/// Where a full rebuild writes.
struct Rebuild {
    index_dir: PathBuf,
    generation: u64,
}

impl IndexBatch {
    /// Adds a record, replacing any document with the same id. Callable from
    /// many threads at once (rayon workers), while documents are still being
    /// parsed; the text is analysed by tantivy's indexing threads.
    pub fn upsert(&self, doc: &IndexDoc<'_>) -> Result<(), IndexError> {
        let document = self.fields.document(doc);
        let writer = self.writer()?;
        writer.delete_term(Term::from_field_text(self.fields.id, &doc.record.id));
        writer.add_document(document)?;
        Ok(())
    }

    /// Removes the document with this id, if there is one.
    pub fn delete(&self, id: &str) -> Result<(), IndexError> {
        self.writer()?
            .delete_term(Term::from_field_text(self.fields.id, id));
        Ok(())
    }

    /// One commit, waiting for merges so that the process can exit right
    /// after. For a full rebuild, then writes the version file and flips
    /// `CURRENT` to the new generation. Writes nothing when nothing was
    /// upserted or deleted and no full rebuild is pending.
    pub fn commit(mut self) -> Result<(), IndexError> {
        if let Some(mut writer) = self.writer.take() {
            writer.commit()?;
            writer.wait_merging_threads()?;
        }
        let Some(rebuild) = self.rebuild.take() else {
            return Ok(());
        };
        let dir = &rebuild.index_dir;
        let gen_dir = generation::generation_dir(dir, rebuild.generation);
        generation::write_version(&gen_dir, IndexVersion::this_build())?;
        generation::sync_dir(dir);
        generation::set_current(dir, rebuild.generation)?;
        // The old generation is no longer live; a searcher that still has it
        // open keeps its files until it reloads (POSIX unlink semantics).
        generation::remove_all_but(dir, Some(rebuild.generation))?;
        Ok(())
    }

    fn writer(&self) -> Result<&IndexWriter, IndexError> {
        if let Some(writer) = self.writer.get() {
            return Ok(writer);
        }
        let _guard = self
            .writer_init
            .lock()
            .map_err(|_| IndexError::Other("a thread creating the index writer panicked".into()))?;
        if let Some(writer) = self.writer.get() {
            return Ok(writer);
        }
        let threads = writer_threads();
        let writer = self.index.writer_with_num_threads(
            threads,
            (WRITER_MEMORY / threads).max(MIN_WRITER_MEMORY_PER_THREAD),
        )?;
        Ok(self.writer.get_or_init(|| writer))
    }
}

impl Drop for IndexBatch {
    /// Without commit: stops tantivy's threads, and removes a rebuild's
    /// unfinished generation right away instead of at the next open.
    fn drop(&mut self) {
        drop(self.writer.take());
        if let Some(rebuild) = self.rebuild.take() {
            let _ = std::fs::remove_dir_all(generation::generation_dir(
                &rebuild.index_dir,
                rebuild.generation,
            ));
        }
    }
}

/// One indexing thread per core, within tantivy's and our limits.
fn writer_threads() -> usize {
    std::thread::available_parallelism()
        .map_or(1, usize::from)
        .clamp(1, MAX_WRITER_THREADS)
}

fn open_index(dir: &Path) -> Result<Index, IndexError> {
    let index = Index::open_in_dir(dir)?;
    analysis::register(index.tokenizers());
    Ok(index)
}

/// Whether the generation in `dir` can be updated: written by this version,
/// with our schema, and every segment's files readable. Opening each
/// field's term dictionary reads the footers tantivy checks, so a truncated
/// or overwritten index file is found here (milliseconds), not by the next
/// search.
fn check_generation(dir: &Path) -> Result<(), String> {
    if generation::read_version(dir) != Some(IndexVersion::this_build()) {
        return Err("it was written by another ratsdoc version".into());
    }
    let damaged = |e: &dyn std::fmt::Display| format!("it is damaged ({e})");
    let index = Index::open_in_dir(dir).map_err(|e| damaged(&e))?;
    let schema = index.schema();
    Fields::resolve(&schema).map_err(|_| "its schema is not this version's".to_string())?;
    let reader = index.reader().map_err(|e| damaged(&e))?;
    let searcher = reader.searcher();
    for segment in searcher.segment_readers() {
        for (field, entry) in schema.fields() {
            if entry.is_indexed() {
                segment.inverted_index(field).map_err(|e| damaged(&e))?;
            }
        }
    }
    Ok(())
}
