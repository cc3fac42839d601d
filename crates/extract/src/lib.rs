//! Turns PDF and text files into clean text. Knows nothing about council papers.
//!
//! Every input format ends in the same shape, [`Extracted`]: NFKC text with
//! `\n` line ends, tabs between table cells, section labels at line starts,
//! and a note of which tool produced it. Text files are decoded with
//! encoding detection ([`decode`]), Markdown loses its markup but keeps its
//! lines ([`markdown`]), and all text goes through the same Unicode clean-up
//! ([`normalize`]).
//!
//! ```
//! use std::path::Path;
//! use std::time::Duration;
//! use ratsdoc_extract::{Extractor, ExtractorConfig};
//! use ratsdoc_model::SourceFormat;
//!
//! let extractor = Extractor::new(ExtractorConfig {
//!     worker_exe: None,
//!     worker_args: vec![],
//!     workers: 1,
//!     timeout: Duration::from_secs(30),
//!     memory_limit: 1 << 30,
//! });
//! let md = "## **Sachverhalt:**\n\nDer Rat tagt.".as_bytes();
//! let out = extractor.extract(Path::new("a.md"), md, SourceFormat::Md).unwrap();
//! assert_eq!(out.text, "Sachverhalt:\n\nDer Rat tagt.");
//! assert_eq!(out.extractor, "markdown");
//! ```
//!
//! PDFs go through [`pdf`]: pdf-extract in a pool of worker processes
//! (timeout, memory limit, crash isolation), `pdftotext` and OCR as
//! fallbacks when installed, then the German clean-up of [`cleanup`]
//! (hyphenation, running headers and footers, wrapped dates).
//!
//! **Architecture Invariant:** this crate returns text or an
//! [`ExtractError`]; it never panics on input and never decides what a paper
//! is.
//!
//! **Architecture Invariant:** pdf-extract runs only inside worker processes
//! ([`run_pdf_worker`]); nothing it does to a process (abort, endless loop,
//! runaway allocation) can reach the caller's process.

pub mod cleanup;
pub mod decode;
pub mod markdown;
pub mod normalize;
pub mod pdf;

use std::path::{Path, PathBuf};
use std::time::Duration;

use ratsdoc_model::SourceFormat;

pub use pdf::tools::Tools;

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
    /// A PDF that opens only with a user password.
    #[error("encrypted — password required")]
    Encrypted,
    /// A PDF whose pages are only images (a scan) and no OCR result; the
    /// advice says how to enable OCR or that it found nothing either.
    #[error("no text layer — probably a scan{advice}")]
    NoTextLayer {
        /// `; install …` or `; OCR found no text either`.
        advice: String,
    },
    /// No PDF structure: another kind of file, or cut off before its end.
    #[error("not a PDF or truncated")]
    NotPdf,
    /// A PDF broken beyond what the extractors handle (the detail says how).
    #[error("damaged PDF ({0})")]
    Damaged(String),
    /// The extractor died on this file: a signal (`signal 6, stack
    /// overflow`) or a panic message.
    #[error("extractor crashed ({0})")]
    Crashed(String),
    /// The extractor needed longer than the configured limit and was killed.
    #[error("timed out after {0} s")]
    Timeout(u64),
    /// PDF extraction cannot run here (no worker program, spawn failed).
    #[error("PDF extraction unavailable ({0})")]
    Unavailable(String),
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
///
/// `Send + Sync`: the PDF worker pool inside is shared by all callers.
pub struct Extractor {
    pdf: pdf::PdfExtractor,
}

impl Extractor {
    /// Creates an extractor. Cheap: PDF workers start on first use, and the
    /// external tools are looked up on first need.
    pub fn new(config: ExtractorConfig) -> Extractor {
        Extractor {
            pdf: pdf::PdfExtractor::new(&config),
        }
    }

    /// Uses exactly these external tools instead of looking them up on
    /// `PATH` (tests pin behaviour with [`Tools::none`]).
    pub fn with_tools(mut self, tools: Tools) -> Extractor {
        self.pdf.set_tools(tools);
        self
    }

    /// The external tools in use (looked up on first call).
    pub fn tools(&self) -> &Tools {
        self.pdf.tools()
    }

    /// How many PDF worker processes were started so far (a crashed or
    /// timed-out worker is replaced by a new one).
    pub fn workers_started(&self) -> usize {
        self.pdf.workers_started()
    }

    /// Extracts the clean text of one file. `path` is used only in messages
    /// and by external tools; the content comes from `bytes`.
    pub fn extract(
        &self,
        _path: &Path,
        bytes: &[u8],
        format: SourceFormat,
    ) -> Result<Extracted, ExtractError> {
        // Content beats the file name: a PDF saved as `.txt` is a PDF.
        if format == SourceFormat::Pdf || bytes.starts_with(b"%PDF-") {
            self.pdf.extract(bytes)
        } else {
            text_file(bytes, format)
        }
    }
}

