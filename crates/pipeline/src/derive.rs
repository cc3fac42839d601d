//! Stages 4–6 after the parse, in the three ways [`crate::plan::link_pass`]
//! chooses: nothing to do; the changed papers kept what linking reads (links
//! and verdicts stand, the link cache stays closed); or write what is left,
//! link and judge every paper from the link cache, and give the index what
//! differs from what it holds.

use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet, HashMap};

use chrono::NaiveDate;
use ratsdoc_index::{IndexBatch, IndexDoc};
use ratsdoc_link::Essentials;
use ratsdoc_model::{Kind, Links, Record, StatusKind, yaml};
use ratsdoc_store::DataDir;
use ratsdoc_store::atomic;
use ratsdoc_store::cache::{self, EssentialsDigest, LinkCache, Parts};
use ratsdoc_store::manifest::{FileStamp, Hash, Manifest, PaperState};
use rayon::prelude::*;

use crate::BuildError;
use crate::clock::{Clock, Mark};
use crate::hooks::{Stage, pause_at};
use crate::merge::merge;
use crate::pipeline::{Progress, timed};
use crate::write::{Pending, RecordWriter, Written, WrittenPaper};

/// What stages 4–6 leave for the manifest and the report.
pub(crate) struct Derived {
    /// Council papers (not `other`) among the records.
    pub records: usize,
    pub links: usize,
    pub link_cache: Option<String>,
    /// Per record id, what the index now holds and what linking saw.
    pub papers: BTreeMap<String, PaperState>,
    pub full_rebuild: bool,
    pub disagreements: Vec<String>,
    /// Every link as `(answer, motion)` when this run linked; `None` when
    /// the links are the last run's (for the run history).
    pub link_pairs: Option<Vec<(String, String)>>,
}

/// Nothing changed: links, verdicts and the index are exactly what the last
/// run left (the cron job's common case: no record is read).
pub(crate) fn nothing(old: &mut Manifest) -> Derived {
    let papers = std::mem::take(&mut old.papers);
    Derived {
        records: old.records,
        links: old.links,
        link_cache: old.link_cache.clone(),
        papers,
        full_rebuild: false,
        disagreements: Vec::new(),
        link_pairs: None,
    }
}

/// The changed papers kept their essentials: the Beschlussanträge among
/// them go to the index with the verdict they had; every other paper's
/// state is the last run's.
pub(crate) fn keep_links(
    data: &DataDir,
    batch: &IndexBatch,
    old: &mut Manifest,
    kept: Vec<Written>,
) -> Result<Derived, BuildError> {
    let mut papers = std::mem::take(&mut old.papers);
    if !kept.is_empty() {
        atomic::sync_filesystem(&data.records_dir())?;
    }
    let mut disagreements = Vec::new();
    for w in kept {
        disagreements.extend(w.notes);
        let (Some(paper), Some(state)) = (w.paper, papers.get_mut(&w.id)) else {
            continue;
        };
        let in_index = state.record == paper.record;
        state.record = paper.record;
        state.stamp = paper.stamp;
        if let Some(record) = w.held
            && !in_index
        {
            batch.upsert(&IndexDoc {
                record: &record,
                status: state.status,
            })?;
        }
    }
    disagreements.sort();
    Ok(Derived {
        records: old.records,
        links: old.links,
        link_cache: old.link_cache.clone(),
        papers,
        full_rebuild: false,
        disagreements,
        link_pairs: None,
    })
}

/// The inputs of a relinking pass.
pub(crate) struct Pass<'a> {
    pub pending: Pending,
    pub affected: &'a BTreeSet<String>,
    /// Every paper some input still yields.
    pub present: BTreeSet<String>,
    /// Unchanged papers missing from the link cache.
    pub unknown: &'a BTreeSet<String>,
    pub cache: LinkCache,
    pub as_of: NaiveDate,
    /// `links.yaml` is written even if the links are the same.
    pub rewrite_links_file: bool,
}

