//! The words of a title and the tone of a sentence: the two pieces of text
//! the linker reads.
//!
//! Titles are compared as sets of *content tokens*: folded to lower case and
//! ASCII (`ASSKomm` = `ASSKOMM`, `Plätze` = `Plaetze`), split at every dash,
//! quote and punctuation mark, lightly stemmed (`Kommunen` = `Kommune`), with
//! function words, the administration's framing words ("Bericht",
//! "Sachstand", "Informationsvorlage") and the usual motion verbs ("prüfen",
//! "einrichten") removed. What is left names the topic.
//!
//! A sentence that names a paper number is sorted into one of four tones —
//! excluding, in passing, answering, neutral — by the cue phrases a clerk
//! would look for. Only the tone decides whether a mention is evidence.

use ratsdoc_model::PaperNumber;
use serde::{Deserialize, Serialize};

/// Lower case, umlauts and ß spelled out, every other non-alphanumeric
/// character turned into a space: the form all cue matching works on. The
/// index folds the other way (typewriter spellings into umlauts);
/// `ratsdoc_model::fold` keeps both side by side.
pub use ratsdoc_model::fold::spell_out as fold;

/// Function words, framing words of reports and motions, and the place name
/// that every title of this council could carry: none of them tells one topic
/// from another. Spelled as after [`fold`], before stemming.
const STOPWORDS: &[&str] = &[
    // articles, prepositions, conjunctions, pronouns
    "der",
    "die",
    "das",
    "den",
    "dem",
    "des",
    "ein",
    "eine",
    "einer",
    "eines",
    "einem",
    "einen",
    "und",
    "oder",
    "sowie",
    "fuer",
    "zu",
    "zum",
    "zur",
    "im",
    "in",
    "am",
    "an",
    "auf",
    "aus",
    "bei",
    "beim",
    "mit",
    "von",
    "vom",
    "nach",
    "ueber",
    "unter",
    "durch",
    "als",
    "auch",
    "wie",
    "nicht",
    "noch",
    "nur",
    "ob",
    "dass",
    "ist",
    "sind",
    "wird",
    "werden",
    "wurde",
    "hat",
    "haben",
    "sich",
    "es",
    "bis",
    "gegen",
    "ohne",
    "um",
    "vor",
    "seit",
    "ins",
    "so",
    "hier",
    "unsere",
    "unserer",
    "unserem",
    "unseren",
    "unser",
    "alle",
    "aller",
    "allen",
    "mehr",
    "nr",
    "vom",
    "ab",
    "bzw",
    "u",
    "a",
    "z",
    "b",
    "d",
    "ii",
    // the place every paper is about
    "stadt",
    "chemnitz",
    "chemnitzer",
    // how the administration frames a report, and how papers name papers
    "bericht",
    "berichte",
    "berichterstattung",
    "zwischenbericht",
    "abschlussbericht",
    "sachstand",
    "sachstandsbericht",
    "sachstandsinformation",
    "information",
    "informationen",
    "informationsvorlage",
    "beschlussvorlage",
    "beschlussantrag",
    "beschlussantrages",
    "beschlussantrags",
    "antrag",
    "antrages",
    "vorlage",
    "umsetzung",
    "beschluss",
    "beschlusses",
    "beschluesse",
    "stadtratsbeschluss",
    "stadtratsbeschlusses",
    "pruefergebnis",
    "pruefergebnisse",
    "stellungnahme",
    "verwaltung",
    "antwort",
    "beantwortung",
    "fraktion",
    "stadtrat",
    "stadtrates",
    "stadtrats",
    "auftrag",
    "berichtsauftrag",
    // verbs that motions put in their titles
    "pruefen",
    "schaffen",
    "einrichten",
    "erstellen",
    "verbessern",
    "sichern",
    "staerken",
    "ermoeglichen",
    "fortschreiben",
    "fortsetzen",
    "ausbauen",
    "umsetzen",
    "einfuehren",
    "entwickeln",
    "vorlegen",
    "erarbeiten",
    "beauftragen",
    "erhalten",
    "unterstuetzen",
    "foerdern",
    "berichten",
    "informieren",
    "ueberpruefen",
    "gewaehrleisten",
    "beenden",
];

fn is_stopword(token: &str) -> bool {
    STOPWORDS.contains(&token)
}

