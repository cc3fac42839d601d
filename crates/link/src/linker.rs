//! Answer → motion links: which Informationsvorlage (or Beschlussvorlage) is
//! the report a Beschlussantrag asked for.
//!
//! The pass has three steps. *Blocking* finds, for each answer, the few
//! motions worth scoring: those it names by number, and those whose title
//! shares rare tokens with its own (an inverted index from title token to
//! motions). *Scoring* weighs each pair with independent rules, each leaving
//! an [`Evidence`] with its weight. *Deciding* keeps what is clear and reports
//! what is not: an answer that names motions in answering sentences answers
//! those; otherwise the best subject match wins if no other is close.
//!
//! **Architecture Invariant:** no step compares every answer with every
//! motion; the cost grows with the number of papers times the (capped) length
//! of the posting lists, so the pass stays fast at 100,000 papers.

use std::collections::{BTreeMap, HashMap};

use chrono::NaiveDate;
use ratsdoc_model::{
    ConsultationRole, Evidence, Kind, Link, LinkCandidate, Links, Mention, PaperNumber, Prefix,
    Record, Unlinked,
};

use crate::text::{self, Tone};

/// A candidate with at least this score is a link (or, with a close rival,
/// ambiguous).
pub const ACCEPT: f64 = 0.5;

/// Two subject-only candidates whose scores differ by less than this are too
/// close to call. Wider than one supporting rule's weight, so that a single
/// "it asked for a report" does not decide between two equal titles.
pub const MARGIN: f64 = 0.15;

/// A named number with at least this weight is an explicit reference: the
/// answer says which motion it reports on, and subject matches elsewhere no
/// longer compete.
const EXPLICIT: f64 = 0.7;

/// Title tokens shared by more motions than this are too common to block on
/// (they still count in scoring). Keeps blocking linear at scale.
const POSTING_CAP: usize = 200;

/// How many sentences of an answer's body count as its opening, when the
/// record's mentions have to be derived here.
const OPENING_SENTENCES: usize = 3;

/// The weighted-Jaccard similarity of two titles below which they are not
/// the same subject.
const SUBJECT_MIN: f64 = 0.5;

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
    pub const SUBJECT_MATCH: f64 = 0.6;
    pub const SUBJECT_CONFLICT: f64 = -0.3;
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

/// The order papers are listed in: by year, then register, then sequence
/// number (`BA-002/2019` before `BA-044/2020`); ids that are no paper
/// numbers last, by text.
pub fn id_order(id: &str) -> (u8, u16, Option<Prefix>, u16, String) {
    match id.parse::<PaperNumber>() {
        Ok(n) => (0, n.year, Some(n.prefix), n.seq, String::new()),
        Err(_) => (1, 0, None, 0, id.to_string()),
    }
}

/// The date a report came: the paper's own date, else the earliest date it
/// was presented. (`Record::effective_date` takes the first consultation in
/// paper order and falls back to a receipt date; a report is dated by when
/// the council first saw it, so the earliest consultation is the one.)
pub fn report_date(record: &Record) -> Option<NaiveDate> {
    record
        .date
        .or_else(|| record.consultations.iter().filter_map(|c| c.date).min())
}

/// The earliest date a motion existed: receipt, own date or first session.
fn motion_start(record: &Record) -> Option<NaiveDate> {
    let received = record.received.as_ref().and_then(|r| r.date);
    let consulted = record.consultations.iter().filter_map(|c| c.date).min();
    [received, record.date, consulted]
        .into_iter()
        .flatten()
        .min()
}

/// The session that decides a motion: the row marked as deciding, else the
/// last dated row of its Beratungsfolge.
pub(crate) fn decision_session(record: &Record) -> Option<(NaiveDate, &str)> {
    record
        .consultations
        .iter()
        .rev()
        .find(|c| c.role == ConsultationRole::Entscheidung && c.date.is_some())
        .or_else(|| record.consultations.iter().rev().find(|c| c.date.is_some()))
        .and_then(|c| c.date.map(|d| (d, c.body.as_str())))
}

/// Only these kinds report on motions. Press releases and other documents
/// (`Kind::Other`) never answer anything, whatever numbers they quote.
fn can_answer(kind: Kind) -> bool {
    matches!(kind, Kind::Informationsvorlage | Kind::Beschlussvorlage)
}

