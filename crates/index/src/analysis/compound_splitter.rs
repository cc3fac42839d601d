//! Splits German compound words (Komposita) into the civic words they are
//! made of, so that `Prävention` finds `Kriminalprävention`,
//! `Präventionsrat` and `Präventionsstrukturen`, and `Rat` finds
//! `Präventionsrat`.
//!
//! The filter emits every token unchanged and, when the token is a compound of
//! dictionary words, the parts right after it: the first part at the
//! compound's position, the following parts at the next positions (later
//! tokens move up accordingly), all with the compound's byte offsets so that
//! a snippet highlights the whole written word. Consecutive positions let a
//! phrase query `prävention rat` find `Landespräventionsrat`.
//!
//! A word is split only when dictionary words cover it completely, joined by
//! the linking elements (Fugenelemente) -s-, -es-, -n-, -en-, -e-, -er- and
//! ending in an inflection (`-en` in `Präventionsstrukturen`). Umlauts do not
//! matter (`Spielplätze` = `spiel` + `platz` + `e`), a dictionary word's final
//! `e` may be dropped inside a compound (`Schulweg`), and the split with the
//! fewest parts wins, so a listed lexicalised word (`Haushalt`) stays whole.
//! One unknown head is tolerated in front of a long known word
//! (`Gewaltprävention` when `Gewalt` were missing), never in front of a short
//! one, since `Referat` is not a kind of `Rat`.
//!
//! Parts are emitted in the dictionary's umlaut-free form (`pravention`); the
//! stemmer that follows removes umlauts anyway, so they meet the stems of the
//! written words. Expects lower-cased, [`GermanNormalizer`]-folded tokens.
//!
//! The filter is the usual tantivy triple: the configuration
//! [`CompoundSplitter`] (a [`TokenFilter`]), the wrapping tokenizer
//! [`CompoundSplitterFilter`] and the stream [`CompoundSplitterTokenStream`].
//!
//! [`GermanNormalizer`]: super::GermanNormalizer

use std::collections::{HashMap, VecDeque};
use std::sync::Arc;

use tantivy::tokenizer::{Token, TokenFilter, TokenStream, Tokenizer};

/// The civic vocabulary shipped with ratsdoc (`data/compound_words.txt`).
const DEFAULT_WORDS: &str = include_str!("../../data/compound_words.txt");

/// Linking elements between two parts, longest first.
const LINKS: [&str; 7] = ["es", "en", "er", "s", "n", "e", ""];

/// Inflection endings of the last part.
const ENDINGS: [&str; 12] = [
    "", "e", "en", "n", "s", "es", "er", "ern", "in", "innen", "nen", "em",
];

/// Parts shorter than this are not looked up: two-letter words split
/// anything.
const MIN_PART: usize = 3;

/// An unknown head must be at least this long …
const MIN_UNKNOWN_HEAD: usize = 4;

/// … and be followed by a known word at least this long (bytes of the
/// umlaut-free form).
const MIN_TAIL_AFTER_UNKNOWN: usize = 7;

/// Cost of a part: the fewest parts win among covers of one sort (a full
/// cover by dictionary words always beats one with an unknown head, see
/// [`Cover::is_better_than`]).
const KNOWN_COST: u32 = 1;
const UNKNOWN_COST: u32 = 3;

/// The words compounds are split into.
#[derive(Debug, Clone)]
pub struct CompoundDictionary {
    /// Umlaut-free lookup form (also with a dropped final `e`) → the part to
    /// emit.
    forms: HashMap<String, Arc<str>>,
    max_len: usize,
}

impl CompoundDictionary {
    /// The civic vocabulary that ships with ratsdoc.
    pub fn civic() -> CompoundDictionary {
        CompoundDictionary::from_text(DEFAULT_WORDS)
    }

    /// Reads one word per line; `#` starts a comment line.
    pub fn from_text(text: &str) -> CompoundDictionary {
        CompoundDictionary::from_words(
            text.lines()
                .map(str::trim)
                .filter(|l| !l.is_empty() && !l.starts_with('#')),
        )
    }

