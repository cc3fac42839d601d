//! How the server accepts and keeps connections, and the [`Limits`] that
//! stop slow or idle clients from holding it: a client that opens many
//! connections and sends half a request line on each (slowloris) must not
//! use up the process's file descriptors and lock out everyone else.
//!
//! The timeouts are hyper's and tower's; the connection limit is a tokio
//! semaphore and a small registry of our own, because hyper cannot say
//! which of its connections wait for a request:
//!
//! - **header timeout**: hyper's `header_read_timeout`. It runs from the
//!   moment the connection waits for a request head (a new connection, and
//!   again after each answered request), so it is also the keep-alive idle
//!   timeout.
//! - **request timeout**: `tower::timeout` around the router. A request
//!   whose answer takes longer gets a 503 with a German message (JSON under
//!   `/api/`). No route reads a request body; hyper gives up on an unread
//!   body once the answer is written, so a slowly sent body holds nothing.
//! - **connection limit**: a semaphore with one permit per open connection.
//!   At the limit a new connection is still accepted, and the connection
//!   that has waited longest for a request (a silent or stalled client, or
//!   a kept-alive one between requests) is closed to make room, so clients
//!   that hold connections without asking cannot lock out one that asks.
//!   A connection answering a request, or still sending an answer to a
//!   slow reader, is never closed for this; when all are, the new one
//!   waits for the first to finish, and no further connection is accepted
//!   meanwhile (those wait in the kernel's queue, taking no file
//!   descriptor of the process). Out of file descriptors, the server
//!   likewise closes the connection waiting longest.
//! - **requests per connection**: the answer to the last allowed request
//!   carries `Connection: close`, so one client cannot keep a connection
//!   for ever by asking again just before each idle timeout.

use std::collections::HashMap;
use std::convert::Infallible;
use std::future::Future;
use std::io;
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};
use std::time::Duration;

use axum::Router;
use axum::body::Body;
use axum::error_handling::HandleErrorLayer;
use axum::extract::Request;
use axum::http::{HeaderValue, Uri, header};
use axum::response::Response;
use hyper::body::Incoming;
use hyper::server::conn::http1;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::server::graceful::GracefulShutdown;
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{Notify, Semaphore};
use tower::ServiceExt;

use crate::error::WebError;
use crate::routes::{Flavor, failure};

/// How long and how many: the bounds a connection lives within.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Longest wait for a complete request head (request line and headers),
    /// on a new connection and between the requests of a kept-alive one.
    pub header_timeout: Duration,
    /// Longest time from a complete request head to its answer.
    pub request_timeout: Duration,
    /// Most connections open at once. A new one beyond it closes the
    /// connection waiting longest for a request, or waits while all are
    /// answering one.
    pub max_connections: usize,
    /// Most requests answered on one connection before it is closed.
    pub max_requests_per_connection: usize,
}

impl Limits {
    /// 10 s for a request head: a browser or `curl` sends it in one packet,
    /// so only a stalled or hostile client comes near it.
    pub const DEFAULT_HEADER_TIMEOUT: Duration = Duration::from_secs(10);
    /// 30 s for an answer: the largest, the whole status table as CSV at
    /// 100,000 papers, takes well under a second.
    pub const DEFAULT_REQUEST_TIMEOUT: Duration = Duration::from_secs(30);
    /// 512 connections: well below the usual limit of 1,024 open files,
    /// leaving room for the index's files and the records being read.
    pub const DEFAULT_MAX_CONNECTIONS: usize = 512;
    /// 100 requests per connection, like nginx's old `keepalive_requests`.
    pub const DEFAULT_MAX_REQUESTS_PER_CONNECTION: usize = 100;
}

impl Default for Limits {
    fn default() -> Limits {
        Limits {
            header_timeout: Limits::DEFAULT_HEADER_TIMEOUT,
            request_timeout: Limits::DEFAULT_REQUEST_TIMEOUT,
            max_connections: Limits::DEFAULT_MAX_CONNECTIONS,
            max_requests_per_connection: Limits::DEFAULT_MAX_REQUESTS_PER_CONNECTION,
        }
    }
}

