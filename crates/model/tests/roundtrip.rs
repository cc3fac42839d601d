//! A record survives YAML and validates against the generated schema.

use chrono::NaiveDate;
use ratsdoc_model::*;

fn sample() -> Record {
    Record {
        id: "BA-044/2020".into(),
        kind: Kind::Beschlussantrag,
        other_reason: None,
        title: "Ein Jahr: \"ASSKomm\" – Bilanz # für Chemnitz".into(),
        date: None,
        submitters: vec![Submitter {
            name: "Fraktionsgemeinschaft DIE LINKE/Die PARTEI".into(),
            kind: SubmitterKind::Faction,
            group: None,
        }],
        received: Some(Received {
            date: NaiveDate::from_ymd_opt(2020, 3, 10),
            register: Some("A-036/2020".into()),
            office: Some("Sekretariat der Oberbürgermeisterin".into()),
        }),
        consultations: vec![Consultation {
            body: "Stadtrat".into(),
            date: NaiveDate::from_ymd_opt(2020, 6, 24),
            public: Some(true),
            role: ConsultationRole::Entscheidung,
            result: None,
            referred_to: None,
            votes: None,
        }],
        cost_coverage: None,
        decision_proposal: Some("Zeile 1\nZeile 2: mit Doppelpunkt\n- kein Listenpunkt".into()),
        justification: Some("yes".into()),
        body: None,
        signatory: Some(Signatory {
            name: "Anja Schale".into(),
            on_behalf: true,
        }),
        report_requests: vec![ReportRequest {
            phrase: Some("im III. Quartal 2020".into()),
            due: NaiveDate::from_ymd_opt(2020, 9, 30),
            recurring: false,
            period: None,
            addressee: Some("Stadtrat".into()),
            form: None,
            sentence: String::new(),
            condition: None,
        }],
        references: vec![],
        mentions: vec![],
        source: Source {
            path: "corpus/000.txt".into(),
            format: SourceFormat::Txt,
            hash: "00".into(),
            pages: None,
            extractor: Some("text".into()),
            encoding: Some("utf-8".into()),
        },
        other_sources: vec![],
        diagnostics: vec![],
        paper_type: None,
        ris: None,
        files: vec![],
        ris_relations: vec![],
    }
}

/// A paper read from a sync folder: the RIS's fields filled.
fn synced() -> Record {
    let mut r = sample();
    r.id = "2021/1342/1".into();
    r.kind = Kind::Aenderungsantrag;
    r.paper_type = Some("Änderungs-/Ergänzungsantrag".into());
    r.source.format = SourceFormat::Oparl;
    r.ris = Some(RisOrigin {
        id: "https://ris.example/oparl/papers/3".into(),
        web: Some("https://ris.example/vo0050.asp?__kvonr=3".into()),
    });
    r.files = vec![
        PaperFile {
            name: "Änderungsantrag SPD".into(),
            role: FileRole::Paper,
            path: Some("sync/2021_1342_1/a.txt".into()),
            date: NaiveDate::from_ymd_opt(2021, 12, 1),
            hash: Some("ab".into()),
            problem: None,
        },
        PaperFile {
            name: "Abstimmungsergebnis: TOP 3".into(),
            role: FileRole::Minutes,
            path: None,
            date: None,
            hash: None,
            problem: Some("not fetched: HTTP 404".into()),
        },
    ];
    r.ris_relations = vec![RisRelation {
        relation: RisRelationKind::Subordinated,
        id: Some("2021/1342".into()),
        url: "https://ris.example/oparl/papers/2".into(),
    }];
    r
}

#[test]
fn a_synced_record_round_trips_and_validates() {
    let r = synced();
    let a = yaml::to_string(&r).unwrap();
    let back: Record = yaml::from_str(&a).unwrap();
    assert_eq!(back, r);
    let schema: serde_json::Value = serde_json::from_str(&schema::record_schema_json()).unwrap();
    let validator = jsonschema::validator_for(&schema).unwrap();
    let value = serde_json::to_value(&r).unwrap();
    assert!(validator.is_valid(&value));
    let mut bad = value.clone();
    bad["files"][0]["role"] = serde_json::json!("cover_letter");
    assert!(!validator.is_valid(&bad));
}

/// A record without RIS fields writes none of them: records of the folder
/// workflow stay as they were.
#[test]
fn a_folder_record_writes_no_ris_fields() {
    let a = yaml::to_string(&sample()).unwrap();
    for field in ["paper_type", "ris:", "files:", "ris_relations"] {
        assert!(!a.contains(field), "{field} in {a}");
    }
}

#[test]
fn yaml_round_trip_is_lossless_and_deterministic() {
    let r = sample();
    let a = yaml::to_string(&r).unwrap();
    let back: Record = yaml::from_str(&a).unwrap();
    assert_eq!(back, r);
    assert_eq!(yaml::to_string(&back).unwrap(), a);
    assert!(a.contains("due: \"2020-09-30\""), "{a}");
}

#[test]
fn record_validates_against_generated_schema() {
    let schema: serde_json::Value = serde_json::from_str(&schema::record_schema_json()).unwrap();
    let validator = jsonschema::validator_for(&schema).unwrap();
    let value = serde_json::to_value(sample()).unwrap();
    let errors: Vec<String> = validator
        .iter_errors(&value)
        .map(|e| e.to_string())
        .collect();
    assert!(errors.is_empty(), "{errors:?}");
    let mut bad = value.clone();
    bad["kind"] = serde_json::json!("motion");
    assert!(!validator.is_valid(&bad));
}

#[test]
fn checked_in_schema_is_current() {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../schemas/record.schema.json"
    );
    let current = schema::record_schema_json();
    if std::env::var_os("RATSDOC_BLESS").is_some() {
        std::fs::write(path, &current).unwrap();
    }
    let on_disk = std::fs::read_to_string(path).unwrap_or_default();
    assert!(
        on_disk == current,
        "schemas/record.schema.json is stale: run `RATSDOC_BLESS=1 cargo test -p ratsdoc-model` and commit it"
    );
}

/// `links.yaml` of a 100,000-paper archive holds more nodes than
/// serde-saphyr's default budget; it must still read back.
#[test]
fn a_large_links_file_reads_back() {
    let link = Link {
        motion: "BA-044/2020".into(),
        answer: "I-051/2020".into(),
        score: 0.9,
        evidence: vec![
            Evidence {
                rule: "subject_match".into(),
                detail: "same subject".into(),
                weight: 0.6
            };
            4
        ],
    };
    let links = Links {
        links: vec![link; 20_000],
        ambiguous: vec![],
        amendments: vec![],
        related: vec![],
    };
    let text = yaml::to_string(&links).unwrap();
    let back: Links = yaml::from_str(&text).unwrap();
    assert_eq!(back.links.len(), 20_000);
}
