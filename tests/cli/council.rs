//! `--council` and `<DATA>/config.toml`: which council profile reads the
//! corpus, remembered per data directory; a bad profile stops the build
//! with a reason.

use crate::util::*;

/// A motion in the Karlsruhe shape (written for this test).
const KARLSRUHE_MOTION: &str = "Stadt Karlsruhe\nDer Oberbürgermeister\nANTRAG\nBEISPIEL-Gemeinderatsfraktion\nVorlage Nr.: 2021/1342\nSitzbänke entlang der Alb\nGremium Termin TOP ö nö\nGemeinderat 19.10.2021 17 x\nDie Stadtverwaltung stellt zehn Sitzbänke auf.\n";

fn record_ids(data: &std::path::Path) -> Vec<String> {
    let mut ids: Vec<String> = std::fs::read_dir(data.join("records"))
        .unwrap()
        .map(|e| {
            let text = std::fs::read_to_string(e.unwrap().path()).unwrap();
            let record: serde_json::Value = ratsdoc_model::yaml::from_str(&text).unwrap();
            record["id"].as_str().unwrap().to_string()
        })
        .collect();
    ids.sort();
    ids
}

#[test]
fn the_council_is_chosen_remembered_and_switched() {
    let dir = tempfile::tempdir().unwrap();
    let corpus = dir.path().join("corpus");
    std::fs::create_dir_all(&corpus).unwrap();
    std::fs::write(corpus.join("antrag.txt"), KARLSRUHE_MOTION).unwrap();
    let data = dir.path().join("data");

    let chemnitz = build(&corpus, &data, &[]);
    assert_eq!(code(&chemnitz), 0, "{}", stderr(&chemnitz));
    assert!(
        !data.join("config.toml").exists(),
        "the default writes no config"
    );
    assert!(record_ids(&data).iter().all(|id| id != "2021/1342"));

    let karlsruhe = build(&corpus, &data, &["--council", "karlsruhe"]);
    assert_eq!(code(&karlsruhe), 0, "{}", stderr(&karlsruhe));
    assert_eq!(record_ids(&data), ["2021/1342"]);
    let config = std::fs::read_to_string(data.join("config.toml")).unwrap();
    assert!(config.contains("council = \"karlsruhe\""), "{config}");

    // Without the flag the config's council is used: nothing changes.
    let again = build(&corpus, &data, &[]);
    assert_eq!(code(&again), 0, "{}", stderr(&again));
    assert!(stdout(&again).contains("1 unchanged"), "{}", stdout(&again));
    assert_eq!(record_ids(&data), ["2021/1342"]);
}

#[test]
fn a_bad_profile_stops_the_build_with_its_reason() {
    let dir = tempfile::tempdir().unwrap();
    let corpus = dir.path().join("corpus");
    std::fs::create_dir_all(&corpus).unwrap();
    std::fs::write(corpus.join("antrag.txt"), KARLSRUHE_MOTION).unwrap();
    let data = dir.path().join("data");

    let unknown = build(&corpus, &data, &["--council", "atlantis"]);
    assert_eq!(code(&unknown), 2);
    assert!(
        stderr(&unknown).contains("no council profile named"),
        "{}",
        stderr(&unknown)
    );

    let profile = dir.path().join("broken.toml");
    std::fs::write(&profile, "name = \"broken\"\ncity = \"X\"\n").unwrap();
    let broken = build(&corpus, &data, &["--council", profile.to_str().unwrap()]);
    assert_eq!(code(&broken), 2);
    assert!(stderr(&broken).contains("not valid"), "{}", stderr(&broken));
    assert!(!data.join("records").exists(), "nothing was built");

    std::fs::create_dir_all(&data).unwrap();
    std::fs::write(data.join("config.toml"), "council = 7\n").unwrap();
    let config = build(&corpus, &data, &[]);
    assert_eq!(code(&config), 2);
    assert!(
        stderr(&config).contains("config.toml"),
        "{}",
        stderr(&config)
    );
}
