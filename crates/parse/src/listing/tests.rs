use ratsdoc_model::{Kind, Record, Source, SourceFormat};

use super::*;

fn source() -> Source {
    Source {
        path: "seite.txt".into(),
        format: SourceFormat::Txt,
        hash: "0123456789abcdef0123".into(),
        pages: None,
        extractor: None,
        encoding: None,
    }
}

fn all(text: &str) -> Vec<Record> {
    parse_all(text, source(), Profile::chemnitz())
}

fn one(text: &str) -> Record {
    parse_with(text, source(), Profile::chemnitz())
}

fn ids(records: &[Record]) -> Vec<&str> {
    records.iter().map(|r| r.id.as_str()).collect()
}

fn body(record: &Record) -> &str {
    record.body.as_deref().unwrap_or("")
}

/// Asserts the page is one document: exactly `parse_with`'s record.
fn assert_one_paper(text: &str) {
    assert_eq!(all(text), vec![one(text)], "{text}");
}

#[test]
fn every_example_is_read_by_its_own_shape() {
    for (shape, b) in BOUNDARIES.iter().enumerate() {
        for (line, number, title) in b.examples {
            let first = SHAPES.iter().position(|(_, re)| re.is_match(line));
            assert_eq!(first, Some(shape), "{line:?} should be read by {}", b.name);
            let Some(m) = mark(0, line, Profile::chemnitz()) else {
                panic!("{line:?}: no boundary");
            };
            assert_eq!(m.number.to_string(), *number, "{line:?}");
            assert_eq!(m.title, *title, "{line:?}");
            assert_eq!(m.side, b.side, "{line:?}");
        }
    }
}

#[test]
fn lines_that_are_no_boundary() {
    for line in [
        "RA-099/2022: Die Verwaltung hat dazu ausführlich Stellung genommen.",
        "Laut Antwort auf RA-286/2020 und RA-247/2021 stand die Verwaltung im Austausch.",
        "XY-12/2020: kein Register der Stadt",
        "Beschlussantrag Nr. BA-044/2020",
        "2024",
    ] {
        assert!(mark(0, line, Profile::chemnitz()).is_none(), "{line:?}");
    }
}

const CATEGORY: &str = "Kategorie: Ratsanfrage

• RA-201/2022: Bänke am Teichufer

RA-201/2022: Bänke am Teichufer

Sehr geehrter Herr Beispielmann,

zu Ihrer Ratsanfrage teile ich Ihnen Folgendes mit:

1. Wie viele Bänke stehen am Teichufer?

Am Teichufer stehen zwölf Bänke.

Freundliche Grüße

Erika Muster

Bürgermeisterin

• RA 214/2022: Öffnungszeiten der Stadtteilbibliothek

Sehr geehrte Frau Probe,

zu Ihrer Ratsanfrage teile ich Ihnen im Auftrag des Oberbürgermeisters Folgendes mit:

Warum schließt die Bibliothek mittwochs schon um 15 Uhr?

Die Öffnungszeiten richten sich nach dem Personal.

Mit freundlichen Grüßen

Max Muster

Bürgermeister

• IA-030/2023: Winterdienst auf Radwegen

IA-030/2023: Winterdienst auf Radwegen

Sehr geehrter Herr Beispielmann,

zu Ihrer Informationsanfrage teile ich Ihnen Folgendes mit:

Welche Radwege räumt die Stadt zuerst?

Zuerst werden die Radwege an Hauptstraßen geräumt.

Freundliche Grüße

Anna Beispiel

Bürgermeisterin

Veröffentlicht in Ratsanfrage
";

