//! Paper folders as `ratsdoc sync` writes them (docs/sync-folder.md), read
//! by `ratsdoc build`: the metadata decides identity, kind, date,
//! Beratungsfolge and submitters; the files get roles; amendments and the
//! RIS's relations become links; a paper's own Stellungnahme answers it.
//! The fixtures are made here in the shapes a real RIS serves (numbers
//! with `/`, relations recorded the other way round, papers whose file
//! could not be fetched, vendor fields, newlines inside names).

use std::path::Path;

use serde_json::{Value, json};

use crate::util::*;

/// Writes one paper folder: its files, then its metadata.
fn write_paper(corpus: &Path, folder: &str, meta: Value, files: &[(&str, &[u8])]) {
    let dir = corpus.join(folder);
    std::fs::create_dir_all(&dir).unwrap();
    for (name, bytes) in files {
        std::fs::write(dir.join(name), bytes).unwrap();
    }
    let text = serde_json::to_vec_pretty(&meta).unwrap();
    std::fs::write(dir.join("oparl-paper.json"), text).unwrap();
}

fn paper(id: &str, reference: &str, paper_type: &str, name: &str, date: &str) -> Value {
    json!({
        "id": format!("http://127.0.0.1:9/oparl/paper/{id}"),
        "type": "https://schema.oparl.org/1.1/Paper",
        "reference": reference,
        "paperType": paper_type,
        "name": name,
        "date": date,
        "STERNBERG:RIMVersion": "5.4",
    })
}

fn file(id: &str, name: &str, date: &str, local: Option<&str>, error: Option<&str>) -> Value {
    json!({
        "id": format!("http://127.0.0.1:9/oparl/file/{id}"),
        "slot": "auxiliary",
        "name": name,
        "date": date,
        "local": local,
        "error": error,
    })
}

fn consultation(organization: &str, date: &str, role: &str) -> Value {
    json!({
        "organizations": [organization],
        "meeting_date": date,
        "role": role,
        "authoritative": role == "Entscheidung",
    })
}

