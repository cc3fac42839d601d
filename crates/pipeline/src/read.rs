//! Stage 3: looking at each input as the plan says, and turning the ones
//! that changed into records (extract, then parse).

use std::collections::BTreeSet;
use std::path::Path;

use ratsdoc_extract::Extractor;
use ratsdoc_model::{Change, Kind, Outcome, Record, Source, SourceFormat};
use ratsdoc_parse::Profile;
use ratsdoc_store::manifest::{FileEntry, Hash, Manifest};
use rayon::prelude::*;

use crate::BuildError;
use crate::plan::Look;
use crate::scan::{self, Input, Seen};
use crate::write::Written;

/// The result of reading one input file in this run.
pub(crate) struct Read {
    pub display: String,
    pub entry: FileEntry,
    pub change: Change,
    /// The records the file yielded when it was (re-)parsed, still to be
    /// merged and written: one per paper (a listing page lists several).
    pub records: Vec<Record>,
    /// Records already written (and indexed unless they are motions) while
    /// the other files were still being parsed.
    pub written: Vec<Result<Written, BuildError>>,
}

impl Read {
    /// The papers of this file that are neither parsed nor written in this
    /// run but must be made again (`affected`): the file is parsed again
    /// for them.
    fn missing(&self, affected: &BTreeSet<String>) -> Vec<String> {
        if self.entry.outcome == Outcome::Error {
            return Vec::new();
        }
        let have = |id: &String| {
            self.records.iter().any(|r| &r.id == id)
                || self
                    .written
                    .iter()
                    .any(|w| w.as_ref().is_ok_and(|w| &w.id == id))
        };
        self.entry
            .ids
            .iter()
            .filter(|id| affected.contains(*id) && !have(id))
            .cloned()
            .collect()
    }
}

/// Looks at one input as planned: a kept file is answered from the
/// manifest without reading, a file with the same hash without parsing.
pub(crate) fn read_input(
    input: &Input,
    look: Look,
    old: &Manifest,
    extractor: &Extractor,
    council: &Profile,
) -> Read {
    let (path, display, format, seen) = match input {
        Input::File {
            path,
            display,
            format,
            seen,
        } => (path, display, *format, *seen),
        Input::Unreadable { display, reason } => {
            return error_read(display, reason.clone(), old);
        }
        // Skipped files are remembered with their reason, never read.
        Input::Skipped { display, reason } => {
            return unread(display, Outcome::Skipped, reason.to_string(), old);
        }
    };
    let prev = old.files.get(display);
    if look == Look::Keep
        && let Some(prev) = prev
    {
        return unchanged(display, prev.clone());
    }
    let Seen { size, mtime_ns } = match seen {
        Some(seen) => seen,
        None => match std::fs::metadata(path) {
            Ok(m) => Seen::of(&m),
            Err(e) => return error_read(display, format!("cannot read: {e}"), old),
        },
    };
    let (bytes, hash) = match load(path, format) {
        Ok(loaded) => loaded,
        Err(e) => return error_read(display, format!("cannot read: {e}"), old),
    };
    let same = prev.is_some_and(|prev| prev.hash == *hash.as_bytes());
    if let Some(prev) = prev
        && same
        && look != Look::Parse
    {
        let entry = FileEntry {
            size,
            mtime_ns,
            ..prev.clone()
        };
        return unchanged(display, entry);
    }
    // Parsed again only because every file is (`--full`, a new record
    // version): the file itself is unchanged.
    let change = if same {
        Change::Unchanged
    } else if prev.is_some() {
        Change::Changed
    } else {
        Change::Added
    };
    let parsed = extract_and_parse(
        extractor,
        council,
        path,
        display,
        &bytes,
        hash.to_hex().as_str(),
        format,
    );
    let seen = Seen { size, mtime_ns };
    let (entry, records) = entry_of(parsed, hash.into(), seen);
    Read {
        display: display.clone(),
        entry,
        change,
        records,
        written: Vec::new(),
    }
}

/// The bytes that stand for an input and its hash. A paper folder's bytes
/// are its metadata file; its hash covers the files it lists as well.
fn load(path: &Path, format: SourceFormat) -> std::io::Result<(Vec<u8>, blake3::Hash)> {
    if format == SourceFormat::Oparl {
        let bytes = std::fs::read(path.join(ratsdoc_oparl::META_FILE))?;
        let hash = ratsdoc_oparl::fingerprint(path, &bytes);
        return Ok((bytes, hash));
    }
    let bytes = std::fs::read(path)?;
    let hash = blake3::hash(&bytes);
    Ok((bytes, hash))
}

