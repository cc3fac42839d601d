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

use std::ops::Range;
use std::sync::LazyLock;

use chrono::{Datelike, Days, Months, NaiveDate};
use ratsdoc_model::{Kind, ReportPeriod, ReportRequest};
use regex::{Regex, RegexSet};

use crate::dates::{self, MONTH_NAMES};
use crate::sentences;
use crate::text::paragraphs;

/// When a phrase says the report is due.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Due {
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
enum Season {
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
enum Span {
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

#[derive(Debug, Clone)]
struct Phrase {
    range: Range<usize>,
    due: Due,
}

const YEAR: &str = r"((?:19|20)\d{2})";
const REL_YEAR: &str =
    r"(dieses|des\s+laufenden|des\s+kommenden|des\s+nächsten|des\s+folgenden)\s+jahres";
const PREFIX: &str = r"(?:(?:bis\s+spätestens\s+zum|bis\s+spätestens|bis\s+zum|bis\s+zur|spätestens\s+bis\s+zum|spätestens\s+bis|spätestens\s+im|spätestens\s+zum|spätestens\s+in|bis|spätestens|zum|zur|im|in)\s+)?(?:(?:ende|anfang|mitte|beginn|laufe|verlauf)\s+(?:des\s+|der\s+)?)?";

fn re(src: &str) -> Regex {
    // Patterns are built from constants; a failure is a programming error
    // that every test run reveals.
    #[allow(clippy::unwrap_used)]
    Regex::new(src).unwrap()
}

static DATE_TEXT: LazyLock<String> = LazyLock::new(|| {
    format!(r"(?:\d{{1,2}}\.\s?\d{{1,2}}\.\s?\d{{4}}|\d{{1,2}}\.\s*(?:{MONTH_NAMES})\s+\d{{4}})")
});

static P_SESSION: LazyLock<Regex> = LazyLock::new(|| {
    re(&format!(
        r"(?i)(?:bis\s+(?:spätestens\s+)?zur|spätestens\s+(?:in\s+der|zur|bis\s+zur)|in\s+der|zur)\s+(?:\w+\s+){{0,2}}?\w*sitzung\b[^.;]{{0,100}}?\b(?:am\s+(?:dem\s+)?({date})|im\s+({MONTH_NAMES})(?:\s+{YEAR})?)",
        date = *DATE_TEXT
    ))
});
static P_DATE: LazyLock<Regex> = LazyLock::new(|| {
    re(&format!(
        r"(?i)\b(?:bis\s+spätestens\s+(?:zum\s+|am\s+)?|bis\s+(?:zum\s+|am\s+)?|spätestens\s+(?:bis\s+zum\s+|bis\s+|zum\s+|am\s+)?|zum\s+|per\s+)({date})",
        date = *DATE_TEXT
    ))
});
static P_QUARTER: LazyLock<Regex> = LazyLock::new(|| {
    re(&format!(
        r"(?i)\b{PREFIX}(?:\b(IV|III|II|I|[1-4])\.|\b(erste[nmrs]?|zweite[nmrs]?|dritte[nmrs]?|vierte[nmrs]?|letzte[nmrs]?))\s*quartals?\b(?:\s+(?:des\s+jahres\s+)?{YEAR}|\s+{REL_YEAR})?|\bQ([1-4])\s*/?\s*{YEAR}"
    ))
});
static P_HALF: LazyLock<Regex> = LazyLock::new(|| {
    re(&format!(
        r"(?i)\b{PREFIX}(?:\b(II|I|[12])\.|\b(erste[nmrs]?|zweite[nmrs]?|letzte[nmrs]?))\s*(?:halbjahr(?:es|s)?|jahreshälfte)\b(?:\s+(?:des\s+jahres\s+)?{YEAR}|\s+{REL_YEAR})?"
    ))
});
static P_MONTH: LazyLock<Regex> = LazyLock::new(|| {
    re(&format!(
        r"(?i)\b(?:bis\s+(?:spätestens\s+)?(?:zum\s+)?(?:ende\s+)?|spätestens\s+(?:im\s+|bis\s+)?(?:ende\s+)?|im\s+(?:monat\s+)?|ende\s+|zum\s+)({MONTH_NAMES})\b(?:\s+{YEAR})?"
    ))
});
static P_YEAR: LazyLock<Regex> = LazyLock::new(|| {
    re(&format!(
        r"(?i)\b(?:bis\s+(?:spätestens\s+)?(?:zum\s+)?(?:(?:ende|jahresende)\s+(?:des\s+(?:jahres|kalenderjahres|haushaltsjahres)\s+)?)?|spätestens\s+(?:bis\s+)?(?:(?:ende|jahresende)\s+(?:des\s+jahres\s+)?)?|(?:zum\s+)?(?:ende|jahresende)\s+(?:des\s+(?:jahres|kalenderjahres)\s+)?|im\s+(?:laufe\s+des\s+)?jahr(?:es)?\s+)({YEAR})\b"
    ))
});
static P_YEAR_END: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i)\b(?:(?:bis\s+(?:spätestens\s+)?(?:zum\s+)?|spätestens\s+(?:zum\s+|bis\s+(?:zum\s+)?)?|zum\s+)?(?:jahresende|ende\s+des\s+(?:laufenden\s+|kommenden\s+)?(?:kalender|haushalts)?jahres))\b",
    )
});
static P_RECURRING: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i)\b(halbjährlich|quartalsweise|vierteljährlich|quartalsmäßig|einmal\s+jährlich|zweimal\s+jährlich|jährlich|alljährlich|einmal\s+(?:im|pro)\s+jahr|zweimal\s+(?:im|pro)\s+jahr|jedes\s+jahr|monatlich|(?:in\s+)?jedem\s+quartal|pro\s+quartal|jedes\s+quartal|(?:in\s+)?jedem\s+halbjahr)\b",
    )
});
static P_VAGUE: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i)\b(zeitnah|regelmäßig|umgehend|unverzüglich|baldmöglichst|schnellstmöglich|kurzfristig|fortlaufend|laufend|rechtzeitig)\b",
    )
});
/// The number of a span: digits, or a German number word; "eines halben"
/// (Jahres) is half of one.
const COUNT: &str = r"\d{1,3}|zwölf|zwei|drei|vier(?:zehn)?|fünf|sechs|sieben|acht(?:zehn)?|neun|zehn|elf|(?:ein(?:em|es|er|e)?\s+)?halben|ein(?:em|es|er|e)?";
/// A span's unit.
const UNIT: &str = r"tag(?:e|en|es)?|woche(?:n)?|monat(?:e|en|es|s)?|jahr(?:e|en|es|s)?";
static P_RELATIVE: LazyLock<Regex> = LazyLock::new(|| {
    re(&format!(
        r"(?i)\b(?:(?P<within>(?:innerhalb|binnen)\s+(?:von\s+)?(?:(?:der|den)\s+(?:nächsten|kommenden|ersten)\s+)?)|(?:bis\s+)?spätestens\s+(?P<later>nach\s+(?:ablauf\s+von\s+)?)?|(?P<later2>nach\s+(?:ablauf\s+von\s+)?)|bis\s+)?(?:(?P<count>{COUNT})\s+(?P<unit>{UNIT})|(?P<frist>jahres|monats)frist)\b(?:\s+nach\s+(?:(?:der|dem|diesem|dieser|des)\s+)?(?:(?P<decision>beschlussfassung|stadtratsbeschluss(?:es)?|beschluss(?:es)?)\b|(?P<event>(?-i:\p{{Lu}})[\w-]*(?:\s+(?:der|des|dem|den)(?:\s+(?-i:\p{{Ll}})[\w-]*)?\s+(?-i:\p{{Lu}})[\w-]*)?)))?"
    ))
});
/// Words that open the report's topic: a date after them in "in der
/// Sitzung über die am 12.03.2021 beschlossene Satzung" is not the
/// session's.
static SESSION_TOPIC: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i)sitzung.*\b(?:über|zu|zum|zur|bezüglich|hinsichtlich|betreffend|dass|ob|wie|welche[rsmn]?)\b",
    )
});
/// Breaks of the council's calendar ("vor der Sommerpause"): their dates
/// are the council's, not the paper's.
static P_BREAK: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i)\b(?:(?:bis\s+)?(?:spätestens\s+)?(?:vor|nach)\s+der|bis\s+(?:spätestens\s+)?zur|zur)\s+(?:parlamentarischen\s+)?(?:sommerpause|winterpause|weihnachtspause)\b(?:\s+(?:19|20)\d{2}\b)?",
    )
});
static P_NEXT_SESSION: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i)\b(?:bis\s+(?:spätestens\s+)?(?:zur|zu\s+einer\s+der)|spätestens\s+(?:in\s+der|zur|bis\s+zur)|in\s+(?:der|einer\s+der)|zur|vor\s+der)\s+(?:nächsten|kommenden|folgenden|darauffolgenden|übernächsten)\s+(?:\w+\s+)?\w*sitzung(?:en)?\b(?:\s+(?:des|der)\s+(?-i:\p{Lu})\w*)?",
    )
});
static P_SEASON: LazyLock<Regex> = LazyLock::new(|| {
    re(&format!(
        r"(?i)\b(?:bis\s+(?:spätestens\s+)?(?:zum\s+)?|spätestens\s+(?:bis\s+)?(?:zum\s+|im\s+)?|im\s+|zum\s+)(?:(?:ende|anfang|mitte|beginn|laufe|verlauf)\s+(?:des\s+)?)?(?P<next>(?:kommenden|nächsten|folgenden)\s+)?(?P<season>frühjahr|frühling|sommer|herbst|winter)(?:e?s)?\b(?:\s+(?:des\s+jahres\s+)?(?P<year>(?:19|20)\d{{2}})(?:\s*/\s*(?:\d{{4}}|\d{{2}})\b)?|\s+(?P<rel>{REL_YEAR}))?"
    ))
});
/// For each phrase pattern above, in the order of [`find_phrases`], words
/// every match of it contains (same case folding). The phrase patterns use
/// Unicode `\b`, which sends the regex engine to its slow path on German
/// text; these needles have no `\b`, so one fast scan tells which phrase
/// patterns can match a sentence at all (most sentences need none or two).
static PHRASE_NEEDLES: LazyLock<RegexSet> = LazyLock::new(|| {
    let date = format!(r"\d\.\s?\d{{1,2}}\.\s?\d{{4}}|\d\.\s*(?:{MONTH_NAMES})\s+\d{{4}}");
    let needles = [
        "sitzung".to_string(),
        date,
        "quartal|q[1-4]".into(),
        "halbjahr|jahreshälfte".into(),
        MONTH_NAMES.into(),
        r"(?:19|20)\d\d".into(),
        "jahres".into(),
        "jährlich|jahr|monatlich|quartal".into(),
        "zeitnah|regelmäßig|umgehend|unverzüglich|baldmöglichst|schnellstmöglich|kurzfristig|fortlaufend|laufend|rechtzeitig".into(),
        // A span is a deadline only after "innerhalb"/"binnen" or with a
        // "nach" (see `relative`); bare spans ("sechs Monate") need no scan.
        r"(?:innerhalb|binnen)[^.]*?(?:tag|woche|monat|jahr|frist)|(?:tag|woche|monat|jahr)\w*\s+nach|nach\s+(?:ablauf\s+von\s+)?(?:\w+\s+){1,2}(?:tag|woche|monat|jahr)".into(),
        "frühjahr|frühling|sommer|herbst|winter|pause".into(),
    ];
    #[allow(clippy::unwrap_used)] // Built from constants, as `re`.
    RegexSet::new(needles.iter().map(|n| format!("(?i:{n})"))).unwrap()
});
/// Indices into [`PHRASE_NEEDLES`].
const N_SESSION: usize = 0;
const N_DATE: usize = 1;
const N_QUARTER: usize = 2;
const N_HALF: usize = 3;
const N_MONTH: usize = 4;
const N_YEAR: usize = 5;
const N_YEAR_END: usize = 6;
const N_RECURRING: usize = 7;
const N_VAGUE: usize = 8;
const N_RELATIVE: usize = 9;
const N_SEASON: usize = 10;