/// A council's folder after a sync: a Chemnitz motion whose RIS files the
/// administration's Stellungnahme with it, a draft resolution with an
/// amendment (the RIS records the relation from the draft's side, as
/// Karlsruhe's does), an amendment known only by its number, a paper of a
/// type no table knows whose file could not be fetched, and a folder whose
/// metadata is damaged.
fn synced_corpus(root: &Path) -> std::path::PathBuf {
    let corpus = root.join("sync");
    let motion = std::fs::read(corpus_dir().join("000_e399952ef18a924d.txt")).unwrap();
    write_paper(
        &corpus,
        "BA-044_2020",
        json!({
            "format": "ratsdoc-sync/1",
            "paper": paper("1", "BA-044/2020", "Antrag", "Ein Jahr ASSKomm -\nBilanz für Chemnitz", "2020-03-10"),
            "resolved": {
                "consultations": [consultation("Stadtrat", "2020-05-27", "Entscheidung")],
                "originator_organizations": ["Fraktionsgemeinschaft DIE LINKE/Die PARTEI"],
            },
            "files": [
                file("11", "Antrag", "2020-03-10", Some("antrag.txt"), None),
                file("12", "Stellungnahme der Verwaltung", "2020-08-14", Some("stellungnahme.txt"), None),
            ],
        }),
        &[
            ("antrag.txt", &motion),
            ("stellungnahme.txt", "STELLUNGNAHME\nzum Antrag BA-044/2020\nDie Verwaltung berichtet wie folgt: Die Allianz wirkt.\n".as_bytes()),
        ],
    );
    write_paper(
        &corpus,
        "2021_1342",
        json!({
            "paper": paper("2", "2021/1342", "Beschlussvorlage", "Satzung über die Hebesätze", "2021-11-08"),
            "resolved": {
                "consultations": [
                    consultation("Hauptausschuss", "2021-11-30", "Vorberatung"),
                    consultation("Gemeinderat", "2021-12-14", "Entscheidung"),
                ],
                "under_direction_of": ["Stadtkämmerei"],
                "related": [{"relation": "superordinated", "id": "http://127.0.0.1:9/oparl/paper/3", "reference": "2021/1342/1"}],
            },
            "files": [file("21", "Beschlussvorlage", "2021-11-08", Some("vorlage.txt"), None)],
        }),
        &[(
            "vorlage.txt",
            "Beschlussvorlage\nDer Gemeinderat beschließt die Satzung über die Hebesätze.\n"
                .as_bytes(),
        )],
    );
    write_paper(
        &corpus,
        "2021_1342_1",
        json!({
            "paper": paper("3", "2021/1342/1", "Änderungs-/Ergänzungsantrag", "Keine Anhebung der Hebesätze", "2021-12-01"),
            "resolved": {
                "consultations": [consultation("Gemeinderat", "2021-12-14", "Entscheidung")],
                "originator_organizations": ["SPD-Gemeinderatsfraktion"],
                "related": [{"relation": "subordinated", "id": "http://127.0.0.1:9/oparl/paper/2", "reference": "2021/1342"}],
            },
            "files": [
                file("31", "Änderungs-/Ergänzungsantrag SPD", "2021-12-01", Some("antrag.txt"), None),
                file("32", "Abstimmungsergebnis TOP 3", "2021-12-14", Some("abstimmung.txt"), None),
            ],
        }),
        &[
            ("antrag.txt", "ÄNDERUNGSANTRAG der SPD-Gemeinderatsfraktion\nDie Hebesätze bleiben unverändert.\n".as_bytes()),
            ("abstimmung.txt", "Niederschrift des Gemeinderates vom 14.12.2021\nBeschluss:\nAblehnung\nAbstimmungsergebnis: 20 Ja, 25 Nein, 2 Enthaltungen\n".as_bytes()),
        ],
    );
    write_paper(
        &corpus,
        "2022_0100",
        json!({
            "paper": paper("4", "2022/0100", "Antrag", "Mehr Bänke im Stadtgarten", "2022-02-01"),
            "files": [file("41", "TOP 4", "2022-02-01", Some("top4.txt"), None)],
        }),
        &[(
            "top4.txt",
            "ANTRAG der Fraktion DIE GRÜNEN vom 01.02.2022\nMehr Bänke im Stadtgarten\n".as_bytes(),
        )],
    );
    write_paper(
        &corpus,
        "2022_0100_2",
        json!({
            "paper": paper("5", "2022/0100/2", "Änderungs-/Ergänzungsantrag", "Bänke auch am Schlossplatz", "2022-02-10"),
            "files": [],
        }),
        &[],
    );
    write_paper(
        &corpus,
        "62_2007_1._Ergänzung",
        json!({
            "paper": paper("6", "62/2007 1. Ergänzung", "Offenlage", "Bebauungsplan\r\nAm Bahnhof", "2007-06-01"),
            "files": [file("61", "Lageplan", "2007-06-01", None, Some("HTTP 404 from http://127.0.0.1:9/files/61"))],
        }),
        &[("notiz.txt", "von Hand hineingelegt".as_bytes())],
    );
    let broken = corpus.join("kaputt");
    std::fs::create_dir_all(&broken).unwrap();
    std::fs::write(
        broken.join("oparl-paper.json"),
        b"<html>502 Bad Gateway</html>",
    )
    .unwrap();
    corpus
}

fn show(data: &Path, id: &str) -> Value {
    let o = run(
        &["show", id, "--data", data.to_str().unwrap(), "--json"],
        data.parent().unwrap(),
    );
    assert_eq!(code(&o), 0, "show {id}: {}", stderr(&o));
    serde_json::from_slice(&o.stdout).unwrap()
}