fn is_motion_id(id: &str) -> bool {
    id.parse::<PaperNumber>()
        .is_ok_and(|n| n.prefix == Prefix::Ba)
}

/// The record's mentions; for a record whose parser left them empty, found
/// here in the title and the body so that linking does not depend on it.
fn mentions_of(answer: &Record) -> Vec<Mention> {
    if !answer.mentions.is_empty() {
        return answer.mentions.clone();
    }
    let own = canonical(&answer.id);
    let mut found = Vec::new();
    let mut push = |sentence: &str, place: &str| {
        for (n, _) in PaperNumber::find_all(sentence) {
            let id = n.to_string();
            if id != own {
                found.push(Mention {
                    id,
                    sentence: sentence.to_string(),
                    place: place.to_string(),
                });
            }
        }
    };
    push(&answer.title, "title");
    if let Some(body) = &answer.body {
        for (i, s) in text::sentences(body).into_iter().enumerate() {
            push(
                s,
                if i < OPENING_SENTENCES {
                    "opening"
                } else {
                    "text"
                },
            );
        }
    }
    for part in [&answer.decision_proposal, &answer.justification]
        .into_iter()
        .flatten()
    {
        for s in text::sentences(part) {
            push(s, "text");
        }
    }
    found
}

/// What [`crate::link`] and [`crate::status`] read of a record, and nothing
/// more: the long section texts shrink to their opening sentences, which is
/// all linking looks at once a record's mentions are known. A build keeps
/// these in a cache so that re-linking 100,000 papers does not re-read
/// every record file. `link(essentials(r)) == link(r)` for every record.
pub fn essentials(record: &Record) -> Record {
    let mut slim = record.clone();
    if record.mentions.is_empty() {
        // The fallback scan of `mentions_of` reads the whole text.
        return slim;
    }
    let opening = |text: &Option<String>| {
        text.as_deref().map(|t| {
            text::sentences(t)
                .into_iter()
                .take(OPENING_SENTENCES)
                .collect::<Vec<_>>()
                .join(" ")
        })
    };
    slim.body = opening(&record.body);
    slim.decision_proposal = opening(&record.decision_proposal);
    slim.justification = None;
    slim.cost_coverage = None;
    slim.other_sources.clear();
    slim.diagnostics.clear();
    slim
}

/// The first sentences of an answer: where it says what it is.
fn opening_of(answer: &Record) -> String {
    let body = answer
        .body
        .as_deref()
        .or(answer.decision_proposal.as_deref())
        .unwrap_or("");
    text::sentences(body)
        .into_iter()
        .take(OPENING_SENTENCES)
        .collect::<Vec<_>>()
        .join(" ")
}

/// Titles prepared once: tokens and the inverse document frequency of each.
struct TitleIndex {
    tokens: Vec<Vec<String>>,
    idf: HashMap<String, f64>,
    default_idf: f64,
}

impl TitleIndex {
    fn weight(&self, token: &str) -> f64 {
        self.idf.get(token).copied().unwrap_or(self.default_idf)
    }

    fn weight_of<'a>(&self, tokens: impl Iterator<Item = &'a String>) -> f64 {
        tokens.map(|t| self.weight(t)).sum()
    }
}

fn title_index(records: &[Record]) -> TitleIndex {
    let tokens: Vec<Vec<String>> = records
        .iter()
        .map(|r| text::title_tokens(&r.title))
        .collect();
    let mut df: HashMap<&str, usize> = HashMap::new();
    let mut n = 0usize;
    for (r, toks) in records.iter().zip(&tokens) {
        if r.kind == Kind::Other {
            continue;
        }
        n += 1;
        for t in toks {
            *df.entry(t.as_str()).or_default() += 1;
        }
    }
    let idf_of = |d: usize| (1.0 + n as f64 / d.max(1) as f64).ln();
    let idf = df
        .iter()
        .map(|(t, d)| (t.to_string(), idf_of(*d)))
        .collect();
    TitleIndex {
        idf,
        default_idf: idf_of(1),
        tokens,
    }
}

/// One scored pair.
struct Scored {
    motion: usize,
    score: f64,
    evidence: Vec<Evidence>,
    explicit: bool,
}

fn evidence(rule: &str, detail: String, weight: f64) -> Evidence {
    Evidence {
        rule: rule.to_string(),
        detail,
        weight,
    }
}

