//! Listing pages: one document that lists several council papers one after
//! another, such as a faction's category page of Ratsanfragen with the
//! city's answers, a page of teasers ("Schachturnier (RA-148/2018)" …
//! "Weiterlesen"), or a page of questions each closed by the link to its
//! answer's file.
//!
//! [`parse_all`] finds the lines that bound the items (the shapes are one
//! table, `listing/table.rs`), cuts the page into one part per item and
//! reads each part on its own, so each record holds its own part of the
//! page and never a neighbour's. A page is a listing only when all of this
//! holds, because a false split would lose a real paper:
//! - its boundary lines name at least two different papers of the
//!   council's registers;
//! - the page as a whole is no paper by heading or structure (a
//!   Beschlussvorlage whose text lists "BA-044/2020: Title" lines, a
//!   motion with its Beratungsfolge), no minutes excerpt and no press
//!   release;
//! - every part reads as the paper its boundary names: [`parse_with`] on
//!   the part gives a paper of that number, or the part asks the questions
//!   of an Anfrage of a register whose answers the profile's `[answers]`
//!   names (see below).
//!
//! Otherwise the page is one document and gives exactly `parse_with`'s
//! record.
//!
//! A page is read one way: first with the boundaries that open an item
//! (headings, teasers), where what stands before the first item is page
//! furniture; if that gives no listing, with those that close one (the
//! link under a question), where an item starts after the last year
//! heading, intro line or "Weiterlesen" before it, or at its "Anfrage:
//! Title" line.
//!
//! A listed Anfrage whose part shows the questions but not the answer (a
//! teaser, or questions above the link to the answer's file) is still the
//! paper the page names: it becomes an Anfrage record with the number of
//! its boundary, the kind of its register, the title of its boundary line
//! (or of its "Anfrage: …" line), the questions as body, the date of a
//! "vom …" line, and a diagnostic saying the answer is not in the text. A
//! part that holds only a title, with no question, is no paper, and the
//! page stays one record.

mod table;
#[cfg(test)]
mod tests;

use std::sync::LazyLock;

use chrono::NaiveDate;
use ratsdoc_model::{Kind, PaperNumber, Record, Source};
use regex::Regex;

use crate::mentions::{self, Place};
use crate::profile::{AnswerRules, Profile};
use crate::sections::Doc;
use crate::text::{clean_line, paragraphs, squash};
use crate::{classify, dates, deadlines, outcome, parse_with, stamp};

use table::{
    ASKING, BOUNDARIES, BULLET, DANGLING, EDGES, Edge, NO_SUBJECT, NUMBER, PROPOSING, Side,
};

/// How many non-empty lines from the top a press marker makes the page a
/// press release (as in `classify`).
const PRESS_LINES: usize = 15;

fn compile(pattern: &str) -> Regex {
    let source = pattern.replace("{N}", NUMBER).replace("{BULLET}", BULLET);
    Regex::new(&source).expect("constant pattern")
}

/// Any paper number: a line without one bounds no item, and most lines
/// of a paper have none, so this one search spares the shapes' patterns.
static ANY_NUMBER: LazyLock<Regex> = LazyLock::new(|| compile("{N}"));
static SHAPES: LazyLock<Vec<(Side, Regex)>> = LazyLock::new(|| {
    BOUNDARIES
        .iter()
        .map(|b| (b.side, compile(b.pattern)))
        .collect()
});
static EDGE_LINES: LazyLock<Vec<(Edge, Regex)>> =
    LazyLock::new(|| EDGES.iter().map(|(e, p)| (*e, compile(p))).collect());
static ASKS: LazyLock<Regex> = LazyLock::new(|| compile(ASKING));
static PROPOSES: LazyLock<Regex> = LazyLock::new(|| compile(PROPOSING));
static SAYS_NO_SUBJECT: LazyLock<Regex> = LazyLock::new(|| compile(NO_SUBJECT));
static DANGLING_LINE: LazyLock<Regex> = LazyLock::new(|| compile(DANGLING));
static LEADING_BULLET: LazyLock<Regex> = LazyLock::new(|| compile(r"^\s*{BULLET}"));
static ANSWER_WORD: LazyLock<Regex> =
    LazyLock::new(|| compile(r"(?i)^antwort\b[\s:_–—-]*(?:auf\s+|zu\s+|zur\s+)?"));

