//! Folder and file names from what a server sends. References and file
//! names are free text (`2021/1342/1`, `../../etc`, `62/2007 1. Ergänzung`);
//! only what [`safe`] lets through ever becomes a path component, so nothing
//! can be written outside the sync folder.

use std::collections::HashSet;

/// The longest name [`safe`] returns, in bytes.
const MAX_NAME_BYTES: usize = 100;

/// The metadata file of a paper folder; no downloaded file may take its name.
pub const PAPER_JSON: &str = "oparl-paper.json";

/// Extensions for files whose `fileName` gives none, by `mimeType`.
const EXTENSIONS: &[(&str, &str)] = &[
    ("application/pdf", "pdf"),
    ("text/plain", "txt"),
    ("text/markdown", "md"),
    ("text/html", "html"),
];

fn allowed(c: char) -> bool {
    c.is_ascii_alphanumeric() || "ÄÖÜäöüß._-".contains(c)
}

fn trim(s: &str) -> &str {
    s.trim_matches(|c| c == '_' || c == '.' || c == '-')
}

/// Every character outside `[A-Za-z0-9ÄÖÜäöüß._-]` becomes `_`, runs of
/// `_` collapse, `_`, `.` and `-` are trimmed at both ends, and the result
/// is capped at 100 bytes on a character boundary (and trimmed again, so a
/// cut never leaves a trailing `_`). Never `.`, `..`, or a separator.
pub fn safe(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        let c = if allowed(c) { c } else { '_' };
        if c == '_' && out.ends_with('_') {
            continue;
        }
        out.push(c);
    }
    let mut t = trim(&out);
    if t.len() > MAX_NAME_BYTES {
        let mut end = MAX_NAME_BYTES;
        while !t.is_char_boundary(end) {
            end -= 1;
        }
        t = trim(&t[..end]);
    }
    t.to_string()
}

/// The first 8 hex digits of the blake3 hash of an OParl id: the stable
/// suffix that tells apart papers or files whose names clash.
pub fn short_hash(id: &str) -> String {
    blake3::hash(id.as_bytes()).to_hex()[..8].to_string()
}

/// The folder of a paper seen for the first time: `safe(reference)`, or
/// with `~<hash of id>` when that is empty or already `taken`.
pub fn folder_name(reference: Option<&str>, id: &str, taken: &HashSet<String>) -> String {
    let base = safe(reference.unwrap_or(""));
    if base.is_empty() {
        format!("paper~{}", short_hash(id))
    } else if taken.contains(&base) {
        format!("{base}~{}", short_hash(id))
    } else {
        base
    }
}

/// What names a downloaded file: the OParl File's fields that matter here.
pub struct FileNaming<'a> {
    pub id: &'a str,
    pub file_name: Option<&'a str>,
    pub name: Option<&'a str>,
    pub mime_type: Option<&'a str>,
}

fn extension_for(mime: Option<&str>) -> &'static str {
    let mime = mime.unwrap_or("").split(';').next().unwrap_or("").trim();
    EXTENSIONS
        .iter()
        .find(|(m, _)| m.eq_ignore_ascii_case(mime))
        .map_or("bin", |(_, e)| e)
}

/// Splits `name.ext` at the last dot; a name without one has no extension.
fn split_extension(name: &str) -> (&str, Option<&str>) {
    match name.rfind('.') {
        Some(i) if i > 0 => (&name[..i], Some(&name[i + 1..])),
        _ => (name, None),
    }
}

/// The local name of a file inside its paper folder, unique among `taken`
/// (which it joins). `fileName` keeps its extension; a name from `name` or
/// the id gets one from `mimeType`.
pub fn file_name(f: &FileNaming<'_>, taken: &mut HashSet<String>) -> String {
    let from_file_name = f.file_name.map(safe).filter(|s| !s.is_empty());
    let (stem, ext) = match &from_file_name {
        Some(n) => match split_extension(n) {
            (stem, Some(ext)) => (stem.to_string(), ext.to_string()),
            (stem, None) => (stem.to_string(), extension_for(f.mime_type).to_string()),
        },
        None => {
            let stem = f.name.map(safe).filter(|s| !s.is_empty());
            let stem = stem.unwrap_or_else(|| format!("file~{}", short_hash(f.id)));
            (stem, extension_for(f.mime_type).to_string())
        }
    };
    let mut candidate = format!("{stem}.{ext}");
    if taken.contains(&candidate) || candidate == PAPER_JSON {
        candidate = format!("{stem}~{}.{ext}", short_hash(f.id));
    }
    taken.insert(candidate.clone());
    candidate
}

/// Whitespace as one space: names from OParl 1.0 servers carry newlines.
pub fn normalise(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn safe_follows_the_contract_examples() {
        assert_eq!(safe("2021/1342/1"), "2021_1342_1");
        assert_eq!(safe("62/2007 1. Ergänzung"), "62_2007_1._Ergänzung");
        assert_eq!(safe("../../etc"), "etc");
        assert_eq!(safe(".."), "");
        assert_eq!(safe("a  /\\ b__c"), "a_b_c");
        let long = "ä".repeat(80);
        let s = safe(&long);
        assert!(s.len() <= 100 && s.chars().all(|c| c == 'ä'), "{s}");
    }

    #[test]
    fn clashes_and_empty_references_get_the_id_hash() {
        let mut taken = HashSet::new();
        assert_eq!(folder_name(Some("A 1"), "x", &taken), "A_1");
        taken.insert("A_1".to_string());
        let second = folder_name(Some("A/1"), "y", &taken);
        assert_eq!(second, format!("A_1~{}", short_hash("y")));
        assert_eq!(
            folder_name(None, "z", &taken),
            format!("paper~{}", short_hash("z"))
        );
    }

    #[test]
    fn file_names_keep_or_derive_extensions_and_stay_unique() {
        let mut taken = HashSet::new();
        let f = |id, file_name, name, mime| FileNaming {
            id,
            file_name,
            name,
            mime_type: mime,
        };
        let a = file_name(&f("1", Some("00633328.pdf"), None, None), &mut taken);
        assert_eq!(a, "00633328.pdf");
        let b = file_name(&f("2", Some("00633328.pdf"), None, None), &mut taken);
        assert_eq!(b, format!("00633328~{}.pdf", short_hash("2")));
        let c = file_name(
            &f("3", None, Some("TOP 1.11"), Some("text/plain")),
            &mut taken,
        );
        assert_eq!(c, "TOP_1.11.txt");
        let d = file_name(&f("4", None, None, Some("image/png")), &mut taken);
        assert_eq!(d, format!("file~{}.bin", short_hash("4")));
        let e = file_name(&f("5", Some("oparl-paper.json"), None, None), &mut taken);
        assert_ne!(e, PAPER_JSON);
    }

    #[test]
    fn normalise_joins_lines() {
        assert_eq!(
            normalise(" Ausschuss für\nUmwelt \r\n "),
            "Ausschuss für Umwelt"
        );
    }
}
