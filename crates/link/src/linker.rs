//! Answer → motion links: which Informationsvorlage (or Beschlussvorlage) is
//! the report a Beschlussantrag asked for.
//!
//! The pass has three steps. *Blocking* finds, for each answer, the few
//! motions worth scoring: those it names by number, and those whose title
//! it repeats (a hash map from the normalised title to motions). *Scoring*
//! weighs each pair with independent rules, each leaving an [`Evidence`]
//! with its weight. *Deciding* keeps what is clear and reports what is not:
//! an answer that names motions in answering sentences answers those;
//! otherwise a motion whose title the answer repeats wins if no other does
//! as well.
//!
//! A clerk links on a title alone only when the titles are the same after
//! normalisation (framing words such as "Sachstand", "Zwischenbericht" or
//! "Prüfergebnis" aside). Time order, the addressee and a requested report
//! then support the link and break ties; they never make one.
//!
//! **Architecture Invariant:** no step compares every answer with every
//! motion; blocking is a hash lookup per answer, so the cost grows with the
//! number of papers and the pass stays fast at 100,000 papers.

use std::collections::BTreeMap;
use std::hash::{Hash, Hasher};

use chrono::NaiveDate;
use ratsdoc_model::{Evidence, Kind, Link, LinkCandidate, Links, PaperNumber, Record, Unlinked};
use rayon::prelude::*;
use rustc_hash::{FxHashMap as HashMap, FxHasher};

use crate::essentials::{Essentials, Named, Place, quote_phrases};
use crate::text::{self, Tone};

/// A candidate whose evidence of its own (numbers, subject, vetoes — not the
/// supporting context) reaches this score is a link (or, with a close rival,
/// ambiguous).
pub const ACCEPT: f64 = 0.5;

/// Two subject-only candidates of the same kind of match whose scores
/// differ by less than this are too close to call. Wider than one
/// supporting rule's weight, so that a single "it asked for a report" does
/// not decide between two equal titles.
pub const MARGIN: f64 = 0.15;

/// A named number with at least this weight is an explicit reference: the
/// answer says which motion it reports on, and subject matches elsewhere no
/// longer compete.
const EXPLICIT: f64 = 0.7;

/// How many sentences of an answer's body count as its opening.
pub(crate) const OPENING_SENTENCES: usize = 3;

/// The weighted-Jaccard similarity of two titles below which they are not
/// the same subject.
const SUBJECT_MIN: f64 = 0.5;

/// A report that names no motion and comes this long after the motion's due
/// date (or, without one, after its session) is not taken for its report on
/// the title alone: the archive has later papers on every subject.
const STALE_DAYS: i64 = 730;

/// Weights of the rules; named so the evidence and the tests agree.
pub(crate) mod weight {
    pub const NUMBER_IN_TITLE: f64 = 0.9;
    pub const NUMBER_ANSWERING_OPENING: f64 = 0.8;
    pub const NUMBER_ANSWERING_TEXT: f64 = 0.7;
    pub const NUMBER_IN_OPENING: f64 = 0.4;
    pub const NUMBER_IN_TEXT: f64 = 0.15;
    pub const MENTION_IN_PASSING: f64 = -0.3;
    /// Vetoes outweigh any sum of positive evidence (at most 1.8): the
    /// answer says it is not about the motion, or cannot be its report.
    pub const MENTION_EXCLUDED: f64 = -2.0;
    /// The same title after normalisation: enough on its own.
    pub const SUBJECT_MATCH: f64 = 0.6;
    /// Times the similarity of titles that only overlap: never enough on
    /// its own.
    pub const SUBJECT_PARTIAL: f64 = 0.4;
    pub const SUBJECT_CONFLICT: f64 = -0.3;
    pub const LONG_AFTER_DUE: f64 = -0.3;
    pub const TIME_ORDER: f64 = 0.1;
    pub const BEFORE_MOTION: f64 = -2.0;
    pub const BEFORE_SESSION: f64 = -2.0;
    pub const OPINION_BEFORE_SESSION: f64 = -2.0;
    pub const ADDRESSEE: f64 = 0.1;
    pub const REPORT_REQUESTED: f64 = 0.1;
}

