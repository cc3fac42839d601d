//! The build driver: one visible sequence of stages over a corpus —
//! scan, extract + parse, write records, link, index, report — made
//! incremental by a content-hash manifest and safe by a lock and atomic
//! writes. Also the read side of a data directory for the other commands.

pub mod data;
mod error;

pub use data::DataDir;
pub use error::BuildError;
