//! `ratsdoc status` (stub: being written).

use std::path::PathBuf;
use std::process::ExitCode;

#[derive(clap::Args)]
pub struct StatusArgs {
    /// The data directory.
    #[arg(long, default_value = "data")]
    pub data: PathBuf,
}

pub fn run(_args: StatusArgs) -> anyhow::Result<ExitCode> {
    anyhow::bail!("not implemented yet")
}
