//! Report-deadline verdicts: for every Beschlussantrag, did the report it
//! ordered come, and on time — judged as of a given date.
//!
//! Each report request of a motion is judged on its own: its due date (for a
//! recurring request, the latest occurrence due by the as-of date), the
//! answer that met it (the earliest linked answer of the requested form,
//! each answer serving one request), and from those the verdict. The motion
//! shows its most urgent verdict; the others appear in its evidence.
//!
//! **Architecture Invariant:** a verdict depends only on the records, the
//! links and the as-of date — never on today's date — so that a verdict
//! quoted in a clerk's minutes can be reproduced later.

use chrono::{Datelike, Months, NaiveDate};
use ratsdoc_model::{Kind, Links, MotionStatus, ReportPeriod, StatusKind};

use crate::essentials::{Essentials, Request, quote_phrase, quote_phrases};
use crate::linker::{canonical, de};
use rayon::prelude::*;
use rustc_hash::FxHashMap as HashMap;
use std::cell::OnceCell;

/// An answer as the verdicts see it.
#[derive(Debug, Clone)]
struct Answer<'a> {
    record: &'a Essentials,
    /// When it came; `None` when the paper carries no date at all.
    on: Option<NaiveDate>,
    /// How it was linked, for the evidence.
    how: String,
}

/// The verdict on one request.
#[derive(Debug, Clone)]
struct Judged {
    status: StatusKind,
    due: Option<NaiveDate>,
    phrase: Option<String>,
    answered_by: Option<String>,
    answered_on: Option<NaiveDate>,
    days: Option<i64>,
    evidence: Vec<String>,
}

impl Judged {
    /// See [`urgency_key`].
    fn urgency(&self) -> (u8, i64) {
        urgency_key(self.status, self.answered_by.is_some(), self.days)
    }

    fn summary(&self) -> String {
        let due = self
            .due
            .map_or("ohne Frist".to_string(), |d| format!("fällig {}", de(d)));
        let by = self
            .answered_by
            .as_ref()
            .map_or(String::new(), |a| format!(", beantwortet durch {a}"));
        let days = match (self.status, self.days) {
            (StatusKind::AnsweredLate, Some(d)) => format!(", {} verspätet", days(d)),
            (StatusKind::Overdue, Some(d)) => format!(", {} überfällig", days(d)),
            (StatusKind::Pending, Some(d)) => format!(", noch {}", days(d)),
            _ => String::new(),
        };
        format!(
            "{}: {} ({due}{by}{days})",
            quote_phrase(self.phrase.as_deref()),
            self.status.german()
        )
    }
}

/// The urgency order of finished verdicts, for tables: overdue first (most
/// days first), then pending (fewest days left first), unresolved, late,
/// on time, no report requested; ties by id.
pub fn urgency_order(a: &MotionStatus, b: &MotionStatus) -> std::cmp::Ordering {
    let key = |s: &MotionStatus| urgency_key(s.status, s.answered_by.is_some(), s.days);
    key(a).cmp(&key(b)).then_with(|| a.id.cmp(&b.id))
}

/// Lower is more urgent: overdue, then pending, then unanswered unresolved,
/// then answered late, then the rest (void before no report requested). Within a kind, more days overdue or
/// late, or fewer days left, is more urgent.
fn urgency_key(status: StatusKind, answered: bool, days: Option<i64>) -> (u8, i64) {
    let days = days.unwrap_or(0);
    match (status, answered) {
        (StatusKind::Overdue, _) => (0, -days),
        (StatusKind::Pending, _) => (1, days),
        (StatusKind::DeadlineUnresolved, false) => (2, 0),
        (StatusKind::AnsweredLate, _) => (3, -days),
        (StatusKind::DeadlineUnresolved, true) => (4, 0),
        (StatusKind::AnsweredOnTime, _) => (5, 0),
        (StatusKind::Void, _) => (6, 0),
        (StatusKind::NoReportRequested, _) => (7, 0),
    }
}

