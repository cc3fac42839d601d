//! Deadlines and news where people already look: the clerk's calendar
//! (`/status.ics`, iCalendar by the `icalendar` crate) and two Atom feeds
//! (`atom_syndication`): new papers for a saved search (`/feed.atom`) and
//! verdict changes (`/status.atom`).
//!
//! Everything a feed calls "new" or "changed" comes from the run history
//! (`ratsdoc_store::history`): an entry's `updated` is the start of the
//! build that made the change. Ids and UIDs are made of paper numbers and
//! those times only, never of the host name or the request, so a subscribed
//! calendar or feed reader updates its entries instead of adding copies.

use atom_syndication::{Entry, Feed, FixedDateTime, Link, Text};
use chrono::{DateTime, NaiveDate, TimeZone, Utc};
use icalendar::{Calendar, Component, Event, EventLike, EventStatus, Todo, TodoStatus};
use ratsdoc_index::Hit;
use ratsdoc_link::Essentials;
use ratsdoc_model::MotionStatus;
use ratsdoc_model::number::id_to_file_stem;
use ratsdoc_store::history::{History, UNKNOWN};

use crate::snapshot::{Snapshot, StatusTable};

/// Most entries in an Atom feed.
pub const FEED_ENTRIES: usize = 100;

/// The start of absolute URLs (`http://host:port`), from the request's
/// `Host` header; empty (relative URLs) when there is none or it holds
/// anything but a host name, an address and a port.
pub fn base(host: Option<&str>) -> String {
    match host {
        Some(h)
            if !h.is_empty()
                && h.len() <= 255
                && h.chars()
                    .all(|c| c.is_ascii_alphanumeric() || ".-:[]".contains(c)) =>
        {
            format!("http://{h}")
        }
        _ => String::new(),
    }
}

fn paper_url(base: &str, id: &str) -> String {
    format!("{base}/papers/{}", id_to_file_stem(id))
}

/// Unix seconds as a UTC time; the epoch for times out of range.
fn utc(at: i64) -> DateTime<Utc> {
    Utc.timestamp_opt(at, 0).single().unwrap_or_default()
}

fn fixed(at: i64) -> FixedDateTime {
    utc(at).fixed_offset()
}

/// How the calendar shows a report request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CalendarForm {
    /// A whole-day event on the due day (every calendar shows these).
    Event,
    /// A to-do due that day, COMPLETED once the report came.
    Todo,
}

/// `/status.ics`: one entry per report request with a due date of the
/// selected motions.
pub fn calendar(
    rows: &[&MotionStatus],
    snapshot: &Snapshot,
    base: &str,
    form: CalendarForm,
    due_within: Option<u32>,
) -> String {
    let mut cal = Calendar::empty();
    cal.append_property(("VERSION", "2.0"));
    cal.append_property(("PRODID", "-//ratsdoc//Berichtsfristen//DE"));
    cal.append_property(("CALSCALE", "GREGORIAN"));
    cal.name("Berichtsfristen");
    let stamp = utc(snapshot.history.last_run().unwrap_or(0));
    for s in rows {
        let Some(paper) = snapshot.paper(&s.id) else {
            continue;
        };
        for (n, due, phrase) in due_requests(paper, s) {
            if due_within.is_some_and(|days| !in_window(s.as_of, due, days)) {
                continue;
            }
            let entry = Due {
                uid: format!("{}-{n}@ratsdoc", id_to_file_stem(&s.id)),
                due,
                phrase,
                status: s,
                url: paper_url(base, &s.id),
                stamp: changed_at(&snapshot.history, &s.id).map_or(stamp, utc),
            };
            match form {
                CalendarForm::Event => cal.push(entry.event()),
                CalendarForm::Todo => cal.push(entry.todo()),
            };
        }
    }
    cal.done().to_string()
}

