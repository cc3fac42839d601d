//! Handler tests: every route and every error status, through the real
//! router with `tower::ServiceExt::oneshot` (no socket), over a tiny data
//! directory written here — records as YAML via the model crate, links.yaml
//! by hand, and a real index via `IndexUpdater` — so these tests depend on
//! neither the parser nor the linker's heuristics.

use std::collections::BTreeMap;
use std::path::Path;

// Each test file uses part of it.
#[allow(dead_code)]
mod common;
use common::get;

use axum::http::{StatusCode, header};
use chrono::NaiveDate;
use ratsdoc_index::{IndexDoc, IndexUpdater};
use ratsdoc_model::{
    Consultation, ConsultationResult, ConsultationRole, Evidence, Kind, Link, Links, Mention,
    Received, Record, ReportRequest, Source, SourceFormat, Submitter, SubmitterKind, Votes, yaml,
};
use ratsdoc_serve::AppState;

/// The day the fixture's verdicts are judged on.
const TODAY: (i32, u32, u32) = (2026, 5, 1);

fn day(y: i32, m: u32, d: u32) -> Option<NaiveDate> {
    NaiveDate::from_ymd_opt(y, m, d)
}

fn source(name: &str) -> Source {
    Source {
        path: format!("corpus/{name}"),
        format: SourceFormat::Txt,
        hash: "0123456789abcdef0123456789abcdef".into(),
        pages: None,
        extractor: Some("text".into()),
        encoding: Some("utf-8".into()),
    }
}

fn record(id: &str, kind: Kind, title: &str) -> Record {
    Record::new(
        id,
        kind,
        title,
        source(&format!("{}.txt", id.replace('/', "-"))),
    )
}

fn faction(name: &str) -> Submitter {
    Submitter {
        name: name.into(),
        kind: SubmitterKind::Faction,
        group: None,
    }
}

fn consultation(body: &str, date: Option<NaiveDate>, public: bool) -> Consultation {
    Consultation {
        body: body.into(),
        date,
        public: Some(public),
        role: ConsultationRole::Beratung,
        result: None,
        referred_to: None,
        votes: None,
    }
}

fn request(phrase: &str, due: Option<NaiveDate>) -> ReportRequest {
    ReportRequest {
        phrase: Some(phrase.into()),
        due,
        recurring: false,
        period: None,
        addressee: Some("Stadtrat".into()),
        form: None,
        sentence: format!("Der Stadtrat ist {phrase} zu informieren."),
        condition: None,
    }
}

/// The two seed papers, a motion whose title tries to inject a script and
/// whose report is overdue, a motion without a report request, and a press
/// release.
fn records() -> Vec<Record> {
    let mut ba = record(
        "BA-044/2020",
        Kind::Beschlussantrag,
        "Ein Jahr Allianz Sichere Sächsische Kommunen (ASSKomm) - Bilanz für Chemnitz",
    );
    ba.submitters = vec![faction("Fraktionsgemeinschaft DIE LINKE/Die PARTEI")];
    ba.received = Some(Received {
        date: day(2020, 3, 10),
        register: Some("A-036/2020".into()),
        office: Some("Sekretariat der Oberbürgermeisterin".into()),
    });
    ba.consultations = vec![consultation("Stadtrat", day(2020, 6, 24), true)];
    ba.decision_proposal = Some(
        "Die Oberbürgermeisterin wird beauftragt, den Stadtrat im III. Quartal 2020 über die Kriminalprävention zu informieren."
            .into(),
    );
    ba.justification = Some("Ein Jahr nach dem Beitritt ist Bilanz zu ziehen.".into());
    ba.report_requests = vec![request("im III. Quartal 2020", day(2020, 9, 30))];

    let mut info = record(
        "I-051/2020",
        Kind::Informationsvorlage,
        "Ein Jahr Allianz Sichere Sächsische Kommunen (ASSKOMM) - Bilanz für Chemnitz",
    );
    info.submitters = vec![Submitter {
        name: "Dezernat 3".into(),
        kind: SubmitterKind::Administration,
        group: None,
    }];
    info.consultations = vec![
        consultation(
            "Ausschuss für Klimaschutz, Umwelt und Sicherheit",
            day(2020, 12, 9),
            false,
        ),
        consultation("Stadtrat", day(2020, 12, 16), true),
    ];
    info.body = Some(
        "Die Stadt Chemnitz ist der Allianz beigetreten. Die Prävention von Straftaten steht im Mittelpunkt.\n\nAuf Grund des Beschlussantrages BA-002/2019 wurde berichtet."
            .into(),
    );
    info.references = vec!["BA-002/2019".into()];
    info.mentions = vec![Mention {
        id: "BA-002/2019".into(),
        sentence: "Auf Grund des Beschlussantrages BA-002/2019 wurde berichtet.".into(),
        place: "text".into(),
    }];

    let mut evil = record(
        "BA-010/2021",
        Kind::Beschlussantrag,
        "<script>alert(1)</script> Sicherheit im Stadtpark",
    );
    evil.submitters = vec![faction("CDU-Fraktion")];
    evil.consultations = vec![consultation("Stadtrat", day(2021, 2, 3), true)];
    evil.decision_proposal =
        Some("Bis zum 30.06.2021 ist ein Bericht zur Prävention vorzulegen.".into());
    evil.report_requests = vec![request("bis zum 30.06.2021", day(2021, 6, 30))];

    let mut plain = record(
        "BA-020/2021",
        Kind::Beschlussantrag,
        "Mehr Bänke am Schloßteich",
    );
    plain.submitters = vec![faction("CDU-Fraktion")];
    plain.consultations = vec![consultation("Stadtrat", day(2021, 4, 7), true)];

    let mut other = record(
        "other-1a2b3c",
        Kind::Other,
        "Pressemitteilung des Innenministeriums",
    );
    other.other_reason = Some("keine Vorlagennummer, keine Beratungsfolge".into());
    other.body = Some("Das Ministerium lobt die Prävention in Chemnitz.".into());

    vec![ba, info, evil, plain, other]
}