/// What the papers written or read in this run are now.
#[derive(Clone, Copy)]
struct Fresh {
    record: Hash,
    digest: EssentialsDigest,
    stamp: Option<FileStamp>,
}

/// What stage 4 leaves for linking and indexing.
struct Gathered {
    cache: LinkCache,
    fresh: HashMap<String, Fresh>,
    held: HashMap<String, Record>,
    upserted: BTreeSet<String>,
    disagreements: Vec<String>,
}

/// Merges and writes the papers not written yet, links and judges every
/// paper, and gives the index what still differs. The caller commits.
pub(crate) fn relink(
    writer: &RecordWriter<'_>,
    pass: Pass<'_>,
    progress: &dyn Progress,
    clock: &Clock,
) -> Result<Derived, BuildError> {
    let gathered = write_rest(writer, pass.pending, pass.unknown, pass.cache)?;
    let Gathered {
        mut cache,
        fresh,
        held,
        upserted,
        disagreements,
    } = gathered;
    // Only papers that still have a source stay (this also drops entries of
    // a stale cache).
    cache.entries.retain(|id, _| pass.present.contains(id));
    if !pass.affected.is_empty() {
        // Records must be on disk before the cache, the index and the
        // manifest refer to them; one sync for all of them.
        atomic::sync_filesystem(&writer.data.records_dir())?;
    }
    clock.mark(Mark::Written);

    progress.stage("linking");
    let previous_links = std::mem::take(&mut cache.links);
    let parts = cache.into_parts();
    let judged = Judge {
        as_of: pass.as_of,
        rewrite_links_file: pass.rewrite_links_file,
    };
    let linked = link_and_judge(writer.data, &parts, &previous_links, judged)?;
    clock.mark(Mark::Linked);

    pause_at(Stage::Index);
    progress.stage("indexing");
    let known = Known {
        fresh: &fresh,
        upserted: &upserted,
    };
    let papers = index_rest(writer, &parts, &linked.statuses, &known, &held)?;
    drop(held);
    Ok(Derived {
        records: parts
            .essentials
            .iter()
            .filter(|e| e.kind() != Kind::Other)
            .count(),
        links: linked.links.links.len(),
        link_cache: Some(linked.link_cache),
        papers,
        full_rebuild: writer.full_rebuild,
        disagreements,
        link_pairs: Some(
            linked
                .links
                .links
                .iter()
                .map(|l| (l.answer.clone(), l.motion.clone()))
                .collect(),
        ),
    })
}

/// Stage 4 of a relinking pass: merge and write the pending papers, read
/// the unchanged papers the cache does not know, and fold both into the
/// cache.
fn write_rest(
    writer: &RecordWriter<'_>,
    pending: Pending,
    unknown: &BTreeSet<String>,
    mut cache: LinkCache,
) -> Result<Gathered, BuildError> {
    let Pending {
        mut written,
        groups,
    } = pending;
    written.par_extend(
        groups
            .into_par_iter()
            .map(|(id, group)| match merge(group) {
                Some((record, notes)) => writer.write(record, notes),
                None => writer.remove(id),
            }),
    );
    let data = writer.data;
    let from_disk: Vec<Result<(String, WrittenPaper), BuildError>> = unknown
        .par_iter()
        .map(|id| {
            let path = data.record_path(id);
            let (record, hash) = read_record_file(&path)?;
            let essentials = Essentials::of(&record);
            let paper = WrittenPaper {
                digest: cache::digest(&essentials),
                essentials,
                record: hash,
                stamp: FileStamp::read(&path),
            };
            Ok((id.clone(), paper))
        })
        .collect();
    let mut gathered = Gathered {
        cache: LinkCache::default(),
        fresh: HashMap::new(),
        held: HashMap::new(),
        upserted: BTreeSet::new(),
        disagreements: Vec::new(),
    };
    for item in written {
        let w = item?;
        gathered.disagreements.extend(w.notes);
        match w.paper {
            Some(paper) => {
                gathered.fresh.insert(w.id.clone(), fresh_of(&paper));
                cache.entries.insert(w.id.clone(), paper.essentials)
            }
            None => cache.entries.remove(&w.id),
        };
        if w.indexed {
            gathered.upserted.insert(w.id.clone());
        }
        if let Some(record) = w.held {
            gathered.held.insert(w.id, record);
        }
    }
    gathered.disagreements.sort();
    for item in from_disk {
        let (id, paper) = item?;
        gathered.fresh.insert(id.clone(), fresh_of(&paper));
        cache.entries.insert(id, paper.essentials);
    }
    gathered.cache = cache;
    Ok(gathered)
}

