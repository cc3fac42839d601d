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

use crate::sections::Doc;

static HEADING: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)^(?:(?:gemeinsamer|gemeinsame|interfraktioneller|interfraktionelle|dringlicher|dringliche|geänderter|geänderte|neufassung\s+(?:des|der)|ergänzter|ergänzte|kleine|große|mündliche|schriftliche)\s+)?(beschlussantrag|informationsvorlage|beschlussvorlage|änderungsantrag|aenderungsantrag|ratsanfrage|einwohneranfrage|anfrage)\b(.*)$",
    )
    .expect("constant pattern")
});
static PRESS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^\s*(medieninformation|pressemitteilung|presseinformation|pressemeldung|pressestelle|presse-?info)\b")
        .expect("constant pattern")
});
static WEB_NOISE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(warenkorb|anzeige|werbung|cookies?|newsletter|kommentare?|zum inhalt springen|teilen auf|mehr zum thema|topthemen)\b")
        .expect("constant pattern")
});
static NUMBER_LINE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^\s*(?:vorlagen?-?\s*nr|drucksachen?-?\s*nr|nr)\.?\s*:?\s*")
        .expect("constant pattern")
});

/// How a document was classified.
#[derive(Debug, Clone)]
pub struct Classification {
    pub kind: Kind,
    pub number: Option<PaperNumber>,
    /// The heading line, if one was found.
    pub heading_line: Option<usize>,
    /// For `Kind::Other`: why.
    pub other_reason: Option<String>,
    /// Remarks for `Record::diagnostics`.
    pub diagnostics: Vec<String>,
}

/// The kind a heading word names.
fn kind_of_word(word: &str) -> Kind {
    let w = word.to_lowercase();
    if w == "beschlussantrag" {
        Kind::Beschlussantrag
    } else if w == "informationsvorlage" {
        Kind::Informationsvorlage
    } else if w == "beschlussvorlage" {
        Kind::Beschlussvorlage
    } else if w.ends_with("nderungsantrag") {
        Kind::Aenderungsantrag
    } else {
        Kind::Anfrage
    }
}

/// The kind a number's prefix stands for.
pub fn kind_of_prefix(p: Prefix) -> Kind {
    match p {
        Prefix::Ba => Kind::Beschlussantrag,
        Prefix::I => Kind::Informationsvorlage,
        Prefix::B => Kind::Beschlussvorlage,
        Prefix::Aea => Kind::Aenderungsantrag,
        Prefix::A | Prefix::Ra | Prefix::Ia => Kind::Anfrage,
    }
}

/// A heading line: a kind word at the start, followed only by a short tail
/// (number, "der Fraktion …", "zu BA-…"), not by a sentence.
pub fn is_heading_line(line: &str) -> bool {
    heading(line).is_some()
}

fn heading(line: &str) -> Option<(Kind, String)> {
    let t = line.trim();
    let c = HEADING.captures(t)?;
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
    Some((kind_of_word(word), rest.to_string()))
}

fn prefix_fits(kind: Kind, p: Prefix) -> bool {
    kind_of_prefix(p) == kind
}

/// The paper's own number from a heading tail: the first number whose
/// prefix fits the kind ("Änderungsantrag ÄA-3/2022 zu BA-044/2020" is
/// ÄA-003/2022, not the paper it amends).
fn own_number(text: &str, kind: Kind) -> Option<PaperNumber> {
    PaperNumber::find_all(text)
        .into_iter()
        .map(|(n, _)| n)
        .find(|n| prefix_fits(kind, n.prefix))
}

/// The number in the file name, e.g. `BA_044_2020.txt`, `BA-044-2020_libreoffice.pdf`.
fn number_from_path(path: &str, kind: Option<Kind>) -> Option<PaperNumber> {
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
        Some(k) => found.iter().copied().find(|n| prefix_fits(k, n.prefix)),
        None => found.first().copied(),
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

/// Classifies a document. `register` is the receipt stamp's register
/// number, which is never the paper's own number.
pub fn classify(doc: &Doc, path: &str, register: Option<PaperNumber>) -> Classification {
    let mut diagnostics = Vec::new();
    let zone_end = doc.first_label_line().min(40);
    let labels = doc.structural_labels();
    let non_empty: Vec<usize> = (0..doc.lines.len())
        .filter(|&i| !doc.lines[i].trim().is_empty())
        .collect();
    let press = non_empty
        .iter()
        .take(15)
        .any(|&i| PRESS.is_match(&doc.lines[i]));

    // The heading: in the header zone; without labels, only among the first
    // few lines (a real heading stands at the top).
    let search_end = if labels > 0 {
        zone_end.max(non_empty.get(8).copied().unwrap_or(0))
    } else {
        non_empty.get(5).map_or(doc.lines.len(), |i| i + 1)
    };
    let found = (0..search_end.min(doc.lines.len()))
        .find_map(|i| heading(&doc.lines[i]).map(|(k, rest)| (i, k, rest)));

    let Some((line, kind, rest)) = found else {
        // No heading: a paper only if it is clearly structured and a number
        // can be found in the header zone or the file name.
        if labels >= 2 && !press {
            let number = (0..zone_end)
                .flat_map(|i| PaperNumber::find_all(&doc.lines[i]))
                .map(|(n, _)| n)
                .find(|n| Some(*n) != register)
                .or_else(|| number_from_path(path, None));
            if let Some(n) = number {
                diagnostics.push("no heading line; kind taken from the paper number".into());
                return Classification {
                    kind: kind_of_prefix(n.prefix),
                    number: Some(n),
                    heading_line: None,
                    other_reason: None,
                    diagnostics,
                };
            }
        }
        return Classification {
            kind: Kind::Other,
            number: None,
            heading_line: None,
            other_reason: Some(other_reason(doc)),
            diagnostics,
        };
    };

    // A heading below a press marker ("Pressemitteilung" … "Beschlussantrag
    // BA-061/2021") is a quotation inside a press release.
    let press_line = non_empty
        .iter()
        .take(15)
        .copied()
        .find(|&i| PRESS.is_match(&doc.lines[i]));
    if press_line.is_some_and(|p| p < line) {
        return Classification {
            kind: Kind::Other,
            number: None,
            heading_line: None,
            other_reason: Some(other_reason(doc)),
            diagnostics: Vec::new(),
        };
    }
    let mut number = own_number(&rest, kind).filter(|n| Some(*n) != register);
    if number.is_none() {
        // "Beschlussantrag" / "Nr. BA-044/2020" on the next lines.
        number = doc.lines[line + 1..]
            .iter()
            .filter(|l| !l.trim().is_empty())
            .take(2)
            .filter(|l| {
                NUMBER_LINE.is_match(l)
                    || PaperNumber::find_all(l).len() == 1 && l.trim().len() < 40
            })
            .find_map(|l| own_number(l, kind))
            .filter(|n| Some(*n) != register);
    }
    if number.is_none() {
        number = number_from_path(path, Some(kind));
        if number.is_some() {
            diagnostics.push("heading names no number; number taken from the file name".into());
        }
    }
    if labels == 0 && (number.is_none() || press) {
        return Classification {
            kind: Kind::Other,
            number: None,
            heading_line: None,
            other_reason: Some(other_reason(doc)),
            diagnostics: Vec::new(),
        };
    }
    if number.is_none() {
        diagnostics.push(format!("{} without a paper number", kind.german()));
    }
    Classification {
        kind,
        number,
        heading_line: Some(line),
        other_reason: None,
        diagnostics,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kind_and_id(text: &str, path: &str) -> (Kind, Option<String>) {
        let doc = Doc::new(text);
        let c = classify(&doc, path, None);
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
