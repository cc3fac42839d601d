//! The Beratungsfolge and "zur Kenntnis an" tables: which body sees the
//! paper, when, in public or not, and with what result.
//!
//! The table reaches us in many shapes: tab-separated (the seeds),
//! space-separated with two or more spaces between columns, or wrapped in a
//! narrow PDF column so that a body's name spans two lines and a date is cut
//! as "24.06.202" / "0". So rows are not read line by line but *assembled*:
//! each line is broken into cells, each cell is recognised as a date, a
//! public flag, a result, a result mark ("X" under a result column) or body
//! text, and a line only starts a new row when its text looks like the start
//! of a body's name (Stadtrat, Ausschuss …, Ortschaftsrat …) rather than the
//! continuation of the previous one. Header rows ("Sitzungs- termine",
//! "öffentlich/ nichtöffentlich", "bestä- tigt") are recognised by their
//! vocabulary and only teach which column holds which result.

use std::collections::BTreeMap;
use std::sync::LazyLock;

use chrono::NaiveDate;
use ratsdoc_model::{Consultation, ConsultationResult, ConsultationRole, Votes};
use regex::Regex;

use crate::dates;
use crate::outcome::{self, Count};
use crate::profile::Profile;
use crate::text::{is_rule, join_wrapped, squash};

static CELL_SPLIT: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r" {2,}").expect("constant pattern"));
static FULL_DATE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\b\d{1,2}\.\s?\d{1,2}\.\s?\d{4}\b").expect("constant pattern"));
static PARTIAL_DATE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?:^|\s)(\d{1,2})\.(\d{1,2})\.(\d{0,3})$").expect("constant pattern")
});
static RESULT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b((?:mit\s+änderung(?:en)?(?:\s+(?:bestätigt|beschlossen|angenommen|zugestimmt))?)|bestätigt|angenommen|zugestimmt|beschlossen|abgelehnt|ohne\s+empfehlung|vertagt|zurückgestellt|abgesetzt|zurückgezogen|(?:über)?verwiesen|(?:zur\s+)?kenntnis\s+genommen)\b")
        .expect("constant pattern")
});
static MARK: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^(?i:x|✓|✔|☒)$").expect("constant pattern"));
static HEADER_WORDS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\(.*?\)|\b(?:beratungsfolge|zur kenntnis(?:nahme)? an|sitzungstermine?|sitzungsdatum|sitzungen|sitzung|termine?|datum|status|nichtöffentlich|öffentlich|nicht|beratungsergebnis|abstimmungsergebnis|ergebnis|bestätigt|abgelehnt|ohne|empfehlung|gremium|gremien|zuständigkeit|kenntnisnahme|beratung|entscheidung|vertagt|zurückgezogen|enthaltungen|enthaltung|ja|nein|ö|nö)\b|[/|:,.\s-]")
        .expect("constant pattern")
});
/// Words that only a header row uses (a lone "öffentlich" under a data row
/// is a wrapped value, "Sitzungs- termine" never is).
static HEADER_ONLY: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)sitzung|termin|status|ergebnis|gremium|datum|/|bestä-|abge-|empfeh-")
        .expect("constant pattern")
});
static CONTINUES: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)(?:,|-|\bfür|\bund|\bsowie|\bder|\bdes|\bzur|\bvon)$")
        .expect("constant pattern")
});

/// A row being assembled.
#[derive(Debug, Default)]
struct Row {
    body: Vec<String>,
    date: Option<NaiveDate>,
    partial: Option<(u32, u32, String)>,
    public: Option<bool>,
    not_seen: bool,
    result: Option<ConsultationResult>,
    votes: Option<Votes>,
    referred_to: Option<String>,
}

/// What one line contributes.
#[derive(Debug, Default)]
struct LineParts {
    body: String,
    date: Option<NaiveDate>,
    partial: Option<(u32, u32, String)>,
    digits: Option<String>,
    public: Option<bool>,
    not_word: bool,
    result: Option<ConsultationResult>,
    mark_at: Option<usize>,
    votes: Option<Votes>,
    referred_to: Option<String>,
}

