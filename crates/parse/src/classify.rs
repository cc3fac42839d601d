//! What a document is: which kind of council paper, with which number — or
//! not a council paper at all.
//!
//! The decision rests on the document's *heading line* ("Beschlussantrag Nr.
//! BA-044/2020", "Informationsvorlage Nr. I-051/2020") and its *structure*
//! (section labels such as Einreicher, Gegenstand, Beschlussvorschlag), never
//! on a paper number found somewhere in the text: a press release that quotes
//! "BA-044/2020" in a sentence is still a press release. When the heading
//! names the kind but not the number, the number comes from the lines just
//! below the heading or from the file name (`BA_044_2020.txt`).

use std::sync::LazyLock;

use ratsdoc_model::{Kind, PaperNumber, Prefix};
use regex::Regex;

use crate::profile::Profile;
use crate::sections::{Doc, Label};

static PRESS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^\s*(medieninformation|pressemitteilung|presseinformation|pressemeldung|pressestelle|presse-?info)\b")
        .expect("constant pattern")
});
static WEB_NOISE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(warenkorb|anzeige|werbung|cookies?|newsletter|kommentare?|zum inhalt springen|teilen auf|mehr zum thema|topthemen)\b")
        .expect("constant pattern")
});
/// Whether a line marks a press release ("Pressemitteilung",
/// "Medieninformation"): a heading or number below it is a quotation.
pub(crate) fn is_press_marker(line: &str) -> bool {
    PRESS.is_match(line)
}

/// How a document was classified.
#[derive(Debug, Clone)]
pub struct Classification {
    pub kind: Kind,
    pub number: Option<PaperNumber>,
    /// The paper's reference as printed, for a council that numbers by
    /// pattern (`2021/1342/1`); `None` where `number` is used.
    pub reference: Option<String>,
    /// The heading line, if one was found.
    pub heading_line: Option<usize>,
    /// For `Kind::Other`: why.
    pub other_reason: Option<String>,
    /// Remarks for `Record::diagnostics`.
    pub diagnostics: Vec<String>,
}

/// A heading line: a kind word at the start, followed only by a short tail
/// (number, "der Fraktion …", "zu BA-…"), not by a sentence.
pub fn is_heading_line(line: &str, profile: &Profile) -> bool {
    heading(line, profile).is_some()
}

fn heading(line: &str, profile: &Profile) -> Option<(Kind, String)> {
    let t = line.trim();
    let c = profile.heading.captures(t)?;
    let word = c.get(1)?.as_str();
    let rest = c.get(2).map_or("", |m| m.as_str()).trim();
    let ends_like_sentence = rest.ends_with('.') && !rest.ends_with("Nr.");
    if rest.chars().count() > 100 || ends_like_sentence || rest.starts_with(':') {
        return None;
    }
    // A sentence that merely begins with the word ("Beschlussantrag wurde
    // abgelehnt") has lower-case words after it and no number.
    let first = rest.split_whitespace().next().unwrap_or("");
    let sentence_like = !rest.is_empty()
        && PaperNumber::find_all(rest).is_empty()
        && first.chars().next().is_some_and(char::is_lowercase)
        && !matches!(
            first,
            "der" | "des" | "von" | "zu" | "zum" | "zur" | "nr." | "nr"
        );
    if sentence_like {
        return None;
    }
    Some((profile.kind_of_word(word), rest.to_string()))
}

fn prefix_fits(kind: Kind, p: Prefix, profile: &Profile) -> bool {
    profile.kind_of_prefix(p) == Some(kind)
}

/// The paper's own number from a heading tail: the first number whose
/// prefix fits the kind ("Änderungsantrag ÄA-3/2022 zu BA-044/2020" is
/// ÄA-003/2022, not the paper it amends).
fn own_number(text: &str, kind: Kind, profile: &Profile) -> Option<PaperNumber> {
    PaperNumber::find_all(text)
        .into_iter()
        .map(|(n, _)| n)
        .find(|n| prefix_fits(kind, n.prefix, profile))
}

/// The number in the file name, e.g. `BA_044_2020.txt`, `BA-044-2020_libreoffice.pdf`.
fn number_from_path(path: &str, kind: Option<Kind>, profile: &Profile) -> Option<PaperNumber> {
    let name = path.rsplit(['/', '\\']).next().unwrap_or(path);
    let mut found: Vec<PaperNumber> = PaperNumber::find_all_loose(name)
        .into_iter()
        .map(|(n, _)| n)
        .collect();
    if found.is_empty() {
        // The record-file-stem spelling `BA-044-2020`: a dash before the year.
        static STEM_YEAR: LazyLock<Regex> =
            LazyLock::new(|| Regex::new(r"(\d{1,4})-((?:19|20)\d\d)").expect("constant pattern"));
        let slashed = STEM_YEAR.replace_all(name, "$1/$2");
        found = PaperNumber::find_all_loose(&slashed)
            .into_iter()
            .map(|(n, _)| n)
            .collect();
    }
    match kind {
        Some(k) => found
            .iter()
            .copied()
            .find(|n| prefix_fits(k, n.prefix, profile)),
        None => found.iter().copied().find(|n| profile.knows_number(n)),
    }
}

