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
//!
//! The memory is per thread and shared by all clones of one tokenizer:
//! tantivy clones the registered analyser for every segment writer and for
//! every snippet generator, so a cache inside the clone would start empty
//! for every search. Per thread, nothing is locked.

use std::cell::RefCell;
use std::collections::HashMap;
use std::str::CharIndices;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use tantivy::tokenizer::{TextAnalyzer, Token, TokenStream, Tokenizer};

/// More distinct words than this and a thread's memory of one chain is
/// given back: a hostile or random text must not make it grow without
/// bound.
const MAX_CACHED_WORDS: usize = 100_000;

/// Words longer than this are analysed every time and not remembered: a
/// glued run of letters can be megabytes long and is rarely seen twice.
const MAX_CACHED_WORD_BYTES: usize = 4 * super::MAX_WORD_BYTES;

/// The terms of one word, each with its position relative to the word.
type Terms = Arc<[(usize, Box<str>)]>;

/// Tells the chains apart in a thread's memory; clones share their id.
static NEXT_ID: AtomicUsize = AtomicUsize::new(0);

thread_local! {
    /// Per chain id: what the chain made of each word seen on this thread.
    static CACHES: RefCell<Vec<HashMap<Box<str>, Terms>>> = const { RefCell::new(Vec::new()) };
}

/// The tokenizer: word splitting plus the remembered per-word chain.
#[derive(Clone)]
pub struct WordTokenizer {
    id: usize,
    chain: TextAnalyzer,
}

impl WordTokenizer {
    /// `chain` must start with a tokenizer that yields its input as one
    /// token (`RawTokenizer`) and hold only per-token filters.
    pub fn new(chain: TextAnalyzer) -> WordTokenizer {
        WordTokenizer {
            id: NEXT_ID.fetch_add(1, Ordering::Relaxed),
            chain,
        }
    }
}

/// The terms of `word`, from this thread's memory or, the first time, from
/// the chain.
fn terms(id: usize, chain: &mut TextAnalyzer, word: &str) -> Terms {
    if word.len() > MAX_CACHED_WORD_BYTES {
        return run_chain(chain, word);
    }
    CACHES.with_borrow_mut(|caches| {
        if caches.len() <= id {
            caches.resize_with(id + 1, HashMap::new);
        }
        let cache = &mut caches[id];
        if let Some(terms) = cache.get(word) {
            return Arc::clone(terms);
        }
        if cache.len() >= MAX_CACHED_WORDS {
            *cache = HashMap::new();
        }
        let terms = run_chain(chain, word);
        cache.insert(Box::from(word), Arc::clone(&terms));
        terms
    })
}

/// The terms the chain makes of one word.
fn run_chain(chain: &mut TextAnalyzer, word: &str) -> Terms {
    let mut found = Vec::new();
    let mut stream = chain.token_stream(word);
    while let Some(token) = stream.next() {
        found.push((token.position, Box::from(token.text.as_str())));
    }
    found.into()
}

impl Tokenizer for WordTokenizer {
    type TokenStream<'a> = WordTokenStream<'a>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> WordTokenStream<'a> {
        WordTokenStream {
            text,
            chars: text.char_indices(),
            id: self.id,
            chain: &mut self.chain,
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
    id: usize,
    chain: &'a mut TextAnalyzer,
    /// Position of the next word, as `SimpleTokenizer` counts.
    next_word: usize,
    /// Extra positions that compound parts of earlier words took.
    shift: usize,
    /// The current word's terms and the next of them to emit.
    current: Option<Terms>,
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
            let terms = terms(self.id, self.chain, &self.text[from..to]);
            let Some(&(last, _)) = terms.last() else {
                continue;
            };
            self.current = Some(terms);
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
            .as_ref()
            .is_some_and(|terms| self.next_term < terms.len());
        if !pending && !self.next_word() {
            return false;
        }
        let Some((relative, text)) = self
            .current
            .as_ref()
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
