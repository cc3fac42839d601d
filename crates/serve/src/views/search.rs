//! The search page (`/`): the query box, the ranked hits with their
//! highlighted snippets, facet filters as plain links with counts, sorting
//! and pagination. Every state lives in the URL, so a result list can be
//! bookmarked and shared, and the page works without JavaScript.

use std::collections::BTreeMap;

use maud::{Markup, html};
use ratsdoc_index::query::ParsedQuery;
use ratsdoc_index::{Hit, SearchResults, SortOrder};
use ratsdoc_model::{ConsultationResult, Kind, StatusKind};

use super::{Alternate, Nav, days_phrase, highlight, layout_with, paper_href, status_badge, time};
use crate::params::{MAX_OFFSET, SearchParams, sort_key, with_query};
use crate::snapshot::StatusTable;

/// How many values of a facet are listed (the most frequent).
const FACET_VALUES: usize = 15;

/// Everything the search page shows.
pub struct SearchView<'a> {
    pub params: &'a SearchParams,
    pub results: &'a SearchResults,
    /// Today's verdicts, fresher than the status stored in the index.
    pub statuses: Option<&'a StatusTable>,
    /// The query holds nothing to search for: the page says so instead of
    /// listing results.
    pub nothing_to_search: bool,
}

/// What the page and `/api/search` say to a query with nothing to search
/// for: an empty box, or only stop words, punctuation or symbols.
pub fn nothing_to_search(q: &str) -> String {
    if q.trim().is_empty() {
        "Bitte einen Suchbegriff eingeben: Wörter, eine Drucksachennummer wie \
         BA-044/2020, oder * für alle Dokumente."
            .to_string()
    } else {
        format!(
            "Nichts zu suchen: „{}“ enthält nur Füllwörter (und, der, …), Satzzeichen \
             oder Symbole. Bitte andere Wörter eingeben, oder * für alle Dokumente.",
            q.trim()
        )
    }
}

pub fn page(v: &SearchView<'_>) -> Markup {
    let p = v.params;
    let title = if p.q.is_empty() {
        "Suche".to_string()
    } else {
        format!("Suche: {}", p.q)
    };
    let feed = Alternate {
        kind: "application/atom+xml",
        title: "Neue Dokumente zu dieser Suche (Atom)",
        href: feed_href(p),
    };
    layout_with(
        &title,
        Nav::Search,
        &[feed],
        html! {
            h1 { "Ratsdokumente durchsuchen" }
            (form(p))
            (active_filters(p))
            p.feeds {
                a.feed href=(feed_href(p)) type="application/atom+xml" { "Neue Dokumente zu dieser Suche als Feed (Atom)" }
            }
            @if v.nothing_to_search && p.q.trim().is_empty() {
                p.muted { (nothing_to_search(&p.q)) }
            } @else if v.nothing_to_search {
                p.notice role="status" { (nothing_to_search(&p.q)) }
            } @else {
            div.results-layout {
                section.results aria-labelledby="treffer" {
                    h2 #treffer { (count_line(v.results.total, p)) }
                    @if v.results.hits.is_empty() {
                        p.empty { "Keine Treffer. Weniger oder andere Wörter versuchen, oder Filter entfernen." }
                    } @else {
                        ol.hits start=((p.page - 1) * p.limit + 1) {
                            @for hit in &v.results.hits { (hit_item(hit, v.statuses)) }
                        }
                    }
                    (pagination(p, v.results.total))
                }
                aside.facets aria-labelledby="filter" {
                    h2 #filter { "Eingrenzen" }
                    (facet("Art", &v.results.facets.kind, p, Facet::Kind))
                    (facet("Einreicher", &v.results.facets.submitter, p, Facet::Submitter))
                    (facet("Jahr", &v.results.facets.year, p, Facet::Year))
                }
            }
            }
        },
    )
}

/// The Atom feed of this search: its text and filters, without paging or
/// sort order (the feed is always newest first).
fn feed_href(p: &SearchParams) -> String {
    let feed = SearchParams {
        q: p.q.clone(),
        kinds: p.kinds.clone(),
        submitter: p.submitter.clone(),
        year: p.year,
        status: p.status,
        result: p.result,
        from: p.from,
        to: p.to,
        ..SearchParams::default()
    };
    with_query("/feed.atom", &feed.to_query())
}

