//! Unicode clean-up shared by every input format.
//!
//! Text from office suites and PDF producers carries invisible or
//! look-alike characters that break matching later: soft hyphens inside
//! words, non-breaking spaces, ligatures (`ﬁ`), symbol-font bullets in the
//! private-use area, and non-ASCII dashes inside paper numbers
//! (`BA‑044/2020` with U+2011). This module makes them plain: NFKC, soft
//! hyphens and zero-width characters removed, every space-like character a
//! space, bullets `- `, and `-` inside paper numbers. En dashes elsewhere
//! stay, because they are part of the text as written.

use std::borrow::Cow;
use std::sync::LazyLock;

use regex::Regex;
use unicode_normalization::{IsNormalized, UnicodeNormalization, is_nfkc_quick};

/// Normalises `text` (see the module docs). Line ends become `\n`; trailing
/// spaces of each line are dropped (tabs are kept: they separate table cells).
pub fn normalize(text: &str) -> String {
    let unified: Cow<str> = if text.contains('\r') {
        Cow::Owned(text.replace("\r\n", "\n").replace('\r', "\n"))
    } else {
        Cow::Borrowed(text)
    };
    // Most papers are already NFKC (ASCII plus precomposed umlauts): the
    // quick check proves it without decomposing every character, and the
    // character clean-up then copies whole runs between the few characters
    // it changes.
    let out = if is_nfkc_quick(unified.chars()) == IsNormalized::Yes {
        clean_chars(&unified)
    } else {
        let mut out = String::with_capacity(unified.len());
        for c in unified.nfkc() {
            push_clean(&mut out, c);
        }
        out
    };
    let out = tidy_bullets(&out);
    let out = fix_dashes(&out);
    let mut lines: Vec<&str> = out.split('\n').map(|l| l.trim_end_matches(' ')).collect();
    while lines.last().is_some_and(|l| l.trim().is_empty()) {
        lines.pop();
    }
    lines.join("\n")
}

/// True for a character [`push_clean`] does not copy as it is.
fn is_special(c: char) -> bool {
    matches!(
        c,
        '\u{00AD}'
            | '\u{200B}'
            | '\u{200C}'
            | '\u{200D}'
            | '\u{2060}'
            | '\u{FEFF}'
            | '\u{00A0}'
            | '\u{2007}'
            | '\u{202F}'
            | '\u{205F}'
            | '\u{3000}'
            | '\u{000C}'
            | '\u{000B}'
    ) || is_bullet(c)
}

/// The character clean-up of NFKC text, copying unchanged runs in one piece.
fn clean_chars(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut copied = 0;
    for (i, c) in text.char_indices() {
        if is_special(c) {
            out.push_str(&text[copied..i]);
            push_clean(&mut out, c);
            copied = i + c.len_utf8();
        }
    }
    out.push_str(&text[copied..]);
    out
}

/// Appends one NFKC character, cleaned.
fn push_clean(out: &mut String, c: char) {
    match c {
        // Soft hyphen, zero-width space/joiners, word joiner, BOM.
        '\u{00AD}' | '\u{200B}' | '\u{200C}' | '\u{200D}' | '\u{2060}' | '\u{FEFF}' => {}
        // Space-like characters NFKC leaves alone.
        '\u{00A0}' | '\u{2007}' | '\u{202F}' | '\u{205F}' | '\u{3000}' => out.push(' '),
        '\u{000C}' | '\u{000B}' => out.push('\n'),
        c if is_bullet(c) => out.push_str("- "),
        c => out.push(c),
    }
}

/// Bullets that symbol fonts put in the private-use area (Symbol and
/// Wingdings as mapped by Word: U+F0B7 `•`, U+F0A7 `§`-square, U+F0D8 arrow,
/// U+F076 diamond, U+F0FC check, U+F0A8 square), and the ordinary bullet
/// signs.
pub fn is_bullet(c: char) -> bool {
    matches!(
        c,
        '\u{F0B7}'
            | '\u{F0A7}'
            | '\u{F0D8}'
            | '\u{F076}'
            | '\u{F0FC}'
            | '\u{F0A8}'
            | '\u{F06E}'
            | '\u{F0E0}'
            | '\u{2022}'
            | '\u{25AA}'
            | '\u{25CF}'
            | '\u{25E6}'
            | '\u{2023}'
            | '\u{2043}'
    )
}

/// After bullet replacement: `-  \tText` (bullet followed by its own tab or
/// spaces) becomes `- Text`, so list items look like Markdown ones.
fn tidy_bullets(text: &str) -> Cow<'_, str> {
    static RE: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?m)^([ \t]*)- [ \t]+").unwrap_or_else(|e| unreachable!("{e}"))
    });
    // The pattern needs `- ` followed by a space or tab; without that pair
    // the regex would scan the whole text for nothing.
    if !(text.contains("-  ") || text.contains("- \t")) {
        return Cow::Borrowed(text);
    }
    RE.replace_all(text, "$1- ")
}

