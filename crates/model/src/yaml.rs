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

pub fn from_str<T: DeserializeOwned>(text: &str) -> Result<T, YamlError> {
    serde_saphyr::from_str(text).map_err(|e| YamlError::Read(e.to_string()))
}