/// What a header cell says its column holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Column {
    /// An "X" under it marks this result.
    Result(ConsultationResult),
    /// A number under it is this count of the vote.
    Votes(Count),
}

/// The result a cell's result words state, by the shared table of
/// [`crate::outcome::OUTCOMES`].
fn result_of(word: &str) -> Option<ConsultationResult> {
    crate::outcome::result_in(word)
}

/// Undoes the hyphen breaks of narrow header cells ("bestä- tigt").
fn unbreak(cell: &str) -> String {
    static BREAK: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"(\p{Ll})-\s+(\p{Ll})").expect("constant pattern"));
    BREAK.replace_all(&squash(cell), "$1$2").into_owned()
}

fn cells(line: &str) -> (Vec<String>, bool) {
    if line.contains('\t') {
        (line.split('\t').map(str::to_string).collect(), true)
    } else {
        (
            CELL_SPLIT.split(line.trim()).map(str::to_string).collect(),
            false,
        )
    }
}

fn is_header(cells: &[String]) -> bool {
    let any = cells.iter().any(|c| !c.trim().is_empty());
    any && cells.iter().all(|c| {
        HEADER_WORDS
            .replace_all(&unbreak(c).to_lowercase(), "")
            .trim()
            .is_empty()
    })
}

fn read_line(cells: &[String], columns: &BTreeMap<usize, Column>, profile: &Profile) -> LineParts {
    let mut parts = LineParts::default();
    let mut body: Vec<String> = Vec::new();
    for (i, raw) in cells.iter().enumerate() {
        let mut cell = squash(raw);
        if cell.is_empty() {
            continue;
        }
        if MARK.is_match(&cell) {
            parts.mark_at = Some(i);
            continue;
        }
        if let Some(m) = FULL_DATE.find(&cell) {
            if parts.date.is_none() {
                parts.date = dates::first_date(m.as_str());
            }
            cell = squash(&FULL_DATE.replace_all(&cell, " "));
        }
        if let Some(c) = PARTIAL_DATE.captures(&cell) {
            if let (Some(d), Some(m), Some(y)) = (c.get(1), c.get(2), c.get(3))
                && let (Ok(d), Ok(m)) = (d.as_str().parse(), m.as_str().parse())
            {
                parts.partial = Some((d, m, y.as_str().to_string()));
            }
            cell = squash(&PARTIAL_DATE.replace(&cell, ""));
        }
        if cell.chars().all(|c| c.is_ascii_digit()) && !cell.is_empty() && cell.len() <= 4 {
            if let (Some(Column::Votes(count)), Ok(n)) = (columns.get(&i), cell.parse()) {
                count.set(parts.votes.get_or_insert_with(Votes::default), n);
            } else {
                parts.digits = Some(cell);
            }
            continue;
        }
        if profile.not_public.is_match(&cell) {
            parts.public = Some(false);
            cell = squash(&profile.not_public.replace_all(&cell, " "));
        }
        if profile.public.is_match(&cell) {
            if parts.public.is_none() {
                parts.public = Some(true);
            }
            cell = squash(&profile.public.replace_all(&cell, " "));
        }
        if let (Some(votes), rest) = outcome::take_votes(&cell) {
            parts.votes = Some(votes);
            cell = rest;
        }
        if let Some(m) = RESULT.find(&cell) {
            parts.result = result_of(m.as_str());
            if parts.result == Some(ConsultationResult::Verwiesen) {
                // "verwiesen in den Bauausschuss": the rest names the body
                // it went to, not this row's.
                parts.referred_to = outcome::referral_in(&cell);
                continue;
            }
            cell = squash(&RESULT.replace_all(&cell, " "));
        }
        if cell.eq_ignore_ascii_case("nicht") || cell.eq_ignore_ascii_case("nicht-") {
            parts.not_word = true;
            parts.public = Some(false);
            continue;
        }
        let cell = cell
            .trim_start_matches([',', ';', '|', ' ', '/'])
            .trim_end_matches([';', '|', ' ', '/'])
            .to_string();
        if cell.chars().any(char::is_alphabetic) {
            body.push(cell);
        }
    }
    if let Some(i) = parts.mark_at
        && parts.result.is_none()
    {
        parts.result = match columns.get(&i) {
            Some(Column::Result(r)) => Some(*r),
            _ => None,
        };
    }
    parts.body = body.join(" ");
    parts
}

