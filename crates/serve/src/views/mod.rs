//! The HTML of the pages, written with maud: every `(value)` is escaped by
//! the template engine, so a paper's text can never become markup. Only
//! [`highlight`] builds `<mark>` elements, and it escapes each piece itself.
//!
//! Views take plain data and return [`Markup`]; they read no files and know
//! no HTTP. Interface text is German, the users' language.

pub mod paper;
pub mod search;
pub mod status;

use chrono::NaiveDate;
use maud::{DOCTYPE, Markup, html};
use ratsdoc_model::{StatusKind, number::id_to_file_stem};

/// Which main navigation entry a page belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Nav {
    Search,
    Status,
    None,
}

/// A feed or calendar of a page, announced in its `<head>` so browsers
/// and feed readers find it.
pub struct Alternate {
    /// The MIME type (`application/atom+xml`, `text/calendar`).
    pub kind: &'static str,
    pub title: &'static str,
    pub href: String,
}

/// The frame of every page: skip link, navigation, one `<main>`.
pub fn layout(title: &str, nav: Nav, body: Markup) -> Markup {
    layout_with(title, nav, &[], body)
}

/// [`layout`] with the page's feeds.
pub fn layout_with(title: &str, nav: Nav, alternates: &[Alternate], body: Markup) -> Markup {
    let current = |n: Nav| if n == nav { Some("page") } else { None };
    html! {
        (DOCTYPE)
        html lang="de" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (title) " – ratsdoc" }
                link rel="stylesheet" href="/static/style.css";
                @for a in alternates {
                    link rel="alternate" type=(a.kind) title=(a.title) href=(a.href);
                }
            }
            body {
                a.skip href="#inhalt" { "Zum Inhalt springen" }
                header.site {
                    a.brand href="/" { "ratsdoc" }
                    span.tagline { "Ratsdokumente der Stadt Chemnitz" }
                    nav aria-label="Hauptnavigation" {
                        ul {
                            li { a href="/" aria-current=[current(Nav::Search)] { "Suche" } }
                            li { a href="/status" aria-current=[current(Nav::Status)] { "Berichtsstatus" } }
                        }
                    }
                }
                main #inhalt tabindex="-1" { (body) }
                footer.site {
                    p { "Nur lesend. Daten aus dem letzten Lauf von " code { "ratsdoc build" } "." }
                }
            }
        }
    }
}

/// The page shown for a [`crate::error::WebError`].
pub fn error_page(status: u16, message: &str) -> Markup {
    let heading = match status {
        400 => "Ungültige Anfrage",
        404 => "Nicht gefunden",
        503 => "Derzeit nicht verfügbar",
        _ => "Fehler",
    };
    layout(
        heading,
        Nav::None,
        html! {
            h1 { (heading) }
            p.error role="alert" { (message) }
            p { a href="/" { "Zur Suche" } " · " a href="/status" { "Zum Berichtsstatus" } }
        },
    )
}

/// German date as a clerk writes it (`30.09.2020`), as the evidence does.
pub use ratsdoc_link::german_date as date;

/// A date or a dash.
pub fn opt_date(d: Option<NaiveDate>) -> String {
    d.map(date).unwrap_or_else(|| "–".to_string())
}

/// The machine-readable and the German date in one `<time>` element.
pub fn time(d: NaiveDate) -> Markup {
    html! { time datetime=(d.to_string()) { (date(d)) } }
}

/// The URL of a paper's page: its file stem, which never holds a `/`.
pub fn paper_href(id: &str) -> String {
    format!("/papers/{}", id_to_file_stem(id))
}

/// The status as a coloured badge with its German word.
pub fn status_badge(s: StatusKind) -> Markup {
    html! { span class={ "badge status-" (s.as_str()) } { (s.german()) } }
}

/// "70 Tage verspätet", "12 Tage überfällig", "noch 30 Tage": the days of a
/// verdict in words.
pub fn days_phrase(s: StatusKind, days: Option<i64>) -> Option<String> {
    let d = days?;
    let unit = |n: i64| if n == 1 { "Tag" } else { "Tage" };
    Some(match s {
        StatusKind::AnsweredLate => format!("{d} {} verspätet", unit(d)),
        StatusKind::Overdue => format!("{d} {} überfällig", unit(d)),
        StatusKind::Pending => format!("noch {d} {}", unit(d)),
        StatusKind::AnsweredOnTime => format!("{d} {} vor der Frist", unit(d)),
        _ => return None,
    })
}

/// A snippet with its matched byte ranges wrapped in `<mark>`. Ranges that
/// are out of order, overlap, or do not fall on character boundaries are
/// skipped: the text still shows, only without that highlight.
pub fn highlight(text: &str, ranges: &[(usize, usize)]) -> Markup {
    let mut sorted = ranges.to_vec();
    sorted.sort_unstable();
    let mut pieces: Vec<(&str, bool)> = Vec::new();
    let mut at = 0;
    for (start, end) in sorted {
        if start < at || end <= start {
            continue;
        }
        let (Some(before), Some(hit)) = (text.get(at..start), text.get(start..end)) else {
            continue;
        };
        pieces.push((before, false));
        pieces.push((hit, true));
        at = end;
    }
    pieces.push((text.get(at..).unwrap_or_default(), false));
    html! {
        @for (piece, marked) in pieces {
            @if marked { mark { (piece) } } @else { (piece) }
        }
    }
}

/// Paragraphs of a section text: blank lines separate them; single line
/// breaks inside a paragraph are kept.
pub fn paragraphs(text: &str) -> Markup {
    html! {
        @for para in text.split("\n\n").map(str::trim).filter(|p| !p.is_empty()) {
            p {
                @for (i, line) in para.lines().enumerate() {
                    @if i > 0 { br; }
                    (line)
                }
            }
        }
    }
}

/// The stylesheet: plain, readable, high contrast, visible focus.
pub const STYLE: &str = include_str!("../style.css");

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn highlight_escapes_and_marks() {
        let html = highlight("a <b> Prävention c", &[(6, 17)]).into_string();
        assert_eq!(html, "a &lt;b&gt; <mark>Prävention</mark> c");
    }

    #[test]
    fn highlight_ignores_bad_ranges() {
        // 2..3 is inside the two bytes of "ä".
        let html = highlight("Mä x", &[(2, 3), (9, 20), (3, 2)]).into_string();
        assert_eq!(html, "Mä x");
    }
}
