//! Search behaviour on hand-built records: German analysis end to end, paper
//! numbers, filters, facets, sorting, snippets, lenient parsing.

use ratsdoc_index::{IndexError, SearchRequest, SortOrder};
use ratsdoc_model::{Consultation, ConsultationResult, ConsultationRole, Kind, StatusKind};

use crate::common::*;

fn council_fixture() -> Fixture {
    let fx = Fixture::new();
    fx.build(&council());
    fx
}

fn has(ids: &[String], id: &str) -> bool {
    ids.iter().any(|i| i == id)
}

#[test]
fn german_analysis_end_to_end() {
    let fx = council_fixture();
    // Compound splitting: only "Kriminalprävention", "Präventionsstrukturen"
    // and "Landespräventionsrat" stand in BA-044/2020 besides "Prävention".
    let p = fx.ids("Prävention");
    assert!(
        has(&p, "BA-044/2020") && has(&p, "I-051/2020") && has(&p, "BA-002/2019"),
        "{p:?}"
    );
    // Typewriter umlauts and ß.
    assert_eq!(fx.ids("Praevention"), p);
    assert_eq!(fx.ids("Kassberg"), ["BA-010/2021"]);
    assert_eq!(fx.ids("KASSBERG"), ["BA-010/2021"]);
    // Stemming with plural umlaut.
    let s = fx.ids("Spielplatz");
    assert!(has(&s, "BA-010/2021") && has(&s, "I-074/2021"), "{s:?}");
    // "Rat" finds "Präventionsrat" / "Landespräventionsrat".
    assert!(has(&fx.ids("Rat"), "I-051/2020"));
    // "Struktur" finds "Präventionsstrukturen".
    assert!(has(&fx.ids("Strukturen"), "BA-044/2020"));
    // A compound query finds the compound with another head.
    assert!(has(&fx.ids("Präventionsrat"), "BA-044/2020"));
    // "Radweg" in the query, "Radwege" in the paper.
    assert_eq!(fx.ids("Radweg"), ["B-123/2020"]);
}

#[test]
fn exact_word_ranks_above_compound_part() {
    let fx = Fixture::new();
    let a = record(
        "BA-001/2022",
        Kind::Beschlussantrag,
        "Antrag eins",
        "Wir stärken die Kriminalprävention im Zentrum.",
    );
    let b = record(
        "BA-002/2022",
        Kind::Beschlussantrag,
        "Antrag zwei",
        "Wir stärken die Prävention im Zentrum.",
    );
    fx.build(&[(a, None), (b, None)]);
    assert_eq!(fx.ids("Prävention"), ["BA-002/2022", "BA-001/2022"]);
}

#[test]
fn paper_numbers_in_every_spelling_rank_the_paper_first() {
    let fx = council_fixture();
    for q in [
        "BA-044/2020",
        "BA 44/2020",
        "ba-44/2020",
        "BA–044/2020",
        "Antrag BA 044/2020",
        "44/2020",
    ] {
        let ids = fx.ids(q);
        assert_eq!(
            ids.first().map(String::as_str),
            Some("BA-044/2020"),
            "{q}: {ids:?}"
        );
    }
    assert_eq!(
        fx.ids("I-74/2021").first().map(String::as_str),
        Some("I-074/2021")
    );
    // A paper that mentions the number comes right after the paper itself.
    assert_eq!(fx.ids("BA-010/2021"), ["BA-010/2021", "I-074/2021"]);
    assert_eq!(fx.ids("BA-002/2019"), ["BA-002/2019", "I-051/2020"]);
    // The register number of the receipt stamp finds the motion.
    assert_eq!(fx.ids("A-036/2020"), ["BA-044/2020"]);
}

