//! From what a researcher typed to a tantivy query. Never fails.
//!
//! The text is read in three passes:
//!
//! 1. **Paper numbers** in any spelling (`BA 44/2020`, `ba-44/2020`, also a
//!    bare `044/2020`) are cut out and looked up as raw terms: the paper's own
//!    number with a big boost, papers that mention it far below.
//! 2. **Phrases** between balanced quotes (`"…"`, `„…“`, `«…»`) become
//!    phrase queries; a quote without partner is ignored.
//! 3. **Words**: `-wort` and `NOT wort` exclude, `AND`, `OR`, `+`, `&&`,
//!    `||`, brackets and colons are ignored. Each word becomes one clause
//!    that may match in the exact fields (title boosted) or, lower, in the
//!    compound-part fields.
//!
//! The clauses are combined conjunctively first ([`Mode::All`]); the searcher
//! falls back to [`Mode::Any`] when that finds nothing.
//!
//! **Invariant:** a text matches every paper only when the user asked for
//! every paper with `*`. A text whose words all analyse to nothing (stop
//! words, punctuation, symbols, an empty box) is [`TextQuery::Nothing`],
//! never a query without clauses that tantivy would answer with every
//! document.

use std::ops::Range;

use ratsdoc_model::PaperNumber;
use tantivy::Term;
use tantivy::query::{BooleanQuery, BoostQuery, Occur, PhraseQuery, Query, TermQuery};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::tokenizer::TextAnalyzer;

use crate::analysis;
use crate::schema::{Fields, nfc, number_keys};

/// Boost of a paper's own number: whatever else matches, the paper comes first.
const BOOST_OWN_NUMBER: f32 = 1000.0;
/// Boost of a mentioned number: above ordinary text, below the paper itself.
const BOOST_REFERENCE: f32 = 20.0;
const BOOST_TITLE: f32 = 3.0;
const BOOST_BODY: f32 = 1.0;
const BOOST_SUBMITTERS: f32 = 2.0;
const BOOST_META: f32 = 0.5;
/// Compound parts rank below exact words.
const BOOST_TITLE_PARTS: f32 = 1.0;
const BOOST_BODY_PARTS: f32 = 0.4;

/// A compound whose exact form is in the bodies of this many papers is not
/// looked up again as the phrase of its parts in the bodies: checking the
/// parts' positions in tens of thousands of papers (`Haushaltsmittel` is in
/// 73 % of them) was the costliest part of any query, and the papers that
/// write only another form of so common a compound are a small share of
/// what the exact form already finds. Titles are short, so their phrase
/// stays.
const BODY_PARTS_PHRASE_MAX_DOC_FREQ: u64 = 5_000;

/// How the word and phrase clauses combine.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// Every word must match (somewhere, in some form).
    All,
    /// Any word may match; more matches rank higher.
    Any,
}

/// What the user typed, taken apart.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ParsedQuery {
    /// Paper numbers, canonical.
    pub numbers: Vec<PaperNumber>,
    /// Bare `seq/year` numbers (`044/2020`), as stored keys.
    pub number_keys: Vec<String>,
    /// References as other councils print them (`2021/1342/1`,
    /// `DHH/2023/1007`), verbatim: a synced paper's own number.
    pub references: Vec<String>,
    pub phrases: Vec<String>,
    pub words: Vec<String>,
    pub excluded: Vec<String>,
    /// `*` stood alone among the words: every paper, less the excluded.
    pub everything: bool,
}

impl ParsedQuery {
    /// Reads user text; anything at all is accepted.
    pub fn parse(text: &str) -> ParsedQuery {
        let text = nfc(text);
        let mut parsed = ParsedQuery::default();
        let mut cut: Vec<Range<usize>> = Vec::new();
        for (n, range) in PaperNumber::find_all_loose(&text) {
            if !parsed.numbers.contains(&n) {
                parsed.numbers.push(n);
            }
            cut.push(range);
        }
        let text = blank_out(&text, &cut);
        let (bare, cut) = find_bare_numbers(&text);
        parsed.number_keys = bare;
        let text = blank_out(&text, &cut);
        let (references, cut) = find_references(&text);
        parsed.references = references;
        let text = blank_out(&text, &cut);
        let rest = parsed.take_phrases(&text);
        parsed.take_words(&rest);
        parsed
    }

    /// True when nothing searchable was typed, not even `*`. (A text that
    /// is not empty may still analyse to nothing: see [`TextQuery`].)
    pub fn is_empty(&self) -> bool {
        !self.everything
            && self.numbers.is_empty()
            && self.number_keys.is_empty()
            && self.references.is_empty()
            && self.phrases.is_empty()
            && self.words.is_empty()
    }

