//! A snapshot is what one nightly build left in `<DATA>`, loaded once and
//! shared by every request until the next build: every paper's
//! [`Essentials`] (what links and verdicts read: kind, title, dates,
//! submitters, report requests), the links in both directions, and the
//! report status per as-of date.
//!
//! The essentials come from the build's link cache, which
//! [`DataDir::load_link_state`] reads in a fraction of a second at 100,000
//! papers; only without a trustworthy cache are the YAML records parsed,
//! which takes seconds. Pages that show a paper's texts read its one record
//! from disk. A snapshot is keyed by a [`Stamp`] — modification time and
//! size of `links.yaml`, the manifest (which names the cache) and the
//! `records/` directory, which every build rewrites, and of the run history
//! — and is reloaded only
//! when the stamp changes, in the background, while requests keep answering
//! from the previous snapshot.

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, OnceLock, RwLock};
use std::time::SystemTime;

use chrono::NaiveDate;
use ratsdoc_link::Essentials;
use ratsdoc_model::{
    Amendment, Link, Links, MotionStatus, PaperNumber, Related, StatusKind, Unlinked,
};
use ratsdoc_store::DataDir;
use ratsdoc_store::history::History;

use crate::delivery::Rendered;
use crate::error::WebError;

/// How many as-of dates keep their computed status table.
const STATUS_CACHE: usize = 16;
/// How many rendered calendars and feeds a snapshot keeps, and how many
/// bytes of them (the whole calendar at 100,000 papers is megabytes).
const RENDERED_CACHE: usize = 32;
const RENDERED_BYTES: usize = 64 << 20;

/// What identifies one build's output without reading it.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Stamp(Vec<Option<(SystemTime, u64)>>);

impl Stamp {
    /// A few `stat` calls: cheap enough for every request.
    pub fn read(data: &DataDir) -> Stamp {
        let paths = [
            data.links_path(),
            data.manifest_path(),
            data.records_dir(),
            data.report_path(),
            ratsdoc_store::history::History::path(data.root()),
        ];
        Stamp(
            paths
                .iter()
                .map(|p| {
                    std::fs::metadata(p)
                        .ok()
                        .and_then(|m| Some((m.modified().ok()?, m.len())))
                })
                .collect(),
        )
    }
}

/// The report status of every motion as of one date, with a lookup by id.
#[derive(Debug)]
pub struct StatusTable {
    pub as_of: NaiveDate,
    /// Sorted by id, as `ratsdoc_link::status` returns them.
    pub list: Vec<MotionStatus>,
    by_id: HashMap<String, usize>,
    /// The filter choices of the clerk's page, computed on first use.
    pub choices: OnceLock<(Vec<String>, Vec<i32>)>,
    /// Indices into `list` in urgency order (overdue first), computed on
    /// first use: sorting tens of thousands of rows per request is waste.
    urgency: OnceLock<Vec<usize>>,
    /// Per row of `list`: its year and its submitters in lower case, for the
    /// filters; computed on first use (parsing 10,000 numbers per request
    /// is waste).
    pub facts: OnceLock<Vec<RowFacts>>,
}

/// What the clerk's filters test of one row.
#[derive(Debug)]
pub struct RowFacts {
    pub year: Option<i32>,
    pub submitters_lower: Vec<String>,
}

impl StatusTable {
    fn new(as_of: NaiveDate, list: Vec<MotionStatus>) -> StatusTable {
        let by_id = list
            .iter()
            .enumerate()
            .map(|(i, s)| (s.id.clone(), i))
            .collect();
        StatusTable {
            as_of,
            list,
            by_id,
            choices: OnceLock::new(),
            urgency: OnceLock::new(),
            facts: OnceLock::new(),
        }
    }

    pub fn get(&self, id: &str) -> Option<&MotionStatus> {
        self.by_id.get(id).map(|&i| &self.list[i])
    }

