//! The index schema: which field holds what, and how a record becomes one
//! tantivy document.
//!
//! Exact text goes to fields analysed by [`analysis::DE`]; the same text goes
//! again to `*_parts` fields analysed by [`analysis::DE_PARTS`], which hold
//! the parts of compounds and are boosted lower at query time. Paper numbers
//! are raw terms in canonical spelling, so the query side only has to
//! canonicalise what the user typed. What a hit shows is stored.

use std::borrow::Cow;

use chrono::{Datelike, NaiveDate};
use ratsdoc_model::{ConsultationResult, Kind, PaperNumber, Record, StatusKind};
use tantivy::schema::{
    DateOptions, FAST, Facet, FacetOptions, Field, INDEXED, IndexRecordOption, STORED, STRING,
    Schema, TextFieldIndexing, TextOptions,
};
use tantivy::{DateTime, TantivyDocument};
use unicode_normalization::{IsNormalized, UnicodeNormalization, is_nfc_quick};

use crate::IndexDoc;
use crate::analysis;

/// Handles to every field, resolved once per opened index.
#[derive(Debug, Clone, Copy)]
pub struct Fields {
    /// The record id, raw: the term updates and deletes go by.
    pub id: Field,
    /// The paper's own number, canonical (`BA-044/2020`) and as `044/2020`.
    pub number: Field,
    /// Numbers the paper mentions, and the register number of its receipt
    /// stamp: a search for a number finds these papers below the paper itself.
    pub refs: Field,
    /// `beschlussantrag`, …, raw and stored.
    pub kind: Field,
    pub title: Field,
    pub title_parts: Field,
    /// All sections of the paper, concatenated; stored for snippets.
    pub body: Field,
    pub body_parts: Field,
    /// Display names of the submitters (group, else name), stored.
    pub submitters: Field,
    /// Group and written name of every submitter, lower-cased, for filters.
    pub submitter_key: Field,
    /// Consultation bodies, signatory, report phrases, receiving office.
    pub meta: Field,
    /// The paper's effective date (fast, for sorting and ranges).
    pub date: Field,
    pub kind_facet: Field,
    pub submitter_facet: Field,
    pub year_facet: Field,
    /// Report status of a motion, raw and stored.
    pub status: Field,
    /// What became of the paper: the result of its consultations as
    /// [`ratsdoc_model::outcome`] picks it (`abgelehnt`, …), raw and stored.
    pub result: Field,
    /// 1 for a council paper, 0 for a document that is none (fast): ranking
    /// puts press releases and news below papers that match as well.
    pub paper: Field,
    /// [`kind_code`] of the kind (fast): the kind facet counts read it, one
    /// plain column value per match, cheaper than a facet column.
    pub kind_code: Field,
    /// The paper's year, 0 without a date (fast), for the year facet counts.
    pub year: Field,
}

/// Builds the schema; the field names are part of the on-disk format.
pub fn build_schema() -> Schema {
    let mut b = Schema::builder();
    let text = |analyzer: &str, stored: bool| {
        let indexing = TextFieldIndexing::default()
            .set_tokenizer(analyzer)
            .set_index_option(IndexRecordOption::WithFreqsAndPositions);
        let options = TextOptions::default().set_indexing_options(indexing);
        if stored {
            options.set_stored()
        } else {
            options
        }
    };
    let key = TextOptions::default().set_indexing_options(
        TextFieldIndexing::default()
            .set_tokenizer(analysis::KEY)
            .set_index_option(IndexRecordOption::Basic),
    );
    b.add_text_field("id", STRING | STORED);
    b.add_text_field("number", STRING);
    b.add_text_field("refs", STRING);
    b.add_text_field("kind", STRING | STORED);
    b.add_text_field("title", text(analysis::DE, true));
    b.add_text_field("title_parts", text(analysis::DE_PARTS, false));
    b.add_text_field("body", text(analysis::DE, true));
    b.add_text_field("body_parts", text(analysis::DE_PARTS, false));
    b.add_text_field("submitters", text(analysis::DE, true));
    b.add_text_field("submitter_key", key);
    b.add_text_field("meta", text(analysis::DE, false));
    b.add_date_field("date", DateOptions::from(INDEXED).set_stored().set_fast());
    b.add_facet_field("kind_facet", FacetOptions::default());
    b.add_facet_field("submitter_facet", FacetOptions::default());
    b.add_facet_field("year_facet", FacetOptions::default());
    b.add_text_field("status", STRING | STORED);
    b.add_text_field("result", STRING | STORED);
    b.add_u64_field("paper", FAST);
    b.add_u64_field("kind_code", FAST);
    b.add_u64_field("year", FAST);
    b.build()
}