/// Finds, for every answer paper, the motion it reports on. See the module
/// documentation for the steps; the result is sorted and deterministic.
pub fn link(records: &[Record]) -> Links {
    let index = title_index(records);

    let mut motions: Vec<usize> = Vec::new();
    let mut by_id: HashMap<String, usize> = HashMap::new();
    let mut postings: HashMap<&str, Vec<usize>> = HashMap::new();
    for (i, r) in records.iter().enumerate() {
        if r.kind != Kind::Beschlussantrag {
            continue;
        }
        motions.push(i);
        by_id.insert(canonical(&r.id), i);
        for t in &index.tokens[i] {
            postings.entry(t.as_str()).or_default().push(i);
        }
    }

    let mut links = Vec::new();
    let mut ambiguous = Vec::new();
    for (a, answer) in records.iter().enumerate() {
        if !can_answer(answer.kind) {
            continue;
        }
        let mentions = mentions_of(answer);
        let mut named: BTreeMap<usize, Vec<&Mention>> = BTreeMap::new();
        for m in &mentions {
            if !is_motion_id(&m.id) {
                continue;
            }
            if let Some(&i) = by_id.get(&canonical(&m.id))
                && i != a
            {
                named.entry(i).or_default().push(m);
            }
        }

        // Blocking by title tokens: count shared tokens per motion through
        // the inverted index, skipping tokens too common to tell anything.
        let answer_tokens = &index.tokens[a];
        let mut shared: BTreeMap<usize, usize> = BTreeMap::new();
        for t in answer_tokens {
            if let Some(list) = postings.get(t.as_str())
                && list.len() <= POSTING_CAP
            {
                for &m in list {
                    if m != a {
                        *shared.entry(m).or_default() += 1;
                    }
                }
            }
        }
        let mut candidates: Vec<usize> = named.keys().copied().collect();
        candidates.extend(
            shared
                .iter()
                .filter(|&(_, &count)| count * 3 >= answer_tokens.len())
                .map(|(&m, _)| m),
        );
        candidates.sort_unstable();
        candidates.dedup();

        let opening = opening_of(answer);
        let opinion = text::is_opinion(&answer.title, &opening);
        let scored: Vec<Scored> = candidates
            .into_iter()
            .map(|m| {
                score(
                    &index,
                    records,
                    a,
                    m,
                    named.get(&m).map(Vec::as_slice).unwrap_or(&[]),
                    opinion,
                )
            })
            .collect();
        decide(records, answer, scored, &mut links, &mut ambiguous);
    }

    links.sort_by_cached_key(|l: &Link| (id_order(&l.motion), id_order(&l.answer)));
    ambiguous.sort_by_cached_key(|u: &Unlinked| id_order(&u.answer));
    Links { links, ambiguous }
}

