//! Scoring: which rules ([`Rule`]) fire for one answer/motion pair, and
//! what they add up to. Numbers only; what each rule saw is kept as dates
//! and references into the two papers, and [`super::evidence`] puts it
//! into words for the pairs that end up in `links.yaml`.

use chrono::NaiveDate;

use super::rules::{Role, Rule};
use super::titles::SubjectKind;
use super::{ACCEPT, Context, Pair, PaperIndex};
use crate::essentials::{Essentials, Named, Place};
use crate::text::{self, Tone};

/// A report that names no motion and comes this long after the motion's due
/// date (or, without one, after its session) is not taken for its report on
/// the title alone: the archive has later papers on every subject.
const STALE_DAYS: i64 = 730;

/// One scored pair: the rules that fired and what they add up to.
pub(crate) struct Scored<'a> {
    pub(crate) motion: PaperIndex,
    /// How the titles relate; ranks candidates that name no number.
    pub(crate) subject: SubjectKind,
    /// In the order the rules were weighed.
    pub(crate) fired: Vec<Fired<'a>>,
    /// All contributions, capped to 0..=1: what the link shows.
    pub(crate) score: f64,
    /// The contributions that can make a link on their own
    /// ([`Role::Explicit`] and [`Role::Deciding`]).
    pub(crate) own: f64,
}

impl Scored<'_> {
    /// Whether the answer names this motion outright ([`Role::Explicit`]).
    pub(crate) fn is_explicit(&self) -> bool {
        is_explicit(&self.fired)
    }
}

fn is_explicit(fired: &[Fired<'_>]) -> bool {
    fired.iter().any(|f| f.rule.role() == Role::Explicit)
}

/// A rule that fired: what it added and what it saw.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Fired<'a> {
    pub(crate) rule: Rule,
    /// The rule's weight; for a partial subject match, times the
    /// similarity of the titles.
    pub(crate) contribution: f64,
    pub(crate) seen: Seen<'a>,
}

/// What a rule saw, for its words: dates, numbers and references into the
/// two papers.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Seen<'a> {
    /// The answer's sentence that names the motion.
    Mention(&'a Named),
    /// How the titles relate.
    Titles(SubjectKind),
    /// The answer's date and the motion's start.
    Dates {
        report: NaiveDate,
        motion_start: NaiveDate,
    },
    /// The answer's date and the session that decided the motion.
    Session {
        report: NaiveDate,
        session: NaiveDate,
        body: &'a str,
    },
    /// The answer's date, and how many days after the motion's due date it
    /// came.
    Late {
        report: NaiveDate,
        days: i64,
        expected: Expected,
    },
    /// The motion's report requests.
    Requests,
    /// Whom the motion wanted the report sent to, and where the answer
    /// went.
    Addressee { wanted: &'a str, sent_to: &'a str },
}

/// When a motion's report was due, and by what.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Expected {
    pub(crate) on: NaiveDate,
    pub(crate) by: DueBy,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum DueBy {
    /// The earliest one-off Frist of the motion's requests.
    Deadline,
    /// No Frist: the session that decided the motion.
    Session,
}

/// The rules fired so far and their sums, in the order they fired (the sums
/// are floating point: the order is part of the result).
#[derive(Default)]
struct Tally<'a> {
    fired: Vec<Fired<'a>>,
    own: f64,
    all: f64,
}

impl<'a> Tally<'a> {
    fn fire(&mut self, rule: Rule, seen: Seen<'a>) {
        self.fire_with(rule, rule.weight(), seen);
    }

    fn fire_with(&mut self, rule: Rule, contribution: f64, seen: Seen<'a>) {
        if rule.role() != Role::Supporting {
            self.own += contribution;
        }
        self.all += contribution;
        self.fired.push(Fired {
            rule,
            contribution,
            seen,
        });
    }
}

