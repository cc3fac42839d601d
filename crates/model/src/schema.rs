//! JSON Schemas generated from the types, so the checked-in
//! `schemas/record.schema.json` can never drift from what is written.

use schemars::schema_for;

/// The record schema as pretty JSON with a trailing newline, byte-stable.
pub fn record_schema_json() -> String {
    let schema = schema_for!(crate::Record);
    let mut s = serde_json::to_string_pretty(&schema).unwrap_or_default();
    s.push('\n');
    s
}

/// The schema of `links.yaml`.
pub fn links_schema_json() -> String {
    let schema = schema_for!(crate::Links);
    let mut s = serde_json::to_string_pretty(&schema).unwrap_or_default();
    s.push('\n');
    s
}