static TRIGGER: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i)\b(?:informier\w*|zu\s+informieren|berichte\w*|\w*bericht\w*|vorzulegen|vorlegen|vorgelegt|informationsvorlage|beschlussvorlage|darzustellen|darzulegen|dargestellt|dargelegt|unterrichten|unterrichtet|auskunft|rechenschaft|vorzustellen|vorgestellt|zu\s+erläutern|in\s+kenntnis\s+zu\s+setzen|zur\s+kenntnis\s+zu\s+geben|auszuwerten|rückmeldung)\b",
    )
});
/// Words every [`TRIGGER`] match contains (same case folding): without
/// `\b` and `\w` they need no slow path on German text, and most clauses
/// hold none of them.
static TRIGGER_NEEDLE: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i)informier|bericht|vorzulegen|vorlegen|vorgelegt|vorlage|darzu|darge|unterricht|auskunft|rechenschaft|vorzustellen|vorgestellt|erläutern|kenntnis|auszuwerten|rückmeldung",
    )
});

/// Whether `text` orders a report ([`TRIGGER`]).
fn has_trigger(text: &str) -> bool {
    TRIGGER_NEEDLE.is_match(text) && TRIGGER.is_match(text)
}

static ORDER: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i)\b(?:beauftragt|gebeten|ersucht|aufgefordert|verpflichtet|hat\b.*\bzu\b|ist\b.*\bzu\b|sind\b.*\bzu\b|wird\b.*\binformiert|soll\w*)",
    )
});
static SUBORDINATE: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i)^\s*(?:welche[rsmn]?|wobei|wenn|falls|nachdem|sobald|sofern|soweit|da|weil|obwohl|dessen|deren|inwieweit|ob|wie|wann|was|dass)\b",
    )
});
static CLAUSE_BREAK: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i)(?:,\s*(?:welche[rsmn]?|wobei|wenn|falls|nachdem|sobald|sofern|soweit|weil|obwohl|inwieweit|ob|wie|wann|was|dass)\b|;)",
    )
});
static FORM: LazyLock<Regex> =
    LazyLock::new(|| re(r"(?i)\b(informationsvorlage|beschlussvorlage)\w*"));
