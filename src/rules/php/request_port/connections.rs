//! The socket connections of a file whose port is the current request's, found once for both
//! rules that report them: PHP003 those to a configured URL's host, PHP006 those to the
//! request's own host.

use std::collections::HashMap;
use std::ops::Range;
use std::rc::Rc;

use tree_sitter::Node;

use super::fix::take_port_from_url;
use super::scheme::Branches;
use super::sources::{self, Host, HostSource, Port, PortScope};
use crate::diagnostic::Diagnostic;
use crate::fix::Fix;
use crate::formats::php::semantic::index::TreeIndex;
use crate::formats::php::semantic::scope::Scope;
use crate::formats::php::semantic::values::{self, Piece};
use crate::formats::php::{call_arguments, called_function, walk, PhpFile};

/// The functions that open a connection, and whether they take the host and the port apart
/// (`fsockopen($host, $port)`) or in one address (`stream_socket_client("tcp://$host:$port")`).
const SOCKET_FUNCTIONS: &[(&str, bool)] = &[
    ("fsockopen", true),
    ("pfsockopen", true),
    ("stream_socket_client", false),
];

/// A connection on the current request's port, as the rules report it. It holds no part of
/// the syntax tree, so that it can outlive the analysis and serve the second rule.
pub struct Connection {
    pub function: &'static str,
    pub call: Range<usize>,
    /// The port in the call.
    pub port: Range<usize>,
    /// The assignment of the request's port, when the call's port is a variable.
    pub port_assignment: Option<Range<usize>>,
    pub host: ConnectionHost,
}

/// Where a connection's host comes from.
pub enum ConnectionHost {
    /// A configured URL (PHP003).
    Url {
        /// The `parse_url()` assignment or call.
        origin: Range<usize>,
        /// `$parts` of `$parts['host']`, when every assignment of it that reaches the call is
        /// `parse_url(…)`.
        array: Option<String>,
        /// PHP003's fix, when there is one.
        fix: Option<Fix>,
    },
    /// The current request (PHP006).
    Request { origin: Range<usize> },
}

impl Connection {
    /// Labels the port in the call, and the assignment it comes from.
    pub fn label_port(&self, d: &mut Diagnostic) {
        match &self.port_assignment {
            None => {
                d.label(self.port.clone(), "the port of the current request");
            }
            Some(assignment) => {
                d.label(self.port.clone(), "used as the port here");
                d.label(assignment.clone(), "the port of the current request");
            }
        }
    }
}

/// The connections of `file` on the request's port, in document order: analysed once per
/// file, however many of PHP003 and PHP006 ask.
pub fn connections(file: &PhpFile) -> Rc<Vec<Connection>> {
    file.memo(|| analyse(file))
}

/// A connection while the tree is at hand.
pub struct Found<'t> {
    pub call: Node<'t>,
    pub host: Host<'t>,
    pub port: Port<'t>,
    /// The port in the call, which the fix replaces, and whether it is inside a string.
    pub port_span: Range<usize>,
    pub port_in_string: bool,
}

fn analyse(file: &PhpFile) -> Vec<Connection> {
    let Some(tree) = file.tree() else {
        return Vec::new();
    };
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
        return Vec::new();
    }
    // The walks up the tree go through the index: with `Node::parent()`, which searches down
    // from the root, each would cost the square of the depth.
    let index = TreeIndex::new(tree);
    let mut scopes: HashMap<usize, PortScope> = HashMap::new();
    let mut branches = Branches::default();
    let mut connections = Vec::new();
    for (call, function, separate_port) in calls {
        let scope_node = index.scope_of(call);
        let scope = scopes
            .entry(scope_node.id())
            .or_insert_with(|| Scope::of(file, &index, scope_node, sources::assigned));
        let found = if separate_port {
            host_and_port(file, scope, call)
        } else {
            address(file, scope, call)
        };
        let Some(found) = found else { continue };
        let host = match &found.host.source {
            HostSource::Url { array, origin } => ConnectionHost::Url {
                origin: origin.byte_range(),
                array: array.clone(),
                fix: array.as_deref().and_then(|array| {
                    take_port_from_url(file, &index, &mut branches, scope, &found, array)
                }),
            },
            HostSource::Request { origin } => ConnectionHost::Request {
                origin: origin.byte_range(),
            },
        };
        connections.push(Connection {
            function,
            call: call.byte_range(),
            port: found.port_span.clone(),
            port_assignment: match found.port {
                Port::Direct => None,
                Port::Variable { assignment, .. } => Some(assignment.byte_range()),
            },
            host,
        });
    }
    connections
}

/// `fsockopen($host, $port, …)`.
fn host_and_port<'t>(
    file: &PhpFile,
    scope: &PortScope<'_, 't>,
    call: Node<'t>,
) -> Option<Found<'t>> {
    let port_argument = argument(file, call, 1, "port")?;
    let port = sources::request_port(file, scope, port_argument, call)?;
    let host_argument = argument(file, call, 0, "hostname")?;
    let host = sources::host(file, scope, &values::pieces(file, host_argument), call, 0)?;
    Some(Found {
        call,
        host,
        port,
        port_span: port_argument.byte_range(),
        port_in_string: false,
    })
}

/// `stream_socket_client("tcp://$host:$port", …)`: the port is a piece right after a `:`,
/// the host the piece before it.
fn address<'t>(file: &PhpFile, scope: &PortScope<'_, 't>, call: Node<'t>) -> Option<Found<'t>> {
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
        return Some(Found {
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::SourceFile;

    #[test]
    fn the_second_rule_takes_the_first_one_s_analysis() {
        let code = "<?php\n$p = parse_url($u);\nfsockopen($p['host'], $_SERVER['SERVER_PORT']);\n";
        let source = SourceFile::new("t.php", code.as_bytes().to_vec());
        let file = PhpFile::new(&source);
        let first = connections(&file);
        assert_eq!(first.len(), 1);
        assert!(Rc::ptr_eq(&first, &connections(&file)));
        let other = code.replace("$p['host']", "$q['host']");
        let source = SourceFile::new("t.php", other.into_bytes());
        assert!(connections(&PhpFile::new(&source)).is_empty());
    }
}