fn fresh_of(paper: &WrittenPaper) -> Fresh {
    Fresh {
        record: paper.record,
        digest: paper.digest,
        stamp: paper.stamp,
    }
}

/// Links and verdicts of a relinking pass.
struct Linked {
    links: Links,
    statuses: HashMap<String, StatusKind>,
    link_cache: String,
}

/// Stage 5: link and judge over everything; write `links.yaml` when the
/// links changed (the YAML of 10,000 links takes a while) or the file is
/// not what the last run left; save the link cache.
/// What linking needs of the pass besides the essentials.
#[derive(Clone, Copy)]
struct Judge {
    as_of: NaiveDate,
    rewrite_links_file: bool,
}

fn link_and_judge(
    data: &DataDir,
    parts: &Parts,
    previous_links: &Links,
    pass: Judge,
) -> Result<Linked, BuildError> {
    let links = timed("link", || ratsdoc_link::link_essentials(&parts.essentials));
    if links != *previous_links || pass.rewrite_links_file || !data.links_path().is_file() {
        let links_yaml = timed("links.yaml", || yaml::to_string(&links))
            .map_err(|e| BuildError::corrupt(data.links_path(), e.to_string()))?;
        atomic::write_if_changed(&data.links_path(), links_yaml.as_bytes())?;
    }
    let statuses: HashMap<String, StatusKind> = timed("judge", || {
        ratsdoc_link::status_essentials(&parts.essentials, &links, pass.as_of)
    })
    .into_iter()
    .map(|s| (s.id, s.status))
    .collect();
    let link_cache = timed("save link cache", || parts.save(data, &links))?;
    Ok(Linked {
        links,
        statuses,
        link_cache,
    })
}

/// What a relinking pass knows of the papers' files.
struct Known<'a> {
    fresh: &'a HashMap<String, Fresh>,
    upserted: &'a BTreeSet<String>,
}

/// A paper the index does not hold as it should.
struct Wanted<'a> {
    id: &'a str,
    status: Option<StatusKind>,
    digest: EssentialsDigest,
    /// Neither written nor read in this run, and not in the manifest (a
    /// data directory changed by hand): the hash comes from the file read
    /// for the index.
    hash_unknown: bool,
}