#[test]
fn the_metadata_decides_identity_kind_date_and_consultations() {
    let tmp = tempfile::tempdir().unwrap();
    let corpus = synced_corpus(tmp.path());
    let data = tmp.path().join("data");
    let o = build(&corpus, &data, &[]);
    // The damaged metadata is the one failure; everything else is read.
    assert_eq!(code(&o), 1, "{}{}", stdout(&o), stderr(&o));
    let report = report(&data);
    let files = report["files"].as_array().unwrap();
    let broken = files
        .iter()
        .find(|f| f["path"].as_str().unwrap().ends_with("kaputt"))
        .unwrap();
    assert_eq!(broken["outcome"], "error");
    assert!(
        broken["reason"]
            .as_str()
            .unwrap()
            .contains("not valid JSON"),
        "{broken}"
    );

    let amendment = show(&data, "2021/1342/1");
    let r = &amendment["record"];
    assert_eq!(r["id"], "2021/1342/1");
    assert_eq!(r["kind"], "aenderungsantrag");
    assert_eq!(r["date"], "2021-12-01");
    assert_eq!(r["paper_type"], "Änderungs-/Ergänzungsantrag");
    assert_eq!(r["consultations"][0]["body"], "Gemeinderat");
    assert_eq!(r["consultations"][0]["date"], "2021-12-14");
    assert_eq!(r["consultations"][0]["role"], "entscheidung");
    // The minutes filed with the paper say what the council decided.
    assert_eq!(r["consultations"][0]["result"], "abgelehnt");
    assert_eq!(r["submitters"][0]["name"], "SPD-Gemeinderatsfraktion");
    assert_eq!(r["submitters"][0]["kind"], "faction");
    assert_eq!(r["ris"]["id"], "http://127.0.0.1:9/oparl/paper/3");
    let roles: Vec<&str> = r["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["role"].as_str().unwrap())
        .collect();
    assert_eq!(roles, ["paper", "minutes"]);

    let draft = show(&data, "2021/1342")["record"].clone();
    assert_eq!(draft["kind"], "beschlussvorlage");
    assert_eq!(draft["consultations"][0]["role"], "beratung");
    assert_eq!(draft["submitters"][0]["kind"], "administration");

    // A type no table knows keeps the RIS's word; a name's line break is a space.
    let odd = show(&data, "62/2007 1. Ergänzung")["record"].clone();
    assert_eq!(odd["kind"], "sonstige");
    assert_eq!(odd["paper_type"], "Offenlage");
    assert_eq!(odd["title"], "Bebauungsplan Am Bahnhof");
    let notes = odd["diagnostics"].to_string();
    assert!(notes.contains("not fetched: HTTP 404"), "{notes}");
    assert!(notes.contains("notiz.txt"), "{notes}");

    // The name on the first file says nothing; its text says Antrag.
    let top = show(&data, "2022/0100")["record"].clone();
    assert_eq!(top["files"][0]["role"], "paper");
}

#[test]
fn amendments_link_to_what_they_amend_from_the_ris_or_by_number() {
    let tmp = tempfile::tempdir().unwrap();
    let corpus = synced_corpus(tmp.path());
    let data = tmp.path().join("data");
    build(&corpus, &data, &[]);
    let amended = show(&data, "2021/1342");
    let list = amended["amendments"].as_array().unwrap();
    assert_eq!(list.len(), 1, "{list:#?}");
    assert_eq!(list[0]["amendment"], "2021/1342/1");
    assert_eq!(list[0]["evidence"][0]["rule"], "from_the_ris");
    // Never an answer.
    assert!(amended["answered_by"].as_array().unwrap().is_empty());

    let numbered = show(&data, "2022/0100/2");
    assert_eq!(numbered["amendments"][0]["amended"], "2022/0100");
    assert_eq!(
        numbered["amendments"][0]["evidence"][0]["rule"],
        "number_extends"
    );

    let text = stdout(&run(
        &["show", "2021/1342/1", "--data", data.to_str().unwrap()],
        tmp.path(),
    ));
    assert!(text.contains("amends: 2021/1342"), "{text}");
}

#[test]
fn a_motions_own_stellungnahme_answers_its_report_request() {
    let tmp = tempfile::tempdir().unwrap();
    let corpus = synced_corpus(tmp.path());
    let data = tmp.path().join("data");
    build(&corpus, &data, &[]);
    let status = motion_status(&data, "BA-044/2020", "2021-01-01");
    assert_eq!(status["status"], "answered_on_time", "{status:#}");
    assert_eq!(status["answered_on"], "2020-08-14");
    assert!(status["evidence"].to_string().contains("Stellungnahme"));

    // Before the statement came, the request is still open.
    let early = motion_status(&data, "BA-044/2020", "2020-08-01");
    assert_eq!(early["status"], "pending", "{early:#}");
}

/// `status ID --as-of DATE --json`: the verdict of one motion.
fn motion_status(data: &Path, id: &str, as_of: &str) -> Value {
    let o = run(
        &[
            "status",
            id,
            "--data",
            data.to_str().unwrap(),
            "--as-of",
            as_of,
            "--json",
        ],
        data.parent().unwrap(),
    );
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let status: Value = serde_json::from_slice(&o.stdout).unwrap();
    if status.is_array() {
        status[0].clone()
    } else {
        status
    }
}

#[test]
fn a_second_build_is_a_no_change_run_and_a_new_file_changes_one_paper() {
    let tmp = tempfile::tempdir().unwrap();
    let corpus = synced_corpus(tmp.path());
    let data = tmp.path().join("data");
    build(&corpus, &data, &[]);
    build(&corpus, &data, &[]);
    let totals = report(&data)["totals"].clone();
    assert_eq!(totals["added"], 0, "{totals}");
    assert_eq!(totals["changed"], 0, "{totals}");
    assert_eq!(totals["removed"], 0, "{totals}");

    // A sync that brings a new version of one file changes that paper only.
    std::fs::write(
        corpus.join("2021_1342").join("vorlage.txt"),
        "Beschlussvorlage\nDer Gemeinderat beschließt die geänderte Satzung.\n",
    )
    .unwrap();
    build(&corpus, &data, &[]);
    let report = report(&data);
    assert_eq!(report["totals"]["changed"], 1, "{}", report["totals"]);
    let changed: Vec<&str> = report["files"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["change"] == "changed")
        .map(|f| f["path"].as_str().unwrap())
        .collect();
    assert_eq!(changed.len(), 1);
    assert!(changed[0].ends_with("2021_1342"), "{changed:?}");

    // A paper the RIS deleted: sync removes its folder, the build its record.
    std::fs::remove_dir_all(corpus.join("2022_0100_2")).unwrap();
    build(&corpus, &data, &[]);
    assert_eq!(report_removed(&data), 1);
    let o = run(
        &["show", "2022/0100/2", "--data", data.to_str().unwrap()],
        tmp.path(),
    );
    assert_ne!(code(&o), 0);
}

fn report_removed(data: &Path) -> u64 {
    report(data)["totals"]["removed"].as_u64().unwrap()
}

#[test]
fn synced_papers_are_found_by_title_words_and_by_their_number() {
    let tmp = tempfile::tempdir().unwrap();
    let corpus = synced_corpus(tmp.path());
    let data = tmp.path().join("data");
    build(&corpus, &data, &[]);
    assert!(search_ids(&data, "Hebesätze").contains(&"2021/1342/1".to_string()));
    let by_number = search_ids(&data, "2021/1342/1");
    assert_eq!(
        by_number.first().map(String::as_str),
        Some("2021/1342/1"),
        "{by_number:?}"
    );
}

/// `ratsdoc sync ENDPOINT --corpus DIR`, which must succeed.
fn sync_into(endpoint: &str, corpus: &Path) {
    let o = run(
        &["sync", endpoint, "--corpus", corpus.to_str().unwrap()],
        corpus.parent().unwrap(),
    );
    assert_eq!(code(&o), 0, "{}", stderr(&o));
}

/// `sync` from an OParl server on 127.0.0.1, then `build`: every paper the
/// server lists and has not deleted becomes its own record, also two whose
/// references differ only in `/` and spaces, and one without a reference.
#[test]
fn sync_then_build_gives_every_live_paper_its_own_record() {
    use ratsdoc_oparl_fixture::{Server, Version, sample};
    let server = Server::start(sample::site(Version::V1_1), 0).unwrap();
    let tmp = tempfile::tempdir().unwrap();
    let corpus = tmp.path().join("oparl");
    sync_into(&server.endpoint(), &corpus);
    let data = tmp.path().join("data");
    let o = build(&corpus, &data, &[]);
    assert_eq!(code(&o), 0, "{}{}", stdout(&o), stderr(&o));
    let records = std::fs::read_dir(data.join("records")).unwrap().count();
    assert_eq!(records, 6, "{}", stdout(&o));
    for reference in [
        "2021/1342/1",
        "2021 1342 1",
        "2021/1342",
        "../../etc",
        "62/2007 1. Ergänzung",
    ] {
        let shown = show(&data, reference);
        assert_eq!(shown["record"]["id"], reference);
        assert_eq!(shown["record"]["kind"], "beschlussvorlage");
    }
    // The RIS names 2021/1342/1 under 2021/1342: kept as a relation.
    let related = show(&data, "2021/1342")["related"].to_string();
    assert!(related.contains("2021/1342/1"), "{related}");

    // A second sync that changes nothing, then a no-change build.
    sync_into(&server.endpoint(), &corpus);
    build(&corpus, &data, &[]);
    let totals = report(&data)["totals"].clone();
    assert_eq!(totals["unchanged"], 6, "{totals}");
}
