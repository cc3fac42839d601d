//! Linking and verdicts on hand-built records: each test names the evidence
//! kind or trap it covers. Independent of the parser, so these hold while
//! the parser changes.

use chrono::NaiveDate;
use ratsdoc_model::{
    Consultation, ConsultationResult, ConsultationRole, Kind, Links, Mention, MotionStatus,
    Received, Record, ReportPeriod, ReportRequest, Source, SourceFormat, StatusKind,
};

use crate::{link, status};

fn day(s: &str) -> NaiveDate {
    match NaiveDate::parse_from_str(s, "%Y-%m-%d") {
        Ok(d) => d,
        Err(e) => panic!("bad test date {s:?}: {e}"),
    }
}

/// A record under construction; only the fields linking reads.
struct Paper(Record);

fn paper(id: &str, kind: Kind, title: &str) -> Paper {
    let source = Source {
        path: format!("{id}.txt"),
        format: SourceFormat::Txt,
        hash: String::new(),
        pages: None,
        extractor: None,
        encoding: None,
    };
    Paper(Record::new(id, kind, title, source))
}

fn motion(id: &str, title: &str) -> Paper {
    paper(id, Kind::Beschlussantrag, title)
}

fn info(id: &str, title: &str) -> Paper {
    paper(id, Kind::Informationsvorlage, title)
}

impl Paper {
    fn received(mut self, d: &str) -> Paper {
        self.0.received = Some(Received {
            date: Some(day(d)),
            register: None,
            office: None,
        });
        self
    }

    fn consulted(mut self, body: &str, d: &str) -> Paper {
        let role = match self.0.kind {
            Kind::Beschlussantrag | Kind::Beschlussvorlage => ConsultationRole::Entscheidung,
            _ => ConsultationRole::Kenntnisnahme,
        };
        self.0.consultations.push(Consultation {
            body: body.to_string(),
            date: Some(day(d)),
            public: Some(true),
            role,
            result: None,
            referred_to: None,
            votes: None,
        });
        self
    }

    fn result(mut self, r: ConsultationResult) -> Paper {
        if let Some(c) = self.0.consultations.last_mut() {
            c.result = Some(r);
        }
        self
    }

    fn dated(mut self, d: &str) -> Paper {
        self.0.date = Some(day(d));
        self
    }

    fn request(mut self, phrase: &str, due: Option<&str>, addressee: &str) -> Paper {
        self.0.report_requests.push(ReportRequest {
            phrase: Some(phrase.to_string()),
            due: due.map(day),
            recurring: false,
            period: None,
            addressee: Some(addressee.to_string()),
            form: None,
            sentence: String::new(),
            condition: None,
        });
        self
    }

    fn form(mut self, k: Kind) -> Paper {
        if let Some(r) = self.0.report_requests.last_mut() {
            r.form = Some(k);
        }
        self
    }

    fn recurring(mut self, p: ReportPeriod) -> Paper {
        if let Some(r) = self.0.report_requests.last_mut() {
            r.recurring = true;
            r.period = Some(p);
        }
        self
    }

    fn mention(mut self, id: &str, place: &str, sentence: &str) -> Paper {
        self.0.references.push(id.to_string());
        self.0.mentions.push(Mention {
            id: id.to_string(),
            sentence: sentence.to_string(),
            place: place.to_string(),
        });
        self
    }

    fn body(mut self, text: &str) -> Paper {
        self.0.body = Some(text.to_string());
        self
    }

    fn done(self) -> Record {
        self.0
    }
}

/// The seeds as a careful reader records them.
fn seeds() -> Vec<Record> {
    vec![
        motion(
            "BA-044/2020",
            "Ein Jahr Allianz Sichere Sächsische Kommunen (ASSKomm) - Bilanz für Chemnitz",
        )
        .received("2020-03-10")
        .consulted("Stadtrat", "2020-06-24")
        .request("im III. Quartal 2020", Some("2020-09-30"), "Stadtrat")
        .done(),
        info(
            "I-051/2020",
            "Ein Jahr Allianz Sichere Sächsische Kommunen (ASSKOMM) - Bilanz für Chemnitz",
        )
        .consulted("Ausschuss für Klimaschutz, Umwelt und Sicherheit", "2020-12-09")
        .consulted("Stadtrat", "2020-12-16")
        .mention(
            "BA-002/2019",
            "text",
            "Auf Grund des Beschlussantrages BA-002/2019 ist das Problemfeld „Konfliktmanagement im öffentlichen Raum“ dazu gekommen.",
        )
        .mention(
            "B-041/1998",
            "text",
            "Der Kriminalpräventive Rat (KPR) der Stadt Chemnitz wurde auf der Grundlage des Stadtratsbeschlusses Nr. B-41/1998 vom 04.02.1998 eingerichtet.",
        )
        .done(),
        paper(
            "other-1",
            Kind::Other,
            "Frankenberg unterzeichnet Vereinbarung zu ASSKomm",
        )
        .mention("BA-044/2020", "title", "Frankenberg und BA-044/2020")
        .done(),
    ]
}

