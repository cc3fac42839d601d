//! One record per paper: everything a careful reader takes out of it.
//!
//! A record is a pure function of one source file (or, for a paper that
//! arrives as several files, of those files): it never mentions other papers
//! except by number. Links and report status are derived later, globally.

use chrono::NaiveDate;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// A council paper, or a document recognised as not being one.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Record {
    /// Canonical paper number (`BA-044/2020`), or for a document without one
    /// a stable id derived from its content (`other-<hash>`).
    pub id: String,
    pub kind: Kind,
    /// Why the document is not a council paper (only for `kind: other`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub other_reason: Option<String>,
    /// The subject (Gegenstand / Betreff), as written, layout noise removed.
    pub title: String,
    /// The paper's own date, where it carries one (e.g. "Chemnitz, 01.12.2020").
    pub date: Option<NaiveDate>,
    /// Einreicher, in the order written.
    pub submitters: Vec<Submitter>,
    /// The receipt stamp ("Eingegangen im Sekretariat …").
    pub received: Option<Received>,
    /// Beratungsfolge or "zur Kenntnis an", in the paper's order.
    pub consultations: Vec<Consultation>,
    /// Kostendeckungsvorschlag, if the paper states one.
    pub cost_coverage: Option<String>,
    /// Beschlussvorschlag: the text the council votes on.
    pub decision_proposal: Option<String>,
    /// Begründung of a motion.
    pub justification: Option<String>,
    /// Sachverhalt of an information paper or draft resolution; for `other`
    /// documents, their whole text.
    pub body: Option<String>,
    /// Who signed (i. A. = on behalf of someone else).
    pub signatory: Option<Signatory>,
    /// Reports the decision proposal orders.
    pub report_requests: Vec<ReportRequest>,
    /// Canonical numbers of the papers the text mentions (without its own).
    pub references: Vec<String>,
    /// Each mention of another paper with the sentence it stands in: linking
    /// judges from that sentence whether a mention is evidence or in passing.
    pub mentions: Vec<Mention>,
    /// The file the record was read from (the richest, when several).
    pub source: Source,
    /// Further files that held the same paper.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub other_sources: Vec<Source>,
    /// What could not be read, in words a clerk understands.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub diagnostics: Vec<String>,
    /// The Vorlagenart as the council information system (RIS) names it
    /// ("Haushalt THH 4100"), for a paper read from OParl metadata: kept
    /// verbatim because `kind` can only approximate it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub paper_type: Option<String>,
    /// Where the RIS publishes the paper, for a paper synced from OParl.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ris: Option<RisOrigin>,
    /// Every file of a synced paper with what it is to the paper, in the
    /// RIS's order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub files: Vec<PaperFile>,
    /// The relations the RIS itself records (übergeordnete, untergeordnete
    /// und verwandte Drucksachen): facts, not inferences.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub ris_relations: Vec<RisRelation>,
}

/// A synced paper's home in the council information system.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RisOrigin {
    /// The OParl object's `id` (a URL), stable across syncs.
    pub id: String,
    /// The paper's page for people (`web`), where the RIS names one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub web: Option<String>,
}

/// One file of a synced paper.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PaperFile {
    /// The file's name in the RIS ("Stellungnahme DHH").
    pub name: String,
    pub role: FileRole,
    /// The local copy's path as the report shows it; null when the file
    /// could not be fetched.
    pub path: Option<String>,
    /// The file's own date, where the RIS gives one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date: Option<NaiveDate>,
    /// blake3 of the local copy, hex.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hash: Option<String>,
    /// Why the file has no text: not fetched, or not readable.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub problem: Option<String>,
}

/// What a file is to its paper.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum FileRole {
    /// The paper itself: the Antrag, Anfrage or Vorlage.
    Paper,
    /// The administration's Stellungnahme or answer.
    Statement,
    /// A Protokollauszug or Abstimmungsergebnis: what the body decided.
    Minutes,
    /// Anlage: plans, presentations, anything else.
    Attachment,
}

impl FileRole {
    /// The German word a clerk reads.
    pub fn german(self) -> &'static str {
        match self {
            FileRole::Paper => "Drucksache",
            FileRole::Statement => "Stellungnahme",
            FileRole::Minutes => "Protokollauszug",
            FileRole::Attachment => "Anlage",
        }
    }
}

