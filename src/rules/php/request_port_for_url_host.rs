//! PHP003: a socket connection to a host from a configured URL on the current request's port.

use super::{PhpCheck, Prefilter};
use crate::formats::php::PhpFile;
use crate::rules::{Check, Reporter, Rule};

pub static RULE: Rule = Rule {
    code: "PHP003",
    name: "request-port-for-url-host",
    doc: include_str!("../../../lints/php/request-port-for-url-host.md"),
    check: Check::Php(PhpCheck {
        prefilter: Prefilter::any(&["sockopen", "stream_socket_client"]),
        run,
    }),
};

fn run(_file: &PhpFile, _cx: &mut Reporter) {}
