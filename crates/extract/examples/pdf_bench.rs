//! Throughput of ratsdoc's PDF path (worker pool + clean-up) against
//! `pdftotext -layout` on the same files, both on all cores.
//!
//! ```text
//! cargo run --release -p ratsdoc-extract --example pdf_bench -- [--rounds N] FILE.pdf...
//! ```
//!
//! Each round extracts every file once; jobs are spread over one thread per
//! core. Wall time includes starting the workers. The in-process line is
//! pdf-extract without the process boundary, to show the pool's overhead.

use std::path::PathBuf;
use std::process::{Command, ExitCode, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use ratsdoc_extract::{Extractor, ExtractorConfig, Tools};
use ratsdoc_model::SourceFormat;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.iter().any(|a| a == "__pdf-worker") {
        return ratsdoc_extract::run_pdf_worker();
    }
    let mut rounds = 20usize;
    let mut files: Vec<PathBuf> = Vec::new();
    let mut it = args.iter();
    while let Some(a) = it.next() {
        if a == "--rounds" {
            rounds = it.next().and_then(|n| n.parse().ok()).unwrap_or(rounds);
        } else {
            files.push(a.into());
        }
    }
    let inputs: Vec<(PathBuf, Vec<u8>)> = files
        .iter()
        .filter_map(|p| std::fs::read(p).ok().map(|b| (p.clone(), b)))
        .collect();
    if inputs.is_empty() {
        eprintln!("usage: pdf_bench [--rounds N] FILE.pdf...");
        return ExitCode::FAILURE;
    }
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    let jobs = rounds * inputs.len();

    let extractor = Extractor::new(ExtractorConfig {
        worker_exe: std::env::current_exe().ok(),
        worker_args: vec!["__pdf-worker".into()],
        workers: threads,
        timeout: Duration::from_secs(60),
        memory_limit: 2 << 30,
    })
    .with_tools(Tools::none());
    let (pages, ours) = parallel(threads, jobs, |i| {
        let (path, bytes) = &inputs[i % inputs.len()];
        extractor
            .extract(path, bytes, SourceFormat::Pdf)
            .map_or(0, |x| x.pages.unwrap_or(0) as usize)
    });
    let (_, in_process) = parallel(threads, jobs, |i| {
        let (_, bytes) = &inputs[i % inputs.len()];
        match ratsdoc_extract::pdf::worker::extract(bytes) {
            ratsdoc_extract::pdf::protocol::Reply::Pages(p) => p.len(),
            _ => 0,
        }
    });
    let (_, poppler) = parallel(threads, jobs, |i| {
        let (path, _) = &inputs[i % inputs.len()];
        let ok = Command::new("pdftotext")
            .args(["-layout", "-enc", "UTF-8"])
            .arg(path)
            .arg("-")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|s| s.success());
        usize::from(ok)
    });
    let per_page = |d: Duration| d.as_secs_f64() * 1000.0 / pages.max(1) as f64;
    println!(
        "{} files x {rounds} rounds = {pages} pages on {threads} threads",
        inputs.len()
    );
    println!(
        "ratsdoc (workers + clean-up): {:.2} ms/page",
        per_page(ours)
    );
    println!(
        "pdf-extract in-process:        {:.2} ms/page",
        per_page(in_process)
    );
    println!(
        "pdftotext -layout:             {:.2} ms/page",
        per_page(poppler)
    );
    println!(
        "ratio ratsdoc / pdftotext:     {:.2}",
        ours.as_secs_f64() / poppler.as_secs_f64()
    );
    ExitCode::SUCCESS
}

/// Runs `job(0..jobs)` on `threads` threads; returns the sum and wall time.
fn parallel(threads: usize, jobs: usize, job: impl Fn(usize) -> usize + Sync) -> (usize, Duration) {
    let next = AtomicUsize::new(0);
    let total = AtomicUsize::new(0);
    let started = Instant::now();
    std::thread::scope(|s| {
        for _ in 0..threads {
            s.spawn(|| {
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    if i >= jobs {
                        break;
                    }
                    total.fetch_add(job(i), Ordering::Relaxed);
                }
            });
        }
    });
    (total.into_inner(), started.elapsed())
}
