//! A small OParl server on 127.0.0.1: a System, one Body, and paginated
//! lists of papers, meetings, organizations and persons, with file
//! downloads. Tests build a [`Site`] (or load the Karlsruhe dump with
//! [`karlsruhe::load`]), start a [`Server`] on it and add [`Fault`]s: a 500
//! before the answer, a 429 with `Retry-After`, a web page or broken JSON
//! instead of JSON, a pagination loop, a huge file, an answer that never
//! comes.
//!
//! Objects are stored with the placeholder [`BASE`] in their URLs; the
//! server puts its own `http://127.0.0.1:<port>` there when it answers.
//! Plain std::net, one thread per connection, `Connection: close`.

pub mod karlsruhe;
pub mod sample;

use std::collections::{BTreeMap, HashMap};
use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::path::PathBuf;
use std::sync::{Arc, Mutex, RwLock};
use std::time::Duration;

use serde_json::{Value, json};

/// Stands for the server's own base URL in stored objects.
pub const BASE: &str = "http://oparl.invalid";

/// OParl version the server speaks: its type URLs and `oparlVersion`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Version {
    V1_0,
    V1_1,
}

impl Version {
    pub fn schema(self) -> &'static str {
        match self {
            Version::V1_0 => "https://schema.oparl.org/1.0/",
            Version::V1_1 => "https://schema.oparl.org/1.1/",
        }
    }
}

/// What a download path serves.
#[derive(Debug, Clone)]
pub enum FileBody {
    Bytes(Vec<u8>, &'static str),
    /// A file on disk, served as `text/plain`.
    Disk(PathBuf),
    /// This many bytes of filler, without `Content-Length`, so only the
    /// client's own count can stop it.
    Endless(u64),
}

/// The objects a server serves, URLs with [`BASE`].
#[derive(Debug, Clone)]
pub struct Site {
    pub version: Version,
    /// Path of the body below the base, e.g. `/oparl/bodies/1`.
    pub body_path: String,
    pub body_name: String,
    pub papers: Vec<Value>,
    pub meetings: Vec<Value>,
    pub organizations: Vec<Value>,
    pub persons: Vec<Value>,
    /// Objects served only by their URL (OParl 1.0 servers that list
    /// consultations as URLs).
    pub objects: Vec<Value>,
    /// Download path → content.
    pub files: BTreeMap<String, FileBody>,
    pub per_page: usize,
    /// Whether the paper list filters by `modified_since`.
    pub honour_modified_since: bool,
    /// Whether the body offers meeting, organization and person lists.
    pub offer_lists: bool,
}

/// A fault for requests whose path (or path and query) is `path`.
#[derive(Debug, Clone)]
pub enum Fault {
    /// `status` for the first `times` requests, then the normal answer;
    /// with `Retry-After: <seconds>` when given.
    Status {
        path: String,
        status: u16,
        times: u32,
        retry_after: Option<u32>,
    },
    Html {
        path: String,
    },
    InvalidJson {
        path: String,
    },
    /// Accepts the connection and never answers.
    Hang {
        path: String,
    },
    /// The last page of the paper list points back to the first.
    PaginationLoop,
}

impl Fault {
    fn path(&self) -> Option<&str> {
        match self {
            Fault::Status { path, .. }
            | Fault::Html { path }
            | Fault::InvalidJson { path }
            | Fault::Hang { path } => Some(path),
            Fault::PaginationLoop => None,
        }
    }
}

struct Shared {
    site: RwLock<Site>,
    index: RwLock<HashMap<String, Value>>,
    faults: Mutex<Vec<Fault>>,
    log: Mutex<Vec<String>>,
    agents: Mutex<Vec<String>>,
    base: String,
}

/// A running server; it stops with the process.
pub struct Server {
    shared: Arc<Shared>,
}

impl Server {
    /// Binds `127.0.0.1:<port>` (0: any free port) and serves `site`.
    pub fn start(site: Site, port: u16) -> std::io::Result<Server> {
        let listener = TcpListener::bind(("127.0.0.1", port))?;
        let base = format!("http://127.0.0.1:{}", listener.local_addr()?.port());
        let shared = Arc::new(Shared {
            index: RwLock::new(index(&site)),
            site: RwLock::new(site),
            faults: Mutex::new(Vec::new()),
            log: Mutex::new(Vec::new()),
            agents: Mutex::new(Vec::new()),
            base,
        });
        let s = Arc::clone(&shared);
        std::thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                let s = Arc::clone(&s);
                std::thread::spawn(move || handle(&s, stream));
            }
        });
        Ok(Server { shared })
    }

    pub fn base(&self) -> &str {
        &self.shared.base
    }

    /// The URL of the System object: the endpoint to sync from.
    pub fn endpoint(&self) -> String {
        format!("{}/oparl/system", self.shared.base)
    }

    /// A URL with [`BASE`] replaced by this server's base.
    pub fn url(&self, stored: &str) -> String {
        stored.replace(BASE, &self.shared.base)
    }

    pub fn add_fault(&self, fault: Fault) {
        lock(&self.shared.faults).push(fault);
    }

    pub fn clear_faults(&self) {
        lock(&self.shared.faults).clear();
    }

    /// Changes the site (a paper edited, one deleted) between syncs.
    pub fn edit(&self, change: impl FnOnce(&mut Site)) {
        let mut site = self.shared.site.write().unwrap_or_else(|p| p.into_inner());
        change(&mut site);
        *self.shared.index.write().unwrap_or_else(|p| p.into_inner()) = index(&site);
    }

    /// Every request target (path and query) served so far, in order.
    pub fn requests(&self) -> Vec<String> {
        lock(&self.shared.log).clone()
    }

    /// The User-Agent of every request served so far, in order.
    pub fn user_agents(&self) -> Vec<String> {
        lock(&self.shared.agents).clone()
    }

    pub fn clear_requests(&self) {
        lock(&self.shared.log).clear();
    }
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|p| p.into_inner())
}

