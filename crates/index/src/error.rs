//! The one error type of the index crate. User text is never a reason for a
//! failure: whatever it holds is read leniently, and the one answer it can
//! get besides results is [`IndexError::NothingToSearch`]. Everything else
//! is about a missing, outdated or broken index and the file system.

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
    /// The query holds nothing to search for: it is empty or has only stop
    /// words, punctuation or symbols. Never answered with every paper; only
    /// `*` lists them all.
    #[error("{}", nothing_to_search(query))]
    NothingToSearch {
        /// What the user typed.
        query: String,
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

/// The sentence for [`IndexError::NothingToSearch`].
fn nothing_to_search(query: &str) -> String {
    const HOW: &str = "type words or a paper number, or * to list every paper";
    if query.trim().is_empty() {
        format!("nothing to search for: the query is empty; {HOW}")
    } else {
        format!(
            "nothing to search for in {query:?}: it holds only stop words (und, der, …), \
             punctuation or symbols; {HOW}"
        )
    }
}

impl From<tantivy::directory::error::OpenDirectoryError> for IndexError {
    fn from(e: tantivy::directory::error::OpenDirectoryError) -> IndexError {
        IndexError::Tantivy(e.into())
    }
}
