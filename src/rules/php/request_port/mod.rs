//! The analysis behind PHP003 (`request_port_for_url_host`) and PHP006
//! (`request_port_for_request_host`), on the PHP semantic model of `formats::php::semantic`:
//! the socket connections on the current request's port (found once for both rules), where
//! their host and port come from, and, for PHP003's fix, which scheme a branch runs under.

pub mod connections;
pub mod fix;
pub mod scheme;
pub mod sources;
