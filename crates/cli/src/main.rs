//! The `ratsdoc` binary: only wiring and presentation. Every decision about
//! council papers lives in the library crates.

use std::process::ExitCode;

use clap::{Parser, Subcommand};

mod cmd;

/// ratsdoc — council papers in, clean linked searchable records out.
#[derive(Parser)]
#[command(name = "ratsdoc", version, about, long_about = None)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Ingest, link and index a corpus; incremental on an existing data directory.
    Build(cmd::build::BuildArgs),
    /// Full-text search in German.
    Search(cmd::search::SearchArgs),
    /// Report status of every motion, or of one.
    Status(cmd::status::StatusArgs),
    /// One record with its links.
    Show(cmd::show::ShowArgs),
    /// The web page for researchers and clerks (read-only).
    Serve(cmd::serve::ServeArgs),
    /// Internal: the isolated PDF extraction worker.
    #[command(name = "__pdf-worker", hide = true)]
    PdfWorker,
}

/// Exit codes of the interface contract.
pub mod exit {
    pub const OK: u8 = 0;
    pub const SOME_FILES_FAILED: u8 = 1;
    pub const FATAL: u8 = 2;
    pub const LOCKED: u8 = 75;
}

/// glibc's allocator keeps freed memory in per-thread arenas when rayon
/// workers allocate what tantivy's indexing threads free; mimalloc returns
/// it, which keeps a full build of 100,000 papers well under 1 GiB.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            return if e.use_stderr() {
                ExitCode::from(exit::FATAL)
            } else {
                ExitCode::SUCCESS
            };
        }
    };
    init_logging();
    let result = match cli.command {
        Command::Build(args) => cmd::build::run(args),
        Command::Search(args) => cmd::search::run(args),
        Command::Status(args) => cmd::status::run(args),
        Command::Show(args) => cmd::show::run(args),
        Command::Serve(args) => cmd::serve::run(args),
        Command::PdfWorker => return ratsdoc_extract::run_pdf_worker(),
    };
    match result {
        Ok(code) => code,
        Err(e) => {
            eprintln!("ratsdoc: error: {e:#}");
            ExitCode::from(exit::FATAL)
        }
    }
}

/// Logs go to stderr, filtered by `RATSDOC_LOG` (e.g. `RATSDOC_LOG=info`);
/// by default only warnings, so cron output stays one summary line.
fn init_logging() {
    let filter = tracing_subscriber::EnvFilter::try_from_env("RATSDOC_LOG")
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("warn"));
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .try_init();
}
