//! `<DATA>/links.yaml`: which paper answers which motion, and why.
//!
//! Links are a pure function of all records; they are recomputed in one global
//! pass on every build and never stored inside a record.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// The whole links file.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Links {
    /// Answer → motion links that were accepted, sorted by motion then answer.
    pub links: Vec<Link>,
    /// Answers with competing candidates too close to call: reported, not guessed.
    #[serde(default)]
    pub ambiguous: Vec<Unlinked>,
    /// Änderungs- and Ergänzungsanträge with the paper each amends, sorted
    /// by amended paper then amendment. Never answers.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub amendments: Vec<Amendment>,
    /// Other relations between papers that the RIS records (übergeordnete,
    /// untergeordnete, verwandte Drucksachen), each pair once, sorted.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub related: Vec<Related>,
}

/// An amendment and what it amends.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Amendment {
    /// The Änderungs- or Ergänzungsantrag.
    pub amendment: String,
    /// The motion or draft resolution it amends.
    pub amended: String,
    /// Why, strongest first ("from the RIS" when the RIS records it).
    pub evidence: Vec<Evidence>,
}

/// Two papers the RIS relates without saying one amends the other.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Related {
    /// The paper that records the relation.
    pub from: String,
    pub to: String,
    /// The RIS's word for it: superordinated, subordinated or related.
    pub relation: crate::RisRelationKind,
    pub evidence: Vec<Evidence>,
}

/// One accepted link: `answer` is the report `motion` asked for.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Link {
    /// The motion (Beschlussantrag) that requested a report.
    pub motion: String,
    /// The paper that answers it (usually an Informationsvorlage).
    pub answer: String,
    /// Confidence in 0..=1; the sum of the evidence weights, capped.
    pub score: f64,
    /// Why, strongest first.
    pub evidence: Vec<Evidence>,
}

/// One piece of evidence for (or against) a link.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Evidence {
    /// Machine name of the rule (`number_in_title`, `subject_match`, …).
    pub rule: String,
    /// What the rule saw, in words: the sentence, the two titles, the dates.
    pub detail: String,
    /// The weight this rule added to the score (negative: against).
    pub weight: f64,
}

/// An answer whose motion could not be decided.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Unlinked {
    pub answer: String,
    pub candidates: Vec<LinkCandidate>,
    /// Why no candidate was chosen.
    pub reason: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct LinkCandidate {
    pub motion: String,
    pub score: f64,
    pub evidence: Vec<Evidence>,
}
