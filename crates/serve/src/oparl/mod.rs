//! OParl 1.1 under `/oparl/v1.1/`: the routes, conditional GET, CORS and
//! the file bytes. The objects themselves are made by `ratsdoc-oparl-api`;
//! this module finds what they are made of (records, links, verdicts,
//! history) and answers HTTP.
//!
//! Every answer carries `Access-Control-Allow-Origin: *` and an `ETag`
//! (blake3 of the body); a request whose `If-None-Match` names it gets 304.
//! Errors are the specification's error object with a German message.

mod catalog;
mod files;

use std::path::PathBuf;
use std::sync::Arc;

use axum::Router;
use axum::body::Bytes;
use axum::extract::{Path, RawQuery, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use ratsdoc_oparl_api::{
    BodyConfig, ListQuery, PREFIX, PaperFacts, Times, Urls, body_object, consultation_object,
    deleted_object, error_object, file_object, list_page, paper_object, system_object,
    term_objects,
};
use serde_json::Value;

use crate::AppState;
use crate::error::WebError;
use crate::snapshot::Snapshot;

pub use catalog::Catalog;

/// What the OParl routes are configured with.
#[derive(Debug, Clone)]
pub struct OparlOptions {
    /// Where clients reach the server (`https://rat.example`); `None`:
    /// `http://` and the address the server listens on.
    pub public_url: Option<String>,
    /// The council.
    pub body: BodyConfig,
    /// The directory the build ran in: the records' source paths are
    /// relative to it, and only files under it are served.
    pub files_root: PathBuf,
}

impl Default for OparlOptions {
    fn default() -> OparlOptions {
        OparlOptions {
            public_url: None,
            body: BodyConfig::default(),
            files_root: PathBuf::from("."),
        }
    }
}

/// The resolved settings the handlers share.
pub struct OparlState {
    pub urls: Urls,
    pub body: BodyConfig,
    pub files_root: PathBuf,
}

impl OparlState {
    pub fn new(opts: OparlOptions, listening: &str) -> OparlState {
        let public = opts
            .public_url
            .unwrap_or_else(|| format!("http://{listening}"));
        OparlState {
            urls: Urls::new(&public),
            body: opts.body,
            files_root: opts.files_root,
        }
    }
}

/// The OParl routes, to merge into the server's router.
pub fn router() -> Router<AppState> {
    let at = |path: &str| format!("{PREFIX}{path}");
    Router::new()
        .route(&at(""), get(system))
        .route(&at("/"), get(system))
        .route(&at("/bodies"), get(bodies))
        .route(&at("/body"), get(body))
        .route(&at("/body/{list}"), get(body_list))
        .route(&at("/paper/{stem}"), get(paper))
        .route(&at("/paper/{stem}/consultation/{n}"), get(consultation))
        .route(&at("/paper/{stem}/file/{n}"), get(file))
        .route(&at("/paper/{stem}/file/{n}/{how}"), get(files::bytes))
        .route(&at("/{kind}/{slug}"), get(directory_object))
        .layer(axum::middleware::map_response(cors))
}

/// Whether a path is the endpoint's (its 404 is an OParl error object).
pub fn is_oparl_path(path: &str) -> bool {
    path == PREFIX || path.starts_with(&format!("{PREFIX}/"))
}

async fn cors(mut response: Response) -> Response {
    response.headers_mut().insert(
        header::ACCESS_CONTROL_ALLOW_ORIGIN,
        HeaderValue::from_static("*"),
    );
    response
}

/// The error object with `e`'s status, CORS included (the fallback
/// answers outside this router's layer).
pub fn failure(e: &WebError) -> Response {
    let body = error_object(&e.message, e.status.canonical_reason().unwrap_or(""));
    let mut response = (e.status, axum::Json(body)).into_response();
    response.headers_mut().insert(
        header::ACCESS_CONTROL_ALLOW_ORIGIN,
        HeaderValue::from_static("*"),
    );
    response
}

/// A JSON answer with its ETag, or 304 when the client has it already.
fn answer(headers: &HeaderMap, body: Bytes) -> Response {
    let hash = blake3::hash(&body).to_hex();
    let etag = format!("\"{}\"", &hash.as_str()[..32]);
    let tag = HeaderValue::from_str(&etag).unwrap_or_else(|_| HeaderValue::from_static("\"\""));
    let matches = headers
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.split(',').any(|t| t.trim() == etag || t.trim() == "*"));
    if matches {
        return (StatusCode::NOT_MODIFIED, [(header::ETAG, tag)]).into_response();
    }
    (
        [
            (
                header::CONTENT_TYPE,
                HeaderValue::from_static("application/json; charset=utf-8"),
            ),
            (header::ETAG, tag),
        ],
        body,
    )
        .into_response()
}