/// Objects by path, for single-object requests.
fn index(site: &Site) -> HashMap<String, Value> {
    let mut out = HashMap::new();
    let all = site
        .papers
        .iter()
        .chain(&site.meetings)
        .chain(&site.organizations)
        .chain(&site.persons)
        .chain(&site.objects);
    for v in all {
        let embedded = v
            .get("consultation")
            .and_then(Value::as_array)
            .into_iter()
            .flatten();
        let files = v
            .get("auxiliaryFile")
            .and_then(Value::as_array)
            .into_iter()
            .flatten();
        for o in std::iter::once(v)
            .chain(embedded)
            .chain(files)
            .chain(v.get("mainFile"))
        {
            if let Some(path) = o
                .get("id")
                .and_then(Value::as_str)
                .and_then(|id| id.strip_prefix(BASE))
            {
                out.insert(path.to_string(), o.clone());
            }
        }
    }
    out
}

/// One request: the first line's target and the User-Agent header.
fn read_target(stream: &TcpStream) -> Option<(String, String)> {
    let mut reader = BufReader::new(stream.try_clone().ok()?);
    let mut first = String::new();
    reader.read_line(&mut first).ok()?;
    let mut agent = String::new();
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line).ok()? == 0 || line == "\r\n" || line == "\n" {
            break;
        }
        if let Some((name, value)) = line.split_once(':')
            && name.eq_ignore_ascii_case("user-agent")
        {
            agent = value.trim().to_string();
        }
    }
    let target = first.split_whitespace().nth(1)?.to_string();
    Some((target, agent))
}

fn handle(shared: &Shared, mut stream: TcpStream) {
    let _ = stream.set_read_timeout(Some(Duration::from_secs(10)));
    let Some((target, agent)) = read_target(&stream) else {
        return;
    };
    lock(&shared.log).push(target.clone());
    lock(&shared.agents).push(agent);
    let (path, query) = target.split_once('?').unwrap_or((&target, ""));
    let fault = take_fault(shared, path, &target);
    let answer = match fault {
        Some(Fault::Hang { .. }) => {
            std::thread::sleep(Duration::from_secs(3600));
            return;
        }
        Some(Fault::Status {
            status,
            retry_after,
            ..
        }) => {
            let extra = retry_after
                .map(|s| format!("Retry-After: {s}\r\n"))
                .unwrap_or_default();
            Answer::text(status, "text/plain", b"try again later".to_vec(), extra)
        }
        Some(Fault::Html { .. }) => Answer::text(
            200,
            "text/html",
            b"<!DOCTYPE html><html><body>Wartungsarbeiten</body></html>".to_vec(),
            String::new(),
        ),
        Some(Fault::InvalidJson { .. }) => Answer::text(
            200,
            "application/json",
            b"{\"data\": [{\"id\": ".to_vec(),
            String::new(),
        ),
        _ => route(shared, path, query),
    };
    answer.send(&mut stream);
}

