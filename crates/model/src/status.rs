//! The report-status verdict of a motion: the clerk's question "did it get the
//! report it asked for, and on time?".

use chrono::NaiveDate;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// One line of `ratsdoc status --json`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct MotionStatus {
    pub id: String,
    pub title: String,
    pub status: StatusKind,
    /// The due date judged (for recurring requests, the latest occurrence due
    /// by the as-of date).
    pub due: Option<NaiveDate>,
    /// The deadline phrase as written.
    pub phrase: Option<String>,
    pub answered_by: Option<String>,
    /// The date the answer came (its own date, else its first consultation).
    pub answered_on: Option<NaiveDate>,
    /// Days late, days overdue, or days left — by status.
    pub days: Option<i64>,
    /// Why, in words a clerk reads.
    pub evidence: Vec<String>,
    /// The submitters, for filtering by faction.
    #[serde(default)]
    pub submitters: Vec<String>,
    /// The date the verdict was judged on.
    pub as_of: NaiveDate,
}

impl MotionStatus {
    /// Whether the report falls due within `days` days of the as-of date
    /// (the day itself and the last day included): the clerk's "next
    /// month". Overdue reports are not "due within"; they have their own
    /// filter.
    pub fn due_within(&self, days: u32) -> bool {
        self.due.is_some_and(|due| {
            due >= self.as_of && (due - self.as_of).num_days() <= i64::from(days)
        })
    }

    /// Whether the requested report has come, on time or late.
    pub fn answered(&self) -> bool {
        matches!(
            self.status,
            StatusKind::AnsweredOnTime | StatusKind::AnsweredLate
        )
    }
}

#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum StatusKind {
    AnsweredOnTime,
    AnsweredLate,
    Overdue,
    Pending,
    NoReportRequested,
    DeadlineUnresolved,
    /// gegenstandslos: the motion was rejected or withdrawn, so the report
    /// it asked for was never ordered. Never overdue.
    Void,
}

impl StatusKind {
    /// Every verdict, most urgent first: the order of the clerk's summaries
    /// and filters.
    pub const BY_URGENCY: [StatusKind; 7] = [
        StatusKind::Overdue,
        StatusKind::Pending,
        StatusKind::DeadlineUnresolved,
        StatusKind::AnsweredLate,
        StatusKind::AnsweredOnTime,
        StatusKind::Void,
        StatusKind::NoReportRequested,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            StatusKind::AnsweredOnTime => "answered_on_time",
            StatusKind::AnsweredLate => "answered_late",
            StatusKind::Overdue => "overdue",
            StatusKind::Pending => "pending",
            StatusKind::NoReportRequested => "no_report_requested",
            StatusKind::DeadlineUnresolved => "deadline_unresolved",
            StatusKind::Void => "void",
        }
    }

    /// German label for the clerk's table and the web page.
    pub fn german(self) -> &'static str {
        match self {
            StatusKind::AnsweredOnTime => "fristgerecht beantwortet",
            StatusKind::AnsweredLate => "verspätet beantwortet",
            StatusKind::Overdue => "überfällig",
            StatusKind::Pending => "Frist läuft",
            StatusKind::NoReportRequested => "kein Bericht verlangt",
            StatusKind::DeadlineUnresolved => "Frist unbestimmt",
            StatusKind::Void => "gegenstandslos",
        }
    }
}

impl std::str::FromStr for StatusKind {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let name = s.trim().to_lowercase();
        Self::BY_URGENCY
            .into_iter()
            .find(|k| k.as_str() == name)
            .ok_or_else(|| format!("unknown status {s:?}"))
    }
}
