//! PDF extraction end to end: real worker processes, every failure class,
//! the fallbacks, and the seed papers.
//!
//! This is a `harness = false` test binary that is also its own PDF worker:
//! started with `__pdf-worker` it runs [`ratsdoc_extract::run_pdf_worker`],
//! otherwise it runs the cases below, passing its own path as `worker_exe`.
//! That is exactly how the ratsdoc binary wires it, so the tests cover the
//! real process boundary (crashes, SIGKILL on timeout, respawn). Each case
//! runs on its own thread with a time bound; a hung case fails the run
//! instead of hanging CI. Arguments other than flags filter cases by name.

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;
use std::sync::mpsc;
use std::time::{Duration, Instant};

use ratsdoc_extract::{ExtractError, Extracted, Extractor, ExtractorConfig, Tools};
use ratsdoc_model::SourceFormat;

type Case = fn() -> Result<(), String>;

const CASES: &[(&str, Case)] = &[
    (
        "seed_pdfs_read_like_the_text_seed",
        seed_pdfs_read_like_the_text_seed,
    ),
    (
        "pages_split_across_workers_read_like_one",
        pages_split_across_workers_read_like_one,
    ),
    (
        "each_failure_class_gets_exactly_its_error",
        each_failure_class_gets_exactly_its_error,
    ),
    (
        "good_files_still_extract_after_crashes",
        good_files_still_extract_after_crashes,
    ),
    (
        "partial_page_failure_is_noted",
        partial_page_failure_is_noted,
    ),
    (
        "memory_limit_stops_an_inflate_bomb",
        memory_limit_stops_an_inflate_bomb,
    ),
    (
        "hyphen_fixture_keeps_real_hyphens",
        hyphen_fixture_keeps_real_hyphens,
    ),
    (
        "pdftotext_fallback_after_crash",
        pdftotext_fallback_after_crash,
    ),
    ("ocr_of_a_scan", ocr_of_a_scan),
    (
        "without_worker_pdf_is_unavailable",
        without_worker_pdf_is_unavailable,
    ),
    (
        "pdf_content_wins_over_txt_extension",
        pdf_content_wins_over_txt_extension,
    ),
];

/// Upper bound for one case; the slowest (every fixture, one timeout) needs
/// a few seconds.
const CASE_BOUND: Duration = Duration::from_secs(120);

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.iter().any(|a| a == "__pdf-worker") {
        return ratsdoc_extract::run_pdf_worker();
    }
    // Developers and CI machines often export RUST_BACKTRACE; the crash
    // classes below must come out the same with it, so it is always on here.
    // SAFETY: no other thread runs yet.
    unsafe { std::env::set_var("RUST_BACKTRACE", "1") };
    let filters: Vec<&String> = args.iter().filter(|a| !a.starts_with('-')).collect();
    let mut failed = 0;
    let mut ran = 0;
    for (name, case) in CASES {
        if !filters.is_empty() && !filters.iter().any(|f| name.contains(f.as_str())) {
            continue;
        }
        ran += 1;
        let started = Instant::now();
        let (tx, rx) = mpsc::channel();
        let case = *case;
        std::thread::spawn(move || {
            let result = std::panic::catch_unwind(case).unwrap_or_else(|p| {
                Err(p
                    .downcast_ref::<String>()
                    .cloned()
                    .or_else(|| p.downcast_ref::<&str>().map(|s| (*s).to_owned()))
                    .unwrap_or_else(|| "panic".into()))
            });
            let _ = tx.send(result);
        });
        let result = rx
            .recv_timeout(CASE_BOUND)
            .unwrap_or_else(|_| Err(format!("did not end within {CASE_BOUND:?}")));
        match result {
            Ok(()) => println!("test {name} ... ok ({} ms)", started.elapsed().as_millis()),
            Err(e) => {
                failed += 1;
                println!("test {name} ... FAILED\n    {e}");
            }
        }
    }
    println!("\ntest result: {} passed; {failed} failed", ran - failed);
    if failed == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../tests/fixtures/pdf")
        .join(name)
}

fn seed(name: &str) -> PathBuf {
    // The seeds live in corpus/ once copied there; until then in the shared
    // folder of the project.
    let corpus = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../corpus")
        .join(name);
    if corpus.exists() {
        corpus
    } else {
        Path::new("/work/shared/pdf/seeds").join(name)
    }
}

fn extractor(workers: usize, timeout: Duration, tools: Tools) -> Extractor {
    let exe = std::env::current_exe().ok();
    Extractor::new(ExtractorConfig {
        worker_exe: exe,
        worker_args: vec!["__pdf-worker".into()],
        workers,
        timeout,
        memory_limit: 2 << 30,
    })
    .with_tools(tools)
}

