//! The deadline phrase shapes, one entry each: what to look for, how it
//! reads, and sentences that show it.
//!
//! # How to add a deadline phrase
//!
//! 1. Add a sentence with the phrase to the `examples` of the shape that
//!    should read it, and run the test of step 3. If it fails because the
//!    shape does not find the phrase, widen that shape's `pattern` (and
//!    `needle`); if no shape is close, go on with step 2.
//! 2. Add one [`Shape`] to [`SHAPES`]:
//!    - `pattern`: a regex (`(?i)`, mostly `\b` at both ends) for the
//!      whole phrase, prepositions included ("bis zum", "spätestens im"),
//!      since the phrase is what the record keeps. `{NAME}` inserts a
//!      piece of [`FRAGMENTS`]; name the groups its [`Read`] reads.
//!    - `needle`: a regex (same case folding, no `\b`) that every phrase
//!      of the shape contains. All needles run as one set over each
//!      sentence first, and a shape's pattern runs only where its needle
//!      matched: a needle that misses a phrase hides it. (Unicode `\b`
//!      sends the regex engine to its slow path on German text; most
//!      sentences need no pattern run at all.)
//!    - `read`: how a match becomes a due date. Reuse a [`Read`] kind, or
//!      add one (a variant and a small function in `resolve.rs`); a new
//!      kind of date (not a day, month, quarter, half-year, year, season or
//!      span) is a new [`Due`](super::resolve::Due) and a line in
//!      `resolve`.
//!    - `examples`: at least one sentence with the phrase and its due date
//!      as of [`SESSION`] and [`DECISION`] (`.at(..)` names other dates).
//! 3. `cargo test -p ratsdoc-parse deadlines` reads every example through
//!    the whole reader and checks that this shape is the one that finds it
//!    and that its needle matches it.
//!
//! Where phrases overlap, the one that starts first wins, then the longer
//! one; the table's order decides only between phrases with the same start
//! and end (the earlier entry wins).

use super::resolve::{Due, Read};
use crate::dates::MONTH_NAMES;

/// One deadline phrase shape.
pub(super) struct Shape {
    /// Names the shape in test failures.
    #[cfg_attr(not(test), allow(dead_code))]
    pub name: &'static str,
    /// A regex every phrase of the shape contains, for the prefilter.
    pub needle: &'static str,
    /// The regex of the phrase.
    pub pattern: &'static str,
    /// How a match becomes a due date.
    pub read: Read,
    /// Sentences that show the shape, with what it reads from them; the
    /// tests read them, the parser does not.
    #[cfg_attr(not(test), allow(dead_code))]
    pub examples: &'static [Example],
}

/// A sentence of a Beschlussvorschlag that orders a report, the phrase the
/// reader keeps from it and that phrase's due date.
#[derive(Debug, Clone, Copy)]
#[cfg_attr(not(test), allow(dead_code))]
pub(super) struct Example {
    pub text: &'static str,
    pub phrase: &'static str,
    /// ISO date; `None`: the phrase is kept without a date.
    pub due: Option<&'static str>,
    /// The motion's session (ISO), for periods named without a year.
    pub session: Option<&'static str>,
    /// The deciding session (ISO), where spans start.
    pub decision: Option<&'static str>,
}

/// The session an example is read at unless it says otherwise.
pub(super) const SESSION: &str = "2021-06-24";
/// The decision an example's spans count from unless it says otherwise:
/// later than [`SESSION`], as when a committee advises first.
pub(super) const DECISION: &str = "2021-08-31";

/// An example whose phrase is due on `due` (ISO).
const fn dated(text: &'static str, phrase: &'static str, due: &'static str) -> Example {
    Example {
        text,
        phrase,
        due: Some(due),
        session: Some(SESSION),
        decision: Some(DECISION),
    }
}

/// An example whose phrase is kept without a date.
const fn undated(text: &'static str, phrase: &'static str) -> Example {
    Example {
        due: None,
        ..dated(text, phrase, "")
    }
}

impl Example {
    /// The same example read at other dates of the paper.
    const fn at(self, session: Option<&'static str>, decision: Option<&'static str>) -> Example {
        Example {
            session,
            decision,
            ..self
        }
    }
}

