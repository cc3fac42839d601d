//! End-to-end tests: the real `ratsdoc` binary on corpus/ and on inputs made
//! here, each test in its own temporary directory.

mod bad_input;
mod build;
mod crash;
mod lock;
mod pdf;
mod util;
