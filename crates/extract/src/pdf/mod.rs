//! PDF extraction: isolated pdf-extract workers, external fallbacks, OCR.
//!
//! The order of attempts for one PDF:
//! 1. pdf-extract in a worker process ([`pool`], [`worker`]) — fast, no
//!    external dependency, good reading order;
//! 2. when it fails, crashes, times out, skips pages or finds (nearly) no
//!    text: `pdftotext`, if installed ([`tools`]);
//! 3. when there is still no text: OCR with `pdftoppm` + `tesseract -l deu`,
//!    if installed.
//!
//! The best attempt is cleaned up ([`crate::cleanup`]) and says which tool
//! produced it; when none has text, the error of the first attempt is
//! returned, or "no text layer" for a PDF that opened fine but is only
//! images. Empty text is never returned as success.

pub mod pool;
pub mod protocol;
pub mod tools;
pub mod worker;

use std::io::Write;
use std::sync::OnceLock;

use crate::{ExtractError, Extracted, ExtractorConfig, cleanup};
use pool::{Pool, PoolError, WorkerSpec};
use protocol::{Failure, PageText, Reply};
use tools::Tools;

/// Average letters and digits per page below which a text layer counts as
/// (nearly) empty and the fallbacks are tried.
const SPARSE_PER_PAGE: usize = 20;

/// Size from which a PDF is split across idle workers: about a hundred
/// pages of text, or fewer with embedded fonts and images. Smaller files
/// gain less from a second worker than its share of loading costs.
const SPLIT_BYTES: usize = 256 * 1024;

/// The PDF side of an [`crate::Extractor`].
pub(crate) struct PdfExtractor {
    pool: Option<Pool>,
    limits: tools::Limits,
    tools: OnceLock<Tools>,
}

/// Text of one attempt, page by page.
struct Candidate {
    pages: Vec<String>,
    extractor: &'static str,
    notes: Vec<String>,
}

impl Candidate {
    fn alnum(&self) -> usize {
        self.pages
            .iter()
            .flat_map(|p| p.chars())
            .filter(|c| c.is_alphanumeric())
            .count()
    }

    fn sparse(&self) -> bool {
        self.alnum() < SPARSE_PER_PAGE * self.pages.len().max(1)
    }
}

impl PdfExtractor {
    pub(crate) fn new(config: &ExtractorConfig) -> PdfExtractor {
        let pool = config.worker_exe.as_ref().map(|exe| {
            Pool::new(
                WorkerSpec {
                    exe: exe.clone(),
                    args: config.worker_args.clone(),
                    memory_limit: config.memory_limit,
                },
                config.workers,
                config.timeout,
            )
        });
        PdfExtractor {
            pool,
            limits: tools::Limits {
                timeout: config.timeout,
                memory: config.memory_limit,
            },
            tools: OnceLock::new(),
        }
    }

    pub(crate) fn set_tools(&mut self, tools: Tools) {
        self.tools = OnceLock::from(tools);
    }

    pub(crate) fn tools(&self) -> &Tools {
        self.tools.get_or_init(Tools::detect)
    }

    pub(crate) fn workers_started(&self) -> usize {
        self.pool.as_ref().map_or(0, Pool::started)
    }

    pub(crate) fn extract(&self, bytes: &[u8]) -> Result<Extracted, ExtractError> {
        if bytes.iter().all(u8::is_ascii_whitespace) {
            return Err(ExtractError::Empty);
        }
        if !has_pdf_header(bytes) {
            return Err(ExtractError::NotPdf);
        }
        let primary = self.primary(bytes);
        let primary_error = primary.as_ref().err().cloned();
        match &primary_error {
            Some(ExtractError::Encrypted) => return Err(ExtractError::Encrypted),
            // Cut off before its end: whatever a fallback recovers would be
            // an incomplete paper presented as complete.
            Some(ExtractError::NotPdf) if !has_eof_marker(bytes) => {
                return Err(ExtractError::NotPdf);
            }
            _ => {}
        }
        let page_count = primary.as_ref().ok().map(|c| c.pages.len());
        let mut best = primary.ok();
        let needs_fallback = |best: &Option<Candidate>| match best {
            None => true,
            Some(c) => c.sparse() || c.notes.iter().any(|n| n.contains("could not read")),
        };
        let tools = self.tools();
        let mut notes = Vec::new();
        let mut scratch: Option<tempfile::TempDir> = None;
        if needs_fallback(&best)
            && let Some(pdftotext) = &tools.pdftotext
        {
            let why = reason(&primary_error, best.as_ref());
            match with_file(&mut scratch, bytes)
                .and_then(|(_, pdf)| tools::pdftotext(pdftotext, &pdf, self.limits))
            {
                Ok(pages) => {
                    let candidate = Candidate {
                        pages,
                        extractor: "pdftotext",
                        notes: vec![format!("pdf-extract: {why}; text from pdftotext")],
                    };
                    if best.as_ref().is_none_or(|b| candidate.alnum() > b.alnum()) {
                        best = Some(candidate);
                    }
                }
                Err(e) => notes.push(format!("pdftotext failed: {e}")),
            }
        }
        if best.as_ref().is_none_or(Candidate::sparse) && tools.can_ocr() {
            match with_file(&mut scratch, bytes)
                .and_then(|(dir, pdf)| tools::ocr(tools, &pdf, &dir, self.limits))
            {
                Ok(pages) => {
                    let candidate = Candidate {
                        pages,
                        extractor: "tesseract",
                        notes: vec![
                            "no text layer: text recognised by OCR (tesseract, deu); check it against the original"
                                .into(),
                        ],
                    };
                    if best.as_ref().is_none_or(|b| candidate.alnum() > b.alnum()) {
                        best = Some(candidate);
                    }
                }
                Err(e) => notes.push(format!("OCR failed: {e}")),
            }
        }
        match best {
            Some(c) if c.alnum() > 0 => {
                let text = cleanup::clean_pages(&c.pages);
                let pages = page_count.unwrap_or(c.pages.len());
                let mut all_notes = c.notes;
                all_notes.extend(notes);
                Ok(Extracted {
                    text,
                    pages: u32::try_from(pages).ok(),
                    extractor: c.extractor.into(),
                    encoding: None,
                    notes: all_notes,
                })
            }
            _ => Err(primary_error.unwrap_or_else(|| ExtractError::NoTextLayer {
                advice: if tools.can_ocr() {
                    "; OCR found no text either".into()
                } else {
                    format!("; {}", tools::OCR_HINT)
                },
            })),
        }
    }

