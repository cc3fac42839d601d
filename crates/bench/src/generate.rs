//! Plan, render and write a corpus with its `truth.json`.
//!
//! Rendering runs on all cores; each paper draws from its own ChaCha stream
//! (`set_stream(index)`), so the output is byte-identical for a seed whatever
//! the thread count or scheduling.

use std::path::{Path, PathBuf};

use rand_chacha::ChaCha8Rng;
use rand_chacha::rand_core::SeedableRng;
use rayon::prelude::*;

use crate::doc;
use crate::pdf::{self, PdfError, PdfFont};
use crate::plan::{self, Format, PaperKind};
use crate::truth::{Truth, TruthFile};

pub use crate::plan::Params;

/// Why a corpus could not be written.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum GenerateError {
    /// Writing a file or creating a directory failed.
    #[error("cannot write {path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    /// The PDF producer failed (usually: no font).
    #[error(transparent)]
    Pdf(#[from] PdfError),
    /// The truth could not be serialised.
    #[error("cannot serialise truth.json: {0}")]
    Json(#[from] serde_json::Error),
}

fn io(path: &Path) -> impl FnOnce(std::io::Error) -> GenerateError + '_ {
    move |source| GenerateError::Io {
        path: path.to_path_buf(),
        source,
    }
}

/// Writes `params.papers` files under `out/<year>/` and `out/truth.json`,
/// and returns the truth.
pub fn generate(params: Params, out: &Path) -> Result<Truth, GenerateError> {
    let plan = plan::plan(params);
    let font = if plan.papers.iter().any(|p| p.format == Format::Pdf) {
        Some(PdfFont::load(&pdf::default_font_path())?)
    } else {
        None
    };
    let mut years: Vec<&str> = plan
        .papers
        .iter()
        .filter_map(|p| p.path.split('/').next())
        .collect();
    years.sort_unstable();
    years.dedup();
    for y in years {
        let dir = out.join(y);
        std::fs::create_dir_all(&dir).map_err(io(&dir))?;
    }
    let files: Vec<TruthFile> = (0..plan.papers.len())
        .into_par_iter()
        .map(|i| {
            let p = &plan.papers[i];
            let mut rng = ChaCha8Rng::seed_from_u64(params.seed);
            rng.set_stream(i as u64 + 1);
            let blocks = crate::content::blocks(&plan, i, &mut rng);
            let (bytes, pages) = match (p.format, &font) {
                (Format::Pdf, Some(font)) => {
                    let running = match p.number {
                        Some(n) => format!("{} {}", p.kind.german(), n.canonical()),
                        None => p.kind.german().to_string(),
                    };
                    let title = if p.title.is_empty() {
                        running.clone()
                    } else {
                        p.title.clone()
                    };
                    let (bytes, pages) = pdf::write(font, &blocks, &title, &running, p.date)?;
                    (bytes, Some(pages))
                }
                (Format::Md, _) => (doc::to_markdown(&blocks).into_bytes(), None),
                _ => (doc::to_text(&blocks).into_bytes(), None),
            };
            let path = out.join(&p.path);
            std::fs::write(&path, &bytes).map_err(io(&path))?;
            Ok(TruthFile {
                path: p.path.clone(),
                id: p.number.map(|n| n.canonical()),
                kind: if p.kind == PaperKind::Press {
                    "other".into()
                } else {
                    p.kind.contract().into()
                },
                format: p.format.ext().into(),
                pages,
                bytes: bytes.len() as u64,
            })
        })
        .collect::<Result<_, GenerateError>>()?;
    let mut truth = plan.truth(params);
    truth.files = files;
    truth.files.sort_by(|a, b| a.path.cmp(&b.path));
    let path = out.join("truth.json");
    let json = serde_json::to_vec_pretty(&truth)?;
    std::fs::write(&path, json).map_err(io(&path))?;
    Ok(truth)
}