/// Pieces the patterns share, written `{NAME}` in a pattern or needle and
/// expanded in this order (so a piece may use the pieces after it). They
/// hold no capture groups: patterns name their own.
pub(super) const FRAGMENTS: &[(&str, &str)] = &[
    (
        "DATE",
        r"(?:\d{1,2}\.\s?\d{1,2}\.\s?\d{4}|\d{1,2}\.\s*(?:{MONTHS})\s+\d{4})",
    ),
    (
        "PREFIX",
        r"(?:(?:bis\s+spätestens\s+zum|bis\s+spätestens|bis\s+zum|bis\s+zur|spätestens\s+bis\s+zum|spätestens\s+bis|spätestens\s+im|spätestens\s+zum|spätestens\s+in|bis|spätestens|zum|zur|im|in)\s+)?(?:(?:ende|anfang|mitte|beginn|laufe|verlauf)\s+(?:des\s+|der\s+)?)?",
    ),
    (
        "REL_YEAR",
        r"(?:dieses|des\s+laufenden|des\s+kommenden|des\s+nächsten|des\s+folgenden)\s+jahres",
    ),
    // The number of a span: digits, or a German number word; "eines
    // halben" (Jahres) is half of one.
    (
        "COUNT",
        r"\d{1,3}|zwölf|zwei|drei|vier(?:zehn)?|fünf|sechs|sieben|acht(?:zehn)?|neun|zehn|elf|(?:ein(?:em|es|er|e)?\s+)?halben|ein(?:em|es|er|e)?",
    ),
    (
        "UNIT",
        r"tag(?:e|en|es)?|woche(?:n)?|monat(?:e|en|es|s)?|jahr(?:e|en|es|s)?",
    ),
    ("MONTHS", MONTH_NAMES),
    ("YEAR", r"(?:19|20)\d{2}"),
];

