//! Prints the clean text ratsdoc extracts from each file given, through the
//! real worker pool (this example is its own worker, like the ratsdoc
//! binary), followed by the extractor used, the page count and the notes.
//! `--no-tools` disables pdftotext and OCR; `--pdftotext` shows what the
//! pdftotext fallback would give instead (same clean-up).

use std::path::Path;
use std::process::ExitCode;
use std::time::Duration;

use ratsdoc_extract::{Extractor, ExtractorConfig, Tools};
use ratsdoc_model::SourceFormat;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.iter().any(|a| a == "__pdf-worker") {
        return ratsdoc_extract::run_pdf_worker();
    }
    let mut extractor = Extractor::new(ExtractorConfig {
        worker_exe: std::env::current_exe().ok(),
        worker_args: vec!["__pdf-worker".into()],
        workers: 1,
        timeout: Duration::from_secs(30),
        memory_limit: 2 << 30,
    });
    if args.iter().any(|a| a == "--no-tools") {
        extractor = extractor.with_tools(Tools::none());
    }
    let mut status = ExitCode::SUCCESS;
    let pdftotext = args.iter().any(|a| a == "--pdftotext");
    for path in args.iter().filter(|a| !a.starts_with("--")) {
        let path = Path::new(path);
        if pdftotext {
            let Some(tool) = extractor.tools().pdftotext.clone() else {
                eprintln!("pdftotext not installed");
                return ExitCode::FAILURE;
            };
            match ratsdoc_extract::pdf::tools::pdftotext(
                &tool,
                path,
                ratsdoc_extract::pdf::tools::Limits {
                    timeout: Duration::from_secs(30),
                    memory: 2 << 30,
                },
            ) {
                Ok(pages) => println!(
                    "{}\n==== {}: pdftotext",
                    ratsdoc_extract::cleanup::clean_pages(&pages),
                    path.display()
                ),
                Err(e) => println!("==== {}: error: {e}", path.display()),
            }
            continue;
        }
        let format = SourceFormat::from_path(path).unwrap_or(SourceFormat::Txt);
        let result = std::fs::read(path)
            .map_err(|e| e.to_string())
            .and_then(|bytes| {
                extractor
                    .extract(path, &bytes, format)
                    .map_err(|e| e.to_string())
            });
        match result {
            Ok(out) => {
                println!("{}", out.text);
                println!(
                    "==== {}: {} ({:?} pages) {:?}",
                    path.display(),
                    out.extractor,
                    out.pages,
                    out.notes
                );
            }
            Err(e) => {
                println!("==== {}: error: {e}", path.display());
                status = ExitCode::FAILURE;
            }
        }
    }
    status
}
