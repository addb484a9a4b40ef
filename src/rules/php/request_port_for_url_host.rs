//! PHP003: a socket connection to a host from a configured URL on the current request's port.
//!
//! The analysis (where hosts and ports come from, scheme tests) lives in `request_port/`, on
//! the semantic model of `formats::php::semantic` (scopes, reaching assignments).

use std::collections::HashMap;
use std::ops::Range;

use tree_sitter::Node;

use super::request_port::scheme::{branch_is_https, Branches};
use super::request_port::sources::{self, Host, HostSource, Port, PortScope};
use super::{PhpCheck, Prefilter};
use crate::diagnostic::{Diagnostic, Severity};
use crate::fix::{Applicability, Edit, Fix};
use crate::formats::php::semantic::index::TreeIndex;
use crate::formats::php::semantic::scope::Scope;
use crate::formats::php::semantic::values::{self, Piece};
use crate::formats::php::{call_arguments, called_function, walk, PhpFile};
use crate::rules::{Check, Reporter, Rule};

pub static RULE: Rule = Rule {
    code: "PHP003",
    name: "request-port-for-url-host",
    doc: include_str!("../../../lints/php/request-port-for-url-host.md"),
    check: Check::Php(PhpCheck {
        prefilter: Prefilter::all(&[&["sockopen", "stream_socket_client"], &["SERVER_PORT"]]),
        run,
    }),
};

/// The functions that open a connection, and whether they take the host and the port apart
/// (`fsockopen($host, $port)`) or in one address (`stream_socket_client("tcp://$host:$port")`).
const SOCKET_FUNCTIONS: &[(&str, bool)] = &[
    ("fsockopen", true),
    ("pfsockopen", true),
    ("stream_socket_client", false),
];

/// One connection whose port is the current request's.
struct Connection<'t> {
    function: &'static str,
    call: Node<'t>,
    host: Host<'t>,
    port: Port<'t>,
    /// The port in the call, which the fix replaces, and whether it is inside a string.
    port_span: Range<usize>,
    port_in_string: bool,
}

fn run(file: &PhpFile, cx: &mut Reporter) {
    let Some(tree) = file.tree() else { return };
    let mut calls = Vec::new();
    walk(tree, |node| {
        if node.kind() != "function_call_expression" {
            return;
        }
        let function = called_function(file, node).and_then(|name| {
            SOCKET_FUNCTIONS
                .iter()
                .find(|(f, _)| f.eq_ignore_ascii_case(name))
        });
        if let Some(&(function, separate_port)) = function {
            calls.push((node, function, separate_port));
        }
    });
    if calls.is_empty() {
        return;
    }
    // The walks up the tree go through the index: with `Node::parent()`, which searches down
    // from the root, each would cost the square of the depth.
    let index = TreeIndex::new(tree);
    let mut scopes: HashMap<usize, PortScope> = HashMap::new();
    let mut branches = Branches::default();
    for (call, function, separate_port) in calls {
        let scope_node = index.scope_of(call);
        let scope = scopes
            .entry(scope_node.id())
            .or_insert_with(|| Scope::of(file, &index, scope_node, sources::assigned));
        let connection = if separate_port {
            host_and_port(file, scope, call, function)
        } else {
            address(file, scope, call, function)
        };
        if let Some(connection) = connection {
            report(file, cx, &index, &mut branches, scope, &connection);
        }
    }
}

/// `fsockopen($host, $port, …)`.
fn host_and_port<'t>(
    file: &PhpFile,
    scope: &PortScope<'_, 't>,
    call: Node<'t>,
    function: &'static str,
) -> Option<Connection<'t>> {
    let port_argument = argument(file, call, 1, "port")?;
    let port = sources::request_port(file, scope, port_argument, call)?;
    let host_argument = argument(file, call, 0, "hostname")?;
    let host = sources::host(file, scope, &values::pieces(file, host_argument), call, 0)?;
    Some(Connection {
        function,
        call,
        host,
        port,
        port_span: port_argument.byte_range(),
        port_in_string: false,
    })
}

/// `stream_socket_client("tcp://$host:$port", …)`: the port is a piece right after a `:`,
/// the host the piece before it.
fn address<'t>(
    file: &PhpFile,
    scope: &PortScope<'_, 't>,
    call: Node<'t>,
    function: &'static str,
) -> Option<Connection<'t>> {
    let pieces = values::pieces(file, argument(file, call, 0, "address")?);
    for (i, piece) in pieces.iter().enumerate().skip(1) {
        let Piece::Expr {
            node,
            span,
            in_string,
        } = piece
        else {
            continue;
        };
        if !matches!(&pieces[i - 1], Piece::Text(text) if text.ends_with(':')) {
            continue;
        }
        let Some(port) = sources::request_port(file, scope, *node, call) else {
            continue;
        };
        let host = sources::host(file, scope, &pieces[..i - 1], call, 0)?;
        return Some(Connection {
            function,
            call,
            host,
            port,
            port_span: span.clone(),
            port_in_string: *in_string,
        });
    }
    None
}