static ADDRESSEE: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"\b(?:[Dd]en|[Dd]em|[Dd]es|[Dd]er|im|vor\s+dem|an\s+den)\s+(Stadtrat(?:es|s)?\b|Ausschuss(?:es)?\s+für\s+[A-ZÄÖÜ][\wäöüß-]*(?:(?:,\s*|\s+und\s+|\s+)[A-ZÄÖÜ][\wäöüß-]*)*|(?:[A-ZÄÖÜ][\wäöüß]*-,?\s+(?:und\s+)?)*[A-ZÄÖÜ][\wäöüß]*ausschuss(?:es)?\b|(?:Ortschaftsrat|Stadtbezirksbeirat|[A-ZÄÖÜ][\wäöüß]*beirat)(?:es|s)?(?:\s+[A-ZÄÖÜ][\wäöüß-]+)?)",
    )
});

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

/// A year from its capture, or relative to the anchor ("dieses Jahres").
fn year_of(
    c: &regex::Captures,
    year_group: usize,
    rel_group: Option<usize>,
    anchor: Option<NaiveDate>,
) -> Option<i32> {
    if let Some(y) = c.get(year_group).and_then(|m| m.as_str().parse().ok()) {
        return Some(y);
    }
    let rel = c.get(rel_group?)?.as_str();
    Some(rel_year(rel, anchor?))
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

/// What a span phrase ([`P_RELATIVE`]) says: counted from the decision when
/// it says so or says "innerhalb"/"binnen" without naming another event;
/// undatable when it counts from another event or says only "nach sechs
/// Monaten" (after what, the paper alone cannot tell); `None` for a bare
/// span ("sechs Monate"), which is no deadline.
fn relative(c: &regex::Captures) -> Option<Due> {
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

/// Every time phrase in a sentence, non-overlapping, in order.
fn find_phrases(s: &str, anchor: Option<NaiveDate>) -> Vec<Phrase> {
    let may = PHRASE_NEEDLES.matches(s);
    if !may.matched_any() {
        return Vec::new();
    }
    let mut all: Vec<Phrase> = Vec::new();
    if may.matched(N_SESSION) {
        for c in P_SESSION.captures_iter(s) {
            let Some(m) = c.get(0) else { continue };
            let date_start = c.get(1).or(c.get(2)).map_or(m.end(), |g| g.start());
            if SESSION_TOPIC.is_match(&s[m.start()..date_start]) {
                continue;
            }
            let due = if let Some(d) = c.get(1).and_then(|d| dates::first_date(d.as_str())) {
                Due::Date(d)
            } else if let Some(mon) = c.get(2).and_then(|x| dates::month_number(x.as_str())) {
                Due::Month(c.get(3).and_then(|y| y.as_str().parse().ok()), mon)
            } else {
                continue;
            };
            all.push(Phrase {
                range: m.range(),
                due,
            });
        }
    }
    if may.matched(N_DATE) {
        for c in P_DATE.captures_iter(s) {
            if let (Some(m), Some(d)) = (
                c.get(0),
                c.get(1).and_then(|d| dates::first_date(d.as_str())),
            ) {
                all.push(Phrase {
                    range: m.range(),
                    due: Due::Date(d),
                });
            }
        }
    }
    if may.matched(N_QUARTER) {
        for c in P_QUARTER.captures_iter(s) {
            let Some(m) = c.get(0) else { continue };
            let (q, year) = if let Some(q) = c.get(5) {
                (
                    ordinal(q.as_str()),
                    c.get(6).and_then(|y| y.as_str().parse().ok()),
                )
            } else {
                let q = c
                    .get(1)
                    .or(c.get(2))
                    .and_then(|q| ordinal(q.as_str()))
                    .map(|q| if q == 0 { 4 } else { q });
                (q, year_of(&c, 3, Some(4), anchor))
            };
            if let Some(q) = q {
                all.push(Phrase {
                    range: m.range(),
                    due: Due::Quarter(year, q),
                });
            }
        }
    }
    if may.matched(N_HALF) {
        for c in P_HALF.captures_iter(s) {
            let Some(m) = c.get(0) else { continue };
            let h = c
                .get(1)
                .or(c.get(2))
                .and_then(|h| ordinal(h.as_str()))
                .map(|h| if h == 0 { 2 } else { h });
            if let Some(h) = h.filter(|h| *h <= 2) {
                all.push(Phrase {
                    range: m.range(),
                    due: Due::Half(year_of(&c, 3, Some(4), anchor), h),
                });
            }
        }
    }
    if may.matched(N_MONTH) {
        for c in P_MONTH.captures_iter(s) {
            if let (Some(m), Some(mon)) = (
                c.get(0),
                c.get(1).and_then(|x| dates::month_number(x.as_str())),
            ) {
                all.push(Phrase {
                    range: m.range(),
                    due: Due::Month(c.get(2).and_then(|y| y.as_str().parse().ok()), mon),
                });
            }
        }
    }
    if may.matched(N_YEAR) {
        for c in P_YEAR.captures_iter(s) {
            if let (Some(m), Some(y)) = (c.get(0), c.get(1).and_then(|y| y.as_str().parse().ok())) {
                all.push(Phrase {
                    range: m.range(),
                    due: Due::Year(Some(y)),
                });
            }
        }
    }
    if may.matched(N_YEAR_END) {
        for m in P_YEAR_END.find_iter(s) {
            let lower = m.as_str().to_lowercase();
            let year = if lower.contains("kommenden") {
                anchor.map(|a| a.year() + 1)
            } else {
                None
            };
            all.push(Phrase {
                range: m.range(),
                due: Due::Year(year),
            });
        }
    }
    if may.matched(N_RECURRING) {
        for c in P_RECURRING.captures_iter(s) {
            let Some(m) = c.get(0) else { continue };
            let w = m.as_str().to_lowercase();
            let period = if w.contains("halb") || w.contains("zweimal") {
                ReportPeriod::HalfYearly
            } else if w.contains("quartal") || w.contains("viertel") {
                ReportPeriod::Quarterly
            } else if w.contains("monat") {
                ReportPeriod::Monthly
            } else {
                ReportPeriod::Yearly
            };
            all.push(Phrase {
                range: m.range(),
                due: Due::Recurring(period),
            });
        }
    }
    if may.matched(N_SESSION) {
        for m in P_NEXT_SESSION.find_iter(s) {
            all.push(Phrase {
                range: m.range(),
                due: Due::Undatable,
            });
        }
    }
    if may.matched(N_RELATIVE) {
        for c in P_RELATIVE.captures_iter(s) {
            let (Some(m), Some(due)) = (c.get(0), relative(&c)) else {
                continue;
            };
            all.push(Phrase {
                range: m.range(),
                due,
            });
        }
    }
    if may.matched(N_SEASON) {
        for m in P_BREAK.find_iter(s) {
            all.push(Phrase {
                range: m.range(),
                due: Due::Undatable,
            });
        }
        for c in P_SEASON.captures_iter(s) {
            let (Some(m), Some(season)) = (
                c.get(0),
                c.name("season").and_then(|w| Season::from_word(w.as_str())),
            ) else {
                continue;
            };
            let year = c.name("year").and_then(|y| y.as_str().parse().ok());
            let due = match (year, c.name("rel"), anchor) {
                (Some(y), _, _) => Due::Season(Some(y), season),
                (None, Some(rel), Some(a)) => Due::Season(Some(rel_year(rel.as_str(), a)), season),
                (None, Some(_), None) => Due::Season(None, season),
                (None, None, _) if c.name("next").is_some() => Due::NextSeason(season),
                (None, None, _) => Due::Season(None, season),
            };
            all.push(Phrase {
                range: m.range(),
                due,
            });
        }
    }
    if may.matched(N_VAGUE) {
        for m in P_VAGUE.find_iter(s) {
            all.push(Phrase {
                range: m.range(),
                due: Due::Vague,
            });
        }
    }
    // Leftmost, then longest; drop what overlaps an earlier pick.
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

/// Resolves a phrase's due date; `None` for vague and undatable phrases, for
/// periods without a year when no session is known and for spans when no
/// decision date is.
fn resolve(due: Due, anchors: Anchors) -> Option<NaiveDate> {
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
fn unresolved_reason(due: Due, phrase: &str, anchors: Anchors) -> Option<String> {
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

/// Normalises an addressee to its nominative ("des Stadtrates" → "Stadtrat").
fn addressee_name(raw: &str) -> String {
    let t = raw.trim();
    if t.starts_with("Stadtrat") {
        return "Stadtrat".into();
    }
    let mut words: Vec<String> = t.split(' ').map(String::from).collect();
    if let Some(first) = words.first_mut() {
        if let Some(stem) = first.strip_suffix("ausschusses") {
            *first = format!("{stem}ausschuss");
        } else if first == "Ausschusses" {
            *first = "Ausschuss".into();
        } else if let Some(stem) = first.strip_suffix("rates") {
            *first = format!("{stem}rat");
        } else if let Some(stem) = first.strip_suffix("beirates") {
            *first = format!("{stem}beirat");
        }
    }
    let joined = words.join(" ");
    if let Some(stem) = joined.strip_suffix("ausschusses") {
        return format!("{stem}ausschuss");
    }
    joined
}

/// The addressee for a phrase at `at` within `region` of the sentence:
/// the nearest one before the phrase, else the nearest after it.
fn addressee(s: &str, region: Range<usize>, at: usize) -> Option<String> {
    let found: Vec<(usize, String)> = ADDRESSEE
        .captures_iter(s)
        .filter_map(|c| c.get(1).map(|m| (m.start(), addressee_name(m.as_str()))))
        .filter(|(pos, _)| region.contains(pos))
        .collect();
    found
        .iter()
        .rfind(|(pos, _)| *pos < at)
        .or_else(|| found.iter().find(|(pos, _)| *pos >= at))
        .map(|(_, a)| a.clone())
}

fn form_in(text: &str) -> Option<Kind> {
    FORM.captures(text).and_then(|c| c.get(1)).map(|m| {
        if m.as_str().to_lowercase().starts_with("information") {
            Kind::Informationsvorlage
        } else {
            Kind::Beschlussvorlage
        }
    })
}

/// One request found in a sentence, before merging recurring phrases.
struct Found {
    phrase: Range<usize>,
    due: Due,
    form: Option<Kind>,
    addressee: Option<String>,
}

fn requests_in_sentence(s: &str, anchor: Option<NaiveDate>) -> Vec<Found> {
    let phrases = find_phrases(s, anchor);
    let mut found: Vec<Found> = Vec::new();
    for (k, p) in phrases.iter().enumerate() {
        let prev_end = if k == 0 { 0 } else { phrases[k - 1].range.end };
        let next_start = phrases.get(k + 1).map_or(s.len(), |n| n.range.start);
        let clause_start = s[..p.range.start].rfind(',').map_or(0, |i| i + 1);
        if SUBORDINATE.is_match(&s[clause_start.max(prev_end)..p.range.start]) && clause_start > 0 {
            // "…, wenn bis 2022 …": a condition, not the report's deadline.
            continue;
        }
        let mut fwd_end = next_start;
        if let Some(b) = CLAUSE_BREAK.find(&s[p.range.end..next_start]) {
            fwd_end = p.range.end + b.start();
        }
        let forward = &s[p.range.start..fwd_end];
        let back_start = prev_end.max(
            CLAUSE_BREAK
                .find_iter(&s[..p.range.start])
                .last()
                .map_or(0, |m| m.end()),
        );
        let backward = &s[back_start..p.range.start];
        // A frequency word ("halbjährlich", "regelmäßig") qualifies the
        // report verb wherever it stands in the sentence.
        let loose = matches!(p.due, Due::Recurring(_) | Due::Vague);
        let (hit, scope) = if has_trigger(forward) {
            (true, forward)
        } else if has_trigger(backward) {
            (true, backward)
        } else {
            (loose && has_trigger(s), forward)
        };
        if !hit {
            continue;
        }
        let region = back_start..fwd_end;
        found.push(Found {
            phrase: p.range.clone(),
            due: p.due,
            form: form_in(scope)
                .or_else(|| form_in(forward))
                .or_else(|| form_in(backward)),
            addressee: addressee(s, region, p.range.start)
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

/// Reads all report requests of a decision proposal, resolving their
/// deadlines from the paper's own dates.
pub fn read(proposal: &[String], anchors: Anchors) -> (Vec<ReportRequest>, Vec<String>) {
    let mut out = Vec::new();
    let mut diagnostics = Vec::new();
    for para in paragraphs(proposal) {
        for s in sentences::split(&para) {
            let found = requests_in_sentence(&s, anchors.session);
            if found.is_empty() {
                // An order to report without any time phrase: kept, unresolved.
                if has_trigger(&s) && ORDER.is_match(&s) && (FORM.is_match(&s) || report_verb(&s)) {
                    out.push(ReportRequest {
                        phrase: None,
                        due: None,
                        recurring: false,
                        period: None,
                        addressee: addressee(&s, 0..s.len(), s.len()),
                        form: form_in(&s),
                        sentence: s.clone(),
                    });
                }
                continue;
            }
            // A recurring phrase takes its first due date from a dated
            // phrase of the same sentence ("halbjährlich, erstmals im II.
            // Quartal 2021").
            let recurring = found
                .iter()
                .position(|f| matches!(f.due, Due::Recurring(_)));
            let dated: Vec<usize> = (0..found.len())
                .filter(|&i| !matches!(found[i].due, Due::Recurring(_) | Due::Vague))
                .collect();
            if let (Some(r), Some(&d)) = (recurring, dated.first()) {
                let (rf, df) = (&found[r], &found[d]);
                let period = match rf.due {
                    Due::Recurring(p) => Some(p),
                    _ => None,
                };
                let (a, b) = if rf.phrase.start < df.phrase.start {
                    (&rf.phrase, &df.phrase)
                } else {
                    (&df.phrase, &rf.phrase)
                };
                let phrase = if b.start.saturating_sub(a.end) <= 60 {
                    s[a.start..b.end].to_string()
                } else {
                    format!("{}; {}", &s[rf.phrase.clone()], &s[df.phrase.clone()])
                };
                diagnostics.extend(unresolved_reason(df.due, &phrase, anchors));
                out.push(ReportRequest {
                    due: resolve(df.due, anchors),
                    phrase: Some(phrase),
                    recurring: true,
                    period,
                    addressee: rf.addressee.clone().or_else(|| df.addressee.clone()),
                    form: rf.form.or(df.form),
                    sentence: s.clone(),
                });
                for (i, f) in found.iter().enumerate() {
                    if i != r && i != d {
                        out.push(to_request(f, &s, anchors, &mut diagnostics));
                    }
                }
                continue;
            }
            for f in &found {
                out.push(to_request(f, &s, anchors, &mut diagnostics));
            }
        }
    }
    (out, diagnostics)
}

fn report_verb(s: &str) -> bool {
    static VERB: LazyLock<Regex> = LazyLock::new(|| {
        re(r"(?i)\b(?:informieren|berichten|bericht|vorzulegen|darzustellen|unterrichten)\b")
    });
    VERB.is_match(s)
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
    }
}

#[cfg(test)]
mod tests;