    /// Builds a dictionary from words in any case and spelling.
    pub fn from_words<'w>(words: impl IntoIterator<Item = &'w str>) -> CompoundDictionary {
        let mut forms = HashMap::new();
        for word in words {
            let base = to_base(&super::german_normalizer::fold(&word.to_lowercase()));
            if base.len() < MIN_PART {
                continue;
            }
            let lemma: Arc<str> = Arc::from(base.as_str());
            if let Some(elided) = base.strip_suffix('e')
                && elided.len() > MIN_PART
            {
                forms
                    .entry(elided.to_string())
                    .or_insert_with(|| Arc::clone(&lemma));
            }
            // A full word always wins over an elided form of another one.
            forms.insert(base, lemma);
        }
        let max_len = forms.keys().map(String::len).max().unwrap_or(0);
        CompoundDictionary { forms, max_len }
    }

    /// Number of lookup forms.
    pub fn len(&self) -> usize {
        self.forms.len()
    }

    /// True for a dictionary without words.
    pub fn is_empty(&self) -> bool {
        self.forms.is_empty()
    }

    /// The parts of `word` (lower-cased and folded), or `None` when it is no
    /// compound of dictionary words.
    pub fn split(&self, word: &str) -> Option<Vec<Arc<str>>> {
        let base = to_base(word);
        let n = base.len();
        if n < 2 * MIN_PART {
            return None;
        }
        // best[i]: cheapest cover of base[..i] after which a new part starts.
        let mut best: Vec<Option<Cover>> = vec![None; n + 1];
        best[0] = Some(Cover::default());
        let mut finished: Option<Cover> = None;
        for start in 0..n {
            if !base.is_char_boundary(start) {
                continue;
            }
            let known = best[start].clone();
            let unknown_head = (start >= MIN_UNKNOWN_HEAD && base[..start].chars().any(is_vowel))
                .then(|| Cover {
                    cost: UNKNOWN_COST,
                    parts: Vec::new(),
                    unknown_head: true,
                });
            if known.is_none() && unknown_head.is_none() {
                continue;
            }
            let longest = (n - start).min(self.max_len);
            for len in MIN_PART..=longest {
                let end = start + len;
                if !base.is_char_boundary(end) {
                    continue;
                }
                let Some(lemma) = self.forms.get(&base[start..end]) else {
                    continue;
                };
                let heads = [
                    known.clone(),
                    unknown_head
                        .clone()
                        .filter(|_| len >= MIN_TAIL_AFTER_UNKNOWN),
                ];
                for head in heads.into_iter().flatten() {
                    let mut cover = head;
                    cover.cost += KNOWN_COST;
                    cover.parts.push(Arc::clone(lemma));
                    let rest = &base[end..];
                    if ENDINGS.contains(&rest) && cover.is_better_than(finished.as_ref()) {
                        finished = Some(cover.clone());
                    }
                    for link in LINKS {
                        if rest.starts_with(link) && end + link.len() < n {
                            let slot = &mut best[end + link.len()];
                            if cover.is_better_than(slot.as_ref()) {
                                *slot = Some(cover.clone());
                            }
                        }
                    }
                }
            }
        }
        let cover = finished?;
        let enough = if cover.unknown_head {
            !cover.parts.is_empty()
        } else {
            cover.parts.len() >= 2
        };
        enough.then_some(cover.parts)
    }
}

/// One way to cover the beginning of a word.
#[derive(Debug, Clone, Default)]
struct Cover {
    cost: u32,
    parts: Vec<Arc<str>>,
    unknown_head: bool,
}

impl Cover {
    /// A cover by dictionary words alone beats any with an unknown head,
    /// however many parts it takes (a long compound such as
    /// `Kriminalpräventionsratsgeschäftsordnung` has five); then the
    /// cheaper cover wins.
    fn is_better_than(&self, other: Option<&Cover>) -> bool {
        other.is_none_or(|o| (self.unknown_head, self.cost) < (o.unknown_head, o.cost))
    }
}

fn is_vowel(c: char) -> bool {
    matches!(c, 'a' | 'e' | 'i' | 'o' | 'u' | 'y')
}

/// The umlaut-free lookup form; lengths in bytes of this form are what the
/// length limits above count.
fn to_base(word: &str) -> String {
    word.chars()
        .map(|c| match c {
            'ä' => 'a',
            'ö' => 'o',
            'ü' => 'u',
            other => other,
        })
        .collect()
}

/// Token filter that adds the parts of compound words after them.
#[derive(Clone, Debug)]
pub struct CompoundSplitter {
    dictionary: Arc<CompoundDictionary>,
}