/// "1 Tag", "70 Tage": how verdicts count days, in evidence and tables.
pub fn days(n: i64) -> String {
    if n == 1 {
        "1 Tag".to_string()
    } else {
        format!("{n} Tage")
    }
}

/// Adds months to a due date; a due date at the end of a month stays at the
/// end of a month (30 June + 6 months = 31 December).
fn add_months(d: NaiveDate, months: u32) -> Option<NaiveDate> {
    let next = d.checked_add_months(Months::new(months))?;
    let is_month_end = d.succ_opt().is_none_or(|s| s.month() != d.month());
    if is_month_end {
        let first_after = NaiveDate::from_ymd_opt(next.year(), next.month(), 1)?
            .checked_add_months(Months::new(1))?;
        first_after.pred_opt()
    } else {
        Some(next)
    }
}

/// A score or weight as German text: 0,80; with `sign`, +0,10.
fn number(x: f64, sign: bool) -> String {
    let hundredths = (x.abs() * 100.0).round() as u64;
    let sign = match (sign, x < 0.0) {
        (_, true) => "-",
        (true, false) => "+",
        (false, false) => "",
    };
    format!("{sign}{},{:02}", hundredths / 100, hundredths % 100)
}

fn period_words(p: ReportPeriod) -> &'static str {
    match p {
        ReportPeriod::Monthly => "monatlich",
        ReportPeriod::Quarterly => "vierteljährlich",
        ReportPeriod::HalfYearly => "halbjährlich",
        ReportPeriod::Yearly => "jährlich",
    }
}

/// How an answer's date was found, for the evidence.
fn date_source(r: &Essentials) -> String {
    match (
        r.date,
        r.consultations
            .iter()
            .filter(|c| c.date.is_some())
            .min_by_key(|c| c.date),
    ) {
        (Some(d), _) => format!("datiert {}", de(d)),
        (None, Some(c)) => format!(
            "vorgelegt {} (erste Beratung: {})",
            c.date.map_or(String::new(), de),
            c.body
        ),
        (None, None) => "ohne Datum".to_string(),
    }
}

fn describe(a: &Answer<'_>) -> String {
    format!(
        "beantwortet durch {} ({} „{}“), {}; verknüpft durch {}",
        a.record.id,
        a.record.kind.german(),
        a.record.title,
        date_source(a.record),
        a.how
    )
}

fn request_line(r: &Request) -> String {
    let due = r.due.map_or("keine Frist bestimmbar".to_string(), |d| {
        format!("fällig {}", de(d))
    });
    let to = r
        .addressee
        .as_ref()
        .map_or(String::new(), |a| format!(", an: {a}"));
    let form = r
        .form
        .map_or(String::new(), |k| format!(", als {}", k.german()));
    let recurring = match (r.recurring, r.period) {
        (true, Some(p)) => format!(", wiederkehrend {}", period_words(p)),
        (true, None) => ", wiederkehrend".to_string(),
        _ => String::new(),
    };
    format!(
        "Bericht verlangt: {} → {due}{to}{form}{recurring}",
        quote_phrase(r.phrase.as_deref())
    )
}

