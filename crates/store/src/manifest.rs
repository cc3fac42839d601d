//! The manifest: what the last completed run saw and indexed.
//!
//! It is written last, after the index commit. A run killed before that
//! point leaves the previous manifest, so the next run redoes the work; and
//! because `indexed` records what the index holds (not what `records/`
//! holds), redone work reaches the index even when the record files were
//! already written.

use std::collections::BTreeMap;
use std::path::Path;

use ratsdoc_model::{Outcome, StatusKind};
use serde::{Deserialize, Serialize};

use crate::cache::EssentialsDigest;
use crate::{StoreError, atomic, binfile};

/// A blake3 hash, as bytes: half the size of its hex form and no string to
/// allocate, 200,000 times per run at 100,000 papers.
pub type Hash = [u8; 32];

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Manifest {
    /// `RECORD_VERSION` of the ratsdoc that wrote it; another version means
    /// every file is parsed again.
    pub record_version: u32,
    /// blake3 of the link cache this run left, so that readers never trust a
    /// cache a killed run wrote after the last complete one. Second, so that
    /// [`Manifest::link_cache_of`] decodes nothing after it.
    pub link_cache: Option<String>,
    /// Per input path.
    pub files: BTreeMap<String, FileEntry>,
    /// Per record id: what the index holds for it and what linking saw.
    pub papers: BTreeMap<String, PaperState>,
    /// The date report status was judged on; a later run on another date
    /// judges again even when no file changed (pending turns overdue).
    pub as_of: Option<chrono::NaiveDate>,
    /// Council papers and links of that run, for the report of a run that
    /// changes nothing.
    pub records: usize,
    pub links: usize,
    /// Size and modification time of `links.yaml` as this run left it: a
    /// file that differs was changed or damaged by hand and is written again.
    pub links_stamp: Option<FileStamp>,
}

/// Size and modification time of a file: what a run compares to notice a
/// file of `<DATA>` changed, damaged or deleted by hand, without reading it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileStamp {
    pub size: u64,
    pub mtime_ns: i128,
}

impl FileStamp {
    pub fn of(meta: &std::fs::Metadata) -> FileStamp {
        let mtime_ns = meta
            .modified()
            .ok()
            .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
            .map_or(0, |d| d.as_nanos() as i128);
        FileStamp {
            size: meta.len(),
            mtime_ns,
        }
    }

    /// The stamp of the file at `path`; `None` when there is none.
    pub fn read(path: &Path) -> Option<FileStamp> {
        std::fs::metadata(path).ok().map(|m| FileStamp::of(&m))
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FileEntry {
    /// blake3 of the file's bytes.
    pub hash: Hash,
    /// Size and modification time: when both are unchanged the file is not
    /// even read again.
    pub size: u64,
    pub mtime_ns: i128,
    pub outcome: Outcome,
    /// The record ids the file contributed to: none, one, or one per paper
    /// of a listing page (a faction's page of several Ratsanfragen).
    ///
    /// Postcard writes a list of at most one id byte for byte as it wrote
    /// the `Option` this field was before, so manifests written then read
    /// unchanged and need no version of their own.
    pub ids: Vec<String>,
    pub reason: Option<String>,
}

/// One paper as the last complete run left it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct PaperState {
    /// blake3 of the record file the index was given.
    pub record: Hash,
    /// The verdict the index was given (Beschlussanträge only).
    pub status: Option<StatusKind>,
    /// What linking read of the paper; `None` when unknown (a manifest of
    /// an older version), which makes the next run link again.
    pub essentials: Option<EssentialsDigest>,
    /// The record file as the run left it; `None` when unknown (a manifest
    /// of an older version), which makes the next run check it by hash.
    pub stamp: Option<FileStamp>,
}

/// What [`Manifest::load_checked`] found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ManifestSource {
    /// No manifest: a new data directory.
    Missing,
    /// Read as this version wrote it.
    Current,
    /// Converted from an older shape.
    Converted,
    /// Present but damaged or of an unknown version: the run starts over.
    Unreadable,
}

const MAGIC: &[u8] = b"ratsdoc manifest\n";
/// Bumped when [`Manifest`] changes shape; older shapes are read once
/// through [`v1`] and [`v2`].
const VERSION: u64 = 3;