/// Strips one common German inflection ending so that singular and plural,
/// or nominative and genitive, meet (`kommunen`/`kommune` → `kommun`). Never
/// leaves fewer than four characters, so short words stay distinct.
fn stem(token: &str) -> String {
    if let Some(base) = token.strip_suffix("ungen") {
        return format!("{base}ung");
    }
    for suffix in ["ern", "en", "er", "es", "e", "n", "s"] {
        if let Some(base) = token.strip_suffix(suffix)
            && base.chars().count() >= 4
        {
            return base.to_string();
        }
    }
    token.to_string()
}

/// The content tokens of a title, sorted and without duplicates. Paper
/// numbers in the title ("… (BA-052/2021)") are evidence of their own and
/// are left out here.
pub fn title_tokens(title: &str) -> Vec<String> {
    let mut tokens: Vec<String> = title_segments(title).into_iter().flatten().collect();
    tokens.sort();
    tokens.dedup();
    tokens
}

/// The content tokens of a title, segment by segment, in title order. A
/// title's segments are the parts between spaced dashes and after colons
/// ("Kulturhauptstadt 2025 – Zwischenbilanz der Bürgerbeteiligung"): the
/// subject, then the aspect. A segment of framing words only ("– Sachstand
/// der Umsetzung") stays as an empty segment, so that an aspect cannot be
/// swapped for another unnoticed. Paper numbers are left out.
pub fn title_segments(title: &str) -> Vec<Vec<String>> {
    let mut without_numbers = String::with_capacity(title.len());
    let mut at = 0;
    for (_, range) in PaperNumber::find_all(title) {
        without_numbers.push_str(&title[at..range.start]);
        without_numbers.push(' ');
        at = range.end;
    }
    without_numbers.push_str(&title[at..]);
    split_segments(&without_numbers)
        .into_iter()
        .map(|segment| {
            let mut tokens: Vec<String> = Vec::new();
            for t in fold(segment).split_whitespace() {
                if is_stopword(t) || t.len() == 1 && t.chars().all(char::is_alphabetic) {
                    continue;
                }
                let t = stem(t);
                if !tokens.contains(&t) {
                    tokens.push(t);
                }
            }
            tokens
        })
        .collect()
}

/// Splits at a dash with white space on both sides and at a colon followed
/// by white space; a hyphen inside a word ("Kita-Plätze") does not split.
fn split_segments(text: &str) -> Vec<&str> {
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let mut out = Vec::new();
    let mut start = 0;
    for (k, &(i, c)) in chars.iter().enumerate() {
        let before = k > 0 && chars[k - 1].1.is_whitespace();
        let after = chars.get(k + 1).is_none_or(|(_, n)| n.is_whitespace());
        let boundary = match c {
            '-' | '\u{2013}' | '\u{2014}' => before && after,
            ':' => after,
            _ => false,
        };
        if boundary {
            out.push(&text[start..i]);
            start = i + c.len_utf8();
        }
    }
    out.push(&text[start..]);
    out
}

/// How a sentence that names a paper number relates to that paper.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Tone {
    /// Says outright that this paper does not deal with it ("… ist nicht
    /// Gegenstand dieser Vorlage und wird gesondert beantwortet").
    Excluding,
    /// Names it as background ("Auf Grund des Beschlussantrages … ist … dazu
    /// gekommen", "vgl.", "wie bereits …").
    InPassing,
    /// Says this paper reports on it ("In Umsetzung des Beschlusses …",
    /// "Mit dem Beschluss zum Beschlussantrag … wurde die Stadtverwaltung
    /// beauftragt").
    Answering,
    /// Names it without saying how.
    Neutral,
}

impl Tone {
    /// The adjective for "in a … sentence", as evidence reads in German.
    pub fn german(self) -> &'static str {
        match self {
            Tone::Excluding => "ausschließenden",
            Tone::InPassing => "beiläufigen",
            Tone::Answering => "beantwortenden",
            Tone::Neutral => "neutralen",
        }
    }
}

/// Phrases (folded, space-separated) that exclude the mentioned paper.
const EXCLUDING: &[&str] = &[
    "nicht gegenstand",
    "gesondert beantwortet",
    "gesondert berichtet",
    "gesondert informiert",
    "gesondert vorgelegt",
    "separat beantwortet",
    "separat berichtet",
    "wird gesondert",
    "werden gesondert",
    "eigene vorlage",
    "eigenen vorlage",
    "gesonderte vorlage",
    "gesonderten vorlage",
    "nicht beantwortet",
    "nicht behandelt",
    "nicht bestandteil",
    "erfolgt gesondert",
    "folgt gesondert",
    "zu einem spaeteren zeitpunkt",
];