#[test]
fn filters_and_facets_count_the_whole_result() {
    let fx = council_fixture();
    let s = fx.searcher();
    let mut req = SearchRequest::new("Chemnitz");
    req.limit = 1;
    let all = s.search(&req).expect("search");
    assert_eq!(all.hits.len(), 1);
    assert!(all.total >= 3);
    let counted: u64 = all.facets.kind.values().sum();
    assert_eq!(
        counted as usize, all.total,
        "facets count every match, not the page"
    );

    req.kinds = vec![Kind::Informationsvorlage];
    req.limit = 10;
    let r = s.search(&req).expect("search");
    assert!(r.hits.iter().all(|h| h.kind == Kind::Informationsvorlage));
    assert_eq!(
        r.facets.kind.keys().collect::<Vec<_>>(),
        ["informationsvorlage"]
    );

    let mut req = SearchRequest::new("*");
    req.submitter = Some("fraktionsgemeinschaft die linke/die partei".into());
    assert_eq!(ids(&s.search(&req).expect("s")), ["BA-044/2020"]);
    req.submitter = Some("LINKE".into());
    assert_eq!(ids(&s.search(&req).expect("s")), ["BA-044/2020"]);

    let mut req = SearchRequest::new("*");
    req.year = Some(2021);
    let r = s.search(&req).expect("s");
    assert_eq!(ids(&r), ["I-074/2021", "BA-010/2021"]);
    assert_eq!(r.facets.year.get("2021"), Some(&2));

    let mut req = SearchRequest::new("*");
    req.date_from = date(2020, 10, 1);
    req.date_to = date(2021, 2, 1);
    assert_eq!(
        ids(&s.search(&req).expect("s")),
        ["BA-010/2021", "I-051/2020", "B-123/2020"]
    );

    let mut req = SearchRequest::new("*");
    req.status = Some(StatusKind::AnsweredLate);
    assert_eq!(ids(&s.search(&req).expect("s")), ["BA-044/2020"]);

    let r = s.search(&SearchRequest::new("*")).expect("s");
    assert_eq!(
        r.facets
            .submitter
            .get("Fraktionsgemeinschaft DIE LINKE/Die PARTEI"),
        Some(&1)
    );
    assert_eq!(r.facets.year.get("2020"), Some(&3));
}

#[test]
fn sorting_and_paging() {
    let fx = council_fixture();
    let s = fx.searcher();
    // `*`: everything, newest first, undated last.
    let r = s.search(&SearchRequest::new("*")).expect("s");
    assert_eq!(r.total, 7);
    assert_eq!(
        ids(&r),
        [
            "I-074/2021",
            "BA-010/2021",
            "I-051/2020",
            "B-123/2020",
            "BA-044/2020",
            "BA-002/2019",
            "other-0123456789abcdef"
        ]
    );
    let mut req = SearchRequest::new("Prävention");
    req.sort = SortOrder::DateAsc;
    let r = s.search(&req).expect("s");
    assert_eq!(ids(&r)[0], "BA-002/2019");
    assert!(
        r.hits.iter().all(|h| h.score > 0.0),
        "date order still reports scores"
    );
    req.limit = 1;
    req.offset = 1;
    let page = s.search(&req).expect("s");
    assert_eq!(ids(&page), [ids(&r)[1].clone()]);
    assert_eq!(page.total, r.total);
    req.limit = 0;
    let counts = s.search(&req).expect("s");
    assert!(counts.hits.is_empty());
    assert_eq!(counts.total, r.total);
}

#[test]
fn hits_carry_what_a_list_shows() {
    let fx = council_fixture();
    let r = fx.search("BA-044/2020");
    let hit = &r.hits[0];
    assert_eq!(hit.kind, Kind::Beschlussantrag);
    assert!(hit.title.starts_with("Ein Jahr Allianz"));
    assert_eq!(
        hit.date,
        date(2020, 3, 10),
        "effective date: the receipt stamp"
    );
    assert_eq!(
        hit.submitters,
        ["Fraktionsgemeinschaft DIE LINKE/Die PARTEI"]
    );
    assert_eq!(hit.status, Some(StatusKind::AnsweredLate));
    assert!(
        hit.snippet
            .starts_with("Die Stadtverwaltung wird beauftragt"),
        "number only: the lead"
    );
}