fn form(p: &SearchParams) -> Markup {
    let sorts = [
        (SortOrder::Relevance, "Relevanz"),
        (SortOrder::DateDesc, "Neueste zuerst"),
        (SortOrder::DateAsc, "Älteste zuerst"),
    ];
    html! {
        form.search role="search" method="get" action="/" {
            div.field {
                label for="q" { "Suchbegriff" }
                input #q type="search" name="q" value=(p.q) maxlength="500"
                    placeholder="z. B. Kriminalprävention, BA-044/2020, ASSKomm";
            }
            div.field {
                label for="sort" { "Sortierung" }
                select #sort name="sort" {
                    @for (sort, label) in sorts {
                        option value=(sort_key(sort)) selected[p.sort == sort] { (label) }
                    }
                }
            }
            div.field {
                label for="result" { "Ergebnis" }
                select #result name="result" {
                    option value="" selected[p.result.is_none()] { "alle" }
                    @for r in ConsultationResult::ALL {
                        option value=(r.as_str()) selected[p.result == Some(r)] { (r.german()) }
                    }
                }
            }
            // The filters stay when the text changes.
            @for k in &p.kinds { input type="hidden" name="kind" value=(k.as_str()); }
            @if let Some(s) = &p.submitter { input type="hidden" name="submitter" value=(s); }
            @if let Some(y) = p.year { input type="hidden" name="year" value=(y); }
            @if let Some(s) = p.status { input type="hidden" name="status" value=(s.as_str()); }
            @if let Some(d) = p.from { input type="hidden" name="from" value=(d.to_string()); }
            @if let Some(d) = p.to { input type="hidden" name="to" value=(d.to_string()); }
            @if p.limit != crate::params::DEFAULT_PAGE_SIZE { input type="hidden" name="limit" value=(p.limit); }
            button type="submit" { "Suchen" }
        }
    }
}

fn active_filters(p: &SearchParams) -> Markup {
    if !p.has_filters() {
        return html! {};
    }
    html! {
        div.active-filters {
            h2.visually-hidden { "Aktive Filter" }
            ul {
                @for k in &p.kinds {
                    li { "Art: " (k.german()) " "
                        a href=(p.href("/", |n| n.kinds.retain(|x| x != k))) aria-label={ "Filter Art " (k.german()) " entfernen" } { "✕ entfernen" } }
                }
                @if let Some(s) = &p.submitter {
                    li { "Einreicher: " (s) " "
                        a href=(p.href("/", |n| n.submitter = None)) aria-label={ "Filter Einreicher " (s) " entfernen" } { "✕ entfernen" } }
                }
                @if let Some(y) = p.year {
                    li { "Jahr: " (y) " "
                        a href=(p.href("/", |n| n.year = None)) aria-label={ "Filter Jahr " (y) " entfernen" } { "✕ entfernen" } }
                }
                @if let Some(s) = p.status {
                    li { "Status: " (s.german()) " "
                        a href=(p.href("/", |n| n.status = None)) aria-label={ "Filter Status entfernen" } { "✕ entfernen" } }
                }
                @if let Some(r) = p.result {
                    li { "Ergebnis: " (r.german()) " "
                        a href=(p.href("/", |n| n.result = None)) aria-label={ "Filter Ergebnis entfernen" } { "✕ entfernen" } }
                }
                @if p.from.is_some() || p.to.is_some() {
                    li { "Zeitraum: " (super::opt_date(p.from)) " bis " (super::opt_date(p.to)) " "
                        a href=(p.href("/", |n| { n.from = None; n.to = None; })) aria-label="Filter Zeitraum entfernen" { "✕ entfernen" } }
                }
                li { a href=(p.href("/", |n| *n = SearchParams { q: n.q.clone(), sort: n.sort, limit: n.limit, ..SearchParams::default() })) { "Alle Filter entfernen" } }
            }
        }
    }
}

fn count_line(total: usize, p: &SearchParams) -> String {
    let what = match total {
        0 => "Keine Treffer".to_string(),
        1 => "1 Treffer".to_string(),
        n => format!("{n} Treffer"),
    };
    if ParsedQuery::parse(&p.q).lists_everything() {
        format!("{what} (alle Dokumente)")
    } else {
        what
    }
}

