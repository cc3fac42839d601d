//! The receipt stamp of a motion: "A-036/2020 Eingegangen im Sekretariat der
//! Oberbürgermeisterin 10.03.2020", often followed by stamp noise (a running
//! number, an initial: "1738 Kä").
//!
//! The stamp sits in the header zone above the first label. Its pieces may
//! come on one line or spread over a few (PDF text breaks the stamp box into
//! lines), so the stamp is read from a small window of lines around the word
//! "Eingegangen". The register number is *not* the paper's own number; the
//! classifier and the reference list both exclude it.

use std::sync::LazyLock;

use ratsdoc_model::{PaperNumber, Received};
use regex::Regex;

use crate::dates;
use crate::profile::Profile;
use crate::sections::Doc;
use crate::text::squash;

static RECEIVED_WORD: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)\b(eingegangen|eingang)\b").expect("constant pattern"));
static OFFICE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(?:eingegangen|eingang)\s*:?\s*(?:am\s+\S+\s+)?(?:im|in\s+der|in\s+dem|beim|bei\s+der|bei\s+dem|in)\s+(.+?)\s*(?:\bam\b|\d|$)")
        .expect("constant pattern")
});

/// A receipt stamp and the lines it occupies.
#[derive(Debug, Clone)]
pub struct Stamp {
    pub received: Received,
    pub register: Option<PaperNumber>,
    pub lines: std::ops::Range<usize>,
}

/// Finds the receipt stamp in the header zone (the lines above the first
/// label, at most the first 40 lines).
pub fn find(doc: &Doc, profile: &Profile) -> Option<Stamp> {
    let zone_end = doc.first_label_line().min(40).min(doc.lines.len());
    let at = (0..zone_end).find(|&i| RECEIVED_WORD.is_match(&doc.lines[i]))?;
    // The stamp box: the line with the word, up to three lines after it
    // (stopping at a blank line once a date is seen), and the two lines
    // above, where the register number often stands alone.
    let from = at.saturating_sub(2);
    let mut to = at + 1;
    while to < zone_end && to <= at + 3 {
        let window = squash(&doc.lines[at..to].join(" "));
        if dates::first_date(&window).is_some() && doc.lines[to].trim().is_empty() {
            break;
        }
        to += 1;
    }
    let window = squash(&doc.lines[at..to].join(" "));
    let date = dates::first_date(&window);
    let office = OFFICE
        .captures(&window)
        .and_then(|c| c.get(1))
        .map(|m| m.as_str().trim_matches([',', ';', ':', ' ']).to_string())
        .filter(|o| !o.is_empty());
    // The register number: on the stamp line first, else just above it,
    // never on the paper's heading line.
    let register = (at..to)
        .chain((from..at).rev())
        .filter(|&i| !crate::classify::is_heading_line(&doc.lines[i], profile))
        .find_map(|i| {
            PaperNumber::find_all(&doc.lines[i])
                .first()
                .map(|(n, _)| *n)
        });
    if date.is_none() && office.is_none() && register.is_none() {
        return None;
    }
    Some(Stamp {
        received: Received {
            date,
            register: register.map(|n| n.to_string()),
            office,
        },
        register,
        lines: from.min(at)..to,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_seed_stamp_and_ignores_noise() {
        let doc = Doc::new(
            "\n\nA-036/2020\tEingegangen im Sekretariat der Oberbürgermeisterin 10.03.2020\t\n\t1738\tKä\n\nBeschlussantrag Nr. BA-044/2020\n\nEinreicher:\n",
        );
        let s = find(&doc, Profile::chemnitz());
        let r = s.as_ref().map(|s| s.received.clone());
        assert_eq!(
            r,
            Some(Received {
                date: chrono::NaiveDate::from_ymd_opt(2020, 3, 10),
                register: Some("A-036/2020".into()),
                office: Some("Sekretariat der Oberbürgermeisterin".into()),
            })
        );
    }

    #[test]
    fn reads_a_stamp_spread_over_lines() {
        let doc = Doc::new(
            "A-101/2021\nEingegangen im\nSekretariat des Oberbürgermeisters\n03.05.2021\n\nBeschlussantrag Nr. BA-077/2021\nEinreicher:\n",
        );
        let r = find(&doc, Profile::chemnitz()).map(|s| s.received);
        assert_eq!(
            r.as_ref().and_then(|r| r.register.clone()),
            Some("A-101/2021".into())
        );
        assert_eq!(
            r.as_ref().and_then(|r| r.office.clone()),
            Some("Sekretariat des Oberbürgermeisters".into())
        );
        assert_eq!(
            r.and_then(|r| r.date),
            chrono::NaiveDate::from_ymd_opt(2021, 5, 3)
        );
    }
}
