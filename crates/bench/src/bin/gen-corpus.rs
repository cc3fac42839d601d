//! `gen-corpus`: writes a deterministic synthetic corpus of council papers
//! and its `truth.json`. Same arguments, same bytes.
//!
//! ```text
//! cargo run --release -p ratsdoc-bench --bin gen-corpus -- --papers 10000 --seed 1 --pdf-share 0.05 --out /tmp/corpus
//! ```

use std::path::PathBuf;
use std::time::Instant;

use anyhow::Context;
use clap::Parser;
use ratsdoc_bench::generate::{Params, generate};

/// Generate a synthetic corpus of Chemnitz council papers with ground truth.
#[derive(Parser)]
struct Args {
    /// Number of files to write.
    #[arg(long)]
    papers: usize,
    /// Seed of the random streams.
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// Share of papers written as PDF (0.0–1.0).
    #[arg(long, default_value_t = 0.0)]
    pdf_share: f64,
    /// Output directory (papers in one folder per year, plus truth.json).
    #[arg(long)]
    out: PathBuf,
}

fn main() -> anyhow::Result<()> {
    let args = Args::parse();
    anyhow::ensure!(
        (0.0..=1.0).contains(&args.pdf_share),
        "--pdf-share must be within 0.0 and 1.0"
    );
    let t = Instant::now();
    let truth = generate(
        Params {
            papers: args.papers,
            seed: args.seed,
            pdf_share: args.pdf_share,
        },
        &args.out,
    )
    .with_context(|| format!("generating into {}", args.out.display()))?;
    let bytes: u64 = truth.files.iter().map(|f| f.bytes).sum();
    let pdfs = truth.files.iter().filter(|f| f.format == "pdf").count();
    let pages: u32 = truth.files.iter().filter_map(|f| f.pages).sum();
    println!(
        "gen-corpus: {} files ({} PDF, {} pages), {:.1} MB, {} links, {} motions, {} decoys in {:.1} s -> {}",
        truth.files.len(),
        pdfs,
        pages,
        bytes as f64 / 1e6,
        truth.links.len(),
        truth.motions.len(),
        truth.decoys.len(),
        t.elapsed().as_secs_f64(),
        args.out.display()
    );
    Ok(())
}
