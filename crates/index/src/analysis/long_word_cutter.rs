//! Cuts an overlong word to its first [`MAX_WORD_BYTES`] bytes instead of
//! dropping it.
//!
//! German compounds are long, and the ones clerks type are the longest:
//! `Grundstücksverkehrsgenehmigungszuständigkeitsübertragungsverordnung` has
//! 67 letters. A filter that drops long tokens (tantivy's `RemoveLongFilter`)
//! makes such a word unfindable in the papers and, worse, makes a query of
//! that one word analyse to nothing. This filter keeps every word: real
//! words (up to 100 bytes, longer than any law's name) pass unchanged and are
//! split and stemmed like any other; a longer run of letters (a glued table
//! row, a hash) is cut at a character boundary. The query side runs the same
//! chain, so the same written word gives the same cut term and still finds
//! its paper.
//!
//! Expects lower-cased, folded tokens, so that the cut falls at the same
//! place whatever the case or spelling of the word.
//!
//! The filter is the usual tantivy triple: the configuration
//! [`LongWordCutter`] (a [`TokenFilter`]), the wrapping tokenizer
//! [`LongWordCutterFilter`] and the stream [`LongWordCutterTokenStream`].

use tantivy::tokenizer::{Token, TokenFilter, TokenStream, Tokenizer};

/// The longest term a word becomes, in bytes of its folded form.
pub const MAX_WORD_BYTES: usize = 100;

/// Token filter that cuts overlong words to [`MAX_WORD_BYTES`].
#[derive(Clone, Copy, Debug, Default)]
pub struct LongWordCutter;

impl TokenFilter for LongWordCutter {
    type Tokenizer<T: Tokenizer> = LongWordCutterFilter<T>;

    fn transform<T: Tokenizer>(self, tokenizer: T) -> LongWordCutterFilter<T> {
        LongWordCutterFilter { inner: tokenizer }
    }
}

/// The tokenizer that [`LongWordCutter`] wraps around another one.
#[derive(Clone)]
pub struct LongWordCutterFilter<T> {
    inner: T,
}

impl<T: Tokenizer> Tokenizer for LongWordCutterFilter<T> {
    type TokenStream<'a> = LongWordCutterTokenStream<T::TokenStream<'a>>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> Self::TokenStream<'a> {
        LongWordCutterTokenStream {
            tail: self.inner.token_stream(text),
        }
    }
}

/// The stream of tokens, none longer than [`MAX_WORD_BYTES`].
pub struct LongWordCutterTokenStream<T> {
    tail: T,
}

impl<T: TokenStream> TokenStream for LongWordCutterTokenStream<T> {
    fn advance(&mut self) -> bool {
        if !self.tail.advance() {
            return false;
        }
        let text = &mut self.tail.token_mut().text;
        if text.len() > MAX_WORD_BYTES {
            let mut end = MAX_WORD_BYTES;
            while !text.is_char_boundary(end) {
                end -= 1;
            }
            text.truncate(end);
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
    use tantivy::tokenizer::{SimpleTokenizer, TextAnalyzer, Token};

    use super::*;
    use crate::analysis::tests::assert_token;

    fn tokens(text: &str) -> Vec<Token> {
        let mut analyzer = TextAnalyzer::builder(SimpleTokenizer::default())
            .filter(LongWordCutter)
            .build();
        crate::analysis::tokens(&mut analyzer, text)
    }

    #[test]
    fn real_compounds_pass_unchanged() {
        let word = "grundstücksverkehrsgenehmigungszuständigkeitsübertragungsverordnung";
        let t = tokens(&format!("die {word} gilt"));
        assert_eq!(t.len(), 3);
        assert_token(&t[1], 1, word, 4, 4 + word.len());
    }

    #[test]
    fn overlong_words_are_cut_not_dropped_and_keep_their_offsets() {
        let word = "x".repeat(250);
        let t = tokens(&format!("a {word} b"));
        assert_eq!(t.len(), 3);
        assert_token(&t[1], 1, &"x".repeat(MAX_WORD_BYTES), 2, 252);
        assert_token(&t[2], 2, "b", 253, 254);
    }

    #[test]
    fn the_cut_falls_on_a_character_boundary() {
        // 'ä' is two bytes: 99 of them end on byte 198, past the limit.
        let word = format!("x{}", "ä".repeat(99));
        let t = tokens(&word);
        assert_eq!(t.len(), 1);
        assert_eq!(t[0].text, format!("x{}", "ä".repeat(49)));
        assert_eq!(t[0].text.len(), MAX_WORD_BYTES - 1);
    }
}
