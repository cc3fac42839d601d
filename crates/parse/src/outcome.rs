//! What a body decided and how it voted, in the words papers print it: the
//! result column of a Beratungsfolge ("bestätigt", "mit Änderungen"), the
//! "Beschluss:" and "Abstimmungsergebnis:" lines of a Niederschrift or
//! Protokollauszug, the press line a faction puts over its web copy of a
//! motion ("Am 02. Juni im Stadtrat mit Mehrheit beschlossen!") and the
//! vote it prints under the copy's text ("Abstimmungsergebnis: 24 Ja, 23
//! Nein, 2 Enthaltungen").
//!
//! Every reader here works from three tables: [`OUTCOMES`] (the words of a
//! result), [`COUNTS`] (how a vote count is printed) and [`MARGINS`]
//! ("einstimmig", "mehrheitlich"); where a vote stands under a copy's
//! text, [`TALLIES`] names its openings. See ARCHITECTURE.md, "How to add
//! a decision phrase".

use std::sync::LazyLock;

use chrono::NaiveDate;
use ratsdoc_model::{Consultation, ConsultationResult, ConsultationRole, Margin, Votes};
use regex::Regex;

use crate::dates;
use crate::text::squash;

/// A decision as read from text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decision {
    pub result: ConsultationResult,
    /// The body a referral names ("verwiesen in den Planungsausschuss").
    pub referred_to: Option<String>,
    pub votes: Option<Votes>,
}

/// Words of a result and what they state, lower case; the first entry the
/// text contains wins. Order matters where words nest: "mit Änderungen
/// beschlossen" before "beschlossen", "zustimmende Kenntnisnahme" before
/// "Zustimmung", "zurückgezogen" before "zurück…".
pub const OUTCOMES: &[(&str, ConsultationResult)] = &[
    ("mit änderung", ConsultationResult::MitAenderungen),
    ("in geänderter fassung", ConsultationResult::MitAenderungen),
    ("geändert beschlossen", ConsultationResult::MitAenderungen),
    ("geändert angenommen", ConsultationResult::MitAenderungen),
    ("zurückgezogen", ConsultationResult::Zurueckgezogen),
    ("verwiesen", ConsultationResult::Verwiesen),
    ("überwiesen", ConsultationResult::Verwiesen),
    ("überweisung", ConsultationResult::Verwiesen),
    ("verweisung", ConsultationResult::Verwiesen),
    ("abgelehnt", ConsultationResult::Abgelehnt),
    ("ablehnung", ConsultationResult::Abgelehnt),
    ("vertagt", ConsultationResult::Vertagt),
    ("zurückgestellt", ConsultationResult::Vertagt),
    ("abgesetzt", ConsultationResult::Vertagt),
    ("ohne empfehlung", ConsultationResult::OhneEmpfehlung),
    ("kenntnis", ConsultationResult::ZurKenntnisGenommen),
    ("zustimmung", ConsultationResult::Bestaetigt),
    ("zugestimmt", ConsultationResult::Bestaetigt),
    ("beschlossen", ConsultationResult::Bestaetigt),
    ("angenommen", ConsultationResult::Bestaetigt),
    ("bestätigt", ConsultationResult::Bestaetigt),
    ("wie vorgeschlagen", ConsultationResult::Bestaetigt),
];

/// Which count a pattern of [`COUNTS`] reads, or a column of a
/// Beratungsfolge holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Count {
    Yes,
    No,
    Abstentions,
}

