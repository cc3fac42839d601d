//! `oparl-text-eval`: how well a council profile reads a council's papers
//! from their text alone, measured against the RIS's own metadata.
//!
//! ```text
//! cargo run --release -p ratsdoc-bench --bin oparl-text-eval -- \
//!     --papers /tmp/ka/docs/papers --texts /tmp/ka/docs/file-contents --council karlsruhe
//! ```
//!
//! For every paper not marked deleted, the file that is the paper itself is
//! picked as `ratsdoc build` picks it from a synced folder (the roles of
//! `ratsdoc_oparl`: by the file's name, else by its first words, else the
//! first readable file neither places), its text goes through the `.txt`
//! extractor and the parser with the profile, and the record's kind and id
//! are compared with `paperType` (mapped by `kind_of_paper_type`) and
//! `reference`. Prints one line per figure, overall and per reference
//! shape (digits as 9), and with `--show N` the first N misses of each.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use anyhow::Context;
use clap::Parser;
use ratsdoc_extract::{Extractor, ExtractorConfig};
use ratsdoc_model::{FileRole, Kind, Source, SourceFormat};
use ratsdoc_oparl::{kind_of_paper_type, role_by_name, role_by_text};
use ratsdoc_parse::Profile;
use rayon::prelude::*;
use serde_json::Value;

/// Measure a council profile on papers' texts against their metadata.
#[derive(Parser)]
struct Args {
    /// Folder of OParl Paper objects, one JSON file per paper.
    #[arg(long)]
    papers: PathBuf,
    /// Folder of the files' texts, `<file id>.txt` (the last path segment
    /// of the File's id).
    #[arg(long)]
    texts: PathBuf,
    /// Council profile: a built-in name or a .toml file.
    #[arg(long, default_value = "chemnitz")]
    council: String,
    /// Print this many misses of kind and of number.
    #[arg(long, default_value_t = 0)]
    show: usize,
}

/// One paper's outcome.
struct Outcome {
    shape: String,
    reference: String,
    want_kind: Kind,
    got_kind: Option<Kind>,
    got_id: Option<String>,
    file: Option<String>,
    /// Whether the file prints the reference at all (white space
    /// squashed): a number that is not printed cannot be read.
    printed: bool,
}

#[derive(Default)]
struct Tally {
    papers: usize,
    with_text: usize,
    kind: usize,
    number: usize,
}

