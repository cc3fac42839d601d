//! End-to-end tests: the real `ratsdoc` binary on corpus/ and on inputs made
//! here, each test in its own temporary directory.

// A failed set-up step should fail the test loudly, with its location.
#![allow(clippy::unwrap_used)]

mod bad_input;
mod build;
mod caches;
mod council;
mod crash;
mod differential;
mod faults;
mod feeds;
mod fresh;
mod history;
mod inputs;
mod listing;
mod lock;
mod oparl;
mod oparl_check;
mod pdf;
mod search;
mod serve;
mod sync;
mod synced;
mod terminal;
mod util;
