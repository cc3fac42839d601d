//! What a body decided, read from a Protokollauszug or Abstimmungsergebnis
//! filed with the paper: the minutes' "Beschluss:" and
//! "Abstimmungsergebnis:" lines (read by [`ratsdoc_parse::outcome`]),
//! matched to the consultation of the minutes' session.

use ratsdoc_model::Consultation;
use ratsdoc_parse::outcome::{self, Decision};

/// The decision the minutes `text` state about the paper `own` (its
/// reference), if their "Beschluss:" or "Abstimmungsergebnis:" line says
/// one the tables know.
pub fn decision(text: &str, own: &str) -> Option<Decision> {
    outcome::minutes(text, Some(own))
}

/// Puts `decision` on the consultation of the minutes' session: the one
/// dated like the minutes' first date, else the only dated one. A
/// consultation that has a result keeps it.
pub fn apply(consultations: &mut [Consultation], minutes: &str, decision: &Decision) {
    let session = ratsdoc_parse::first_date(minutes);
    outcome::apply_minutes(consultations, session, decision);
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;
    use ratsdoc_model::{ConsultationResult, ConsultationRole};

    #[test]
    fn the_beschluss_line_states_the_outcome() {
        for (text, result) in [
            (
                "Vorlage: 2020/1358 Beschluss: Verwiesen in den Fachausschuss Abstimmungsergebnis: Keine Abstimmung",
                Some(ConsultationResult::Verwiesen),
            ),
            (
                "Beschluss:\nKenntnisnahme von der Stellungnahme der Verwaltung\nAbstimmungsergebnis: Keine",
                Some(ConsultationResult::ZurKenntnisGenommen),
            ),
            (
                "Beschluss: Zustimmung zum Antrag Abstimmungsergebnis: 30 Ja",
                Some(ConsultationResult::Bestaetigt),
            ),
            (
                "Beschluss: Der Antrag wird abgelehnt. Abstimmungsergebnis: 12 Ja, 30 Nein",
                Some(ConsultationResult::Abgelehnt),
            ),
            ("Der Antrag wurde abgelehnt.", None),
        ] {
            assert_eq!(
                decision(text, "2020/1358").map(|d| d.result),
                result,
                "{text}"
            );
        }
    }

    #[test]
    fn the_result_goes_to_the_session_of_the_minutes() {
        let row = |day: u32| Consultation {
            body: "Gemeinderat".into(),
            date: NaiveDate::from_ymd_opt(2020, 12, day),
            public: None,
            role: ConsultationRole::Entscheidung,
            result: None,
            referred_to: None,
            votes: None,
        };
        let mut rows = vec![row(1), row(22)];
        let minutes = "Niederschrift des Gemeinderates 22. Dezember 2020\nBeschluss: Ablehnung\nAbstimmungsergebnis: 10 Ja, 33 Nein";
        let found = decision(minutes, "2020/1358").expect("the minutes state a decision");
        apply(&mut rows, minutes, &found);
        assert_eq!(rows[0].result, None);
        assert_eq!(rows[1].result, Some(ConsultationResult::Abgelehnt));
        assert_eq!(rows[1].votes.and_then(|v| v.no), Some(33));
    }
}
