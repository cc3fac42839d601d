//! The labelled sections of a council paper ("Einreicher:", "Gegenstand:",
//! "Beratungsfolge", "Beschlussvorschlag:", "Begründung:", "Sachverhalt:", …).
//!
//! A paper is a sequence of label lines each followed by its content, so the
//! document is cut at every label line. A label is recognised only when it
//! stands at the start of a line and is the whole line or is followed by a
//! colon — "Begründung des Antrags ist …" in running text is not a label. The
//! table labels (Beratungsfolge, zur Kenntnis an) are the exception: their
//! line goes on with the table's column headers.

use std::sync::LazyLock;

use regex::Regex;

use crate::text::clean_line;

/// What a section holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Label {
    /// Einreicher: who submits the paper.
    Submitters,
    /// Gegenstand / Betreff: the subject.
    Subject,
    /// Kostendeckungsvorschlag.
    CostCoverage,
    /// Beratungsfolge table.
    Consultations,
    /// "zur Kenntnis an" table of an information paper.
    Presentations,
    /// Beschlussvorschlag (also Beschlusstext, Änderungsvorschlag).
    DecisionProposal,
    /// Begründung.
    Justification,
    /// Sachverhalt (also the question text of an Anfrage).
    Body,
    /// Unterschrift: the line under the signature.
    Signature,
    /// "An der Erarbeitung der Vorlage wurden beteiligt", Anlagen, finanzielle
    /// Auswirkungen: ends the previous section, holds nothing we record.
    Other,
}

impl Label {
    /// Labels that show a document has the structure of a council paper.
    pub fn is_structural(self) -> bool {
        !matches!(self, Label::Signature | Label::Other)
    }
}

/// One label and the lines up to the next label.
#[derive(Debug, Clone)]
pub struct Section {
    pub label: Label,
    /// Index of the label line in [`Doc::lines`].
    pub line: usize,
    /// What follows the label on its own line (after the colon, or the
    /// column headers of a table label).
    pub rest: String,
    /// Indices of the content lines (up to the next label).
    pub body: std::ops::Range<usize>,
}

/// A paper cut into cleaned lines and labelled sections.
#[derive(Debug, Clone)]
pub struct Doc {
    pub lines: Vec<String>,
    pub sections: Vec<Section>,
}

static TEXT_LABEL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)^(einreicher(?:in|innen|/in|\*in|\(in\))?|antragsteller(?:in)?|gegenstand|betreff|kostendeckungs(?:vorschlag)?|kostendeckung|beschlussvorschlag|beschlusstext|beschlussempfehlung|änderungsvorschlag|begründung|sachverhalt(?:sdarstellung)?|anfrage|unterschrift(?:en)?|anlagen?|an der erarbeitung der vorlage (?:wurden|waren|sind) beteiligt|finanzielle auswirkungen)(?:(?:\s+(?:der|des|die|zur|zum|zu|und)\s[^:]{1,40})?\s*:\s*(.*)|\s*$)",
    )
    .expect("constant pattern")
});
static TABLE_LABEL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^(beratungsfolge|zur\s+kenntnis(?:nahme)?\s+an)\b:?(.*)$")
        .expect("constant pattern")
});