/// How vote counts are printed: "24 Ja", "30 Ja-Stimmen", "Ja-Stimmen:
/// 30", "JA: 30", "12 Nein", "bei 1 Nein-Stimme", "2 Enthaltungen",
/// "Enthaltungen: 3", "Enth.: 1", "eine Enthaltung", "3 Gegenstimmen",
/// "dafür: 20", "Ja 6 Nein 3 Enthaltung 1", "mit 25:10 Stimmen", "mit 24
/// gegen 22 Stimmen". A pattern names what it reads by its groups `yes`,
/// `no` and `abstentions` (digits or "ein/eine/einer"); one pattern may
/// read several counts where they are printed together. Each match is
/// taken out of the text before the next pattern runs, so order matters:
/// labelled counts come first, so "Ja-Stimmen: 30 Nein-Stimmen: 12" never
/// reads "30 Nein"; "24 Ja" comes before "Ja 6 Nein 3", so "24 Ja 23 Nein"
/// never reads "Ja 23"; and "Ja 6 Nein 3" before "3 Nein", so it never
/// reads "6 Nein".
const COUNTS: &[&str] = &[
    r"\b(?:ja(?:-?stimmen)?|dafür)\s*:\s*(?P<yes>\d{1,3})\b",
    r"\b(?:nein(?:-?stimmen)?|gegenstimmen|dagegen)\s*:\s*(?P<no>\d{1,3})\b",
    r"\b(?:(?:stimm)?enthaltung(?:en)?|enth\.)\s*:\s*(?P<abstentions>\d{1,3})\b",
    r"\b(?P<yes>\d{1,3})\s*(?::|gegen)\s*(?P<no>\d{1,3})\s+stimmen\b",
    r"\b(?P<yes>\d{1,3}|eine[rn]?|ein)\s+(?:ja(?:-?stimmen?)?|für-?stimmen?|stimmen\s+dafür|dafür)\b",
    r"\bja\s+(?P<yes>\d{1,3})\s*,?\s+nein\s+(?P<no>\d{1,3})(?:\s*,?\s+(?:stimm)?enthaltung(?:en)?\s+(?P<abstentions>\d{1,3}))?\b",
    r"\b(?P<no>\d{1,3}|eine[rn]?|ein)\s+(?:nein(?:-?stimmen?)?|gegenstimmen?|stimmen\s+dagegen|dagegen)\b",
    r"\b(?P<abstentions>\d{1,3}|eine[rn]?|ein)\s+(?:stimm)?enthaltung(?:en)?\b",
];

/// The group of a [`COUNTS`] pattern that reads each count.
const COUNT_GROUPS: [(Count, &str); 3] = [
    (Count::Yes, "yes"),
    (Count::No, "no"),
    (Count::Abstentions, "abstentions"),
];

/// Words of a margin, lower case; the first the text contains wins.
const MARGINS: &[(&str, Margin)] = &[
    ("einstimmig", Margin::Unanimous),
    ("mehrheitlich", Margin::Majority),
    ("mit mehrheit", Margin::Majority),
    ("großer mehrheit", Margin::Majority),
    ("stimmenmehrheit", Margin::Majority),
];

/// The header word of a vote column of a Beratungsfolge ("Ja", "Nein",
/// "Enth.", "Enthaltungen").
pub fn vote_column(header: &str) -> Option<Count> {
    match header
        .trim()
        .trim_end_matches(['.', ':'])
        .to_lowercase()
        .as_str()
    {
        "ja" | "ja-stimmen" | "dafür" => Some(Count::Yes),
        "nein" | "nein-stimmen" | "dagegen" | "gegenstimmen" => Some(Count::No),
        "enth" | "enthaltung" | "enthaltungen" | "stimmenthaltungen" => Some(Count::Abstentions),
        _ => None,
    }
}

impl Count {
    /// Sets this count of `votes` to `n` unless it is set.
    pub fn set(self, votes: &mut Votes, n: u32) {
        let slot = match self {
            Count::Yes => &mut votes.yes,
            Count::No => &mut votes.no,
            Count::Abstentions => &mut votes.abstentions,
        };
        slot.get_or_insert(n);
    }
}

static COUNT_PATTERNS: LazyLock<Vec<Regex>> = LazyLock::new(|| {
    COUNTS
        .iter()
        .map(|src| constant(&format!("(?i){src}")))
        .collect()
});

