//! Pause points for the crash tests, compiled only with the `test-hooks`
//! feature (the `ratsdoc` crate's tests enable it through a dev-dependency,
//! so `cargo build --release` never has it).
//!
//! With the feature, `RATSDOC_PAUSE_AT=<stage>` makes the build announce the
//! stage on stderr and sleep there, so a test can `kill -9` it at a known
//! point. Without the feature, [`pause_at`] is an empty function.

/// A point in a run where a crash test may stop it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Stage {
    /// Inputs scanned, nothing parsed yet.
    Extract,
    /// The first record is about to be written.
    Records,
    /// Records written, links saved, the index not yet committed.
    Index,
    /// The index committed, the manifest not yet written.
    Manifest,
}

impl Stage {
    #[cfg(feature = "test-hooks")]
    fn name(self) -> &'static str {
        match self {
            Stage::Extract => "extract",
            Stage::Records => "records",
            Stage::Index => "index",
            Stage::Manifest => "manifest",
        }
    }
}

#[cfg(feature = "test-hooks")]
pub(crate) fn pause_at(stage: Stage) {
    use std::sync::atomic::{AtomicBool, Ordering};
    // Records are written by many threads; only the first one pauses.
    static RECORDS_SEEN: AtomicBool = AtomicBool::new(false);
    if stage == Stage::Records && RECORDS_SEEN.swap(true, Ordering::Relaxed) {
        return;
    }
    if std::env::var("RATSDOC_PAUSE_AT").is_ok_and(|s| s == stage.name()) {
        eprintln!("ratsdoc: paused at {}", stage.name());
        std::thread::sleep(std::time::Duration::from_secs(600));
    }
}

#[cfg(not(feature = "test-hooks"))]
#[inline(always)]
pub(crate) fn pause_at(_stage: Stage) {}
