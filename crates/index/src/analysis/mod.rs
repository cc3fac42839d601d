//! German analysis: how text becomes the terms that the index stores and a
//! query looks up.
//!
//! Two analysers share one chain; the second adds compound splitting:
//!
//! ```text
//! de        words → LowerCaser → GermanNormalizer → LongWordCutter(100)
//!             → StopWords(German) → Stemmer(German)
//! de_parts  words → LowerCaser → GermanNormalizer → LongWordCutter(100)
//!             → StopWords(German) → CompoundSplitter → Stemmer(German)
//! ```
//!
//! No word is ever dropped for its length: `LongWordCutter` keeps German
//! compounds whole (and the splitter finds their parts) and cuts only runs
//! of letters longer than any real word. So the only words without a term
//! are stop words, and a query of real words never analyses to nothing.
//!
//! `words` splits text at every character that is not alphanumeric, as
//! tantivy's `SimpleTokenizer` does, and runs the chain once per distinct
//! word, remembering the result ([`WordTokenizer`]): every filter here looks
//! at one word at a time, so the terms are the same as the chain's on the
//! whole text, at a fraction of the cost.
//!
//! `de` feeds the exact fields (title, body), `de_parts` the lower-boosted
//! `*_parts` fields, so a paper that says `Prävention` ranks above one that
//! only says `Kriminalprävention`. Both chains end in the same stemmer, so a
//! query term analysed by `de` can be looked up in a `*_parts` field too.
//!
//! ```
//! use ratsdoc_index::analysis;
//! assert_eq!(analysis::terms(analysis::DE, "Spielplätze"), ["spielplatz"]);
//! assert_eq!(analysis::terms(analysis::DE, "Kaßberg"), analysis::terms(analysis::DE, "Kassberg"));
//! assert_eq!(
//!     analysis::terms(analysis::DE_PARTS, "Kriminalprävention"),
//!     ["kriminalpravention", "kriminal", "pravention"]
//! );
//! ```
//!
//! Changing anything here changes the terms on disk: bump
//! [`crate::ANALYZER_VERSION`], and every index is rebuilt by the next build.

mod compound_splitter;
mod german_normalizer;
mod long_word_cutter;
mod word_tokenizer;

use std::sync::{Arc, LazyLock};

pub use compound_splitter::{
    CompoundDictionary, CompoundSplitter, CompoundSplitterFilter, CompoundSplitterTokenStream,
};
pub use german_normalizer::{
    GermanNormalizer, GermanNormalizerFilter, GermanNormalizerTokenStream, fold,
};
pub use long_word_cutter::{
    LongWordCutter, LongWordCutterFilter, LongWordCutterTokenStream, MAX_WORD_BYTES,
};
use tantivy::tokenizer::{
    Language, LowerCaser, RawTokenizer, Stemmer, StopWordFilter, TextAnalyzer, Token,
    TokenizerManager,
};
pub use word_tokenizer::{WordTokenStream, WordTokenizer};

/// Name of the analyser of the exact text fields.
pub const DE: &str = "de";
/// Name of the analyser of the compound-part fields.
pub const DE_PARTS: &str = "de_parts";
/// Name of the analyser of exact keys compared without case (submitters).
pub const KEY: &str = "key";

const STOP_WORDS: &str = include_str!("../../data/stop_words.txt");

static DICTIONARY: LazyLock<Arc<CompoundDictionary>> =
    LazyLock::new(|| Arc::new(CompoundDictionary::civic()));

/// Built once: every query builds its analysers anew.
static ANALYZERS: LazyLock<(TextAnalyzer, TextAnalyzer)> = LazyLock::new(|| {
    (
        TextAnalyzer::from(WordTokenizer::new(word_chain(false))),
        TextAnalyzer::from(WordTokenizer::new(word_chain(true))),
    )
});

fn stop_words() -> StopWordFilter {
    StopWordFilter::remove(
        STOP_WORDS
            .lines()
            .filter(|l| !l.starts_with('#'))
            .flat_map(str::split_whitespace)
            .map(fold),
    )
}

/// The analyser of the exact text fields.
pub fn german() -> TextAnalyzer {
    ANALYZERS.0.clone()
}

/// The analyser of the compound-part fields: the exact terms plus the parts.
pub fn german_parts() -> TextAnalyzer {
    ANALYZERS.1.clone()
}

