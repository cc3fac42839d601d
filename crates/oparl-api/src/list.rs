//! External object lists: the filters `created_since`, `created_until`,
//! `modified_since`, `modified_until`, `limit` and `omit_internal`, page
//! numbers, and the page document with `data`, `pagination` and `links`.
//!
//! Deleted objects are listed only when `modified_since` is set, as the
//! specification requires: that is how a client that updates with
//! `modified_since` learns what went away.

use std::ops::Range;

use serde_json::{Value, json};

use crate::time::parse_time;

/// Objects per page when the client asks for no `limit`.
pub const DEFAULT_LIMIT: usize = 100;
/// Most objects per page, whatever `limit` says (the specification lets
/// the server decide).
pub const MAX_LIMIT: usize = 1000;

/// An object's times, from the run history (Unix seconds, UTC).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Times {
    pub created: i64,
    pub modified: i64,
    pub deleted: bool,
}

/// A query string a list did not understand, in words for the client.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct QueryError(pub String);

/// What a list request asks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListQuery {
    pub created_since: Option<i64>,
    pub created_until: Option<i64>,
    pub modified_since: Option<i64>,
    pub modified_until: Option<i64>,
    pub limit: usize,
    /// 1-based.
    pub page: usize,
    pub omit_internal: bool,
    /// The filters as the client wrote them, for the `links` of every page.
    kept: Vec<(String, String)>,
}

/// The time filters, in the order the links repeat them.
const TIME_FILTERS: [&str; 4] = [
    "created_since",
    "created_until",
    "modified_since",
    "modified_until",
];

impl ListQuery {
    /// Reads a query string strictly: an unknown time or number is an
    /// error, not a silently unfiltered list; unknown parameters are
    /// ignored, as OParl clients may send their own.
    pub fn parse(raw: Option<&str>) -> Result<ListQuery, QueryError> {
        let mut q = ListQuery {
            created_since: None,
            created_until: None,
            modified_since: None,
            modified_until: None,
            limit: DEFAULT_LIMIT,
            page: 1,
            omit_internal: false,
            kept: Vec::new(),
        };
        for (key, value) in form_urlencoded::parse(raw.unwrap_or("").as_bytes()) {
            q.take(&key, &value)?;
        }
        Ok(q)
    }

    fn take(&mut self, key: &str, value: &str) -> Result<(), QueryError> {
        let number = || {
            value
                .trim()
                .parse::<usize>()
                .map_err(|_| QueryError(format!("{key}={value:?} ist keine ganze Zahl.")))
        };
        match key {
            "limit" => {
                self.limit = number()?.clamp(1, MAX_LIMIT);
                self.kept.push((key.into(), self.limit.to_string()));
            }
            "page" => self.page = number()?.max(1),
            "omit_internal" => {
                self.omit_internal = value == "true";
                self.kept.push((key.into(), value.into()));
            }
            _ if TIME_FILTERS.contains(&key) => {
                let t = parse_time(value).ok_or_else(|| {
                    QueryError(format!(
                        "{key}={value:?} ist keine vollständige Zeitangabe (ISO 8601 mit Uhrzeit und Zeitzone, z. B. 2024-01-01T02:00:00+01:00)."
                    ))
                })?;
                *self.slot(key) = Some(t);
                self.kept.push((key.into(), value.into()));
            }
            _ => {}
        }
        Ok(())
    }

    fn slot(&mut self, key: &str) -> &mut Option<i64> {
        match key {
            "created_since" => &mut self.created_since,
            "created_until" => &mut self.created_until,
            "modified_since" => &mut self.modified_since,
            _ => &mut self.modified_until,
        }
    }

    /// Whether an object with `times` belongs in the list.
    pub fn admits(&self, t: Times) -> bool {
        let within = |v: i64, since: Option<i64>, until: Option<i64>| {
            since.is_none_or(|s| v >= s) && until.is_none_or(|u| v <= u)
        };
        (!t.deleted || self.modified_since.is_some())
            && within(t.created, self.created_since, self.created_until)
            && within(t.modified, self.modified_since, self.modified_until)
    }

