//! `oparl-paper.json` as `ratsdoc sync` writes it (docs/sync-folder.md).
//!
//! Read leniently: every field may be missing, unknown fields (vendor
//! extensions such as `STERNBERG:RIMVersion`) are ignored, and a value of
//! the wrong type counts as missing, so a hand-edited or foreign file costs
//! at most the fields it spoils.

use serde::Deserialize;
use serde_json::Value;

/// The metadata file of one synced paper.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct PaperMeta {
    pub paper: Paper,
    pub resolved: Resolved,
    pub files: Vec<FileMeta>,
}

/// The fields of the OParl Paper object ratsdoc reads; the rest stays in the
/// file for whoever needs it.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct Paper {
    #[serde(deserialize_with = "lenient")]
    pub id: Option<String>,
    #[serde(deserialize_with = "lenient")]
    pub name: Option<String>,
    #[serde(deserialize_with = "lenient")]
    pub reference: Option<String>,
    #[serde(deserialize_with = "lenient")]
    pub date: Option<String>,
    #[serde(rename = "paperType", deserialize_with = "lenient")]
    pub paper_type: Option<String>,
    #[serde(deserialize_with = "lenient")]
    pub web: Option<String>,
    #[serde(rename = "superordinatedPaper", deserialize_with = "lenient_list")]
    pub superordinated: Vec<String>,
    #[serde(rename = "subordinatedPaper", deserialize_with = "lenient_list")]
    pub subordinated: Vec<String>,
    #[serde(rename = "relatedPaper", deserialize_with = "lenient_list")]
    pub related: Vec<String>,
    #[serde(deserialize_with = "lenient")]
    pub deleted: Option<bool>,
}

/// What sync looked up for the paper.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct Resolved {
    pub consultations: Vec<ResolvedConsultation>,
    #[serde(deserialize_with = "lenient_list")]
    pub originator_organizations: Vec<String>,
    #[serde(deserialize_with = "lenient_list")]
    pub originator_persons: Vec<String>,
    #[serde(deserialize_with = "lenient_list")]
    pub under_direction_of: Vec<String>,
    pub related: Vec<ResolvedRelation>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct ResolvedConsultation {
    #[serde(deserialize_with = "lenient_list")]
    pub organizations: Vec<String>,
    #[serde(deserialize_with = "lenient")]
    pub meeting_name: Option<String>,
    #[serde(deserialize_with = "lenient")]
    pub meeting_date: Option<String>,
    #[serde(deserialize_with = "lenient")]
    pub role: Option<String>,
    #[serde(deserialize_with = "lenient")]
    pub authoritative: Option<bool>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct ResolvedRelation {
    #[serde(deserialize_with = "lenient")]
    pub relation: Option<String>,
    #[serde(deserialize_with = "lenient")]
    pub id: Option<String>,
    #[serde(deserialize_with = "lenient")]
    pub reference: Option<String>,
}

/// One file of the paper and what became of its download.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct FileMeta {
    #[serde(deserialize_with = "lenient")]
    pub id: Option<String>,
    #[serde(deserialize_with = "lenient")]
    pub slot: Option<String>,
    #[serde(deserialize_with = "lenient")]
    pub name: Option<String>,
    #[serde(rename = "fileName", deserialize_with = "lenient")]
    pub file_name: Option<String>,
    #[serde(deserialize_with = "lenient")]
    pub date: Option<String>,
    #[serde(deserialize_with = "lenient")]
    pub local: Option<String>,
    #[serde(deserialize_with = "lenient")]
    pub error: Option<String>,
}

impl PaperMeta {
    /// Parses the metadata file; only bytes that are no JSON object at all
    /// are an error.
    pub fn from_slice(bytes: &[u8]) -> Result<PaperMeta, String> {
        let value: Value = serde_json::from_slice(bytes)
            .map_err(|e| format!("oparl-paper.json is not valid JSON: {e}"))?;
        if !value.is_object() {
            return Err("oparl-paper.json does not hold a JSON object".into());
        }
        serde_json::from_value(value).map_err(|e| format!("oparl-paper.json cannot be read: {e}"))
    }
}

/// A value of the expected type, else `None`.
fn lenient<'de, D, T>(deserializer: D) -> Result<Option<T>, D::Error>
where
    D: serde::Deserializer<'de>,
    T: serde::de::DeserializeOwned,
{
    let value = Value::deserialize(deserializer)?;
    Ok(serde_json::from_value(value).ok())
}

/// The strings of a list, skipping anything else; a lone string counts as a
/// list of one (OParl 1.0 servers differ here).
fn lenient_list<'de, D>(deserializer: D) -> Result<Vec<String>, D::Error>
where
    D: serde::Deserializer<'de>,
{
    Ok(match Value::deserialize(deserializer)? {
        Value::String(s) => vec![s],
        Value::Array(items) => items
            .into_iter()
            .filter_map(|v| match v {
                Value::String(s) => Some(s),
                _ => None,
            })
            .collect(),
        _ => Vec::new(),
    })
}