fn pairs(links: &Links) -> Vec<(String, String)> {
    links
        .links
        .iter()
        .map(|l| (l.motion.clone(), l.answer.clone()))
        .collect()
}

fn pair(m: &str, a: &str) -> (String, String) {
    (m.to_string(), a.to_string())
}

fn verdict<'a>(all: &'a [MotionStatus], id: &str) -> &'a MotionStatus {
    match all.iter().find(|s| s.id == id) {
        Some(s) => s,
        None => panic!("no verdict for {id}"),
    }
}

#[test]
fn seed_answer_links_by_subject_and_is_70_days_late() {
    let records = seeds();
    let links = link(&records);
    assert_eq!(pairs(&links), [pair("BA-044/2020", "I-051/2020")]);
    let l = &links.links[0];
    assert_eq!(l.evidence[0].rule, "subject_match");
    assert!(l.score >= 0.8, "{l:?}");

    let all = status(&records, &links, day("2021-01-01"));
    let s = verdict(&all, "BA-044/2020");
    assert_eq!(s.status, StatusKind::AnsweredLate);
    assert_eq!(s.due, Some(day("2020-09-30")));
    assert_eq!(s.phrase.as_deref(), Some("im III. Quartal 2020"));
    assert_eq!(s.answered_by.as_deref(), Some("I-051/2020"));
    assert_eq!(s.answered_on, Some(day("2020-12-09")));
    assert_eq!(s.days, Some(70));
    let text = s.evidence.join("\n");
    assert!(text.contains("im III. Quartal 2020"), "{text}");
    assert!(text.contains("vorgelegt 09.12.2020"), "{text}");
    assert!(text.contains("70 Tage nach der Frist 30.09.2020"), "{text}");
}

#[test]
fn mention_in_passing_never_links_even_when_the_motion_exists() {
    // Trap from the seeds: I-051/2020 names BA-002/2019 "Auf Grund des
    // Beschlussantrages …". Construct BA-002/2019 with a report request so
    // that only the sentence can keep them apart.
    let mut records = seeds();
    records.push(
        motion("BA-002/2019", "Konfliktmanagement im öffentlichen Raum")
            .received("2019-01-10")
            .consulted("Stadtrat", "2019-03-27")
            .request("bis zum 31.12.2019", Some("2019-12-31"), "Stadtrat")
            .done(),
    );
    let links = link(&records);
    assert_eq!(pairs(&links), [pair("BA-044/2020", "I-051/2020")]);
    assert!(links.ambiguous.is_empty());
    let all = status(&records, &links, day("2021-01-01"));
    assert_eq!(verdict(&all, "BA-002/2019").status, StatusKind::Overdue);
}

#[test]
fn passing_mention_with_a_matching_title_still_needs_the_subject() {
    // Even a motion whose title equals the answer's is not linked by its
    // passing mention; it is linked by subject, and the passing mention
    // costs score without deciding.
    let records = vec![
        motion("BA-002/2019", "Radwege am Schloßteich")
            .consulted("Stadtrat", "2019-03-27")
            .done(),
        info("I-010/2020", "Parkplätze am Schloßteich")
            .consulted("Stadtrat", "2020-03-01")
            .mention(
                "BA-002/2019",
                "opening",
                "Auf Grund des Beschlussantrages BA-002/2019 wurden Radwege gebaut.",
            )
            .done(),
    ];
    assert!(link(&records).links.is_empty());
}

