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

/// Writes one long PDF (at least `min_pages` pages) of consecutive papers,
/// for the per-page comparison with pdftotext that process start-up does
/// not distort. Returns the page count.
pub fn long_pdf(seed: u64, min_pages: u32, path: &Path) -> Result<u32, GenerateError> {
    let font = PdfFont::load(&pdf::default_font_path())?;
    // About 1.3 pages per paper; plan generously and stop when long enough.
    let plan = plan::plan(Params {
        papers: (min_pages as usize * 2).max(10),
        seed,
        pdf_share: 0.0,
    });
    let mut blocks = Vec::new();
    let mut pages = 0;
    for i in 0..plan.papers.len() {
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        rng.set_stream(i as u64 + 1);
        blocks.extend(crate::content::blocks(&plan, i, &mut rng));
        if i % 20 == 19 {
            let (_, n) = pdf::write(&font, &blocks, "Sammelband", "Sammelband", plan::as_of())?;
            pages = n;
            if pages >= min_pages {
                break;
            }
        }
    }
    let (bytes, n) = pdf::write(&font, &blocks, "Sammelband", "Sammelband", plan::as_of())?;
    pages = pages.max(n);
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).map_err(io(dir))?;
    }
    std::fs::write(path, bytes).map_err(io(path))?;
    Ok(pages)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn files(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
        let mut out = Vec::new();
        let mut stack = vec![dir.to_path_buf()];
        while let Some(d) = stack.pop() {
            for e in std::fs::read_dir(&d).into_iter().flatten().flatten() {
                let p = e.path();
                if p.is_dir() {
                    stack.push(p);
                } else {
                    let bytes = std::fs::read(&p).unwrap_or_default();
                    out.push((p.strip_prefix(dir).unwrap_or(&p).to_path_buf(), bytes));
                }
            }
        }
        out.sort();
        out
    }

    fn tmp(name: &str) -> PathBuf {
        let dir =
            std::env::temp_dir().join(format!("ratsdoc-bench-test-{}-{name}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        dir
    }

    /// The promise CI relies on: same seed, same bytes, whatever the
    /// thread scheduling; another seed, another corpus.
    #[test]
    fn same_seed_same_bytes() -> Result<(), GenerateError> {
        let pdf_share = if pdf::default_font_path().exists() {
            0.2
        } else {
            0.0
        };
        let (a, b, c) = (tmp("a"), tmp("b"), tmp("c"));
        let truth = generate(
            Params {
                papers: 300,
                seed: 9,
                pdf_share,
            },
            &a,
        )?;
        generate(
            Params {
                papers: 300,
                seed: 9,
                pdf_share,
            },
            &b,
        )?;
        generate(
            Params {
                papers: 300,
                seed: 10,
                pdf_share,
            },
            &c,
        )?;
        assert_eq!(truth.files.len(), 300);
        assert!(!truth.links.is_empty());
        assert!(
            files(&a) == files(&b),
            "same seed must give identical corpora"
        );
        assert!(
            files(&a) != files(&c),
            "another seed must give another corpus"
        );
        for d in [a, b, c] {
            let _ = std::fs::remove_dir_all(d);
        }
        Ok(())
    }

    /// Truth is consistent: every link joins an existing answer to an
    /// existing motion, answers come after their motions, and every decoy
    /// is absent from the links.
    #[test]
    fn truth_is_consistent() {
        let params = Params {
            papers: 2000,
            seed: 3,
            pdf_share: 0.0,
        };
        let plan = plan::plan(params);
        let truth = plan.truth(params);
        let ids: std::collections::BTreeSet<String> = plan
            .papers
            .iter()
            .filter_map(|p| p.number.map(|n| n.canonical()))
            .collect();
        assert_eq!(
            ids.len(),
            plan.papers.iter().filter(|p| p.number.is_some()).count(),
            "numbers are unique"
        );
        let links: std::collections::BTreeSet<(String, String)> = truth
            .links
            .iter()
            .map(|l| (l.answer.clone(), l.motion.clone()))
            .collect();
        for l in &truth.links {
            assert!(ids.contains(&l.answer) && ids.contains(&l.motion));
        }
        for d in &truth.decoys {
            assert!(
                !links.contains(&(d.id.clone(), d.imitates.clone())),
                "{d:?} is a decoy and a link"
            );
        }
        for m in &truth.motions {
            if let (Some(on), Some(due), Some(status)) = (m.answered_on, m.due, &m.status) {
                assert_eq!(status == "answered_on_time", on <= due, "{m:?}");
            }
        }
    }
}