    /// True when the text asks for every paper and nothing else: `*`
    /// without words, phrases, numbers or exclusions.
    pub fn lists_everything(&self) -> bool {
        self.everything
            && self.numbers.is_empty()
            && self.number_keys.is_empty()
            && self.references.is_empty()
            && self.phrases.is_empty()
            && self.words.is_empty()
            && self.excluded.is_empty()
    }

    fn take_phrases(&mut self, text: &str) -> String {
        let mut rest = String::with_capacity(text.len());
        let mut chars = text.char_indices().peekable();
        while let Some((i, c)) = chars.next() {
            let Some(close) = closing_quote(c) else {
                rest.push(c);
                continue;
            };
            let start = i + c.len_utf8();
            match text[start..].find(close) {
                Some(len) => {
                    let phrase = text[start..start + len].trim();
                    if !phrase.is_empty() {
                        self.phrases.push(phrase.to_string());
                    }
                    let end = start + len + close.len_utf8();
                    while chars.peek().is_some_and(|&(j, _)| j < end) {
                        chars.next();
                    }
                    rest.push(' ');
                }
                // A quote without partner: ignore it, keep the words.
                None => rest.push(' '),
            }
        }
        rest
    }

    fn take_words(&mut self, text: &str) {
        let mut negate_next = false;
        for chunk in text.split_whitespace() {
            match chunk {
                "AND" | "OR" | "&&" | "||" | "UND" | "ODER" => continue,
                "NOT" | "NICHT" => {
                    negate_next = true;
                    continue;
                }
                // `NOT *` excludes nothing anyone could mean: ignored.
                "*" => {
                    self.everything |= !negate_next;
                    negate_next = false;
                    continue;
                }
                _ => {}
            }
            let (negated, word) = match chunk.strip_prefix(['-', '!']) {
                Some(w) if w.starts_with(char::is_alphanumeric) => (true, w),
                _ => (negate_next, chunk),
            };
            negate_next = false;
            if !word.chars().any(char::is_alphanumeric) {
                continue;
            }
            if negated {
                self.excluded.push(word.to_string());
            } else {
                self.words.push(word.to_string());
            }
        }
    }
}

fn closing_quote(c: char) -> Option<char> {
    match c {
        '"' => Some('"'),
        '„' => Some('“'),
        '“' => Some('”'),
        '«' => Some('»'),
        '»' => Some('«'),
        _ => None,
    }
}

fn blank_out(text: &str, ranges: &[Range<usize>]) -> String {
    let mut out = text.to_string();
    for r in ranges {
        if let Some(slice) = text.get(r.clone()) {
            out.replace_range(r.clone(), &" ".repeat(slice.len()));
        }
    }
    out
}

/// `044/2020`, `44/2020` without prefix: a number people remember.
fn find_bare_numbers(text: &str) -> (Vec<String>, Vec<Range<usize>>) {
    let mut keys = Vec::new();
    let mut ranges = Vec::new();
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        let start = i;
        while i < bytes.len() && bytes[i].is_ascii_digit() {
            i += 1;
        }
        let digits = i - start;
        let boundary_before = start == 0 || !text[..start].ends_with(char::is_alphanumeric);
        if (1..=4).contains(&digits)
            && boundary_before
            && bytes.get(i) == Some(&b'/')
            && bytes
                .get(i + 1..i + 5)
                .is_some_and(|y| y.iter().all(u8::is_ascii_digit))
            && bytes.get(i + 5).is_none_or(|b| !b.is_ascii_alphanumeric())
            && matches!(&text[i + 1..i + 3], "19" | "20")
        {
            let seq: u32 = text[start..i].parse().unwrap_or_default();
            keys.push(format!("{seq:03}/{}", &text[i + 1..i + 5]));
            ranges.push(start..i + 5);
            i += 5;
            continue;
        }
        if i == start {
            i += text[i..].chars().next().map_or(1, char::len_utf8);
        }
    }
    (keys, ranges)
}