#[test]
fn number_in_title_links_and_wins_over_similar_titles() {
    let records = vec![
        motion("BA-052/2021", "Sanierung der Schwimmhalle Bernsdorf")
            .consulted("Stadtrat", "2021-05-26")
            .request("bis zum 31.12.2021", Some("2021-12-31"), "Stadtrat")
            .done(),
        motion("BA-060/2021", "Sanierung der Schwimmhalle Bernsdorf")
            .consulted("Stadtrat", "2021-06-30")
            .done(),
        info(
            "I-100/2021",
            "Sachstand Schwimmhalle Bernsdorf (BA-052/2021)",
        )
        .consulted("Stadtrat", "2021-11-17")
        .mention(
            "BA-052/2021",
            "title",
            "Sachstand Schwimmhalle Bernsdorf (BA-052/2021)",
        )
        .done(),
    ];
    let links = link(&records);
    assert_eq!(pairs(&links), [pair("BA-052/2021", "I-100/2021")]);
    assert_eq!(links.links[0].evidence[0].rule, "number_in_title");
    let all = status(&records, &links, day("2022-01-10"));
    assert_eq!(
        verdict(&all, "BA-052/2021").status,
        StatusKind::AnsweredOnTime
    );
}

#[test]
fn answering_sentence_in_the_opening_links() {
    let records = vec![
        motion("BA-017/2021", "Lärmschutz an der Südverbindung")
            .consulted("Stadtrat", "2021-03-24")
            .request("bis Ende des Jahres 2021", Some("2021-12-31"), "Stadtrat")
            .done(),
        info("I-033/2022", "Ergebnisse der Lärmmessungen 2021")
            .consulted("Planungsausschuss", "2022-02-02")
            .mention(
                "BA-017/2021",
                "opening",
                "Mit dem Beschluss zum Beschlussantrag BA-17/2021 vom 24.03.2021 wurde die Stadtverwaltung beauftragt, über den Lärmschutz zu berichten.",
            )
            .done(),
    ];
    let links = link(&records);
    assert_eq!(pairs(&links), [pair("BA-017/2021", "I-033/2022")]);
    assert_eq!(
        links.links[0].evidence[0].rule,
        "number_in_answering_sentence"
    );
    let all = status(&records, &links, day("2022-06-01"));
    let s = verdict(&all, "BA-017/2021");
    assert_eq!((s.status, s.days), (StatusKind::AnsweredLate, Some(33)));
}

#[test]
fn excluded_motion_is_not_linked_though_named_in_the_opening() {
    let records = vec![
        motion("BA-020/2021", "Straßenbeleuchtung in Rabenstein")
            .consulted("Stadtrat", "2021-03-24")
            .request("im II. Quartal 2021", Some("2021-06-30"), "Stadtrat")
            .done(),
        info("I-040/2021", "Beleuchtung der Parkanlagen")
            .consulted("Stadtrat", "2021-06-16")
            .mention(
                "BA-020/2021",
                "opening",
                "Der Beschlussantrag BA-020/2021 ist nicht Gegenstand dieser Vorlage und wird gesondert beantwortet.",
            )
            .done(),
    ];
    let links = link(&records);
    assert!(links.links.is_empty(), "{links:?}");
    let all = status(&records, &links, day("2021-07-10"));
    assert_eq!(verdict(&all, "BA-020/2021").status, StatusKind::Overdue);
    assert_eq!(verdict(&all, "BA-020/2021").days, Some(10));
}

#[test]
fn near_identical_titles_on_another_topic_do_not_match() {
    let records = vec![
        motion(
            "BA-030/2022",
            "Kulturhauptstadt 2025 - Zwischenbilanz der Finanzierung",
        )
        .consulted("Stadtrat", "2022-03-30")
        .request("bis zum 30.09.2022", Some("2022-09-30"), "Stadtrat")
        .done(),
        info(
            "I-090/2022",
            "Kulturhauptstadt 2025 - Zwischenbilanz der Bürgerbeteiligung",
        )
        .consulted("Stadtrat", "2022-09-21")
        .done(),
    ];
    let links = link(&records);
    assert!(links.links.is_empty(), "{links:?}");
    assert!(links.ambiguous.is_empty());
}

#[test]
fn non_papers_never_answer() {
    let records = seeds();
    let links = link(&records);
    assert!(links.links.iter().all(|l| l.answer != "other-1"));
}