#[test]
fn a_category_page_gives_one_answer_per_heading() {
    let records = all(CATEGORY);
    assert_eq!(ids(&records), ["RA-201/2022", "RA-214/2022", "IA-030/2023"]);
    let titles: Vec<&str> = records.iter().map(|r| r.title.as_str()).collect();
    assert_eq!(
        titles,
        [
            "Bänke am Teichufer",
            "Öffnungszeiten der Stadtteilbibliothek",
            "Winterdienst auf Radwegen"
        ]
    );
    let signatories: Vec<&str> = records
        .iter()
        .filter_map(|r| r.signatory.as_ref().map(|s| s.name.as_str()))
        .collect();
    assert_eq!(signatories, ["Erika Muster", "Max Muster", "Anna Beispiel"]);
    assert!(records.iter().all(|r| r.kind == Kind::Anfrage));
    assert!(body(&records[0]).contains("zwölf Bänke"));
    assert!(!body(&records[0]).contains("Bibliothek"));
    assert!(
        !body(&records[0]).contains("RA-201/2022: Bänke"),
        "{}",
        body(&records[0])
    );
    assert!(body(&records[1]).contains("Personal"));
    assert!(!body(&records[1]).contains("Radwege"));
    assert!(
        records[1]
            .diagnostics
            .contains(&"one of 3 papers listed on this page (the 2nd)".to_string()),
        "{:?}",
        records[1].diagnostics
    );
    assert!(records.iter().all(|r| r.source == source()));
}

const TEASERS: &str = "Bürger- und Ratsfragen

Rodelhang im Stadtpark (RA-150/2018)

vom 7. März 2018

Sehr geehrte Frau Oberbürgermeisterin, ich bitte um die Beantwortung folgender Fragen:
1) Wird der Rodelhang im Winter gesperrt?
2) Wer streut die Wege am Hang? Weiterlesen

Parkscheinautomaten (RA-143/2018)

vom 2. März 2018

Sehr geehrte Frau Oberbürgermeisterin,
ich bitte um die Beantwortung folgender Nachfrage, wie viele Automaten seit RA-101/2018 ersetzt wurden Weiterlesen

« Ältere Beiträge
";

#[test]
fn teasers_are_anfragen_with_their_questions() {
    let records = all(TEASERS);
    assert_eq!(ids(&records), ["RA-150/2018", "RA-143/2018"]);
    let first = &records[0];
    assert_eq!(first.kind, Kind::Anfrage);
    assert_eq!(first.title, "Rodelhang im Stadtpark");
    assert_eq!(
        first.date.map(|d| d.to_string()).as_deref(),
        Some("2018-03-07")
    );
    assert!(body(first).contains("Wer streut die Wege am Hang?"));
    assert!(!body(first).contains("Weiterlesen"), "{}", body(first));
    assert!(!body(first).contains("Automaten"));
    assert!(
        first
            .diagnostics
            .iter()
            .any(|d| d.contains("not the answer")),
        "{:?}",
        first.diagnostics
    );
    let second = &records[1];
    assert_eq!(second.references, ["RA-101/2018"]);
    assert!(!body(second).contains("Ältere"), "{}", body(second));
}

#[test]
fn a_teaser_that_quotes_no_question_is_still_its_anfrage() {
    let text = "Anfragen\n\nRodelhang (RA-150/2018)\n\nvom 7. März 2018\n\nAm Rodelhang im Stadtpark fehlen seit dem Winter die Strohballen. Weiterlesen\n\nParkscheinautomaten (RA-143/2018)\n\nvom 2. März 2018\n\nWer zahlt die Automaten? Weiterlesen\n";
    let records = all(text);
    assert_eq!(ids(&records), ["RA-150/2018", "RA-143/2018"]);
    assert!(
        body(&records[0]).contains("Strohballen"),
        "{}",
        body(&records[0])
    );
    assert!(!body(&records[0]).contains("Automaten"));
}

