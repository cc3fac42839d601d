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

use std::sync::LazyLock;

use regex::Regex;
use unicode_normalization::UnicodeNormalization;

/// Normalises `text` (see the module docs). Line ends become `\n`; trailing
/// spaces of each line are dropped (tabs are kept: they separate table cells).
pub fn normalize(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let unified = text.replace("\r\n", "\n").replace('\r', "\n");
    for c in unified.nfkc() {
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
    let out = tidy_bullets(&out);
    let out = dash_in_numbers(&out);
    let mut lines: Vec<&str> = out.split('\n').map(|l| l.trim_end_matches(' ')).collect();
    while lines.last().is_some_and(|l| l.trim().is_empty()) {
        lines.pop();
    }
    lines.join("\n")
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
fn tidy_bullets(text: &str) -> String {
    static RE: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?m)^([ \t]*)- [ \t]+").unwrap_or_else(|e| unreachable!("{e}"))
    });
    RE.replace_all(text, "$1- ").into_owned()
}

/// Replaces hyphen-like characters (U+2010 hyphen, U+2011 non-breaking
/// hyphen, U+2012 figure dash, U+2013 en dash, U+2014 em dash, U+2212 minus)
/// between a paper-number prefix and its sequence number with `-`.
pub fn dash_in_numbers(text: &str) -> String {
    static RE: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"\b(\p{Lu}{1,4})( ?)[\u{2010}\u{2011}\u{2012}\u{2013}\u{2014}\u{2212}]( ?)(\d{1,4} ?/ ?\d{4})\b")
            .unwrap_or_else(|e| unreachable!("{e}"))
    });
    RE.replace_all(text, "$1$2-$3$4").into_owned()
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
