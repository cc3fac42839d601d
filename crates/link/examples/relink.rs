//! Times linking and report verdicts on a built data directory, the way the
//! build runs them from its cache, and scores the links against a
//! generator's `truth.json` when one is given.
//!
//! ```sh
//! cargo run --release -p ratsdoc-link --example relink -- \
//!     /tmp/ratsdoc-bench/100000/data /tmp/link-work/essentials-100000.bin \
//!     /tmp/ratsdoc-bench/100000/corpus/truth.json
//! ```
//!
//! The second argument is a postcard file of [`Essentials`]: written from
//! `<data>/records` when it does not exist (then `link(&records)` is timed
//! too), read otherwise (delete it after changing `Essentials::of`).
//! `RELINK_REPS` sets the repetitions (5), `RELINK_SHOW` how many misses to
//! print (0).

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::time::Instant;

use chrono::NaiveDate;
use ratsdoc_link::Essentials;
use ratsdoc_model::Record;
use rayon::prelude::*;

type Failure = Box<dyn std::error::Error>;

fn main() -> Result<(), Failure> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [data, cache, rest @ ..] = args.as_slice() else {
        return Err("usage: relink <data dir> <essentials cache> [truth.json]".into());
    };

    // # Step 1: the essentials, from the cache or from the records.
    let t = Instant::now();
    let items: Vec<Essentials> = match std::fs::read(cache) {
        Ok(bytes) => {
            let items: Vec<Essentials> = postcard::from_bytes(&bytes)?;
            println!(
                "read {} essentials from {cache} in {:.0} ms",
                items.len(),
                ms(t)
            );
            items
        }
        Err(_) => {
            let records = load_records(&Path::new(data).join("records"))?;
            println!("read {} records in {:.0} ms", records.len(), ms(t));
            let t = Instant::now();
            let links = ratsdoc_link::link(&records);
            println!(
                "link(&records), digest included: {} links in {:.0} ms",
                links.links.len(),
                ms(t)
            );
            let t = Instant::now();
            let items: Vec<Essentials> = records.par_iter().map(Essentials::of).collect();
            println!("digested them in {:.0} ms", ms(t));
            std::fs::write(cache, postcard::to_allocvec(&items)?)?;
            items
        }
    };
    let bytes = postcard::to_allocvec(&items)?.len();
    println!(
        "postcard: {bytes} bytes, {:.0} bytes per record",
        bytes as f64 / items.len().max(1) as f64
    );

    // # Step 2: link and judge, several times; the minimum is the figure.
    let as_of = NaiveDate::from_ymd_opt(2025, 6, 30).ok_or("bad date")?;
    let mut link_ms = Vec::new();
    let mut status_ms = Vec::new();
    let (mut link_cpu, mut status_cpu) = (Vec::new(), Vec::new());
    let mut links = ratsdoc_model::Links::default();
    let reps: usize = std::env::var("RELINK_REPS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(5);
    for _ in 0..reps {
        let (t, c) = (Instant::now(), cpu_ms());
        links = ratsdoc_link::link_essentials(&items);
        link_ms.push(ms(t));
        link_cpu.push(cpu_ms() - c);
        let (t, c) = (Instant::now(), cpu_ms());
        let verdicts = ratsdoc_link::status_essentials(&items, &links, as_of);
        status_ms.push(ms(t));
        status_cpu.push(cpu_ms() - c);
        std::hint::black_box(verdicts);
    }
    println!(
        "link_essentials: {} links, {} ambiguous; min {:.0} ms, runs {link_ms:.0?}; CPU min {:.0} ms (all threads)",
        links.links.len(),
        links.ambiguous.len(),
        min(&link_ms),
        min(&link_cpu)
    );
    println!(
        "status_essentials: min {:.0} ms, runs {status_ms:.0?}; CPU min {:.0} ms",
        min(&status_ms),
        min(&status_cpu)
    );

    // # Step 3: precision and recall against the generator's truth.
    if let Some(truth) = rest.first() {
        let truth: serde_json::Value = serde_json::from_slice(&std::fs::read(truth)?)?;
        let expected: BTreeSet<(String, String)> = truth["links"]
            .as_array()
            .into_iter()
            .flatten()
            .map(|l| (text(&l["answer"]), text(&l["motion"])))
            .collect();
        let found: BTreeSet<(String, String)> = links
            .links
            .iter()
            .map(|l| (l.answer.clone(), l.motion.clone()))
            .collect();
        let tp = found.intersection(&expected).count();
        println!(
            "precision {:.4}, recall {:.4} (tp {tp}, fp {}, fn {})",
            tp as f64 / found.len().max(1) as f64,
            tp as f64 / expected.len().max(1) as f64,
            found.len() - tp,
            expected.len() - tp
        );
        let shown: usize = std::env::var("RELINK_SHOW")
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(0);
        let verdicts = ratsdoc_link::status_essentials(&items, &links, as_of);
        let by_id: std::collections::BTreeMap<&str, &str> = verdicts
            .iter()
            .map(|v| (v.id.as_str(), v.status.as_str()))
            .collect();
        let (mut checked, mut right) = (0, 0);
        let mut confusion: std::collections::BTreeMap<String, usize> = Default::default();
        for m in truth["motions"].as_array().into_iter().flatten() {
            if let Some(want) = m["status"].as_str() {
                checked += 1;
                let got = by_id
                    .get(text(&m["id"]).as_str())
                    .copied()
                    .unwrap_or("missing");
                if got == want {
                    right += 1;
                } else {
                    let seen = confusion.entry(format!("{want} -> {got}")).or_default();
                    *seen += 1;
                    if *seen <= shown {
                        let v = verdicts.iter().find(|v| v.id == text(&m["id"]));
                        println!("status of {}: want {want} ({m}), got {v:?}", text(&m["id"]));
                    }
                }
            }
        }
        println!("status {right}/{checked} right; wrong: {confusion:?}");
        // The misses, for a look at the records.
        for l in links
            .links
            .iter()
            .filter(|l| !expected.contains(&(l.answer.clone(), l.motion.clone())))
            .take(shown)
        {
            println!("false positive {} -> {}:", l.answer, l.motion);
            for e in &l.evidence {
                println!("    {} {:+.2} {}", e.rule, e.weight, e.detail);
            }
        }
        for (a, m) in expected.difference(&found).take(shown) {
            println!("false negative {a} -> {m}");
        }
        for u in links.ambiguous.iter().take(shown) {
            println!("ambiguous: {}", u.reason);
        }
    }
    Ok(())
}

