//! Einreicher: who submits a paper — factions, individual council members,
//! or units of the administration.
//!
//! The field is a list, but its commas are unreliable: in
//! "Fraktionsgemeinschaft, DIE LINKE/Die PARTEI" the comma separates nothing
//! (a layout artefact after the designator), while in "SPD-Fraktion, Fraktion
//! DIE LINKE, Fraktionsgemeinschaft CDU/ FDP" each comma starts a new group,
//! and in "Ausschuss für Klimaschutz, Umwelt und Sicherheit" the comma is part
//! of one name. So the field is first cut at every comma, semicolon and line
//! break, then pieces are glued back: a bare designator ("Fraktion",
//! "Fraktionsgemeinschaft", "Stadträtin") joins the piece after it, and a
//! piece that cannot start a submitter joins a "… für …" name before it.
//!
//! Group spellings are normalised per electoral term from the council
//! profile's `terms`.

use std::sync::LazyLock;

use chrono::NaiveDate;
use ratsdoc_model::{Submitter, SubmitterKind};
use regex::Regex;

use crate::profile::{Profile, Term};
use crate::text::{is_rule, squash};

/// The comparison key of a group spelling: designator words dropped, lower
/// case, letters and digits only ("Fraktionsgemeinschaft CDU/ FDP" → "cdufdp").
pub(crate) fn group_key(name: &str, profile: &Profile) -> String {
    let lower = name.to_lowercase();
    let kept: Vec<&str> = lower
        .split_whitespace()
        .filter(|w| !profile.designators.iter().any(|d| d == w))
        .collect();
    let mut joined = kept.join(" ");
    for cut in &profile.cuts {
        joined = joined.replace(cut.as_str(), "");
    }
    joined.chars().filter(|c| c.is_alphanumeric()).collect()
}

/// The canonical group name for a spelling, in the term of `date` first,
/// then in the other terms (latest first).
pub fn group_for(name: &str, date: Option<NaiveDate>, profile: &Profile) -> Option<String> {
    let key = group_key(name, profile);
    if key.is_empty() {
        return None;
    }
    let lookup = |t: &Term| {
        t.groups
            .iter()
            .find(|(_, keys)| keys.contains(&key))
            .map(|(c, _)| c.clone())
    };
    let terms = &profile.terms;
    let in_term = date.and_then(|d| terms.iter().find(|t| t.from <= d && d <= t.to));
    if let Some(found) = in_term.and_then(lookup) {
        return Some(found);
    }
    // Unknown date, or a spelling the term's list lacks: the latest term
    // that knows the spelling still gives a better name than none.
    terms.iter().rev().find_map(lookup)
}

static BARE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^(?:die\s+)?(?:fraktion(?:sgemeinschaft)?|fraktionen|fg|stadtrat|stadträtin|stadträte|stadträtinnen|stadtratsmitglied)$")
        .expect("constant pattern")
});
static START: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)^(?:die\s+|der\s+)?(?:fraktion|fraktionsgemeinschaft|fg\b|stadträtin|stadtrat\b|stadträte|stadtratsmitglied|ratsmitglied|dezernat|dezernent|amt\b|oberbürgermeister|bürgermeister|baubürgermeister|ortschaftsrat|stadtbezirksbeirat|beirat|[\wäöüß]+beirat\b|[\wäöüß]+-fraktion\b|[\wäöüß]+amt\b|stadtverwaltung|geschäftsbereich)",
    )
    .expect("constant pattern")
});
static MEMBER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^(?:stadträtin|stadtrat|stadträte|stadträtinnen|stadtratsmitglied(?:er)?|ratsmitglied|herr|frau)\s+\S")
        .expect("constant pattern")
});
static ADMINISTRATION: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)^(?:der\s+|die\s+|das\s+)?(?:oberbürgermeister(?:in)?|bürgermeister(?:in)?|baubürgermeister(?:in)?|dezernat|dezernent(?:in)?|amt\b|stadtverwaltung|verwaltung|geschäftsbereich|beigeordnete[rn]?|stabsstelle|eigenbetrieb|referat|fachbereich|stadtkämmerei|kämmerer|kämmerin)|\b[\wäöüß]*amt\b",
    )
    .expect("constant pattern")
});
static PARENS: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\(([^)]*)\)").expect("constant pattern"));
static AND_SPLIT: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\s+(?:und|sowie|&)\s+").expect("constant pattern"));

