//! The PDF worker: the child-process side of isolated extraction.
//!
//! pdf-extract panics on some malformed files, loops forever on others, and
//! overflows its stack (aborting the whole process) on a form XObject that
//! draws itself. None of that may touch the ratsdoc run, so pdf-extract runs
//! only here, in a child process the pool can kill. The worker limits its
//! own address space (so a runaway allocation ends in an abort instead of
//! swapping the machine), reads request frames from stdin, extracts each
//! page under `catch_unwind`, and answers with one reply frame per request.
//! It exits when stdin closes or its parent goes away.

use std::fs::File;
use std::io::{self, BufReader, BufWriter};
use std::panic::{self, AssertUnwindSafe};
use std::process::ExitCode;
use std::sync::Mutex;
use std::time::Duration;

use pdf_extract::{Document, MediaBox, Object, ObjectId, OutputDev, OutputError, Transform};

use super::protocol::{
    Failure, PageText, Reply, parse_request, part_range, read_frame, write_frame,
};

/// Environment variable through which the pool passes the address-space
/// limit in bytes (the worker arguments are fixed by the embedding binary).
pub const MEMORY_ENV: &str = "RATSDOC_PDF_WORKER_MEMORY";

/// The message of the last panic, recorded by our panic hook so the reply
/// can carry it (the default hook would print to stderr and say nothing to
/// the parent).
static LAST_PANIC: Mutex<String> = Mutex::new(String::new());

/// Runs the worker loop until stdin closes. See the module docs.
pub fn run() -> ExitCode {
    if let Some(limit) = std::env::var(MEMORY_ENV)
        .ok()
        .and_then(|v| v.parse::<u64>().ok())
        .filter(|&l| l > 0)
    {
        limit_memory(limit);
    }
    no_core_dumps();
    watch_parent();
    panic::set_hook(Box::new(|info| {
        let msg = if let Some(s) = info.payload().downcast_ref::<&str>() {
            (*s).to_owned()
        } else if let Some(s) = info.payload().downcast_ref::<String>() {
            s.clone()
        } else {
            "unknown panic".to_owned()
        };
        // Only the message: source locations mean nothing to a clerk.
        if let Ok(mut last) = LAST_PANIC.lock() {
            *last = msg;
        }
    }));
    let Some(out) = protocol_channel() else {
        return ExitCode::FAILURE;
    };
    let mut out = BufWriter::new(out);
    let mut input = BufReader::new(io::stdin().lock());
    loop {
        let request = match read_frame(&mut input) {
            Ok(Some(r)) => r,
            Ok(None) => return ExitCode::SUCCESS,
            Err(_) => return ExitCode::FAILURE,
        };
        let reply = match parse_request(&request) {
            (Some((part, parts)), pdf) => extract_part(pdf, part, parts),
            (None, pdf) => extract(pdf),
        };
        let Ok(json) = serde_json::to_vec(&reply) else {
            return ExitCode::FAILURE;
        };
        if write_frame(&mut out, &json).is_err() {
            return ExitCode::FAILURE;
        }
    }
}

/// Extracts all pages of one PDF; never panics.
pub fn extract(bytes: &[u8]) -> Reply {
    extract_part(bytes, 0, 1)
}

