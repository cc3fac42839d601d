//! Turns PDF and text files into clean text. Knows nothing about council papers.
//!
//! (Stub: being written.)

use std::path::{Path, PathBuf};
use std::time::Duration;

use ratsdoc_model::SourceFormat;

/// Clean text of one file, and how it was obtained.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Extracted {
    /// NFKC-normalised text; Markdown markup removed with its section
    /// structure kept as lines.
    pub text: String,
    /// Page count, for PDFs.
    pub pages: Option<u32>,
    /// Which tool produced the text: `text`, `markdown`, `pdf-extract`,
    /// `pdftotext`, `tesseract`.
    pub extractor: String,
    /// The encoding a text file was decoded from.
    pub encoding: Option<String>,
    /// Things a clerk may want to know (fallback used, OCR applied).
    pub notes: Vec<String>,
}

/// Why a file yielded no text, in words a clerk understands.
#[derive(Debug, thiserror::Error, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum ExtractError {
    /// The file has no bytes, or only white space.
    #[error("empty file")]
    Empty,
    /// Bytes that are no text in any encoding ratsdoc knows.
    #[error("not a text file (binary content)")]
    Binary,
}

/// How PDFs are handled.
#[derive(Debug, Clone)]
pub struct ExtractorConfig {
    /// The program to start as a PDF worker (normally the ratsdoc binary
    /// itself); `None` disables PDF extraction.
    pub worker_exe: Option<PathBuf>,
    /// Arguments that put that program into worker mode.
    pub worker_args: Vec<String>,
    /// Number of worker processes.
    pub workers: usize,
    /// Wall-clock limit per file.
    pub timeout: Duration,
    /// Address-space limit per worker, bytes.
    pub memory_limit: u64,
}

/// Extracts text from files; shared by all threads of a run.
pub struct Extractor {
    _config: ExtractorConfig,
}

impl Extractor {
    pub fn new(config: ExtractorConfig) -> Extractor {
        Extractor { _config: config }
    }

    pub fn extract(
        &self,
        _path: &Path,
        bytes: &[u8],
        _format: SourceFormat,
    ) -> Result<Extracted, ExtractError> {
        if bytes.iter().all(|b| b.is_ascii_whitespace()) {
            return Err(ExtractError::Empty);
        }
        let text = String::from_utf8(bytes.to_vec()).map_err(|_| ExtractError::Binary)?;
        Ok(Extracted {
            text,
            pages: None,
            extractor: "text".into(),
            encoding: Some("utf-8".into()),
            notes: vec![],
        })
    }
}

/// Entry point of the hidden worker mode (`ratsdoc __pdf-worker`).
pub fn run_pdf_worker() -> std::process::ExitCode {
    std::process::ExitCode::FAILURE
}
