//! Titles as linking compares them: prepared once per pass (tokens as
//! numbers, how rare each is), with the blocking keys that find the
//! motions an answer's title repeats, and how two titles relate
//! ([`SubjectKind`]).

use std::hash::{Hash, Hasher};

use ratsdoc_model::Kind;
use rustc_hash::{FxHashMap as HashMap, FxHasher};

use super::{Pair, PaperIndex, takes_part};
use crate::essentials::Essentials;
use crate::text;

/// The weighted-Jaccard similarity of two titles below which they are not
/// the same subject.
const SUBJECT_MIN: f64 = 0.5;

/// Titles prepared once: tokens as numbers, per title the sorted set and
/// the segments, and the inverse document frequency of each token. Only
/// motions and answers keep their sets and segments (in flat arrays); every
/// council paper counts towards how rare a token is.
pub(crate) struct Titles<'a> {
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
    pub(crate) fn new(items: &[Essentials]) -> Titles<'_> {
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

    /// The sorted token set of a paper's title (empty unless a motion or
    /// answer).
    fn set(&self, paper: PaperIndex) -> &[u32] {
        let i = paper.get();
        &self.set_data[self.set_at[i]..self.set_at[i + 1]]
    }

    /// The segments of a paper's title, each sorted.
    fn segments(&self, paper: PaperIndex) -> impl Iterator<Item = &[u32]> {
        let i = paper.get();
        (self.item_seg_at[i]..self.item_seg_at[i + 1])
            .map(|k| &self.seg_data[self.seg_at[k]..self.seg_at[k + 1]])
    }

    /// The blocking keys of a paper's title: its token set and its
    /// letters. A motion the answer's title repeats shares one of them.
    pub(crate) fn keys(&self, items: &[Essentials], paper: PaperIndex) -> [u64; 2] {
        let mut set = FxHasher::default();
        (0u8, self.set(paper)).hash(&mut set);
        let mut letters = FxHasher::default();
        (1u8, self::letters(&items[paper].segments)).hash(&mut letters);
        [set.finish(), letters.finish()]
    }

    /// Whether the titles' segments with content agree, or one title has a
    /// single such segment (its dash was left out or it had no aspect).
    fn same_segments(&self, pair: Pair) -> bool {
        let content = |paper: PaperIndex| {
            self.segments(paper)
                .filter(|s| !s.is_empty())
                .collect::<Vec<_>>()
        };
        let (sa, sb) = (content(pair.answer), content(pair.motion));
        sa.len() <= 1 || sb.len() <= 1 || sa == sb
    }

    fn weight_of(&self, tokens: &[u32]) -> f64 {
        tokens.iter().map(|&t| self.idf[t as usize]).sum()
    }
}

/// How two titles relate.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum SubjectKind {
    /// The same content tokens in the same segments, or the same letters
    /// with a compound written apart ("Heckert-Gebiet" / "Heckertgebiet").
    Same(Wording),
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
    pub(crate) fn rank(self) -> u8 {
        match self {
            SubjectKind::Same(Wording::Literal) => 2,
            SubjectKind::Same(Wording::Normalised) => 1,
            _ => 0,
        }
    }
}

/// How two titles of the same subject are worded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Wording {
    /// The same words, case and punctuation aside.
    Literal,
    /// The same only after normalisation: framing words left out, tokens
    /// sorted, compounds joined.
    Normalised,
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

/// How the titles of an answer and a motion relate.
pub(crate) fn subject_kind(items: &[Essentials], titles: &Titles<'_>, pair: Pair) -> SubjectKind {
    let (at, mt) = (titles.set(pair.answer), titles.set(pair.motion));
    if at.is_empty() || mt.is_empty() {
        return SubjectKind::Unrelated;
    }
    let only_a = minus(at, mt);
    let only_m = minus(mt, at);
    let (answer, motion) = (&items[pair.answer], &items[pair.motion]);
    if only_a.is_empty() && only_m.is_empty() && titles.same_segments(pair)
        || letters(&answer.segments) == letters(&motion.segments)
    {
        let (fa, fm) = (text::fold(&answer.title), text::fold(&motion.title));
        return SubjectKind::Same(if fa.split_whitespace().eq(fm.split_whitespace()) {
            Wording::Literal
        } else {
            Wording::Normalised
        });
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