/// A motion's requests with a due date, numbered by their place in the
/// record (so a UID stays when another request gets a date). A recurring
/// request is shown on the occurrence its verdict judges.
fn due_requests<'a>(
    paper: &'a Essentials,
    s: &'a MotionStatus,
) -> impl Iterator<Item = (usize, NaiveDate, Option<&'a str>)> + 'a {
    paper
        .requests()
        .enumerate()
        .filter_map(move |(n, (phrase, due, recurring))| {
            let judged = recurring && phrase == s.phrase.as_deref();
            let due = if judged { s.due.or(due) } else { due };
            Some((n + 1, due?, phrase))
        })
}

fn in_window(as_of: NaiveDate, due: NaiveDate, days: u32) -> bool {
    due >= as_of && (due - as_of).num_days() <= i64::from(days)
}

/// When the paper or its verdict last changed, by the history.
fn changed_at(history: &History, id: &str) -> Option<i64> {
    let life = history.papers.get(id)?;
    Some(life.modified.max(life.judged)).filter(|at| *at != UNKNOWN)
}

/// One calendar entry, before it is an event or a to-do.
struct Due<'a> {
    uid: String,
    due: NaiveDate,
    phrase: Option<&'a str>,
    status: &'a MotionStatus,
    url: String,
    stamp: DateTime<Utc>,
}

impl Due<'_> {
    fn summary(&self) -> String {
        format!("Bericht fällig: {} – {}", self.status.id, self.status.title)
    }

    /// The request's phrase and the verdict, with its evidence.
    fn description(&self) -> String {
        let s = self.status;
        let phrase = ratsdoc_link::quote_phrase(self.phrase);
        let mut text = format!(
            "Bericht verlangt: {phrase}\nStand {}: {}",
            s.as_of.format("%d.%m.%Y"),
            s.status.german()
        );
        if let Some(answer) = &s.answered_by {
            text.push_str(&format!("\nbeantwortet durch {answer}"));
        }
        for line in &s.evidence {
            text.push_str(&format!("\n· {line}"));
        }
        text
    }

    fn event(&self) -> Event {
        Event::new()
            .uid(&self.uid)
            .timestamp(self.stamp)
            .last_modified(self.stamp)
            .starts(self.due)
            .ends(self.due.succ_opt().unwrap_or(self.due))
            .summary(&self.summary())
            .description(&self.description())
            .url(&self.url)
            .status(EventStatus::Confirmed)
            .done()
    }

    fn todo(&self) -> Todo {
        let mut todo = Todo::new();
        todo.uid(&self.uid)
            .timestamp(self.stamp)
            .last_modified(self.stamp)
            .due(self.due)
            .summary(&self.summary())
            .description(&self.description())
            .url(&self.url);
        if self.status.answered() {
            todo.status(TodoStatus::Completed).percent_complete(100);
            if let Some(on) = self.status.answered_on {
                let noon = on.and_hms_opt(12, 0, 0).unwrap_or_default().and_utc();
                todo.completed(noon);
            }
        } else {
            todo.status(TodoStatus::NeedsAction);
        }
        todo.done()
    }
}

/// A feed with the parts every ratsdoc feed has.
fn feed(id: &str, title: &str, self_url: &str, alternate: &str, entries: Vec<Entry>) -> Feed {
    let updated = entries
        .iter()
        .map(|e| *e.updated())
        .max()
        .unwrap_or_else(|| fixed(0));
    Feed {
        id: id.to_string(),
        title: Text::plain(title),
        updated,
        links: vec![link(self_url, "self"), link(alternate, "alternate")],
        entries,
        ..Feed::default()
    }
}

fn link(href: &str, rel: &str) -> Link {
    Link {
        href: href.to_string(),
        rel: rel.to_string(),
        ..Link::default()
    }
}

fn entry(id: String, title: String, updated: FixedDateTime, url: &str, summary: String) -> Entry {
    Entry {
        id,
        title: Text::plain(title),
        updated,
        links: vec![link(url, "alternate")],
        summary: Some(Text::plain(summary)),
        ..Entry::default()
    }
}