    /// Every verdict with its index in `list`, overdue first (see
    /// `ratsdoc_link::urgency_order`).
    pub fn by_urgency(&self) -> impl Iterator<Item = (usize, &MotionStatus)> {
        let order = self.urgency.get_or_init(|| {
            let mut order: Vec<usize> = (0..self.list.len()).collect();
            order.sort_by(|&a, &b| ratsdoc_link::urgency_order(&self.list[a], &self.list[b]));
            order
        });
        order.iter().map(|&i| (i, &self.list[i]))
    }
}

/// One build's essentials and links, in memory.
pub struct Snapshot {
    pub stamp: Stamp,
    /// Every paper's essentials, sorted by id.
    papers: Vec<Essentials>,
    by_id: HashMap<String, usize>,
    links: Links,
    /// motion id → indices into `links.links`
    by_motion: HashMap<String, Vec<usize>>,
    /// answer id → indices into `links.links`
    by_answer: HashMap<String, Vec<usize>>,
    /// answer id → indices into `links.ambiguous`
    ambiguous: HashMap<String, Vec<usize>>,
    statuses: Mutex<Vec<Arc<StatusTable>>>,
    /// What the kept builds changed, for the feeds and the calendar.
    pub history: History,
    /// Calendars and feeds already rendered from this snapshot, by request:
    /// a subscribed calendar asks again every few minutes for the same
    /// thousands of entries, which change only with the next build.
    rendered: Mutex<Vec<(String, Arc<Rendered>)>>,
    /// What the OParl routes list, made on first use.
    oparl: OnceLock<Arc<crate::oparl::Catalog>>,
}

impl Snapshot {
    /// Reads the essentials and links of the last build: the slow part, run
    /// off the async runtime and only when the stamp changed.
    pub fn load(data: &DataDir, stamp: Stamp) -> Result<Snapshot, WebError> {
        let (papers, links) = data.load_link_state()?;
        let mut snapshot = Snapshot::from_parts(stamp, papers, links);
        snapshot.history = History::load(data.root()).0;
        Ok(snapshot)
    }

    pub fn from_parts(stamp: Stamp, papers: Vec<Essentials>, links: Links) -> Snapshot {
        let by_id = papers
            .iter()
            .enumerate()
            .map(|(i, p)| (p.id().to_string(), i))
            .collect();
        let mut by_motion: HashMap<String, Vec<usize>> = HashMap::new();
        let mut by_answer: HashMap<String, Vec<usize>> = HashMap::new();
        for (i, l) in links.links.iter().enumerate() {
            by_motion.entry(l.motion.clone()).or_default().push(i);
            by_answer.entry(l.answer.clone()).or_default().push(i);
        }
        let mut ambiguous: HashMap<String, Vec<usize>> = HashMap::new();
        for (i, u) in links.ambiguous.iter().enumerate() {
            ambiguous.entry(u.answer.clone()).or_default().push(i);
        }
        Snapshot {
            stamp,
            papers,
            by_id,
            links,
            by_motion,
            by_answer,
            ambiguous,
            statuses: Mutex::new(Vec::new()),
            history: History::default(),
            rendered: Mutex::new(Vec::new()),
            oparl: OnceLock::new(),
        }
    }

    /// Every paper id of the build, sorted.
    pub fn ids(&self) -> impl Iterator<Item = &str> {
        self.papers.iter().map(|p| p.id())
    }

    /// The OParl routes' view of this build, made once.
    pub fn oparl_catalog(&self) -> Arc<crate::oparl::Catalog> {
        self.oparl
            .get_or_init(|| Arc::new(crate::oparl::Catalog::new(self)))
            .clone()
    }

    /// The body rendered for `key` (the route, its query and the as-of
    /// date or index commit), made by `render` the first time; a failure is
    /// not kept.
    pub fn rendered<E>(
        &self,
        key: String,
        render: impl FnOnce() -> Result<String, E>,
    ) -> Result<Arc<Rendered>, E> {
        if let Ok(cache) = self.rendered.lock()
            && let Some((_, body)) = cache.iter().find(|(k, _)| *k == key)
        {
            return Ok(Arc::clone(body));
        }
        let body = Arc::new(Rendered::new(render()?));
        if let Ok(mut cache) = self.rendered.lock() {
            cache.push((key, Arc::clone(&body)));
            let mut bytes: usize = cache.iter().map(|(_, b)| b.size()).sum();
            while cache.len() > 1 && (cache.len() > RENDERED_CACHE || bytes > RENDERED_BYTES) {
                bytes -= cache[0].1.size();
                cache.remove(0);
            }
        }
        Ok(body)
    }