#[test]
fn opinion_before_the_session_is_not_the_report() {
    let records = vec![
        motion("BA-010/2021", "Trinkbrunnen in der Innenstadt")
            .received("2021-01-12")
            .consulted("Stadtrat", "2021-03-24")
            .request("bis zum 30.06.2021", Some("2021-06-30"), "Stadtrat")
            .done(),
        info("I-015/2021", "Stellungnahme der Verwaltung zum Beschlussantrag BA-010/2021 - Trinkbrunnen in der Innenstadt")
            .dated("2021-03-01")
            .consulted("Stadtrat", "2021-03-24")
            .mention(
                "BA-010/2021",
                "title",
                "Stellungnahme der Verwaltung zum Beschlussantrag BA-010/2021 - Trinkbrunnen in der Innenstadt",
            )
            .done(),
    ];
    let links = link(&records);
    assert!(links.links.is_empty(), "{links:?}");
    let all = status(&records, &links, day("2021-08-01"));
    assert_eq!(verdict(&all, "BA-010/2021").status, StatusKind::Overdue);
}

#[test]
fn identical_titles_without_a_number_are_ambiguous() {
    let records = vec![
        motion("BA-005/2022", "Hundewiese im Küchwald")
            .consulted("Stadtrat", "2022-02-23")
            .request("im II. Quartal 2022", Some("2022-06-30"), "Stadtrat")
            .done(),
        motion("BA-040/2022", "Hundewiese im Küchwald")
            .consulted("Stadtrat", "2022-05-25")
            .request("im III. Quartal 2022", Some("2022-09-30"), "Stadtrat")
            .done(),
        info("I-070/2022", "Hundewiese im Küchwald")
            .consulted("Stadtrat", "2022-07-13")
            .done(),
    ];
    let links = link(&records);
    assert!(links.links.is_empty(), "{links:?}");
    assert_eq!(links.ambiguous.len(), 1);
    assert_eq!(links.ambiguous[0].candidates.len(), 2);
    let all = status(&records, &links, day("2022-08-01"));
    assert!(
        verdict(&all, "BA-005/2022")
            .evidence
            .iter()
            .any(|e| e.contains("I-070/2022 könnte ihn beantworten"))
    );
}

#[test]
fn beschlussvorlage_answers_by_answering_sentence() {
    let records = vec![
        motion("BA-025/2021", "Mehr Grün auf Schulhöfen")
            .consulted("Stadtrat", "2021-04-28")
            .request("im IV. Quartal 2021", Some("2021-12-31"), "Stadtrat")
            .form(Kind::Beschlussvorlage)
            .done(),
        paper(
            "B-200/2021",
            Kind::Beschlussvorlage,
            "Programm Grüne Schulhöfe 2022 bis 2025",
        )
        .consulted("Stadtrat", "2021-12-15")
        .mention(
            "BA-025/2021",
            "opening",
            "In Umsetzung des Beschlusses BA-025/2021 legt die Verwaltung das Programm vor.",
        )
        .done(),
    ];
    let links = link(&records);
    assert_eq!(pairs(&links), [pair("BA-025/2021", "B-200/2021")]);
    let all = status(&records, &links, day("2022-01-01"));
    assert_eq!(
        verdict(&all, "BA-025/2021").status,
        StatusKind::AnsweredOnTime
    );
}

#[test]
fn answer_dated_after_as_of_does_not_count() {
    let records = seeds();
    let links = link(&records);
    let all = status(&records, &links, day("2020-11-01"));
    let s = verdict(&all, "BA-044/2020");
    assert_eq!((s.status, s.days), (StatusKind::Overdue, Some(32)));
    let all = status(&records, &links, day("2020-09-01"));
    let s = verdict(&all, "BA-044/2020");
    assert_eq!((s.status, s.days), (StatusKind::Pending, Some(29)));
}

#[test]
fn no_request_and_unresolved_and_rejected() {
    let records = vec![
        motion("BA-001/2021", "Bänke im Stadtpark")
            .consulted("Stadtrat", "2021-02-24")
            .done(),
        motion("BA-002/2021", "Bäume in der Innenstadt")
            .consulted("Stadtrat", "2021-02-24")
            .request("zeitnah", None, "Stadtrat")
            .done(),
        motion("BA-003/2021", "Brunnen am Markt")
            .consulted("Stadtrat", "2021-02-24")
            .result(ConsultationResult::Abgelehnt)
            .request("bis zum 30.06.2021", Some("2021-06-30"), "Stadtrat")
            .done(),
    ];
    let all = status(&records, &link(&records), day("2021-12-01"));
    assert_eq!(
        verdict(&all, "BA-001/2021").status,
        StatusKind::NoReportRequested
    );
    assert_eq!(
        verdict(&all, "BA-002/2021").status,
        StatusKind::DeadlineUnresolved
    );
    let rejected = verdict(&all, "BA-003/2021");
    assert_eq!(rejected.status, StatusKind::Void);
    assert_eq!(rejected.days, None);
    assert!(
        rejected.evidence[0]
            .starts_with("gegenstandslos: der Antrag wurde abgelehnt (Stadtrat, 24.02.2021)"),
        "{:?}",
        rejected.evidence
    );
}

