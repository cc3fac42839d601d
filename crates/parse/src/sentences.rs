//! Sentence splitting for German administrative prose.
//!
//! Linking judges a paper number by the sentence it stands in, and report
//! requests are read sentence by sentence, so a wrong split loses evidence.
//! A period ends a sentence only when the next word starts with a capital
//! letter, digit or quote *and* the word before the period is not an
//! abbreviation ("Nr.", "z. B.", "u. a.", "bzw.", "Prof. Dr."), a single
//! letter (initials, "z. B."), an ordinal ("22. August", "1. Einleitung") or a
//! roman numeral ("im III. Quartal").

/// Abbreviations that end in a period but not a sentence (lower case,
/// without the final period).
const ABBREVIATIONS: &[&str] = &[
    "nr", "z.b", "u.a", "bzw", "prof", "dr", "ca", "ggf", "vgl", "gem", "abs", "art", "str", "st",
    "i.a", "i.v", "e.v", "d.h", "usw", "etc", "mio", "mrd", "tel", "ff", "bspw", "inkl", "evtl",
    "max", "min", "hr", "fr", "sog", "u.ä", "o.ä", "z.t", "v.a", "zzgl", "bzgl", "lt", "allg",
    "ehem", "dipl", "ing", "med", "rer", "nat", "jan", "feb", "mrz", "apr", "jun", "jul", "aug",
    "sep", "sept", "okt", "nov", "dez", "abschn", "ziff", "anl", "kap", "gez", "ggü", "insb",
    "einschl", "vs", "mind", "rd", "tsd", "az", "reg", "o.g", "u.u", "s.o", "s.u", "vorl",
];

fn is_roman(token: &str) -> bool {
    !token.is_empty() && token.len() <= 4 && token.chars().all(|c| matches!(c, 'I' | 'V' | 'X'))
}

/// True when the period at the end of `token` does not end a sentence.
fn keeps_going(token: &str) -> bool {
    let t = token.trim_start_matches(['(', '"', '„', '»', '\'', '[']);
    let lower = t.to_lowercase();
    if ABBREVIATIONS.contains(&lower.as_str()) {
        return true;
    }
    let chars = t.chars().count();
    if chars == 1 && t.chars().all(char::is_alphabetic) {
        // Initials and the halves of "z. B.", "u. a.".
        return true;
    }
    if t.chars().all(|c| c.is_ascii_digit()) && chars <= 2 {
        return true;
    }
    is_roman(t)
}

/// Splits running text into sentences, trimmed, in order.
pub fn split(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut start = 0;
    for (i, mark) in text.match_indices(['.', '!', '?']) {
        let c = mark.chars().next().unwrap_or('.');
        // Next must be white space, then a sentence start.
        let after = &text[i + mark.len()..];
        if !after.chars().next().is_some_and(char::is_whitespace) {
            continue;
        }
        let Some(next) = after.chars().find(|ch| !ch.is_whitespace()) else {
            continue;
        };
        if !(next.is_uppercase()
            || next.is_ascii_digit()
            || matches!(next, '„' | '"' | '»' | '(' | '–' | '-'))
        {
            continue;
        }
        if c == '.' {
            let token = text[start..i]
                .rsplit(char::is_whitespace)
                .next()
                .unwrap_or("");
            if keeps_going(token) {
                continue;
            }
        }
        let end = i + c.len_utf8();
        let s = text[start..end].trim();
        if !s.is_empty() {
            out.push(s.to_string());
        }
        start = end;
    }
    let rest = text[start..].trim();
    if !rest.is_empty() {
        out.push(rest.to_string());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn abbreviations_and_dates_do_not_split() {
        let s = split(
            "Der Rat wurde auf der Grundlage des Stadtratsbeschlusses Nr. B-41/1998 vom 04.02.1998 eingerichtet. Er ist dem Dezernat 3 zugeordnet. Das Ziel ist u. a. Prävention, z.B. durch Prof. Dr. Roland Wöller am 22. August 2019. Im III. Quartal 2020 wird berichtet.",
        );
        assert_eq!(s.len(), 4, "{s:?}");
        assert!(s[0].ends_with("eingerichtet."));
        assert!(s[2].starts_with("Das Ziel"));
    }
}
