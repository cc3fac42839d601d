//! The HTTP adapter: one handler per route, each a thin shell that reads the
//! parameters, does the blocking work on tokio's blocking pool, and hands
//! plain data to a view (HTML) or to serde (JSON).
//!
//! | route | shows |
//! |---|---|
//! | `/` | search page |
//! | `/papers/<ID>` | one paper (any spelling of its number) |
//! | `/status`, `/status.csv` | the clerk's table, as a page and as CSV |
//! | `/status.ics` | the report deadlines as a calendar to subscribe to |
//! | `/status.atom`, `/feed.atom` | Atom feeds: verdict changes; new papers of a search |
//! | `/api/search`, `/api/papers/<ID>`, `/api/status` | the CLI's `--json` shapes |
//! | `/static/style.css` | the one stylesheet |
//! | `/oparl/v1.1/…` | OParl 1.1 (module `oparl`) |

use axum::Json;
use axum::Router;
use axum::extract::{Path, RawQuery, State};
use axum::http::{HeaderMap, HeaderValue, Uri, header};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use chrono::NaiveDate;
use ratsdoc_index::{IndexError, SearchResults, SortOrder};
use ratsdoc_model::{Kind, MotionStatus, PaperNumber, Record};
use serde_json::json;
use std::sync::Arc;

use crate::clerk::{self, Scope};
use crate::error::WebError;
use crate::feeds::{self, CalendarForm};
use crate::params::{Pairs, STATUS_PAGE_ROWS, SearchParams, StatusParams};
use crate::snapshot::{Snapshot, StatusTable};
use crate::views;
use crate::{AppState, views::paper::PaperView};

/// Longest path parameter looked up as a paper id.
const MAX_ID_CHARS: usize = 120;

pub fn router(state: AppState) -> Router {
    Router::new()
        .route("/", get(search_page))
        .route("/papers/{*id}", get(paper_page))
        .route("/status", get(status_page))
        .route("/status.csv", get(status_csv))
        .route("/status.ics", get(status_ics))
        .route("/status.atom", get(status_atom))
        .route("/feed.atom", get(search_atom))
        .route("/api/search", get(api_search))
        .route("/api/papers/{*id}", get(api_paper))
        .route("/api/status", get(api_status))
        .route("/static/style.css", get(stylesheet))
        .merge(crate::oparl::router())
        .fallback(not_found)
        .layer(axum::middleware::map_response(security_headers))
        .with_state(state)
}

/// How a failure is shown: a German page, or `{"error": …}` for the API.
pub(crate) enum Flavor {
    Html,
    Json,
}

pub(crate) fn failure(e: WebError, flavor: Flavor) -> Response {
    match flavor {
        Flavor::Html => (
            e.status,
            Html(views::error_page(e.status.as_u16(), &e.message).into_string()),
        )
            .into_response(),
        Flavor::Json => (
            e.status,
            Json(json!({ "error": e.message, "status": e.status.as_u16() })),
        )
            .into_response(),
    }
}

/// Runs `work` on the blocking pool: reading records and searching touch the
/// disk and may take milliseconds, which must not stall the async workers.
async fn blocking<T: Send + 'static>(
    work: impl FnOnce() -> Result<T, WebError> + Send + 'static,
) -> Result<T, WebError> {
    tokio::task::spawn_blocking(work).await?
}

fn html(markup: maud::Markup) -> Response {
    Html(markup.into_string()).into_response()
}

// ---------------------------------------------------------------- search

struct Found {
    results: SearchResults,
    statuses: Option<Arc<StatusTable>>,
}

/// `None` when the query holds nothing to search for: the page says so,
/// the API answers 400; neither lists every paper.
fn search(app: &AppState, params: &SearchParams) -> Result<Option<Found>, WebError> {
    let searcher = app.index().get()?;
    let results = match searcher.search(&params.to_request()) {
        Ok(results) => results,
        Err(IndexError::NothingToSearch { .. }) => return Ok(None),
        Err(e) => return Err(e.into()),
    };
    // The live verdicts are a nicety on the search page: a data directory
    // whose records cannot be read still gets its hits.
    let statuses = match app.snapshot() {
        Ok(s) => Some(s.statuses(app.today())),
        Err(e) => {
            tracing::warn!("search page without live report status: {}", e.message);
            None
        }
    };
    Ok(Some(Found { results, statuses }))
}