/// Stage 6: every paper whose record or verdict the index does not hold
/// goes to the batch; papers gone are deleted from it. Returns the papers'
/// states for the manifest.
fn index_rest(
    writer: &RecordWriter<'_>,
    parts: &Parts,
    statuses: &HashMap<String, StatusKind>,
    known: &Known<'_>,
    held: &HashMap<String, Record>,
) -> Result<BTreeMap<String, PaperState>, BuildError> {
    let old = writer.old;
    let mut papers = BTreeMap::new();
    let mut wanted = Vec::new();
    for (id, essentials) in parts.ids.iter().zip(&parts.essentials) {
        let status = statuses.get(id).copied();
        let (record, digest, stamp) = match (known.fresh.get(id), old.papers.get(id)) {
            (Some(f), _) => (Some(f.record), Some(f.digest), f.stamp),
            (None, Some(state)) => (Some(state.record), state.essentials, state.stamp),
            (None, None) => (None, None, None),
        };
        let digest = digest.unwrap_or_else(|| cache::digest(essentials));
        let in_index = known.upserted.contains(id)
            || (!writer.full_rebuild
                && record.is_some_and(|record| old.index_holds(id, record, status)));
        if !in_index {
            let hash_unknown = record.is_none();
            wanted.push(Wanted {
                id,
                status,
                digest,
                hash_unknown,
            });
        }
        if let Some(record) = record {
            let state = PaperState {
                record,
                status,
                essentials: Some(digest),
                stamp,
            };
            papers.insert(id.clone(), state);
        }
    }
    let given = timed("index", || give_index(writer, &wanted, held))?;
    papers.extend(given);
    if !writer.full_rebuild {
        for id in old.papers.keys().filter(|id| !papers.contains_key(*id)) {
            writer.batch.delete(id)?;
        }
    }
    tracing::info!(
        upserts = known.upserted.len() + wanted.len(),
        full_rebuild = writer.full_rebuild,
        "index update"
    );
    Ok(papers)
}

/// Hands the wanted papers to the index batch, in parallel; the states of
/// those whose record hash was unknown come back.
fn give_index(
    writer: &RecordWriter<'_>,
    wanted: &[Wanted<'_>],
    held: &HashMap<String, Record>,
) -> Result<Vec<(String, PaperState)>, BuildError> {
    let given = wanted
        .par_iter()
        .map(|w| {
            let path = writer.data.record_path(w.id);
            let (record, hash) = match held.get(w.id) {
                Some(record) => (Cow::Borrowed(record), None),
                None => {
                    let (record, hash) = read_record_file(&path)?;
                    (Cow::Owned(record), Some(hash))
                }
            };
            writer.batch.upsert(&IndexDoc {
                record: &record,
                status: w.status,
            })?;
            let state = hash.filter(|_| w.hash_unknown).map(|record| PaperState {
                record,
                status: w.status,
                essentials: Some(w.digest),
                stamp: FileStamp::read(&path),
            });
            Ok(state.map(|s| (w.id.to_string(), s)))
        })
        .collect::<Result<Vec<_>, BuildError>>()?;
    Ok(given.into_iter().flatten().collect())
}

/// A record file and the blake3 of its bytes.
fn read_record_file(path: &std::path::Path) -> Result<(Record, Hash), BuildError> {
    let bytes = std::fs::read(path).map_err(|e| BuildError::io(path, e))?;
    let record = ratsdoc_store::read_record(path, &String::from_utf8_lossy(&bytes))?;
    Ok((record, blake3::hash(&bytes).into()))
}

/// The link cache of the last complete run, read on another thread while
/// the files are parsed when the run will surely need it.
pub(crate) enum CacheLoad {
    /// Read only when needed.
    Later,
    Started(std::thread::JoinHandle<Option<LinkCache>>),
}

impl CacheLoad {
    pub fn start(data: &DataDir, old: &Manifest) -> CacheLoad {
        let Some(hash) = old.link_cache.clone() else {
            return CacheLoad::Later;
        };
        let path = data.link_cache_path(&hash);
        std::thread::Builder::new()
            .name("link-cache".into())
            .spawn(move || timed("load link cache", || LinkCache::load(&path, &hash)))
            .map_or(CacheLoad::Later, CacheLoad::Started)
    }

    /// Only the cache the last complete run wrote counts: one a killed run
    /// or a power cut left may not match the records. `None` without it:
    /// every record is then read, and the links it held are unknown.
    pub fn finish(self, data: &DataDir, old: &Manifest) -> Option<LinkCache> {
        match self {
            CacheLoad::Started(handle) => handle.join().ok().flatten(),
            CacheLoad::Later => old.link_cache.as_deref().and_then(|hash| {
                timed("load link cache", || {
                    LinkCache::load(&data.link_cache_path(hash), hash)
                })
            }),
        }
    }
}
