//! The query strings of the pages and the API: read strictly, written back
//! canonically.
//!
//! Everything a user can put in a URL is checked here, once: a malformed or
//! out-of-range value is a 400 with a German sentence saying what is wrong,
//! never a silent default, so a bookmarked or shared URL means exactly what
//! it says. Empty values (`kind=` from a "alle" choice) count as absent.
//! The bounds keep one request cheap: a query of at most
//! [`MAX_QUERY_CHARS`] characters, at most [`MAX_PAGE_SIZE`] hits a page and
//! no page beyond [`MAX_OFFSET`] hits.

use chrono::NaiveDate;
use ratsdoc_index::{SearchRequest, SortOrder};
use ratsdoc_model::{ConsultationResult, Kind, StatusKind};

use crate::error::WebError;

/// Longest search text accepted, in characters.
pub const MAX_QUERY_CHARS: usize = 500;
/// Longest submitter or faction filter, in characters.
pub const MAX_NAME_CHARS: usize = 200;
/// Most hits on one page.
pub const MAX_PAGE_SIZE: usize = 100;
/// Rows on one page of the clerk's table: a council with 100,000 papers has
/// thousands of motions with a report request, too many for one page.
pub const STATUS_PAGE_ROWS: usize = 200;
/// Hits on a page unless `limit` says otherwise.
pub const DEFAULT_PAGE_SIZE: usize = 20;
/// No page may start beyond this many hits: deep pages cost the index more
/// than any reader needs (narrow the search instead).
pub const MAX_OFFSET: usize = 10_000;

/// The decoded `key=value` pairs of a query string, in order.
#[derive(Debug, Default, Clone)]
pub struct Pairs(Vec<(String, String)>);

impl Pairs {
    pub fn parse(raw: Option<&str>) -> Pairs {
        Pairs(
            form_urlencoded::parse(raw.unwrap_or_default().as_bytes())
                .map(|(k, v)| (k.into_owned(), v.into_owned()))
                .collect(),
        )
    }

    /// The last non-empty value of `key` (the last wins, as in most web
    /// frameworks), trimmed.
    pub(crate) fn one(&self, key: &str) -> Option<&str> {
        self.all(key).last().copied()
    }

    /// Every non-empty value of `key`, trimmed.
    fn all(&self, key: &str) -> Vec<&str> {
        self.0
            .iter()
            .filter(|(k, _)| k == key)
            .map(|(_, v)| v.trim())
            .filter(|v| !v.is_empty())
            .collect()
    }
}

/// What the search page and `/api/search` were asked.
#[derive(Debug, Clone, PartialEq)]
pub struct SearchParams {
    pub q: String,
    pub kinds: Vec<Kind>,
    pub submitter: Option<String>,
    pub year: Option<i32>,
    pub status: Option<StatusKind>,
    /// What became of the paper (`result=abgelehnt`).
    pub result: Option<ConsultationResult>,
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
    pub sort: SortOrder,
    /// 1-based.
    pub page: usize,
    pub limit: usize,
}

impl Default for SearchParams {
    fn default() -> SearchParams {
        SearchParams {
            q: String::new(),
            kinds: Vec::new(),
            submitter: None,
            year: None,
            status: None,
            result: None,
            from: None,
            to: None,
            sort: SortOrder::Relevance,
            page: 1,
            limit: DEFAULT_PAGE_SIZE,
        }
    }
}

impl SearchParams {
    pub fn from_query(raw: Option<&str>) -> Result<SearchParams, WebError> {
        let p = Pairs::parse(raw);
        let q = p.one("q").unwrap_or_default().to_string();
        if q.chars().count() > MAX_QUERY_CHARS {
            return Err(WebError::bad_request(format!(
                "Die Suchanfrage ist zu lang: höchstens {MAX_QUERY_CHARS} Zeichen."
            )));
        }
        let mut kinds = Vec::new();
        for k in p.all("kind") {
            let kind = k.parse::<Kind>().map_err(|_| {
                WebError::bad_request(format!(
                    "Unbekannte Art {k:?}: erwartet beschlussantrag, informationsvorlage, beschlussvorlage, aenderungsantrag, anfrage oder other."
                ))
            })?;
            if !kinds.contains(&kind) {
                kinds.push(kind);
            }
        }
        let limit = match p.one("limit") {
            None => DEFAULT_PAGE_SIZE,
            Some(v) => number(v, "limit", 0, MAX_PAGE_SIZE)?,
        };
        let page = match p.one("page") {
            None => 1,
            Some(v) => number(v, "page", 1, MAX_OFFSET)?,
        };
        if (page - 1).saturating_mul(limit) > MAX_OFFSET {
            return Err(WebError::bad_request(format!(
                "Seite {page} liegt zu weit hinten (höchstens {MAX_OFFSET} Treffer): bitte die Suche eingrenzen."
            )));
        }
        let sort = match p.one("sort") {
            None => SortOrder::Relevance,
            Some(v) => v.parse::<SortOrder>().map_err(|_| {
                WebError::bad_request(format!(
                    "Unbekannte Sortierung {v:?}: erwartet relevance, date oder date_asc."
                ))
            })?,
        };
        Ok(SearchParams {
            q,
            kinds,
            submitter: name(p.one("submitter"), "submitter")?,
            year: p.one("year").map(year).transpose()?,
            status: p.one("status").map(status).transpose()?,
            result: p.one("result").map(result).transpose()?,
            from: p.one("from").map(|v| date(v, "from")).transpose()?,
            to: p.one("to").map(|v| date(v, "to")).transpose()?,
            sort,
            page,
            limit,
        })
    }

