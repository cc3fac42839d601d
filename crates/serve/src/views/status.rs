//! The clerk's page (`/status`): every motion that asked for a report,
//! overdue first, with filters for status, faction and year, the "Stand"
//! date the verdicts are judged on, and links to the same table as CSV and
//! JSON.

use chrono::NaiveDate;
use maud::{Markup, html};
use ratsdoc_model::{MotionStatus, StatusKind};

use super::{Alternate, Nav, days_phrase, layout_with, opt_date, paper_href, status_badge, time};
use crate::params::{STATUS_PAGE_ROWS, StatusParams, with_query};

/// Everything the clerk's page shows.
pub struct StatusView<'a> {
    pub params: &'a StatusParams,
    pub as_of: NaiveDate,
    /// Rows of the whole table; `rows` is one page of it, from `first`.
    pub total: usize,
    pub first: usize,
    pub rows: &'a [&'a MotionStatus],
    pub counts: &'a [(StatusKind, usize)],
    pub factions: &'a [String],
    pub years: &'a [i32],
}

pub fn page(v: &StatusView<'_>) -> Markup {
    let p = v.params;
    let query = StatusParams {
        page: 1,
        ..p.clone()
    }
    .to_query();
    let statuses = StatusKind::BY_URGENCY;
    let calendar = with_query("/status.ics", &query);
    let alternates = [
        Alternate {
            kind: "application/atom+xml",
            title: "Änderungen im Berichtsstatus (Atom)",
            href: "/status.atom".to_string(),
        },
        Alternate {
            kind: "text/calendar",
            title: "Berichtsfristen (iCalendar)",
            href: calendar.clone(),
        },
    ];
    layout_with(
        "Berichtsstatus",
        Nav::Status,
        &alternates,
        html! {
            h1 { "Berichtsstatus der Beschlussanträge" }
            p.lead { "Alle Beschlussanträge, die einen Bericht verlangen – überfällige zuerst. Stand: " (time(v.as_of)) "." }
            form.filters method="get" action="/status" {
                div.field {
                    label for="status" { "Status" }
                    select #status name="status" {
                        option value="" { "alle mit Berichtsauftrag" }
                        @for s in statuses {
                            option value=(s.as_str()) selected[p.status == Some(s)] { (s.german()) }
                        }
                    }
                }
                div.field {
                    label for="faction" { "Fraktion / Einreicher" }
                    select #faction name="faction" {
                        option value="" { "alle" }
                        @for f in v.factions {
                            option value=(f) selected[p.faction.as_deref() == Some(f.as_str())] { (f) }
                        }
                        // A faction typed into the URL that is not in the list stays selected.
                        @if let Some(f) = p.faction.as_ref().filter(|f| !v.factions.contains(f)) {
                            option value=(f) selected { (f) }
                        }
                    }
                }
                div.field {
                    label for="year" { "Jahr" }
                    select #year name="year" {
                        option value="" { "alle" }
                        @for y in v.years {
                            option value=(y) selected[p.year == Some(*y)] { (y) }
                        }
                        @if let Some(y) = p.year.filter(|y| !v.years.contains(y)) {
                            option value=(y) selected { (y) }
                        }
                    }
                }
                div.field {
                    label for="stand" { "Stand" }
                    input #stand type="date" name="stand" value=(v.as_of.to_string());
                }
                @if let Some(id) = &p.id { input type="hidden" name="id" value=(id); }
                // A new filter starts again on page 1: no hidden `page`.
                button type="submit" { "Anzeigen" }
            }
            p.downloads {
                a href=(with_query("/status.csv", &query)) download { "Tabelle als CSV herunterladen" }
                " · "
                a href=(with_query("/api/status", &query)) { "als JSON" }
                " · "
                a.calendar href=(calendar) type="text/calendar" { "Fristen als Kalender abonnieren (iCalendar)" }
                " · "
                a.feed href="/status.atom" type="application/atom+xml" { "Änderungen als Feed (Atom)" }
                @if p != &StatusParams::default() { " · " a href="/status" { "Filter zurücksetzen" } }
            }
            @if !v.counts.is_empty() {
                ul.counts aria-label="Anzahl je Status" {
                    @for (s, n) in v.counts { li { (status_badge(*s)) " " (n) } }
                }
            }
            @if v.rows.is_empty() {
                p.empty { "Keine Beschlussanträge mit diesen Filtern." }
            } @else {
                div.table-wrap {
                    table.status-table {
                        caption {
                            (v.total) " Beschlussanträge, Stand " (time(v.as_of))
                            @if v.rows.len() < v.total { " – Zeilen " (v.first + 1) " bis " (v.first + v.rows.len()) }
                        }
                        thead {
                            tr {
                                th scope="col" { "Antrag" }
                                th scope="col" { "Gegenstand" }
                                th scope="col" { "Einreicher" }
                                th scope="col" { "Frist" }
                                th scope="col" { "Status" }
                                th scope="col" { "beantwortet durch" }
                                th scope="col" { "Begründung" }
                            }
                        }
                        tbody {
                            @for s in v.rows { (row(s)) }
                        }
                    }
                }
                (pagination(v))
            }
        },
    )
}

fn row(s: &MotionStatus) -> Markup {
    html! {
        tr class={ "row-" (s.status.as_str()) } {
            th scope="row" { a href=(paper_href(&s.id)) { (s.id) } }
            td { (s.title) }
            td { (s.submitters.join("; ")) }
            td {
                (opt_date(s.due))
                @if let Some(p) = &s.phrase { br; span.muted { "„" (p) "“" } }
            }
            td {
                (status_badge(s.status))
                @if let Some(words) = days_phrase(s.status, s.days) { br; span.days { (words) } }
            }
            td {
                @if let Some(by) = &s.answered_by {
                    a href=(paper_href(by)) { (by) }
                    @if let Some(on) = s.answered_on { br; span.muted { "am " (time(on)) } }
                } @else { "–" }
            }
            td.evidence {
                @if !s.evidence.is_empty() {
                    details {
                        summary { "Begründung" }
                        ul { @for e in &s.evidence { li { (e) } } }
                    }
                }
            }
        }
    }
}

fn pagination(v: &StatusView<'_>) -> Markup {
    let pages = v.total.div_ceil(STATUS_PAGE_ROWS);
    if pages <= 1 {
        return html! {};
    }
    let p = v.params;
    let href = |page: usize| with_query("/status", &StatusParams { page, ..p.clone() }.to_query());
    html! {
        nav.pagination aria-label="Seiten" {
            @if p.page > 1 { a rel="prev" href=(href(p.page - 1)) { "« Zurück" } }
            span aria-current="page" { "Seite " (p.page) " von " (pages) }
            @if p.page < pages { a rel="next" href=(href(p.page + 1)) { "Weiter »" } }
        }
    }
}