/// Phrases that mark a mention as background.
const IN_PASSING: &[&str] = &[
    "auf grund",
    "aufgrund",
    "vgl",
    "siehe",
    "wie bereits",
    "im zusammenhang mit",
    "dazu gekommen",
    "hinzugekommen",
    "hinzu gekommen",
    "ebenfalls",
    "unabhaengig",
    "ergaenzend",
    "analog",
    "in anlehnung",
    "frueher",
    "seinerzeit",
    "damals",
    "in der vergangenheit",
];

/// Phrases that say the paper reports on, or carries out, the mentioned one.
const ANSWERING: &[&str] = &[
    "beauftragt",
    "in umsetzung",
    "zur umsetzung",
    "umsetzung des beschluss",
    "mit dem beschluss",
    "mit beschluss",
    "gemaess beschluss",
    "gemaess dem beschluss",
    "entsprechend dem beschluss",
    "entsprechend beschluss",
    "auftrag",
    "berichtet",
    "bericht zu",
    "bericht ueber",
    "zu berichten",
    "zu informieren",
    "informiert",
    "beantwortet",
    "beantwortung",
    "antwort auf",
    "wird wie folgt",
    "legt die verwaltung",
    "vorgelegt",
    "beschlossen",
    "hat der stadtrat",
    "bezug",
    "information zu",
    "sachstand zu",
    "stand der umsetzung",
    "zwischenbericht",
    "abschlussbericht",
];

/// A phrase matches at the start of a word and may run on into an ending
/// ("beauftragt" also finds "beauftragte").
fn contains_phrase(folded_padded: &str, phrase: &str) -> bool {
    folded_padded.contains(&format!(" {phrase}"))
}

/// The tone of a sentence, judged from its cue phrases. Exclusion beats
/// background beats answering: a sentence that says "not here" or "because
/// of" is never taken as the report, even if it also says "Beschluss".
pub fn tone(sentence: &str) -> Tone {
    let folded = format!(
        " {} ",
        fold(sentence)
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
    );
    if EXCLUDING.iter().any(|p| contains_phrase(&folded, p)) {
        Tone::Excluding
    } else if IN_PASSING.iter().any(|p| contains_phrase(&folded, p)) {
        Tone::InPassing
    } else if ANSWERING.iter().any(|p| contains_phrase(&folded, p)) {
        Tone::Answering
    } else {
        Tone::Neutral
    }
}

/// Whether a paper presents itself as the administration's written opinion
/// on a motion (Stellungnahme der Verwaltung) rather than as a report.
pub fn is_opinion(title: &str, opening: &str) -> bool {
    let t = fold(title);
    let o = fold(opening);
    t.split_whitespace().any(|w| w == "stellungnahme")
        || o.contains("stellungnahme der verwaltung")
        || o.contains("stellungnahme der stadtverwaltung")
        || o.contains("nimmt die verwaltung wie folgt stellung")
        || o.contains("nimmt die stadtverwaltung wie folgt stellung")
}

/// Splits running text into sentences at `.`, `!`, `?` followed by white
/// space and an upper-case letter or digit, and at blank lines. Good enough to
/// find the sentence a number stands in; abbreviations such as "Nr." or
/// "i. A." before a number do not split, since a number starts with letters
/// and the next character decides.
pub fn sentences(text: &str) -> Vec<&str> {
    first_sentences(text, usize::MAX)
}

/// The first `n` of [`sentences`], without reading the rest of the text.
pub fn first_sentences(text: &str, n: usize) -> Vec<&str> {
    let mut out = Vec::new();
    let mut start = 0;
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() && out.len() < n {
        let b = bytes[i];
        let boundary = if b == b'\n' {
            // blank line: paragraph end
            let rest = &text[i + 1..];
            rest.trim_start_matches([' ', '\t', '\r']).starts_with('\n')
        } else if matches!(b, b'.' | b'!' | b'?') {
            let rest = &text[i + 1..];
            let trimmed = rest.trim_start();
            rest.len() != trimmed.len()
                && trimmed
                    .chars()
                    .next()
                    .is_some_and(|c| c.is_uppercase() && !is_abbreviation_before(&text[start..i]))
        } else {
            false
        };
        if boundary {
            let s = text[start..=i].trim();
            if !s.is_empty() {
                out.push(s);
            }
            start = i + 1;
        }
        i += 1;
    }
    let s = text[start..].trim();
    if !s.is_empty() && out.len() < n {
        out.push(s);
    }
    out
}