/// The canonical form of an id, so that `BA-44/2020` in a mention finds the
/// record `BA-044/2020`.
pub(crate) fn canonical(id: &str) -> String {
    id.parse::<PaperNumber>()
        .map(|n| n.to_string())
        .unwrap_or_else(|_| id.to_string())
}

/// The date a report came: the paper's own date, else the earliest date it
/// was presented; unlike `Record::effective_date`, never a receipt date (a
/// report is dated by when the council first saw it).
pub fn report_date(record: &Record) -> Option<NaiveDate> {
    record
        .date
        .or_else(|| record.consultations.iter().filter_map(|c| c.date).min())
}

/// Only these kinds report on motions. Press releases and other documents
/// (`Kind::Other`) never answer anything, whatever numbers they quote.
pub(crate) fn can_answer(kind: Kind) -> bool {
    matches!(kind, Kind::Informationsvorlage | Kind::Beschlussvorlage)
}

/// The kinds linking is about: Beschlussanträge and what can answer them.
pub(crate) fn takes_part(kind: Kind) -> bool {
    kind == Kind::Beschlussantrag || can_answer(kind)
}

/// Titles prepared once: tokens as numbers, per title the sorted set and
/// the segments, and the inverse document frequency of each token. Only
/// motions and answers keep their sets and segments (in flat arrays); every
/// council paper counts towards how rare a token is.
struct Titles<'a> {
    words: Vec<&'a str>,
    idf: Vec<f64>,
    /// The sorted set of title `i` is `set_data[set_at[i]..set_at[i + 1]]`.
    set_data: Vec<u32>,
    set_at: Vec<usize>,
    /// Segment `k` is `seg_data[seg_at[k]..seg_at[k + 1]]`, each sorted;
    /// title `i` has segments `item_seg_at[i]..item_seg_at[i + 1]`.
    seg_data: Vec<u32>,
    seg_at: Vec<usize>,
    item_seg_at: Vec<usize>,
}

impl Titles<'_> {
    fn new(items: &[Essentials]) -> Titles<'_> {
        let mut ids: HashMap<&str, u32> = HashMap::default();
        let mut words: Vec<&str> = Vec::new();
        let mut df: Vec<u32> = Vec::new();
        let mut titles = Titles {
            words: Vec::new(),
            idf: Vec::new(),
            set_data: Vec::new(),
            set_at: vec![0],
            seg_data: Vec::new(),
            seg_at: vec![0],
            item_seg_at: vec![0],
        };
        let mut set: Vec<u32> = Vec::new();
        let mut papers = 0usize;
        for e in items {
            let keep = takes_part(e.kind);
            set.clear();
            for seg in &e.segments {
                let start = titles.seg_data.len();
                for t in seg {
                    let id = *ids.entry(t.as_str()).or_insert_with(|| {
                        words.push(t.as_str());
                        df.push(0);
                        (words.len() - 1) as u32
                    });
                    set.push(id);
                    if keep {
                        titles.seg_data.push(id);
                    }
                }
                if keep {
                    titles.seg_data[start..].sort_unstable();
                    titles.seg_at.push(titles.seg_data.len());
                }
            }
            set.sort_unstable();
            set.dedup();
            if e.kind != Kind::Other {
                papers += 1;
                for &t in &set {
                    df[t as usize] += 1;
                }
            }
            if keep {
                titles.set_data.extend_from_slice(&set);
            }
            titles.set_at.push(titles.set_data.len());
            titles.item_seg_at.push(titles.seg_at.len() - 1);
        }
        titles.idf = df
            .iter()
            .map(|&d| (1.0 + papers as f64 / f64::from(d.max(1))).ln())
            .collect();
        titles.words = words;
        titles
    }

    /// The sorted token set of title `i` (empty unless a motion or answer).
    fn set(&self, i: usize) -> &[u32] {
        &self.set_data[self.set_at[i]..self.set_at[i + 1]]
    }

    /// The segments of title `i`, each sorted.
    fn segments(&self, i: usize) -> impl Iterator<Item = &[u32]> {
        (self.item_seg_at[i]..self.item_seg_at[i + 1])
            .map(|k| &self.seg_data[self.seg_at[k]..self.seg_at[k + 1]])
    }

    /// The blocking keys of a title: its token set and its letters. A
    /// motion the answer's title repeats shares one of them.
    fn keys(&self, items: &[Essentials], i: usize) -> [u64; 2] {
        let mut set = FxHasher::default();
        (0u8, self.set(i)).hash(&mut set);
        let mut letters = FxHasher::default();
        (1u8, self::letters(&items[i].segments)).hash(&mut letters);
        [set.finish(), letters.finish()]
    }

    /// Whether the titles' segments with content agree, or one title has a
    /// single such segment (its dash was left out or it had no aspect).
    fn same_segments(&self, a: usize, b: usize) -> bool {
        let content = |i: usize| {
            self.segments(i)
                .filter(|s| !s.is_empty())
                .collect::<Vec<_>>()
        };
        let (sa, sb) = (content(a), content(b));
        sa.len() <= 1 || sb.len() <= 1 || sa == sb
    }

    fn weight_of(&self, tokens: &[u32]) -> f64 {
        tokens.iter().map(|&t| self.idf[t as usize]).sum()
    }
}