/// The result a header cell names, if it names exactly one.
fn header_result(cell: &str) -> Option<ConsultationResult> {
    let c = unbreak(cell).to_lowercase();
    let c = c.trim();
    if c == "ohne empfehlung" || c == "empfehlung" {
        return Some(ConsultationResult::OhneEmpfehlung);
    }
    // Only a cell that is all result words names a column ("Kenntnisnahme"
    // over a Beratungsfolge is a heading, not a result).
    RESULT
        .find(c)
        .filter(|m| m.start() == 0 && m.end() == c.len())
        .and_then(|m| result_of(m.as_str()))
}

fn complete(row: &mut Row, digits: &str) {
    if let Some((d, m, y)) = row.partial.take() {
        let year = format!("{y}{digits}");
        if year.len() == 4
            && let Ok(yy) = year.parse::<i32>()
        {
            row.date = dates::ymd(yy, m, d);
        } else {
            row.partial = Some((d, m, y));
        }
    }
}

/// A short line of letters only, like the pieces of a header word a narrow
/// PDF column breaks ("Sitzungsterm", "ine", "Empfehlu", "ng").
fn is_header_fragment(text: &str) -> bool {
    let words: Vec<&str> = text.split_whitespace().collect();
    !words.is_empty()
        && words.len() <= 3
        && words.iter().all(|w| {
            w.chars()
                .all(|c| c.is_alphabetic() || matches!(c, '/' | '-' | '.' | ','))
        })
}

/// Opening minus closing parentheses of a line.
fn paren_balance(line: &str) -> i32 {
    line.chars()
        .map(|c| match c {
            '(' => 1,
            ')' => -1,
            _ => 0,
        })
        .sum()
}

fn is_continuation(text: &str, row: &Row) -> bool {
    let starts_lower = text.chars().next().is_some_and(char::is_lowercase);
    let prev = row.body.last().map(String::as_str).unwrap_or("");
    starts_lower || CONTINUES.is_match(prev.trim_end())
}

fn finish(row: Row, role: ConsultationRole) -> Option<Consultation> {
    let body = join_wrapped(row.body.iter().map(String::as_str));
    let body = body.trim_end_matches([',', ' ']).to_string();
    if body.is_empty() {
        return None;
    }
    Some(Consultation {
        body,
        date: row.date,
        public: row.public,
        role,
        result: row.result,
        referred_to: row.referred_to,
        votes: row.votes,
    })
}

