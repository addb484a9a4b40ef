//! Rules about etclint's own comments.

pub mod unused_suppression;

use super::Rule;

pub static RULES: &[&Rule] = &[&unused_suppression::RULE];
