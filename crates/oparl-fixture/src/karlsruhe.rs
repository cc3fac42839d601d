//! The Karlsruhe test bed: the city's public OParl dump (`papers/*.json`,
//! `file-contents/<file id>.txt`, `meetings/*.json`, `organizations.json`)
//! served as a local endpoint. URLs move to the local server; each file is
//! served as its extracted text (mimeType `text/plain`, a `.txt`
//! fileName); a file without text answers 404. The dump has no persons, so
//! the person list is empty.

use std::collections::BTreeMap;
use std::path::Path;

use anyhow::Context;
use serde_json::Value;

use crate::{BASE, FileBody, Site, Version};

const HOST: &str = "https://web1.karlsruhe.de";

/// Loads the dump at `dir` (the folder holding `papers/`).
pub fn load(dir: &Path) -> anyhow::Result<Site> {
    let mut files = BTreeMap::new();
    let mut papers = Vec::new();
    for path in numbered_json(&dir.join("papers"))? {
        let mut paper = read_object(&path)?;
        for slot in ["mainFile", "auxiliaryFile"] {
            match paper.get_mut(slot) {
                Some(Value::Array(list)) => list
                    .iter_mut()
                    .for_each(|f| as_text_file(f, dir, &mut files)),
                Some(f @ Value::Object(_)) => as_text_file(f, dir, &mut files),
                _ => {}
            }
        }
        papers.push(paper);
    }
    let meetings = numbered_json(&dir.join("meetings"))?
        .iter()
        .map(|p| read_object(p))
        .collect::<anyhow::Result<Vec<_>>>()?;
    let organizations = match read_object(&dir.join("organizations.json"))? {
        Value::Array(list) => list,
        _ => anyhow::bail!("organizations.json is not a list"),
    };
    Ok(Site {
        version: Version::V1_1,
        body_path: "/oparl/bodies/0001".to_string(),
        body_name: "Karlsruhe".to_string(),
        papers,
        meetings,
        organizations,
        persons: Vec::new(),
        objects: Vec::new(),
        files,
        per_page: 100,
        honour_modified_since: true,
        offer_lists: true,
    })
}

/// A JSON file of the dump with its URLs moved to the local server.
fn read_object(path: &Path) -> anyhow::Result<Value> {
    let text =
        std::fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))?;
    serde_json::from_str(&text.replace(HOST, BASE))
        .with_context(|| format!("{} is not JSON", path.display()))
}

/// The `<number>.json` files of a folder, in numeric order.
fn numbered_json(folder: &Path) -> anyhow::Result<Vec<std::path::PathBuf>> {
    let mut names: Vec<(u64, std::path::PathBuf)> = std::fs::read_dir(folder)
        .with_context(|| format!("cannot read {}", folder.display()))?
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .map(|p| {
            (
                p.file_stem()
                    .and_then(|s| s.to_str())
                    .and_then(|s| s.parse().ok())
                    .unwrap_or(u64::MAX),
                p,
            )
        })
        .collect();
    names.sort();
    Ok(names.into_iter().map(|(_, p)| p).collect())
}

/// Points a File at its extracted text: `…/files/143887` is served from
/// `file-contents/143887.txt` at `…/downloadfiles/00143887.txt`.
fn as_text_file(f: &mut Value, dir: &Path, files: &mut BTreeMap<String, FileBody>) {
    let Some(id) = f.get("id").and_then(Value::as_str) else {
        return;
    };
    let Some(number) = id.rsplit('/').next().map(str::to_string) else {
        return;
    };
    let Some(prefix) = id.rsplit_once("/files/").map(|(p, _)| p.to_string()) else {
        return;
    };
    let stem = f
        .get("fileName")
        .and_then(Value::as_str)
        .and_then(|n| n.rsplit_once('.').map(|(s, _)| s.to_string()))
        .unwrap_or_else(|| number.clone());
    let download = format!("{prefix}/downloadfiles/{stem}.txt");
    f["mimeType"] = Value::String("text/plain".into());
    f["fileName"] = Value::String(format!("{stem}.txt"));
    f["downloadUrl"] = Value::String(download.clone());
    f["accessUrl"] = Value::String(download.clone());
    let text = dir.join("file-contents").join(format!("{number}.txt"));
    if text.is_file()
        && let Some(path) = download.strip_prefix(BASE)
    {
        files.insert(path.to_string(), FileBody::Disk(text));
    }
}
