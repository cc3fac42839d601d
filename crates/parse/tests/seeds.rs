//! Golden tests for the seed papers: every field of BA-044/2020 and
//! I-051/2020 that the project's design table lists, asserted one by one, read through the
//! real extractor; the three non-papers (press release, news item, scraped
//! web page) come out `other`.

mod common;

use chrono::NaiveDate;
use ratsdoc_model::{ConsultationResult, ConsultationRole, Kind, SubmitterKind};

fn date(y: i32, m: u32, d: u32) -> Option<NaiveDate> {
    NaiveDate::from_ymd_opt(y, m, d)
}

#[test]
fn ba_044_2020_motion() {
    let r = common::read(&common::seed("000_"));
    assert_eq!(r.id, "BA-044/2020");
    assert_eq!(r.kind, Kind::Beschlussantrag);
    assert_eq!(r.other_reason, None);

    assert_eq!(r.submitters.len(), 1, "{:?}", r.submitters);
    assert_eq!(
        r.submitters[0].name,
        "Fraktionsgemeinschaft DIE LINKE/Die PARTEI"
    );
    assert_eq!(r.submitters[0].kind, SubmitterKind::Faction);
    assert_eq!(
        r.submitters[0].group.as_deref(),
        Some("Fraktionsgemeinschaft DIE LINKE/Die PARTEI")
    );

    assert_eq!(
        r.title,
        "Ein Jahr Allianz Sichere Sächsische Kommunen (ASSKomm) - Bilanz für Chemnitz"
    );

    let received = r.received.as_ref().expect("receipt stamp");
    assert_eq!(received.date, date(2020, 3, 10));
    assert_eq!(received.register.as_deref(), Some("A-036/2020"));
    assert_eq!(
        received.office.as_deref(),
        Some("Sekretariat der Oberbürgermeisterin")
    );

    assert_eq!(
        r.cost_coverage, None,
        "(Produktuntergruppe) is an empty form label"
    );
    assert_eq!(r.date, None);

    assert_eq!(r.consultations.len(), 1, "{:?}", r.consultations);
    let c = &r.consultations[0];
    assert_eq!(c.body, "Stadtrat");
    assert_eq!(c.date, date(2020, 6, 24));
    assert_eq!(c.public, Some(true));
    assert_eq!(c.role, ConsultationRole::Entscheidung);
    assert_eq!(c.result, None);

    let sig = r.signatory.as_ref().expect("signatory");
    assert_eq!(sig.name, "Anja Schale");
    assert!(sig.on_behalf);

    let proposal = r.decision_proposal.as_deref().expect("decision proposal");
    assert!(proposal.starts_with(
        "Die Stadtverwaltung wird beauftragt, den Stadtrat im III. Quartal 2020 zu informieren"
    ));
    assert!(proposal.ends_with("innerhalb der ASSKomm bewirkt."));
    assert!(
        !proposal.contains("Schale"),
        "the signature is not part of the proposal"
    );
    let justification = r.justification.as_deref().expect("justification");
    assert!(justification.starts_with("Vor reichlich einem Jahr, am 06.02.2019"));
    assert!(justification.ends_with("eingeschätzt werden."));
    assert_eq!(r.body, None);

    assert_eq!(r.report_requests.len(), 1, "{:?}", r.report_requests);
    let rr = &r.report_requests[0];
    assert_eq!(rr.phrase.as_deref(), Some("im III. Quartal 2020"));
    assert_eq!(rr.due, date(2020, 9, 30));
    assert!(!rr.recurring);
    assert_eq!(rr.period, None);
    assert_eq!(rr.addressee.as_deref(), Some("Stadtrat"));
    assert!(
        rr.sentence
            .starts_with("Die Stadtverwaltung wird beauftragt")
    );

    assert!(
        r.references.is_empty(),
        "neither its own number nor the register number: {:?}",
        r.references
    );
    assert!(r.mentions.is_empty());
    assert!(r.diagnostics.is_empty(), "{:?}", r.diagnostics);
}

