use super::*;
use ratsdoc_model::ConsultationResult as R;

fn day(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

fn votes(
    yes: Option<u32>,
    no: Option<u32>,
    abstentions: Option<u32>,
    margin: Option<Margin>,
) -> Votes {
    Votes {
        yes,
        no,
        abstentions,
        margin,
    }
}

#[test]
fn result_words_state_their_result() {
    for (words, result) in [
        ("bestätigt", Some(R::Bestaetigt)),
        ("mit Änderungen beschlossen", Some(R::MitAenderungen)),
        ("in geänderter Fassung angenommen", Some(R::MitAenderungen)),
        ("Zustimmende Kenntnisnahme", Some(R::ZurKenntnisGenommen)),
        ("Der Antrag wurde zurückgezogen", Some(R::Zurueckgezogen)),
        ("in den Bauausschuss verwiesen", Some(R::Verwiesen)),
        ("Ablehnung des Antrags", Some(R::Abgelehnt)),
        ("abgesetzt", Some(R::Vertagt)),
        ("Antrag an den Gemeinderat", None),
    ] {
        assert_eq!(result_in(words), result, "{words}");
    }
}

#[test]
fn vote_counts_in_the_shapes_papers_print_them() {
    for (words, expected) in [
        ("24 Ja, 23 Nein", votes(Some(24), Some(23), None, None)),
        (
            "Ja-Stimmen: 30 Nein-Stimmen: 12 Enthaltungen: 3",
            votes(Some(30), Some(12), Some(3), None),
        ),
        (
            "Mehrheitliche Zustimmung (23 Ja-Stimmen, 20 Nein-Stimmen, 2 Enthaltungen)",
            votes(Some(23), Some(20), Some(2), Some(Margin::Majority)),
        ),
        (
            "Bei 44 Ja-Stimmen und 1 Enthaltung mehrheitlich zugestimmt",
            votes(Some(44), None, Some(1), Some(Margin::Majority)),
        ),
        (
            "Bei 1 Nein-Stimme mehrheitlich zugestimmt",
            votes(None, Some(1), None, Some(Margin::Majority)),
        ),
        (
            "einstimmig",
            votes(None, None, None, Some(Margin::Unanimous)),
        ),
        (
            "mit großer Mehrheit bei einer Enthaltung",
            votes(None, None, Some(1), Some(Margin::Majority)),
        ),
        (
            "Mehrheitlich abgelehnt (6 JA, 38 Nein)",
            votes(Some(6), Some(38), None, Some(Margin::Majority)),
        ),
        (
            "dafür: 20, dagegen: 25",
            votes(Some(20), Some(25), None, None),
        ),
        (
            "Abstimmung: dafür: 10, Enth.: 1",
            votes(Some(10), None, Some(1), None),
        ),
        (
            "Mehrheitlich abgelehnt Ja 1 Nein 7 Enthaltung 1",
            votes(Some(1), Some(7), Some(1), Some(Margin::Majority)),
        ),
        // Number first, without commas: never "Ja 23" or "23 Nein 2".
        (
            "24 Ja 23 Nein 2 Enthaltungen",
            votes(Some(24), Some(23), Some(2), None),
        ),
        (
            "Der Antrag wurde mit 25:10 Stimmen angenommen.",
            votes(Some(25), Some(10), None, None),
        ),
        (
            "Mit 24 gegen 22 Stimmen bei 7 Enthaltungen lehnte der Stadtrat ab",
            votes(Some(24), Some(22), Some(7), None),
        ),
    ] {
        assert_eq!(votes_in(words), Some(expected), "{words}");
    }
    assert_eq!(votes_in("Keine Abstimmung"), None);
    assert_eq!(votes_in("am 24.06.2021 im Stadtrat"), None);
}

#[test]
fn counts_alone_decide_and_a_tie_rejects() {
    let adopted = decision_in("24 Ja, 23 Nein").unwrap();
    assert_eq!(adopted.result, R::Bestaetigt);
    let tie = decision_in("20 Ja, 20 Nein, 5 Enthaltungen").unwrap();
    assert_eq!(tie.result, R::Abgelehnt);
    assert_eq!(decision_in("Keine Abstimmung"), None);
}

#[test]
fn a_referral_names_its_body() {
    for (words, body) in [
        (
            "Verwiesen in den Planungsausschuss",
            Some("Planungsausschuss"),
        ),
        (
            "Der Antrag wird in den Ausschuss für Stadtentwicklung und Bau verwiesen.",
            Some("Ausschuss für Stadtentwicklung und Bau"),
        ),
        (
            "Überweisung an den Finanzausschuss, einstimmig",
            Some("Finanzausschuss"),
        ),
        (
            "verwiesen in den Ausschuss für Stadtentwicklung, Bau und Verkehr, einstimmig",
            Some("Ausschuss für Stadtentwicklung, Bau und Verkehr"),
        ),
        (
            "Der Antrag wird in den Ausschuss für Stadtentwicklung, Bau und Verkehr verwiesen.",
            Some("Ausschuss für Stadtentwicklung, Bau und Verkehr"),
        ),
        ("verwiesen", None),
    ] {
        let d = decision_in(words).unwrap();
        assert_eq!(d.result, R::Verwiesen, "{words}");
        assert_eq!(d.referred_to.as_deref(), body, "{words}");
    }
}

#[test]
fn minutes_state_the_decision_and_the_vote() {
    let cases = [
        (
            "Beschluss: Verwiesen in den Fachausschuss Abstimmungsergebnis: Keine Abstimmung",
            Some((R::Verwiesen, Some("Fachausschuss"), None)),
        ),
        (
            "Beschluss:\nAntrag an den Gemeinderat\nDer Gemeinderat beschließt die Satzung.\nAbstimmungsergebnis:\nMehrheitlich abgelehnt (6 JA, 38 Nein)",
            Some((
                R::Abgelehnt,
                None,
                Some(votes(Some(6), Some(38), None, Some(Margin::Majority))),
            )),
        ),
        (
            "Beschluss: Kenntnisnahme von der Stellungnahme der Verwaltung\nAbstimmungsergebnis: Keine Abstimmung",
            Some((R::ZurKenntnisGenommen, None, None)),
        ),
        (
            "Beschluss: Antrag an den Gemeinderat\nAbstimmungsergebnis: Bei 45 Ja-Stimmen einstimmig zugestimmt",
            Some((
                R::Bestaetigt,
                None,
                Some(votes(Some(45), None, None, Some(Margin::Unanimous))),
            )),
        ),
        (
            "Beschluss: Der Gemeinderat beschließt die Entgeltordnung.\nAbstimmungsergebnis: Änderungsantrag der Fraktion A: Mehrheitliche Ablehnung. Änderungsantrag der Fraktion B: Mehrheitliche Ablehnung. Unveränderte Beschlussvorlage: Mehrheitliche Zustimmung.",
            Some((
                R::Bestaetigt,
                None,
                Some(votes(None, None, None, Some(Margin::Majority))),
            )),
        ),
        // The session's narrative after the labels decides nothing.
        (
            "Beschluss: Beratung im Planungsausschuss Abstimmungsergebnis: Keine Abstimmung Der Vorsitzende ruft Tagesordnungspunkt 19 auf; ein früherer Antrag war abgelehnt worden.",
            None,
        ),
        ("Der Antrag wurde abgelehnt.", None),
    ];
    for (text, expected) in cases {
        let got = minutes(text, None).map(|d| (d.result, d.referred_to, d.votes));
        let expected = expected.map(|(r, b, v)| (r, b.map(str::to_string), v));
        assert_eq!(got, expected, "{text}");
    }
}

#[test]
fn press_lines_over_a_web_copy() {
    let p = press_line(
        "Vorlage: BA-024/2021 – Am 02. Juni im Stadtrat mit Mehrheit beschlossen!",
        Some(2021),
    )
    .unwrap();
    assert_eq!(p.body, "Stadtrat");
    assert_eq!(p.date, Some(day("2021-06-02")));
    assert_eq!(p.decision.result, R::Bestaetigt);
    assert_eq!(
        p.decision.votes.and_then(|v| v.margin),
        Some(Margin::Majority)
    );

    let p = press_line("Im Stadtrat am 12.05.2021 abgelehnt.", None).unwrap();
    assert_eq!(
        (p.date, p.decision.result),
        (Some(day("2021-05-12")), R::Abgelehnt)
    );

    // A sentence of a justification that tells an earlier decision is no
    // press line: it does not end on the outcome.
    assert_eq!(
        press_line(
            "Am 12.05.2019 hat der Stadtrat beschlossen, die Planung fortzuführen.",
            None
        ),
        None
    );
    assert_eq!(
        press_line("Am 02. Juni im Stadtrat beschlossen!", None).map(|p| p.date),
        Some(None)
    );
}

fn row(body: &str, date: Option<&str>, role: ConsultationRole) -> Consultation {
    Consultation {
        body: body.into(),
        date: date.map(day),
        public: Some(true),
        role,
        result: None,
        referred_to: None,
        votes: None,
    }
}

#[test]
fn a_press_line_fills_its_row_or_adds_one() {
    let line = press_line(
        "Am 02. Juni im Stadtrat mit Mehrheit beschlossen!",
        Some(2021),
    )
    .unwrap();
    let mut rows = vec![
        row(
            "Ausschuss für Planung",
            Some("2021-05-12"),
            ConsultationRole::Beratung,
        ),
        row(
            "Stadtrat",
            Some("2021-06-02"),
            ConsultationRole::Entscheidung,
        ),
    ];
    apply_press_line(&mut rows, &line);
    assert_eq!(rows.len(), 2);
    assert_eq!(rows[0].result, None);
    assert_eq!(rows[1].result, Some(R::Bestaetigt));

    let mut none = Vec::new();
    apply_press_line(&mut none, &line);
    assert_eq!(none.len(), 1);
    assert_eq!(none[0].role, ConsultationRole::Entscheidung);
    assert_eq!(none[0].date, Some(day("2021-06-02")));
}

#[test]
fn minutes_go_to_their_session_and_never_overwrite() {
    let text = "Auszug aus der Niederschrift der Sitzung des Stadtrates vom 22.06.2021\nBeschluss: Der Antrag wird abgelehnt.\nAbstimmungsergebnis: 12 Ja, 30 Nein, 2 Enthaltungen";
    let lines: Vec<String> = text.lines().map(str::to_string).collect();
    let mut rows = vec![
        row(
            "Stadtrat",
            Some("2021-05-19"),
            ConsultationRole::Entscheidung,
        ),
        row(
            "Stadtrat",
            Some("2021-06-22"),
            ConsultationRole::Entscheidung,
        ),
    ];
    rows[0].result = Some(R::Vertagt);
    read_into(&lines, &mut rows, Some(2021), Some("BA-052/2021"));
    assert_eq!(rows[0].result, Some(R::Vertagt));
    assert_eq!(rows[1].result, Some(R::Abgelehnt));
    assert_eq!(
        rows[1].votes,
        Some(votes(Some(12), Some(30), Some(2), None))
    );
}

#[test]
fn minutes_voting_on_several_papers_give_each_its_own_item() {
    let text = "Abstimmungsergebnis: Vorlage 2014/0007: Bei 7 Nein-Stimmen und 8 Enthaltungen mehrheitlich zugestimmt. Vorlage 2014/0025: Bei 8 Ja-Stimmen und 6 Enthaltungen mehrheitlich abgelehnt.";
    let first = minutes(text, Some("2014/0007")).unwrap();
    assert_eq!(first.result, R::Bestaetigt);
    assert_eq!(
        first.votes,
        Some(votes(None, Some(7), Some(8), Some(Margin::Majority)))
    );
    let second = minutes(text, Some("2014/0025")).unwrap();
    assert_eq!(second.result, R::Abgelehnt);
    assert_eq!(
        second.votes,
        Some(votes(Some(8), None, Some(6), Some(Margin::Majority)))
    );
    let amended = "Abstimmungsergebnis: Beschlussvorlage: einstimmige Zustimmung Ergänzungsantrag: 12 Ja-Stimmen, 5 Enthaltungen, ansonsten Ablehnung";
    let own = minutes(amended, Some("2015/0688")).unwrap();
    assert_eq!(own.result, R::Bestaetigt);
    assert_eq!(
        own.votes,
        Some(votes(None, None, None, Some(Margin::Unanimous)))
    );
}

/// Lines of a web copy that ends with `last` after its Begründung.
fn copy_ending(last: &[&str]) -> Vec<String> {
    let mut lines: Vec<String> = [
        "Sitzbänke für den Stadtpark",
        "",
        "Antragsteller: Beispiel-Fraktion",
        "",
        "Beschlussvorschlag:",
        "Die Stadtverwaltung stellt bis 31.12.2022 zwanzig Sitzbänke auf.",
        "",
        "Begründung:",
        "Ältere Menschen brauchen Pausen auf ihrem Weg durch den Park.",
        "",
    ]
    .iter()
    .map(|l| l.to_string())
    .collect();
    lines.extend(last.iter().map(|l| l.to_string()));
    lines
}

#[test]
fn a_vote_under_the_text_in_every_shape_of_the_table() {
    let cases: [(&[&str], R, Votes); 6] = [
        (
            &["Abstimmungsergebnis: 24 Ja, 23 Nein, 2 Enthaltungen"],
            R::Bestaetigt,
            votes(Some(24), Some(23), Some(2), None),
        ),
        (
            &[
                "Abstimmungsergebnis:",
                "mehrheitlich abgelehnt",
                "Ja 1 Nein 7 Enthaltung 1",
            ],
            R::Abgelehnt,
            votes(Some(1), Some(7), Some(1), Some(Margin::Majority)),
        ),
        (
            &["Abstimmung: Ja: 11, Nein: 0, Enthaltungen: 0"],
            R::Bestaetigt,
            votes(Some(11), Some(0), Some(0), None),
        ),
        (
            &["Ergebnis: mehrheitlich abgelehnt"],
            R::Abgelehnt,
            votes(None, None, None, Some(Margin::Majority)),
        ),
        (
            &["Der Antrag wurde mit 24:23 Stimmen bei 2 Enthaltungen beschlossen."],
            R::Bestaetigt,
            votes(Some(24), Some(23), Some(2), None),
        ),
        (
            &[
                "Der Beschlussantrag wurde mit 25:10 Stimmen angenommen.",
                "",
            ],
            R::Bestaetigt,
            votes(Some(25), Some(10), None, None),
        ),
    ];
    let mut opened = vec![false; TALLIES.len()];
    for (last, result, counted) in cases {
        let lines = copy_ending(last);
        let t = tally(&lines, None).unwrap_or_else(|| panic!("{last:?}"));
        assert_eq!(t.decision.result, result, "{last:?}");
        assert_eq!(t.decision.votes, Some(counted), "{last:?}");
        assert_eq!(t.lines.start, lines.len() - last.len(), "{last:?}");
        for (i, (src, _)) in TALLIES.iter().enumerate() {
            let opening = Regex::new(&format!("(?i)^(?:{src})")).unwrap();
            opened[i] |= opening.is_match(last[0]);
        }
    }
    assert!(opened.iter().all(|o| *o), "every row of TALLIES has a case");
}

#[test]
fn lines_that_only_look_like_a_vote_are_justification() {
    for last in [
        // A result without a vote, after a word that opens other lines too.
        &["Ergebnis: Die Verwaltung hat drei Standorte geprüft und abgelehnt."][..],
        // No decision.
        &["Abstimmungsergebnis: Keine Abstimmung"],
        // A sentence about another vote: no counts.
        &["Der Antrag wurde 2019 schon einmal abgelehnt."],
        // The vote is not at the end.
        &[
            "Abstimmungsergebnis: 24 Ja, 23 Nein",
            "",
            "Weitere Gründe folgen in der Sitzung.",
            "",
            "Mehr dazu auf unserer Seite.",
            "Kontakt: Fraktionsbüro",
        ],
        // A minutes excerpt, which `minutes` reads.
        &[
            "Auszug aus der Niederschrift vom 22.06.2021",
            "Beschluss:",
            "Abstimmungsergebnis: 12 Ja, 30 Nein",
        ],
    ] {
        assert_eq!(tally(&copy_ending(last), None), None, "{last:?}");
    }
    let long = format!("Ergebnis: mehrheitlich abgelehnt, {}", "weil ".repeat(70));
    assert_eq!(tally(&copy_ending(&[long.as_str()]), None), None);
}

#[test]
fn a_vote_under_a_copy_is_the_councils_decision() {
    let lines = copy_ending(&["Abstimmungsergebnis: 24 Ja, 23 Nein, 2 Enthaltungen"]);
    let mut rows = Vec::new();
    let diagnostics = read_into(&lines, &mut rows, Some(2021), None);
    assert!(diagnostics.is_empty(), "{diagnostics:?}");
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].body, "Stadtrat");
    assert_eq!(rows[0].date, None);
    assert_eq!(rows[0].role, ConsultationRole::Entscheidung);
    assert_eq!(rows[0].result, Some(R::Bestaetigt));
    assert_eq!(
        rows[0].votes,
        Some(votes(Some(24), Some(23), Some(2), None))
    );
}

