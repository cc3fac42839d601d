//! Line-level clean-up shared by every field reader.
//!
//! The extractor already removes Markdown markup and normalises Unicode, but
//! the parser must not depend on that: a paper handed over as raw Markdown,
//! or text from an older extractor, should read the same. So every line goes
//! through [`clean_line`] once, which removes what is left of Markdown
//! (heading hashes, emphasis stars, backslash escapes, link targets) and keeps
//! tabs, because tabs are the column separators of the Beratungsfolge table.

use std::borrow::Cow;
use std::sync::LazyLock;

use regex::Regex;

static MD_LINK: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\[([^\]]*)\]\([^)]*\)").expect("constant pattern"));
static MD_AUTOLINK: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"<(https?://[^>\s]*)>").expect("constant pattern"));
static MD_HEADING: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^\s{0,3}#{1,6}\s+").expect("constant pattern"));
static MD_ESCAPE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\\([\\`*_{}\[\]()#+\-.!|])").expect("constant pattern"));

/// Removes Markdown residue from one line; keeps tabs and leading
/// indentation so that tables keep their columns.
pub fn clean_line(line: &str) -> String {
    let line = line.trim_end_matches(['\r', '\n']);
    // Each step is skipped on lines without its marker character; most
    // lines of extracted text carry no Markdown at all.
    let line: Cow<str> = if line.contains('\u{feff}') || line.contains('\u{ad}') {
        Cow::Owned(line.replace(['\u{feff}', '\u{ad}'], ""))
    } else {
        Cow::Borrowed(line)
    };
    let line = replace_if(line, "#", &MD_HEADING, "");
    let line = replace_if(line, "](", &MD_LINK, "$1");
    let line = replace_if(line, "<", &MD_AUTOLINK, "$1");
    let line = replace_if(line, "\\", &MD_ESCAPE, "$1");
    let mut line = if line.contains("**") {
        line.replace("**", "")
    } else {
        line.into_owned()
    };
    // `*Miko Runkel*`: a whole line in emphasis (but not a `* item` list).
    let trimmed = line.trim();
    if trimmed.len() > 2
        && trimmed.starts_with('*')
        && trimmed.ends_with('*')
        && !trimmed.starts_with("* ")
    {
        line = trimmed.trim_matches('*').to_string();
    }
    line.truncate(line.trim_end().len());
    line
}

/// `re.replace_all` when `text` holds `needle`, which every match of `re`
/// contains (the heading pattern is anchored at the start, so for it
/// `replace_all` replaces at most once, like `replace`).
fn replace_if<'a>(text: Cow<'a, str>, needle: &str, re: &Regex, rep: &str) -> Cow<'a, str> {
    if !text.contains(needle) {
        return text;
    }
    match re.replace_all(&text, rep) {
        Cow::Borrowed(_) => text,
        Cow::Owned(changed) => Cow::Owned(changed),
    }
}

/// Collapses all white space (tabs, line breaks) to single spaces.
pub fn squash(text: &str) -> String {
    squashed(text).into_owned()
}

/// [`squash`] without a copy when the trimmed text is already squashed.
fn squashed(text: &str) -> Cow<'_, str> {
    let t = text.trim();
    if is_squashed(t) {
        return Cow::Borrowed(t);
    }
    // `split_whitespace` and the trim above use the same White_Space
    // property as the regex `\s+` this replaces.
    let mut out = String::with_capacity(t.len());
    for word in t.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    Cow::Owned(out)
}

/// True when `t` (trimmed) has no white space but single ASCII spaces, so
/// [`squash`] would return it unchanged. Works on bytes: only a few lead
/// bytes can start a non-ASCII white-space character.
fn is_squashed(t: &str) -> bool {
    let bytes = t.as_bytes();
    let mut prev_space = false;
    for (i, &b) in bytes.iter().enumerate() {
        let space = match b {
            b' ' => {
                if prev_space {
                    return false;
                }
                true
            }
            b'\t' | b'\n' | b'\x0B' | b'\x0C' | b'\r' => return false,
            // U+0085, U+00A0, U+1680, U+2000–U+205F, U+3000 start so.
            0xC2 | 0xE1 | 0xE2 | 0xE3 => {
                if t[i..].chars().next().is_some_and(char::is_whitespace) {
                    return false;
                }
                false
            }
            _ => false,
        };
        prev_space = space;
    }
    true
}

/// Joins wrapped lines into one running text: a line ending in a hyphen
/// that is followed by a lower-case word is a broken word and is joined
/// without the hyphen; otherwise lines are joined by a space.
pub fn join_wrapped<'a>(lines: impl IntoIterator<Item = &'a str>) -> String {
    let mut out = String::new();
    for line in lines {
        let line = squashed(line);
        if line.is_empty() {
            continue;
        }
        if out.is_empty() {
            out.push_str(&line);
            continue;
        }
        let next_lower = line.chars().next().is_some_and(char::is_lowercase);
        if out.ends_with('-') && next_lower && !out.ends_with(" -") {
            out.pop();
            out.push_str(&line);
        } else if out.ends_with('/') {
            out.push_str(&line);
        } else {
            out.push(' ');
            out.push_str(&line);
        }
    }
    out
}

/// True for a line that is only a rule or signature line (`_____`, `-----`).
pub fn is_rule(line: &str) -> bool {
    let t = line.trim();
    !t.is_empty()
        && t.chars()
            .all(|c| matches!(c, '_' | '-' | '=' | '*' | '.' | ' '))
}

/// Paragraphs of a block of lines: split at blank lines and before list
/// items, each paragraph's lines joined into running text.
pub fn paragraphs(lines: &[String]) -> Vec<String> {
    static LIST_ITEM: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"^\s*(?:[-•*–]\s|\d{1,2}[.)]\s|[a-z][.)]\s)").expect("constant pattern")
    });
    // Every list item starts with a marker followed by white space, `.` or
    // `)` (or a second digit); other lines need no regex.
    let is_list_item = |line: &str| {
        let mut chars = line.trim_start().chars();
        let first = chars.next();
        let second = chars.next();
        first.is_some_and(|c| {
            matches!(c, '-' | '•' | '*' | '–') || c.is_ascii_digit() || c.is_ascii_lowercase()
        }) && second
            .is_some_and(|c| c.is_whitespace() || matches!(c, '.' | ')') || c.is_ascii_digit())
            && LIST_ITEM.is_match(line)
    };
    let mut out = Vec::new();
    let mut current: Vec<&str> = Vec::new();
    for line in lines {
        if line.trim().is_empty() || is_rule(line) || is_list_item(line) {
            if !current.is_empty() {
                out.push(join_wrapped(current.drain(..)));
            }
            if line.trim().is_empty() || is_rule(line) {
                continue;
            }
        }
        current.push(line);
    }
    if !current.is_empty() {
        out.push(join_wrapped(current));
    }
    out.retain(|p| !p.is_empty());
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn squash_equals_the_regex_it_replaces() {
        let reference = Regex::new(r"\s+").expect("constant pattern");
        for text in [
            "",
            "  ",
            "Der Rat tagt.",
            " Der  Rat\ttagt\n",
            "Straße „öffentlich“ – 5\u{00A0}€",
            "a\u{3000}b\u{2028}c\u{0085}d\u{1680}e\u{202F}f",
            "ä ö ü ß",
            "x \u{00A0}y",
        ] {
            assert_eq!(
                squash(text),
                reference.replace_all(text.trim(), " "),
                "{text:?}"
            );
        }
    }

    #[test]
    fn markdown_residue_is_removed() {
        assert_eq!(clean_line("## **Sachverhalt:**"), "Sachverhalt:");
        assert_eq!(clean_line("*Miko Runkel*"), "Miko Runkel");
        assert_eq!(clean_line("\\_\\_\\_  "), "___");
        assert_eq!(
            clean_line("unter [www.x.de](http://www.x.de), Bereich"),
            "unter www.x.de, Bereich"
        );
        assert_eq!(clean_line("Stadtrat\t24.06.2020\t"), "Stadtrat\t24.06.2020");
        assert_eq!(clean_line("* Kein Zugang*"), "* Kein Zugang*");
    }

    #[test]
    fn wrapped_lines_join() {
        assert_eq!(
            join_wrapped(["Ausschuss für Klima-", "schutz"]),
            "Ausschuss für Klimaschutz"
        );
        assert_eq!(
            join_wrapped(["BÜNDNIS 90/", "DIE GRÜNEN"]),
            "BÜNDNIS 90/DIE GRÜNEN"
        );
        assert_eq!(join_wrapped(["Auf- und", "Ausbau"]), "Auf- und Ausbau");
    }
}
