//! Makes the spellings of one German word meet: `Kaßberg` and `Kassberg`,
//! `Prävention` and `Praevention`, `Öffentlichkeit` and `Oeffentlichkeit`.
//!
//! Typewriter spellings (ae, oe, ue for ä, ö, ü) turn *into* umlauts, not the
//! other way round, because the Snowball German stemmer that runs after this
//! filter removes umlauts itself and relies on them to merge plurals
//! (`Spielplätze` → `spielplatz`); `ß` becomes `ss`, as the stemmer would do.
//! A `ue` after a, e, ä or q is a diphthong or `qu` (`Bauer`, `teuer`,
//! `Quelle`) and stays. Other accents (é, à, ç) are dropped. The rules live
//! in [`ratsdoc_model::fold`], beside the other direction that linking uses.
//!
//! Expects lower-cased tokens. The filter is the usual tantivy triple: the
//! configuration [`GermanNormalizer`] (a [`TokenFilter`]), the wrapping
//! tokenizer [`GermanNormalizerFilter`] and the stream
//! [`GermanNormalizerTokenStream`].

use std::mem;

use ratsdoc_model::fold::{fold_into, may_change};
use tantivy::tokenizer::{Token, TokenFilter, TokenStream, Tokenizer};

/// Folds one lower-cased word; see the module documentation for the rules.
pub use ratsdoc_model::fold::fold;

/// Token filter that folds German spelling variants onto one form.
#[derive(Clone, Copy, Debug, Default)]
pub struct GermanNormalizer;

impl TokenFilter for GermanNormalizer {
    type Tokenizer<T: Tokenizer> = GermanNormalizerFilter<T>;

    fn transform<T: Tokenizer>(self, tokenizer: T) -> GermanNormalizerFilter<T> {
        GermanNormalizerFilter {
            inner: tokenizer,
            buffer: String::new(),
        }
    }
}

/// The tokenizer that [`GermanNormalizer`] wraps around another one.
#[derive(Clone)]
pub struct GermanNormalizerFilter<T> {
    inner: T,
    buffer: String,
}

impl<T: Tokenizer> Tokenizer for GermanNormalizerFilter<T> {
    type TokenStream<'a> = GermanNormalizerTokenStream<'a, T::TokenStream<'a>>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> Self::TokenStream<'a> {
        self.buffer.clear();
        GermanNormalizerTokenStream {
            tail: self.inner.token_stream(text),
            buffer: &mut self.buffer,
        }
    }
}

/// The stream of folded tokens.
pub struct GermanNormalizerTokenStream<'a, T> {
    tail: T,
    buffer: &'a mut String,
}

impl<T: TokenStream> TokenStream for GermanNormalizerTokenStream<'_, T> {
    fn advance(&mut self) -> bool {
        if !self.tail.advance() {
            return false;
        }
        let text = &self.tail.token().text;
        if may_change(text) {
            fold_into(text, self.buffer);
            mem::swap(&mut self.tail.token_mut().text, self.buffer);
        }
        true
    }

    fn token(&self) -> &Token {
        self.tail.token()
    }

    fn token_mut(&mut self) -> &mut Token {
        self.tail.token_mut()
    }
}

#[cfg(test)]
mod tests {
    use tantivy::tokenizer::{LowerCaser, SimpleTokenizer, TextAnalyzer, Token};

    use super::*;
    use crate::analysis::tests::assert_token;

    fn tokens(text: &str) -> Vec<Token> {
        let mut analyzer = TextAnalyzer::builder(SimpleTokenizer::default())
            .filter(LowerCaser)
            .filter(GermanNormalizer)
            .build();
        crate::analysis::tokens(&mut analyzer, text)
    }

    #[test]
    fn sharp_s_becomes_double_s() {
        let t = tokens("Kaßberg");
        assert_eq!(t.len(), 1);
        assert_token(&t[0], 0, "kassberg", 0, 8);
    }

    #[test]
    fn typewriter_umlauts_become_umlauts() {
        let t = tokens("Praevention Oeffentlichkeit Uebersicht Prävention");
        assert_token(&t[0], 0, "prävention", 0, 11);
        assert_token(&t[1], 1, "öffentlichkeit", 12, 27);
        assert_token(&t[2], 2, "übersicht", 28, 38);
        assert_token(&t[3], 3, "prävention", 39, 50);
    }

    #[test]
    fn diphthongs_and_qu_stay() {
        let t = tokens("Bauer teuer Quelle Steuern");
        let texts: Vec<&str> = t.iter().map(|t| t.text.as_str()).collect();
        assert_eq!(texts, ["bauer", "teuer", "quelle", "steuern"]);
    }

    #[test]
    fn other_accents_are_dropped() {
        assert_eq!(fold("café"), "cafe");
        assert_eq!(fold("garçon"), "garcon");
    }
}
