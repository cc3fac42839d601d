//! From a phrase's match to its due date, in two steps: a [`Read`] kind
//! turns the match's named groups into a [`Due`] (what the phrase says, with
//! the year still open when it names none), and [`resolve`] dates a `Due`
//! from the paper's own [`Anchors`].

use std::sync::LazyLock;

use chrono::{Datelike, Days, Months, NaiveDate};
use ratsdoc_model::ReportPeriod;
use regex::{Captures, Regex};

use super::{Anchors, re};
use crate::dates;

/// Words that open the report's topic: a date after them in "in der
/// Sitzung über die am 12.03.2021 beschlossene Satzung" is not the
/// session's.
static SESSION_TOPIC: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i)sitzung.*\b(?:über|zu|zum|zur|bezüglich|hinsichtlich|betreffend|dass|ob|wie|welche[rsmn]?)\b",
    )
});

/// When a phrase says the report is due.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) enum Due {
    Date(NaiveDate),
    /// Month (1–12), year if named.
    Month(Option<i32>, u32),
    Quarter(Option<i32>, u32),
    Half(Option<i32>, u32),
    Year(Option<i32>),
    Recurring(ReportPeriod),
    /// A season, year if named (Winter Y runs into Y+1).
    Season(Option<i32>, Season),
    /// "im kommenden Herbst": the first such season beginning after the
    /// anchor.
    NextSeason(Season),
    /// A span counted from the decision on the paper.
    AfterDecision(Span),
    /// A definite deadline the paper alone cannot date: the next session,
    /// a span after some other event.
    Undatable,
    Vague,
}

/// The meteorological seasons.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) enum Season {
    Spring,
    Summer,
    Autumn,
    Winter,
}

impl Season {
    fn from_word(word: &str) -> Option<Season> {
        let l = word.to_lowercase();
        Some(if l.starts_with("frühjahr") || l.starts_with("frühling") {
            Season::Spring
        } else if l.starts_with("sommer") {
            Season::Summer
        } else if l.starts_with("herbst") {
            Season::Autumn
        } else if l.starts_with("winter") {
            Season::Winter
        } else {
            return None;
        })
    }

    /// First day of the season of `year`.
    fn start(self, year: i32) -> Option<NaiveDate> {
        let month = match self {
            Season::Spring => 3,
            Season::Summer => 6,
            Season::Autumn => 9,
            Season::Winter => 12,
        };
        dates::ymd(year, month, 1)
    }

    /// Last day of the season of `year` (winter: February of `year + 1`).
    fn end(self, year: i32) -> Option<NaiveDate> {
        match self {
            Season::Spring => dates::end_of_month(year, 5),
            Season::Summer => dates::end_of_month(year, 8),
            Season::Autumn => dates::end_of_month(year, 11),
            Season::Winter => dates::end_of_month(year + 1, 2),
        }
    }
}

/// A span of calendar time, as "sechs Monate" or "drei Wochen" name it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) enum Span {
    Days(u32),
    Months(u32),
}

impl Span {
    /// `from` plus the span; months end-of-month clamped by chrono.
    fn after(self, from: NaiveDate) -> Option<NaiveDate> {
        match self {
            Span::Days(n) => from.checked_add_days(Days::new(u64::from(n))),
            Span::Months(n) => from.checked_add_months(Months::new(n)),
        }
    }
}

/// How a phrase shape's match becomes a [`Due`]: which named groups of its
/// pattern it reads. `None` from [`Read::due`] drops the match (a bare
/// span, a date in the report's topic, a date that does not exist).
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) enum Read {
    /// `date`: a date as the paper writes it ("31.12.2020", "1. Juli 2022").
    Date,
    /// A session: `date`, else `month` with an optional `year`; a date
    /// behind a topic word ("über die am 12.03.2021 beschlossene …") is the
    /// topic's, so the match is dropped.
    Session,
    /// `month` (a name) with an optional `year`.
    Month,
    /// `number` or `word` ("III.", "dritten", "letzten" = IV) with `year`
    /// or `rel`; or `q` with `q_year` ("Q3/2021").
    Quarter,
    /// `number` or `word` ("2.", "zweiten", "letzten" = II) with `year` or
    /// `rel`.
    Half,
    /// `year`.
    Year,
    /// The end of a year named by words alone: the session's year, or the
    /// next one when the match says "kommenden".
    YearEnd,
    /// The period the frequency word names ("halbjährlich", "pro Quartal").
    Recurring,
    /// `count` and `unit`, or `frist`: counted from the decision when the
    /// match has `decision` or `within`; undatable with `event`, `later` or
    /// `later2`; no phrase otherwise (a bare "sechs Monate" is a duration).
    Span,
    /// `season` with `year` or `rel`; `next` for "im kommenden Herbst".
    Season,
    /// Every match means the same.
    Fixed(Due),
}

