//! Hand-built records and a temporary data directory, so that the index is
//! tested without the parser.

use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use ratsdoc_index::{IndexDoc, IndexUpdater, SearchRequest, SearchResults, Searcher};
use ratsdoc_model::{Kind, Record, Source, SourceFormat, StatusKind, Submitter, SubmitterKind};

/// A temporary index directory.
pub struct Fixture {
    _tmp: tempfile::TempDir,
    pub index_dir: PathBuf,
}

impl Fixture {
    pub fn new() -> Fixture {
        let tmp = tempfile::tempdir().expect("temp dir");
        let index_dir = tmp.path().join("index");
        Fixture {
            _tmp: tmp,
            index_dir,
        }
    }

    /// Writes `records` as a build would: all of them on a full rebuild.
    pub fn build(&self, records: &[(Record, Option<StatusKind>)]) {
        let updater = IndexUpdater::open(&self.index_dir).expect("open updater");
        assert!(updater.full_rebuild(), "a fresh index needs a full rebuild");
        updater.apply(&docs(records), &[]).expect("apply");
    }

    pub fn searcher(&self) -> Searcher {
        Searcher::open(&self.index_dir).expect("open searcher")
    }

    pub fn search(&self, text: &str) -> SearchResults {
        self.searcher()
            .search(&SearchRequest::new(text))
            .expect("search")
    }

    pub fn ids(&self, text: &str) -> Vec<String> {
        ids(&self.search(text))
    }
}

pub fn ids(results: &SearchResults) -> Vec<String> {
    results.hits.iter().map(|h| h.id.clone()).collect()
}

pub fn docs(records: &[(Record, Option<StatusKind>)]) -> Vec<IndexDoc<'_>> {
    records
        .iter()
        .map(|(record, status)| IndexDoc {
            record,
            status: *status,
        })
        .collect()
}

pub fn date(y: i32, m: u32, d: u32) -> Option<NaiveDate> {
    NaiveDate::from_ymd_opt(y, m, d)
}

/// A record with what the index uses; everything else empty.
pub fn record(id: &str, kind: Kind, title: &str, body: &str) -> Record {
    let source = Source {
        path: format!("corpus/{id}.txt"),
        format: SourceFormat::Txt,
        hash: "00".into(),
        pages: None,
        extractor: None,
        encoding: None,
    };
    Record {
        body: Some(body.into()),
        ..Record::new(id, kind, title, source)
    }
}

pub fn faction(name: &str, group: Option<&str>) -> Submitter {
    Submitter {
        name: name.into(),
        kind: SubmitterKind::Faction,
        group: group.map(str::to_string),
    }
}

pub fn administration(name: &str) -> Submitter {
    Submitter {
        name: name.into(),
        kind: SubmitterKind::Administration,
        group: None,
    }
}

