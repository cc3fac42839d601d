//! The shapes of a listing page, one entry each: the lines that bound an
//! item ([`BOUNDARIES`]), the lines that belong to no item or end one
//! ([`EDGES`]), and the words that show an item asks a question
//! ([`ASKING`]).
//!
//! # How to add a listing shape
//!
//! 1. Add a line of the new shape to the `examples` of the [`Boundary`]
//!    that should read it and run `cargo test -p ratsdoc-parse listing`.
//!    If no entry reads it, add one: a `pattern` over the cleaned, trimmed
//!    line, with `{N}` where the paper number stands (any spelling; the
//!    number must belong to a register of the council's profile) and a
//!    group `title` if the line carries the paper's title; and the `side`
//!    of its item the line stands at.
//! 2. The test checks that each example is read by its own entry (the
//!    first entry that matches a line wins) with the number and title the
//!    example names.
//! 3. Add a page of the shape to `tests/listings/<case>/` (invented names
//!    and numbers) with the records it must give.

/// Where a boundary line stands in its item.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Side {
    /// The line opens its item; the item's text follows it
    /// ("RA-180/2022: Zuschüsse der Bürgerplattformen").
    Opens,
    /// The line closes its item; the item's text stands before it (the
    /// link to the answer's file under the question).
    Closes,
    /// The line belongs to the item whose number it names, just after
    /// that item's closing line (a link to an Anlage of the answer).
    Attaches,
}

/// One shape of a line that bounds an item.
pub(super) struct Boundary {
    /// Names the shape in test failures.
    #[cfg_attr(not(test), allow(dead_code))]
    pub name: &'static str,
    pub side: Side,
    /// The regex of the whole line; `{N}` is the paper number (group
    /// `number`), `{BULLET}` an optional list bullet.
    pub pattern: &'static str,
    /// Lines that show the shape: the line, the number it reads and the
    /// title it reads ("" for none). The tests read them.
    #[cfg_attr(not(test), allow(dead_code))]
    pub examples: &'static [(&'static str, &'static str, &'static str)],
}

/// A paper number in any spelling `PaperNumber` reads; which prefixes
/// count is the profile's business, so any short capitalised word stands
/// here.
pub(super) const NUMBER: &str =
    r"(?P<number>\p{Lu}\p{L}{0,2}[\s\-\u{2010}-\u{2014}\u{2212}_]{0,3}\d{1,4}\s?[/_]\s?\d{4})";

/// An optional list bullet before a line.
pub(super) const BULLET: &str = r"(?:[•·▪◦*\-–]\s*)?";

/// The boundary shapes; the first that matches a line wins, so a link
/// line that also reads as a heading ("RA-046/2024 – Titel PDF-Datei
/// (12 KB)") is a link.
pub(super) const BOUNDARIES: &[Boundary] = &[
    Boundary {
        name: "attachment",
        side: Side::Attaches,
        pattern: r"(?i)^(?:anlagen?|anhang)(?:\b|_)[^/]{0,30}?{N}.*$",
        examples: &[
            (
                "Anlage 1 zu IA-021/2025 Übersicht der FlächenPDF-Datei (1,51 MB)",
                "IA-021/2025",
                "",
            ),
            ("Anlage_2_RA-033_2024PDF-Datei (88 KB)", "RA-033/2024", ""),
        ],
    },
    Boundary {
        name: "file link",
        side: Side::Closes,
        pattern: r"(?i)^(?:antwort[\s_-]*(?:auf\s+|zu\s+|zur\s+)?)?{N}(?P<title>.*?)\s*(?:pdf|docx?|odt)-datei\s*\(\s*[\d.,]+\s*[kmg]?i?b\s*\)$",
        examples: &[
            (
                "RA-046/2024 Weiterführung FußgängerboulevardPDF-Datei (205,36 KB)",
                "RA-046/2024",
                "Weiterführung Fußgängerboulevard",
            ),
            (
                "Antwort_IA-059_2024PDF-Datei (165,54 KB)",
                "IA-059/2024",
                "",
            ),
        ],
    },
    Boundary {
        name: "file name",
        side: Side::Closes,
        // A file's name standing alone as the link text.
        pattern: r"(?i)^(?:antwort_)?{N}_(?P<title>\S*)$",
        examples: &[(
            "RA-472_2017_Antwort_Umzugskosten_Beispiel",
            "RA-472/2017",
            "Umzugskosten Beispiel",
        )],
    },
    Boundary {
        name: "heading",
        side: Side::Opens,
        // A title, not a sentence: it does not end in a full stop, colon
        // or comma ("RA-099/2022: Die Verwaltung hat geantwortet." is text).
        pattern: r"^{BULLET}{N}\s*[:–—-]\s*(?P<title>[^\s.:;,](?:.{0,148}[^\s.:;,])?)$",
        examples: &[
            (
                "RA-180/2022: Zuschüsse der Bürgerplattformen",
                "RA-180/2022",
                "Zuschüsse der Bürgerplattformen",
            ),
            (
                "• RA 547/2019: Zustand der Arbeitsräume",
                "RA-547/2019",
                "Zustand der Arbeitsräume",
            ),
            ("- IA-075/2023 – Grundsteuer", "IA-075/2023", "Grundsteuer"),
            (
                "RA-012/2021: Wann kommt die Ampel?",
                "RA-012/2021",
                "Wann kommt die Ampel?",
            ),
        ],
    },
    Boundary {
        name: "teaser",
        side: Side::Opens,
        pattern: r"^{BULLET}(?P<title>[^\s(][^()]{0,148}?)\s*\(\s*{N}\s*\)$",
        examples: &[
            (
                "Schachturnier (RA-148/2018)",
                "RA-148/2018",
                "Schachturnier",
            ),
            (
                "Kita-Sanierungen (RA 140/2018)",
                "RA-140/2018",
                "Kita-Sanierungen",
            ),
        ],
    },
];