/// Runs `work` on the blocking pool and answers with its JSON.
async fn respond(
    headers: HeaderMap,
    work: impl FnOnce() -> Result<Bytes, WebError> + Send + 'static,
) -> Response {
    match tokio::task::spawn_blocking(work).await {
        Ok(Ok(body)) => answer(&headers, body),
        Ok(Err(e)) => failure(&e),
        Err(e) => failure(&WebError::from(e)),
    }
}

fn to_bytes(value: &Value) -> Result<Bytes, WebError> {
    serde_json::to_vec(value)
        .map(Bytes::from)
        .map_err(WebError::internal)
}

/// The snapshot and its catalog.
fn catalog(app: &AppState) -> Result<(Arc<Snapshot>, Arc<Catalog>), WebError> {
    let snapshot = app.snapshot()?;
    let catalog = snapshot.oparl_catalog();
    Ok((snapshot, catalog))
}

async fn system(State(app): State<AppState>, headers: HeaderMap) -> Response {
    respond(headers, move || {
        let (_, cat) = catalog(&app)?;
        to_bytes(&system_object(&app.oparl().urls, cat.span))
    })
    .await
}

async fn body(State(app): State<AppState>, headers: HeaderMap) -> Response {
    respond(headers, move || {
        let (_, cat) = catalog(&app)?;
        let o = app.oparl();
        to_bytes(&body_object(&o.urls, &o.body, cat.span))
    })
    .await
}

async fn bodies(
    State(app): State<AppState>,
    headers: HeaderMap,
    RawQuery(raw): RawQuery,
) -> Response {
    respond(headers, move || {
        let q = query(raw.as_deref())?;
        let (_, cat) = catalog(&app)?;
        let o = app.oparl();
        let all = [cat.span];
        page_of(&q, &o.urls.bodies(), &all, |t| {
            Ok(body_object(&o.urls, &o.body, *t))
        })
    })
    .await
}

fn query(raw: Option<&str>) -> Result<ListQuery, WebError> {
    ListQuery::parse(raw).map_err(|e| WebError::bad_request(e.0))
}

/// The page `q` asks of `items` (each with its times), made into objects
/// by `object`.
fn page_of<T>(
    q: &ListQuery,
    list_url: &str,
    items: &[T],
    object: impl Fn(&T) -> Result<Value, WebError>,
) -> Result<Bytes, WebError>
where
    T: HasTimes,
{
    let listed: Vec<&T> = items.iter().filter(|i| q.admits(i.times())).collect();
    let window = q
        .window(listed.len())
        .map_err(|e| WebError::not_found(e.0))?;
    let data = listed[window]
        .iter()
        .map(|i| object(i))
        .collect::<Result<Vec<_>, _>>()?;
    to_bytes(&list_page(list_url, q, listed.len(), data))
}

trait HasTimes {
    fn times(&self) -> Times;
}

impl HasTimes for Times {
    fn times(&self) -> Times {
        *self
    }
}

impl HasTimes for catalog::Row {
    fn times(&self) -> Times {
        self.times
    }
}

impl HasTimes for (&str, Times) {
    fn times(&self) -> Times {
        self.1
    }
}

/// The path word of each body list → the directory kind it lists.
const DIRECTORY_LISTS: [(&str, &str); 3] = [
    ("organizations", "organization"),
    ("people", "person"),
    ("meetings", "meeting"),
];

async fn body_list(
    State(app): State<AppState>,
    headers: HeaderMap,
    Path(list): Path<String>,
    RawQuery(raw): RawQuery,
) -> Response {
    respond(headers, move || {
        let q = query(raw.as_deref())?;
        let (snap, cat) = catalog(&app)?;
        let o = app.oparl();
        let url = o.urls.body_list(&list);
        if list == "papers" {
            let key = format!("oparl papers {} {}", raw.unwrap_or_default(), app.today());
            let page = snap.rendered(key, || {
                let body = page_of(&q, &url, &cat.rows, |row| {
                    render_paper(&app, &snap, row, q.omit_internal)
                })?;
                String::from_utf8(body.to_vec()).map_err(WebError::internal)
            })?;
            return Ok(page.plain.clone());
        }
        if list == "terms" {
            let terms: Vec<(Value, Times)> = term_objects(&o.urls, cat.span)
                .into_iter()
                .map(|t| (t, cat.span))
                .collect();
            return page_of(&q, &url, &terms, |(t, _)| Ok(t.clone()));
        }
        let Some(&(_, kind)) = DIRECTORY_LISTS.iter().find(|(l, _)| *l == list) else {
            return Err(WebError::not_found(format!(
                "Die Liste „{list}“ gibt es nicht."
            )));
        };
        let directory = cat.directory(app.data())?;
        let entries = directory.entries(kind);
        page_of(&q, &url, &entries, |(slug, _)| {
            directory
                .object(&o.urls, kind, slug)
                .ok_or_else(|| WebError::internal("directory entry without object"))
        })
    })
    .await
}