impl CompoundSplitter {
    pub fn new(dictionary: Arc<CompoundDictionary>) -> CompoundSplitter {
        CompoundSplitter { dictionary }
    }
}

impl TokenFilter for CompoundSplitter {
    type Tokenizer<T: Tokenizer> = CompoundSplitterFilter<T>;

    fn transform<T: Tokenizer>(self, tokenizer: T) -> CompoundSplitterFilter<T> {
        CompoundSplitterFilter {
            inner: tokenizer,
            dictionary: self.dictionary,
        }
    }
}

/// The tokenizer that [`CompoundSplitter`] wraps around another one.
#[derive(Clone)]
pub struct CompoundSplitterFilter<T> {
    inner: T,
    dictionary: Arc<CompoundDictionary>,
}

impl<T: Tokenizer> Tokenizer for CompoundSplitterFilter<T> {
    type TokenStream<'a> = CompoundSplitterTokenStream<'a, T::TokenStream<'a>>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> Self::TokenStream<'a> {
        CompoundSplitterTokenStream {
            tail: self.inner.token_stream(text),
            dictionary: &self.dictionary,
            pending: VecDeque::new(),
            part: Token::default(),
            in_part: false,
            shift: 0,
            unshifted: None,
        }
    }
}

/// The stream of tokens and the parts of compounds.
pub struct CompoundSplitterTokenStream<'a, T> {
    tail: T,
    dictionary: &'a CompoundDictionary,
    /// Parts of the current compound still to emit.
    pending: VecDeque<Arc<str>>,
    /// The part being emitted (a copy of the compound with another text).
    part: Token,
    in_part: bool,
    /// How far later tokens move because parts took extra positions.
    shift: usize,
    /// The position the tokenizer gave the current token, before the shift.
    unshifted: Option<usize>,
}

impl<T: TokenStream> TokenStream for CompoundSplitterTokenStream<'_, T> {
    fn advance(&mut self) -> bool {
        if let Some(next) = self.pending.pop_front() {
            if self.in_part {
                self.part.position += 1;
            } else {
                self.part = self.tail.token().clone();
                self.in_part = true;
            }
            self.part.text.clear();
            self.part.text.push_str(&next);
            return true;
        }
        self.in_part = false;
        // The tokenizer counts on from the position it handed out, so it
        // must get back its own count, not the shifted one.
        if let Some(position) = self.unshifted.take() {
            self.tail.token_mut().position = position;
        }
        if !self.tail.advance() {
            return false;
        }
        let token = self.tail.token_mut();
        self.unshifted = Some(token.position);
        token.position += self.shift;
        if let Some(parts) = self.dictionary.split(&token.text) {
            self.shift += parts.len() - 1;
            self.pending.extend(parts);
        }
        true
    }

    fn token(&self) -> &Token {
        if self.in_part {
            &self.part
        } else {
            self.tail.token()
        }
    }

    fn token_mut(&mut self) -> &mut Token {
        if self.in_part {
            &mut self.part
        } else {
            self.tail.token_mut()
        }
    }
}

#[cfg(test)]
mod tests {
    use tantivy::tokenizer::{LowerCaser, SimpleTokenizer, TextAnalyzer, Token};

    use super::*;
    use crate::analysis::GermanNormalizer;
    use crate::analysis::tests::assert_token;

    fn tokens(text: &str) -> Vec<Token> {
        let mut analyzer = TextAnalyzer::builder(SimpleTokenizer::default())
            .filter(LowerCaser)
            .filter(GermanNormalizer)
            .filter(CompoundSplitter::new(Arc::new(CompoundDictionary::civic())))
            .build();
        crate::analysis::tokens(&mut analyzer, text)
    }

    fn parts(word: &str) -> Option<Vec<String>> {
        let folded = super::super::german_normalizer::fold(&word.to_lowercase());
        CompoundDictionary::civic()
            .split(&folded)
            .map(|p| p.iter().map(|s| s.to_string()).collect())
    }

    #[test]
    fn kriminalpraevention_has_praevention() {
        assert_eq!(
            parts("Kriminalprävention").as_deref(),
            Some(&["kriminal".to_string(), "pravention".to_string()][..])
        );
    }

    #[test]
    fn linking_s_and_inflection_ending() {
        assert_eq!(
            parts("Präventionsrat").unwrap_or_default(),
            ["pravention", "rat"]
        );
        assert_eq!(
            parts("Präventionsstrukturen").unwrap_or_default(),
            ["pravention", "struktur"]
        );
    }

