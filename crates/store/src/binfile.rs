//! The binary files a build keeps for itself (`manifest.bin`,
//! `link-cache.bin`): a magic line naming the file, a version, the blake3 of
//! the payload, then the payload in postcard — a compact serde format that
//! reads 100,000 entries in tens of milliseconds, where JSON took hundreds.
//!
//! The checksum makes a damaged or truncated file read as "no file", never
//! as wrong data; both files are derived, so that only costs time.

use serde::Serialize;
use serde::de::DeserializeOwned;

const CHECKSUM: usize = 32;

/// Header and payload of `value`.
pub fn encode<T: Serialize>(magic: &[u8], version: u64, value: &T) -> Result<Vec<u8>, String> {
    let payload = postcard::to_stdvec(value).map_err(|e| e.to_string())?;
    let mut bytes = Vec::with_capacity(magic.len() + 8 + CHECKSUM + payload.len());
    bytes.extend_from_slice(magic);
    bytes.extend_from_slice(&version.to_le_bytes());
    bytes.extend_from_slice(blake3::hash(&payload).as_bytes());
    bytes.extend_from_slice(&payload);
    Ok(bytes)
}

/// The checksum in the header of `bytes` (the blake3 of the payload), when
/// the magic and the version match; the payload is not read. It names a
/// file by its content without a second pass over it.
pub fn checksum<'a>(magic: &[u8], version: u64, bytes: &'a [u8]) -> Option<&'a [u8]> {
    let rest = bytes.strip_prefix(magic)?;
    let (stored_version, rest) = rest.split_at_checked(8)?;
    let (checksum, _) = rest.split_at_checked(CHECKSUM)?;
    (stored_version == version.to_le_bytes()).then_some(checksum)
}

/// The value in `bytes`, or `None` when the magic, the version or the
/// checksum do not match or the payload does not decode.
pub fn decode<T: DeserializeOwned>(magic: &[u8], version: u64, bytes: &[u8]) -> Option<T> {
    let rest = bytes.strip_prefix(magic)?;
    let (stored_version, rest) = rest.split_at_checked(8)?;
    let (checksum, payload) = rest.split_at_checked(CHECKSUM)?;
    if stored_version != version.to_le_bytes() || checksum != blake3::hash(payload).as_bytes() {
        return None;
    }
    postcard::from_bytes(payload).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    const MAGIC: &[u8] = b"ratsdoc test\n";

    #[test]
    fn round_trip_and_every_damage_is_refused() {
        let value: Vec<(String, Option<i128>)> =
            vec![("corpus/a.txt".into(), Some(-1)), ("b".into(), None)];
        let bytes = encode(MAGIC, 7, &value).unwrap();
        let payload = postcard::to_stdvec(&value).unwrap();
        assert_eq!(
            checksum(MAGIC, 7, &bytes),
            Some(blake3::hash(&payload).as_bytes().as_slice())
        );
        assert_eq!(checksum(MAGIC, 8, &bytes), None);
        assert_eq!(
            decode::<Vec<(String, Option<i128>)>>(MAGIC, 7, &bytes),
            Some(value)
        );
        assert_eq!(
            decode::<Vec<(String, Option<i128>)>>(MAGIC, 8, &bytes),
            None
        );
        assert_eq!(
            decode::<Vec<(String, Option<i128>)>>(b"other\n", 7, &bytes),
            None
        );
        for cut in 0..bytes.len() {
            assert_eq!(
                decode::<Vec<(String, Option<i128>)>>(MAGIC, 7, &bytes[..cut]),
                None
            );
        }
        for at in 0..bytes.len() {
            let mut flipped = bytes.clone();
            flipped[at] ^= 0x01;
            assert_eq!(
                decode::<Vec<(String, Option<i128>)>>(MAGIC, 7, &flipped),
                None,
                "{at}"
            );
        }
    }
}
