//! `ratsdoc digest --since 7d`: what changed lately, ready for mail — new
//! papers, new links, motions that became overdue, and reports due soon.
//!
//! Only wiring and presentation: what is new comes from the run history
//! (`ratsdoc_store::history`), what is due from the verdicts as of today.
//! One list of sections is rendered as plain text, Markdown or HTML.

use std::collections::HashMap;
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use chrono::{NaiveDate, TimeZone, Utc};
use ratsdoc_link::Essentials;
use ratsdoc_model::{Kind, StatusKind};
use ratsdoc_store::DataDir;
use ratsdoc_store::history::{Found, History};

use crate::terminal::safe;

/// Most lines listed per section; the rest are counted.
const MAX_LINES: usize = 50;

#[derive(clap::Args)]
pub struct DigestArgs {
    /// The data directory.
    #[arg(long, default_value = "data")]
    pub data: PathBuf,
    /// How far back: `7d`, `24h`, `2w`, or a date YYYY-MM-DD.
    #[arg(long, default_value = "7d", value_parser = parse_since)]
    pub since: Since,
    /// `text` (plain, for `mail`), `markdown` or `html`.
    #[arg(long, default_value = "text", value_parser = ["text", "markdown", "html"])]
    pub format: String,
    /// List reports due within this many days of the as-of date.
    #[arg(long, default_value_t = 14, value_name = "N")]
    pub due_within: u32,
    /// Judge as of this date (YYYY-MM-DD) instead of today.
    #[arg(long, value_parser = super::status::parse_date, value_name = "YYYY-MM-DD")]
    pub as_of: Option<NaiveDate>,
}

/// The start of the digest's window.
#[derive(Debug, Clone, Copy)]
pub enum Since {
    /// This many seconds before now.
    Ago(i64),
    Date(NaiveDate),
}

fn parse_since(s: &str) -> Result<Since, String> {
    let s = s.trim();
    if let Ok(date) = NaiveDate::parse_from_str(s, "%Y-%m-%d") {
        return Ok(Since::Date(date));
    }
    let (number, unit) = match s.char_indices().last() {
        Some((i, 'h')) => (&s[..i], 3_600),
        Some((i, 'd')) => (&s[..i], 86_400),
        Some((i, 'w')) => (&s[..i], 7 * 86_400),
        _ => (s, 0),
    };
    match number.parse::<i64>() {
        Ok(n) if unit > 0 && (0..=36_500).contains(&n) => Ok(Since::Ago(n * unit)),
        _ => Err(format!(
            "not a time span like 7d, 24h or 2w, nor a date YYYY-MM-DD: {s:?}"
        )),
    }
}

impl Since {
    fn start(self, now: i64) -> i64 {
        match self {
            Since::Ago(secs) => now - secs,
            Since::Date(d) => d
                .and_hms_opt(0, 0, 0)
                .map_or(0, |t| t.and_utc().timestamp()),
        }
    }
}

/// One heading with its lines (plain text; escaped by the renderer).
struct Section {
    heading: String,
    lines: Vec<String>,
    /// Lines left out beyond [`MAX_LINES`].
    more: usize,
}

impl Section {
    fn new(heading: String, mut lines: Vec<String>) -> Section {
        let more = lines.len().saturating_sub(MAX_LINES);
        lines.truncate(MAX_LINES);
        Section {
            heading,
            lines,
            more,
        }
    }
}

pub fn run(args: DigestArgs) -> anyhow::Result<ExitCode> {
    let data = DataDir::new(&args.data);
    let (papers, links) = data
        .load_link_state()
        .with_context(|| format!("cannot read the records in {}", args.data.display()))?;
    let (history, found) = History::load(data.root());
    if found == Found::Damaged {
        tracing::warn!("the run history is damaged; the next build starts it again");
    }
    let now = Utc::now().timestamp();
    let since = args.since.start(now);
    let as_of = args
        .as_of
        .unwrap_or_else(|| chrono::Local::now().date_naive());
    let by_id: HashMap<&str, &Essentials> = papers.iter().map(|p| (p.id(), p)).collect();
    let names = Names { data: &data, by_id };
    let verdicts = ratsdoc_link::status_essentials(&papers, &links, as_of);
    let due: Vec<String> = verdicts
        .iter()
        .filter(|v| v.status == StatusKind::Pending && v.due_within(args.due_within))
        .map(|v| {
            let due = v.due.map_or("-".into(), ratsdoc_link::german_date);
            format!("{} fällig {due} – {}", v.id, v.title)
        })
        .collect();
    let mut sections = changes(&history, since, &names);
    sections.push(Section::new(
        format!(
            "Fällig in den nächsten {} Tagen (Stand {})",
            args.due_within,
            ratsdoc_link::german_date(as_of)
        ),
        due,
    ));
    let title = format!("ratsdoc: Neues seit {}", local_date(since));
    let text = match args.format.as_str() {
        "markdown" => markdown(&title, &sections),
        "html" => html(&title, &sections),
        _ => plain(&title, &sections),
    };
    std::io::stdout().lock().write_all(text.as_bytes())?;
    Ok(ExitCode::SUCCESS)
}

/// Titles and kinds of papers, from the link state or (for kinds whose
/// title it does not keep) the one record.
struct Names<'a> {
    data: &'a DataDir,
    by_id: HashMap<&'a str, &'a Essentials>,
}