/// How two titles relate.
#[derive(Debug, Clone, Copy, PartialEq)]
enum SubjectKind {
    /// The same content tokens in the same segments, or the same letters
    /// with a compound written apart ("Heckert-Gebiet" / "Heckertgebiet");
    /// `literal` when the words are the same too, case and punctuation
    /// aside.
    Same { literal: bool },
    /// Overlapping titles with this weighted-Jaccard similarity.
    Partial(f64),
    /// Alike, but each carries a topic the other lacks.
    Conflict(f64),
    /// Nothing in common worth a rule.
    Unrelated,
}

impl SubjectKind {
    /// Ranks candidates that have no explicit number: a title repeated
    /// word for word beats one repeated after normalisation, which beats a
    /// partial match.
    fn rank(self) -> u8 {
        match self {
            SubjectKind::Same { literal: true } => 2,
            SubjectKind::Same { literal: false } => 1,
            _ => 0,
        }
    }
}

/// Tokens of `a` and not of `b`, both sorted.
fn minus(a: &[u32], b: &[u32]) -> Vec<u32> {
    a.iter()
        .copied()
        .filter(|t| b.binary_search(t).is_err())
        .collect()
}

/// The tokens of a title run together, so a compound and its parts meet.
fn letters(segments: &[Vec<String>]) -> String {
    segments.iter().flatten().map(String::as_str).collect()
}

/// Whether `token` is part of a compound on the other side, or the other
/// side's compound is part of it. Short tokens never count: "bau" is in too
/// many words.
fn covered(token: &str, other: &[&str]) -> bool {
    token.len() >= 4
        && other
            .iter()
            .any(|u| u.len() >= 4 && (token.contains(u) || u.contains(token)))
}

fn subject_kind(items: &[Essentials], titles: &Titles<'_>, a: usize, m: usize) -> SubjectKind {
    let (at, mt) = (titles.set(a), titles.set(m));
    if at.is_empty() || mt.is_empty() {
        return SubjectKind::Unrelated;
    }
    let only_a = minus(at, mt);
    let only_m = minus(mt, at);
    if only_a.is_empty() && only_m.is_empty() && titles.same_segments(a, m)
        || letters(&items[a].segments) == letters(&items[m].segments)
    {
        let (fa, fm) = (text::fold(&items[a].title), text::fold(&items[m].title));
        return SubjectKind::Same {
            literal: fa.split_whitespace().eq(fm.split_whitespace()),
        };
    }
    if only_a.len() == at.len() {
        return SubjectKind::Unrelated;
    }
    let words = |v: &[u32]| {
        v.iter()
            .map(|&t| titles.words[t as usize])
            .collect::<Vec<_>>()
    };
    let (aw, mw) = (words(at), words(mt));
    let (covered_a, only_a): (Vec<u32>, Vec<u32>) = only_a
        .into_iter()
        .partition(|&t| covered(titles.words[t as usize], &mw));
    let (covered_m, only_m): (Vec<u32>, Vec<u32>) = only_m
        .into_iter()
        .partition(|&t| covered(titles.words[t as usize], &aw));
    let shared: Vec<u32> = at
        .iter()
        .copied()
        .filter(|t| mt.binary_search(t).is_ok())
        .collect();
    let w_shared = titles.weight_of(&shared)
        + (titles.weight_of(&covered_a) + titles.weight_of(&covered_m)) / 2.0;
    let w_union = w_shared + titles.weight_of(&only_a) + titles.weight_of(&only_m);
    let jaccard = if w_union > 0.0 {
        w_shared / w_union
    } else {
        0.0
    };
    if !only_a.is_empty() && !only_m.is_empty() {
        return if jaccard >= 0.3 {
            SubjectKind::Conflict(jaccard)
        } else {
            SubjectKind::Unrelated
        };
    }
    if jaccard < SUBJECT_MIN {
        return SubjectKind::Unrelated;
    }
    SubjectKind::Partial(jaccard)
}

