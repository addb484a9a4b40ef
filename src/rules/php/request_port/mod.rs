//! The analysis behind PHP003 (`request_port_for_url_host`) on top of the PHP semantic model
//! (`formats::php::semantic`): where a connection's host and port come from, and which scheme
//! a branch runs under.

pub mod scheme;
pub mod sources;