impl Read {
    /// What the match `c` says, read with the session `anchor` for
    /// relative years ("dieses Jahres").
    pub(super) fn due(self, c: &Captures, anchor: Option<NaiveDate>) -> Option<Due> {
        match self {
            Read::Date => Some(Due::Date(date_in(c)?)),
            Read::Session => session(c),
            Read::Month => month(c),
            Read::Quarter => quarter(c, anchor),
            Read::Half => half(c, anchor),
            Read::Year => Some(Due::Year(Some(number(c, "year")?))),
            Read::YearEnd => Some(Due::Year(year_end(c, anchor))),
            Read::Recurring => Some(Due::Recurring(period(c.get(0)?.as_str()))),
            Read::Span => span_due(c),
            Read::Season => season(c, anchor),
            Read::Fixed(due) => Some(due),
        }
    }
}

/// A named group parsed as a number.
fn number<T: std::str::FromStr>(c: &Captures, group: &str) -> Option<T> {
    c.name(group)?.as_str().parse().ok()
}

fn date_in(c: &Captures) -> Option<NaiveDate> {
    dates::first_date(c.name("date")?.as_str())
}

fn session(c: &Captures) -> Option<Due> {
    let m = c.get(0)?;
    let date_start = c
        .name("date")
        .or(c.name("month"))
        .map_or(m.end(), |g| g.start());
    if SESSION_TOPIC.is_match(&m.as_str()[..date_start - m.start()]) {
        return None;
    }
    date_in(c).map(Due::Date).or_else(|| month(c))
}

fn month(c: &Captures) -> Option<Due> {
    let month = dates::month_number(c.name("month")?.as_str())?;
    Some(Due::Month(number(c, "year"), month))
}

/// The ordinal of `number` or `word`; "letzte" is 0, the caller's last.
fn ordinal_in(c: &Captures) -> Option<u32> {
    ordinal(c.name("number").or(c.name("word"))?.as_str())
}

fn quarter(c: &Captures, anchor: Option<NaiveDate>) -> Option<Due> {
    if let Some(q) = c.name("q") {
        return Some(Due::Quarter(number(c, "q_year"), ordinal(q.as_str())?));
    }
    let q = ordinal_in(c).map(|q| if q == 0 { 4 } else { q })?;
    Some(Due::Quarter(year_of(c, anchor), q))
}

fn half(c: &Captures, anchor: Option<NaiveDate>) -> Option<Due> {
    let h = ordinal_in(c)
        .map(|h| if h == 0 { 2 } else { h })
        .filter(|h| *h <= 2)?;
    Some(Due::Half(year_of(c, anchor), h))
}

fn year_end(c: &Captures, anchor: Option<NaiveDate>) -> Option<i32> {
    let lower = c.get(0)?.as_str().to_lowercase();
    if lower.contains("kommenden") {
        anchor.map(|a| a.year() + 1)
    } else {
        None
    }
}

fn period(word: &str) -> ReportPeriod {
    let w = word.to_lowercase();
    if w.contains("halb") || w.contains("zweimal") {
        ReportPeriod::HalfYearly
    } else if w.contains("quartal") || w.contains("viertel") {
        ReportPeriod::Quarterly
    } else if w.contains("monat") {
        ReportPeriod::Monthly
    } else {
        ReportPeriod::Yearly
    }
}

fn season(c: &Captures, anchor: Option<NaiveDate>) -> Option<Due> {
    let season = Season::from_word(c.name("season")?.as_str())?;
    Some(match (number(c, "year"), c.name("rel"), anchor) {
        (Some(y), _, _) => Due::Season(Some(y), season),
        (None, Some(rel), Some(a)) => Due::Season(Some(rel_year(rel.as_str(), a)), season),
        (None, Some(_), None) => Due::Season(None, season),
        (None, None, _) if c.name("next").is_some() => Due::NextSeason(season),
        (None, None, _) => Due::Season(None, season),
    })
}

fn ordinal(s: &str) -> Option<u32> {
    let l = s.to_lowercase();
    Some(match l.as_str() {
        "i" | "1" => 1,
        "ii" | "2" => 2,
        "iii" | "3" => 3,
        "iv" | "4" => 4,
        _ if l.starts_with("erste") => 1,
        _ if l.starts_with("zweite") => 2,
        _ if l.starts_with("dritte") => 3,
        _ if l.starts_with("vierte") => 4,
        _ if l.starts_with("letzte") => 0,
        _ => return None,
    })
}

/// The year of `year`, or of `rel` seen from the anchor ("dieses Jahres").
fn year_of(c: &Captures, anchor: Option<NaiveDate>) -> Option<i32> {
    if let Some(y) = number(c, "year") {
        return Some(y);
    }
    Some(rel_year(c.name("rel")?.as_str(), anchor?))
}

/// The year "dieses Jahres" or "des kommenden Jahres" means, seen from the
/// anchor.
fn rel_year(rel: &str, anchor: NaiveDate) -> i32 {
    let rel = rel.to_lowercase();
    if rel.contains("kommenden") || rel.contains("nächsten") || rel.contains("folgenden") {
        anchor.year() + 1
    } else {
        anchor.year()
    }
}