async fn search_page(State(app): State<AppState>, RawQuery(raw): RawQuery) -> Response {
    let params = match SearchParams::from_query(raw.as_deref()) {
        Ok(p) => p,
        Err(e) => return failure(e, Flavor::Html),
    };
    let result = blocking(move || {
        let found = search(&app, &params)?;
        let nothing = SearchResults::default();
        Ok(views::search::page(&views::search::SearchView {
            params: &params,
            results: found.as_ref().map_or(&nothing, |f| &f.results),
            statuses: found.as_ref().and_then(|f| f.statuses.as_deref()),
            nothing_to_search: found.is_none(),
        }))
    })
    .await;
    match result {
        Ok(markup) => html(markup),
        Err(e) => failure(e, Flavor::Html),
    }
}

async fn api_search(State(app): State<AppState>, RawQuery(raw): RawQuery) -> Response {
    let params = match SearchParams::from_query(raw.as_deref()) {
        Ok(p) => p,
        Err(e) => return failure(e, Flavor::Json),
    };
    let q = params.q.clone();
    match blocking(move || search(&app, &params)).await {
        Ok(Some(found)) => Json(found.results).into_response(),
        Ok(None) => failure(
            WebError::bad_request(views::search::nothing_to_search(&q)),
            Flavor::Json,
        ),
        Err(e) => failure(e, Flavor::Json),
    }
}

// ---------------------------------------------------------------- papers

/// One paper with what the snapshot knows about it.
struct Paper {
    record: Record,
    snapshot: Arc<Snapshot>,
    status: Option<MotionStatus>,
    as_of: NaiveDate,
}

/// Finds a paper by any spelling of its number, or by its record id. The id
/// only ever reaches the file system through `id_to_file_stem` (inside
/// `DataDir::record_path`), which keeps it inside `<DATA>/records/`.
fn load_paper(app: &AppState, raw_id: &str, as_of: NaiveDate) -> Result<Paper, WebError> {
    let raw = raw_id.trim().trim_end_matches(".yaml");
    let unknown = || WebError::not_found(format!("Kein Dokument mit der Nummer „{raw}“."));
    if raw.is_empty() || raw.chars().count() > MAX_ID_CHARS {
        return Err(unknown());
    }
    let id = raw
        .parse::<PaperNumber>()
        .map(|n| n.to_string())
        .unwrap_or_else(|_| raw.to_string());
    let record = app.data().load_record(&id)?.ok_or_else(unknown)?;
    let snapshot = app.snapshot()?;
    let status = (record.kind == Kind::Beschlussantrag)
        .then(|| snapshot.statuses(as_of).get(&record.id).cloned())
        .flatten();
    Ok(Paper {
        record,
        snapshot,
        status,
        as_of,
    })
}

fn as_of(app: &AppState, raw: Option<&str>) -> Result<NaiveDate, WebError> {
    Ok(StatusParams::from_query(raw)?
        .as_of
        .unwrap_or_else(|| app.today()))
}

async fn paper_page(
    State(app): State<AppState>,
    Path(id): Path<String>,
    RawQuery(raw): RawQuery,
) -> Response {
    let date = match as_of(&app, raw.as_deref()) {
        Ok(d) => d,
        Err(e) => return failure(e, Flavor::Html),
    };
    let result = blocking(move || {
        let p = load_paper(&app, &id, date)?;
        let snap = &p.snapshot;
        let title_of = |id: &str| snap.title(app.data(), id);
        let date_of = |id: &str| snap.presented_on(id);
        Ok(views::paper::page(&PaperView {
            record: &p.record,
            answered_by: snap.answered_by(&p.record.id),
            answers: snap.answers(&p.record.id),
            ambiguous: snap.ambiguous(&p.record.id),
            amendments: snap.amendments_of(&p.record.id),
            related: snap.related_of(&p.record.id),
            status: p.status.as_ref(),
            as_of: p.as_of,
            title_of: &title_of,
            date_of: &date_of,
        }))
    })
    .await;
    match result {
        Ok(markup) => html(markup),
        Err(e) => failure(e, Flavor::Html),
    }
}

async fn api_paper(
    State(app): State<AppState>,
    Path(id): Path<String>,
    RawQuery(raw): RawQuery,
) -> Response {
    let date = match as_of(&app, raw.as_deref()) {
        Ok(d) => d,
        Err(e) => return failure(e, Flavor::Json),
    };
    let result = blocking(move || {
        let p = load_paper(&app, &id, date)?;
        let snap = &p.snapshot;
        // The shape of `ratsdoc show --json`.
        Ok(json!({
            "record": p.record,
            "answered_by": snap.answered_by(&p.record.id),
            "answers": snap.answers(&p.record.id),
            "ambiguous": snap.ambiguous(&p.record.id),
            "amendments": snap.amendments_of(&p.record.id),
            "related": snap.related_of(&p.record.id),
            "status": p.status,
        }))
    })
    .await;
    match result {
        Ok(value) => Json(value).into_response(),
        Err(e) => failure(e, Flavor::Json),
    }
}