/// A relation between two papers as the RIS records it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RisRelation {
    pub relation: RisRelationKind,
    /// The other paper's reference, when known.
    pub id: Option<String>,
    /// The other paper's OParl `id` (a URL).
    pub url: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum RisRelationKind {
    /// superordinatedPaper: the paper this one amends or supplements.
    Superordinated,
    /// subordinatedPaper: a paper that amends or supplements this one.
    Subordinated,
    /// relatedPaper: any other relation the RIS records.
    Related,
}

/// What kind of paper a document is; decided by its heading and number.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    /// Beschlussantrag (BA-): a motion of a faction or members.
    Beschlussantrag,
    /// Informationsvorlage (I-): an information paper of the administration.
    Informationsvorlage,
    /// Beschlussvorlage (B-): a draft resolution of the administration.
    Beschlussvorlage,
    /// Änderungsantrag (ÄA-): an amendment to another paper.
    Aenderungsantrag,
    /// Anfrage (A-, RA-, IA-): a councillor's question.
    Anfrage,
    /// A council paper of a type the other kinds do not cover (Offenlage,
    /// a council's own Vorlagenart); `paper_type` keeps the RIS's word.
    Sonstige,
    /// Not a council paper: press release, news item, web page, anything else.
    Other,
}

impl Kind {
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Beschlussantrag => "beschlussantrag",
            Kind::Informationsvorlage => "informationsvorlage",
            Kind::Beschlussvorlage => "beschlussvorlage",
            Kind::Aenderungsantrag => "aenderungsantrag",
            Kind::Anfrage => "anfrage",
            Kind::Sonstige => "sonstige",
            Kind::Other => "other",
        }
    }

    /// The German word a clerk reads.
    pub fn german(self) -> &'static str {
        match self {
            Kind::Beschlussantrag => "Beschlussantrag",
            Kind::Informationsvorlage => "Informationsvorlage",
            Kind::Beschlussvorlage => "Beschlussvorlage",
            Kind::Aenderungsantrag => "Änderungsantrag",
            Kind::Anfrage => "Anfrage",
            Kind::Sonstige => "sonstige Drucksache",
            Kind::Other => "kein Ratsdokument",
        }
    }

    pub const ALL: [Kind; 7] = [
        Kind::Beschlussantrag,
        Kind::Informationsvorlage,
        Kind::Beschlussvorlage,
        Kind::Aenderungsantrag,
        Kind::Anfrage,
        Kind::Sonstige,
        Kind::Other,
    ];
}

impl std::str::FromStr for Kind {
    type Err = String;

    /// Accepts the contract's snake_case names, the German words and the
    /// number prefixes, in any case.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let lower = s.trim().to_lowercase();
        Ok(match lower.as_str() {
            "beschlussantrag" | "ba" | "antrag" => Kind::Beschlussantrag,
            "informationsvorlage" | "i" | "info" => Kind::Informationsvorlage,
            "beschlussvorlage" | "b" | "vorlage" => Kind::Beschlussvorlage,
            "aenderungsantrag" | "änderungsantrag" | "äa" | "aea" => Kind::Aenderungsantrag,
            "anfrage" | "a" | "ra" | "ia" => Kind::Anfrage,
            "sonstige" | "drucksache" => Kind::Sonstige,
            "other" | "sonstiges" => Kind::Other,
            _ => {
                return Err(format!(
                    "unknown kind {s:?}: expected one of beschlussantrag, informationsvorlage, beschlussvorlage, aenderungsantrag, anfrage, sonstige, other"
                ));
            }
        })
    }
}

/// One Einreicher.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Submitter {
    /// As written, with layout noise (stray commas, line breaks) removed.
    pub name: String,
    pub kind: SubmitterKind,
    /// The council group's canonical name for the paper's term, where the
    /// spelling is known ("FG" → "Fraktionsgemeinschaft DIE LINKE/Die PARTEI").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub group: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum SubmitterKind {
    /// A Fraktion or Fraktionsgemeinschaft of the council.
    Faction,
    /// An individual council member (Stadträtin / Stadtrat).
    Member,
    /// A unit of the administration: Oberbürgermeisterin, Dezernat, Amt.
    Administration,
    /// Anything else (an Ortschaftsrat, a Beirat, an external body).
    Other,
}