/// Whitespace-separated tokens that look like a paper reference of
/// another numbering: letters, digits and `/`, `-` or `.`, with at least
/// one `/` and one digit (`2021/1342/1`, `DHH/2023/1007`). The bytes they
/// cover are returned to be blanked out.
fn find_references(text: &str) -> (Vec<String>, Vec<Range<usize>>) {
    let mut found = Vec::new();
    let mut ranges = Vec::new();
    let mut start = None;
    for (i, c) in text
        .char_indices()
        .chain(std::iter::once((text.len(), ' ')))
    {
        match (c.is_whitespace(), start) {
            (false, None) => start = Some(i),
            (true, Some(s)) => {
                let token = &text[s..i];
                let shaped = token.contains('/')
                    && token.chars().any(|c| c.is_ascii_digit())
                    && token
                        .chars()
                        .all(|c| c.is_alphanumeric() || matches!(c, '/' | '-' | '.'));
                if shaped && !found.iter().any(|f| f == token) {
                    found.push(token.to_string());
                    ranges.push(s..i);
                }
                start = None;
            }
            _ => {}
        }
    }
    (found, ranges)
}

/// What a parsed text asks tantivy for.
pub enum TextQuery {
    /// Every paper: the user typed `*` and nothing else to match.
    Everything,
    /// Nothing to search for: no word, phrase or number has a term. Never
    /// to be run as a query.
    Nothing,
    /// Papers matching this query.
    Matching(Box<dyn Query>),
}

/// Turns a parsed query into tantivy queries.
pub struct QueryBuilder<'a> {
    fields: &'a Fields,
    de: TextAnalyzer,
    de_parts: TextAnalyzer,
    /// The index the query will run on, for term statistics; without it
    /// every clause is built in full.
    searcher: Option<&'a tantivy::Searcher>,
}

impl<'a> QueryBuilder<'a> {
    pub fn new(fields: &'a Fields) -> QueryBuilder<'a> {
        QueryBuilder {
            fields,
            de: analysis::german(),
            de_parts: analysis::german_parts(),
            searcher: None,
        }
    }

    /// A builder that leaves out clauses too costly for what they add on
    /// this index: the phrase of a compound's parts on the body, for a
    /// compound found in 5,000 or more bodies.
    pub fn for_searcher(fields: &'a Fields, searcher: &'a tantivy::Searcher) -> QueryBuilder<'a> {
        QueryBuilder {
            searcher: Some(searcher),
            ..QueryBuilder::new(fields)
        }
    }

    /// Papers whose body holds `term`, when known.
    fn body_doc_freq(&self, term: &str) -> Option<u64> {
        let searcher = self.searcher?;
        searcher
            .doc_freq(&Term::from_field_text(self.fields.body, term))
            .ok()
    }

    /// The text query: what the words, phrases and numbers match, less the
    /// excluded words; [`TextQuery::Nothing`] when none of them has a term
    /// and `*` was not typed.
    pub fn build(&mut self, parsed: &ParsedQuery, mode: Mode) -> TextQuery {
        let f = *self.fields;
        let mut numbers: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        for n in &parsed.numbers {
            let [canonical, _] = number_keys(n);
            numbers.push(should(boosted(
                term(f.number, &canonical),
                BOOST_OWN_NUMBER,
            )));
            numbers.push(should(boosted(term(f.refs, &canonical), BOOST_REFERENCE)));
        }
        for key in &parsed.number_keys {
            numbers.push(should(boosted(term(f.number, key), BOOST_OWN_NUMBER / 2.0)));
        }
        for reference in &parsed.references {
            numbers.push(should(boosted(term(f.number, reference), BOOST_OWN_NUMBER)));
        }

        let mut clauses: Vec<Box<dyn Query>> = Vec::new();
        for phrase in &parsed.phrases {
            clauses.extend(self.phrase_clause(phrase));
        }
        for word in &parsed.words {
            clauses.extend(self.word_clauses(word));
        }
        let excluded: Vec<Box<dyn Query>> = parsed
            .excluded
            .iter()
            .flat_map(|w| self.word_clauses(w))
            .collect();

        let text: Option<Box<dyn Query>> = match (clauses.len(), mode) {
            (0, _) => None,
            (1, _) => clauses.pop(),
            (_, Mode::All) => Some(Box::new(BooleanQuery::new(
                clauses.into_iter().map(|q| (Occur::Must, q)).collect(),
            ))),
            (_, Mode::Any) => Some(Box::new(BooleanQuery::new(
                clauses.into_iter().map(should).collect(),
            ))),
        };

        let positive: Option<Box<dyn Query>> = match (text, numbers.is_empty()) {
            (None, true) => None,
            (None, false) => Some(Box::new(BooleanQuery::new(numbers))),
            (Some(t), true) => Some(t),
            (Some(t), false) => {
                numbers.push(should(t));
                Some(Box::new(BooleanQuery::new(numbers)))
            }
        };
        let positive = match positive {
            Some(q) => q,
            None if !parsed.everything => return TextQuery::Nothing,
            None if excluded.is_empty() => return TextQuery::Everything,
            None => Box::new(tantivy::query::AllQuery),
        };
        if excluded.is_empty() {
            return TextQuery::Matching(positive);
        }
        let mut all: Vec<(Occur, Box<dyn Query>)> = vec![(Occur::Must, positive)];
        all.extend(excluded.into_iter().map(|q| (Occur::MustNot, q)));
        TextQuery::Matching(Box::new(BooleanQuery::new(all)))
    }

