//! Paper numbers (`BA-044/2020`): the one identity every council paper has.
//!
//! Real text spells the same number many ways — `BA 44/2020`, `BA- 044/2020`,
//! `BA‑044/2020` with a non-breaking hyphen, `BA_044_2020` in a file name.
//! Everything that compares numbers goes through [`PaperNumber`], so the
//! spelling never decides whether two papers are the same.

use std::fmt;
use std::str::FromStr;
use std::sync::LazyLock;

use regex::Regex;
use serde::{Deserialize, Serialize};

/// The register a paper number belongs to. The prefix decides the kind of
/// paper, so only prefixes the council really uses are accepted; anything else
/// that merely looks like `XY-12/2020` is not a paper number.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Prefix {
    /// Beschlussantrag — a motion of a faction or of members.
    #[serde(rename = "BA")]
    Ba,
    /// Informationsvorlage — an information paper of the administration.
    #[serde(rename = "I")]
    I,
    /// Beschlussvorlage — a draft resolution of the administration; resolutions
    /// (`Beschluss Nr. B-41/1998`) are cited with the same number.
    #[serde(rename = "B")]
    B,
    /// Änderungsantrag — an amendment.
    #[serde(rename = "ÄA")]
    Aea,
    /// Anfrage — a councillor's question; also the register number of a
    /// received motion in its receipt stamp.
    #[serde(rename = "A")]
    A,
    /// Ratsanfrage — a question put in a council session.
    #[serde(rename = "RA")]
    Ra,
    /// Interfraktionelle or individual Anfrage (`IA-`).
    #[serde(rename = "IA")]
    Ia,
}

impl Prefix {
    pub fn as_str(self) -> &'static str {
        match self {
            Prefix::Ba => "BA",
            Prefix::I => "I",
            Prefix::B => "B",
            Prefix::Aea => "ÄA",
            Prefix::A => "A",
            Prefix::Ra => "RA",
            Prefix::Ia => "IA",
        }
    }

    /// Reads a prefix in any case; `AeA` and `AA` are how `ÄA` survives
    /// systems that cannot store umlauts.
    pub fn from_loose(s: &str) -> Option<Prefix> {
        Some(match s.to_uppercase().as_str() {
            "BA" => Prefix::Ba,
            "I" => Prefix::I,
            "B" => Prefix::B,
            "ÄA" | "AEA" | "AA" => Prefix::Aea,
            "A" => Prefix::A,
            "RA" => Prefix::Ra,
            "IA" => Prefix::Ia,
            _ => return None,
        })
    }
}

/// A canonical paper number: prefix, sequence number and year.
///
/// Displays as `BA-044/2020` (sequence zero-padded to three digits).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct PaperNumber {
    pub prefix: Prefix,
    pub seq: u16,
    pub year: u16,
}

/// Every dash a PDF, a word processor or a web page puts between prefix and
/// sequence: hyphen-minus, hyphen, non-breaking hyphen, figure dash, en and em
/// dash, minus sign, and the underscore of file names.
const DASHES: &str = r"\-\u{2010}\u{2011}\u{2012}\u{2013}\u{2014}\u{2212}_";

fn pattern(case_insensitive: bool) -> Regex {
    let flags = if case_insensitive { "(?i)" } else { "" };
    let src = format!(
        r"{flags}(?:^|[^\p{{L}}\p{{N}}])(BA|ÄA|AeA|RA|IA|I|B|A)[\s{DASHES}]{{0,3}}(\d{{1,4}})\s?[/_]\s?((?:19|20)\d\d)(?:$|[^\p{{N}}])"
    );
    // The pattern is a constant; failing to compile it is a programming error
    // caught by every test.
    #[allow(clippy::unwrap_used)]
    Regex::new(&src).unwrap()
}

static IN_TEXT: LazyLock<Regex> = LazyLock::new(|| pattern(false));
static LOOSE: LazyLock<Regex> = LazyLock::new(|| pattern(true));

/// Why a string is not a paper number.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
#[error("not a paper number: {0:?}")]
pub struct NotAPaperNumber(pub String);

impl PaperNumber {
    pub fn new(prefix: Prefix, seq: u16, year: u16) -> PaperNumber {
        PaperNumber { prefix, seq, year }
    }

