//! `ratsdoc serve`: the web page for researchers and clerks over a data
//! directory that `ratsdoc build` wrote — a search page, a page per paper,
//! the clerk's report-status table with a CSV download, and a JSON API with
//! the shapes of the CLI's `--json` output.
//!
//! The server is a thin adapter over the library crates: it searches with
//! [`ratsdoc_index::Searcher`], reads records and the build's link cache
//! with [`ratsdoc_store::DataDir`] and judges report status with
//! [`ratsdoc_link::status_essentials`], exactly as the CLI does.
//!
//! **Architecture Invariant:** the server is read-only. It never opens an
//! index writer, never takes the build lock and never writes into `<DATA>`,
//! so the nightly build runs beside it; each new build is picked up on the
//! next request (see `snapshot` and `live_index`), without a restart.
//!
//! **Architecture Invariant:** no path parameter reaches the file system
//! except through `ratsdoc_model::number::id_to_file_stem`, which keeps it
//! inside `<DATA>/records/`. The OParl routes look a paper up in the
//! snapshot's catalog by its stem, and serve only the source files a
//! record names, only under `--files-root`.
//!
//! Code map:
//! - `connections`: accepting and keeping connections within [`Limits`]
//!   (timeouts, connection count), so slow clients cannot hold the server.
//! - `routes`: the HTTP handlers, one per route; blocking work goes to
//!   tokio's blocking pool.
//! - `params`: strict reading of query strings, with the bounds.
//! - `snapshot`, `live_index`: the caches keyed by what the build changed.
//! - `clerk`: the clerk's table, shared by page, CSV, calendar and API.
//! - `oparl`: OParl 1.1 under `/oparl/v1.1/` (objects from
//!   `ratsdoc-oparl-api`; routes, conditional GET, CORS, file bytes here).
//! - `feeds`: the calendar (`/status.ics`) and the Atom feeds, dated by the
//!   run history.
//! - `views`: the HTML (maud; German text; no JavaScript).
//!
//! ```no_run
//! use ratsdoc_serve::{Server, ServeOptions};
//! # fn main() -> Result<(), ratsdoc_serve::ServeError> {
//! let server = Server::bind(ServeOptions::new("data", "127.0.0.1:8080"))?;
//! println!("listening on http://{}/", server.local_addr());
//! server.run()
//! # }
//! ```

mod clerk;
mod connections;
mod delivery;
mod error;
mod feeds;
mod live_index;
mod oparl;
pub mod params;
mod routes;
mod snapshot;
mod views;

use std::net::{SocketAddr, ToSocketAddrs};
use std::path::PathBuf;
use std::sync::Arc;

use chrono::NaiveDate;
use ratsdoc_store::DataDir;

pub use connections::Limits;
pub use error::{ServeError, WebError};
pub use oparl::OparlOptions;
pub use ratsdoc_oparl_api::BodyConfig;

use live_index::LiveIndex;
use snapshot::SnapshotCache;

/// What `ratsdoc serve` was asked.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    /// The data directory a build wrote.
    pub data: PathBuf,
    /// `host:port`; port 0 picks a free port.
    pub addr: String,
    /// Judge report status as of this day instead of the real today (for
    /// reproducible pages in tests and screenshots).
    pub today: Option<NaiveDate>,
    /// Timeouts and connection bounds against slow or idle clients.
    pub limits: Limits,
    /// The OParl endpoint's public URL, council and files.
    pub oparl: OparlOptions,
}

impl ServeOptions {
    pub fn new(data: impl Into<PathBuf>, addr: impl Into<String>) -> ServeOptions {
        ServeOptions {
            data: data.into(),
            addr: addr.into(),
            today: None,
            limits: Limits::default(),
            oparl: OparlOptions::default(),
        }
    }
}

/// The state every handler shares: the data directory and its caches.
#[derive(Clone)]
pub struct AppState(Arc<Inner>);

struct Inner {
    data: DataDir,
    snapshots: Arc<SnapshotCache>,
    index: LiveIndex,
    today: Option<NaiveDate>,
    oparl: oparl::OparlState,
}

impl AppState {
    /// State over `data`; nothing is read until the first request.
    pub fn new(data: impl Into<PathBuf>) -> AppState {
        AppState::with_today(data, None)
    }

    /// Like [`AppState::new`], with a fixed "today" when `today` is set.
    pub fn with_today(data: impl Into<PathBuf>, today: Option<NaiveDate>) -> AppState {
        AppState::with_oparl(data, today, OparlOptions::default(), "127.0.0.1")
    }