#[test]
fn snippets_highlight_words_and_compounds() {
    let fx = council_fixture();
    let r = fx.search("Prävention");
    let hit = r.hits.iter().find(|h| h.id == "BA-044/2020").expect("hit");
    let marked: Vec<&str> = hit
        .highlights
        .iter()
        .map(|&(a, b)| &hit.snippet[a..b])
        .collect();
    assert!(!marked.is_empty(), "{hit:?}");
    assert!(
        marked
            .iter()
            .all(|m| m.to_lowercase().contains("prävention")),
        "{marked:?}"
    );
    assert!(!hit.snippet.contains('\n'));
    // A match in the title only: the start of the body, nothing marked.
    let r = fx.search("Haushaltsplan");
    assert_eq!(r.hits[0].id, "B-123/2020");
    let r = fx.search("Bericht");
    let hit = r.hits.iter().find(|h| h.id == "I-074/2021").expect("hit");
    assert!(
        hit.snippet.starts_with("Mit dem Beschlussantrag"),
        "{}",
        hit.snippet
    );
    assert!(hit.highlights.is_empty());
}

#[test]
fn phrases() {
    let fx = council_fixture();
    let r = fx.ids("\"Sichere Sächsische Kommunen\"");
    assert_eq!(r.len(), 2, "{r:?}");
    assert!(fx.ids("\"Kommunen Sichere\"").is_empty());
    assert_eq!(fx.ids("„Sanierung der Spielplätze“"), ["BA-010/2021"]);
}

#[test]
fn all_words_first_then_any() {
    let fx = council_fixture();
    // Both words only in BA-010/2021.
    assert_eq!(fx.ids("Spielplätze Kaßberg"), ["BA-010/2021"]);
    // No paper has both: fall back to papers with either.
    let r = fx.ids("Kaßberg Haushaltsplan");
    assert!(has(&r, "BA-010/2021") && has(&r, "B-123/2020"), "{r:?}");
    // Exclusion.
    let r = fx.ids("Spielplätze -Kaßberg");
    assert_eq!(r, ["I-074/2021"]);
}

#[test]
fn user_text_never_errors() {
    let fx = council_fixture();
    let s = fx.searcher();
    let everything = s.search(&SearchRequest::new("*")).expect("*").total;
    for q in [
        "\"",
        "\"Prävention",
        "Prävention\"",
        "AND",
        "OR Prävention AND",
        "+",
        "-",
        ":",
        "(",
        ")",
        "((Rat",
        "title:Rat",
        "Rat:",
        "*",
        "?",
        "~2",
        "^3",
        "\\",
        "NOT",
        "-Prävention",
        "ä",
        "ß",
        "\u{0}",
        "\u{200b}",
        "a\u{308}",
        "BA-",
        "BA-/2020",
        "/",
        "12/",
        "\"\"\"",
        "„",
        "«»",
        "🙂",
        &"Prävention ".repeat(200),
        &"x".repeat(5000),
    ] {
        match s.search(&SearchRequest::new(q)) {
            Ok(r) => assert!(q == "*" || r.total < everything, "{q:?}: {}", r.total),
            Err(IndexError::NothingToSearch { .. }) => {}
            Err(e) => panic!("{q:?}: {e}"),
        }
    }
    // Operators around real words still find them.
    assert!(has(&fx.ids("(Kaßberg AND"), "BA-010/2021"));
    assert!(has(&fx.ids("+Kaßberg"), "BA-010/2021"));
    assert!(has(&fx.ids("\"Kaßberg"), "BA-010/2021"));
    // A decomposed umlaut (macOS input) is the same word.
    assert_eq!(fx.ids("Pra\u{308}vention"), fx.ids("Prävention"));
}

/// Queries that analyse to nothing: stop words, emoji, punctuation, an
/// empty box. They once matched every paper ("5000 papers found").
#[test]
fn a_query_with_nothing_to_search_for_never_lists_every_paper() {
    let fx = council_fixture();
    let s = fx.searcher();
    for q in [
        "",
        "   ",
        "und",
        "UND",
        "und der die das",
        "der die das",
        "🙂",
        "🙂🎉👍",
        "?!",
        "…",
        "-- // ::",
        "\"und\"",
        "„der die“",
        "-und",
        "NOT *",
        "\u{200b}",
    ] {
        match s.search(&SearchRequest::new(q)) {
            Err(IndexError::NothingToSearch { query }) => assert_eq!(query, q),
            other => panic!("{q:?}: {other:?}"),
        }
    }
    let message = s
        .search(&SearchRequest::new("und"))
        .map(|r| r.total)
        .map_err(|e| e.to_string());
    assert!(
        message
            .as_ref()
            .is_err_and(|m| m.contains("nothing to search for") && m.contains('*')),
        "{message:?}"
    );
    // A stop word beside a real word is ignored; `*` less a word lists the rest.
    assert_eq!(fx.ids("und Kaßberg"), ["BA-010/2021"]);
    assert_eq!(fx.search("* -Kaßberg").total, 6);
    assert_eq!(fx.search("*").total, 7);
}

