//! A listing page (a faction's page of several Ratsanfragen with the city's
//! answers) gives one record per paper; the papers of one page come, change
//! and go with it, merge with another file of the same paper, and a record
//! deleted by hand is made again from the page.

use std::path::{Path, PathBuf};

use crate::fresh::assert_equals_fresh;
use crate::util::*;

const AS_OF: &str = "2023-01-31";

/// One answered Ratsanfrage as a faction's category page lists it: a bullet
/// heading, the same heading again, the letter.
pub fn item(number: &str, title: &str, question: &str, answer: &str) -> String {
    format!(
        "• {number}: {title}\n\n{number}: {title}\n\nSehr geehrter Herr Beispiel,\n\n\
         zu Ihrer Ratsanfrage teile ich Ihnen im Auftrag des Oberbürgermeisters Folgendes mit:\n\n\
         1. {question}\n\n{answer}\n\nFreundliche Grüße\n\nErika Muster\nBürgermeisterin\n\n"
    )
}

fn page(items: &[(&str, &str, &str, &str)]) -> String {
    let mut text = String::from("Kategorie: Ratsanfrage\n\n");
    for (number, title, question, answer) in items {
        text.push_str(&item(number, title, question, answer));
    }
    text
}

const BENCHES: (&str, &str, &str, &str) = (
    "RA-101/2022",
    "Sitzbänke am Schlossteich",
    "Wie viele Sitzbänke stehen am Schlossteich?",
    "Am Schlossteich stehen vierundzwanzig Sitzbänke.",
);
const POOL: (&str, &str, &str, &str) = (
    "RA-102/2022",
    "Öffnungszeiten der Schwimmhalle Bernsdorf",
    "Wann öffnet die Schwimmhalle am Wochenende?",
    "Die Schwimmhalle öffnet sonnabends um acht Uhr.",
);
const LIGHTS: (&str, &str, &str, &str) = (
    "RA-103/2022",
    "Ampelschaltung an der Zschopauer Straße",
    "Wie lange dauert die Grünphase für Fußgänger?",
    "Die Grünphase dauert zwölf Sekunden.",
);

fn record_text(data: &Path, id: &str) -> String {
    let name = format!("{}.yaml", ratsdoc_model::number::id_to_file_stem(id));
    std::fs::read_to_string(data.join("records").join(name))
        .unwrap_or_else(|e| panic!("record of {id}: {e}"))
}

fn ids(data: &Path) -> Vec<String> {
    let mut ids = search_ids(data, "*");
    ids.sort();
    ids
}

/// A scratch directory whose `corpus/` holds one listing page of `items`,
/// and the page's path.
fn corpus_with_page(items: &[(&str, &str, &str, &str)]) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let corpus = dir.path().join("corpus");
    std::fs::create_dir_all(&corpus).unwrap();
    let listing = corpus.join("ratsanfragen.txt");
    std::fs::write(&listing, page(items)).unwrap();
    (dir, listing)
}

fn quiet_build(corpus: &Path, data: &Path) -> std::process::Output {
    let o = build(corpus, data, &["--quiet", "--as-of", AS_OF]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    o
}

#[test]
fn a_listing_page_gives_one_record_per_paper_each_with_its_own_text() {
    let (dir, listing) = corpus_with_page(&[BENCHES, POOL, LIGHTS]);
    let (corpus, data) = (dir.path().join("corpus"), dir.path().join("data"));

    quiet_build(&corpus, &data);
    assert_eq!(ids(&data), ["RA-101/2022", "RA-102/2022", "RA-103/2022"]);
    let benches = record_text(&data, "RA-101/2022");
    assert!(benches.contains("Sitzbänke am Schlossteich"), "{benches}");
    assert!(benches.contains("vierundzwanzig"), "{benches}");
    for neighbour in ["Schwimmhalle", "Grünphase"] {
        assert!(!benches.contains(neighbour), "{neighbour} in {benches}");
    }
    assert!(record_text(&data, "RA-102/2022").contains("sonnabends"));
    let file = &report(&data)["files"][0];
    let path = file["path"].as_str().unwrap();
    assert!(path.ends_with("ratsanfragen.txt"), "{path}");
    assert_eq!(file["id"], "RA-101/2022");
    assert_eq!(
        file["other_ids"],
        serde_json::json!(["RA-102/2022", "RA-103/2022"])
    );
    assert_eq!(report(&data)["totals"]["records"], 3);

    // Nothing changed: nothing is written.
    let before = snapshot(&data.join("records"));
    let again = build(&corpus, &data, &["--as-of", AS_OF]);
    assert!(stdout(&again).contains("1 unchanged"), "{}", stdout(&again));
    assert_eq!(snapshot(&data.join("records")), before);

    // An item leaves the page: its record goes, the others stay.
    std::fs::write(&listing, page(&[BENCHES, LIGHTS])).unwrap();
    quiet_build(&corpus, &data);
    assert_eq!(ids(&data), ["RA-101/2022", "RA-103/2022"]);
    assert_equals_fresh(&corpus, &data, 0, AS_OF, "an item left the page");

    // It comes back; a record deleted by hand is made again from the page.
    std::fs::write(&listing, page(&[BENCHES, POOL, LIGHTS])).unwrap();
    quiet_build(&corpus, &data);
    let name = format!(
        "{}.yaml",
        ratsdoc_model::number::id_to_file_stem("RA-102/2022")
    );
    std::fs::remove_file(data.join("records").join(name)).unwrap();
    let repaired = build(&corpus, &data, &["--as-of", AS_OF]);
    assert_eq!(code(&repaired), 0, "{}", stderr(&repaired));
    assert!(record_text(&data, "RA-102/2022").contains("sonnabends"));
    assert_equals_fresh(&corpus, &data, 0, AS_OF, "a listed record deleted by hand");
}

#[test]
fn a_paper_on_a_listing_page_and_in_a_file_of_its_own_is_one_record() {
    let (dir, listing) = corpus_with_page(&[BENCHES, POOL]);
    let corpus = dir.path().join("corpus");
    let (number, title, question, answer) = POOL;
    let own = format!(
        "{number}: {title}\n\nSehr geehrter Herr Beispiel,\n\nzu Ihrer Ratsanfrage teile ich \
         Ihnen Folgendes mit:\n\n1. {question}\n\n{answer}\n\nFreundliche Grüße\n\nErika Muster\n"
    );
    std::fs::write(corpus.join("ra-102.txt"), own).unwrap();
    let data = dir.path().join("data");

    quiet_build(&corpus, &data);
    assert_eq!(ids(&data), ["RA-101/2022", "RA-102/2022"]);
    let pool = record_text(&data, "RA-102/2022");
    assert!(pool.contains("other_sources"), "{pool}");
    assert_equals_fresh(
        &corpus,
        &data,
        0,
        AS_OF,
        "a listed paper with a file of its own",
    );

    // The page goes: the paper keeps its own file, its neighbour goes.
    std::fs::remove_file(&listing).unwrap();
    quiet_build(&corpus, &data);
    assert_eq!(ids(&data), ["RA-102/2022"]);
    assert!(!record_text(&data, "RA-102/2022").contains("other_sources"));
    assert_equals_fresh(&corpus, &data, 0, AS_OF, "the page removed");
}
