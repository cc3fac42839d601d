//! Holds no code: this crate exists for its end-to-end tests (`tests/browser`
//! and `tests/serve_cache` at the workspace root), which need the build
//! driver and the web server together. Keeping them here keeps
//! `ratsdoc-serve` free of the driver and the PDF stack, tests included.