/// "verwiesen in den Planungsausschuss", "in den Ausschuss für Umwelt
/// verwiesen", "Überweisung an den Bauausschuss": the body, without its
/// article. A comma before a capitalised word continues the name
/// ("Ausschuss für Stadtentwicklung, Bau und Verkehr").
static REFERRAL: LazyLock<Regex> = LazyLock::new(|| {
    constant(
        r"(?i)(?:(?:über)?verwiesen|überweisung|verweisung)\s+(?:in|an)\s+(?:den|die|das)\s+(?P<after>[^.,;:!()]{3,90}?(?:,\s+(?-i:\p{Lu})[^.,;:!()]{0,60}?)*)(?:\s+(?:abstimmungsergebnis|zur\s|mit\s|bei\s)|[.,;:!()]|$)|(?:in|an)\s+(?:den|die|das)\s+(?P<before>[^.,;:!()]{3,90}?(?:,\s+(?-i:\p{Lu})[^.,;:!()]{0,60}?)*)\s+(?:über)?verwiesen\b",
    )
});

/// A press line over a motion's web copy: "Am 02. Juni im Stadtrat mit
/// Mehrheit beschlossen!", "Im Stadtrat am 12.05.2021 abgelehnt.",
/// "Vorlage: BA-024/2021 – Am 02. Juni 2021 im Stadtrat beschlossen".
static PRESS_LINE: LazyLock<Regex> = LazyLock::new(|| {
    constant(&format!(
        r"(?i)(?:^|[–—-]\s*)(?:am\s+(?P<date1>{DATE})\s+(?:im|in\s+der|in\s+der\s+sitzung\s+des)\s+(?P<body1>{BODY})|(?:im|in\s+der\s+sitzung\s+des)\s+(?P<body2>{BODY})\s+am\s+(?P<date2>{DATE}))\s+(?P<rest>[^.!?]{{0,60}}?\b(?:beschlossen|abgelehnt|angenommen|zugestimmt|vertagt|zurückgezogen|verwiesen)\b[^.!?]{{0,20}})[.!]*\s*$",
        DATE = r"\d{1,2}\.\s?(?:\d{1,2}\.(?:\s?\d{4}\b)?|\s*(?:januar|februar|märz|april|mai|juni|juli|august|september|oktober|november|dezember)(?:\s+\d{4}\b)?)",
        BODY = r"(?:stadtrat|gemeinderat|kreistag|[\wäöüß]*ausschuss(?:\s+für\s+[\wäöüß ,-]{3,60}?)?|ortschaftsrat\s+[\wäöüß-]+)",
    ))
});

static YEAR: LazyLock<Regex> = LazyLock::new(|| constant(r"\b(?:19|20)\d{2}\b"));

/// Patterns built from constants; a failure is a programming error that
/// every test run reveals.
fn constant(src: &str) -> Regex {
    #[allow(clippy::unwrap_used)]
    Regex::new(src).unwrap()
}

/// The result some words state, by [`OUTCOMES`].
pub fn result_in(words: &str) -> Option<ConsultationResult> {
    let lower = squash(&words.to_lowercase());
    OUTCOMES
        .iter()
        .find(|(word, _)| lower.contains(word))
        .map(|(_, result)| *result)
}

fn number(n: &str) -> Option<u32> {
    match n.to_lowercase().as_str() {
        "ein" | "eine" | "einer" | "einen" => Some(1),
        digits => digits.parse().ok(),
    }
}

/// The vote some words record: counts by [`COUNTS`], margin by
/// [`MARGINS`]; `None` when they record none.
pub fn votes_in(words: &str) -> Option<Votes> {
    let squashed = squash(words);
    let mut rest = squashed.clone();
    let mut votes = Votes::default();
    for pattern in COUNT_PATTERNS.iter() {
        let Some(c) = pattern.captures(&rest) else {
            continue;
        };
        let read: Vec<(Count, u32)> = COUNT_GROUPS
            .iter()
            .filter_map(|(count, group)| Some((*count, number(c.name(group)?.as_str())?)))
            .collect();
        let Some(whole) = c.get(0).map(|m| m.range()).filter(|_| !read.is_empty()) else {
            continue;
        };
        for (count, n) in read {
            count.set(&mut votes, n);
        }
        rest.replace_range(whole, " ");
    }
    let lower = squashed.to_lowercase();
    votes.margin = MARGINS
        .iter()
        .find(|(word, _)| lower.contains(word))
        .map(|(_, m)| *m);
    (!votes.is_empty()).then_some(votes)
}

static MARGIN_WORDS: LazyLock<Regex> = LazyLock::new(|| {
    constant(r"(?i)\b(?:einstimmig|mehrheitlich|mit\s+(?:großer\s+)?mehrheit|bei)\b")
});

