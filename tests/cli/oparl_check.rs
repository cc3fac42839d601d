//! What the OParl tests check of an endpoint: the OParl 1.1 JSON Schemas
//! (with OParl's own `schema` keyword applied to embedded objects, and
//! `url`, `date`, `date-time` read strictly), and a crawl over HTTP from
//! the System object that follows every URL.

use std::collections::{BTreeMap, BTreeSet, VecDeque};
use std::path::{Path, PathBuf};

use serde_json::Value;

/// `../shared/oparl/schema` of the workspace root, or of any folder above
/// it (a worktree sits one level deeper than the main checkout);
/// `RATSDOC_OPARL_SCHEMAS` names another.
pub fn schema_dir() -> Option<PathBuf> {
    if let Some(dir) = std::env::var_os("RATSDOC_OPARL_SCHEMAS") {
        return Some(PathBuf::from(dir));
    }
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    root.ancestors()
        .map(|a| a.join("../shared/oparl/schema"))
        .find(|d| d.join("Paper.json").is_file())
}

/// The OParl 1.1 schemas by type name.
pub struct Schemas {
    dir: PathBuf,
    compiled: BTreeMap<String, (Value, jsonschema::Validator)>,
}

impl Schemas {
    pub fn load(dir: &Path) -> Schemas {
        Schemas {
            dir: dir.to_path_buf(),
            compiled: BTreeMap::new(),
        }
    }

    fn get(&mut self, file: &str) -> &(Value, jsonschema::Validator) {
        let dir = self.dir.clone();
        self.compiled.entry(file.to_string()).or_insert_with(|| {
            let text = std::fs::read_to_string(dir.join(file)).unwrap();
            let schema: Value = serde_json::from_str(&text).unwrap();
            let validator = jsonschema::validator_for(&schema).unwrap();
            (schema, validator)
        })
    }

    /// Every problem of `object` against the schema of its `type`, and of
    /// every embedded object against the schema its property names.
    pub fn problems(&mut self, object: &Value, at: &str) -> Vec<String> {
        let Some(kind) = object["type"]
            .as_str()
            .and_then(|t| t.strip_prefix("https://schema.oparl.org/1.1/"))
        else {
            return vec![format!("{at}: no OParl type")];
        };
        self.problems_as(&format!("{kind}.json"), object, at)
    }

    fn problems_as(&mut self, file: &str, object: &Value, at: &str) -> Vec<String> {
        let (schema, validator) = self.get(file);
        let schema = schema.clone();
        let mut out: Vec<String> = validator
            .iter_errors(object)
            .map(|e| format!("{at}: {e} ({file})"))
            .collect();
        let empty = serde_json::Map::new();
        let properties = schema["properties"].as_object().unwrap_or(&empty);
        for (name, rule) in properties {
            let Some(value) = object.get(name) else {
                continue;
            };
            out.extend(strict_format(rule, value, &format!("{at}.{name}")));
            let embedded = rule["schema"]
                .as_str()
                .or_else(|| rule["items"]["schema"].as_str())
                .filter(|s| s.ends_with(".json"));
            if let Some(inner) = embedded {
                let items: Vec<&Value> = match value {
                    Value::Array(items) => items.iter().collect(),
                    Value::Object(_) => vec![value],
                    _ => Vec::new(),
                };
                for (i, item) in items.into_iter().enumerate() {
                    out.extend(self.problems_as(inner, item, &format!("{at}.{name}[{i}]")));
                }
            }
        }
        out
    }
}

/// `format: url | date | date-time`, meant strictly.
fn strict_format(rule: &Value, value: &Value, at: &str) -> Vec<String> {
    let format = rule["format"]
        .as_str()
        .or_else(|| rule["items"]["format"].as_str());
    let Some(format) = format else {
        return Vec::new();
    };
    let texts: Vec<&str> = match value {
        Value::String(s) => vec![s.as_str()],
        Value::Array(items) => items.iter().filter_map(Value::as_str).collect(),
        _ => Vec::new(),
    };
    texts
        .into_iter()
        .filter(|t| !well_formed(format, t))
        .map(|t| format!("{at}: {t:?} is no {format}"))
        .collect()
}

