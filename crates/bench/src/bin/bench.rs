//! `bench`: measures the real `ratsdoc` release binary on generated corpora
//! of several sizes and prints the tables of BENCHMARKS.md.
//!
//! Per size N: full build, no-change rebuild, one changed file that keeps
//! what linking reads and one whose title changes (wall time and peak RSS through `/usr/bin/time`, stage split from `report.json`);
//! linking precision/recall against `truth.json` and linking time in process;
//! report-status accuracy through `ratsdoc status --json`; search latency
//! p50/p99 over a fixed query mix through `ratsdoc_index::Searcher`, against
//! `grep -ril` over the same text. Once: the PDF path against pdftotext.
//!
//! Builds run as child processes, one at a time, so each figure is the
//! binary a cron job runs. This is a measurement program, not a test: it
//! asserts nothing and prints what it saw, with the load average beside each
//! figure, because a loaded machine makes timings meaningless.
//!
//! ```text
//! cargo build --release -p ratsdoc -p ratsdoc-bench
//! target/release/bench --sizes 1000,10000,100000 --work /tmp/ratsdoc-bench
//! ```

use rayon::prelude::*;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use anyhow::{Context, bail};
use chrono::NaiveDate;
use clap::Parser;
use ratsdoc_bench::generate::{Params, generate};
use ratsdoc_bench::stats::{Score, percentile, score};
use ratsdoc_bench::truth::Truth;
use ratsdoc_index::{SearchRequest, Searcher, SortOrder};
use ratsdoc_model::{Kind, Links, MotionStatus, Record, RunReport, StatusKind, yaml};
use serde::Serialize;

/// Benchmark ratsdoc at several corpus sizes.
#[derive(Parser)]
struct Args {
    /// Corpus sizes (files), comma-separated.
    #[arg(long, value_delimiter = ',', default_value = "1000,10000,100000")]
    sizes: Vec<usize>,
    /// Generator seed.
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// Working directory for corpora and data directories (never the repo).
    #[arg(long, default_value = "/tmp/ratsdoc-bench")]
    work: PathBuf,
    /// The ratsdoc binary to measure.
    #[arg(long, default_value = "target/release/ratsdoc")]
    ratsdoc: PathBuf,
    /// Papers in the all-PDF corpus of the PDF benchmark (0 skips it).
    #[arg(long, default_value_t = 1000)]
    pdf_papers: usize,
    /// Repetitions of the whole query mix for latency percentiles.
    #[arg(long, default_value_t = 20)]
    search_reps: usize,
    /// Where to write the results as JSON.
    #[arg(long)]
    json: Option<PathBuf>,
    /// Measure one part only, on the corpus and data directory a previous
    /// run left under `--work` (nothing is built): `links` relinks the
    /// records in process and scores against the truth; `search` runs the
    /// query mix. Prints the figures as JSON and writes no results file.
    #[arg(long, value_enum)]
    only: Option<Only>,
}

#[derive(Debug, Clone, Copy, clap::ValueEnum)]
enum Only {
    Links,
    Search,
}

/// The as-of date of the generated truth.
fn as_of() -> NaiveDate {
    ratsdoc_bench::plan::as_of()
}

#[derive(Debug, Clone, Serialize)]
struct Run {
    wall_s: f64,
    peak_rss_mb: f64,
    exit: i32,
    timings: ratsdoc_model::Timings,
    totals: ratsdoc_model::Totals,
    /// 1-minute load average just before the run.
    load_before: f64,
}

#[derive(Debug, Clone, Serialize)]
struct SearchFigures {
    queries: usize,
    samples: usize,
    p50_ms: f64,
    p99_ms: f64,
    max_ms: f64,
    per_class: BTreeMap<String, (f64, f64)>,
    /// Per query: class, text, hits, p50 ms, p99 ms, grep ms.
    per_query: Vec<(String, String, usize, f64, f64, f64)>,
    grep_median_ms: f64,
    grep_total_ms: f64,
    ratsdoc_total_p50_ms: f64,
    errors: usize,
}