/// The chain of one word (the module documentation's, after `words`), with
/// or without compound splitting.
fn word_chain(parts: bool) -> TextAnalyzer {
    chain(RawTokenizer::default(), parts)
}

/// The filters of [`word_chain`] behind any tokenizer.
fn chain<T: tantivy::tokenizer::Tokenizer>(tokenizer: T, parts: bool) -> TextAnalyzer {
    let common = TextAnalyzer::builder(tokenizer)
        .filter(LowerCaser)
        .filter(GermanNormalizer)
        .filter(LongWordCutter)
        .filter(stop_words());
    if parts {
        common
            .filter(CompoundSplitter::new(Arc::clone(&DICTIONARY)))
            .filter(Stemmer::new(Language::German))
            .build()
    } else {
        common.filter(Stemmer::new(Language::German)).build()
    }
}

/// Registers the analysers under the names the schema refers to. Tantivy does
/// not store analysers with an index, so every opener must call this.
pub fn register(manager: &TokenizerManager) {
    manager.register(DE, german());
    manager.register(DE_PARTS, german_parts());
    manager.register(
        KEY,
        TextAnalyzer::builder(RawTokenizer::default())
            .filter(LowerCaser)
            .build(),
    );
}

/// The analyser registered under `name`, for callers outside an index.
pub fn by_name(name: &str) -> TextAnalyzer {
    let manager = TokenizerManager::default();
    register(&manager);
    manager.get(name).unwrap_or_else(german)
}

/// All tokens `analyzer` makes of `text`.
pub fn tokens(analyzer: &mut TextAnalyzer, text: &str) -> Vec<Token> {
    let mut stream = analyzer.token_stream(text);
    let mut out = Vec::new();
    stream.process(&mut |t: &Token| out.push(t.clone()));
    out
}

/// The terms the analyser called `name` makes of `text` (for tests and
/// debugging).
pub fn terms(name: &str, text: &str) -> Vec<String> {
    tokens(&mut by_name(name), text)
        .into_iter()
        .map(|t| t.text)
        .collect()
}

#[cfg(test)]
pub(crate) mod tests {
    use tantivy::tokenizer::Token;

    use super::*;

    /// Checks one token completely, like tantivy's own filter tests.
    pub fn assert_token(token: &Token, position: usize, text: &str, from: usize, to: usize) {
        assert_eq!(
            token.position, position,
            "expected position {position} but {token:?}"
        );
        assert_eq!(token.text, text, "expected text {text} but {token:?}");
        assert_eq!(
            token.offset_from, from,
            "expected offset_from {from} but {token:?}"
        );
        assert_eq!(token.offset_to, to, "expected offset_to {to} but {token:?}");
    }

    fn same(a: &str, b: &str) {
        assert_eq!(terms(DE, a), terms(DE, b), "{a} vs {b}");
    }

    #[test]
    fn umlaut_and_sharp_s_spellings_meet() {
        same("Kaßberg", "Kassberg");
        same("Prävention", "Praevention");
        same("Öffentlichkeit", "Oeffentlichkeit");
        same("Bürger", "Buerger");
        same("Straße", "Strasse");
    }

    #[test]
    fn stemming_merges_inflections_and_plural_umlauts() {
        same("Spielplatz", "Spielplätze");
        same("Schule", "Schulen");
        same("Struktur", "Strukturen");
        same("Kommune", "Kommunen");
        same("Sicherheit", "Sicherheiten");
    }

    #[test]
    fn stop_words_are_dropped_but_positions_kept() {
        let mut analyzer = german();
        let t = tokens(&mut analyzer, "die Stadt und der Rat für Sicherheit");
        let texts: Vec<&str> = t.iter().map(|t| t.text.as_str()).collect();
        assert_eq!(texts, ["stadt", "rat", "sich"]);
        assert_token(&t[0], 1, "stadt", 4, 9);
        assert_token(&t[1], 4, "rat", 18, 21);
        // "nicht" matters in "nicht öffentlich".
        assert_eq!(terms(DE, "nicht öffentlich").len(), 2);
    }