fn hit_item(hit: &Hit, statuses: Option<&StatusTable>) -> Markup {
    let live = statuses.and_then(|t| t.get(&hit.id));
    let status = live.map(|s| s.status).or(hit.status);
    let days = live.and_then(|s| s.days);
    html! {
        li.hit {
            h3 {
                a href=(paper_href(&hit.id)) {
                    span.number { (hit.id) }
                    " "
                    span.title { (if hit.title.is_empty() { "(ohne Titel)" } else { hit.title.as_str() }) }
                }
            }
            p.meta {
                span.kind { (hit.kind.german()) }
                @if let Some(d) = hit.date { " · " (time(d)) }
                @if !hit.submitters.is_empty() { " · " span.submitters { (hit.submitters.join("; ")) } }
                @if let Some(r) = hit.result { " · " span.result { (r.german()) } }
                @if let Some(s) = status.filter(|&s| s != StatusKind::NoReportRequested) {
                    " · Bericht: " (status_badge(s))
                    @if let Some(words) = days_phrase(s, days) { " " span.days { "(" (words) ")" } }
                    @if let Some(by) = live.and_then(|l| l.answered_by.as_deref()) {
                        " durch " a href=(paper_href(by)) { (by) }
                    }
                }
            }
            @if !hit.snippet.is_empty() {
                p.snippet { (highlight(&hit.snippet, &hit.highlights)) }
            }
        }
    }
}

#[derive(Clone, Copy)]
enum Facet {
    Kind,
    Submitter,
    Year,
}

fn facet(heading: &str, counts: &BTreeMap<String, u64>, p: &SearchParams, which: Facet) -> Markup {
    let mut values: Vec<(&String, &u64)> = counts.iter().collect();
    match which {
        // Years read best in order, newest first.
        Facet::Year => values.sort_by(|a, b| b.0.cmp(a.0)),
        _ => values.sort_by(|a, b| b.1.cmp(a.1).then_with(|| a.0.cmp(b.0))),
    }
    let more = values.len().saturating_sub(FACET_VALUES);
    values.truncate(FACET_VALUES);
    html! {
        section.facet {
            h3 { (heading) }
            @if values.is_empty() {
                p.empty { "–" }
            } @else {
                ul {
                    @for (value, count) in values {
                        @let (label, active, href) = facet_link(value, p, which);
                        li {
                            a href=(href) aria-current=[active.then_some("true")] {
                                (label)
                            }
                            " " span.count aria-label={ (count) " Treffer" } { "(" (count) ")" }
                        }
                    }
                }
                @if more > 0 { p.more { "und " (more) " weitere" } }
            }
        }
    }
}

/// The label, whether the value is the active filter, and the link that
/// selects it (or, when active, removes it).
fn facet_link(value: &str, p: &SearchParams, which: Facet) -> (String, bool, String) {
    match which {
        Facet::Kind => {
            let kind = value.parse::<Kind>().ok();
            let label = kind.map_or_else(|| value.to_string(), |k| k.german().to_string());
            let active = kind.is_some_and(|k| p.kinds == [k]);
            let href = p.href("/", |n| {
                n.kinds = match (active, kind) {
                    (false, Some(k)) => vec![k],
                    _ => Vec::new(),
                }
            });
            (label, active, href)
        }
        Facet::Submitter => {
            let active = p.submitter.as_deref() == Some(value);
            let href = p.href("/", |n| n.submitter = (!active).then(|| value.to_string()));
            (value.to_string(), active, href)
        }
        Facet::Year => {
            let year = value.parse::<i32>().ok();
            let active = year.is_some() && p.year == year;
            let href = p.href("/", |n| n.year = if active { None } else { year });
            (value.to_string(), active, href)
        }
    }
}

fn pagination(p: &SearchParams, total: usize) -> Markup {
    if p.limit == 0 {
        return html! {};
    }
    let reachable = total.min(MAX_OFFSET + p.limit);
    let pages = reachable.div_ceil(p.limit).max(1);
    if pages <= 1 && p.page == 1 {
        return html! {};
    }
    html! {
        nav.pagination aria-label="Seiten" {
            @if p.page > 1 {
                a rel="prev" href=(p.href("/", |n| n.page = p.page - 1)) { "« Zurück" }
            }
            span aria-current="page" { "Seite " (p.page) " von " (pages) }
            @if p.page < pages {
                a rel="next" href=(p.href("/", |n| n.page = p.page + 1)) { "Weiter »" }
            }
        }
    }
}