#[derive(Debug, Clone, Serialize)]
struct LinkFigures {
    score: Score,
    ambiguous: usize,
    false_positives_by_trap: BTreeMap<String, usize>,
    false_negatives_by_evidence: BTreeMap<String, usize>,
    examples_fp: Vec<String>,
    examples_fn: Vec<String>,
    load_records_ms: f64,
    /// `Essentials::of` over every record (what the build does once per
    /// changed record and keeps in its cache).
    digest_ms: f64,
    /// `link_essentials` and `status_essentials`: what every build run and
    /// every `ratsdoc status` pays.
    link_ms: f64,
    status_ms: f64,
    status_checked: usize,
    status_correct: usize,
    status_confusion: BTreeMap<String, usize>,
    due_checked: usize,
    due_correct: usize,
    /// Why `links.yaml` could not be read back, if so.
    links_yaml_error: Option<String>,
    /// Why `ratsdoc status --json` failed, if so (statuses then in process).
    status_cli_error: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
struct SizeFigures {
    papers: usize,
    corpus_mb: f64,
    data_mb: f64,
    generate_s: Option<f64>,
    full: Run,
    nochange: Run,
    /// A sentence added: the paper keeps what linking reads.
    one_changed: Run,
    /// A title changed: everything is linked and judged again.
    one_retitled: Run,
    link: LinkFigures,
    search: SearchFigures,
}

#[derive(Debug, Clone, Serialize)]
struct PdfFigures {
    files: usize,
    pages: u64,
    mb: f64,
    ratsdoc: Run,
    ratsdoc_pages_per_s: f64,
    pdftotext_wall_s: f64,
    pdftotext_pages_per_s: f64,
    /// ratsdoc time per page / pdftotext time per page.
    ratio: f64,
    /// One long PDF: ratsdoc's extract+parse stage against one pdftotext
    /// process, no process start-up in either figure.
    long_pages: u32,
    long_ratsdoc_s: f64,
    long_pdftotext_s: f64,
    long_ratio: f64,
}

#[derive(Debug, Clone, Serialize)]
struct Results {
    machine: Machine,
    sizes: Vec<SizeFigures>,
    pdf: Option<PdfFigures>,
}

#[derive(Debug, Clone, Serialize)]
struct Machine {
    nproc: usize,
    cpu: String,
    mem_gib: f64,
    quiet_marker: bool,
}

fn loadavg() -> f64 {
    std::fs::read_to_string("/proc/loadavg")
        .ok()
        .and_then(|s| s.split_whitespace().next().and_then(|x| x.parse().ok()))
        .unwrap_or(-1.0)
}

fn machine() -> Machine {
    let cpuinfo = std::fs::read_to_string("/proc/cpuinfo").unwrap_or_default();
    let cpu = cpuinfo
        .lines()
        .find(|l| l.starts_with("model name"))
        .and_then(|l| l.split(':').nth(1))
        .unwrap_or("?")
        .trim()
        .to_string();
    let mem_kb: f64 = std::fs::read_to_string("/proc/meminfo")
        .unwrap_or_default()
        .lines()
        .find(|l| l.starts_with("MemTotal"))
        .and_then(|l| l.split_whitespace().nth(1).and_then(|x| x.parse().ok()))
        .unwrap_or(0.0);
    Machine {
        nproc: std::thread::available_parallelism()
            .map(|n| n.get())
            .unwrap_or(0),
        cpu,
        mem_gib: mem_kb / 1024.0 / 1024.0,
        quiet_marker: Path::new("/tmp/ratsdoc-quiet").exists(),
    }
}

/// A corpus for `params` under `dir`, reused when its truth says it was
/// made with the same parameters.
fn corpus(params: Params, dir: &Path) -> anyhow::Result<(Truth, Option<f64>)> {
    let truth_path = dir.join("truth.json");
    if let Ok(bytes) = std::fs::read(&truth_path)
        && let Ok(truth) = serde_json::from_slice::<Truth>(&bytes)
        && truth.generator == ratsdoc_bench::truth::GENERATOR_VERSION
        && truth.seed == params.seed
        && truth.papers == params.papers
        && (truth.pdf_share - params.pdf_share).abs() < 1e-9
    {
        return Ok((truth, None));
    }
    if dir.exists() {
        std::fs::remove_dir_all(dir).with_context(|| format!("removing {}", dir.display()))?;
    }
    let t = Instant::now();
    let truth = generate(params, dir)?;
    Ok((truth, Some(t.elapsed().as_secs_f64())))
}

/// Runs `ratsdoc build` under `/usr/bin/time` and reads its report.
fn build(ratsdoc: &Path, corpus: &Path, data: &Path) -> anyhow::Result<Run> {
    let load_before = loadavg();
    let t = Instant::now();
    let out = Command::new("/usr/bin/time")
        .args(["-f", "BENCH-TIME %e %M"])
        .arg(ratsdoc)
        .arg("build")
        .arg(corpus)
        .arg("--data")
        .arg(data)
        .args(["--quiet", "--as-of", &as_of().to_string()])
        .output()
        .context("running /usr/bin/time ratsdoc build")?;
    let wall = t.elapsed().as_secs_f64();
    let stderr = String::from_utf8_lossy(&out.stderr);
    let rss_kb: f64 = stderr
        .lines()
        .rev()
        .find_map(|l| l.strip_prefix("BENCH-TIME "))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|x| x.parse().ok())
        .unwrap_or(0.0);
    let exit = out.status.code().unwrap_or(-1);
    if exit > 1 {
        bail!("ratsdoc build failed ({exit}): {stderr}");
    }
    let report: RunReport = serde_json::from_slice(&std::fs::read(data.join("report.json"))?)?;
    Ok(Run {
        wall_s: wall,
        peak_rss_mb: rss_kb / 1024.0,
        exit,
        timings: report.timings,
        totals: report.totals,
        load_before,
    })
}

