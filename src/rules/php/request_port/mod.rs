//! The analysis behind PHP003 (`request_port_for_url_host`): scopes and reaching assignments,
//! where hosts and ports come from, and which scheme a branch runs under.

pub mod index;
pub mod reaching;
pub mod scheme;
pub mod scope;
pub mod values;
