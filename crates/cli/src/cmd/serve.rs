//! `ratsdoc serve --data <DIR> [--addr 127.0.0.1:8080]`: the web page for
//! researchers and clerks. Only wiring: the pages live in `ratsdoc-serve`.
//!
//! Read-only over `<DIR>`: the nightly build may run beside it, and its
//! results show up on the next request without a restart.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use chrono::NaiveDate;
use ratsdoc_serve::{ServeOptions, Server};

#[derive(clap::Args)]
pub struct ServeArgs {
    /// The data directory a build wrote.
    #[arg(long, value_name = "DIR")]
    pub data: PathBuf,
    /// Address to listen on; anything but loopback is an explicit choice.
    #[arg(long, default_value = "127.0.0.1:8080")]
    pub addr: String,
    /// Judge report status as of this date instead of today (reproducible
    /// pages, e.g. for screenshots).
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub as_of: Option<NaiveDate>,
}

pub fn run(args: ServeArgs) -> anyhow::Result<ExitCode> {
    let opts = ServeOptions {
        data: args.data.clone(),
        addr: args.addr.clone(),
        today: args.as_of,
    };
    let server = Server::bind(opts).context("cannot start the web server")?;
    let addr = server.local_addr();
    if !ratsdoc_serve::is_loopback(&addr) {
        eprintln!(
            "ratsdoc serve: warning: listening on {addr}, which other machines can reach. \
             This is an explicit choice: the pages have no login; use 127.0.0.1 to keep them on this machine."
        );
    }
    println!(
        "ratsdoc serve: http://{addr}/ (data: {}; Ctrl-C stops)",
        args.data.display()
    );
    server.run().context("the web server failed")?;
    Ok(ExitCode::SUCCESS)
}