/// The vote a table cell records and the cell without it: "beschlossen
/// (24 Ja, 23 Nein)" gives the counts and "beschlossen".
pub fn take_votes(cell: &str) -> (Option<Votes>, String) {
    let Some(votes) = votes_in(cell) else {
        return (None, cell.to_string());
    };
    let mut rest = squash(cell);
    for pattern in COUNT_PATTERNS.iter() {
        rest = pattern.replace_all(&rest, " ").into_owned();
    }
    rest = MARGIN_WORDS.replace_all(&rest, " ").into_owned();
    let rest = rest.replace(['(', ')'], " ");
    let rest = squash(rest.trim_matches(|c: char| c == ',' || c == ';' || c.is_whitespace()));
    (Some(votes), rest)
}

/// The body a referral names, without its article.
pub fn referral_in(words: &str) -> Option<String> {
    let squashed = squash(words);
    let c = REFERRAL.captures(&squashed)?;
    let body = c
        .name("after")
        .or_else(|| c.name("before"))?
        .as_str()
        .trim();
    (body.chars().next().is_some_and(char::is_uppercase)).then(|| body.to_string())
}

/// The result counts state by themselves: more Ja than Nein is adopted,
/// otherwise rejected (a tie is a rejection).
fn counted(votes: Votes) -> Option<ConsultationResult> {
    let (yes, no) = (votes.yes?, votes.no?);
    Some(if yes > no {
        ConsultationResult::Bestaetigt
    } else {
        ConsultationResult::Abgelehnt
    })
}

/// A decision from a result's words alone; votes and referral where they
/// say one. Counts without a result word decide by themselves: more Ja than
/// Nein is adopted, otherwise rejected (a tie is a rejection).
pub fn decision_in(words: &str) -> Option<Decision> {
    let votes = votes_in(words);
    let result = result_in(words).or(votes.and_then(counted))?;
    let referred_to = (result == ConsultationResult::Verwiesen)
        .then(|| referral_in(words))
        .flatten();
    Some(Decision {
        result,
        referred_to,
        votes,
    })
}

/// Where the text of a minutes label ("Beschluss:",
/// "Abstimmungsergebnis:") ends: the next label, or the narrative of the
/// session that follows it ("Der Vorsitzende ruft Tagesordnungspunkt 24
/// auf …"), whose words are no decision.
const MINUTES_ENDS: &[&str] = &[
    "Beschluss:",
    "Abstimmungsergebnis:",
    "Der Vorsitzende",
    "Die Vorsitzende",
    "Der Oberbürgermeister",
    "Die Oberbürgermeisterin",
    "ruft Tagesordnungspunkt",
    "Tagesordnungspunkt",
];

/// The text after `label` in `squashed`, up to the next minutes label, at
/// most `limit` bytes (on a character boundary).
fn after_label<'t>(squashed: &'t str, label: &str, limit: usize) -> Option<&'t str> {
    let at = squashed.find(label)? + label.len();
    let rest = squashed.get(at..)?;
    let mut end = MINUTES_ENDS
        .iter()
        .filter_map(|l| rest.find(l))
        .min()
        .unwrap_or(rest.len())
        .min(limit);
    while !rest.is_char_boundary(end) {
        end -= 1;
    }
    rest.get(..end)
}

/// Results a "Beschluss:" line states about the procedure rather than the
/// matter: they win over the Abstimmungsergebnis, which then records the
/// vote on the procedure.
fn is_procedural(result: ConsultationResult) -> bool {
    matches!(
        result,
        ConsultationResult::Verwiesen
            | ConsultationResult::Vertagt
            | ConsultationResult::Zurueckgezogen
            | ConsultationResult::ZurKenntnisGenommen
    )
}

/// Labels of the items of an Abstimmungsergebnis that votes on several
/// things ("Vorlage 2014/0007: … Vorlage 2014/0025: …", "Beschlussvorlage:
/// … Ergänzungsantrag: …", "Änderungsantrag GRÜNE: …").
static VOTE_ITEM: LazyLock<Regex> = LazyLock::new(|| {
    constant(
        r"(?i)(?:unveränderte\s+)?(?:beschlussvorlage|vorlage|änderungsantr(?:ag|äge)|ergänzungsantr(?:ag|äge)|zusatzantr(?:ag|äge)|geschäftsordnungsantrag|antrag)\b[^:.]{0,60}:",
    )
});