impl Manifest {
    /// The manifest in `dir`; empty when there is none. A damaged manifest
    /// is not fatal: the run simply starts over (and says so in the log).
    ///
    /// A manifest of an older shape (`manifest.bin` version 1, or the
    /// `manifest.json` before it) is converted, so an existing data
    /// directory stays incremental across an upgrade.
    ///
    /// Also says whether the manifest was there, current, converted or
    /// unreadable: a run that cannot trust its memory of the last run must
    /// not trust the index either.
    pub fn load_checked(dir: &Path) -> (Manifest, ManifestSource) {
        let path = dir.join(FILE);
        match std::fs::read(&path) {
            Ok(bytes) => {
                if let Some(m) = binfile::decode(MAGIC, VERSION, &bytes) {
                    return (m, ManifestSource::Current);
                }
                let older = binfile::decode::<v2::Manifest>(MAGIC, 2, &bytes)
                    .map(Into::into)
                    .or_else(|| {
                        binfile::decode::<v1::Manifest>(MAGIC, 1, &bytes)
                            .map(|m| v2::Manifest::from(m).into())
                    });
                match older {
                    Some(m) => (m, ManifestSource::Converted),
                    None => {
                        tracing::warn!(
                            "{}: unreadable manifest; rebuilding everything",
                            path.display()
                        );
                        (Manifest::default(), ManifestSource::Unreadable)
                    }
                }
            }
            Err(_) => match std::fs::read(dir.join(OLD_FILE))
                .ok()
                .and_then(|bytes| serde_json::from_slice::<v1::Manifest>(&bytes).ok())
            {
                Some(m) => (v2::Manifest::from(m).into(), ManifestSource::Converted),
                None => (Manifest::default(), ManifestSource::Missing),
            },
        }
    }

    /// The hash of the link cache the last complete run left, read without
    /// decoding the 100,000 entries behind it: `status` and `show` need
    /// nothing else of the manifest.
    pub fn link_cache_of(dir: &Path) -> Option<String> {
        #[derive(Deserialize)]
        struct Head {
            _record_version: u32,
            link_cache: Option<String>,
        }
        let bytes = std::fs::read(dir.join(FILE)).ok()?;
        binfile::decode::<Head>(MAGIC, VERSION, &bytes)?.link_cache
    }

    /// Whether the index holds this record file (by hash) with this verdict.
    pub fn index_holds(&self, id: &str, record: Hash, status: Option<StatusKind>) -> bool {
        self.papers
            .get(id)
            .is_some_and(|p| p.record == record && p.status == status)
    }

    /// Replaces the manifest in `dir` atomically (synced: it is the last
    /// word of a run) and removes a `manifest.json` of an older version.
    pub fn save(&self, dir: &Path) -> Result<(), StoreError> {
        let path = dir.join(FILE);
        let bytes =
            binfile::encode(MAGIC, VERSION, self).map_err(|message| StoreError::Corrupt {
                path: path.clone(),
                message,
            })?;
        atomic::write(&path, &bytes)?;
        match std::fs::remove_file(dir.join(OLD_FILE)) {
            Ok(()) => {}
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => return Err(StoreError::io(dir.join(OLD_FILE), e)),
        }
        Ok(())
    }
}

/// The manifest's file name in the data directory.
pub const FILE: &str = "manifest.bin";
const OLD_FILE: &str = "manifest.json";

/// The first shape: hashes in hex, and per record id one string
/// `"<record hash>:<verdict>"` for what the index holds.
mod v1 {
    use super::*;

    /// Written only by the tests, to check the conversion.
    #[derive(Deserialize)]
    #[cfg_attr(test, derive(Serialize))]
    pub struct Manifest {
        pub record_version: u32,
        pub files: BTreeMap<String, FileEntry>,
        pub indexed: BTreeMap<String, String>,
        #[serde(default)]
        pub as_of: Option<chrono::NaiveDate>,
        #[serde(default)]
        pub records: usize,
        #[serde(default)]
        pub links: usize,
        /// Read for postcard's field order only: that cache's shape is gone.
        #[serde(default, rename = "link_cache")]
        pub _link_cache: Option<String>,
    }

    #[derive(Deserialize)]
    #[cfg_attr(test, derive(Serialize))]
    pub struct FileEntry {
        pub hash: String,
        pub size: u64,
        pub mtime_ns: i128,
        pub outcome: Outcome,
        pub id: Option<String>,
        pub reason: Option<String>,
    }

    /// A hash that does not read (an error entry had none) becomes zeros,
    /// which no file hashes to: the file is read again.
    fn hash(hex: &str) -> Hash {
        blake3::Hash::from_hex(hex)
            .map(|h| *h.as_bytes())
            .unwrap_or_default()
    }