/// Removes layout noise from a name: stray punctuation at the ends, spaces
/// after a slash ("CDU/ FDP"), emphasis stars.
fn clean_name(s: &str) -> String {
    let s = squash(&s.replace('*', " "));
    let s = s.replace("/ ", "/").replace(" /", "/");
    s.trim_matches(|c: char| matches!(c, ',' | ';' | ':' | '.' | '-' | ' ' | '_'))
        .to_string()
}

fn starts_submitter(piece: &str, profile: &Profile) -> bool {
    START.is_match(piece) || group_for(piece, None, profile).is_some()
}

/// Cuts the Einreicher text into names.
fn split_names(lines: &[String], profile: &Profile) -> Vec<String> {
    // Lines: a line ending in "/", "-" or "," continues on the next one;
    // otherwise a line break separates like a semicolon.
    let mut joined = String::new();
    for line in lines {
        let l = squash(line);
        if l.is_empty() || is_rule(&l) {
            continue;
        }
        if !joined.is_empty() {
            if joined.ends_with('/') || (joined.ends_with('-') && !joined.ends_with(" -")) {
                // glue directly
            } else if joined.ends_with(',') {
                joined.push(' ');
            } else {
                joined.push_str("; ");
            }
        }
        joined.push_str(&l);
    }
    let mut pieces: Vec<String> = Vec::new();
    for part in joined.split([',', ';']) {
        // "X und Y": two submitters only when Y starts one itself.
        let mut rest = part.trim();
        let mut sub: Vec<String> = Vec::new();
        loop {
            let split = AND_SPLIT.find_iter(rest).find(|m| {
                starts_submitter(rest[m.end()..].trim(), profile)
                    && starts_submitter(rest[..m.start()].trim(), profile)
            });
            match split {
                Some(m) => {
                    sub.push(rest[..m.start()].trim().to_string());
                    rest = rest[m.end()..].trim();
                }
                None => break,
            }
        }
        sub.push(rest.to_string());
        pieces.extend(sub.into_iter().filter(|p| !p.is_empty()));
    }
    let mut names: Vec<String> = Vec::new();
    let mut pending: Option<String> = None;
    for piece in pieces {
        let piece = match pending.take() {
            Some(bare) => format!("{bare} {piece}"),
            None => piece,
        };
        if BARE.is_match(piece.trim()) {
            pending = Some(piece);
            continue;
        }
        if let Some(prev) = names.last_mut() {
            let lower_start = piece.chars().next().is_some_and(char::is_lowercase);
            let continues = prev.contains(" für ") && !starts_submitter(&piece, profile);
            if lower_start || continues {
                prev.push_str(", ");
                prev.push_str(&piece);
                continue;
            }
        }
        names.push(piece);
    }
    if let Some(bare) = pending {
        names.push(bare);
    }
    names
        .into_iter()
        .map(|n| clean_name(&n))
        .filter(|n| !n.is_empty())
        .collect()
}

/// What kind of submitter a name is, with the groups of the default
/// (Chemnitz) profile.
pub fn kind_of(name: &str) -> SubmitterKind {
    kind_in(name, Profile::chemnitz())
}

/// Whether a line is only a faction's name ("CDU-Ratsfraktion", "Fraktion
/// DIE LINKE"): a short line with a word that is, or ends in, "Fraktion"
/// ("Stärkung der Fraktionsarbeit" is a subject).
pub(crate) fn names_a_group(line: &str, profile: &Profile) -> bool {
    let words: Vec<String> = line.split_whitespace().map(str::to_lowercase).collect();
    words.len() <= 4
        && words
            .iter()
            .any(|w| w.ends_with("fraktion") || w == "fraktionsgemeinschaft")
        && kind_in(line, profile) == SubmitterKind::Faction
}

/// What kind of submitter a name is in a council.
pub fn kind_in(name: &str, profile: &Profile) -> SubmitterKind {
    if MEMBER.is_match(name) {
        SubmitterKind::Member
    } else if name.to_lowercase().contains("fraktion") || name.starts_with("FG ") {
        SubmitterKind::Faction
    } else if ADMINISTRATION.is_match(name) {
        SubmitterKind::Administration
    } else if group_for(name, None, profile).is_some() {
        SubmitterKind::Faction
    } else {
        SubmitterKind::Other
    }
}