    /// The essentials of `id` (canonical id).
    pub fn paper(&self, id: &str) -> Option<&Essentials> {
        self.by_id.get(id).map(|&i| &self.papers[i])
    }

    /// The title of paper `id`, as its record has it; `None` when the build
    /// has no such paper. The essentials keep the titles of motions and
    /// answers, which is every linked paper; a page that names another kind
    /// of paper (a mentioned Anfrage) reads that one record from `data`.
    pub fn title(&self, data: &DataDir, id: &str) -> Option<String> {
        let paper = self.paper(id)?;
        if let Some(title) = paper.title() {
            return Some(title.to_string());
        }
        match data.load_record(id) {
            Ok(Some(r)) if r.id == id => Some(r.title),
            Ok(_) => None,
            Err(e) => {
                tracing::warn!("title of {id}: {e}");
                None
            }
        }
    }

    /// The date paper `id` was presented, if it is an answer or a motion
    /// (see [`ratsdoc_link::report_date`]).
    pub fn presented_on(&self, id: &str) -> Option<NaiveDate> {
        self.paper(id)?.presented_on()
    }

    /// The date motion `id` counts from (`Record::effective_date`).
    pub fn counts_from(&self, id: &str) -> Option<NaiveDate> {
        self.paper(id)?.counts_from()
    }

    /// Links in which `id` is the motion: the papers that answer it.
    pub fn answered_by(&self, id: &str) -> Vec<&Link> {
        self.pick(&self.by_motion, id)
    }

    /// Links in which `id` is the answer: the motions it answers.
    pub fn answers(&self, id: &str) -> Vec<&Link> {
        self.pick(&self.by_answer, id)
    }

    /// Competing candidates that were too close to call for answer `id`.
    pub fn ambiguous(&self, id: &str) -> Vec<&Unlinked> {
        self.ambiguous
            .get(id)
            .map(|v| v.iter().map(|&i| &self.links.ambiguous[i]).collect())
            .unwrap_or_default()
    }

    /// Amendments in which `id` is the amendment or the amended paper. A
    /// scan: a council has hundreds of amendments, not hundreds of thousands.
    pub fn amendments_of(&self, id: &str) -> Vec<&Amendment> {
        self.links
            .amendments
            .iter()
            .filter(|a| a.amendment == id || a.amended == id)
            .collect()
    }

    /// The RIS's other relations of `id`, from either side.
    pub fn related_of(&self, id: &str) -> Vec<&Related> {
        self.links
            .related
            .iter()
            .filter(|r| r.from == id || r.to == id)
            .collect()
    }

    fn pick(&self, map: &HashMap<String, Vec<usize>>, id: &str) -> Vec<&Link> {
        map.get(id)
            .map(|v| v.iter().map(|&i| &self.links.links[i]).collect())
            .unwrap_or_default()
    }

    /// The status table as of `as_of`, computed once per date and snapshot.
    /// Two requests for a new date may both compute it; the result is the
    /// same, and no lock is held during the computation.
    pub fn statuses(&self, as_of: NaiveDate) -> Arc<StatusTable> {
        if let Some(t) = self.cached_status(as_of) {
            return t;
        }
        let list = ratsdoc_link::status_essentials(&self.papers, &self.links, as_of);
        let table = Arc::new(StatusTable::new(as_of, list));
        if let Ok(mut cache) = self.statuses.lock() {
            if cache.len() >= STATUS_CACHE {
                cache.remove(0);
            }
            cache.push(table.clone());
        }
        table
    }