/// Every deadline phrase shape. See the module documentation for how to
/// add one.
pub(super) const SHAPES: &[Shape] = &[
    Shape {
        name: "session with its date or month",
        needle: "sitzung",
        pattern: r"(?i)(?:bis\s+(?:spätestens\s+)?zur|spätestens\s+(?:in\s+der|zur|bis\s+zur)|in\s+der|zur)\s+(?:\w+\s+){0,2}?\w*sitzung\b[^.;]{0,100}?\b(?:am\s+(?:dem\s+)?(?P<date>{DATE})|im\s+(?P<month>{MONTHS})(?:\s+(?P<year>{YEAR}))?)",
        read: Read::Session,
        examples: &[
            dated(
                "Der Bericht ist bis zur Sitzung des Stadtrates am 15.12.2021 vorzulegen.",
                "bis zur Sitzung des Stadtrates am 15.12.2021",
                "2021-12-15",
            ),
            dated(
                "Der Stadtrat ist in der Sitzung des Stadtrates am 11. Dezember 2024 zu informieren.",
                "in der Sitzung des Stadtrates am 11. Dezember 2024",
                "2024-12-11",
            ),
            dated(
                "Die Ergebnisse sind spätestens in der Sitzung im Dezember 2024 vorzustellen.",
                "spätestens in der Sitzung im Dezember 2024",
                "2024-12-31",
            ),
        ],
    },
    Shape {
        name: "date",
        needle: r"\d\.\s?\d{1,2}\.\s?\d{4}|\d\.\s*(?:{MONTHS})\s+\d{4}",
        pattern: r"(?i)\b(?:bis\s+spätestens\s+(?:zum\s+|am\s+)?|bis\s+(?:zum\s+|am\s+)?|spätestens\s+(?:bis\s+zum\s+|bis\s+|zum\s+|am\s+)?|zum\s+|per\s+)(?P<date>{DATE})",
        read: Read::Date,
        examples: &[
            dated(
                "Ein Bericht ist bis zum 31.12.2020 vorzulegen.",
                "bis zum 31.12.2020",
                "2020-12-31",
            ),
            dated(
                "Ein Bericht ist bis 31.7.2023 vorzulegen.",
                "bis 31.7.2023",
                "2023-07-31",
            ),
        ],
    },
    Shape {
        name: "quarter",
        needle: "quartal|q[1-4]",
        pattern: r"(?i)\b{PREFIX}(?:\b(?P<number>IV|III|II|I|[1-4])\.|\b(?P<word>erste[nmrs]?|zweite[nmrs]?|dritte[nmrs]?|vierte[nmrs]?|letzte[nmrs]?))\s*quartals?\b(?:\s+(?:des\s+jahres\s+)?(?P<year>{YEAR})|\s+(?P<rel>{REL_YEAR}))?|\bQ(?P<q>[1-4])\s*/?\s*(?P<q_year>{YEAR})",
        read: Read::Quarter,
        examples: &[
            dated(
                "Der Stadtrat ist im 3. Quartal 2020 zu informieren.",
                "im 3. Quartal 2020",
                "2020-09-30",
            ),
            dated(
                "Der Stadtrat ist im dritten Quartal 2020 zu informieren.",
                "im dritten Quartal 2020",
                "2020-09-30",
            ),
            dated(
                "Der Stadtrat ist bis Ende des 3. Quartals zu informieren.",
                "bis Ende des 3. Quartals",
                "2021-09-30",
            ),
        ],
    },
    Shape {
        name: "half-year",
        needle: "halbjahr|jahreshälfte",
        pattern: r"(?i)\b{PREFIX}(?:\b(?P<number>II|I|[12])\.|\b(?P<word>erste[nmrs]?|zweite[nmrs]?|letzte[nmrs]?))\s*(?:halbjahr(?:es|s)?|jahreshälfte)\b(?:\s+(?:des\s+jahres\s+)?(?P<year>{YEAR})|\s+(?P<rel>{REL_YEAR}))?",
        read: Read::Half,
        examples: &[dated(
            "Der Stadtrat ist im ersten Halbjahr 2022 zu informieren.",
            "im ersten Halbjahr 2022",
            "2022-06-30",
        )],
    },
    Shape {
        name: "month",
        needle: "{MONTHS}",
        pattern: r"(?i)\b(?:bis\s+(?:spätestens\s+)?(?:zum\s+)?(?:ende\s+)?|spätestens\s+(?:im\s+|zum\s+|bis\s+(?:zum\s+)?)?(?:ende\s+)?|im\s+(?:monat\s+)?|ende\s+|zum\s+)(?P<month>{MONTHS})\b(?:\s+(?P<year>{YEAR}))?",
        read: Read::Month,
        examples: &[
            dated(
                "Eine Informationsvorlage ist bis März 2022 vorzulegen.",
                "bis März 2022",
                "2022-03-31",
            ),
            // A month without a day is due on its last day.
            dated(
                "Dem Stadtrat ist spätestens bis zum April 2019 eine Beschlussvorlage vorzulegen.",
                "spätestens bis zum April 2019",
                "2019-04-30",
            ),
            dated(
                "Der Stadtrat ist spätestens zum Februar 2024 zu informieren.",
                "spätestens zum Februar 2024",
                "2024-02-29",
            ),
        ],
    },
    Shape {
        name: "year",
        needle: "{YEAR}",
        pattern: r"(?i)\b(?:bis\s+(?:spätestens\s+)?(?:zum\s+)?(?:(?:ende|jahresende)\s+(?:des\s+(?:jahres|kalenderjahres|haushaltsjahres)\s+)?)?|spätestens\s+(?:bis\s+)?(?:(?:ende|jahresende)\s+(?:des\s+jahres\s+)?)?|(?:zum\s+)?(?:ende|jahresende)\s+(?:des\s+(?:jahres|kalenderjahres)\s+)?|im\s+(?:laufe\s+des\s+)?jahr(?:es)?\s+)(?P<year>{YEAR})\b",
        read: Read::Year,
        examples: &[
            dated(
                "Dem Stadtrat ist bis Ende des Jahres 2024 zu berichten.",
                "bis Ende des Jahres 2024",
                "2024-12-31",
            ),
            dated(
                "Dem Stadtrat ist bis Ende 2024 zu berichten.",
                "bis Ende 2024",
                "2024-12-31",
            ),
        ],
    },
    Shape {
        name: "year end without a year",
        needle: "jahres",
        pattern: r"(?i)\b(?:(?:bis\s+(?:spätestens\s+)?(?:zum\s+)?|spätestens\s+(?:zum\s+|bis\s+(?:zum\s+)?)?|zum\s+)?(?:jahresende|ende\s+des\s+(?:laufenden\s+|kommenden\s+)?(?:kalender|haushalts)?jahres))\b",
        read: Read::YearEnd,
        examples: &[
            dated(
                "Dem Stadtrat ist bis zum Jahresende zu berichten.",
                "bis zum Jahresende",
                "2021-12-31",
            ),
            dated(
                "Dem Stadtrat ist bis Ende des kommenden Jahres zu berichten.",
                "bis Ende des kommenden Jahres",
                "2022-12-31",
            ),
        ],
    },
    Shape {
        name: "recurring",
        needle: "jährlich|jahr|monatlich|quartal",
        pattern: r"(?i)\b(?:halbjährlich|quartalsweise|vierteljährlich|quartalsmäßig|einmal\s+jährlich|zweimal\s+jährlich|jährlich|alljährlich|einmal\s+(?:im|pro)\s+jahr|zweimal\s+(?:im|pro)\s+jahr|jedes\s+jahr|monatlich|(?:in\s+)?jedem\s+quartal|pro\s+quartal|jedes\s+quartal|(?:in\s+)?jedem\s+halbjahr)\b",
        read: Read::Recurring,
        examples: &[undated(
            "Der Stadtrat ist halbjährlich über den Stand zu informieren.",
            "halbjährlich",
        )],
    },
    Shape {
        name: "next session",
        needle: "sitzung",
        pattern: r"(?i)\b(?:bis\s+(?:spätestens\s+)?(?:zur|zu\s+einer\s+der)|spätestens\s+(?:in\s+der|zur|bis\s+zur)|in\s+(?:der|einer\s+der)|zur|vor\s+der)\s+(?:nächsten|kommenden|folgenden|darauffolgenden|übernächsten)\s+(?:\w+\s+)?\w*sitzung(?:en)?\b(?:\s+(?:des|der)\s+(?-i:\p{Lu})\w*)?",
        read: Read::Fixed(Due::Undatable),
        examples: &[
            undated(
                "Der Stadtrat ist in der nächsten Sitzung über den Stand der Verhandlungen zu informieren.",
                "in der nächsten Sitzung",
            ),
            undated(
                "Dem Ausschuss für Bildung ist in der kommenden Ausschusssitzung zu berichten.",
                "in der kommenden Ausschusssitzung",
            ),
        ],
    },
    Shape {
        name: "span",
        // A span is a deadline only after "innerhalb"/"binnen" or with a
        // "nach" (see `Read::Span`); bare spans ("sechs Monate") need no
        // scan.
        needle: r"(?:innerhalb|binnen)[^.]*?(?:tag|woche|monat|jahr|frist)|(?:tag|woche|monat|jahr)\w*\s+nach|nach\s+(?:ablauf\s+von\s+)?(?:\w+\s+){1,2}(?:tag|woche|monat|jahr)",
        pattern: r"(?i)\b(?:(?P<within>(?:innerhalb|binnen)\s+(?:von\s+)?(?:(?:der|den)\s+(?:nächsten|kommenden|ersten)\s+)?)|(?:bis\s+)?spätestens\s+(?P<later>nach\s+(?:ablauf\s+von\s+)?)?|(?P<later2>nach\s+(?:ablauf\s+von\s+)?)|bis\s+)?(?:(?P<count>{COUNT})\s+(?P<unit>{UNIT})|(?P<frist>jahres|monats)frist)\b(?:\s+nach\s+(?:(?:der|dem|diesem|dieser|des)\s+)?(?:(?P<decision>beschlussfassung|stadtratsbeschluss(?:es)?|beschluss(?:es)?)\b|(?P<event>(?-i:\p{Lu})[\w-]*(?:\s+(?:der|des|dem|den)(?:\s+(?-i:\p{Ll})[\w-]*)?\s+(?-i:\p{Lu})[\w-]*)?)))?",
        read: Read::Span,
        // Spans count from the deciding session, not from the first
        // (advising) one.
        examples: &[
            dated(
                "Die Verwaltung wird beauftragt, dem Stadtrat innerhalb von sechs Monaten einen Bericht vorzulegen.",
                "innerhalb von sechs Monaten",
                "2022-02-28",
            ),
            dated(
                "Der Stadtrat ist innerhalb von 3 Monaten nach Beschlussfassung über die Ergebnisse der Prüfung zu informieren.",
                "innerhalb von 3 Monaten nach Beschlussfassung",
                "2021-11-30",
            ),
            dated(
                "Dem Ausschuss für Stadtentwicklung und Verkehr ist binnen sechs Wochen zu berichten.",
                "binnen sechs Wochen",
                "2021-10-12",
            ),
            dated(
                "Die Ergebnisse sind dem Stadtrat spätestens drei Monate nach Beschluss vorzulegen.",
                "spätestens drei Monate nach Beschluss",
                "2021-11-30",
            ),
            dated(
                "Der Oberbürgermeister wird beauftragt, innerhalb eines Jahres einen Sachstandsbericht vorzulegen.",
                "innerhalb eines Jahres",
                "2022-08-31",
            ),
            dated(
                "Die Verwaltung legt dem Stadtrat innerhalb eines halben Jahres eine Informationsvorlage vor.",
                "innerhalb eines halben Jahres",
                "2022-02-28",
            ),
            dated(
                "Über die Umsetzung ist binnen Jahresfrist zu berichten.",
                "binnen Jahresfrist",
                "2022-08-31",
            ),
            dated(
                "Der Stadtrat ist innerhalb von zwölf Monaten nach der Beschlussfassung zu unterrichten.",
                "innerhalb von zwölf Monaten nach der Beschlussfassung",
                "2022-08-31",
            ),
            dated(
                "Die Stellungnahme ist dem Stadtrat binnen 14 Tagen vorzulegen.",
                "binnen 14 Tagen",
                "2021-09-14",
            ),
            dated(
                "Dem Stadtrat ist innerhalb der nächsten sechs Monate ein Bericht vorzulegen.",
                "innerhalb der nächsten sechs Monate",
                "2022-02-28",
            ),
            dated(
                "Der Stadtrat ist binnen eines Monats zu unterrichten.",
                "binnen eines Monats",
                "2021-09-30",
            ),
            dated(
                "Der Stadtrat ist innerhalb von zwei Jahren über die Wirkung der Satzung zu informieren.",
                "innerhalb von zwei Jahren",
                "2023-08-31",
            ),
            // The end of a month is clamped into a leap-year February.
            dated(
                "Die Verwaltung wird beauftragt, dem Stadtrat innerhalb von sechs Monaten zu berichten.",
                "innerhalb von sechs Monaten",
                "2024-02-29",
            )
            .at(None, Some("2023-08-31")),
            // After some other event, or after nothing named: a deadline
            // whose date the paper does not hold.
            undated(
                "Sechs Monate nach Inbetriebnahme der Anlage ist dem Stadtrat ein Erfahrungsbericht vorzulegen.",
                "Sechs Monate nach Inbetriebnahme der Anlage",
            ),
            undated(
                "Die Verwaltung wird beauftragt, innerhalb von drei Monaten nach Abschluss der Bauarbeiten über die Kosten zu berichten.",
                "innerhalb von drei Monaten nach Abschluss der Bauarbeiten",
            ),
            undated(
                "Nach einem Jahr ist dem Stadtrat über die Erfahrungen mit dem Modellprojekt zu berichten.",
                "Nach einem Jahr",
            ),
        ],
    },
    // Before the next budget: the council's budget calendar dates it, not
    // the paper.
    Shape {
        name: "before the budget",
        needle: "haushalt",
        pattern: r"(?i)\b(?:(?:rechtzeitig|spätestens|bis|frühzeitig)\s+)?vor\s+(?:der|dem|den)\s+(?:aufstellung|beratung|beschlussfassung|verabschiedung|erstellung|einbringung|planung)\s+(?:des|der|über\s+den|zum)\s+(?:(?:nächsten|kommenden|folgenden)\s+)?(?:doppel)?haushalt(?:s|es)?(?:plan(?:s|es)?|entwurf(?:s|es)?|jahres)?\b(?:\s+{YEAR}(?:\s*/\s*(?:{YEAR}|\d{2}))?)?",
        read: Read::Fixed(Due::Undatable),
        examples: &[
            undated(
                "Der Stadtrat ist rechtzeitig vor der Aufstellung des nächsten Haushaltsplanes über die Kosten zu informieren.",
                "rechtzeitig vor der Aufstellung des nächsten Haushaltsplanes",
            ),
            undated(
                "Ein Bericht ist vor der Beratung des Doppelhaushaltes 2025/2026 vorzulegen.",
                "vor der Beratung des Doppelhaushaltes 2025/2026",
            ),
        ],
    },
    Shape {
        name: "break of the council",
        needle: "pause",
        pattern: r"(?i)\b(?:(?:bis\s+)?(?:spätestens\s+)?(?:vor|nach)\s+der|bis\s+(?:spätestens\s+)?zur|zur)\s+(?:parlamentarischen\s+)?(?:sommerpause|winterpause|weihnachtspause)\b(?:\s+{YEAR}\b)?",
        read: Read::Fixed(Due::Undatable),
        examples: &[undated(
            "Der Stadtrat ist vor der Sommerpause 2022 über die Sanierung zu informieren.",
            "vor der Sommerpause 2022",
        )],
    },
    Shape {
        name: "season",
        needle: "frühjahr|frühling|sommer|herbst|winter",
        pattern: r"(?i)\b(?:bis\s+(?:spätestens\s+)?(?:zum\s+)?|spätestens\s+(?:bis\s+)?(?:zum\s+|im\s+)?|im\s+|zum\s+)(?:(?:ende|anfang|mitte|beginn|laufe|verlauf)\s+(?:des\s+)?)?(?P<next>(?:kommenden|nächsten|folgenden)\s+)?(?P<season>frühjahr|frühling|sommer|herbst|winter)(?:e?s)?\b(?:\s+(?:des\s+jahres\s+)?(?P<year>{YEAR})(?:\s*/\s*(?:\d{4}|\d{2})\b)?|\s+(?P<rel>{REL_YEAR}))?",
        read: Read::Season,
        examples: &[
            dated(
                "Der Stadtrat ist im Herbst 2022 über die Ergebnisse zu informieren.",
                "im Herbst 2022",
                "2022-11-30",
            ),
            dated(
                "Eine Informationsvorlage ist im Frühjahr 2023 vorzulegen.",
                "im Frühjahr 2023",
                "2023-05-31",
            ),
            dated(
                "Dem Stadtrat ist bis zum Sommer 2021 zu berichten.",
                "bis zum Sommer 2021",
                "2021-08-31",
            ),
            dated(
                "Dem Stadtrat ist bis Ende des Frühlings 2024 zu berichten.",
                "bis Ende des Frühlings 2024",
                "2024-05-31",
            ),
            dated(
                "Der Stadtrat ist im Winter 2022/23 zu informieren.",
                "im Winter 2022/23",
                "2023-02-28",
            ),
            dated(
                "Der Stadtrat ist im Winter 2023/2024 zu informieren.",
                "im Winter 2023/2024",
                "2024-02-29",
            ),
            dated(
                "Der Stadtrat ist im Winter 2022 zu informieren.",
                "im Winter 2022",
                "2023-02-28",
            ),
            dated(
                "Der Stadtrat ist im Herbst dieses Jahres zu informieren.",
                "im Herbst dieses Jahres",
                "2021-11-30",
            ),
            dated(
                "Der Stadtrat ist im Herbst zu informieren.",
                "im Herbst",
                "2021-11-30",
            ),
            // Seen from a session in spring, "im kommenden Frühjahr" is
            // next year's; "im Winter" in January is the one running.
            dated(
                "Der Stadtrat ist im kommenden Frühjahr zu informieren.",
                "im kommenden Frühjahr",
                "2022-05-31",
            )
            .at(Some("2021-04-10"), None),
            dated(
                "Der Stadtrat ist im Winter zu informieren.",
                "im Winter",
                "2022-02-28",
            )
            .at(Some("2022-01-20"), None),
        ],
    },
    Shape {
        name: "vague",
        needle: "zeitnah|regelmäßig|umgehend|unverzüglich|baldmöglichst|schnellstmöglich|kurzfristig|fortlaufend|laufend|rechtzeitig",
        pattern: r"(?i)\b(?:zeitnah|regelmäßig|umgehend|unverzüglich|baldmöglichst|schnellstmöglich|kurzfristig|fortlaufend|laufend|rechtzeitig)\b",
        read: Read::Fixed(Due::Vague),
        examples: &[undated(
            "Der Stadtrat ist zeitnah zu informieren.",
            "zeitnah",
        )],
    },
];
