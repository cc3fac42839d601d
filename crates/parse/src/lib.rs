//! Text to a record. Knows nothing about files, PDFs or other papers.
//!
//! [`parse`] takes the clean text of one document (as the extractor produces
//! it) and returns its [`Record`]: what kind of council paper it is — or that
//! it is none — and every field a careful reader takes out of it.
//!
//! **Architecture Invariant:** parsing never fails and never panics. What
//! cannot be read is left empty and named in `Record::diagnostics`, so one
//! odd paper never costs the others their records.
//!
//! The work is split by concern, each module with one job:
//! - [`sections`] cuts the text at its labels (Einreicher, Gegenstand, …);
//! - `classify` decides kind and number from the heading line and structure;
//! - `stamp` reads the receipt stamp, `submitters` the Einreicher,
//!   `consultations` the Beratungsfolge table, `signatory` the signature;
//! - `deadlines` finds the report requests of the decision proposal and
//!   dates them from the paper alone: a named period is due at its last day
//!   (seasons meteorologically: Frühjahr 31.05., Sommer 31.08., Herbst
//!   30.11., Winter Y or Y/Y+1 at the end of February Y+1); a span
//!   ("innerhalb von sechs Monaten") counts from the deciding session of the
//!   paper's own Beratungsfolge; "in der nächsten Sitzung" stays unresolved,
//!   its phrase kept;
//! - [`outcome`] reads what a body decided and how it voted, wherever the
//!   paper states it (result columns, a minutes excerpt, a press line);
//! - `mentions` lists the paper numbers the text mentions, with sentences;
//! - `listing` cuts a page that lists several papers (a faction's page of
//!   Ratsanfragen with the answers) into one part per paper, for
//!   [`parse_all`].
//!
//! ```
//! use ratsdoc_model::{Kind, Source, SourceFormat};
//! let text = "Beschlussantrag Nr. BA-7/2021\n\nEinreicher:\nSPD-Fraktion\n\nGegenstand:\nMehr Bänke im Park\n";
//! let source = Source { path: "a.txt".into(), format: SourceFormat::Txt, hash: "00".into(), pages: None, extractor: None, encoding: None };
//! let record = ratsdoc_parse::parse(text, source);
//! assert_eq!(record.id, "BA-007/2021");
//! assert_eq!(record.kind, Kind::Beschlussantrag);
//! assert_eq!(record.title, "Mehr Bänke im Park");
//! ```

mod answer;
mod classify;
mod consultations;
mod dates;
mod deadlines;
mod listing;
mod mentions;
pub mod outcome;
pub mod profile;
pub mod sections;
mod sentences;
mod signatory;
mod stamp;
mod submitters;
mod text;

use std::sync::LazyLock;

use chrono::{Datelike, NaiveDate};
use ratsdoc_model::{
    Consultation, ConsultationResult, ConsultationRole, Kind, PaperNumber, Record, Source,
};
use regex::Regex;

pub use crate::dates::first_date;
pub use crate::listing::parse_all;
pub use crate::profile::{DEFAULT_PROFILE, Profile, ProfileError};
pub use crate::submitters::kind_of as submitter_kind;

use crate::mentions::Place;
use crate::sections::{Doc, Label};
use crate::text::{is_rule, join_wrapped, paragraphs, squash};

static FORM_LABEL: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\([\p{L}\s/-]*\)").expect("constant pattern"));
/// A website's section heading over a copied paper: never its title.
static PAGE_CHROME: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^(?:aktuelle\s+)?(?:(?:beschluss|änderungs|ergänzungs)?(?:anträge|antraege)|beschlussantraege|(?:rats|informations)?anfragen|pressemitteilungen|aktuelles|startseite|news)$")
        .expect("constant pattern")
});
static STANDALONE_DATE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^\s*\d{1,2}\.\s?\d{1,2}\.\s?\d{4}\s*$").expect("constant pattern")
});

/// Reads one paper's clean text with the default (Chemnitz) council
/// profile. Never fails: what cannot be read is left empty and named in
/// `Record::diagnostics`.
pub fn parse(text: &str, source: Source) -> Record {
    parse_with(text, source, Profile::chemnitz())
}