/// Words of an item label that make it a vote on something else than the
/// paper itself: an amendment, a motion on procedure.
const OTHER_VOTES: &[&str] = &[
    "änderungsantr",
    "ergänzungsantr",
    "zusatzantr",
    "geschäftsordnungsantrag",
];

/// The part of an Abstimmungsergebnis about the paper `own` (its number):
/// the item labelled with that number; else the first item that states a
/// result and is not the vote on an amendment; else the first that is not
/// (text before any label is an item of its own); nothing when every item
/// is an amendment's. Without labels, the whole text.
fn own_vote<'t>(tally: &'t str, own: Option<&str>) -> &'t str {
    let labels: Vec<regex::Match<'t>> = VOTE_ITEM.find_iter(tally).collect();
    let Some(first) = labels.first() else {
        return tally;
    };
    let mut items: Vec<(&str, &str)> = Vec::new();
    if let Some(lead) = tally.get(..first.start()).filter(|t| !t.trim().is_empty()) {
        items.push(("", lead));
    }
    items.extend(labels.iter().enumerate().filter_map(|(i, m)| {
        let end = labels.get(i + 1).map_or(tally.len(), |n| n.start());
        Some((m.as_str(), tally.get(m.end()..end)?))
    }));
    if let Some(own) = own
        && let Some((_, text)) = items.iter().find(|(label, _)| label.contains(own))
    {
        return text;
    }
    let about_other = |label: &str| {
        let lower = label.to_lowercase();
        OTHER_VOTES.iter().any(|w| lower.contains(w))
    };
    let own_items: Vec<&str> = items
        .iter()
        .filter(|(label, _)| !about_other(label))
        .map(|(_, text)| *text)
        .collect();
    own_items
        .iter()
        .find(|text| result_in(text).is_some())
        .or(own_items.first())
        .copied()
        .unwrap_or("")
}

/// The decision a minutes excerpt states: "Beschluss: Verwiesen in den
/// Fachausschuss", "Abstimmungsergebnis: Mehrheitlich abgelehnt (6 Ja, 38
/// Nein)". A procedural Beschluss wins; else the Abstimmungsergebnis; else
/// the Beschluss. The votes come from the Abstimmungsergebnis.
///
/// `own` is the paper's number, which picks its item where the minutes
/// vote on several papers at once.
pub fn minutes(text: &str, own: Option<&str>) -> Option<Decision> {
    let squashed = squash(text);
    let resolved = after_label(&squashed, "Beschluss:", 160).and_then(decision_in);
    let tally = after_label(&squashed, "Abstimmungsergebnis:", 300).map(|t| own_vote(t, own));
    let counted = tally.and_then(decision_in);
    let votes = tally.and_then(votes_in);
    let mut decision = match (resolved, counted) {
        (Some(r), _) if is_procedural(r.result) => r,
        (_, Some(c)) => c,
        (Some(r), None) => r,
        (None, None) => return None,
    };
    if decision.votes.is_none() {
        decision.votes = votes;
    }
    Some(decision)
}

/// A press line's decision: the body, the session date (a date without a
/// year takes `year`) and what was decided.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PressLine {
    pub body: String,
    pub date: Option<NaiveDate>,
    pub decision: Decision,
}

/// The press line of one line of text, if it is one.
pub fn press_line(line: &str, year: Option<i32>) -> Option<PressLine> {
    let squashed = squash(line);
    if squashed.chars().count() > 200 {
        return None;
    }
    let c = PRESS_LINE.captures(&squashed)?;
    let body = c.name("body1").or_else(|| c.name("body2"))?.as_str();
    let written = c.name("date1").or_else(|| c.name("date2"))?.as_str();
    let date = if YEAR.is_match(written) {
        dates::first_date(written)
    } else {
        year.and_then(|y| dates::first_date(&format!("{} {y}", written.trim())))
    };
    let decision = decision_in(c.name("rest")?.as_str())?;
    Some(PressLine {
        body: capitalised(body),
        date,
        decision,
    })
}