/// Collects evidence; the words of each rule are only written for the pairs
/// that end up in the output.
struct Sink {
    render: bool,
    evidence: Vec<Evidence>,
    /// Sum of the rules that can make a link.
    own: f64,
    /// Sum of all rules.
    all: f64,
}

impl Sink {
    fn push(&mut self, rule: &str, weight: f64, supporting: bool, detail: impl FnOnce() -> String) {
        if !supporting {
            self.own += weight;
        }
        self.all += weight;
        if self.render {
            self.evidence.push(Evidence {
                rule: rule.to_string(),
                detail: detail(),
                weight,
            });
        }
    }
}

/// One scored pair.
struct Scored {
    motion: usize,
    /// All evidence, capped to 0..=1: what the link shows.
    score: f64,
    /// The evidence that can make a link on its own.
    own: f64,
    kind: SubjectKind,
    evidence: Vec<Evidence>,
    explicit: bool,
}

/// Everything the pass shares between answers.
struct Context<'a> {
    items: &'a [Essentials],
    titles: Titles<'a>,
    by_id: HashMap<String, usize>,
    /// Motions by blocking key ([`Titles::keys`]).
    blocks: HashMap<u64, Vec<u32>>,
}

/// Finds, for every answer paper, the motion it reports on. See the module
/// documentation for the steps; the result is sorted and deterministic.
/// Ids must be unique.
pub fn link(items: &[Essentials]) -> Links {
    let titles = Titles::new(items);
    let motions: Vec<usize> = (0..items.len())
        .filter(|&i| items[i].kind == Kind::Beschlussantrag)
        .collect();
    let keyed: Vec<(usize, String, [u64; 2])> = motions
        .par_iter()
        .map(|&i| (i, items[i].key(), titles.keys(items, i)))
        .collect();
    let mut by_id: HashMap<String, usize> = HashMap::default();
    let mut blocks: HashMap<u64, Vec<u32>> = HashMap::default();
    for (i, id, keys) in keyed {
        by_id.insert(id, i);
        for k in keys {
            blocks.entry(k).or_default().push(i as u32);
        }
    }
    let ctx = Context {
        items,
        titles,
        by_id,
        blocks,
    };

    let answers: Vec<usize> = (0..items.len())
        .filter(|&a| can_answer(items[a].kind))
        .collect();
    let decided: Vec<(usize, Decision)> = answers
        .par_iter()
        .map(|&a| (a, link_answer(&ctx, a)))
        .collect();
    let mut links: Vec<(usize, usize, Link)> = Vec::new();
    let mut ambiguous: Vec<(usize, Unlinked)> = Vec::new();
    for (a, d) in decided {
        match d {
            Decision::None => {}
            Decision::Links(l) => links.extend(l.into_iter().map(|(m, l)| (m, a, l))),
            Decision::Ambiguous(u) => ambiguous.push((a, u)),
        }
    }
    // In list order (`Essentials::order`), from the numbers read once per paper.
    links.sort_by(|x, y| {
        (items[x.0].order(), items[x.1].order()).cmp(&(items[y.0].order(), items[y.1].order()))
    });
    ambiguous.sort_by(|x, y| items[x.0].order().cmp(&items[y.0].order()));
    Links {
        links: links.into_iter().map(|(_, _, l)| l).collect(),
        ambiguous: ambiguous.into_iter().map(|(_, u)| u).collect(),
    }
}

