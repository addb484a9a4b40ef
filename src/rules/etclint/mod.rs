//! Rules about etclint's own comments.

pub mod unused_suppression;
