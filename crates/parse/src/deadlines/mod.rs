//! Report requests in the decision proposal: "den Stadtrat im III. Quartal
//! 2020 zu informieren", "bis zum 31.12.2020 … vorzulegen", "halbjährlich",
//! "zeitnah".
//!
//! Not every date in a Beschlussvorschlag is a report deadline ("die Planung
//! bis Ende 2022 abzuschließen"). A time phrase counts only when its clause
//! also orders a report — a *trigger* such as informieren, berichten,
//! Bericht, vorlegen, Informationsvorlage, darzustellen. The clause of a time
//! phrase runs from the phrase to the next time phrase (or the end of the
//! sentence, or a comma that opens a subordinate clause); if it holds no
//! trigger, the words before the phrase are tried. Several phrases in one
//! sentence give several requests, each with the form (Informationsvorlage,
//! Beschlussvorlage) and addressee (Stadtrat, a named committee) of its own
//! clause.
//!
//! Due dates are the *end* of the named period. A quarter, month, season or
//! year-end named without its year resolves to the first such period ending
//! on or after the motion's session (the anchor date the caller passes);
//! "im kommenden Herbst" to the first one that begins after it.
//!
//! Seasons are the meteorological ones, as a clerk counts them: Frühjahr
//! (Frühling) ends on 31 May, Sommer on 31 August, Herbst on 30 November,
//! and Winter Y — also written Winter Y/Y+1 — at the end of February of
//! Y+1.
//!
//! A span ("innerhalb von sechs Monaten", "binnen drei Wochen", "spätestens
//! drei Monate nach Beschlussfassung") counts from the decision: the date of
//! the deciding row of the paper's own Beratungsfolge, plus the span, months
//! clamped to the month's end (31.08. + 6 Monate = 28./29.02.). A paper
//! without a dated deciding session keeps the phrase unresolved, since a
//! record reads nothing but its own file. So do phrases whose date only the
//! council's calendar or a later event tells: "bis zur nächsten Sitzung des
//! Stadtrates", "vor der Sommerpause", "sechs Monate nach Inbetriebnahme",
//! "nach einem Jahr". Next to a phrase that names a date, they add nothing.
//!
//! A request that depends on a condition ("Bei positivem Prüfergebnis ist
//! dem Stadtrat im III. Quartal 2019 eine Beschlussvorlage vorzulegen",
//! "…, sofern die Prüfung die Machbarkeit ergibt") is kept with its due
//! date and the condition's words; the openers of a condition are the
//! table [`CONDITIONS`].
//!
//! The phrase shapes are one table ([`table`]); [`phrases`] finds them in a
//! sentence, [`resolve`] dates them, [`clause`] decides which of them order
//! a report and to whom, and this module turns them into requests.

mod clause;
mod phrases;
mod resolve;
mod table;

use std::ops::Range;
use std::sync::LazyLock;

use chrono::NaiveDate;
use ratsdoc_model::{Kind, ReportRequest};
use regex::Regex;

use self::clause::{addressee, clause_of, form_in, has_trigger, orders_report};
use self::phrases::find_phrases;
use self::resolve::{Due, resolve, unresolved_reason};
use crate::sentences;
use crate::text::paragraphs;

/// The dates of its own paper a phrase may count from.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Anchors {
    /// The motion's session (else its receipt, else its own date): the year
    /// of a period named without one.
    pub session: Option<NaiveDate>,
    /// The session that decides the paper, from its own Beratungsfolge:
    /// where a span ("innerhalb von sechs Monaten") starts.
    pub decision: Option<NaiveDate>,
}

/// How a condition opens, where it stands: at the start of the sentence
/// ("Bei positivem Prüfergebnis", "Sofern …", "Im Falle einer Zustimmung"),
/// or after a comma (", sofern die Prüfung …", ", falls …"). Group `c` is
/// the condition as the record keeps it.
const CONDITIONS: &[&str] = &[
    r"(?i)^\s*(?P<c>(?:bei|nach)\s+(?:einem\s+|einer\s+)?(?:positive[mnrs]?|negative[mnrs]?|erfolgreiche[mnrs]?|entsprechende[mnrs]?|günstige[mnrs]?)\s+[\wäöüß-]+(?:\s+(?:der|des)\s+[\wäöüß-]+)?)",
    r"(?i)^\s*(?P<c>im\s+fall(?:e)?\s+(?:eines|einer)\s+(?:positiven\s+|negativen\s+)?[\wäöüß-]+)",
    r"(?i)(?:^\s*|,\s*)(?P<c>(?:sofern|falls|vorbehaltlich)\b[^,.;]{3,120})",
];

static CONDITION_PATTERNS: LazyLock<Vec<Regex>> =
    LazyLock::new(|| CONDITIONS.iter().map(|c| re(c)).collect());

/// The condition a sentence puts on its requests, as written.
fn condition_in(s: &str) -> Option<String> {
    CONDITION_PATTERNS
        .iter()
        .find_map(|p| p.captures(s).and_then(|c| c.name("c")))
        .map(|m| m.as_str().trim().to_string())
}

fn re(src: &str) -> Regex {
    // Patterns are built from constants; a failure is a programming error
    // that every test run reveals.
    #[allow(clippy::unwrap_used)]
    Regex::new(src).unwrap()
}

/// Reads all report requests of a decision proposal, resolving their
/// deadlines from the paper's own dates.
pub fn read(proposal: &[String], anchors: Anchors) -> (Vec<ReportRequest>, Vec<String>) {
    let mut out = Vec::new();
    let mut diagnostics = Vec::new();
    for para in paragraphs(proposal) {
        for s in sentences::split(&para) {
            let before = out.len();
            read_sentence(&s, anchors, &mut out, &mut diagnostics);
            if let Some(condition) = condition_in(&s) {
                for request in out.iter_mut().skip(before) {
                    request.condition = Some(condition.clone());
                }
            }
        }
    }
    (out, diagnostics)
}

