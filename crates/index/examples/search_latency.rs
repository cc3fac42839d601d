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
//! milliseconds over the repetitions (after one warm-up search), then the
//! same over all samples. The queries take turns, as in the benchmark.

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
    let requests: Vec<SearchRequest> = args.map(SearchRequest::new).collect();
    let mut totals = Vec::with_capacity(requests.len());
    for request in &requests {
        totals.push(searcher.search(request)?.total);
    }
    let mut samples: Vec<Vec<f64>> = vec![Vec::with_capacity(reps); requests.len()];
    for _ in 0..reps {
        for (request, ms) in requests.iter().zip(&mut samples) {
            let t = Instant::now();
            searcher.search(request)?;
            ms.push(t.elapsed().as_secs_f64() * 1e3);
        }
    }
    for ((request, total), ms) in requests.iter().zip(&totals).zip(&mut samples) {
        print_line(&request.text, &format!("{total:7} found"), ms);
    }
    let mut all: Vec<f64> = samples.into_iter().flatten().collect();
    print_line("all queries", &format!("{:7} samples", all.len()), &mut all);
    Ok(())
}

fn print_line(label: &str, count: &str, ms: &mut [f64]) {
    ms.sort_by(f64::total_cmp);
    let at = |p: f64| {
        ms.get(((ms.len() as f64 - 1.0) * p).round() as usize)
            .copied()
            .unwrap_or(f64::NAN)
    };
    println!(
        "{label:40} {count}  p50 {:6.2}  p99 {:6.2}  max {:6.2} ms",
        at(0.5),
        at(0.99),
        at(1.0)
    );
}