/// Like [`extract`], but only the pages of share `part` of `parts`
/// ([`part_range`]); the checks of the whole document run all the same, so
/// every share of a broken document fails alike.
pub fn extract_part(bytes: &[u8], part: u32, parts: u32) -> Reply {
    let loaded = panic::catch_unwind(|| Document::load_mem(bytes));
    let mut doc = match loaded {
        Ok(Ok(doc)) => doc,
        Ok(Err(e)) => return classify(&e),
        Err(_) => return failed(Failure::Panic, last_panic()),
    };
    if doc.is_encrypted() {
        // Owner-password-only files open with the empty user password.
        if let Err(e) = doc.decrypt("") {
            return failed(Failure::Encrypted, e.to_string());
        }
    }
    let pages = match panic::catch_unwind(AssertUnwindSafe(|| doc.get_pages())) {
        Ok(p) => p,
        Err(_) => return failed(Failure::Panic, last_panic()),
    };
    if pages.is_empty() {
        return failed(Failure::Damaged, "the document has no pages".into());
    }
    if let Some(id) = pages.values().find(|&&id| parent_cycle(&doc, id)) {
        // pdf-extract follows /Parent for inherited attributes without a
        // cycle check and would spin until the timeout.
        return failed(
            Failure::Damaged,
            format!(
                "page tree /Parent links form a cycle (object {} {})",
                id.0, id.1
            ),
        );
    }
    let share = part_range(pages.len(), part, parts);
    let texts = pages
        .keys()
        .skip(share.start)
        .take(share.len())
        .map(|&number| {
            let result = panic::catch_unwind(AssertUnwindSafe(|| {
                let mut output = LineText::default();
                pdf_extract::output_doc_page(&doc, &mut output, number).map(|()| output.text)
            }));
            match result {
                Ok(Ok(text)) => PageText::Text(text),
                Ok(Err(e)) => PageText::Error(format!("page {number}: {e}")),
                Err(_) => PageText::Error(format!(
                    "pdf-extract panicked on page {number}: {}",
                    last_panic()
                )),
            }
        })
        .collect();
    Reply::Pages(texts)
}

/// Lays characters out as lines, like pdf-extract's own plain-text output,
/// but marks wide horizontal gaps (table columns) with a tab, the form
/// tables have in text exports, so the parser sees one row per line with
/// its cells apart.
#[derive(Default)]
struct LineText {
    text: String,
    /// Position, size and end of the previous character, if any on this page.
    last: Option<(f64, f64, f64)>,
    word_start: bool,
}

impl LineText {
    /// Horizontal gap (in font sizes) above which a gap is a column break.
    const TAB_GAP: f64 = 1.2;
}

impl OutputDev for LineText {
    fn begin_page(
        &mut self,
        _: u32,
        _: &MediaBox,
        _: Option<(f64, f64, f64, f64)>,
    ) -> Result<(), OutputError> {
        self.last = None;
        Ok(())
    }
    fn end_page(&mut self) -> Result<(), OutputError> {
        Ok(())
    }
    fn output_character(
        &mut self,
        trm: &Transform,
        width: f64,
        _: f64,
        font_size: f64,
        c: &str,
    ) -> Result<(), OutputError> {
        let (x, y) = (trm.m31, trm.m32);
        let sx = font_size * (trm.m11 + trm.m21);
        let sy = font_size * (trm.m12 + trm.m22);
        let size = (sx * sy).abs().sqrt().max(0.01);
        // A space the PDF draws itself already separates; justified lines
        // add a positioned gap after it that must not count twice.
        // Likewise a drawn space needs no separator in front of it (word
        // spacing `Tw` widens it without telling us).
        let separated = self.text.ends_with([' ', '\t', '\n']) || c.trim().is_empty();
        if let Some((last_y, last_size, last_end)) = self.last
            && self.word_start
        {
            let dy = (y - last_y).abs();
            let em = size.max(last_size);
            if dy > em * 1.5 || (dy > em * 0.5 && x < last_end) {
                self.text.push('\n');
            } else if separated {
            } else if x > last_end + em * Self::TAB_GAP {
                self.text.push('\t');
            } else if x > last_end + em * 0.1 {
                self.text.push(' ');
            }
        }
        self.text.push_str(c);
        self.word_start = false;
        self.last = Some((y, size, x + width * size));
        Ok(())
    }
    fn begin_word(&mut self) -> Result<(), OutputError> {
        self.word_start = true;
        Ok(())
    }
    fn end_word(&mut self) -> Result<(), OutputError> {
        Ok(())
    }
    fn end_line(&mut self) -> Result<(), OutputError> {
        Ok(())
    }
}