fn links() -> Links {
    Links {
        links: vec![Link {
            motion: "BA-044/2020".into(),
            answer: "I-051/2020".into(),
            score: 0.9,
            evidence: vec![Evidence {
                rule: "subject_match".into(),
                detail: "gleicher Gegenstand: „ASSKomm“ / „ASSKOMM“".into(),
                weight: 0.7,
            }],
        }],
        ambiguous: Vec::new(),
        ..Links::default()
    }
}

fn write_records(dir: &Path, records: &[Record]) {
    let rec_dir = dir.join("records");
    std::fs::create_dir_all(&rec_dir).unwrap_or_else(|e| panic!("mkdir: {e}"));
    for r in records {
        let text = yaml::to_string(r).unwrap_or_else(|e| panic!("yaml: {e}"));
        std::fs::write(rec_dir.join(format!("{}.yaml", r.file_stem())), text)
            .unwrap_or_else(|e| panic!("write: {e}"));
    }
}

fn write_links(dir: &Path, links: &Links) {
    let text = yaml::to_string(links).unwrap_or_else(|e| panic!("yaml: {e}"));
    std::fs::write(dir.join("links.yaml"), text).unwrap_or_else(|e| panic!("write: {e}"));
}

fn write_index(dir: &Path, records: &[Record]) {
    let docs: Vec<IndexDoc<'_>> = records
        .iter()
        .map(|record| IndexDoc {
            record,
            status: None,
        })
        .collect();
    IndexUpdater::open(&dir.join("index"))
        .and_then(|u| u.apply(&docs, &[]))
        .unwrap_or_else(|e| panic!("index: {e}"));
}

/// A data directory with the fixture, and a server state over it.
fn fixture() -> (tempfile::TempDir, AppState) {
    fixture_of(records())
}

/// A data directory with `records` and the fixture's links.
fn fixture_of(records: Vec<Record>) -> (tempfile::TempDir, AppState) {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("tempdir: {e}"));
    write_records(dir.path(), &records);
    write_links(dir.path(), &links());
    write_index(dir.path(), &records);
    let state = AppState::with_today(dir.path(), day(TODAY.0, TODAY.1, TODAY.2));
    (dir, state)
}

fn position(body: &str, needle: &str) -> usize {
    body.find(needle)
        .unwrap_or_else(|| panic!("{needle:?} not in page"))
}

// ---------------------------------------------------------------- search