fn dir_bytes(dir: &Path) -> u64 {
    fn walk(p: &Path, sum: &mut u64) {
        if let Ok(entries) = std::fs::read_dir(p) {
            for e in entries.flatten() {
                match e.metadata() {
                    Ok(m) if m.is_dir() => walk(&e.path(), sum),
                    Ok(m) => *sum += m.len(),
                    Err(_) => {}
                }
            }
        }
    }
    let mut sum = 0;
    walk(dir, &mut sum);
    sum
}

/// Links and statuses against the truth; linking time measured in process
/// on the records the build wrote.
fn check_links(
    ratsdoc: &Path,
    data: &Path,
    truth: &Truth,
    in_process_only: bool,
) -> anyhow::Result<LinkFigures> {
    // Linking alone, in process, on the records of the build: the same pure
    // function the build ran, so its output stands in for links.yaml when
    // that file cannot be read back (see `links_yaml_error`).
    let t = Instant::now();
    let records = load_records(&data.join("records"))?;
    let load_records_ms = t.elapsed().as_secs_f64() * 1e3;
    let t = Instant::now();
    let essentials: Vec<ratsdoc_link::Essentials> = records
        .par_iter()
        .map(ratsdoc_link::Essentials::of)
        .collect();
    let digest_ms = t.elapsed().as_secs_f64() * 1e3;
    let t = Instant::now();
    let relinked = ratsdoc_link::link_essentials(&essentials);
    let link_ms = t.elapsed().as_secs_f64() * 1e3;
    let t = Instant::now();
    let in_process_status = ratsdoc_link::status_essentials(&essentials, &relinked, as_of());
    let status_ms = t.elapsed().as_secs_f64() * 1e3;

    let (links, links_yaml_error) = match std::fs::read_to_string(data.join("links.yaml"))
        .map_err(anyhow::Error::from)
        .and_then(|t| {
            anyhow::ensure!(!in_process_only, "not read (--only links)");
            Ok(t)
        })
        .and_then(|t| yaml::from_str::<Links>(&t).map_err(anyhow::Error::from))
    {
        Ok(l) => (l, None),
        Err(e) => {
            let first = format!("{e:#}").lines().next().unwrap_or("").to_string();
            (relinked.clone(), Some(first))
        }
    };
    let predicted: BTreeSet<(String, String)> = links
        .links
        .iter()
        .map(|l| (l.answer.clone(), l.motion.clone()))
        .collect();
    let expected: BTreeSet<(String, String)> = truth
        .links
        .iter()
        .map(|l| (l.answer.clone(), l.motion.clone()))
        .collect();
    let s = score(&predicted, &expected);
    // A decoy can fool a linker into the motion it imitates or into another
    // one with a similar subject; attribute by the decoy paper.
    let mut trap_of: BTreeMap<&str, &str> = BTreeMap::new();
    for d in &truth.decoys {
        trap_of.entry(d.id.as_str()).or_insert(d.trap.as_str());
    }
    let answers: BTreeSet<&str> = truth.links.iter().map(|l| l.answer.as_str()).collect();
    let mut fp_by_trap = BTreeMap::new();
    let mut examples_fp = Vec::new();
    for (a, m) in predicted.difference(&expected) {
        let trap = match trap_of.get(a.as_str()) {
            Some(t) => *t,
            None if answers.contains(a.as_str()) => "real_answer_wrong_motion",
            None => "unrelated_paper",
        };
        *fp_by_trap.entry(trap.to_string()).or_insert(0) += 1;
        if examples_fp.len() < 8 {
            examples_fp.push(format!("{a} -> {m} ({trap})"));
        }
    }
    let evidence_of: BTreeMap<(&str, &str), &str> = truth
        .links
        .iter()
        .map(|l| ((l.answer.as_str(), l.motion.as_str()), l.evidence.as_str()))
        .collect();
    let mut fn_by_evidence = BTreeMap::new();
    let mut examples_fn = Vec::new();
    for (a, m) in expected.difference(&predicted) {
        let ev = evidence_of
            .get(&(a.as_str(), m.as_str()))
            .copied()
            .unwrap_or("?");
        *fn_by_evidence.entry(ev.to_string()).or_insert(0) += 1;
        if examples_fn.len() < 8 {
            examples_fn.push(format!("{a} -> {m} ({ev})"));
        }
    }

    // Status through the binary, as a clerk's script sees it (with
    // `--only links`, the in-process verdicts of the relink: the data
    // directory's links may be older than the linker under test).
    let out = Command::new(if in_process_only {
        Path::new("false")
    } else {
        ratsdoc
    })
    .arg("status")
    .arg("--data")
    .arg(data)
    .args(["--as-of", &as_of().to_string(), "--json"])
    .output()
    .context("running ratsdoc status")?;
    let status_cli_error = (!out.status.success()).then(|| {
        String::from_utf8_lossy(&out.stderr)
            .lines()
            .next()
            .unwrap_or("")
            .to_string()
    });
    let statuses: Vec<MotionStatus> = if status_cli_error.is_none() {
        serde_json::from_slice(&out.stdout).unwrap_or_default()
    } else {
        in_process_status
    };
    let by_id: BTreeMap<&str, &MotionStatus> =
        statuses.iter().map(|s| (s.id.as_str(), s)).collect();
    let (mut checked, mut correct, mut due_checked, mut due_correct) = (0, 0, 0, 0);
    let mut confusion = BTreeMap::new();
    for m in &truth.motions {
        let got = by_id.get(m.id.as_str());
        if let Some(want) = &m.status {
            checked += 1;
            let got_s = got.map(|g| g.status.as_str()).unwrap_or("missing");
            if got_s == want {
                correct += 1;
            } else {
                *confusion.entry(format!("{want} -> {got_s}")).or_insert(0) += 1;
            }
        }
        if m.due.is_some() {
            due_checked += 1;
            if got.is_some_and(|g| g.due == m.due) {
                due_correct += 1;
            }
        }
    }
    Ok(LinkFigures {
        score: s,
        ambiguous: links.ambiguous.len(),
        false_positives_by_trap: fp_by_trap,
        false_negatives_by_evidence: fn_by_evidence,
        examples_fp,
        examples_fn,
        load_records_ms,
        digest_ms,
        link_ms,
        status_ms,
        status_checked: checked,
        status_correct: correct,
        status_confusion: confusion,
        due_checked,
        due_correct,
        links_yaml_error,
        status_cli_error,
    })
}