#[test]
fn a_heading_led_by_ihre_anfrage_opens_its_item() {
    let text = "Meine Anfragen\n\nIhre Anfrage RA-185/2025 – Erreichbarkeit des Bürgerbüros\n\nSehr geehrter Herr Beispiel,\n\nzu Ihrer Anfrage teile ich Ihnen Folgendes mit:\n\n1. Wann ist das Bürgerbüro erreichbar?\n\nMontags bis freitags von acht bis zwölf Uhr.\n\nFreundliche Grüße\nErika Muster\n\nIhre Ratsanfrage RA-233/2025: Sitzungsgeld\n\nSehr geehrter Herr Beispiel,\n\nzu Ihrer Anfrage teile ich Ihnen Folgendes mit:\n\n1. Wie hoch wären die Mehrkosten?\n\nRund 5.000 Euro im Jahr.\n\nFreundliche Grüße\nErika Muster\n";
    let records = all(text);
    assert_eq!(ids(&records), ["RA-185/2025", "RA-233/2025"]);
    assert_eq!(records[0].title, "Erreichbarkeit des Bürgerbüros");
    assert!(
        !body(&records[0]).contains("Mehrkosten"),
        "{}",
        body(&records[0])
    );
    assert_eq!(records[1].title, "Sitzungsgeld");
}

#[test]
fn a_teaser_with_only_its_title_leaves_the_page_one_document() {
    let text = "Anfragen\n\nRodelhang (RA-150/2018)\n\nvom 7. März 2018\n\nWeiterlesen\n\nParkscheinautomaten (RA-143/2018)\n\nvom 2. März 2018\n\nWer zahlt die Automaten? Weiterlesen\n";
    assert_one_paper(text);
}

const LINKE: &str = "Rats- und Informationsanfragen

Hier finden Sie die Antworten zu ausgewählten Anfragen unserer Stadträte.

Alle weiteren Anfragen finden Sie im Ratsinformationssystem der Stadt.

2024

Am Weiher in Beispielsdorf fehlt seit Monaten ein Geländer.

  1. Wann wird das Geländer ersetzt?
  2. Was kostet der Ersatz?

Antwort:

RA-061/2024 Geländer am WeiherPDF-Datei (120,5 KB)

  1. Wie viele Schulen haben einen Trinkbrunnen?

Antwort:

Antwort_IA-044_2024PDF-Datei (98,1 KB)

Anlage 1 zu IA-044/2024 Liste der SchulenPDF-Datei (1,2 MB)

2023

  1. Wie viele Anträge auf Wohngeld sind offen?

Antwort:

RA-230/2023 WohngeldPDF-Datei (77 KB)
";

#[test]
fn questions_closed_by_their_answer_link() {
    let records = all(LINKE);
    assert_eq!(ids(&records), ["RA-061/2024", "IA-044/2024", "RA-230/2023"]);
    assert_eq!(records[0].title, "Geländer am Weiher");
    assert!(body(&records[0]).contains("fehlt seit Monaten"));
    assert!(body(&records[0]).contains("Was kostet der Ersatz?"));
    assert!(
        !body(&records[0]).contains("Hier finden Sie"),
        "{}",
        body(&records[0])
    );
    assert!(
        !body(&records[0]).contains("Antwort:"),
        "{}",
        body(&records[0])
    );
    assert_eq!(records[1].title, "");
    assert!(body(&records[1]).contains("Trinkbrunnen"));
    assert!(
        !body(&records[2]).contains("Schulen"),
        "{}",
        body(&records[2])
    );
    assert!(!body(&records[2]).contains("2023"), "{}", body(&records[2]));
    assert!(body(&records[2]).contains("Wohngeld"));
}

const MOTIONS: &str = "Anträge

Hier finden Sie Beschluss- und Änderungsanträge unserer Fraktion.

2024

Die Verwaltung wird beauftragt, an allen Grundschulen Trinkbrunnen aufzustellen und dem Stadtrat bis zum 30. Juni 2025 zu berichten.

BA_071_2024_TrinkbrunnenPDF-Datei (40,2 KB)

Der Stadtrat beauftragt die Verwaltung, die Beleuchtung des Radwegs am Fluss zu prüfen.

BA_066_2024_Aenderung_des_EinreichersPDF-Datei (36,9 KB)
";