#[test]
fn a_vote_under_a_press_line_adds_its_counts_to_the_press_lines_row() {
    let mut lines = vec![
        "Vorlage: BA-024/2021 – Am 02. Juni im Stadtrat mit Mehrheit beschlossen!".to_string(),
        String::new(),
    ];
    lines.extend(copy_ending(&[
        "Abstimmung: 24 Ja-Stimmen, 23 Nein-Stimmen, 2 Enthaltungen",
    ]));
    let mut rows = Vec::new();
    let diagnostics = read_into(&lines, &mut rows, Some(2021), Some("BA-024/2021"));
    assert!(diagnostics.is_empty(), "{diagnostics:?}");
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].date, Some(day("2021-06-02")));
    assert_eq!(rows[0].result, Some(R::Bestaetigt));
    assert_eq!(
        rows[0].votes,
        Some(votes(Some(24), Some(23), Some(2), Some(Margin::Majority)))
    );

    // A press line and a vote that disagree: the press line's row keeps
    // its result, and a diagnostic says so.
    lines.pop();
    lines.push("Ergebnis: mehrheitlich abgelehnt".into());
    let mut rows = Vec::new();
    let diagnostics = read_into(&lines, &mut rows, Some(2021), None);
    assert_eq!(rows[0].result, Some(R::Bestaetigt));
    assert_eq!(diagnostics.len(), 1, "{diagnostics:?}");
    assert!(diagnostics[0].contains("abgelehnt"), "{diagnostics:?}");
}

