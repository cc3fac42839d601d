//! What a file is to its paper, read from the words of its name as the RIS
//! lists it ("Stellungnahme DHH", "Auszug Protokoll GR", "Anlage 2"), and
//! where the name says nothing, from the first lines of its text.

use ratsdoc_model::FileRole;

/// Words of a file name (folded: lower case, `_`/`-`/digits as spaces)
/// and the role they give, strongest first: "Stellungnahme zum Antrag" is a
/// statement, "Auszug Protokoll GR Antrag 1.180" minutes, "Anlage zur
/// Vorlage" an attachment.
const NAME_WORDS: &[(&str, FileRole)] = &[
    ("stellungnahme", FileRole::Statement),
    ("stn", FileRole::Statement),
    ("antwort", FileRole::Statement),
    ("beantwortung", FileRole::Statement),
    ("protokoll", FileRole::Minutes),
    ("protokollauszug", FileRole::Minutes),
    ("niederschrift", FileRole::Minutes),
    ("abstimmungsergebnis", FileRole::Minutes),
    ("abstimmunsergebnis", FileRole::Minutes),
    ("abtimmungsergebnis", FileRole::Minutes),
    ("abstimmung", FileRole::Minutes),
    ("beschlussauszug", FileRole::Minutes),
    ("anlage", FileRole::Attachment),
    ("anlagen", FileRole::Attachment),
    ("anhang", FileRole::Attachment),
    ("anlagenübersicht", FileRole::Attachment),
    ("lageplan", FileRole::Attachment),
    ("plan", FileRole::Attachment),
    ("präsentation", FileRole::Attachment),
    ("antrag", FileRole::Paper),
    ("anträge", FileRole::Paper),
    ("anfrage", FileRole::Paper),
    ("änderungsantrag", FileRole::Paper),
    ("ergänzungsantrag", FileRole::Paper),
    ("änderungs", FileRole::Paper),
    ("vorlage", FileRole::Paper),
    ("beschlussvorlage", FileRole::Paper),
    ("informationsvorlage", FileRole::Paper),
    ("vorl", FileRole::Paper),
];

/// Opening words of a text and the role they give, for files whose name
/// says nothing ("TOP 9 Linke", "00143887.pdf").
const TEXT_OPENINGS: &[(&str, FileRole)] = &[
    ("stellungnahme", FileRole::Statement),
    ("beantwortung", FileRole::Statement),
    ("auszug aus der niederschrift", FileRole::Minutes),
    ("auszug aus dem protokoll", FileRole::Minutes),
    ("niederschrift", FileRole::Minutes),
    ("abstimmungsergebnis", FileRole::Minutes),
    ("antrag", FileRole::Paper),
    ("anfrage", FileRole::Paper),
    ("änderungsantrag", FileRole::Paper),
    ("ergänzungsantrag", FileRole::Paper),
    ("beschlussvorlage", FileRole::Paper),
    ("informationsvorlage", FileRole::Paper),
    ("beschlussantrag", FileRole::Paper),
];

/// The role a file's name gives, if any of its words is in the table.
pub fn role_by_name(name: &str) -> Option<FileRole> {
    let folded = name.to_lowercase();
    let words: Vec<&str> = folded
        .split(|c: char| !c.is_alphabetic())
        .filter(|w| !w.is_empty())
        .collect();
    NAME_WORDS
        .iter()
        .find(|(word, _)| words.contains(word))
        .map(|(_, role)| *role)
}

/// The role the first lines of a text give: the first 300 characters,
/// folded, searched for an opening word.
pub fn role_by_text(text: &str) -> Option<FileRole> {
    let head: String = text
        .split_whitespace()
        .take(40)
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase();
    let head: String = head.chars().take(300).collect();
    TEXT_OPENINGS
        .iter()
        .filter_map(|(opening, role)| head.find(opening).map(|at| (at, *role)))
        .min_by_key(|(at, _)| *at)
        .map(|(_, role)| role)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_as_a_ris_lists_them_give_roles() {
        for (name, role) in [
            ("1007 Stellungnahme DHH", Some(FileRole::Statement)),
            ("StN Fraktion", Some(FileRole::Statement)),
            ("Auszug Protokoll GR Antrag 1.180", Some(FileRole::Minutes)),
            ("Abstimmungsergebnis_Top3", Some(FileRole::Minutes)),
            ("Anlage 2 zur Vorlage", Some(FileRole::Attachment)),
            ("Antrag Interfrak_003", Some(FileRole::Paper)),
            ("Änderungs-/Ergänzungsantrag", Some(FileRole::Paper)),
            ("Vorl.Nr. 123", Some(FileRole::Paper)),
            ("TOP 9 Linke", None),
        ] {
            assert_eq!(role_by_name(name), role, "{name}");
        }
    }

    #[test]
    fn a_silent_name_leaves_the_role_to_the_text() {
        assert_eq!(
            role_by_text("\n  ANTRAG der \n CDU-Fraktion vom 04.01.2012"),
            Some(FileRole::Paper)
        );
        assert_eq!(
            role_by_text("STELLUNGNAHME zum Antrag der SPD-Fraktion"),
            Some(FileRole::Statement)
        );
        assert_eq!(role_by_text("Lageplan M 1:500"), None);
    }
}