#[test]
fn a_withdrawn_motion_is_void_but_a_committee_rejection_is_not() {
    let advised_against = |id: &str, then: Option<ConsultationResult>| {
        let mut paper = motion(id, "Brunnen am Markt")
            .consulted("Ausschuss für Umwelt", "2021-02-03")
            .consulted("Stadtrat", "2021-02-24")
            .request("bis zum 30.06.2021", Some("2021-06-30"), "Stadtrat");
        paper.0.consultations[0].role = ConsultationRole::Beratung;
        paper.0.consultations[0].result = Some(ConsultationResult::Abgelehnt);
        paper.0.consultations[1].result = then;
        paper.done()
    };
    let records = vec![
        advised_against("BA-010/2021", None),
        advised_against("BA-011/2021", Some(ConsultationResult::Zurueckgezogen)),
        advised_against("BA-012/2021", Some(ConsultationResult::MitAenderungen)),
    ];
    let all = status(&records, &link(&records), day("2021-12-01"));
    // The committee only advised: the council has not refused, the report
    // is overdue.
    assert_eq!(verdict(&all, "BA-010/2021").status, StatusKind::Overdue);
    assert_eq!(verdict(&all, "BA-011/2021").status, StatusKind::Void);
    assert_eq!(verdict(&all, "BA-012/2021").status, StatusKind::Overdue);
}

#[test]
fn a_report_ordered_without_a_time_is_unresolved_without_empty_quotes() {
    let mut paper = motion("BA-004/2021", "Lärmschutz an der Zwickauer Straße")
        .consulted("Stadtrat", "2021-02-24")
        .request("-", None, "Stadtrat");
    paper.0.report_requests[0].phrase = None;
    let records = vec![paper.done()];
    let all = status(&records, &link(&records), day("2021-12-01"));
    let s = verdict(&all, "BA-004/2021");
    assert_eq!(s.status, StatusKind::DeadlineUnresolved);
    assert_eq!(s.phrase, None);
    let text = s.evidence.join("\n");
    assert!(text.contains("ohne Zeitangabe"), "{text}");
    assert!(!text.contains("„“"), "{text}");
}

#[test]
fn several_requests_show_the_most_urgent() {
    // Interim report as Informationsvorlage in Q1 (came, late), decision
    // paper in Q2 (missing): the motion is overdue, explained.
    let records = vec![
        motion("BA-070/2020", "Radverkehrskonzept Innenstadt")
            .consulted("Stadtrat", "2020-11-25")
            .request("im I. Quartal 2021", Some("2021-03-31"), "Stadtrat")
            .form(Kind::Informationsvorlage)
            .request("im II. Quartal 2021", Some("2021-06-30"), "Stadtrat")
            .form(Kind::Beschlussvorlage)
            .done(),
        info("I-030/2021", "Radverkehrskonzept Innenstadt")
            .consulted("Stadtrat", "2021-04-21")
            .done(),
    ];
    let links = link(&records);
    assert_eq!(pairs(&links), [pair("BA-070/2020", "I-030/2021")]);
    let all = status(&records, &links, day("2021-08-01"));
    let s = verdict(&all, "BA-070/2020");
    assert_eq!((s.status, s.days), (StatusKind::Overdue, Some(32)));
    assert_eq!(s.due, Some(day("2021-06-30")));
    let text = s.evidence.join("\n");
    assert!(text.contains("verspätet beantwortet"), "{text}");
}