fn extract(e: &Extractor, path: &Path) -> Result<Extracted, ExtractError> {
    let bytes = std::fs::read(path).map_err(|err| ExtractError::Unavailable(err.to_string()))?;
    e.extract(path, &bytes, SourceFormat::Pdf)
}

fn check(cond: bool, what: impl std::fmt::Display) -> Result<(), String> {
    if cond { Ok(()) } else { Err(what.to_string()) }
}

/// A PDF read in shares by several workers gives the pages one worker
/// reads, in order — also with more shares than pages (an empty share).
fn pages_split_across_workers_read_like_one() -> Result<(), String> {
    use ratsdoc_extract::pdf::pool::{Pool, WorkerSpec};
    use ratsdoc_extract::pdf::protocol::Reply;
    let spec = WorkerSpec {
        exe: std::env::current_exe().map_err(|e| e.to_string())?,
        args: vec!["__pdf-worker".into()],
        memory_limit: 2 << 30,
    };
    let pool = Pool::new(spec, 3, Duration::from_secs(30));
    for name in ["BA-044-2020_libreoffice.pdf", "I-051-2020_fpdf2-dejavu.pdf"] {
        let bytes = std::fs::read(seed(name)).map_err(|e| format!("{name}: {e}"))?;
        let whole = pool.run(&bytes).map_err(|e| format!("{name}: {e:?}"))?;
        let Reply::Pages(pages) = &whole else {
            return Err(format!("{name}: {whole:?}"));
        };
        check(pages.len() >= 2, format!("{name}: {} pages", pages.len()))?;
        for parts in [2, 3, 5] {
            let split = pool
                .run_split(&bytes, parts)
                .map_err(|e| format!("{name}: {e:?}"))?;
            check(split == whole, format!("{name}: {parts} shares differ"))?;
        }
    }
    check(pool.started() == 3, format!("{} workers", pool.started()))?;
    let broken = std::fs::read(fixture("trunc60_lo_ba000.pdf")).map_err(|e| e.to_string())?;
    check(
        pool.run_split(&broken, 3) == pool.run(&broken),
        "a broken file fails alike in shares",
    )
}

fn seed_pdfs_read_like_the_text_seed() -> Result<(), String> {
    let e = extractor(2, Duration::from_secs(30), Tools::none());
    for name in [
        "BA-044-2020_libreoffice.pdf",
        "BA-044-2020_fpdf2-dejavu.pdf",
    ] {
        let out = extract(&e, &seed(name)).map_err(|err| format!("{name}: {err}"))?;
        let lines: Vec<&str> = out.text.lines().collect();
        for label in [
            "Einreicher:",
            "Gegenstand:",
            "Beschlussvorschlag:",
            "Begründung:",
            "Unterschrift",
        ] {
            check(
                lines.contains(&label),
                format!("{name}: no line {label:?}\n{}", out.text),
            )?;
        }
        check(
            lines.contains(&"Stadtrat\t24.06.2020\töffentlich"),
            format!("{name}: no table row\n{}", out.text),
        )?;
        check(
            lines.iter().any(|l| l.starts_with("Beratungsfolge")),
            format!("{name}: Beratungsfolge"),
        )?;
        check(
            lines.contains(&"Beschlussantrag Nr. BA-044/2020"),
            format!("{name}: number line"),
        )?;
        check(
            lines.contains(&"Fraktionsgemeinschaft, DIE LINKE/Die PARTEI"),
            format!("{name}: submitter line"),
        )?;
        for phrase in [
            "zusammen mit acht",
            "Sächsische Kommunen",
            "im III. Quartal 2020",
            "Auf- und Ausbau",
        ] {
            check(
                out.text.contains(phrase) || out.text.replace('\n', " ").contains(phrase),
                format!("{name}: no {phrase:?}\n{}", out.text),
            )?;
        }
        check(
            !out.text.contains("Seite 1 von 2"),
            format!("{name}: page footer left"),
        )?;
        check(
            !out.text.contains("Stadt Chemnitz\tBeschlussantrag"),
            format!("{name}: page header left"),
        )?;
        check(
            out.extractor == "pdf-extract",
            format!("{name}: extractor {}", out.extractor),
        )?;
        check(
            out.pages == Some(2),
            format!("{name}: pages {:?}", out.pages),
        )?;
    }
    for name in ["I-051-2020_libreoffice.pdf", "I-051-2020_fpdf2-dejavu.pdf"] {
        let out = extract(&e, &seed(name)).map_err(|err| format!("{name}: {err}"))?;
        check(out.text.contains("I-051/2020"), format!("{name}: number"))?;
        check(
            out.text.contains("Sachverhalt:"),
            format!("{name}: Sachverhalt"),
        )?;
        check(
            out.text.contains("BA-002/2019"),
            format!("{name}: reference"),
        )?;
    }
    Ok(())
}

