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

mod rules;
mod titles;

use std::collections::BTreeMap;
use std::ops::Index;

use chrono::NaiveDate;
use ratsdoc_model::{Evidence, Kind, Link, LinkCandidate, Links, PaperNumber, Record, Unlinked};
use rayon::prelude::*;
use rustc_hash::FxHashMap as HashMap;

use rules::{Role, Rule};
use titles::{SubjectKind, Titles, Wording, subject_kind};

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

/// A report that names no motion and comes this long after the motion's due
/// date (or, without one, after its session) is not taken for its report on
/// the title alone: the archive has later papers on every subject.
const STALE_DAYS: i64 = 730;

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

    let scored: Vec<Scored> = candidates
        .into_iter()
        .map(|motion| {
            let mentions = named.get(&motion).map(Vec::as_slice).unwrap_or(&[]);
            score(ctx, Pair { answer, motion }, mentions, false)
        })
        .collect();
    decide(ctx, answer, &named, scored)
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
    fn push(&mut self, rule: Rule, detail: impl FnOnce() -> String) {
        self.push_weighted(rule, rule.weight(), detail);
    }

    fn push_weighted(&mut self, rule: Rule, weight: f64, detail: impl FnOnce() -> String) {
        if rule.role() != Role::Supporting {
            self.own += weight;
        }
        self.all += weight;
        if self.render {
            self.evidence.push(Evidence {
                rule: rule.name().to_string(),
                detail: detail(),
                weight,
            });
        }
    }
}

/// One scored pair.
struct Scored {
    motion: PaperIndex,
    /// All evidence, capped to 0..=1: what the link shows.
    score: f64,
    /// The evidence that can make a link on its own.
    own: f64,
    kind: SubjectKind,
    evidence: Vec<Evidence>,
    explicit: bool,
}

/// Weighs one answer/motion pair; with `render`, also in words.
fn score(ctx: &Context<'_>, pair: Pair, named: &[&Named], render: bool) -> Scored {
    let answer = ctx.paper(pair.answer);
    let motion = ctx.paper(pair.motion);
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
        ev.push(Rule::MentionExcluded, || {
            format!(
                "{} behandelt {} ausdrücklich nicht: „{}“",
                answer.id, motion.id, ex.sentence
            )
        });
    } else {
        let mut best: Option<(Rule, &Named)> = None;
        let mut passing: Option<&Named> = None;
        for &n in named {
            let rule = match (n.place, n.tone) {
                (Place::Title, _) => Rule::NumberInTitle,
                (_, Tone::InPassing) => {
                    passing.get_or_insert(n);
                    continue;
                }
                (Place::Opening, Tone::Answering) => Rule::NumberAnsweringOpening,
                (_, Tone::Answering) => Rule::NumberAnsweringText,
                (Place::Opening, _) => Rule::NumberInOpening,
                _ => Rule::NumberInText,
            };
            if best.is_none_or(|(b, _)| rule.weight() > b.weight()) {
                best = Some((rule, n));
            }
        }
        match (best, passing) {
            (Some((rule, n)), _) => {
                explicit = rule.role() == Role::Explicit;
                ev.push(rule, || match n.place {
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
            (None, Some(p)) => ev.push(Rule::MentionInPassing, || {
                format!(
                    "{} nennt {} nur beiläufig, das belegt nichts: „{}“",
                    answer.id, motion.id, p.sentence
                )
            }),
            (None, None) => {}
        }
    }

    let kind = ctx.subject(pair);
    let titles = || {
        format!(
            "„{}“ ({}) / „{}“ ({})",
            answer.title, answer.id, motion.title, motion.id
        )
    };
    match kind {
        SubjectKind::Same(wording) => ev.push(Rule::SubjectSame, || {
            let how = if wording == Wording::Literal {
                "gleicher Titel"
            } else {
                "gleicher Gegenstand nach Normalisierung"
            };
            format!("{how}: {}", titles())
        }),
        SubjectKind::Partial(s) => ev.push_weighted(
            Rule::SubjectPartial,
            round(Rule::SubjectPartial.weight() * s),
            || {
                let similarity = format!("{s:.2}").replace('.', ",");
                format!("ähnlicher Gegenstand ({similarity}): {}", titles())
            },
        ),
        SubjectKind::Conflict(_) => ev.push(Rule::SubjectConflict, || {
            format!("ähnliche Titel, aber verschiedene Themen: {}", titles())
        }),
        SubjectKind::Unrelated => {}
    }

    // Time order: a report comes after the motion, and after the session
    // that ordered it. The administration's opinion before that session is
    // not the report.
    if let Some(on) = answer.report_date() {
        let start = motion.start();
        let session = motion.decision_session();
        if let Some(s) = start.filter(|s| on < *s) {
            ev.push(Rule::BeforeMotion, || {
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
                ev.push(Rule::OpinionBeforeSession, || {
                    format!(
                        "{} ist die Stellungnahme der Verwaltung, vorgelegt am {}, bevor {body} am {} über {} entschied: nicht der Bericht",
                        answer.id,
                        de(on),
                        de(s),
                        motion.id
                    )
                });
            } else {
                ev.push(Rule::BeforeSession, || {
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
            ev.push(Rule::TimeOrder, || {
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
                    ev.push(Rule::LongAfterDue, || {
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
        ev.push(Rule::ReportRequested, || {
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
            ev.push(Rule::Addressee, || {
                format!(
                    "{} verlangt den Bericht an: {want}; {} ging an: {body}",
                    motion.id, answer.id
                )
            });
        }
    }

    ev.evidence.sort_by(|x, y| y.weight.total_cmp(&x.weight));
    Scored {
        motion: pair.motion,
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
    a: PaperIndex,
    named: &BTreeMap<PaperIndex, Vec<&Named>>,
    mut scored: Vec<Scored>,
) -> Decision {
    scored.retain(|s| s.own >= ACCEPT);
    if scored.is_empty() {
        return Decision::None;
    }
    let items = ctx.items;
    let answer = &items[a];
    let rendered = |s: &Scored| {
        let pair = Pair {
            answer: a,
            motion: s.motion,
        };
        score(
            ctx,
            pair,
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