fn load_records(dir: &Path) -> anyhow::Result<Vec<Record>> {
    let mut paths: Vec<PathBuf> = std::fs::read_dir(dir)?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
        .collect();
    paths.sort();
    paths
        .par_iter()
        .map(|p| {
            let text = std::fs::read_to_string(p)?;
            yaml::from_str::<Record>(&text).with_context(|| format!("reading {}", p.display()))
        })
        .collect()
}

/// One query of the fixed mix.
struct Query {
    class: &'static str,
    request: SearchRequest,
    /// What a clerk would type into grep for the same need.
    grep: String,
}

fn q(class: &'static str, text: &str) -> Query {
    Query {
        class,
        request: SearchRequest::new(text),
        grep: text.trim_matches('"').to_string(),
    }
}

/// The fixed query mix: words, folded spellings, compound parts, phrases,
/// paper numbers in several spellings, filters. Numbers come from the truth
/// so they exist at every size.
fn query_mix(truth: &Truth) -> Vec<Query> {
    let mut mix = vec![
        q("word", "Kriminalprävention"),
        q("word", "Spielplatz"),
        q("word", "Radverkehrskonzept"),
        q("word", "Haushaltsmittel"),
        q("word", "Turnhalle"),
        q("word", "Kaßberg"),
        q("word", "Kassberg"),
        q("word", "Obdachlosenunterkunft"),
        q("compound", "Prävention"),
        q("compound", "Verkehr"),
        q("compound", "Halle"),
        q("compound", "Garten"),
        q("phrase", "\"Allianz Sichere Sächsische Kommunen\""),
        q("phrase", "\"Zwischenbilanz der Finanzierung\""),
        q("phrase", "\"im Stadtteil Gablenz\""),
        q("phrase", "\"Fördermittel des Freistaates Sachsen\""),
        q("words", "Lärmschutz Zwickauer Straße"),
        q("words", "Sanierung Grundschule Sonnenberg"),
        q("words", "Kosten Schwimmhalle Bernsdorf"),
    ];
    let motions: Vec<&str> = truth.motions.iter().map(|m| m.id.as_str()).collect();
    for (k, id) in motions
        .iter()
        .step_by((motions.len() / 3).max(1))
        .take(3)
        .enumerate()
    {
        let spelled = match k {
            0 => id.to_string(),
            1 => id.replacen('-', " ", 1),
            _ => id.to_lowercase(),
        };
        mix.push(Query {
            class: "number",
            request: SearchRequest::new(&spelled),
            grep: id.to_string(),
        });
    }
    if let Some(link) = truth.links.first() {
        mix.push(Query {
            class: "number",
            request: SearchRequest::new(&link.answer),
            grep: link.answer.clone(),
        });
    }
    let mut filtered = |text: &str, f: &dyn Fn(&mut SearchRequest)| {
        let mut r = SearchRequest::new(text);
        f(&mut r);
        mix.push(Query {
            class: "filter",
            request: r,
            grep: text.to_string(),
        });
    };
    filtered("Radweg", &|r| r.kinds = vec![Kind::Beschlussantrag]);
    filtered("Spielplatz", &|r| r.year = Some(2020));
    filtered("Schule", &|r| r.submitter = Some("CDU-Fraktion".into()));
    filtered("Haushalt", &|r| {
        r.date_from = NaiveDate::from_ymd_opt(2019, 1, 1);
        r.date_to = NaiveDate::from_ymd_opt(2021, 12, 31);
    });
    filtered("Stadtrat", &|r| {
        r.status = Some(StatusKind::Overdue);
        r.sort = SortOrder::DateDesc;
    });
    filtered("Bericht", &|r| {
        r.kinds = vec![Kind::Informationsvorlage, Kind::Beschlussvorlage]
    });
    mix
}

