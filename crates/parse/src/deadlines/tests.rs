use ratsdoc_model::ReportPeriod;

use super::clause::TRIGGER;
use super::phrases::COMPILED;
use super::*;

fn iso(date: &str) -> NaiveDate {
    NaiveDate::parse_from_str(date, "%Y-%m-%d").unwrap()
}

/// Every example of every shape, read through the whole reader at its
/// paper's dates, gives exactly its phrase and due date; the shape itself
/// finds that phrase, and the shape's needle matches it.
#[test]
fn every_shape_reads_its_examples() {
    for shape in &COMPILED.shapes {
        let name = shape.shape.name;
        assert!(!shape.shape.examples.is_empty(), "{name} has no example");
        for example in shape.shape.examples {
            let anchors = Anchors {
                session: example.session.map(iso),
                decision: example.decision.map(iso),
            };
            assert!(
                COMPILED
                    .needles
                    .matches(example.phrase)
                    .matched(shape.needle),
                "the needle of {name} misses {:?}",
                example.phrase
            );
            assert!(
                shape
                    .phrases(example.text, anchors.session)
                    .any(|p| &example.text[p.range] == example.phrase),
                "{name} does not find {:?}",
                example.phrase
            );
            assert_eq!(
                phrases(example.text, anchors),
                [(Some(example.phrase.to_string()), example.due.map(iso))],
                "{name}: {}",
                example.text
            );
        }
    }
}

/// Every phrase a shape reads must contain the shape's needle, or the
/// needle scan would hide a deadline. (`every_shape_reads_its_examples`
/// checks each example's phrase the same way; these add spellings.)
#[test]
fn needles_cover_every_phrase_shape() {
    let samples = [
        "spätestens in der Sitzung des Stadtrates im Dezember 2024",
        "bis zur Sitzung am 12. März 2021",
        "bis zum 31.12.2020",
        "spätestens am 1. Juli 2022",
        "im III. Quartal 2020",
        "im ersten Quartal des kommenden Jahres",
        "Q3/2021",
        "im 2. Halbjahr 2023",
        "in der zweiten Jahreshälfte",
        "bis Ende Juni",
        "im Monat MÄRZ 2020",
        "bis Ende 2022",
        "im Laufe des Jahres 2021",
        "zum Jahresende",
        "bis Ende des kommenden Haushaltsjahres",
        "HALBJÄHRLICH",
        "einmal pro Jahr",
        "in jedem Quartal",
        "monatlich",
        "zeitnah",
        "UNVERZÜGLICH",
        "regelmäßig",
        "bis zur nächsten Sitzung des Stadtrates",
        "in der kommenden Ausschusssitzung",
        "innerhalb von 3 Monaten nach Beschlussfassung",
        "BINNEN SECHS WOCHEN",
        "innerhalb eines halben Jahres",
        "binnen Jahresfrist",
        "spätestens 14 Tage nach Beschluss",
        "Nach einem halben Jahr",
        "nach Ablauf von 18 Monaten",
        "Sechs Monate nach Inbetriebnahme",
        "eine Jahresfrist nach Beschluss",
        "für sechs Monate",
        "im Herbst 2022",
        "bis zum FRÜHLING 2023",
        "im Winter 2022/23",
        "vor der Sommerpause 2022",
        "bis zur WEIHNACHTSPAUSE",
        "rechtzeitig vor der Aufstellung des nächsten HAUSHALTSPLANES",
        "spätestens bis zum APRIL 2019",
    ];
    let mut matched = vec![false; COMPILED.shapes.len()];
    for sample in samples {
        let may = COMPILED.needles.matches(sample);
        for (i, shape) in COMPILED.shapes.iter().enumerate() {
            if shape.phrases(sample, None).next().is_some() {
                matched[i] = true;
                assert!(
                    may.matched(shape.needle),
                    "the needle of {:?} misses {sample:?}",
                    shape.shape.name
                );
            }
        }
    }
    assert!(
        matched.iter().all(|m| *m),
        "a shape has no sample: {matched:?}"
    );
    assert!(
        !COMPILED
            .needles
            .is_match("Die Verwaltung wird beauftragt, ein Konzept vorzulegen.")
    );
}