    /// The index request for this page.
    pub fn to_request(&self) -> SearchRequest {
        SearchRequest {
            text: self.q.clone(),
            kinds: self.kinds.clone(),
            submitter: self.submitter.clone(),
            year: self.year,
            date_from: self.from,
            date_to: self.to,
            status: self.status,
            result: self.result,
            sort: self.sort,
            limit: self.limit,
            offset: (self.page - 1) * self.limit,
        }
    }

    /// The query string that reproduces these parameters; defaults are left
    /// out so URLs stay short.
    pub fn to_query(&self) -> String {
        let mut s = form_urlencoded::Serializer::new(String::new());
        if !self.q.is_empty() {
            s.append_pair("q", &self.q);
        }
        for k in &self.kinds {
            s.append_pair("kind", k.as_str());
        }
        if let Some(v) = &self.submitter {
            s.append_pair("submitter", v);
        }
        if let Some(v) = self.year {
            s.append_pair("year", &v.to_string());
        }
        if let Some(v) = self.status {
            s.append_pair("status", v.as_str());
        }
        if let Some(v) = self.result {
            s.append_pair("result", v.as_str());
        }
        if let Some(v) = self.from {
            s.append_pair("from", &v.to_string());
        }
        if let Some(v) = self.to {
            s.append_pair("to", &v.to_string());
        }
        if self.sort != SortOrder::Relevance {
            s.append_pair("sort", sort_key(self.sort));
        }
        if self.page != 1 {
            s.append_pair("page", &self.page.to_string());
        }
        if self.limit != DEFAULT_PAGE_SIZE {
            s.append_pair("limit", &self.limit.to_string());
        }
        s.finish()
    }

    /// A link to `path` with these parameters after `change`, back on page 1
    /// unless `change` sets another page.
    pub fn href(&self, path: &str, change: impl FnOnce(&mut SearchParams)) -> String {
        let mut next = self.clone();
        next.page = 1;
        change(&mut next);
        with_query(path, &next.to_query())
    }

    /// True when any filter narrows the result beyond the text.
    pub fn has_filters(&self) -> bool {
        !self.kinds.is_empty()
            || self.submitter.is_some()
            || self.year.is_some()
            || self.status.is_some()
            || self.result.is_some()
            || self.from.is_some()
            || self.to.is_some()
    }
}

/// The URL value of a sort order.
pub fn sort_key(sort: SortOrder) -> &'static str {
    match sort {
        SortOrder::Relevance => "relevance",
        SortOrder::DateDesc => "date",
        SortOrder::DateAsc => "date_asc",
    }
}

/// What the clerk's page, `/status.csv` and `/api/status` were asked.
#[derive(Debug, Clone, PartialEq)]
pub struct StatusParams {
    pub status: Option<StatusKind>,
    /// A faction or submitter, matched case-insensitively as a part of a name.
    pub faction: Option<String>,
    pub year: Option<i32>,
    /// "Stand": the day the verdicts are judged on; today when absent.
    pub as_of: Option<NaiveDate>,
    /// Only this motion (any spelling), as `ratsdoc status <ID>`.
    pub id: Option<String>,
    /// 1-based page of the HTML table ([`STATUS_PAGE_ROWS`] rows); the CSV
    /// and the API always hold every row.
    pub page: usize,
    /// Only reports due within this many days of the as-of date.
    pub due_within: Option<u32>,
}

/// The longest window `due_within` accepts, in days (ten years).
pub const MAX_DUE_WITHIN: usize = 3660;

impl Default for StatusParams {
    fn default() -> StatusParams {
        StatusParams {
            status: None,
            faction: None,
            year: None,
            as_of: None,
            id: None,
            page: 1,
            due_within: None,
        }
    }
}

impl StatusParams {
    pub fn from_query(raw: Option<&str>) -> Result<StatusParams, WebError> {
        let p = Pairs::parse(raw);
        let as_of = p
            .one("stand")
            .map(|v| (v, "stand"))
            .or_else(|| p.one("as_of").map(|v| (v, "as_of")))
            .map(|(v, key)| date(v, key))
            .transpose()?;
        Ok(StatusParams {
            status: p.one("status").map(status).transpose()?,
            faction: name(p.one("faction"), "faction")?,
            year: p.one("year").map(year).transpose()?,
            as_of,
            id: name(p.one("id"), "id")?,
            page: match p.one("page") {
                None => 1,
                Some(v) => number(v, "page", 1, MAX_OFFSET / STATUS_PAGE_ROWS + 1)?,
            },
            due_within: p
                .one("due_within")
                .map(|v| number(v, "due_within", 0, MAX_DUE_WITHIN).map(|n| n as u32))
                .transpose()?,
        })
    }

