//! A real PDF producer for the generated corpus: A4 pages, an embedded and
//! subsetted TrueType font (DejaVu Sans from Debian's `fonts-dejavu-core`),
//! a CID font with Identity-H encoding and a ToUnicode map, Flate-compressed
//! streams, running page headers and footers, and table cells placed in
//! columns — the structure LibreOffice and typst write, built with typst's
//! own `pdf-writer` and `subsetter`.
//!
//! Output is byte-for-byte reproducible: no clocks, no random ids; the
//! document date is the paper's date.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use pdf_writer::types::{CidFontType, FontFlags, SystemInfo, UnicodeCmap};
use pdf_writer::{Content, Date, Filter, Finish, Name, Pdf, Rect, Ref, Str, TextStr};

use crate::doc::Block;

/// Why a PDF could not be written.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum PdfError {
    /// No font file at the path, or it cannot be read.
    #[error(
        "cannot read font {path}: {source} (install Debian's fonts-dejavu-core or set RATSDOC_BENCH_FONT)"
    )]
    FontIo {
        path: PathBuf,
        source: std::io::Error,
    },
    /// The file is not a TrueType font we can use.
    #[error("{0} is not a usable TrueType font")]
    FontParse(PathBuf),
    /// The subsetter refused the font.
    #[error("font subsetting failed: {0}")]
    Subset(String),
}

/// Where Debian puts DejaVu Sans; `RATSDOC_BENCH_FONT` overrides.
pub fn default_font_path() -> PathBuf {
    std::env::var_os("RATSDOC_BENCH_FONT")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"))
}

/// A TrueType font loaded once and shared by all PDFs of a run.
pub struct PdfFont {
    data: Vec<u8>,
    path: PathBuf,
    units_per_em: f32,
    ascender: f32,
    descender: f32,
    cap_height: f32,
    bbox: [f32; 4],
    /// PostScript name, for the subset's BaseFont.
    name: String,
}

impl PdfFont {
    pub fn load(path: &Path) -> Result<PdfFont, PdfError> {
        let data = std::fs::read(path).map_err(|source| PdfError::FontIo {
            path: path.to_path_buf(),
            source,
        })?;
        let face = ttf_parser::Face::parse(&data, 0)
            .map_err(|_| PdfError::FontParse(path.to_path_buf()))?;
        let bb = face.global_bounding_box();
        let name = face
            .names()
            .into_iter()
            .find(|n| n.name_id == ttf_parser::name_id::POST_SCRIPT_NAME)
            .and_then(|n| n.to_string())
            .unwrap_or_else(|| "DejaVuSans".to_string());
        Ok(PdfFont {
            units_per_em: f32::from(face.units_per_em()),
            ascender: f32::from(face.ascender()),
            descender: f32::from(face.descender()),
            cap_height: face
                .capital_height()
                .map(f32::from)
                .unwrap_or(f32::from(face.ascender()) * 0.7),
            bbox: [
                f32::from(bb.x_min),
                f32::from(bb.y_min),
                f32::from(bb.x_max),
                f32::from(bb.y_max),
            ],
            name,
            path: path.to_path_buf(),
            data,
        })
    }

    fn face(&self) -> Result<ttf_parser::Face<'_>, PdfError> {
        ttf_parser::Face::parse(&self.data, 0).map_err(|_| PdfError::FontParse(self.path.clone()))
    }

    fn to_pdf_units(&self, v: f32) -> f32 {
        v * 1000.0 / self.units_per_em
    }
}

const PAGE_W: f32 = 595.28;
const PAGE_H: f32 = 841.89;
const LEFT: f32 = 70.0;
const RIGHT: f32 = 60.0;
const TOP: f32 = 70.0;
const BOTTOM: f32 = 70.0;
const SIZE: f32 = 10.0;
const LEADING: f32 = 13.0;

/// One laid-out line: text pieces at x positions, and the space before it.
struct Line {
    gap: f32,
    pieces: Vec<(f32, String)>,
}

/// Width measurement with a per-document cache.
struct Measure<'f> {
    face: ttf_parser::Face<'f>,
    font: &'f PdfFont,
    cache: BTreeMap<char, (u16, f32)>,
}

