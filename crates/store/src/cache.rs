//! `<DATA>/link-cache-<blake3>.bin`: per record, what linking and report
//! status read of it ([`Essentials`]), and the links made of them.
//!
//! Links and verdicts are a pure function of all records. A run that changed
//! which papers exist, or what linking reads of one, re-links everything;
//! with this cache it reads only the records it wrote itself. At 100,000
//! papers the cache is a few tens of MB and loads in a fraction of a second,
//! where parsing the YAML records took seconds. A run whose changed papers
//! kept their essentials (a typo fixed in a justification) keeps the links
//! and verdicts and never opens the cache: the manifest holds a digest of
//! each paper's essentials to tell. The records stay the truth: a missing,
//! damaged, truncated or outdated cache only costs time (the build re-reads
//! the records it lacks).
//!
//! The file layout is `binfile`'s.

use std::collections::BTreeMap;
use std::path::Path;

use ratsdoc_link::Essentials;
use ratsdoc_model::{Amendment, Link, Links, RECORD_VERSION, Related, Unlinked};
use serde::{Deserialize, Serialize};

use crate::{DataDir, StoreError, atomic, binfile};

const MAGIC: &[u8] = b"ratsdoc link cache\n";
/// Bumped when the layout or [`Essentials`] change shape; the record
/// version is part of it, so records of another version are read again.
const VERSION: u64 = (3 << 32) | RECORD_VERSION as u64;

/// A digest of what linking reads of one paper: equal digests, equal links
/// and verdicts (for the same papers and the same as-of date).
pub type EssentialsDigest = [u8; 16];

/// The digest of `essentials`; 128 bits of blake3 over their postcard form.
pub fn digest(essentials: &Essentials) -> EssentialsDigest {
    let mut hasher = blake3::Hasher::new();
    // postcard writes to any `io::Write`; a hasher never fails.
    let _ = postcard::to_io(essentials, &mut hasher);
    let mut out = [0u8; 16];
    out.copy_from_slice(&hasher.finalize().as_bytes()[..16]);
    out
}

/// What the manifest calls a cache file: the payload's blake3 from its
/// header, in hex. Loading checks the payload against it, so a file is
/// hashed once, not twice.
fn name_of(bytes: &[u8]) -> Option<String> {
    let checksum = binfile::checksum(MAGIC, VERSION, bytes)?;
    Some(checksum.iter().map(|b| format!("{b:02x}")).collect())
}

/// The cache in memory, by record id, with the links the build made of it
/// (so `status` and `show` need neither the records nor `links.yaml`).
#[derive(Debug, Default, PartialEq)]
pub struct LinkCache {
    pub entries: BTreeMap<String, Essentials>,
    pub links: Links,
}

/// The parts of [`Links`] one by one: `Links` leaves empty lists out of
/// `links.yaml`, and postcard, which does not name fields, cannot read a
/// struct back whose fields were left out.
#[derive(Deserialize)]
struct Stored {
    entries: Vec<(String, Essentials)>,
    links: Vec<Link>,
    ambiguous: Vec<Unlinked>,
    amendments: Vec<Amendment>,
    related: Vec<Related>,
}

/// [`Stored`] borrowed, for writing without a copy of 100,000 entries
/// (postcard writes a reference exactly as the value).
#[derive(Serialize)]
struct StoredRef<'a> {
    entries: Vec<(&'a str, &'a Essentials)>,
    links: &'a [Link],
    ambiguous: &'a [Unlinked],
    amendments: &'a [Amendment],
    related: &'a [Related],
}

impl LinkCache {
    /// The cache at `path` when its blake3 is `expected` (the hash the
    /// last complete run put in the manifest), else `None`: another
    /// version, damaged, or written by a run that was killed or lost to a
    /// power cut. The caller then reads records.
    pub fn load(path: &Path, expected: &str) -> Option<LinkCache> {
        let bytes = std::fs::read(path).ok()?;
        if name_of(&bytes).as_deref() != Some(expected) {
            tracing::info!("{}: not the last run's cache", path.display());
            return None;
        }
        let decoded = Self::decode(&bytes);
        if decoded.is_none() {
            tracing::info!("{}: cache not usable; reading records", path.display());
        }
        decoded
    }

    fn decode(bytes: &[u8]) -> Option<LinkCache> {
        let stored: Stored = binfile::decode(MAGIC, VERSION, bytes)?;
        Some(LinkCache {
            entries: stored.entries.into_iter().collect(),
            links: Links {
                links: stored.links,
                ambiguous: stored.ambiguous,
                amendments: stored.amendments,
                related: stored.related,
            },
        })
    }

    /// Splits the cache into ids and essentials (sorted by id), moving, not
    /// copying: linking wants the essentials as one slice.
    pub fn into_parts(self) -> Parts {
        let (ids, essentials) = self.entries.into_iter().unzip();
        Parts { ids, essentials }
    }
}

/// A cache taken apart by [`LinkCache::into_parts`]; equal lengths.
pub struct Parts {
    pub ids: Vec<String>,
    pub essentials: Vec<Essentials>,
}