// ---------------------------------------------------------------- status

/// The status table a request asks for, shared (not copied: at 100,000
/// papers it has tens of thousands of rows), with its snapshot.
struct Table {
    snapshot: Arc<Snapshot>,
    table: Arc<StatusTable>,
}

impl Table {
    fn new(app: &AppState, p: &StatusParams) -> Result<Table, WebError> {
        let snapshot = app.snapshot()?;
        let table = snapshot.statuses(p.as_of.unwrap_or_else(|| app.today()));
        Ok(Table { snapshot, table })
    }

    fn select(&self, p: &StatusParams, scope: Scope) -> Vec<&MotionStatus> {
        clerk::select(&self.table, &self.snapshot, p, scope)
    }
}

async fn status_page(State(app): State<AppState>, RawQuery(raw): RawQuery) -> Response {
    let params = match StatusParams::from_query(raw.as_deref()) {
        Ok(p) => p,
        Err(e) => return failure(e, Flavor::Html),
    };
    let result = blocking(move || {
        let t = Table::new(&app, &params)?;
        let rows = t.select(&params, Scope::Requested);
        let counts = clerk::counts(&rows);
        let (factions, years) = clerk::choices(&t.table, &t.snapshot);
        let first = (params.page - 1) * STATUS_PAGE_ROWS;
        if first > 0 && first >= rows.len() {
            return Err(WebError::not_found(format!(
                "Seite {} gibt es nicht: die Tabelle hat {} Zeilen.",
                params.page,
                rows.len()
            )));
        }
        let shown = &rows[first..rows.len().min(first + STATUS_PAGE_ROWS)];
        Ok(views::status::page(&views::status::StatusView {
            params: &params,
            as_of: t.table.as_of,
            total: rows.len(),
            first,
            rows: shown,
            counts: &counts,
            factions,
            years,
        }))
    })
    .await;
    match result {
        Ok(markup) => html(markup),
        Err(e) => failure(e, Flavor::Html),
    }
}

async fn status_csv(State(app): State<AppState>, RawQuery(raw): RawQuery) -> Response {
    let params = match StatusParams::from_query(raw.as_deref()) {
        Ok(p) => p,
        Err(e) => return failure(e, Flavor::Html),
    };
    let result = blocking(move || {
        let t = Table::new(&app, &params)?;
        let rows = t.select(&params, Scope::Requested);
        Ok((t.table.as_of, clerk::csv(&rows)))
    })
    .await;
    match result {
        Ok((as_of, body)) => {
            let disposition = format!("attachment; filename=\"berichtsstatus-{as_of}.csv\"");
            (
                [
                    (
                        header::CONTENT_TYPE,
                        HeaderValue::from_static("text/csv; charset=utf-8"),
                    ),
                    (
                        header::CONTENT_DISPOSITION,
                        HeaderValue::from_str(&disposition)
                            .unwrap_or_else(|_| HeaderValue::from_static("attachment")),
                    ),
                ],
                body,
            )
                .into_response()
        }
        Err(e) => failure(e, Flavor::Html),
    }
}

async fn api_status(State(app): State<AppState>, RawQuery(raw): RawQuery) -> Response {
    let params = match StatusParams::from_query(raw.as_deref()) {
        Ok(p) => p,
        Err(e) => return failure(e, Flavor::Json),
    };
    // The shape of `ratsdoc status --json`: an array of verdicts, by id.
    let result = blocking(move || {
        let t = Table::new(&app, &params)?;
        serde_json::to_vec(&t.select(&params, Scope::All)).map_err(WebError::internal)
    })
    .await;
    match result {
        Ok(body) => (
            [(
                header::CONTENT_TYPE,
                HeaderValue::from_static("application/json"),
            )],
            body,
        )
            .into_response(),
        Err(e) => failure(e, Flavor::Json),
    }
}

// ---------------------------------------------------------------- feeds

fn host(headers: &HeaderMap) -> String {
    feeds::base(headers.get(header::HOST).and_then(|h| h.to_str().ok()))
}

