//! The wire protocol between the pool (parent) and a PDF worker (child).
//!
//! Both directions use frames: a 4-byte little-endian length, then that many
//! bytes. A request frame holds the raw PDF bytes; a reply frame holds one
//! [`Reply`] as JSON. One request, one reply, strictly in turn, so a worker
//! needs no request ids. Frames are binary-safe, so a library that writes to
//! stdout by mistake cannot be confused with a reply (the worker also moves
//! its protocol channel off fd 1, see `worker.rs`).

use std::io::{self, Read, Write};

use serde::{Deserialize, Serialize};

/// Upper bound of a frame, so a garbled length never makes us allocate
/// gigabytes.
pub const MAX_FRAME: usize = 1 << 30;

/// What the worker read out of one PDF.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Reply {
    /// The document opened; one entry per page in page order.
    Pages(Vec<PageText>),
    /// The document could not be opened at all.
    Failed {
        /// What kind of failure.
        class: Failure,
        /// The library's own words, for the report.
        detail: String,
    },
}

/// The text of one page, or why it could not be read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum PageText {
    /// Text as pdf-extract laid it out.
    Text(String),
    /// pdf-extract returned an error or panicked on this page.
    Error(String),
}

/// Classes of whole-document failure inside the worker.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Failure {
    /// Needs a user password.
    Encrypted,
    /// No PDF structure could be parsed (truncated, not a PDF).
    NotPdf,
    /// A PDF, but broken in a way pdf-extract cannot handle.
    Damaged,
    /// pdf-extract panicked while opening the document.
    Panic,
}

/// Writes one frame.
pub fn write_frame(w: &mut impl Write, body: &[u8]) -> io::Result<()> {
    let len = u32::try_from(body.len())
        .ok()
        .filter(|&l| l as usize <= MAX_FRAME)
        .ok_or_else(|| io::Error::new(io::ErrorKind::InvalidInput, "frame too large"))?;
    w.write_all(&len.to_le_bytes())?;
    w.write_all(body)?;
    w.flush()
}

/// Reads one frame; `Ok(None)` at a clean end of stream.
pub fn read_frame(r: &mut impl Read) -> io::Result<Option<Vec<u8>>> {
    let mut len = [0u8; 4];
    match r.read_exact(&mut len) {
        Ok(()) => {}
        Err(e) if e.kind() == io::ErrorKind::UnexpectedEof => return Ok(None),
        Err(e) => return Err(e),
    }
    let len = u32::from_le_bytes(len) as usize;
    if len > MAX_FRAME {
        return Err(io::Error::new(
            io::ErrorKind::InvalidData,
            "frame too large",
        ));
    }
    let mut body = vec![0u8; len];
    r.read_exact(&mut body)?;
    Ok(Some(body))
}

#[cfg(test)]
#[allow(clippy::unwrap_used)] // Tests fail loudly on purpose.
mod tests {
    use super::*;

    #[test]
    fn frames_round_trip() {
        let mut buf = Vec::new();
        write_frame(&mut buf, b"%PDF-1.7").unwrap();
        write_frame(&mut buf, b"").unwrap();
        let mut r = &buf[..];
        assert_eq!(read_frame(&mut r).unwrap().unwrap(), b"%PDF-1.7");
        assert_eq!(read_frame(&mut r).unwrap().unwrap(), b"");
        assert_eq!(read_frame(&mut r).unwrap(), None);
    }

    #[test]
    fn reply_json_round_trip() {
        let reply = Reply::Pages(vec![
            PageText::Text("Seite 1".into()),
            PageText::Error("x".into()),
        ]);
        let json = serde_json::to_vec(&reply).unwrap();
        assert_eq!(serde_json::from_slice::<Reply>(&json).unwrap(), reply);
    }
}