/// Weighs one answer/motion pair.
fn score(
    index: &TitleIndex,
    records: &[Record],
    a: usize,
    m: usize,
    named: &[&Mention],
    opinion: bool,
) -> Scored {
    let answer = &records[a];
    let motion = &records[m];
    let mut ev = Vec::new();
    let mut explicit = false;

    // Mentions: the sentence decides. An exclusion anywhere overrides every
    // other mention; otherwise the strongest mention counts once.
    if let Some(ex) = named
        .iter()
        .find(|mn| text::tone(&mn.sentence) == Tone::Excluding)
    {
        ev.push(evidence(
            "mention_excluded",
            format!(
                "{} says it does not deal with {}: \"{}\"",
                answer.id, motion.id, ex.sentence
            ),
            weight::MENTION_EXCLUDED,
        ));
    } else {
        let mut best: Option<Evidence> = None;
        let mut passing: Option<&Mention> = None;
        for mn in named {
            let tone = text::tone(&mn.sentence);
            let (rule, w) = match (mn.place.as_str(), tone) {
                ("title", _) => ("number_in_title", weight::NUMBER_IN_TITLE),
                (_, Tone::InPassing) => {
                    passing.get_or_insert(mn);
                    continue;
                }
                ("opening", Tone::Answering) => (
                    "number_in_answering_sentence",
                    weight::NUMBER_ANSWERING_OPENING,
                ),
                (_, Tone::Answering) => (
                    "number_in_answering_sentence",
                    weight::NUMBER_ANSWERING_TEXT,
                ),
                ("opening", _) => ("number_in_opening", weight::NUMBER_IN_OPENING),
                _ => ("number_mentioned", weight::NUMBER_IN_TEXT),
            };
            if best.as_ref().is_none_or(|b| w > b.weight) {
                let where_ = match mn.place.as_str() {
                    "title" => "title",
                    "opening" => "opening",
                    _ => "text",
                };
                let detail = if where_ == "title" {
                    format!(
                        "{} names {} in its title: \"{}\"",
                        answer.id, motion.id, mn.sentence
                    )
                } else {
                    format!(
                        "{} names {} in its {where_} ({} sentence): \"{}\"",
                        answer.id,
                        motion.id,
                        tone.as_str(),
                        mn.sentence
                    )
                };
                best = Some(evidence(rule, detail, w));
            }
        }
        match (best, passing) {
            (Some(b), _) => {
                explicit = b.weight >= EXPLICIT;
                ev.push(b);
            }
            (None, Some(p)) => ev.push(evidence(
                "mention_in_passing",
                format!(
                    "{} names {} only in passing, which is not evidence: \"{}\"",
                    answer.id, motion.id, p.sentence
                ),
                weight::MENTION_IN_PASSING,
            )),
            (None, None) => {}
        }
    }

    subject(index, records, a, m, &mut ev);

    // Time order: a report comes after the motion, and after the session
    // that ordered it. The administration's opinion before that session is
    // not the report.
    let answered = report_date(answer);
    if let Some(on) = answered {
        let start = motion_start(motion);
        let session = decision_session(motion);
        if let Some(s) = start.filter(|s| on < *s) {
            ev.push(evidence(
                "before_motion",
                format!("{} ({on}) is older than {} ({s})", answer.id, motion.id),
                weight::BEFORE_MOTION,
            ));
        } else if let Some((s, body)) = session.filter(|(s, _)| on < *s || opinion && on == *s) {
            if opinion {
                ev.push(evidence(
                    "opinion_before_session",
                    format!(
                        "{} is the administration's opinion (Stellungnahme), presented {on}, not after {} was decided by the {body} on {s}: not the report",
                        answer.id, motion.id
                    ),
                    weight::OPINION_BEFORE_SESSION,
                ));
            } else {
                ev.push(evidence(
                    "before_session",
                    format!(
                        "{} ({on}) came before the {body} decided {} on {s}",
                        answer.id, motion.id
                    ),
                    weight::BEFORE_SESSION,
                ));
            }
        } else if let Some(s) = start {
            ev.push(evidence(
                "time_order",
                format!("{} ({on}) comes after {} ({s})", answer.id, motion.id),
                weight::TIME_ORDER,
            ));
        }
    }

    if !motion.report_requests.is_empty() {
        let phrases: Vec<&str> = motion
            .report_requests
            .iter()
            .map(|r| r.phrase.as_str())
            .collect();
        ev.push(evidence(
            "report_requested",
            format!(
                "{} asks for a report: \"{}\"",
                motion.id,
                phrases.join("\"; \"")
            ),
            weight::REPORT_REQUESTED,
        ));
        let addressee = motion.report_requests.iter().find_map(|r| {
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
                    .then(|| (r.addressee.clone().unwrap_or_default(), c.body.clone()))
            })
        });
        if let Some((want, body)) = addressee {
            ev.push(evidence(
                "addressee",
                format!(
                    "{} asks to inform the {want}; {} is presented to the {body}",
                    motion.id, answer.id
                ),
                weight::ADDRESSEE,
            ));
        }
    }

    ev.sort_by(|x, y| y.weight.total_cmp(&x.weight));
    let sum: f64 = ev.iter().map(|e| e.weight).sum();
    Scored {
        motion: m,
        score: round(sum.clamp(0.0, 1.0)),
        evidence: ev,
        explicit,
    }
}

fn round(x: f64) -> f64 {
    (x * 1000.0).round() / 1000.0
}

