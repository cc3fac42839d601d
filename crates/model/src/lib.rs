//! The record model of ratsdoc: the shapes that are written to `<DATA>`, read
//! back by every other command, and promised to other tools:
//! `schemas/record.schema.json` is generated from these types.
//!
//! Only this crate derives serde for the on-disk format. It knows nothing
//! about PDFs, parsing heuristics, linking rules or tantivy; it only says what
//! a record *is*, how a paper number is spelled canonically, and how records
//! are turned into YAML and back.
//!
//! ```
//! use ratsdoc_model::PaperNumber;
//! let n: PaperNumber = "BA 44/2020".parse().unwrap();
//! assert_eq!(n.to_string(), "BA-044/2020");
//! assert_eq!(n.file_stem(), "BA-044-2020");
//! ```

pub mod fold;
mod links;
pub mod number;
mod record;
mod report;
pub mod schema;
mod status;
pub mod yaml;

pub use links::{Amendment, Evidence, Link, LinkCandidate, Links, Related, Unlinked};
pub use number::{PaperNumber, Prefix};
pub use record::{
    Consultation, ConsultationResult, ConsultationRole, FileRole, Kind, Margin, Mention, PaperFile,
    Received, Record, ReportPeriod, ReportRequest, RisOrigin, RisRelation, RisRelationKind,
    Signatory, Source, SourceFormat, Submitter, SubmitterKind, Votes, outcome,
};
pub use report::{Change, FileOutcome, Outcome, RunReport, Timings, Totals};
pub use status::{MotionStatus, StatusKind};

/// Bumped whenever a change to the types changes what a record means, or
/// the parser reads documents it read otherwise before (a listing page is
/// now several papers), so that stored records and indexes built by an
/// older ratsdoc are rebuilt.
pub const RECORD_VERSION: u32 = 5;
