//! The build driver: one visible sequence of stages over a corpus —
//! scan, extract + parse, write records, link, index, report — made
//! incremental by a content-hash manifest and safe by a lock and atomic
//! writes (see [`pipeline`]). What it keeps in `<DATA>` is `ratsdoc-store`'s.

mod error;
mod guard;
mod hooks;
mod merge;
pub mod pipeline;
mod scan;

pub use error::BuildError;
pub use guard::GuardError;
pub use pipeline::{BuildOptions, NoProgress, Progress, build};
