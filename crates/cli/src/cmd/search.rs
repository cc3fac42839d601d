//! `ratsdoc search`: full-text search in German over `<DATA>/index`.
//!
//! Only presentation lives here: the query is read leniently and run by
//! `ratsdoc_index::Searcher`; this file turns the results into a ranked list
//! for people (matches highlighted only on a terminal) or into the contract's
//! JSON for scripts.

use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use chrono::NaiveDate;
use ratsdoc_index::{Hit, IndexError, SearchRequest, SearchResults, Searcher, SortOrder};
use ratsdoc_model::{ConsultationResult, Kind, StatusKind};
use ratsdoc_store::DataDir;

use crate::terminal::{self, safe};

use crate::exit;

#[derive(clap::Args)]
pub struct SearchArgs {
    /// What to search for: words (German, any inflection, umlauts or ae/oe/ue),
    /// "phrases in quotes", -excluded words, paper numbers in any spelling
    /// (BA-044/2020, ba 44/2020). Several words are joined. `*` lists every
    /// paper, newest first; a query with nothing to search for (empty, only
    /// stop words like "und", punctuation or emoji) exits with 64.
    #[arg(value_name = "QUERY")]
    pub query: Vec<String>,
    /// The data directory.
    #[arg(long, default_value = "data")]
    pub data: PathBuf,
    /// Only papers of this kind (beschlussantrag, informationsvorlage, BA, I, …);
    /// repeat for several.
    #[arg(long, value_name = "K", value_parser = parse_kind)]
    pub kind: Vec<Kind>,
    /// Only papers of this submitter: a faction's name, or words of it ("LINKE").
    #[arg(long, value_name = "NAME")]
    pub submitter: Option<String>,
    /// Only papers of this year.
    #[arg(long, value_name = "YYYY")]
    pub year: Option<i32>,
    /// Only papers dated on or after this day.
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub from: Option<NaiveDate>,
    /// Only papers dated on or before this day.
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub to: Option<NaiveDate>,
    /// Only motions with this report status (answered_on_time, answered_late,
    /// overdue, pending, no_report_requested, deadline_unresolved, void).
    #[arg(long, value_name = "STATUS", value_parser = parse_status)]
    pub status: Option<StatusKind>,
    /// Only papers that came to this result (beschlossen, mit_aenderungen,
    /// abgelehnt, vertagt, zurueckgezogen, verwiesen, zur_kenntnis_genommen,
    /// ohne_empfehlung): what became of the paper, by its last decision.
    #[arg(long, value_name = "RESULT", value_parser = parse_result)]
    pub result: Option<ConsultationResult>,
    /// Order: relevance (default), date (newest first) or date_asc.
    #[arg(long, value_name = "ORDER", default_value = "relevance", value_parser = parse_sort)]
    pub sort: SortOrder,
    /// Number of hits to show.
    #[arg(long, short = 'n', value_name = "N", default_value_t = 10)]
    pub limit: usize,
    /// Number of hits to skip (paging).
    #[arg(long, value_name = "N", default_value_t = 0)]
    pub offset: usize,
    /// Print the results as JSON (the interface contract).
    #[arg(long)]
    pub json: bool,
}

fn parse_kind(s: &str) -> Result<Kind, String> {
    s.parse()
}

fn parse_status(s: &str) -> Result<StatusKind, String> {
    s.parse()
}

fn parse_result(s: &str) -> Result<ConsultationResult, String> {
    s.parse()
}

fn parse_sort(s: &str) -> Result<SortOrder, String> {
    s.parse()
}

pub fn run(args: SearchArgs) -> anyhow::Result<ExitCode> {
    let index_dir = DataDir::new(&args.data).index_dir();
    let searcher = Searcher::open(&index_dir)?;
    let request = SearchRequest {
        text: args.query.join(" "),
        kinds: args.kind,
        submitter: args.submitter,
        year: args.year,
        date_from: args.from,
        date_to: args.to,
        status: args.status,
        result: args.result,
        sort: args.sort,
        limit: args.limit,
        offset: args.offset,
    };
    let results = match searcher.search(&request) {
        Ok(results) => results,
        // Not a failure of ratsdoc: the user's query needs other words.
        Err(e @ IndexError::NothingToSearch { .. }) => {
            eprintln!("ratsdoc: {}", safe(&e.to_string()));
            return Ok(ExitCode::from(exit::NOTHING_TO_SEARCH));
        }
        Err(e) => return Err(e.into()),
    };
    let stdout = std::io::stdout();
    let on_terminal = stdout.is_terminal();
    let mut out = stdout.lock();
    let written = if args.json {
        terminal::write_json(&mut out, &results, true)
    } else {
        print_list(&mut out, &request, &results, Style::for_stdout(on_terminal))
    };
    match written.and_then(|()| out.flush()) {
        // `ratsdoc search … | head`: the reader has all it wanted.
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(ExitCode::SUCCESS),
        other => {
            other.context("writing the results")?;
            Ok(ExitCode::SUCCESS)
        }
    }
}

