//! When each stage of a run ended, kept beside the stages rather than in
//! the data they pass on; the report's timings are read from it.

use std::sync::Mutex;
use std::time::{Duration, Instant};

use ratsdoc_model::Timings;

/// The end of a stage.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Mark {
    Scanned,
    Extracted,
    Written,
    Linked,
    Indexed,
}

const MARKS: [Mark; 5] = [
    Mark::Scanned,
    Mark::Extracted,
    Mark::Written,
    Mark::Linked,
    Mark::Indexed,
];

pub(crate) struct Clock {
    start: Instant,
    ends: Mutex<[Option<Duration>; MARKS.len()]>,
}

impl Clock {
    pub fn start() -> Clock {
        Clock {
            start: Instant::now(),
            ends: Mutex::new([None; MARKS.len()]),
        }
    }

    /// Notes that the stage ends now.
    pub fn mark(&self, mark: Mark) {
        let at = self.start.elapsed();
        let mut ends = self.ends.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(i) = MARKS.iter().position(|m| *m == mark) {
            ends[i] = Some(at);
        }
    }

    /// Milliseconds per stage; a stage the run did not have took none.
    pub fn timings(&self) -> Timings {
        let ends = *self.ends.lock().unwrap_or_else(|e| e.into_inner());
        let mut last = Duration::ZERO;
        let mut spans = [0u64; MARKS.len()];
        for (span, end) in spans.iter_mut().zip(ends) {
            let end = end.unwrap_or(last).max(last);
            *span = (end - last).as_millis() as u64;
            last = end;
        }
        let [scan_ms, extract_parse_ms, write_ms, link_ms, index_ms] = spans;
        Timings {
            total_ms: self.start.elapsed().as_millis() as u64,
            scan_ms,
            extract_parse_ms,
            write_ms,
            link_ms,
            index_ms,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stages_not_run_take_no_time_and_spans_add_up() {
        let clock = Clock::start();
        clock.mark(Mark::Scanned);
        std::thread::sleep(Duration::from_millis(5));
        clock.mark(Mark::Extracted);
        clock.mark(Mark::Indexed);
        let t = clock.timings();
        assert!(t.extract_parse_ms >= 5, "{t:?}");
        assert_eq!(t.write_ms, 0);
        assert_eq!(t.link_ms, 0);
        let sum = t.scan_ms + t.extract_parse_ms + t.write_ms + t.link_ms + t.index_ms;
        assert!(sum <= t.total_ms, "{t:?}");
    }
}