/// Reads the Einreicher lines. `date` picks the electoral term for the
/// group names.
pub fn read(lines: &[String], date: Option<NaiveDate>, profile: &Profile) -> Vec<Submitter> {
    split_names(lines, profile)
        .into_iter()
        .map(|name| {
            let kind = kind_in(&name, profile);
            let group = match kind {
                SubmitterKind::Faction => group_for(&name, date, profile),
                SubmitterKind::Member => PARENS
                    .captures(&name)
                    .and_then(|c| c.get(1))
                    .and_then(|m| group_for(m.as_str(), date, profile)),
                _ => None,
            };
            Submitter { name, kind, group }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(text: &str) -> Vec<(String, SubmitterKind, Option<String>)> {
        let lines: Vec<String> = text.lines().map(String::from).collect();
        read(
            &lines,
            NaiveDate::from_ymd_opt(2020, 3, 10),
            Profile::chemnitz(),
        )
        .into_iter()
        .map(|s| (s.name, s.kind, s.group))
        .collect()
    }

    #[test]
    fn the_comma_after_a_designator_separates_nothing() {
        assert_eq!(
            names("Fraktionsgemeinschaft, DIE LINKE/Die PARTEI"),
            [(
                "Fraktionsgemeinschaft DIE LINKE/Die PARTEI".to_string(),
                SubmitterKind::Faction,
                Some("Fraktionsgemeinschaft DIE LINKE/Die PARTEI".to_string())
            )]
        );
    }

    #[test]
    fn three_factions() {
        let got = names("SPD-Fraktion, Fraktion DIE LINKE, Fraktionsgemeinschaft CDU/ FDP");
        let n: Vec<&str> = got.iter().map(|g| g.0.as_str()).collect();
        assert_eq!(
            n,
            [
                "SPD-Fraktion",
                "Fraktion DIE LINKE",
                "Fraktionsgemeinschaft CDU/FDP"
            ]
        );
        assert!(got.iter().all(|g| g.1 == SubmitterKind::Faction));
        assert_eq!(got[2].2.as_deref(), Some("Fraktionsgemeinschaft CDU/FDP"));
    }

    #[test]
    fn members_and_administration() {
        let got = names(
            "Stadträtin Erika Muster und Stadtrat Max Mustermann (SPD)\nDezernat 3\nAmt für Umwelt, Natur und Klima",
        );
        let kinds: Vec<SubmitterKind> = got.iter().map(|g| g.1).collect();
        assert_eq!(
            kinds,
            [
                SubmitterKind::Member,
                SubmitterKind::Member,
                SubmitterKind::Administration,
                SubmitterKind::Administration
            ]
        );
        assert_eq!(got[1].2.as_deref(), Some("SPD-Fraktion"));
        assert_eq!(got[3].0, "Amt für Umwelt, Natur und Klima");
        assert_eq!(
            names("Oberbürgermeisterin")[0].1,
            SubmitterKind::Administration
        );
    }

    #[test]
    fn spellings_normalise_per_term() {
        assert_eq!(
            group_for(
                "BÜNDNIS 90/DIE GRÜNEN",
                NaiveDate::from_ymd_opt(2021, 1, 1),
                Profile::chemnitz()
            )
            .as_deref(),
            Some("Fraktion BÜNDNIS 90/DIE GRÜNEN")
        );
        assert_eq!(
            group_for(
                "Grüne",
                NaiveDate::from_ymd_opt(2025, 1, 1),
                Profile::chemnitz()
            )
            .as_deref(),
            Some("Fraktion BÜNDNIS 90/DIE GRÜNEN")
        );
        assert_eq!(
            group_for(
                "FG DIE LINKE/Die PARTEI",
                NaiveDate::from_ymd_opt(2020, 1, 1),
                Profile::chemnitz()
            )
            .as_deref(),
            Some("Fraktionsgemeinschaft DIE LINKE/Die PARTEI")
        );
        assert_eq!(
            group_for(
                "Fraktion DIE LINKE",
                NaiveDate::from_ymd_opt(2025, 1, 1),
                Profile::chemnitz()
            )
            .as_deref(),
            Some("Fraktion DIE LINKE")
        );
    }
}
