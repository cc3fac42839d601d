//! What a body decided, read from a Protokollauszug or Abstimmungsergebnis
//! filed with the paper: the minutes' "Beschluss:" line, matched to the
//! consultation of the minutes' session.

use ratsdoc_model::{Consultation, ConsultationResult};

/// Words of a "Beschluss:" line and the result they state, first match
/// wins: "Ablehnung" before "Zustimmung" would matter in "Zustimmung zur
/// Ablehnung", which no minutes write; "zurückgezogen" before "zurück…".
const OUTCOMES: &[(&str, ConsultationResult)] = &[
    ("zurückgezogen", ConsultationResult::Zurueckgezogen),
    ("abgelehnt", ConsultationResult::Abgelehnt),
    ("ablehnung", ConsultationResult::Abgelehnt),
    ("vertagt", ConsultationResult::Vertagt),
    ("zurückgestellt", ConsultationResult::Vertagt),
    ("kenntnis", ConsultationResult::ZurKenntnisGenommen),
    ("zustimmung", ConsultationResult::Bestaetigt),
    ("beschlossen", ConsultationResult::Bestaetigt),
    ("angenommen", ConsultationResult::Bestaetigt),
    ("wie vorgeschlagen", ConsultationResult::Bestaetigt),
];

/// The decision the minutes `text` state, if their "Beschluss:" line says
/// one the table knows.
pub fn decision(text: &str) -> Option<ConsultationResult> {
    let squashed = text.split_whitespace().collect::<Vec<_>>().join(" ");
    let at = squashed.find("Beschluss:")? + "Beschluss:".len();
    let rest = &squashed[at..];
    let end = rest
        .find("Abstimmungsergebnis")
        .unwrap_or(rest.len())
        .min(160);
    let line = rest.get(..end).unwrap_or(rest).to_lowercase();
    OUTCOMES
        .iter()
        .find(|(word, _)| line.contains(word))
        .map(|(_, result)| *result)
}

/// Puts `result` on the consultation of the minutes' session: the one
/// dated like the minutes' first date, else the only dated one. A
/// consultation that has a result keeps it.
pub fn apply(consultations: &mut [Consultation], minutes: &str, result: ConsultationResult) {
    let session = ratsdoc_parse::first_date(minutes);
    let dated: Vec<usize> = (0..consultations.len())
        .filter(|&i| consultations[i].date.is_some())
        .collect();
    let target = session
        .and_then(|d| consultations.iter().position(|c| c.date == Some(d)))
        .or(match dated.as_slice() {
            [only] => Some(*only),
            _ => None,
        });
    if let Some(c) = target.and_then(|i| consultations.get_mut(i))
        && c.result.is_none()
    {
        c.result = Some(result);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;
    use ratsdoc_model::ConsultationRole;

    #[test]
    fn the_beschluss_line_states_the_outcome() {
        for (text, result) in [
            (
                "Vorlage: 2020/1358 Beschluss: Verwiesen in den Fachausschuss Abstimmungsergebnis: Keine Abstimmung",
                None,
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
            assert_eq!(decision(text), result, "{text}");
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
        };
        let mut rows = vec![row(1), row(22)];
        apply(
            &mut rows,
            "Niederschrift des Gemeinderates 22. Dezember 2020",
            ConsultationResult::Abgelehnt,
        );
        assert_eq!(rows[0].result, None);
        assert_eq!(rows[1].result, Some(ConsultationResult::Abgelehnt));
    }
}
