//! What linking and verdicts need of a record, digested once: title tokens
//! instead of the title's analysis on every run, the motion numbers an
//! answer names with the tone of their sentence instead of the whole text.
//!
//! A build keeps these in a cache beside the manifest, so that relinking
//! 100,000 papers reads a few hundred bytes per paper instead of every
//! record file. [`crate::link`] and [`crate::status`] go through
//! [`Essentials`] themselves, so the cache cannot drift from the records.

use chrono::NaiveDate;
use ratsdoc_model::{
    ConsultationResult, ConsultationRole, FileRole, Kind, Mention, PaperNumber, Prefix, Record,
    ReportPeriod, ReportRequest, RisRelationKind,
};
use serde::{Deserialize, Serialize};

use crate::linker::{OPENING_SENTENCES, canonical};
use crate::text::{self, Tone};

/// One record as linking and report verdicts see it. Build it with
/// [`Essentials::of`]; store it with any serde format (it holds no long
/// texts: postcard encodes the average generated paper in well under 500
/// bytes).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Essentials {
    pub(crate) id: String,
    /// The id read as a paper number, once, so the pass never parses ids.
    pub(crate) number: Option<Number>,
    pub(crate) kind: Kind,
    /// Quoted by evidence and verdicts; kept for motions and answers only.
    pub(crate) title: String,
    /// Content tokens of the title per segment ([`text::title_segments`]);
    /// every council paper's count towards how rare a token is.
    pub(crate) segments: Vec<Vec<String>>,
    pub(crate) date: Option<NaiveDate>,
    pub(crate) received: Option<NaiveDate>,
    pub(crate) consultations: Vec<Session>,
    /// Submitter names of a motion, for its verdict.
    pub(crate) submitters: Vec<String>,
    /// Report requests of a motion.
    pub(crate) requests: Vec<Request>,
    /// Motions (Beschlussanträge) an answer names, with where and how.
    pub(crate) named: Vec<Named>,
    /// The answer presents itself as the administration's opinion
    /// (Stellungnahme), not as a report.
    pub(crate) opinion: bool,
    /// The relations the RIS records, to papers whose number it named.
    pub(crate) relations: Vec<(RisRelationKind, String)>,
    /// Dates of a synced motion's own Stellungnahme files: the
    /// administration's answer filed with the paper itself.
    pub(crate) statements: Vec<NaiveDate>,
    /// The papers an Änderungsantrag names in its heading or opening
    /// ("ÄA-003/2022 zum Beschlussantrag BA-044/2022"), canonical: what it
    /// amends, where the RIS says nothing.
    pub(crate) amends: Vec<String>,
}

/// A paper number in parts ([`PaperNumber`] serialises as text and would be
/// parsed again on every read).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct Number {
    prefix: Prefix,
    seq: u16,
    year: u16,
}

impl Number {
    fn paper(self) -> PaperNumber {
        PaperNumber {
            prefix: self.prefix,
            seq: self.seq,
            year: self.year,
        }
    }
}

/// One row of a Beratungsfolge.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub(crate) struct Session {
    pub(crate) body: String,
    pub(crate) date: Option<NaiveDate>,
    pub(crate) role: ConsultationRole,
    pub(crate) result: Option<ConsultationResult>,
}

/// A report request without the sentence it stands in.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub(crate) struct Request {
    /// `None` when the report is ordered without a time.
    pub(crate) phrase: Option<String>,
    pub(crate) due: Option<NaiveDate>,
    pub(crate) recurring: bool,
    pub(crate) period: Option<ReportPeriod>,
    pub(crate) addressee: Option<String>,
    pub(crate) form: Option<Kind>,
}

/// Where in an answer a motion number stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) enum Place {
    Title,
    Opening,
    Text,
}

/// A motion number an answer names.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub(crate) struct Named {
    /// Canonical paper number of the motion.
    pub(crate) id: String,
    pub(crate) place: Place,
    pub(crate) tone: Tone,
    /// Quoted by the evidence.
    pub(crate) sentence: String,
}

