//! The objects that are not papers: System, Body, LegislativeTerm, the
//! deleted stub and the error object. Papers are in `paper`.

use chrono::NaiveDate;
use serde_json::{Map, Value, json};

use crate::list::Times;
use crate::terms::Term;
use crate::time::timestamp;
use crate::urls::Urls;
use crate::{VENDOR, schema_type};

/// The council the data directory is about. `Default` is Chemnitz.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BodyConfig {
    /// "Stadt Chemnitz".
    pub name: String,
    /// "Chemnitz".
    pub short_name: String,
    /// Amtlicher Gemeindeschlüssel (AGS), eight digits.
    pub ags: String,
    /// The council's own website.
    pub website: Option<String>,
}

impl Default for BodyConfig {
    fn default() -> BodyConfig {
        BodyConfig {
            name: "Stadt Chemnitz".into(),
            short_name: "Chemnitz".into(),
            ags: "14511000".into(),
            website: Some("https://www.chemnitz.de/".into()),
        }
    }
}

/// The entry point.
pub fn system_object(urls: &Urls, times: Times) -> Value {
    let mut o = base(&urls.system(), "System", times);
    o.insert(
        "oparlVersion".into(),
        json!("https://schema.oparl.org/1.1/"),
    );
    o.insert("body".into(), json!(urls.bodies()));
    o.insert("name".into(), json!("ratsdoc"));
    o.insert("product".into(), json!("https://example.invalid/ratsdoc"));
    Value::Object(o)
}

/// The one Body of the data directory.
pub fn body_object(urls: &Urls, config: &BodyConfig, times: Times) -> Value {
    let mut o = base(&urls.body(), "Body", times);
    o.insert("system".into(), json!(urls.system()));
    o.insert("name".into(), json!(config.name));
    put_text(&mut o, "shortName", &config.short_name);
    put_text(&mut o, "ags", &config.ags);
    if let Some(site) = &config.website {
        put_text(&mut o, "website", site);
    }
    for (field, list) in [
        ("organization", "organizations"),
        ("person", "people"),
        ("meeting", "meetings"),
        ("paper", "papers"),
        ("legislativeTermList", "terms"),
    ] {
        o.insert(field.into(), json!(urls.body_list(list)));
    }
    o.insert(
        "legislativeTerm".into(),
        Value::Array(term_objects(urls, times)),
    );
    o.insert("classification".into(), json!("Kommune"));
    Value::Object(o)
}

/// Every term of the table as LegislativeTerm objects, oldest first.
pub fn term_objects(urls: &Urls, times: Times) -> Vec<Value> {
    crate::terms::terms()
        .iter()
        .map(|t| term_object(urls, t, times))
        .collect()
}

fn term_object(urls: &Urls, term: &Term, times: Times) -> Value {
    let mut o = base(&urls.object("term", &term.slug()), "LegislativeTerm", times);
    o.insert("body".into(), json!(urls.body()));
    o.insert("name".into(), json!(term.name()));
    o.insert("startDate".into(), json!(day(term.start)));
    o.insert("endDate".into(), json!(day(term.end)));
    Value::Object(o)
}

/// What stays of a removed paper: `id`, `type`, `created`, `modified`
/// (the removal) and `deleted: true`, as the specification asks.
pub fn deleted_object(id: &str, kind: &str, times: Times) -> Value {
    Value::Object(base(id, kind, times))
}

/// The specification's error object, German message for the user, `debug`
/// for the developer.
pub fn error_object(message: &str, debug: &str) -> Value {
    json!({
        "type": schema_type("Error"),
        "message": message,
        "debug": debug,
    })
}

/// `id`, `type`, `created`, `modified`, and `deleted` when true.
pub(crate) fn base(id: &str, kind: &str, times: Times) -> Map<String, Value> {
    let mut o = Map::new();
    o.insert("id".into(), json!(id));
    o.insert("type".into(), json!(schema_type(kind)));
    o.insert("created".into(), json!(timestamp(times.created)));
    o.insert("modified".into(), json!(timestamp(times.modified)));
    if times.deleted {
        o.insert("deleted".into(), json!(true));
    }
    o
}

/// Inserts `text` unless it is empty (OParl clients read an empty string
/// as a broken field).
pub(crate) fn put_text(o: &mut Map<String, Value>, field: &str, text: &str) {
    let text = text.trim();
    if !text.is_empty() {
        o.insert(field.into(), json!(text));
    }
}

/// Inserts a list unless it is empty.
pub(crate) fn put_list(o: &mut Map<String, Value>, field: &str, list: Vec<Value>) {
    if !list.is_empty() {
        o.insert(field.into(), Value::Array(list));
    }
}

/// A vendor property's name: `ratsdoc:<name>`.
pub(crate) fn vendor(name: &str) -> String {
    format!("{VENDOR}:{name}")
}

pub(crate) fn day(d: NaiveDate) -> String {
    d.format("%Y-%m-%d").to_string()
}