/// Why a document without heading and labels is not a council paper.
fn other_reason(doc: &Doc) -> String {
    let top: Vec<&String> = doc
        .lines
        .iter()
        .filter(|l| !l.trim().is_empty())
        .take(15)
        .collect();
    if let Some(word) = top
        .iter()
        .find_map(|l| PRESS.captures(l).and_then(|c| c.get(1)))
    {
        return format!("press release ({}), not a council paper", word.as_str());
    }
    let noise = doc.lines.iter().filter(|l| WEB_NOISE.is_match(l)).count();
    if noise >= 3 {
        return "scraped web page (shop, advertising and navigation noise), not a council paper"
            .into();
    }
    "no council-paper heading (Beschlussantrag, Informationsvorlage, …) and no section labels (Einreicher, Gegenstand, …): news item or other text".into()
}

/// A document that is not a council paper, and why.
fn not_a_paper(doc: &Doc, diagnostics: Vec<String>) -> Classification {
    Classification {
        kind: Kind::Other,
        number: None,
        reference: None,
        heading_line: None,
        other_reason: Some(other_reason(doc)),
        diagnostics,
    }
}

/// Classifies a document. `register` is the receipt stamp's register
/// number, which is never the paper's own number.
pub fn classify(
    doc: &Doc,
    path: &str,
    register: Option<PaperNumber>,
    profile: &Profile,
) -> Classification {
    let zone_end = doc.first_label_line().min(40);
    let labels = doc.structural_labels();
    let non_empty: Vec<usize> = (0..doc.lines.len())
        .filter(|&i| !doc.lines[i].trim().is_empty())
        .collect();
    let press_line = non_empty
        .iter()
        .take(15)
        .copied()
        .find(|&i| PRESS.is_match(&doc.lines[i]));

    // The heading: in the header zone; without labels, only among the first
    // few lines (a real heading stands at the top).
    let search_end = if labels > 0 {
        zone_end.max(
            non_empty
                .get(profile.heading_window_with_labels)
                .copied()
                .unwrap_or(0),
        )
    } else {
        non_empty
            .get(profile.heading_window)
            .map_or(doc.lines.len(), |i| i + 1)
    };
    let found = (0..search_end.min(doc.lines.len()))
        .find_map(|i| heading(&doc.lines[i], profile).map(|(k, rest)| (i, k, rest)));

    // A council that prints "Vorlage Nr.:" on every paper: that label
    // shows a paper's structure as section labels do.
    let number_label = profile.numbers_by_pattern()
        && (0..doc.lines.len().min(profile.number_window))
            .any(|i| profile.is_number_label_line(&doc.lines[i]));
    let Some((line, kind, rest)) = found else {
        if (labels >= 2 || number_label) && press_line.is_none() {
            return without_heading(doc, path, register, zone_end, profile);
        }
        return not_a_paper(doc, Vec::new());
    };
    // A heading below a press marker ("Pressemitteilung" … "Beschlussantrag
    // BA-061/2021") is a quotation inside a press release.
    if press_line.is_some_and(|p| p < line) {
        return not_a_paper(doc, Vec::new());
    }
    let mut diagnostics = Vec::new();
    let (number, reference) = if profile.numbers_by_pattern() {
        (None, reference_below(doc, line, &rest, profile))
    } else {
        let number = number_below(doc, line, &rest, kind, register, profile).or_else(|| {
            let n = number_from_path(path, Some(kind), profile);
            if n.is_some() {
                diagnostics.push("heading names no number; number taken from the file name".into());
            }
            n
        });
        (number, None)
    };
    let numbered = number.is_some() || reference.is_some();
    if labels == 0 && ((!numbered && !number_label) || press_line.is_some()) {
        return not_a_paper(doc, Vec::new());
    }
    if !numbered {
        diagnostics.push(format!("{} without a paper number", kind.german()));
    }
    Classification {
        kind,
        number,
        reference,
        heading_line: Some(line),
        other_reason: None,
        diagnostics,
    }
}