#[test]
fn recurring_reports_judge_the_latest_due_occurrence() {
    let base = || {
        motion("BA-080/2020", "Lagebericht Obdachlosigkeit")
            .consulted("Stadtrat", "2020-09-30")
            .request(
                "halbjährlich, erstmals zum 31.12.2020",
                Some("2020-12-31"),
                "Stadtrat",
            )
            .recurring(ReportPeriod::HalfYearly)
    };
    let answer = |id: &str, d: &str| {
        info(id, "Lagebericht Obdachlosigkeit")
            .consulted("Stadtrat", d)
            .done()
    };
    // Occurrences: 2020-12-31, 2021-06-30, 2021-12-31, …
    let records = vec![
        base().done(),
        answer("I-001/2021", "2020-12-09"),
        answer("I-050/2021", "2021-07-14"),
    ];
    let links = link(&records);
    assert_eq!(links.links.len(), 2, "{links:?}");
    // As of 2021-10-01 the latest due occurrence is 2021-06-30, met 14 days late.
    let all = status(&records, &links, day("2021-10-01"));
    let s = verdict(&all, "BA-080/2020");
    assert_eq!(
        (s.status, s.due, s.days),
        (StatusKind::AnsweredLate, Some(day("2021-06-30")), Some(14))
    );
    assert_eq!(s.answered_by.as_deref(), Some("I-050/2021"));
    // As of 2022-02-01 the occurrence 2021-12-31 has no answer: overdue 32 days.
    let all = status(&records, &links, day("2022-02-01"));
    let s = verdict(&all, "BA-080/2020");
    assert_eq!(
        (s.status, s.due, s.days),
        (StatusKind::Overdue, Some(day("2021-12-31")), Some(32))
    );
    // Before the first occurrence: pending.
    let all = status(&records, &links, day("2020-10-01"));
    assert_eq!(verdict(&all, "BA-080/2020").status, StatusKind::Pending);
}

#[test]
fn answer_before_the_motion_is_not_linked() {
    let records = vec![
        motion("BA-090/2021", "Hitzeaktionsplan")
            .received("2021-05-01")
            .consulted("Stadtrat", "2021-06-30")
            .request("bis zum 31.12.2021", Some("2021-12-31"), "Stadtrat")
            .done(),
        info("I-020/2021", "Hitzeaktionsplan")
            .consulted("Stadtrat", "2021-02-10")
            .done(),
    ];
    assert!(link(&records).links.is_empty());
}

#[test]
fn mentions_are_derived_when_the_parser_left_none() {
    let records = vec![
        motion("BA-017/2021", "Lärmschutz an der Südverbindung")
            .consulted("Stadtrat", "2021-03-24")
            .done(),
        info("I-033/2022", "Ergebnisse der Lärmmessungen 2021")
            .consulted("Stadtrat", "2022-02-02")
            .body("Mit dem Beschluss zum Beschlussantrag BA-17/2021 wurde die Stadtverwaltung beauftragt, zu berichten. Hier ist der Bericht.")
            .done(),
    ];
    assert_eq!(pairs(&link(&records)), [pair("BA-017/2021", "I-033/2022")]);
}

#[test]
fn output_does_not_depend_on_input_order() {
    let mut records = seeds();
    let a = link(&records);
    records.reverse();
    assert_eq!(link(&records), a);
}

#[test]
fn scale_is_not_quadratic() {
    // 20,000 motions and 20,000 answers, each pair with its own subject:
    // finishes in well under a few seconds when blocking works.
    let mut records = Vec::new();
    for i in 0..20_000u32 {
        let topic = format!("Thema{i} Ort{}", i % 97);
        records.push(
            motion(&format!("BA-{}/{}", i % 9000, 2000 + i / 9000), &topic)
                .consulted("Stadtrat", "2020-01-01")
                .done(),
        );
        records.push(
            info(&format!("I-{}/{}", i % 9000, 2000 + i / 9000), &topic)
                .consulted("Stadtrat", "2020-06-01")
                .done(),
        );
    }
    let start = std::time::Instant::now();
    let links = link(&records);
    assert_eq!(links.links.len(), 20_000);
    assert!(start.elapsed().as_secs() < 20, "{:?}", start.elapsed());
}

#[test]
fn undated_opinion_presented_at_the_deciding_session_is_not_the_report() {
    let records = vec![
        motion("BA-010/2021", "Trinkbrunnen in der Innenstadt")
            .consulted("Stadtrat", "2021-03-24")
            .request("bis zum 30.06.2021", Some("2021-06-30"), "Stadtrat")
            .done(),
        info("I-016/2021", "Trinkbrunnen in der Innenstadt")
            .consulted("Stadtrat", "2021-03-24")
            .body("Zum Beschlussantrag BA-010/2021 nimmt die Verwaltung wie folgt Stellung. Es gibt zwei Brunnen.")
            .done(),
    ];
    let links = link(&records);
    assert!(links.links.is_empty(), "{links:?}");
}

