//! Latency of a few searches on an existing index, for profiling one query
//! at a time (`perf record`) and for before/after comparisons without the
//! whole benchmark:
//!
//! ```sh
//! cargo run --release -p ratsdoc-index --example search_latency -- \
//!     /tmp/ratsdoc-bench/100000/data/index 50 Haushaltsmittel '"im Stadtteil Gablenz"'
//! ```
//!
//! Prints, per query, the number of papers found and p50/p99/max in
//! milliseconds over the repetitions (after one warm-up search).

use std::path::Path;
use std::time::Instant;

use ratsdoc_index::{SearchRequest, Searcher};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let (Some(index), Some(reps)) = (args.next(), args.next()) else {
        return Err("usage: search_latency <index dir> <repetitions> <query>...".into());
    };
    let reps: usize = reps.parse()?;
    let searcher = Searcher::open(Path::new(&index))?;
    for text in args {
        let request = SearchRequest::new(&text);
        let total = searcher.search(&request)?.total;
        let mut ms = Vec::with_capacity(reps);
        for _ in 0..reps {
            let t = Instant::now();
            searcher.search(&request)?;
            ms.push(t.elapsed().as_secs_f64() * 1e3);
        }
        ms.sort_by(f64::total_cmp);
        let at = |p: f64| ms[((ms.len() as f64 - 1.0) * p).round() as usize];
        println!(
            "{text:40} {total:7} found  p50 {:6.2}  p99 {:6.2}  max {:6.2} ms",
            at(0.5),
            at(0.99),
            at(1.0)
        );
    }
    Ok(())
}