    /// The terms a snippet highlights: every word and phrase word of the
    /// query in the compound-part field of the body, where a compound carries
    /// its parts with its own offsets, so `Prävention` lights up
    /// `Kriminalprävention` too.
    pub fn highlight_query(&mut self, parsed: &ParsedQuery) -> Box<dyn Query> {
        let field = self.fields.body_parts;
        let terms = parsed
            .words
            .iter()
            .chain(&parsed.phrases)
            .flat_map(|text| analysis::tokens(&mut self.de, text))
            .map(|t| Term::from_field_text(field, &t.text))
            .collect();
        Box::new(BooleanQuery::new_multiterms_query(terms))
    }

    /// One clause per analysed token of `word` (a hyphenated chunk may hold
    /// several words); stop words yield none.
    fn word_clauses(&mut self, word: &str) -> Vec<Box<dyn Query>> {
        let f = *self.fields;
        let tokens = analysis::tokens(&mut self.de, word);
        let mut clauses = Vec::new();
        for token in tokens {
            let written = word.get(token.offset_from..token.offset_to).unwrap_or(word);
            let mut alternatives: Vec<(Occur, Box<dyn Query>)> = vec![
                should(boosted(text_term(f.title, &token.text), BOOST_TITLE)),
                should(boosted(text_term(f.body, &token.text), BOOST_BODY)),
                should(boosted(
                    text_term(f.submitters, &token.text),
                    BOOST_SUBMITTERS,
                )),
                should(boosted(text_term(f.meta, &token.text), BOOST_META)),
                should(boosted(
                    text_term(f.title_parts, &token.text),
                    BOOST_TITLE_PARTS,
                )),
                should(boosted(
                    text_term(f.body_parts, &token.text),
                    BOOST_BODY_PARTS,
                )),
            ];
            // A compound in the query also finds papers that write it with
            // another head or linking element: `Präventionsrat` finds
            // `Landespräventionsrat` through the phrase of its parts.
            let parts: Vec<String> = analysis::tokens(&mut self.de_parts, written)
                .into_iter()
                .skip(1)
                .map(|t| t.text)
                .collect();
            if parts.len() >= 2 {
                let common = self
                    .body_doc_freq(&token.text)
                    .is_some_and(|n| n >= BODY_PARTS_PHRASE_MAX_DOC_FREQ);
                let mut fields = vec![(f.title_parts, BOOST_TITLE_PARTS)];
                if !common {
                    fields.push((f.body_parts, BOOST_BODY_PARTS));
                }
                for (field, boost) in fields {
                    let terms = parts
                        .iter()
                        .map(|p| Term::from_field_text(field, p))
                        .collect();
                    alternatives.push(should(boosted(Box::new(PhraseQuery::new(terms)), boost)));
                }
            }
            clauses.push(Box::new(BooleanQuery::new(alternatives)) as Box<dyn Query>);
        }
        clauses
    }

    /// A phrase must match in this order in the title or the body; a
    /// one-word phrase is a word.
    fn phrase_clause(&mut self, phrase: &str) -> Option<Box<dyn Query>> {
        let f = *self.fields;
        let tokens = analysis::tokens(&mut self.de, phrase);
        match tokens.len() {
            0 => None,
            1 => self.word_clauses(phrase).into_iter().next(),
            _ => {
                let first = tokens[0].position;
                let phrase_in = |field: Field| -> Box<dyn Query> {
                    Box::new(PhraseQuery::new_with_offset(
                        tokens
                            .iter()
                            .map(|t| (t.position - first, Term::from_field_text(field, &t.text)))
                            .collect(),
                    ))
                };
                Some(Box::new(BooleanQuery::new(vec![
                    should(boosted(phrase_in(f.title), BOOST_TITLE)),
                    should(boosted(phrase_in(f.body), BOOST_BODY)),
                ])))
            }
        }
    }
}

fn should(q: Box<dyn Query>) -> (Occur, Box<dyn Query>) {
    (Occur::Should, q)
}