#[test]
fn i_051_2020_information_paper() {
    let r = common::read(&common::seed("001_"));
    assert_eq!(r.id, "I-051/2020");
    assert_eq!(r.kind, Kind::Informationsvorlage);

    assert_eq!(r.submitters.len(), 1, "{:?}", r.submitters);
    assert_eq!(r.submitters[0].name, "Dezernat 3");
    assert_eq!(r.submitters[0].kind, SubmitterKind::Administration);
    assert_eq!(r.submitters[0].group, None);

    assert_eq!(
        r.title,
        "Ein Jahr Allianz Sichere Sächsische Kommunen (ASSKOMM) - Bilanz für Chemnitz"
    );
    assert_eq!(r.received, None);
    assert_eq!(r.cost_coverage, None);

    assert_eq!(r.consultations.len(), 2, "{:?}", r.consultations);
    let (a, s) = (&r.consultations[0], &r.consultations[1]);
    assert_eq!(a.body, "Ausschuss für Klimaschutz, Umwelt und Sicherheit");
    assert_eq!(a.date, date(2020, 12, 9));
    assert_eq!(a.public, Some(false));
    assert_eq!(a.role, ConsultationRole::Kenntnisnahme);
    assert_eq!(s.body, "Stadtrat");
    assert_eq!(s.date, date(2020, 12, 16));
    assert_eq!(s.public, Some(true));
    assert_eq!(s.role, ConsultationRole::Kenntnisnahme);
    assert!(
        r.consultations.iter().all(
            |c| c.result.is_none() || c.result == Some(ConsultationResult::ZurKenntnisGenommen)
        )
    );

    let sig = r.signatory.as_ref().expect("signatory");
    assert_eq!(sig.name, "Miko Runkel");
    assert!(!sig.on_behalf);

    let body = r.body.as_deref().expect("Sachverhalt");
    assert!(body.contains("Die „Allianz Sichere Sächsische Kommunen“ (ASSKomm) wurde durch den Landespräventionsrat Sachsen am 19.11.2018 gegründet."));
    assert!(body.ends_with("ASSKOMM hat sich als Unterstützungsangebot für Kommunen etabliert."));
    assert_eq!(r.decision_proposal, None);
    assert_eq!(r.justification, None);
    assert!(r.report_requests.is_empty());

    assert_eq!(r.references, ["B-041/1998", "BA-002/2019"]);
    let by_id = |id: &str| r.mentions.iter().find(|m| m.id == id).expect("mention");
    assert_eq!(
        by_id("BA-002/2019").sentence,
        "Auf Grund des Beschlussantrages BA-002/2019 ist das Problemfeld „Konfliktmanagement im öffentlichen Raum“ dazu gekommen."
    );
    assert_eq!(by_id("BA-002/2019").place, "text");
    assert_eq!(
        by_id("B-041/1998").sentence,
        "Der Kriminalpräventive Rat (KPR) der Stadt Chemnitz wurde auf der Grundlage des Stadtratsbeschlusses Nr. B-41/1998 vom 04.02.1998 eingerichtet."
    );
    assert_eq!(by_id("B-041/1998").place, "text");
    assert!(r.diagnostics.is_empty(), "{:?}", r.diagnostics);
}

#[test]
fn non_papers_are_other() {
    for (prefix, reason_word) in [
        ("002_", "press release"),
        ("003_", "news"),
        ("004_", "web page"),
    ] {
        let r = common::read(&common::seed(prefix));
        assert_eq!(r.kind, Kind::Other, "{prefix}");
        assert!(
            r.id.starts_with("other-") && r.id.len() == "other-".len() + 16,
            "{}",
            r.id
        );
        let reason = r.other_reason.as_deref().unwrap_or("");
        assert!(reason.contains(reason_word), "{prefix}: {reason}");
        assert!(
            r.body.as_deref().is_some_and(|b| b.len() > 500),
            "{prefix}: the whole text is the body"
        );
        assert!(
            r.report_requests.is_empty() && r.consultations.is_empty() && r.submitters.is_empty()
        );
        assert!(!r.title.is_empty());
    }
    let press = common::read(&common::seed("002_"));
    assert_eq!(
        press.title,
        "Frankenberg unterzeichnet Vereinbarung zu ASSKomm"
    );
}
