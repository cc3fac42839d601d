//! German clean-up of text that came out of a PDF, page by page.
//!
//! A PDF prints lines, not paragraphs, so its text carries the marks of
//! typesetting: words hyphenated at line ends (`zu-` / `sammen`), running
//! headers and footers on every page (`Stadt Chemnitz  Beschlussantrag
//! BA-044/2020`, `Seite 1 von 2`), and dates wrapped inside narrow table
//! columns (`24.06.202` / `0`). This module undoes those marks and nothing
//! else; it keeps real hyphens (`Auf-` / `und Ausbau`, `E-` / `Mail`,
//! `BA-` / `044/2020`) and en dashes as printed.

use std::collections::HashMap;
use std::sync::LazyLock;

use regex::Regex;

use crate::normalize::normalize;

fn re(pattern: &str) -> Regex {
    Regex::new(pattern).unwrap_or_else(|e| unreachable!("bad built-in regex {pattern}: {e}"))
}

/// Cleans the pages of one document and joins them into one text.
pub fn clean_pages(pages: &[String]) -> String {
    let pages: Vec<Vec<String>> = pages
        .iter()
        .map(|p| normalize(p).split('\n').map(str::to_owned).collect())
        .collect();
    let pages = strip_running_lines(pages);
    let lines: Vec<String> = pages
        .into_iter()
        .flatten()
        .map(|l| squeeze_spaces(&l))
        .collect();
    let lines = join_hyphenated(lines);
    let lines = join_split_numbers(lines);
    let mut out: Vec<String> = Vec::with_capacity(lines.len());
    for line in lines {
        // Collapse blank-line runs left by removed headers.
        if line.trim().is_empty() && out.last().is_none_or(|l: &String| l.trim().is_empty()) {
            continue;
        }
        out.push(line);
    }
    normalize(&out.join("\n"))
}

/// Runs of spaces (justified lines) become one space; spaces next to a tab
/// (column gap) go.
fn squeeze_spaces(line: &str) -> String {
    static SPACES: LazyLock<Regex> = LazyLock::new(|| re(r" {2,}"));
    static AROUND_TAB: LazyLock<Regex> = LazyLock::new(|| re(r" *\t *"));
    let line = SPACES.replace_all(line, " ");
    AROUND_TAB.replace_all(&line, "\t").into_owned()
}

/// Whether `line` is only a page number: `Seite 2 von 5`, `Seite 2`,
/// `2 / 5`, `- 2 -`, `2`.
fn is_page_number(line: &str) -> bool {
    static RE: LazyLock<Regex> = LazyLock::new(|| {
        re(
            r"(?i)^\s*(?:(?:seite|s\.)\s*\d{1,4}(?:\s*(?:von|/|of)\s*\d{1,4})?|\d{1,4}\s*(?:von|/)\s*\d{1,4}|[-–]\s*\d{1,4}\s*[-–]|\d{1,4})\s*$",
        )
    });
    RE.is_match(line)
}