/// Subject match: weighted Jaccard over content tokens, but two titles that
/// each carry a topic word the other lacks ("Zwischenbilanz der
/// Finanzierung" / "… der Bürgerbeteiligung") are about different things,
/// however much else they share.
fn subject(index: &TitleIndex, records: &[Record], a: usize, m: usize, ev: &mut Vec<Evidence>) {
    let at = &index.tokens[a];
    let mt = &index.tokens[m];
    if at.is_empty() || mt.is_empty() {
        return;
    }
    let shared: Vec<&String> = at.iter().filter(|t| mt.contains(t)).collect();
    if shared.is_empty() {
        return;
    }
    // Tokens one side lacks but writes as part of a compound ("Heckert-Gebiet"
    // / "Heckertgebiet") are covered: they count as shared, not as a
    // different topic.
    let (covered_answer, only_answer): (Vec<&String>, Vec<&String>) = at
        .iter()
        .filter(|t| !mt.contains(t))
        .partition(|t| covered(t, mt));
    let (covered_motion, only_motion): (Vec<&String>, Vec<&String>) = mt
        .iter()
        .filter(|t| !at.contains(t))
        .partition(|t| covered(t, at));
    let w_shared = index.weight_of(shared.iter().copied())
        + (index.weight_of(covered_answer.iter().copied())
            + index.weight_of(covered_motion.iter().copied()))
            / 2.0;
    let w_union = w_shared
        + index.weight_of(only_answer.iter().copied())
        + index.weight_of(only_motion.iter().copied());
    let jaccard = if w_union > 0.0 {
        w_shared / w_union
    } else {
        0.0
    };
    let titles = format!(
        "\"{}\" ({}) / \"{}\" ({})",
        records[a].title, records[a].id, records[m].title, records[m].id
    );
    if !only_answer.is_empty() && !only_motion.is_empty() {
        if jaccard >= 0.3 {
            let list = |v: &[&String]| v.iter().map(|s| s.as_str()).collect::<Vec<_>>().join(", ");
            ev.push(evidence(
                "subject_conflict",
                format!(
                    "titles look alike but differ in topic ({} vs {}): {titles}",
                    list(&only_answer),
                    list(&only_motion)
                ),
                weight::SUBJECT_CONFLICT,
            ));
        }
        return;
    }
    if jaccard < SUBJECT_MIN {
        return;
    }
    let w = round(weight::SUBJECT_MATCH * jaccard);
    let how = if only_answer.is_empty()
        && only_motion.is_empty()
        && covered_answer.is_empty()
        && covered_motion.is_empty()
    {
        "same subject after normalisation".to_string()
    } else {
        format!("subject similarity {jaccard:.2}")
    };
    ev.push(evidence("subject_match", format!("{how}: {titles}"), w));
}

/// Whether `token` is part of a compound on the other side, or the other
/// side's compound is part of it. Short tokens never count: "bau" is in too
/// many words.
fn covered(token: &str, other: &[String]) -> bool {
    token.len() >= 4
        && other
            .iter()
            .any(|u| u.len() >= 4 && (token.contains(u.as_str()) || u.contains(token)))
}

/// Keeps what is clear, reports what is not.
fn decide(
    records: &[Record],
    answer: &Record,
    mut scored: Vec<Scored>,
    links: &mut Vec<Link>,
    ambiguous: &mut Vec<Unlinked>,
) {
    scored.retain(|s| s.score >= ACCEPT);
    if scored.is_empty() {
        return;
    }
    // Highest first; ties by id so the output never depends on input order.
    scored.sort_by(|x, y| {
        y.score
            .total_cmp(&x.score)
            .then_with(|| records[x.motion].id.cmp(&records[y.motion].id))
    });
    let to_link = |s: &Scored| Link {
        motion: records[s.motion].id.clone(),
        answer: answer.id.clone(),
        score: s.score,
        evidence: s.evidence.clone(),
    };
    // An answer that names motions in answering sentences answers those.
    if scored.iter().any(|s| s.explicit) {
        links.extend(scored.iter().filter(|s| s.explicit).map(to_link));
        return;
    }
    let top = &scored[0];
    let rivals: Vec<&Scored> = scored[1..]
        .iter()
        .filter(|s| top.score - s.score < MARGIN)
        .collect();
    if rivals.is_empty() {
        links.push(to_link(top));
        return;
    }
    let names: Vec<String> = std::iter::once(top)
        .chain(rivals.iter().copied())
        .map(|s| format!("{} ({:.2})", records[s.motion].id, s.score))
        .collect();
    ambiguous.push(Unlinked {
        answer: answer.id.clone(),
        candidates: std::iter::once(top)
            .chain(rivals.iter().copied())
            .map(|s| LinkCandidate {
                motion: records[s.motion].id.clone(),
                score: s.score,
                evidence: s.evidence.clone(),
            })
            .collect(),
        reason: format!(
            "{} names no motion by number and its subject fits {} equally well (scores within {MARGIN})",
            answer.id,
            names.join(", ")
        ),
    });
}