impl Names<'_> {
    fn council_paper(&self, id: &str) -> bool {
        self.by_id.get(id).is_some_and(|p| p.kind() != Kind::Other)
    }

    fn line(&self, id: &str) -> String {
        let title = self
            .by_id
            .get(id)
            .and_then(|p| p.title().map(str::to_string))
            .or_else(|| self.data.load_record(id).ok().flatten().map(|r| r.title));
        match title {
            Some(t) => format!("{id} – {t}"),
            None => id.to_string(),
        }
    }
}

/// The sections the run history fills: new papers, changed and removed
/// ones, new links, newly overdue motions.
fn changes(history: &History, since: i64, names: &Names<'_>) -> Vec<Section> {
    let mut added: Vec<(i64, &str)> = history
        .papers
        .iter()
        .filter(|(id, life)| {
            life.created >= since && life.deleted.is_none() && names.council_paper(id)
        })
        .map(|(id, life)| (life.created, id.as_str()))
        .collect();
    added.sort_by(|a, b| b.cmp(a));
    let runs: Vec<_> = history.runs_since(since).collect();
    let changed: usize = runs.iter().map(|r| r.changed.len()).sum();
    let removed: usize = runs.iter().map(|r| r.removed.len()).sum();
    let links: Vec<String> = runs
        .iter()
        .flat_map(|r| &r.links)
        .map(|(answer, motion)| format!("{} beantwortet {}", names.line(answer), motion))
        .collect();
    let overdue: Vec<String> = runs
        .iter()
        .flat_map(|r| &r.verdicts)
        .filter(|v| v.to == Some(StatusKind::Overdue))
        .map(|v| names.line(&v.id))
        .collect();
    vec![
        Section::new(
            format!(
                "Neue Dokumente ({}; {changed} geändert, {removed} entfernt)",
                added.len()
            ),
            added.iter().map(|(_, id)| names.line(id)).collect(),
        ),
        Section::new(format!("Neue Verknüpfungen ({})", links.len()), links),
        Section::new(format!("Neu überfällig ({})", overdue.len()), overdue),
    ]
}

fn local_date(at: i64) -> String {
    chrono::Local
        .timestamp_opt(at, 0)
        .single()
        .map_or_else(|| "-".into(), |t| t.format("%d.%m.%Y %H:%M").to_string())
}

fn more_line(n: usize) -> String {
    format!("… und {n} weitere")
}

fn plain(title: &str, sections: &[Section]) -> String {
    let mut out = format!("{title}\n");
    for s in sections {
        out.push_str(&format!("\n{}\n", safe(&s.heading)));
        if s.lines.is_empty() {
            out.push_str("  (nichts)\n");
        }
        for line in &s.lines {
            out.push_str(&format!("  - {}\n", safe(line)));
        }
        if s.more > 0 {
            out.push_str(&format!("  {}\n", more_line(s.more)));
        }
    }
    out
}

fn markdown(title: &str, sections: &[Section]) -> String {
    let mut out = format!("# {}\n", md(title));
    for s in sections {
        out.push_str(&format!("\n## {}\n\n", md(&s.heading)));
        if s.lines.is_empty() {
            out.push_str("_nichts_\n");
        }
        for line in &s.lines {
            out.push_str(&format!("- {}\n", md(line)));
        }
        if s.more > 0 {
            out.push_str(&format!("- {}\n", more_line(s.more)));
        }
    }
    out
}

/// Markdown's inline markup characters escaped, control characters shown.
fn md(text: &str) -> String {
    let mut out = String::new();
    for c in safe(text).chars() {
        if "\\`*_[]<>#|".contains(c) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

fn html(title: &str, sections: &[Section]) -> String {
    let mut out = format!(
        "<!DOCTYPE html>\n<html lang=\"de\"><head><meta charset=\"utf-8\"><title>{0}</title></head><body>\n<h1>{0}</h1>\n",
        esc(title)
    );
    for s in sections {
        out.push_str(&format!("<h2>{}</h2>\n<ul>\n", esc(&s.heading)));
        for line in &s.lines {
            out.push_str(&format!("<li>{}</li>\n", esc(line)));
        }
        if s.more > 0 {
            out.push_str(&format!("<li>{}</li>\n", more_line(s.more)));
        }
        out.push_str("</ul>\n");
    }
    out.push_str("</body></html>\n");
    out
}

fn esc(text: &str) -> String {
    safe(text)
        .replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn since_reads_spans_and_dates() {
        assert!(matches!(parse_since("7d"), Ok(Since::Ago(604_800))));
        assert!(matches!(parse_since("24h"), Ok(Since::Ago(86_400))));
        assert!(matches!(parse_since("2w"), Ok(Since::Ago(1_209_600))));
        assert!(matches!(parse_since("2020-01-02"), Ok(Since::Date(_))));
        for bad in ["", "d", "7x", "-1d", "ä", "99999999999d"] {
            assert!(parse_since(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn html_and_markdown_escape_paper_text() {
        let s = [Section::new("T".into(), vec!["<b>&\"x\" *y*".into()])];
        assert!(html("t", &s).contains("<li>&lt;b&gt;&amp;&quot;x&quot; *y*</li>"));
        assert!(markdown("t", &s).contains("- \\<b\\>&\"x\" \\*y\\*"));
    }
}
