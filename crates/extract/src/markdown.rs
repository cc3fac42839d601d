//! Markdown to plain lines, keeping the section structure.
//!
//! Council papers converted to Markdown (by pandoc or office add-ins) wrap
//! their section labels in markup: `## **Sachverhalt:**`, `**Einreicher:**`,
//! `\_\_\_\_\_` signature lines, escaped characters, links. The parser wants
//! the labels as plain lines (`Sachverhalt:`), so this module removes the
//! markup line by line and never joins or splits lines: one Markdown line is
//! one output line. List items keep a `- ` prefix, pipe tables become
//! tab-separated rows (the form tables have in text exports), tabs stay.
//!
//! This is deliberately not a full CommonMark renderer: the input is prose
//! with a little markup, and a line-preserving rewrite keeps what the parser
//! needs (labels at line starts, table rows on one line).

use std::borrow::Cow;
use std::sync::LazyLock;

use regex::{Captures, Regex};

/// Escaped ASCII punctuation is hidden in this private-use block while the
/// emphasis markers are removed, so `\*` and `\_` survive as literal
/// characters.
const ESCAPE_BASE: u32 = 0xE000;

fn re(pattern: &str) -> Regex {
    Regex::new(pattern).unwrap_or_else(|e| unreachable!("bad built-in regex {pattern}: {e}"))
}

/// Removes Markdown markup from `text`, line by line.
pub fn strip(text: &str) -> String {
    let text = text.replace("\r\n", "\n").replace('\r', "\n");
    let mut out: Vec<String> = Vec::new();
    let mut in_fence = false;
    for raw in text.split('\n') {
        let trimmed = raw.trim();
        if trimmed.starts_with("```") || trimmed.starts_with("~~~") {
            in_fence = !in_fence;
            out.push(String::new());
            continue;
        }
        if in_fence {
            out.push(raw.to_owned());
            continue;
        }
        out.push(strip_line(raw));
    }
    out.join("\n")
}

/// One line: block markup first (heading, quote, list, rule, table), then
/// inline markup.
fn strip_line(raw: &str) -> String {
    static HEADING: LazyLock<Regex> =
        LazyLock::new(|| re(r"^ {0,3}#{1,6}(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*$"));
    static QUOTE: LazyLock<Regex> = LazyLock::new(|| re(r"^ {0,3}(?:> ?)+"));
    static LIST: LazyLock<Regex> = LazyLock::new(|| re(r"^([ \t]*)[-*+][ \t]+"));
    static RULE: LazyLock<Regex> = LazyLock::new(|| re(r"^[ \t]*(?:(?:\\?[_*=-])[ \t]*){3,}$"));
    static TABLE_SEP: LazyLock<Regex> =
        LazyLock::new(|| re(r"^[ \t]*\|?(?:[ \t]*:?-+:?[ \t]*\|)+[ \t]*(?::?-+:?)?[ \t]*$"));

    // Hard line breaks: trailing backslash or two or more spaces.
    let mut line = raw.trim_end_matches([' ', '\r']);
    if let Some(l) = line.strip_suffix('\\')
        && !l.ends_with('\\')
    {
        line = l.trim_end_matches(' ');
    }
    // Every block pattern starts with its marker after leading blanks; a
    // line that starts with a letter (most of them) needs no regex.
    let first = line.trim_start_matches([' ', '\t']).chars().next();
    let marked = |markers: &[char]| first.is_some_and(|c| markers.contains(&c));
    if (marked(&['\\', '_', '*', '=', '-']) && RULE.is_match(line))
        || (marked(&['|', ':', '-']) && TABLE_SEP.is_match(line))
    {
        return String::new();
    }
    let line = if marked(&['>']) {
        QUOTE.replace(line, "")
    } else {
        Cow::Borrowed(line)
    };
    let first = line.trim_start_matches([' ', '\t']).chars().next();
    let marked = |markers: &[char]| first.is_some_and(|c| markers.contains(&c));
    let line: String = if let Some(c) = marked(&['#']).then(|| HEADING.captures(&line)).flatten() {
        c.get(1).map_or("", |m| m.as_str()).to_owned()
    } else if let Some(c) = marked(&['-', '*', '+'])
        .then(|| LIST.captures(&line))
        .flatten()
    {
        let indent = c.get(1).map_or("", |m| m.as_str()).to_owned();
        let rest = &line[c.get(0).map_or(0, |m| m.end())..];
        format!("{indent}- {rest}")
    } else {
        line.into_owned()
    };
    let line = pipe_row(&line);
    inline(&line)
}

