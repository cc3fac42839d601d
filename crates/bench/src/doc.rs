//! A paper as layout-neutral blocks, and its two text renderings: the plain
//! text a PDF converter leaves behind (seed `000_…txt`) and the Markdown of
//! an office converter (seed `001_…txt`). The PDF writer lays out the same
//! blocks, so the three formats of one paper say the same thing.

use std::fmt::Write;

/// How a table comes out in plain text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TableStyle {
    /// Cells separated by tabs, a trailing tab (the seed's PDF text).
    Tabs,
    /// Cells padded with spaces to column widths.
    Spaces,
    /// Like `Tabs`, but long first cells wrap onto a continuation line, as
    /// narrow PDF columns do.
    Wrapped,
    /// A Markdown pipe table (Markdown rendering only; plain text uses tabs).
    Pipe,
}

/// One layout block.
#[derive(Debug, Clone)]
pub enum Block {
    /// Lines kept as they are (stamps, headings of a PDF text).
    Lines(Vec<String>),
    /// A section label such as `Einreicher:`.
    Label(String),
    /// A document or section heading; `level` 1 is the paper's kind and number.
    Heading(u8, String),
    /// Running text, wrapped by the renderer.
    Para(String),
    /// Rows of cells.
    Table(Vec<Vec<String>>, TableStyle),
    /// A list; numbered when `true`.
    List(Vec<String>, bool),
}

/// Plain text as a PDF converter writes it: paragraphs on one line each
/// (pdftotext `-raw` style), blank lines between blocks.
pub fn to_text(blocks: &[Block]) -> String {
    let mut out = String::new();
    for block in blocks {
        match block {
            Block::Lines(lines) => {
                for l in lines {
                    out.push_str(l);
                    out.push('\n');
                }
            }
            Block::Label(s) | Block::Para(s) => {
                out.push_str(s);
                out.push('\n');
            }
            Block::Heading(_, s) => {
                out.push_str(s);
                out.push('\n');
            }
            Block::Table(rows, style) => table_text(&mut out, rows, *style),
            Block::List(items, numbered) => {
                for (i, item) in items.iter().enumerate() {
                    if *numbered {
                        let _ = writeln!(out, "{}. {item}", i + 1);
                    } else {
                        let _ = writeln!(out, "- {item}");
                    }
                }
            }
        }
        out.push('\n');
    }
    out
}

fn table_text(out: &mut String, rows: &[Vec<String>], style: TableStyle) {
    match style {
        TableStyle::Tabs | TableStyle::Pipe => {
            for row in rows {
                out.push_str(&row.join("\t"));
                out.push_str("\t\n");
            }
        }
        TableStyle::Spaces => {
            let cols = rows.iter().map(Vec::len).max().unwrap_or(0);
            let widths: Vec<usize> = (0..cols)
                .map(|c| {
                    rows.iter()
                        .filter_map(|r| r.get(c))
                        .map(|s| s.chars().count())
                        .max()
                        .unwrap_or(0)
                })
                .collect();
            for row in rows {
                let mut line = String::new();
                for (c, cell) in row.iter().enumerate() {
                    line.push_str(cell);
                    let pad = widths[c].saturating_sub(cell.chars().count()) + 3;
                    line.extend(std::iter::repeat_n(' ', pad));
                }
                out.push_str(line.trim_end());
                out.push('\n');
            }
        }
        TableStyle::Wrapped => {
            for row in rows {
                let (first, rest) = match row.split_first() {
                    Some((f, r)) => (f.as_str(), r),
                    None => continue,
                };
                let (head, tail) = split_at_width(first, 30);
                out.push_str(head);
                for cell in rest {
                    out.push('\t');
                    out.push_str(cell);
                }
                out.push_str("\t\n");
                if !tail.is_empty() {
                    out.push_str(tail);
                    out.push('\n');
                }
            }
        }
    }
}

/// Splits `s` at the last space before `width` characters (or not at all).
pub fn split_at_width(s: &str, width: usize) -> (&str, &str) {
    if s.chars().count() <= width {
        return (s, "");
    }
    let limit = s
        .char_indices()
        .nth(width)
        .map(|(i, _)| i)
        .unwrap_or(s.len());
    match s[..limit].rfind(' ') {
        Some(at) if at > 0 => (&s[..at], &s[at + 1..]),
        _ => (s, ""),
    }
}

/// Markdown as an office converter writes it: `##` headings, bold labels,
/// tables either as tab lines or as pipe tables.
pub fn to_markdown(blocks: &[Block]) -> String {
    let mut out = String::from("\n\n");
    for block in blocks {
        match block {
            Block::Lines(lines) => {
                for l in lines {
                    let _ = writeln!(out, "{l}  ");
                }
            }
            Block::Label(s) => {
                let _ = writeln!(out, "**{s}**");
            }
            Block::Heading(level, s) => {
                let hashes = "#".repeat(usize::from(*level).clamp(1, 5) + 1);
                if *level == 1 {
                    let _ = writeln!(out, "{hashes} {s}");
                } else {
                    let _ = writeln!(out, "{hashes} **{s}**");
                }
            }
            Block::Para(s) => {
                out.push_str(s);
                out.push('\n');
            }
            Block::Table(rows, TableStyle::Pipe) => {
                for (i, row) in rows.iter().enumerate() {
                    let _ = writeln!(out, "| {} |", row.join(" | "));
                    if i == 0 {
                        let _ = writeln!(out, "|{}", "---|".repeat(row.len()));
                    }
                }
            }
            Block::Table(rows, _) => table_text(&mut out, rows, TableStyle::Tabs),
            Block::List(items, numbered) => {
                for (i, item) in items.iter().enumerate() {
                    if *numbered {
                        let _ = writeln!(out, "{}. {item}", i + 1);
                    } else {
                        let _ = writeln!(out, "- {item}");
                    }
                }
            }
        }
        out.push('\n');
    }
    out
}