/// A structured document without heading: a paper only if a number can be
/// found in the header zone or the file name; its register gives the kind.
fn without_heading(
    doc: &Doc,
    path: &str,
    register: Option<PaperNumber>,
    zone_end: usize,
    profile: &Profile,
) -> Classification {
    let diagnostics = vec!["no heading line; kind taken from the paper number".to_string()];
    if profile.numbers_by_pattern() {
        let top = doc.lines.len().min(profile.number_window);
        let found = (0..top).find_map(|i| profile.reference_of_line(&doc.lines[i]));
        let labelled = (0..top).any(|i| profile.is_number_label_line(&doc.lines[i]));
        let kind = match &found {
            Some((_, Some(kind))) => Some(*kind),
            _ => profile.unheaded.filter(|_| labelled),
        };
        let Some(kind) = kind else {
            return not_a_paper(doc, Vec::new());
        };
        return Classification {
            kind,
            number: None,
            reference: found.map(|(reference, _)| reference),
            heading_line: None,
            other_reason: None,
            diagnostics,
        };
    }
    let number = (0..zone_end)
        .flat_map(|i| PaperNumber::find_all(&doc.lines[i]))
        .map(|(n, _)| n)
        .find(|n| Some(*n) != register && profile.knows_number(n))
        .or_else(|| number_from_path(path, None, profile));
    let Some((n, kind)) = number.and_then(|n| Some((n, profile.kind_of_prefix(n.prefix)?))) else {
        return motion_copy(doc, profile);
    };
    Classification {
        kind,
        number: Some(n),
        reference: None,
        heading_line: None,
        other_reason: None,
        diagnostics,
    }
}

/// A motion's parts without heading and number: a copy on a faction's
/// website, unnumbered.
fn motion_copy(doc: &Doc, profile: &Profile) -> Classification {
    let parts =
        doc.section(Label::Submitters).is_some() && doc.section(Label::DecisionProposal).is_some();
    match profile.motion_copy {
        Some(kind) if parts => Classification {
            kind,
            number: None,
            reference: None,
            heading_line: None,
            other_reason: None,
            diagnostics: vec![
                "no heading line and no number: a copy of a motion, kept unnumbered".into(),
            ],
        },
        _ => not_a_paper(doc, Vec::new()),
    }
}

/// The number of a prefix-numbered paper: in the heading's tail, else on
/// the next lines ("Beschlussantrag" / "Nr. BA-044/2020").
fn number_below(
    doc: &Doc,
    line: usize,
    rest: &str,
    kind: Kind,
    register: Option<PaperNumber>,
    profile: &Profile,
) -> Option<PaperNumber> {
    own_number(rest, kind, profile)
        .filter(|n| Some(*n) != register)
        .or_else(|| {
            doc.lines[line + 1..]
                .iter()
                .filter(|l| !l.trim().is_empty())
                .take(2)
                .filter(|l| {
                    profile.number_line.is_match(l)
                        || PaperNumber::find_all(l).len() == 1 && l.trim().len() < 40
                })
                .find_map(|l| own_number(l, kind, profile))
                .filter(|n| Some(*n) != register)
        })
}

/// The reference of a pattern-numbered paper: in the heading's tail
/// ("ANTRAG DHH/2023/5050"), else the first line of the top of the paper
/// that holds nothing but a reference, after an optional number label
/// ("Vorlage Nr.: 2021/1342", or the value column of an older header).
fn reference_below(doc: &Doc, line: usize, rest: &str, profile: &Profile) -> Option<String> {
    if let Some((reference, _)) = profile.find_reference(rest) {
        return Some(reference);
    }
    let end = doc.lines.len().min(line + profile.number_window);
    (0..end)
        .find_map(|i| profile.reference_of_line(&doc.lines[i]))
        .map(|(reference, _)| reference)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kind_and_id(text: &str, path: &str) -> (Kind, Option<String>) {
        let doc = Doc::new(text);
        let c = classify(&doc, path, None, Profile::chemnitz());
        (c.kind, c.number.map(|n| n.to_string()))
    }

    #[test]
    fn heading_decides() {
        assert_eq!(
            kind_and_id(
                "Beschlussantrag Nr. BA-044/2020\n\nEinreicher:\nX\n",
                "a.txt"
            ),
            (Kind::Beschlussantrag, Some("BA-044/2020".into()))
        );
        assert_eq!(
            kind_and_id(
                "Änderungsantrag Nr. ÄA-3/2022 zum Beschlussantrag BA-044/2020\nEinreicher:\nX\n",
                "a.txt"
            ),
            (Kind::Aenderungsantrag, Some("ÄA-003/2022".into()))
        );
        assert_eq!(
            kind_and_id("Ratsanfrage Nr. RA-12/2021\nBetreff: X\n", "a.txt"),
            (Kind::Anfrage, Some("RA-012/2021".into()))
        );
    }

    #[test]
    fn number_from_file_name() {
        assert_eq!(
            kind_and_id(
                "Beschlussantrag\n\nEinreicher:\nX\n",
                "corpus/BA_044_2020.txt"
            ),
            (Kind::Beschlussantrag, Some("BA-044/2020".into()))
        );
        assert_eq!(
            kind_and_id(
                "Beschlussantrag\n\nEinreicher:\nX\n",
                "BA-044-2020_libreoffice.pdf"
            ),
            (Kind::Beschlussantrag, Some("BA-044/2020".into()))
        );
    }

    #[test]
    fn quoted_numbers_do_not_make_a_paper() {
        let (kind, _) = kind_and_id(
            "Pressemitteilung\n\nStadtrat stimmt zu\n\nDer Beschlussantrag BA-044/2020 der Fraktion wurde angenommen.\n",
            "p.txt",
        );
        assert_eq!(kind, Kind::Other);
    }
}