enum Decision {
    None,
    /// With the index of each link's motion.
    Links(Vec<(usize, Link)>),
    Ambiguous(Unlinked),
}

fn link_answer(ctx: &Context<'_>, a: usize) -> Decision {
    let answer = &ctx.items[a];
    let mut named: BTreeMap<usize, Vec<&Named>> = BTreeMap::new();
    for n in &answer.named {
        if let Some(&i) = ctx.by_id.get(&n.id)
            && i != a
        {
            named.entry(i).or_default().push(n);
        }
    }

    // Blocking: the motions whose title the answer repeats, looked up by
    // key. Only those can link without a number; a partial match only
    // supports a named number.
    let mut candidates: Vec<usize> = ctx
        .titles
        .keys(ctx.items, a)
        .iter()
        .filter_map(|k| ctx.blocks.get(k))
        .flatten()
        .map(|&m| m as usize)
        .filter(|&m| m != a && !named.contains_key(&m))
        .collect();
    candidates.sort_unstable();
    candidates.dedup();
    candidates.retain(|&m| subject_kind(ctx.items, &ctx.titles, a, m).rank() > 0);
    candidates.extend(named.keys().copied());

    let scored: Vec<Scored> = candidates
        .into_iter()
        .map(|m| {
            score(
                ctx,
                a,
                m,
                named.get(&m).map(Vec::as_slice).unwrap_or(&[]),
                false,
            )
        })
        .collect();
    decide(ctx, a, &named, scored)
}

