use std::path::PathBuf;

use ratsdoc_store::StoreError;

/// Why a build could not go on.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum BuildError {
    /// The data directory: locked by another build, unreadable, unwritable
    /// or damaged.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// The run was refused before it changed anything: a data directory in
    /// the wrong place, or a corpus that looks gone rather than emptied.
    #[error(transparent)]
    Guard(#[from] crate::guard::GuardError),
    /// The search index failed.
    #[error(transparent)]
    Index(#[from] ratsdoc_index::IndexError),
}

impl BuildError {
    pub(crate) fn io(path: impl Into<PathBuf>, source: std::io::Error) -> BuildError {
        BuildError::Store(StoreError::io(path, source))
    }

    pub(crate) fn corrupt(path: impl Into<PathBuf>, message: impl Into<String>) -> BuildError {
        BuildError::Store(StoreError::Corrupt {
            path: path.into(),
            message: message.into(),
        })
    }
}
