//! YAML in and out, through serde-saphyr (pure Rust, YAML 1.2, panic-free;
//! serde_yaml is archived and flagged unmaintained).
//!
//! Output is deterministic: the same value always gives the same bytes, so an
//! unchanged paper gives a byte-identical record and the incremental build can
//! tell "changed" from "rewritten".

use serde::Serialize;
use serde::de::DeserializeOwned;

#[derive(Debug, thiserror::Error)]
pub enum YamlError {
    /// The value could not be written as YAML.
    #[error("cannot write YAML: {0}")]
    Write(String),
    /// The text is not valid YAML for this type.
    #[error("cannot read YAML: {0}")]
    Read(String),
}

pub fn to_string<T: Serialize>(value: &T) -> Result<String, YamlError> {
    serde_saphyr::to_string(value).map_err(|e| YamlError::Write(e.to_string()))
}

/// Reads YAML that ratsdoc wrote. serde-saphyr's default budget (250,000
/// nodes, 1,000,000 events) guards against hostile input but is smaller than
/// `links.yaml` of a 100,000-paper archive; the budget here grows with the
/// input instead, so it still bounds the work by the size of the file.
pub fn from_str<T: DeserializeOwned>(text: &str) -> Result<T, YamlError> {
    let mut budget = serde_saphyr::Budget::default();
    budget.max_nodes = budget.max_nodes.max(text.len() / 2);
    budget.max_events = budget.max_events.max(text.len());
    budget.max_total_scalar_bytes = budget.max_total_scalar_bytes.max(text.len());
    let mut options = serde_saphyr::Options::default();
    options.budget = Some(budget);
    serde_saphyr::from_str_with_options(text, options).map_err(|e| YamlError::Read(e.to_string()))
}