/// Replaces hyphen-like characters (U+2010 hyphen, U+2011 non-breaking
/// hyphen, U+2012 figure dash, U+2013 en dash, U+2014 em dash, U+2212 minus)
/// between a paper-number prefix and its sequence number with `-`.
pub fn dash_in_numbers(text: &str) -> String {
    fix_dashes(text).into_owned()
}

/// [`dash_in_numbers`] without a copy when nothing changes.
fn fix_dashes(text: &str) -> Cow<'_, str> {
    static RE: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"\b(\p{Lu}{1,4})( ?)[\u{2010}\u{2011}\u{2012}\u{2013}\u{2014}\u{2212}]( ?)(\d{1,4} ?/ ?\d{4})\b")
            .unwrap_or_else(|e| unreachable!("{e}"))
    });
    // The pattern has no literal prefix the regex engine could skip ahead
    // with, so it only runs on the lines holding one of the dashes, which a
    // literal scan finds fast. A match never spans a line end, and `\b` sees
    // a line end as it sees the start or end of a text, so line by line
    // gives the same result.
    static DASH: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"[\u{2010}-\u{2014}\u{2212}]").unwrap_or_else(|e| unreachable!("{e}"))
    });
    let mut out: Option<String> = None;
    let mut copied = 0;
    let mut line_done = 0;
    for dash in DASH.find_iter(text) {
        // The dash of a paper number has a digit right after it or after
        // one space; an en dash between words needs no look at its line.
        let after = text[dash.end()..]
            .strip_prefix(' ')
            .unwrap_or(&text[dash.end()..]);
        if dash.start() < line_done || !after.starts_with(|c: char| c.is_ascii_digit()) {
            continue;
        }
        let start = text[..dash.start()].rfind('\n').map_or(0, |i| i + 1);
        let end = text[dash.end()..]
            .find('\n')
            .map_or(text.len(), |i| dash.end() + i + 1);
        line_done = end;
        if let Cow::Owned(fixed) = RE.replace_all(&text[start..end], "$1$2-$3$4") {
            let o = out.get_or_insert_with(|| String::with_capacity(text.len()));
            o.push_str(&text[copied..start]);
            o.push_str(&fixed);
            copied = end;
        }
    }
    match out {
        Some(mut o) => {
            o.push_str(&text[copied..]);
            Cow::Owned(o)
        }
        None => Cow::Borrowed(text),
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)] // Tests fail loudly on purpose.
mod tests {
    use super::*;

    #[test]
    fn soft_hyphen_and_nbsp() {
        assert_eq!(
            normalize("Kriminal\u{00AD}prävention"),
            "Kriminalprävention"
        );
        assert_eq!(normalize("Nr.\u{00A0}5 und 3\u{202F}%"), "Nr. 5 und 3 %");
    }

    #[test]
    fn fast_path_equals_full_nfkc_path() {
        for s in [
            "Kriminal\u{00AD}prävention\u{200B}und\u{2060}mehr",
            "\u{F0B7}\tPunkt\u{000C}Seite\u{000B}zwei \u{2022} drei\u{FEFF}",
            "Straße „öffentlich“ – BA\u{2013}044/2020 €",
            "",
            "plain ASCII\twith tab",
        ] {
            assert_eq!(is_nfkc_quick(s.chars()), IsNormalized::Yes, "{s:?}");
            let mut full = String::new();
            for c in s.nfkc() {
                push_clean(&mut full, c);
            }
            assert_eq!(clean_chars(s), full, "{s:?}");
        }
    }

    #[test]
    fn nfkc_ligatures_and_composition() {
        assert_eq!(normalize("ﬁnanzielle Eﬀekte"), "finanzielle Effekte");
        // Decomposed ü (u + combining diaeresis) is composed.
        assert_eq!(normalize("Bu\u{0308}rger"), "Bürger");
    }

    #[test]
    fn hyphens_inside_paper_numbers() {
        for dash in ['\u{2010}', '\u{2011}', '\u{2012}', '\u{2013}', '\u{2212}'] {
            let input = format!("Antrag BA{dash}044/2020 und I{dash}51/2020.");
            assert_eq!(
                normalize(&input),
                "Antrag BA-044/2020 und I-51/2020.",
                "{dash:?}"
            );
        }
        assert_eq!(normalize("ÄA\u{2013}012/2021"), "ÄA-012/2021");
        assert_eq!(normalize("BA \u{2013} 044/2020"), "BA - 044/2020");
    }

    #[test]
    fn en_dashes_elsewhere_stay() {
        let s = "(ASSKomm) \u{2013} Bilanz für Chemnitz, Seiten 3\u{2013}5";
        assert_eq!(normalize(s), s);
    }

    #[test]
    fn private_use_bullets() {
        assert_eq!(
            normalize("\u{F0B7}\tGewalt an Schulen\n\u{F0B7} Sucht"),
            "- Gewalt an Schulen\n- Sucht"
        );
        assert_eq!(normalize("• Punkt"), "- Punkt");
    }

    #[test]
    fn line_ends_tabs_and_trailing_spaces() {
        assert_eq!(
            normalize("Stadtrat\t24.06.2020\töffentlich\t\r\nZeile   \r\n\r\n"),
            "Stadtrat\t24.06.2020\töffentlich\t\nZeile"
        );
    }
}