/// Whether following `/Parent` from the page `id` comes back to a node
/// already seen.
fn parent_cycle(doc: &Document, id: ObjectId) -> bool {
    let mut seen = vec![id];
    let mut current = id;
    while let Ok(parent) = doc
        .get_object(current)
        .and_then(Object::as_dict)
        .and_then(|d| d.get(b"Parent"))
        .and_then(Object::as_reference)
    {
        if seen.contains(&parent) || seen.len() > 256 {
            return true;
        }
        seen.push(parent);
        current = parent;
    }
    false
}

/// Maps a load error of lopdf to a failure class.
fn classify(e: &pdf_extract::Error) -> Reply {
    use pdf_extract::Error as E;
    let class = match e {
        E::Decryption(_) | E::InvalidPassword | E::AlreadyEncrypted => Failure::Encrypted,
        E::Parse(_) | E::IO(_) | E::InvalidOffset(_) | E::MissingXrefEntry | E::Xref(_) => {
            Failure::NotPdf
        }
        _ => Failure::Damaged,
    };
    failed(class, e.to_string())
}

fn failed(class: Failure, detail: String) -> Reply {
    Reply::Failed { class, detail }
}

fn last_panic() -> String {
    LAST_PANIC.lock().map(|s| s.clone()).unwrap_or_default()
}

/// Moves the protocol channel off fd 1: duplicates stdout to a fresh fd for
/// replies and points fd 1 at stderr, so that any library which prints to
/// stdout cannot corrupt the frame stream.
fn protocol_channel() -> Option<File> {
    use std::os::fd::FromRawFd;
    // SAFETY: dup/dup2 on the process's own standard descriptors; no Rust
    // object owns fd 1 exclusively (std's Stdout writes to it by number, and
    // after dup2 it writes to stderr, which is what we want). The fd returned
    // by dup is fresh and owned only by the File created here.
    unsafe {
        let fd = libc::dup(libc::STDOUT_FILENO);
        if fd < 0 {
            return None;
        }
        if libc::dup2(libc::STDERR_FILENO, libc::STDOUT_FILENO) < 0 {
            libc::close(fd);
            return None;
        }
        Some(File::from_raw_fd(fd))
    }
}

/// Caps the address space with `setrlimit(RLIMIT_AS)`. An allocation beyond
/// it fails and Rust aborts the worker, which the pool reports as a crash
/// of this one file.
fn limit_memory(bytes: u64) {
    let limit = libc::rlimit {
        rlim_cur: bytes as libc::rlim_t,
        rlim_max: bytes as libc::rlim_t,
    };
    // SAFETY: setrlimit only reads the struct we pass; failure is harmless
    // (the worker then runs without a cap, as before the call).
    unsafe {
        libc::setrlimit(libc::RLIMIT_AS, &limit);
    }
}

/// An aborting worker would otherwise leave a core file of up to the memory
/// limit in the working directory.
fn no_core_dumps() {
    let limit = libc::rlimit {
        rlim_cur: 0,
        rlim_max: 0,
    };
    // SAFETY: as in `limit_memory`.
    unsafe {
        libc::setrlimit(libc::RLIMIT_CORE, &limit);
    }
}

/// Exits when the parent dies (we get re-parented), so a worker stuck in an
/// endless loop never outlives a killed ratsdoc run. Polling instead of
/// `PR_SET_PDEATHSIG`, because that signal fires when the *thread* that
/// spawned us ends, and pools are used from short-lived threads.
fn watch_parent() {
    let parent = std::os::unix::process::parent_id();
    let spawned = std::thread::Builder::new()
        .name("parent-watch".into())
        .stack_size(64 * 1024)
        .spawn(move || {
            loop {
                std::thread::sleep(Duration::from_millis(500));
                if std::os::unix::process::parent_id() != parent {
                    std::process::exit(3);
                }
            }
        });
    // Without the watchdog the worker still ends at stdin EOF.
    drop(spawned);
}

#[cfg(test)]
#[allow(clippy::unwrap_used)] // Tests fail loudly on purpose.
mod tests {
    use super::*;

    #[test]
    fn garbage_is_not_a_pdf() {
        match extract(b"hello world") {
            Reply::Failed { class, .. } => assert_eq!(class, Failure::NotPdf),
            other => panic!("{other:?}"),
        }
    }
}