/// The receipt stamp of a motion.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Received {
    pub date: Option<NaiveDate>,
    /// Register number under which it was received (`A-036/2020`).
    pub register: Option<String>,
    /// The receiving office ("Sekretariat der Oberbürgermeisterin").
    pub office: Option<String>,
}

/// One row of the Beratungsfolge or of "zur Kenntnis an".
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Consultation {
    /// Ausschuss, Ortschaftsrat, Beirat or Stadtrat, as written.
    pub body: String,
    pub date: Option<NaiveDate>,
    /// öffentlich (true) or nicht öffentlich (false); null when not stated.
    pub public: Option<bool>,
    pub role: ConsultationRole,
    /// Beratungsergebnis, when the paper records one.
    pub result: Option<ConsultationResult>,
    /// The body the paper was referred to ("verwiesen in den
    /// Planungsausschuss"), when the result is `verwiesen` and names one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub referred_to: Option<String>,
    /// How the body voted, when the paper or its minutes record it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub votes: Option<Votes>,
}

/// The vote on a consultation: counts where printed ("24 Ja, 23 Nein"),
/// and the words "einstimmig" or "mehrheitlich" where the minutes give no
/// counts (or both).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Votes {
    /// Ja-Stimmen.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub yes: Option<u32>,
    /// Nein-Stimmen.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub no: Option<u32>,
    /// Enthaltungen.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub abstentions: Option<u32>,
    /// "einstimmig" or "mehrheitlich", as the text says it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub margin: Option<Margin>,
}

impl Votes {
    /// Whether nothing was read.
    pub fn is_empty(&self) -> bool {
        *self == Votes::default()
    }

    /// "24 Ja, 23 Nein, 2 Enthaltungen; mehrheitlich": what a clerk reads.
    pub fn german(&self) -> String {
        let counts: Vec<String> = [
            (self.yes, "Ja"),
            (self.no, "Nein"),
            (self.abstentions, "Enthaltungen"),
        ]
        .into_iter()
        .filter_map(|(n, word)| n.map(|n| format!("{n} {word}")))
        .collect();
        let margin = self.margin.map(Margin::german);
        match (counts.is_empty(), margin) {
            (true, Some(m)) => m.to_string(),
            (false, Some(m)) => format!("{m} ({})", counts.join(", ")),
            (_, None) => counts.join(", "),
        }
    }
}

/// How a vote went in words.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Margin {
    /// einstimmig: no vote against.
    Unanimous,
    /// mehrheitlich / mit Mehrheit.
    Majority,
}

impl Margin {
    pub fn german(self) -> &'static str {
        match self {
            Margin::Unanimous => "einstimmig",
            Margin::Majority => "mehrheitlich",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum ConsultationRole {
    /// Vorberatung: a body that advises before the deciding one.
    Beratung,
    /// Entscheidung: the body that decides (the last row of a Beratungsfolge).
    Entscheidung,
    /// Kenntnisnahme: "zur Kenntnis an" — the paper is only presented.
    Kenntnisnahme,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum ConsultationResult {
    /// bestätigt, beschlossen, angenommen, zugestimmt.
    Bestaetigt,
    /// mit Änderungen beschlossen.
    MitAenderungen,
    Abgelehnt,
    OhneEmpfehlung,
    /// vertagt, zurückgestellt, abgesetzt.
    Vertagt,
    Zurueckgezogen,
    ZurKenntnisGenommen,
    /// verwiesen: sent to another body (`Consultation::referred_to`).
    Verwiesen,
}

impl ConsultationResult {
    pub const ALL: [ConsultationResult; 8] = [
        ConsultationResult::Bestaetigt,
        ConsultationResult::MitAenderungen,
        ConsultationResult::Abgelehnt,
        ConsultationResult::OhneEmpfehlung,
        ConsultationResult::Vertagt,
        ConsultationResult::Zurueckgezogen,
        ConsultationResult::ZurKenntnisGenommen,
        ConsultationResult::Verwiesen,
    ];

    /// The contract's snake_case name.
    pub fn as_str(self) -> &'static str {
        match self {
            ConsultationResult::Bestaetigt => "bestaetigt",
            ConsultationResult::MitAenderungen => "mit_aenderungen",
            ConsultationResult::Abgelehnt => "abgelehnt",
            ConsultationResult::OhneEmpfehlung => "ohne_empfehlung",
            ConsultationResult::Vertagt => "vertagt",
            ConsultationResult::Zurueckgezogen => "zurueckgezogen",
            ConsultationResult::ZurKenntnisGenommen => "zur_kenntnis_genommen",
            ConsultationResult::Verwiesen => "verwiesen",
        }
    }

    /// The German words a clerk reads.
    pub fn german(self) -> &'static str {
        match self {
            ConsultationResult::Bestaetigt => "beschlossen",
            ConsultationResult::MitAenderungen => "mit Änderungen beschlossen",
            ConsultationResult::Abgelehnt => "abgelehnt",
            ConsultationResult::OhneEmpfehlung => "ohne Empfehlung",
            ConsultationResult::Vertagt => "vertagt",
            ConsultationResult::Zurueckgezogen => "zurückgezogen",
            ConsultationResult::ZurKenntnisGenommen => "zur Kenntnis genommen",
            ConsultationResult::Verwiesen => "verwiesen",
        }
    }

    /// Whether the result ends the paper's course: adopted (with or
    /// without changes), rejected or withdrawn. Postponed, referred, taken
    /// note of or without a recommendation leave it open.
    pub fn is_final(self) -> bool {
        matches!(
            self,
            ConsultationResult::Bestaetigt
                | ConsultationResult::MitAenderungen
                | ConsultationResult::Abgelehnt
                | ConsultationResult::Zurueckgezogen
        )
    }
}

impl std::str::FromStr for ConsultationResult {
    type Err = String;