    fn cached_status(&self, as_of: NaiveDate) -> Option<Arc<StatusTable>> {
        let cache = self.statuses.lock().ok()?;
        cache.iter().find(|t| t.as_of == as_of).cloned()
    }
}

/// The snapshot currently served, and the machinery that replaces it.
///
/// The first load happens in the request that needs it (there is nothing
/// else to answer from). After that, a changed stamp starts one background
/// reload, and every request — including the one that noticed — answers
/// from the previous build until the new snapshot is complete: a nightly
/// build never makes a visitor wait for a snapshot to load.
#[derive(Default)]
pub struct SnapshotCache {
    current: RwLock<Option<Arc<Snapshot>>>,
    /// Serialises the first load.
    first_load: Mutex<()>,
    /// A background reload is under way.
    reloading: AtomicBool,
    /// The stamp whose load failed: not retried until the files change again.
    failed: Mutex<Option<Stamp>>,
}

impl SnapshotCache {
    /// The snapshot to answer from. Blocking: call it from `spawn_blocking`.
    /// `today` is the date whose status table a reload computes ahead.
    pub fn get(
        self: &Arc<Self>,
        data: &DataDir,
        today: NaiveDate,
    ) -> Result<Arc<Snapshot>, WebError> {
        let stamp = Stamp::read(data);
        match self.current() {
            Some(s) if s.stamp == stamp => Ok(s),
            Some(stale) => {
                self.reload_in_background(data, stamp, today);
                Ok(stale)
            }
            None => {
                let _guard = self.first_load.lock().unwrap_or_else(|p| p.into_inner());
                if let Some(s) = self.current() {
                    return Ok(s);
                }
                let fresh = Arc::new(Snapshot::load(data, stamp)?);
                self.store(fresh.clone());
                Ok(fresh)
            }
        }
    }

    /// Starts one reload thread unless one runs or this stamp already failed.
    fn reload_in_background(self: &Arc<Self>, data: &DataDir, stamp: Stamp, today: NaiveDate) {
        if self.failed.lock().is_ok_and(|f| f.as_ref() == Some(&stamp)) {
            return;
        }
        if self.reloading.swap(true, Ordering::AcqRel) {
            return;
        }
        let cache = self.clone();
        let data = data.clone();
        let spawned = std::thread::Builder::new()
            .name("ratsdoc-reload".into())
            .spawn(move || {
                /// Clears the flag however the reload ends, even by panic.
                struct Done(Arc<SnapshotCache>);
                impl Drop for Done {
                    fn drop(&mut self) {
                        self.0.reloading.store(false, Ordering::Release);
                    }
                }
                let done = Done(cache);
                match Snapshot::load(&data, stamp.clone()) {
                    Ok(fresh) => {
                        fresh.statuses(today);
                        done.0.store(Arc::new(fresh));
                        tracing::info!("loaded the new build of {}", data.root().display());
                    }
                    Err(e) => {
                        tracing::warn!("keeping the previous build: {}", e.message);
                        if let Ok(mut f) = done.0.failed.lock() {
                            *f = Some(stamp);
                        }
                    }
                }
            });
        if spawned.is_err() {
            self.reloading.store(false, Ordering::Release);
        }
    }

    fn store(&self, fresh: Arc<Snapshot>) {
        if let Ok(mut slot) = self.current.write() {
            *slot = Some(fresh);
        }
    }

    fn current(&self) -> Option<Arc<Snapshot>> {
        self.current.read().ok().and_then(|s| s.clone())
    }
}

/// The year a motion belongs to, for the year filter: the year of its number,
/// else of its first date.
pub fn paper_year(id: &str, fallback: Option<NaiveDate>) -> Option<i32> {
    use chrono::Datelike;
    id.parse::<PaperNumber>()
        .map(|n| i32::from(n.year))
        .ok()
        .or_else(|| fallback.map(|d| d.year()))
}

/// Statuses a clerk's table lists: every verdict but "no report requested".
pub fn has_request(s: &MotionStatus) -> bool {
    s.status != StatusKind::NoReportRequested
}
