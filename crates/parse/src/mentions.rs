//! Paper numbers a text mentions, each with the sentence it stands in and
//! where that sentence stands (title, opening of the body, elsewhere).
//!
//! Linking weighs a mention by its place and sentence: "In Umsetzung des
//! Beschlusses BA-017/2021 …" in the opening of a Sachverhalt is evidence that
//! the paper answers that motion; "Auf Grund des Beschlussantrages
//! BA-002/2019 ist … dazu gekommen" deep in the text is not. This module only
//! records; judging is the linker's job.

use ratsdoc_model::{Mention, PaperNumber};

use crate::sentences;
use crate::text::paragraphs;

/// Where a block of text stands in the paper.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Place {
    /// The heading line or the Gegenstand.
    Title,
    /// The main text (Sachverhalt, else Begründung): its first two
    /// sentences are the opening.
    Body,
    /// Anything else.
    Text,
}

/// True for a paragraph that reads as a sentence rather than a heading
/// ("1. Einleitung", a repeated title).
fn is_sentence(p: &str) -> bool {
    let t = p.trim_end();
    t.ends_with(['.', '!', '?', ':']) || t.split_whitespace().count() > 12
}

/// Collects references (canonical, deduplicated, in order) and mentions
/// from the paper's blocks, skipping the numbers in `exclude` (its own, the
/// receipt stamp's register number).
pub fn collect(
    blocks: &[(Place, Vec<String>)],
    exclude: &[PaperNumber],
) -> (Vec<String>, Vec<Mention>) {
    let mut references: Vec<String> = Vec::new();
    let mut mentions: Vec<Mention> = Vec::new();
    for (place, lines) in blocks {
        let mut real_sentences = 0;
        for para in paragraphs(lines) {
            let heading_like = !is_sentence(&para);
            // A paper number has a `/` or `_` before its year; a paragraph
            // without one mentions nothing, and its sentences need counting
            // only while the opening of the body is still running.
            let counts = *place == Place::Body && !heading_like && real_sentences < 2;
            let may_mention = PaperNumber::may_occur_in(&para);
            if !may_mention && !counts {
                continue;
            }
            for sentence in sentences::split(&para) {
                let where_ = match place {
                    Place::Title => "title",
                    Place::Body if real_sentences < 2 => "opening",
                    Place::Body | Place::Text => "text",
                };
                if *place == Place::Body && !heading_like {
                    real_sentences += 1;
                }
                if !may_mention {
                    continue;
                }
                for (n, _) in PaperNumber::find_all(&sentence) {
                    if exclude.contains(&n) {
                        continue;
                    }
                    let id = n.to_string();
                    if !references.contains(&id) {
                        references.push(id.clone());
                    }
                    if !mentions
                        .iter()
                        .any(|m| m.id == id && m.sentence == sentence)
                    {
                        mentions.push(Mention {
                            id,
                            sentence: sentence.clone(),
                            place: where_.to_string(),
                        });
                    }
                }
            }
        }
    }
    (references, mentions)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn places_and_exclusions() {
        let own: PaperNumber =
            "I-051/2020"
                .parse()
                .unwrap_or(PaperNumber::new(ratsdoc_model::Prefix::I, 51, 2020));
        let blocks = vec![
            (Place::Title, vec!["Bericht zum Beschlussantrag BA-44/2020".to_string()]),
            (
                Place::Body,
                vec![
                    "1. Einleitung".to_string(),
                    "".to_string(),
                    "Mit dem Beschluss zum Beschlussantrag BA-017/2021 wurde die Verwaltung beauftragt. Der Rat I-051/2020 tagt.".into(),
                    "Ein dritter Satz nennt B-41/1998 vom 04.02.1998.".into(),
                ],
            ),
        ];
        let (refs, mentions) = collect(&blocks, &[own]);
        assert_eq!(refs, ["BA-044/2020", "BA-017/2021", "B-041/1998"]);
        let places: Vec<&str> = mentions.iter().map(|m| m.place.as_str()).collect();
        assert_eq!(places, ["title", "opening", "text"]);
        assert_eq!(
            mentions[2].sentence,
            "Ein dritter Satz nennt B-41/1998 vom 04.02.1998."
        );
    }
}
