//! The data directory (`<DATA>`) a build leaves, and everything that keeps
//! it sound: its layout and the read side ([`DataDir`]), the manifest of
//! what the last complete run did, the link cache, the binary file format
//! both use, atomic writes, and the lock that lets one build at a time in.
//!
//! **Architecture Invariant:** this crate knows no extraction, parsing or
//! index code. `search`, `status`, `show` and `serve` read `<DATA>` through
//! it and so never link the PDF stack or the build driver.

pub mod atomic;
mod binfile;
pub mod cache;
pub mod check;
pub mod data;
mod error;
pub mod history;
pub mod lock;
pub mod manifest;

pub use data::{DataDir, read_record};
pub use error::StoreError;