impl Measure<'_> {
    /// Glyph id and advance in points at `SIZE`.
    fn glyph(&mut self, c: char) -> (u16, f32) {
        if let Some(g) = self.cache.get(&c) {
            return *g;
        }
        let gid = self
            .face
            .glyph_index(c)
            .or_else(|| self.face.glyph_index('?'))
            .map(|g| g.0)
            .unwrap_or(0);
        let adv = self
            .face
            .glyph_hor_advance(ttf_parser::GlyphId(gid))
            .map(f32::from)
            .unwrap_or(0.0);
        let g = (gid, adv * SIZE / self.font.units_per_em);
        self.cache.insert(c, g);
        g
    }

    fn width(&mut self, s: &str) -> f32 {
        s.chars().map(|c| self.glyph(c).1).sum()
    }

    /// Greedy word wrap to `width` points.
    fn wrap(&mut self, text: &str, width: f32) -> Vec<String> {
        let mut lines = Vec::new();
        let mut line = String::new();
        let space = self.glyph(' ').1;
        let mut w = 0.0;
        for word in text.split_whitespace() {
            let ww = self.width(word);
            if !line.is_empty() && w + space + ww > width {
                lines.push(std::mem::take(&mut line));
                w = 0.0;
            }
            if !line.is_empty() {
                line.push(' ');
                w += space;
            }
            line.push_str(word);
            w += ww;
        }
        if !line.is_empty() {
            lines.push(line);
        }
        lines
    }
}

fn layout(m: &mut Measure<'_>, blocks: &[Block]) -> Vec<Line> {
    let text_w = PAGE_W - LEFT - RIGHT;
    let mut lines = Vec::new();
    let mut gap = 0.0;
    for block in blocks {
        match block {
            Block::Lines(ls) => {
                for l in ls {
                    if l.trim().is_empty() {
                        gap += LEADING / 2.0;
                        continue;
                    }
                    let pieces = l
                        .split('\t')
                        .enumerate()
                        .filter(|(_, s)| !s.trim().is_empty())
                        .map(|(k, s)| (LEFT + k as f32 * 150.0, s.trim().to_string()))
                        .collect();
                    lines.push(Line { gap, pieces });
                    gap = 0.0;
                }
            }
            Block::Label(s) | Block::Heading(_, s) | Block::Para(s) => {
                for l in m.wrap(s, text_w) {
                    lines.push(Line {
                        gap,
                        pieces: vec![(LEFT, l)],
                    });
                    gap = 0.0;
                }
            }
            Block::List(items, numbered) => {
                for (i, item) in items.iter().enumerate() {
                    let mark = if *numbered {
                        format!("{}.", i + 1)
                    } else {
                        "•".to_string()
                    };
                    for (k, l) in m.wrap(item, text_w - 18.0).into_iter().enumerate() {
                        let mut pieces = vec![(LEFT + 18.0, l)];
                        if k == 0 {
                            pieces.insert(0, (LEFT, mark.clone()));
                        }
                        lines.push(Line { gap, pieces });
                        gap = 0.0;
                    }
                }
            }
            Block::Table(rows, _) => {
                let cols = rows.iter().map(Vec::len).max().unwrap_or(1).max(1);
                let first = if cols > 1 { text_w * 0.4 } else { text_w };
                let other = if cols > 1 {
                    (text_w - first) / (cols - 1) as f32
                } else {
                    0.0
                };
                for row in rows {
                    let cells: Vec<(f32, Vec<String>)> = row
                        .iter()
                        .enumerate()
                        .map(|(c, cell)| {
                            let x = if c == 0 {
                                LEFT
                            } else {
                                LEFT + first + (c - 1) as f32 * other
                            };
                            let w = if c == 0 { first } else { other } - 6.0;
                            (x, m.wrap(cell, w.max(20.0)))
                        })
                        .collect();
                    let height = cells.iter().map(|(_, l)| l.len()).max().unwrap_or(0);
                    for k in 0..height {
                        let pieces = cells
                            .iter()
                            .filter_map(|(x, l)| l.get(k).map(|s| (*x, s.clone())))
                            .collect();
                        lines.push(Line { gap, pieces });
                        gap = 0.0;
                    }
                }
            }
        }
        gap += LEADING * 0.6;
    }
    lines
}