    fn status(name: &str) -> Option<StatusKind> {
        StatusKind::BY_URGENCY
            .into_iter()
            .find(|s| s.as_str() == name)
    }

    impl From<Manifest> for super::v2::Manifest {
        fn from(old: Manifest) -> Self {
            super::v2::Manifest {
                record_version: old.record_version,
                files: old
                    .files
                    .into_iter()
                    .map(|(path, f)| {
                        let entry = super::FileEntry {
                            hash: hash(&f.hash),
                            size: f.size,
                            mtime_ns: f.mtime_ns,
                            outcome: f.outcome,
                            ids: f.id.into_iter().collect(),
                            reason: f.reason,
                        };
                        (path, entry)
                    })
                    .collect(),
                // A fingerprint that does not read is dropped: the paper is
                // given to the index again.
                papers: old
                    .indexed
                    .into_iter()
                    .filter_map(|(id, fingerprint)| {
                        let (record, verdict) = fingerprint.split_once(':')?;
                        let status = match verdict {
                            "-" => None,
                            name => Some(status(name)?),
                        };
                        let state = super::v2::PaperState {
                            record: blake3::Hash::from_hex(record).ok()?.into(),
                            status,
                            essentials: None,
                        };
                        Some((id, state))
                    })
                    .collect(),
                as_of: old.as_of,
                records: old.records,
                links: old.links,
                // The cache of that version does not read any more.
                link_cache: None,
            }
        }
    }
}

/// The second shape: no stamps of the record files and of `links.yaml`.
/// Converted papers get no stamp, so the first run after an upgrade checks
/// their record files by hash once.
mod v2 {
    use super::*;

    #[derive(Deserialize)]
    #[cfg_attr(test, derive(Serialize))]
    pub struct Manifest {
        pub record_version: u32,
        pub link_cache: Option<String>,
        pub files: BTreeMap<String, FileEntry>,
        pub papers: BTreeMap<String, PaperState>,
        pub as_of: Option<chrono::NaiveDate>,
        pub records: usize,
        pub links: usize,
    }

    #[derive(Deserialize)]
    #[cfg_attr(test, derive(Serialize))]
    pub struct PaperState {
        pub record: Hash,
        pub status: Option<StatusKind>,
        pub essentials: Option<EssentialsDigest>,
    }

