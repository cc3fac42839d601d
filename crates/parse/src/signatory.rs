//! The signature block: "i. A. Anja Schale" above "Unterschrift", or an
//! emphasised name above a signature rule ("*Miko Runkel*", "_____",
//! "Unterschrift").
//!
//! The name is the nearest text line above the "Unterschrift" label (rules
//! and blank lines skipped); without that label, a line that starts with
//! "i. A.", "i. V." or "gez." is the signature. Anything that does not look
//! like a person's name (digits, too many words, a sentence) is not taken.

use std::sync::LazyLock;

use ratsdoc_model::Signatory;
use regex::Regex;

use crate::sections::{Doc, Label};
use crate::text::{is_rule, squash};

static ON_BEHALF: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^(?:i\.\s?a\.|i\.\s?v\.|im\s+auftrag|in\s+vertretung)\s*")
        .expect("constant pattern")
});
static ROLE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^(?:die\s+|der\s+)?(?:ober)?bürgermeister(?:in)?$|^(?:beigeordnete[r]?|dezernent(?:in)?|amtsleiter(?:in)?|fraktionsvorsitzende[r]?|vorsitzende[r]?|stadtr(?:at|ätin))$")
        .expect("constant pattern")
});
static SIGNED: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)^gez\.\s*").expect("constant pattern"));

/// A signature and the line it stands on.
#[derive(Debug, Clone)]
pub struct Signature {
    pub signatory: Signatory,
    pub line: usize,
}

fn as_name(text: &str) -> Option<(String, bool)> {
    let t = squash(&text.replace(['*', '_'], " "));
    let on_behalf = ON_BEHALF.is_match(&t);
    let t = ON_BEHALF.replace(&t, "");
    let t = SIGNED
        .replace(&t, "")
        .trim()
        .trim_end_matches(',')
        .to_string();
    // "Sven Schulze, Oberbürgermeister": the office after a comma is not
    // part of the name.
    let t = match t.split_once(',') {
        Some((name, office)) if ROLE.is_match(office.trim()) => name.trim().to_string(),
        _ => t,
    };
    let words = t.split_whitespace().count();
    let name_like = (1..=5).contains(&words)
        && t.chars().count() <= 60
        && !t.chars().any(|c| c.is_ascii_digit())
        && !t.ends_with('.')
        && !t.ends_with(':')
        && t.split_whitespace().all(|w| {
            w.chars().next().is_some_and(|c| c.is_uppercase())
                || matches!(w, "von" | "van" | "de" | "zu")
        });
    name_like.then_some((t, on_behalf))
}

/// Finds the signature.
pub fn find(doc: &Doc) -> Option<Signature> {
    for s in doc.sections.iter().filter(|s| s.label == Label::Signature) {
        let above = (0..s.line)
            .rev()
            .find(|&i| !doc.lines[i].trim().is_empty() && !is_rule(&doc.lines[i]));
        // Under the name there may be the signer's office
        // ("Oberbürgermeisterin"); the name is then the line above it.
        let above = match above {
            Some(i) if ROLE.is_match(doc.lines[i].trim()) => (0..i)
                .rev()
                .find(|&j| !doc.lines[j].trim().is_empty() && !is_rule(&doc.lines[j])),
            other => other,
        };
        if let Some(i) = above
            && let Some((name, on_behalf)) = as_name(&doc.lines[i])
        {
            return Some(Signature {
                signatory: Signatory { name, on_behalf },
                line: i,
            });
        }
    }
    doc.lines.iter().enumerate().find_map(|(i, l)| {
        let t = l.trim();
        if !(ON_BEHALF.is_match(t) || SIGNED.is_match(t)) {
            return None;
        }
        let (name, on_behalf) = as_name(t)?;
        Some(Signature {
            signatory: Signatory { name, on_behalf },
            line: i,
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sig(text: &str) -> Option<(String, bool)> {
        find(&Doc::new(text)).map(|s| (s.signatory.name, s.signatory.on_behalf))
    }

    #[test]
    fn seed_signatures() {
        assert_eq!(
            sig("Beschlussvorschlag:\nText.\n\ni. A. Anja Schale\n\nUnterschrift\n"),
            Some(("Anja Schale".into(), true))
        );
        assert_eq!(
            sig("beteiligt:\n\n*Miko Runkel*\n\n\\_\\_\\_\\_  \nUnterschrift\n"),
            Some(("Miko Runkel".into(), false))
        );
        assert_eq!(
            sig("Text\ngez. Sven Schulze\n"),
            Some(("Sven Schulze".into(), false))
        );
        assert_eq!(sig("Das ist ein Satz.\nUnterschrift\n"), None);
        assert_eq!(
            sig("Text.\n\nBarbara Beispiel\nOberbürgermeisterin\n\nUnterschrift\n"),
            Some(("Barbara Beispiel".into(), false))
        );
        assert_eq!(
            sig("Text.\n\ni. V. Sven Schulze, Bürgermeister\nUnterschrift\n"),
            Some(("Sven Schulze".into(), true))
        );
    }
}