/// Every trigger word must contain a trigger needle.
#[test]
fn trigger_needle_covers_every_trigger() {
    for word in [
        "informiert",
        "zu informieren",
        "berichtet",
        "Sachstandsberichte",
        "vorzulegen",
        "vorlegen",
        "vorgelegt",
        "Informationsvorlage",
        "Beschlussvorlage",
        "darzustellen",
        "darzulegen",
        "dargestellt",
        "dargelegt",
        "unterrichten",
        "unterrichtet",
        "Auskunft",
        "Rechenschaft",
        "vorzustellen",
        "vorgestellt",
        "zu erläutern",
        "in Kenntnis zu setzen",
        "zur Kenntnis zu geben",
        "auszuwerten",
        "Rückmeldung",
        "BERICHT",
    ] {
        assert!(TRIGGER.is_match(word), "{word}");
        assert!(has_trigger(word), "{word}");
    }
    assert!(!has_trigger("Die Planung ist bis Ende 2022 abzuschließen."));
}

fn d(y: i32, m: u32, day: u32) -> Option<NaiveDate> {
    NaiveDate::from_ymd_opt(y, m, day)
}

/// The parser's `read` with the session as the decision date, too.
fn read(proposal: &[String], anchor: Option<NaiveDate>) -> (Vec<ReportRequest>, Vec<String>) {
    super::read(
        proposal,
        Anchors {
            session: anchor,
            decision: anchor,
        },
    )
}

fn one(text: &str, anchor: Option<NaiveDate>) -> Vec<(String, Option<NaiveDate>)> {
    read(&[text.to_string()], anchor)
        .0
        .into_iter()
        .map(|r| (r.phrase.unwrap_or_default(), r.due))
        .collect()
}

#[test]
fn the_seed_request() {
    let (r, _) = read(
        &["Die Stadtverwaltung wird beauftragt, den Stadtrat im III. Quartal 2020 zu informieren, welche Ergebnisse die Teilnahme erbracht hat. Insbesondere soll eingeschätzt werden, wie sich das entwickelt hat.".into()],
        d(2020, 6, 24),
    );
    assert_eq!(r.len(), 1);
    assert_eq!(r[0].phrase.as_deref(), Some("im III. Quartal 2020"));
    assert_eq!(r[0].due, d(2020, 9, 30));
    assert_eq!(r[0].addressee.as_deref(), Some("Stadtrat"));
    assert!(!r[0].recurring);
}

#[test]
fn yearless_period_after_the_session() {
    assert_eq!(
        one(
            "Der Stadtrat ist bis Ende des 3. Quartals zu informieren.",
            d(2021, 10, 20)
        )[0]
        .1,
        d(2022, 9, 30)
    );
    let (r, diags) = read(
        &["Der Stadtrat ist bis Ende des 3. Quartals zu informieren.".into()],
        None,
    );
    assert_eq!(r[0].due, None);
    assert_eq!(diags.len(), 1);
}

#[test]
fn several_requests_with_form_and_addressee() {
    let (r, _) = read(
        &["Die Verwaltung wird beauftragt, dem Ausschuss für Klimaschutz, Umwelt und Sicherheit im I. Quartal 2021 eine Informationsvorlage und dem Stadtrat im II. Quartal 2021 eine Beschlussvorlage vorzulegen.".into()],
        None,
    );
    assert_eq!(r.len(), 2);
    assert_eq!(r[0].due, d(2021, 3, 31));
    assert_eq!(r[0].form, Some(Kind::Informationsvorlage));
    assert_eq!(
        r[0].addressee.as_deref(),
        Some("Ausschuss für Klimaschutz, Umwelt und Sicherheit")
    );
    assert_eq!(r[1].due, d(2021, 6, 30));
    assert_eq!(r[1].form, Some(Kind::Beschlussvorlage));
    assert_eq!(r[1].addressee.as_deref(), Some("Stadtrat"));
}