/// German compounds of 40 bytes or more were dropped by the analyser, in
/// the papers and in the query, which then matched every paper.
#[test]
fn long_compounds_are_indexed_and_found() {
    let fx = Fixture::new();
    let compound = "Kriminalpräventionsratsgeschäftsordnungsrecht";
    assert_eq!(compound.chars().count(), 45);
    let law = "Grundstücksverkehrsgenehmigungszuständigkeitsübertragungsverordnung";
    let noise = "x".repeat(300);
    let records = [
        record(
            "BA-001/2023",
            Kind::Beschlussantrag,
            "Geschäftsordnung des Präventionsrates",
            "Der Stadtrat beschließt die Kriminalpräventionsratsgeschäftsordnung.",
        ),
        record(
            "I-002/2023",
            Kind::Informationsvorlage,
            "Grundstücke",
            &format!("Nach der {law} ist das Land zuständig. {noise}"),
        ),
        record(
            "BA-003/2023",
            Kind::Beschlussantrag,
            "Spielplatz",
            "Ein neuer Spielplatz am Kaßberg.",
        ),
        record(
            "BA-004/2023",
            Kind::Beschlussantrag,
            "Satzung",
            &format!("Das {compound} wird geändert."),
        ),
    ];
    fx.build(&records.map(|r| (r, None)));
    let word = "Kriminalpräventionsratsgeschäftsordnung";
    // The exact word first; the longer compound through its parts.
    assert_eq!(fx.ids(word), ["BA-001/2023", "BA-004/2023"]);
    assert_eq!(fx.ids(&word.to_lowercase()), fx.ids(word));
    assert_eq!(fx.ids(law), ["I-002/2023"]);
    assert_eq!(fx.ids(&law.to_uppercase()), ["I-002/2023"]);
    assert_eq!(fx.ids(compound), ["BA-004/2023"]);
    // Their parts find them too, through the compound splitter.
    assert!(has(&fx.ids("Genehmigung"), "I-002/2023"));
    assert!(has(&fx.ids("Zuständigkeit"), "I-002/2023"));
    assert!(has(&fx.ids("Präventionsrat"), "BA-004/2023"));
    // A run of letters longer than any word is cut, not lost.
    assert_eq!(fx.ids(&noise), ["I-002/2023"]);
    // A long word no paper has finds nothing, not everything.
    let absent = "Donaudampfschifffahrtselektrizitätenhauptbetriebswerkbauunterbeamtengesellschaft";
    assert_eq!(fx.search(absent).total, 0);
}

#[test]
fn kind_and_year_are_searchable_words() {
    let fx = council_fixture();
    assert_eq!(fx.ids("Informationsvorlage Spielplätze"), ["I-074/2021"]);
    // BA-002/2019 never writes its year; I-051/2020 mentions BA-002/2019.
    let r = fx.ids("Prävention 2019");
    assert!(has(&r, "BA-002/2019") && !has(&r, "BA-044/2020"), "{r:?}");
    // Function words do not have to match.
    assert_eq!(
        fx.ids("Suchtprävention seit 2019"),
        fx.ids("Suchtprävention 2019")
    );
}

/// A broken or hostile file can carry megabytes of one repeated word; tantivy
/// overflowed on such a document before the indexed text was capped.
#[test]
fn a_multi_megabyte_text_indexes_and_stays_searchable() {
    let fx = Fixture::new();
    let body = "Sitzung des StadtratesSitzung des Stadtrates".repeat(60_000);
    assert!(body.len() > 2_000_000);
    let huge = record("other-0000000000000001", Kind::Other, "Endlos", &body);
    let paper = record(
        "BA-001/2021",
        Kind::Beschlussantrag,
        "Spielplatz am Kaßberg",
        "Ein neuer Spielplatz.",
    );
    fx.build(&[(huge, None), (paper, None)]);
    assert!(
        fx.ids("Stadtrat")
            .contains(&"other-0000000000000001".to_string())
    );
    assert_eq!(fx.ids("Kassberg"), ["BA-001/2021"]);
}