/// Reads a document that may hold several papers: a listing page gives one
/// record per paper it lists, each from its own part of the text, in the
/// order they stand; any other document gives exactly `parse_with`'s record.
pub fn parse_all(text: &str, source: Source, profile: &Profile) -> Vec<Record> {
    match listing(text, &source, profile) {
        Some(records) => records,
        None => vec![parse_with(text, source, profile)],
    }
}

/// A line that bounds an item.
#[derive(Debug, Clone)]
struct Mark {
    line: usize,
    number: PaperNumber,
    side: Side,
    /// The title the line carries, cleaned; empty if none.
    title: String,
}

/// One paper's part of the page.
#[derive(Debug, Clone)]
struct Item {
    number: PaperNumber,
    /// Its first line.
    head: usize,
    /// The part's lines, in page order, from its head on.
    lines: Vec<usize>,
    /// Its boundary lines (a repeated heading, an Anlage's link).
    marks: Vec<usize>,
    /// Whether the head is an opening boundary (its bullet is dropped).
    opened: bool,
    /// The title of its boundary or "Anfrage: …" line.
    title: String,
}

/// The records of a listing page, or `None` if the page is one document.
fn listing(text: &str, source: &Source, profile: &Profile) -> Option<Vec<Record>> {
    // Most documents have no boundary line: find the marks before cleaning
    // every line.
    let marks: Vec<Mark> = text
        .lines()
        .enumerate()
        .filter(|(_, l)| may_bound(l))
        .filter_map(|(i, l)| mark(i, &clean_line(l), profile))
        .collect();
    if distinct(marks.iter().map(|m| m.number)) < 2 || is_one_paper(text, &source.path, profile) {
        return None;
    }
    let lines: Vec<String> = text.lines().map(clean_line).collect();
    let opening = cut_opening(&lines, &marks);
    records(&opening, &lines, source, profile).or_else(|| {
        let closing = cut_closing(&lines, &marks, profile);
        records(&closing, &lines, source, profile)
    })
}

/// How many different numbers there are.
fn distinct(numbers: impl Iterator<Item = PaperNumber>) -> usize {
    let mut seen: Vec<PaperNumber> = numbers.collect();
    seen.sort_unstable();
    seen.dedup();
    seen.len()
}

/// Whether the whole page is one paper by its heading or structure, a
/// minutes excerpt or a press release: then the numbers it lists are
/// mentions or agenda items.
fn is_one_paper(text: &str, path: &str, profile: &Profile) -> bool {
    if outcome::is_minutes(text) {
        return true;
    }
    let doc = Doc::new(text);
    let press = doc
        .lines
        .iter()
        .filter(|l| !l.trim().is_empty())
        .take(PRESS_LINES)
        .any(|l| classify::is_press_marker(l));
    let register = stamp::find(&doc, profile).and_then(|s| s.register);
    press || classify::classify(&doc, path, register, profile).kind != Kind::Other
}

/// Whether a line may bound an item: it holds a paper number.
fn may_bound(line: &str) -> bool {
    PaperNumber::may_occur_in(line) && ANY_NUMBER.is_match(line)
}

/// The boundary `line` is, if any: the first shape that matches, with a
/// number of one of the council's registers.
fn mark(at: usize, line: &str, profile: &Profile) -> Option<Mark> {
    let t = without_lead(line.trim(), profile);
    let (side, caps) = SHAPES
        .iter()
        .find_map(|(side, re)| re.captures(t).map(|c| (*side, c)))?;
    let found = PaperNumber::find_all(caps.name("number")?.as_str());
    let [(number, _)] = found.as_slice() else {
        return None;
    };
    profile.knows_number(number).then(|| Mark {
        line: at,
        number: *number,
        side,
        title: caps
            .name("title")
            .map_or(String::new(), |m| clean_title(m.as_str())),
    })
}

