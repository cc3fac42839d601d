//! Answer → motion links: which Informationsvorlage (or Beschlussvorlage) is
//! the report a Beschlussantrag asked for.
//!
//! The pass has three steps. *Blocking* finds, for each answer, the few
//! motions worth scoring: those it names by number, and those whose title
//! it repeats (a hash map from the normalised title to motions). *Scoring*
//! ([`score`]) weighs each pair with independent rules ([`rules::Rule`],
//! one table of weights) and keeps the rules that fired. *Deciding* keeps
//! what is clear and reports what is not: an answer that names motions in
//! answering sentences answers those; otherwise a motion whose title the
//! answer repeats wins if no other does as well. Only the pairs that end up
//! in the output are put into words ([`evidence`]).
//!
//! A clerk links on a title alone only when the titles are the same after
//! normalisation (framing words such as "Sachstand", "Zwischenbericht" or
//! "Prüfergebnis" aside). Time order, the addressee and a requested report
//! then support the link and break ties; they never make one.
//!
//! **Architecture Invariant:** no step compares every answer with every
//! motion; blocking is a hash lookup per answer, so the cost grows with the
//! number of papers and the pass stays fast at 100,000 papers.

mod evidence;
mod rules;
mod score;
mod titles;

use std::collections::BTreeMap;
use std::ops::Index;

use chrono::NaiveDate;
use ratsdoc_model::{Kind, Link, LinkCandidate, Links, PaperNumber, Record, Unlinked};
use rayon::prelude::*;
use rustc_hash::FxHashMap as HashMap;

pub use evidence::de;
use score::Scored;
use titles::{SubjectKind, Titles, subject_kind};

use crate::essentials::{Essentials, Named};

/// A candidate whose evidence of its own (numbers, subject, vetoes — not the
/// supporting context) reaches this score is a link (or, with a close rival,
/// ambiguous).
pub const ACCEPT: f64 = 0.5;

/// Two subject-only candidates of the same kind of match whose scores
/// differ by less than this are too close to call. Wider than one
/// supporting rule's weight, so that a single "it asked for a report" does
/// not decide between two equal titles.
pub const MARGIN: f64 = 0.15;

/// How many sentences of an answer's body count as its opening.
pub(crate) const OPENING_SENTENCES: usize = 3;

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

/// A paper's position in the slice the pass links: how the pass refers to
/// papers without copying their ids.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(crate) struct PaperIndex(usize);

impl PaperIndex {
    /// Every position of `items`, in order.
    fn all(items: &[Essentials]) -> impl Iterator<Item = PaperIndex> {
        (0..items.len()).map(PaperIndex)
    }

    pub(crate) fn get(self) -> usize {
        self.0
    }
}

impl Index<PaperIndex> for [Essentials] {
    type Output = Essentials;

    fn index(&self, paper: PaperIndex) -> &Essentials {
        &self[paper.0]
    }
}

/// An answer and a motion it may report on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Pair {
    pub(crate) answer: PaperIndex,
    pub(crate) motion: PaperIndex,
}

/// Everything the pass shares between answers.
pub(crate) struct Context<'a> {
    items: &'a [Essentials],
    titles: Titles<'a>,
    /// Motions by canonical id.
    by_id: HashMap<String, PaperIndex>,
    /// Motions by blocking key ([`Titles::keys`]).
    blocks: HashMap<u64, Vec<PaperIndex>>,
}

impl<'a> Context<'a> {
    fn new(items: &'a [Essentials]) -> Context<'a> {
        let titles = Titles::new(items);
        let motions: Vec<PaperIndex> = PaperIndex::all(items)
            .filter(|&i| items[i].kind == Kind::Beschlussantrag)
            .collect();
        let keyed: Vec<(PaperIndex, String, [u64; 2])> = motions
            .par_iter()
            .map(|&i| (i, items[i].key(), titles.keys(items, i)))
            .collect();
        let mut by_id: HashMap<String, PaperIndex> = HashMap::default();
        let mut blocks: HashMap<u64, Vec<PaperIndex>> = HashMap::default();
        for (i, id, keys) in keyed {
            by_id.insert(id, i);
            for k in keys {
                blocks.entry(k).or_default().push(i);
            }
        }
        Context {
            items,
            titles,
            by_id,
            blocks,
        }
    }

    fn paper(&self, paper: PaperIndex) -> &'a Essentials {
        &self.items[paper]
    }

    /// How the titles of a pair relate.
    pub(crate) fn subject(&self, pair: Pair) -> SubjectKind {
        subject_kind(self.items, &self.titles, pair)
    }
}

