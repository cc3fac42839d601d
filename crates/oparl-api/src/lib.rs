//! A data directory as OParl 1.1: the System and its one Body, the papers
//! with their consultations and files, the council's legislative terms,
//! organizations, people and meetings, as `serde_json` values. Pure: the
//! records, the links, the verdicts and the run history go in, JSON comes
//! out; reading `<DATA>` and HTTP are `ratsdoc-serve`'s.
//!
//! What OParl has no field for travels under the vendor prefix
//! [`VENDOR`] (`ratsdoc:`), as the specification allows: report requests,
//! the report-status verdict, and every answer ↔ motion link with its score
//! and evidence.
//!
//! **Architecture Invariant:** every id is a function of what it names —
//! a paper's URL of its record id, an organization's of its kind, term and
//! name, a meeting's of its body and day — so ids stay the same across
//! builds and server restarts, and no table of ids is stored.
//!
//! **Architecture Invariant:** `created`, `modified` and `deleted` come
//! from the run history ([`ratsdoc_store::history`]) only, so a build that
//! changes nothing changes no timestamp, and a removed paper stays
//! addressable with `deleted: true`.
//!
//! Code map:
//! - `urls`: the URL of every object and list, and stable slugs.
//! - `time`: history seconds to OParl `date-time`, and back.
//! - `terms`: the council's terms, read from the parser's group table.
//! - `people`: who a paper names: organizations and persons, as keys.
//! - `objects`: System, Body, LegislativeTerm, the deleted stub, errors.
//! - `paper`: Paper, Consultation, File; `extension`: the vendor properties.
//! - `directory`: the organizations, persons and meetings of all papers.
//! - `list`: list pages, their filters and pagination.

mod directory;
mod extension;
mod list;
mod objects;
mod paper;
mod people;
mod terms;
mod time;
mod urls;

pub use directory::{Directory, KINDS as DIRECTORY_KINDS};
pub use list::{ListQuery, QueryError, Times, list_page};
pub use objects::{
    BodyConfig, body_object, deleted_object, error_object, system_object, term_objects,
};
pub use paper::{
    FileFacts, PaperFacts, consultation_object, file_object, meeting_slug, paper_files,
    paper_object,
};
pub use people::{OrgKey, OrgKind, organizations_of, person_slug, persons_of, submitting_persons};
pub use terms::{Term, term_of, terms, use_terms_of};
pub use time::{parse_time, timestamp};
pub use urls::{Urls, slug};

/// The prefix of every property OParl does not define.
pub const VENDOR: &str = "ratsdoc";

/// The URL path every OParl route starts with.
pub const PREFIX: &str = "/oparl/v1.1";

/// `https://schema.oparl.org/1.1/<kind>`: the `type` of an object.
pub fn schema_type(kind: &str) -> String {
    format!("https://schema.oparl.org/1.1/{kind}")
}