    /// The record's file stem: the canonical number with `/` replaced by `-`.
    pub fn file_stem(&self) -> String {
        format!("{}-{:03}-{}", self.prefix.as_str(), self.seq, self.year)
    }

    /// Every paper number in running text, in order of appearance, with the
    /// byte range it occupies. Case matters here: in prose "a 12/2020" is not
    /// a number, "A-12/2020" is.
    pub fn find_all(text: &str) -> Vec<(PaperNumber, std::ops::Range<usize>)> {
        find_with(&IN_TEXT, text)
    }

    /// Whether `text` can hold a paper number at all: every number has a `/`
    /// or `_` before its year. Two single-byte scans, much cheaper than the
    /// pattern on the many texts that hold none.
    pub fn may_occur_in(text: &str) -> bool {
        text.contains('/') || text.contains('_')
    }

    /// Like [`PaperNumber::find_all`] but case-insensitive: for search
    /// queries and file names, where people type `ba-44/2020`.
    pub fn find_all_loose(text: &str) -> Vec<(PaperNumber, std::ops::Range<usize>)> {
        find_with(&LOOSE, text)
    }
}

fn find_with(re: &Regex, text: &str) -> Vec<(PaperNumber, std::ops::Range<usize>)> {
    let mut found = Vec::new();
    if !PaperNumber::may_occur_in(text) {
        return found;
    }
    let mut at = 0;
    // The pattern consumes one boundary character on each side, so adjacent
    // numbers ("BA-1/2020,BA-2/2020") need a manual restart just after the
    // year rather than `captures_iter`.
    while at <= text.len() {
        let Some(caps) = re.captures_at(text, at) else {
            break;
        };
        let (Some(p), Some(s), Some(y)) = (caps.get(1), caps.get(2), caps.get(3)) else {
            break;
        };
        at = y.end();
        let (Some(prefix), Ok(seq), Ok(year)) = (
            Prefix::from_loose(p.as_str()),
            s.as_str().parse::<u16>(),
            y.as_str().parse::<u16>(),
        ) else {
            continue;
        };
        found.push((PaperNumber::new(prefix, seq, year), p.start()..y.end()));
    }
    found
}

impl fmt::Display for PaperNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}-{:03}/{}", self.prefix.as_str(), self.seq, self.year)
    }
}

impl FromStr for PaperNumber {
    type Err = NotAPaperNumber;

    /// Accepts any spelling of exactly one number, in any case, with
    /// surrounding white space; also the file-stem form `BA-044-2020`.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let trimmed = s.trim();
        let found = PaperNumber::find_all_loose(trimmed);
        if let [(n, range)] = found.as_slice()
            && range.start == 0
            && range.end == trimmed.len()
        {
            return Ok(*n);
        }
        // `BA-044-2020`: the record file stem, used in URLs.
        if let Some((head, year)) = trimmed.rsplit_once(['-', '_'])
            && year.len() == 4
            && let Ok(n) = format!("{head}/{year}").parse::<PaperNumber>()
        {
            return Ok(n);
        }
        Err(NotAPaperNumber(s.to_string()))
    }
}