impl Parts {
    /// Writes the cache of these entries and `links` into `data`, named by
    /// the blake3 of its payload, which it returns for the manifest.
    pub fn save(&self, data: &DataDir, links: &Links) -> Result<String, StoreError> {
        let stored = StoredRef {
            entries: self
                .ids
                .iter()
                .map(String::as_str)
                .zip(&self.essentials)
                .collect(),
            links: &links.links,
            ambiguous: &links.ambiguous,
            amendments: &links.amendments,
            related: &links.related,
        };
        let bytes =
            binfile::encode(MAGIC, VERSION, &stored).map_err(|message| StoreError::Corrupt {
                path: data.root().to_path_buf(),
                message,
            })?;
        let hash = name_of(&bytes).ok_or_else(|| StoreError::Corrupt {
            path: data.root().to_path_buf(),
            message: "link cache without a header".into(),
        })?;
        let path = data.link_cache_path(&hash);
        // A new name for new content, never a rename over the last run's
        // file: ext4 flushes a file that replaces another by rename at once
        // (`auto_da_alloc`), which cost up to half a second per run here.
        // Not synced either: the manifest names the hash, and a file that a
        // power cut left empty or stale does not match it, so it is never
        // used. Unchanged content is not written at all.
        if !path.is_file() {
            atomic::write_with(&path, &bytes, atomic::Durability::Deferred)?;
        }
        Ok(hash)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ratsdoc_model::{Kind, Record, Source, SourceFormat};

    fn record() -> Record {
        let mut record = Record::new(
            "BA-044/2020",
            Kind::Beschlussantrag,
            "Kriminalprävention in Chemnitz",
            Source {
                path: "corpus/ba.txt".into(),
                format: SourceFormat::Txt,
                hash: "abc".into(),
                pages: None,
                extractor: None,
                encoding: None,
            },
        );
        record.references.push("I-051/2020".into());
        record
    }

    fn cache() -> LinkCache {
        let record = record();
        let mut entries = BTreeMap::new();
        entries.insert(record.id.clone(), Essentials::of(&record));
        LinkCache {
            entries,
            links: Links::default(),
        }
    }

    #[test]
    fn round_trips_through_the_file() {
        let dir = tempfile::tempdir().unwrap();
        let data = DataDir::new(dir.path());
        let expected = cache();
        let links = expected.links.clone();
        let hash = cache().into_parts().save(&data, &links).unwrap();
        let path = data.link_cache_path(&hash);
        assert_eq!(LinkCache::load(&path, &hash).as_ref(), Some(&expected));
        assert_eq!(LinkCache::load(&path, "0000"), None);
    }

    /// Every part of the links comes back, empty or not.
    #[test]
    fn links_of_every_kind_round_trip() {
        let dir = tempfile::tempdir().unwrap();
        let data = DataDir::new(dir.path());
        let evidence = ratsdoc_model::Evidence {
            rule: "from_the_ris".into(),
            detail: "das RIS führt 2021/1342/1".into(),
            weight: 1.0,
        };
        let mut expected = cache();
        expected.links.amendments.push(Amendment {
            amendment: "2021/1342/1".into(),
            amended: "2021/1342".into(),
            evidence: vec![evidence.clone()],
        });
        expected.links.related.push(Related {
            from: "2020/0001".into(),
            to: "2020/0002".into(),
            relation: ratsdoc_model::RisRelationKind::Related,
            evidence: vec![evidence],
        });
        let links = expected.links.clone();
        let hash = cache().into_parts().save(&data, &links).unwrap();
        let path = data.link_cache_path(&hash);
        assert_eq!(LinkCache::load(&path, &hash).as_ref(), Some(&expected));
    }

    #[test]
    fn the_digest_tells_essentials_apart() {
        let entries = cache().entries;
        let essentials = entries.values().next().unwrap();
        assert_eq!(digest(essentials), digest(&essentials.clone()));
        let mut record = record();
        // A motion's mentions of other papers are not what linking reads.
        record.references.push("I-052/2020".into());
        assert_eq!(digest(essentials), digest(&Essentials::of(&record)));
        record.title = "Kriminalprävention in Dresden".into();
        assert_ne!(digest(essentials), digest(&Essentials::of(&record)));
    }

    #[test]
    fn a_damaged_file_is_not_believed() {
        let dir = tempfile::tempdir().unwrap();
        let data = DataDir::new(dir.path());
        let hash = cache().into_parts().save(&data, &Links::default()).unwrap();
        let path = data.link_cache_path(&hash);
        let mut bytes = std::fs::read(&path).unwrap();
        let last = bytes.len() - 1;
        bytes[last] ^= 0x20;
        std::fs::write(&path, &bytes).unwrap();
        // The header still carries the name the manifest knows; the
        // payload no longer matches it.
        assert_eq!(name_of(&bytes).as_deref(), Some(hash.as_str()));
        assert_eq!(LinkCache::load(&path, &hash), None);
        let json = b"{\"record_version\":1,\"entries\":{}}";
        std::fs::write(&path, json).unwrap();
        let named = blake3::hash(json).to_hex().to_string();
        assert_eq!(LinkCache::load(&path, &named), None);
    }
}