/// Writes `blocks` as a PDF; `running` is the right half of the page
/// header ("Beschlussantrag BA-044/2020"). Returns the bytes and the page
/// count.
pub fn write(
    font: &PdfFont,
    blocks: &[Block],
    title: &str,
    running: &str,
    date: chrono::NaiveDate,
) -> Result<(Vec<u8>, u32), PdfError> {
    use chrono::Datelike;
    let mut m = Measure {
        face: font.face()?,
        font,
        cache: BTreeMap::new(),
    };
    let lines = layout(&mut m, blocks);

    // Paginate.
    let mut pages: Vec<Vec<(f32, &Line)>> = vec![Vec::new()];
    let mut y = PAGE_H - TOP;
    for line in &lines {
        let next = y - line.gap - LEADING;
        if next < BOTTOM && pages.last().is_some_and(|p| !p.is_empty()) {
            pages.push(Vec::new());
            y = PAGE_H - TOP - LEADING;
        } else {
            y = next;
        }
        if let Some(page) = pages.last_mut() {
            page.push((y, line));
        }
    }
    let n_pages = pages.len();

    // Running header and footer texts, measured for right alignment.
    let header_left = "Stadt Chemnitz".to_string();
    let footers: Vec<String> = (1..=n_pages)
        .map(|i| format!("Seite {i} von {n_pages}"))
        .collect();

    // Every character drawn, for the subset and the ToUnicode map.
    let mut chars: BTreeSet<char> = BTreeSet::new();
    for line in &lines {
        for (_, s) in &line.pieces {
            chars.extend(s.chars());
        }
    }
    chars.extend(header_left.chars());
    chars.extend(running.chars());
    for f in &footers {
        chars.extend(f.chars());
    }
    let mut remapper = subsetter::GlyphRemapper::new();
    let mut to_new: BTreeMap<char, u16> = BTreeMap::new();
    let mut cmap = UnicodeCmap::new(Name(b"Custom"), system_info());
    let mut mapped: BTreeSet<u16> = BTreeSet::new();
    for &c in &chars {
        let (gid, _) = m.glyph(c);
        let new = remapper.remap(gid);
        to_new.insert(c, new);
        if mapped.insert(new) {
            cmap.pair(new, c);
        }
    }
    let subset = subsetter::subset(&font.data, 0, &remapper)
        .map_err(|e| PdfError::Subset(format!("{e:?}")))?;
    let widths: Vec<f32> = remapper
        .remapped_gids()
        .map(|old| {
            m.face
                .glyph_hor_advance(ttf_parser::GlyphId(old))
                .map(|a| font.to_pdf_units(f32::from(a)))
                .unwrap_or(0.0)
        })
        .collect();

    let encode = |s: &str| -> Vec<u8> {
        s.chars()
            .flat_map(|c| to_new.get(&c).copied().unwrap_or(0).to_be_bytes())
            .collect()
    };

    let mut pdf = Pdf::new();
    let catalog = Ref::new(1);
    let tree = Ref::new(2);
    let type0 = Ref::new(3);
    let cid = Ref::new(4);
    let descriptor = Ref::new(5);
    let file = Ref::new(6);
    let unicode = Ref::new(7);
    let info = Ref::new(8);
    let first_page = 9;
    let page_ids: Vec<Ref> = (0..n_pages)
        .map(|i| Ref::new(first_page + 2 * i as i32))
        .collect();

    pdf.catalog(catalog).pages(tree);
    pdf.pages(tree)
        .kids(page_ids.iter().copied())
        .count(n_pages as i32);
    let font_name = Name(b"F1");
    for (i, page_lines) in pages.iter().enumerate() {
        let content_id = Ref::new(first_page + 2 * i as i32 + 1);
        let mut page = pdf.page(page_ids[i]);
        page.media_box(Rect::new(0.0, 0.0, PAGE_W, PAGE_H));
        page.parent(tree);
        page.contents(content_id);
        page.resources().fonts().pair(font_name, type0);
        page.finish();

        let mut content = Content::new();
        content.begin_text();
        content.set_font(font_name, 8.0);
        content.set_text_matrix([1.0, 0.0, 0.0, 1.0, LEFT, PAGE_H - 40.0]);
        content.show(Str(&encode(&header_left)));
        let rw = m.width(running) * 0.8;
        content.set_text_matrix([1.0, 0.0, 0.0, 1.0, PAGE_W - RIGHT - rw, PAGE_H - 40.0]);
        content.show(Str(&encode(running)));
        content.set_font(font_name, SIZE);
        for (y, line) in page_lines {
            for (x, s) in &line.pieces {
                content.set_text_matrix([1.0, 0.0, 0.0, 1.0, *x, *y]);
                content.show(Str(&encode(s)));
            }
        }
        content.set_font(font_name, 8.0);
        let fw = m.width(&footers[i]) * 0.8;
        content.set_text_matrix([1.0, 0.0, 0.0, 1.0, (PAGE_W - fw) / 2.0, 40.0]);
        content.show(Str(&encode(&footers[i])));
        content.end_text();
        let data = deflate(&content.finish());
        pdf.stream(content_id, &data).filter(Filter::FlateDecode);
    }

    let tag = subset_tag(&chars);
    let base = format!("{tag}+{}", font.name);
    pdf.type0_font(type0)
        .base_font(Name(base.as_bytes()))
        .encoding_predefined(Name(b"Identity-H"))
        .descendant_font(cid)
        .to_unicode(unicode);
    let mut cid_font = pdf.cid_font(cid);
    cid_font
        .subtype(CidFontType::Type2)
        .base_font(Name(base.as_bytes()))
        .system_info(system_info())
        .font_descriptor(descriptor)
        .default_width(0.0)
        .cid_to_gid_map_predefined(Name(b"Identity"));
    cid_font.widths().consecutive(0, widths.iter().copied());
    cid_font.finish();
    let [x0, y0, x1, y1] = font.bbox;
    pdf.font_descriptor(descriptor)
        .name(Name(base.as_bytes()))
        .flags(FontFlags::SYMBOLIC)
        .bbox(Rect::new(
            font.to_pdf_units(x0),
            font.to_pdf_units(y0),
            font.to_pdf_units(x1),
            font.to_pdf_units(y1),
        ))
        .italic_angle(0.0)
        .ascent(font.to_pdf_units(font.ascender))
        .descent(font.to_pdf_units(font.descender))
        .cap_height(font.to_pdf_units(font.cap_height))
        .stem_v(80.0)
        .font_file2(file);
    let compressed = deflate(&subset);
    pdf.stream(file, &compressed)
        .filter(Filter::FlateDecode)
        .pair(Name(b"Length1"), subset.len() as i32);
    let cmap_data = cmap.finish();
    pdf.cmap(unicode, &cmap_data);
    pdf.document_info(info)
        .title(TextStr(title))
        .producer(TextStr("ratsdoc-bench gen-corpus (pdf-writer, subsetter)"))
        .creator(TextStr(
            "Stadt Chemnitz, Ratsinformationssystem (synthetisch)",
        ))
        .creation_date(
            Date::new(date.year().clamp(0, 9999) as u16)
                .month(date.month() as u8)
                .day(date.day() as u8),
        );
    pdf.set_file_id((tag.as_bytes().to_vec(), tag.as_bytes().to_vec()));
    Ok((pdf.finish(), n_pages as u32))
}

fn system_info() -> SystemInfo<'static> {
    SystemInfo {
        registry: Str(b"Adobe"),
        ordering: Str(b"Identity"),
        supplement: 0,
    }
}

fn deflate(data: &[u8]) -> Vec<u8> {
    miniz_oxide::deflate::compress_to_vec_zlib(data, 6)
}

/// Six capital letters derived from the glyph set, as PDF subset names have.
fn subset_tag(chars: &BTreeSet<char>) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for c in chars {
        h ^= u64::from(u32::from(*c));
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    (0..6)
        .map(|i| char::from(b'A' + ((h >> (i * 5)) % 26) as u8))
        .collect()
}
