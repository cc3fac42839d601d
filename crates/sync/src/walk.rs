//! Walks an OParl object list page by page along `links.next`. A server may
//! send a `next` that points back to a page already read: the walk stops
//! there with a reason instead of going round for ever.

use std::collections::HashSet;

use serde::Deserialize;
use serde_json::value::RawValue;

use crate::http::{Client, FetchError};

/// No list of a council has this many pages; a walk stops here anyway.
const MAX_PAGES: usize = 1_000_000;

/// Why a list walk stopped before its end.
#[derive(Debug, thiserror::Error)]
pub enum WalkError {
    #[error(transparent)]
    Fetch(#[from] FetchError),
    #[error("{url} is not an OParl object list")]
    NotAList { url: String },
    #[error("the list at {list} goes round in a loop: page {url} was already read")]
    Loop { list: String, url: String },
    #[error("the list at {list} has more than {MAX_PAGES} pages")]
    TooManyPages { list: String },
}

/// One page, its entries kept as the server sent them.
#[derive(Deserialize)]
struct Page {
    data: Vec<Box<RawValue>>,
    #[serde(default)]
    links: Option<Links>,
}

#[derive(Deserialize)]
struct Links {
    #[serde(default)]
    next: Option<String>,
}

/// Reads every page of the list at `url`, giving each page's entries to
/// `on_page`. Returns the number of pages read and, when the walk ended
/// early, why (the entries of the pages read were given already).
pub fn walk_list(
    client: &Client,
    url: &str,
    mut on_page: impl FnMut(Vec<Box<RawValue>>),
) -> (usize, Option<WalkError>) {
    let mut seen = HashSet::new();
    let mut next = Some(url.to_string());
    let mut pages = 0;
    while let Some(page_url) = next.take() {
        if !seen.insert(page_url.clone()) {
            let list = url.to_string();
            return (
                pages,
                Some(WalkError::Loop {
                    list,
                    url: page_url,
                }),
            );
        }
        if pages >= MAX_PAGES {
            let list = url.to_string();
            return (pages, Some(WalkError::TooManyPages { list }));
        }
        let raw = match client.get_raw(&page_url) {
            Ok(raw) => raw,
            Err(e) => return (pages, Some(e.into())),
        };
        let Some((data, link)) = split_page(&raw) else {
            return (pages, Some(WalkError::NotAList { url: page_url }));
        };
        pages += 1;
        on_page(data);
        next = link;
    }
    (pages, None)
}

/// A page's entries and its `links.next`. OParl 1.0 and 1.1 both send
/// `{"data": [...], "links": {"next": ...}}`; a bare array is taken as a
/// list of one page.
fn split_page(raw: &RawValue) -> Option<(Vec<Box<RawValue>>, Option<String>)> {
    if let Ok(items) = serde_json::from_str::<Vec<Box<RawValue>>>(raw.get()) {
        return Some((items, None));
    }
    let page: Page = serde_json::from_str(raw.get()).ok()?;
    let next = page.links.and_then(|l| l.next).filter(|s| !s.is_empty());
    Some((page.data, next))
}

/// `url` with `modified_since=<since>` added to its query.
pub fn with_modified_since(url: &str, since: &str) -> String {
    let sep = if url.contains('?') { '&' } else { '?' };
    format!("{url}{sep}modified_since={since}")
}