    /// The pdf-extract attempt in a worker.
    fn primary(&self, bytes: &[u8]) -> Result<Candidate, ExtractError> {
        let Some(pool) = &self.pool else {
            return Err(ExtractError::Unavailable(
                "no worker program configured".into(),
            ));
        };
        // A long PDF is read by all idle workers at once, each taking a run
        // of its pages (loading the document is a few percent of reading
        // its pages); a typical paper of a few pages goes to one worker.
        let reply = if bytes.len() >= SPLIT_BYTES {
            pool.run_split(bytes, pool.size())
        } else {
            pool.run(bytes)
        };
        match reply {
            Ok(Reply::Pages(pages)) => {
                let failed: Vec<String> = pages
                    .iter()
                    .enumerate()
                    .filter(|(_, p)| matches!(p, PageText::Error(_)))
                    .map(|(i, _)| (i + 1).to_string())
                    .collect();
                let first_error = pages.iter().find_map(|p| match p {
                    PageText::Error(e) => Some(e.clone()),
                    PageText::Text(_) => None,
                });
                let texts: Vec<String> = pages
                    .into_iter()
                    .map(|p| match p {
                        PageText::Text(t) => t,
                        PageText::Error(_) => String::new(),
                    })
                    .collect();
                if failed.len() == texts.len() {
                    let detail = first_error.unwrap_or_default();
                    return Err(if detail.contains("panicked") {
                        ExtractError::Crashed(detail)
                    } else {
                        ExtractError::Damaged(detail)
                    });
                }
                let mut notes = Vec::new();
                if !failed.is_empty() {
                    notes.push(format!(
                        "pdf-extract could not read page(s) {}",
                        failed.join(", ")
                    ));
                }
                Ok(Candidate {
                    pages: texts,
                    extractor: "pdf-extract",
                    notes,
                })
            }
            Ok(Reply::Failed { class, detail }) => Err(match class {
                Failure::Encrypted => ExtractError::Encrypted,
                Failure::NotPdf => ExtractError::NotPdf,
                Failure::Damaged => ExtractError::Damaged(detail),
                Failure::Panic => ExtractError::Crashed(format!("pdf-extract panicked: {detail}")),
            }),
            Err(PoolError::Timeout(d)) => Err(ExtractError::Timeout(d.as_secs())),
            Err(PoolError::Crashed(why)) => Err(ExtractError::Crashed(why)),
            Err(PoolError::Spawn(why)) => Err(ExtractError::Unavailable(why)),
        }
    }
}

/// Why the fallback ran, for the note.
fn reason(error: &Option<ExtractError>, best: Option<&Candidate>) -> String {
    match (error, best) {
        (Some(e), _) => e.to_string(),
        (None, Some(c)) if c.sparse() => "(nearly) no text".into(),
        (None, Some(c)) => c.notes.join("; "),
        (None, None) => "no result".into(),
    }
}

/// The PDF bytes as a file in a private temporary directory, for the
/// external tools (created on first use, removed with the directory).
fn with_file(
    scratch: &mut Option<tempfile::TempDir>,
    bytes: &[u8],
) -> Result<(std::path::PathBuf, std::path::PathBuf), String> {
    if scratch.is_none() {
        let dir = tempfile::Builder::new()
            .prefix("ratsdoc-pdf")
            .tempdir()
            .map_err(|e| e.to_string())?;
        let mut f =
            std::fs::File::create(dir.path().join("input.pdf")).map_err(|e| e.to_string())?;
        f.write_all(bytes).map_err(|e| e.to_string())?;
        *scratch = Some(dir);
    }
    let dir = scratch
        .as_ref()
        .map(|d| d.path().to_path_buf())
        .ok_or("no scratch dir")?;
    let ocr_dir = dir.join("ocr");
    std::fs::create_dir_all(&ocr_dir).map_err(|e| e.to_string())?;
    Ok((ocr_dir, dir.join("input.pdf")))
}

/// `%PDF-` within the first KiB (some producers put junk before it, which
/// readers tolerate).
pub fn has_pdf_header(bytes: &[u8]) -> bool {
    bytes[..bytes.len().min(1024)]
        .windows(5)
        .any(|w| w == b"%PDF-")
}

/// `%%EOF` within the last 64 KiB: the file was written to its end.
fn has_eof_marker(bytes: &[u8]) -> bool {
    bytes[bytes.len().saturating_sub(65536)..]
        .windows(5)
        .any(|w| w == b"%%EOF")
}
