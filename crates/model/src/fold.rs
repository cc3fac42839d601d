//! Folds the spellings of one German word onto one form — `Kaßberg` and
//! `Kassberg`, `Prävention` and `Praevention` — in the two directions
//! ratsdoc needs:
//!
//! - [`fold`] and [`fold_into`], for the search index: typewriter spellings
//!   (ae, oe, ue) turn *into* umlauts, because the Snowball German stemmer
//!   that runs after them removes umlauts itself and relies on them to merge
//!   plurals (`Spielplätze` → `spielplatz`). A `ue` after a, e, ä or q is a
//!   diphthong or `qu` (`Bauer`, `teuer`, `Quelle`) and stays. The rule is
//!   mechanical (`Michael` becomes `michäl`); that is harmless, because both
//!   spellings of every word meet and folded words are never shown. Expects
//!   lower-cased words and keeps every other character.
//! - [`spell_out`], for linking: lower case, umlauts spelled out (`Plätze` →
//!   `plaetze`) and every character that is no letter or digit turned into a
//!   space, so that titles and cue phrases compare as plain words.
//!
//! Both write `ß` as `ss` and drop the accents of letters from other
//! languages, but not the same ones: [`fold`] drops those of á à â ã å é è ê
//! ë í ì î ï ó ò ô õ ø ú ù û ç ñ, [`spell_out`] only those of à á â è é ê
//! (and keeps `í` or `ñ` as they are). Each is what its crate has always
//! produced; widening [`spell_out`]'s set would change title tokens, and
//! with them links, so it is a decision of its own.

/// Whether [`fold`] can change `word`: `false` only for ASCII words without
/// `ae`, `oe` or `ue`, which [`fold`] returns as they are. Lets the index
/// pass most tokens through untouched.
#[inline]
pub fn may_change(word: &str) -> bool {
    !word.is_ascii() || word.contains("ae") || word.contains("oe") || word.contains("ue")
}

/// Folds one lower-cased word for the search index (see the module
/// documentation for the rules).
pub fn fold(word: &str) -> String {
    let mut out = String::with_capacity(word.len());
    fold_into(word, &mut out);
    out
}

/// [`fold`] into `out`, which it clears first: the index folds millions of
/// tokens through one buffer.
pub fn fold_into(word: &str, out: &mut String) {
    out.clear();
    let mut prev: Option<char> = None;
    let mut chars = word.chars().peekable();
    while let Some(c) = chars.next() {
        let next_is_e = chars.peek() == Some(&'e');
        let umlaut = match c {
            'a' if next_is_e => Some('ä'),
            'o' if next_is_e => Some('ö'),
            'u' if next_is_e && !matches!(prev, Some('a' | 'e' | 'ä' | 'q')) => Some('ü'),
            _ => None,
        };
        if let Some(umlaut) = umlaut {
            chars.next();
            out.push(umlaut);
            prev = Some(umlaut);
            continue;
        }
        match c {
            'ß' => out.push_str("ss"),
            'á' | 'à' | 'â' | 'ã' | 'å' => out.push('a'),
            'é' | 'è' | 'ê' | 'ë' => out.push('e'),
            'í' | 'ì' | 'î' | 'ï' => out.push('i'),
            'ó' | 'ò' | 'ô' | 'õ' | 'ø' => out.push('o'),
            'ú' | 'ù' | 'û' => out.push('u'),
            'ç' => out.push('c'),
            'ñ' => out.push('n'),
            _ => out.push(c),
        }
        prev = Some(c);
    }
}