fn search_bench(
    index: &Path,
    corpus: &Path,
    truth: &Truth,
    reps: usize,
) -> anyhow::Result<SearchFigures> {
    let searcher = Searcher::open(index)?;
    let mix = query_mix(truth);
    let mut errors = 0;
    let mut totals = Vec::with_capacity(mix.len());
    // Warm-up: one pass, as a server would have had.
    for query in &mix {
        match searcher.search(&query.request) {
            Ok(r) => totals.push(r.total),
            Err(_) => {
                errors += 1;
                totals.push(0);
            }
        }
    }
    let mut all = Vec::new();
    let mut per_query: Vec<Vec<f64>> = vec![Vec::new(); mix.len()];
    for _ in 0..reps {
        for (i, query) in mix.iter().enumerate() {
            let t = Instant::now();
            let result = searcher.search(&query.request);
            let ms = t.elapsed().as_secs_f64() * 1e3;
            if result.is_err() {
                errors += 1;
            }
            all.push(ms);
            per_query[i].push(ms);
        }
    }
    let mut per_class: BTreeMap<String, Vec<f64>> = BTreeMap::new();
    for (i, query) in mix.iter().enumerate() {
        per_class
            .entry(query.class.to_string())
            .or_default()
            .extend(&per_query[i]);
    }
    // The clerk's baseline: grep -ril over the text files, once per query
    // (after one warm-up run so both sides read from the page cache).
    let mut grep_ms = Vec::new();
    for query in &mix {
        let run = || -> anyhow::Result<f64> {
            let t = Instant::now();
            Command::new("grep")
                .args(["-ril", "-F", "--include=*.txt", "--include=*.md", "--"])
                .arg(&query.grep)
                .arg(corpus)
                .stdout(std::process::Stdio::null())
                .status()?;
            Ok(t.elapsed().as_secs_f64() * 1e3)
        };
        run()?;
        grep_ms.push(run()?);
    }
    let ratsdoc_total: f64 = per_query.iter().map(|v| percentile(v, 50.0)).sum();
    let listing = mix
        .iter()
        .enumerate()
        .map(|(i, query)| {
            let text = format!(
                "{}{}",
                query.request.text,
                if query.class == "filter" {
                    " +filter"
                } else {
                    ""
                }
            );
            (
                query.class.to_string(),
                text,
                totals[i],
                percentile(&per_query[i], 50.0),
                percentile(&per_query[i], 99.0),
                grep_ms[i],
            )
        })
        .collect();
    Ok(SearchFigures {
        queries: mix.len(),
        samples: all.len(),
        p50_ms: percentile(&all, 50.0),
        p99_ms: percentile(&all, 99.0),
        max_ms: percentile(&all, 100.0),
        per_class: per_class
            .into_iter()
            .map(|(k, v)| (k, (percentile(&v, 50.0), percentile(&v, 99.0))))
            .collect(),
        per_query: listing,
        grep_median_ms: percentile(&grep_ms, 50.0),
        grep_total_ms: grep_ms.iter().sum(),
        ratsdoc_total_p50_ms: ratsdoc_total,
        errors,
    })
}

/// Appends a sentence to one text motion and rebuilds; then restores it.
/// Nothing linking reads changes, so the run keeps links and verdicts.
fn one_changed(ratsdoc: &Path, corpus: &Path, data: &Path, truth: &Truth) -> anyhow::Result<Run> {
    edit_one_motion(ratsdoc, corpus, data, truth, |text, _| {
        let mut changed = text.to_vec();
        changed.extend_from_slice(
            "\nErgänzung: Die Einreicher bitten um Beachtung der Stellungnahme des Seniorenbeirates.\n"
                .as_bytes(),
        );
        Some(changed)
    })
}

/// Changes the title of one text motion and rebuilds; then restores it.
/// The run links and judges every paper again.
fn one_retitled(ratsdoc: &Path, corpus: &Path, data: &Path, truth: &Truth) -> anyhow::Result<Run> {
    edit_one_motion(ratsdoc, corpus, data, truth, |text, title| {
        let text = std::str::from_utf8(text).ok()?;
        text.contains(title).then(|| {
            text.replacen(title, &format!("{title} (zweite Fassung)"), 1)
                .into_bytes()
        })
    })
}

/// Applies `edit` (text and title in, new text out) to the first text
/// motion it accepts, rebuilds, restores the file and rebuilds again.
fn edit_one_motion(
    ratsdoc: &Path,
    corpus: &Path,
    data: &Path,
    truth: &Truth,
    edit: impl Fn(&[u8], &str) -> Option<Vec<u8>>,
) -> anyhow::Result<Run> {
    let titles: HashMap<&str, &str> = truth
        .motions
        .iter()
        .map(|m| (m.id.as_str(), m.title.as_str()))
        .collect();
    let (path, original, changed) = truth
        .files
        .iter()
        .filter(|f| f.kind == "beschlussantrag" && f.format == "txt")
        .find_map(|f| {
            let title = titles.get(f.id.as_deref()?)?;
            let path = corpus.join(&f.path);
            let original = std::fs::read(&path).ok()?;
            let changed = edit(&original, title)?;
            Some((path, original, changed))
        })
        .context("no text motion to change")?;
    std::fs::write(&path, &changed)?;
    let run = build(ratsdoc, corpus, data);
    std::fs::write(&path, &original)?;
    let run = run?;
    build(ratsdoc, corpus, data)?; // back to the truth's state
    Ok(run)
}