#[test]
fn recurring_with_first_date() {
    let (r, _) = read(&["Der Stadtrat ist halbjährlich, erstmals im II. Quartal 2021, über den Stand zu informieren.".into()], None);
    assert_eq!(r.len(), 1);
    assert!(r[0].recurring);
    assert_eq!(r[0].period, Some(ReportPeriod::HalfYearly));
    assert_eq!(r[0].due, d(2021, 6, 30));
    let (r, _) = read(
        &["Dem Stadtrat ist einmal im Jahr zu berichten.".into()],
        None,
    );
    assert_eq!(
        (r[0].recurring, r[0].period, r[0].due),
        (true, Some(ReportPeriod::Yearly), None)
    );
}

#[test]
fn dates_that_order_no_report() {
    assert!(one("Die Planung ist bis Ende 2022 abzuschließen.", None).is_empty());
    assert_eq!(
        one(
            "Die Verwaltung wird beauftragt, die Planung bis Ende 2022 abzuschließen und den Stadtrat im I. Quartal 2023 darüber zu informieren.",
            None
        ),
        [("im I. Quartal 2023".to_string(), d(2023, 3, 31))]
    );
    assert_eq!(
        one(
            "Die Verwaltung wird beauftragt, bis zum 30.06.2021 ein Konzept zu erarbeiten und dieses dem Stadtrat vorzulegen.",
            None
        ),
        [("bis zum 30.06.2021".to_string(), d(2021, 6, 30))]
    );
}

fn at(session: Option<NaiveDate>, decision: Option<NaiveDate>) -> Anchors {
    Anchors { session, decision }
}

fn phrases(text: &str, anchors: Anchors) -> Vec<(Option<String>, Option<NaiveDate>)> {
    super::read(&[text.to_string()], anchors)
        .0
        .into_iter()
        .map(|r| (r.phrase, r.due))
        .collect()
}

fn expect(text: &str, anchors: Anchors, phrase: &str, due: Option<NaiveDate>) {
    assert_eq!(
        phrases(text, anchors),
        [(Some(phrase.to_string()), due)],
        "{text}"
    );
}

#[test]
fn a_span_without_a_decision_date_stays_unresolved() {
    let text = "Der Stadtrat ist innerhalb von sechs Monaten nach Beschlussfassung zu informieren.";
    let (r, diags) = super::read(&[text.to_string()], at(d(2021, 6, 2), None));
    assert_eq!(
        r[0].phrase.as_deref(),
        Some("innerhalb von sechs Monaten nach Beschlussfassung")
    );
    assert_eq!(r[0].due, None);
    assert_eq!(diags.len(), 1, "{diags:?}");
    assert!(diags[0].contains("counts from the decision"), "{diags:?}");
}

/// A span after some other event names a deadline the paper cannot
/// date (the `span` shape's examples); a date named beside it is the
/// deadline.
#[test]
fn a_span_after_another_event_yields_to_a_date() {
    let a = at(d(2021, 6, 2), d(2021, 8, 31));
    expect(
        "Die Verwaltung wird beauftragt, innerhalb von sechs Monaten nach Eröffnung, spätestens bis zum 30.06.2023, einen Bericht vorzulegen.",
        a,
        "spätestens bis zum 30.06.2023",
        d(2023, 6, 30),
    );
}