/// The value of a call's argument given at `position` or named `name:`.
fn argument<'t>(file: &PhpFile, call: Node<'t>, position: usize, name: &str) -> Option<Node<'t>> {
    for (i, argument) in call_arguments(call).into_iter().enumerate() {
        let last = argument.named_child_count().checked_sub(1)?;
        let value = argument.named_child(u32::try_from(last).ok()?)?;
        if value.kind() == "variadic_unpacking" {
            return None;
        }
        match argument.child_by_field_name("name") {
            Some(label) if file.text(label) == name => return Some(value),
            None if i == position => return Some(value),
            _ => {}
        }
    }
    None
}

fn report<'t>(
    file: &PhpFile,
    cx: &mut Reporter,
    index: &TreeIndex<'t>,
    branches: &mut Branches<'t>,
    scope: &PortScope<'_, 't>,
    c: &Connection<'t>,
) {
    let function = c.function;
    match &c.host.source {
        HostSource::Url { array, origin } => {
            let d = cx.report(
                c.call.byte_range(),
                format!("{function}() connects to the host of a configured URL on the port of the current request: when the request came in on another port than the URL's, this connects to the wrong port"),
            );
            label_port(d, c);
            d.label(
                origin.byte_range(),
                "the host comes from this configured URL",
            );
            d.note("a request on port 80 to a site configured as https opens an SSL connection to port 80; the server answers it with a page that can make the same call again, a request loop that exhausts the web server (WordPress 2.1–2.2's spawn_cron())");
            let parts = array.as_deref().unwrap_or("$parts");
            d.note(format!("use the URL's own port, else its scheme's default: `isset({parts}['port']) ? {parts}['port'] : 443` for https, 80 for http"));
            if let Some(fix) = array
                .as_deref()
                .and_then(|a| take_port_from_url(file, index, branches, scope, c, a))
            {
                d.fix(fix);
            }
        }
        HostSource::Request { origin } => {
            let d = cx.report(
                c.call.byte_range(),
                format!("{function}() connects to the host and the port of the current request: behind a reverse proxy or a port mapping, SERVER_PORT is the port the web server listens on, which the host name may not reach"),
            );
            d.severity = Severity::Warning;
            label_port(d, c);
            d.label(origin.byte_range(), "the host of the current request");
            d.note("connect to the site's configured URL, with its own port or its scheme's default, instead of the request's host and port");
        }
    }
}

fn label_port(d: &mut Diagnostic, c: &Connection) {
    match c.port {
        Port::Direct => {
            d.label(c.port_span.clone(), "the port of the current request");
        }
        Port::Variable { assignment, .. } => {
            d.label(c.port_span.clone(), "used as the port here");
            d.label(assignment.byte_range(), "the port of the current request");
        }
    }
}

/// Inserts `$port = isset($parts['port']) ? $parts['port'] : DEFAULT;` before the statement
/// of the call and connects to `$port`.
fn take_port_from_url<'t>(
    file: &PhpFile,
    index: &TreeIndex<'t>,
    branches: &mut Branches<'t>,
    scope: &PortScope<'_, 't>,
    c: &Connection<'t>,
    array: &str,
) -> Option<Fix> {
    // Through a variable with other values (or other writes), replacing it could drop more
    // than the request's port: report only.
    if matches!(
        c.port,
        Port::Variable {
            only_value: false,
            ..
        }
    ) {
        return None;
    }
    let statement = scope.statement_before_which_to_insert(c.call)?;
    if scope.assigned_within(array, statement) {
        return None;
    }
    let https = match c.host.tls {
        Some(true) => Some(true),
        _ => branch_is_https(file, index, branches, c.call, scope.node, array),
    };
    let (default, default_words) = match https {
        Some(true) => ("443".to_string(), "443"),
        Some(false) => ("80".to_string(), "80"),
        None => (
            format!("({array}['scheme'] === 'https' ? 443 : 80)"),
            "443 for https, 80 otherwise",
        ),
    };
    let name = scope.free_name("$port");
    let assignment = format!("{name} = isset({array}['port']) ? {array}['port'] : {default};");
    let start = statement.start_byte();
    let line_start = file.source.line_range(file.source.line_index(start)).start;
    let indent = file.source.text().get(line_start..start).unwrap_or("x");
    let inserted = if indent.bytes().all(|b| b == b' ' || b == b'\t') {
        format!("{assignment}\n{indent}")
    } else {
        // The statement shares its line with other code (`<?php fsockopen(…) ?>`): keep it so.
        format!("{assignment} ")
    };
    let connect_to = if c.port_in_string {
        format!("{{{name}}}")
    } else {
        name.clone()
    };
    // Outside functions the new variable is a global that included files share, and a
    // function that uses variables by run-time names could see it: a human should look.
    let applicability = if scope.top_level || scope.dynamic {
        Applicability::Unsafe
    } else {
        Applicability::Safe
    };
    Some(Fix::new(
        format!("connect to the port of the URL in `{array}`, by default {default_words}"),
        vec![
            Edit::insert(start, inserted),
            Edit::replace(c.port_span.clone(), connect_to),
        ],
        applicability,
    ))
}