/// What each fixture must give without external tools.
/// Whether one outcome is the expected one.
type Expect = fn(&Result<Extracted, ExtractError>) -> bool;

fn expectations() -> Vec<(&'static str, Expect)> {
    vec![
        ("empty.pdf", |r| r == &Err(ExtractError::Empty)),
        ("random_hdr.pdf", |r| r == &Err(ExtractError::NotPdf)),
        ("trunc60_lo_ba000.pdf", |r| r == &Err(ExtractError::NotPdf)),
        ("enc_aes256_userpw.pdf", |r| {
            r == &Err(ExtractError::Encrypted)
        }),
        ("enc_aes256_owneronly.pdf", |r| {
            r.as_ref().is_ok_and(|x| x.text.contains("BA-"))
        }),
        (
            "image_gs_pdfimage8.pdf",
            |r| matches!(r, Err(ExtractError::NoTextLayer { advice }) if advice.contains("tesseract-ocr-deu")),
        ),
        (
            "crafted_missing_font.pdf",
            |r| matches!(r, Err(ExtractError::Crashed(why)) if why.contains("panic")),
        ),
        (
            "crafted_no_mediabox.pdf",
            |r| matches!(r, Err(ExtractError::Crashed(why)) if why.contains("panic")),
        ),
        (
            "crafted_parent_cycle.pdf",
            |r| matches!(r, Err(ExtractError::Damaged(why)) if why.contains("cycle")),
        ),
        (
            "crafted_selfdraw_xobject.pdf",
            |r| matches!(r, Err(ExtractError::Crashed(why)) if why.starts_with("signal ")),
        ),
        ("crafted_slow.pdf", |r| r == &Err(ExtractError::Timeout(2))),
    ]
}

fn each_failure_class_gets_exactly_its_error() -> Result<(), String> {
    let e = Arc::new(extractor(2, Duration::from_secs(2), Tools::none()));
    // All at once from several threads, as the build driver does.
    let handles: Vec<_> = expectations()
        .into_iter()
        .map(|(name, ok)| {
            let e = Arc::clone(&e);
            std::thread::spawn(move || {
                let r = extract(&e, &fixture(name));
                (name, ok(&r), r)
            })
        })
        .collect();
    let mut errors = Vec::new();
    for h in handles {
        let (name, ok, r) = h.join().map_err(|_| "thread panicked".to_owned())?;
        println!(
            "    {name}: {}",
            r.as_ref()
                .map_or_else(|e| e.to_string(), |x| format!("ok ({})", x.extractor))
        );
        if !ok {
            errors.push(format!("{name}: unexpected {r:?}"));
        }
    }
    check(errors.is_empty(), errors.join("\n    "))
}

fn good_files_still_extract_after_crashes() -> Result<(), String> {
    let e = extractor(1, Duration::from_secs(2), Tools::none());
    let good = seed("BA-044-2020_libreoffice.pdf");
    for bad in [
        "crafted_selfdraw_xobject.pdf",
        "crafted_slow.pdf",
        "crafted_missing_font.pdf",
    ] {
        let r = extract(&e, &fixture(bad));
        check(r.is_err(), format!("{bad} should fail"))?;
        let out = extract(&e, &good).map_err(|err| format!("after {bad}: {err}"))?;
        check(out.text.contains("Einreicher:"), "good file text")?;
    }
    // The crash and the timeout each cost one worker; the panic did not.
    check(
        e.workers_started() == 3,
        format!("workers started: {}", e.workers_started()),
    )
}

fn memory_limit_stops_an_inflate_bomb() -> Result<(), String> {
    let e = Extractor::new(ExtractorConfig {
        worker_exe: std::env::current_exe().ok(),
        worker_args: vec!["__pdf-worker".into()],
        workers: 1,
        timeout: Duration::from_secs(60),
        memory_limit: 256 << 20,
    })
    .with_tools(Tools::none());
    let r = extract(&e, &fixture("crafted_inflate_bomb.pdf"));
    check(
        matches!(&r, Err(ExtractError::Crashed(why)) if why.contains("out of memory")),
        format!("{r:?}"),
    )?;
    // The replacement worker, under the same limit, still reads a paper.
    let out = extract(&e, &seed("BA-044-2020_libreoffice.pdf")).map_err(|err| err.to_string())?;
    check(out.text.contains("Einreicher:"), "good file after the bomb")
}

fn partial_page_failure_is_noted() -> Result<(), String> {
    let e = extractor(1, Duration::from_secs(10), Tools::none());
    let out = extract(&e, &fixture("crafted_page2_broken.pdf")).map_err(|err| err.to_string())?;
    check(out.text.contains("BA-099/2021"), "page 1 text")?;
    check(out.pages == Some(2), format!("pages {:?}", out.pages))?;
    check(
        out.notes
            .iter()
            .any(|n| n.contains("could not read page(s) 2")),
        format!("notes {:?}", out.notes),
    )
}

