//! The `ratsdoc` binary: only wiring and presentation. Every decision about
//! council papers lives in the library crates.

use std::process::ExitCode;

use clap::{Parser, Subcommand};

mod cmd;
mod terminal;

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
    /// What changed lately: new papers, new links, newly overdue, due soon (for mail).
    Digest(cmd::digest::DigestArgs),
    /// The web page for researchers and clerks (read-only).
    Serve(cmd::serve::ServeArgs),
    /// Mirror the papers of an OParl endpoint into a folder for `build`.
    Sync(cmd::sync::SyncArgs),
    /// Internal: the isolated PDF extraction worker.
    #[command(name = "__pdf-worker", hide = true)]
    PdfWorker,
}

/// Exit codes of the interface contract.
pub mod exit {
    pub const OK: u8 = 0;
    pub const SOME_FILES_FAILED: u8 = 1;
    pub const FATAL: u8 = 2;
    /// `search`: the query holds nothing to search for (sysexits'
    /// `EX_USAGE`), so a script tells a query to fix from an index to
    /// rebuild (2).
    pub const NOTHING_TO_SEARCH: u8 = 64;
    pub const LOCKED: u8 = 75;
}

/// Many small allocations freed on other threads (rayon workers build what
/// tantivy's indexing threads free): mimalloc keeps the peak RSS of a full
/// build of 100,000 papers at 0.86–0.92 GB where glibc's allocator reached
/// 0.95–0.98 GB on the machine of BENCHMARKS.md.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    no_transparent_huge_pages();
    die_quietly_on_closed_pipe();
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
        Command::Digest(args) => cmd::digest::run(args),
        Command::Serve(args) => cmd::serve::run(args),
        Command::Sync(args) => cmd::sync::run(args),
        Command::PdfWorker => return ratsdoc_extract::run_pdf_worker(),
    };
    match result {
        Ok(code) => code,
        Err(e) => {
            eprintln!("ratsdoc: error: {}", terminal::safe(&format!("{e:#}")));
            ExitCode::from(exit::FATAL)
        }
    }
}

/// Logs go to stderr, filtered by `RATSDOC_LOG` (e.g. `RATSDOC_LOG=info`);
/// by default only warnings, so cron output stays one summary line. Levels
/// are coloured only on a terminal without `NO_COLOR`, so a log file or a
/// cron mail holds no escape codes; every field (file names and reasons
/// from papers among them) is shown through [`terminal::safe`].
fn init_logging() {
    use std::io::IsTerminal;
    let filter = tracing_subscriber::EnvFilter::try_from_env("RATSDOC_LOG")
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("warn"));
    let fields = tracing_subscriber::fmt::format::debug_fn(|w, field, value| {
        let text = format!("{value:?}");
        match field.name() {
            "message" => write!(w, "{}", terminal::safe(&text)),
            name => write!(w, "{name}={}", terminal::safe(&text)),
        }
    });
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_ansi(terminal::colour(std::io::stderr().is_terminal()))
        .fmt_fields(tracing_subscriber::field::MakeExt::delimited(fields, " "))
        .try_init();
}

/// Transparent huge pages off for this process. ratsdoc allocates and
/// frees hundreds of MB in many small pieces; with the kernel's `always`
/// setting each fresh 2 MB region is zeroed (and often compacted) first.
/// On the machine of BENCHMARKS.md, a run with one changed file among
/// 100,000 spent 0.9–1.8 s in the kernel with huge pages and 0.45–0.67 s
/// without (three alternating pairs).
#[cfg(target_os = "linux")]
fn no_transparent_huge_pages() {
    // SAFETY: PR_SET_THP_DISABLE takes plain integer arguments and touches
    // no memory of ours.
    unsafe {
        libc::prctl(libc::PR_SET_THP_DISABLE, 1, 0, 0, 0);
    }
}

#[cfg(not(target_os = "linux"))]
fn no_transparent_huge_pages() {}

/// `ratsdoc show … | head` closes the pipe early; like other Unix tools the
/// process then ends quietly instead of panicking in `println!` (Rust
/// ignores SIGPIPE by default).
fn die_quietly_on_closed_pipe() {
    #[cfg(unix)]
    // SAFETY: resetting a signal's disposition to its default at start-up,
    // before any thread exists, has no preconditions.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
}