/// A dot after these words ends an abbreviation, not a sentence.
fn is_abbreviation_before(before: &str) -> bool {
    let last = before
        .rsplit(|c: char| c.is_whitespace())
        .next()
        .unwrap_or("");
    matches!(
        last,
        "Nr" | "Dr"
            | "Prof"
            | "z.B"
            | "u.a"
            | "bzw"
            | "ggf"
            | "vgl"
            | "ca"
            | "i"
            | "A"
            | "Abs"
            | "Str"
            | "S"
            | "gem"
            | "lt"
            | "inkl"
            | "evtl"
            | "d.h"
            | "z"
            | "u"
            | "o"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn titles_meet_across_spellings() {
        let motion = title_tokens(
            "Ein Jahr Allianz Sichere Sächsische Kommunen (ASSKomm) - Bilanz für Chemnitz",
        );
        let answer = title_tokens(
            "Ein Jahr Allianz Sichere Sächsische Kommunen (ASSKOMM) – Bilanz für Chemnitz",
        );
        assert_eq!(motion, answer);
        assert!(motion.contains(&"asskomm".to_string()));
        assert!(!motion.contains(&"chemnitz".to_string()));
    }

    #[test]
    fn numbers_and_framing_words_leave_the_title() {
        assert_eq!(
            title_tokens("Sachstandsbericht „Kita-Plätze“ (BA-052/2021)"),
            ["kita", "plaetz"]
        );
    }

    #[test]
    fn segments_keep_the_aspect_apart_from_the_subject() {
        assert_eq!(
            title_segments("Kulturhauptstadt 2025 – Zwischenbilanz der Bürgerbeteiligung"),
            [
                vec!["kulturhauptstadt", "2025"],
                vec!["zwischenbilanz", "buergerbeteiligung"]
            ]
        );
        assert_eq!(
            title_segments("Kita-Plätze in Hutholz - Sachstand der Umsetzung"),
            [vec!["kita", "plaetz", "hutholz"], vec![]]
        );
        assert_eq!(
            title_segments("Bürgerhaushalt: Ergebnisse 2024"),
            [vec!["buergerhaushalt"], vec!["ergebniss", "2024"]]
        );
    }

    #[test]
    fn tones_of_the_issue_sentences() {
        assert_eq!(
            tone(
                "Auf Grund des Beschlussantrages BA-002/2019 ist das Problemfeld „Konfliktmanagement im öffentlichen Raum“ dazu gekommen."
            ),
            Tone::InPassing
        );
        assert_eq!(
            tone(
                "Der Beschlussantrag BA-020/2021 ist nicht Gegenstand dieser Vorlage und wird gesondert beantwortet."
            ),
            Tone::Excluding
        );
        assert_eq!(
            tone(
                "Mit dem Beschluss zum Beschlussantrag BA-17/2021 vom 24.03.2021 wurde die Stadtverwaltung beauftragt, zu berichten."
            ),
            Tone::Answering
        );
        assert_eq!(
            tone("In Umsetzung des Beschlusses BA-030/2021 legt die Verwaltung den Bericht vor."),
            Tone::Answering
        );
        assert_eq!(
            tone("Die Zahlen zu BA-030/2021 stehen in Tabelle 2."),
            Tone::Neutral
        );
    }

    #[test]
    fn sentences_do_not_split_at_abbreviations() {
        let s =
            sentences("Der Beschluss Nr. B-41/1998 gilt. Er ist alt.\n\nNeuer Absatz ohne Punkt");
        assert_eq!(
            s,
            [
                "Der Beschluss Nr. B-41/1998 gilt.",
                "Er ist alt.",
                "Neuer Absatz ohne Punkt"
            ]
        );
    }

    #[test]
    fn opinions_are_recognised() {
        assert!(is_opinion(
            "Stellungnahme der Verwaltung zum Beschlussantrag BA-010/2021",
            ""
        ));
        assert!(!is_opinion("Bilanz der Radwege", "Mit dem Beschluss …"));
    }
}