fn main() -> anyhow::Result<()> {
    let args = Args::parse();
    let profile = Profile::load(&args.council)?;
    let extractor = Extractor::new(ExtractorConfig {
        worker_exe: None,
        worker_args: Vec::new(),
        workers: 1,
        timeout: std::time::Duration::from_secs(1),
        memory_limit: 0,
    });
    let mut files: Vec<PathBuf> = std::fs::read_dir(&args.papers)
        .with_context(|| format!("reading {}", args.papers.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    files.sort();
    let outcomes: Vec<Outcome> = files
        .par_iter()
        .filter_map(|path| {
            let paper: Value = serde_json::from_slice(&std::fs::read(path).ok()?).ok()?;
            if paper.get("deleted").and_then(Value::as_bool) == Some(true) {
                return None;
            }
            Some(measure(&paper, &args.texts, &extractor, &profile))
        })
        .collect();
    report(&outcomes, args.show);
    Ok(())
}

fn squash(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The reference's shape: digits as 9 ("2021/1342" → "9999/9999").
fn shape(reference: &str) -> String {
    reference
        .chars()
        .map(|c| if c.is_ascii_digit() { '9' } else { c })
        .collect()
}

fn measure(paper: &Value, texts: &Path, extractor: &Extractor, profile: &Profile) -> Outcome {
    let reference = squash(paper.get("reference").and_then(Value::as_str).unwrap_or(""));
    let want_kind = kind_of_paper_type(paper.get("paperType").and_then(Value::as_str));
    let mut outcome = Outcome {
        shape: shape(&reference),
        reference,
        want_kind,
        got_kind: None,
        got_id: None,
        file: None,
        printed: false,
    };
    let Some((name, id, text)) = paper_file(paper, texts) else {
        return outcome;
    };
    let Ok(extracted) = extractor.extract(Path::new(&id), text.as_bytes(), SourceFormat::Txt)
    else {
        return outcome;
    };
    let source = Source {
        path: format!("{id}.txt"),
        format: SourceFormat::Txt,
        hash: id.clone(),
        pages: None,
        extractor: None,
        encoding: None,
    };
    outcome.printed = squash(&extracted.text).contains(&outcome.reference);
    let record = ratsdoc_parse::parse_with(&extracted.text, source, profile);
    outcome.got_kind = Some(record.kind);
    outcome.got_id = Some(record.id);
    outcome.file = Some(format!("{name} ({id})"));
    outcome
}

/// The file that is the paper itself, as a synced folder's roles pick it:
/// name, then text, then the first readable file nothing places.
fn paper_file(paper: &Value, texts: &Path) -> Option<(String, String, String)> {
    let listed = paper
        .get("auxiliaryFile")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    let mut files: Vec<(String, String, Option<String>, Option<FileRole>)> = listed
        .iter()
        .map(|f| {
            let name = squash(f.get("name").and_then(Value::as_str).unwrap_or(""));
            let id = f
                .get("id")
                .and_then(Value::as_str)
                .and_then(|u| u.rsplit('/').next())
                .unwrap_or("")
                .to_string();
            let text = (!id.is_empty())
                .then(|| std::fs::read_to_string(texts.join(format!("{id}.txt"))).ok())
                .flatten();
            let role = role_by_name(&name).or_else(|| text.as_deref().and_then(role_by_text));
            (name, id, text, role)
        })
        .collect();
    let pick = files
        .iter()
        .position(|f| f.3 == Some(FileRole::Paper) && f.2.is_some())
        .or_else(|| files.iter().position(|f| f.3.is_none() && f.2.is_some()))
        .or_else(|| {
            files
                .iter()
                .position(|f| f.2.is_some() && f.3 != Some(FileRole::Minutes))
        })?;
    let (name, id, text, _) = files.swap_remove(pick);
    Some((name, id, text?))
}

fn report(outcomes: &[Outcome], show: usize) {
    let mut by_shape: BTreeMap<&str, Tally> = BTreeMap::new();
    let mut all = Tally::default();
    let mut printed = Tally::default();
    for o in outcomes {
        let hit_kind = o.got_kind == Some(o.want_kind);
        let hit_number = o.got_id.as_deref() == Some(o.reference.as_str());
        for t in [&mut all, by_shape.entry(o.shape.as_str()).or_default()] {
            t.papers += 1;
            t.with_text += usize::from(o.got_kind.is_some());
            t.kind += usize::from(hit_kind);
            t.number += usize::from(hit_number);
        }
        if o.printed {
            printed.papers += 1;
            printed.with_text += 1;
            printed.kind += usize::from(hit_kind);
            printed.number += usize::from(hit_number);
        }
    }
    let line = |label: &str, t: &Tally| {
        let pct = |n: usize| 100.0 * n as f64 / t.papers.max(1) as f64;
        println!(
            "{label}: {} papers, {} with a text; kind {} = {:.1} %, number {} = {:.1} %",
            t.papers,
            t.with_text,
            t.kind,
            pct(t.kind),
            t.number,
            pct(t.number)
        );
    };
    line("all", &all);
    line("reference printed in the paper's file", &printed);
    for (shape, t) in &by_shape {
        line(&format!("  reference {shape}"), t);
    }
    let kinds = outcomes
        .iter()
        .filter(|o| o.got_kind.is_some() && o.got_kind != Some(o.want_kind));
    for o in kinds.take(show) {
        println!(
            "kind miss: {} want {} got {:?} in {}",
            o.reference,
            o.want_kind.as_str(),
            o.got_kind.map(Kind::as_str),
            o.file.as_deref().unwrap_or("-")
        );
    }
    let numbers = outcomes
        .iter()
        .filter(|o| o.got_id.is_some() && o.got_id.as_deref() != Some(o.reference.as_str()));
    for o in numbers.take(show) {
        println!(
            "number miss: {} got {} in {}",
            o.reference,
            o.got_id.as_deref().unwrap_or("-"),
            o.file.as_deref().unwrap_or("-")
        );
    }
}
