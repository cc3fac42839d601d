//! `ratsdoc serve --data <DIR> [--addr 127.0.0.1:8080]`: the web page for
//! researchers and clerks. Only wiring: the pages live in `ratsdoc-serve`.
//!
//! Read-only over `<DIR>`: the nightly build may run beside it, and its
//! results show up on the next request without a restart.

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use anyhow::Context;
use chrono::NaiveDate;
use ratsdoc_serve::{Limits, ServeOptions, Server};

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
    /// Seconds a client may take to send a request's headers; also how long
    /// an idle kept-alive connection stays open.
    #[arg(long, value_name = "SECONDS", default_value_t = Limits::DEFAULT_HEADER_TIMEOUT.as_secs(),
          value_parser = clap::value_parser!(u64).range(1..))]
    pub header_timeout: u64,
    /// Seconds a request may take to be answered (then 503).
    #[arg(long, value_name = "SECONDS", default_value_t = Limits::DEFAULT_REQUEST_TIMEOUT.as_secs(),
          value_parser = clap::value_parser!(u64).range(1..))]
    pub request_timeout: u64,
    /// Most connections open at once; beyond it, the connection waiting
    /// longest for a request is closed to make room.
    #[arg(long, value_name = "N", default_value_t = Limits::DEFAULT_MAX_CONNECTIONS,
          value_parser = clap::builder::RangedU64ValueParser::<usize>::new().range(1..))]
    pub max_connections: usize,
    /// Most requests on one kept-alive connection before it is closed.
    #[arg(long, value_name = "N", default_value_t = Limits::DEFAULT_MAX_REQUESTS_PER_CONNECTION,
          value_parser = clap::builder::RangedU64ValueParser::<usize>::new().range(1..))]
    pub keep_alive_requests: usize,
}

pub fn run(args: ServeArgs) -> anyhow::Result<ExitCode> {
    let opts = ServeOptions {
        data: args.data.clone(),
        addr: args.addr.clone(),
        today: args.as_of,
        limits: Limits {
            header_timeout: Duration::from_secs(args.header_timeout),
            request_timeout: Duration::from_secs(args.request_timeout),
            max_connections: args.max_connections,
            max_requests_per_connection: args.keep_alive_requests,
        },
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
        crate::terminal::safe(&args.data.display().to_string())
    );
    server.run().context("the web server failed")?;
    Ok(ExitCode::SUCCESS)
}