    /// The positions of this page among `total` listed objects; an error
    /// for a page past the last.
    pub fn window(&self, total: usize) -> Result<Range<usize>, QueryError> {
        let start = (self.page - 1).saturating_mul(self.limit);
        if start > 0 && start >= total {
            return Err(QueryError(format!(
                "Seite {} gibt es nicht: die Liste hat {} Seiten.",
                self.page,
                pages(total, self.limit)
            )));
        }
        Ok(start..total.min(start.saturating_add(self.limit)))
    }

    /// `list_url` with the client's filters and `page`.
    fn url(&self, list_url: &str, page: usize) -> String {
        let mut query = form_urlencoded::Serializer::new(String::new());
        for (k, v) in &self.kept {
            query.append_pair(k, v);
        }
        if page > 1 {
            query.append_pair("page", &page.to_string());
        }
        let query = query.finish();
        if query.is_empty() {
            list_url.to_string()
        } else {
            format!("{list_url}?{query}")
        }
    }
}

fn pages(total: usize, limit: usize) -> usize {
    total.div_ceil(limit).max(1)
}

/// One list page: `data` (the objects of [`ListQuery::window`]),
/// `pagination` and `links` (`first`, `prev`, `self`, `next`, `last`,
/// each with the client's filters).
pub fn list_page(list_url: &str, q: &ListQuery, total: usize, data: Vec<Value>) -> Value {
    let last = pages(total, q.limit);
    let mut links = serde_json::Map::new();
    links.insert("first".into(), json!(q.url(list_url, 1)));
    if q.page > 1 {
        links.insert("prev".into(), json!(q.url(list_url, q.page - 1)));
    }
    links.insert("self".into(), json!(q.url(list_url, q.page)));
    if q.page < last {
        links.insert("next".into(), json!(q.url(list_url, q.page + 1)));
    }
    links.insert("last".into(), json!(q.url(list_url, last)));
    json!({
        "data": data,
        "pagination": {
            "totalElements": total,
            "elementsPerPage": q.limit,
            "currentPage": q.page,
            "totalPages": last,
        },
        "links": links,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn times(created: i64, modified: i64, deleted: bool) -> Times {
        Times {
            created,
            modified,
            deleted,
        }
    }

    #[test]
    fn filters_bound_both_ends_and_deleted_needs_modified_since() {
        let q = ListQuery::parse(Some(
            "created_since=1970-01-01T00%3A00%3A10%2B00%3A00&modified_until=1970-01-01T00:00:20Z",
        ))
        .unwrap();
        assert!(q.admits(times(10, 20, false)));
        assert!(!q.admits(times(9, 20, false)));
        assert!(!q.admits(times(10, 21, false)));
        assert!(!q.admits(times(10, 20, true)));
        let since = ListQuery::parse(Some("modified_since=1970-01-01T00:00:05Z")).unwrap();
        assert!(since.admits(times(1, 5, true)));
        assert!(!since.admits(times(1, 4, true)));
    }

    #[test]
    fn bad_values_are_errors_and_limit_is_bounded() {
        assert!(ListQuery::parse(Some("created_since=2014-01-01")).is_err());
        assert!(ListQuery::parse(Some("limit=ten")).is_err());
        assert_eq!(ListQuery::parse(Some("limit=0")).unwrap().limit, 1);
        assert_eq!(
            ListQuery::parse(Some("limit=99999")).unwrap().limit,
            MAX_LIMIT
        );
    }

    #[test]
    fn pages_link_to_each_other_keeping_the_filters() {
        let q = ListQuery::parse(Some(
            "limit=2&page=2&modified_since=2024-01-01T00:00:00%2B01:00",
        ))
        .unwrap();
        assert_eq!(q.window(5).unwrap(), 2..4);
        let doc = list_page("http://h/l", &q, 5, vec![json!(1), json!(2)]);
        let links = &doc["links"];
        assert_eq!(
            links["next"],
            "http://h/l?limit=2&modified_since=2024-01-01T00%3A00%3A00%2B01%3A00&page=3"
        );
        assert_eq!(
            links["first"],
            "http://h/l?limit=2&modified_since=2024-01-01T00%3A00%3A00%2B01%3A00"
        );
        assert_eq!(doc["pagination"]["totalPages"], 3);
        let past = ListQuery::parse(Some("limit=2&page=4")).unwrap();
        assert!(past.window(5).is_err());
        assert_eq!(ListQuery::parse(None).unwrap().window(0).unwrap(), 0..0);
    }
}