/// A line without what the profile's `[answers]` lets lead an answer's
/// number ("Ihre Anfrage RA-185/2025 – …"), so that it reads as the
/// heading it is.
fn without_lead<'l>(line: &'l str, profile: &Profile) -> &'l str {
    let lead = profile.answers.as_ref().and_then(|r| r.lead.find(line));
    lead.map_or(line, |m| &line[m.end()..])
}

/// A title as a boundary line carries it: file-name underscores as
/// spaces, without separators or a leading "Antwort".
fn clean_title(raw: &str) -> String {
    let spaced = squash(&raw.replace('_', " "));
    let trimmed = spaced.trim_matches([':', '–', '—', '-', ' ']);
    let without = ANSWER_WORD.replace(trimmed, "");
    without.trim_matches([':', '–', '—', '-', ' ']).to_string()
}

/// The edge a line is, if any.
fn edge(line: &str) -> Option<Edge> {
    let t = line.trim();
    EDGE_LINES
        .iter()
        .find(|(_, re)| re.is_match(t))
        .map(|(e, _)| *e)
}

/// The items as opening boundaries cut them: each from its boundary to the
/// next item's, or to its "Weiterlesen"; a boundary with the number of the
/// item before it (a heading repeated as the body's first line) is part of
/// that item.
fn cut_opening(lines: &[String], marks: &[Mark]) -> Vec<Item> {
    let mut items: Vec<Item> = Vec::new();
    for m in marks.iter().filter(|m| m.side == Side::Opens) {
        match items.last_mut() {
            Some(last) if last.number == m.number => last.marks.push(m.line),
            _ => items.push(Item {
                number: m.number,
                head: m.line,
                lines: Vec::new(),
                marks: vec![m.line],
                opened: true,
                title: m.title.clone(),
            }),
        }
    }
    let heads: Vec<usize> = items.iter().map(|i| i.head).collect();
    for (k, item) in items.iter_mut().enumerate() {
        let end = heads.get(k + 1).copied().unwrap_or(lines.len());
        item.lines = opened_span(lines, item.head, end, &item.marks);
    }
    items
}

/// The lines of an opened item from its head up to `end`: without its
/// repeated boundaries, up to its "Weiterlesen", without trailing blank
/// lines and page furniture.
fn opened_span(lines: &[String], head: usize, end: usize, marks: &[usize]) -> Vec<usize> {
    let mut out = vec![head];
    for (i, line) in lines.iter().enumerate().take(end).skip(head + 1) {
        if marks.contains(&i) {
            continue;
        }
        out.push(i);
        if edge(line) == Some(Edge::End) {
            break;
        }
    }
    let furniture = |i: usize| {
        lines
            .get(i)
            .is_none_or(|l| l.trim().is_empty() || edge(l) == Some(Edge::Separator))
    };
    while out.len() > 1 && out.last().is_some_and(|&last| furniture(last)) {
        out.pop();
    }
    out
}

/// The items as closing boundaries cut them: each from after the item
/// before (past page furniture, or at its "Anfrage: Title" line) to its
/// boundary; an Anlage's link or a second link of the same number right
/// after it joins it.
fn cut_closing(lines: &[String], marks: &[Mark], profile: &Profile) -> Vec<Item> {
    let mut items: Vec<Item> = Vec::new();
    let mut from = 0;
    for m in marks.iter().filter(|m| m.side != Side::Opens) {
        if let Some(last) = items.last_mut()
            && last.number == m.number
            && lines
                .get(from..m.line)
                .is_some_and(|between| between.iter().all(|l| l.trim().is_empty()))
        {
            last.lines.extend(from..=m.line);
            last.marks.push(m.line);
            from = m.line + 1;
            continue;
        }
        if m.side == Side::Attaches {
            // Above its item's link: a line of that item's text.
            continue;
        }
        let (start, lead) = closed_start(lines, from, m.line, profile);
        items.push(Item {
            number: m.number,
            head: start,
            lines: (start..=m.line).collect(),
            marks: vec![m.line],
            opened: false,
            title: lead.unwrap_or_else(|| m.title.clone()),
        });
        from = m.line + 1;
    }
    items
}