/// The router with the request timeout around every route.
pub(crate) fn with_request_timeout(app: Router, timeout: Duration) -> Router {
    app.layer(
        tower::ServiceBuilder::new()
            .layer(HandleErrorLayer::new(timed_out))
            .timeout(timeout),
    )
}

/// The answer to a request that ran out of time (the only error the
/// timeout layer's inner router can produce).
async fn timed_out(uri: Uri, error: tower::BoxError) -> Response {
    tracing::warn!("request for {uri} not answered in time: {error}");
    let flavor = if uri.path().starts_with("/api/") {
        Flavor::Json
    } else {
        Flavor::Html
    };
    failure(
        WebError::unavailable(
            "Die Anfrage hat zu lange gedauert und wurde abgebrochen; bitte später erneut versuchen.",
        ),
        flavor,
    )
}

/// Accepts connections on `listener` and serves `app` on each within
/// `limits`, until `shutdown` resolves; then lets the requests under way
/// finish (each within the limits) and returns.
pub(crate) async fn serve(
    listener: TcpListener,
    app: Router,
    limits: Limits,
    shutdown: impl Future<Output = ()>,
) {
    let slots = Arc::new(Semaphore::new(limits.max_connections.max(1)));
    let open = Arc::new(Registry::default());
    let graceful = GracefulShutdown::new();
    let mut http = http1::Builder::new();
    http.timer(TokioTimer::new())
        .header_read_timeout(limits.header_timeout)
        .keep_alive(true);
    tokio::pin!(shutdown);
    loop {
        let stream = tokio::select! {
            () = &mut shutdown => break,
            accepted = accept(&listener, &open) => accepted,
        };
        let Some(stream) = stream else { continue };
        let slot = match Arc::clone(&slots).try_acquire_owned() {
            Ok(slot) => slot,
            Err(_) => {
                open.close_longest_waiting();
                tokio::select! {
                    () = &mut shutdown => break,
                    slot = Arc::clone(&slots).acquire_owned() => match slot {
                        Ok(slot) => slot,
                        Err(_) => break,
                    },
                }
            }
        };
        let (id, conn) = open.add();
        let service = per_connection(app.clone(), Arc::clone(&conn), limits);
        let io = TokioIo::new(WatchedStream {
            stream,
            conn: Arc::clone(&conn),
        });
        let connection = graceful.watch(http.serve_connection(io, service));
        let open = Arc::clone(&open);
        tokio::spawn(async move {
            tokio::select! {
                ended = connection => if let Err(e) = ended {
                    tracing::debug!("connection ended: {e}");
                },
                () = conn.close.notified() => {
                    tracing::debug!("closed a connection waiting for a request, to make room");
                }
            }
            open.remove(id);
            drop(slot);
        });
    }
    graceful.shutdown().await;
}

/// The next connection; `None` after an accept error. When the process is
/// out of file descriptors (a `--max-connections` above the open-file
/// limit), the connection waiting longest is closed to free one, and the
/// loop pauses briefly so that a lasting error does not spin.
async fn accept(listener: &TcpListener, open: &Registry) -> Option<TcpStream> {
    match listener.accept().await {
        Ok((stream, _peer)) => Some(stream),
        Err(e) if is_connection_error(&e) => None,
        Err(e) => {
            tracing::warn!("cannot accept a connection: {e}; closing the longest waiting one");
            open.close_longest_waiting();
            tokio::time::sleep(Duration::from_millis(50)).await;
            None
        }
    }
}

/// Errors of one connection that was gone before it was accepted.
fn is_connection_error(e: &io::Error) -> bool {
    matches!(
        e.kind(),
        io::ErrorKind::ConnectionRefused
            | io::ErrorKind::ConnectionAborted
            | io::ErrorKind::ConnectionReset
    )
}

/// The connections being served, so that the one waiting longest for a
/// request can be closed when a new one needs its slot.
#[derive(Default)]
struct Registry {
    open: Mutex<HashMap<u64, Arc<Connection>>>,
    next_id: AtomicU64,
}

