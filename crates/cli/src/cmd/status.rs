//! `ratsdoc status [ID]`: the clerk's question "did this motion get the
//! report it asked for, and on time?", for every motion or for one.
//!
//! Only wiring and presentation: the verdicts come from `ratsdoc_link`, what
//! they are judged by from the data directory's link cache. Human output is a table in
//! urgency order (overdue first), each verdict followed by its evidence;
//! `--json` prints the contract's array, sorted by id.

use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use chrono::NaiveDate;
use ratsdoc_model::{Kind, MotionStatus, PaperNumber, StatusKind};
use ratsdoc_store::DataDir;

use crate::terminal::{self, safe};

#[derive(clap::Args)]
pub struct StatusArgs {
    /// One motion, in any spelling (`BA-044/2020`, `ba 44/2020`); all when left out.
    #[arg(value_parser = parse_id)]
    pub id: Option<PaperNumber>,
    /// The data directory.
    #[arg(long, default_value = "data")]
    pub data: PathBuf,
    /// Judge as of this date (YYYY-MM-DD) instead of today, for reproducible output.
    #[arg(long, value_parser = parse_date, value_name = "YYYY-MM-DD")]
    pub as_of: Option<NaiveDate>,
    /// Print the JSON array of the interface contract.
    #[arg(long)]
    pub json: bool,
    /// Only motions whose requested report is overdue (the weekly check).
    #[arg(long)]
    pub overdue: bool,
    /// Only reports due within N days of the as-of date (the clerk's next
    /// month: `--due-within 30`); overdue ones are not listed.
    #[arg(long, value_name = "N")]
    pub due_within: Option<u32>,
}

fn parse_id(s: &str) -> Result<PaperNumber, String> {
    s.parse::<PaperNumber>().map_err(|e| e.to_string())
}

pub(crate) fn parse_date(s: &str) -> Result<NaiveDate, String> {
    NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d")
        .map_err(|e| format!("not a date of the form YYYY-MM-DD: {s:?} ({e})"))
}

pub fn run(args: StatusArgs) -> anyhow::Result<ExitCode> {
    let data = DataDir::new(&args.data);
    let (papers, links) = data
        .load_link_state()
        .with_context(|| format!("cannot read the records in {}", args.data.display()))?;
    let as_of = args
        .as_of
        .unwrap_or_else(|| chrono::Local::now().date_naive());

    let mut verdicts = ratsdoc_link::status_essentials(&papers, &links, as_of);
    if let Some(id) = args.id {
        let wanted = id.to_string();
        match papers.iter().find(|p| p.id() == wanted) {
            None => anyhow::bail!("no paper {wanted} in {}", args.data.display()),
            Some(p) if p.kind() != Kind::Beschlussantrag => anyhow::bail!(
                "{wanted} is not a Beschlussantrag but a paper of kind {}; report status is judged for Beschlussanträge only",
                p.kind().german()
            ),
            Some(_) => verdicts.retain(|v| v.id == wanted),
        }
    }
    if args.overdue {
        verdicts.retain(|v| v.status == StatusKind::Overdue);
    }
    if let Some(days) = args.due_within {
        verdicts.retain(|v| v.due_within(days));
    }

    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    if args.json {
        terminal::write_json(&mut out, &verdicts, true)?;
    } else {
        verdicts.sort_by(ratsdoc_link::urgency_order);
        let colour = terminal::colour(std::io::stdout().is_terminal());
        print_table(&mut out, &verdicts, as_of, colour)?;
    }
    Ok(ExitCode::SUCCESS)
}

/// The verdict in a few German words, with its days: the table is read by
/// clerks, like the evidence lines under it (`--json` keeps the contract's
/// English keys).
fn verdict_words(v: &MotionStatus) -> String {
    let days = ratsdoc_link::days_in_words;
    match (v.status, v.days) {
        (StatusKind::Overdue, Some(d)) => format!("überfällig, {}", days(d)),
        (StatusKind::Overdue, None) => "überfällig".into(),
        (StatusKind::AnsweredLate, Some(d)) => format!("verspätet, {}", days(d)),
        (StatusKind::AnsweredLate, None) => "verspätet".into(),
        (StatusKind::Pending, Some(d)) => format!("offen, noch {}", days(d)),
        (StatusKind::Pending, None) => "offen".into(),
        (StatusKind::AnsweredOnTime, _) => "rechtzeitig".into(),
        (StatusKind::NoReportRequested, _) => "kein Bericht verlangt".into(),
        (StatusKind::DeadlineUnresolved, _) => "Frist unklar".into(),
        (StatusKind::Void, _) => "gegenstandslos".into(),
    }
}

/// ANSI colour of a verdict: red for overdue, yellow for late, cyan for
/// pending, green for on time, plain otherwise.
fn colour_of(s: StatusKind) -> &'static str {
    match s {
        StatusKind::Overdue => "\x1b[1;31m",
        StatusKind::AnsweredLate => "\x1b[33m",
        StatusKind::Pending => "\x1b[36m",
        StatusKind::AnsweredOnTime => "\x1b[32m",
        StatusKind::DeadlineUnresolved => "\x1b[35m",
        StatusKind::NoReportRequested | StatusKind::Void => "\x1b[2m",
    }
}

fn shorten(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        s.to_string()
    } else {
        let cut: String = s.chars().take(max.saturating_sub(1)).collect();
        format!("{cut}…")
    }
}

fn print_table(
    out: &mut impl Write,
    verdicts: &[MotionStatus],
    as_of: NaiveDate,
    colour: bool,
) -> std::io::Result<()> {
    let (on, off, dim) = if colour {
        ("\x1b[1m", "\x1b[0m", "\x1b[2m")
    } else {
        ("", "", "")
    };
    writeln!(
        out,
        "{:<12} {:<22} {:<10} {:<12} GEGENSTAND",
        "ANTRAG", "BERICHT", "FÄLLIG", "ANTWORT"
    )?;
    for v in verdicts {
        let words = format!("{:<22}", verdict_words(v));
        let words = if colour {
            format!("{}{words}{off}", colour_of(v.status))
        } else {
            words
        };
        writeln!(
            out,
            "{on}{:<12}{off} {words} {:<10} {:<12} {}",
            safe(&v.id),
            v.due.map_or("-".to_string(), ratsdoc_link::german_date),
            safe(v.answered_by.as_deref().unwrap_or("-")),
            shorten(&safe(&v.title), 70)
        )?;
        for e in &v.evidence {
            writeln!(out, "{dim}    · {}{off}", safe(e))?;
        }
    }
    let count = |k: StatusKind| verdicts.iter().filter(|v| v.status == k).count();
    writeln!(
        out,
        "{} Beschlussanträge, Stand {}: {} überfällig, {} offen, {} verspätet beantwortet, {} rechtzeitig beantwortet, {} Frist unklar, {} gegenstandslos, {} kein Bericht verlangt",
        verdicts.len(),
        ratsdoc_link::german_date(as_of),
        count(StatusKind::Overdue),
        count(StatusKind::Pending),
        count(StatusKind::AnsweredLate),
        count(StatusKind::AnsweredOnTime),
        count(StatusKind::DeadlineUnresolved),
        count(StatusKind::Void),
        count(StatusKind::NoReportRequested),
    )
}