/// A `.txt` or `.md` file: decode, strip Markdown, normalise.
fn text_file(bytes: &[u8], format: SourceFormat) -> Result<Extracted, ExtractError> {
    let decoded = decode::decode(bytes)?;
    let (raw, extractor) = match format {
        SourceFormat::Md => (markdown::strip(&decoded.text), "markdown"),
        _ => (decoded.text, "text"),
    };
    let text = normalize::normalize(&raw);
    if text.trim().is_empty() {
        return Err(ExtractError::Empty);
    }
    Ok(Extracted {
        text,
        pages: None,
        extractor: extractor.into(),
        encoding: Some(decoded.encoding),
        notes: vec![],
    })
}

/// Entry point of the hidden worker mode (`ratsdoc __pdf-worker`).
pub fn run_pdf_worker() -> std::process::ExitCode {
    pdf::worker::run()
}

#[cfg(test)]
#[allow(clippy::unwrap_used)] // Tests fail loudly on purpose.
mod tests {
    use super::*;

    fn extractor() -> Extractor {
        Extractor::new(ExtractorConfig {
            worker_exe: None,
            worker_args: vec![],
            workers: 1,
            timeout: Duration::from_secs(5),
            memory_limit: 1 << 30,
        })
    }

    fn corpus(name: &str) -> Vec<u8> {
        let path = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../../corpus")
            .join(name);
        std::fs::read(path).unwrap()
    }

    #[test]
    fn extractor_is_shared_across_threads() {
        fn send_sync<T: Send + Sync>() {}
        send_sync::<Extractor>();
    }

    #[test]
    fn seed_markdown_keeps_labels_as_lines() {
        let bytes = corpus("001_510c93239a0bebc6.txt");
        let out = extractor()
            .extract(Path::new("001.md"), &bytes, SourceFormat::Md)
            .unwrap();
        let lines: Vec<&str> = out.text.lines().collect();
        for label in [
            "Einreicher:",
            "Gegenstand:",
            "Sachverhalt:",
            "Unterschrift",
            "Miko Runkel",
        ] {
            assert!(lines.contains(&label), "missing line {label:?}");
        }
        assert!(lines.contains(&"Informationsvorlage Nr. I-051/2020"));
        assert!(lines.contains(&"Stadtrat\t16.12.2020\töffentlich"));
        assert!(lines.contains(&"- Gewalt im öffentlichen Raum"));
        assert!(!out.text.contains("**"));
        assert!(!out.text.contains("\\_"));
        assert!(out.text.contains("unter www.stadt-chemnitz.de, Bereich"));
        assert_eq!(out.extractor, "markdown");
        assert_eq!(out.encoding.as_deref(), Some("utf-8"));
    }

    #[test]
    fn seed_text_passes_through() {
        let bytes = corpus("000_e399952ef18a924d.txt");
        let out = extractor()
            .extract(Path::new("000.txt"), &bytes, SourceFormat::Txt)
            .unwrap();
        assert!(out.text.contains("Beschlussantrag Nr. BA-044/2020"));
        assert!(out.text.contains("Stadtrat\t24.06.2020\töffentlich"));
        assert_eq!(out.extractor, "text");
    }

    #[test]
    fn cp1252_text_file() {
        let bytes = b"Beschlussantrag Nr. BA\x96044/2020\r\nGegenstand: Stra\xdfen f\xfcr \x84alle\x93 \x80 \xe4\xf6\xfc\r\n";
        let out = extractor()
            .extract(Path::new("alt.txt"), bytes, SourceFormat::Txt)
            .unwrap();
        assert_eq!(
            out.text,
            "Beschlussantrag Nr. BA-044/2020\nGegenstand: Straßen für „alle“ € äöü"
        );
        assert_eq!(out.encoding.as_deref(), Some("windows-1252"));
    }

    #[test]
    fn bad_text_files() {
        let e = extractor();
        assert_eq!(
            e.extract(Path::new("e.txt"), b"", SourceFormat::Txt),
            Err(ExtractError::Empty)
        );
        assert_eq!(
            e.extract(Path::new("e.md"), b"\n\n  \n", SourceFormat::Md),
            Err(ExtractError::Empty)
        );
        assert_eq!(
            e.extract(Path::new("b.txt"), b"\0\x01\x02binary\0", SourceFormat::Txt),
            Err(ExtractError::Binary)
        );
        assert_eq!(
            ExtractError::Binary.to_string(),
            "not a text file (binary content)"
        );
        assert_eq!(ExtractError::Empty.to_string(), "empty file");
    }
}