/// Finds, for every answer paper, the motion it reports on. See the module
/// documentation for the steps; the result is sorted and deterministic.
/// Ids must be unique.
pub fn link(items: &[Essentials]) -> Links {
    let ctx = Context::new(items);
    let answers: Vec<PaperIndex> = PaperIndex::all(items)
        .filter(|&a| can_answer(items[a].kind))
        .collect();
    let decided: Vec<(PaperIndex, Decision)> = answers
        .par_iter()
        .map(|&a| (a, link_answer(&ctx, a)))
        .collect();
    let mut links: Vec<(PaperIndex, PaperIndex, Link)> = Vec::new();
    let mut ambiguous: Vec<(PaperIndex, Unlinked)> = Vec::new();
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
        amendments: Vec::new(),
        related: Vec::new(),
    }
}

enum Decision {
    None,
    /// With each link's motion.
    Links(Vec<(PaperIndex, Link)>),
    Ambiguous(Unlinked),
}

fn link_answer(ctx: &Context<'_>, answer: PaperIndex) -> Decision {
    let mut named: BTreeMap<PaperIndex, Vec<&Named>> = BTreeMap::new();
    for n in &ctx.paper(answer).named {
        if let Some(&motion) = ctx.by_id.get(&n.id)
            && motion != answer
        {
            named.entry(motion).or_default().push(n);
        }
    }

    // Blocking: the motions whose title the answer repeats, looked up by
    // key. Only those can link without a number; a partial match only
    // supports a named number.
    let mut candidates: Vec<PaperIndex> = ctx
        .titles
        .keys(ctx.items, answer)
        .iter()
        .filter_map(|k| ctx.blocks.get(k))
        .flatten()
        .copied()
        .filter(|&m| m != answer && !named.contains_key(&m))
        .collect();
    candidates.sort_unstable();
    candidates.dedup();
    candidates.retain(|&motion| ctx.subject(Pair { answer, motion }).rank() > 0);
    candidates.extend(named.keys().copied());

    let scored: Vec<Scored<'_>> = candidates
        .into_iter()
        .map(|motion| {
            let mentions = named.get(&motion).map(Vec::as_slice).unwrap_or(&[]);
            score::score(ctx, Pair { answer, motion }, mentions)
        })
        .collect();
    decide(ctx, answer, scored)
}

/// Keeps what is clear, reports what is not.
fn decide(ctx: &Context<'_>, answer: PaperIndex, mut scored: Vec<Scored<'_>>) -> Decision {
    scored.retain(|s| s.own >= ACCEPT);
    let answer = ctx.paper(answer);
    let to_link = |s: &Scored<'_>| {
        let motion = ctx.paper(s.motion);
        let link = Link {
            motion: motion.id.clone(),
            answer: answer.id.clone(),
            score: s.score,
            evidence: evidence::evidence(answer, motion, s),
        };
        (s.motion, link)
    };
    // An answer that names motions in answering sentences answers those.
    if scored.iter().any(Scored::is_explicit) {
        return Decision::Links(
            scored
                .iter()
                .filter(|s| s.is_explicit())
                .map(to_link)
                .collect(),
        );
    }
    // Best first: the kind of title match, then the score; ties by id so
    // the output never depends on input order.
    scored.sort_by(|x, y| {
        y.subject
            .rank()
            .cmp(&x.subject.rank())
            .then_with(|| y.score.total_cmp(&x.score))
            .then_with(|| ctx.paper(x.motion).id.cmp(&ctx.paper(y.motion).id))
    });
    let Some((top, rest)) = scored.split_first() else {
        return Decision::None;
    };
    let rivals = rest
        .iter()
        .filter(|s| s.subject.rank() == top.subject.rank() && top.score - s.score < MARGIN);
    let close: Vec<&Scored<'_>> = std::iter::once(top).chain(rivals).collect();
    if close.len() == 1 {
        return Decision::Links(vec![to_link(top)]);
    }
    let with_scores: Vec<(&Essentials, f64)> = close
        .iter()
        .map(|s| (ctx.paper(s.motion), s.score))
        .collect();
    Decision::Ambiguous(Unlinked {
        answer: answer.id.clone(),
        candidates: close
            .iter()
            .map(|s| {
                let motion = ctx.paper(s.motion);
                LinkCandidate {
                    motion: motion.id.clone(),
                    score: s.score,
                    evidence: evidence::evidence(answer, motion, s),
                }
            })
            .collect(),
        reason: evidence::ambiguous_reason(answer, &with_scores),
    })
}
