//! `kill -9` at several points of a run: the data directory stays searchable
//! in the previous or the new state, and the next run completes the work.

use crate::lock::start_paused;
use crate::util::*;

#[test]
fn kill_at_every_stage_leaves_a_searchable_index_and_the_next_run_completes() {
    for stage in ["extract", "records", "index", "manifest"] {
        let tmp = tempfile::tempdir().unwrap();
        let corpus = copy_text_corpus(tmp.path());
        let data = tmp.path().join("data");
        assert_eq!(code(&build(&corpus, &data, &[])), 0);
        assert!(search_ids(&data, "Prävention").contains(&"BA-044/2020".to_string()));

        // The next night: a new paper arrives and a press release goes away.
        std::fs::write(
            corpus.join("BA-101-2021.txt"),
            "Beschlussantrag Nr. BA-101/2021\n\nEinreicher:\n\nSPD-Fraktion\n\nGegenstand:\n\nSpielplatzoffensive Kaßberg\n\nBeschlussvorschlag:\n\nDie Stadtverwaltung wird beauftragt, bis zum 31.12.2021 ein Konzept für neue Spielplätze vorzulegen.\n",
        )
        .unwrap();
        std::fs::remove_file(corpus.join("003_969153fde41f1de3.txt")).unwrap();

        let mut child = start_paused(&corpus, &data, stage);
        child.kill().unwrap();
        child.wait().unwrap();

        // Old or new state, never broken.
        let hits = search_ids(&data, "Prävention");
        assert!(
            hits.contains(&"BA-044/2020".to_string()),
            "after kill at {stage}: {hits:?}"
        );
        let _ = search_ids(&data, "Spielplatzoffensive");

        // What a kill in the middle of writing a record leaves.
        let half = data.join("records/.BA-101-2021.yaml.99999.tmp");
        std::fs::write(&half, "id: BA-101").unwrap();

        let o = build(&corpus, &data, &[]);
        assert_eq!(code(&o), 0, "after kill at {stage}: {}", stderr(&o));
        assert!(
            !half.exists(),
            "stage {stage}: the killed run's temporary file"
        );
        assert!(
            search_ids(&data, "Spielplatzoffensive").contains(&"BA-101/2021".to_string()),
            "stage {stage}"
        );
        assert!(data.join("records/BA-101-2021.yaml").is_file());
        let report = report(&data);
        assert_eq!(report["totals"]["files"], 5, "stage {stage}");
        // And a further run finds nothing left to do.
        let o = build(&corpus, &data, &[]);
        assert!(
            stdout(&o).contains("0 added, 0 changed, 0 removed, 5 unchanged"),
            "stage {stage}: {}",
            stdout(&o)
        );
    }
}