#[test]
fn a_vote_whose_counts_and_words_disagree_keeps_the_words() {
    let lines = copy_ending(&[
        "Abstimmungsergebnis: mehrheitlich abgelehnt (26 Ja, 22 Nein, 1 Enthaltung)",
    ]);
    let mut rows = Vec::new();
    let diagnostics = read_into(&lines, &mut rows, None, None);
    assert_eq!(rows[0].result, Some(R::Abgelehnt));
    assert_eq!(
        rows[0].votes,
        Some(votes(Some(26), Some(22), Some(1), Some(Margin::Majority)))
    );
    assert_eq!(diagnostics.len(), 1, "{diagnostics:?}");
    assert!(
        diagnostics[0].contains("26 Ja and 22 Nein"),
        "{diagnostics:?}"
    );

    let agree = decision_in("mehrheitlich abgelehnt (20 Ja, 28 Nein)").unwrap();
    assert_eq!(disagreement(&agree), None);
    let no_words = decision_in("26 Ja, 22 Nein").unwrap();
    assert_eq!(disagreement(&no_words), None);
    let unanimous_no = decision_in("beschlossen (0 Ja, 3 Nein)").unwrap();
    assert!(disagreement(&unanimous_no).is_some());
}

#[test]
fn a_vote_under_a_paper_with_a_table_goes_to_its_council_row() {
    let lines = copy_ending(&["Abstimmung: 30 Ja, 12 Nein"]);
    let mut rows = vec![
        row(
            "Ausschuss für Planung",
            Some("2021-05-12"),
            ConsultationRole::Beratung,
        ),
        row("Stadtrat", None, ConsultationRole::Entscheidung),
    ];
    let diagnostics = read_into(&lines, &mut rows, Some(2021), None);
    assert!(diagnostics.is_empty(), "{diagnostics:?}");
    assert_eq!(rows.len(), 2);
    assert_eq!(rows[0].result, None);
    assert_eq!(rows[1].result, Some(R::Bestaetigt));
    assert_eq!(rows[1].votes, Some(votes(Some(30), Some(12), None, None)));
}
