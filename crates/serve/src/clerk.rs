//! The clerk's table: which motions asked for a report, and where each
//! report stands. One selection ([`select`]) feeds the `/status` page, its
//! CSV download and `/api/status`, so the three always agree.

use std::collections::BTreeSet;

use ratsdoc_model::{MotionStatus, PaperNumber, StatusKind};

use crate::params::StatusParams;
use crate::snapshot::{RowFacts, Snapshot, StatusTable, has_request, paper_year};

/// Which rows the page, the CSV or the API shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// Only motions that requested a report (the clerk's page and its CSV),
    /// unless the status filter asks for "no report requested" itself.
    Requested,
    /// Every motion, as `ratsdoc status --json` prints them.
    All,
}

/// The filtered rows: in the urgency order for [`Scope::Requested`]
/// (overdue first), in id order (the CLI's) for [`Scope::All`].
pub fn select<'a>(
    table: &'a StatusTable,
    snapshot: &Snapshot,
    p: &StatusParams,
    scope: Scope,
) -> Vec<&'a MotionStatus> {
    let id = p.id.as_deref().map(canonical);
    let faction = p.faction.as_deref().map(str::to_lowercase);
    let facts = facts(table, snapshot);
    let all: Box<dyn Iterator<Item = (usize, &MotionStatus)>> = match scope {
        Scope::Requested => Box::new(table.by_urgency()),
        Scope::All => Box::new(table.list.iter().enumerate()),
    };
    all.filter(|(_, s)| match (scope, p.status) {
        (_, Some(wanted)) => s.status == wanted,
        (Scope::Requested, None) => has_request(s),
        (Scope::All, None) => true,
    })
    .filter(|(_, s)| id.as_deref().is_none_or(|id| s.id == id))
    .filter(|(i, _)| {
        faction.as_deref().is_none_or(|f| {
            facts[*i]
                .submitters_lower
                .iter()
                .any(|name| name.contains(f))
        })
    })
    .filter(|(i, _)| p.year.is_none_or(|y| facts[*i].year == Some(y)))
    .filter(|(_, s)| p.due_within.is_none_or(|days| s.due_within(days)))
    .map(|(_, s)| s)
    .collect()
}

/// Year and lower-case submitters of every row, computed once per table.
fn facts<'t>(table: &'t StatusTable, snapshot: &Snapshot) -> &'t [RowFacts] {
    table.facts.get_or_init(|| {
        table
            .list
            .iter()
            .map(|s| {
                let date = snapshot.counts_from(&s.id);
                RowFacts {
                    year: paper_year(&s.id, date),
                    submitters_lower: s.submitters.iter().map(|n| n.to_lowercase()).collect(),
                }
            })
            .collect()
    })
}

/// The choices of the filter form: every submitter and every year among the
/// motions with a requested report, sorted; computed once per table.
pub fn choices<'t>(table: &'t StatusTable, snapshot: &Snapshot) -> &'t (Vec<String>, Vec<i32>) {
    table.choices.get_or_init(|| {
        let mut factions = BTreeSet::new();
        let mut years = BTreeSet::new();
        let facts = facts(table, snapshot);
        for (i, s) in table
            .list
            .iter()
            .enumerate()
            .filter(|(_, s)| has_request(s))
        {
            factions.extend(s.submitters.iter().cloned());
            years.extend(facts[i].year);
        }
        (
            factions.into_iter().collect(),
            years.into_iter().rev().collect(),
        )
    })
}

/// Counts per status among `rows`, in a fixed order, for the summary line.
pub fn counts(rows: &[&MotionStatus]) -> Vec<(StatusKind, usize)> {
    StatusKind::BY_URGENCY
        .into_iter()
        .map(|k| (k, rows.iter().filter(|s| s.status == k).count()))
        .filter(|(_, n)| *n > 0)
        .collect()
}

fn canonical(id: &str) -> String {
    id.parse::<PaperNumber>()
        .map(|n| n.to_string())
        .unwrap_or_else(|_| id.trim().to_string())
}

/// The table as CSV for a spreadsheet: `;`-separated (German spreadsheet
/// programs expect it), every field quoted, a UTF-8 byte order mark so
/// umlauts open correctly. Cells from paper text that begin with `=`, `+`,
/// `-` or `@` get a leading `'`, so no title can become a formula.
pub fn csv(rows: &[&MotionStatus]) -> String {
    let mut out = String::from("\u{feff}");
    let header = [
        "Antrag",
        "Gegenstand",
        "Einreicher",
        "Frist",
        "Formulierung",
        "Status",
        "Status (Schlüssel)",
        "Tage",
        "beantwortet durch",
        "beantwortet am",
        "Stand",
        "Begründung",
    ];
    line(&mut out, header.iter().map(|h| h.to_string()));
    for s in rows {
        line(
            &mut out,
            [
                s.id.clone(),
                text_cell(&s.title),
                text_cell(&s.submitters.join("; ")),
                s.due.map(|d| d.to_string()).unwrap_or_default(),
                text_cell(s.phrase.as_deref().unwrap_or_default()),
                s.status.german().to_string(),
                s.status.as_str().to_string(),
                s.days.map(|d| d.to_string()).unwrap_or_default(),
                s.answered_by.clone().unwrap_or_default(),
                s.answered_on.map(|d| d.to_string()).unwrap_or_default(),
                s.as_of.to_string(),
                text_cell(&s.evidence.join(" | ")),
            ]
            .into_iter(),
        );
    }
    out
}

fn text_cell(s: &str) -> String {
    if s.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{s}")
    } else {
        s.to_string()
    }
}

fn line(out: &mut String, cells: impl Iterator<Item = String>) {
    let quoted: Vec<String> = cells
        .map(|c| format!("\"{}\"", c.replace('"', "\"\"")))
        .collect();
    out.push_str(&quoted.join(";"));
    out.push_str("\r\n");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_quotes_and_defuses_formulas() {
        let s = MotionStatus {
            id: "BA-001/2020".into(),
            title: "=HYPERLINK(\"x\")".into(),
            status: StatusKind::Overdue,
            due: None,
            phrase: None,
            answered_by: None,
            answered_on: None,
            days: Some(3),
            evidence: vec!["a; b".into()],
            submitters: vec!["FDP".into()],
            as_of: chrono::NaiveDate::MIN,
        };
        let text = csv(&[&s]);
        let row = text.lines().nth(1).unwrap_or_default();
        assert!(row.starts_with("\"BA-001/2020\";\"'=HYPERLINK(\"\"x\"\")\";\"FDP\""));
        assert!(row.contains("\"a; b\""));
    }
}
