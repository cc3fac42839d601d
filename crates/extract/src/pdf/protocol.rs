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

/// Starts a request for one share of a document's pages (see
/// [`part_request`]); a plain request starts with the PDF itself (`%PDF`).
const PART_MAGIC: &[u8; 8] = b"RDPART\x00\x01";

/// A request for share `part` (from 0) of `parts` equal runs of the
/// document's pages, so several workers can read one long PDF at once. The
/// reply holds only that run's pages, in order.
pub fn part_request(pdf: &[u8], part: u32, parts: u32) -> Vec<u8> {
    let mut out = Vec::with_capacity(PART_MAGIC.len() + 8 + pdf.len());
    out.extend_from_slice(PART_MAGIC);
    out.extend_from_slice(&part.to_le_bytes());
    out.extend_from_slice(&parts.to_le_bytes());
    out.extend_from_slice(pdf);
    out
}

/// Splits a request frame into its share (`(part, parts)`, `None` for the
/// whole document) and the PDF bytes.
pub fn parse_request(frame: &[u8]) -> (Option<(u32, u32)>, &[u8]) {
    let Some(rest) = frame.strip_prefix(PART_MAGIC.as_slice()) else {
        return (None, frame);
    };
    match (rest.get(0..4), rest.get(4..8), rest.get(8..)) {
        (Some(part), Some(parts), Some(pdf)) => {
            let num = |b: &[u8]| u32::from_le_bytes([b[0], b[1], b[2], b[3]]);
            let (part, parts) = (num(part), num(parts));
            if parts == 0 || part >= parts {
                return (None, frame);
            }
            (Some((part, parts)), pdf)
        }
        _ => (None, frame),
    }
}

/// The pages of share `part` of `parts` among `pages` pages: equal runs in
/// page order, together covering every page once.
pub fn part_range(pages: usize, part: u32, parts: u32) -> std::ops::Range<usize> {
    let (part, parts) = (part as usize, parts.max(1) as usize);
    pages * part / parts..pages * (part + 1) / parts
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
    fn part_requests_round_trip() {
        let req = part_request(b"%PDF-1.7 x", 1, 3);
        assert_eq!(parse_request(&req), (Some((1, 3)), &b"%PDF-1.7 x"[..]));
        assert_eq!(parse_request(b"%PDF-1.7 x"), (None, &b"%PDF-1.7 x"[..]));
        // A nonsensical share is read as a whole-document request.
        let bad = part_request(b"%PDF", 3, 3);
        assert_eq!(parse_request(&bad).0, None);
    }

    #[test]
    fn part_ranges_cover_every_page_once() {
        for pages in [0, 1, 2, 5, 130] {
            for parts in 1..=4u32 {
                let covered: Vec<usize> = (0..parts)
                    .flat_map(|k| part_range(pages, k, parts))
                    .collect();
                assert_eq!(covered, (0..pages).collect::<Vec<_>>());
            }
        }
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
