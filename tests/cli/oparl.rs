//! `ratsdoc serve`'s OParl 1.1 endpoint, over real HTTP on 127.0.0.1: every
//! object and list page against the OParl 1.1 JSON Schemas, a crawl from
//! the System object that follows every URL, and the history behind
//! `created`, `modified` and `deleted`.

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Stdio};

use serde_json::Value;

use crate::oparl_check::{Schemas, agent, crawl, fetch, schema_dir};
use crate::util::*;

/// The server process; killed when the test ends, however it ends.
struct Serving {
    child: Child,
    /// `http://127.0.0.1:PORT`
    base: String,
    /// Kept open for the server's life.
    _stdout: Option<std::process::ChildStdout>,
}

impl Drop for Serving {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Serving {
    fn system(&self) -> String {
        format!("{}/oparl/v1.1/", self.base)
    }

    /// The JSON at `path_and_query`, with this server's own address
    /// removed from every URL, so that two servers' answers compare.
    fn get_relative(&self, path_and_query: &str) -> Value {
        let text = self.get_json(path_and_query).to_string();
        serde_json::from_str(&text.replace(&self.base, "")).unwrap()
    }

    fn get_json(&self, path_and_query: &str) -> Value {
        let (status, body) = fetch(&agent(), &format!("{}{path_and_query}", self.base));
        assert_eq!(
            status,
            200,
            "{path_and_query}: {}",
            String::from_utf8_lossy(&body)
        );
        serde_json::from_slice(&body).unwrap()
    }
}

/// `ratsdoc serve` over `data` on a free loopback port; source paths are
/// read from `files_root`.
fn serve(data: &Path, files_root: &Path) -> Serving {
    let root = files_root.to_str().unwrap();
    serve_with(data, &["--files-root", root, "--as-of", "2026-05-01"])
}

/// `ratsdoc serve` over `data` on a free loopback port with `extra`.
fn serve_with(data: &Path, extra: &[&str]) -> Serving {
    let mut child = ratsdoc()
        .args(["serve", "--data", data.to_str().unwrap()])
        .args(["--addr", "127.0.0.1:0"])
        .args(extra)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut first = String::new();
    let mut reader = BufReader::new(child.stdout.take().unwrap());
    reader.read_line(&mut first).unwrap();
    let addr = first
        .split("http://")
        .nth(1)
        .and_then(|rest| rest.split('/').next())
        .unwrap_or_else(|| panic!("no address in {first:?}"))
        .to_string();
    Serving {
        child,
        base: format!("http://{addr}"),
        _stdout: Some(reader.into_inner()),
    }
}

/// The text corpus built into `dir/data`; returns the corpus folder.
fn built(dir: &Path) -> std::path::PathBuf {
    let corpus = copy_text_corpus(dir);
    let o = build(&corpus, &dir.join("data"), &["--as-of", "2026-05-01"]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    corpus
}

#[test]
fn every_object_and_list_page_validates_against_the_oparl_schemas() {
    let Some(dir) = schema_dir() else {
        println!("skipped: the OParl 1.1 schemas (../shared/oparl/schema) are not here");
        return;
    };
    let tmp = tempfile::tempdir().unwrap();
    built(tmp.path());
    let server = serve(&tmp.path().join("data"), tmp.path());
    let seen = crawl(&agent(), &server.base, &server.system());
    assert!(seen.problems.is_empty(), "{:#?}", seen.problems);
    let mut schemas = Schemas::load(&dir);
    let mut problems = Vec::new();
    for (url, doc) in &seen.documents {
        if let Some(data) = doc.get("data") {
            for key in ["pagination", "links"] {
                assert!(doc[key].is_object(), "{url}: list page without {key}");
            }
            for (i, item) in data.as_array().unwrap().iter().enumerate() {
                problems.extend(schemas.problems(item, &format!("{url} data[{i}]")));
            }
        } else {
            problems.extend(schemas.problems(doc, url));
        }
    }
    assert!(problems.is_empty(), "{problems:#?}");
    for kind in [
        "System",
        "Body",
        "LegislativeTerm",
        "Paper",
        "Consultation",
        "File",
    ] {
        assert!(!seen.of_type(kind).is_empty(), "no {kind} served");
    }
    for kind in ["Organization", "Person", "Meeting"] {
        assert!(!seen.of_type(kind).is_empty(), "no {kind} served");
    }
}

#[test]
fn a_crawl_from_system_finds_every_url_and_every_id_answers_itself() {
    let tmp = tempfile::tempdir().unwrap();
    built(tmp.path());
    let server = serve(&tmp.path().join("data"), tmp.path());
    let seen = crawl(&agent(), &server.base, &server.system());
    assert!(seen.problems.is_empty(), "{:#?}", seen.problems);
    for (id, occurrences) in &seen.objects {
        let fetched = seen
            .documents
            .get(id)
            .unwrap_or_else(|| panic!("{id} was never fetched"));
        for o in occurrences {
            // A File embedded in its Paper leaves out the text it has at
            // its own URL; everything else is the same.
            let mut whole = fetched.clone();
            if o.get("text").is_none() && whole["type"] == "https://schema.oparl.org/1.1/File" {
                whole.as_object_mut().unwrap().remove("text");
            }
            assert_eq!(o, &whole, "{id} differs where it is embedded or listed");
        }
    }
    let papers = seen.of_type("Paper");
    let records = std::fs::read_dir(tmp.path().join("data/records"))
        .unwrap()
        .count();
    assert_eq!(papers.len(), records, "every record is a Paper");
    let texts = seen
        .documents
        .values()
        .filter(|d| d["type"] == "https://schema.oparl.org/1.1/File")
        .filter(|d| d["text"].as_str().is_some_and(|t| t.len() > 100))
        .count();
    assert!(
        texts >= records,
        "each main file has its text at its own URL"
    );
    back_references_agree(&papers);
    files_answer_with_their_size(&seen);
}

/// Each consultation names the paper that embeds it; relatedPaper is
/// mutual; superordinated and subordinated mirror each other.
fn back_references_agree(papers: &[&Value]) {
    let mut related = std::collections::BTreeSet::new();
    for p in papers {
        let id = p["id"].as_str().unwrap();
        for c in p["consultation"].as_array().into_iter().flatten() {
            assert_eq!(c["paper"], p["id"], "consultation {} of {id}", c["id"]);
        }
        for r in p["relatedPaper"].as_array().into_iter().flatten() {
            related.insert((id.to_string(), r.as_str().unwrap().to_string()));
        }
        for s in p["superordinatedPaper"].as_array().into_iter().flatten() {
            assert!(
                papers.iter().any(|o| o["id"] == *s
                    && o["subordinatedPaper"]
                        .as_array()
                        .is_some_and(|l| l.iter().any(|x| x == id))),
                "{id} names {s} as superordinated, which does not name it back"
            );
        }
    }
    assert!(
        !related.is_empty(),
        "the corpus links an answer to a motion"
    );
    for (a, b) in &related {
        assert!(
            related.contains(&(b.clone(), a.clone())),
            "{a} → {b} is not mutual"
        );
    }
}

fn files_answer_with_their_size(seen: &crate::oparl_check::Crawl) {
    let files = seen.of_type("File");
    assert!(!files.is_empty());
    for f in files {
        for key in ["accessUrl", "downloadUrl"] {
            let url = f[key].as_str().unwrap();
            let got = seen
                .files
                .get(url)
                .unwrap_or_else(|| panic!("{url} not fetched"));
            assert_eq!(Some(*got as u64), f["size"].as_u64(), "{url}");
        }
    }
}

/// Every listed paper by its id, URLs relative to the server.
fn paper_times(server: &Serving, query: &str) -> std::collections::BTreeMap<String, Value> {
    let list = server.get_relative(&format!("/oparl/v1.1/body/papers?limit=1000{query}"));
    assert!(
        list["links"].get("next").is_none(),
        "one page holds the corpus"
    );
    list["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| (p["id"].as_str().unwrap().to_string(), p.clone()))
        .collect()
}

/// Returns once the clock shows a second after `after`, so that the next
/// build's run is later than anything before it.
fn next_second(after: i64) -> i64 {
    loop {
        let now = chrono::Utc::now().timestamp();
        if now > after {
            return now;
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
}

#[test]
fn timestamps_follow_the_history_and_a_removed_paper_stays_as_deleted() {
    let tmp = tempfile::tempdir().unwrap();
    let corpus = built(tmp.path());
    let data = tmp.path().join("data");
    let first_build = chrono::Utc::now().timestamp();
    let before = paper_times(&serve(&data, tmp.path()), "");

    next_second(first_build);
    let o = build(&corpus, &data, &["--as-of", "2026-05-01"]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let server = serve(&data, tmp.path());
    assert_eq!(
        before,
        paper_times(&server, ""),
        "a no-change rebuild moved a time"
    );
    drop(server);

    let files = report(&data)["files"].as_array().unwrap().clone();
    let path_of = |i: usize| files[i]["path"].as_str().unwrap().to_string();
    let id_of = |i: usize| files[i]["id"].as_str().unwrap().to_string();
    let root = corpus.parent().unwrap();
    let (changed, removed) = (0, files.len() - 1);
    let since = next_second(chrono::Utc::now().timestamp());
    let mut text = std::fs::read_to_string(root.join(path_of(changed))).unwrap();
    text.push_str("\nDie Verwaltung ergänzt einen Satz zur Prüfung.\n");
    std::fs::write(root.join(path_of(changed)), text).unwrap();
    std::fs::remove_file(root.join(path_of(removed))).unwrap();
    let o = build(&corpus, &data, &["--as-of", "2026-05-01"]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));

    let server = serve(&data, tmp.path());
    let stamp = chrono::DateTime::from_timestamp(since, 0)
        .unwrap()
        .to_rfc3339();
    let query = format!("&modified_since={}", stamp.replace('+', "%2B"));
    let recent = paper_times(&server, &query);
    let url = |id: &str| {
        let stem = ratsdoc_model::number::id_to_file_stem(id);
        format!("/oparl/v1.1/paper/{stem}")
    };
    let changed_now = &recent[&url(&id_of(changed))];
    let changed_then = &before[&url(&id_of(changed))];
    assert_eq!(changed_now["created"], changed_then["created"]);
    assert_ne!(changed_now["modified"], changed_then["modified"]);
    let gone = &recent[&url(&id_of(removed))];
    assert_eq!(gone["deleted"], true, "{gone}");
    assert_eq!(gone["created"], before[&url(&id_of(removed))]["created"]);
    assert!(
        recent.len() < before.len(),
        "only what changed: {recent:#?}"
    );
    let all = paper_times(&server, "");
    assert!(
        !all.contains_key(&url(&id_of(removed))),
        "deleted only with modified_since"
    );
    let direct = server.get_relative(&format!(
        "/oparl/v1.1/paper/{}",
        ratsdoc_model::number::id_to_file_stem(&id_of(removed))
    ));
    assert_eq!(direct, *gone);
}

#[test]
fn errors_are_oparl_error_objects_and_answers_carry_cors_and_etags() {
    let tmp = tempfile::tempdir().unwrap();
    built(tmp.path());
    let server = serve(&tmp.path().join("data"), tmp.path());
    let agent = agent();
    for path in [
        "/oparl/v1.1/paper/XX-999-1999",
        "/oparl/v1.1/nothing/here/at/all",
        "/oparl/v1.1/body/papers?page=99",
    ] {
        let mut r = agent.get(&format!("{}{path}", server.base)).call().unwrap();
        assert_eq!(r.status().as_u16(), 404, "{path}");
        assert_eq!(r.headers()["access-control-allow-origin"], "*");
        let body: Value = serde_json::from_slice(&r.body_mut().read_to_vec().unwrap()).unwrap();
        assert_eq!(body["type"], "https://schema.oparl.org/1.1/Error", "{path}");
        assert!(body["message"].as_str().is_some_and(|m| !m.is_empty()));
    }
    let bad = agent
        .get(&format!(
            "{}/oparl/v1.1/body/papers?created_since=gestern",
            server.base
        ))
        .call()
        .unwrap();
    assert_eq!(bad.status().as_u16(), 400);

    let url = format!("{}/oparl/v1.1/body/papers", server.base);
    let first = agent.get(&url).call().unwrap();
    assert_eq!(first.headers()["access-control-allow-origin"], "*");
    let etag = first.headers()["etag"].to_str().unwrap().to_string();
    let again = agent
        .get(&url)
        .header("If-None-Match", &etag)
        .call()
        .unwrap();
    assert_eq!(again.status().as_u16(), 304);
    let other = agent
        .get(&url)
        .header("If-None-Match", "\"0\"")
        .call()
        .unwrap();
    assert_eq!(other.status().as_u16(), 200);
}

#[test]
fn absolute_urls_follow_public_url() {
    let tmp = tempfile::tempdir().unwrap();
    built(tmp.path());
    let server = serve_with(
        &tmp.path().join("data"),
        &["--public-url", "https://rat.example/ris/"],
    );
    let system = server.get_json("/oparl/v1.1/");
    assert_eq!(system["id"], "https://rat.example/ris/oparl/v1.1/");
    assert_eq!(system["body"], "https://rat.example/ris/oparl/v1.1/bodies");
    let body = server.get_json("/oparl/v1.1/body");
    assert_eq!(body["ags"], "14511000");
    assert_eq!(body["shortName"], "Chemnitz");
}

/// Pairs of two strings: (record id, kind) or (motion, answer).
type Pairs = Vec<(String, String)>;

/// Kind per record id, links as (motion, answer), and verdicts as
/// "id status due answered_by", of a data directory.
fn what_was_built(data: &Path) -> (Pairs, Pairs, Vec<String>) {
    let mut kinds = Vec::new();
    for entry in std::fs::read_dir(data.join("records")).unwrap() {
        let text = std::fs::read_to_string(entry.unwrap().path()).unwrap();
        let record: ratsdoc_model::Record = ratsdoc_model::yaml::from_str(&text).unwrap();
        // A document that is no council paper comes back as a paper of
        // the RIS's kind "kein Ratsdokument": its id is what must agree.
        let kind = match record.kind {
            ratsdoc_model::Kind::Other | ratsdoc_model::Kind::Sonstige => "no council kind",
            k => k.as_str(),
        };
        kinds.push((record.id, kind.to_string()));
    }
    kinds.sort();
    let text = std::fs::read_to_string(data.join("links.yaml")).unwrap();
    let links: ratsdoc_model::Links = ratsdoc_model::yaml::from_str(&text).unwrap();
    let mut pairs: Pairs = links
        .links
        .into_iter()
        .map(|l| (l.motion, l.answer))
        .collect();
    pairs.sort();
    let o = run(
        &[
            "status",
            "--data",
            data.to_str().unwrap(),
            "--as-of",
            "2026-05-01",
            "--json",
        ],
        Path::new("."),
    );
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let verdicts: Vec<Value> = serde_json::from_str(&stdout(&o)).unwrap();
    let verdicts = verdicts
        .iter()
        .map(|v| {
            format!(
                "{} {} {} {}",
                v["id"], v["status"], v["due"], v["answered_by"]
            )
        })
        .collect();
    (kinds, pairs, verdicts)
}

#[test]
fn a_sync_from_the_endpoint_then_a_build_gives_the_same_papers_links_and_verdicts() {
    let tmp = tempfile::tempdir().unwrap();
    built(tmp.path());
    let server = serve(&tmp.path().join("data"), tmp.path());
    let sync_dir = tmp.path().join("sync");
    let o = run(
        &[
            "sync",
            &server.system(),
            "--corpus",
            sync_dir.to_str().unwrap(),
        ],
        tmp.path(),
    );
    assert_eq!(code(&o), 0, "{}{}", stdout(&o), stderr(&o));
    let again = tmp.path().join("again");
    let o = build(&sync_dir, &again, &["--as-of", "2026-05-01"]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let original = what_was_built(&tmp.path().join("data"));
    let synced = what_was_built(&again);
    assert!(!original.1.is_empty() && !original.2.is_empty());
    assert_eq!(original.0, synced.0, "papers");
    assert_eq!(original.1, synced.1, "links");
    assert_eq!(original.2, synced.2, "verdicts");
}
