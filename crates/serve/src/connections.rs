//! How the server accepts and keeps connections, and the [`Limits`] that
//! stop slow or idle clients from holding it: a client that opens many
//! connections and sends half a request line on each (slowloris) must not
//! use up the process's file descriptors and lock out everyone else.
//!
//! Each limit is a facility of hyper, hyper-util or tower; this module only
//! wires them:
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
//!   At the limit the server accepts nothing more: new connections wait in
//!   the kernel's accept queue, taking no file descriptor of the process,
//!   until a connection ends; one held by a silent client ends after the
//!   header timeout.
//! - **requests per connection**: the answer to the last allowed request
//!   carries `Connection: close`, so one client cannot keep a connection
//!   for ever by asking again just before each idle timeout.

use std::convert::Infallible;
use std::future::Future;
use std::io;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use axum::Router;
use axum::error_handling::HandleErrorLayer;
use axum::extract::Request;
use axum::http::{HeaderValue, Uri, header};
use axum::response::Response;
use hyper::body::Incoming;
use hyper::server::conn::http1;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::server::graceful::GracefulShutdown;
use hyper_util::service::TowerToHyperService;
use tokio::net::TcpListener;
use tokio::sync::Semaphore;
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
    /// Most connections served at once; further clients wait to be accepted.
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
    let graceful = GracefulShutdown::new();
    let mut http = http1::Builder::new();
    http.timer(TokioTimer::new())
        .header_read_timeout(limits.header_timeout)
        .keep_alive(true);
    tokio::pin!(shutdown);
    loop {
        let accepted = tokio::select! {
            () = &mut shutdown => break,
            accepted = accept_within_limit(&listener, &slots) => accepted,
        };
        let Some((stream, slot)) = accepted else {
            continue;
        };
        let service =
            TowerToHyperService::new(counted(app.clone(), limits.max_requests_per_connection));
        let connection = graceful.watch(http.serve_connection(TokioIo::new(stream), service));
        tokio::spawn(async move {
            if let Err(e) = connection.await {
                tracing::debug!("connection ended: {e}");
            }
            drop(slot);
        });
    }
    graceful.shutdown().await;
}

/// Waits for a free slot, then for a connection. `None` after an accept
/// error, which is logged (and, when the process is out of file
/// descriptors, waited out for a second as hyper's own server did).
async fn accept_within_limit(
    listener: &TcpListener,
    slots: &Arc<Semaphore>,
) -> Option<(tokio::net::TcpStream, tokio::sync::OwnedSemaphorePermit)> {
    let slot = Arc::clone(slots).acquire_owned().await.ok()?;
    match listener.accept().await {
        Ok((stream, _peer)) => Some((stream, slot)),
        Err(e) if is_connection_error(&e) => None,
        Err(e) => {
            tracing::error!("cannot accept a connection: {e}");
            tokio::time::sleep(Duration::from_secs(1)).await;
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

/// One connection's service: `app`, whose `max_requests`-th answer carries
/// `Connection: close` (hyper then closes the connection after writing it).
fn counted(
    app: Router,
    max_requests: usize,
) -> impl tower::Service<Request<Incoming>, Response = Response, Error = Infallible, Future = impl Send>
+ Clone {
    let answered = Arc::new(AtomicUsize::new(0));
    ServiceExt::<Request<Incoming>>::map_response(app, move |mut response: Response| {
        if answered.fetch_add(1, Ordering::Relaxed) + 1 >= max_requests {
            response
                .headers_mut()
                .insert(header::CONNECTION, HeaderValue::from_static("close"));
        }
        response
    })
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
