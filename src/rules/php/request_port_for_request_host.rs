//! PHP006: a socket connection to the current request's own host on the request's port.
//!
//! The analysis, shared with PHP003, lives in `request_port/`.

use super::request_port::connections::{connections, ConnectionHost};
use crate::formats::php::PhpFile;
use crate::rules::Reporter;

php_rule! {
    code: "PHP006",
    name: "request-port-for-request-host",
    prefilter: &[
        &["sockopen", "stream_socket_client"],
        &["SERVER_PORT"],
        &["HTTP_HOST", "SERVER_NAME"],
    ],
    run: run,
}

fn run(file: &PhpFile, cx: &mut Reporter) {
    for c in connections(file).iter() {
        let ConnectionHost::Request { origin } = &c.host else {
            continue;
        };
        let function = c.function;
        let d = cx.report(
            c.call.clone(),
            format!("{function}() connects to the host and the port of the current request: behind a reverse proxy or a port mapping, SERVER_PORT is the port the web server listens on, which the host name may not reach"),
        );
        c.label_port(d);
        d.label(origin.clone(), "the host of the current request");
        d.note("connect to the site's configured URL, with its own port or its scheme's default, instead of the request's host and port");
    }
}