impl Essentials {
    /// Digests a record. Motions keep what verdicts quote (submitters,
    /// requests, Beratungsfolge); answers keep the motions they name;
    /// other papers keep only their title tokens, which make tokens common.
    pub fn of(record: &Record) -> Essentials {
        let answers = crate::linker::can_answer(record.kind);
        let motion = record.kind == Kind::Beschlussantrag;
        let keeps_title = crate::linker::takes_part(record.kind);
        let segments = if record.kind == Kind::Other {
            Vec::new()
        } else {
            text::title_segments(&record.title)
        };
        Essentials {
            id: record.id.clone(),
            number: record.id.parse::<PaperNumber>().ok().map(|n| Number {
                prefix: n.prefix,
                seq: n.seq,
                year: n.year,
            }),
            kind: record.kind,
            title: if keeps_title {
                record.title.clone()
            } else {
                String::new()
            },
            segments,
            date: record.date,
            received: if motion {
                record.received.as_ref().and_then(|r| r.date)
            } else {
                None
            },
            consultations: if keeps_title {
                record
                    .consultations
                    .iter()
                    .map(|c| Session {
                        body: c.body.clone(),
                        date: c.date,
                        role: c.role,
                        result: c.result,
                    })
                    .collect()
            } else {
                Vec::new()
            },
            submitters: if motion {
                record.submitters.iter().map(|s| s.name.clone()).collect()
            } else {
                Vec::new()
            },
            requests: if motion {
                record.report_requests.iter().map(Request::of).collect()
            } else {
                Vec::new()
            },
            named: if answers { named(record) } else { Vec::new() },
            opinion: answers && text::is_opinion(&record.title, &opening_of(record)),
            relations: record
                .ris_relations
                .iter()
                .filter_map(|r| Some((r.relation, r.id.clone()?)))
                .collect(),
            statements: if motion {
                record
                    .files
                    .iter()
                    .filter(|f| f.role == FileRole::Statement)
                    .filter_map(|f| f.date)
                    .collect()
            } else {
                Vec::new()
            },
            amends: if record.kind == Kind::Aenderungsantrag {
                amended_in_heading(record)
            } else {
                Vec::new()
            },
        }
    }

    /// The paper number (or other id) of the record.
    pub fn id(&self) -> &str {
        &self.id
    }

    /// The canonical form of the id (`BA-44/2020` → `BA-044/2020`), as
    /// mentions name it.
    pub(crate) fn key(&self) -> String {
        match self.number {
            Some(n) => n.paper().to_string(),
            None => self.id.clone(),
        }
    }

    /// The order papers are listed in: by year, then register, then sequence
    /// number (`BA-002/2019` before `BA-044/2020`); ids that are no paper
    /// numbers last, by text.
    pub(crate) fn order(&self) -> (u8, u16, Option<Prefix>, u16, &str) {
        match self.number {
            Some(n) => (0, n.year, Some(n.prefix), n.seq, ""),
            None => (1, 0, None, 0, &self.id),
        }
    }

    /// The kind of paper.
    pub fn kind(&self) -> Kind {
        self.kind
    }

    /// The report requests of a motion as `(phrase, due, recurring)`, in
    /// the order of the record: one calendar entry each.
    pub fn requests(&self) -> impl Iterator<Item = (Option<&str>, Option<NaiveDate>, bool)> {
        self.requests
            .iter()
            .map(|r| (r.phrase.as_deref(), r.due, r.recurring))
    }

    /// The date a report came: the paper's own date, else the earliest date
    /// it was presented.
    pub(crate) fn report_date(&self) -> Option<NaiveDate> {
        self.date
            .or_else(|| self.consultations.iter().filter_map(|c| c.date).min())
    }

    /// The earliest date a motion existed: receipt, own date or first
    /// session.
    pub(crate) fn start(&self) -> Option<NaiveDate> {
        let consulted = self.consultations.iter().filter_map(|c| c.date).min();
        [self.received, self.date, consulted]
            .into_iter()
            .flatten()
            .min()
    }

    /// Why a motion's requests were never ordered: the last final result
    /// of its Beratungsfolge (adopted, rejected, withdrawn) is a rejection
    /// or a withdrawal. A committee's rejection (an advising row) is a
    /// recommendation, not a refusal, unless no row decides; a withdrawal
    /// counts on any row.
    pub(crate) fn refusal(&self) -> Option<(ConsultationResult, &str, Option<NaiveDate>)> {
        let has_deciding = self
            .consultations
            .iter()
            .any(|c| c.role == ConsultationRole::Entscheidung);
        let last = self.consultations.iter().rev().find(|c| {
            c.result.is_some_and(|r| {
                r.is_final()
                    && (r == ConsultationResult::Zurueckgezogen
                        || c.role != ConsultationRole::Beratung
                        || !has_deciding)
            })
        })?;
        match last.result {
            Some(r @ (ConsultationResult::Abgelehnt | ConsultationResult::Zurueckgezogen)) => {
                Some((r, last.body.as_str(), last.date))
            }
            _ => None,
        }
    }

