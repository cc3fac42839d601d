//! What reaches a terminal. Titles, names, file names and reasons come from
//! papers anyone can write, and a terminal obeys control characters: an
//! `ESC ] 0 ; … BEL` in a title would retitle the clerk's window, an
//! `ESC [ 31 m` recolour it, a right-to-left override reorder what follows.
//! Every printer passes such text through [`safe`] (or [`write_json`]),
//! which shows these characters as visible escapes instead; and colours of
//! our own are used only on a terminal and never under `NO_COLOR`.

use std::borrow::Cow;
use std::io::{self, Write};
use std::ops::RangeInclusive;

/// The characters a terminal may act on instead of showing: C0 controls
/// (newline and tab are kept by [`safe`]), DEL, C1 controls (among them
/// U+009B, a one-character CSI), and the bidirectional embeddings,
/// overrides and isolates, which reorder the rest of a line.
const UNSAFE: &[RangeInclusive<char>] = &[
    '\u{0}'..='\u{1f}',
    '\u{7f}'..='\u{9f}',
    '\u{202a}'..='\u{202e}',
    '\u{2066}'..='\u{2069}',
];

fn is_unsafe(c: char) -> bool {
    c != '\n' && c != '\t' && UNSAFE.iter().any(|r| r.contains(&c))
}

/// `text` as a terminal shows it literally: every [`UNSAFE`] character but
/// newline and tab becomes a visible `\u{1b}`. Borrows when there is none.
pub fn safe(text: &str) -> Cow<'_, str> {
    if !text.chars().any(is_unsafe) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if is_unsafe(c) {
            out.push_str(&format!("\\u{{{:x}}}", u32::from(c)));
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// True when our own colours may be written to a stream: it is a terminal
/// and `NO_COLOR` is not set to a non-empty value (<https://no-color.org>).
pub fn colour(stream_is_terminal: bool) -> bool {
    stream_is_terminal && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
}

/// `value` as JSON on `out`, pretty or on one line. serde_json escapes C0
/// controls already; here the rest of [`UNSAFE`] is written as `\uXXXX`
/// too, so the text means the same to a JSON reader and nothing to a
/// terminal.
pub fn write_json(
    out: &mut impl Write,
    value: &impl serde::Serialize,
    pretty: bool,
) -> io::Result<()> {
    if pretty {
        let formatter = Escaping(serde_json::ser::PrettyFormatter::new());
        value.serialize(&mut serde_json::Serializer::with_formatter(
            &mut *out, formatter,
        ))?;
    } else {
        let formatter = Escaping(serde_json::ser::CompactFormatter);
        value.serialize(&mut serde_json::Serializer::with_formatter(
            &mut *out, formatter,
        ))?;
    }
    writeln!(out)
}

/// A serde_json formatter that writes [`UNSAFE`] characters as `\uXXXX`
/// and otherwise does what the wrapped one does.
struct Escaping<F>(F);

impl<F: serde_json::ser::Formatter> serde_json::ser::Formatter for Escaping<F> {
    fn write_string_fragment<W: ?Sized + Write>(
        &mut self,
        w: &mut W,
        fragment: &str,
    ) -> io::Result<()> {
        let mut rest = fragment;
        while let Some((at, c)) = rest.char_indices().find(|&(_, c)| is_unsafe(c)) {
            self.0.write_string_fragment(w, &rest[..at])?;
            // Every UNSAFE character is in the Basic Multilingual Plane.
            write!(w, "\\u{:04x}", u32::from(c))?;
            rest = &rest[at + c.len_utf8()..];
        }
        self.0.write_string_fragment(w, rest)
    }

    fn begin_array<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.begin_array(w)
    }
    fn end_array<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.end_array(w)
    }
    fn begin_array_value<W: ?Sized + Write>(&mut self, w: &mut W, first: bool) -> io::Result<()> {
        self.0.begin_array_value(w, first)
    }
    fn end_array_value<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.end_array_value(w)
    }
    fn begin_object<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.begin_object(w)
    }
    fn end_object<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.end_object(w)
    }
    fn begin_object_key<W: ?Sized + Write>(&mut self, w: &mut W, first: bool) -> io::Result<()> {
        self.0.begin_object_key(w, first)
    }
    fn begin_object_value<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.begin_object_value(w)
    }
    fn end_object_value<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.end_object_value(w)
    }
}

/// A progress bar in the house style with `template`, or `None` off a
/// terminal (`show` false): `build` and `sync` draw the same bar.
pub fn progress_bar(show: bool, template: &str) -> Option<indicatif::ProgressBar> {
    if !show {
        return None;
    }
    let bar = indicatif::ProgressBar::new(0);
    if let Ok(style) = indicatif::ProgressStyle::with_template(template) {
        bar.set_style(style.progress_chars("=> "));
    }
    Some(bar)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_are_shown_not_obeyed() {
        let title = "A\u{1b}]0;owned\u{7}B\u{1b}[31mC\u{9b}1mD\u{202e}E\rF\u{7f}";
        assert_eq!(
            safe(title),
            "A\\u{1b}]0;owned\\u{7}B\\u{1b}[31mC\\u{9b}1mD\\u{202e}E\\u{d}F\\u{7f}"
        );
    }

    #[test]
    fn plain_german_text_newlines_and_tabs_pass_unchanged() {
        let text = "Straßenbäume in Chemnitz – Bilanz\n\tzweite Zeile „zitiert“ €";
        assert!(matches!(safe(text), Cow::Borrowed(t) if t == text));
    }

    #[test]
    fn json_escapes_what_serde_json_leaves_raw_and_keeps_the_value() {
        let value = serde_json::json!({
            "title": "A\u{1b}[31mB\u{9b}C\u{202e}D\u{7f}ä",
            "list": [1, "x"],
        });
        for pretty in [false, true] {
            let mut out = Vec::new();
            write_json(&mut out, &value, pretty).unwrap_or_else(|e| panic!("{e}"));
            let text = String::from_utf8(out).unwrap_or_else(|e| panic!("{e}"));
            assert!(!text.chars().any(|c| is_unsafe(c) && c != '\n'), "{text:?}");
            assert!(
                text.contains("\\u009b") && text.contains("\\u202e"),
                "{text}"
            );
            let back: serde_json::Value =
                serde_json::from_str(&text).unwrap_or_else(|e| panic!("{e}: {text}"));
            assert_eq!(back, value);
        }
    }

    #[test]
    fn pretty_json_looks_like_serde_jsons_own() {
        let value = serde_json::json!({"a": [1, {"b": "c"}], "d": {}});
        let mut out = Vec::new();
        write_json(&mut out, &value, true).unwrap_or_else(|e| panic!("{e}"));
        let expected = serde_json::to_string_pretty(&value).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(String::from_utf8_lossy(&out), format!("{expected}\n"));
    }
}