#[test]
fn motions_closed_by_their_file_link_are_their_proposals() {
    let records = all(MOTIONS);
    assert_eq!(ids(&records), ["BA-071/2024", "BA-066/2024"]);
    let first = &records[0];
    assert_eq!(first.kind, Kind::Beschlussantrag);
    assert_eq!(first.title, "Trinkbrunnen");
    assert_eq!(
        first
            .report_requests
            .first()
            .and_then(|r| r.due)
            .map(|d| d.to_string())
            .as_deref(),
        Some("2025-06-30")
    );
    let proposal = first.decision_proposal.as_deref().unwrap_or("");
    assert!(proposal.contains("Grundschulen"), "{proposal}");
    assert!(!proposal.contains("Radwegs"), "{proposal}");
    assert_eq!(records[1].title, "", "a file name that names no subject");
}

#[test]
fn linked_files_without_a_proposal_leave_the_page_one_document() {
    assert_one_paper(
        "Anträge\n\nUnser Antrag zu Trinkbrunnen fand eine Mehrheit.\n\nBA_071_2024_TrinkbrunnenPDF-Datei (40,2 KB)\n\nAuch über den Radweg wurde gesprochen.\n\nBA_066_2024_RadwegPDF-Datei (36,9 KB)\n",
    );
}

#[test]
fn an_anlage_line_stays_with_its_item() {
    let mut items = cut_closing(&lines_of(LINKE), &marks_of(LINKE), Profile::chemnitz());
    let last_of_second = items.get_mut(1).and_then(|i| i.lines.pop());
    let anlage = LINKE.lines().position(|l| l.starts_with("Anlage 1"));
    assert_eq!(last_of_second, anlage);
}

fn lines_of(text: &str) -> Vec<String> {
    text.lines().map(clean_line).collect()
}

fn marks_of(text: &str) -> Vec<Mark> {
    lines_of(text)
        .iter()
        .enumerate()
        .filter_map(|(i, l)| mark(i, l, Profile::chemnitz()))
        .collect()
}

const NEIGHBOURS: &str = "RA-101/2022: Radständer am Bahnhof

Sehr geehrter Herr Beispielmann,

zu Ihrer Ratsanfrage teile ich Ihnen Folgendes mit:

Wie viele Radständer gibt es am Bahnhof?

Es gibt 80 Radständer.

Freundliche Grüße
Erika Muster

RA-115/2022: Radständer am Markt

Sehr geehrter Herr Beispielmann,

zu Ihrer Ratsanfrage teile ich Ihnen Folgendes mit:

Wie viele Radständer gibt es am Markt?

Wie schon in der Antwort auf RA-101/2022 ausgeführt, plant die Stadt 40 weitere.

Freundliche Grüße
Max Muster
";

#[test]
fn a_body_that_names_the_other_item_keeps_two_records() {
    let records = all(NEIGHBOURS);
    assert_eq!(ids(&records), ["RA-101/2022", "RA-115/2022"]);
    assert!(!body(&records[0]).contains("40 weitere"));
    assert!(
        records[0].references.is_empty(),
        "{:?}",
        records[0].references
    );
    assert_eq!(records[1].references, ["RA-101/2022"]);
    assert!(!body(&records[1]).contains("80 Radständer"));
}

#[test]
fn a_paper_listed_twice_gives_two_records_in_page_order() {
    let third = "\nRA-101/2022: Radständer am Bahnhof\n\nzu Ihrer Ratsanfrage teile ich Ihnen mit:\nWie viele? Es sind 80.\n";
    let records = all(&format!("{NEIGHBOURS}{third}"));
    assert_eq!(ids(&records), ["RA-101/2022", "RA-115/2022", "RA-101/2022"]);
}

#[test]
fn a_single_answer_is_parse_with_s_record() {
    assert_one_paper(
        "RA 412/2019: Beleuchtung\n\nzu Ihrer Ratsanfrage teile ich Ihnen mit:\n\nWie viele Leuchten?\n\n48.\n\nRA 412/2019: Beleuchtung\n",
    );
}