    /// Accepts the snake_case names and the German words, in any case
    /// ("abgelehnt", "beschlossen", "mit Änderungen").
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let lower = s.trim().to_lowercase().replace(['-', ' '], "_");
        let alias = match lower.as_str() {
            "beschlossen" | "angenommen" | "zugestimmt" | "bestätigt" => {
                Some(ConsultationResult::Bestaetigt)
            }
            "mit_änderungen" | "mit_änderungen_beschlossen" | "geändert" => {
                Some(ConsultationResult::MitAenderungen)
            }
            "zurückgezogen" => Some(ConsultationResult::Zurueckgezogen),
            "kenntnis" | "zur_kenntnis" | "kenntnisnahme" => {
                Some(ConsultationResult::ZurKenntnisGenommen)
            }
            _ => None,
        };
        alias
            .or_else(|| Self::ALL.into_iter().find(|r| r.as_str() == lower))
            .ok_or_else(|| {
                format!(
                    "unknown result {s:?}: expected one of {}",
                    Self::ALL.map(ConsultationResult::as_str).join(", ")
                )
            })
    }
}

/// What became of a paper: the last final result of its consultations
/// (adopted, rejected, withdrawn), else the last result of any kind.
pub fn outcome(consultations: &[Consultation]) -> Option<&Consultation> {
    consultations
        .iter()
        .rev()
        .find(|c| c.result.is_some_and(ConsultationResult::is_final))
        .or_else(|| consultations.iter().rev().find(|c| c.result.is_some()))
}

/// The signature block.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Signatory {
    pub name: String,
    /// Signed "i. A." — on behalf of someone else.
    pub on_behalf: bool,
}

/// A report the decision proposal orders ("den Stadtrat im III. Quartal 2020
/// zu informieren").
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ReportRequest {
    /// The deadline phrase, verbatim ("im III. Quartal 2020"); null when the
    /// sentence orders a report without naming any time ("Der Stadtrat ist
    /// über das Ergebnis zu informieren."), so that "no phrase" is never
    /// mistaken for an empty one.
    pub phrase: Option<String>,
    /// End of the named period, or for a phrase counted from the decision
    /// ("innerhalb von sechs Monaten") the decision's session date plus that
    /// span; null when the phrase names none ("zeitnah") or when the paper
    /// alone cannot tell it ("in der nächsten Sitzung").
    pub due: Option<NaiveDate>,
    /// A report that recurs (halbjährlich, quartalsweise, jährlich).
    pub recurring: bool,
    /// For recurring reports: how often; `due` is then the first due date.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub period: Option<ReportPeriod>,
    /// Who is to be informed (Stadtrat, a named committee).
    pub addressee: Option<String>,
    /// The form the report is to take, where named (Informationsvorlage,
    /// Beschlussvorlage).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub form: Option<Kind>,
    /// The sentence the request stands in.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub sentence: String,
    /// The condition the report depends on, as written ("Bei positivem
    /// Prüfergebnis"): the request stands, but only if the condition holds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub condition: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum ReportPeriod {
    Monthly,
    Quarterly,
    HalfYearly,
    Yearly,
}