fn well_formed(format: &str, text: &str) -> bool {
    match format {
        "url" => {
            (text.starts_with("http://") || text.starts_with("https://")) && !text.contains(' ')
        }
        "date" => chrono::NaiveDate::parse_from_str(text, "%Y-%m-%d").is_ok(),
        "date-time" => chrono::DateTime::parse_from_rfc3339(text).is_ok(),
        _ => true,
    }
}

/// An HTTP client that reports every status instead of failing on 4xx.
pub fn agent() -> ureq::Agent {
    ureq::Agent::config_builder()
        .http_status_as_error(false)
        .build()
        .into()
}

/// Status and body of a GET.
pub fn fetch(agent: &ureq::Agent, url: &str) -> (u16, Vec<u8>) {
    let mut response = agent
        .get(url)
        .call()
        .unwrap_or_else(|e| panic!("GET {url}: {e}"));
    let status = response.status().as_u16();
    let body = response
        .body_mut()
        .with_config()
        .limit(64 << 20)
        .read_to_vec()
        .unwrap_or_else(|e| panic!("body of {url}: {e}"));
    (status, body)
}

/// What a crawl saw.
#[derive(Default)]
pub struct Crawl {
    /// Every JSON document by URL.
    pub documents: BTreeMap<String, Value>,
    /// Every object met (top-level, in a list, or embedded) by its id.
    pub objects: BTreeMap<String, Vec<Value>>,
    /// Every URL that answers other than JSON (file bytes, web pages) and
    /// its byte count.
    pub files: BTreeMap<String, usize>,
    pub problems: Vec<String>,
}

impl Crawl {
    pub fn of_type(&self, kind: &str) -> Vec<&Value> {
        let t = format!("https://schema.oparl.org/1.1/{kind}");
        self.objects
            .values()
            .filter_map(|v| v.first())
            .filter(|o| o["type"] == t.as_str())
            .collect()
    }
}

/// Walks the endpoint from `start`, fetching every URL under `base` once
/// (the web pages `web` names too, for their status).
pub fn crawl(agent: &ureq::Agent, base: &str, start: &str) -> Crawl {
    let mut crawl = Crawl::default();
    let mut queue = VecDeque::from([start.to_string()]);
    let mut seen = BTreeSet::from([start.to_string()]);
    while let Some(url) = queue.pop_front() {
        let (status, body) = fetch(agent, &url);
        if status != 200 {
            crawl.problems.push(format!("{url}: status {status}"));
            continue;
        }
        // File bytes and the web pages (`web`) are not JSON.
        if url.ends_with("/access") || url.ends_with("/download") || !url.contains("/oparl/") {
            crawl.files.insert(url, body.len());
            continue;
        }
        let value: Value = match serde_json::from_slice(&body) {
            Ok(v) => v,
            Err(e) => {
                crawl.problems.push(format!("{url}: not JSON: {e}"));
                continue;
            }
        };
        let mut urls = Vec::new();
        collect(&value, &mut urls, &mut crawl.objects);
        for u in urls {
            if u.starts_with(base) && seen.insert(u.clone()) {
                queue.push_back(u);
            }
        }
        crawl.documents.insert(url, value);
    }
    crawl
}

/// Every URL string in `value`, and every object with an `id`.
fn collect(value: &Value, urls: &mut Vec<String>, objects: &mut BTreeMap<String, Vec<Value>>) {
    match value {
        Value::String(s) if s.starts_with("http") => urls.push(s.clone()),
        Value::Array(items) => items.iter().for_each(|v| collect(v, urls, objects)),
        Value::Object(map) => {
            if let Some(id) = map.get("id").and_then(Value::as_str) {
                objects
                    .entry(id.to_string())
                    .or_default()
                    .push(value.clone());
            }
            map.values().for_each(|v| collect(v, urls, objects));
        }
        _ => {}
    }
}
