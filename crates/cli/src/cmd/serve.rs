//! `ratsdoc serve --data <DIR>` (stub: being written).

use std::path::PathBuf;
use std::process::ExitCode;

#[derive(clap::Args)]
pub struct ServeArgs {
    /// The data directory a build wrote.
    #[arg(long, value_name = "DIR")]
    pub data: PathBuf,
    /// Address to listen on; anything but loopback is an explicit choice.
    #[arg(long, default_value = "127.0.0.1:8080")]
    pub addr: String,
}

pub fn run(_args: ServeArgs) -> anyhow::Result<ExitCode> {
    anyhow::bail!("not implemented yet")
}
