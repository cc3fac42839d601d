//! One paper, several files: a PDF and a text export of the same motion, or
//! two downloads of it, become one record.
//!
//! The richest source is the base; any field it left empty is filled from
//! the others, field by field. Where two sources both have a value and the
//! values differ, the base wins and the difference is reported, because a
//! clerk must know that two files of "the same" paper disagree.

use ratsdoc_model::Record;

/// Merges records that share an id; `None` only for an empty list. The
/// result lists every source (the base's in `source`, the rest in
/// `other_sources`).
pub fn merge(mut records: Vec<Record>) -> Option<(Record, Vec<String>)> {
    // Deterministic whatever order the files were parsed in.
    records.sort_by(|a, b| {
        richness(b)
            .cmp(&richness(a))
            .then_with(|| a.source.path.cmp(&b.source.path))
    });
    let mut iter = records.into_iter();
    let mut base = iter.next()?;
    let mut disagreements = Vec::new();
    for other in iter {
        let id = base.id.clone();
        let base_path = base.source.path.clone();
        let mut note = |field: &str, a: String, b: String| {
            disagreements.push(format!(
                "{id}: {field} differs between {} ({a}) and {} ({b})",
                base_path, other.source.path,
            ));
        };
        if normalised(&base.title) != normalised(&other.title) && !other.title.is_empty() {
            note("title", base.title.clone(), other.title.clone());
        }
        if base.title.is_empty() {
            base.title = other.title.clone();
        }
        let days = |r: &Record| r.consultations.iter().map(|c| c.date).collect::<Vec<_>>();
        if !base.consultations.is_empty()
            && !other.consultations.is_empty()
            && days(&base) != days(&other)
        {
            note(
                "consultation dates",
                format!("{:?}", days(&base)),
                format!("{:?}", days(&other)),
            );
        }
        let dues = |r: &Record| r.report_requests.iter().map(|q| q.due).collect::<Vec<_>>();
        if !base.report_requests.is_empty()
            && !other.report_requests.is_empty()
            && dues(&base) != dues(&other)
        {
            note(
                "report due dates",
                format!("{:?}", dues(&base)),
                format!("{:?}", dues(&other)),
            );
        }
        fill(&mut base.date, other.date);
        fill(&mut base.received, other.received.clone());
        fill(&mut base.cost_coverage, other.cost_coverage.clone());
        fill(&mut base.decision_proposal, other.decision_proposal.clone());
        fill(&mut base.justification, other.justification.clone());
        fill(&mut base.body, other.body.clone());
        fill(&mut base.signatory, other.signatory.clone());
        fill_vec(&mut base.submitters, &other.submitters);
        fill_vec(&mut base.consultations, &other.consultations);
        fill_vec(&mut base.report_requests, &other.report_requests);
        for r in &other.references {
            if !base.references.contains(r) {
                base.references.push(r.clone());
            }
        }
        for m in &other.mentions {
            if !base
                .mentions
                .iter()
                .any(|x| x.id == m.id && x.place == m.place)
            {
                base.mentions.push(m.clone());
            }
        }
        base.other_sources.push(other.source);
        base.other_sources.extend(other.other_sources);
    }
    base.other_sources.sort_by(|a, b| a.path.cmp(&b.path));
    Some((base, disagreements))
}

fn fill<T>(slot: &mut Option<T>, value: Option<T>) {
    if slot.is_none() {
        *slot = value;
    }
}

fn fill_vec<T: Clone>(slot: &mut Vec<T>, value: &[T]) {
    if slot.is_empty() {
        slot.extend_from_slice(value);
    }
}

/// How much of a paper a source yielded: the number of filled fields.
fn richness(r: &Record) -> usize {
    ([
        !r.title.is_empty(),
        r.date.is_some(),
        !r.submitters.is_empty(),
        r.received.is_some(),
        !r.consultations.is_empty(),
        r.cost_coverage.is_some(),
        r.decision_proposal.is_some(),
        r.justification.is_some(),
        r.body.is_some(),
        r.signatory.is_some(),
        !r.report_requests.is_empty(),
    ]
    .iter()
    .filter(|b| **b)
    .count()
        * 4
        + r.consultations.iter().filter(|c| c.date.is_some()).count()
        + r.submitters.len())
    .saturating_sub(r.diagnostics.len().min(3))
}

/// Titles compared without the dash style, quotes, case or spacing a PDF
/// producer changes.
fn normalised(s: &str) -> String {
    s.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}
