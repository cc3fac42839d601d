//! Property tests of the search front end over a small real index: any text
//! a user can type gets an answer, never a panic, and never every paper
//! unless it asked for every paper with `*`.

use proptest::prelude::*;
use proptest::test_runner::{Config, TestCaseError, TestRunner};
use ratsdoc_index::{IndexError, SearchRequest, Searcher, analysis};
use ratsdoc_model::Kind;

use crate::common::*;

/// Bits of what people type: stop words, operators, quotes, symbols, real
/// words and numbers of the fixture, long compounds, a lone `*`.
const PIECES: &[&str] = &[
    "und",
    "der",
    "die",
    "UND",
    "OR",
    "AND",
    "NOT",
    "NICHT",
    "-",
    "+",
    "\"",
    "„",
    "“",
    "«",
    "(",
    ")",
    ":",
    "*",
    "?",
    "…",
    "🙂",
    "👍🏽",
    "\u{200b}",
    "\u{0}",
    "Prävention",
    "Praevention",
    "Kaßberg",
    "Spielplätze",
    "-Rat",
    "Rat",
    "BA-044/2020",
    "ba 10/2021",
    "44/2020",
    "Kriminalpräventionsratsgeschäftsordnung",
    "Grundstücksverkehrsgenehmigungszuständigkeitsübertragungsverordnung",
    "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
];

/// Words that the query reads as operators, not as words.
const OPERATORS: &[&str] = &["AND", "OR", "UND", "ODER", "NOT", "NICHT"];

/// The council of the other tests plus one paper whose words nothing in
/// [`PIECES`] can match: a query matches every paper only through `*`.
fn index() -> Fixture {
    let mut records = council();
    records.push((
        record(
            "other-feedfacefeedface",
            Kind::Other,
            "Zwiebelturm",
            "Glockenspielwartung Zwiebelturmrestaurierung Wetterfahnenvergoldung",
        ),
        None,
    ));
    let fx = Fixture::new();
    fx.build(&records);
    fx
}

/// A `*` standing alone once the query's own syntax is read (a quote
/// without partner is ignored, so `"*` is `*`): the only way to ask for
/// every paper. The star must be in the text itself.
fn asks_for_everything(text: &str) -> bool {
    text.contains('*') && ratsdoc_index::query::ParsedQuery::parse(text).everything
}

/// A fixed seed, so CI runs the same cases every time; a failure names its
/// input, which a unit test then keeps.
fn runner(cases: u32) -> TestRunner {
    let config = Config {
        cases,
        failure_persistence: None,
        ..Config::default()
    };
    TestRunner::new_with_rng(
        config,
        proptest::test_runner::TestRng::deterministic_rng(
            proptest::test_runner::RngAlgorithm::ChaCha,
        ),
    )
}

/// Runs `text` and checks what any text must get.
fn check(searcher: &Searcher, everything: usize, text: &str) -> Result<(), TestCaseError> {
    match searcher.search(&SearchRequest::new(text)) {
        Ok(r) => prop_assert!(
            r.total < everything || asks_for_everything(text),
            "{text:?} matched all {} papers",
            r.total
        ),
        Err(IndexError::NothingToSearch { query }) => prop_assert_eq!(query, text),
        Err(e) => return Err(TestCaseError::fail(format!("{text:?}: {e}"))),
    }
    Ok(())
}

#[test]
fn no_text_matches_every_paper_unless_it_is_a_star() {
    let fx = index();
    let searcher = fx.searcher();
    let everything = searcher
        .search(&SearchRequest::new("*"))
        .map(|r| r.total)
        .unwrap_or_default();
    assert_eq!(everything, council().len() + 1);

    let text = prop::collection::vec(
        prop_oneof![
            2 => prop::sample::select(PIECES).prop_map(str::to_string),
            1 => "\\PC{0,12}",
            1 => any::<String>(),
        ],
        0..8,
    )
    .prop_map(|parts| parts.join(" "));
    let result = runner(300).run(&text, |text| check(&searcher, everything, &text));
    if let Err(e) = result {
        panic!("{e}");
    }
    let result = runner(200).run(&any::<String>(), |text| check(&searcher, everything, &text));
    if let Err(e) = result {
        panic!("{e}");
    }
}

/// One word of letters and digits has nothing to search for exactly when
/// it is a stop word; a long one is never lost.
#[test]
fn a_single_word_is_searchable_unless_it_is_a_stop_word() {
    let fx = index();
    let searcher = fx.searcher();
    let word = "[\\p{L}\\p{N}]{1,150}";
    let result = runner(300).run(&word, |word| {
        prop_assume!(!OPERATORS.contains(&word.as_str()));
        let stop_word = analysis::terms(analysis::DE, &word).is_empty();
        let nothing = matches!(
            searcher.search(&SearchRequest::new(word.as_str())),
            Err(IndexError::NothingToSearch { .. })
        );
        prop_assert_eq!(nothing, stop_word, "{:?}", word);
        Ok(())
    });
    if let Err(e) = result {
        panic!("{e}");
    }
}
