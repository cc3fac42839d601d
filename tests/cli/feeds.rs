//! The calendar and the feeds as real clients read them: `ratsdoc serve`
//! over two builds (a motion whose report is overdue, then the answer
//! arrives), each answer parsed by Python's `icalendar` and `feedparser`.
//! Without them the test prints `skipped: …` (`.ci/run` installs them).

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};

use serde_json::Value;

use crate::util::{build, code, corpus_dir, ratsdoc, stderr, stdout};

/// A title with every character iCalendar and XML escape, and umlauts.
const TRICKY: &str = "Prüfung \"Grün & Blau\": Straßen, Plätze; <Kaßberg> \\ Ölmühle";

/// Reads an iCalendar file with `icalendar` and prints its entries as JSON.
const READ_ICS: &str = r#"
import sys, json, icalendar
cal = icalendar.Calendar.from_ical(open(sys.argv[1], 'rb').read())
out = []
for c in cal.walk():
    if c.name in ('VEVENT', 'VTODO'):
        day = c.get('DUE') or c.get('DTSTART')
        out.append({'kind': c.name, 'uid': str(c['UID']), 'summary': str(c['SUMMARY']),
                    'description': str(c['DESCRIPTION']), 'url': str(c['URL']),
                    'status': str(c.get('STATUS', '')), 'day': day.dt.isoformat()})
print(json.dumps(out))
"#;

/// Reads an Atom feed with `feedparser` and prints its entries as JSON.
const READ_ATOM: &str = r#"
import sys, json, feedparser
f = feedparser.parse(open(sys.argv[1], 'rb').read())
print(json.dumps({'bozo': bool(f.bozo), 'version': f.version, 'title': f.feed.get('title'),
    'entries': [{'id': e.id, 'title': e.title, 'updated': e.updated, 'link': e.link}
                for e in f.entries]}))
"#;

/// `None` (and a printed reason) when Python or its libraries are missing.
fn python_ready() -> Option<()> {
    let probe = Command::new("python3")
        .args(["-c", "import icalendar, feedparser"])
        .output();
    match probe {
        Ok(o) if o.status.success() => Some(()),
        Ok(o) => {
            println!(
                "skipped: python3 cannot import icalendar and feedparser (pip install icalendar feedparser): {}",
                String::from_utf8_lossy(&o.stderr).trim()
            );
            None
        }
        Err(e) => {
            println!("skipped: python3 not found ({e})");
            None
        }
    }
}

/// Runs a Python `script` with `arg` and reads the JSON it prints.
fn python(script: &str, arg: &str) -> Value {
    let out = Command::new("python3")
        .args(["-c", script, arg])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "python: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

/// Parses `body` with one of the scripts above.
fn parse(script: &str, body: &str, dir: &Path) -> Value {
    let file = dir.join("answer");
    std::fs::write(&file, body).unwrap();
    python(script, file.to_str().unwrap())
}

/// The two motions of [`motions`] built as of 2020-10-01, when the seed's
/// report is overdue: the corpus and the data directory.
fn first_build(dir: &Path) -> (PathBuf, PathBuf) {
    let (corpus, data) = (dir.join("corpus"), dir.join("data"));
    motions(&corpus);
    let first = build(&corpus, &data, &["--quiet", "--as-of", "2020-10-01"]);
    assert_eq!(code(&first), 0, "{}", stderr(&first));
    (corpus, data)
}

/// The seed's answer arrives and is built as of 2021-01-01.
fn answer_arrives(corpus: &Path, data: &Path) {
    let answer = corpus_dir().join("001_510c93239a0bebc6.txt");
    std::fs::copy(answer, corpus.join("i-051.txt")).unwrap();
    let second = build(corpus, data, &["--quiet", "--as-of", "2021-01-01"]);
    assert_eq!(code(&second), 0, "{}", stdout(&second));
}

struct Serving(Child, SocketAddr);

impl Drop for Serving {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn serve(data: &Path) -> Serving {
    let mut child = ratsdoc()
        .args([
            "serve",
            "--data",
            data.to_str().unwrap(),
            "--addr",
            "127.0.0.1:0",
        ])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut first = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut first)
        .unwrap();
    let addr = first
        .split("http://")
        .nth(1)
        .and_then(|rest| rest.split('/').next())
        .and_then(|a| a.parse().ok())
        .unwrap_or_else(|| panic!("no address in {first:?}"));
    Serving(child, addr)
}

/// GET `path`; the status line, the headers and the body.
fn get(addr: SocketAddr, path: &str) -> (String, String) {
    let mut s = TcpStream::connect(addr).unwrap();
    write!(
        s,
        "GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut answer = String::new();
    s.read_to_string(&mut answer).unwrap();
    let (head, body) = answer.split_once("\r\n\r\n").unwrap();
    (head.to_string(), body.to_string())
}

/// The seed motion, and a second one with [`TRICKY`] as its title.
fn motions(corpus: &Path) {
    std::fs::create_dir_all(corpus).unwrap();
    let seed = std::fs::read_to_string(corpus_dir().join("000_e399952ef18a924d.txt")).unwrap();
    std::fs::write(corpus.join("ba-044.txt"), &seed).unwrap();
    let tricky = seed.replace("BA-044/2020", "BA-045/2020").replace(
        "Ein Jahr Allianz Sichere Sächsische Kommunen (ASSKomm) - Bilanz für Chemnitz",
        TRICKY,
    );
    std::fs::write(corpus.join("ba-045.txt"), tricky).unwrap();
}

fn entries<'a>(parsed: &'a Value, uid_part: &str) -> Vec<&'a Value> {
    parsed
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["uid"].as_str().unwrap().contains(uid_part))
        .collect()
}