#[test]
fn a_vorlage_listing_motions_is_one_paper() {
    assert_one_paper(
        "Informationsvorlage Nr. I-060/2021\n\nGegenstand:\nStand der Umsetzung von Beschlüssen\n\nSachverhalt:\nDie folgenden Beschlüsse sind umgesetzt:\n\nBA-044/2020: Mehr Bänke im Park\nWie viele Bänke fehlen noch?\nKeine.\n\nBA-061/2021: Sanierung der Spielplätze\nWann ist die Liste fertig?\nDie Prioritätenliste liegt vor.\n\nRA-012/2021: Ampel am Markt\nWann kommt die Ampel?\nIm Herbst.\n",
    );
}

#[test]
fn a_beschlussvorlage_with_reference_lines_is_one_paper() {
    assert_one_paper(
        "Beschlussvorlage Nr. B-120/2021\n\nGegenstand:\nFortschreibung des Spielplatzkonzepts\n\nBeschlussvorschlag:\nDer Stadtrat beschließt die Fortschreibung.\n\nBegründung:\nDie Vorlage greift diese Beschlüsse auf:\nBA-044/2020: Mehr Bänke im Park\nBA-061/2021: Sanierung der Spielplätze\n",
    );
}

#[test]
fn a_motion_with_its_beratungsfolge_is_one_paper() {
    assert_one_paper(
        "Beschlussantrag Nr. BA-070/2021\n\nEinreicher:\nBeispiel-Fraktion\n\nGegenstand:\nSchatten auf Spielplätzen\n\nBeratungsfolge\tSitzungstermine\tStatus\nStadtrat\t24.06.2021\töffentlich\n\nBeschlussvorschlag:\nDie Verwaltung prüft Sonnensegel.\n\nBegründung:\nSiehe auch:\nRA-012/2021: Hitze auf Spielplätzen?\nRA-030/2021: Sonnensegel?\n",
    );
}

#[test]
fn a_press_release_quoting_two_anfragen_is_one_document() {
    let text = "Pressemitteilung\n\n17.06.2021\n\nFraktion fragt nach Licht und Bänken\n\nRA-412/2021: Licht im Stadtpark\nWann kommt das Licht?\n\nRA-413/2021: Bänke im Stadtpark\nWie viele Bänke gibt es?\n";
    assert_one_paper(text);
    assert_eq!(one(text).kind, Kind::Other);
}

#[test]
fn a_minutes_excerpt_is_one_document() {
    assert_one_paper(
        "Auszug aus der Niederschrift über die Sitzung des Stadtrates vom 22.06.2021\n\nRA-012/2021: Ampel am Markt\nWann kommt die Ampel?\nBeschluss:\nDie Antwort wird zur Kenntnis genommen.\n\nRA-030/2021: Sonnensegel\nWer zahlt die Sonnensegel?\nBeschluss:\nDie Antwort wird zur Kenntnis genommen.\nAbstimmungsergebnis:\nJa-Stimmen: 30\n",
    );
    assert_one_paper(
        "Niederschrift\n\nBA-044/2020: Mehr Bänke im Park\nBeschluss: bestätigt\n\nBA-061/2021: Spielplätze\nBeschluss: abgelehnt\n",
    );
}

#[test]
fn news_with_numbered_lines_but_no_questions_is_one_document() {
    assert_one_paper(
        "Aus dem Stadtrat\n\nBA-044/2020: Mehr Bänke im Park\nDer Stadtrat hat zugestimmt.\n\nBA-061/2021: Spielplätze\nDer Antrag wurde abgelehnt.\n",
    );
}

#[test]
fn ordinals_read_as_english() {
    let got: Vec<String> = [1, 2, 3, 4, 11, 12, 13, 21, 22, 101, 111]
        .map(ordinal)
        .to_vec();
    assert_eq!(
        got,
        [
            "1st", "2nd", "3rd", "4th", "11th", "12th", "13th", "21st", "22nd", "101st", "111th"
        ]
    );
}