/// What a span phrase says: counted from the decision when it says so or
/// says "innerhalb"/"binnen" without naming another event; undatable when
/// it counts from another event or says only "nach sechs Monaten" (after
/// what, the paper alone cannot tell); `None` for a bare span ("sechs
/// Monate"), which is no deadline.
fn span_due(c: &Captures) -> Option<Due> {
    let span = match c.name("frist") {
        Some(f) if f.as_str().to_lowercase().starts_with("jahr") => Span::Months(12),
        Some(_) => Span::Months(1),
        None => span(c.name("count")?.as_str(), c.name("unit")?.as_str())?,
    };
    if c.name("event").is_some() {
        return Some(Due::Undatable);
    }
    if c.name("decision").is_some() || c.name("within").is_some() {
        return Some(Due::AfterDecision(span));
    }
    if c.name("later").is_some() || c.name("later2").is_some() {
        return Some(Due::Undatable);
    }
    None
}

/// A span from its number and unit words ("sechs", "Monaten"); half a year
/// is six months, other halves are not read.
fn span(count: &str, unit: &str) -> Option<Span> {
    let count = count.to_lowercase();
    let unit = unit.to_lowercase();
    if count.ends_with("halben") {
        return unit.starts_with("jahr").then_some(Span::Months(6));
    }
    let n: u32 = match count.as_str() {
        c if c.starts_with("ein") => 1,
        "zwei" => 2,
        "drei" => 3,
        "vier" => 4,
        "fünf" => 5,
        "sechs" => 6,
        "sieben" => 7,
        "acht" => 8,
        "neun" => 9,
        "zehn" => 10,
        "elf" => 11,
        "zwölf" => 12,
        "vierzehn" => 14,
        "achtzehn" => 18,
        digits => digits.parse().ok()?,
    };
    if n == 0 {
        return None;
    }
    Some(if unit.starts_with("tag") {
        Span::Days(n)
    } else if unit.starts_with("woche") {
        Span::Days(n.checked_mul(7)?)
    } else if unit.starts_with("monat") {
        Span::Months(n)
    } else {
        Span::Months(n.checked_mul(12)?)
    })
}

/// Resolves a phrase's due date; `None` for vague and undatable phrases, for
/// periods without a year when no session is known and for spans when no
/// decision date is.
pub(super) fn resolve(due: Due, anchors: Anchors) -> Option<NaiveDate> {
    let anchor = anchors.session;
    let next = |f: &dyn Fn(i32) -> Option<NaiveDate>| anchor.and_then(|a| dates::next_end(a, f));
    match due {
        Due::Date(d) => Some(d),
        Due::Month(Some(y), m) => dates::end_of_month(y, m),
        Due::Month(None, m) => next(&|y| dates::end_of_month(y, m)),
        Due::Quarter(Some(y), q) => dates::end_of_quarter(y, q),
        Due::Quarter(None, q) => next(&|y| dates::end_of_quarter(y, q)),
        Due::Half(Some(y), h) => dates::end_of_half(y, h),
        Due::Half(None, h) => next(&|y| dates::end_of_half(y, h)),
        Due::Year(Some(y)) => dates::end_of_year(y),
        Due::Year(None) => next(&dates::end_of_year),
        Due::Season(Some(y), season) => season.end(y),
        // Winter Y ends in Y+1, so the winter of the year before may still
        // be running at the anchor.
        Due::Season(None, season) => {
            let a = anchor?;
            (a.year() - 1..=a.year() + 1)
                .filter_map(|y| season.end(y))
                .find(|end| *end >= a)
        }
        Due::NextSeason(season) => {
            let a = anchor?;
            (a.year()..=a.year() + 1)
                .find(|y| season.start(*y).is_some_and(|start| start > a))
                .and_then(|y| season.end(y))
        }
        Due::AfterDecision(span) => span.after(anchors.decision?),
        Due::Recurring(_) | Due::Undatable | Due::Vague => None,
    }
}

/// Why a phrase that names a date stays unresolved on this paper, in words
/// for the record's diagnostics.
pub(super) fn unresolved_reason(due: Due, phrase: &str, anchors: Anchors) -> Option<String> {
    match due {
        Due::Month(None, _)
        | Due::Quarter(None, _)
        | Due::Half(None, _)
        | Due::Year(None)
        | Due::Season(None, _)
        | Due::NextSeason(_)
            if anchors.session.is_none() =>
        {
            Some(format!(
                "report deadline {phrase:?} names no year and the motion has no session date"
            ))
        }
        Due::AfterDecision(_) if anchors.decision.is_none() => Some(format!(
            "report deadline {phrase:?} counts from the decision and the Beratungsfolge names no dated deciding session"
        )),
        _ => None,
    }
}
