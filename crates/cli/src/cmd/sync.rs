//! `ratsdoc sync <ENDPOINT> --corpus <DIR>`: mirrors an OParl endpoint's
//! papers into a folder that `ratsdoc build` reads.
//!
//! Prints each file that could not be fetched and each list that could not
//! be read to its end, then one summary line. Exit codes as for `build`:
//! 0 all good, 1 some downloads failed, 2 fatal (endpoint unusable, folder
//! unwritable), 75 another sync holds the folder.

use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use indicatif::ProgressBar;
use ratsdoc_sync::{HttpOptions, Progress, SyncError, SyncOptions, SyncReport};

use crate::exit;
use crate::terminal::safe;

#[derive(clap::Args)]
pub struct SyncArgs {
    /// URL of the OParl System object, e.g. https://example.org/oparl/system
    #[arg(value_name = "ENDPOINT")]
    pub endpoint: String,
    /// The sync folder: one folder per paper, read by `ratsdoc build`.
    #[arg(long, value_name = "DIR")]
    pub corpus: PathBuf,
    /// The body to mirror: its id (URL), the last part of it, or its short
    /// name. Default: the body of the last sync into DIR, else the first.
    #[arg(long, value_name = "ID")]
    pub body: Option<String>,
    /// Requests at a time.
    #[arg(long, default_value_t = 4, value_name = "N", value_parser = clap::value_parser!(u16).range(1..=32))]
    pub concurrency: u16,
    /// Seconds one JSON request may take; a file download may take ten
    /// times as long.
    #[arg(long, default_value_t = 60, value_name = "SECONDS", value_parser = clap::value_parser!(u64).range(1..))]
    pub timeout: u64,
    /// Largest file to download, in MB; a larger one is recorded with the
    /// reason and not kept.
    #[arg(long, default_value_t = 200, value_name = "MB", value_parser = clap::value_parser!(u64).range(1..))]
    pub max_file_size: u64,
    /// Longest wait, in seconds, that a server's Retry-After may ask for.
    #[arg(long, default_value_t = 60, value_name = "SECONDS")]
    pub max_retry_wait: u64,
    /// Only errors and the summary line.
    #[arg(long, short)]
    pub quiet: bool,
}

pub fn run(args: SyncArgs) -> anyhow::Result<ExitCode> {
    let http = HttpOptions {
        json_timeout: Duration::from_secs(args.timeout),
        file_timeout: Duration::from_secs(args.timeout.saturating_mul(10)),
        max_file_bytes: args.max_file_size.saturating_mul(1_000_000),
        max_retry_wait: Duration::from_secs(args.max_retry_wait),
        ..HttpOptions::default()
    };
    let opts = SyncOptions {
        endpoint: args.endpoint.clone(),
        dir: args.corpus.clone(),
        body: args.body.clone(),
        concurrency: usize::from(args.concurrency),
        http,
    };
    let on_terminal = !args.quiet && std::io::stderr().is_terminal();
    let bar = Bar::new(on_terminal);
    let result = ratsdoc_sync::sync(&opts, &bar);
    bar.clear();
    let report = match result {
        Ok(report) => report,
        Err(e @ SyncError::Locked { .. }) => {
            eprintln!("ratsdoc: {}", safe(&e.to_string()));
            return Ok(ExitCode::from(exit::LOCKED));
        }
        Err(e) => {
            eprintln!("ratsdoc: sync failed: {}", safe(&e.to_string()));
            return Ok(ExitCode::from(exit::FATAL));
        }
    };
    for line in report.problems.iter().chain(&report.failures) {
        eprintln!("error: {}", safe(line));
    }
    if on_terminal {
        let name = report.body_name.as_deref().unwrap_or("");
        eprintln!("body: {} {}", safe(name), safe(&report.body));
    }
    println!("{}", summary_line(&report));
    let failed = report.files_failed > 0 || !report.problems.is_empty();
    Ok(ExitCode::from(if failed {
        exit::SOME_FILES_FAILED
    } else {
        exit::OK
    }))
}

/// The one line cron mails: stable wording, so scripts may grep it.
fn summary_line(r: &SyncReport) -> String {
    format!(
        "ratsdoc sync: {} papers: {} new, {} changed, {} deleted, {} unchanged; {} files downloaded, {} failed; {:.1} s",
        r.papers,
        r.new,
        r.changed,
        r.deleted,
        r.unchanged,
        r.files_downloaded,
        r.files_failed,
        r.elapsed_ms as f64 / 1000.0
    )
}

/// A progress bar on a terminal; nothing otherwise.
struct Bar(Option<ProgressBar>);

impl Bar {
    fn new(show: bool) -> Bar {
        let bar = crate::terminal::progress_bar(
            show,
            "{spinner} {msg:>12} [{bar:30}] {pos}/{len} papers {elapsed}",
        );
        if let Some(bar) = &bar {
            bar.enable_steady_tick(Duration::from_millis(200));
        }
        Bar(bar)
    }

    fn clear(&self) {
        if let Some(bar) = &self.0 {
            bar.finish_and_clear();
        }
    }
}

impl Progress for Bar {
    fn stage(&self, name: &str) {
        if let Some(bar) = &self.0 {
            bar.set_message(name.to_string());
        }
    }
    fn start(&self, papers: u64) {
        if let Some(bar) = &self.0 {
            bar.set_length(papers);
        }
    }
    fn paper_done(&self) {
        if let Some(bar) = &self.0 {
            bar.inc(1);
        }
    }
}