/// `/feed.atom`: the papers of a search, each `updated` when the build
/// that brought or last changed it ran, newest first.
pub fn search_feed(hits: &[Hit], history: &History, base: &str, self_path: &str) -> String {
    let mut entries: Vec<(i64, Entry)> = hits
        .iter()
        .map(|hit| {
            let at = paper_time(history, hit);
            let mut summary = format!("{} {}", hit.kind.german(), hit.id);
            if let Some(d) = hit.date {
                summary.push_str(&format!(" vom {}", d.format("%d.%m.%Y")));
            }
            if !hit.submitters.is_empty() {
                summary.push_str(&format!(", eingereicht von {}", hit.submitters.join(", ")));
            }
            let id = format!("urn:ratsdoc:paper:{}", id_to_file_stem(&hit.id));
            let title = format!("{} – {}", hit.id, hit.title);
            let e = entry(id, title, fixed(at), &paper_url(base, &hit.id), summary);
            (at, e)
        })
        .collect();
    entries.sort_by_key(|e| std::cmp::Reverse(e.0));
    let query_part = self_path.split_once('?').map_or("", |(_, q)| q);
    let alternate = if query_part.is_empty() {
        format!("{base}/")
    } else {
        format!("{base}/?{query_part}")
    };
    let feed = feed(
        &format!("urn:ratsdoc:search:{query_part}"),
        "ratsdoc: neue Dokumente zur Suche",
        &format!("{base}{self_path}"),
        &alternate,
        entries
            .into_iter()
            .map(|(_, e)| e)
            .take(FEED_ENTRIES)
            .collect(),
    );
    feed.to_string()
}

/// When the history first saw `hit` or saw it change; a paper older than
/// the history counts from its own date.
fn paper_time(history: &History, hit: &Hit) -> i64 {
    match history.papers.get(&hit.id) {
        Some(life) if life.modified != UNKNOWN => life.modified,
        _ => hit
            .date
            .and_then(|d| d.and_hms_opt(0, 0, 0))
            .map_or(0, |t| t.and_utc().timestamp()),
    }
}

/// `/status.atom`: verdicts that changed and answers that were linked,
/// newest first, from the kept runs.
pub fn status_feed(snapshot: &Snapshot, table: &StatusTable, base: &str) -> String {
    let mut entries = Vec::new();
    for run in snapshot.history.runs.iter().rev() {
        for change in &run.verdicts {
            let Some(to) = change.to else { continue };
            let from = change.from.map_or("neu", |k| k.german());
            let title = format!("{}: {} (vorher: {from})", change.id, to.german());
            let summary = table
                .get(&change.id)
                .map(|s| format!("{} – {}", s.title, s.evidence.join(" · ")))
                .unwrap_or_default();
            let id = format!(
                "urn:ratsdoc:status:{}:{}:{}",
                id_to_file_stem(&change.id),
                run.at,
                to.as_str()
            );
            let url = paper_url(base, &change.id);
            entries.push(entry(id, title, fixed(run.at), &url, summary));
        }
        for (answer, motion) in &run.links {
            let title = format!("{answer} beantwortet {motion}");
            let id = format!(
                "urn:ratsdoc:link:{}:{}",
                id_to_file_stem(answer),
                id_to_file_stem(motion)
            );
            let summary = format!("Verknüpft im Lauf vom Stand {}", run.as_of);
            let url = paper_url(base, motion);
            entries.push(entry(id, title, fixed(run.at), &url, summary));
        }
        if entries.len() >= FEED_ENTRIES {
            break;
        }
    }
    entries.truncate(FEED_ENTRIES);
    feed(
        "urn:ratsdoc:status",
        "ratsdoc: Berichtsstatus – Änderungen",
        &format!("{base}/status.atom"),
        &format!("{base}/status"),
        entries,
    )
    .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_a_plain_host_makes_urls_absolute() {
        assert_eq!(base(Some("127.0.0.1:8080")), "http://127.0.0.1:8080");
        assert_eq!(base(Some("[::1]:80")), "http://[::1]:80");
        for bad in [
            None,
            Some(""),
            Some("evil.org/x"),
            Some("a\"b"),
            Some("a b"),
        ] {
            assert_eq!(base(bad), "", "{bad:?}");
        }
    }

    #[test]
    fn the_window_includes_both_ends_and_not_the_past() {
        let d = |s: &str| s.parse::<NaiveDate>().unwrap();
        assert!(in_window(d("2024-01-01"), d("2024-01-01"), 0));
        assert!(in_window(d("2024-01-01"), d("2024-01-31"), 30));
        assert!(!in_window(d("2024-01-01"), d("2024-02-01"), 30));
        assert!(!in_window(d("2024-01-02"), d("2024-01-01"), 30));
    }
}
