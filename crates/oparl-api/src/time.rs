//! Times as the run history keeps them (Unix seconds, UTC) and as OParl
//! writes them (ISO 8601 `date-time`).

use chrono::{DateTime, SecondsFormat, Utc};

/// `2026-12-02T17:38:00+00:00`. A time before the history began
/// ([`ratsdoc_store::history::UNKNOWN`]) is the Unix epoch.
pub fn timestamp(secs: i64) -> String {
    DateTime::<Utc>::from_timestamp(secs, 0)
        .unwrap_or_default()
        .to_rfc3339_opts(SecondsFormat::Secs, false)
}

/// A full `date-time` with offset, as the list filters take it; `None`
/// for anything else (a bare date is not a point in time).
pub fn parse_time(text: &str) -> Option<i64> {
    DateTime::parse_from_rfc3339(text.trim())
        .ok()
        .map(|t| t.timestamp())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_timestamp_reads_back_as_the_same_second() {
        let t = 1_764_700_000;
        assert_eq!(parse_time(&timestamp(t)), Some(t));
        assert_eq!(parse_time("2014-01-01T02:00:00+01:00"), Some(1_388_538_000));
        assert_eq!(parse_time("2014-01-01"), None);
    }
}