/// The comparison key of a header/footer candidate: digits masked (page
/// numbers and dates change from page to page), white space collapsed.
fn running_key(line: &str) -> String {
    let masked: String = line
        .chars()
        .map(|c| if c.is_ascii_digit() { '#' } else { c })
        .collect();
    masked.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// How many lines at the top and bottom of a page may be running lines.
const EDGE: usize = 3;

/// Removes page numbers at page edges, and lines that repeat at the same
/// edge (top or bottom, digits masked) on at least half of the pages of a
/// document with two or more pages.
fn strip_running_lines(mut pages: Vec<Vec<String>>) -> Vec<Vec<String>> {
    let edges = |page: &Vec<String>| -> (Vec<usize>, Vec<usize>) {
        let filled: Vec<usize> = (0..page.len())
            .filter(|&i| !page[i].trim().is_empty())
            .collect();
        let top = filled.iter().take(EDGE).copied().collect();
        let bottom = filled.iter().rev().take(EDGE).copied().collect();
        (top, bottom)
    };
    let mut top_count: HashMap<String, usize> = HashMap::new();
    let mut bottom_count: HashMap<String, usize> = HashMap::new();
    for page in &pages {
        let (top, bottom) = edges(page);
        let mut seen_top: Vec<String> = top.iter().map(|&i| running_key(&page[i])).collect();
        seen_top.dedup();
        for k in seen_top {
            *top_count.entry(k).or_default() += 1;
        }
        let mut seen_bottom: Vec<String> = bottom.iter().map(|&i| running_key(&page[i])).collect();
        seen_bottom.dedup();
        for k in seen_bottom {
            *bottom_count.entry(k).or_default() += 1;
        }
    }
    let n = pages.len();
    let needed = n.div_ceil(2).max(2);
    for page in &mut pages {
        let (top, bottom) = edges(page);
        let mut remove: Vec<usize> = Vec::new();
        for &i in &top {
            let key = running_key(&page[i]);
            if is_page_number(&page[i])
                || (n >= 2 && top_count.get(&key).is_some_and(|&c| c >= needed))
            {
                remove.push(i);
            }
        }
        for &i in &bottom {
            let key = running_key(&page[i]);
            if is_page_number(&page[i])
                || (n >= 2 && bottom_count.get(&key).is_some_and(|&c| c >= needed))
            {
                remove.push(i);
            }
        }
        remove.sort_unstable();
        remove.dedup();
        for i in remove.into_iter().rev() {
            page.remove(i);
        }
    }
    pages
}

/// Words after a line-end hyphen that show the hyphen is real: an elided
/// compound part (`Auf-` / `und Ausbau`, `Kinder-` / `oder Jugendarbeit`).
/// Not `wie`, `als` and the like: `so-` / `wie` is *sowie*, split by the
/// typesetter, far more often than an elided compound.
const CONJUNCTIONS: &[&str] = &[
    "und",
    "oder",
    "bzw",
    "sowie",
    "beziehungsweise",
    "bis",
    "u",
    "o",
];

/// Joins words hyphenated across a line end. The next line is appended to
/// the current one (prose lines in a PDF are typesetting, not structure):
/// - `zu-` + `sammen` → `zusammen` (lower-case continuation: typesetter's
///   hyphen, removed);
/// - `E-` + `Mail` → `E-Mail`, `CDU-` + `Fraktion`, `BA-` + `044/2020`,
///   `DSGVO-` + `konform` (capitalised or numeric continuation, or an
///   all-caps first part: real hyphen, kept);
/// - `Auf-` + `und Ausbau`: elided compound, left as two lines.
pub fn join_hyphenated(lines: Vec<String>) -> Vec<String> {
    static END: LazyLock<Regex> =
        LazyLock::new(|| re(r"(?:^|[\s(„\x22/])([\p{L}\p{N}][\p{L}\p{N}.-]*)-$"));
    static START: LazyLock<Regex> = LazyLock::new(|| re(r"^[ \t]*([\p{L}\p{N}][\p{L}\p{N}]*)"));
    let mut out: Vec<String> = Vec::with_capacity(lines.len());
    for line in lines {
        if let Some(prev) = out.last_mut() {
            let prev_trimmed = prev.trim_end_matches(' ').to_owned();
            if let (Some(end), Some(start)) = (END.captures(&prev_trimmed), START.captures(&line)) {
                let first = end.get(1).map_or("", |m| m.as_str());
                let next = start.get(1).map_or("", |m| m.as_str());
                let rest_start = line.len() - line.trim_start_matches([' ', '\t']).len();
                let rest = &line[rest_start..];
                let next_lower = next.chars().next().is_some_and(char::is_lowercase);
                let first_letters: Vec<char> =
                    first.chars().filter(|c| c.is_alphabetic()).collect();
                let first_all_caps =
                    first_letters.len() >= 2 && first_letters.iter().all(|c| c.is_uppercase());
                let ends_in_letter = first.chars().last().is_some_and(char::is_alphabetic);
                if CONJUNCTIONS.contains(&next) {
                    // Real hyphen of an elided compound: keep as printed.
                } else if next_lower && ends_in_letter && !first_all_caps {
                    prev_trimmed.clone_into(prev);
                    prev.pop();
                    prev.push_str(rest);
                    continue;
                } else {
                    prev_trimmed.clone_into(prev);
                    prev.push_str(rest);
                    continue;
                }
            }
        }
        out.push(line);
    }
    out
}

/// Layout mode: the wrapped digits stand alone under a cell in the middle
/// of the row (`Stadtrat\t24.06.202\töffentlich` / `0`). Returns where in
/// `prev` they belong, if `line` is such digits and `prev` holds exactly one
/// incomplete date they complete to a four-digit year.
fn wrapped_year_cell(prev: &str, line: &str) -> Option<usize> {
    static PARTIAL_CELL: LazyLock<Regex> = LazyLock::new(|| re(r"\b\d{1,2}\.\d{1,2}\.(\d{1,3})\t"));
    static ONLY_DIGITS: LazyLock<Regex> = LazyLock::new(|| re(r"^[ \t]*(\d{1,3})[ \t]*$"));
    let wrapped = ONLY_DIGITS.captures(line)?.get(1)?.len();
    let cells: Vec<_> = PARTIAL_CELL.captures_iter(prev).collect();
    let [cell] = &cells[..] else { return None };
    let have = cell.get(1)?;
    (have.len() + wrapped == 4).then_some(have.end())
}

/// Re-joins dates and paper numbers whose last digits wrapped into the next
/// line of a narrow table column: `Stadtrat\t24.06.202` / `0\töffentlich`
/// → `Stadtrat\t24.06.2020\töffentlich`. Only when the wrapped digits make
/// a four-digit year exactly.
pub fn join_split_numbers(lines: Vec<String>) -> Vec<String> {
    static PARTIAL: LazyLock<Regex> =
        LazyLock::new(|| re(r"(?:\b\d{1,2}\.\d{1,2}\.|\b\p{Lu}{1,4}-\d{1,4}/)(\d{0,3})$"));
    static DIGITS: LazyLock<Regex> = LazyLock::new(|| re(r"^(\d{1,4})(?:([\t ].*)?)$"));
    let mut out: Vec<String> = Vec::with_capacity(lines.len());
    for line in lines {
        if let Some(prev) = out.last_mut()
            && let Some(at) = wrapped_year_cell(prev, &line)
        {
            prev.insert_str(at, line.trim());
            continue;
        }
        if let Some(prev) = out.last_mut()
            && let Some(partial) = PARTIAL.captures(prev.trim_end_matches(' '))
            && let Some(digits) = DIGITS.captures(line.trim_start_matches(' '))
        {
            let have = partial.get(1).map_or(0, |m| m.len());
            let wrapped = digits.get(1).map_or("", |m| m.as_str());
            if have + wrapped.len() == 4 {
                let rest = digits.get(2).map_or("", |m| m.as_str());
                let joined = format!("{}{wrapped}", prev.trim_end_matches(' '));
                *prev = joined;
                if rest.starts_with('\t') {
                    // The rest of the table row.
                    prev.push_str(rest);
                } else if !rest.trim().is_empty() {
                    out.push(rest.trim_start().to_owned());
                }
                continue;
            }
        }
        out.push(line);
    }
    out
}

#[cfg(test)]
#[allow(clippy::unwrap_used)] // Tests fail loudly on purpose.
mod tests {
    use super::*;

    fn hy(text: &str) -> String {
        join_hyphenated(text.split('\n').map(str::to_owned).collect()).join("\n")
    }

    #[test]
    fn lower_case_continuation_is_joined() {
        assert_eq!(
            hy("vom Innenministerium zu-\nsammen mit acht"),
            "vom Innenministerium zusammen mit acht"
        );
        assert_eq!(
            hy("„Allianz Sichere Sächsi-\nsche Kommunen"),
            "„Allianz Sichere Sächsische Kommunen"
        );
        assert_eq!(
            hy("öffentlich/ nichtöf-\nfentlich"),
            "öffentlich/ nichtöffentlich"
        );
    }

    #[test]
    fn elided_compounds_keep_their_hyphen() {
        assert_eq!(hy("der Auf-\nund Ausbau"), "der Auf-\nund Ausbau");
        assert_eq!(
            hy("Kinder-\noder Jugendarbeit"),
            "Kinder-\noder Jugendarbeit"
        );
        assert_eq!(
            hy("welche sicherheits- und ordnungspolitischen"),
            "welche sicherheits- und ordnungspolitischen"
        );
    }

    #[test]
    fn capitalised_second_parts_keep_the_hyphen() {
        assert_eq!(
            hy("bereitung der E-\nMail-Verteiler."),
            "bereitung der E-Mail-Verteiler."
        );
        assert_eq!(hy("die CDU-\nFraktion"), "die CDU-Fraktion");
        assert_eq!(hy("DSGVO-\nkonform"), "DSGVO-konform");
    }

    #[test]
    fn paper_numbers_keep_the_hyphen() {
        assert_eq!(hy("Antrag BA-\n044/2020 vom"), "Antrag BA-044/2020 vom");
    }

    #[test]
    fn dash_after_space_is_not_a_hyphen() {
        assert_eq!(hy("Bilanz -\nfür Chemnitz"), "Bilanz -\nfür Chemnitz");
    }

    #[test]
    fn table_cells_join_with_their_row() {
        assert_eq!(
            hy("Stadtrat)\tSitzungs-\ntermine\tStatus"),
            "Stadtrat)\tSitzungstermine\tStatus"
        );
    }

    #[test]
    fn split_dates_are_rejoined() {
        let lines = |s: &str| s.split('\n').map(str::to_owned).collect::<Vec<_>>();
        assert_eq!(
            join_split_numbers(lines("Stadtrat\t24.06.202\n0\töffentlich")).join("\n"),
            "Stadtrat\t24.06.2020\töffentlich"
        );
        assert_eq!(
            join_split_numbers(lines("am 24.06.\n2020 im Rat")).join("\n"),
            "am 24.06.2020\nim Rat"
        );
        assert_eq!(
            join_split_numbers(lines("A-036/202\n0")).join("\n"),
            "A-036/2020"
        );
        // Not a year: 3 + 2 digits.
        assert_eq!(
            join_split_numbers(lines("Stand 24.06.202\n12 Punkte")).join("\n"),
            "Stand 24.06.202\n12 Punkte"
        );
    }

    #[test]
    fn running_headers_and_page_numbers_go() {
        let pages = vec![
            "Stadt Chemnitz\tBeschlussantrag BA-044/2020\nEinreicher:\nText eins\nSeite 1 von 2"
                .to_owned(),
            "Stadt Chemnitz\tBeschlussantrag BA-044/2020\nText zwei\nSeite 2 von 2".to_owned(),
        ];
        assert_eq!(clean_pages(&pages), "Einreicher:\nText eins\nText zwei");
    }

    #[test]
    fn single_page_keeps_its_first_line() {
        let pages = vec!["Stadt Chemnitz\nText\n- 1 -".to_owned()];
        assert_eq!(clean_pages(&pages), "Stadt Chemnitz\nText");
    }

    #[test]
    fn hyphenation_across_pages_after_footer_removal() {
        let pages = vec![
            "Kopf\nDie Zusammen-\nSeite 1 von 2".to_owned(),
            "Kopf\narbeit wirkt.\nSeite 2 von 2".to_owned(),
        ];
        assert_eq!(clean_pages(&pages), "Die Zusammenarbeit wirkt.");
    }

    #[test]
    fn justified_spaces_are_squeezed() {
        assert_eq!(
            squeeze_spaces("Die  Stadtverwaltung \t wird"),
            "Die Stadtverwaltung\twird"
        );
    }

    #[test]
    fn ligatures_and_bullets() {
        let pages = vec!["\u{F0B7}\tﬁnanzielle Mittel".to_owned()];
        assert_eq!(clean_pages(&pages), "- finanzielle Mittel");
    }

    #[test]
    fn sowie_split_by_the_typesetter_is_joined() {
        assert_eq!(
            hy("Suchtprävention so-\nwie von"),
            "Suchtprävention sowie von"
        );
    }

    #[test]
    fn layout_mode_wrapped_year_under_its_cell() {
        let lines = vec!["Stadtrat\t24.06.202\töffentlich".to_owned(), "0".to_owned()];
        assert_eq!(
            join_split_numbers(lines),
            vec!["Stadtrat\t24.06.2020\töffentlich".to_owned()]
        );
    }
}