    /// The query string that reproduces these parameters (for the CSV link).
    pub fn to_query(&self) -> String {
        let mut s = form_urlencoded::Serializer::new(String::new());
        if let Some(v) = self.status {
            s.append_pair("status", v.as_str());
        }
        if let Some(v) = &self.faction {
            s.append_pair("faction", v);
        }
        if let Some(v) = self.year {
            s.append_pair("year", &v.to_string());
        }
        if let Some(v) = self.as_of {
            s.append_pair("stand", &v.to_string());
        }
        if let Some(v) = &self.id {
            s.append_pair("id", v);
        }
        if let Some(v) = self.due_within {
            s.append_pair("due_within", &v.to_string());
        }
        if self.page != 1 {
            s.append_pair("page", &self.page.to_string());
        }
        s.finish()
    }
}

/// `path?query`, or `path` alone for an empty query.
pub fn with_query(path: &str, query: &str) -> String {
    if query.is_empty() {
        path.to_string()
    } else {
        format!("{path}?{query}")
    }
}

fn number(v: &str, key: &str, min: usize, max: usize) -> Result<usize, WebError> {
    match v.parse::<usize>() {
        Ok(n) if (min..=max).contains(&n) => Ok(n),
        _ => Err(WebError::bad_request(format!(
            "Ungültiger Wert für {key}: {v:?} (erwartet eine ganze Zahl von {min} bis {max})."
        ))),
    }
}

fn year(v: &str) -> Result<i32, WebError> {
    match v.parse::<i32>() {
        Ok(y) if (1900..=2200).contains(&y) => Ok(y),
        _ => Err(WebError::bad_request(format!(
            "Ungültiges Jahr {v:?} (erwartet eine Jahreszahl wie 2020)."
        ))),
    }
}

fn status(v: &str) -> Result<StatusKind, WebError> {
    v.parse::<StatusKind>().map_err(|_| {
        WebError::bad_request(format!(
            "Unbekannter Status {v:?}: erwartet answered_on_time, answered_late, overdue, pending, no_report_requested, deadline_unresolved oder void."
        ))
    })
}

fn result(v: &str) -> Result<ConsultationResult, WebError> {
    v.parse::<ConsultationResult>().map_err(|_| {
        WebError::bad_request(format!(
            "Unbekanntes Ergebnis {v:?}: erwartet {}.",
            ConsultationResult::ALL
                .map(ConsultationResult::as_str)
                .join(", ")
        ))
    })
}

fn name(v: Option<&str>, key: &str) -> Result<Option<String>, WebError> {
    match v {
        Some(v) if v.chars().count() > MAX_NAME_CHARS => Err(WebError::bad_request(format!(
            "Der Wert für {key} ist zu lang: höchstens {MAX_NAME_CHARS} Zeichen."
        ))),
        other => Ok(other.map(str::to_string)),
    }
}

/// ISO `2020-09-30` (what `<input type="date">` sends) or German
/// `30.09.2020`.
pub fn date(v: &str, key: &str) -> Result<NaiveDate, WebError> {
    NaiveDate::parse_from_str(v, "%Y-%m-%d")
        .or_else(|_| NaiveDate::parse_from_str(v, "%d.%m.%Y"))
        .map_err(|_| {
            WebError::bad_request(format!(
                "Ungültiges Datum für {key}: {v:?} (erwartet JJJJ-MM-TT, z. B. 2020-09-30)."
            ))
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn search_params_round_trip_through_the_url() {
        let raw = "q=Pr%C3%A4vention+Chemnitz&kind=beschlussantrag&year=2020&sort=date&page=2";
        let p = SearchParams::from_query(Some(raw)).ok();
        let p = p.as_ref();
        assert_eq!(p.map(|p| p.q.as_str()), Some("Prävention Chemnitz"));
        assert_eq!(p.map(|p| p.page), Some(2));
        let again = p.and_then(|p| SearchParams::from_query(Some(&p.to_query())).ok());
        assert_eq!(again.as_ref(), p);
    }

    #[test]
    fn empty_values_are_absent() {
        let p = SearchParams::from_query(Some("q=&kind=&year=&page=")).ok();
        assert_eq!(p, Some(SearchParams::default()));
    }

    #[test]
    fn malformed_values_are_rejected() {
        for raw in [
            "page=0",
            "page=abc",
            "page=-1",
            "limit=101",
            "year=20x0",
            "kind=motion",
            "sort=random",
            "from=2020-13-01",
            "page=600&limit=100",
        ] {
            assert!(SearchParams::from_query(Some(raw)).is_err(), "{raw}");
        }
        assert!(StatusParams::from_query(Some("stand=gestern")).is_err());
        assert!(StatusParams::from_query(Some("status=late")).is_err());
    }

    #[test]
    fn german_and_iso_dates() {
        let p = StatusParams::from_query(Some("stand=31.12.2020")).ok();
        assert_eq!(
            p.and_then(|p| p.as_of),
            NaiveDate::from_ymd_opt(2020, 12, 31)
        );
    }
}