/// Lower case, umlauts and ß spelled out, every other character that is no
/// letter or digit turned into a space: the form in which linking compares
/// titles and looks for cue phrases.
pub fn spell_out(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        for l in c.to_lowercase() {
            match l {
                'ä' => out.push_str("ae"),
                'ö' => out.push_str("oe"),
                'ü' => out.push_str("ue"),
                'ß' => out.push_str("ss"),
                'à' | 'á' | 'â' => out.push('a'),
                'è' | 'é' | 'ê' => out.push('e'),
                c if c.is_alphanumeric() => out.push(c),
                _ => out.push(' '),
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typewriter_spellings_become_umlauts() {
        for (word, folded) in [
            ("praevention", "prävention"),
            ("prävention", "prävention"),
            ("oeffentlichkeit", "öffentlichkeit"),
            ("uebersicht", "übersicht"),
            ("zuerich", "zürich"),
            ("spielplaetze", "spielplätze"),
        ] {
            assert_eq!(fold(word), folded, "{word}");
        }
    }

    #[test]
    fn diphthongs_and_qu_stay() {
        for word in ["bauer", "teuer", "feuer", "quelle", "steuern", "häuer"] {
            assert_eq!(fold(word), word);
        }
    }

    #[test]
    fn sharp_s_and_foreign_accents_fold_for_the_index() {
        assert_eq!(fold("kaßberg"), "kassberg");
        assert_eq!(fold("café"), "cafe");
        assert_eq!(fold("garçon"), "garcon");
        assert_eq!(fold("señora"), "senora");
        assert_eq!(fold("øresund"), "oresund");
    }

    #[test]
    fn the_index_rule_is_mechanical_but_both_spellings_meet() {
        assert_eq!(fold("michael"), "michäl");
        assert_eq!(fold("poet"), "pöt");
        assert_eq!(fold("kaßberg"), fold("kassberg"));
    }

    #[test]
    fn the_index_fold_keeps_case_and_punctuation() {
        assert_eq!(fold("Praevention"), "Prävention");
        assert_eq!(fold("Ä-1"), "Ä-1");
    }

    #[test]
    fn fold_into_replaces_the_buffer() {
        let mut out = String::from("left over from the last word");
        fold_into("strasse", &mut out);
        assert_eq!(out, "strasse");
        fold_into("straße", &mut out);
        assert_eq!(out, "strasse");
    }

    #[test]
    fn words_that_cannot_change_are_recognised() {
        for word in [
            "chemnitz",
            "praevention",
            "bauer",
            "kaßberg",
            "café",
            "stadtrat",
            "poet",
            "",
        ] {
            if !may_change(word) {
                assert_eq!(fold(word), word, "{word}");
            }
        }
        assert!(!may_change("chemnitz"));
        assert!(may_change("praevention"));
        assert!(may_change("kaßberg"));
    }

    #[test]
    fn linking_spells_umlauts_out() {
        assert_eq!(spell_out("Plätze"), "plaetze");
        assert_eq!(
            spell_out("ÖFFENTLICHE Übersicht"),
            "oeffentliche uebersicht"
        );
        assert_eq!(spell_out("Kaßberg"), "kassberg");
        assert_eq!(spell_out("ASSKomm"), spell_out("ASSKOMM"));
        // A letter Unicode gives no lower case stays as it is.
        assert_eq!(spell_out("𝒮"), "𝒮");
    }

    #[test]
    fn linking_turns_punctuation_into_spaces() {
        assert_eq!(
            spell_out("Kita-Plätze (BA-052/2021)"),
            "kita plaetze  ba 052 2021 "
        );
        assert_eq!(spell_out("„Sachstand“: 3."), " sachstand   3 ");
    }

    #[test]
    fn linking_drops_fewer_accents_than_the_index() {
        assert_eq!(spell_out("Café à la carte"), "cafe a la carte");
        assert_eq!(spell_out("Señora Ramón"), "señora ramón");
        assert_eq!(fold("señora ramón"), "senora ramon");
    }

    proptest::proptest! {
        #[test]
        fn only_words_that_may_change_do(word in "\\PC{0,12}") {
            if !may_change(&word) {
                proptest::prop_assert_eq!(fold(&word), word);
            }
        }

        #[test]
        fn fold_into_is_fold(word in "\\PC{0,12}") {
            let mut out = String::from("x");
            fold_into(&word, &mut out);
            proptest::prop_assert_eq!(out, fold(&word));
        }

        /// What the index folds into umlauts, linking spells out again.
        #[test]
        fn the_two_directions_meet_on_plain_words(word in "[a-z]{0,12}") {
            proptest::prop_assert_eq!(spell_out(&fold(&word)), word);
        }

        #[test]
        fn spelled_out_text_is_lower_cased_words_and_spaces(text in "\\PC{0,24}") {
            let out = spell_out(&text);
            proptest::prop_assert!(
                out.chars().all(|c| c == ' '
                    || c.is_alphanumeric() && c.to_lowercase().eq(std::iter::once(c))),
                "{:?}",
                out
            );
        }
    }
}
