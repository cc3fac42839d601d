//! Where the time of one PDF goes: worker start-up, pdf-extract, clean-up,
//! parse, against `pdftotext` on the same file; best of N runs each.
//!
//! ```text
//! cargo run --release -p ratsdoc-parse --example pdf_stages -- [--rounds N] FILE.pdf
//! ```
//!
//! "build path" is what `ratsdoc build` does for the file: a fresh
//! extractor (so its worker process starts, as in a build), extract through
//! the pool, clean-up and parse. The stage lines run the same steps in
//! process, one at a time.

use std::path::PathBuf;
use std::process::{Command, ExitCode, Stdio};
use std::time::{Duration, Instant};

use ratsdoc_extract::pdf::protocol::{PageText, Reply};
use ratsdoc_extract::{Extractor, ExtractorConfig, Tools};
use ratsdoc_model::{Source, SourceFormat};

fn best<T>(rounds: usize, mut f: impl FnMut() -> T) -> (Duration, T) {
    let mut best = Duration::MAX;
    let mut out = None;
    for _ in 0..rounds.max(1) {
        let t = Instant::now();
        let v = f();
        best = best.min(t.elapsed());
        out = Some(v);
    }
    match out {
        Some(v) => (best, v),
        None => unreachable!("at least one round"),
    }
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.iter().any(|a| a == "__pdf-worker") {
        return ratsdoc_extract::run_pdf_worker();
    }
    let mut rounds = 3usize;
    let mut file: Option<PathBuf> = None;
    let mut it = args.iter();
    while let Some(a) = it.next() {
        if a == "--rounds" {
            rounds = it.next().and_then(|n| n.parse().ok()).unwrap_or(rounds);
        } else {
            file = Some(a.into());
        }
    }
    let Some(file) = file else {
        eprintln!("usage: pdf_stages [--rounds N] FILE.pdf");
        return ExitCode::FAILURE;
    };
    let bytes = match std::fs::read(&file) {
        Ok(b) => b,
        Err(e) => {
            eprintln!("cannot read {}: {e}", file.display());
            return ExitCode::FAILURE;
        }
    };
    let source = || Source {
        path: file.display().to_string(),
        format: SourceFormat::Pdf,
        hash: String::new(),
        pages: None,
        extractor: None,
        encoding: None,
    };
    let config = || ExtractorConfig {
        worker_exe: std::env::current_exe().ok(),
        worker_args: vec!["__pdf-worker".into()],
        workers: std::thread::available_parallelism().map_or(1, |n| n.get()),
        timeout: Duration::from_secs(60),
        memory_limit: 2 << 30,
    };

    let (build_path, pages) = best(rounds, || {
        let extractor = Extractor::new(config()).with_tools(Tools::none());
        let out = extractor.extract(&file, &bytes, SourceFormat::Pdf);
        let pages = out.as_ref().map_or(0, |x| x.pages.unwrap_or(0));
        if let Ok(x) = out {
            std::hint::black_box(ratsdoc_parse::parse(&x.text, source()));
        }
        pages
    });
    let warm = Extractor::new(config()).with_tools(Tools::none());
    let _ = warm.extract(&file, &bytes, SourceFormat::Pdf);
    let (warm_pool, pooled) = best(rounds, || {
        warm.extract(&file, &bytes, SourceFormat::Pdf)
            .map(|x| x.text)
            .unwrap_or_default()
    });
    let (pdf_extract, raw) = best(rounds, || {
        match ratsdoc_extract::pdf::worker::extract(&bytes) {
            Reply::Pages(p) => p
                .into_iter()
                .map(|p| match p {
                    PageText::Text(t) => t,
                    PageText::Error(_) => String::new(),
                })
                .collect::<Vec<_>>(),
            _ => Vec::new(),
        }
    });
    let (cleanup, text) = best(rounds, || ratsdoc_extract::cleanup::clean_pages(&raw));
    let (parse, _) = best(rounds, || ratsdoc_parse::parse(&text, source()));
    let (pdftotext, ok) = best(rounds, || {
        Command::new("pdftotext")
            .arg("-q")
            .arg(&file)
            .arg("/dev/null")
            .stdout(Stdio::null())
            .status()
            .is_ok_and(|s| s.success())
    });

    let ms = |d: Duration| d.as_secs_f64() * 1e3;
    println!("{} pages, best of {rounds}", pages);
    println!(
        "build path (start + extract + parse): {:8.1} ms",
        ms(build_path)
    );
    println!(
        "warm pool extract (with clean-up):    {:8.1} ms",
        ms(warm_pool)
    );
    println!("  (pool text equals in-process text: {})", pooled == text);
    println!(
        "  pdf-extract in process:             {:8.1} ms",
        ms(pdf_extract)
    );
    println!(
        "  clean-up:                           {:8.1} ms",
        ms(cleanup)
    );
    println!("  parse:                              {:8.1} ms", ms(parse));
    if ok {
        println!(
            "pdftotext:                            {:8.1} ms",
            ms(pdftotext)
        );
        println!(
            "ratio build path / pdftotext:         {:8.2}",
            build_path.as_secs_f64() / pdftotext.as_secs_f64()
        );
    }
    ExitCode::SUCCESS
}