/// Where a closed item starts between `from` and its boundary `to`: after
/// the last page furniture or "Weiterlesen", or at the last "Anfrage:
/// Title" line (whose title it returns).
fn closed_start(
    lines: &[String],
    from: usize,
    to: usize,
    profile: &Profile,
) -> (usize, Option<String>) {
    let mut start = from;
    let mut lead = None;
    for (i, line) in lines.iter().enumerate().take(to).skip(from) {
        if edge(line).is_some() {
            start = i + 1;
            lead = None;
        } else if let Some(title) = lead_title(line, profile) {
            start = i;
            lead = Some(title);
        }
    }
    (start, lead)
}

/// The title of an "Anfrage: Title" line (any of the profile's heading
/// words, then a colon or dash and the title).
fn lead_title(line: &str, profile: &Profile) -> Option<String> {
    let t = squash(line);
    let caps = profile.heading.captures(&t)?;
    let rest = caps.get(2)?.as_str().trim();
    let title = rest.strip_prefix([':', '–', '—', '-'])?.trim();
    let short = !title.is_empty() && title.chars().count() <= 150;
    short.then(|| title.to_string())
}

/// The records of the items if they make a listing: at least two
/// different numbers and every item a paper of its number.
fn records(
    items: &[Item],
    lines: &[String],
    source: &Source,
    profile: &Profile,
) -> Option<Vec<Record>> {
    if distinct(items.iter().map(|i| i.number)) < 2 {
        return None;
    }
    let count = items.len();
    items
        .iter()
        .enumerate()
        .map(|(k, item)| {
            let mut record = item_record(item, lines, source, profile)?;
            record.diagnostics.push(format!(
                "one of {count} papers listed on this page (the {})",
                ordinal(k + 1)
            ));
            Some(record)
        })
        .collect()
}

/// The record of one item, if its part is the paper its boundary names.
fn item_record(
    item: &Item,
    lines: &[String],
    source: &Source,
    profile: &Profile,
) -> Option<Record> {
    let record = parse_with(&item_text(item, lines), source.clone(), profile);
    match record.kind {
        Kind::Other => question_record(item, lines, source, profile)
            .or_else(|| proposal_record(item, lines, source, profile)),
        _ => (record.id == item.number.to_string()).then_some(record),
    }
}

/// The item's part of the page as text; an opening boundary without its
/// bullet, so that it reads as the heading it is.
fn item_text(item: &Item, lines: &[String]) -> String {
    let mut out = String::new();
    for &i in &item.lines {
        let Some(line) = lines.get(i) else {
            continue;
        };
        if i == item.head && item.opened {
            out.push_str(&LEADING_BULLET.replace(line, ""));
        } else {
            out.push_str(line);
        }
        out.push('\n');
    }
    out
}

