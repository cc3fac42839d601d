//! `ratsdoc serve --data <DIR> [--addr 127.0.0.1:8080]`: the web page for
//! researchers and clerks, and OParl 1.1 under `/oparl/v1.1/`. Only
//! wiring: the pages live in `ratsdoc-serve`.
//!
//! Read-only over `<DIR>`: the nightly build may run beside it, and its
//! results show up on the next request without a restart.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use anyhow::Context;
use chrono::NaiveDate;
use ratsdoc_serve::{BodyConfig, Limits, OparlOptions, ServeOptions, Server};

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
    /// The URL clients reach the server at, for the absolute URLs of the
    /// OParl endpoint (`https://rat.example`); default: `http://` and the
    /// address it listens on.
    #[arg(long, value_name = "URL")]
    pub public_url: Option<String>,
    /// The directory `ratsdoc build` ran in: the records' source paths are
    /// relative to it, and the OParl endpoint serves only files under it.
    #[arg(long, value_name = "DIR", default_value = ".")]
    pub files_root: PathBuf,
    /// The council's name in the OParl Body.
    #[arg(long, value_name = "NAME", default_value = "Stadt Chemnitz")]
    pub body_name: String,
    /// The council's short name in the OParl Body.
    #[arg(long, value_name = "NAME", default_value = "Chemnitz")]
    pub body_short_name: String,
    /// The council's Amtlicher Gemeindeschlüssel (AGS, eight digits).
    #[arg(long, value_name = "AGS", default_value = "14511000")]
    pub body_ags: String,
    /// The council's website.
    #[arg(long, value_name = "URL", default_value = "https://www.chemnitz.de/")]
    pub body_website: String,
}

/// mimalloc's `mi_option_purge_delay`, which the sys crate does not name:
/// the option before `mi_option_use_numa_nodes` in `mimalloc.h` (v2 and
/// v3). The test below checks it has the purge delay's default.
const PURGE_DELAY: libmimalloc_sys::mi_option_t = libmimalloc_sys::mi_option_use_numa_nodes - 1;

/// A server runs for weeks, and a burst of requests (an OParl client
/// walking every list page) frees tens of MB on worker threads that may
/// then sit idle. mimalloc returns freed memory only after a delay (1 s in
/// its version 3) and only when the thread allocates again; with no delay
/// it goes back to the system at once. At 100,000 papers this kept serve's RSS after a full
/// walk at +14 % instead of +20 % (BENCHMARKS.md), at the same walk time.
fn return_freed_memory_at_once() {
    // SAFETY: mi_option_set stores one integer option of the allocator; it
    // touches no memory of ours and is safe to call at any time.
    unsafe { libmimalloc_sys::mi_option_set(PURGE_DELAY, 0) }
}

pub fn run(args: ServeArgs) -> anyhow::Result<ExitCode> {
    return_freed_memory_at_once();
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
        oparl: OparlOptions {
            public_url: args.public_url.clone(),
            body: BodyConfig {
                name: args.body_name.clone(),
                short_name: args.body_short_name.clone(),
                ags: args.body_ags.clone(),
                website: Some(args.body_website.clone()).filter(|w| !w.trim().is_empty()),
            },
            files_root: args.files_root.clone(),
        },
    };
    // The OParl LegislativeTerms are the data directory's council's.
    match super::council::choose(&args.data, None) {
        Ok(chosen) => {
            ratsdoc_oparl_api::use_terms_of(&chosen.profile);
        }
        Err(e) => {
            eprintln!("ratsdoc serve: warning: {e:#}; OParl lists the default council's terms")
        }
    }
    let server = Server::bind(opts).context("cannot start the web server")?;
    let addr = server.local_addr();
    if !ratsdoc_serve::is_loopback(&addr) {
        eprintln!(
            "ratsdoc serve: warning: listening on {addr}, which other machines can reach. \
             This is an explicit choice: the pages have no login; use 127.0.0.1 to keep them on this machine."
        );
    }
    let public = args.public_url.as_deref().map_or_else(
        || format!("http://{addr}"),
        |u| u.trim_end_matches('/').to_string(),
    );
    let banner = format!(
        "ratsdoc serve: http://{addr}/ (data: {}; Ctrl-C stops)\nratsdoc serve: OParl 1.1 at {}/oparl/v1.1/\n",
        crate::terminal::safe(&args.data.display().to_string()),
        crate::terminal::safe(&public)
    );
    // One write, and a closed stdout is no reason to stop serving: a
    // supervisor that reads only the first line may close the pipe.
    let mut out = std::io::stdout().lock();
    let _ = out.write_all(banner.as_bytes()).and_then(|()| out.flush());
    drop(out);
    server.run().context("the web server failed")?;
    Ok(ExitCode::SUCCESS)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_purge_delay_option_is_the_one_with_its_documented_default() {
        // SAFETY: reading an allocator option has no preconditions.
        let delay = unsafe { libmimalloc_sys::mi_option_get(PURGE_DELAY) };
        // The purge delay's defaults: 1000 ms in mimalloc v3, 10 ms in v2;
        // 0 once a test of this binary has served.
        assert!(
            [1000, 10, 0].contains(&delay),
            "option {PURGE_DELAY} is {delay}"
        );
    }
}