/// The manifest entry of a parsed (or failed) file, and its records.
fn entry_of(
    parsed: Result<Vec<Record>, String>,
    hash: Hash,
    seen: Seen,
) -> (FileEntry, Vec<Record>) {
    let (outcome, ids, reason, records) = match parsed {
        Ok(records) => {
            let outcome = if records.iter().all(|r| r.kind == Kind::Other) {
                Outcome::Other
            } else {
                Outcome::Record
            };
            let mut ids: Vec<String> = Vec::with_capacity(records.len());
            for record in &records {
                if !ids.contains(&record.id) {
                    ids.push(record.id.clone());
                }
            }
            let reason = records.first().and_then(|r| r.other_reason.clone());
            (outcome, ids, reason, records)
        }
        Err(reason) => (Outcome::Error, Vec::new(), Some(reason), Vec::new()),
    };
    let entry = FileEntry {
        hash,
        size: seen.size,
        mtime_ns: seen.mtime_ns,
        outcome,
        ids,
        reason,
    };
    (entry, records)
}

fn unchanged(display: &str, entry: FileEntry) -> Read {
    Read {
        display: display.to_string(),
        entry,
        change: Change::Unchanged,
        records: Vec::new(),
        written: Vec::new(),
    }
}

fn error_read(display: &str, reason: String, old: &Manifest) -> Read {
    unread(display, Outcome::Error, reason, old)
}

/// An input that was not read: an error before reading, or a skipped file.
/// The same outcome for the same reason as last run is unchanged.
fn unread(display: &str, outcome: Outcome, reason: String, old: &Manifest) -> Read {
    let change = scan::unread_change(old.files.get(display), outcome, &reason);
    let entry = FileEntry {
        hash: Hash::default(),
        size: 0,
        mtime_ns: 0,
        outcome,
        ids: Vec::new(),
        reason: Some(reason),
    };
    Read {
        display: display.to_string(),
        entry,
        change,
        records: Vec::new(),
        written: Vec::new(),
    }
}

/// Bytes to records: one, or one per paper of a listing page. The parser
/// never fails; only extraction can.
fn extract_and_parse(
    extractor: &Extractor,
    council: &Profile,
    path: &std::path::Path,
    display: &str,
    bytes: &[u8],
    hash: &str,
    format: SourceFormat,
) -> Result<Vec<Record>, String> {
    if format == SourceFormat::Oparl {
        return ratsdoc_oparl::read_paper(path, display, bytes, hash, extractor, council)
            .map(|record| vec![record]);
    }
    let extracted = extractor
        .extract(path, bytes, format)
        .map_err(|e| e.to_string())?;
    let source = Source {
        path: display.to_string(),
        format,
        hash: hash.to_string(),
        pages: extracted.pages,
        extractor: Some(extracted.extractor.clone()),
        encoding: extracted.encoding.clone(),
    };
    let mut records = ratsdoc_parse::parse_all(&extracted.text, source, council);
    for record in &mut records {
        record.diagnostics.extend(extracted.notes.iter().cloned());
    }
    Ok(records)
}

/// Parses again the unchanged files of papers that must be merged anew
/// (another file of the same paper changed, or its record file is gone or
/// damaged). Of a listing page only the papers in question are kept.
pub(crate) fn reparse_affected(
    reads: &mut [Read],
    inputs: &[Input],
    affected: &BTreeSet<String>,
    extractor: &Extractor,
    council: &Profile,
) {
    let again: Vec<(usize, Vec<String>)> = reads
        .iter()
        .enumerate()
        .map(|(i, r)| (i, r.missing(affected)))
        .filter(|(_, missing)| !missing.is_empty())
        .collect();
    let reparsed: Vec<(usize, Vec<Record>)> = again
        .par_iter()
        .map(|(i, missing)| {
            let i = *i;
            let Input::File { path, format, .. } = &inputs[i] else {
                return (i, Vec::new());
            };
            let records = load(path, *format).ok().and_then(|(bytes, hash)| {
                let hash = hash.to_hex().to_string();
                extract_and_parse(
                    extractor,
                    council,
                    path,
                    &reads[i].display,
                    &bytes,
                    &hash,
                    *format,
                )
                .ok()
            });
            let mut records = records.unwrap_or_default();
            records.retain(|r| missing.contains(&r.id));
            (i, records)
        })
        .collect();
    for (i, records) in reparsed {
        reads[i].records.extend(records);
    }
}