#[test]
fn calendar_and_feeds_read_by_real_clients_follow_the_builds() {
    if python_ready().is_none() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let (corpus, data) = first_build(dir.path());

    let server = serve(&data);
    let (head, ics) = get(server.1, "/status.ics?stand=2020-10-01");
    assert!(head.contains("text/calendar"), "{head}");
    assert!(
        ics.contains("\r\n") && ics.lines().all(|l| l.len() <= 76),
        "{ics}"
    );
    let before = parse(READ_ICS, &ics, dir.path());
    let tricky = entries(&before, "BA-045-2020");
    assert_eq!(tricky.len(), 1, "{before}");
    assert_eq!(
        tricky[0]["summary"],
        format!("Bericht fällig: BA-045/2020 – {TRICKY}")
    );
    assert_eq!(tricky[0]["day"], "2020-09-30");
    let seed = entries(&before, "BA-044-2020");
    assert!(
        seed[0]["description"]
            .as_str()
            .unwrap()
            .contains("im III. Quartal 2020")
    );
    assert!(
        seed[0]["description"]
            .as_str()
            .unwrap()
            .contains("überfällig")
    );
    assert!(
        seed[0]["url"]
            .as_str()
            .unwrap()
            .ends_with("/papers/BA-044-2020")
    );

    let (_, atom) = get(server.1, "/feed.atom?q=K%C3%A4%C3%9Fberg");
    let feed = parse(READ_ATOM, &atom, dir.path());
    assert_eq!(feed["bozo"], false, "{atom}");
    assert_eq!(feed["version"], "atom10");
    let found = &feed["entries"][0];
    assert_eq!(found["title"], format!("BA-045/2020 – {TRICKY}"));
    assert_eq!(found["id"], "urn:ratsdoc:paper:BA-045-2020");
    drop(server);

    // The answer arrives.
    answer_arrives(&corpus, &data);

    let server = serve(&data);
    let (_, ics) = get(server.1, "/status.ics?stand=2021-01-01&form=todo");
    let after = parse(READ_ICS, &ics, dir.path());
    let uids = |v: &Value| {
        let mut u: Vec<String> = v
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["uid"].as_str().unwrap().to_string())
            .collect();
        u.sort();
        u
    };
    assert_eq!(uids(&before), uids(&after), "UIDs stay across builds");
    let seed = entries(&after, "BA-044-2020");
    assert_eq!(seed[0]["kind"], "VTODO");
    assert_eq!(seed[0]["status"], "COMPLETED");
    assert!(
        seed[0]["description"]
            .as_str()
            .unwrap()
            .contains("I-051/2020")
    );
    assert_eq!(entries(&after, "BA-045-2020")[0]["status"], "NEEDS-ACTION");

    let (head, atom) = get(server.1, "/status.atom");
    assert!(head.contains("application/atom+xml"), "{head}");
    let feed = parse(READ_ATOM, &atom, dir.path());
    assert_eq!(feed["bozo"], false, "{atom}");
    let titles: Vec<&str> = feed["entries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["title"].as_str().unwrap())
        .collect();
    assert!(
        titles.contains(&"I-051/2020 beantwortet BA-044/2020"),
        "{titles:?}"
    );
    assert!(
        titles.contains(&"BA-044/2020: verspätet beantwortet (vorher: überfällig)"),
        "{titles:?}"
    );
    let ids: Vec<&str> = feed["entries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["id"].as_str().unwrap())
        .collect();
    let (_, again) = get(server.1, "/status.atom");
    let again = parse(READ_ATOM, &again, dir.path());
    let again_ids: Vec<&str> = again["entries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, again_ids, "entry ids are stable");
}

#[test]
fn the_pages_announce_their_feeds() {
    let dir = tempfile::tempdir().unwrap();
    let (corpus, data) = (dir.path().join("corpus"), dir.path().join("data"));
    motions(&corpus);
    let built = build(&corpus, &data, &["--quiet"]);
    assert_eq!(code(&built), 0, "{}", stderr(&built));
    let server = serve(&data);
    let (_, page) = get(server.1, "/?q=Polizei&kind=beschlussantrag");
    assert!(page.contains(
        r#"<link rel="alternate" type="application/atom+xml" title="Neue Dokumente zu dieser Suche (Atom)" href="/feed.atom?q=Polizei&amp;kind=beschlussantrag">"#
    ), "{page}");
    assert!(
        page.contains(r#"<a class="feed" href="/feed.atom?q=Polizei&amp;kind=beschlussantrag""#)
    );
    let (_, page) = get(server.1, "/status?status=overdue");
    assert!(page.contains(r#"type="text/calendar" title="Berichtsfristen (iCalendar)" href="/status.ics?status=overdue""#), "{page}");
    assert!(page.contains(r#"href="/status.atom""#));
    let (head, _) = get(server.1, "/status.ics?form=yearly");
    assert!(head.starts_with("HTTP/1.1 400"), "{head}");
}

/// Polls a calendar as a subscribing program does: asks for gzip, keeps the
/// `ETag`, and asks again with `If-None-Match`. Prints what it got as JSON.
const POLL_ICS: &str = r#"
import sys, json, gzip, urllib.request, urllib.error, icalendar
url = sys.argv[1]
first = urllib.request.urlopen(urllib.request.Request(url, headers={'Accept-Encoding': 'gzip'}))
raw = first.read()
encoding = first.headers.get('Content-Encoding')
body = gzip.decompress(raw) if encoding == 'gzip' else raw
cal = icalendar.Calendar.from_ical(body)
uids = sorted(str(c['UID']) for c in cal.walk() if c.name == 'VEVENT')
etag = first.headers.get('ETag')
try:
    again = urllib.request.urlopen(urllib.request.Request(url, headers={'If-None-Match': etag}))
    second = again.status
except urllib.error.HTTPError as e:
    second = e.code
print(json.dumps({'encoding': encoding, 'sent': len(raw), 'plain': len(body), 'etag': etag,
                  'uids': uids, 'second': second}))
"#;

fn poll(addr: SocketAddr, path: &str) -> Value {
    python(POLL_ICS, &format!("http://{addr}{path}"))
}

#[test]
fn a_subscribed_calendar_gets_it_compressed_and_only_when_it_changed() {
    if python_ready().is_none() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let (corpus, data) = first_build(dir.path());
    let server = serve(&data);
    let path = "/status.ics?stand=2020-10-01";
    let polled = poll(server.1, path);
    assert_eq!(polled["encoding"], "gzip", "{polled}");
    assert!(
        polled["sent"].as_u64() < polled["plain"].as_u64(),
        "{polled}"
    );
    assert_eq!(polled["second"], 304, "{polled}");
    let (_, plain) = get(server.1, path);
    let read = parse(READ_ICS, &plain, dir.path());
    assert_eq!(
        polled["uids"].as_array().map(Vec::len),
        read.as_array().map(Vec::len),
        "the compressed calendar has the plain one's entries"
    );
    drop(server);

    answer_arrives(&corpus, &data);
    let server = serve(&data);
    let (head, _) = get(server.1, path);
    let etag = polled["etag"].as_str().unwrap();
    assert!(head.contains("etag: \""), "{head}");
    assert!(
        !head.contains(etag),
        "a changed calendar has a new tag: {head}"
    );
}