fn measure_size(args: &Args, n: usize) -> anyhow::Result<SizeFigures> {
    let base = args.work.join(n.to_string());
    let corpus_dir = base.join("corpus");
    let data = base.join("data");
    eprintln!("bench: N={n}: corpus");
    let (truth, generate_s) = corpus(
        Params {
            papers: n,
            seed: args.seed,
            pdf_share: 0.0,
        },
        &corpus_dir,
    )?;
    set_aside(&args.work, &data)?;
    eprintln!("bench: N={n}: full build");
    let full = build(&args.ratsdoc, &corpus_dir, &data)?;
    eprintln!("bench: N={n}: full {:.1} s; no-change rebuild", full.wall_s);
    let nochange = build(&args.ratsdoc, &corpus_dir, &data)?;
    eprintln!(
        "bench: N={n}: no-change {:.2} s; one changed file",
        nochange.wall_s
    );
    let one = one_changed(&args.ratsdoc, &corpus_dir, &data, &truth)?;
    eprintln!(
        "bench: N={n}: one changed {:.2} s; one retitled",
        one.wall_s
    );
    let retitled = one_retitled(&args.ratsdoc, &corpus_dir, &data, &truth)?;
    eprintln!("bench: N={n}: one retitled {:.2} s; links", retitled.wall_s);
    let link = check_links(&args.ratsdoc, &data, &truth, false)?;
    eprintln!("bench: N={n}: search");
    let search = search_bench(&data.join("index"), &corpus_dir, &truth, args.search_reps)?;
    Ok(SizeFigures {
        papers: n,
        corpus_mb: truth.files.iter().map(|f| f.bytes).sum::<u64>() as f64 / 1e6,
        data_mb: dir_bytes(&data) as f64 / 1e6,
        generate_s,
        full,
        nochange,
        one_changed: one,
        one_retitled: retitled,
        link,
        search,
    })
}

/// Moves an earlier data directory out of the way instead of deleting it:
/// ext4 avoids reusing inodes freed in the last minutes
/// (`recently_deleted`), so creating 100,000 record files right after
/// deleting 100,000 others doubled a full build's time (45 s of system
/// time). The set-aside directories are deleted when the bench ends.
fn set_aside(work: &Path, data: &Path) -> anyhow::Result<()> {
    if data.exists() {
        let trash = work.join("trash");
        std::fs::create_dir_all(&trash)?;
        let stamp = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos());
        std::fs::rename(data, trash.join(format!("data-{stamp}")))
            .with_context(|| format!("moving {} aside", data.display()))?;
    }
    Ok(())
}

/// `--only`: one part on what an earlier run left, for quick iterations.
fn measure_only(args: &Args, only: Only) -> anyhow::Result<()> {
    for &n in &args.sizes {
        let base = args.work.join(n.to_string());
        let corpus_dir = base.join("corpus");
        let data = base.join("data");
        let truth: Truth =
            serde_json::from_slice(&std::fs::read(corpus_dir.join("truth.json")).with_context(
                || format!("no corpus under {} (run the bench once)", base.display()),
            )?)?;
        let figures = match only {
            Only::Links => serde_json::to_value(check_links(&args.ratsdoc, &data, &truth, true)?)?,
            Only::Search => serde_json::to_value(search_bench(
                &data.join("index"),
                &corpus_dir,
                &truth,
                args.search_reps,
            )?)?,
        };
        println!(
            "{}",
            serde_json::to_string_pretty(&serde_json::json!({ "papers": n, "figures": figures }))?
        );
    }
    Ok(())
}

