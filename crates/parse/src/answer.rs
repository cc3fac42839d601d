//! The city's answer to an Anfrage, as faction websites and the RIS
//! publish it: one document that holds the question and the answer.
//!
//! ```text
//! RA-180/2022: Zuschüsse der Bürgerplattformen
//! Sehr geehrter Herr Beispiel,
//! zu Ihrer Ratsanfrage teile ich Ihnen Folgendes mit:
//! 1. Ist geplant, …?
//! Die Zuschüsse …
//! Freundliche Grüße
//! Max Muster
//! Bürgermeister
//! ```
//!
//! Such a document has no "Ratsanfrage Nr." heading and no labels, so the
//! heading rule leaves it to `other`. It is an Anfrage when its first lines
//! open with a number of a register the profile's `[answers]` names, and
//! the text holds one of the profile's answer openings ("zu Ihrer
//! Ratsanfrage", "teile ich Ihnen … mit"): a press release that merely
//! quotes "RA-180/2022" has neither. The question and the answer stay
//! together in the body; the answer's date and its signatory (the name
//! after the greeting) are kept, and the member the answer is addressed to
//! ("Sehr geehrter Herr Beispiel,") is the one who asked: the submitter.

use chrono::NaiveDate;
use ratsdoc_model::{PaperNumber, Signatory, Submitter, SubmitterKind};

use crate::dates;
use crate::profile::{AnswerRules, Profile};
use crate::sections::Doc;
use crate::text::{paragraphs, squash};

/// How many non-empty lines from the top the numbered heading may stand.
const HEADING_LINES: usize = 4;

/// An answered Anfrage read from its text.
pub(crate) struct Answer {
    pub number: PaperNumber,
    pub title: String,
    pub body: Option<String>,
    pub date: Option<NaiveDate>,
    pub signatory: Option<Signatory>,
    /// The council member who asked, named in the salutation.
    pub asker: Option<Submitter>,
}

/// The answered Anfrage `doc` holds, if it is one.
pub(crate) fn find(doc: &Doc, profile: &Profile) -> Option<Answer> {
    let rules = profile.answers.as_ref()?;
    let lines: Vec<(usize, String)> = doc
        .lines
        .iter()
        .enumerate()
        .map(|(i, l)| (i, squash(l)))
        .filter(|(_, l)| !l.is_empty())
        .collect();
    let (at, number, title) = lines
        .iter()
        .take(HEADING_LINES)
        .enumerate()
        .find_map(|(k, (_, l))| heading(l, rules).map(|(n, t)| (k, n, t)))?;
    let text = lines
        .iter()
        .map(|(_, l)| l.as_str())
        .collect::<Vec<_>>()
        .join("\n");
    if !rules.opening.is_match(&text) {
        return None;
    }
    let rest = &lines[at + 1..];
    let (title, rest) = match title {
        Some(t) => (t, rest),
        None => {
            let (_, next) = rest.first()?;
            (next.clone(), &rest[1..])
        }
    };
    let greeting = rest.iter().position(|(_, l)| rules.greeting.is_match(l));
    let body_lines: Vec<String> = rest[..greeting.unwrap_or(rest.len())]
        .iter()
        .map(|(i, _)| doc.lines[*i].clone())
        .collect();
    let body = paragraphs(&body_lines).join("\n\n");
    let signatory = greeting
        .and_then(|g| rest.get(g + 1))
        .map(|(_, name)| Signatory {
            name: name.clone(),
            on_behalf: false,
        });
    let date = rest
        .iter()
        .find_map(|(_, l)| rules.dated_text(l))
        .and_then(dates::first_date);
    let before_greeting = &rest[..greeting.unwrap_or(rest.len())];
    Some(Answer {
        number,
        title,
        body: (!body.trim().is_empty()).then_some(body),
        date,
        signatory,
        asker: asker(before_greeting, rules),
    })
}

/// The member named in the first salutation that names a person, not an
/// office.
fn asker(lines: &[(usize, String)], rules: &AnswerRules) -> Option<Submitter> {
    lines.iter().find_map(|(_, line)| {
        rules.addressee(line).map(|name| Submitter {
            name: name.to_string(),
            kind: SubmitterKind::Member,
            group: None,
        })
    })
}