impl Serialize for PaperNumber {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for PaperNumber {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let s = String::deserialize(deserializer)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

/// Turns any record id into a file stem that cannot leave `records/`: paper
/// numbers get their canonical stem, anything else keeps only letters, digits,
/// `-` and `_`. An id that lost characters on the way gets a hash of the
/// whole id appended, so that two ids never share a file (`2021/1342/1` and
/// `2021 1342 1` are two papers of one RIS). A stem maps to itself, so a URL
/// made of a stem finds the record again.
pub fn id_to_file_stem(id: &str) -> String {
    if let Ok(n) = id.parse::<PaperNumber>() {
        return n.file_stem();
    }
    let keep = |c: char| c.is_alphanumeric() || c == '-' || c == '_';
    // 200 bytes kept whole, 120 cut plus the hash: both well inside the
    // 255 bytes a file name may have, and a cut stem is kept whole.
    if !id.is_empty() && id.len() <= 200 && id.chars().all(keep) {
        return id.to_string();
    }
    let mut cleaned = String::new();
    for c in id.chars().map(|c| if keep(c) { c } else { '_' }) {
        if cleaned.len() + c.len_utf8() > 120 {
            break;
        }
        cleaned.push(c);
    }
    if cleaned.chars().all(|c| c == '_') {
        cleaned = "_".into();
    }
    format!("{cleaned}-{:016x}", fnv1a(id))
}

/// FNV-1a, 64 bits: stable across platforms and releases, which a file
/// name must be.
fn fnv1a(s: &str) -> u64 {
    s.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn canon(s: &str) -> String {
        match s.parse::<PaperNumber>() {
            Ok(n) => n.to_string(),
            Err(e) => e.to_string(),
        }
    }

    #[test]
    fn every_spelling_is_the_same_number() {
        for s in [
            "BA-044/2020",
            "BA 44/2020",
            "BA- 044/2020",
            "BA\u{2011}044/2020",
            "BA\u{2013}044/2020",
            "BA_044_2020",
            "ba-44/2020",
            "BA-044-2020",
            " BA-44 / 2020 ",
        ] {
            assert_eq!(canon(s), "BA-044/2020", "{s:?}");
        }
        assert_eq!(canon("I-74/2021"), "I-074/2021");
        assert_eq!(canon("ÄA-3/2022"), "ÄA-003/2022");
        assert_eq!(canon("B-41/1998"), "B-041/1998");
    }

    #[test]
    fn things_that_are_not_numbers() {
        for s in [
            "",
            "BA",
            "XY-12/2020",
            "BA-12/20",
            "im III. Quartal 2020",
            "BA-044/2020 und I-1/2020",
        ] {
            assert!(s.parse::<PaperNumber>().is_err(), "{s:?}");
        }
    }

    #[test]
    fn finds_numbers_in_prose_with_positions() {
        let text = "Auf Grund des Beschlussantrages BA-002/2019 und Nr. B-41/1998 vom 04.02.1998; A 12/2020,I-3/2021.";
        let found: Vec<String> = PaperNumber::find_all(text)
            .iter()
            .map(|(n, _)| n.to_string())
            .collect();
        assert_eq!(
            found,
            ["BA-002/2019", "B-041/1998", "A-012/2020", "I-003/2021"]
        );
        let (_, r) = &PaperNumber::find_all(text)[0];
        assert_eq!(&text[r.clone()], "BA-002/2019");
    }

    #[test]
    fn lower_case_prose_is_not_a_number() {
        assert!(PaperNumber::find_all("siehe Anlage a 12/2020").is_empty());
        assert!(PaperNumber::find_all("Seite 1/2020").is_empty());
        assert!(PaperNumber::find_all("DBA-12/2020").is_empty());
    }

    #[test]
    fn file_stems_cannot_escape() {
        assert_eq!(id_to_file_stem("BA-044/2020"), "BA-044-2020");
        assert!(id_to_file_stem("../../etc/passwd").starts_with("______etc_passwd-"));
        assert!(id_to_file_stem("..").starts_with("_-"));
        assert_eq!(id_to_file_stem("other-1a2b"), "other-1a2b");
    }

    /// Two references that differ only in what a file name cannot hold
    /// are two files; a stem is its own stem.
    #[test]
    fn file_stems_tell_references_apart() {
        let a = id_to_file_stem("2021/1342/1");
        let b = id_to_file_stem("2021 1342 1");
        assert_ne!(a, b);
        assert!(a.starts_with("2021_1342_1-"), "{a}");
        assert_eq!(id_to_file_stem(&a), a);
        assert_eq!(id_to_file_stem("2021_1342_1"), "2021_1342_1");
    }

    proptest::proptest! {
        #[test]
        fn canonical_form_round_trips(seq in 0u16..10000, year in 1990u16..2100, p in 0usize..7) {
            let prefix = [Prefix::Ba, Prefix::I, Prefix::B, Prefix::Aea, Prefix::A, Prefix::Ra, Prefix::Ia][p];
            let n = PaperNumber::new(prefix, seq, year);
            proptest::prop_assert_eq!(n.to_string().parse::<PaperNumber>(), Ok(n));
            proptest::prop_assert_eq!(n.file_stem().parse::<PaperNumber>(), Ok(n));
        }

        #[test]
        fn finding_never_panics(s in "\\PC*") {
            let _ = PaperNumber::find_all(&s);
            let _ = s.parse::<PaperNumber>();
            let stem = id_to_file_stem(&s);
            proptest::prop_assert!(!stem.contains('/') && !stem.contains('.') && !stem.is_empty());
            proptest::prop_assert_eq!(id_to_file_stem(&stem), stem.clone());
        }
    }
}