fn measure_pdf(args: &Args) -> anyhow::Result<PdfFigures> {
    let base = args.work.join(format!("pdf-{}", args.pdf_papers));
    let corpus_dir = base.join("corpus");
    let data = base.join("data");
    let (truth, _) = corpus(
        Params {
            papers: args.pdf_papers,
            seed: args.seed,
            pdf_share: 1.0,
        },
        &corpus_dir,
    )?;
    set_aside(&args.work, &data)?;
    let pages: u64 = truth
        .files
        .iter()
        .filter_map(|f| f.pages)
        .map(u64::from)
        .sum();
    let mb = truth.files.iter().map(|f| f.bytes).sum::<u64>() as f64 / 1e6;
    eprintln!(
        "bench: PDF: ratsdoc build of {} files, {pages} pages",
        truth.files.len()
    );
    let run = build(&args.ratsdoc, &corpus_dir, &data)?;
    // pdftotext on the same files, two at a time (all cores), one process
    // per file as a clerk's script would run it.
    eprintln!("bench: PDF: pdftotext");
    let t = Instant::now();
    let status = Command::new("sh")
        .arg("-c")
        .arg(
            "find \"$1\" -name '*.pdf' -print0 | xargs -0 -P \"$2\" -I{} pdftotext -q {} /dev/null",
        )
        .arg("sh")
        .arg(&corpus_dir)
        .arg(
            std::thread::available_parallelism()
                .map(|n| n.get())
                .unwrap_or(2)
                .to_string(),
        )
        .status()?;
    let pdftotext_wall = t.elapsed().as_secs_f64();
    if !status.success() {
        bail!("pdftotext run failed");
    }
    let ratsdoc_s = run.timings.extract_parse_ms as f64 / 1e3;

    // One long PDF, per page, without process start-up.
    let long_dir = args.work.join("pdf-long");
    let long = long_dir.join("corpus").join("sammelband.pdf");
    let long_data = long_dir.join("data");
    let _ = std::fs::remove_dir_all(&long_dir);
    let long_pages = ratsdoc_bench::generate::long_pdf(args.seed, 120, &long)?;
    eprintln!("bench: PDF: one file of {long_pages} pages");
    let long_run = build(&args.ratsdoc, &long_dir.join("corpus"), &long_data)?;
    let mut best = f64::MAX;
    for _ in 0..3 {
        let t = Instant::now();
        Command::new("pdftotext")
            .arg("-q")
            .arg(&long)
            .arg("/dev/null")
            .status()?;
        best = best.min(t.elapsed().as_secs_f64());
    }
    let long_ratsdoc_s = long_run.timings.extract_parse_ms as f64 / 1e3;
    Ok(PdfFigures {
        long_pages,
        long_ratsdoc_s,
        long_pdftotext_s: best,
        long_ratio: long_ratsdoc_s / best.max(1e-9),
        files: truth.files.len(),
        pages,
        mb,
        ratsdoc_pages_per_s: pages as f64 / ratsdoc_s.max(1e-9),
        pdftotext_wall_s: pdftotext_wall,
        pdftotext_pages_per_s: pages as f64 / pdftotext_wall.max(1e-9),
        ratio: ratsdoc_s / pdftotext_wall.max(1e-9),
        ratsdoc: run,
    })
}