/// `Haushaltsmittel` is in most papers of a real archive; looking its parts
/// up as a phrase in every body cost more than the rest of the query.
#[test]
fn a_very_common_compound_is_matched_by_its_parts_in_titles_only() {
    let fx = Fixture::new();
    let mut records: Vec<_> = (0..5_000)
        .map(|i| {
            (
                record(
                    &format!("B-{:03}/{}", i % 1000 + 1, 2000 + i / 1000),
                    Kind::Beschlussvorlage,
                    "Vorlage",
                    "Die Haushaltsmittel stehen bereit.",
                ),
                None,
            )
        })
        .collect();
    records.push((
        record(
            "BA-001/2024",
            Kind::Beschlussantrag,
            "Landeshaushaltsmittel für Schulen",
            "Text",
        ),
        None,
    ));
    records.push((
        record(
            "BA-002/2024",
            Kind::Beschlussantrag,
            "Antrag",
            "Die Landeshaushaltsmittel für Schulen.",
        ),
        None,
    ));
    fx.build(&records);
    let found = fx.searcher().search(&SearchRequest {
        limit: 0,
        ..SearchRequest::new("Haushaltsmittel")
    });
    let total = found.expect("search").total;
    // Every exact form and the title variant, not the body-only variant
    // (a rare compound still finds that: see german_analysis_end_to_end).
    assert_eq!(total, 5_001);
    assert!(
        fx.ids("Haushaltsmittel Schulen")
            .contains(&"BA-001/2024".to_string())
    );
}

/// A Beratungsfolge row with a result.
fn decided(body: &str, role: ConsultationRole, result: ConsultationResult) -> Consultation {
    Consultation {
        body: body.into(),
        date: date(2021, 6, 2),
        public: Some(true),
        role,
        result: Some(result),
        referred_to: None,
        votes: None,
    }
}

#[test]
fn the_result_filter_finds_what_became_of_a_paper() {
    let mut rejected = record(
        "BA-020/2021",
        Kind::Beschlussantrag,
        "Trinkbrunnen am Markt",
        "Die Verwaltung wird beauftragt, Trinkbrunnen aufzustellen.",
    );
    rejected.consultations = vec![decided(
        "Stadtrat",
        ConsultationRole::Entscheidung,
        ConsultationResult::Abgelehnt,
    )];
    // Advised against in committee, then adopted with changes: what became
    // of it is the adoption.
    let mut adopted = record(
        "BA-021/2021",
        Kind::Beschlussantrag,
        "Trinkbrunnen im Stadtpark",
        "Die Verwaltung wird beauftragt, Trinkbrunnen aufzustellen.",
    );
    adopted.consultations = vec![
        decided(
            "Ausschuss für Umwelt",
            ConsultationRole::Beratung,
            ConsultationResult::Abgelehnt,
        ),
        decided(
            "Stadtrat",
            ConsultationRole::Entscheidung,
            ConsultationResult::MitAenderungen,
        ),
    ];
    let open = record(
        "BA-022/2021",
        Kind::Beschlussantrag,
        "Trinkbrunnen am Bahnhof",
        "Die Verwaltung wird beauftragt, Trinkbrunnen aufzustellen.",
    );
    let fx = Fixture::new();
    fx.build(&[(rejected, None), (adopted, None), (open, None)]);
    let s = fx.searcher();
    let mut req = SearchRequest::new("Trinkbrunnen");
    req.result = Some(ConsultationResult::Abgelehnt);
    let found = s.search(&req).expect("search");
    assert_eq!(ids(&found), ["BA-020/2021"]);
    assert_eq!(found.hits[0].result, Some(ConsultationResult::Abgelehnt));
    req.result = Some(ConsultationResult::MitAenderungen);
    assert_eq!(ids(&s.search(&req).expect("search")), ["BA-021/2021"]);
    req.result = None;
    let all = s.search(&req).expect("search");
    assert_eq!(all.total, 3);
    let open_hit = all.hits.iter().find(|h| h.id == "BA-022/2021");
    assert_eq!(open_hit.map(|h| h.result), Some(None));
}