    /// The session that decides a motion: the row marked as deciding, else
    /// the last dated row of its Beratungsfolge.
    pub(crate) fn decision_session(&self) -> Option<(NaiveDate, &str)> {
        self.consultations
            .iter()
            .rev()
            .find(|c| c.role == ConsultationRole::Entscheidung && c.date.is_some())
            .or_else(|| self.consultations.iter().rev().find(|c| c.date.is_some()))
            .and_then(|c| c.date.map(|d| (d, c.body.as_str())))
    }
}

/// A deadline phrase as the evidence quotes it; a request without one
/// says so instead of showing empty quotes.
pub fn quote_phrase(phrase: Option<&str>) -> String {
    match phrase {
        Some(phrase) => format!("„{phrase}“"),
        None => "ohne Zeitangabe".to_string(),
    }
}

/// The deadline phrases of several requests, quoted, for one line.
pub(crate) fn quote_phrases(requests: &[Request]) -> String {
    requests
        .iter()
        .map(|r| quote_phrase(r.phrase.as_deref()))
        .collect::<Vec<_>>()
        .join("; ")
}

impl Request {
    fn of(r: &ReportRequest) -> Request {
        Request {
            phrase: r.phrase.clone(),
            due: r.due,
            recurring: r.recurring,
            period: r.period,
            addressee: r.addressee.clone(),
            form: r.form,
        }
    }
}

/// The first sentences of an answer: where it says what it is.
fn opening_of(answer: &Record) -> String {
    let body = answer
        .body
        .as_deref()
        .or(answer.decision_proposal.as_deref())
        .unwrap_or("");
    text::first_sentences(body, OPENING_SENTENCES).join(" ")
}

fn is_motion_id(id: &str) -> bool {
    id.parse::<PaperNumber>()
        .is_ok_and(|n| n.prefix == Prefix::Ba)
}

/// The papers an Änderungsantrag's heading or opening names, other than
/// itself, in order and each once.
fn amended_in_heading(amendment: &Record) -> Vec<String> {
    let own = canonical(&amendment.id);
    let mut found: Vec<String> = Vec::new();
    for m in &amendment.mentions {
        let id = canonical(&m.id);
        if matches!(m.place.as_str(), "title" | "opening") && id != own && !found.contains(&id) {
            found.push(id);
        }
    }
    found
}

/// The motions an answer names; from the record's mentions, or, for a
/// record whose parser left them empty, found here in the title and the
/// body so that linking does not depend on it.
fn named(answer: &Record) -> Vec<Named> {
    let of = |m: &Mention| {
        let place = match m.place.as_str() {
            "title" => Place::Title,
            "opening" => Place::Opening,
            _ => Place::Text,
        };
        Named {
            id: canonical(&m.id),
            place,
            tone: text::tone(&m.sentence),
            sentence: m.sentence.clone(),
        }
    };
    if !answer.mentions.is_empty() {
        return answer
            .mentions
            .iter()
            .filter(|m| is_motion_id(&m.id))
            .map(of)
            .collect();
    }
    mentions_in_text(answer)
        .iter()
        .filter(|m| is_motion_id(&m.id))
        .map(of)
        .collect()
}

fn mentions_in_text(answer: &Record) -> Vec<Mention> {
    let own = canonical(&answer.id);
    let mut found = Vec::new();
    let mut push = |sentence: &str, place: &str| {
        for (n, _) in PaperNumber::find_all(sentence) {
            let id = n.to_string();
            if id != own {
                found.push(Mention {
                    id,
                    sentence: sentence.to_string(),
                    place: place.to_string(),
                });
            }
        }
    };
    push(&answer.title, "title");
    if let Some(body) = &answer.body {
        for (i, s) in text::sentences(body).into_iter().enumerate() {
            push(
                s,
                if i < OPENING_SENTENCES {
                    "opening"
                } else {
                    "text"
                },
            );
        }
    }
    for part in [&answer.decision_proposal, &answer.justification]
        .into_iter()
        .flatten()
    {
        for s in text::sentences(part) {
            push(s, "text");
        }
    }
    found
}