/// What a line that is no boundary does to the items around it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Edge {
    /// Page furniture between items (a year heading, the page's intro):
    /// it belongs to no item.
    Separator,
    /// The last line of an item's text on the page ("… Weiterlesen"); what
    /// follows until the next item belongs to none. The marker words are
    /// not part of a record's body.
    End,
}

/// The edge lines, each a regex over the cleaned, trimmed line.
pub(super) const EDGES: &[(Edge, &str)] = &[
    (Edge::Separator, r"^(?:19|20)\d\d$"),
    (Edge::Separator, r"(?i)^hier\s+finden\s+sie\b"),
    (Edge::Separator, r"(?i)^alle\s+weiteren\b.*\bfinden\s+sie\b"),
    (
        Edge::End,
        r"(?i)(?:\bweiterlesen|\bweiter\s*lesen|\(\s*mehr\s*(?:…|\.\.\.)\s*\)|…\s*weiter)\s*[»›→]?$",
    ),
];

/// Words that show an item's text asks the council's questions; a listed
/// Anfrage without the city's answer must hold one to count as a paper.
pub(super) const ASKING: &str = r"(?i)\?|\bbitte[nt]?\s+(?:ich\s+|wir\s+)?(?:sie\s+)?um\s+(?:die\s+)?beantwortung|\bwollten\s+wissen|^(?:\d{1,2}[.)]\s*)?fragen?\s*:";

/// Words that show an item's text is a decision proposal ("Die Verwaltung
/// wird beauftragt, …"); a listed motion closed by the link to its file
/// must hold one to count as a paper.
pub(super) const PROPOSING: &str = r"(?i)\b(?:wird|werden)\s+beauftragt\b|\bbeauftragt\s+(?:die|den|das)\b|\bbeschließt\b|\bmöge\s+beschließen\b|\bwird\s+gestrichen\b|\bbeinhaltet\s+neu\b";

/// A file name's title that says nothing of the subject ("Beschlussantrag
/// 3", "Aenderung des Einreichers"): the record gets no title then.
pub(super) const NO_SUBJECT: &str = r"(?i)^(?:(?:beschluss|änderungs|aenderungs|ergänzungs|ergaenzungs)?antrag|änderung|aenderung|ergänzung|ergaenzung|des|der|einreichers?|neu|final|fassung|\d+|[\s\p{Pd}])*$";

/// A line that only labels what follows ("Antwort:" above the answer's
/// link): kept in the item, left out of a record's body.
pub(super) const DANGLING: &str = r"(?i)^(?:antwort(?:\s+der\s+stadtverwaltung)?|frage)\s*:?$";
