//! `ratsdoc build <CORPUS>... --data <DIR>`: the nightly job.
//!
//! Prints errors of single files as they are known, then one stable summary
//! line (or a JSON summary with `--json`); logs go to stderr. The exit code
//! tells cron everything: 0 all good (skipped files are not failures), 1 some
//! files failed, 2 fatal or refused (nothing changed), 75 locked.

use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use anyhow::Context;
use chrono::NaiveDate;
use indicatif::ProgressBar;
use ratsdoc_extract::ExtractorConfig;
use ratsdoc_model::{Outcome, RunReport};
use ratsdoc_pipeline::{BuildError, BuildOptions, Progress};
use ratsdoc_store::StoreError;

use crate::exit;
use crate::terminal::{self, safe};

#[derive(clap::Args)]
pub struct BuildArgs {
    /// Files and directories to read (PDF, .txt, .md).
    #[arg(required = true, value_name = "CORPUS")]
    pub inputs: Vec<PathBuf>,
    /// The data directory: records, links, report and index.
    #[arg(long, value_name = "DIR")]
    pub data: PathBuf,
    /// Only errors and the summary line.
    #[arg(long, short)]
    pub quiet: bool,
    /// Print the run summary as JSON on stdout.
    #[arg(long)]
    pub json: bool,
    /// Judge report status for the index as of this date (default: today).
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub as_of: Option<NaiveDate>,
    /// Seconds a single PDF may take before it is given up.
    #[arg(long, default_value_t = 60, value_name = "SECONDS")]
    pub pdf_timeout: u64,
    /// Memory limit of a PDF worker process, in MiB.
    #[arg(long, default_value_t = 2048, value_name = "MIB")]
    pub pdf_memory: u64,
    /// Parse every file again, as if the data directory were new: repairs
    /// record files that were damaged or deleted by hand.
    #[arg(long)]
    pub full: bool,
    /// Remove papers even when the corpus looks gone rather than emptied: a
    /// corpus folder that gave papers and now gives none, a folder that
    /// cannot be read, or more than half of last run's paper files at once
    /// (from 10 files on). Without it such a run stops with exit code 2 and
    /// changes nothing.
    #[arg(long)]
    pub allow_mass_removal: bool,
    /// The council whose papers the corpus holds: a built-in profile
    /// (chemnitz, karlsruhe) or a profile file (.toml). Remembered in
    /// <DATA>/config.toml; default: what the config says, else chemnitz.
    #[arg(long, value_name = "NAME")]
    pub council: Option<String>,
}

pub fn run(args: BuildArgs) -> anyhow::Result<ExitCode> {
    let workers = std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(2);
    let worker_exe =
        std::env::current_exe().context("cannot find the ratsdoc binary to start PDF workers")?;
    let council = crate::cmd::council::choose(&args.data, args.council.as_deref())?;
    let council_changed = council.changed.then(|| council.name.clone());
    let opts = BuildOptions {
        inputs: args.inputs.clone(),
        data: args.data.clone(),
        as_of: args
            .as_of
            .unwrap_or_else(|| chrono::Local::now().date_naive()),
        extractor: ExtractorConfig {
            worker_exe: Some(worker_exe),
            worker_args: vec!["__pdf-worker".into()],
            workers,
            timeout: Duration::from_secs(args.pdf_timeout),
            memory_limit: args.pdf_memory * 1024 * 1024,
        },
        // Records read with another council's profile are parsed anew.
        full: args.full || council.changed,
        council: council.profile,
        allow_mass_removal: args.allow_mass_removal,
    };
    let bar = Bar::new(!args.quiet && std::io::stderr().is_terminal());
    let report = match ratsdoc_pipeline::build(&opts, &bar) {
        Ok(report) => report,
        Err(BuildError::Store(StoreError::Locked { dir, holder })) => {
            bar.clear();
            eprintln!(
                "ratsdoc: another build is running on {}: {}",
                safe(&dir.display().to_string()),
                safe(&holder)
            );
            return Ok(ExitCode::from(exit::LOCKED));
        }
        Err(BuildError::Guard(refusal)) => {
            bar.clear();
            eprintln!("ratsdoc: build refused: {refusal}");
            return Ok(ExitCode::from(exit::FATAL));
        }
        Err(e) => {
            bar.clear();
            return Err(e).context(format!("build into {} failed", args.data.display()));
        }
    };
    bar.clear();
    // Remembered only once the records were read with it.
    if let Some(name) = council_changed {
        crate::cmd::council::remember(&args.data, &name)?;
    }
    for file in &report.files {
        if file.outcome == Outcome::Error && file.change != ratsdoc_model::Change::Removed {
            eprintln!(
                "error: {}: {}",
                safe(&file.path),
                safe(file.reason.as_deref().unwrap_or("unknown error"))
            );
        }
    }
    // A repair is news for cron even in a quiet run: something outside
    // ratsdoc changed or broke the data directory.
    for repair in &report.repairs {
        eprintln!("repaired: {}", safe(repair));
    }
    if args.json {
        let summary = serde_json::json!({ "totals": report.totals, "timings": report.timings, "full_rebuild": report.full_rebuild, "repairs": report.repairs, "report": args.data.join("report.json") });
        terminal::write_json(&mut std::io::stdout().lock(), &summary, false)?;
    } else {
        println!("{}", summary_line(&report));
    }
    if !args.quiet && !args.json {
        for note in &report.disagreements {
            eprintln!("note: {}", safe(note));
        }
    }
    Ok(ExitCode::from(if report.totals.errors > 0 {
        exit::SOME_FILES_FAILED
    } else {
        exit::OK
    }))
}

/// The one line cron mails: stable wording, so scripts may grep it.
fn summary_line(r: &RunReport) -> String {
    let t = &r.totals;
    format!(
        "ratsdoc build: {} files: {} papers, {} other, {} errors, {} skipped; {} added, {} changed, {} removed, {} unchanged; {} links; {:.1} s",
        t.files,
        t.records,
        t.other,
        t.errors,
        t.skipped,
        t.added,
        t.changed,
        t.removed,
        t.unchanged,
        t.links,
        r.timings.total_ms as f64 / 1000.0
    )
}

/// A progress bar on a terminal; nothing otherwise.
struct Bar(Option<ProgressBar>);

impl Bar {
    fn new(show: bool) -> Bar {
        let bar = crate::terminal::progress_bar(
            show,
            "{spinner} {msg:>16} [{bar:30}] {pos}/{len} files {elapsed}",
        );
        if let Some(bar) = &bar {
            bar.set_message("reading");
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
    fn start(&self, files: u64) {
        if let Some(bar) = &self.0 {
            bar.set_length(files);
        }
    }
    fn file_done(&self) {
        if let Some(bar) = &self.0 {
            bar.inc(1);
        }
    }
    fn stage(&self, name: &str) {
        if let Some(bar) = &self.0 {
            bar.set_message(name.to_string());
        }
    }
}