#[tokio::test]
async fn search_page_without_query_shows_an_accessible_form() {
    let (_dir, state) = fixture();
    let r = get(&state, "/").await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.content_type().starts_with("text/html"));
    assert!(r.body.contains("<html lang=\"de\">"));
    assert!(r.body.contains(r#"<label for="q">Suchbegriff</label>"#));
    assert!(r.body.contains(r#"name="q""#));
    assert!(r.body.contains(r#"role="search""#));
    assert!(r.body.contains("Zum Inhalt springen"));
    // An empty box lists nothing: it asks for words or `*`.
    assert!(
        r.body.contains("Bitte einen Suchbegriff eingeben"),
        "{}",
        r.body
    );
    assert!(!r.body.contains("Treffer"), "{}", r.body);
    let r = get(&state, "/?q=*").await;
    assert!(r.body.contains("5 Treffer (alle Dokumente)"), "{}", r.body);
}

#[tokio::test]
async fn a_query_with_nothing_to_search_for_says_so_and_lists_nothing() {
    let (_dir, state) = fixture();
    for q in ["und", "der+die+das", "%F0%9F%99%82", "%3F%21", "%20"] {
        let r = get(&state, &format!("/?q={q}")).await;
        assert_eq!(r.status, StatusCode::OK, "{q}");
        assert!(!r.body.contains("/papers/"), "{q}: {}", r.body);
        assert!(r.body.contains("* für alle Dokumente"), "{q}: {}", r.body);
        let r = get(&state, &format!("/api/search?q={q}")).await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST, "{q}");
        let error = r.json()["error"].as_str().unwrap_or_default().to_string();
        assert!(error.contains("* für alle Dokumente"), "{q}: {error}");
    }
    let r = get(&state, "/?q=und").await;
    assert!(r.body.contains("Nichts zu suchen: „und“"), "{}", r.body);
    let r = get(&state, "/api/search").await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert_eq!(get(&state, "/api/search?q=*").await.json()["total"], 5);
}

#[tokio::test]
async fn a_damaged_index_is_503_with_what_to_run() {
    let (dir, state) = fixture();
    let index = dir.path().join("index");
    let current = std::fs::read_to_string(index.join("CURRENT")).unwrap_or_default();
    for entry in std::fs::read_dir(index.join(current.trim()))
        .into_iter()
        .flatten()
        .flatten()
    {
        if entry.path().extension().is_some_and(|e| e == "term") {
            let _ = std::fs::write(entry.path(), b"cut short");
        }
    }
    let r = get(&state, "/?q=Pr%C3%A4vention").await;
    assert_eq!(r.status, StatusCode::SERVICE_UNAVAILABLE, "{}", r.body);
    assert!(
        r.body.contains("beschädigt oder unvollständig"),
        "{}",
        r.body
    );
    assert!(
        r.body.contains("ratsdoc build &lt;CORPUS&gt; --data"),
        "{}",
        r.body
    );
    let r = get(&state, "/api/search?q=Pr%C3%A4vention").await;
    assert_eq!(r.status, StatusCode::SERVICE_UNAVAILABLE);
    let error = r.json()["error"].as_str().unwrap_or_default().to_string();
    assert!(error.contains("beschädigt"), "{error}");
}

#[tokio::test]
async fn search_page_shows_ranked_hits_with_highlights_and_facets() {
    let (_dir, state) = fixture();
    let r = get(&state, "/?q=Pr%C3%A4vention").await;
    assert_eq!(r.status, StatusCode::OK);
    let body = &r.body;
    assert!(body.contains("I-051/2020"), "{body}");
    assert!(body.contains("BA-010/2021"), "{body}");
    assert!(body.contains("<mark>"), "{body}");
    assert!(body.contains(r#"href="/papers/I-051-2020""#));
    // Facet links with counts, keeping the query.
    assert!(
        body.contains("q=Pr%C3%A4vention&amp;kind=informationsvorlage"),
        "{body}"
    );
    assert!(body.contains("Informationsvorlage"));
    // The query stays in the box.
    assert!(body.contains(r#"value="Prävention""#));
}

#[tokio::test]
async fn search_filters_live_in_the_url() {
    let (_dir, state) = fixture();
    let r = get(&state, "/?q=Pr%C3%A4vention&kind=informationsvorlage").await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.body.contains(r#"href="/papers/I-051-2020""#));
    assert!(!r.body.contains(r#"href="/papers/BA-010-2021""#));
    assert!(r.body.contains("✕ entfernen"));
    assert!(
        r.body
            .contains(r#"<input type="hidden" name="kind" value="informationsvorlage">"#)
    );

    let r = get(&state, "/?q=*&submitter=CDU-Fraktion&sort=date").await;
    assert_eq!(r.status, StatusCode::OK);
    let newer = position(&r.body, "/papers/BA-020-2021");
    let older = position(&r.body, "/papers/BA-010-2021");
    assert!(newer < older, "date sort: newest first");
    assert!(!r.body.contains("/papers/I-051-2020\""));
}

#[tokio::test]
async fn search_paginates() {
    let (_dir, state) = fixture();
    let r = get(&state, "/?q=*&limit=2").await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.body.contains("Seite 1 von 3"), "{}", r.body);
    assert!(
        r.body
            .contains(r#"rel="next" href="/?q=*&amp;page=2&amp;limit=2""#),
        "{}",
        r.body
    );
    let r = get(&state, "/?q=*&limit=2&page=3").await;
    assert!(r.body.contains("Seite 3 von 3"));
    assert!(
        r.body.contains(r#"<ol class="hits" start="5">"#),
        "{}",
        r.body
    );
    assert!(r.body.contains(r#"rel="prev""#));
}

#[tokio::test]
async fn malformed_search_parameters_are_400() {
    let (_dir, state) = fixture();
    for uri in [
        "/?page=0",
        "/?page=zwei",
        "/?page=-1",
        "/?limit=101",
        "/?limit=x",
        "/?year=20x0",
        "/?kind=motion",
        "/?sort=zufall",
        "/?status=late",
        "/?from=2020-02-30",
        "/?page=900&limit=100",
    ] {
        let r = get(&state, uri).await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST, "{uri}");
        assert!(r.body.contains("Ungültige Anfrage"), "{uri}");
        let api = uri.replacen('/', "/api/search", 1);
        let r = get(&state, &api).await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST, "{api}");
        assert_eq!(r.json()["status"], 400);
        assert!(r.json()["error"].is_string());
    }
}

#[tokio::test]
async fn query_length_and_page_size_are_bounded() {
    let (_dir, state) = fixture();
    let ok = "ä".repeat(500);
    let too_long = "ä".repeat(501);
    let r = get(&state, &format!("/?q={}", form_encode(&ok))).await;
    assert_eq!(r.status, StatusCode::OK);
    let r = get(&state, &format!("/?q={}", form_encode(&too_long))).await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert!(r.body.contains("höchstens 500 Zeichen"));
    let r = get(&state, "/api/search?q=*&limit=100").await;
    assert_eq!(r.status, StatusCode::OK);
    let r = get(&state, "/api/search?q=*&limit=1000").await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
}

fn form_encode(s: &str) -> String {
    s.bytes().map(|b| format!("%{b:02X}")).collect()
}

#[tokio::test]
async fn api_search_has_the_cli_shape() {
    let (_dir, state) = fixture();
    let r = get(&state, "/api/search?q=Pr%C3%A4vention").await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.content_type().starts_with("application/json"));
    let v = r.json();
    assert!(v["total"].as_u64().unwrap_or(0) >= 2, "{v}");
    let hits = v["hits"].as_array().cloned().unwrap_or_default();
    for key in ["id", "kind", "title", "date", "score", "snippet"] {
        assert!(hits.iter().all(|h| h.get(key).is_some()), "hit key {key}");
    }
    let ids: Vec<&str> = hits.iter().filter_map(|h| h["id"].as_str()).collect();
    assert!(ids.contains(&"I-051/2020"), "{ids:?}");
    for key in ["kind", "submitter", "year"] {
        assert!(v["facets"][key].is_object(), "facet {key}");
    }
    // limit=0: only counts.
    let v = get(&state, "/api/search?q=Pr%C3%A4vention&limit=0")
        .await
        .json();
    assert_eq!(v["hits"].as_array().map(Vec::len), Some(0));
    assert!(v["total"].as_u64().unwrap_or(0) >= 2);
}

// ---------------------------------------------------------------- papers

#[tokio::test]
async fn paper_page_shows_every_field_and_the_late_answer() {
    let (_dir, state) = fixture();
    for uri in [
        "/papers/BA-044-2020",
        "/papers/BA-044/2020",
        "/papers/BA%20044%2F2020",
        "/papers/ba-44-2020",
        "/papers/BA_044_2020",
    ] {
        let r = get(&state, uri).await;
        assert_eq!(r.status, StatusCode::OK, "{uri}");
        let body = &r.body;
        for needle in [
            "BA-044/2020",
            "Beschlussantrag",
            "Ein Jahr Allianz Sichere Sächsische Kommunen (ASSKomm)",
            "Fraktionsgemeinschaft DIE LINKE/Die PARTEI",
            "Sekretariat der Oberbürgermeisterin",
            "A-036/2020",
            "Beratungsfolge",
            "24.06.2020",
            "im III. Quartal 2020",
            "30.09.2020",
            "beantwortet durch",
            r#"href="/papers/I-051-2020""#,
            "70 Tage verspätet",
            "verspätet beantwortet",
            "subject_match",
            "Beschlussvorschlag",
            "Begründung",
            "corpus/BA-044-2020.txt",
        ] {
            assert!(body.contains(needle), "{uri}: {needle:?} missing");
        }
    }
}

#[tokio::test]
async fn answer_page_links_back_to_the_motion() {
    let (_dir, state) = fixture();
    let r = get(&state, "/papers/I-051-2020").await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(
        r.body
            .contains("beantwortet <a href=\"/papers/BA-044-2020\">BA-044/2020</a>")
    );
    assert!(r.body.contains("gleicher Gegenstand"));
    assert!(r.body.contains("nicht öffentlich"));
    assert!(r.body.contains("Dezernat 3"));
    // A mention in passing is shown as a mention, not as a link.
    assert!(r.body.contains("Erwähnungen anderer Vorlagen"));
    assert!(
        !r.body
            .contains("beantwortet <a href=\"/papers/BA-002-2019\"")
    );
}

#[tokio::test]
async fn paper_status_can_be_judged_on_another_day() {
    let (_dir, state) = fixture();
    let r = get(&state, "/papers/BA-044-2020?stand=2020-09-01").await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.body.contains("Frist läuft"), "{}", r.body);
    let r = get(&state, "/papers/BA-044-2020?stand=kein-datum").await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn unknown_paper_is_404() {
    let (_dir, state) = fixture();
    for uri in [
        "/papers/BA-999-2020",
        "/papers/kein-dokument",
        "/papers/%00",
        "/papers/%20",
    ] {
        let r = get(&state, uri).await;
        assert_eq!(r.status, StatusCode::NOT_FOUND, "{uri}");
        assert!(r.body.contains("Nicht gefunden"), "{uri}");
    }
    let r = get(&state, "/api/papers/BA-999-2020").await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    assert_eq!(r.json()["status"], 404);
}

#[tokio::test]
async fn no_path_reaches_a_file_outside_the_records() {
    let (dir, state) = fixture();
    // A valid record outside records/: must never be served.
    let secret = record("BA-777/2020", Kind::Beschlussantrag, "GEHEIM");
    let text = yaml::to_string(&secret).unwrap_or_default();
    std::fs::write(dir.path().join("secret.yaml"), &text).unwrap_or_default();
    std::fs::write(dir.path().join("BA-777-2020.yaml"), &text).unwrap_or_default();
    for uri in [
        "/papers/..%2Fsecret",
        "/papers/../secret",
        "/papers/..%2F..%2F..%2Fetc%2Fpasswd",
        "/papers/%2E%2E/secret",
        "/papers/records/../../secret",
        "/papers/..%5Csecret",
        "/papers/BA-777-2020",
        "/api/papers/..%2Fsecret",
    ] {
        let r = get(&state, uri).await;
        assert_eq!(r.status, StatusCode::NOT_FOUND, "{uri}");
        assert!(!r.body.contains("GEHEIM"), "{uri}");
    }
}

#[tokio::test]
async fn text_from_a_paper_is_escaped_everywhere() {
    let (_dir, state) = fixture();
    for uri in [
        "/papers/BA-010-2021",
        "/?q=Stadtpark",
        "/status",
        "/?q=%3Cscript%3Ealert(1)%3C/script%3E",
    ] {
        let r = get(&state, uri).await;
        assert_eq!(r.status, StatusCode::OK, "{uri}");
        assert!(!r.body.contains("<script>"), "{uri}: raw script tag");
        assert!(
            r.body.contains("&lt;script&gt;"),
            "{uri}: escaped title missing"
        );
    }
    let v = get(&state, "/api/papers/BA-010-2021").await.json();
    assert_eq!(
        v["record"]["title"],
        "<script>alert(1)</script> Sicherheit im Stadtpark"
    );
}

#[tokio::test]
async fn api_paper_has_the_show_json_shape() {
    let (_dir, state) = fixture();
    let v = get(&state, "/api/papers/BA%20044%2F2020").await.json();
    assert_eq!(v["record"]["id"], "BA-044/2020");
    assert_eq!(v["record"]["kind"], "beschlussantrag");
    assert_eq!(v["answered_by"][0]["answer"], "I-051/2020");
    assert!(v["answered_by"][0]["evidence"].is_array());
    assert_eq!(v["answers"].as_array().map(Vec::len), Some(0));
    assert!(v["ambiguous"].is_array());
    assert_eq!(v["status"]["status"], "answered_late");
    assert_eq!(v["status"]["answered_by"], "I-051/2020");
    assert_eq!(v["status"]["days"], 70);
    let v = get(&state, "/api/papers/I-051-2020").await.json();
    assert_eq!(v["answers"][0]["motion"], "BA-044/2020");
    assert!(v["status"].is_null());
}

// ---------------------------------------------------------------- status

#[tokio::test]
async fn status_page_lists_requested_reports_overdue_first() {
    let (_dir, state) = fixture();
    let r = get(&state, "/status").await;
    assert_eq!(r.status, StatusCode::OK);
    let body = &r.body;
    let overdue = position(body, r#"<a href="/papers/BA-010-2021">"#);
    let late = position(body, r#"<a href="/papers/BA-044-2020">"#);
    assert!(overdue < late, "overdue first");
    assert!(body.contains("überfällig"));
    assert!(body.contains("70 Tage verspätet"));
    // No report requested: not on the clerk's page.
    assert!(!body.contains(r#"<a href="/papers/BA-020-2021">"#));
    assert!(body.contains("01.05.2026"), "Stand");
    for label in [
        r#"<label for="status">"#,
        r#"<label for="faction">"#,
        r#"<label for="year">"#,
        r#"<label for="stand">"#,
    ] {
        assert!(body.contains(label), "{label}");
    }
    assert!(body.contains(r#"href="/status.csv""#));
}

#[tokio::test]
async fn status_page_filters() {
    let (_dir, state) = fixture();
    let only = |body: &str, id: &str, not: &str| {
        assert!(body.contains(&format!("<a href=\"/papers/{id}\">")), "{id}");
        assert!(
            !body.contains(&format!("<a href=\"/papers/{not}\">")),
            "{not}"
        );
    };
    let r = get(&state, "/status?status=answered_late").await;
    only(&r.body, "BA-044-2020", "BA-010-2021");
    let r = get(&state, "/status?faction=linke").await;
    only(&r.body, "BA-044-2020", "BA-010-2021");
    let r = get(&state, "/status?year=2021").await;
    only(&r.body, "BA-010-2021", "BA-044-2020");
    let r = get(&state, "/status?stand=2020-09-01").await;
    assert!(r.body.contains("Frist läuft"));
    assert!(r.body.contains("01.09.2020"));
    let r = get(&state, "/status?status=no_report_requested").await;
    only(&r.body, "BA-020-2021", "BA-044-2020");
    for bad in [
        "/status?stand=2020-13-45",
        "/status?year=zwanzig",
        "/status?status=spaet",
        "/status.csv?stand=gestern",
        "/api/status?as_of=20200901",
    ] {
        assert_eq!(
            get(&state, bad).await.status,
            StatusCode::BAD_REQUEST,
            "{bad}"
        );
    }
}

#[tokio::test]
async fn status_csv_is_the_same_table() {
    let (_dir, state) = fixture();
    let r = get(&state, "/status.csv?faction=LINKE").await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.content_type().starts_with("text/csv"));
    assert!(
        r.headers
            .get(header::CONTENT_DISPOSITION)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.contains("berichtsstatus-2026-05-01.csv"))
    );
    let lines: Vec<&str> = r.body.lines().collect();
    assert!(lines[0].starts_with("\u{feff}\"Antrag\";\"Gegenstand\""));
    assert_eq!(lines.len(), 2, "{}", r.body);
    assert!(lines[1].starts_with("\"BA-044/2020\";"));
    assert!(lines[1].contains("\"answered_late\";\"70\";\"I-051/2020\";\"2020-12-09\""));

    let all = get(&state, "/status.csv").await;
    let ids: Vec<&str> = all
        .body
        .lines()
        .skip(1)
        .filter_map(|l| l.split(';').next())
        .collect();
    assert_eq!(ids, ["\"BA-010/2021\"", "\"BA-044/2020\""]);
}

#[tokio::test]
async fn api_status_has_the_cli_shape() {
    let (_dir, state) = fixture();
    let v = get(&state, "/api/status").await.json();
    let rows = v.as_array().cloned().unwrap_or_default();
    let ids: Vec<&str> = rows.iter().filter_map(|s| s["id"].as_str()).collect();
    // Every motion, in the order of `ratsdoc status --json`.
    let today = day(TODAY.0, TODAY.1, TODAY.2).unwrap_or_default();
    let cli: Vec<String> = ratsdoc_link::status(&records(), &links(), today)
        .into_iter()
        .map(|s| s.id)
        .collect();
    assert_eq!(ids, cli);
    assert_eq!(ids.len(), 3);
    for key in [
        "id",
        "status",
        "due",
        "phrase",
        "answered_by",
        "answered_on",
        "days",
        "evidence",
    ] {
        assert!(rows.iter().all(|s| s.get(key).is_some()), "key {key}");
    }
    let ba = rows
        .iter()
        .find(|s| s["id"] == "BA-044/2020")
        .cloned()
        .unwrap_or_default();
    assert_eq!(ba["status"], "answered_late");
    assert_eq!(ba["due"], "2020-09-30");
    assert_eq!(ba["answered_on"], "2020-12-09");
    let v = get(&state, "/api/status?id=BA%2044/2020&as_of=2020-09-01")
        .await
        .json();
    assert_eq!(v[0]["status"], "pending");
    assert_eq!(v.as_array().map(Vec::len), Some(1));
}

// ---------------------------------------------------------------- the rest

#[tokio::test]
async fn stylesheet_and_headers() {
    let (_dir, state) = fixture();
    let r = get(&state, "/static/style.css").await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.content_type().starts_with("text/css"));
    assert!(r.body.contains(":focus-visible"));
    let r = get(&state, "/").await;
    let h = |name| {
        r.headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
    };
    assert_eq!(h(header::X_CONTENT_TYPE_OPTIONS), "nosniff");
    assert!(h(header::CONTENT_SECURITY_POLICY).contains("default-src 'none'"));
    assert_eq!(h(header::CACHE_CONTROL), "no-cache");
}

#[tokio::test]
async fn unknown_routes_are_404() {
    let (_dir, state) = fixture();
    let r = get(&state, "/gibt-es-nicht").await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    assert!(r.body.contains("Nicht gefunden"));
    let r = get(&state, "/api/gibt-es-nicht").await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    assert_eq!(r.json()["status"], 404);
    let r = get(&state, "/papers/").await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn a_directory_without_a_build_is_503() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("tempdir: {e}"));
    let state = AppState::new(dir.path());
    for uri in ["/", "/status", "/papers/BA-044-2020", "/status.csv"] {
        let r = get(&state, uri).await;
        assert_eq!(r.status, StatusCode::SERVICE_UNAVAILABLE, "{uri}");
        assert!(r.body.contains("ratsdoc build"), "{uri}");
    }
    let r = get(&state, "/api/status").await;
    assert_eq!(r.status, StatusCode::SERVICE_UNAVAILABLE);
    assert!(r.json()["error"].is_string());
}

/// Every file under `dir` with its size and modification time.
fn listing(dir: &Path) -> BTreeMap<String, (u64, std::time::SystemTime)> {
    let mut out = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).into_iter().flatten().flatten() {
            let path = entry.path();
            let Ok(meta) = entry.metadata() else { continue };
            if meta.is_dir() {
                stack.push(path.clone());
            }
            let mtime = meta.modified().unwrap_or(std::time::UNIX_EPOCH);
            out.insert(path.display().to_string(), (meta.len(), mtime));
        }
    }
    out
}

#[tokio::test]
async fn serving_writes_nothing_into_the_data_directory() {
    let (dir, state) = fixture();
    let before = listing(dir.path());
    for uri in [
        "/",
        "/?q=Pr%C3%A4vention",
        "/papers/BA-044-2020",
        "/status",
        "/status.csv",
        "/api/search?q=Chemnitz",
        "/api/status",
    ] {
        assert_eq!(get(&state, uri).await.status, StatusCode::OK, "{uri}");
    }
    assert_eq!(listing(dir.path()), before);
}

#[tokio::test]
async fn a_new_build_shows_up_without_restart() {
    let (dir, state) = fixture();
    let r = get(&state, "/status").await;
    assert!(!r.body.contains("BA-030/2022"));
    assert!(get(&state, "/api/search?q=Radwege").await.json()["total"] == 0);

    // What the next nightly build writes: a new record, new links, a new
    // index commit.
    let mut new = record("BA-030/2022", Kind::Beschlussantrag, "Sichere Radwege");
    new.consultations = vec![consultation("Stadtrat", day(2022, 3, 2), true)];
    new.report_requests = vec![request("bis Ende des Jahres 2022", day(2022, 12, 31))];
    new.decision_proposal = Some("Radwege sicherer machen und berichten.".into());
    // Let the file times move on even on coarse-grained file systems.
    std::thread::sleep(std::time::Duration::from_millis(20));
    write_records(dir.path(), std::slice::from_ref(&new));
    write_links(dir.path(), &links());
    write_index(dir.path(), std::slice::from_ref(&new));

    // The new build loads in the background; the old one answers meanwhile.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    loop {
        let r = get(&state, "/status").await;
        assert_eq!(r.status, StatusCode::OK);
        if r.body.contains("BA-030/2022") {
            break;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "status table not reloaded"
        );
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    let r = get(&state, "/papers/BA-030-2022").await;
    assert_eq!(r.status, StatusCode::OK);
    let v = get(&state, "/api/search?q=Radwege").await.json();
    assert_eq!(v["total"], 1, "index not reloaded: {v}");
}

#[tokio::test]
async fn the_clerks_table_is_paged_but_the_csv_is_whole() {
    let (dir, state) = fixture();
    let many: Vec<Record> = (100..350)
        .map(|n| {
            let mut r = record(&format!("BA-{n}/2023"), Kind::Beschlussantrag, "Antrag");
            r.consultations = vec![consultation("Stadtrat", day(2023, 1, 18), true)];
            r.report_requests = vec![request("bis zum 30.06.2023", day(2023, 6, 30))];
            r
        })
        .collect();
    write_records(dir.path(), &many);
    let r = get(&state, "/status").await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.body.contains("252 Beschlussanträge"), "{}", r.body);
    assert!(r.body.contains("Seite 1 von 2"));
    assert!(r.body.contains(r#"rel="next" href="/status?page=2""#));
    let r = get(&state, "/status?page=2").await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.body.contains("Zeilen 201 bis 252"), "{}", r.body);
    assert_eq!(
        get(&state, "/status?page=3").await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        get(&state, "/status?page=0").await.status,
        StatusCode::BAD_REQUEST
    );
    let csv = get(&state, "/status.csv?page=2").await;
    assert_eq!(csv.body.lines().count(), 253);
}

// ---------------------------------------------------------------- decisions

/// The fixture plus a motion the council rejected, with its vote, and a
/// motion referred to a committee.
fn decided_records() -> Vec<Record> {
    let mut all = records();
    let mut rejected = record(
        "BA-030/2021",
        Kind::Beschlussantrag,
        "Kostenfreies Parken am Samstag",
    );
    let mut row = consultation("Stadtrat", day(2021, 6, 22), true);
    row.result = Some(ConsultationResult::Abgelehnt);
    row.votes = Some(Votes {
        yes: Some(12),
        no: Some(30),
        abstentions: Some(3),
        margin: None,
    });
    rejected.consultations = vec![row];
    rejected.report_requests = vec![request("im IV. Quartal 2021", day(2021, 12, 31))];
    let mut referred = record(
        "BA-031/2021",
        Kind::Beschlussantrag,
        "Parken für Lastenräder",
    );
    let mut row = consultation("Stadtrat", day(2021, 6, 22), true);
    row.result = Some(ConsultationResult::Verwiesen);
    row.referred_to = Some("Ausschuss für Stadtentwicklung, Bau und Verkehr".into());
    referred.consultations = vec![row];
    all.push(rejected);
    all.push(referred);
    all
}

#[tokio::test]
async fn the_paper_page_says_what_became_of_it() {
    let (_dir, state) = fixture_of(decided_records());
    let r = get(&state, "/papers/BA-030-2021").await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(
        r.body
            .contains("Was daraus wurde: </strong>abgelehnt – Stadtrat am"),
        "{}",
        r.body
    );
    assert!(r.body.contains("12 Ja, 30 Nein, 3 Enthaltungen"));
    // Rejected: the report request is void, not overdue.
    assert!(r.body.contains("gegenstandslos"));
    assert!(!r.body.contains("überfällig"));
    let r = get(&state, "/papers/BA-031-2021").await;
    assert!(
        r.body
            .contains("verwiesen an Ausschuss für Stadtentwicklung, Bau und Verkehr")
    );
    // No result recorded: no line.
    let r = get(&state, "/papers/BA-020-2021").await;
    assert!(!r.body.contains("Was daraus wurde"));
}

#[tokio::test]
async fn search_filters_by_result() {
    let (_dir, state) = fixture_of(decided_records());
    let r = get(&state, "/?q=Parken&result=abgelehnt").await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.body.contains(r#"href="/papers/BA-030-2021""#));
    assert!(!r.body.contains(r#"href="/papers/BA-031-2021""#));
    assert!(r.body.contains("Ergebnis: abgelehnt"));
    assert!(r.body.contains(r#"<option value="abgelehnt" selected>"#));
    let r = get(&state, "/?q=Parken").await;
    assert!(r.body.contains(r#"href="/papers/BA-031-2021""#));
    assert!(r.body.contains(r#"href="/papers/BA-030-2021""#));
    let r = get(&state, "/api/search?q=Parken&result=verwiesen").await;
    assert!(r.body.contains(r#""result":"verwiesen""#), "{}", r.body);
    assert!(!r.body.contains("BA-030/2021"));
    assert_eq!(
        get(&state, "/?q=Parken&result=gewonnen").await.status,
        StatusCode::BAD_REQUEST
    );
}

#[tokio::test]
async fn a_void_request_is_on_the_clerks_page_and_never_overdue() {
    let (_dir, state) = fixture_of(decided_records());
    let r = get(&state, "/status?status=void").await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.body.contains(r#"<a href="/papers/BA-030-2021">"#));
    assert!(!r.body.contains(r#"<a href="/papers/BA-044-2020">"#));
    let r = get(&state, "/status?status=overdue").await;
    assert!(!r.body.contains(r#"<a href="/papers/BA-030-2021">"#));
}
