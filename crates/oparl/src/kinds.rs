//! `paperType` (Vorlagenart) to record kind. Councils name their types
//! freely; the table maps the words in use, first match wins, and a type it
//! does not know becomes `sonstige` with the RIS's word kept verbatim.

use ratsdoc_model::Kind;

/// How a table row matches the folded type name.
#[derive(Debug, Clone, Copy)]
enum Match {
    Exact(&'static str),
    Prefix(&'static str),
    Contains(&'static str),
}

/// Folded (lower case, spaces squeezed) type names and their kinds. Order
/// matters: "Änderungs-/Ergänzungsantrag" must meet its own row before the
/// one for "antrag".
const PAPER_TYPES: &[(Match, Kind)] = &[
    (Match::Contains("änderungsantrag"), Kind::Aenderungsantrag),
    (
        Match::Contains("änderungs-/ergänzungsantrag"),
        Kind::Aenderungsantrag,
    ),
    (Match::Contains("ergänzungsantrag"), Kind::Aenderungsantrag),
    (Match::Contains("anfrage"), Kind::Anfrage),
    (Match::Exact("antrag"), Kind::Beschlussantrag),
    (Match::Contains("beschlussantrag"), Kind::Beschlussantrag),
    (Match::Contains("fraktionsantrag"), Kind::Beschlussantrag),
    (Match::Exact("antrag nach § 34 gemo"), Kind::Beschlussantrag),
    // Karlsruhe's Haushaltsanträge: "Haushalt THH 4100", "Haushalt Gesamt".
    (Match::Prefix("haushalt"), Kind::Beschlussantrag),
    (Match::Contains("beschlussvorlage"), Kind::Beschlussvorlage),
    (
        Match::Contains("verwaltungsvorlage"),
        Kind::Beschlussvorlage,
    ),
    (Match::Exact("vorlage"), Kind::Beschlussvorlage),
    (
        Match::Contains("informationsvorlage"),
        Kind::Informationsvorlage,
    ),
    (
        Match::Contains("mitteilungsvorlage"),
        Kind::Informationsvorlage,
    ),
    (Match::Exact("mitteilung"), Kind::Informationsvorlage),
    (Match::Contains("bericht"), Kind::Informationsvorlage),
];

/// The record kind of an OParl `paperType`; `Sonstige` for a type no row
/// knows and for a missing one.
pub fn kind_of_paper_type(paper_type: Option<&str>) -> Kind {
    let Some(paper_type) = paper_type else {
        return Kind::Sonstige;
    };
    let folded = paper_type
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase();
    PAPER_TYPES
        .iter()
        .find(|(m, _)| match *m {
            Match::Exact(s) => folded == s,
            Match::Prefix(s) => folded.starts_with(s),
            Match::Contains(s) => folded.contains(s),
        })
        .map(|(_, kind)| *kind)
        .unwrap_or(Kind::Sonstige)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_types_of_a_real_ris_map_to_kinds() {
        for (paper_type, kind) in [
            ("Antrag", Kind::Beschlussantrag),
            ("Änderungs-/Ergänzungsantrag", Kind::Aenderungsantrag),
            ("Anfrage", Kind::Anfrage),
            ("Beschlussvorlage", Kind::Beschlussvorlage),
            ("Informationsvorlage", Kind::Informationsvorlage),
            ("Haushalt THH 4100", Kind::Beschlussantrag),
            ("Offenlage", Kind::Sonstige),
            ("  beschlussvorlage ", Kind::Beschlussvorlage),
        ] {
            assert_eq!(kind_of_paper_type(Some(paper_type)), kind, "{paper_type}");
        }
        assert_eq!(kind_of_paper_type(None), Kind::Sonstige);
    }
}