impl ReportPeriod {
    pub fn months(self) -> u32 {
        match self {
            ReportPeriod::Monthly => 1,
            ReportPeriod::Quarterly => 3,
            ReportPeriod::HalfYearly => 6,
            ReportPeriod::Yearly => 12,
        }
    }
}

/// One mention of another paper's number.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Mention {
    /// Canonical number of the paper mentioned.
    pub id: String,
    /// The sentence the number stands in.
    pub sentence: String,
    /// Where it stands: `title`, `opening` (the first sentences of the body),
    /// or `text`.
    pub place: String,
}

/// Where a record came from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Source {
    /// The path as given on the command line, with `/` separators.
    pub path: String,
    pub format: SourceFormat,
    /// blake3 of the file's bytes, hex.
    pub hash: String,
    /// Page count, for PDFs.
    pub pages: Option<u32>,
    /// Which tool produced the text (`text`, `markdown`, `pdf-extract`,
    /// `pdftotext`, `tesseract`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub extractor: Option<String>,
    /// The text encoding the file was decoded from (`utf-8`, `windows-1252`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub encoding: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum SourceFormat {
    Txt,
    Md,
    Pdf,
    /// A paper folder written by `ratsdoc sync`: OParl metadata
    /// (`oparl-paper.json`) and the paper's files.
    Oparl,
}

impl SourceFormat {
    /// By file extension, case-insensitive; `None` for files ratsdoc does not read.
    pub fn from_path(path: &std::path::Path) -> Option<SourceFormat> {
        let ext = path.extension()?.to_str()?.to_ascii_lowercase();
        match ext.as_str() {
            "txt" | "text" => Some(SourceFormat::Txt),
            "md" | "markdown" => Some(SourceFormat::Md),
            "pdf" => Some(SourceFormat::Pdf),
            _ => None,
        }
    }
}

impl Record {
    /// A record with only its identity, title and source; every other field
    /// empty. Parsers and tests fill in what they read.
    pub fn new(
        id: impl Into<String>,
        kind: Kind,
        title: impl Into<String>,
        source: Source,
    ) -> Record {
        Record {
            id: id.into(),
            kind,
            other_reason: None,
            title: title.into(),
            date: None,
            submitters: Vec::new(),
            received: None,
            consultations: Vec::new(),
            cost_coverage: None,
            decision_proposal: None,
            justification: None,
            body: None,
            signatory: None,
            report_requests: Vec::new(),
            references: Vec::new(),
            mentions: Vec::new(),
            source,
            other_sources: Vec::new(),
            diagnostics: Vec::new(),
            paper_type: None,
            ris: None,
            files: Vec::new(),
            ris_relations: Vec::new(),
        }
    }

    /// The date a paper counts from: its own date, else its earliest
    /// consultation (when it was first presented), else its receipt date.
    pub fn effective_date(&self) -> Option<NaiveDate> {
        self.date
            .or_else(|| self.consultations.iter().filter_map(|c| c.date).min())
            .or_else(|| self.received.as_ref().and_then(|r| r.date))
    }

    /// The file stem of the record under `records/`.
    pub fn file_stem(&self) -> String {
        crate::number::id_to_file_stem(&self.id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A request without a time phrase is written as `phrase: null`, not
    /// as an empty string, and reads back as `None`.
    #[test]
    fn a_request_without_a_phrase_writes_null() {
        let request = ReportRequest {
            phrase: None,
            due: None,
            recurring: false,
            period: None,
            addressee: Some("Stadtrat".into()),
            form: None,
            sentence: "Der Stadtrat ist über das Ergebnis zu informieren.".into(),
            condition: None,
        };
        let text = crate::yaml::to_string(&request).unwrap();
        assert!(text.contains("phrase: null"), "{text}");
        let back: ReportRequest = crate::yaml::from_str(&text).unwrap();
        assert_eq!(back, request);
    }
}
