//! What can go wrong while serving, and how each failure becomes an HTTP
//! status with a message a clerk understands.
//!
//! A handler returns [`WebError`]; the HTML routes show it as a German error
//! page, the `/api/` routes as `{"error": "…"}`. The status code is decided
//! here, once, so that "unknown paper" is a 404 and "bad date" a 400 on every
//! route alike.

use axum::http::StatusCode;

/// Failure to start or run the server (the library side of `ratsdoc serve`).
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ServeError {
    /// The address could not be parsed or bound.
    #[error("cannot listen on {addr}: {source}")]
    Bind {
        /// The address asked for.
        addr: String,
        /// What the operating system said.
        source: std::io::Error,
    },
    /// `--addr` is not a socket address.
    #[error("not a socket address: {0:?} (expected e.g. 127.0.0.1:8080)")]
    BadAddr(String),
    /// The data directory does not exist.
    #[error("no data directory at {0}: run `ratsdoc build <CORPUS> --data {0}` first")]
    NoDataDir(String),
    /// The async runtime could not be started or failed while serving.
    #[error("web server: {0}")]
    Runtime(#[from] std::io::Error),
}

/// A failed request: the status and the German message shown to the user.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{status}: {message}")]
pub struct WebError {
    /// The HTTP status the response carries.
    pub status: StatusCode,
    /// One sentence in German, without any markup (it is escaped on output).
    pub message: String,
}

impl WebError {
    /// 400: a parameter of the request is malformed or out of bounds.
    pub fn bad_request(message: impl Into<String>) -> WebError {
        WebError {
            status: StatusCode::BAD_REQUEST,
            message: message.into(),
        }
    }

    /// 404: no such paper or page.
    pub fn not_found(message: impl Into<String>) -> WebError {
        WebError {
            status: StatusCode::NOT_FOUND,
            message: message.into(),
        }
    }

    /// 503: the data directory has no build (or no index) yet, or its index
    /// is damaged; a later build will fix it without a restart.
    pub fn unavailable(message: impl Into<String>) -> WebError {
        WebError {
            status: StatusCode::SERVICE_UNAVAILABLE,
            message: message.into(),
        }
    }

    /// 500: the data directory is broken or unreadable. The detail goes to
    /// the log; the page says only what the user can act on.
    pub fn internal(detail: impl std::fmt::Display) -> WebError {
        tracing::error!("request failed: {detail}");
        WebError {
            status: StatusCode::INTERNAL_SERVER_ERROR,
            message: format!("Interner Fehler beim Lesen der Daten: {detail}"),
        }
    }
}

impl From<ratsdoc_store::StoreError> for WebError {
    fn from(e: ratsdoc_store::StoreError) -> WebError {
        match e {
            ratsdoc_store::StoreError::NoData(dir) => WebError::unavailable(format!(
                "Im Datenverzeichnis {dir} liegen noch keine Daten: zuerst `ratsdoc build` ausführen."
            )),
            other => WebError::internal(other),
        }
    }
}

impl From<ratsdoc_index::IndexError> for WebError {
    fn from(e: ratsdoc_index::IndexError) -> WebError {
        match e {
            ratsdoc_index::IndexError::Missing(_) => WebError::unavailable(
                "Noch kein Suchindex vorhanden: zuerst `ratsdoc build` ausführen.",
            ),
            ratsdoc_index::IndexError::Outdated { .. } => WebError::unavailable(
                "Der Suchindex stammt von einer anderen ratsdoc-Version: `ratsdoc build` erneut ausführen.",
            ),
            ratsdoc_index::IndexError::Damaged {
                index_dir,
                data_dir,
                detail,
            } => {
                tracing::error!("search index in {index_dir} damaged: {detail}");
                WebError::unavailable(format!(
                    "Der Suchindex in {index_dir} ist beschädigt oder unvollständig: \
                     `ratsdoc build <CORPUS> --data {data_dir}` ausführen, um ihn neu aufzubauen."
                ))
            }
            ratsdoc_index::IndexError::NothingToSearch { query } => {
                WebError::bad_request(crate::views::search::nothing_to_search(&query))
            }
            other => WebError::internal(other),
        }
    }
}

impl From<tokio::task::JoinError> for WebError {
    fn from(e: tokio::task::JoinError) -> WebError {
        WebError::internal(format!("Hintergrundaufgabe abgebrochen: {e}"))
    }
}
