//! PHP003: a socket connection to a host from a configured URL on the current request's port.
//!
//! The analysis, shared with PHP006, and the fix live in `request_port/`.

use super::request_port::connections::{connections, ConnectionHost};
use crate::formats::php::PhpFile;
use crate::rules::Reporter;

php_rule! {
    code: "PHP003",
    name: "request-port-for-url-host",
    prefilter: &[&["sockopen", "stream_socket_client"], &["SERVER_PORT"]],
    run: run,
}

fn run(file: &PhpFile, cx: &mut Reporter) {
    for c in connections(file).iter() {
        let ConnectionHost::Url { origin, array, fix } = &c.host else {
            continue;
        };
        let function = c.function;
        let d = cx.report(
            c.call.clone(),
            format!("{function}() connects to the host of a configured URL on the port of the current request: when the request came in on another port than the URL's, this connects to the wrong port"),
        );
        c.label_port(d);
        d.label(origin.clone(), "the host comes from this configured URL");
        d.note("a request on port 80 to a site configured as https opens an SSL connection to port 80; the server answers it with a page that can make the same call again, a request loop that exhausts the web server (WordPress 2.1–2.2's spawn_cron())");
        let parts = array.as_deref().unwrap_or("$parts");
        d.note(format!("use the URL's own port, else its scheme's default: `isset({parts}['port']) ? {parts}['port'] : 443` for https, 80 for http"));
        if let Some(fix) = fix {
            d.fix(fix.clone());
        }
    }
}
