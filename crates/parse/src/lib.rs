//! Text to a record. Knows nothing about files, PDFs or other papers.
//!
//! (Stub: being written.)

use ratsdoc_model::{Kind, Record, Source};

/// Reads one paper's clean text. Never fails: what cannot be read is left
/// empty and named in `Record::diagnostics`.
pub fn parse(text: &str, source: Source) -> Record {
    Record {
        id: format!("other-{}", &source.hash.get(..16).unwrap_or(&source.hash)),
        kind: Kind::Other,
        other_reason: Some("parser not written yet".into()),
        title: text
            .lines()
            .find(|l| !l.trim().is_empty())
            .unwrap_or("")
            .trim()
            .to_string(),
        date: None,
        submitters: vec![],
        received: None,
        consultations: vec![],
        cost_coverage: None,
        decision_proposal: None,
        justification: None,
        body: Some(text.to_string()),
        signatory: None,
        report_requests: vec![],
        references: vec![],
        mentions: vec![],
        source,
        other_sources: vec![],
        diagnostics: vec![],
    }
}