    /// Like [`AppState::with_today`], with the OParl endpoint's settings;
    /// `listening` (`host:port`) makes its URLs when no public URL is set.
    pub fn with_oparl(
        data: impl Into<PathBuf>,
        today: Option<NaiveDate>,
        oparl: OparlOptions,
        listening: &str,
    ) -> AppState {
        let data = DataDir::new(data);
        let index = LiveIndex::new(data.index_dir());
        AppState(Arc::new(Inner {
            data,
            snapshots: Arc::default(),
            index,
            today,
            oparl: oparl::OparlState::new(oparl, listening),
        }))
    }

    pub(crate) fn oparl(&self) -> &oparl::OparlState {
        &self.0.oparl
    }

    pub(crate) fn data(&self) -> &DataDir {
        &self.0.data
    }

    /// The snapshot of the build in `<DATA>` (or of the previous one while
    /// a new one loads). Blocking.
    pub(crate) fn snapshot(&self) -> Result<Arc<snapshot::Snapshot>, WebError> {
        self.0.snapshots.get(&self.0.data, self.today())
    }

    pub(crate) fn index(&self) -> &LiveIndex {
        &self.0.index
    }

    /// The day report status is judged on when a request names none.
    pub(crate) fn today(&self) -> NaiveDate {
        self.0
            .today
            .unwrap_or_else(|| chrono::Local::now().date_naive())
    }

    /// Loads essentials, links, today's status table and the searcher, so that
    /// the first visitor does not wait for them. Failures are only logged:
    /// the requests report them properly.
    pub fn warm(&self) {
        match self.snapshot() {
            Ok(s) => {
                s.statuses(self.today());
            }
            Err(e) => tracing::warn!("cannot load the data yet: {}", e.message),
        }
        if let Err(e) = self.index().get() {
            tracing::warn!("cannot open the search index yet: {}", e.message);
        }
    }
}

/// The axum router with every route; for tests, `tower::ServiceExt::oneshot`
/// on it needs no socket.
pub fn router(state: AppState) -> axum::Router {
    routes::router(state)
}

/// True when every address `addr` resolves to is a loopback address, i.e.
/// only this machine can connect.
pub fn is_loopback(addr: &SocketAddr) -> bool {
    addr.ip().is_loopback()
}

/// Resolves `host:port` (an IP address, or a name such as `localhost`).
pub fn resolve(addr: &str) -> Result<SocketAddr, ServeError> {
    if let Ok(a) = addr.parse::<SocketAddr>() {
        return Ok(a);
    }
    addr.to_socket_addrs()
        .ok()
        .and_then(|mut all| all.next())
        .ok_or_else(|| ServeError::BadAddr(addr.to_string()))
}

/// A bound, not yet serving server.
pub struct Server {
    runtime: tokio::runtime::Runtime,
    listener: tokio::net::TcpListener,
    local: SocketAddr,
    state: AppState,
    limits: Limits,
}

impl Server {
    /// Checks the data directory, starts the runtime and binds the address.
    /// Binding is a separate step so the caller can print where it listens
    /// (and warn about a non-loopback address) before serving.
    pub fn bind(opts: ServeOptions) -> Result<Server, ServeError> {
        if !opts.data.is_dir() {
            return Err(ServeError::NoDataDir(opts.data.display().to_string()));
        }
        let addr = resolve(&opts.addr)?;
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .enable_all()
            .thread_name("ratsdoc-serve")
            .build()?;
        let listener = runtime
            .block_on(tokio::net::TcpListener::bind(addr))
            .map_err(|source| ServeError::Bind {
                addr: opts.addr.clone(),
                source,
            })?;
        let local = listener.local_addr()?;
        Ok(Server {
            runtime,
            listener,
            local,
            state: AppState::with_oparl(opts.data, opts.today, opts.oparl, &local.to_string()),
            limits: opts.limits,
        })
    }

    /// The address actually bound (the port, when 0 was asked).
    pub fn local_addr(&self) -> SocketAddr {
        self.local
    }

    /// Serves until Ctrl-C or SIGTERM, then finishes the requests under way.
    pub fn run(self) -> Result<(), ServeError> {
        let Server {
            runtime,
            listener,
            state,
            limits,
            ..
        } = self;
        runtime.block_on(async move {
            let warm = state.clone();
            tokio::task::spawn_blocking(move || warm.warm());
            let app = connections::with_request_timeout(router(state), limits.request_timeout);
            connections::serve(listener, app, limits, shutdown()).await;
        });
        Ok(())
    }
}

/// Resolves on Ctrl-C, or on SIGTERM (how service managers stop a server).
async fn shutdown() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {}
        () = term => {}
    }
}