/// The first fault for this request; a `Status` fault counts down.
fn take_fault(shared: &Shared, path: &str, target: &str) -> Option<Fault> {
    let mut faults = lock(&shared.faults);
    let i = faults
        .iter()
        .position(|f| f.path().is_some_and(|p| p == path || p == target))?;
    let fault = faults[i].clone();
    if let Fault::Status { times, .. } = &mut faults[i] {
        *times -= 1;
        if *times == 0 {
            faults.remove(i);
        }
    }
    Some(fault)
}

struct Answer {
    status: u16,
    content_type: &'static str,
    body: AnswerBody,
    extra_headers: String,
}

enum AnswerBody {
    Bytes(Vec<u8>),
    Endless(u64),
}

impl Answer {
    fn text(
        status: u16,
        content_type: &'static str,
        body: Vec<u8>,
        extra_headers: String,
    ) -> Answer {
        Answer {
            status,
            content_type,
            body: AnswerBody::Bytes(body),
            extra_headers,
        }
    }

    fn json(shared: &Shared, v: &Value) -> Answer {
        let text = v.to_string().replace(BASE, &shared.base);
        Answer::text(200, "application/json", text.into_bytes(), String::new())
    }

    fn not_found() -> Answer {
        Answer::text(404, "text/plain", b"not found".to_vec(), String::new())
    }

    fn send(self, stream: &mut TcpStream) {
        let reason = match self.status {
            200 => "OK",
            404 => "Not Found",
            429 => "Too Many Requests",
            500 => "Internal Server Error",
            503 => "Service Unavailable",
            _ => "Status",
        };
        let mut head = format!(
            "HTTP/1.1 {} {reason}\r\nContent-Type: {}\r\nConnection: close\r\n{}",
            self.status, self.content_type, self.extra_headers
        );
        match self.body {
            AnswerBody::Bytes(bytes) => {
                head.push_str(&format!("Content-Length: {}\r\n\r\n", bytes.len()));
                let _ = stream
                    .write_all(head.as_bytes())
                    .and_then(|()| stream.write_all(&bytes));
            }
            AnswerBody::Endless(mut left) => {
                head.push_str("\r\n");
                let chunk = vec![b'x'; 64 * 1024];
                let _ = stream.write_all(head.as_bytes());
                while left > 0 {
                    let n = left.min(chunk.len() as u64) as usize;
                    if stream.write_all(&chunk[..n]).is_err() {
                        break;
                    }
                    left -= n as u64;
                }
            }
        }
        let _ = stream.flush();
    }
}