/// `| a | b |` becomes `a\tb`; other lines pass unchanged.
fn pipe_row(line: &str) -> String {
    let t = line.trim();
    if t.len() >= 2 && t.starts_with('|') && t.ends_with('|') && !t.ends_with("\\|") {
        let inner = &t[1..t.len() - 1];
        inner
            .split('|')
            .map(str::trim)
            .collect::<Vec<_>>()
            .join("\t")
    } else {
        line.to_owned()
    }
}

/// Inline markup: escapes, images, links, autolinks, code spans, emphasis,
/// simple HTML tags and the common entities.
fn inline(line: &str) -> String {
    static ESCAPE: LazyLock<Regex> = LazyLock::new(|| re(r"\\([!-/:-@\[-`{-~])"));
    static IMAGE: LazyLock<Regex> = LazyLock::new(|| re(r"!\[([^\]]*)\]\([^)]*\)"));
    static LINK: LazyLock<Regex> = LazyLock::new(|| re(r"\[([^\]]*)\]\([^)]*\)"));
    static REF_LINK: LazyLock<Regex> = LazyLock::new(|| re(r"\[([^\]]+)\]\[[^\]]*\]"));
    static AUTOLINK: LazyLock<Regex> =
        LazyLock::new(|| re(r"<((?:https?|ftp)://[^>\s]*|mailto:[^>\s]*|[^>\s@]+@[^>\s@]+)>"));
    static CODE: LazyLock<Regex> = LazyLock::new(|| re(r"`+([^`]*)`+"));
    static STRONG_STAR: LazyLock<Regex> = LazyLock::new(|| re(r"\*\*(\S(?:.*?\S)?)\*\*"));
    // Unlike CommonMark, a single `*` between letters is kept: it is the
    // German gender star (`Bürger*innen`), not emphasis.
    static EM_STAR: LazyLock<Regex> =
        LazyLock::new(|| re(r"(^|[^\p{L}\p{N}*])\*(\S(?:[^*]*?\S)?)\*($|[^\p{L}\p{N}*])"));
    static STRONG_UNDER: LazyLock<Regex> =
        LazyLock::new(|| re(r"(^|[^\p{L}\p{N}_])__(\S(?:.*?\S)?)__($|[^\p{L}\p{N}_])"));
    static EM_UNDER: LazyLock<Regex> =
        LazyLock::new(|| re(r"(^|[^\p{L}\p{N}_])_(\S(?:[^_]*?\S)?)_($|[^\p{L}\p{N}_])"));
    static STRIKE: LazyLock<Regex> = LazyLock::new(|| re(r"~~(\S(?:.*?\S)?)~~"));
    static BR: LazyLock<Regex> = LazyLock::new(|| re(r"(?i)<br\s*/?>"));
    static TAG: LazyLock<Regex> = LazyLock::new(|| re(r"</?[A-Za-z][A-Za-z0-9]*(?:\s[^<>]*)?/?>"));

    // Each pattern needs a marker character; a line without it skips the
    // regex (most prose lines have no markup at all).
    let hidden = if line.contains('\\') {
        ESCAPE.replace_all(line, |c: &Captures| {
            let ch = c[1].chars().next().unwrap_or(' ');
            char::from_u32(ESCAPE_BASE + ch as u32)
                .unwrap_or(ch)
                .to_string()
        })
    } else {
        Cow::Borrowed(line)
    };
    let s = replace_if(hidden, "![", &IMAGE, "$1");
    let s = replace_if(s, "](", &LINK, "$1");
    let s = replace_if(s, "][", &REF_LINK, "$1");
    let s = replace_if(s, "<", &AUTOLINK, "$1");
    let s = replace_if(s, "`", &CODE, "$1");
    let s = replace_if(s, "**", &STRONG_STAR, "$1");
    let s = replace_if(s, "*", &EM_STAR, "$1$2$3");
    let s = replace_if(s, "__", &STRONG_UNDER, "$1$2$3");
    let s = replace_if(s, "_", &EM_UNDER, "$1$2$3");
    let s = replace_if(s, "~~", &STRIKE, "$1");
    let s = replace_if(s, "<", &BR, " ");
    let s = replace_if(s, "<", &TAG, "");
    let s = if s.contains('&') {
        Cow::Owned(
            s.replace("&nbsp;", "\u{00A0}")
                .replace("&lt;", "<")
                .replace("&gt;", ">")
                .replace("&quot;", "\"")
                .replace("&amp;", "&"),
        )
    } else {
        s
    };
    let hidden_range = ESCAPE_BASE + 0x21..ESCAPE_BASE + 0x7f;
    if !s.chars().any(|c| hidden_range.contains(&(c as u32))) {
        return s.into_owned();
    }
    s.chars()
        .map(|c| {
            let u = c as u32;
            if hidden_range.contains(&u) {
                char::from_u32(u - ESCAPE_BASE).unwrap_or(c)
            } else {
                c
            }
        })
        .collect()
}