fn boosted(q: Box<dyn Query>, boost: f32) -> Box<dyn Query> {
    Box::new(BoostQuery::new(q, boost))
}

/// A raw term (ids, numbers, keys).
fn term(field: Field, text: &str) -> Box<dyn Query> {
    Box::new(TermQuery::new(
        Term::from_field_text(field, text),
        IndexRecordOption::Basic,
    ))
}

/// An analysed term, scored with frequencies.
fn text_term(field: Field, text: &str) -> Box<dyn Query> {
    Box::new(TermQuery::new(
        Term::from_field_text(field, text),
        IndexRecordOption::WithFreqs,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_in_every_spelling_are_cut_out() {
        for text in ["BA-044/2020", "BA 44/2020", "ba-44/2020", "ba 044/2020"] {
            let p = ParsedQuery::parse(text);
            assert_eq!(p.numbers.len(), 1, "{text}");
            assert_eq!(p.numbers[0].to_string(), "BA-044/2020");
            assert!(p.words.is_empty(), "{text}: {p:?}");
        }
        let p = ParsedQuery::parse("I-74/2021 Bericht");
        assert_eq!(p.numbers[0].to_string(), "I-074/2021");
        assert_eq!(p.words, ["Bericht"]);
    }

    #[test]
    fn bare_numbers_become_keys() {
        let p = ParsedQuery::parse("44/2020");
        assert_eq!(p.number_keys, ["044/2020"]);
        assert!(p.words.is_empty());
        let p = ParsedQuery::parse("Seite 12/20");
        assert!(p.number_keys.is_empty());
    }

    #[test]
    fn phrases_and_unbalanced_quotes() {
        let p = ParsedQuery::parse(r#""nicht öffentlich" Stadtrat "offen"#);
        assert_eq!(p.phrases, ["nicht öffentlich"]);
        assert_eq!(p.words, ["Stadtrat", "offen"]);
        let p = ParsedQuery::parse("„Sichere Kommunen“");
        assert_eq!(p.phrases, ["Sichere Kommunen"]);
    }

    #[test]
    fn operators_are_ignored_or_exclude() {
        let p = ParsedQuery::parse("Prävention AND ( Rat OR + - : ) -Polizei NOT Justiz");
        assert_eq!(p.words, ["Prävention", "Rat"]);
        assert_eq!(p.excluded, ["Polizei", "Justiz"]);
    }

    #[test]
    fn empty_and_junk_are_empty() {
        for text in ["", "   ", "\"", "AND OR", "+-:()", "\u{0}", "🙂", "NOT *"] {
            let p = ParsedQuery::parse(text);
            assert!(p.is_empty() && !p.everything, "{text:?}: {p:?}");
        }
    }

    #[test]
    fn a_lone_star_lists_everything() {
        // A quote without partner is ignored, so `"*` is a lone star too.
        for text in ["*", " * ", "* *", "\"*"] {
            assert!(ParsedQuery::parse(text).lists_everything(), "{text:?}");
        }
        for text in ["* -Polizei", "* Rat", "Rat*", "**", "*Rat"] {
            assert!(!ParsedQuery::parse(text).lists_everything(), "{text:?}");
        }
        assert!(ParsedQuery::parse("* -Polizei").everything);
    }

    /// What [`QueryBuilder::build`] makes of `text`, by shape.
    fn shape(text: &str) -> &'static str {
        let Ok(fields) = Fields::resolve(&crate::schema::build_schema()) else {
            return "no schema";
        };
        let mut builder = QueryBuilder::new(&fields);
        match builder.build(&ParsedQuery::parse(text), Mode::All) {
            TextQuery::Everything => "everything",
            TextQuery::Nothing => "nothing",
            TextQuery::Matching(_) => "matching",
        }
    }

    #[test]
    fn texts_without_terms_are_nothing_never_everything() {
        let long = "Grundstücksverkehrsgenehmigungszuständigkeitsübertragungsverordnung";
        for text in [
            "",
            "und",
            "UND der die das",
            "🙂",
            "?!…",
            "-und",
            "\"und der\"",
            "NOT *",
        ] {
            assert_eq!(shape(text), "nothing", "{text:?}");
        }
        for text in ["*", " * "] {
            assert_eq!(shape(text), "everything", "{text:?}");
        }
        for text in [
            long,
            "Kriminalpräventionsratsgeschäftsordnung",
            "* -Polizei",
            "und Rat",
            "BA-044/2020",
            "xy",
        ] {
            assert_eq!(shape(text), "matching", "{text:?}");
        }
        assert_eq!(shape(&"x".repeat(5000)), "matching");
    }
}
