//! A paper folder written by `ratsdoc sync` into one record.
//!
//! The folder holds `oparl-paper.json` (the OParl Paper object as the
//! council information system sent it, plus what sync resolved: meeting
//! dates, organisation names, related papers' references) and the paper's
//! files. The layout is specified in `docs/sync-folder.md`.
//!
//! **The metadata is authoritative** for identity (the `reference` as the
//! RIS prints it), kind, date, Beratungsfolge and submitters: those are
//! facts the RIS keeps, and text read from a PDF can only approximate them.
//! The parser adds what metadata lacks: report requests and their due
//! dates, the Beschlussvorschlag, the mentions of other papers. Each file
//! gets a role (the paper itself, the administration's Stellungnahme, a
//! Protokollauszug, an Anlage) from its name, or from its text where the
//! name says nothing. The outcome a Protokollauszug states ("Beschluss:
//! Zustimmung") goes onto the consultation of its session.
//!
//! **Architecture Invariant:** reading a folder never fails because of one
//! file: a file that was not fetched, cannot be read or is not listed is
//! named in the record's diagnostics and the paper is still read. Only a
//! metadata file that is no JSON object at all fails the paper.

mod decisions;
mod kinds;
mod meta;
mod record;
mod roles;

use std::path::Path;

pub use kinds::kind_of_paper_type;
pub use meta::PaperMeta;
pub use record::read_paper;
pub use roles::{role_by_name, role_by_text};

/// The name of the metadata file that makes a folder a synced paper.
pub const META_FILE: &str = "oparl-paper.json";

/// Whether `dir` is a paper folder of a sync.
pub fn is_paper_folder(dir: &Path) -> bool {
    dir.join(META_FILE).is_file()
}

/// blake3 over the metadata and every file it lists, in order, so that a
/// change to any of them (a new Stellungnahme, an edited name) is a change
/// of the paper. Files that are missing count as missing, not as errors.
pub fn fingerprint(dir: &Path, meta_bytes: &[u8]) -> blake3::Hash {
    let mut hasher = blake3::Hasher::new();
    hasher.update(&(meta_bytes.len() as u64).to_le_bytes());
    hasher.update(meta_bytes);
    if let Ok(meta) = PaperMeta::from_slice(meta_bytes) {
        for local in meta.files.iter().filter_map(|f| f.local.as_deref()) {
            hasher.update(local.as_bytes());
            match record::local_path(dir, local).map(std::fs::read) {
                Some(Ok(bytes)) => {
                    hasher.update(b"\x01");
                    hasher.update(blake3::hash(&bytes).as_bytes());
                }
                _ => {
                    hasher.update(b"\x00");
                }
            }
        }
    }
    hasher.finalize()
}