/// Reads one paper's clean text as a paper of the council `profile`
/// describes. Never fails, like [`parse`].
pub fn parse_with(text: &str, source: Source, profile: &Profile) -> Record {
    let doc = Doc::new(text);
    let stamp = stamp::find(&doc, profile);
    let register = stamp.as_ref().and_then(|s| s.register);
    let class = classify::classify(&doc, &source.path, register, profile);
    if class.kind == Kind::Other {
        if let Some(answer) = answer::find(&doc, profile) {
            return answer_record(&doc, source, answer);
        }
        return other_record(&doc, source, class.other_reason);
    }
    let mut diagnostics = class.diagnostics.clone();
    let signature = signatory::find(&doc);
    let sig_line = signature.as_ref().map(|s| s.line);
    let own = class.number.map(|n| n.to_string());
    let tally = outcome::tally(&doc.lines, own.as_deref());
    let tally_lines = tally.as_ref().map(|t| t.lines.clone());

    // Lines of a section, without the signature line.
    let section_lines = |label: Label| -> Option<Vec<String>> {
        let s = doc.section(label)?;
        let mut out = Vec::new();
        if !s.rest.trim().is_empty() {
            out.push(s.rest.clone());
        }
        for i in s.body.clone() {
            // The signature, the "Chemnitz, <date>" line and a vote printed
            // under a web copy (a decision, read by `outcome`) are fields
            // of their own, not part of the section's text.
            if Some(i) != sig_line
                && !tally_lines.as_ref().is_some_and(|t| t.contains(&i))
                && !profile.paper_date.is_match(&doc.lines[i])
            {
                out.push(doc.lines[i].clone());
            }
        }
        Some(out)
    };
    let as_text = |lines: Option<Vec<String>>| -> Option<String> {
        let joined = paragraphs(&lines?).join("\n\n");
        (!joined.trim().is_empty()).then_some(joined)
    };

    let mut title = doc
        .content(Label::Subject)
        .map(|l| join_wrapped(l.iter().filter(|x| !is_rule(x)).map(String::as_str)))
        .unwrap_or_default();
    let mut copy_submitter = None;
    if title.is_empty() && class.heading_line.is_none() {
        (title, copy_submitter) = copy_head(&doc, profile);
    }
    if title.is_empty()
        && profile.title_after_number
        && let Some(reference) = &class.reference
    {
        title = title_after_reference(&doc, reference, profile);
    }
    if title.is_empty() {
        diagnostics.push("no subject (Gegenstand/Betreff) found".into());
    }

    let date = doc.lines.iter().find_map(|l| {
        profile
            .paper_date
            .captures(l)
            .and_then(|c| c.get(1))
            .and_then(|m| dates::first_date(m.as_str()))
    });

    let mut consultations = Vec::new();
    for s in &doc.sections {
        let presentation = match s.label {
            Label::Consultations => false,
            Label::Presentations => true,
            _ => continue,
        };
        let (rows, diags) =
            consultations::read(&s.rest, &doc.lines[s.body.clone()], presentation, profile);
        if rows.is_empty() {
            diagnostics.push(format!(
                "the {} table has no readable rows",
                if presentation {
                    "\"zur Kenntnis an\""
                } else {
                    "Beratungsfolge"
                }
            ));
        }
        consultations.extend(rows);
        diagnostics.extend(diags);
    }

    let received = stamp.as_ref().map(|s| s.received.clone());
    let received_date = received.as_ref().and_then(|r| r.date);
    let year = date
        .or(received_date)
        .map(|d| d.year())
        .or_else(|| class.number.map(|n| i32::from(n.year)));
    diagnostics.extend(outcome::read_into_with(
        &doc.lines,
        &mut consultations,
        year,
        own.as_deref(),
        tally.as_ref(),
    ));
    let session = consultations.iter().find_map(|c| c.date);
    let anchor = session.or(received_date).or(date);
    let decision = decision_date(&consultations);

    let term_date = date.or(received_date).or(session).or_else(|| {
        class
            .number
            .and_then(|n| NaiveDate::from_ymd_opt(i32::from(n.year), 7, 1))
    });
    let mut submitters = doc
        .content(Label::Submitters)
        .map(|l| submitters::read(&l, term_date, profile))
        .unwrap_or_default();
    if submitters.is_empty()
        && let Some(faction) = copy_submitter
    {
        submitters = submitters::read(&[faction], term_date, profile);
    }
    if submitters.is_empty() {
        diagnostics.push("no submitter (Einreicher) found".into());
    }

    let cost_coverage = doc.content(Label::CostCoverage).and_then(|l| {
        let t = join_wrapped(l.iter().map(String::as_str));
        // "(Produktuntergruppe)" alone is the empty form's field label.
        let without_labels = squash(&FORM_LABEL.replace_all(&t, " "));
        (without_labels.chars().any(char::is_alphanumeric)).then_some(t)
    });

    let proposal_lines = section_lines(Label::DecisionProposal);
    let (report_requests, deadline_diags) = match &proposal_lines {
        Some(lines) => deadlines::read(
            lines,
            deadlines::Anchors {
                session: anchor,
                decision,
            },
        ),
        None => (Vec::new(), Vec::new()),
    };
    diagnostics.extend(deadline_diags);
    let decision_proposal = as_text(proposal_lines);
    let justification = as_text(section_lines(Label::Justification));
    let body = as_text(section_lines(Label::Body));

    let mut exclude: Vec<PaperNumber> = class.number.into_iter().collect();
    exclude.extend(register);
    let (references, mentions) =
        mentions::collect(&blocks(&doc, class.heading_line, stamp.as_ref()), &exclude);

    let id = match (class.number, &class.reference) {
        (Some(n), _) => n.to_string(),
        (None, Some(reference)) => reference.clone(),
        (None, None) => format!("unnumbered-{}", short_hash(&source.hash)),
    };
    Record {
        id,
        kind: class.kind,
        other_reason: None,
        title,
        date,
        submitters,
        received,
        consultations,
        cost_coverage,
        decision_proposal,
        justification,
        body,
        signatory: signature.map(|s| s.signatory),
        report_requests,
        references,
        mentions,
        source,
        other_sources: Vec::new(),
        diagnostics,
        paper_type: None,
        ris: None,
        files: Vec::new(),
        ris_relations: Vec::new(),
    }
}