/// Weighs one answer/motion pair. `named` are the answer's mentions of the
/// motion's number.
pub(crate) fn score<'a>(ctx: &Context<'a>, pair: Pair, named: &[&'a Named]) -> Scored<'a> {
    let answer = &ctx.items[pair.answer];
    let motion = &ctx.items[pair.motion];
    let subject = ctx.subject(pair);
    let mut tally = Tally::default();
    weigh_mentions(&mut tally, named);
    weigh_subject(&mut tally, subject);
    weigh_time(&mut tally, answer, motion);
    weigh_context(&mut tally, answer, motion);
    Scored {
        motion: pair.motion,
        subject,
        score: round(tally.all.clamp(0.0, 1.0)),
        own: round(tally.own),
        fired: tally.fired,
    }
}

/// Mentions: the sentence decides. An exclusion anywhere overrides every
/// other mention; otherwise the strongest mention counts once, and a
/// mention in passing counts against only when there is no other.
fn weigh_mentions<'a>(tally: &mut Tally<'a>, named: &[&'a Named]) {
    if let Some(excluding) = named.iter().copied().find(|n| n.tone == Tone::Excluding) {
        tally.fire(Rule::MentionExcluded, Seen::Mention(excluding));
        return;
    }
    let mut strongest: Option<(Rule, &Named)> = None;
    for &n in named {
        if let Some(rule) = number_rule(n)
            && strongest.is_none_or(|(best, _)| rule.weight() > best.weight())
        {
            strongest = Some((rule, n));
        }
    }
    if let Some((rule, n)) = strongest {
        tally.fire(rule, Seen::Mention(n));
    } else if let Some(passing) = named.iter().copied().find(|n| number_rule(n).is_none()) {
        tally.fire(Rule::MentionInPassing, Seen::Mention(passing));
    }
}

/// The rule a named number fires by where it stands and how its sentence
/// reads; `None` for a mention in passing outside the title.
fn number_rule(n: &Named) -> Option<Rule> {
    Some(match (n.place, n.tone) {
        (Place::Title, _) => Rule::NumberInTitle,
        (_, Tone::InPassing) => return None,
        (Place::Opening, Tone::Answering) => Rule::NumberAnsweringOpening,
        (_, Tone::Answering) => Rule::NumberAnsweringText,
        (Place::Opening, _) => Rule::NumberInOpening,
        _ => Rule::NumberInText,
    })
}

fn weigh_subject(tally: &mut Tally<'_>, subject: SubjectKind) {
    let seen = Seen::Titles(subject);
    match subject {
        SubjectKind::Same(_) => tally.fire(Rule::SubjectSame, seen),
        SubjectKind::Partial(similarity) => {
            let rule = Rule::SubjectPartial;
            tally.fire_with(rule, round(rule.weight() * similarity), seen);
        }
        SubjectKind::Conflict(_) => tally.fire(Rule::SubjectConflict, seen),
        SubjectKind::Unrelated => {}
    }
}

/// Time order: a report comes after the motion, and after the session
/// that ordered it. The administration's opinion before that session is
/// not the report.
fn weigh_time<'a>(tally: &mut Tally<'a>, answer: &Essentials, motion: &'a Essentials) {
    let Some(report) = answer.report_date() else {
        return;
    };
    let start = motion.start();
    let session = motion.decision_session();
    if let Some(motion_start) = start.filter(|s| report < *s) {
        let seen = Seen::Dates {
            report,
            motion_start,
        };
        tally.fire(Rule::BeforeMotion, seen);
    } else if let Some((session, body)) =
        session.filter(|(s, _)| report < *s || answer.opinion && report == *s)
    {
        let rule = if answer.opinion {
            Rule::OpinionBeforeSession
        } else {
            Rule::BeforeSession
        };
        let seen = Seen::Session {
            report,
            session,
            body,
        };
        tally.fire(rule, seen);
    } else if let Some(motion_start) = start {
        let seen = Seen::Dates {
            report,
            motion_start,
        };
        tally.fire(Rule::TimeOrder, seen);
        if !is_explicit(&tally.fired)
            && let Some(expected) = expected_by(motion)
        {
            let days = (report - expected.on).num_days();
            if days > STALE_DAYS {
                let seen = Seen::Late {
                    report,
                    days,
                    expected,
                };
                tally.fire(Rule::LongAfterDue, seen);
            }
        }
    }
}

/// The requested report and its addressee. Supporting rules only order
/// candidates that can be links, so they are weighed only for those.
fn weigh_context<'a>(tally: &mut Tally<'a>, answer: &'a Essentials, motion: &'a Essentials) {
    if motion.requests.is_empty() || round(tally.own) < ACCEPT {
        return;
    }
    tally.fire(Rule::ReportRequested, Seen::Requests);
    if let Some((wanted, sent_to)) = addressee(answer, motion) {
        tally.fire(Rule::Addressee, Seen::Addressee { wanted, sent_to });
    }
}

/// The first addressee a request of the motion names that a body of the
/// answer's Beratungsfolge matches (spelling folded), with that body.
fn addressee<'a>(answer: &'a Essentials, motion: &'a Essentials) -> Option<(&'a str, &'a str)> {
    motion.requests.iter().find_map(|r| {
        let wanted = r.addressee.as_deref()?;
        let want = words(&text::fold(wanted));
        if want.is_empty() {
            return None;
        }
        answer.consultations.iter().find_map(|c| {
            let body = words(&text::fold(&c.body));
            (body.contains(&want) || want.contains(&body) && !body.is_empty())
                .then_some((wanted, c.body.as_str()))
        })
    })
}

/// Words separated by single spaces.
fn words(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// When a motion's report was due: its earliest one-off due date, else its
/// deciding session; `None` for a motion that only asks for recurring
/// reports, which may come at any time.
fn expected_by(motion: &Essentials) -> Option<Expected> {
    if let Some(due) = motion
        .requests
        .iter()
        .filter(|r| !r.recurring)
        .filter_map(|r| r.due)
        .min()
    {
        return Some(Expected {
            on: due,
            by: DueBy::Deadline,
        });
    }
    if motion.requests.iter().any(|r| r.recurring) {
        return None;
    }
    motion.decision_session().map(|(on, _)| Expected {
        on,
        by: DueBy::Session,
    })
}

/// Rounds to thousandths, so that sums read as the weights do.
pub(crate) fn round(x: f64) -> f64 {
    (x * 1000.0).round() / 1000.0
}
