//! Serves the sample council or the Karlsruhe dump as an OParl endpoint on
//! 127.0.0.1 until stopped, for trying `ratsdoc sync` by hand and for the
//! test bed of BENCHMARKS.md.

use std::path::PathBuf;

use anyhow::Context;
use clap::Parser;
use ratsdoc_oparl_fixture::{Server, Version, karlsruhe, sample};

#[derive(Parser)]
struct Args {
    /// Serve this Karlsruhe dump (the folder holding papers/ and
    /// file-contents/) instead of the sample council.
    #[arg(long, value_name = "DIR")]
    karlsruhe: Option<PathBuf>,
    /// Port on 127.0.0.1 (0: any free one).
    #[arg(long, default_value_t = 8123)]
    port: u16,
    /// Papers per list page.
    #[arg(long)]
    per_page: Option<usize>,
    /// Serve the sample council as OParl 1.0.
    #[arg(long)]
    oparl_1_0: bool,
    /// Ignore `modified_since` like some servers do.
    #[arg(long)]
    ignore_modified_since: bool,
}

fn main() -> anyhow::Result<()> {
    let args = Args::parse();
    let mut site = match &args.karlsruhe {
        Some(dir) => karlsruhe::load(dir)?,
        None => sample::site(if args.oparl_1_0 {
            Version::V1_0
        } else {
            Version::V1_1
        }),
    };
    if let Some(n) = args.per_page {
        site.per_page = n;
    }
    site.honour_modified_since = !args.ignore_modified_since;
    let papers = site.papers.len();
    let files = site.files.len();
    let server = Server::start(site, args.port).context("cannot bind 127.0.0.1")?;
    println!(
        "serving {papers} papers and {files} files at {}",
        server.endpoint()
    );
    loop {
        std::thread::park();
    }
}
