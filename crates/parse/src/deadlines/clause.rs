//! The clause around a time phrase: whether it orders a report (a
//! *trigger* such as informieren, Bericht, vorlegen), in which form
//! (Informationsvorlage, Beschlussvorlage) and to whom (the Stadtrat, a
//! named committee).

use std::ops::Range;
use std::sync::LazyLock;

use ratsdoc_model::Kind;
use regex::Regex;

use super::phrases::Phrase;
use super::re;

pub(super) static TRIGGER: LazyLock<Regex> = LazyLock::new(|| {
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
pub(super) fn has_trigger(text: &str) -> bool {
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

/// The words around the `k`-th of a sentence's `phrases` that may order
/// its report.
pub(super) struct Clause<'s> {
    /// From the phrase to the next phrase, or to a comma that opens a
    /// subordinate clause, or to a semicolon.
    pub forward: &'s str,
    /// From the previous phrase or clause break to the phrase.
    pub backward: &'s str,
    /// Both together, as a range of the sentence.
    pub region: Range<usize>,
}

/// The clause of the `k`-th phrase of `s`, or `None` when the phrase opens
/// a subordinate clause ("…, wenn bis 2022 …"): a condition, not the
/// report's deadline.
pub(super) fn clause_of<'s>(s: &'s str, phrases: &[Phrase], k: usize) -> Option<Clause<'s>> {
    let p = &phrases[k];
    let prev_end = if k == 0 { 0 } else { phrases[k - 1].range.end };
    let next_start = phrases.get(k + 1).map_or(s.len(), |n| n.range.start);
    let clause_start = s[..p.range.start].rfind(',').map_or(0, |i| i + 1);
    if SUBORDINATE.is_match(&s[clause_start.max(prev_end)..p.range.start]) && clause_start > 0 {
        return None;
    }
    let mut fwd_end = next_start;
    if let Some(b) = CLAUSE_BREAK.find(&s[p.range.end..next_start]) {
        fwd_end = p.range.end + b.start();
    }
    let back_start = prev_end.max(
        CLAUSE_BREAK
            .find_iter(&s[..p.range.start])
            .last()
            .map_or(0, |m| m.end()),
    );
    Some(Clause {
        forward: &s[p.range.start..fwd_end],
        backward: &s[back_start..p.range.start],
        region: back_start..fwd_end,
    })
}

/// Whether a sentence without any time phrase still orders a report: it
/// has a trigger, an order ("wird beauftragt", "ist … zu") and a report
/// form or verb.
pub(super) fn orders_report(s: &str) -> bool {
    has_trigger(s) && ORDER.is_match(s) && (FORM.is_match(s) || report_verb(s))
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
pub(super) fn addressee(s: &str, region: Range<usize>, at: usize) -> Option<String> {
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

/// The report form the words name, if any.
pub(super) fn form_in(text: &str) -> Option<Kind> {
    FORM.captures(text).and_then(|c| c.get(1)).map(|m| {
        if m.as_str().to_lowercase().starts_with("information") {
            Kind::Informationsvorlage
        } else {
            Kind::Beschlussvorlage
        }
    })
}

fn report_verb(s: &str) -> bool {
    static VERB: LazyLock<Regex> = LazyLock::new(|| {
        re(r"(?i)\b(?:informieren|berichten|bericht|vorzulegen|darzustellen|unterrichten)\b")
    });
    VERB.is_match(s)
}