fn print_markdown(r: &Results) {
    let m = &r.machine;
    println!(
        "Machine: {} cores, {:.0} GiB, {}; quiet marker: {}\n",
        m.nproc, m.mem_gib, m.cpu, m.quiet_marker
    );
    for s in &r.sizes {
        let f = &s.full;
        let t = &f.timings;
        println!(
            "### N = {} ({:.0} MB of text, data dir {:.0} MB)\n",
            s.papers, s.corpus_mb, s.data_mb
        );
        println!("| measure | figure | load avg before |");
        println!("|---|---|---|");
        println!(
            "| full build | {:.1} s wall, {:.0} papers/s, {:.1} MB/s, peak RSS {:.0} MB | {:.2} |",
            f.wall_s,
            s.papers as f64 / f.wall_s,
            s.corpus_mb / f.wall_s,
            f.peak_rss_mb,
            f.load_before
        );
        println!(
            "| — stages (report.json) | scan {} ms · extract+parse {} ms · write {} ms · link {} ms · index {} ms (total {} ms) | |",
            t.scan_ms, t.extract_parse_ms, t.write_ms, t.link_ms, t.index_ms, t.total_ms
        );
        let n = &s.nochange;
        println!(
            "| no-change rebuild | {:.2} s wall, peak RSS {:.0} MB (scan {} · extract {} · write {} · link {} · index {} ms) | {:.2} |",
            n.wall_s,
            n.peak_rss_mb,
            n.timings.scan_ms,
            n.timings.extract_parse_ms,
            n.timings.write_ms,
            n.timings.link_ms,
            n.timings.index_ms,
            n.load_before
        );
        for (what, o) in [
            ("one changed file (links kept)", &s.one_changed),
            ("one changed title (all linked again)", &s.one_retitled),
        ] {
            println!(
                "| {what} | {:.2} s wall (scan {} · extract {} · write {} · link {} · index+commit {} ms) | {:.2} |",
                o.wall_s,
                o.timings.scan_ms,
                o.timings.extract_parse_ms,
                o.timings.write_ms,
                o.timings.link_ms,
                o.timings.index_ms,
                o.load_before
            );
        }
        let se = &s.search;
        println!(
            "| search ({} queries × reps, {} samples) | p50 {:.2} ms · p99 {:.2} ms · max {:.2} ms; errors {} | |",
            se.queries, se.samples, se.p50_ms, se.p99_ms, se.max_ms, se.errors
        );
        let classes: Vec<String> = se
            .per_class
            .iter()
            .map(|(k, (a, b))| format!("{k} {a:.2}/{b:.2}"))
            .collect();
        println!("| — per class p50/p99 ms | {} | |", classes.join(" · "));
        println!(
            "| grep -ril baseline | median {:.1} ms per query; whole mix {:.0} ms vs ratsdoc {:.1} ms → ratio {:.0}× | |",
            se.grep_median_ms,
            se.grep_total_ms,
            se.ratsdoc_total_p50_ms,
            se.grep_total_ms / se.ratsdoc_total_p50_ms.max(1e-9)
        );
        let l = &s.link;
        let _ = &se.per_query;
        println!(
            "| linking | precision {:.4} · recall {:.4} (tp {} fp {} fn {}, ambiguous {}) | |",
            l.score.precision,
            l.score.recall,
            l.score.true_positives,
            l.score.false_positives,
            l.score.false_negatives,
            l.ambiguous
        );
        println!(
            "| — linking time in process | link_essentials {:.0} ms · status_essentials {:.0} ms (digest {:.0} ms; loading {} records' YAML {:.0} ms) | |",
            l.link_ms,
            l.status_ms,
            l.digest_ms,
            s.full.totals.records + s.full.totals.other,
            l.load_records_ms
        );
        println!(
            "| — status accuracy | {}/{} verdicts · due dates {}/{} | |",
            l.status_correct, l.status_checked, l.due_correct, l.due_checked
        );
        println!();
        if let Some(e) = &l.links_yaml_error {
            println!(
                "**links.yaml could not be read back** (scored the in-process relink instead): {e}\n"
            );
        }
        if let Some(e) = &l.status_cli_error {
            println!(
                "**`ratsdoc status --json` failed** (statuses computed in process instead): {e}\n"
            );
        }
        println!(
            "<details><summary>Search latency per query (N = {})</summary>\n",
            s.papers
        );
        println!("| class | query | hits | p50 ms | p99 ms | grep -ril ms |");
        println!("|---|---|---|---|---|---|");
        for (class, text, hits, p50, p99, grep) in &se.per_query {
            println!("| {class} | `{text}` | {hits} | {p50:.2} | {p99:.2} | {grep:.1} |");
        }
        println!("\n</details>\n");
        if !l.false_positives_by_trap.is_empty() || !l.false_negatives_by_evidence.is_empty() {
            println!(
                "False positives by trap: {:?}; false negatives by evidence: {:?}",
                l.false_positives_by_trap, l.false_negatives_by_evidence
            );
            println!("Examples FP: {:?}", l.examples_fp);
            println!("Examples FN: {:?}", l.examples_fn);
            println!("Status confusion: {:?}\n", l.status_confusion);
        }
    }
    if let Some(p) = &r.pdf {
        println!(
            "### PDF path ({} files, {} pages, {:.1} MB)\n",
            p.files, p.pages, p.mb
        );
        println!("| tool | wall | pages/s |");
        println!("|---|---|---|");
        println!(
            "| ratsdoc build (extract+parse stage) | {:.2} s (whole build {:.2} s, peak RSS {:.0} MB, load {:.2}) | {:.0} |",
            p.ratsdoc.timings.extract_parse_ms as f64 / 1e3,
            p.ratsdoc.wall_s,
            p.ratsdoc.peak_rss_mb,
            p.ratsdoc.load_before,
            p.ratsdoc_pages_per_s
        );
        println!(
            "| pdftotext (xargs -P nproc) | {:.2} s | {:.0} |",
            p.pdftotext_wall_s, p.pdftotext_pages_per_s
        );
        println!(
            "| one PDF of {} pages: ratsdoc extract+parse | {:.2} s | {:.0} |",
            p.long_pages,
            p.long_ratsdoc_s,
            p.long_pages as f64 / p.long_ratsdoc_s.max(1e-9)
        );
        println!(
            "| one PDF of {} pages: pdftotext (best of 3) | {:.2} s | {:.0} |",
            p.long_pages,
            p.long_pdftotext_s,
            p.long_pages as f64 / p.long_pdftotext_s.max(1e-9)
        );
        println!(
            "\nratio ratsdoc/pdftotext time per page: corpus {:.2}×, one long PDF {:.2}×\n",
            p.ratio, p.long_ratio
        );
    }
}

fn main() -> anyhow::Result<()> {
    let args = Args::parse();
    anyhow::ensure!(
        args.ratsdoc.exists(),
        "no ratsdoc binary at {} (cargo build --release -p ratsdoc)",
        args.ratsdoc.display()
    );
    std::fs::create_dir_all(&args.work)?;
    if let Some(only) = args.only {
        return measure_only(&args, only);
    }
    let mut results = Results {
        machine: machine(),
        sizes: Vec::new(),
        pdf: None,
    };
    for &n in &args.sizes {
        results.sizes.push(measure_size(&args, n)?);
    }
    if args.pdf_papers > 0 {
        results.pdf = Some(measure_pdf(&args)?);
    }
    print_markdown(&results);
    let _ = std::fs::remove_dir_all(args.work.join("trash"));
    let json_path = args
        .json
        .clone()
        .unwrap_or_else(|| args.work.join("results.json"));
    std::fs::write(&json_path, serde_json::to_vec_pretty(&results)?)?;
    eprintln!("bench: results in {}", json_path.display());
    Ok(())
}