/// Weighs one answer/motion pair; with `render`, also in words.
fn score(ctx: &Context<'_>, a: usize, m: usize, named: &[&Named], render: bool) -> Scored {
    let answer = &ctx.items[a];
    let motion = &ctx.items[m];
    let mut ev = Sink {
        render,
        evidence: Vec::new(),
        own: 0.0,
        all: 0.0,
    };
    let mut explicit = false;

    // Mentions: the sentence decides. An exclusion anywhere overrides every
    // other mention; otherwise the strongest mention counts once.
    if let Some(ex) = named.iter().find(|n| n.tone == Tone::Excluding) {
        ev.push("mention_excluded", weight::MENTION_EXCLUDED, false, || {
            format!(
                "{} behandelt {} ausdrücklich nicht: „{}“",
                answer.id, motion.id, ex.sentence
            )
        });
    } else {
        let mut best: Option<(&str, f64, &Named)> = None;
        let mut passing: Option<&Named> = None;
        for &n in named {
            let (rule, w) = match (n.place, n.tone) {
                (Place::Title, _) => ("number_in_title", weight::NUMBER_IN_TITLE),
                (_, Tone::InPassing) => {
                    passing.get_or_insert(n);
                    continue;
                }
                (Place::Opening, Tone::Answering) => (
                    "number_in_answering_sentence",
                    weight::NUMBER_ANSWERING_OPENING,
                ),
                (_, Tone::Answering) => (
                    "number_in_answering_sentence",
                    weight::NUMBER_ANSWERING_TEXT,
                ),
                (Place::Opening, _) => ("number_in_opening", weight::NUMBER_IN_OPENING),
                _ => ("number_mentioned", weight::NUMBER_IN_TEXT),
            };
            if best.is_none_or(|(_, bw, _)| w > bw) {
                best = Some((rule, w, n));
            }
        }
        match (best, passing) {
            (Some((rule, w, n)), _) => {
                explicit = w >= EXPLICIT;
                ev.push(rule, w, false, || match n.place {
                    Place::Title => format!(
                        "{} nennt {} im Titel: „{}“",
                        answer.id, motion.id, n.sentence
                    ),
                    place => format!(
                        "{} nennt {} {} in einem {} Satz: „{}“",
                        answer.id,
                        motion.id,
                        if place == Place::Opening {
                            "am Anfang"
                        } else {
                            "im Text"
                        },
                        n.tone.german(),
                        n.sentence
                    ),
                });
            }
            (None, Some(p)) => ev.push(
                "mention_in_passing",
                weight::MENTION_IN_PASSING,
                false,
                || {
                    format!(
                        "{} nennt {} nur beiläufig, das belegt nichts: „{}“",
                        answer.id, motion.id, p.sentence
                    )
                },
            ),
            (None, None) => {}
        }
    }

    let kind = subject_kind(ctx.items, &ctx.titles, a, m);
    let titles = || {
        format!(
            "„{}“ ({}) / „{}“ ({})",
            answer.title, answer.id, motion.title, motion.id
        )
    };
    match kind {
        SubjectKind::Same { literal } => {
            ev.push("subject_match", weight::SUBJECT_MATCH, false, || {
                let how = if literal {
                    "gleicher Titel"
                } else {
                    "gleicher Gegenstand nach Normalisierung"
                };
                format!("{how}: {}", titles())
            })
        }
        SubjectKind::Partial(s) => ev.push(
            "subject_match",
            round(weight::SUBJECT_PARTIAL * s),
            false,
            || {
                let similarity = format!("{s:.2}").replace('.', ",");
                format!("ähnlicher Gegenstand ({similarity}): {}", titles())
            },
        ),
        SubjectKind::Conflict(_) => {
            ev.push("subject_conflict", weight::SUBJECT_CONFLICT, false, || {
                format!("ähnliche Titel, aber verschiedene Themen: {}", titles())
            })
        }
        SubjectKind::Unrelated => {}
    }

    // Time order: a report comes after the motion, and after the session
    // that ordered it. The administration's opinion before that session is
    // not the report.
    if let Some(on) = answer.report_date() {
        let start = motion.start();
        let session = motion.decision_session();
        if let Some(s) = start.filter(|s| on < *s) {
            ev.push("before_motion", weight::BEFORE_MOTION, false, || {
                format!(
                    "{} ({}) ist älter als {} ({})",
                    answer.id,
                    de(on),
                    motion.id,
                    de(s)
                )
            });
        } else if let Some((s, body)) =
            session.filter(|(s, _)| on < *s || answer.opinion && on == *s)
        {
            if answer.opinion {
                ev.push("opinion_before_session", weight::OPINION_BEFORE_SESSION, false, || {
                    format!(
                        "{} ist die Stellungnahme der Verwaltung, vorgelegt am {}, bevor {body} am {} über {} entschied: nicht der Bericht",
                        answer.id,
                        de(on),
                        de(s),
                        motion.id
                    )
                });
            } else {
                ev.push("before_session", weight::BEFORE_SESSION, false, || {
                    format!(
                        "{} ({}) kam, bevor {body} am {} über {} entschied",
                        answer.id,
                        de(on),
                        de(s),
                        motion.id
                    )
                });
            }
        } else if let Some(s) = start {
            ev.push("time_order", weight::TIME_ORDER, true, || {
                format!(
                    "{} ({}) folgt auf {} ({})",
                    answer.id,
                    de(on),
                    motion.id,
                    de(s)
                )
            });
            if !explicit && let Some((reference, what)) = expected_by(motion) {
                let late = (on - reference).num_days();
                if late > STALE_DAYS {
                    ev.push("long_after_due", weight::LONG_AFTER_DUE, false, || {
                        format!(
                            "{} ({}) nennt keinen Antrag und kommt {late} Tage nach {what} von {} ({})",
                            answer.id,
                            de(on),
                            motion.id,
                            de(reference)
                        )
                    });
                }
            }
        }
    }

    // Supporting rules only order candidates that can be links.
    if !motion.requests.is_empty() && (render || round(ev.own) >= ACCEPT) {
        ev.push("report_requested", weight::REPORT_REQUESTED, true, || {
            format!(
                "{} verlangt einen Bericht: {}",
                motion.id,
                quote_phrases(&motion.requests)
            )
        });
        let addressee = motion.requests.iter().find_map(|r| {
            let want = text::fold(r.addressee.as_deref()?);
            let want = want.split_whitespace().collect::<Vec<_>>().join(" ");
            if want.is_empty() {
                return None;
            }
            answer.consultations.iter().find_map(|c| {
                let body = text::fold(&c.body)
                    .split_whitespace()
                    .collect::<Vec<_>>()
                    .join(" ");
                (body.contains(&want) || want.contains(&body) && !body.is_empty())
                    .then_some((r.addressee.as_deref().unwrap_or_default(), c.body.as_str()))
            })
        });
        if let Some((want, body)) = addressee {
            ev.push("addressee", weight::ADDRESSEE, true, || {
                format!(
                    "{} verlangt den Bericht an: {want}; {} ging an: {body}",
                    motion.id, answer.id
                )
            });
        }
    }

    ev.evidence.sort_by(|x, y| y.weight.total_cmp(&x.weight));
    Scored {
        motion: m,
        score: round(ev.all.clamp(0.0, 1.0)),
        own: round(ev.own),
        kind,
        evidence: ev.evidence,
        explicit,
    }
}