    impl From<Manifest> for super::Manifest {
        fn from(old: Manifest) -> Self {
            let papers = old
                .papers
                .into_iter()
                .map(|(id, p)| {
                    let state = super::PaperState {
                        record: p.record,
                        status: p.status,
                        essentials: p.essentials,
                        stamp: None,
                    };
                    (id, state)
                })
                .collect();
            super::Manifest {
                record_version: old.record_version,
                link_cache: old.link_cache,
                files: old.files,
                papers,
                as_of: old.as_of,
                records: old.records,
                links: old.links,
                links_stamp: None,
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn manifest() -> Manifest {
        let mut m = Manifest {
            record_version: 1,
            as_of: chrono::NaiveDate::from_ymd_opt(2025, 6, 30),
            records: 1,
            links: 0,
            ..Manifest::default()
        };
        m.files.insert(
            "corpus/ba.txt".into(),
            FileEntry {
                hash: [0xab; 32],
                size: 10,
                mtime_ns: 1_795_300_620_497_686_755,
                outcome: Outcome::Record,
                ids: vec!["BA-044/2020".into()],
                reason: None,
            },
        );
        m.papers.insert(
            "BA-044/2020".into(),
            PaperState {
                record: [0xcd; 32],
                status: Some(StatusKind::Overdue),
                essentials: Some([7; 16]),
                stamp: Some(FileStamp {
                    size: 812,
                    mtime_ns: 1_795_300_620_000_000_000,
                }),
            },
        );
        m
    }

    fn v1() -> v1::Manifest {
        let mut files = BTreeMap::new();
        files.insert(
            "corpus/ba.txt".into(),
            v1::FileEntry {
                hash: "ab".repeat(32),
                size: 10,
                mtime_ns: 1_795_300_620_497_686_755,
                outcome: Outcome::Record,
                id: Some("BA-044/2020".into()),
                reason: None,
            },
        );
        files.insert(
            "corpus/broken.pdf".into(),
            v1::FileEntry {
                hash: String::new(),
                size: 0,
                mtime_ns: 0,
                outcome: Outcome::Error,
                id: None,
                reason: Some("truncated".into()),
            },
        );
        let mut indexed = BTreeMap::new();
        indexed.insert("BA-044/2020".into(), format!("{}:overdue", "cd".repeat(32)));
        indexed.insert("I-051/2020".into(), format!("{}:-", "ef".repeat(32)));
        indexed.insert("I-052/2020".into(), "garbage".into());
        v1::Manifest {
            record_version: 1,
            files,
            indexed,
            as_of: chrono::NaiveDate::from_ymd_opt(2025, 6, 30),
            records: 1,
            links: 0,
            _link_cache: Some("00".repeat(32)),
        }
    }

    fn check_converted(m: &Manifest) {
        assert_eq!(m.files["corpus/ba.txt"].hash, [0xab; 32]);
        assert_eq!(m.files["corpus/broken.pdf"].hash, [0; 32]);
        assert_eq!(
            m.papers["BA-044/2020"],
            PaperState {
                record: [0xcd; 32],
                status: Some(StatusKind::Overdue),
                essentials: None,
                stamp: None,
            }
        );
        assert_eq!(m.papers["I-051/2020"].status, None);
        assert!(
            !m.papers.contains_key("I-052/2020"),
            "unreadable is dropped"
        );
        assert_eq!(m.link_cache, None, "the old cache does not read any more");
        assert_eq!(m.as_of, chrono::NaiveDate::from_ymd_opt(2025, 6, 30));
    }

    #[test]
    fn saves_and_loads_and_refuses_garbage() {
        let dir = tempfile::tempdir().unwrap();
        let mut m = manifest();
        m.link_cache = Some("ef".repeat(32));
        m.save(dir.path()).unwrap();
        assert_eq!(Manifest::load_checked(dir.path()).0, m);
        assert_eq!(Manifest::link_cache_of(dir.path()), m.link_cache);
        assert_eq!(
            Manifest::load_checked(dir.path()).1,
            ManifestSource::Current
        );
        std::fs::write(dir.path().join(FILE), b"garbage").unwrap();
        assert_eq!(
            Manifest::load_checked(dir.path()),
            (Manifest::default(), ManifestSource::Unreadable)
        );
        std::fs::remove_file(dir.path().join(FILE)).unwrap();
        assert_eq!(
            Manifest::load_checked(dir.path()),
            (Manifest::default(), ManifestSource::Missing)
        );
    }

    #[test]
    fn the_second_binary_shape_is_converted_without_stamps() {
        let dir = tempfile::tempdir().unwrap();
        let v2 = v2::Manifest::from(v1());
        let bytes = binfile::encode(MAGIC, 2, &v2).unwrap();
        std::fs::write(dir.path().join(FILE), bytes).unwrap();
        let (m, source) = Manifest::load_checked(dir.path());
        assert_eq!(source, ManifestSource::Converted);
        check_converted(&m);
        assert_eq!(m.links_stamp, None);
    }

    #[test]
    fn the_first_binary_shape_is_converted() {
        let dir = tempfile::tempdir().unwrap();
        let bytes = binfile::encode(MAGIC, 1, &v1()).unwrap();
        std::fs::write(dir.path().join(FILE), bytes).unwrap();
        check_converted(&Manifest::load_checked(dir.path()).0);
    }

    #[test]
    fn the_json_manifest_is_converted_and_replaced() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join(OLD_FILE),
            serde_json::to_vec(&v1()).unwrap(),
        )
        .unwrap();
        let m = Manifest::load_checked(dir.path()).0;
        check_converted(&m);
        m.save(dir.path()).unwrap();
        assert!(!dir.path().join(OLD_FILE).exists());
        assert_eq!(Manifest::load_checked(dir.path()).0, m);
    }

    /// The shape of a file entry before a file could give several papers.
    #[derive(Serialize)]
    struct EntryWithOneId {
        hash: Hash,
        size: u64,
        mtime_ns: i128,
        outcome: Outcome,
        id: Option<String>,
        reason: Option<String>,
    }

    #[test]
    fn an_entry_written_with_one_optional_id_reads_as_a_list() {
        for id in [None, Some("BA-044/2020".to_string())] {
            let old = EntryWithOneId {
                hash: [1; 32],
                size: 3,
                mtime_ns: 7,
                outcome: Outcome::Record,
                id: id.clone(),
                reason: None,
            };
            let bytes = postcard::to_stdvec(&old).unwrap();
            let read: FileEntry = postcard::from_bytes(&bytes).unwrap();
            assert_eq!(read.ids, id.into_iter().collect::<Vec<_>>());
            assert_eq!(postcard::to_stdvec(&read).unwrap(), bytes);
        }
    }
}