/// Recognises a label line; returns the label and the rest of the line.
pub fn label_of(line: &str) -> Option<(Label, String)> {
    let t = line.trim();
    // Every label word starts with one of these letters (any case); a line
    // that starts with another ASCII character is no label. Non-ASCII
    // starts (Änderungsvorschlag, case-folding look-alikes) go to the regex.
    if t.chars().next().is_none_or(|c| {
        c.is_ascii()
            && !matches!(
                c.to_ascii_lowercase(),
                'a' | 'b' | 'e' | 'f' | 'g' | 'k' | 's' | 'u' | 'z'
            )
    }) {
        return None;
    }
    if let Some(c) = TABLE_LABEL.captures(t) {
        let word = c
            .get(1)
            .map(|m| m.as_str().to_lowercase())
            .unwrap_or_default();
        let rest = c.get(2).map(|m| m.as_str().to_string()).unwrap_or_default();
        let label = if word.starts_with("beratungsfolge") {
            Label::Consultations
        } else {
            Label::Presentations
        };
        return Some((label, rest));
    }
    let c = TEXT_LABEL.captures(t)?;
    let word = c.get(1)?.as_str().to_lowercase();
    if word == "anfrage" && !t.contains(':') {
        // A bare "Anfrage" line is the heading of a question, not a label.
        return None;
    }
    let rest = c
        .get(2)
        .map(|m| m.as_str().trim().to_string())
        .unwrap_or_default();
    let label = if word.starts_with("einreicher") || word.starts_with("antragsteller") {
        Label::Submitters
    } else if word == "gegenstand" || word == "betreff" {
        Label::Subject
    } else if word.starts_with("kostendeckung") {
        Label::CostCoverage
    } else if word.starts_with("beschluss") || word == "änderungsvorschlag" {
        Label::DecisionProposal
    } else if word == "begründung" {
        Label::Justification
    } else if word.starts_with("sachverhalt") || word == "anfrage" {
        // "Anfrage" as a bare label (with a colon or alone on its line) heads
        // the question text; the heading "Anfrage Nr. …" never matches here.
        Label::Body
    } else if word.starts_with("unterschrift") {
        Label::Signature
    } else {
        Label::Other
    };
    Some((label, rest))
}

impl Doc {
    pub fn new(text: &str) -> Doc {
        let lines: Vec<String> = text.lines().map(clean_line).collect();
        let mut sections: Vec<Section> = Vec::new();
        for (i, line) in lines.iter().enumerate() {
            if let Some((label, rest)) = label_of(line) {
                if let Some(prev) = sections.last_mut() {
                    prev.body.end = i;
                }
                sections.push(Section {
                    label,
                    line: i,
                    rest,
                    body: i + 1..lines.len(),
                });
            }
        }
        Doc { lines, sections }
    }

    /// The first section with this label.
    pub fn section(&self, label: Label) -> Option<&Section> {
        self.sections.iter().find(|s| s.label == label)
    }

    /// The content lines of the first section with this label, with the
    /// text after the label's colon as the first line.
    pub fn content(&self, label: Label) -> Option<Vec<String>> {
        let s = self.section(label)?;
        let mut out = Vec::new();
        if !s.rest.trim().is_empty() {
            out.push(s.rest.clone());
        }
        out.extend(self.lines[s.body.clone()].iter().cloned());
        Some(out)
    }

    /// Line index of the first label, i.e. the end of the header zone that
    /// holds the receipt stamp and the heading.
    pub fn first_label_line(&self) -> usize {
        self.sections.first().map_or(self.lines.len(), |s| s.line)
    }

    /// How many different structural labels the document has.
    pub fn structural_labels(&self) -> usize {
        let mut seen: Vec<Label> = Vec::new();
        for s in &self.sections {
            if s.label.is_structural() && !seen.contains(&s.label) {
                seen.push(s.label);
            }
        }
        seen.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_are_recognised_only_as_labels() {
        assert_eq!(
            label_of("Einreicher:").map(|l| l.0),
            Some(Label::Submitters)
        );
        assert_eq!(
            label_of("Gegenstand: Foo").map(|l| l.1),
            Some("Foo".to_string())
        );
        assert_eq!(
            label_of("Beschlussvorschlag").map(|l| l.0),
            Some(Label::DecisionProposal)
        );
        assert_eq!(label_of("Begründung des Antrags ist einfach."), None);
        assert_eq!(
            label_of("Gegenstand der Vorlage: Foo").map(|l| (l.0, l.1)),
            Some((Label::Subject, "Foo".to_string()))
        );
        assert_eq!(label_of("Anfrage Nr. RA-012/2021"), None);
        assert_eq!(
            label_of("zur Kenntnis an\tSitzungstermine\tStatus").map(|l| l.0),
            Some(Label::Presentations)
        );
        assert_eq!(
            label_of(
                "Beratungsfolge (Beiräte, Ortschaftsräte, Ausschüsse, Stadtrat)\tSitzungs- termine"
            )
            .map(|l| l.0),
            Some(Label::Consultations)
        );
    }
}