impl Fields {
    /// Resolves the fields of `schema`; fails for an index of another layout.
    pub fn resolve(schema: &Schema) -> tantivy::Result<Fields> {
        let f = |name: &str| schema.get_field(name);
        Ok(Fields {
            id: f("id")?,
            number: f("number")?,
            refs: f("refs")?,
            kind: f("kind")?,
            title: f("title")?,
            title_parts: f("title_parts")?,
            body: f("body")?,
            body_parts: f("body_parts")?,
            submitters: f("submitters")?,
            submitter_key: f("submitter_key")?,
            meta: f("meta")?,
            date: f("date")?,
            kind_facet: f("kind_facet")?,
            submitter_facet: f("submitter_facet")?,
            year_facet: f("year_facet")?,
            status: f("status")?,
            result: f("result")?,
            paper: f("paper")?,
            kind_code: f("kind_code")?,
            year: f("year")?,
        })
    }

    /// The tantivy document of one record. Overlong text is cut (see
    /// [`MAX_INDEXED_BODY`]); the record itself keeps all of it.
    pub fn document(&self, doc: &IndexDoc<'_>) -> TantivyDocument {
        let r = doc.record;
        let mut d = TantivyDocument::default();
        d.add_text(self.id, &r.id);
        if let Ok(n) = r.id.parse::<PaperNumber>() {
            for key in number_keys(&n) {
                d.add_text(self.number, key);
            }
        } else if r.ris.is_some() {
            // A synced paper's reference, as its RIS prints it.
            d.add_text(self.number, &r.id);
        }
        for reference in &r.references {
            if let Ok(n) = reference.parse::<PaperNumber>() {
                d.add_text(self.refs, n.to_string());
            }
        }
        if let Some(register) = r.received.as_ref().and_then(|x| x.register.as_deref())
            && let Ok(n) = register.parse::<PaperNumber>()
        {
            d.add_text(self.refs, n.to_string());
        }
        d.add_text(self.kind, r.kind.as_str());
        d.add_facet(self.kind_facet, Facet::from_path([r.kind.as_str()]));

        let title = nfc(cap(&r.title, MAX_INDEXED_TITLE));
        d.add_text(self.title, &title);
        d.add_text(self.title_parts, &title);
        let body = body_text(r);
        let body = nfc(cap(&body, MAX_INDEXED_BODY));
        d.add_text(self.body, &body);
        d.add_text(self.body_parts, &body);

        for name in submitter_names(r) {
            d.add_text(self.submitters, &name);
            d.add_facet(self.submitter_facet, Facet::from_path([name.as_str()]));
        }
        for s in &r.submitters {
            d.add_text(self.submitter_key, submitter_key(&s.name));
            if let Some(group) = &s.group {
                d.add_text(self.submitter_key, submitter_key(group));
            }
        }
        d.add_text(self.meta, nfc(&meta_text(r)).as_ref());
        if let Some(date) = r.effective_date() {
            d.add_date(self.date, to_tantivy_date(date));
            d.add_facet(self.year_facet, Facet::from_path([date.year().to_string()]));
        }
        d.add_u64(self.paper, u64::from(r.kind != ratsdoc_model::Kind::Other));
        d.add_u64(self.kind_code, kind_code(r.kind));
        let year = r.effective_date().map(|d| d.year());
        d.add_u64(
            self.year,
            year.and_then(|y| u64::try_from(y).ok()).unwrap_or(0),
        );
        if let Some(status) = doc.status {
            d.add_text(self.status, status.as_str());
        }
        if let Some(result) = ratsdoc_model::outcome(&r.consultations).and_then(|c| c.result) {
            d.add_text(self.result, result.as_str());
        }
        d
    }
}

/// Every kind, in the order of [`kind_code`] (the model's order).
pub const KINDS: [Kind; 7] = Kind::ALL;

/// The index of `kind` in [`KINDS`]; a new kind fails to compile here.
pub fn kind_code(kind: Kind) -> u64 {
    match kind {
        Kind::Beschlussantrag => 0,
        Kind::Informationsvorlage => 1,
        Kind::Beschlussvorlage => 2,
        Kind::Aenderungsantrag => 3,
        Kind::Anfrage => 4,
        Kind::Sonstige => 5,
        Kind::Other => 6,
    }
}