/// Reads one table. `header` is the rest of the label line (column
/// headers); `presentation` is true for "zur Kenntnis an".
pub fn read(
    header: &str,
    lines: &[String],
    presentation: bool,
    profile: &Profile,
) -> (Vec<Consultation>, Vec<String>) {
    let mut diagnostics = Vec::new();
    let mut columns: BTreeMap<usize, Column> = BTreeMap::new();
    let mut rows: Vec<Row> = Vec::new();
    let mut all_lines: Vec<&str> = vec![header];
    all_lines.extend(lines.iter().map(String::as_str));
    let mut after_blank = false;
    // A narrow PDF column wraps the label's parenthesis ("Beratungsfolge
    // (Beiräte," / "Ortschaftsräte, Ausschüsse," / "Stadtrat)"): until it
    // closes, lines belong to the label, not to the rows.
    let mut open_parens = 0i32;
    for (n, line) in all_lines.iter().enumerate() {
        if n == 0 || open_parens > 0 {
            open_parens += paren_balance(line);
            if n > 0 {
                continue;
            }
        }
        if line.trim().is_empty() {
            after_blank = true;
            continue;
        }
        if is_rule(line) {
            break;
        }
        let blank_before = std::mem::replace(&mut after_blank, false);
        if blank_before
            && rows.iter().any(|r| r.date.is_some())
            && !FULL_DATE.is_match(line)
            && !profile.body_start.is_match(line.trim())
        {
            // After a blank line, text that is neither a dated row nor a
            // body's name (a signature, a note) ends the table.
            break;
        }
        let (cells, tabbed) = cells(line);
        let first_row = rows.is_empty();
        if n == 0 || (is_header(&cells) && (first_row || HEADER_ONLY.is_match(line))) {
            if tabbed {
                for (i, c) in cells.iter().enumerate() {
                    if let Some(r) = header_result(c) {
                        columns.insert(i, Column::Result(r));
                    } else if let Some(count) = outcome::vote_column(c) {
                        columns.insert(i, Column::Votes(count));
                    }
                }
            }
            continue;
        }
        let text = squash(line);
        if profile.city_date.is_match(&text)
            || (text.split_whitespace().count() > 14 && text.ends_with('.'))
        {
            // Prose or the paper's date line: the table is over.
            break;
        }
        if rows.is_empty()
            && !FULL_DATE.is_match(&text)
            && !profile.body_start.is_match(text.trim())
            && is_header_fragment(&text)
        {
            // Before the first row, an undated line that names no body is a
            // header cell a narrow column broke ("Sitzungsterm" / "ine").
            continue;
        }
        let parts = read_line(&cells, &columns, profile);
        if parts.mark_at.is_some() && !tabbed && parts.result.is_none() {
            diagnostics.push(format!(
                "Beratungsfolge: a result mark in {text:?} could not be placed in a column"
            ));
        }
        if !parts.body.is_empty() {
            let new_row = match rows.last() {
                None => true,
                Some(cur) => {
                    if is_continuation(&parts.body, cur) {
                        false
                    } else if profile.body_start.is_match(&parts.body) {
                        true
                    } else {
                        // A wrapped name: the line brings no date of its own,
                        // or the row has none yet.
                        parts.date.is_some() && cur.date.is_some()
                    }
                }
            };
            if new_row {
                rows.push(Row::default());
            }
            if let Some(cur) = rows.last_mut() {
                cur.body.push(parts.body.clone());
            }
        }
        let Some(cur) = rows.last_mut() else {
            continue;
        };
        if let Some(d) = parts.date
            && cur.date.is_none()
        {
            cur.date = Some(d);
            cur.partial = None;
        }
        if let Some(p) = parts.partial
            && cur.date.is_none()
        {
            cur.partial = Some(p);
        }
        if let Some(digits) = &parts.digits {
            complete(cur, digits);
        }
        if parts.not_word {
            cur.not_seen = true;
        }
        if let Some(p) = parts.public {
            cur.public = Some(p && !cur.not_seen);
        }
        if parts.result.is_some() {
            cur.result = parts.result;
            cur.referred_to = parts.referred_to.clone();
        }
        if parts.votes.is_some() {
            cur.votes = parts.votes;
        }
    }
    let count = rows.len();
    let mut out = Vec::new();
    for (i, row) in rows.into_iter().enumerate() {
        if let Some((d, m, y)) = &row.partial {
            diagnostics.push(format!("Beratungsfolge: incomplete date {d:02}.{m:02}.{y}"));
        }
        let role = if presentation {
            ConsultationRole::Kenntnisnahme
        } else if i + 1 == count {
            ConsultationRole::Entscheidung
        } else {
            ConsultationRole::Beratung
        };
        out.extend(finish(row, role));
    }
    (out, diagnostics)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rows(header: &str, text: &str, presentation: bool) -> Vec<Consultation> {
        let lines: Vec<String> = text.lines().map(String::from).collect();
        read(header, &lines, presentation, Profile::chemnitz()).0
    }

    fn d(y: i32, m: u32, day: u32) -> Option<NaiveDate> {
        NaiveDate::from_ymd_opt(y, m, day)
    }

    #[test]
    fn seed_table_with_header_rows() {
        let got = rows(
            " (Beiräte, Ortschaftsräte, Ausschüsse, Stadtrat)\tSitzungs- termine\tStatus\t\tBeratungsergebnis\t\t",
            "\t\töffentlich/ nichtöffentlich\tbestä- tigt\tabge- lehnt\tohne Empfeh- lung\t\nStadtrat\t24.06.2020\töffentlich\t\t\t\t\n",
            false,
        );
        assert_eq!(
            got,
            [Consultation {
                body: "Stadtrat".into(),
                date: d(2020, 6, 24),
                public: Some(true),
                role: ConsultationRole::Entscheidung,
                result: None,
                referred_to: None,
                votes: None,
            }]
        );
    }

    #[test]
    fn result_marks_by_column_and_words() {
        let got = rows(
            "\tSitzungs- termine\tStatus\t\tBeratungsergebnis",
            "\t\töffentlich/ nichtöffentlich\tbestä- tigt\tabge- lehnt\tohne Empfeh- lung\nFinanzausschuss\t10.06.2020\tnicht öffentlich\t\tX\nStadtrat\t24.06.2020\töffentlich\tX\n",
            false,
        );
        assert_eq!(got.len(), 2);
        assert_eq!(got[0].result, Some(ConsultationResult::Abgelehnt));
        assert_eq!(got[0].public, Some(false));
        assert_eq!(got[0].role, ConsultationRole::Beratung);
        assert_eq!(got[1].result, Some(ConsultationResult::Bestaetigt));
    }

    #[test]
    fn wrapped_names_and_split_dates() {
        let got = rows(
            "\tSitzungstermine\tStatus",
            "Ausschuss für Klimaschutz,\t09.12.2020\tnicht\nUmwelt und Sicherheit\t\töffentlich\nStadtrat\t24.06.202\töffentlich\n\t0\n",
            true,
        );
        assert_eq!(got.len(), 2, "{got:?}");
        assert_eq!(
            got[0].body,
            "Ausschuss für Klimaschutz, Umwelt und Sicherheit"
        );
        assert_eq!(got[0].public, Some(false));
        assert_eq!(got[1].date, d(2020, 6, 24));
        assert!(
            got.iter()
                .all(|c| c.role == ConsultationRole::Kenntnisnahme)
        );
    }

    #[test]
    fn space_separated() {
        let got = rows(
            "   Sitzungstermine   Status",
            "Planungs-, Bau- und Umweltausschuss     03.03.2021     nichtöffentlich\nStadtrat    17.03.2021    öffentlich    bestätigt\n",
            false,
        );
        assert_eq!(got.len(), 2, "{got:?}");
        assert_eq!(got[0].body, "Planungs-, Bau- und Umweltausschuss");
        assert_eq!(got[1].result, Some(ConsultationResult::Bestaetigt));
    }

    #[test]
    fn label_parenthesis_wrapped_over_lines_is_not_a_row() {
        let lines: Vec<String> = [
            "Ortschaftsräte, Ausschüsse,",
            "Stadtrat)",
            "Sitzungsterm",
            "ine",
            "Status",
            "öffentlich/",
            "nichtöffentlich",
            "Stadtrat\t24.06.2020\töffentlich",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        let (rows, _) = read("(Beiräte,", &lines, false, Profile::chemnitz());
        assert_eq!(rows.len(), 1, "{rows:?}");
        assert_eq!(rows[0].body, "Stadtrat");
        assert_eq!(rows[0].date, d(2020, 6, 24));
    }
}
