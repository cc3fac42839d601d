//! External programs: poppler's `pdftotext` as the fallback extractor, and
//! `pdftoppm` + `tesseract` (German data) for OCR of scanned papers.
//!
//! All are optional. They are looked up on `PATH` once per [`Extractor`],
//! run on a private temporary copy of the PDF, and bounded by the same
//! wall-clock timeout and address-space limit as the workers (poppler
//! inflates a compression bomb as willingly as pdf-extract does).
//!
//! [`Extractor`]: crate::Extractor

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// Which external programs are available.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Tools {
    /// `pdftotext` (poppler-utils).
    pub pdftotext: Option<PathBuf>,
    /// `pdftoppm` (poppler-utils), renders pages for OCR.
    pub pdftoppm: Option<PathBuf>,
    /// `tesseract`, only set when its German data (`deu`) is installed.
    pub tesseract: Option<PathBuf>,
}

/// How to install what is missing, for error messages.
pub const OCR_HINT: &str =
    "install poppler-utils, tesseract-ocr and tesseract-ocr-deu to enable OCR";

impl Tools {
    /// No external programs: pdf-extract only.
    pub fn none() -> Tools {
        Tools::default()
    }

    /// Looks the programs up on `PATH` (and asks tesseract for `deu`).
    pub fn detect() -> Tools {
        let tesseract = which("tesseract").filter(|t| has_german(t));
        Tools {
            pdftotext: which("pdftotext"),
            pdftoppm: which("pdftoppm"),
            tesseract,
        }
    }

    /// Whether scanned pages can be OCR'd.
    pub fn can_ocr(&self) -> bool {
        self.pdftoppm.is_some() && self.tesseract.is_some()
    }
}

/// The first executable `name` on `PATH`.
pub fn which(name: &str) -> Option<PathBuf> {
    use std::os::unix::fs::PermissionsExt;
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|dir| dir.join(name))
        .find(|p| {
            std::fs::metadata(p).is_ok_and(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
        })
}

fn has_german(tesseract: &Path) -> bool {
    let mut cmd = Command::new(tesseract);
    cmd.arg("--list-langs");
    let limits = Limits {
        timeout: Duration::from_secs(10),
        memory: 0,
    };
    run(cmd, limits).is_ok_and(|out| out.lines().any(|l| l.trim() == "deu"))
}

/// Runs `pdftotext -layout` on `pdf`; returns the text of each page.
///
/// `-layout` keeps a table row on one line (cells apart by runs of spaces,
/// turned into tabs by the caller), where the reading-order mode prints
/// every cell as its own paragraph; on the seed papers the row form is what
/// the parser needs (`Stadtrat  24.06.2020  öffentlich`).
pub fn pdftotext(tool: &Path, pdf: &Path, limits: Limits) -> Result<Vec<String>, String> {
    let mut cmd = Command::new(tool);
    cmd.args(["-layout", "-enc", "UTF-8", "-eol", "unix"])
        .arg(pdf)
        .arg("-");
    let text = run(cmd, limits)?;
    let mut pages: Vec<String> = text.split('\u{000C}').map(layout_to_tabs).collect();
    // pdftotext ends every page with a form feed: drop the empty tail.
    if pages.len() > 1 && pages.last().is_some_and(|p| p.trim().is_empty()) {
        pages.pop();
    }
    Ok(pages)
}

/// `-layout` output uses runs of spaces for column gaps and indentation;
/// make leading space go and inner runs of three or more a tab.
fn layout_to_tabs(page: &str) -> String {
    page.lines()
        .map(|line| {
            let mut out = String::new();
            let mut spaces = 0usize;
            for c in line.trim().chars() {
                if c == ' ' {
                    spaces += 1;
                    continue;
                }
                match spaces {
                    0 => {}
                    1 | 2 => out.push(' '),
                    _ => out.push('\t'),
                }
                spaces = 0;
                out.push(c);
            }
            out
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// Renders every page at 300 dpi and OCRs it with the German model.
pub fn ocr(tools: &Tools, pdf: &Path, dir: &Path, limits: Limits) -> Result<Vec<String>, String> {
    let (Some(pdftoppm), Some(tesseract)) = (&tools.pdftoppm, &tools.tesseract) else {
        return Err(OCR_HINT.into());
    };
    let prefix = dir.join("page");
    let mut cmd = Command::new(pdftoppm);
    cmd.args(["-r", "300", "-gray", "-png"])
        .arg(pdf)
        .arg(&prefix);
    run(cmd, limits)?;
    let mut images: Vec<PathBuf> = std::fs::read_dir(dir)
        .map_err(|e| e.to_string())?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "png"))
        .collect();
    // pdftoppm numbers pages with zero padding to equal width: name order
    // is page order.
    images.sort();
    let mut pages = Vec::with_capacity(images.len());
    for image in images {
        let mut cmd = Command::new(tesseract);
        cmd.arg(&image)
            .arg("stdout")
            .args(["-l", "deu", "--psm", "3"]);
        pages.push(run(cmd, limits)?);
    }
    Ok(pages)
}

/// Bounds for one external program run.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// Wall-clock limit; the program is killed after it.
    pub timeout: Duration,
    /// Address-space limit in bytes; 0 for none.
    pub memory: u64,
}

/// Runs `cmd`, returning its stdout; kills it after the timeout.
fn run(mut cmd: Command, limits: Limits) -> Result<String, String> {
    use std::os::unix::process::CommandExt;
    let timeout = limits.timeout;
    let name = cmd.get_program().to_string_lossy().into_owned();
    if limits.memory > 0 {
        let limit = libc::rlimit {
            rlim_cur: limits.memory as libc::rlim_t,
            rlim_max: limits.memory as libc::rlim_t,
        };
        // SAFETY: the closure runs in the forked child before exec and
        // only calls setrlimit, which is async-signal-safe; it allocates
        // nothing and touches no lock.
        unsafe {
            cmd.pre_exec(move || {
                if libc::setrlimit(libc::RLIMIT_AS, &limit) != 0 {
                    return Err(std::io::Error::last_os_error());
                }
                Ok(())
            });
        }
    }
    let mut child = cmd
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .map_err(|e| format!("{name}: {e}"))?;
    let mut stdout = child
        .stdout
        .take()
        .ok_or_else(|| format!("{name}: no stdout"))?;
    // Read on a thread so a chatty tool never blocks on a full pipe.
    let reader = std::thread::spawn(move || {
        let mut buf = Vec::new();
        let _ = stdout.read_to_end(&mut buf);
        buf
    });
    let deadline = Instant::now() + timeout;
    let status = loop {
        match child.try_wait() {
            Ok(Some(status)) => break status,
            Ok(None) if Instant::now() < deadline => std::thread::sleep(Duration::from_millis(5)),
            Ok(None) => {
                let _ = child.kill();
                let _ = child.wait();
                let _ = reader.join();
                return Err(format!("{name} timed out after {} s", timeout.as_secs()));
            }
            Err(e) => return Err(format!("{name}: {e}")),
        }
    };
    let out = reader
        .join()
        .map_err(|_| format!("{name}: reader failed"))?;
    if !status.success() {
        return Err(format!("{name} failed ({status})"));
    }
    Ok(String::from_utf8_lossy(&out).into_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn layout_columns_become_tabs() {
        assert_eq!(
            layout_to_tabs("   Stadtrat        24.06.2020    öffentlich  \n  der Rat  tagt"),
            "Stadtrat\t24.06.2020\töffentlich\nder Rat tagt"
        );
    }
}
