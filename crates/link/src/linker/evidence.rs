//! The evidence in words: what each fired rule saw, in German, for the
//! pairs that end up in `links.yaml`; and why an ambiguous answer was not
//! linked. Scoring ([`super::score`]) never writes text.

use chrono::NaiveDate;
use ratsdoc_model::Evidence;

use super::MARGIN;
use super::rules::Rule;
use super::score::{DueBy, Fired, Scored, Seen};
use super::titles::{SubjectKind, Wording};
use crate::essentials::{Essentials, Named, Place, quote_phrases};

/// The evidence of a scored pair, strongest first (rules of equal weight
/// in the order they were weighed).
pub(crate) fn evidence(
    answer: &Essentials,
    motion: &Essentials,
    scored: &Scored<'_>,
) -> Vec<Evidence> {
    let mut evidence: Vec<Evidence> = scored
        .fired
        .iter()
        .map(|fired| Evidence {
            rule: fired.rule.name().to_string(),
            detail: detail(answer, motion, fired),
            weight: fired.contribution,
        })
        .collect();
    evidence.sort_by(|x, y| y.weight.total_cmp(&x.weight));
    evidence
}

/// What one rule saw, as a clerk would say it.
fn detail(answer: &Essentials, motion: &Essentials, fired: &Fired<'_>) -> String {
    let (a, m) = (&answer.id, &motion.id);
    match fired.seen {
        Seen::Mention(named) => mention(a, m, fired.rule, named),
        Seen::Titles(subject) => titles(answer, motion, subject),
        Seen::Dates {
            report,
            motion_start,
        } => {
            let relation = if fired.rule == Rule::BeforeMotion {
                "ist älter als"
            } else {
                "folgt auf"
            };
            format!("{a} ({}) {relation} {m} ({})", de(report), de(motion_start))
        }
        Seen::Session {
            report,
            session,
            body,
        } => {
            let (report, session) = (de(report), de(session));
            if fired.rule == Rule::OpinionBeforeSession {
                format!(
                    "{a} ist die Stellungnahme der Verwaltung, vorgelegt am {report}, bevor {body} am {session} über {m} entschied: nicht der Bericht"
                )
            } else {
                format!("{a} ({report}) kam, bevor {body} am {session} über {m} entschied")
            }
        }
        Seen::Late {
            report,
            days,
            expected,
        } => {
            let what = match expected.by {
                DueBy::Deadline => "der Frist",
                DueBy::Session => "der Sitzung",
            };
            format!(
                "{a} ({}) nennt keinen Antrag und kommt {days} Tage nach {what} von {m} ({})",
                de(report),
                de(expected.on)
            )
        }
        Seen::Requests => format!(
            "{m} verlangt einen Bericht: {}",
            quote_phrases(&motion.requests)
        ),
        Seen::Addressee { wanted, sent_to } => {
            format!("{m} verlangt den Bericht an: {wanted}; {a} ging an: {sent_to}")
        }
    }
}

/// A mention of the motion's number by the answer `a`, quoting its
/// sentence.
fn mention(a: &str, m: &str, rule: Rule, named: &Named) -> String {
    let sentence = &named.sentence;
    match (rule, named.place) {
        (Rule::MentionExcluded, _) => {
            format!("{a} behandelt {m} ausdrücklich nicht: „{sentence}“")
        }
        (Rule::MentionInPassing, _) => {
            format!("{a} nennt {m} nur beiläufig, das belegt nichts: „{sentence}“")
        }
        (_, Place::Title) => format!("{a} nennt {m} im Titel: „{sentence}“"),
        (_, place) => {
            let at = if place == Place::Opening {
                "am Anfang"
            } else {
                "im Text"
            };
            let tone = named.tone.german();
            format!("{a} nennt {m} {at} in einem {tone} Satz: „{sentence}“")
        }
    }
}

/// How the two titles relate, quoting both.
fn titles(answer: &Essentials, motion: &Essentials, subject: SubjectKind) -> String {
    let both = format!(
        "„{}“ ({}) / „{}“ ({})",
        answer.title, answer.id, motion.title, motion.id
    );
    match subject {
        SubjectKind::Same(Wording::Literal) => format!("gleicher Titel: {both}"),
        SubjectKind::Same(Wording::Normalised) => {
            format!("gleicher Gegenstand nach Normalisierung: {both}")
        }
        SubjectKind::Partial(similarity) => {
            format!("ähnlicher Gegenstand ({}): {both}", decimal(similarity))
        }
        SubjectKind::Conflict(_) => {
            format!("ähnliche Titel, aber verschiedene Themen: {both}")
        }
        // Unrelated titles fire no rule; should one be asked for, the
        // titles are what there is to say.
        SubjectKind::Unrelated => both,
    }
}

/// Why `answer` was linked to none of its candidates (given with their
/// scores, best first).
pub(crate) fn ambiguous_reason(answer: &Essentials, candidates: &[(&Essentials, f64)]) -> String {
    let names: Vec<String> = candidates
        .iter()
        .map(|(motion, score)| format!("{} ({})", motion.id, decimal(*score)))
        .collect();
    format!(
        "{} nennt keinen Antrag mit Nummer, und sein Gegenstand passt zu {} gleich gut (Punktzahlen weniger als {} auseinander)",
        answer.id,
        names.join(", "),
        format!("{MARGIN}").replace('.', ",")
    )
}

/// A number with two decimals and a decimal comma: 0,83.
fn decimal(x: f64) -> String {
    format!("{x:.2}").replace('.', ",")
}

/// A date as a German reader writes it: 24.06.2020.
pub fn de(d: NaiveDate) -> String {
    use chrono::Datelike;
    format!("{:02}.{:02}.{:04}", d.day(), d.month(), d.year())
}