async fn status_ics(
    State(app): State<AppState>,
    headers: HeaderMap,
    RawQuery(raw): RawQuery,
) -> Response {
    let params = match StatusParams::from_query(raw.as_deref()) {
        Ok(p) => p,
        Err(e) => return failure(e, Flavor::Html),
    };
    let form = match Pairs::parse(raw.as_deref()).one("form") {
        None | Some("event") => CalendarForm::Event,
        Some("todo") => CalendarForm::Todo,
        Some(other) => {
            let message = format!("Unbekannte Form {other:?}: erwartet event oder todo.");
            return failure(WebError::bad_request(message), Flavor::Html);
        }
    };
    let base = host(&headers);
    let result = blocking(move || {
        let t = Table::new(&app, &params)?;
        let key = format!(
            "ics {base} {} {form:?} {}",
            params.to_query(),
            t.table.as_of
        );
        t.snapshot.rendered(key, || {
            let rows = t.select(&params, Scope::Requested);
            Ok(feeds::calendar(
                &rows,
                &t.snapshot,
                &base,
                form,
                params.due_within,
            ))
        })
    })
    .await;
    match result {
        Ok(body) => body.respond("text/calendar; charset=utf-8", &headers),
        Err(e) => failure(e, Flavor::Html),
    }
}

async fn status_atom(State(app): State<AppState>, headers: HeaderMap) -> Response {
    let base = host(&headers);
    let result = blocking(move || {
        let t = Table::new(&app, &StatusParams::default())?;
        let key = format!("atom {base} {}", t.table.as_of);
        t.snapshot
            .rendered(key, || Ok(feeds::status_feed(&t.snapshot, &t.table, &base)))
    })
    .await;
    match result {
        Ok(body) => body.respond(ATOM, &headers),
        Err(e) => failure(e, Flavor::Html),
    }
}

const ATOM: &str = "application/atom+xml; charset=utf-8";

/// `/feed.atom?q=…&kind=…&submitter=…`: the newest papers of a search (by
/// their date; `*` when there is no text), each dated by the build that
/// brought it.
async fn search_atom(
    State(app): State<AppState>,
    headers: HeaderMap,
    uri: Uri,
    RawQuery(raw): RawQuery,
) -> Response {
    let mut params = match SearchParams::from_query(raw.as_deref()) {
        Ok(p) => p,
        Err(e) => return failure(e, Flavor::Html),
    };
    if params.q.trim().is_empty() {
        params.q = "*".to_string();
    }
    params.sort = SortOrder::DateDesc;
    params.page = 1;
    params.limit = feeds::FEED_ENTRIES;
    let base = host(&headers);
    let self_path = uri
        .path_and_query()
        .map_or_else(|| "/feed.atom".to_string(), |pq| pq.as_str().to_string());
    let result = blocking(move || {
        let searcher = app.index().get()?;
        let snapshot = app.snapshot()?;
        // A subscribed reader polls the same URL: the answer changes only
        // with the next index generation or history.
        // The searcher's address names the index commit it reads.
        let key = format!(
            "feed {base} {self_path} {} {:p}",
            searcher.generation(),
            Arc::as_ptr(&searcher)
        );
        snapshot.rendered(key, || match searcher.search(&params.to_request()) {
            Ok(r) => Ok(feeds::search_feed(
                &r.hits,
                &snapshot.history,
                &base,
                &self_path,
            )),
            Err(IndexError::NothingToSearch { .. }) => Err(WebError::bad_request(
                views::search::nothing_to_search(&params.q),
            )),
            Err(e) => Err(e.into()),
        })
    })
    .await;
    match result {
        Ok(body) => body.respond(ATOM, &headers),
        Err(e) => failure(e, Flavor::Html),
    }
}

// ---------------------------------------------------------------- misc

async fn stylesheet() -> Response {
    (
        [
            (
                header::CONTENT_TYPE,
                HeaderValue::from_static("text/css; charset=utf-8"),
            ),
            (
                header::CACHE_CONTROL,
                HeaderValue::from_static("public, max-age=3600"),
            ),
        ],
        views::STYLE,
    )
        .into_response()
}

async fn not_found(uri: Uri) -> Response {
    let e = WebError::not_found(format!("Die Seite {} gibt es nicht.", uri.path()));
    if crate::oparl::is_oparl_path(uri.path()) {
        crate::oparl::failure(&e)
    } else if uri.path().starts_with("/api/") {
        failure(e, Flavor::Json)
    } else {
        failure(e, Flavor::Html)
    }
}

/// Headers every response carries: no sniffing, no framing, no scripts or
/// styles from anywhere but this server (the pages use no scripts at all),
/// and no caching of pages whose data changes every night.
async fn security_headers(mut response: Response) -> Response {
    let h = response.headers_mut();
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(
            "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
        ),
    );
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("same-origin"),
    );
    if !h.contains_key(header::CACHE_CONTROL) {
        h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    }
    response
}