/// `re.replace_all` when `text` holds `needle`, which every match of `re`
/// contains.
fn replace_if<'a>(text: Cow<'a, str>, needle: &str, re: &Regex, rep: &str) -> Cow<'a, str> {
    if !text.contains(needle) {
        return text;
    }
    match re.replace_all(&text, rep) {
        Cow::Borrowed(_) => text,
        Cow::Owned(changed) => Cow::Owned(changed),
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)] // Tests fail loudly on purpose.
mod tests {
    use super::*;

    #[test]
    fn headings_with_bold_become_plain_labels() {
        assert_eq!(strip("## **Sachverhalt:**"), "Sachverhalt:");
        assert_eq!(strip("**Einreicher:**"), "Einreicher:");
        assert_eq!(strip("#### **1. Einleitung**"), "1. Einleitung");
        assert_eq!(
            strip("## Informationsvorlage Nr. I-051/2020 ##"),
            "Informationsvorlage Nr. I-051/2020"
        );
        assert_eq!(strip("#"), "");
    }

    #[test]
    fn emphasis_and_italics() {
        assert_eq!(strip("*Miko Runkel*"), "Miko Runkel");
        assert_eq!(strip("_kursiv_ und __fett__"), "kursiv und fett");
        assert_eq!(strip("***beides***"), "beides");
    }

    #[test]
    fn underscores_and_stars_inside_words_stay() {
        assert_eq!(strip("Datei BA_044_2020.pdf"), "Datei BA_044_2020.pdf");
        assert_eq!(strip("5 * 3 = 15"), "5 * 3 = 15");
        assert_eq!(
            strip("Bürger*innen und Wähler*innen"),
            "Bürger*innen und Wähler*innen"
        );
    }

    #[test]
    fn escaped_characters() {
        assert_eq!(
            strip(r"BA\_044\_2020 und Bürger\*innen"),
            "BA_044_2020 und Bürger*innen"
        );
        assert_eq!(strip(r"\# keine Überschrift"), "# keine Überschrift");
    }

    #[test]
    fn signature_rule_lines_vanish() {
        assert_eq!(strip("\\_\\_\\_\\_\\_  \nUnterschrift"), "\nUnterschrift");
        assert_eq!(strip("---\n***\n___"), "\n\n");
    }

    #[test]
    fn links_and_autolinks() {
        assert_eq!(
            strip("unter [www.stadt-chemnitz.de](http://www.stadt-chemnitz.de), Bereich"),
            "unter www.stadt-chemnitz.de, Bereich"
        );
        assert_eq!(
            strip("<https://buergerbeteiligung.sachsen.de/portal/1020790>)"),
            "https://buergerbeteiligung.sachsen.de/portal/1020790)"
        );
        assert_eq!(strip("![Organigramm](bild.png)"), "Organigramm");
    }

    #[test]
    fn hard_breaks() {
        assert_eq!(
            strip("erste Zeile  \nzweite\\\ndritte"),
            "erste Zeile\nzweite\ndritte"
        );
    }

    #[test]
    fn lists_keep_their_dash() {
        assert_eq!(
            strip("- Gewalt im öffentlichen Raum\n* Sucht\n+ Drogen"),
            "- Gewalt im öffentlichen Raum\n- Sucht\n- Drogen"
        );
        assert_eq!(strip("- **Fett** im Punkt"), "- Fett im Punkt");
    }

    #[test]
    fn tabs_stay_and_pipe_tables_become_tabs() {
        assert_eq!(
            strip("Stadtrat\t16.12.2020\töffentlich"),
            "Stadtrat\t16.12.2020\töffentlich"
        );
        assert_eq!(
            strip("| Gremium | Datum |\n|---|:---:|\n| Stadtrat | 16.12.2020 |"),
            "Gremium\tDatum\n\nStadtrat\t16.12.2020"
        );
    }

    #[test]
    fn html_bits() {
        assert_eq!(strip("a<br>b &amp; <sup>2</sup>"), "a b & 2");
    }

    #[test]
    fn line_count_is_preserved() {
        let md = "# A\n\n**B:**\n\ntext\n";
        assert_eq!(strip(md).split('\n').count(), md.split('\n').count());
    }
}
