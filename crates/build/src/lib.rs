//! The build driver: one visible sequence of stages over a corpus —
//! scan, extract + parse, write records, link, index, report — made
//! incremental by a content-hash manifest and safe by a lock and atomic
//! writes (see [`pipeline`]). Also the read side of a data directory for the
//! other commands ([`DataDir`]).

mod atomic;
mod binfile;
mod cache;
pub mod data;
mod error;
mod lock;
mod manifest;
mod merge;
pub mod pipeline;
mod scan;

pub use data::DataDir;
pub use error::BuildError;
pub use pipeline::{BuildOptions, NoProgress, Progress, build};
