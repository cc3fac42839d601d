//! One file per subcommand: its arguments and its `run`.

pub mod build;
pub mod council;
pub mod digest;
pub mod search;
pub mod serve;
pub mod show;
pub mod status;
pub mod sync;