/// Answers a path: system, body list, body, the four lists, single
/// objects, files.
fn route(shared: &Shared, path: &str, query: &str) -> Answer {
    let site = shared.site.read().unwrap_or_else(|p| p.into_inner());
    let body = site.body_path.as_str();
    let schema = site.version.schema();
    if path == "/oparl/system" {
        return Answer::json(
            shared,
            &json!({
                "id": format!("{BASE}/oparl/system"),
                "type": format!("{schema}System"),
                "oparlVersion": schema,
                "name": "ratsdoc OParl fixture",
                "body": format!("{BASE}/oparl/bodies"),
            }),
        );
    }
    if path == "/oparl/bodies" {
        return Answer::json(
            shared,
            &json!({ "data": [body_object(&site)], "links": {} }),
        );
    }
    if path == body {
        return Answer::json(shared, &body_object(&site));
    }
    if let Some(list) = path.strip_prefix(body).and_then(|p| p.strip_prefix('/')) {
        let items = match list {
            "papers" => Some(&site.papers),
            "meetings" if site.offer_lists => Some(&site.meetings),
            "organizations" if site.offer_lists => Some(&site.organizations),
            "persons" if site.offer_lists => Some(&site.persons),
            _ => None,
        };
        if let Some(items) = items {
            return list_page(shared, &site, path, items, query, list == "papers");
        }
    }
    if let Some(v) = shared
        .index
        .read()
        .unwrap_or_else(|p| p.into_inner())
        .get(path)
    {
        return Answer::json(shared, v);
    }
    match site.files.get(path) {
        Some(FileBody::Bytes(b, mime)) => Answer::text(200, mime, b.clone(), String::new()),
        Some(FileBody::Disk(p)) => match std::fs::read(p) {
            Ok(b) => Answer::text(200, "text/plain; charset=utf-8", b, String::new()),
            Err(_) => Answer::not_found(),
        },
        Some(FileBody::Endless(n)) => Answer {
            status: 200,
            content_type: "application/pdf",
            body: AnswerBody::Endless(*n),
            extra_headers: String::new(),
        },
        None => Answer::not_found(),
    }
}

fn body_object(site: &Site) -> Value {
    let id = format!("{BASE}{}", site.body_path);
    let mut body = json!({
        "id": id,
        "type": format!("{}Body", site.version.schema()),
        "name": site.body_name,
        "shortName": site.body_name,
        "paper": format!("{id}/papers"),
    });
    if site.offer_lists {
        for (key, list) in [
            ("meeting", "meetings"),
            ("organization", "organizations"),
            ("person", "persons"),
        ] {
            body[key] = Value::String(format!("{id}/{list}"));
        }
    }
    body
}

fn query_param<'a>(query: &'a str, key: &str) -> Option<&'a str> {
    query
        .split('&')
        .find_map(|kv| kv.strip_prefix(key)?.strip_prefix('='))
}

/// One page of a list; `page` counts from 1. `modified_since` filters the
/// paper list when the site honours it (string order of RFC 3339 times
/// in UTC is enough for the fixtures).
fn list_page(
    shared: &Shared,
    site: &Site,
    path: &str,
    items: &[Value],
    query: &str,
    papers: bool,
) -> Answer {
    let page: usize = query_param(query, "page")
        .and_then(|p| p.parse().ok())
        .unwrap_or(1)
        .max(1);
    let since =
        query_param(query, "modified_since").filter(|_| papers && site.honour_modified_since);
    let selected: Vec<&Value> = items
        .iter()
        .filter(|v| {
            since.is_none_or(|s| {
                v.get("modified")
                    .and_then(Value::as_str)
                    .is_none_or(|m| utc_key(m) >= utc_key(s))
            })
        })
        .collect();
    let per_page = site.per_page.max(1);
    let pages = selected.len().div_ceil(per_page).max(1);
    let data: Vec<&Value> = selected
        .iter()
        .skip((page - 1) * per_page)
        .take(per_page)
        .copied()
        .collect();
    let keep: String = query
        .split('&')
        .filter(|kv| !kv.starts_with("page=") && !kv.is_empty())
        .map(|kv| format!("&{kv}"))
        .collect();
    let link = |n: usize| format!("{BASE}{path}?page={n}{keep}");
    let looping = papers
        && lock(&shared.faults)
            .iter()
            .any(|f| matches!(f, Fault::PaginationLoop));
    let next = if page < pages {
        Some(link(page + 1))
    } else if looping {
        Some(link(1))
    } else {
        None
    };
    let mut links = json!({ "first": link(1), "last": link(pages) });
    if let Some(n) = next {
        links["next"] = Value::String(n);
    }
    Answer::json(
        shared,
        &json!({
            "data": data,
            "pagination": { "totalElements": selected.len(), "elementsPerPage": per_page, "currentPage": page, "totalPages": pages },
            "links": links,
        }),
    )
}

/// Seconds since the epoch of an RFC 3339 time; unreadable ones sort first.
fn utc_key(t: &str) -> i64 {
    chrono::DateTime::parse_from_rfc3339(t).map_or(i64::MIN, |d| d.timestamp())
}
