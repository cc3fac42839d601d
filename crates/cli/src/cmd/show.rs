//! `ratsdoc show <ID> --data <DIR>`: one record, with the links that point to
//! it and from it, and its report status.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context, bail};
use ratsdoc_model::{Kind, PaperNumber, yaml};
use ratsdoc_store::DataDir;

use crate::terminal::{self, safe};

#[derive(clap::Args)]
pub struct ShowArgs {
    /// The paper number in any spelling (`BA-044/2020`, `BA 44/2020`), or a
    /// record id.
    pub id: String,
    /// The data directory.
    #[arg(long, value_name = "DIR")]
    pub data: PathBuf,
    /// Print the record and its links as JSON.
    #[arg(long)]
    pub json: bool,
}

pub fn run(args: ShowArgs) -> anyhow::Result<ExitCode> {
    let data = DataDir::new(&args.data);
    let id = args
        .id
        .parse::<PaperNumber>()
        .map(|n| n.to_string())
        .unwrap_or_else(|_| args.id.trim().to_string());
    let Some(record) = data.load_record(&id)? else {
        bail!("no paper {id} in {}", args.data.display());
    };
    let (papers, links) = data.load_link_state()?;
    let answered_by: Vec<_> = links
        .links
        .iter()
        .filter(|l| l.motion == record.id)
        .collect();
    let answers: Vec<_> = links
        .links
        .iter()
        .filter(|l| l.answer == record.id)
        .collect();
    let ambiguous: Vec<_> = links
        .ambiguous
        .iter()
        .filter(|u| u.answer == record.id)
        .collect();
    let amendments: Vec<_> = links
        .amendments
        .iter()
        .filter(|a| a.amendment == record.id || a.amended == record.id)
        .collect();
    let related: Vec<_> = links
        .related
        .iter()
        .filter(|r| r.from == record.id || r.to == record.id)
        .collect();
    let status = if record.kind == Kind::Beschlussantrag {
        let today = chrono::Local::now().date_naive();
        ratsdoc_link::status_essentials(&papers, &links, today)
            .into_iter()
            .find(|s| s.id == record.id)
    } else {
        None
    };
    if args.json {
        let value = serde_json::json!({
            "record": record,
            "answered_by": answered_by,
            "answers": answers,
            "ambiguous": ambiguous,
            "amendments": amendments,
            "related": related,
            "status": status,
        });
        terminal::write_json(&mut std::io::stdout().lock(), &value, true)?;
        return Ok(ExitCode::SUCCESS);
    }
    print!(
        "{}",
        safe(&yaml::to_string(&record).context("cannot print the record")?)
    );
    if !answered_by.is_empty()
        || !answers.is_empty()
        || !ambiguous.is_empty()
        || !amendments.is_empty()
        || !related.is_empty()
    {
        println!("links:");
    }
    for l in &answered_by {
        println!("  answered_by: {} (score {:.2})", safe(&l.answer), l.score);
        for e in &l.evidence {
            println!("    - {}: {}", safe(&e.rule), safe(&e.detail));
        }
    }
    for l in &answers {
        println!("  answers: {} (score {:.2})", safe(&l.motion), l.score);
        for e in &l.evidence {
            println!("    - {}: {}", safe(&e.rule), safe(&e.detail));
        }
    }
    for u in &ambiguous {
        let names: Vec<&str> = u.candidates.iter().map(|c| c.motion.as_str()).collect();
        println!(
            "  ambiguous: {} ({})",
            safe(&names.join(", ")),
            safe(&u.reason)
        );
    }
    for a in &amendments {
        if a.amended == record.id {
            println!("  amended_by: {}", safe(&a.amendment));
        } else {
            println!("  amends: {}", safe(&a.amended));
        }
        for e in &a.evidence {
            println!("    - {}: {}", safe(&e.rule), safe(&e.detail));
        }
    }
    for r in &related {
        let other = if r.from == record.id { &r.to } else { &r.from };
        println!("  related: {}", safe(other));
        for e in &r.evidence {
            println!("    - {}: {}", safe(&e.rule), safe(&e.detail));
        }
    }
    if let Some(s) = status {
        println!(
            "report_status: {} ({})",
            s.status.as_str(),
            s.status.german()
        );
        for e in &s.evidence {
            println!("  - {}", safe(e));
        }
    }
    Ok(ExitCode::SUCCESS)
}