/// The raw terms a paper number is found by: canonical, and without prefix
/// (`044/2020`) for people who only remember the digits.
pub fn number_keys(n: &PaperNumber) -> [String; 2] {
    [n.to_string(), format!("{:03}/{}", n.seq, n.year)]
}

/// What a submitter filter compares: lower case, single spaces.
pub fn submitter_key(name: &str) -> String {
    name.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

/// The names shown in hits and counted in facets: the canonical group where
/// known, else the name as written.
pub fn submitter_names(r: &Record) -> Vec<String> {
    let mut names: Vec<String> = Vec::new();
    for s in &r.submitters {
        let name = s.group.clone().unwrap_or_else(|| s.name.clone());
        let name = name.trim().to_string();
        if !name.is_empty() && !names.contains(&name) {
            names.push(name);
        }
    }
    names
}

/// All sections of a paper in reading order, separated by blank lines.
pub fn body_text(r: &Record) -> String {
    [
        r.decision_proposal.as_deref(),
        r.justification.as_deref(),
        r.body.as_deref(),
        r.cost_coverage.as_deref(),
    ]
    .into_iter()
    .flatten()
    .map(str::trim)
    .filter(|s| !s.is_empty())
    .collect::<Vec<_>>()
    .join("\n\n")
}

/// Searchable text that is no section: the kind of paper and its year (so
/// that "Anfrage Kaßberg 2022" finds papers that never write either), who
/// deliberates, who signed, which reports are asked for, who received it.
fn meta_text(r: &Record) -> String {
    let kind = (r.kind != ratsdoc_model::Kind::Other).then(|| r.kind.german());
    let year = r.effective_date().map(|d| d.year().to_string());
    let mut parts: Vec<&str> = Vec::new();
    parts.extend(kind);
    parts.extend(year.as_deref());
    parts.extend(r.consultations.iter().map(|c| c.body.as_str()));
    parts.extend(r.signatory.as_ref().map(|s| s.name.as_str()));
    parts.extend(r.report_requests.iter().filter_map(|q| q.phrase.as_deref()));
    parts.extend(r.received.as_ref().and_then(|x| x.office.as_deref()));
    parts.join("\n")
}

/// Composed Unicode, so that a decomposed `a` + combining diaeresis is one
/// letter for the tokenizer. Nearly all text is composed already (the
/// extractor normalises it), and the quick check says so without copying.
pub fn nfc(text: &str) -> Cow<'_, str> {
    match is_nfc_quick(text.chars()) {
        IsNormalized::Yes => Cow::Borrowed(text),
        IsNormalized::No | IsNormalized::Maybe => Cow::Owned(text.nfc().collect()),
    }
}

pub fn to_tantivy_date(date: NaiveDate) -> DateTime {
    let secs = date
        .and_hms_opt(0, 0, 0)
        .map(|t| t.and_utc().timestamp())
        .unwrap_or_default();
    DateTime::from_timestamp_secs(secs)
}

pub fn from_tantivy_date(date: DateTime) -> Option<NaiveDate> {
    chrono::DateTime::from_timestamp(date.into_timestamp_secs(), 0).map(|d| d.date_naive())
}

/// A status stored in the index, read back.
pub fn parse_status(s: &str) -> Option<StatusKind> {
    s.parse().ok()
}

/// The stored result of a hit; `None` for none or an unknown word.
pub fn parse_result(s: &str) -> Option<ConsultationResult> {
    s.parse().ok()
}

/// How much of a paper's text is indexed. Real council papers stay far below
/// (the seeds have 4–9 KB); a multi-megabyte text is a broken or hostile
/// file, and tantivy 0.27's in-memory postings overflow (a debug-build panic
/// in `postings/recorder.rs`, garbage positions in release) when one term
/// occurs some hundred thousand times in one document. Measured: 660 KB of
/// repeated text indexes, 2.2 MB does not.
pub const MAX_INDEXED_BODY: usize = 512 * 1024;
const MAX_INDEXED_TITLE: usize = 4 * 1024;

/// `text` cut to at most `max` bytes, at a character boundary.
fn cap(text: &str, max: usize) -> &str {
    if text.len() <= max {
        return text;
    }
    let mut end = max;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    &text[..end]
}