/// A small council: the two seed papers as a careful reader records them,
/// and a few more to filter and rank against.
pub fn council() -> Vec<(Record, Option<StatusKind>)> {
    let mut ba44 = record(
        "BA-044/2020",
        Kind::Beschlussantrag,
        "Ein Jahr Allianz Sichere Sächsische Kommunen (ASSKomm) - Bilanz für Chemnitz",
        "",
    );
    ba44.body = None;
    ba44.decision_proposal = Some(
        "Die Stadtverwaltung wird beauftragt, den Stadtrat im III. Quartal 2020 zu informieren, \
         welche Ergebnisse die Teilnahme der Stadt Chemnitz für die kommunale Kriminalprävention \
         in unserer Stadt erbracht hat. Insbesondere soll eingeschätzt werden, wie sich der Auf- \
         und Ausbau der kommunalen Präventionsstrukturen entwickelt hat und wie die Zusammenarbeit \
         zwischen dem Kommunalpräventiven Rat und dem Ordnungsamt aktuell vollzogen wird."
            .into(),
    );
    ba44.justification = Some(
        "Der Antrag bezweckt eine Information des Stadtrates, welche Entwicklung die kommunale \
         Prävention in Chemnitz genommen hat und welche Unterstützung der Landespräventionsrat \
         dabei leistete."
            .into(),
    );
    ba44.submitters = vec![faction(
        "Fraktionsgemeinschaft DIE LINKE/Die PARTEI",
        Some("Fraktionsgemeinschaft DIE LINKE/Die PARTEI"),
    )];
    ba44.received = Some(ratsdoc_model::Received {
        date: date(2020, 3, 10),
        register: Some("A-036/2020".into()),
        office: Some("Sekretariat der Oberbürgermeisterin".into()),
    });

    let mut i51 = record(
        "I-051/2020",
        Kind::Informationsvorlage,
        "Ein Jahr Allianz Sichere Sächsische Kommunen (ASSKOMM) - Bilanz für Chemnitz",
        "Die Allianz wurde durch den Landespräventionsrat Sachsen gegründet. Ziel ist, Kommunen \
         zu Fragen von Prävention und Sicherheit zu beraten. Städte sollen bei der Gründung \
         Kommunaler Präventionsräte unterstützt werden. Auf Grund des Beschlussantrages \
         BA-002/2019 wurde die Suchtprävention verstärkt.",
    );
    i51.date = date(2020, 12, 9);
    i51.submitters = vec![administration("Dezernat 3")];
    i51.references = vec!["BA-002/2019".into()];

    let mut ba10 = record(
        "BA-010/2021",
        Kind::Beschlussantrag,
        "Sanierung der Spielplätze auf dem Kaßberg",
        "Die Spielgeräte auf den Spielplätzen des Stadtteils sind marode. Die Verwaltung \
         wird beauftragt, bis zum 31.12.2021 ein Sanierungskonzept vorzulegen.",
    );
    ba10.date = date(2021, 2, 1);
    ba10.submitters = vec![faction("CDU-Fraktion", Some("CDU-Fraktion"))];

    let mut i74 = record(
        "I-074/2021",
        Kind::Informationsvorlage,
        "Bericht zum Sanierungskonzept der Spielplätze",
        "Mit dem Beschlussantrag BA-010/2021 wurde die Verwaltung beauftragt. Im Stadtgebiet \
         gibt es 120 öffentliche Spielplätze.",
    );
    i74.date = date(2021, 5, 5);
    i74.submitters = vec![administration("Dezernat 6")];
    i74.references = vec!["BA-010/2021".into()];

    let mut b123 = record(
        "B-123/2020",
        Kind::Beschlussvorlage,
        "Haushaltsplan 2021/2022 der Stadt Chemnitz",
        "Der Stadtrat beschließt den Haushaltsplan. Für den Radverkehr werden zusätzliche \
         Mittel bereitgestellt, für neue Radwege im Stadtgebiet.",
    );
    b123.date = date(2020, 10, 1);
    b123.submitters = vec![administration("Oberbürgermeister")];

    let mut ba2 = record(
        "BA-002/2019",
        Kind::Beschlussantrag,
        "Suchtprävention an Chemnitzer Schulen",
        "Die Stadtverwaltung wird beauftragt, ein Konzept für die Suchtprävention an \
         Oberschulen vorzulegen.",
    );
    ba2.date = date(2019, 1, 15);
    ba2.submitters = vec![faction("SPD-Fraktion", Some("SPD-Fraktion"))];

    let press = record(
        "other-0123456789abcdef",
        Kind::Other,
        "Pressemitteilung: Innenminister lobt Modellkommunen",
        "Der Innenminister besuchte heute die Modellkommunen der Allianz.",
    );

    vec![
        (ba44, Some(StatusKind::AnsweredLate)),
        (i51, None),
        (ba10, Some(StatusKind::AnsweredOnTime)),
        (i74, None),
        (b123, None),
        (ba2, Some(StatusKind::NoReportRequested)),
        (press, None),
    ]
}

/// Every file under `dir` with its size and modification time: what a
/// no-op run must leave exactly as it was.
pub fn snapshot(dir: &Path) -> Vec<(PathBuf, u64, std::time::SystemTime)> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&d) else {
            continue;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            let Ok(meta) = entry.metadata() else { continue };
            if meta.is_dir() {
                stack.push(path.clone());
            }
            out.push((
                path,
                meta.len(),
                meta.modified().unwrap_or(std::time::UNIX_EPOCH),
            ));
        }
    }
    out.sort();
    out
}