fn capitalised(body: &str) -> String {
    let mut chars = body.chars();
    chars.next().map_or(String::new(), |first| {
        first.to_uppercase().chain(chars).collect()
    })
}

/// Puts a decision on a row: its result, referral and votes, unless the
/// row already has a result (what the paper's own table says stands).
pub fn set(row: &mut Consultation, decision: &Decision) {
    if row.result.is_some() {
        return;
    }
    row.result = Some(decision.result);
    row.referred_to.clone_from(&decision.referred_to);
    row.votes = decision.votes;
}

/// Puts the decision of minutes dated `session` on the consultation of
/// that session, else on the only dated one.
pub fn apply_minutes(consultations: &mut [Consultation], session: Option<NaiveDate>, d: &Decision) {
    if let Some(row) = minutes_row(consultations, session).and_then(|i| consultations.get_mut(i)) {
        set(row, d);
    }
}

/// The consultation minutes dated `session` decide: that session's, else
/// the only dated one.
fn minutes_row(consultations: &[Consultation], session: Option<NaiveDate>) -> Option<usize> {
    let dated: Vec<usize> = (0..consultations.len())
        .filter(|&i| consultations[i].date.is_some())
        .collect();
    session
        .and_then(|s| consultations.iter().position(|c| c.date == Some(s)))
        .or(match dated.as_slice() {
            [only] => Some(*only),
            _ => None,
        })
}

/// Puts a press line's decision on the row of its body and date (a row of
/// that body without a date, or with the same date); a session the
/// Beratungsfolge does not list becomes a row of its own, deciding.
/// Returns the row's index.
pub fn apply_press_line(consultations: &mut Vec<Consultation>, p: &PressLine) -> usize {
    let at = session_row(consultations, &p.body, p.date);
    if let Some(row) = consultations.get_mut(at) {
        set(row, &p.decision);
    }
    at
}

/// The row of `body`'s session on `date`: the first row of that body
/// without a date or with the same date (which takes the date), else a
/// new deciding row.
fn session_row(
    consultations: &mut Vec<Consultation>,
    body: &str,
    date: Option<NaiveDate>,
) -> usize {
    let lower = body.to_lowercase();
    let found = consultations.iter().position(|c| {
        c.body.to_lowercase().contains(&lower)
            && (c.date.is_none() || date.is_none() || c.date == date)
    });
    match found {
        Some(i) => {
            if let Some(row) = consultations.get_mut(i)
                && row.date.is_none()
            {
                row.date = date;
            }
            i
        }
        None => {
            consultations.push(Consultation {
                body: body.to_string(),
                date,
                public: None,
                role: ConsultationRole::Entscheidung,
                result: None,
                referred_to: None,
                votes: None,
            });
            consultations.len() - 1
        }
    }
}

/// What the words after a [`TALLIES`] opening must state, besides a
/// result, for the lines to count as the vote on the paper.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Needs {
    /// Nothing more: the label says it is the vote.
    Result,
    /// A vote: counts or a margin ("Ergebnis: mehrheitlich abgelehnt").
    Vote,
    /// The Ja and the Nein count ("Der Antrag wurde mit 24:23 Stimmen
    /// beschlossen"), since such a sentence may also tell of another vote.
    Counts,
}

/// How a web copy of a motion prints the vote on it at its very end, after
/// the Begründung: the opening of the line (case-insensitive regex) and
/// what its words must state. "Abstimmungsergebnis: 24 Ja, 23 Nein, 2
/// Enthaltungen", "Abstimmung: Ja: 11, Nein: 0, Enthaltungen: 0",
/// "Ergebnis: mehrheitlich abgelehnt", "Der Antrag wurde mit 25:10 Stimmen
/// angenommen." The label may stand alone with the vote on the next lines.
/// Words that also open other lines ("Ergebnis:") must prove a vote.
pub const TALLIES: &[(&str, Needs)] = &[
    (r"abstimmungsergebnis\s*:", Needs::Result),
    (r"abstimmung\s*:", Needs::Vote),
    (r"ergebnis\s*:", Needs::Vote),
    (r"der\s+(?:beschluss)?antrag\s+wurde\b", Needs::Counts),
];

