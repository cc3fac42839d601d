//! `ratsdoc build` (stub: being written).

use std::path::PathBuf;
use std::process::ExitCode;

#[derive(clap::Args)]
pub struct BuildArgs {
    /// The data directory.
    #[arg(long, default_value = "data")]
    pub data: PathBuf,
}

pub fn run(_args: BuildArgs) -> anyhow::Result<ExitCode> {
    anyhow::bail!("not implemented yet")
}