#[test]
fn numbers_of_time_that_are_no_deadline() {
    let a = at(d(2021, 6, 2), d(2021, 8, 31));
    // A duration, not a deadline: the report is ordered without a time.
    assert_eq!(
        phrases(
            "Die Verwaltung wird beauftragt, die Maßnahme sechs Monate lang zu erproben und dem Stadtrat danach zu berichten.",
            a
        ),
        [(None, None)]
    );
    // "innerhalb von" without a number names no span.
    assert_eq!(
        phrases(
            "Die Verwaltung wird beauftragt, innerhalb von kurzer Zeit ein Konzept zu erarbeiten und dem Stadtrat vorzulegen.",
            a
        ),
        [(None, None)]
    );
    // A span in a clause that orders no report.
    assert!(
        phrases(
            "Die Verwaltung wird beauftragt, innerhalb von sechs Monaten einen Standort für die Kita zu finden.",
            a
        )
        .is_empty()
    );
    assert!(
        phrases(
            "Innerhalb der Verwaltung wird die Zuständigkeit für die Radwege gebündelt.",
            a
        )
        .is_empty()
    );
}

/// The next session is on the council's calendar, which one paper does
/// not hold: the phrase stays, the date stays open.
#[test]
fn the_next_session_is_kept_unresolved() {
    let a = at(d(2021, 6, 2), d(2021, 6, 2));
    let (r, diags) = super::read(
        &["Die Verwaltung legt bis zur nächsten Sitzung des Stadtrates eine Informationsvorlage zu den Kosten vor.".into()],
        a,
    );
    assert_eq!(
        r[0].phrase.as_deref(),
        Some("bis zur nächsten Sitzung des Stadtrates")
    );
    assert_eq!(r[0].due, None);
    assert_eq!(r[0].addressee.as_deref(), Some("Stadtrat"));
    assert_eq!(r[0].form, Some(Kind::Informationsvorlage));
    assert!(diags.is_empty(), "{diags:?}");
    // A next session with its date is a date.
    expect(
        "Der Bericht ist bis zur nächsten Sitzung des Stadtrates am 15.12.2021 vorzulegen.",
        a,
        "bis zur nächsten Sitzung des Stadtrates am 15.12.2021",
        d(2021, 12, 15),
    );
    // A date in the report's topic is not the session's.
    expect(
        "Der Stadtrat ist in der nächsten Sitzung über die am 12.03.2021 beschlossene Satzung zu informieren.",
        a,
        "in der nächsten Sitzung",
        None,
    );
    expect(
        "Der Bericht ist bis zur nächsten Sitzung, spätestens bis zum 31.12.2021 vorzulegen.",
        a,
        "spätestens bis zum 31.12.2021",
        d(2021, 12, 31),
    );
}

/// Seasons end meteorologically (the `season` shape's examples); one
/// without a year and without a session is kept, unresolved.
#[test]
fn a_season_without_year_or_session_stays_unresolved() {
    let (r, diags) = super::read(
        &["Der Stadtrat ist im Herbst zu informieren.".into()],
        at(None, None),
    );
    assert_eq!(
        (r[0].phrase.as_deref(), r[0].due),
        (Some("im Herbst"), None)
    );
    assert_eq!(diags.len(), 1, "{diags:?}");
}

#[test]
fn seasons_that_are_no_deadline() {
    let a = at(d(2021, 6, 24), d(2021, 6, 24));
    // A season as a subject, not a time.
    assert_eq!(
        phrases(
            "Die Verwaltung wird beauftragt, dem Stadtrat zu berichten, wie die Sommer 2018 bis 2020 sich auf die Stadtbäume ausgewirkt haben.",
            a
        ),
        [(None, None)]
    );
    assert!(
        phrases(
            "Die Sommerferien 2022 sind für die Sanierung der Turnhalle zu nutzen.",
            a
        )
        .is_empty()
    );
}

#[test]
fn an_order_without_a_time_has_no_phrase() {
    let (r, _) = read(
        &["Der Oberbürgermeister wird beauftragt, dem Stadtrat über das Ergebnis der Verhandlungen zu berichten.".into()],
        d(2021, 6, 24),
    );
    assert_eq!(r.len(), 1);
    assert_eq!((r[0].phrase.as_deref(), r[0].due), (None, None));
    assert_eq!(r[0].addressee.as_deref(), Some("Stadtrat"));
}