/// What a page shows of a paper it names (a linked answer, the motion an
/// answer reports on) without reading that paper's record: the web page keeps
/// every paper's [`Essentials`](crate::Essentials) in memory instead of its
/// record.
impl Essentials {
    /// The title as written, for the papers whose title the digest keeps:
    /// Beschlussanträge and the papers that can answer them
    /// (Informationsvorlagen, Beschlussvorlagen). `None` for every other
    /// paper: its record has the title.
    pub fn title(&self) -> Option<&str> {
        self.keeps_title().then_some(self.title.as_str())
    }

    /// The date a report came, as [`crate::report_date`] gives it for the
    /// record; `None` for the papers whose Beratungsfolge the digest drops
    /// (those without a [`Self::title`]).
    pub fn presented_on(&self) -> Option<NaiveDate> {
        if self.keeps_title() {
            self.report_date()
        } else {
            None
        }
    }

    /// The date a Beschlussantrag counts from, as
    /// [`ratsdoc_model::Record::effective_date`] gives it; `None` for every
    /// other kind (the digest keeps a receipt date for motions only).
    pub fn counts_from(&self) -> Option<NaiveDate> {
        if self.kind != Kind::Beschlussantrag {
            return None;
        }
        self.report_date().or(self.received)
    }

    fn keeps_title(&self) -> bool {
        crate::linker::takes_part(self.kind)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ratsdoc_model::{Consultation, Received, Source, SourceFormat};

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    /// A paper received on 10.03.2020 and consulted on 24.06. and, listed
    /// second, on 05.05.2020.
    fn paper(kind: Kind) -> Record {
        let source = Source {
            path: "paper.txt".into(),
            format: SourceFormat::Txt,
            hash: String::new(),
            pages: None,
            extractor: None,
            encoding: None,
        };
        let mut r = Record::new("X-001/2020", kind, "Sichere Radwege", source);
        r.received = Some(Received {
            date: Some(date(2020, 3, 10)),
            register: None,
            office: None,
        });
        for (body, day) in [
            ("Stadtrat", date(2020, 6, 24)),
            ("Ausschuss", date(2020, 5, 5)),
        ] {
            r.consultations.push(Consultation {
                body: body.into(),
                date: Some(day),
                public: Some(true),
                role: ConsultationRole::Beratung,
                result: None,
                referred_to: None,
                votes: None,
            });
        }
        r
    }

    #[test]
    fn essentials_name_motions_and_answers_as_their_records_do() {
        for kind in [
            Kind::Beschlussantrag,
            Kind::Informationsvorlage,
            Kind::Beschlussvorlage,
        ] {
            let mut r = paper(kind);
            let e = Essentials::of(&r);
            assert_eq!(e.title(), Some("Sichere Radwege"), "{kind:?}");
            assert_eq!(e.presented_on(), Some(date(2020, 5, 5)), "{kind:?}");
            assert_eq!(e.presented_on(), crate::report_date(&r), "{kind:?}");
            r.date = Some(date(2020, 4, 1));
            let e = Essentials::of(&r);
            assert_eq!(e.presented_on(), Some(date(2020, 4, 1)), "{kind:?}");
        }
    }

    #[test]
    fn a_motion_counts_from_its_effective_date() {
        let mut r = paper(Kind::Beschlussantrag);
        assert_eq!(Essentials::of(&r).counts_from(), Some(date(2020, 5, 5)));
        r.consultations.clear();
        assert_eq!(Essentials::of(&r).counts_from(), Some(date(2020, 3, 10)));
        assert_eq!(Essentials::of(&r).counts_from(), r.effective_date());
        r.date = Some(date(2020, 2, 1));
        assert_eq!(Essentials::of(&r).counts_from(), Some(date(2020, 2, 1)));
        assert_eq!(
            Essentials::of(&paper(Kind::Informationsvorlage)).counts_from(),
            None
        );
    }

    #[test]
    fn essentials_of_other_papers_leave_title_and_dates_to_the_record() {
        for kind in [Kind::Anfrage, Kind::Aenderungsantrag, Kind::Other] {
            let e = Essentials::of(&paper(kind));
            assert_eq!(e.title(), None, "{kind:?}");
            assert_eq!(e.presented_on(), None, "{kind:?}");
            assert_eq!(e.counts_from(), None, "{kind:?}");
        }
    }
}