    #[test]
    fn linking_es_n_en_e_er() {
        assert_eq!(
            parts("Landespräventionsrat").unwrap_or_default(),
            ["land", "pravention", "rat"]
        );
        // -n-
        assert_eq!(
            parts("Straßenbahnhaltestelle").unwrap_or_default(),
            ["strasse", "bahn", "haltestelle"]
        );
        // -en-
        assert_eq!(
            parts("Menschenrechte").unwrap_or_default(),
            ["mensch", "recht"]
        );
        // -es-
        assert_eq!(
            parts("Tagesordnung").unwrap_or_default(),
            ["tag", "ordnung"]
        );
        // -e-
        assert_eq!(parts("Badestelle").unwrap_or_default(), ["bad", "stelle"]);
        assert_eq!(
            parts("Bürgerbeteiligung").unwrap_or_default(),
            ["burger", "beteiligung"]
        );
        assert_eq!(
            parts("Kinderspielplätze").map(|p| p.len()),
            Some(3),
            "kind-er-spiel-platz-e"
        );
    }

    #[test]
    fn halls_for_sport_and_swimming_have_a_hall() {
        assert_eq!(parts("Turnhalle").unwrap_or_default(), ["turn", "halle"]);
        assert_eq!(
            parts("Schwimmhallen").unwrap_or_default(),
            ["schwimm", "halle"]
        );
    }

    #[test]
    fn plural_umlaut_and_elided_e() {
        assert_eq!(parts("Spielplätze").unwrap_or_default(), ["spiel", "platz"]);
        assert_eq!(parts("Schulweg").unwrap_or_default(), ["schule", "weg"]);
    }

    #[test]
    fn simple_and_lexicalised_words_stay_whole() {
        for word in [
            "Prävention",
            "Strukturen",
            "Haushalt",
            "Rathaus",
            "Referat",
            "Apparat",
            "Bürgerinnen",
            "Kinder",
            "Sport",
            "Deutschland",
            "Beispiel",
        ] {
            assert_eq!(parts(word), None, "{word}");
        }
    }

    #[test]
    fn long_compounds_split_into_all_their_dictionary_words() {
        assert_eq!(
            parts("Kriminalpräventionsratsgeschäftsordnung").unwrap_or_default(),
            ["kriminal", "pravention", "rat", "geschaft", "ordnung"]
        );
        assert_eq!(
            parts("Grundstücksverkehrsgenehmigungszuständigkeitsübertragungsverordnung")
                .unwrap_or_default(),
            [
                "grundstuck",
                "verkehr",
                "genehmigung",
                "zustandigkeit",
                "ubertragung",
                "verordnung"
            ]
        );
    }

    #[test]
    fn unknown_head_only_before_long_words() {
        assert_eq!(
            parts("Gewaltsuchtprävention").unwrap_or_default(),
            ["gewalt", "sucht", "pravention"]
        );
        assert_eq!(
            parts("Xylophonprävention").unwrap_or_default(),
            ["pravention"]
        );
        assert_eq!(parts("Xylophonrat"), None);
    }

    #[test]
    fn emits_original_then_parts_on_following_positions() {
        let t = tokens("Der Landespräventionsrat tagt");
        assert_eq!(t.len(), 6);
        assert_token(&t[0], 0, "der", 0, 3);
        assert_token(&t[1], 1, "landespräventionsrat", 4, 25);
        assert_token(&t[2], 1, "land", 4, 25);
        assert_token(&t[3], 2, "pravention", 4, 25);
        assert_token(&t[4], 3, "rat", 4, 25);
        assert_token(&t[5], 4, "tagt", 26, 30);
    }

    #[test]
    fn every_later_token_moves_by_the_parts_before_it_once() {
        let t = tokens("Präventionsrat tagt, die Kriminalprävention folgt");
        let positions: Vec<(usize, &str)> =
            t.iter().map(|t| (t.position, t.text.as_str())).collect();
        assert_eq!(
            positions,
            [
                (0, "präventionsrat"),
                (0, "pravention"),
                (1, "rat"),
                (2, "tagt"),
                (3, "die"),
                (4, "kriminalprävention"),
                (4, "kriminal"),
                (5, "pravention"),
                (6, "folgt"),
            ]
        );
    }
}