/// What the registry knows of one connection.
#[derive(Default)]
struct Connection {
    /// Requests being answered: from the complete head until hyper drops
    /// the answer's body.
    answering: AtomicUsize,
    /// The socket did not take all that was written: hyper is still
    /// sending an answer (perhaps one whose body it has already dropped).
    write_blocked: AtomicBool,
    /// When the connection last began to wait for a request, as a
    /// [`tick`] (only the order matters).
    waiting_since: AtomicU64,
    /// Requests whose answer has started.
    requests: AtomicUsize,
    /// Closes the connection at once.
    close: Notify,
}

impl Connection {
    fn is_answering(&self) -> bool {
        self.answering.load(Ordering::Acquire) > 0 || self.write_blocked.load(Ordering::Acquire)
    }
}

impl Registry {
    fn add(&self) -> (u64, Arc<Connection>) {
        let id = self.next_id.fetch_add(1, Ordering::Relaxed);
        let conn = Arc::new(Connection::default());
        conn.waiting_since.store(tick(), Ordering::Relaxed);
        self.lock().insert(id, Arc::clone(&conn));
        (id, conn)
    }

    fn remove(&self, id: u64) {
        self.lock().remove(&id);
    }

    /// Closes the connection that has waited longest for a request, if
    /// any is waiting; a connection answering a request is left alone.
    fn close_longest_waiting(&self) {
        let mut open = self.lock();
        let longest = open
            .iter()
            .filter(|(_, c)| !c.is_answering())
            .min_by_key(|(_, c)| c.waiting_since.load(Ordering::Acquire))
            .map(|(id, _)| *id);
        if let Some(conn) = longest.and_then(|id| open.remove(&id)) {
            conn.close.notify_one();
        }
    }

    /// The map, even after a panic elsewhere (it holds no invariant a
    /// half-done update could break).
    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<u64, Arc<Connection>>> {
        self.open.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// One connection's service: `app`, marking the connection as answering
/// until the answer's body is written, and closing it (`Connection:
/// close`) with the answer to its last allowed request.
fn per_connection(
    app: Router,
    conn: Arc<Connection>,
    limits: Limits,
) -> impl hyper::service::Service<
    Request<Incoming>,
    Response = Response,
    Error = Infallible,
    Future = impl Send,
> {
    hyper::service::service_fn(move |request: Request<Incoming>| {
        let answering = Answering::start(Arc::clone(&conn));
        let last =
            conn.requests.fetch_add(1, Ordering::Relaxed) + 1 >= limits.max_requests_per_connection;
        let answer = app.clone().oneshot(request);
        async move {
            let mut response = answer.await?;
            if last {
                response
                    .headers_mut()
                    .insert(header::CONNECTION, HeaderValue::from_static("close"));
            }
            Ok(response.map(|body| {
                Body::new(TrackedBody {
                    body,
                    _answering: answering,
                })
            }))
        }
    })
}

/// A request being answered on a connection; dropped when its answer's
/// body is done (or the answer abandoned), which makes the connection
/// waiting again.
struct Answering(Arc<Connection>);

impl Answering {
    fn start(conn: Arc<Connection>) -> Answering {
        conn.answering.fetch_add(1, Ordering::AcqRel);
        Answering(conn)
    }
}

impl Drop for Answering {
    fn drop(&mut self) {
        self.0.waiting_since.store(tick(), Ordering::Release);
        self.0.answering.fetch_sub(1, Ordering::AcqRel);
    }
}

/// A number larger than every earlier one: orders the moments connections
/// began to wait, without a clock.
fn tick() -> u64 {
    static TICKS: AtomicU64 = AtomicU64::new(0);
    TICKS.fetch_add(1, Ordering::Relaxed)
}

/// An answer's body that keeps its request [`Answering`] until hyper has
/// taken the last frame and drops it.
struct TrackedBody {
    body: Body,
    _answering: Answering,
}

impl http_body::Body for TrackedBody {
    type Data = axum::body::Bytes;
    type Error = axum::Error;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<http_body::Frame<Self::Data>, Self::Error>>> {
        Pin::new(&mut self.body).poll_frame(cx)
    }

    fn is_end_stream(&self) -> bool {
        self.body.is_end_stream()
    }

    fn size_hint(&self) -> http_body::SizeHint {
        self.body.size_hint()
    }
}

/// A connection's socket that notes whether its last write had to wait:
/// hyper drops an answer's body once it has queued the last frame, so only
/// the socket knows that a slow reader is still being sent to.
struct WatchedStream {
    stream: TcpStream,
    conn: Arc<Connection>,
}

impl WatchedStream {
    fn note<T>(&self, polled: Poll<io::Result<T>>) -> Poll<io::Result<T>> {
        self.conn
            .write_blocked
            .store(polled.is_pending(), Ordering::Release);
        polled
    }
}

impl AsyncRead for WatchedStream {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        Pin::new(&mut self.stream).poll_read(cx, buf)
    }
}

impl AsyncWrite for WatchedStream {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        let polled = Pin::new(&mut self.stream).poll_write(cx, buf);
        self.note(polled)
    }

