//! The `resolved` part of `oparl-paper.json`: what a paper only points to
//! (meetings, organizations, persons, other papers) looked up by URL, so the
//! build reads names and dates without a network. A lookup that fails is
//! left out, never invented, and never fails the paper.

use std::collections::HashMap;
use std::sync::Mutex;

use serde::Serialize;
use serde_json::Value;
use serde_json::value::RawValue;

use crate::http::Client;
use crate::names::normalise;

/// What a meeting, organization or person contributes: its name, and for a
/// meeting the day it starts.
#[derive(Debug, Clone, Default)]
pub struct Named {
    pub name: Option<String>,
    pub date: Option<String>,
}

/// Meetings, organizations and persons by id: filled from the body's lists
/// when they were read, and by single requests for what they lacked.
pub struct Lookups<'a> {
    client: &'a Client,
    known: Mutex<HashMap<String, Option<Named>>>,
}

impl<'a> Lookups<'a> {
    pub fn new(client: &'a Client) -> Lookups<'a> {
        Lookups {
            client,
            known: Mutex::new(HashMap::new()),
        }
    }

    /// Takes in the entries of a list page (meetings, organizations, persons).
    pub fn add_page(&self, items: Vec<Box<RawValue>>) {
        let mut known = self.known.lock().unwrap_or_else(|p| p.into_inner());
        for item in items {
            if let Ok(v) = serde_json::from_str::<Value>(item.get())
                && let Some(id) = v.get("id").and_then(Value::as_str)
            {
                known.insert(id.to_string(), Some(named(&v)));
            }
        }
    }

    pub fn len(&self) -> usize {
        self.known.lock().map(|k| k.len()).unwrap_or(0)
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The object at `url`, from the lists or by one request (remembered,
    /// a failure too, so each URL is asked for once per sync).
    pub fn get(&self, url: &str) -> Option<Named> {
        if let Some(hit) = self.known.lock().ok()?.get(url) {
            return hit.clone();
        }
        let found = match self.client.get_json(url) {
            Ok(v) if v.is_object() => Some(named(&v)),
            Ok(_) => None,
            Err(e) => {
                tracing::info!("lookup failed: {e}");
                None
            }
        };
        self.known
            .lock()
            .ok()?
            .insert(url.to_string(), found.clone());
        found
    }
}

/// Name (or `givenName familyName`, or `shortName`) and the date of `start`.
fn named(v: &Value) -> Named {
    let text = |k: &str| {
        v.get(k)
            .and_then(Value::as_str)
            .map(normalise)
            .filter(|s| !s.is_empty())
    };
    let person = match (text("givenName"), text("familyName")) {
        (Some(g), Some(f)) => Some(format!("{g} {f}")),
        (g, f) => g.or(f),
    };
    let name = text("name").or(person).or_else(|| text("shortName"));
    let date = v.get("start").and_then(Value::as_str).and_then(day);
    Named { name, date }
}

/// `YYYY-MM-DD` of an OParl date or date-time, if it is one.
pub fn day(text: &str) -> Option<String> {
    let head = text.get(..10)?;
    chrono::NaiveDate::parse_from_str(head, "%Y-%m-%d")
        .ok()
        .map(|d| d.format("%Y-%m-%d").to_string())
}

#[derive(Debug, Serialize)]
pub struct Consultation {
    pub id: Option<String>,
    pub organizations: Vec<String>,
    pub meeting: Option<String>,
    pub meeting_name: Option<String>,
    pub meeting_date: Option<String>,
    pub role: Option<String>,
    pub authoritative: Option<bool>,
}

#[derive(Debug, Serialize)]
pub struct Related {
    pub relation: &'static str,
    pub id: String,
    pub reference: Option<String>,
}

#[derive(Debug, Serialize)]
pub struct Resolved {
    pub consultations: Vec<Consultation>,
    pub originator_organizations: Vec<String>,
    pub originator_persons: Vec<String>,
    pub under_direction_of: Vec<String>,
    pub related: Vec<Related>,
}

/// The relations of a paper to others, by OParl field.
const RELATIONS: &[(&str, &str)] = &[
    ("superordinatedPaper", "superordinated"),
    ("subordinatedPaper", "subordinated"),
    ("relatedPaper", "related"),
];

/// URLs in a field that holds one URL or a list of them (1.0 servers
/// differ); embedded objects give their `id`.
pub fn urls(v: Option<&Value>) -> Vec<String> {
    let one = |x: &Value| match x {
        Value::String(s) => Some(s.clone()),
        Value::Object(_) => x.get("id").and_then(Value::as_str).map(str::to_string),
        _ => None,
    };
    match v {
        Some(Value::Array(items)) => items.iter().filter_map(one).collect(),
        Some(x) => one(x).into_iter().collect(),
        None => Vec::new(),
    }
}

/// Builds the `resolved` part for `paper`; `reference_of` knows the
/// references of papers this sync saw.
pub fn resolve(
    paper: &Value,
    lookups: &Lookups<'_>,
    client: &Client,
    reference_of: &dyn Fn(&str) -> Option<String>,
) -> Resolved {
    let names = |field: &str| -> Vec<String> {
        urls(paper.get(field))
            .iter()
            .filter_map(|u| lookups.get(u).and_then(|n| n.name))
            .collect()
    };
    let related = RELATIONS
        .iter()
        .flat_map(|(field, relation)| {
            urls(paper.get(*field)).into_iter().map(|id| Related {
                relation,
                reference: reference_of(&id),
                id,
            })
        })
        .collect();
    Resolved {
        consultations: consultations(paper, lookups, client),
        originator_organizations: names("originatorOrganization"),
        originator_persons: names("originatorPerson"),
        under_direction_of: names("underDirectionOf"),
        related,
    }
}

fn consultations(paper: &Value, lookups: &Lookups<'_>, client: &Client) -> Vec<Consultation> {
    let items = match paper.get("consultation") {
        Some(Value::Array(items)) => items.clone(),
        Some(other) => vec![other.clone()],
        None => Vec::new(),
    };
    items
        .into_iter()
        .filter_map(|c| match c {
            Value::String(url) => client.get_json(&url).ok().filter(Value::is_object),
            Value::Object(_) => Some(c),
            _ => None,
        })
        .map(|c| consultation(&c, lookups))
        .collect()
}

fn consultation(c: &Value, lookups: &Lookups<'_>) -> Consultation {
    let meeting = urls(c.get("meeting")).into_iter().next();
    let found = meeting
        .as_deref()
        .and_then(|m| lookups.get(m))
        .unwrap_or_default();
    Consultation {
        id: c.get("id").and_then(Value::as_str).map(str::to_string),
        organizations: urls(c.get("organization"))
            .iter()
            .filter_map(|u| lookups.get(u).and_then(|n| n.name))
            .collect(),
        meeting,
        meeting_name: found.name,
        meeting_date: found.date,
        role: c.get("role").and_then(Value::as_str).map(normalise),
        authoritative: c.get("authoritative").and_then(Value::as_bool),
    }
}
