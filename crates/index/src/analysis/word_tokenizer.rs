//! Splits text into words as tantivy's `SimpleTokenizer` does and runs each
//! *distinct* word through a per-word filter chain only once.
//!
//! Every filter of the German chains works on one token at a time: lower
//! casing, folding, stop words, compound splitting and stemming depend only
//! on the word, never on its neighbours. So the terms of a word can be
//! remembered, and indexing a paper costs one hash lookup per word instead
//! of the whole chain (Snowball and the compound splitter were the largest
//! share of a build's CPU time). Council papers repeat their vocabulary, so
//! nearly every word is a hit after the first few hundred papers.
//!
//! The chain is run on the word alone (a `RawTokenizer` in front), and what
//! it gives is placed as the chain on the whole text would place it: at the
//! word's position, with the word's offsets, and with every later word
//! moved up by the extra positions that compound parts took. A test checks
//! that both give the same tokens.

use std::collections::HashMap;
use std::str::CharIndices;

use tantivy::tokenizer::{TextAnalyzer, Token, TokenStream, Tokenizer};

/// More distinct words than this and the memory is given back: a hostile
/// or random text must not make the cache grow without bound.
const MAX_CACHED_WORDS: usize = 200_000;

/// The tokenizer: word splitting plus the remembered per-word chain.
#[derive(Clone)]
pub struct WordTokenizer {
    chain: TextAnalyzer,
    cache: WordCache,
}

impl WordTokenizer {
    /// `chain` must start with a tokenizer that yields its input as one
    /// token (`RawTokenizer`) and hold only per-token filters.
    pub fn new(chain: TextAnalyzer) -> WordTokenizer {
        WordTokenizer {
            chain,
            cache: WordCache::default(),
        }
    }
}

/// The terms of one word, each with its position relative to the word.
type Terms = Box<[(usize, Box<str>)]>;

/// What the chain made of each word seen so far.
#[derive(Clone, Default)]
struct WordCache {
    index: HashMap<Box<str>, usize>,
    /// Per word: what the chain made of it.
    entries: Vec<Terms>,
}

impl WordCache {
    /// The entry of `word`, running the chain on a miss.
    fn entry(&mut self, chain: &mut TextAnalyzer, word: &str) -> usize {
        if let Some(&i) = self.index.get(word) {
            return i;
        }
        if self.entries.len() >= MAX_CACHED_WORDS {
            self.index.clear();
            self.entries.clear();
        }
        let mut terms = Vec::new();
        let mut stream = chain.token_stream(word);
        while let Some(token) = stream.next() {
            terms.push((token.position, Box::from(token.text.as_str())));
        }
        let i = self.entries.len();
        self.entries.push(terms.into_boxed_slice());
        self.index.insert(Box::from(word), i);
        i
    }
}

impl Tokenizer for WordTokenizer {
    type TokenStream<'a> = WordTokenStream<'a>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> WordTokenStream<'a> {
        WordTokenStream {
            text,
            chars: text.char_indices(),
            chain: &mut self.chain,
            cache: &mut self.cache,
            next_word: 0,
            shift: 0,
            current: None,
            next_term: 0,
            word_position: 0,
            token: Token::default(),
        }
    }
}

/// The tokens of one text.
pub struct WordTokenStream<'a> {
    text: &'a str,
    chars: CharIndices<'a>,
    chain: &'a mut TextAnalyzer,
    cache: &'a mut WordCache,
    /// Position of the next word, as `SimpleTokenizer` counts.
    next_word: usize,
    /// Extra positions that compound parts of earlier words took.
    shift: usize,
    /// The current word's cache entry and the next of its terms to emit.
    current: Option<usize>,
    next_term: usize,
    /// Where the current word's first term goes.
    word_position: usize,
    token: Token,
}

impl WordTokenStream<'_> {
    /// Moves to the next word that has terms; false at the end of the text.
    fn next_word(&mut self) -> bool {
        loop {
            let Some(from) = self
                .chars
                .by_ref()
                .find(|(_, c)| c.is_alphanumeric())
                .map(|(i, _)| i)
            else {
                return false;
            };
            let to = self
                .chars
                .by_ref()
                .find(|(_, c)| !c.is_alphanumeric())
                .map_or(self.text.len(), |(i, _)| i);
            let position = self.next_word;
            self.next_word += 1;
            let entry = self.cache.entry(self.chain, &self.text[from..to]);
            let terms = &self.cache.entries[entry];
            let Some(&(last, _)) = terms.last() else {
                continue;
            };
            self.current = Some(entry);
            self.next_term = 0;
            self.word_position = position + self.shift;
            self.shift += last;
            self.token.offset_from = from;
            self.token.offset_to = to;
            return true;
        }
    }
}

impl TokenStream for WordTokenStream<'_> {
    fn advance(&mut self) -> bool {
        let pending = self
            .current
            .and_then(|entry| self.cache.entries.get(entry))
            .is_some_and(|terms| self.next_term < terms.len());
        if !pending && !self.next_word() {
            return false;
        }
        let Some((relative, text)) = self
            .current
            .and_then(|entry| self.cache.entries.get(entry))
            .and_then(|terms| terms.get(self.next_term))
        else {
            return false;
        };
        self.token.position = self.word_position + relative;
        self.token.text.clear();
        self.token.text.push_str(text);
        self.next_term += 1;
        true
    }

    fn token(&self) -> &Token {
        &self.token
    }

    fn token_mut(&mut self) -> &mut Token {
        &mut self.token
    }
}
