//! Line-level clean-up shared by every field reader.
//!
//! The extractor already removes Markdown markup and normalises Unicode, but
//! the parser must not depend on that: a paper handed over as raw Markdown,
//! or text from an older extractor, should read the same. So every line goes
//! through [`clean_line`] once, which removes what is left of Markdown
//! (heading hashes, emphasis stars, backslash escapes, link targets) and keeps
//! tabs, because tabs are the column separators of the Beratungsfolge table.

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
static SPACES: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"\s+").expect("constant pattern"));

/// Removes Markdown residue from one line; keeps tabs and leading
/// indentation so that tables keep their columns.
pub fn clean_line(line: &str) -> String {
    let line = line
        .trim_end_matches(['\r', '\n'])
        .replace(['\u{feff}', '\u{ad}'], "");
    let line = MD_HEADING.replace(&line, "");
    let line = MD_LINK.replace_all(&line, "$1");
    let line = MD_AUTOLINK.replace_all(&line, "$1");
    let line = MD_ESCAPE.replace_all(&line, "$1");
    let mut line = line.replace("**", "");
    // `*Miko Runkel*`: a whole line in emphasis (but not a `* item` list).
    let trimmed = line.trim();
    if trimmed.len() > 2
        && trimmed.starts_with('*')
        && trimmed.ends_with('*')
        && !trimmed.starts_with("* ")
    {
        line = trimmed.trim_matches('*').to_string();
    }
    line.trim_end().to_string()
}

/// Collapses all white space (tabs, line breaks) to single spaces.
pub fn squash(text: &str) -> String {
    SPACES.replace_all(text.trim(), " ").into_owned()
}

/// Joins wrapped lines into one running text: a line ending in a hyphen
/// that is followed by a lower-case word is a broken word and is joined
/// without the hyphen; otherwise lines are joined by a space.
pub fn join_wrapped<'a>(lines: impl IntoIterator<Item = &'a str>) -> String {
    let mut out = String::new();
    for line in lines {
        let line = squash(line);
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
    let mut out = Vec::new();
    let mut current: Vec<&str> = Vec::new();
    for line in lines {
        if line.trim().is_empty() || is_rule(line) || LIST_ITEM.is_match(line) {
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
