use std::path::PathBuf;

/// Why a data directory could not be read, written or locked.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum StoreError {
    /// Another `ratsdoc build` holds the lock on the data directory.
    #[error("another ratsdoc build is running on {dir}: {holder}")]
    Locked { dir: PathBuf, holder: String },
    /// A file or directory of the data directory could not be read or written.
    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    /// A stored file is not what ratsdoc wrote (hand-edited or damaged).
    #[error("{path}: {message}")]
    Corrupt { path: PathBuf, message: String },
    /// The data directory holds no build yet.
    #[error("{0} holds no ratsdoc data: run `ratsdoc build <CORPUS> --data {0}` first")]
    NoData(String),
}

impl StoreError {
    pub fn io(path: impl Into<PathBuf>, source: std::io::Error) -> StoreError {
        StoreError::Io {
            path: path.into(),
            source,
        }
    }
}
