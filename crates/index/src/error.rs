//! The one error type of the index crate. User text is never a reason for an
//! error: only a missing, outdated or broken index and the file system are.

use std::path::Path;

/// What can go wrong when opening, updating or searching the index.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum IndexError {
    /// No index under the data directory yet.
    #[error("no search index at {0}: run `ratsdoc build` first")]
    Missing(String),
    /// The index was written by another ratsdoc version (analysers or record
    /// model changed); the next build rebuilds it.
    #[error(
        "the search index at {path} was built by another ratsdoc version: run `ratsdoc build` again"
    )]
    Outdated {
        /// The index directory.
        path: String,
    },
    /// A file of the index could not be read or written.
    #[error("search index: {path}: {source}")]
    Io {
        /// The file or directory concerned.
        path: String,
        /// What the operating system said.
        source: std::io::Error,
    },
    /// Anything tantivy reports (corrupt segment, lock held, …).
    #[error("search index: {0}")]
    Tantivy(#[from] tantivy::TantivyError),
    /// Anything else.
    #[error("search index: {0}")]
    Other(String),
}

impl IndexError {
    pub(crate) fn io(path: impl AsRef<Path>, source: std::io::Error) -> IndexError {
        IndexError::Io {
            path: path.as_ref().display().to_string(),
            source,
        }
    }
}

impl From<tantivy::directory::error::OpenDirectoryError> for IndexError {
    fn from(e: tantivy::directory::error::OpenDirectoryError) -> IndexError {
        IndexError::Tantivy(e.into())
    }
}