static TITLE_SKIP: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^(?:\d+(?:\.\d+)*|(?:nicht\s*)?öffentlich|[\p{L}.-]+:.*|vorlage\s+nr\.?:?)$")
        .expect("constant pattern")
});

/// The title of a paper without a Betreff label: the lines after the
/// reference, past the header's short values (TOP, "öffentlich",
/// "Eingang: …"), up to a blank line or a line the profile's
/// `title_ends` names (the table, a list); at most three.
fn title_after_reference(doc: &Doc, reference: &str, profile: &Profile) -> String {
    let top = doc.lines.len().min(profile.number_window);
    let Some(at) = (0..top).find(|&i| doc.lines[i].contains(reference)) else {
        return String::new();
    };
    let mut lines = doc.lines[at + 1..]
        .iter()
        .map(|l| squash(l))
        .skip_while(|l| l.is_empty() || TITLE_SKIP.is_match(l));
    let mut title: Vec<String> = Vec::new();
    for l in lines.by_ref().take(3) {
        if l.is_empty()
            || profile
                .title_end
                .as_ref()
                .is_some_and(|end| end.is_match(&l))
        {
            break;
        }
        title.push(l);
    }
    join_wrapped(title.iter().map(String::as_str))
}

/// The title of a paper copied without its heading: the first line of the
/// header zone that is no press line ("Vorlage: BA-024/2021 – Am 02. Juni
/// im Stadtrat beschlossen!", a decision, not the subject), no heading of
/// the website's section ("Aktuelle Beschlussanträge") and no group's name,
/// if it is no sentence. The first group named above the title submitted
/// the copy ("CDU-Ratsfraktion" over the title, no Antragsteller label).
fn copy_head(doc: &Doc, profile: &Profile) -> (String, Option<String>) {
    let mut faction = None;
    let title = doc.lines[..doc.first_label_line()]
        .iter()
        .map(|l| squash(l))
        .filter(|l| !l.is_empty() && !PAGE_CHROME.is_match(l))
        .find(|l| {
            if faction.is_none() && submitters::names_a_group(l, profile) {
                faction = Some(l.clone());
                return false;
            }
            outcome::press_line(l, None).is_none()
        })
        .filter(|l| l.chars().count() <= 150 && !l.ends_with('.'))
        .unwrap_or_default();
    (title, faction)
}