/// When a motion's report was due: its earliest one-off due date, else its
/// deciding session; `None` for a motion that only asks for recurring
/// reports, which may come at any time.
fn expected_by(motion: &Essentials) -> Option<(NaiveDate, &'static str)> {
    if let Some(due) = motion
        .requests
        .iter()
        .filter(|r| !r.recurring)
        .filter_map(|r| r.due)
        .min()
    {
        return Some((due, "der Frist"));
    }
    if motion.requests.iter().any(|r| r.recurring) {
        return None;
    }
    motion.decision_session().map(|(d, _)| (d, "der Sitzung"))
}

/// A date as a German reader writes it: 24.06.2020.
pub fn de(d: NaiveDate) -> String {
    use chrono::Datelike;
    format!("{:02}.{:02}.{:04}", d.day(), d.month(), d.year())
}

fn round(x: f64) -> f64 {
    (x * 1000.0).round() / 1000.0
}

/// Keeps what is clear, reports what is not.
fn decide(
    ctx: &Context<'_>,
    a: usize,
    named: &BTreeMap<usize, Vec<&Named>>,
    mut scored: Vec<Scored>,
) -> Decision {
    scored.retain(|s| s.own >= ACCEPT);
    if scored.is_empty() {
        return Decision::None;
    }
    let items = ctx.items;
    let answer = &items[a];
    let rendered = |s: &Scored| {
        score(
            ctx,
            a,
            s.motion,
            named.get(&s.motion).map(Vec::as_slice).unwrap_or(&[]),
            true,
        )
    };
    let to_link = |s: &Scored| {
        let r = rendered(s);
        let link = Link {
            motion: items[s.motion].id.clone(),
            answer: answer.id.clone(),
            score: r.score,
            evidence: r.evidence,
        };
        (s.motion, link)
    };
    // An answer that names motions in answering sentences answers those.
    if scored.iter().any(|s| s.explicit) {
        return Decision::Links(scored.iter().filter(|s| s.explicit).map(to_link).collect());
    }
    // Best first: the kind of title match, then the score; ties by id so
    // the output never depends on input order.
    scored.sort_by(|x, y| {
        y.kind
            .rank()
            .cmp(&x.kind.rank())
            .then_with(|| y.score.total_cmp(&x.score))
            .then_with(|| items[x.motion].id.cmp(&items[y.motion].id))
    });
    let top = &scored[0];
    let rivals: Vec<&Scored> = scored[1..]
        .iter()
        .filter(|s| s.kind.rank() == top.kind.rank() && top.score - s.score < MARGIN)
        .collect();
    if rivals.is_empty() {
        return Decision::Links(vec![to_link(top)]);
    }
    let names: Vec<String> = std::iter::once(top)
        .chain(rivals.iter().copied())
        .map(|s| {
            let score = format!("{:.2}", s.score).replace('.', ",");
            format!("{} ({score})", items[s.motion].id)
        })
        .collect();
    Decision::Ambiguous(Unlinked {
        answer: answer.id.clone(),
        candidates: std::iter::once(top)
            .chain(rivals.iter().copied())
            .map(|s| {
                let r = rendered(s);
                LinkCandidate {
                    motion: items[s.motion].id.clone(),
                    score: r.score,
                    evidence: r.evidence,
                }
            })
            .collect(),
        reason: format!(
            "{} nennt keinen Antrag mit Nummer, und sein Gegenstand passt zu {} gleich gut (Punktzahlen weniger als {} auseinander)",
            answer.id,
            names.join(", "),
            format!("{MARGIN}").replace('.', ",")
        ),
    })
}