#[test]
fn one_day_is_singular() {
    let records = vec![
        motion("BA-133/2022", "Sitzbänke am Fluss")
            .consulted("Stadtrat", "2022-06-29")
            .request("im III. Quartal 2022", Some("2022-09-30"), "Stadtrat")
            .done(),
    ];
    let all = status(&records, &link(&records), day("2022-10-01"));
    let s = verdict(&all, "BA-133/2022");
    assert_eq!((s.status, s.days), (StatusKind::Overdue, Some(1)));
    assert!(
        s.evidence
            .iter()
            .any(|e| e.contains("1 Tag über die Frist")),
        "{:?}",
        s.evidence
    );
}

#[test]
fn compounds_written_apart_still_match() {
    let records = vec![
        motion("BA-011/2022", "Kita-Plätze im Heckert-Gebiet")
            .consulted("Stadtrat", "2022-02-23")
            .request("im II. Quartal 2022", Some("2022-06-30"), "Stadtrat")
            .done(),
        info("I-060/2022", "Kita-Plätze im Heckertgebiet")
            .consulted("Stadtrat", "2022-06-15")
            .done(),
    ];
    assert_eq!(pairs(&link(&records)), [pair("BA-011/2022", "I-060/2022")]);
}

#[test]
fn bezug_line_names_the_motion() {
    let records = vec![
        motion("BA-012/2022", "Wasserspielplatz im Küchwald")
            .consulted("Stadtrat", "2022-02-23")
            .done(),
        info("I-061/2022", "Sanierung von Spielplätzen")
            .consulted("Stadtrat", "2022-06-15")
            .mention(
                "BA-012/2022",
                "opening",
                "Bezug: Beschlussantrag BA-012/2022",
            )
            .done(),
    ];
    assert_eq!(pairs(&link(&records)), [pair("BA-012/2022", "I-061/2022")]);
}

#[test]
fn context_never_makes_a_link_on_a_weak_subject() {
    // Time order, a requested report and the addressee all fit, but the
    // titles only share a year and a word part: not the report.
    let records = vec![
        motion(
            "BA-255/2013",
            "Regenwassermanagement 2014 - Auswirkungen auf den Haushalt",
        )
        .consulted("Stadtrat", "2013-07-05")
        .request("bis zum 31.10.2014", Some("2014-10-31"), "Stadtrat")
        .done(),
        paper(
            "B-045/2014",
            Kind::Beschlussvorlage,
            "Haushaltssatzung der Stadt Chemnitz für das Haushaltsjahr 2014",
        )
        .consulted("Stadtrat", "2014-01-13")
        .done(),
    ];
    let links = link(&records);
    assert!(links.links.is_empty(), "{links:?}");
    assert!(links.ambiguous.is_empty(), "{links:?}");
}

#[test]
fn another_aspect_appended_is_another_subject() {
    let records = vec![
        motion(
            "BA-730/2015",
            "Parkraumkonzept für den Stadtteil Markersdorf",
        )
        .consulted("Stadtrat", "2016-02-15")
        .request("im II. Quartal 2016", Some("2016-06-30"), "Stadtrat")
        .done(),
        info(
            "I-090/2016",
            "Parkraumkonzept im Stadtteil Markersdorf - Zeitplan und Meilensteine",
        )
        .consulted("Stadtrat", "2016-05-14")
        .done(),
    ];
    assert!(link(&records).links.is_empty());
}

#[test]
fn a_repeated_title_links_however_common_its_words() {
    // 300 motions share every word but the district with the answer: the
    // one with its exact title is found all the same.
    let districts: Vec<String> = (0..300).map(|i| format!("Ortsteil{i}")).collect();
    let mut records: Vec<Record> = districts
        .iter()
        .enumerate()
        .map(|(i, d)| {
            motion(
                &format!("BA-{:03}/2020", i + 1),
                &format!("Ein Jahr Allianz Sichere Sächsische Kommunen (ASSKomm) in {d} - Bilanz für Chemnitz"),
            )
            .consulted("Stadtrat", "2020-06-24")
            .request("im III. Quartal 2020", Some("2020-09-30"), "Stadtrat")
            .done()
        })
        .collect();
    records.push(
        info(
            "I-051/2020",
            "Ein Jahr Allianz Sichere Sächsische Kommunen (ASSKOMM) in Ortsteil217 – Bilanz für Chemnitz",
        )
        .consulted("Stadtrat", "2020-09-16")
        .done(),
    );
    assert_eq!(pairs(&link(&records)), [pair("BA-218/2020", "I-051/2020")]);
}