/// One request found in a sentence, before merging recurring phrases.
struct Found {
    phrase: Range<usize>,
    due: Due,
    form: Option<Kind>,
    addressee: Option<String>,
}

/// The requests of one sentence, appended to `out`.
fn read_sentence(
    s: &str,
    anchors: Anchors,
    out: &mut Vec<ReportRequest>,
    diagnostics: &mut Vec<String>,
) {
    let found = requests_in_sentence(s, anchors.session);
    if found.is_empty() {
        // An order to report without any time phrase: kept, unresolved.
        if orders_report(s) {
            out.push(ReportRequest {
                phrase: None,
                due: None,
                recurring: false,
                period: None,
                addressee: addressee(s, 0..s.len(), s.len()),
                form: form_in(s),
                sentence: s.to_string(),
                condition: None,
            });
        }
        return;
    }
    // A recurring phrase takes its first due date from a dated phrase of
    // the same sentence ("halbjährlich, erstmals im II. Quartal 2021").
    let recurring = found
        .iter()
        .position(|f| matches!(f.due, Due::Recurring(_)));
    let dated = found
        .iter()
        .position(|f| !matches!(f.due, Due::Recurring(_) | Due::Vague));
    let (Some(r), Some(d)) = (recurring, dated) else {
        for f in &found {
            out.push(to_request(f, s, anchors, diagnostics));
        }
        return;
    };
    out.push(recurring_from(
        &found[r],
        &found[d],
        s,
        anchors,
        diagnostics,
    ));
    for (i, f) in found.iter().enumerate() {
        if i != r && i != d {
            out.push(to_request(f, s, anchors, diagnostics));
        }
    }
}

/// The requests a sentence's time phrases make: each phrase whose clause
/// orders a report.
fn requests_in_sentence(s: &str, anchor: Option<NaiveDate>) -> Vec<Found> {
    let phrases = find_phrases(s, anchor);
    let mut found: Vec<Found> = Vec::new();
    for (k, p) in phrases.iter().enumerate() {
        let Some(clause) = clause_of(s, &phrases, k) else {
            continue;
        };
        // A frequency word ("halbjährlich", "regelmäßig") qualifies the
        // report verb wherever it stands in the sentence.
        let loose = matches!(p.due, Due::Recurring(_) | Due::Vague);
        let (hit, scope) = if has_trigger(clause.forward) {
            (true, clause.forward)
        } else if has_trigger(clause.backward) {
            (true, clause.backward)
        } else {
            (loose && has_trigger(s), clause.forward)
        };
        if !hit {
            continue;
        }
        found.push(Found {
            phrase: p.range.clone(),
            due: p.due,
            form: form_in(scope)
                .or_else(|| form_in(clause.forward))
                .or_else(|| form_in(clause.backward)),
            addressee: addressee(s, clause.region, p.range.start)
                .or_else(|| addressee(s, 0..s.len(), p.range.start)),
        });
    }
    // A vague word next to a real deadline adds nothing, and neither does
    // a phrase no date can be read from next to one that names a date.
    if found
        .iter()
        .any(|f| !matches!(f.due, Due::Recurring(_) | Due::Vague | Due::Undatable))
    {
        found.retain(|f| !matches!(f.due, Due::Vague | Due::Undatable));
    } else if found.iter().any(|f| f.due != Due::Vague) {
        found.retain(|f| f.due != Due::Vague);
    }
    found
}

/// One request of a recurring phrase `rf` and the dated phrase `df` that
/// names its first due date.
fn recurring_from(
    rf: &Found,
    df: &Found,
    s: &str,
    anchors: Anchors,
    diagnostics: &mut Vec<String>,
) -> ReportRequest {
    let period = match rf.due {
        Due::Recurring(p) => Some(p),
        _ => None,
    };
    let (a, b) = if rf.phrase.start < df.phrase.start {
        (&rf.phrase, &df.phrase)
    } else {
        (&df.phrase, &rf.phrase)
    };
    // Close together they read as one phrase; far apart, as two.
    let phrase = if b.start.saturating_sub(a.end) <= 60 {
        s[a.start..b.end].to_string()
    } else {
        format!("{}; {}", &s[rf.phrase.clone()], &s[df.phrase.clone()])
    };
    diagnostics.extend(unresolved_reason(df.due, &phrase, anchors));
    ReportRequest {
        due: resolve(df.due, anchors),
        phrase: Some(phrase),
        recurring: true,
        period,
        addressee: rf.addressee.clone().or_else(|| df.addressee.clone()),
        form: rf.form.or(df.form),
        sentence: s.to_string(),
        condition: None,
    }
}

fn to_request(
    f: &Found,
    s: &str,
    anchors: Anchors,
    diagnostics: &mut Vec<String>,
) -> ReportRequest {
    let phrase = s[f.phrase.clone()].to_string();
    diagnostics.extend(unresolved_reason(f.due, &phrase, anchors));
    let (recurring, period) = match f.due {
        Due::Recurring(p) => (true, Some(p)),
        _ => (false, None),
    };
    ReportRequest {
        due: resolve(f.due, anchors),
        phrase: Some(phrase),
        recurring,
        period,
        addressee: f.addressee.clone(),
        form: f.form,
        sentence: s.to_string(),
        condition: None,
    }
}

#[cfg(test)]
mod tests;