/// Terminal escapes, or nothing when the output goes to a file or pipe.
#[derive(Clone, Copy)]
struct Style {
    bold: &'static str,
    mark: &'static str,
    dim: &'static str,
    reset: &'static str,
}

impl Style {
    fn for_stdout(on_terminal: bool) -> Style {
        if terminal::colour(on_terminal) {
            Style {
                bold: "\x1b[1m",
                mark: "\x1b[1;33m",
                dim: "\x1b[2m",
                reset: "\x1b[0m",
            }
        } else {
            Style {
                bold: "",
                mark: "",
                dim: "",
                reset: "",
            }
        }
    }

    fn plain(self) -> bool {
        self.reset.is_empty()
    }
}

fn print_list(
    out: &mut impl Write,
    request: &SearchRequest,
    results: &SearchResults,
    style: Style,
) -> std::io::Result<()> {
    let shown = results.hits.len();
    let first = request.offset + 1;
    match (results.total, shown) {
        (0, _) => writeln!(out, "no papers found")?,
        (total, 0) => writeln!(out, "{total} papers found; none on this page")?,
        (total, _) => writeln!(
            out,
            "{total} papers found, showing {first}–{}",
            request.offset + shown
        )?,
    }
    for (i, hit) in results.hits.iter().enumerate() {
        writeln!(out)?;
        print_hit(out, first + i, hit, style)?;
    }
    if results.total > 0 {
        writeln!(out)?;
        print_facets(out, results, style)?;
    }
    Ok(())
}

fn print_hit(out: &mut impl Write, rank: usize, hit: &Hit, style: Style) -> std::io::Result<()> {
    let Style {
        bold, dim, reset, ..
    } = style;
    let date = hit
        .date
        .map_or_else(|| "undated".to_string(), |d| d.to_string());
    writeln!(
        out,
        "{rank:>3}. {bold}{}{reset}  {}  {date}",
        safe(&hit.id),
        hit.kind.german()
    )?;
    writeln!(out, "     {bold}{}{reset}", safe(&hit.title))?;
    if !hit.submitters.is_empty() {
        writeln!(out, "     {dim}{}{reset}", safe(&hit.submitters.join("; ")))?;
    }
    if let Some(status) = hit.status {
        writeln!(out, "     {dim}report: {}{reset}", status.german())?;
    }
    if let Some(result) = hit.result {
        writeln!(out, "     {dim}result: {}{reset}", result.german())?;
    }
    if !hit.snippet.is_empty() {
        writeln!(
            out,
            "     {}",
            highlight(&hit.snippet, &hit.highlights, style)
        )?;
    }
    Ok(())
}

/// The snippet with its matches marked; plain text when not on a terminal.
/// Each piece is made [`safe`] on its own, since the ranges are offsets into
/// the raw snippet.
fn highlight(snippet: &str, ranges: &[(usize, usize)], style: Style) -> String {
    if style.plain() {
        return safe(snippet).into_owned();
    }
    let mut out = String::with_capacity(snippet.len() + ranges.len() * 12);
    let mut at = 0;
    for &(from, to) in ranges {
        let (Some(before), Some(marked)) = (snippet.get(at..from), snippet.get(from..to)) else {
            continue;
        };
        out.push_str(&safe(before));
        out.push_str(style.mark);
        out.push_str(&safe(marked));
        out.push_str(style.reset);
        at = to;
    }
    out.push_str(&safe(snippet.get(at..).unwrap_or_default()));
    out
}

fn print_facets(
    out: &mut impl Write,
    results: &SearchResults,
    style: Style,
) -> std::io::Result<()> {
    let Style { dim, reset, .. } = style;
    let line = |name: &str, counts: &std::collections::BTreeMap<String, u64>| {
        let mut pairs: Vec<(&String, &u64)> = counts.iter().collect();
        pairs.sort_by(|a, b| b.1.cmp(a.1).then(a.0.cmp(b.0)));
        let text = pairs
            .iter()
            .map(|(k, v)| format!("{} {v}", safe(k)))
            .collect::<Vec<_>>()
            .join(" · ");
        format!("{name}: {text}")
    };
    let f = &results.facets;
    writeln!(out, "{dim}{}{reset}", line("kind", &f.kind))?;
    if !f.submitter.is_empty() {
        writeln!(out, "{dim}{}{reset}", line("submitter", &f.submitter))?;
    }
    if !f.year.is_empty() {
        writeln!(out, "{dim}{}{reset}", line("year", &f.year))?;
    }
    Ok(())
}
