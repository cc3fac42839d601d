//! Throughput of the text path (decode, Markdown, normalise, parse) over a
//! whole corpus, and a digest of the records it gives, so an optimisation
//! can show it is faster and changed nothing.
//!
//! ```text
//! cargo run --release -p ratsdoc-parse --example parse_corpus -- \
//!     [--rounds N] [--slowest N] [--no-digest] [--out DIR] CORPUS
//! ```
//!
//! All `.txt` and `.md` files under CORPUS are read into memory first, so
//! the timed part is only `Extractor::extract` (text files never reach a PDF
//! worker) and `ratsdoc_parse::parse`, on one rayon thread per core. The
//! digest is the blake3 of every record's YAML in path order; `--out` also
//! writes each record's YAML to DIR (same relative path, `.yaml` appended),
//! for a `diff -r` against an earlier run. `--slowest N` lists the N files
//! that took longest in the best round; `--no-digest` leaves out the YAML
//! (for profiles of the timed part alone).

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::{Duration, Instant};

use ratsdoc_extract::{Extractor, ExtractorConfig};
use ratsdoc_model::{Source, SourceFormat};
use rayon::prelude::*;

struct Input {
    rel: String,
    format: SourceFormat,
    bytes: Vec<u8>,
    hash: String,
}

fn files(root: &Path, dir: &Path, out: &mut Vec<Input>) -> std::io::Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let path = entry?.path();
        if path.is_dir() {
            files(root, &path, out)?;
            continue;
        }
        let Some(format) = SourceFormat::from_path(&path) else {
            continue;
        };
        if format == SourceFormat::Pdf {
            continue;
        }
        let bytes = std::fs::read(&path)?;
        let rel = path
            .strip_prefix(root)
            .unwrap_or(&path)
            .to_string_lossy()
            .into_owned();
        let hash = blake3::hash(&bytes).to_hex().to_string();
        out.push(Input {
            rel,
            format,
            bytes,
            hash,
        });
    }
    Ok(())
}

/// The YAML of one file's record, or the extraction error as a line.
fn record_yaml(extractor: &Extractor, input: &Input) -> String {
    match extractor.extract(Path::new(&input.rel), &input.bytes, input.format) {
        Ok(extracted) => {
            let source = Source {
                path: input.rel.clone(),
                format: input.format,
                hash: input.hash.clone(),
                pages: extracted.pages,
                extractor: Some(extracted.extractor.clone()),
                encoding: extracted.encoding.clone(),
            };
            let record = ratsdoc_parse::parse(&extracted.text, source);
            ratsdoc_model::yaml::to_string(&record).unwrap_or_else(|e| format!("error: {e}\n"))
        }
        Err(e) => format!("error: {e}\n"),
    }
}

fn main() -> ExitCode {
    let mut rounds = 3usize;
    let mut out_dir: Option<PathBuf> = None;
    let mut slowest = 0usize;
    let mut digest = true;
    let mut corpus: Option<PathBuf> = None;
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        match a.as_str() {
            "--rounds" => rounds = args.next().and_then(|n| n.parse().ok()).unwrap_or(rounds),
            "--slowest" => slowest = args.next().and_then(|n| n.parse().ok()).unwrap_or(10),
            "--no-digest" => digest = false,
            "--out" => out_dir = args.next().map(PathBuf::from),
            _ => corpus = Some(a.into()),
        }
    }
    let Some(corpus) = corpus else {
        eprintln!(
            "usage: parse_corpus [--rounds N] [--slowest N] [--no-digest] [--out DIR] CORPUS"
        );
        return ExitCode::FAILURE;
    };
    let mut inputs = Vec::new();
    if let Err(e) = files(&corpus, &corpus, &mut inputs) {
        eprintln!("cannot read {}: {e}", corpus.display());
        return ExitCode::FAILURE;
    }
    inputs.sort_by(|a, b| a.rel.cmp(&b.rel));
    let bytes: usize = inputs.iter().map(|i| i.bytes.len()).sum();
    let extractor = Extractor::new(ExtractorConfig {
        worker_exe: None,
        worker_args: vec![],
        workers: 1,
        timeout: Duration::from_secs(30),
        memory_limit: 1 << 30,
    });
    println!(
        "{} files, {:.1} MB, {} threads",
        inputs.len(),
        bytes as f64 / 1e6,
        rayon::current_num_threads()
    );

    // Timed rounds: extract + parse only.
    let mut best = Duration::MAX;
    let mut per_file: Vec<(Duration, usize)> = Vec::new();
    for round in 0..rounds {
        let start = Instant::now();
        let timed: Vec<(Duration, usize)> = inputs
            .par_iter()
            .enumerate()
            .map(|(i, input)| {
                let file_start = Instant::now();
                let text = extractor
                    .extract(Path::new(&input.rel), &input.bytes, input.format)
                    .map(|x| x.text)
                    .unwrap_or_default();
                let source = Source {
                    path: input.rel.clone(),
                    format: input.format,
                    hash: input.hash.clone(),
                    pages: None,
                    extractor: None,
                    encoding: None,
                };
                let record = ratsdoc_parse::parse(&text, source);
                std::hint::black_box(record);
                (file_start.elapsed(), i)
            })
            .collect();
        let took = start.elapsed();
        let records = timed.len();
        if took < best {
            per_file = timed;
        }
        best = best.min(took);
        println!(
            "round {}: {records} records in {:.3} s ({:.0} files/s, {:.1} MB/s)",
            round + 1,
            took.as_secs_f64(),
            inputs.len() as f64 / took.as_secs_f64(),
            bytes as f64 / 1e6 / took.as_secs_f64()
        );
    }
    if rounds > 0 {
        println!(
            "best: {:.3} s ({:.0} files/s, {:.1} MB/s)",
            best.as_secs_f64(),
            inputs.len() as f64 / best.as_secs_f64(),
            bytes as f64 / 1e6 / best.as_secs_f64()
        );
    }

    per_file.sort_unstable_by(|a, b| b.cmp(a));
    for (took, i) in per_file.iter().take(slowest) {
        println!(
            "slow: {:.2} ms {} ({} bytes)",
            took.as_secs_f64() * 1e3,
            inputs[*i].rel,
            inputs[*i].bytes.len()
        );
    }

    // Untimed: the records as YAML, digested (and written).
    if !digest {
        return ExitCode::SUCCESS;
    }
    let yamls: Vec<String> = inputs
        .par_iter()
        .map(|input| record_yaml(&extractor, input))
        .collect();
    let mut hasher = blake3::Hasher::new();
    for (input, yaml) in inputs.iter().zip(&yamls) {
        hasher.update(input.rel.as_bytes());
        hasher.update(b"\0");
        hasher.update(yaml.as_bytes());
        hasher.update(b"\0");
        if let Some(dir) = &out_dir {
            let path = dir.join(format!("{}.yaml", input.rel));
            let written = path
                .parent()
                .map_or(Ok(()), std::fs::create_dir_all)
                .and_then(|()| std::fs::write(&path, yaml));
            if let Err(e) = written {
                eprintln!("cannot write {}: {e}", path.display());
                return ExitCode::FAILURE;
            }
        }
    }
    println!("records digest: {}", hasher.finalize().to_hex());
    ExitCode::SUCCESS
}