/// The date the paper is decided on: the last deciding row of its own
/// Beratungsfolge with a date, unless that row records the paper as
/// postponed or withdrawn (then the decision is on a date the paper does
/// not know). Never an advising row: a span counted from a committee's
/// earlier session would make the report due too early.
fn decision_date(consultations: &[Consultation]) -> Option<NaiveDate> {
    let deciding = consultations
        .iter()
        .rev()
        .find(|c| c.role == ConsultationRole::Entscheidung && c.date.is_some())?;
    match deciding.result {
        Some(ConsultationResult::Vertagt | ConsultationResult::Zurueckgezogen) => None,
        _ => deciding.date,
    }
}

/// The first 16 characters of the content hash, for ids of documents
/// without a number.
fn short_hash(hash: &str) -> String {
    hash.chars().take(16).collect()
}

/// The paper's text in blocks with their place, for the mention list.
fn blocks(
    doc: &Doc,
    heading: Option<usize>,
    stamp: Option<&stamp::Stamp>,
) -> Vec<(Place, Vec<String>)> {
    let main = if doc.section(Label::Body).is_some() {
        Label::Body
    } else {
        Label::Justification
    };
    let mut out: Vec<(Place, Vec<String>)> = Vec::new();
    let zone: Vec<String> = (0..doc.first_label_line())
        .filter(|i| Some(*i) != heading && !stamp.is_some_and(|s| s.lines.contains(i)))
        .map(|i| doc.lines[i].clone())
        .collect();
    if let Some(h) = heading {
        out.push((Place::Title, vec![doc.lines[h].clone()]));
    }
    out.push((Place::Text, zone));
    let mut main_seen = false;
    for s in &doc.sections {
        let mut lines = vec![s.rest.clone()];
        lines.extend(doc.lines[s.body.clone()].iter().cloned());
        let place = if s.label == Label::Subject {
            Place::Title
        } else if s.label == main && !main_seen {
            main_seen = true;
            Place::Body
        } else {
            Place::Text
        };
        out.push((place, lines));
    }
    out
}

/// An Anfrage published with the city's answer: question and answer as
/// body, the answer's date and signatory.
fn answer_record(doc: &Doc, source: Source, answer: answer::Answer) -> Record {
    let id = answer.number.to_string();
    let (references, mentions) =
        mentions::collect(&[(Place::Text, doc.lines.clone())], &[answer.number]);
    Record {
        date: answer.date,
        body: answer.body,
        signatory: answer.signatory,
        submitters: answer.asker.into_iter().collect(),
        references,
        mentions,
        ..Record::new(id, Kind::Anfrage, answer.title, source)
    }
}

/// A document that is not a council paper: its whole text as body, a
/// best-effort title, and the numbers it quotes.
fn other_record(doc: &Doc, source: Source, reason: Option<String>) -> Record {
    let body_text = doc.lines.join("\n").trim().to_string();
    let (references, mentions) = mentions::collect(&[(Place::Text, doc.lines.clone())], &[]);
    let id = format!("other-{}", short_hash(&source.hash));
    Record {
        other_reason: reason,
        body: (!body_text.is_empty()).then_some(body_text),
        references,
        mentions,
        ..Record::new(id, Kind::Other, other_title(doc), source)
    }
}

/// A headline for a non-paper: the line after a standalone date (press
/// releases), else the first short line that is not a sentence, else the
/// first sentence.
fn other_title(doc: &Doc) -> String {
    let lines: Vec<String> = doc
        .lines
        .iter()
        .map(|l| squash(l))
        .filter(|l| !l.is_empty())
        .collect();
    let head = &lines[..lines.len().min(25)];
    if let Some(i) = head.iter().position(|l| STANDALONE_DATE.is_match(l))
        && let Some(next) = lines.get(i + 1)
        && next.split_whitespace().count() >= 3
        && next.chars().count() <= 200
    {
        return next.clone();
    }
    let short = head.iter().find(|l| {
        l.split_whitespace().count() >= 4
            && l.chars().count() <= 150
            && !l.ends_with(['.', ':', ','])
            && !l.contains('@')
            && !l.contains("www.")
    });
    if let Some(s) = short {
        return s.clone();
    }
    let first = lines
        .first()
        .and_then(|l| sentences::split(l).into_iter().next())
        .unwrap_or_default();
    first.chars().take(150).collect()
}