/// How many non-empty lines at the end of a text a vote may take.
const TALLY_LINES: usize = 3;

/// The longest vote under a text, in characters: more is a paragraph of
/// the justification that happens to open with such a word.
const TALLY_CHARS: usize = 300;

static TALLY_OPENINGS: LazyLock<Vec<(Regex, Needs)>> = LazyLock::new(|| {
    TALLIES
        .iter()
        .map(|(src, needs)| {
            (
                constant(&format!(r"(?i)^(?:{src})\s*(?P<words>.*)$")),
                *needs,
            )
        })
        .collect()
});

/// The body a vote under a copy's text records when a press line names
/// none: a faction's copy reports the council's vote, and Chemnitz's
/// council is the Stadtrat.
const TALLY_BODY: &str = "Stadtrat";

/// A vote printed under a copy's text: where it stands and what it
/// decided.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tally {
    /// Its lines (indices into the lines read): none of the justification.
    pub lines: std::ops::Range<usize>,
    /// The session, where the vote names its date.
    pub date: Option<NaiveDate>,
    pub decision: Decision,
}

/// The vote printed at the end of `lines`, by [`TALLIES`]: the last line
/// that opens with a tally, among the last [`TALLY_LINES`] non-empty
/// ones, with the lines after it. Never inside a minutes excerpt
/// ("Beschluss:" … "Abstimmungsergebnis:"), which [`minutes`] reads.
/// `own` is the paper's number, which picks its item where the vote lists
/// several.
pub fn tally(lines: &[String], own: Option<&str>) -> Option<Tally> {
    let ends: Vec<usize> = (0..lines.len())
        .rev()
        .filter(|&i| !lines[i].trim().is_empty())
        .take(TALLY_LINES)
        .collect();
    let last = *ends.first()?;
    // Spans grow line by line from the end; once one is too long, so is
    // every later one. Counting the visible characters first spares the
    // long last paragraph of most papers a copy.
    let mut spans = ends.iter().map_while(|&start| {
        let joined = lines.get(start..=last)?.join(" ");
        let visible = joined.chars().filter(|c| !c.is_whitespace()).count();
        (visible <= TALLY_CHARS).then_some((start, joined))
    });
    let found = spans.find_map(|(start, joined)| {
        let text = squash(&joined);
        if text.chars().count() > TALLY_CHARS {
            return None;
        }
        let (words, needs) = TALLY_OPENINGS.iter().find_map(|(opening, needs)| {
            let words = opening.captures(&text)?.name("words")?.as_str().to_string();
            Some((words, *needs))
        })?;
        let decision = decision_in(own_vote(&words, own))?;
        let votes = decision.votes.unwrap_or_default();
        let proven = match needs {
            Needs::Result => true,
            Needs::Vote => !votes.is_empty(),
            Needs::Counts => votes.yes.is_some() && votes.no.is_some(),
        };
        proven.then(|| Tally {
            lines: start..last + 1,
            date: dates::first_date(&words),
            decision,
        })
    })?;
    let minutes = lines.iter().any(|l| l.contains("Beschluss:"));
    (!minutes).then_some(found)
}

/// Puts a vote under the text on its row: the press line's session where
/// one was read, else the council's session ([`TALLY_BODY`], on the
/// vote's date). A row that has a result keeps it and takes the counts it
/// lacks; a different result is named in a diagnostic.
fn apply_tally(
    consultations: &mut Vec<Consultation>,
    pressed: Option<usize>,
    t: &Tally,
    diagnostics: &mut Vec<String>,
) {
    let at = pressed.unwrap_or_else(|| session_row(consultations, TALLY_BODY, t.date));
    let Some(row) = consultations.get_mut(at) else {
        return;
    };
    let Some(kept) = row.result else {
        set(row, &t.decision);
        return;
    };
    if let Some(read) = t.decision.votes {
        let votes = row.votes.get_or_insert_with(Votes::default);
        votes.yes = votes.yes.or(read.yes);
        votes.no = votes.no.or(read.no);
        votes.abstentions = votes.abstentions.or(read.abstentions);
        votes.margin = votes.margin.or(read.margin);
    }
    if kept != t.decision.result {
        diagnostics.push(format!(
            "the vote under the text says \"{}\", the {} row \"{}\": the row's result is kept",
            t.decision.result.german(),
            row.body,
            kept.german()
        ));
    }
}

