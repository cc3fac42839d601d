//! Text decoding: bytes of a `.txt` or `.md` file to a `String`, with the
//! encoding that was used.
//!
//! Council archives hold UTF-8 (with and without BOM), UTF-16 exports from
//! office suites, and older Windows-1252 / Latin-1 files. Valid UTF-8 is
//! taken as UTF-8; anything else falls back to Windows-1252, which maps every
//! byte, so a real cp1252 file never yields U+FFFD. Binary data (NUL bytes,
//! mostly control characters) is refused rather than decoded into garbage.

use encoding_rs::{Encoding, UTF_8, UTF_16BE, UTF_16LE, WINDOWS_1252};

use crate::ExtractError;

/// A decoded text file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decoded {
    /// The text, BOM removed.
    pub text: String,
    /// The encoding's WHATWG name in lower case (`utf-8`, `utf-16le`,
    /// `windows-1252`).
    pub encoding: String,
}

/// Decodes `bytes` as text, detecting the encoding.
///
/// Errors: [`ExtractError::Empty`] for no bytes or only white space,
/// [`ExtractError::Binary`] for data that is not text.
pub fn decode(bytes: &[u8]) -> Result<Decoded, ExtractError> {
    if bytes.is_empty() {
        return Err(ExtractError::Empty);
    }
    let encoding = sniff(bytes);
    let (text, had_errors) = if encoding == WINDOWS_1252 {
        // Windows-1252 in encoding_rs maps all 256 bytes; no error possible.
        let (cow, _, _) = encoding.decode(bytes);
        (cow.into_owned(), false)
    } else {
        // `decode` strips a BOM of the same encoding.
        let (cow, _, had_errors) = encoding.decode(bytes);
        (cow.into_owned(), had_errors)
    };
    if had_errors || looks_binary(&text) {
        return Err(ExtractError::Binary);
    }
    if text.trim().is_empty() {
        return Err(ExtractError::Empty);
    }
    Ok(Decoded {
        text,
        encoding: encoding.name().to_ascii_lowercase(),
    })
}

/// Picks the encoding: a BOM wins, then BOM-less UTF-16 (recognised by its
/// NUL bytes in every other position), then valid UTF-8, else Windows-1252.
fn sniff(bytes: &[u8]) -> &'static Encoding {
    if let Some((encoding, _)) = Encoding::for_bom(bytes) {
        return encoding;
    }
    if let Some(encoding) = bomless_utf16(bytes) {
        return encoding;
    }
    if std::str::from_utf8(bytes).is_ok() {
        UTF_8
    } else {
        WINDOWS_1252
    }
}

/// UTF-16 without BOM: German text is almost all Latin-1, so one byte of
/// each pair is NUL and the other is not.
fn bomless_utf16(bytes: &[u8]) -> Option<&'static Encoding> {
    if bytes.len() < 4 || !bytes.len().is_multiple_of(2) {
        return None;
    }
    let pairs = bytes.len() / 2;
    let even_nul = bytes.iter().step_by(2).filter(|&&b| b == 0).count();
    let odd_nul = bytes.iter().skip(1).step_by(2).filter(|&&b| b == 0).count();
    // At least 90 % of one side NUL, none on the other.
    if odd_nul * 10 >= pairs * 9 && even_nul == 0 {
        Some(UTF_16LE)
    } else if even_nul * 10 >= pairs * 9 && odd_nul == 0 {
        Some(UTF_16BE)
    } else {
        None
    }
}

/// Binary if it holds a NUL or more than 5 % control characters other than
/// tab, line feed, carriage return and form feed.
fn looks_binary(text: &str) -> bool {
    let mut total = 0usize;
    let mut control = 0usize;
    for c in text.chars() {
        total += 1;
        if c == '\0' {
            return true;
        }
        if c.is_control() && !matches!(c, '\t' | '\n' | '\r' | '\x0c') {
            control += 1;
        }
    }
    control * 20 > total
}

#[cfg(test)]
#[allow(clippy::unwrap_used)] // Tests fail loudly on purpose.
mod tests {
    use super::*;

    /// "Änderung für Straße „Öffentlich" 5 €" with ä ö ü ß in Windows-1252.
    const CP1252: &[u8] = b"\xc4nderung f\xfcr Stra\xdfe \x84\xd6ffentlich\x93 5 \x80, sch\xf6n";

    #[test]
    fn utf8_plain() {
        let d = decode("Grüße".as_bytes()).unwrap();
        assert_eq!(d.text, "Grüße");
        assert_eq!(d.encoding, "utf-8");
    }

    #[test]
    fn utf8_bom_is_stripped() {
        let d = decode(b"\xef\xbb\xbfBeschlussantrag").unwrap();
        assert_eq!(d.text, "Beschlussantrag");
        assert_eq!(d.encoding, "utf-8");
    }

    #[test]
    fn windows_1252_falls_back_without_replacement_characters() {
        let d = decode(CP1252).unwrap();
        assert_eq!(d.text, "Änderung für Straße „Öffentlich“ 5 €, schön");
        assert_eq!(d.encoding, "windows-1252");
        assert!(!d.text.contains('\u{FFFD}'));
    }

    #[test]
    fn latin1_is_read_as_windows_1252() {
        let d = decode(b"Gru\xdf an M\xfcller").unwrap();
        assert_eq!(d.text, "Gruß an Müller");
    }

    #[test]
    fn utf16_with_bom() {
        let mut le = vec![0xff, 0xfe];
        le.extend("Bürger".encode_utf16().flat_map(u16::to_le_bytes));
        let d = decode(&le).unwrap();
        assert_eq!(d.text, "Bürger");
        assert_eq!(d.encoding, "utf-16le");

        let mut be = vec![0xfe, 0xff];
        be.extend("Bürger".encode_utf16().flat_map(u16::to_be_bytes));
        assert_eq!(decode(&be).unwrap().text, "Bürger");
    }

    #[test]
    fn utf16_without_bom() {
        let le: Vec<u8> = "Stadtrat Chemnitz"
            .encode_utf16()
            .flat_map(u16::to_le_bytes)
            .collect();
        let d = decode(&le).unwrap();
        assert_eq!(d.text, "Stadtrat Chemnitz");
        assert_eq!(d.encoding, "utf-16le");
    }

    #[test]
    fn binary_is_refused() {
        assert_eq!(
            decode(b"\x7fELF\x02\x01\x01\0\0\0\0\0\0\0\0\0\x03\0>\0"),
            Err(ExtractError::Binary)
        );
        assert_eq!(decode(b"PK\x03\x04\x14\0\x06\0"), Err(ExtractError::Binary));
        let controls: Vec<u8> = (0..200u8).map(|i| i % 8 + 1).collect();
        assert_eq!(decode(&controls), Err(ExtractError::Binary));
    }

    #[test]
    fn control_share_counts_chars_not_bytes() {
        // 1 control in 20 chars is 5 %: not binary; 2 in 20 is.
        let one = format!("{}\u{1}", "ä".repeat(19));
        assert!(!looks_binary(&one));
        let two = format!("{}\u{1}\u{85}", "ä".repeat(18));
        assert!(looks_binary(&two));
        assert!(looks_binary("Text\0"));
        assert!(!looks_binary("Zeile\r\n\tmit\x0cSeitenwechsel"));
    }

    #[test]
    fn empty_and_whitespace_only() {
        assert_eq!(decode(b""), Err(ExtractError::Empty));
        assert_eq!(decode(b" \n\t\r\n "), Err(ExtractError::Empty));
        assert_eq!(decode(b"\xef\xbb\xbf \n"), Err(ExtractError::Empty));
    }
}