impl HasTimes for (Value, Times) {
    fn times(&self) -> Times {
        self.1
    }
}

/// One paper's object: the deleted stub, or everything the build knows.
fn render_paper(
    app: &AppState,
    snap: &Snapshot,
    row: &catalog::Row,
    omit_internal: bool,
) -> Result<Value, WebError> {
    let urls = &app.oparl().urls;
    if row.times.deleted {
        return Ok(deleted_object(&urls.paper(&row.stem), "Paper", row.times));
    }
    let record = app
        .data()
        .load_record(&row.id)?
        .ok_or_else(|| unknown_paper(&row.stem))?;
    let statuses = snap.statuses(app.today());
    let mut links = snap.answers(&record.id);
    links.extend(snap.answered_by(&record.id));
    let exists = |id: &str| snap.paper(id).is_some();
    let size_of = |path: &str| files::size(&app.oparl().files_root, path);
    let facts = PaperFacts {
        record: &record,
        times: row.times,
        links,
        amendments: snap.amendments_of(&record.id),
        related: snap.related_of(&record.id),
        verdict: statuses.get(&record.id),
        exists: &exists,
        size_of: &size_of,
        omit_internal,
    };
    Ok(paper_object(urls, &facts))
}

fn unknown_paper(stem: &str) -> WebError {
    WebError::not_found(format!("Keine Drucksache „{stem}“."))
}

/// The listed paper of `stem`.
fn row<'c>(cat: &'c Catalog, stem: &str) -> Result<&'c catalog::Row, WebError> {
    cat.by_stem(stem).ok_or_else(|| unknown_paper(stem))
}

async fn paper(
    State(app): State<AppState>,
    headers: HeaderMap,
    Path(stem): Path<String>,
) -> Response {
    respond(headers, move || {
        let (snap, cat) = catalog(&app)?;
        to_bytes(&render_paper(&app, &snap, row(&cat, &stem)?, false)?)
    })
    .await
}

/// The record of a listed, not deleted paper.
fn live_record(
    app: &AppState,
    cat: &Catalog,
    stem: &str,
) -> Result<(ratsdoc_model::Record, Times), WebError> {
    let row = row(cat, stem)?;
    if row.times.deleted {
        return Err(WebError::not_found(format!(
            "Die Drucksache „{stem}“ ist gelöscht."
        )));
    }
    let record = app
        .data()
        .load_record(&row.id)?
        .ok_or_else(|| unknown_paper(stem))?;
    Ok((record, row.times))
}

async fn consultation(
    State(app): State<AppState>,
    headers: HeaderMap,
    Path((stem, n)): Path<(String, String)>,
) -> Response {
    respond(headers, move || {
        let (_, cat) = catalog(&app)?;
        let (record, times) = live_record(&app, &cat, &stem)?;
        let object = n
            .parse()
            .ok()
            .and_then(|n| consultation_object(&app.oparl().urls, &record, n, times))
            .ok_or_else(|| WebError::not_found(format!("Keine Beratung {n} zu „{stem}“.")))?;
        to_bytes(&object)
    })
    .await
}

async fn file(
    State(app): State<AppState>,
    headers: HeaderMap,
    Path((stem, n)): Path<(String, String)>,
) -> Response {
    respond(headers, move || {
        let (_, cat) = catalog(&app)?;
        let (record, times) = live_record(&app, &cat, &stem)?;
        let file = files::find(&record, &stem, &n)?;
        let size = files::size(&app.oparl().files_root, &file.path);
        to_bytes(&file_object(
            &app.oparl().urls,
            &record,
            &file,
            times,
            size,
            true,
        ))
    })
    .await
}

async fn directory_object(
    State(app): State<AppState>,
    headers: HeaderMap,
    Path((kind, slug)): Path<(String, String)>,
) -> Response {
    respond(headers, move || {
        let (_, cat) = catalog(&app)?;
        let urls = &app.oparl().urls;
        let missing = || WebError::not_found(format!("Kein Objekt {kind}/{slug}."));
        if kind == "term" {
            let id = urls.object("term", &slug);
            let term = term_objects(urls, cat.span)
                .into_iter()
                .find(|t| t["id"] == id.as_str())
                .ok_or_else(missing)?;
            return to_bytes(&term);
        }
        if !ratsdoc_oparl_api::DIRECTORY_KINDS.contains(&kind.as_str()) {
            return Err(missing());
        }
        let object = cat
            .directory(app.data())?
            .object(urls, &kind, &slug)
            .ok_or_else(missing)?;
        to_bytes(&object)
    })
    .await
}
