//! A cheap look at the record files a build relies on, before it relies on
//! them: a record deleted, damaged or edited by hand since the last run is
//! found by its size and modification time (a `stat` per file, read from
//! the directory listing), never by the next `show` that fails.
//!
//! A paper whose stamp the manifest does not know (a data directory from
//! before stamps) is checked once by the blake3 of its file instead.

use std::collections::{BTreeMap, HashMap};
use std::ffi::OsString;
use std::path::{Path, PathBuf};

use ratsdoc_model::number::id_to_file_stem;
use rayon::prelude::*;

use crate::manifest::{FileStamp, Manifest};

/// What happened to a record file since the last complete run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Damage {
    /// The file is gone.
    Missing,
    /// The file is there but is not what the last run wrote.
    Changed,
}

/// What [`check_records`] found.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct RecordsCheck {
    /// Papers of the manifest whose record file is gone or not as written.
    pub damaged: BTreeMap<String, Damage>,
    /// Stamps of the sound record files whose stamp the manifest lacked.
    pub stamped: HashMap<String, FileStamp>,
    /// `.yaml` files in `records/` that no paper of the manifest owns (left
    /// by a killed run, or put there by hand), by file name.
    pub stray: Vec<OsString>,
}

/// Compares `records/` with what `manifest` says the last run left there.
pub fn check_records(records_dir: &Path, manifest: &Manifest) -> RecordsCheck {
    let found = list_yaml(records_dir);
    let mut check = RecordsCheck::default();
    let mut owned = std::collections::HashSet::with_capacity(manifest.papers.len());
    let unknown: Vec<(&String, PathBuf)> = manifest
        .papers
        .iter()
        .filter_map(|(id, state)| {
            let name = OsString::from(format!("{}.yaml", id_to_file_stem(id)));
            let stamp = found.get(&name).copied();
            owned.insert(name.clone());
            match (stamp, state.stamp) {
                (None, _) => {
                    check.damaged.insert(id.clone(), Damage::Missing);
                    None
                }
                (Some(now), Some(then)) if now != then => {
                    check.damaged.insert(id.clone(), Damage::Changed);
                    None
                }
                (Some(_), Some(_)) => None,
                (Some(_), None) => Some((id, records_dir.join(&name))),
            }
        })
        .collect();
    let verified: Vec<(&String, Result<FileStamp, Damage>)> = unknown
        .par_iter()
        .map(|(id, path)| (*id, verify_by_hash(path, &manifest.papers[*id].record)))
        .collect();
    for (id, result) in verified {
        match result {
            Ok(stamp) => {
                check.stamped.insert(id.clone(), stamp);
            }
            Err(damage) => {
                check.damaged.insert(id.clone(), damage);
            }
        }
    }
    check.stray = found
        .into_keys()
        .filter(|name| !owned.contains(name))
        .collect();
    check.stray.sort();
    check
}

/// The `.yaml` files of `dir` with their stamps; empty when `dir` is not
/// there. Metadata comes from the open directory (`fstatat`).
fn list_yaml(dir: &Path) -> HashMap<OsString, FileStamp> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return HashMap::new();
    };
    let entries: Vec<std::fs::DirEntry> = entries
        .flatten()
        .filter(|e| {
            Path::new(&e.file_name())
                .extension()
                .is_some_and(|x| x == "yaml")
        })
        .collect();
    entries
        .par_iter()
        .filter_map(|e| {
            let meta = e.metadata().ok().filter(|m| m.is_file())?;
            Some((e.file_name(), FileStamp::of(&meta)))
        })
        .collect()
}

fn verify_by_hash(path: &Path, expected: &crate::manifest::Hash) -> Result<FileStamp, Damage> {
    let bytes = std::fs::read(path).map_err(|_| Damage::Missing)?;
    if blake3::hash(&bytes).as_bytes() != expected {
        return Err(Damage::Changed);
    }
    FileStamp::read(path).ok_or(Damage::Missing)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::manifest::PaperState;

    fn state(bytes: &[u8], stamp: Option<FileStamp>) -> PaperState {
        PaperState {
            record: blake3::hash(bytes).into(),
            status: None,
            essentials: None,
            stamp,
        }
    }

    #[test]
    fn finds_missing_changed_unknown_and_stray_record_files() {
        let dir = tempfile::tempdir().unwrap();
        let records = dir.path();
        let write = |name: &str, text: &str| {
            let path = records.join(name);
            std::fs::write(&path, text).unwrap();
            FileStamp::read(&path).unwrap()
        };
        let sound = write("BA-001-2020.yaml", "id: BA-001/2020\n");
        let edited = write("BA-002-2020.yaml", "id: BA-002/2020\n");
        write("BA-003-2020.yaml", "id: BA-003/2020\n");
        let upgraded = write("BA-004-2020.yaml", "id: BA-004/2020\n");
        write("BA-005-2020.yaml", "id: BA-005/2020 damaged\n");
        write("BA-099-2020.yaml", "id: BA-099/2020\n");
        write("notes.txt", "not a record");

        let mut m = Manifest::default();
        m.papers.insert(
            "BA-001/2020".into(),
            state(b"id: BA-001/2020\n", Some(sound)),
        );
        let stale = FileStamp {
            size: edited.size + 1,
            ..edited
        };
        m.papers.insert(
            "BA-002/2020".into(),
            state(b"id: BA-002/2020\n", Some(stale)),
        );
        m.papers
            .insert("BA-004/2020".into(), state(b"id: BA-004/2020\n", None));
        m.papers
            .insert("BA-005/2020".into(), state(b"id: BA-005/2020\n", None));
        m.papers.insert(
            "BA-006/2020".into(),
            state(b"id: BA-006/2020\n", Some(sound)),
        );
        std::fs::remove_file(records.join("BA-003-2020.yaml")).unwrap();

        let check = check_records(records, &m);
        let damaged: Vec<(&str, Damage)> = check
            .damaged
            .iter()
            .map(|(id, d)| (id.as_str(), *d))
            .collect();
        assert_eq!(
            damaged,
            [
                ("BA-002/2020", Damage::Changed),
                ("BA-005/2020", Damage::Changed),
                ("BA-006/2020", Damage::Missing),
            ]
        );
        assert_eq!(check.stamped.get("BA-004/2020"), Some(&upgraded));
        assert_eq!(check.stamped.len(), 1);
        assert_eq!(check.stray, [OsString::from("BA-099-2020.yaml")]);
    }

    #[test]
    fn a_data_directory_without_records_has_every_paper_missing() {
        let dir = tempfile::tempdir().unwrap();
        let mut m = Manifest::default();
        m.papers.insert("I-051/2020".into(), state(b"x", None));
        let check = check_records(&dir.path().join("records"), &m);
        assert_eq!(check.damaged["I-051/2020"], Damage::Missing);
        assert!(check.stray.is_empty());
    }
}
