//! etclint: a linter and fixer for the configuration of a classic Linux server — GRUB, Postfix,
//! Apache, wget, php.ini and PHP sources — that reads each file the way the real program does.

pub mod baseline;
pub mod cli;
pub mod config;
pub mod diagnostic;
pub mod discover;
pub mod engine;
pub mod fix;
pub mod formats;
pub mod render;
pub mod rules;
pub mod source;
pub mod suggest;
pub mod suppress;
pub mod workspace;
pub mod write;