/// A heading line: a number of an answer register at the start (after an
/// optional lead such as "Ihre Anfrage"), then a separator and the title,
/// or nothing ("RA-307/2017" alone, the title on the next line).
fn heading(line: &str, rules: &AnswerRules) -> Option<(PaperNumber, Option<String>)> {
    let lead_end = rules.lead.find(line).map_or(0, |m| m.end());
    let rest = &line[lead_end..];
    let (number, range) = PaperNumber::find_all(rest).into_iter().next()?;
    let before = rest[..range.start].trim();
    if !before.is_empty() || !rules.registers.contains(&number.prefix) {
        return None;
    }
    let tail = rest[range.end..].trim();
    let title = tail
        .trim_start_matches([':', '–', '—', '-'])
        .trim()
        .to_string();
    let separated = tail.is_empty() || tail.starts_with([':', '–', '—', '-']);
    separated.then(|| (number, (!title.is_empty()).then_some(title)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn answer(text: &str) -> Option<Answer> {
        find(&Doc::new(text), Profile::chemnitz())
    }

    #[test]
    fn question_and_answer_stay_together() {
        let Some(a) = answer(
            "Ihre Anfrage RA-233/2025 – Sitzungsgeld\n\nSehr geehrter Herr Beispiel,\n\nzu Ihrer Anfrage\n\n1. Wie hoch wären die Mehrkosten?\n\nteile ich Ihnen Folgendes mit:\n\nRund 5.000 Euro im Jahr.\n\nFreundliche Grüße\nErika Muster\n",
        ) else {
            panic!("an answered Anfrage");
        };
        assert_eq!(a.number.to_string(), "RA-233/2025");
        assert_eq!(a.title, "Sitzungsgeld");
        let body = a.body.unwrap_or_default();
        assert!(body.contains("Wie hoch wären die Mehrkosten?"), "{body}");
        assert!(body.contains("Rund 5.000 Euro"), "{body}");
        assert!(!body.contains("Erika Muster"), "{body}");
        assert_eq!(a.signatory.map(|s| s.name).as_deref(), Some("Erika Muster"));
        assert_eq!(a.asker.map(|s| s.name).as_deref(), Some("Beispiel"));
    }

    #[test]
    fn the_member_addressed_asked_and_an_office_did_not() {
        let asked = |salutation: &str| {
            let text = format!(
                "RA-101/2022: Bänke\n{salutation}\nzu Ihrer Ratsanfrage teile ich Ihnen mit:\nEs sind 24.\nFreundliche Grüße\nErika Muster\n"
            );
            answer(&text).and_then(|a| a.asker).map(|s| s.name)
        };
        assert_eq!(
            asked("Sehr geehrter Herr Dr. Beispiel,").as_deref(),
            Some("Dr. Beispiel")
        );
        assert_eq!(
            asked("Sehr geehrte Frau Stadträtin Muster,").as_deref(),
            Some("Muster")
        );
        assert_eq!(
            asked("Sehr geehrter Herr Franke, zu Ihrer Ratsanfrage").as_deref(),
            Some("Franke")
        );
        assert_eq!(asked("Sehr geehrte Frau Oberbürgermeisterin,"), None);
        assert_eq!(asked("Sehr geehrte Damen und Herren,"), None);
    }

    #[test]
    fn the_answer_is_dated_by_any_of_the_dated_lines() {
        for line in ["Chemnitz, den 12.03.2022", "vom 12. März 2022"] {
            let text = format!(
                "RA-101/2022: Bänke\n{line}\nzu Ihrer Ratsanfrage teile ich Ihnen mit:\nEs sind 24.\n"
            );
            let date = answer(&text).and_then(|a| a.date);
            assert_eq!(date, NaiveDate::from_ymd_opt(2022, 3, 12), "{line}");
        }
    }

    #[test]
    fn the_title_may_follow_a_bare_number() {
        let a = answer(
            "RA-307/2017\nParken am Schlossteich\nzu Ihrer Ratsanfrage teile ich Ihnen mit:\nEs gibt 40 Plätze.\n",
        );
        assert_eq!(
            a.map(|a| a.title).as_deref(),
            Some("Parken am Schlossteich")
        );
    }

    #[test]
    fn a_quoted_number_without_an_answer_is_none() {
        assert!(answer("RA-307/2017: Parken\nDie Fraktion fordert mehr Plätze.\n").is_none());
        assert!(answer("BA-044/2020: Bänke\nzu Ihrer Anfrage teile ich Ihnen mit:\n").is_none());
        assert!(answer("Heute: RA-307/2017\nzu Ihrer Anfrage teile ich Ihnen mit:\n").is_none());
    }
}