/// Judges a one-off request with its answer (if any).
fn judge_once(r: &Request, answer: Option<&Answer<'_>>, as_of: NaiveDate) -> Judged {
    let mut evidence = vec![request_line(r)];
    let (status, days) = match (r.due, answer) {
        (None, Some(a)) => {
            evidence.push(describe(a));
            evidence.push(
                "die Formulierung nennt kein Datum, die Frist ist nicht zu beurteilen".into(),
            );
            (StatusKind::DeadlineUnresolved, None)
        }
        (None, None) => {
            evidence.push(
                "keine Antwort verknüpft; die Formulierung nennt kein Datum, also nicht überfällig"
                    .into(),
            );
            (StatusKind::DeadlineUnresolved, None)
        }
        (Some(due), Some(a)) => {
            evidence.push(describe(a));
            match a.on {
                Some(on) if on > due => {
                    let late = (on - due).num_days();
                    let late_days = days(late);
                    evidence.push(format!("{late_days} nach der Frist {}: verspätet", de(due)));
                    (StatusKind::AnsweredLate, Some(late))
                }
                Some(on) => {
                    evidence.push(format!(
                        "{} vor der Frist {}: fristgerecht",
                        days((due - on).num_days()),
                        de(due)
                    ));
                    (StatusKind::AnsweredOnTime, None)
                }
                None => {
                    evidence.push("die Antwort trägt kein Datum; als fristgerecht gezählt".into());
                    (StatusKind::AnsweredOnTime, None)
                }
            }
        }
        (Some(due), None) if as_of > due => {
            let over = (as_of - due).num_days();
            let over_days = days(over);
            evidence.push(format!(
                "keine Antwort verknüpft bis {}: {over_days} über die Frist {}",
                de(as_of),
                de(due)
            ));
            (StatusKind::Overdue, Some(over))
        }
        (Some(due), None) => {
            let left = (due - as_of).num_days();
            let left_days = days(left);
            evidence.push(format!(
                "noch keine Antwort; noch {left_days} bis {}",
                de(due)
            ));
            (StatusKind::Pending, Some(left))
        }
    };
    Judged {
        status,
        due: r.due,
        phrase: r.phrase.clone(),
        answered_by: answer.map(|a| a.record.id.clone()),
        answered_on: answer.and_then(|a| a.on),
        days,
        evidence,
    }
}