/// A listed Anfrage whose part asks its questions but holds no answer the
/// answer reader knows: number, kind of its register, title and questions
/// from the page.
fn question_record(
    item: &Item,
    lines: &[String],
    source: &Source,
    profile: &Profile,
) -> Option<Record> {
    let rules = profile.answers.as_ref()?;
    if !rules.registers.contains(&item.number.prefix) {
        return None;
    }
    let kind = profile.kind_of_prefix(item.number.prefix)?;
    let body_lines = own_lines(item, lines, profile);
    // A teaser may quote the question's first words without its question
    // mark; any line of its own besides the date line still makes it the
    // Anfrage its number names. A bare title and date do not.
    let says = |l: &String| {
        let line = squash(l);
        !line.is_empty() && !rules.dated.is_match(&line)
    };
    if !body_lines
        .iter()
        .any(|l| ASKS.is_match(l.trim()) || says(l))
    {
        return None;
    }
    let date = listed_date(&body_lines, rules);
    let (references, mentions) =
        mentions::collect(&[(Place::Text, body_lines.clone())], &[item.number]);
    let body = paragraphs(&body_lines).join("\n\n");
    let mut diagnostics = Vec::new();
    if !rules.opening.is_match(&body) {
        diagnostics.push(
            "the page shows the questions but not the answer (it may be in a linked file)".into(),
        );
    }
    if item.title.is_empty() {
        diagnostics.push("the page names no title for this paper".into());
    }
    Some(Record {
        date,
        body: (!body.trim().is_empty()).then_some(body),
        references,
        mentions,
        diagnostics,
        ..Record::new(
            item.number.to_string(),
            kind,
            item.title.clone(),
            source.clone(),
        )
    })
}

/// A listed motion whose part is its decision proposal, closed by the link
/// to its file ("BA_069_2024_…PDF-Datei (36 KB)"): number and kind from the
/// link, the part as the proposal with the report requests it makes.
fn proposal_record(
    item: &Item,
    lines: &[String],
    source: &Source,
    profile: &Profile,
) -> Option<Record> {
    let kind = profile.kind_of_prefix(item.number.prefix)?;
    if item.opened || !matches!(kind, Kind::Beschlussantrag | Kind::Aenderungsantrag) {
        return None;
    }
    let proposal = own_lines(item, lines, profile);
    if !proposal.iter().any(|l| PROPOSES.is_match(l)) {
        return None;
    }
    let (report_requests, mut diagnostics) =
        deadlines::read(&proposal, deadlines::Anchors::default());
    let (references, mentions) =
        mentions::collect(&[(Place::Text, proposal.clone())], &[item.number]);
    let title = if SAYS_NO_SUBJECT.is_match(&item.title) {
        diagnostics.push("the page names no title for this paper".into());
        String::new()
    } else {
        item.title.clone()
    };
    diagnostics
        .push("the page shows the decision proposal only (the motion is in a linked file)".into());
    let text = paragraphs(&proposal).join("\n\n");
    Some(Record {
        decision_proposal: (!text.trim().is_empty()).then_some(text),
        report_requests,
        references,
        mentions,
        diagnostics,
        ..Record::new(item.number.to_string(), kind, title, source.clone())
    })
}

/// The date of the first line the profile's `[answers]` calls a date
/// line ("vom 6. März 2018").
fn listed_date(lines: &[String], rules: &AnswerRules) -> Option<NaiveDate> {
    lines
        .iter()
        .find_map(|l| dates::first_date(rules.dated_text(&squash(l))?))
}

/// The lines of an item that are its own text (its questions, or its
/// decision proposal): without its boundaries, its "Anfrage: Title" line,
/// lone labels ("Antwort:") and "Weiterlesen".
fn own_lines(item: &Item, lines: &[String], profile: &Profile) -> Vec<String> {
    item.lines
        .iter()
        .filter(|i| !item.marks.contains(i))
        .filter_map(|&i| lines.get(i))
        .filter(|l| !DANGLING_LINE.is_match(l.trim()) && lead_title(l, profile).is_none())
        .map(|l| strip_end(l))
        .collect()
}

/// A line without its "Weiterlesen" marker.
fn strip_end(line: &str) -> String {
    match EDGE_LINES
        .iter()
        .find(|(e, re)| *e == Edge::End && re.is_match(line.trim()))
    {
        Some((_, re)) => re.replace(line.trim(), "").trim_end().to_string(),
        None => line.to_string(),
    }
}

/// "1st", "2nd", "3rd", "4th", "11th", "21st", ….
fn ordinal(n: usize) -> String {
    let suffix = match (n % 10, n % 100) {
        (_, 11..=13) => "th",
        (1, _) => "st",
        (2, _) => "nd",
        (3, _) => "rd",
        _ => "th",
    };
    format!("{n}{suffix}")
}