fn text(v: &serde_json::Value) -> String {
    v.as_str().unwrap_or_default().to_string()
}

fn ms(t: Instant) -> f64 {
    t.elapsed().as_secs_f64() * 1e3
}

/// User and system CPU time of the whole process so far: less disturbed
/// by other processes on a busy machine than wall time.
fn cpu_ms() -> f64 {
    let mut usage = std::mem::MaybeUninit::<libc::rusage>::zeroed();
    // SAFETY: getrusage fills the struct it is given; zeroed is a valid
    // rusage, so it is initialised even if the call fails.
    let usage = unsafe {
        libc::getrusage(libc::RUSAGE_SELF, usage.as_mut_ptr());
        usage.assume_init()
    };
    let ms = |t: libc::timeval| t.tv_sec as f64 * 1e3 + t.tv_usec as f64 / 1e3;
    ms(usage.ru_utime) + ms(usage.ru_stime)
}

fn min(v: &[f64]) -> f64 {
    v.iter().copied().fold(f64::INFINITY, f64::min)
}

fn load_records(dir: &Path) -> Result<Vec<Record>, Failure> {
    let mut paths: Vec<PathBuf> = std::fs::read_dir(dir)?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
        .collect();
    paths.sort();
    paths
        .par_iter()
        .map(|p| -> Result<Record, String> {
            let text = std::fs::read_to_string(p).map_err(|e| format!("{}: {e}", p.display()))?;
            ratsdoc_model::yaml::from_str(&text).map_err(|e| format!("{}: {e}", p.display()))
        })
        .collect::<Result<Vec<_>, _>>()
        .map_err(Into::into)
}
