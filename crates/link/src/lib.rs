//! Links answers to motions and judges report deadlines: a pure function of
//! all records. (Stub: being written.)

use chrono::NaiveDate;
use ratsdoc_model::{Links, MotionStatus, Record};

/// Finds, for every answer paper, the motion it reports on.
pub fn link(_records: &[Record]) -> Links {
    Links::default()
}

/// The report-status verdict of every Beschlussantrag, judged as of `as_of`.
pub fn status(_records: &[Record], _links: &Links, _as_of: NaiveDate) -> Vec<MotionStatus> {
    Vec::new()
}