/// Judges a recurring request: the latest occurrence due by `as_of`, met by
/// the first answer after the occurrence before it.
fn judge_recurring(
    r: &Request,
    period: ReportPeriod,
    first: NaiveDate,
    answers: &[Answer<'_>],
    as_of: NaiveDate,
) -> Judged {
    let mut evidence = vec![request_line(r)];
    // Latest occurrence d_k <= as_of, and the one before it.
    let mut previous: Option<NaiveDate> = None;
    let mut current = first;
    let mut k = 0u32;
    if first <= as_of {
        while let Some(next) = add_months(first, (k + 1) * period.months()) {
            if next > as_of {
                break;
            }
            previous = Some(current);
            current = next;
            k += 1;
        }
    }
    // Walk the occurrences in order; each takes the first unused answer
    // dated after the occurrence before it, so a late answer to one
    // occurrence is not counted again for the next.
    let mut used = vec![false; answers.len()];
    let mut met: Option<&Answer<'_>> = None;
    let mut before: Option<NaiveDate> = None;
    for j in 0..=k {
        let Some(due_j) = add_months(first, j * period.months()) else {
            break;
        };
        let pick = answers
            .iter()
            .enumerate()
            .find(|(i, a)| !used[*i] && a.on.is_some_and(|on| before.is_none_or(|b| on > b)));
        met = pick.map(|(i, a)| {
            used[i] = true;
            a
        });
        before = Some(due_j);
    }
    let (status, days) = if current > as_of {
        evidence.push(format!(
            "erster Bericht fällig {}, am {} noch nicht erreicht",
            de(current),
            de(as_of)
        ));
        match met {
            Some(a) => {
                evidence.push(describe(a));
                (StatusKind::AnsweredOnTime, None)
            }
            None => {
                let left = (current - as_of).num_days();
                let left_days = days(left);
                evidence.push(format!(
                    "noch keine Antwort; noch {left_days} bis {}",
                    de(current)
                ));
                (StatusKind::Pending, Some(left))
            }
        }
    } else {
        let since = previous.map_or("dem Antrag".to_string(), |p| {
            format!("dem vorigen Termin ({})", de(p))
        });
        evidence.push(format!(
            "Termin {} des Berichts ({}, erstmals fällig {}) ist der letzte bis {} fällige: fällig {}; eine Antwort nach {since} erfüllt ihn",
            k + 1,
            period_words(period),
            de(first),
            de(as_of),
            de(current)
        ));
        match met.and_then(|a| a.on.map(|on| (a, on))) {
            Some((a, on)) if on > current => {
                evidence.push(describe(a));
                let late = (on - current).num_days();
                let late_days = days(late);
                evidence.push(format!(
                    "{late_days} nach der Frist {}: verspätet",
                    de(current)
                ));
                (StatusKind::AnsweredLate, Some(late))
            }
            Some((a, on)) => {
                evidence.push(describe(a));
                evidence.push(format!(
                    "{} vor der Frist {}: fristgerecht",
                    days((current - on).num_days()),
                    de(current)
                ));
                (StatusKind::AnsweredOnTime, None)
            }
            None => {
                let over = (as_of - current).num_days();
                let over_days = days(over);
                evidence.push(format!(
                    "keine Antwort für diesen Termin bis {}: {over_days} über {}",
                    de(as_of),
                    de(current)
                ));
                (StatusKind::Overdue, Some(over))
            }
        }
    };
    Judged {
        status,
        due: Some(current),
        phrase: r.phrase.clone(),
        answered_by: met.map(|a| a.record.id.clone()),
        answered_on: met.and_then(|a| a.on),
        days,
        evidence,
    }
}

/// Whether an answer has the form a request asks for.
fn form_fits(r: &Request, a: &Answer<'_>) -> bool {
    match r.form {
        Some(Kind::Informationsvorlage | Kind::Beschlussvorlage) => r.form == Some(a.record.kind),
        _ => true,
    }
}

/// A synced motion's own Stellungnahme, filed with the paper on or after
/// the day the motion began, answers it as a linked paper would, unless it
/// came after the as-of date.
fn own_statements<'a>(
    motions: &[&'a Essentials],
    answers_of: &mut [Vec<Answer<'a>>],
    as_of: NaiveDate,
) {
    for (motion, answers) in motions.iter().zip(answers_of.iter_mut()) {
        let start = motion.start();
        for &on in &motion.statements {
            if on > as_of || start.is_some_and(|s| on < s) {
                continue;
            }
            answers.push(Answer {
                record: motion,
                on: Some(on),
                how: format!(
                    "Stellungnahme der Verwaltung vom {}, im RIS als Datei dieser Drucksache geführt",
                    de(on)
                ),
            });
        }
    }
}

/// The report-status verdict of every Beschlussantrag, judged as of `as_of`,
/// sorted by id.
pub fn status(records: &[Essentials], links: &Links, as_of: NaiveDate) -> Vec<MotionStatus> {
    let mut motions: Vec<&Essentials> = records
        .iter()
        .filter(|r| r.kind == Kind::Beschlussantrag)
        .collect();
    motions.sort_by(|a, b| a.order().cmp(&b.order()));
    // Links name papers by their ids; a link from elsewhere may spell a
    // number differently, so a miss retries with the canonical form.
    let motion_at = Lookup::new(motions.iter().copied());
    let answer_at = Lookup::new(records.iter().filter(|r| crate::linker::can_answer(r.kind)));
    let mut answers_of: Vec<Vec<Answer<'_>>> = vec![Vec::new(); motions.len()];
    let mut ignored: Vec<Vec<String>> = vec![Vec::new(); motions.len()];
    for l in &links.links {
        let Some(record) = answer_at.get(&l.answer).map(|i| answer_at.items[i]) else {
            continue;
        };
        let Some(motion) = motion_at.get(&l.motion) else {
            continue;
        };
        let on = record.report_date();
        if on.is_some_and(|d| d > as_of) {
            ignored[motion].push(format!(
                "{} beantwortet ihn, kam aber am {} – nach dem {}, zählt daher nicht",
                record.id,
                on.map_or(String::new(), de),
                de(as_of)
            ));
            continue;
        }
        let how = match l.evidence.split_first() {
            Some((e, rest)) => {
                let more: Vec<String> = rest
                    .iter()
                    .map(|r| format!("{} {}", r.rule, number(r.weight, true)))
                    .collect();
                let more = if more.is_empty() {
                    String::new()
                } else {
                    format!(" [außerdem: {}]", more.join(", "))
                };
                format!(
                    "{} (Punktzahl {}): {}{more}",
                    e.rule,
                    number(l.score, false),
                    e.detail
                )
            }
            None => format!("Punktzahl {}", number(l.score, false)),
        };
        answers_of[motion].push(Answer { record, on, how });
    }
    own_statements(&motions, &mut answers_of, as_of);
    for list in &mut answers_of {
        // Undated answers last; then by date and id.
        list.sort_by(|a, b| {
            (a.on.is_none(), a.on, &a.record.id).cmp(&(b.on.is_none(), b.on, &b.record.id))
        });
    }
    let mut unsure: Vec<Vec<String>> = vec![Vec::new(); motions.len()];
    for u in &links.ambiguous {
        for c in &u.candidates {
            let Some(motion) = motion_at.get(&c.motion) else {
                continue;
            };
            unsure[motion].push(format!(
                "{} könnte ihn beantworten, ist aber keinem von {} zugeordnet ({})",
                u.answer,
                u.candidates
                    .iter()
                    .map(|c| c.motion.as_str())
                    .collect::<Vec<_>>()
                    .join(", "),
                u.reason
            ));
        }
    }

    // Each motion is judged on its own; in parallel, in id order.
    motions
        .par_iter()
        .zip(answers_of.par_iter())
        .zip(ignored.into_par_iter())
        .zip(unsure.into_par_iter())
        .map(|(((m, answers), mut ignored), mut unsure)| {
            let mut s = judge_motion(m, answers, as_of);
            s.evidence.append(&mut ignored);
            s.evidence.append(&mut unsure);
            s
        })
        .collect()
}

/// Papers by id, and by canonical paper number for an id spelled otherwise
/// (of several papers with that number, the last).
struct Lookup<'a> {
    items: Vec<&'a Essentials>,
    by_id: HashMap<&'a str, usize>,
    by_key: OnceCell<HashMap<String, usize>>,
}

impl<'a> Lookup<'a> {
    fn new(items: impl Iterator<Item = &'a Essentials>) -> Lookup<'a> {
        let items: Vec<&Essentials> = items.collect();
        let mut by_id = HashMap::default();
        for (i, e) in items.iter().enumerate() {
            by_id.insert(e.id.as_str(), i);
        }
        Lookup {
            items,
            by_id,
            by_key: OnceCell::new(),
        }
    }

    fn get(&self, id: &str) -> Option<usize> {
        let by_key = || {
            self.by_key.get_or_init(|| {
                self.items
                    .iter()
                    .enumerate()
                    .map(|(i, e)| (e.key(), i))
                    .collect()
            })
        };
        match self.by_id.get(id) {
            Some(&i) => Some(i),
            None => by_key().get(&canonical(id)).copied(),
        }
    }
}

/// Names the first linked answer of a motion that judged no request.
fn attach_first_answer(status: &mut MotionStatus, answers: &[Answer<'_>]) {
    if let Some(a) = answers.first() {
        status.answered_by = Some(a.record.id.clone());
        status.answered_on = a.on;
        status.evidence.push(describe(a));
    }
}

fn judge_motion(m: &Essentials, answers: &[Answer<'_>], as_of: NaiveDate) -> MotionStatus {
    let mut status = MotionStatus {
        id: m.id.clone(),
        title: m.title.clone(),
        status: StatusKind::NoReportRequested,
        due: None,
        phrase: None,
        answered_by: None,
        answered_on: None,
        days: None,
        evidence: Vec::new(),
        submitters: m.submitters.clone(),
        as_of,
    };

    // A motion the council rejected or that was withdrawn ordered nothing:
    // its report request is void, never overdue.
    if m.requests.is_empty() {
        status
            .evidence
            .push("der Beschlussvorschlag verlangt keinen Bericht".into());
        attach_first_answer(&mut status, answers);
        return status;
    }
    if let Some((result, body, date)) = m.refusal() {
        status.status = StatusKind::Void;
        status.evidence.push(format!(
            "gegenstandslos: der Antrag wurde {} ({body}{}), sein Berichtsauftrag ({}) wurde daher nie erteilt",
            result.german(),
            date.map_or(String::new(), |d| format!(", {}", de(d))),
            quote_phrases(&m.requests)
        ));
        attach_first_answer(&mut status, answers);
        return status;
    }

    // One-off requests take answers in due order, each answer once and of
    // the form asked for; recurring requests see every answer.
    let mut order: Vec<usize> = (0..m.requests.len()).collect();
    order.sort_by_key(|&i| {
        let r = &m.requests[i];
        (r.due.is_none(), r.due)
    });
    let mut used = vec![false; answers.len()];
    let mut judged: Vec<(usize, Judged)> = Vec::new();
    for i in order {
        let r = &m.requests[i];
        let j = match (r.recurring, r.period, r.due) {
            (true, Some(period), Some(first)) => {
                let fitting: Vec<Answer<'_>> = answers
                    .iter()
                    .filter(|a| form_fits(r, a))
                    .cloned()
                    .collect();
                judge_recurring(r, period, first, &fitting, as_of)
            }
            _ => {
                let pick = answers
                    .iter()
                    .enumerate()
                    .find(|(k, a)| !used[*k] && form_fits(r, a))
                    .map(|(k, _)| k);
                if let Some(k) = pick {
                    used[k] = true;
                }
                let mut j = judge_once(r, pick.map(|k| &answers[k]), as_of);
                if r.recurring {
                    j.evidence.push(
                        "wiederkehrend, aber ohne bestimmbaren Turnus: als ein Bericht beurteilt"
                            .into(),
                    );
                }
                j
            }
        };
        judged.push((i, j));
    }
    judged.sort_by_key(|(i, j)| (j.urgency(), *i));

    let Some((_, worst)) = judged.first().cloned() else {
        return status;
    };
    status.status = worst.status;
    status.due = worst.due;
    status.phrase = worst.phrase.clone();
    status.answered_by = worst.answered_by.clone();
    status.answered_on = worst.answered_on;
    status.days = worst.days;
    status.evidence = worst.evidence.clone();
    if judged.len() > 1 {
        status.evidence.push(format!(
            "{} Berichtsaufträge; gezeigt ist der dringendste, die anderen:",
            judged.len()
        ));
        for (_, j) in &judged[1..] {
            status.evidence.push(format!("  {}", j.summary()));
        }
    }
    if let Some((d, body)) = m.decision_session() {
        status
            .evidence
            .push(format!("Entscheidung über den Antrag: {body}, {}", de(d)));
    }
    let unused: Vec<&str> = answers
        .iter()
        .enumerate()
        .filter(|(k, a)| {
            !used[*k]
                && Some(a.record.id.as_str()) != status.answered_by.as_deref()
                && !judged
                    .iter()
                    .any(|(_, j)| j.answered_by.as_deref() == Some(a.record.id.as_str()))
        })
        .map(|(_, a)| a.record.id.as_str())
        .collect();
    if !unused.is_empty() {
        status.evidence.push(format!(
            "außerdem als Antworten verknüpft: {}",
            unused.join(", ")
        ));
    }
    status
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_and_dates_read_german() {
        assert_eq!(number(0.8, false), "0,80");
        assert_eq!(number(0.1, true), "+0,10");
        assert_eq!(number(-2.0, true), "-2,00");
        assert_eq!(number(1.0, false), "1,00");
        let d = NaiveDate::from_ymd_opt(2020, 6, 4).unwrap();
        assert_eq!(crate::linker::de(d), "04.06.2020");
    }
}
