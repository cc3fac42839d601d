//! Finding the time phrases of a sentence with the shapes of [`SHAPES`]:
//! their patterns compiled once, their needles as one [`RegexSet`] that
//! tells which patterns need to run.

use std::ops::Range;
use std::sync::LazyLock;

use chrono::NaiveDate;
use regex::{Regex, RegexSet};

use super::re;
use super::resolve::{Due, Read};
use super::table::{FRAGMENTS, SHAPES, Shape};

/// A time phrase of a sentence: where it stands, what it says.
#[derive(Debug, Clone)]
pub(super) struct Phrase {
    pub range: Range<usize>,
    pub due: Due,
}

/// A [`Shape`] ready to run.
pub(super) struct CompiledShape {
    pub shape: &'static Shape,
    pub pattern: Regex,
    /// The index of the shape's needle in [`CompiledTable::needles`].
    pub needle: usize,
}

impl CompiledShape {
    /// The shape's phrases in `s`, in order, each as its [`Read`] reads
    /// it with the session `anchor`.
    pub fn phrases<'s>(
        &'s self,
        s: &'s str,
        anchor: Option<NaiveDate>,
    ) -> impl Iterator<Item = Phrase> + 's {
        let read: Read = self.shape.read;
        self.pattern.captures_iter(s).filter_map(move |c| {
            Some(Phrase {
                range: c.get(0)?.range(),
                due: read.due(&c, anchor)?,
            })
        })
    }
}

/// The compiled table: every shape, and the needle set derived from it.
pub(super) struct CompiledTable {
    pub shapes: Vec<CompiledShape>,
    /// The distinct needles of the shapes, case-insensitive.
    pub needles: RegexSet,
}

pub(super) static COMPILED: LazyLock<CompiledTable> = LazyLock::new(|| {
    let mut needles: Vec<String> = Vec::new();
    let shapes = SHAPES
        .iter()
        .map(|shape| {
            let needle = format!("(?i:{})", expand(shape.needle));
            let index = needles
                .iter()
                .position(|n| *n == needle)
                .unwrap_or_else(|| {
                    needles.push(needle);
                    needles.len() - 1
                });
            CompiledShape {
                shape,
                pattern: re(&expand(shape.pattern)),
                needle: index,
            }
        })
        .collect();
    // Built from constants, as `re`.
    #[allow(clippy::unwrap_used)]
    let needles = RegexSet::new(&needles).unwrap();
    CompiledTable { shapes, needles }
});

/// A pattern or needle with its `{NAME}` pieces of [`FRAGMENTS`] filled in.
fn expand(template: &str) -> String {
    FRAGMENTS
        .iter()
        .fold(template.to_string(), |text, (name, piece)| {
            text.replace(&format!("{{{name}}}"), piece)
        })
}

/// Every time phrase in a sentence, non-overlapping, in order.
pub(super) fn find_phrases(s: &str, anchor: Option<NaiveDate>) -> Vec<Phrase> {
    let may = COMPILED.needles.matches(s);
    if !may.matched_any() {
        return Vec::new();
    }
    let mut all: Vec<Phrase> = COMPILED
        .shapes
        .iter()
        .filter(|shape| may.matched(shape.needle))
        .flat_map(|shape| shape.phrases(s, anchor))
        .collect();
    // Leftmost, then longest; drop what overlaps an earlier pick. The sort
    // is stable: of two phrases with the same range, the earlier shape's
    // stays.
    all.sort_by(|a, b| {
        a.range
            .start
            .cmp(&b.range.start)
            .then(b.range.end.cmp(&a.range.end))
    });
    let mut out: Vec<Phrase> = Vec::new();
    for p in all {
        if out.last().is_some_and(|l| p.range.start < l.range.end) {
            continue;
        }
        out.push(p);
    }
    out
}
