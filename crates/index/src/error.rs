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
    /// The live generation cannot be read: files truncated, missing or
    /// overwritten (a full disk, a copy cut short, a hand edit). Only a
    /// rebuild helps.
    #[error(
        "the search index in {index_dir} is damaged or incomplete: \
         run `ratsdoc build <CORPUS> --data {data_dir}` to rebuild it ({detail})"
    )]
    Damaged {
        /// The index directory (`<DATA>/index`).
        index_dir: String,
        /// The data directory the rebuild writes to.
        data_dir: String,
        /// What tantivy reported, for the log.
        detail: String,
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
    /// Anything tantivy reports while writing (lock held, disk full, …).
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

    /// A read of the live generation in `index_dir` failed: the index is
    /// damaged, and the message names the data directory to rebuild.
    pub(crate) fn damaged(index_dir: &Path, detail: impl std::fmt::Display) -> IndexError {
        let data_dir = index_dir
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        IndexError::Damaged {
            index_dir: index_dir.display().to_string(),
            data_dir: data_dir.display().to_string(),
            detail: detail.to_string(),
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
