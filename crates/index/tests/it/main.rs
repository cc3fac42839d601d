//! Integration tests of the index crate on real on-disk indexes, one test
//! binary (linking tantivy once is slow enough). Each test gets its own
//! temporary directory from [`common::Fixture`].

mod common;
mod properties;
mod quality;
mod search;
mod updates;