    #[test]
    fn parts_analyser_finds_the_parts_of_compounds() {
        let parts = terms(DE_PARTS, "Präventionsstrukturen");
        assert!(parts.contains(&terms(DE, "Prävention")[0]), "{parts:?}");
        assert!(parts.contains(&terms(DE, "Struktur")[0]), "{parts:?}");
        let parts = terms(DE_PARTS, "Präventionsrat");
        assert!(parts.contains(&terms(DE, "Rat")[0]), "{parts:?}");
        let parts = terms(DE_PARTS, "Spielplätze");
        assert!(parts.contains(&terms(DE, "Platz")[0]), "{parts:?}");
    }

    #[test]
    fn exact_analyser_does_not_split() {
        assert_eq!(terms(DE, "Kriminalprävention").len(), 1);
    }

    /// The chains as tantivy filters on the whole text: what the remembered
    /// per-word analysis must reproduce token for token.
    fn whole_text_chain(parts: bool) -> TextAnalyzer {
        chain(tantivy::tokenizer::SimpleTokenizer::default(), parts)
    }

    #[test]
    fn remembered_words_give_the_same_tokens_as_the_whole_chain() {
        let texts = [
            "Der Landespräventionsrat tagt; die Kriminalprävention und der \
             Landespräventionsrat (LPR) — Präventionsstrukturen, Präventionsrat!",
            "Haushaltsmittel für Kinderspielplätze in der Straßenbahnhaltestelle \
             und Haushaltsmittel 2024/25 für Spielplätze",
            "Praevention Oeffentlichkeit Kaßberg café über-örtlich Ärzte ÄRZTE",
            &format!("{} Ende", "x".repeat(60)),
            &format!("{} Ende", "ü".repeat(300)),
            "Grundstücksverkehrsgenehmigungszuständigkeitsübertragungsverordnung",
            "",
            "   ...   ",
            "und der die das",
            "BA-044/2020 I-051/2020 3.000 € Mittel",
        ];
        let mut generated = String::new();
        let words = [
            "Stadtrat",
            "der",
            "Präventionsrat",
            "Sicherheit",
            "Bürgerbeteiligung",
            "Tagesordnung",
            "in",
            "Schulweg",
            "Haushaltsmittel",
            "Rat",
        ];
        for i in 0..500usize {
            generated.push_str(words[(i * 7 + i / 3) % words.len()]);
            generated.push(if i % 5 == 0 { '-' } else { ' ' });
        }
        for parts in [false, true] {
            let mut remembered = if parts { german_parts() } else { german() };
            let mut reference = whole_text_chain(parts);
            for text in texts.iter().copied().chain([generated.as_str()]) {
                // Twice: the second pass is answered from the cache.
                for _ in 0..2 {
                    assert_eq!(
                        tokens(&mut remembered, text),
                        tokens(&mut reference, text),
                        "parts={parts}: {text}"
                    );
                }
            }
        }
    }

    #[test]
    fn long_compounds_are_terms_and_split_into_their_parts() {
        let word = "Grundstücksverkehrsgenehmigungszuständigkeitsübertragungsverordnung";
        assert_eq!(terms(DE, word).len(), 1);
        assert_eq!(terms(DE, word), terms(DE, &word.to_uppercase()));
        let parts = terms(DE_PARTS, word);
        for part in [
            "Grundstück",
            "Verkehr",
            "Genehmigung",
            "Zuständigkeit",
            "Verordnung",
        ] {
            assert!(parts.contains(&terms(DE, part)[0]), "{part}: {parts:?}");
        }
        let parts = terms(DE_PARTS, "Kriminalpräventionsratsgeschäftsordnung");
        for part in ["Kriminal", "Prävention", "Rat", "Geschäft", "Ordnung"] {
            assert!(parts.contains(&terms(DE, part)[0]), "{part}: {parts:?}");
        }
    }

    #[test]
    fn long_noise_is_cut_not_dropped() {
        let noise = "x".repeat(5000);
        assert_eq!(terms(DE, &noise), terms(DE, &"x".repeat(MAX_WORD_BYTES)));
        assert_eq!(terms(DE, &noise).len(), 1);
    }

    #[test]
    fn only_stop_words_analyse_to_nothing() {
        for text in ["und", "UND der die das", "", "   ", "🙂🙂", "…!?", "—"] {
            assert!(terms(DE, text).is_empty(), "{text:?}");
        }
        for text in ["Rat", "xy", "2020", "Ǆ", "𝔘𝔫𝔡"] {
            assert!(!terms(DE, text).is_empty(), "{text:?}");
        }
    }
}
