//! Pause points for the crash tests, compiled only with the `test-hooks`
//! feature (the `ratsdoc` crate's tests enable it through a dev-dependency,
//! so a release build never has it).
//!
//! With the feature, `RATSDOC_PAUSE_AT=<stage>` makes the sync announce the
//! stage on stderr once and sleep there, so a test can `kill -9` it at a
//! known point. Without the feature, [`pause_at`] is an empty function.

/// A point in a sync where a crash test may stop it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Stage {
    /// The first piece of a download is in its partial file.
    Download,
    /// A paper's files are in its folder, its `oparl-paper.json` not yet.
    PaperJson,
}

#[cfg(feature = "test-hooks")]
pub(crate) fn pause_at(stage: Stage) {
    use std::sync::atomic::{AtomicBool, Ordering};
    static PAUSED: AtomicBool = AtomicBool::new(false);
    let name = match stage {
        Stage::Download => "sync-download",
        Stage::PaperJson => "sync-paper-json",
    };
    if std::env::var("RATSDOC_PAUSE_AT").is_ok_and(|s| s == name)
        && !PAUSED.swap(true, Ordering::SeqCst)
    {
        eprintln!("ratsdoc: paused at {name}");
        std::thread::sleep(std::time::Duration::from_secs(600));
    }
}

#[cfg(not(feature = "test-hooks"))]
#[inline(always)]
pub(crate) fn pause_at(_stage: Stage) {}
