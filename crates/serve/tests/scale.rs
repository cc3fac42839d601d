//! A manual check that pages stay fast on a large council: writes
//! `RATSDOC_SCALE` (default 20,000) synthetic papers, then times the first
//! request (which loads the snapshot) and repeated requests of each page.
//! Ignored by default; run with
//! `cargo test -p ratsdoc-serve --release --test scale -- --ignored --nocapture`.

use std::time::Instant;

use axum::body::Body;
use axum::http::{Request, StatusCode};
use chrono::NaiveDate;
use http_body_util::BodyExt;
use ratsdoc_index::{IndexDoc, IndexUpdater};
use ratsdoc_model::{
    Consultation, ConsultationRole, Kind, Links, Record, ReportRequest, Source, SourceFormat,
    Submitter, SubmitterKind, yaml,
};
use ratsdoc_serve::{AppState, router};
use tower::ServiceExt;

const FACTIONS: [&str; 6] = [
    "CDU-Fraktion",
    "AfD-Fraktion",
    "Fraktionsgemeinschaft DIE LINKE/Die PARTEI",
    "SPD-Fraktion",
    "Fraktion BÜNDNIS 90/DIE GRÜNEN",
    "FDP-Fraktion",
];

fn paper(n: usize) -> Record {
    let year = 2000 + (n % 25) as i32;
    let day = NaiveDate::from_ymd_opt(year, 1 + (n % 12) as u32, 1 + (n % 28) as u32);
    let motion = n.is_multiple_of(3);
    let id = if motion {
        format!("BA-{:03}/{year}", n / 25 % 10000)
    } else {
        format!("I-{:03}/{year}", n / 25 % 10000)
    };
    Record {
        id,
        kind: if motion {
            Kind::Beschlussantrag
        } else {
            Kind::Informationsvorlage
        },
        other_reason: None,
        title: format!("Vorlage {n} zur Kriminalprävention und Stadtentwicklung"),
        date: None,
        submitters: vec![Submitter {
            name: FACTIONS[n % FACTIONS.len()].into(),
            kind: SubmitterKind::Faction,
            group: None,
        }],
        received: None,
        consultations: vec![Consultation {
            body: "Stadtrat".into(),
            date: day,
            public: Some(true),
            role: ConsultationRole::Entscheidung,
            result: None,
            referred_to: None,
            votes: None,
        }],
        cost_coverage: None,
        decision_proposal: Some(
            format!("Die Verwaltung berichtet über Prävention {n}. ").repeat(20),
        ),
        justification: Some("Begründung. ".repeat(100)),
        body: (!motion).then(|| "Sachverhalt zur Sicherheit in Chemnitz. ".repeat(100)),
        signatory: None,
        report_requests: if motion && n.is_multiple_of(2) {
            vec![ReportRequest {
                phrase: Some("bis Ende des Jahres".into()),
                due: NaiveDate::from_ymd_opt(year, 12, 31),
                recurring: false,
                period: None,
                addressee: Some("Stadtrat".into()),
                form: None,
                sentence: String::new(),
                condition: None,
            }]
        } else {
            Vec::new()
        },
        references: Vec::new(),
        mentions: Vec::new(),
        source: Source {
            path: format!("corpus/{n}.txt"),
            format: SourceFormat::Txt,
            hash: "0".repeat(64),
            pages: None,
            extractor: None,
            encoding: None,
        },
        other_sources: Vec::new(),
        diagnostics: Vec::new(),
        paper_type: None,
        ris: None,
        files: Vec::new(),
        ris_relations: Vec::new(),
    }
}

/// Milliseconds of the first request, and the median and p99 of the rest.
async fn time(state: &AppState, uri: &str, times: usize) -> (f64, f64, f64) {
    let mut all = Vec::new();
    for _ in 0..times {
        let t = Instant::now();
        let request = Request::get(uri).body(Body::empty()).unwrap_or_default();
        let response = router(state.clone())
            .oneshot(request)
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(response.status(), StatusCode::OK, "{uri}");
        let _ = response.into_body().collect().await;
        all.push(t.elapsed().as_secs_f64() * 1000.0);
    }
    let first = all.remove(0);
    all.sort_by(f64::total_cmp);
    (first, all[all.len() / 2], all[all.len() * 99 / 100])
}

#[tokio::test]
#[ignore]
async fn pages_stay_fast_on_a_large_council() {
    let n: usize = std::env::var("RATSDOC_SCALE")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(20_000);
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let records_dir = dir.path().join("records");
    std::fs::create_dir_all(&records_dir).unwrap_or_else(|e| panic!("{e}"));
    let mut records: Vec<Record> = (0..n).map(paper).collect();
    records.sort_by(|a, b| a.id.cmp(&b.id));
    records.dedup_by(|a, b| a.id == b.id);
    for r in &records {
        let text = yaml::to_string(r).unwrap_or_default();
        std::fs::write(records_dir.join(format!("{}.yaml", r.file_stem())), text)
            .unwrap_or_else(|e| panic!("{e}"));
    }
    let links = yaml::to_string(&Links::default()).unwrap_or_default();
    std::fs::write(dir.path().join("links.yaml"), links).unwrap_or_else(|e| panic!("{e}"));
    let t = Instant::now();
    let docs: Vec<IndexDoc<'_>> = records
        .iter()
        .map(|record| IndexDoc {
            record,
            status: None,
        })
        .collect();
    IndexUpdater::open(&dir.path().join("index"))
        .and_then(|u| u.apply(&docs, &[]))
        .unwrap_or_else(|e| panic!("{e}"));
    println!(
        "{} papers written and indexed in {:.1} s",
        records.len(),
        t.elapsed().as_secs_f64()
    );

    let state = AppState::with_today(dir.path(), NaiveDate::from_ymd_opt(2026, 5, 1));
    let motion = records
        .iter()
        .find(|r| r.kind == Kind::Beschlussantrag)
        .map(|r| format!("/papers/{}", r.file_stem()))
        .unwrap_or_default();
    for uri in [
        "/status",
        "/?q=Pr%C3%A4vention",
        "/?q=Sicherheit+Chemnitz&kind=informationsvorlage&sort=date",
        motion.as_str(),
        "/status?faction=CDU&year=2020",
        "/api/search?q=Kriminalpr%C3%A4vention",
    ] {
        let (first, p50, p99) = time(&state, uri, 101).await;
        println!("{uri}: first {first:.1} ms, then median {p50:.1} ms, p99 {p99:.1} ms");
    }
}