fn hyphen_fixture_keeps_real_hyphens() -> Result<(), String> {
    let e = extractor(1, Duration::from_secs(10), Tools::none());
    let out = extract(&e, &fixture("crafted_hyphen_lines.pdf")).map_err(|err| err.to_string())?;
    let flat = out.text.replace('\n', " ");
    for want in [
        "Auf- und Ausbau",
        "Sitzungstermine",
        "Vorbereitung",
        "E-Mail-Verteiler",
    ] {
        check(
            flat.contains(want),
            format!("no {want:?} in {:?}", out.text),
        )?;
    }
    Ok(())
}

fn pdftotext_fallback_after_crash() -> Result<(), String> {
    let tools = Tools::detect();
    let Some(pdftotext) = tools.pdftotext.clone() else {
        println!("    skipped: pdftotext not installed (apt-get install poppler-utils)");
        return Ok(());
    };
    let only = Tools {
        pdftotext: Some(pdftotext),
        ..Tools::none()
    };
    let e = extractor(1, Duration::from_secs(5), only);
    let out =
        extract(&e, &fixture("crafted_selfdraw_xobject.pdf")).map_err(|err| err.to_string())?;
    check(
        out.extractor == "pdftotext",
        format!("extractor {}", out.extractor),
    )?;
    check(
        out.text.contains("Beschlussantrag mit Formular"),
        format!("text {:?}", out.text),
    )?;
    check(
        out.notes
            .iter()
            .any(|n| n.contains("crashed") && n.contains("pdftotext")),
        format!("notes {:?}", out.notes),
    )?;
    let out = extract(&e, &fixture("crafted_no_mediabox.pdf")).map_err(|err| err.to_string())?;
    check(
        out.text.contains("Ohne MediaBox"),
        format!("text {:?}", out.text),
    )?;
    // Still an error when pdftotext has nothing either.
    let r = extract(&e, &fixture("crafted_parent_cycle.pdf"));
    check(
        matches!(r, Err(ExtractError::Damaged(_))),
        format!("cycle: {r:?}"),
    )?;
    let r = extract(&e, &fixture("trunc60_lo_ba000.pdf"));
    check(r == Err(ExtractError::NotPdf), format!("truncated: {r:?}"))
}

fn ocr_of_a_scan() -> Result<(), String> {
    let tools = Tools::detect();
    if !tools.can_ocr() {
        println!(
            "    skipped: pdftoppm or tesseract with German data not installed (apt-get install poppler-utils tesseract-ocr tesseract-ocr-deu)"
        );
        return Ok(());
    }
    let e = extractor(1, Duration::from_secs(60), tools);
    let out = extract(&e, &fixture("image_gs_pdfimage8.pdf")).map_err(|err| err.to_string())?;
    check(
        out.extractor == "tesseract",
        format!("extractor {}", out.extractor),
    )?;
    check(
        out.notes.iter().any(|n| n.contains("OCR")),
        format!("notes {:?}", out.notes),
    )?;
    check(
        out.text.chars().filter(|c| c.is_alphabetic()).count() > 50,
        format!("text {:?}", out.text),
    )
}

fn without_worker_pdf_is_unavailable() -> Result<(), String> {
    let e = Extractor::new(ExtractorConfig {
        worker_exe: None,
        worker_args: vec![],
        workers: 1,
        timeout: Duration::from_secs(5),
        memory_limit: 0,
    })
    .with_tools(Tools::none());
    let r = extract(&e, &seed("BA-044-2020_libreoffice.pdf"));
    check(
        matches!(r, Err(ExtractError::Unavailable(_))),
        format!("{r:?}"),
    )?;
    let e = Extractor::new(ExtractorConfig {
        worker_exe: Some("/nonexistent/ratsdoc".into()),
        worker_args: vec![],
        workers: 1,
        timeout: Duration::from_secs(5),
        memory_limit: 0,
    })
    .with_tools(Tools::none());
    let r = extract(&e, &seed("BA-044-2020_libreoffice.pdf"));
    check(
        matches!(r, Err(ExtractError::Unavailable(_))),
        format!("{r:?}"),
    )
}

fn pdf_content_wins_over_txt_extension() -> Result<(), String> {
    let e = extractor(1, Duration::from_secs(10), Tools::none());
    let path = seed("BA-044-2020_libreoffice.pdf");
    let bytes = std::fs::read(&path).map_err(|err| err.to_string())?;
    let out = e
        .extract(Path::new("falsch.txt"), &bytes, SourceFormat::Txt)
        .map_err(|err| err.to_string())?;
    check(
        out.extractor == "pdf-extract",
        format!("extractor {}", out.extractor),
    )
}