    fn poll_write_vectored(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        let polled = Pin::new(&mut self.stream).poll_write_vectored(cx, bufs);
        self.note(polled)
    }

    fn is_write_vectored(&self) -> bool {
        self.stream.is_write_vectored()
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        let polled = Pin::new(&mut self.stream).poll_flush(cx);
        self.note(polled)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.stream).poll_shutdown(cx)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::body::Body;
    use axum::http::{Request, StatusCode};
    use axum::routing::get;
    use http_body_util::BodyExt;

    /// A route that never answers, behind a short request timeout.
    fn stalled(path: &str) -> Router {
        let app = Router::new().route(path, get(std::future::pending::<&'static str>));
        with_request_timeout(app, Duration::from_millis(50))
    }

    async fn call(app: Router, uri: &str) -> (StatusCode, String) {
        let request = Request::get(uri)
            .body(Body::empty())
            .unwrap_or_else(|e| panic!("{e}"));
        let response = app.oneshot(request).await.unwrap_or_else(|e| match e {});
        let status = response.status();
        let body = response
            .into_body()
            .collect()
            .await
            .unwrap_or_else(|e| panic!("{e}"))
            .to_bytes();
        (status, String::from_utf8_lossy(&body).into_owned())
    }

    fn open_ids(registry: &Registry) -> Vec<u64> {
        let mut ids: Vec<u64> = registry.lock().keys().copied().collect();
        ids.sort_unstable();
        ids
    }

    #[tokio::test]
    async fn the_longest_waiting_connection_is_closed_never_one_answering() {
        let registry = Registry::default();
        let (a, conn_a) = registry.add();
        let answering = Answering::start(Arc::clone(&conn_a));
        let (b, conn_b) = registry.add();
        conn_b.write_blocked.store(true, Ordering::Release);
        let (_c, conn_c) = registry.add();
        let (d, _conn_d) = registry.add();

        registry.close_longest_waiting();
        assert_eq!(open_ids(&registry), [a, b, d]);
        let told = tokio::time::timeout(Duration::from_secs(5), conn_c.close.notified()).await;
        assert!(told.is_ok(), "the closed connection was not told");

        // `a` is done answering: it now waits, but not as long as `d`.
        drop(answering);
        registry.close_longest_waiting();
        assert_eq!(open_ids(&registry), [a, b]);
        registry.close_longest_waiting();
        assert_eq!(open_ids(&registry), [b]);
        // A slow reader still being sent to is never closed.
        registry.close_longest_waiting();
        assert_eq!(open_ids(&registry), [b]);
    }

    #[tokio::test]
    async fn a_request_that_takes_too_long_gets_a_german_page() {
        let (status, body) = call(stalled("/papers/x"), "/papers/x").await;
        assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE);
        assert!(body.contains("zu lange gedauert"), "{body}");
        assert!(body.contains("<html"), "{body}");
    }

    #[tokio::test]
    async fn an_api_request_that_takes_too_long_gets_json() {
        let (status, body) = call(stalled("/api/status"), "/api/status").await;
        assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE);
        let json: serde_json::Value =
            serde_json::from_str(&body).unwrap_or_else(|e| panic!("{e}: {body}"));
        assert_eq!(json["status"], 503, "{body}");
    }
}
