//! The build driver: look at `<DATA>` and the inputs, plan the run
//! (`plan.rs`), then execute its stages — extract + parse, write records,
//! link, index, report — incremental by a content-hash manifest and safe by
//! a lock and atomic writes (see [`pipeline`]). What it keeps in `<DATA>` is
//! `ratsdoc-store`'s.

mod clock;
mod derive;
mod error;
mod guard;
mod history;
mod hooks;
mod merge;
pub mod pipeline;
mod plan;
mod read;
mod scan;
mod write;

pub use error::BuildError;
pub use guard::GuardError;
pub use pipeline::{BuildOptions, NoProgress, Progress, build};
/// The council profile a build reads its papers with.
pub use ratsdoc_parse::Profile;