/// A decision whose words and counts disagree: more Ja than Nein but
/// "abgelehnt" (a qualified majority was needed), or the reverse. The
/// words' result stands; the diagnostic says so.
pub fn disagreement(d: &Decision) -> Option<String> {
    let votes = d.votes?;
    let by_counts = counted(votes)?;
    let adopts = |r: ConsultationResult| {
        matches!(
            r,
            ConsultationResult::Bestaetigt | ConsultationResult::MitAenderungen
        )
    };
    let decisive = adopts(d.result) || d.result == ConsultationResult::Abgelehnt;
    (decisive && adopts(by_counts) != adopts(d.result)).then(|| {
        format!(
            "the vote counts {} Ja and {} Nein but says \"{}\": the words' result is kept (a qualified majority, or a misprint)",
            votes.yes.unwrap_or_default(),
            votes.no.unwrap_or_default(),
            d.result.german()
        )
    })
}

/// Reads the decisions a paper's own text states — a minutes excerpt it
/// carries, press lines over a web copy, a vote under a copy's text —
/// onto its consultations, and returns what did not fit as diagnostics.
/// `year` dates a press line that names no year.
/// `own` is the paper's number, if it has one.
pub fn read_into(
    lines: &[String],
    consultations: &mut Vec<Consultation>,
    year: Option<i32>,
    own: Option<&str>,
) -> Vec<String> {
    let found = tally(lines, own);
    read_into_with(lines, consultations, year, own, found.as_ref())
}

/// [`read_into`] with the vote under the text already found by [`tally`]:
/// the parser needs it first, to keep its lines out of the justification.
pub fn read_into_with(
    lines: &[String],
    consultations: &mut Vec<Consultation>,
    year: Option<i32>,
    own: Option<&str>,
    found: Option<&Tally>,
) -> Vec<String> {
    let mut pressed = None;
    for line in lines {
        if let Some(p) = press_line(line, year) {
            pressed = Some(apply_press_line(consultations, &p));
        }
    }
    let text = lines.join("\n");
    let mut decided = false;
    if is_minutes(&text)
        && let Some(d) = minutes(&text, own)
    {
        let at = text
            .find("Beschluss:")
            .or_else(|| text.find("Abstimmungsergebnis:"));
        let session = minutes_session(&text, at.unwrap_or(0));
        if let Some(row) =
            minutes_row(consultations, session).and_then(|i| consultations.get_mut(i))
            && row.result.is_none()
        {
            set(row, &d);
            decided = true;
        }
    }
    let mut diagnostics = Vec::new();
    if let Some(t) = found {
        diagnostics.extend(disagreement(&t.decision));
        if !decided {
            apply_tally(consultations, pressed, t, &mut diagnostics);
        }
    }
    diagnostics
}

/// Whether a text carries a minutes excerpt: an "Abstimmungsergebnis:"
/// label, or a "Beschluss:" label next to a Niederschrift or Protokoll.
pub(crate) fn is_minutes(text: &str) -> bool {
    text.contains("Abstimmungsergebnis:")
        || (text.contains("Beschluss:")
            && ["Niederschrift", "Protokoll", "Sitzung vom"]
                .iter()
                .any(|w| text.contains(w)))
}

/// The session a minutes excerpt records: the last date written before
/// its Beschluss line ("Auszug aus der Niederschrift … vom 22.06.2021").
fn minutes_session(text: &str, before: usize) -> Option<NaiveDate> {
    let mut end = before.min(text.len());
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    let head = text.get(..end)?;
    let start = ["Niederschrift", "Protokoll", "Sitzung"]
        .iter()
        .filter_map(|w| head.rfind(w))
        .max()
        .unwrap_or(0);
    head.get(start..)
        .and_then(dates::first_date)
        .or_else(|| dates::first_date(head))
}

#[cfg(test)]
mod tests;
