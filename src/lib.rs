//! etclint: a linter and fixer for the configuration of a classic Linux server.
pub mod formats;