#[test]
fn a_title_repeated_word_for_word_beats_one_repeated_after_normalisation() {
    let records = vec![
        motion(
            "BA-097/2005",
            "Sozialticket im Stadtteil Grüna - Sachstand der Umsetzung",
        )
        .consulted("Stadtrat", "2005-04-20")
        .request("im III. Quartal 2005", Some("2005-09-30"), "Stadtrat")
        .done(),
        motion("BA-069/2007", "Sozialticket für den Stadtteil Grüna")
            .consulted("Stadtrat", "2007-03-21")
            .request("im IV. Quartal 2007", Some("2007-12-31"), "Stadtrat")
            .done(),
        info("I-573/2007", "Sozialticket für den Stadtteil  Grüna")
            .consulted("Stadtrat", "2007-11-14")
            .done(),
    ];
    let links = link(&records);
    assert_eq!(pairs(&links), [pair("BA-069/2007", "I-573/2007")]);
    assert!(links.ambiguous.is_empty(), "{links:?}");
    assert!(links.links[0].evidence[0].detail.contains("gleicher Titel"));
}

#[test]
fn a_title_alone_years_after_the_due_date_is_not_the_report() {
    let motion_paper = || {
        motion(
            "BA-159/2010",
            "Breitbandausbau 2012 - Sachstand der Umsetzung",
        )
        .consulted("Stadtrat", "2010-03-28")
        .request("bis zum 30.06.2010", Some("2010-06-30"), "Stadtrat")
        .done()
    };
    let late = vec![
        motion_paper(),
        info("I-011/2012", "Sachstandsbericht Breitbandausbau 2012")
            .consulted("Stadtrat", "2012-09-07")
            .done(),
    ];
    let links = link(&late);
    assert!(links.links.is_empty(), "{links:?}");

    // Named by number, the same paper is the report, however late.
    let named = vec![
        motion_paper(),
        info(
            "I-011/2012",
            "Sachstandsbericht Breitbandausbau 2012 (BA-159/2010)",
        )
        .consulted("Stadtrat", "2012-09-07")
        .mention(
            "BA-159/2010",
            "title",
            "Sachstandsbericht Breitbandausbau 2012 (BA-159/2010)",
        )
        .done(),
    ];
    let links = link(&named);
    assert_eq!(pairs(&links), [pair("BA-159/2010", "I-011/2012")]);
    assert!(
        !links.links[0]
            .evidence
            .iter()
            .any(|e| e.rule == "long_after_due"),
        "{links:?}"
    );
}

#[test]
fn an_amendment_is_tied_to_the_paper_its_heading_names_and_never_answers() {
    let heading = "Änderungsantrag Nr. ÄA-003/2022 zum Beschlussantrag BA-044/2022";
    let records = vec![
        motion("BA-044/2022", "Radverkehrskonzept 2030")
            .consulted("Stadtrat", "2022-05-18")
            .request("halbjährlich", None, "Stadtrat")
            .done(),
        paper(
            "ÄA-003/2022",
            Kind::Aenderungsantrag,
            "Radverkehrskonzept 2030",
        )
        .mention("BA-044/2022", "title", heading)
        .mention("BA-012/2019", "text", "wie schon BA-012/2019 forderte")
        .done(),
        motion("BA-012/2019", "Radwege am Ring").done(),
        paper("ÄA-004/2022", Kind::Aenderungsantrag, "Ohne Bezug")
            .mention("BA-012/2019", "text", "wie schon BA-012/2019 forderte")
            .done(),
    ];
    let links = link(&records);
    let tied: Vec<(&str, &str)> = links
        .amendments
        .iter()
        .map(|a| (a.amendment.as_str(), a.amended.as_str()))
        .collect();
    assert_eq!(tied, [("ÄA-003/2022", "BA-044/2022")], "{links:?}");
    assert_eq!(links.amendments[0].evidence[0].rule, "named_in_heading");
    assert!(links.links.is_empty(), "{links:?}");
}
